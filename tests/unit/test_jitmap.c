/* Unit tests for core/symbol/jitmap.c: the resolution rule on hand-made
 * cases, a brute-force oracle on random and pathological tables, and the real
 * address reuse of Node's churn map and PyPy's hook map (DESIGN §6a.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "symbol/jitmap.h"
#include "symbol/perfmap.h"
#include "util/err.h"

#include "jit_fixture.h"

/* The rule of jitmap.h, by a linear scan over every entry. */
static const struct jit_entry *oracle(const struct jitmap *m, size_t n, uint64_t addr, uint64_t t)
{
	const struct jit_entry *best = NULL, *first = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct jit_entry *e = jitmap__at(m, i);

		if (!e->size || addr < e->start || addr - e->start >= e->size)
			continue;
		if (e->time_ns <= t && (!best || e->time_ns >= best->time_ns))
			best = e; /* seq grows with i: ties go to the later one */
		if (!first || e->time_ns < first->time_ns)
			first = e;
	}
	return best ? best : first;
}

static void check(const struct jitmap *m, uint64_t addr, uint64_t t)
{
	const struct jit_entry *want = oracle(m, jitmap__count(m), addr, t);
	const struct jit_entry *got = jitmap__find(m, addr, t);

	if (got != want)
		fail_msg("addr 0x%llx t %llu: got seq %ld, want seq %ld", (unsigned long long)addr,
			 (unsigned long long)t, got ? (long)got->seq : -1L,
			 want ? (long)want->seq : -1L);
}

static const char *name_at(const struct jitmap *m, uint64_t addr, uint64_t t)
{
	const struct jit_entry *e = jitmap__find(m, addr, t);

	return e ? e->name : NULL;
}

static void test_disjoint(void **state)
{
	struct jitmap *m = jitmap__new();

	(void)state;
	jitmap__add(m, 0x2000, 0x100, "b", 0);
	jitmap__add(m, 0x1000, 0x100, "a", 0);
	jitmap__add(m, 0x1100, 0x80, "a2", 0); /* adjacent: end is exclusive */
	jitmap__add(m, 0x3000, 0, "zero", 0);
	jitmap__add(m, 0x4000, 0x10, NULL, 0);
	assert_null(jitmap__find(m, 0x1000, 0)); /* not finalized yet */
	jitmap__finalize(m);
	assert_int_equal(jitmap__count(m), 5);
	assert_string_equal(name_at(m, 0x1000, 0), "a");
	assert_string_equal(name_at(m, 0x10ff, 0), "a");
	assert_string_equal(name_at(m, 0x1100, 0), "a2");
	assert_string_equal(name_at(m, 0x117f, 0), "a2");
	assert_null(name_at(m, 0x1180, 0));
	assert_null(name_at(m, 0xfff, 0));
	assert_string_equal(name_at(m, 0x20ff, UINT64_MAX), "b");
	assert_null(name_at(m, 0x2100, 0));
	assert_null(name_at(m, 0x3000, 0)); /* zero size covers nothing */
	assert_string_equal(name_at(m, 0x4000, 0), "");
	assert_null(name_at(m, 0, 0));
	assert_null(name_at(m, UINT64_MAX, 0));
	assert_int_equal(jitmap__at(m, 1)->seq, 1);
	assert_string_equal(jitmap__at(m, 1)->name, "a");
	assert_null(jitmap__at(m, 5));

	/* Entries added after __finalize appear with the next one. */
	jitmap__add(m, 0x5000, 0x10, "late", 0);
	assert_null(name_at(m, 0x5000, 0));
	assert_string_equal(name_at(m, 0x1000, 0), "a");
	jitmap__finalize(m);
	assert_string_equal(name_at(m, 0x5008, 0), "late");
	jitmap__delete(m);
	jitmap__delete(NULL);

	/* Empty and all-zero-size tables. */
	m = jitmap__new();
	jitmap__finalize(m);
	assert_null(jitmap__find(m, 0, 0));
	jitmap__add(m, 0x10, 0, "z", 0);
	jitmap__finalize(m);
	assert_null(jitmap__find(m, 0x10, 0));
	jitmap__delete(m);
}

