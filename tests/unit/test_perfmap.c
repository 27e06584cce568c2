/* Unit tests for core/symbol/perfmap.c: the line grammar and its edge cases on
 * synthetic text, then the real maps of tests/fixtures/jit (Node 20, PyPy,
 * .NET from ddprof and one-collect) with the counts and lookups their sources
 * assert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "symbol/jitmap.h"
#include "symbol/perfmap.h"
#include "util/err.h"

#include "jit_fixture.h"

struct got {
	uint64_t start, size;
	char name[160];
	size_t line;
};

struct collect {
	struct got v[64];
	size_t n;
};

static void collect_fn(void *ctx, uint64_t start, uint64_t size, const char *name, size_t name_len,
		       size_t line_no)
{
	struct collect *c = ctx;
	struct got *g;

	assert_true(name_len > 0);
	assert_null(memchr(name, '\0', name_len));
	if (c->n == sizeof(c->v) / sizeof(c->v[0]))
		return;
	g = &c->v[c->n++];
	g->start = start;
	g->size = size;
	g->line = line_no;
	snprintf(g->name, sizeof(g->name), "%.*s", (int)name_len, name);
}

static void test_grammar(void **state)
{
	static const char text[] =
		"7fd8867c6e40 2bc JS:*runHot /home/dev/workload.js:12:16\n" /* 1: V8 */
		"0x00007f0000001000 0x0000000000000180 Interpreter\n"	    /* 2: HotSpot */
		"00007FB0614A7BE0 137 bool [System.Private.CoreLib] "
		"X::Y(char&,int32)[OptimizedTier1]\n"
		"7f0db8007100 110 JS:* :1:20\n"		    /* 4: name with spaces */
		"\n"					    /* 5: empty: not bad */
		"1000\t20\ttabbed name\r\n"		    /* 6: tabs, CRLF */
		"2000 0 zero size\n"			    /* 7: allowed, flagged */
		"3000 10    padded\n"			    /* 8: blank run */
		"garbage line\n"			    /* 9: bad */
		"4000 10\n"				    /* 10: no name */
		"4000 10 \n"				    /* 11: blanks only */
		"0x 10 nodigits\n"			    /* 12: bad */
		"-4000 10 negative\n"			    /* 13: bad */
		"4000 +10 plus\n"			    /* 14: bad */
		"00007FB0614AABEG 130 bool Ignored\n"	    /* 15: bad hex */
		"FAAFFFFFFFFFFFFFF 300 seventeen digits\n"  /* 16: > 64 bits */
		"FFFFFFFFFFFFFFFE 100 TooBig(char)\n"	    /* 17: overflows */
		"FFFFFFFFFFFFFFF0 10 exactly to 2^64\n"	    /* 18: overflows */
		"0000000000000000005000 10 leading zeros\n" /* 19: fine */
		" 6000 10 leading blank\n"		    /* 20: bad */
		"7000 10 last line\r";			    /* 21: no '\n' */
	struct collect c = { 0 };
	struct perfmap_stats st;

	(void)state;
	assert_int_equal(perfmap__parse(text, sizeof(text) - 1, collect_fn, &c, &st), 0);
	assert_int_equal(st.lines, 21);
	assert_int_equal(st.entries, 9);
	assert_int_equal(st.zero_size, 1);
	assert_int_equal(st.bad_lines, 11);
	assert_int_equal(st.first_bad_line, 9);
	assert_int_equal(c.n, 9);

	assert_true(c.v[0].start == 0x7fd8867c6e40 && c.v[0].size == 0x2bc);
	assert_string_equal(c.v[0].name, "JS:*runHot /home/dev/workload.js:12:16");
	assert_true(c.v[1].start == 0x7f0000001000 && c.v[1].size == 0x180);
	assert_string_equal(c.v[1].name, "Interpreter");
	assert_true(c.v[2].start == 0x7FB0614A7BE0 && c.v[2].size == 0x137);
	assert_string_equal(c.v[2].name,
			    "bool [System.Private.CoreLib] X::Y(char&,int32)[OptimizedTier1]");
	assert_string_equal(c.v[3].name, "JS:* :1:20");
	assert_int_equal(c.v[3].line, 4);
	assert_true(c.v[4].start == 0x1000 && c.v[4].size == 0x20);
	assert_string_equal(c.v[4].name, "tabbed name");
	assert_int_equal(c.v[4].line, 6);
	assert_true(c.v[5].start == 0x2000 && c.v[5].size == 0);
	assert_string_equal(c.v[6].name, "padded");
	assert_true(c.v[7].start == 0x5000 && c.v[7].size == 0x10);
	assert_string_equal(c.v[8].name, "last line");
	assert_int_equal(c.v[8].line, 21);
}

