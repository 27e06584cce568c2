/* The PyPy plugin's PYPYLOG parser (plugins/pypy/pypy_log.c) over real
 * PyPy 7.3.11 captures (FORMATS.md section 3), PyPy's own test logs
 * (peer-data: f.pypylog's jit-summary, logtest.log), and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pypy_log.h"
#include "fixture.h"

struct got {
	unsigned loops, bridges, invalidations, invalidated, longest, summary;
	char first_greenkey[128], field[64], longest_key[128];
	uint64_t first_start, first_end, first_loop_no, last_tsc;
	double tracing_n, tracing_s, total_loops, total_bridges, freed_loops, aborts_too_long;
	int monotonic;
};

static void on_addr(void *ctx, uint64_t tsc, const struct pypy_code_addr *a)
{
	struct got *g = ctx;

	if (tsc < g->last_tsc)
		g->monotonic = 0;
	g->last_tsc = tsc;
	if (a->is_bridge) {
		g->bridges++;
		return;
	}
	if (!g->loops++) {
		snprintf(g->first_greenkey, sizeof(g->first_greenkey), "%.*s", (int)a->greenkey_len,
			 a->greenkey);
		g->first_start = a->start;
		g->first_end = a->end;
		g->first_loop_no = a->loop_no;
	}
}

static void on_inv(void *ctx, uint64_t tsc, const char *f, size_t n, uint64_t count)
{
	struct got *g = ctx;

	(void)tsc;
	g->invalidations++;
	g->invalidated += (unsigned)count;
	snprintf(g->field, sizeof(g->field), "%.*s", (int)n, f);
}

static void on_longest(void *ctx, uint64_t tsc, const char *k, size_t n)
{
	struct got *g = ctx;

	(void)tsc;
	g->longest++;
	snprintf(g->longest_key, sizeof(g->longest_key), "%.*s", (int)n, k);
}

static void on_summary(void *ctx, const char *k, size_t n, const double *v, int nv)
{
	struct got *g = ctx;

#define KEY(s) (n == sizeof(s) - 1 && !memcmp(k, s, n))
	g->summary++;
	if (KEY("Tracing")) {
		assert_int_equal(nv, 2);
		g->tracing_n = v[0];
		g->tracing_s = v[1];
	} else if (KEY("Total # of loops")) {
		g->total_loops = v[0];
	} else if (KEY("Total # of bridges")) {
		g->total_bridges = v[0];
	} else if (KEY("Freed # of loops")) {
		g->freed_loops = v[0];
	} else if (KEY("abort: trace too long")) {
		g->aborts_too_long = v[0];
	}
#undef KEY
}

static struct pypy_log_cb cb_of(struct got *g)
{
	return (struct pypy_log_cb){ .ctx = g,
				     .code_addr = on_addr,
				     .invalidate = on_inv,
				     .longest = on_longest,
				     .summary = on_summary };
}

static void parse_fixture(const char *name, struct got *g, struct pypy_log_stats *st)
{
	size_t len = 0;
	char *buf = fixture_read(name, &len);
	struct pypy_log_cb cb = cb_of(g);

	assert_non_null(buf);
	memset(g, 0, sizeof(*g));
	g->monotonic = 1;
	assert_int_equal(pypy_log__parse(buf, len, &cb, st), 0);
	free(buf);
}

/* FORMATS.md 3.2: the 120-round workload's summary. */
static void test_summary(void **state)
{
	struct got g;
	struct pypy_log_stats st;

	(void)state;
	parse_fixture("pypy/pypy73-jit-summary.log", &g, &st);
	assert_true(g.tracing_n == 2596 && g.tracing_s == 0.613883);
	assert_true(g.total_loops == 236 && g.total_bridges == 2360 && g.freed_loops == 223);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(st.sections, 1);
	assert_int_equal(st.unclosed, 0);
	parse_fixture("pypy/pypy73-jit-summary-trace_limit60.log", &g, &st);
	assert_true(g.aborts_too_long == 4701);
	assert_true(g.total_loops == 61);
}

/* peer-data: PyPy's own f.pypylog (its traceviewer test only loads it):
 * the jit-summary figures the peer README quotes. */
static void test_upstream_f_pypylog(void **state)
{
	struct got g;
	struct pypy_log_stats st;

	(void)state;
	parse_fixture("pypy/pypy-upstream-f.pypylog.gz", &g, &st);
	assert_true(g.tracing_n == 19 && g.tracing_s == 0.387512);
	assert_true(g.total_loops == 10 && g.total_bridges == 9);
	assert_int_equal(st.unclosed, 0);
	assert_int_equal(st.bad_lines, 0);
	parse_fixture("pypy/pypy-upstream-logtest.log", &g, &st);
	assert_true(st.sections > 0);
	assert_int_equal(st.bad_lines, 0);
}