static void test_time_rule(void **state)
{
	struct jitmap *m = jitmap__new();

	(void)state;
	jitmap__add(m, 100, 100, "A", 10); /* [100, 200) from t=10 */
	jitmap__add(m, 150, 100, "B", 20); /* [150, 250) from t=20: partly over A */
	jitmap__add(m, 150, 100, "C", 20); /* same range and time: later seq wins */
	jitmap__add(m, 100, 10, "D", 5);   /* appended late, but valid earliest */
	jitmap__finalize(m);

	assert_string_equal(name_at(m, 120, 15), "A");
	assert_string_equal(name_at(m, 160, 15), "A");
	assert_string_equal(name_at(m, 160, 20), "C");
	assert_string_equal(name_at(m, 160, 25), "C");
	assert_string_equal(name_at(m, 120, 25), "A"); /* B/C do not reach 120 */
	assert_string_equal(name_at(m, 105, 7), "D");
	assert_string_equal(name_at(m, 105, 10), "A"); /* A written after D */
	/* Nothing valid yet: the earliest covering entry. */
	assert_string_equal(name_at(m, 105, 0), "D");
	assert_string_equal(name_at(m, 160, 0), "A");
	assert_string_equal(name_at(m, 220, 0), "B");
	assert_string_equal(name_at(m, 220, 19), "B");
	assert_int_equal(jitmap__find(m, 220, 19)->time_ns, 20); /* the fallback shows */
	for (uint64_t a = 90; a < 260; a++)
		for (uint64_t t = 0; t < 30; t++)
			check(m, a, t);
	jitmap__delete(m);

	/* No timestamps: the last appended covering entry, for every time. */
	m = jitmap__new();
	jitmap__add(m, 0x100, 0x100, "old", 0);
	jitmap__add(m, 0x180, 0x100, "new", 0);
	jitmap__finalize(m);
	assert_string_equal(name_at(m, 0x1a0, 0), "new");
	assert_string_equal(name_at(m, 0x1a0, UINT64_MAX), "new");
	assert_string_equal(name_at(m, 0x120, 0), "old");
	jitmap__delete(m);
}

static void test_move(void **state)
{
	struct jitmap *m = jitmap__new();
	const struct jit_entry *e;

	(void)state;
	jitmap__add(m, 0x1000, 0x40, "f", 1);
	jitmap__add(m, 0x1000, 0x40, "g", 2); /* reuse: moves take the last one */
	assert_int_equal(jitmap__move(m, 0x1000, 0x9000, 0, 5), 0);
	assert_int_equal(jitmap__move(m, 0x9000, 0xa000, 0x20, 6), 0);
	assert_int_equal(jitmap__move(m, 0x5000, 0x6000, 0, 7), TP_ERR_NOT_FOUND);
	jitmap__finalize(m);
	assert_int_equal(jitmap__count(m), 4);
	e = jitmap__find(m, 0x9000, 5);
	assert_non_null(e);
	assert_string_equal(e->name, "g");
	assert_true(e->size == 0x40 && e->time_ns == 5);
	assert_string_equal(name_at(m, 0xa01f, 6), "g");
	assert_null(name_at(m, 0xa020, 6));
	assert_string_equal(name_at(m, 0x1000, 1), "f");
	assert_string_equal(name_at(m, 0x1000, 9), "g"); /* the old range stays */
	jitmap__delete(m);
}

