/* The .NET name parser (plugins/dotnet/dotnet_name.c) over the real CoreCLR
 * perf maps and jitdump of tests/fixtures/jit (ddprof, one-collect): exact
 * counts per tier, as grep counts the "[Tier]" suffixes and "stub<" lines of
 * each file (strings(1) for the jitdump); the shapes of real names; malformed and hostile input; and the
 * perfinfo-PID.map image list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "jit_fixture.h"
#include "dotnet_name.h"
#include "symbol/jitdump.h"
#include "symbol/perfmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
	size_t tiers[DOTNET_TIER__COUNT];
	size_t stubs, methods, not_ours, entries;
	size_t no_assembly; /* methods without "[Assembly] " */
};

static void count_name(struct counts *c, const char *name, size_t len)
{
	struct dotnet_name n;

	c->entries++;
	if (dotnet_name__parse(name, len, &n)) {
		c->not_ours++;
		return;
	}
	/* Every part points into the name. */
	assert_true(n.sig >= name && n.sig + n.sig_len <= name + len);
	assert_true(n.method >= n.sig && n.method + n.method_len <= n.sig + n.sig_len);
	if (n.kind == DOTNET_NAME_STUB) {
		c->stubs++;
		assert_int_equal(n.tier, DOTNET_TIER_NONE);
		assert_null(memchr(n.method, '\n', n.method_len));
		return;
	}
	c->methods++;
	c->tiers[n.tier]++;
	assert_non_null(memmem(n.method, n.method_len, "::", 2));
	assert_int_equal(n.method[n.method_len - 1], ')');
	if (!n.assembly_len)
		c->no_assembly++;
	if (n.tier != DOTNET_TIER_NONE) {
		/* identity = the name without "[Tier]" */
		assert_int_equal(n.sig_len + n.tier_len + 2, len);
		assert_memory_equal(n.tier_str, dotnet_tier__name(n.tier), n.tier_len);
	}
}

static void on_map_entry(void *ctx, uint64_t start, uint64_t size, const char *name,
			 size_t name_len, size_t line_no)
{
	(void)start, (void)size, (void)line_no;
	count_name(ctx, name, name_len);
}

static void count_map(const char *file, struct counts *c)
{
	size_t len = 0;
	char *text = jit_fixture_read(file, &len);
	struct perfmap_stats st;

	assert_non_null(text);
	memset(c, 0, sizeof(*c));
	assert_int_equal(perfmap__parse(text, len, on_map_entry, c, &st), 0);
	free(text);
}

/* ddprof perf-42.map: 2268 lines = 321 methods + 1947 stubs. */
static void test_ddprof_perf42(void **state)
{
	struct counts c;

	(void)state;
	count_map("ddprof-perf-42.map", &c);
	assert_int_equal(c.entries, 2268);
	assert_int_equal(c.not_ours, 0);
	assert_int_equal(c.stubs, 1947);
	assert_int_equal(c.tiers[DOTNET_TIER_MINOPT], 138);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1], 96);
	assert_int_equal(c.tiers[DOTNET_TIER_OPTIMIZED], 24);
	assert_int_equal(c.tiers[DOTNET_TIER_QUICK], 63);
	assert_int_equal(c.methods, 138 + 96 + 24 + 63);
	assert_int_equal(c.no_assembly, 0);
}

/* ddprof perf-8.map (.NET 8): 33206 lines = 11615 methods + 21591 stubs. */
static void test_ddprof_perf8(void **state)
{
	struct counts c;

	(void)state;
	count_map("ddprof-perf-8.map.gz", &c);
	assert_int_equal(c.entries, 33206);
	assert_int_equal(c.not_ours, 0);
	assert_int_equal(c.stubs, 21591);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1_OSR], 8);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1], 5278);
	assert_int_equal(c.tiers[DOTNET_TIER_OPTIMIZED], 286);
	assert_int_equal(c.tiers[DOTNET_TIER_QUICK], 6043);
	assert_int_equal(c.tiers[DOTNET_TIER_MINOPT], 0);
	assert_int_equal(c.methods, 8 + 5278 + 286 + 6043);
	assert_int_equal(c.no_assembly, 0);
}