/* FORMATS.md 3.5: loops and bridges with addresses and invalidations that
 * killed code, in a log cut with "### TRUNCATED" marker lines: of the 13
 * "Loop ... has address" lines, the one right after the cut has lost its
 * section's opening and is not read as an address record. */
static void test_backend_addr_and_invalidations(void **state)
{
	struct got g;
	struct pypy_log_stats st;

	(void)state;
	parse_fixture("pypy/pypy73-tracing-abort-invalidate-compiling-backend-addr.log.gz", &g,
		      &st);
	assert_int_equal(g.loops, 12);
	assert_int_equal(g.bridges, 22);
	assert_int_equal(g.first_loop_no, 1);
	assert_string_equal(
		g.first_greenkey,
		"hot_add;/home/dev/tierprof-lab/app/workloads/pypy/workload.py:18-19~#8 "
		"FOR_ITER");
	assert_true(g.first_end > g.first_start);
	assert_true(g.monotonic);
	assert_string_equal(g.field, "mutate__version_tag");
	assert_true(g.invalidations >= 10);
	parse_fixture("pypy/pypy73-invalidate-quasi-immutable.log.gz", &g, &st);
	assert_true(g.invalidations > 0 && g.invalidated >= g.invalidations);
	assert_string_equal(g.field, "mutate__version_tag");
}

static void parse_str(const char *s, struct got *g, struct pypy_log_stats *st, int want)
{
	struct pypy_log_cb cb = cb_of(g);

	memset(g, 0, sizeof(*g));
	assert_int_equal(pypy_log__parse(s, strlen(s), &cb, st), want);
}

static void test_malformed(void **state)
{
	struct got g;
	struct pypy_log_stats st;

	(void)state;
	parse_str("", &g, &st, 0);
	assert_int_equal(st.sections, 0);
	parse_str("hello world\n", &g, &st, -EBADMSG);
	parse_str("\x7f"
		  "ELF\n",
		  &g, &st, -EBADMSG);
	/* Truncated: the section stays open, what was read counts. */
	parse_str("[1a] {jit-backend-addr\nLoop 3 (f;x.py:1-2~#4 FOR_ITER) has address 0x10 to "
		  "0x20 (bootstrap 0x8)\n",
		  &g, &st, 0);
	assert_int_equal(g.loops, 1);
	assert_int_equal(st.unclosed, 1);
	/* Bad lines in decoded categories: counted and skipped. */
	parse_str("[1] {jit-backend-addr\nLoop x (f) has address 0x1 to 0x2\nLoop 3 (f) has "
		  "address 0x20 to 0x10\nbridge out of Guard zz has address 1 to 2\n[2] "
		  "jit-backend-addr}\n[3] {jit-invalidate-quasi-immutable\nfieldname x "
		  "invalidated many\n[4] jit-invalidate-quasi-immutable}\n[5] {jit-summary\nno "
		  "colon here\nTracing: \tabc\nTOTAL:\n[6] jit-summary}\n[7] jit-summary}\nstray\n",
		  &g, &st, 0);
	assert_int_equal(g.loops + g.bridges + g.invalidations + g.summary, 0);
	assert_int_equal(st.bad_lines, 9);
	assert_int_equal(st.first_bad_line, 2);
	/* A greenkey with parentheses, an invalidation of nothing, CRLF, no final newline. */
	parse_str("[1] {jit-backend-addr\r\nLoop 7 (<lambda> (x);a.py:1-1~#0 X) has address "
		  "0x10 to 0x20 (bootstrap 0x8)\r\n[2] jit-backend-addr}\r\n[3] "
		  "{jit-invalidate-quasi-immutable\nfieldname F(a, 'b') invalidated 0\n[4] "
		  "jit-invalidate-quasi-immutable}",
		  &g, &st, 0);
	assert_int_equal(g.loops, 1);
	assert_string_equal(g.first_greenkey, "<lambda> (x);a.py:1-1~#0 X");
	assert_int_equal(g.invalidations, 1);
	assert_int_equal(g.invalidated, 0);
	assert_int_equal(st.bad_lines, 0);
	/* Deep nesting past the parser's stack: balanced, nothing decoded inside. */
	{
		char buf[8192];
		size_t n = 0;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[%x] {jit-summary\n", i);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Tracing: 1 2\n");
		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[%x] jit-summary}\n", i);
		parse_str(buf, &g, &st, 0);
		assert_int_equal(st.unclosed, 0);
		assert_int_equal(st.bad_lines, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_upstream_f_pypylog),
		cmocka_unit_test(test_backend_addr_and_invalidations),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