static void test_clip(void **state)
{
	struct jitmap *m = jitmap__new();

	(void)state;
	jitmap__add(m, UINT64_MAX - 0xf, 0x100, "top", 0);
	jitmap__finalize(m);
	assert_int_equal(jitmap__at(m, 0)->size, 0xf);
	assert_string_equal(name_at(m, UINT64_MAX - 1, 0), "top");
	assert_null(name_at(m, UINT64_MAX, 0));
	jitmap__delete(m);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(uint64_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? rng_state % n : 0;
}

/* Small address and time universes, so that overlaps and ties abound. */
static void test_random_vs_oracle(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		struct jitmap *m = jitmap__new();
		size_t n = 1 + rnd(round < 100 ? 40 : 400);
		uint64_t span = 64 + rnd(4096), tmax = 1 + rnd(round % 3 ? 64 : 1);
		char name[32];

		for (int phase = 0; phase < 2; phase++) {
			for (size_t i = 0; i < n; i++) {
				snprintf(name, sizeof(name), "f%zu.%d", i, phase);
				if (rnd(16) == 0 && jitmap__count(m))
					jitmap__move(m, jitmap__at(m, rnd(jitmap__count(m)))->start,
						     rnd(span), rnd(3) * rnd(64), rnd(tmax));
				else
					jitmap__add(m, rnd(span), rnd(4) ? rnd(span / 4) : 0, name,
						    rnd(tmax));
			}
			jitmap__finalize(m);
			for (int q = 0; q < 400; q++)
				check(m, rnd(span + 8), rnd(3) ? rnd(tmax + 2) : UINT64_MAX);
		}
		jitmap__delete(m);
	}
}

/* Stacked reuse and deep nesting: correct, and cheap in memory. */
static void test_pathological(void **state)
{
	enum { N = 20000 };
	struct jitmap *m = jitmap__new();

	(void)state;
	for (uint64_t i = 0; i < N; i++)
		jitmap__add(m, 0x10000, 0x100, "same", i);
	for (uint64_t i = 0; i < N; i++)
		jitmap__add(m, 0x100000 + i, 2 * (N - i), "nest", N - i);
	jitmap__finalize(m);
	assert_int_equal(jitmap__find(m, 0x10080, 1234)->seq, 1234);
	assert_int_equal(jitmap__find(m, 0x10080, UINT64_MAX)->seq, N - 1);
	/* The outermost nest entry was written last (time N). */
	assert_int_equal(jitmap__find(m, 0x100000 + N - 1, UINT64_MAX)->seq, N);
	assert_int_equal(jitmap__find(m, 0x100000 + N - 1, 1)->seq, 2 * N - 1);
	assert_int_equal(jitmap__find(m, 0x100000 + 10, 5)->seq, N + 10); /* fallback */
	for (int q = 0; q < 200; q++) {
		check(m, 0x10000 + rnd(0x110), rnd(N + 10));
		check(m, 0x100000 + rnd(2 * N + 10), rnd(N + 10));
	}
	jitmap__delete(m);
}

struct fill {
	struct jitmap *m;
	size_t lines;
};

/* Line number as the time: the order in which the runtime wrote the map. */
static void add_by_line(void *ctx, uint64_t start, uint64_t size, const char *name, size_t name_len,
			size_t line_no)
{
	struct fill *f = ctx;

	jitmap__add_len(f->m, start, size, name, name_len, line_no);
	f->lines = line_no;
}

static struct jitmap *map_by_line(const char *fixture, size_t *lines)
{
	struct fill f = { .m = jitmap__new() };
	size_t len = 0;
	char *text = jit_fixture_read(fixture, &len);

	assert_non_null(text);
	assert_int_equal(perfmap__parse(text, len, add_by_line, &f, NULL), 0);
	free(text);
	jitmap__finalize(f.m);
	*lines = f.lines;
	return f.m;
}

/* Every entry, at its own time and around it, against the oracle. */
static void check_all_entries(const struct jitmap *m, size_t lines)
{
	for (size_t i = 0; i < jitmap__count(m); i++) {
		const struct jit_entry *e = jitmap__at(m, i);
		uint64_t addrs[] = { e->start, e->start + e->size / 2, e->start + e->size - 1 };
		uint64_t times[] = { 0, e->time_ns - 1, e->time_ns, lines };

		for (size_t a = 0; a < 3; a++)
			for (size_t t = 0; t < 4; t++)
				check(m, addrs[a], times[t]);
		/* At its own time an entry owns its start (the file has no
		 * zero sizes): what the runtime just wrote is what runs. */
		assert_ptr_equal(jitmap__find(m, e->start, e->time_ns), e);
	}
}