/* one-collect dotnet-info.map: 2435 entries = 107 methods + 2328 stubs. */
static void test_one_collect(void **state)
{
	struct counts c;

	(void)state;
	count_map("one-collect-dotnet-info.map", &c);
	assert_int_equal(c.entries, 2435);
	assert_int_equal(c.not_ours, 0);
	assert_int_equal(c.stubs, 2328);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1], 9);
	assert_int_equal(c.tiers[DOTNET_TIER_OPTIMIZED], 26);
	assert_int_equal(c.tiers[DOTNET_TIER_QUICK], 72);
	assert_int_equal(c.methods, 107);
}

/* ddprof perf-1.map (adversarial): two entries survive the map parser, a
 * 300-character name without its tier's closing bracket, and a method. */
static void test_ddprof_perf1(void **state)
{
	struct counts c;

	(void)state;
	count_map("ddprof-perf-1.map", &c);
	assert_int_equal(c.entries, 2);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1], 1);
	assert_int_equal(c.methods + c.not_ours, 2);
}

static int on_jit_load(void *ctx, const struct jitdump_code_load *r)
{
	count_name(ctx, r->name, r->name_len);
	return 0;
}

/* ddprof's truncated .NET jitdump: 8424 CODE_LOAD records, whose names
 * carry the same suffixes, ReadyToRun code as [PreJIT]. */
static void test_ddprof_jitdump(void **state)
{
	static const struct jitdump_callbacks cb = { .code_load = on_jit_load };
	size_t len = 0;
	char *data = jit_fixture_read("ddprof-jit-dotnet-partial.dump.gz", &len);
	struct jitdump_info info;
	struct counts c = { 0 };

	(void)state;
	assert_non_null(data);
	assert_int_equal(jitdump__parse(data, len, &cb, &c, &info), 0);
	assert_int_equal(c.entries, 8424);
	assert_int_equal(c.not_ours, 0);
	assert_int_equal(c.stubs, 5103);
	/* strings(1) finds 2277 "[PreJIT]": the last is in the record the
	 * file is cut in. */
	assert_int_equal(c.tiers[DOTNET_TIER_PREJIT], 2276);
	assert_int_equal(c.tiers[DOTNET_TIER_QUICK], 1016);
	assert_int_equal(c.tiers[DOTNET_TIER_OPTIMIZED], 15);
	assert_int_equal(c.tiers[DOTNET_TIER_TIER1], 14);
	assert_int_equal(c.stubs + c.methods, 8424);
	assert_true(info.truncated);
	free(data);
}

static void parse_ok(const char *s, struct dotnet_name *n)
{
	assert_int_equal(dotnet_name__parse(s, strlen(s), n), 0);
}

static void assert_span(const char *p, size_t n, const char *want)
{
	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
}

/* Real names (quoted from the maps) split into their parts. */
static void test_real_shapes(void **state)
{
	struct dotnet_name n;

	(void)state;
	parse_ok("int32 [System.Private.CoreLib] System.SpanHelpers::IndexOf(char&,char,int32)"
		 "[OptimizedTier1]",
		 &n);
	assert_int_equal(n.kind, DOTNET_NAME_METHOD);
	assert_int_equal(n.tier, DOTNET_TIER_TIER1);
	assert_span(n.assembly, n.assembly_len, "System.Private.CoreLib");
	assert_span(n.method, n.method_len, "System.SpanHelpers::IndexOf(char&,char,int32)");
	assert_span(n.sig, n.sig_len,
		    "int32 [System.Private.CoreLib] System.SpanHelpers::IndexOf(char&,char,int32)");

	parse_ok("instance void [System.Private.CoreLib] System.Runtime.CompilerServices."
		 "AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.__Canon,System.Net.Http."
		 "HttpConnectionPool+<CreateHttp11ConnectionAsync>d__100]::.ctor()[OptimizedTier1]",
		 &n);
	assert_span(
		n.method, n.method_len,
		"System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1"
		"[System.__Canon,System.Net.Http.HttpConnectionPool+"
		"<CreateHttp11ConnectionAsync>d__100]::.ctor()");

	parse_ok("instance class [Microsoft.AspNetCore.Mvc.Abstractions]Microsoft.AspNetCore.Mvc."
		 "IActionResult [Samples.BuggyBits] BuggyBits.Controllers.ProductsController::"
		 "Index()[OptimizedTier1OSR]",
		 &n);
	assert_int_equal(n.tier, DOTNET_TIER_TIER1_OSR);
	assert_span(n.assembly, n.assembly_len, "Samples.BuggyBits");
	assert_span(n.method, n.method_len, "BuggyBits.Controllers.ProductsController::Index()");

	parse_ok("unmanaged cdecl void [System.Private.CoreLib] dynamicClass::IL_STUB_"
		 "ReversePInvoke(int64,int32,uint8,int64,int64,int64,int64)[Optimized]",
		 &n);
	assert_int_equal(n.tier, DOTNET_TIER_OPTIMIZED);

	parse_ok("stub<13611> AllocateTemporaryEntryPoints<PRECODE_STUB>", &n);
	assert_int_equal(n.kind, DOTNET_NAME_STUB);
	assert_span(n.method, n.method_len, "AllocateTemporaryEntryPoints<PRECODE_STUB>");
	parse_ok("stub GenerateResolveStub<GenerateResolveStub>", &n); /* grouped stubs */
	assert_span(n.method, n.method_len, "GenerateResolveStub<GenerateResolveStub>");
}