static void test_nul_and_bad_only(void **state)
{
	static const char nul[] = "1000 10 na\0me\n2000 10 ok\n";
	static const char bad[] = "not a map\nat all\n";
	struct collect c = { 0 };
	struct perfmap_stats st;

	(void)state;
	assert_int_equal(perfmap__parse(nul, sizeof(nul) - 1, collect_fn, &c, &st), 0);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.bad_lines, 1);
	assert_int_equal(st.first_bad_line, 1);
	assert_string_equal(c.v[0].name, "ok");

	assert_int_equal(perfmap__parse(bad, sizeof(bad) - 1, NULL, NULL, &st), TP_ERR_BAD_FORMAT);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.bad_lines, 2);
	assert_int_equal(st.entries, 0);

	/* Empty input, empty lines only, NULL text with len 0: fine, no entries. */
	assert_int_equal(perfmap__parse("", 0, NULL, NULL, &st), 0);
	assert_int_equal(st.lines, 0);
	assert_int_equal(perfmap__parse("\n\r\n\n", 4, NULL, NULL, &st), 0);
	assert_int_equal(st.lines, 3);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(perfmap__parse(NULL, 0, NULL, NULL, NULL), 0);
}

/* Every prefix of a map parses without reading past its end (ASan checks
 * that: each prefix is its own allocation) and never gains entries. */
static void test_every_prefix(void **state)
{
	static const char text[] = "0x10 0x20 a b\n30 40 c\r\n\nzz\n50 0 d";
	size_t prev = 0;

	(void)state;
	for (size_t len = 0; len <= sizeof(text) - 1; len++) {
		char *copy = malloc(len ? len : 1);
		struct perfmap_stats st;

		memcpy(copy, text, len);
		perfmap__parse(copy, len, NULL, NULL, &st);
		assert_true(st.entries >= prev);
		prev = st.entries;
		free(copy);
	}
	assert_int_equal(prev, 3);
}

/* Counting callback for the fixtures. */
struct kinds {
	size_t n, js_interp, js_base, js_opt, eval, regexp, builtin, handler, tramp, size378;
	uint64_t *starts, *sizes;
	size_t cap;
};

static int has_prefix(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n >= pl && !memcmp(s, p, pl);
}

static void kinds_fn(void *ctx, uint64_t start, uint64_t size, const char *name, size_t name_len,
		     size_t line_no)
{
	struct kinds *k = ctx;

	(void)line_no;
	k->js_interp += has_prefix(name, name_len, "JS:~");
	k->js_base += has_prefix(name, name_len, "JS:^");
	k->js_opt += has_prefix(name, name_len, "JS:*");
	k->eval += has_prefix(name, name_len, "Eval:~");
	k->regexp += has_prefix(name, name_len, "RegExp:");
	k->builtin += has_prefix(name, name_len, "Builtin:");
	k->handler += has_prefix(name, name_len, "BytecodeHandler:");
	k->size378 += size == 0x378;
	k->tramp += size == 0x378 &&
		    (has_prefix(name, name_len, "JS:~") || has_prefix(name, name_len, "Eval:~"));
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 1024;
		k->starts = realloc(k->starts, k->cap * sizeof(*k->starts));
		k->sizes = realloc(k->sizes, k->cap * sizeof(*k->sizes));
		assert_non_null(k->starts);
		assert_non_null(k->sizes);
	}
	k->starts[k->n] = start;
	k->sizes[k->n++] = size;
}

