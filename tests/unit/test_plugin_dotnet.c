/* The .NET plugin through the host: classification of the real names, and a
 * whole capture built around the real .NET 8 perf map of ddprof (perf-8.map)
 * with samples at the addresses of its entries, loaded and analysed as
 * `tierprof report` does: a method's tiers meet in one function, OSR code is
 * flagged, stubs are runtime and ReadyToRun images native, and the tier-up
 * summary gives the tier-0 share of the hot methods and the OSR use. No .NET
 * runtime runs here: what a live one writes beyond these files is listed in
 * docs/runtimes/dotnet.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "jit_fixture.h"
#include "analysis/findings.h"
#include "analysis/functions.h"
#include "capture/synth.h"
#include "model/load.h"
#include "model/profile.h"
#include "output/output.h"
#include "plugin_fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PID 4242
#define SEC 1000000000ull

PLUGIN_FIXTURE(TP_DOTNET_PLUGIN)

static int classify(const char *name, uint32_t source, const char *dso, const char *comm,
		    const char *cause, struct tp_classification *c)
{
	struct tp_frame_info fi = { .size = sizeof(fi),
				    .pid = PID,
				    .name = name,
				    .dso = dso,
				    .source = source,
				    .comm = comm,
				    .unknown_cause = cause };

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return plugin_host__classify(host, &fi, c, NULL);
}

static void test_classify_tiers(void **state)
{
	static const struct {
		const char *suffix;
		uint32_t tier, flags;
		const char *subtier;
	} cases[] = {
		{ "[QuickJitted]", TP_TIER_BASELINE, 0, "QuickJitted" },
		{ "[MinOptJitted]", TP_TIER_BASELINE, 0, "MinOptJitted" },
		{ "[InstrumentedTier]", TP_TIER_BASELINE, 0, "InstrumentedTier" },
		{ "[OptimizedTier1]", TP_TIER_OPTIMIZED, 0, "OptimizedTier1" },
		{ "[Optimized]", TP_TIER_OPTIMIZED, 0, "Optimized" },
		{ "[InstrumentedTierOptimized]", TP_TIER_OPTIMIZED, 0,
		  "InstrumentedTierOptimized" },
		{ "[OptimizedTier1OSR]", TP_TIER_OPTIMIZED, TP_FRAME_OSR, "OptimizedTier1OSR" },
		{ "[PreJIT]", TP_TIER_NATIVE, 0, "ReadyToRun" },
		{ "[PreJit-cold]", TP_TIER_NATIVE, 0, "ReadyToRun" },
		{ "[Unknown]", TP_TIER_UNKNOWN, 0, "Unknown" },
	};
	static const char sig[] = "instance void [Datadog.Trace] Datadog.Trace.Vendors."
				  "Newtonsoft.Json.JsonTextReader::ReadStringIntoBuffer(char)";
	struct tp_classification c;
	char name[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", sig, cases[i].suffix);
		assert_int_equal(classify(name, TP_SYM_PERFMAP, "//anon", "dotnet", NULL, &c), 1);
		assert_int_equal(c.tier, cases[i].tier);
		assert_int_equal(c.flags, cases[i].flags);
		assert_string_equal(c.subtier, cases[i].subtier);
		assert_string_equal(c.runtime, "dotnet");
		/* One identity for every tier of the method. */
		assert_string_equal(c.function_key, sig);
		assert_string_equal(c.display_name, "Datadog.Trace.Vendors.Newtonsoft.Json."
						    "JsonTextReader::ReadStringIntoBuffer(char)");
	}
	/* From the jitdump too. */
	snprintf(name, sizeof(name), "%s[QuickJitted]", sig);
	assert_int_equal(classify(name, TP_SYM_JITDUMP, "//anon", "dotnet", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_BASELINE);
}