/* Every tier string CoreCLR prints, and names without one. */
static void test_all_tiers(void **state)
{
	static const struct {
		const char *suffix;
		enum dotnet_tier tier;
	} cases[] = {
		{ "[Unknown]", DOTNET_TIER_UNKNOWN },
		{ "[MinOptJitted]", DOTNET_TIER_MINOPT },
		{ "[Optimized]", DOTNET_TIER_OPTIMIZED },
		{ "[QuickJitted]", DOTNET_TIER_QUICK },
		{ "[OptimizedTier1]", DOTNET_TIER_TIER1 },
		{ "[OptimizedTier1OSR]", DOTNET_TIER_TIER1_OSR },
		{ "[InstrumentedTier]", DOTNET_TIER_INSTRUMENTED },
		{ "[InstrumentedTierOptimized]", DOTNET_TIER_INSTRUMENTED_OPT },
		{ "[PreJIT]", DOTNET_TIER_PREJIT },
		{ "[PreJit-cold]", DOTNET_TIER_PREJIT_COLD },
		{ "[Tier9]", DOTNET_TIER_OTHER },
		{ "", DOTNET_TIER_NONE },
	};
	struct dotnet_name n;
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "void [App] Program::Main(string[])%s", cases[i].suffix);
		parse_ok(buf, &n);
		assert_int_equal(n.tier, cases[i].tier);
		assert_span(n.sig, n.sig_len, "void [App] Program::Main(string[])");
		assert_span(n.method, n.method_len, "Program::Main(string[])");
	}
	assert_string_equal(dotnet_tier__name(DOTNET_TIER_TIER1_OSR), "OptimizedTier1OSR");
	assert_string_equal(dotnet_tier__name(DOTNET_TIER__COUNT), "");
}

/* Not CoreCLR's: other runtimes' perf map names and broken ones. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"stub",
		"stub<",
		"stub<>",
		"stub<12>",
		"stub<12> ",
		"stub<1x> Foo",
		"stub<12>Foo",
		"[OptimizedTier1]",
		"foo[QuickJitted]",			  /* no Type::Method( */
		"void [App] Program::Main",		  /* no argument list */
		"void [App] Program::(int)[QuickJitted]", /* no method name */
		"void [App] ::Main()[QuickJitted]",	  /* no type */
		"void Program::Main()",			  /* no tier and no assembly */
		"JS:*runHot /a.js:1:2",			  /* V8 */
		"Interpreter",				  /* HotSpot */
		"LJava/lang/String;::hashCode",
		"py::f:/a.py",
		"int32 [System.Private.CoreLib] System.SpanHelpers::IndexOfSomeText", /* cut */
		"void [App] A::B(]]]][[[[>>><<<",
		"::::(((()))[QuickJitted]",
	};
	struct dotnet_name n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dotnet_name__parse(bad[i], strlen(bad[i]), &n) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
		assert_int_equal(n.kind, 0);
	}
	assert_int_equal(dotnet_name__parse(NULL, 0, &n), -1);
	/* Lengths are honoured: no NUL needed, nothing read past n. */
	{
		static const char s[] = "void [App] P::M()[QuickJitted]XXXX";

		assert_int_equal(dotnet_name__parse(s, sizeof(s) - 5, &n), 0);
		assert_int_equal(n.tier, DOTNET_TIER_QUICK);
		assert_int_equal(dotnet_name__parse(s, 8, &n), -1);
	}
	/* An unknown word only after an argument list is a tier. */
	parse_ok("void [App] P::M(int32)[Future-Tier]", &n);
	assert_int_equal(n.tier, DOTNET_TIER_OTHER);
	assert_span(n.tier_str, n.tier_len, "Future-Tier");
	parse_ok("int32[] [App] P::M()", &n);
	assert_int_equal(n.tier, DOTNET_TIER_NONE);
}