static int pair_cmp(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] > y[0]) - (x[0] < y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* same_start / overlapping_pairs as tools/perfmap_overlaps.py counts them
 * (the .overlaps.txt files): entries sorted by (start, size), a pair is two
 * neighbours that overlap. */
static void overlap_stats(const struct kinds *k, size_t *same, size_t *pairs)
{
	uint64_t *v = malloc(2 * k->n * sizeof(*v));

	assert_non_null(v);
	for (size_t i = 0; i < k->n; i++) {
		v[2 * i] = k->starts[i];
		v[2 * i + 1] = k->sizes[i];
	}
	qsort(v, k->n, 2 * sizeof(*v), pair_cmp);
	*same = *pairs = 0;
	for (size_t i = 1; i < k->n; i++) {
		*same += v[2 * i] == v[2 * (i - 1)];
		*pairs += v[2 * i] < v[2 * (i - 1)] + v[2 * (i - 1) + 1];
	}
	free(v);
}

static void parse_fixture(const char *name, struct kinds *k, struct perfmap_stats *st)
{
	size_t len = 0;
	char *text = jit_fixture_read(name, &len);

	assert_non_null(text);
	memset(k, 0, sizeof(*k));
	assert_int_equal(perfmap__parse(text, len, kinds_fn, k, st), 0);
	free(text);
}

static void kinds__free(struct kinds *k)
{
	free(k->starts);
	free(k->sizes);
}

static void test_node20_maps(void **state)
{
	struct perfmap_stats st;
	struct kinds k;
	size_t same, pairs;

	(void)state;
	/* FORMATS.md §1.1: counts per kind in the steady workload; no reuse. */
	parse_fixture("node20-perf-basic-prof.map", &k, &st);
	assert_int_equal(st.lines, 2591);
	assert_int_equal(st.entries, 2591);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.first_bad_line, 0);
	assert_int_equal(st.zero_size, 0);
	assert_int_equal(k.js_interp, 266);
	assert_int_equal(k.js_base, 26);
	assert_int_equal(k.js_opt, 88);
	assert_int_equal(k.eval, 28);
	assert_int_equal(k.regexp, 1);
	assert_int_equal(k.builtin, 1699);
	assert_int_equal(k.handler, 483);
	overlap_stats(&k, &same, &pairs);
	assert_int_equal(same, 0);
	assert_int_equal(pairs, 0);
	kinds__free(&k);

	/* §1.2 counts 298 entries of size 0x378, but 4 of them are builtins
	 * and bytecode handlers of that size: the trampoline copies are the
	 * 266 JS:~ and 28 Eval:~ ones. */
	parse_fixture("node20-perf-basic-prof-ifns.map", &k, &st);
	assert_int_equal(st.entries, 2828);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(k.tramp, 294);
	assert_int_equal(k.size378, 298);
	kinds__free(&k);

	/* §1.1 address reuse (and its .overlaps.txt): 3947 / 902 / 1063. */
	parse_fixture("node20-perf-basic-prof-churn-addr-reuse.map", &k, &st);
	assert_int_equal(st.entries, 3947);
	assert_int_equal(st.bad_lines, 0);
	overlap_stats(&k, &same, &pairs);
	assert_int_equal(same, 902);
	assert_int_equal(pairs, 1063);
	kinds__free(&k);
}

static void test_pypy_map(void **state)
{
	struct perfmap_stats st;
	struct kinds k;
	size_t same, pairs;

	(void)state;
	/* FORMATS.md §3.6 (and its .overlaps.txt): 2597 / 277 / 2555. */
	parse_fixture("pypy-perf-map-from-compile-hook.map", &k, &st);
	assert_int_equal(st.entries, 2597);
	assert_int_equal(st.bad_lines, 0);
	overlap_stats(&k, &same, &pairs);
	assert_int_equal(same, 277);
	assert_int_equal(pairs, 2555);
	kinds__free(&k);
}

static void add_to_jitmap(void *ctx, uint64_t start, uint64_t size, const char *name,
			  size_t name_len, size_t line_no)
{
	(void)line_no;
	jitmap__add_len(ctx, start, size, name, name_len, 0);
}

static struct jitmap *map_fixture(const char *name, struct perfmap_stats *st)
{
	struct jitmap *m = jitmap__new();
	size_t len = 0;
	char *text = jit_fixture_read(name, &len);

	assert_non_null(text);
	assert_int_equal(perfmap__parse(text, len, add_to_jitmap, m, st), 0);
	free(text);
	jitmap__finalize(m);
	return m;
}

static const char *name_at(const struct jitmap *m, uint64_t addr)
{
	const struct jit_entry *e = jitmap__find(m, addr, UINT64_MAX);

	return e ? e->name : NULL;
}