static void test_node20_churn(void **state)
{
	size_t lines;
	struct jitmap *m = map_by_line("node20-perf-basic-prof-churn-addr-reuse.map", &lines);
	const uint64_t a = 0x7f0db8007100;
	const struct jit_entry *e;

	(void)state;
	assert_int_equal(lines, 3947);
	/* FORMATS.md §1.1: 7f0db8007100 carried JS:^ :1:20 (line 2332), then
	 * JS:* .../churn.js:1:1 (line 2412), then JS:* :1:20 (2706 on). */
	e = jitmap__find(m, a, 2332);
	assert_string_equal(e->name, "JS:^ :1:20");
	assert_true(e->size == 0x50);
	assert_string_equal(name_at(m, a + 0x4f, 2411), "JS:^ :1:20");
	assert_string_equal(name_at(m, a, 2412),
			    "JS:* /home/dev/tierprof-lab/app/workloads/churn.js:1:1");
	assert_string_equal(name_at(m, a + 0x800, 2705),
			    "JS:* /home/dev/tierprof-lab/app/workloads/churn.js:1:1");
	e = jitmap__find(m, a, 2706);
	assert_string_equal(e->name, "JS:* :1:20");
	assert_true(e->size == 0x110);
	assert_string_equal(name_at(m, a, 3671), "JS:* :1:20");
	assert_string_equal(name_at(m, a, 3672), "JS:^ :1:20"); /* Sparkplug again */
	assert_string_equal(name_at(m, a, UINT64_MAX), "JS:* :1:20");
	/* Before the first entry there: the earliest (the first writer). */
	assert_string_equal(name_at(m, a, 1), "JS:^ :1:20");
	/* A plain map (no times) can only say "last entry": JS:* :1:20. */
	check_all_entries(m, lines);
	jitmap__delete(m);
}

static void test_pypy_reuse(void **state)
{
	size_t lines;
	struct jitmap *m = map_by_line("pypy-perf-map-from-compile-hook.map", &lines);

	(void)state;
	assert_int_equal(lines, 2597);
	/* .overlaps.txt: 7fc14323e8c0+190 written at lines 1104 and 1811. */
	assert_string_equal(name_at(m, 0x7fc14323e8c0, 1104),
			    "pypy:bridge out of Guard 0x7fc142edf190 in None");
	assert_string_equal(name_at(m, 0x7fc14323e8c0, 1811),
			    "pypy:bridge out of Guard 0x7fc143036698 in None");
	check_all_entries(m, lines);
	jitmap__delete(m);
}

static void test_node20_runhot(void **state)
{
	size_t lines;
	struct jitmap *m = map_by_line("node20-perf-basic-prof.map", &lines);

	(void)state;
	/* No reuse in the steady workload: every time gives the same answer. */
	assert_string_equal(name_at(m, 0x7fd8867c6e40 + 0x100, UINT64_MAX),
			    "JS:*runHot /home/dev/tierprof-lab/app/workloads/workload.js:12:16");
	assert_string_equal(name_at(m, 0x7fd8867c5b80, 0),
			    "JS:^runHot /home/dev/tierprof-lab/app/workloads/workload.js:12:16");
	assert_string_equal(name_at(m, 0x18c4000, 0), "Builtin:DeoptimizationEntry_Eager");
	assert_null(name_at(m, 0x7fd8867c6e40 + 0x2bc + 0x100000000ULL, 0));
	jitmap__delete(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_time_rule),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_random_vs_oracle),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_node20_churn),
		cmocka_unit_test(test_pypy_reuse),
		cmocka_unit_test(test_node20_runhot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