static void test_classify_other(void **state)
{
	struct tp_classification c;

	(void)state;
	/* Stubs: one function per kind, whatever their number. */
	assert_int_equal(classify("stub<13611> AllocateTemporaryEntryPoints<PRECODE_STUB>",
				  TP_SYM_PERFMAP, "//anon", "dotnet", NULL, &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_string_equal(c.function_key, "[stub] AllocateTemporaryEntryPoints<PRECODE_STUB>");
	/* Names without tiers: unknown tier, with the setting that fixes it. */
	assert_int_equal(classify("void [App] Program::Main(string[])", TP_SYM_PERFMAP, "//anon",
				  "dotnet", NULL, &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_UNKNOWN);
	assert_non_null(strstr(c.hint, "DOTNET_PerfMapShowOptimizationTiers"));
	/* The runtime's libraries. */
	assert_int_equal(classify("WKS::gc_heap::mark_phase(int)", TP_SYM_ELF,
				  "/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/"
				  "libcoreclr.so",
				  "dotnet", NULL, &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_string_equal(c.subtier, "GC");
	assert_int_equal(classify("Compiler::compCompile", TP_SYM_ELF, "/x/libclrjit.so", "dotnet",
				  NULL, &c),
			 1);
	assert_string_equal(c.subtier, "JIT compiler");
	assert_int_equal(classify("main", TP_SYM_ELF, "/usr/bin/app", "dotnet", NULL, &c), 0);
	/* ReadyToRun code run from a mapped image. */
	assert_int_equal(
		classify(NULL, TP_SYM_NONE, "/srv/app/App.dll", "dotnet", "file-missing", &c), 1);
	assert_int_equal(c.tier, TP_TIER_NATIVE);
	assert_string_equal(c.display_name, "[App.dll]");
	/* Unnamed JIT code: the fix. */
	assert_int_equal(classify(NULL, TP_SYM_NONE, "//anon", "dotnet", "jit-no-perfmap", &c), 1);
	assert_non_null(strstr(c.hint, "DOTNET_PerfMapEnabled=1"));
	assert_int_equal(classify(NULL, TP_SYM_NONE, "//anon", "node", "jit-no-perfmap", &c), 0);
	/* Other runtimes' names. */
	assert_int_equal(
		classify("JS:*runHot /a.js:1:2", TP_SYM_PERFMAP, "//anon", "node", NULL, &c), 0);
	assert_int_equal(classify("Interpreter", TP_SYM_PERFMAP, "//anon", "java", NULL, &c), 0);
}

/* --- a capture around the real perf map --- */

/* Addresses of entries of perf-8.map (quoted from the file). */
#define RSIB_QUICK 0x7FA1284BFFD0ull   /* JsonTextReader::ReadStringIntoBuffer [QuickJitted] */
#define RSIB_OSR 0x7FA12B406AA0ull     /* ... [OptimizedTier1OSR] */
#define RSIB_TIER1 0x7FA12E59A3A0ull   /* ... [OptimizedTier1] */
#define INDEX_QUICK 0x7FA12E594B00ull  /* ProductsController::Index() [QuickJitted] */
#define INDEX_OSR 0x7FA12E5A0E00ull    /* ... [OptimizedTier1OSR] */
#define NARROW_QUICK 0x7FA1284B19D0ull /* ASCIIUtility::NarrowUtf16ToAscii [QuickJitted] */
#define STUB_1 0x7FA128410000ull       /* stub<1> AllocateTemporaryEntryPoints<PRECODE_STUB> */
#define CORELIB_DLL 0x7F5A2C000000ull  /* a ReadyToRun image, perfinfo-4242.map */

static char capture_path[] = "/tmp/tierprof-test-dotnet-XXXXXX";

struct sampler {
	struct synth *s;
	uint64_t t;
};

/* n samples of the stack leaf <- Index [QuickJitted], 10 ms apart. */
static void samples(struct sampler *sm, uint64_t leaf, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t chain[2] = { leaf + 0x10, INDEX_QUICK + 0x20 };

		assert_int_equal(synth__sample(sm->s, PID, PID + 1, sm->t, 1, chain,
					       leaf == INDEX_QUICK ? 1 : 2),
				 0);
		sm->t += 10000000ull;
	}
}

static void build_capture(void)
{
	size_t map_len = 0, info_len = 0;
	char *map = jit_fixture_read("ddprof-perf-8.map.gz", &map_len);
	char *info = fixture_read("dotnet/perfinfo-4242.map", &info_len);
	struct sampler sm = { .t = 2 * SEC };
	int fd = mkstemp(capture_path);

	assert_true(fd >= 0);
	close(fd);
	assert_non_null(map);
	assert_non_null(info);
	assert_int_equal(synth__open(capture_path, "command=dotnet App.dll\n", 0, &sm.s), 0);
	assert_int_equal(synth__comm(sm.s, PID, PID, "dotnet", SEC), 0);
	assert_int_equal(synth__comm(sm.s, PID, PID + 1, ".NET TP Worker", SEC), 0);
	/* The JIT's code heap and a mapped ReadyToRun image. */
	assert_int_equal(synth__mmap(sm.s, PID, 0x7FA128400000ull, 0x8000000ull, 0, "//anon", SEC),
			 0);
	assert_int_equal(synth__mmap(sm.s, PID, CORELIB_DLL, 0x1000000ull, 0,
				     "/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/"
				     "System.Private.CoreLib.dll",
				     SEC),
			 0);
	/* Tier 0 and tier 1 of one method alternate (threads still in tier-0
	 * code after tier-up): a timeline deopt loop for a runtime with deopts,
	 * not for .NET. */
	for (int round = 0; round < 4; round++) {
		samples(&sm, RSIB_QUICK, 10);
		samples(&sm, RSIB_TIER1, 10);
	}
	samples(&sm, RSIB_OSR, 20);
	samples(&sm, INDEX_OSR, 30);
	samples(&sm, NARROW_QUICK, 50);
	samples(&sm, STUB_1, 10);
	samples(&sm, CORELIB_DLL + 0x1234, 10);
	assert_int_equal(synth__side_file(sm.s, PID, sm.t, "/tmp/tierprof-side/perf-4242.map",
					  "perfmap", map, map_len),
			 0);
	assert_int_equal(synth__side_file(sm.s, PID, sm.t, "/tmp/tierprof-side/perfinfo-4242.map",
					  "dotnet-perfinfo", info, info_len),
			 0);
	assert_int_equal(synth__close(sm.s, sm.t, 0), 0);
	free(map);
	free(info);
}

static void test_capture(void **state)
{
	struct load_filter filter = { .plugins = host };
	struct profile p;
	struct func_table t;
	struct findings fd;
	struct report_opts ro = { .limit = 20 };
	char err[512], *json = NULL, *text = NULL;
	size_t json_len = 0, text_len = 0;
	uint32_t rsib, index, narrow;
	const struct tier_up *u;
	FILE *mf;
	json_t *root, *tu;

	(void)state;
	build_capture();
	profile__init(&p, NULL);
	assert_int_equal(profile__load(&p, capture_path, &filter, err, sizeof(err)), 0);
	func_table__build(&t, &p);
	findings__build(&fd, &p, &t, NULL);

	assert_int_equal(t.samples, 200);
	assert_int_equal(t.leaf_tiers[TP_TIER_BASELINE], 40 + 50);
	assert_int_equal(t.leaf_tiers[TP_TIER_OPTIMIZED], 40 + 20 + 30);
	assert_int_equal(t.leaf_tiers[TP_TIER_RUNTIME], 10);
	assert_int_equal(t.leaf_tiers[TP_TIER_NATIVE], 10);
	assert_int_equal(t.leaf_tiers[TP_TIER_UNKNOWN], 0);

	/* A method's tiers are one function. */
	rsib = func_by_name(
		&p,
		"Datadog.Trace.Vendors.Newtonsoft.Json.JsonTextReader::ReadStringIntoBuffer(char)");
	index = func_by_name(&p, "BuggyBits.Controllers.ProductsController::Index()");
	narrow = func_by_name(
		&p, "System.Text.ASCIIUtility::NarrowUtf16ToAscii(char*,uint8*,native uint)");
	func_by_name(&p, "stub AllocateTemporaryEntryPoints<PRECODE_STUB>");
	func_by_name(&p, "[System.Private.CoreLib.dll]");
	assert_int_equal(t.funcs[rsib].self, 100);
	assert_int_equal(t.funcs[rsib].self_tiers[TP_TIER_BASELINE], 40);
	assert_int_equal(t.funcs[rsib].self_tiers[TP_TIER_OPTIMIZED], 60);
	assert_int_equal(t.funcs[index].total, 200);
	assert_string_equal(profile__str(&p, p.funcs[rsib].runtime), "dotnet");

	/* Own time and OSR. */
	assert_int_equal(fd.own[rsib].osr, 20);
	assert_int_equal(fd.own[index].total, 50); /* its OSR code + stub + ReadyToRun callee */
	assert_int_equal(fd.own[index].osr, 30);
	/* Tier-up is not a deopt: no timeline loop despite the alternation. */
	assert_int_equal(fd.nhistories, 0);
	/* NarrowUtf16ToAscii is hot and all tier 0. */
	assert_int_equal(fd.nitems, 1);
	assert_int_equal(fd.items[0].func, narrow);
	assert_int_equal(fd.items[0].kind, FINDING_KIND_INTERPRETER);

	assert_int_equal(fd.ntier_ups, 1);
	u = &fd.tier_ups[0];
	assert_string_equal(profile__str(&p, u->runtime), "dotnet");
	assert_int_equal(u->own, 200);
	assert_int_equal(u->hot, 3);
	assert_int_equal(u->hot_own, 200);
	assert_int_equal(u->hot_tier0, 40 + 20 + 50);
	assert_int_equal(u->hot_mostly_tier0, 1);
	assert_int_equal(u->osr, 50);
	assert_int_equal(u->osr_methods, 2);
	assert_int_equal(u->top_osr, index);

	/* The reports say it. */
	mf = open_memstream(&text, &text_len);
	output_findings_text(mf, &p, &fd);
	fclose(mf);
	assert_non_null(strstr(text, "TIER-0-DOMINATED: System.Text.ASCIIUtility::"));
	assert_non_null(strstr(text, "TIER-UP [dotnet]: 55.0% of the JIT time of its 3 hot "
				     "methods is tier-0 code; 1 of them mostly tier 0"));
	assert_non_null(strstr(text, "OSR: 25.0% of the runtime's JIT time in OSR code, 2 "
				     "methods (most: BuggyBits.Controllers.ProductsController::"
				     "Index())"));
	mf = open_memstream(&json, &json_len);
	assert_int_equal(output_json(mf, &p, &t, &fd, &ro), 0);
	fclose(mf);
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	tu = json_array_get(json_object_get(root, "tier_up"), 0);
	assert_non_null(tu);
	assert_string_equal(json_string_value(json_object_get(tu, "runtime")), "dotnet");
	assert_int_equal(json_integer_value(json_object_get(tu, "hot_samples_tier0")), 110);
	assert_int_equal(json_integer_value(json_object_get(tu, "osr_samples")), 50);
	assert_true(json_real_value(json_object_get(tu, "hot_tier0_pct")) > 54.9);
	json_decref(root);
	free(json);
	free(text);

	findings__exit(&fd);
	func_table__exit(&t);
	profile__exit(&p);
	/*KEEP*/ printf("%s\n", capture_path);
}

/* --- ReadyToRun methods named by the real jitdump --- */

/* Entries of ddprof's .NET jitdump (ddprof-jit-dotnet-partial.dump.gz, pid
 * 7, quoted from the file); its records are timed up to 278016.0 s. */
#define R2R_PID 7
#define R2R_T0 (278017 * SEC)
#define CONCAT 0x7F78F47A4480ull     /* String::Concat(string,string)[PreJIT], 0x9b bytes */
#define FIND_VALUE 0x7F78F4AB1CC0ull /* Dictionary`2[__Canon,__Canon]::FindValue(!0)[PreJIT] */
#define LINQ_WHERE 0x7F78F590B260ull /* Linq.Enumerable::Where(...)[PreJIT] */
#define MAIN_QUICK 0x7F78F52D3DB0ull /* BuggyBits.Program::<Main>(string[])[QuickJitted] */
/* CoreLib's image: its PreJIT code lies in [0x7f78f476e960, 0x7f78f4b081bc). */
#define CORELIB_START 0x7F78F4700000ull
#define CORELIB_LEN 0x410000ull
#define LINQ_START 0x7F78F58E0000ull

static char r2r_capture[] = "/tmp/tierprof-test-dotnet-r2r-XXXXXX";
static char r2r_dir[] = "/tmp/tierprof-test-dotnet-dll-XXXXXX";
static char corelib_path[256];

/* A PE image as the runtime maps it: a file, but not ELF. */
static void write_dll(void)
{
	static const char pe[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0 not an ELF file";
	FILE *f;

	assert_non_null(mkdtemp(r2r_dir));
	snprintf(corelib_path, sizeof(corelib_path), "%s/System.Private.CoreLib.dll", r2r_dir);
	f = fopen(corelib_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pe, 1, sizeof(pe), f), sizeof(pe));
	fclose(f);
}

static void build_r2r_capture(void)
{
	size_t dump_len = 0;
	char *dump = jit_fixture_read("ddprof-jit-dotnet-partial.dump.gz", &dump_len);
	struct sampler sm = { .t = R2R_T0 };
	int fd = mkstemp(r2r_capture);

	assert_true(fd >= 0);
	close(fd);
	assert_non_null(dump);
	write_dll();
	assert_int_equal(synth__open(r2r_capture, "command=dotnet BuggyBits.dll\n", 0, &sm.s), 0);
	assert_int_equal(synth__comm(sm.s, R2R_PID, R2R_PID, "dotnet", R2R_T0 - SEC), 0);
	/* The JIT's code heap; CoreLib as a file on disk that is not ELF;
	 * System.Linq.dll as a file no longer there. */
	assert_int_equal(synth__mmap(sm.s, R2R_PID, 0x7F78F52D0000ull, 0x10000ull, 0, "//anon",
				     R2R_T0 - SEC),
			 0);
	assert_int_equal(synth__mmap(sm.s, R2R_PID, CORELIB_START, CORELIB_LEN, 0, corelib_path,
				     R2R_T0 - SEC),
			 0);
	assert_int_equal(synth__mmap(sm.s, R2R_PID, LINQ_START, 0x30000ull, 0,
				     "/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/"
				     "System.Linq.dll",
				     R2R_T0 - SEC),
			 0);
	for (unsigned i = 0; i < 40; i++) {
		uint64_t leaf = i < 20	 ? CONCAT + 0x10
				: i < 30 ? FIND_VALUE + 0x40
					 : LINQ_WHERE + 4;
		uint64_t chain[2] = { leaf, MAIN_QUICK + 0x20 };

		assert_int_equal(synth__sample(sm.s, R2R_PID, R2R_PID, sm.t, 1, chain, 2), 0);
		sm.t += 10000000ull;
	}
	/* CoreLib code the jitdump does not list: named by its image. */
	for (unsigned i = 0; i < 5; i++) {
		uint64_t chain[2] = { CORELIB_START + 0x100, MAIN_QUICK + 0x20 };

		assert_int_equal(synth__sample(sm.s, R2R_PID, R2R_PID, sm.t, 1, chain, 2), 0);
		sm.t += 10000000ull;
	}
	assert_int_equal(synth__side_file(sm.s, R2R_PID, sm.t, "/tmp/tierprof-side/jit-7.dump",
					  "jitdump", dump, dump_len),
			 0);
	assert_int_equal(synth__close(sm.s, sm.t, 0), 0);
	free(dump);
}

static uint32_t leaf_frame_of(const struct profile *p, uint32_t func)
{
	for (size_t i = 0; i < p->nsamples; i++) {
		uint32_t fr = p->nodes[p->samples[i].node].frame;

		if (p->frames[fr].func == func)
			return fr;
	}
	fail_msg("no sample in function %u", func);
	return UINT32_MAX;
}

static void test_readytorun_methods(void **state)
{
	struct load_filter filter = { .plugins = host };
	struct profile p;
	struct func_table t;
	char err[512];
	uint32_t concat, find, where, image, main_fn, fr;

	(void)state;
	build_r2r_capture();
	profile__init(&p, NULL);
	assert_int_equal(profile__load(&p, r2r_capture, &filter, err, sizeof(err)), 0);
	func_table__build(&t, &p);

	assert_int_equal(t.samples, 45);
	assert_int_equal(t.leaf_tiers[TP_TIER_NATIVE], 45);
	assert_int_equal(t.leaf_tiers[TP_TIER_UNKNOWN], 0);
	/* Per method, from the jitdump's [PreJIT] entries, in both images. */
	concat = func_by_name(&p, "System.String::Concat(string,string)");
	find = func_by_name(&p, "System.Collections.Generic.Dictionary`2[System.__Canon,"
				"System.__Canon]::FindValue(!0)");
	where = func_by_name(&p, "System.Linq.Enumerable::Where(class [System.Runtime]System."
				 "Collections.Generic.IEnumerable`1<!!0>,class [System.Runtime]"
				 "System.Func`2<!!0,bool>)");
	image = func_by_name(&p, "[System.Private.CoreLib.dll]");
	main_fn = func_by_name(&p, "BuggyBits.Program::<Main>(string[])");
	assert_int_equal(t.funcs[concat].self, 20);
	assert_int_equal(t.funcs[find].self, 10);
	assert_int_equal(t.funcs[where].self, 10);
	assert_int_equal(t.funcs[image].self, 5);
	assert_int_equal(t.funcs[main_fn].total, 45);
	assert_int_equal(t.funcs[main_fn].self_tiers[TP_TIER_BASELINE], 0);
	fr = leaf_frame_of(&p, concat);
	assert_int_equal(p.frames[fr].tier, TP_TIER_NATIVE);
	assert_string_equal(profile__str(&p, p.frames[fr].subtier), "ReadyToRun");
	assert_string_equal(profile__str(&p, p.funcs[concat].runtime), "dotnet");
	fr = leaf_frame_of(&p, where);
	assert_int_equal(p.frames[fr].tier, TP_TIER_NATIVE);
	assert_string_equal(profile__str(&p, p.frames[fr].subtier), "ReadyToRun");

	func_table__exit(&t);
	profile__exit(&p);
	unlink(corelib_path);
	rmdir(r2r_dir);
	unlink(r2r_capture);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_tiers),
		cmocka_unit_test(test_classify_other),
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_readytorun_methods),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