/* ddprof's adversarial map: runtime_symbol_lookup-ut.cc expects the first pc
 * found (ddprof cuts the name at 300 chars; we keep it whole) and
 * 0xFFFFFFFFFFFFFFFE not found. */
static void test_ddprof_malformed(void **state)
{
	struct perfmap_stats st;
	struct jitmap *m = map_fixture("ddprof-perf-1.map", &st);
	const char *n;

	(void)state;
	assert_int_equal(st.lines, 5);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.bad_lines, 3);
	assert_int_equal(st.first_bad_line, 3);
	n = name_at(m, 0x00007FB06149E6A0);
	assert_non_null(n);
	assert_true(strncmp(n, "int32 [System.Private.CoreLib] System.SpanHelpers::IndexOfSomeText",
			    66) == 0);
	assert_int_equal(strlen(n), 1425 - strlen("00007FB06149E6A0 1b0 "));
	assert_string_equal(name_at(m, 0x00007FB0614A7BE0 + 0x136),
			    "bool [System.Private.CoreLib] System.SpanHelpers::Contains(char&,char,"
			    "int32)[OptimizedTier1]");
	assert_null(name_at(m, 0x00007FB0614A7BE0 + 0x137));
	assert_null(name_at(m, 0xFFFFFFFFFFFFFFFE));
	assert_null(name_at(m, 0xFFFFFFFFFFFFFFFF));
	assert_null(name_at(m, 0x00007FB0614AABE0));
	jitmap__delete(m);
}

static void test_dotnet_maps(void **state)
{
	struct perfmap_stats st;
	struct jitmap *m;
	const char *n;

	(void)state;
	m = map_fixture("ddprof-perf-42.map", &st);
	assert_int_equal(st.entries, 2268);
	assert_int_equal(st.bad_lines, 0);
	n = name_at(m, 0x7FB0614BB980);
	assert_non_null(n);
	assert_non_null(strstr(n, "RuntimeEnvironmentInfo::get_OsPlatform"));
	jitmap__delete(m);

	/* .NET 8, 33206 lines, with [OptimizedTier1OSR] entries. */
	m = map_fixture("ddprof-perf-8.map.gz", &st);
	assert_int_equal(st.lines, 33206);
	assert_int_equal(st.entries, 33206);
	assert_int_equal(st.bad_lines, 0);
	assert_string_equal(
		name_at(m, 0x7fa12f0eac90),
		"instance void [System.Private.CoreLib] System.Runtime.CompilerServices."
		"AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.__Canon,System.Net.Http."
		"HttpConnectionPool+<CreateHttp11ConnectionAsync>d__100]::.ctor()[OptimizedTier1]");
	jitmap__delete(m);

	/* one-collect's PerfMapSymbolReader test: 2435 entries, three exact ones. */
	m = map_fixture("one-collect-dotnet-info.map", &st);
	assert_int_equal(st.entries, 2435);
	assert_int_equal(st.bad_lines, 0);
	{
		const struct jit_entry *e = jitmap__find(m, 0x7F148458E6A0, UINT64_MAX);

		assert_non_null(e);
		assert_true(e->start == 0x7F148458E6A0 && e->size == 0x1B0);
		assert_string_equal(e->name, "int32 [System.Private.CoreLib] "
					     "System.SpanHelpers::IndexOf(char&,char,int32)"
					     "[OptimizedTier1]");
		e = jitmap__find(m, 0x7F1484597400, UINT64_MAX);
		assert_non_null(e);
		assert_true(e->start == 0x7F1484597400 && e->size == 0x121);
		assert_non_null(strstr(e->name, "ASCIIUtility::NarrowUtf16ToAscii(char*,uint8*,"
						"native uint)[Optimized]"));
		e = jitmap__find(m, 0x7F1484F65380 + 0x17d, UINT64_MAX);
		assert_non_null(e);
		assert_true(e->start == 0x7F1484F65380 && e->size == 0x17e);
		assert_non_null(strstr(e->name, "::MoveNext()[QuickJitted]"));
	}
	jitmap__delete(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),	     cmocka_unit_test(test_nul_and_bad_only),
		cmocka_unit_test(test_every_prefix), cmocka_unit_test(test_node20_maps),
		cmocka_unit_test(test_pypy_map),     cmocka_unit_test(test_ddprof_malformed),
		cmocka_unit_test(test_dotnet_maps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