struct images {
	char paths[8][128];
	uint64_t bases[8];
	size_t n;
};

static void on_image(void *ctx, const struct dotnet_image *img)
{
	struct images *im = ctx;

	assert_true(im->n < 8);
	snprintf(im->paths[im->n], sizeof(im->paths[0]), "%.*s", (int)img->path_len, img->path);
	im->bases[im->n++] = img->base;
}

/* perfinfo-PID.map (the layout of perfinfo.cpp; no real file was
 * available): ImageLoad lines name images, other types are skipped. */
static void test_perfinfo(void **state)
{
	size_t len = 0;
	char *text = fixture_read("dotnet/perfinfo-4242.map", &len);
	struct images im = { 0 };
	struct dotnet_perfinfo_stats st;

	(void)state;
	assert_non_null(text);
	assert_int_equal(dotnet_perfinfo__parse(text, len, on_image, &im, &st), 0);
	assert_int_equal(st.images, 3);
	assert_int_equal(im.n, 3);
	assert_string_equal(im.paths[0], "/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/"
					 "System.Private.CoreLib.dll");
	assert_true(im.bases[0] == 0x7F5A2C000000ull);
	assert_string_equal(im.paths[2], "/srv/app/App.dll");
	assert_int_equal(st.bad_lines, 0);
	free(text);
}

static void test_perfinfo_malformed(void **state)
{
	static const char mixed[] = "ImageLoad;/a.dll;{guid};00007F0000000000;\r\n"
				    "garbage without separators\n"
				    "ImageLoad;;{guid};0;\n"
				    "\n"
				    "ImageLoad;/b.dll;{guid};nothex;\n"
				    "ImageLoad;/c.dll\n"
				    "Other;x;y;\n";
	static const char junk[] = "\x01\x02\x03\nhello\n";
	struct images im = { 0 };
	struct dotnet_perfinfo_stats st;

	(void)state;
	assert_int_equal(dotnet_perfinfo__parse(mixed, sizeof(mixed) - 1, on_image, &im, &st), 0);
	assert_int_equal(st.images, 3);
	assert_int_equal(st.other, 1);
	assert_int_equal(st.bad_lines, 2);
	assert_int_equal(st.first_bad_line, 2);
	assert_string_equal(im.paths[0], "/a.dll");
	assert_true(im.bases[0] == 0x7F0000000000ull);
	assert_true(im.bases[1] == 0); /* not hex: no base */
	assert_string_equal(im.paths[2], "/c.dll");
	assert_int_equal(dotnet_perfinfo__parse(junk, sizeof(junk) - 1, NULL, NULL, &st), -1);
	assert_int_equal(dotnet_perfinfo__parse("", 0, NULL, NULL, &st), -1);
	assert_int_equal(dotnet_perfinfo__parse(NULL, 0, NULL, NULL, &st), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddprof_perf42),  cmocka_unit_test(test_ddprof_perf8),
		cmocka_unit_test(test_one_collect),    cmocka_unit_test(test_ddprof_perf1),
		cmocka_unit_test(test_ddprof_jitdump), cmocka_unit_test(test_real_shapes),
		cmocka_unit_test(test_all_tiers),      cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_perfinfo),       cmocka_unit_test(test_perfinfo_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
