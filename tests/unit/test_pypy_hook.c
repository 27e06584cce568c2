/* The PyPy plugin's startup-hook file and bundle parsers
 * (plugins/pypy/pypy_hook.c) over a real run's bundle and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pypy_hook.h"
#include "fixture.h"

struct got {
	unsigned starts, codes, loops, bridges, aborts, ends;
	char func[64], file[128], reason[64], driver[64];
	uint64_t line, firstline, addr, len;
};

static void on_start(void *ctx, uint64_t t, uint64_t pid)
{
	(void)t;
	(void)pid;
	((struct got *)ctx)->starts++;
}

static void on_code(void *ctx, const struct pypy_hook_code *c)
{
	struct got *g = ctx;

	g->codes++;
	g->loops += c->kind == PYPY_LOOP;
	g->bridges += c->kind == PYPY_BRIDGE;
	if (g->codes == 1) {
		snprintf(g->func, sizeof(g->func), "%.*s", (int)c->where.func_len, c->where.func);
		snprintf(g->file, sizeof(g->file), "%.*s", (int)c->where.file_len, c->where.file);
		snprintf(g->driver, sizeof(g->driver), "%.*s", (int)c->where.driver_len,
			 c->where.driver ? c->where.driver : "");
		g->line = c->where.line;
		g->firstline = c->where.firstline;
		g->addr = c->addr;
		g->len = c->len;
	}
}

static void on_abort(void *ctx, uint64_t t, const char *r, size_t n, const struct pypy_where *w)
{
	struct got *g = ctx;

	(void)t;
	(void)w;
	g->aborts++;
	snprintf(g->reason, sizeof(g->reason), "%.*s", (int)n, r);
}

static void on_end(void *ctx, uint64_t t)
{
	(void)t;
	((struct got *)ctx)->ends++;
}

static int parse_hook(const char *s, size_t len, struct got *g, struct pypy_hook_stats *st)
{
	struct pypy_hook_cb cb = {
		.ctx = g, .start = on_start, .code = on_code, .abort = on_abort, .end = on_end
	};

	memset(g, 0, sizeof(*g));
	return pypy_hook__parse(s, len, &cb, st);
}

/* A real steady run: one loop and one bridge of hot_sum. */
static void test_real_bundle(void **state)
{
	size_t len = 0, bad;
	char *buf = fixture_read("pypy/pypy73-steady.bundle", &len);
	struct pypy_bundle b;
	struct pypy_hook_stats st;
	struct got g;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(pypy_bundle__parse(buf, len, &b, &bad), 0);
	assert_non_null(b.hook);
	assert_non_null(b.pypylog);
	assert_int_equal(b.nclocks, 0);
	assert_int_equal(parse_hook(b.hook, b.hook_len, &g, &st), 0);
	assert_int_equal(g.starts, 1);
	assert_int_equal(g.ends, 1);
	assert_int_equal(g.loops, 1);
	assert_int_equal(g.bridges, 1);
	assert_int_equal(st.bad_lines, 0);
	assert_string_equal(g.func, "hot_sum");
	assert_string_equal(g.file, "/src/tests/workloads/pypy/steady.py");
	assert_int_equal(g.firstline, 6);
	assert_int_equal(g.line, 8);
	assert_int_equal(g.len, 0x1b5);
	assert_memory_equal(b.pypylog, "[", 1);
	free(buf);

	/* 841 loops of scaled_sum, each thrown away by a class write. */
	buf = fixture_read("pypy/pypy73-invalidate.bundle.gz", &len);
	assert_non_null(buf);
	assert_int_equal(pypy_bundle__parse(buf, len, &b, &bad), 0);
	assert_int_equal(parse_hook(b.hook, b.hook_len, &g, &st), 0);
	assert_int_equal(g.loops, 841);
	assert_int_equal(st.bad_lines, 0);
	free(buf);
}

static void test_hook_records(void **state)
{
	static const char text[] =
		"# tierprof-pypy-hook 1\n"
		"S 10 42\n"
		"L 11 loop 7f00 10 1 driver|list__do_extend_from_iterable: no debug_print\n"
		"A 12 ABORT_TOO_LONG f|a b.py|3|4|8\n"
		"L 13 entry 8f00 20 2 g||5||\n"			/* empty file and line */
		"L 14 bridge 9f00 0 7f1 f|a.py|1|1|0\n"		/* empty code */
		"L 15 loop ffffffffffffffff 2 1 f|a.py|1|1|0\n" /* wraps */
		"L 16 trampoline 1 1 1 f|a.py|1|1|0\n"
		"L 17 loop 1 1 1 f|a.py|x|1|0\n"
		"L 18 loop 1 1 1 f|a.py|1|1|0|extra\n"
		"A 19  f|a.py|1|1|0\n"
		"Q 1\n"
		"E 20 trailing\n"
		"S\n"
		"E 21";
	struct pypy_hook_stats st;
	struct got g;

	(void)state;
	assert_int_equal(parse_hook(text, sizeof(text) - 1, &g, &st), 0);
	assert_int_equal(g.codes, 2);
	assert_string_equal(g.driver, "list__do_extend_from_iterable: no debug_print");
	assert_string_equal(g.func, "");
	assert_int_equal(g.aborts, 1);
	assert_string_equal(g.reason, "ABORT_TOO_LONG");
	assert_int_equal(g.ends, 1); /* the last line has no newline */
	assert_int_equal(st.bad_lines, 9);
	assert_int_equal(st.first_bad_line, 6);
	assert_int_equal(parse_hook("S 1 2\n", 6, &g, &st), -EBADMSG);
	assert_int_equal(parse_hook("", 0, &g, &st), -EBADMSG);
}

static void test_bundle_malformed(void **state)
{
	static const char good[] = "tierprof-pypy-bundle 1\nclock 1 2\nclock 3 4\n"
				   "part other 2\nxy\npart hook 3\nabc\n";
	struct pypy_bundle b;
	size_t bad;

	(void)state;
	assert_int_equal(pypy_bundle__parse(good, sizeof(good) - 1, &b, &bad), 0);
	assert_int_equal(b.nclocks, 2);
	assert_int_equal(b.clocks[1].mono_ns, 4);
	assert_int_equal(b.hook_len, 3);
	assert_memory_equal(b.hook, "abc", 3);
	assert_null(b.pypylog);

	assert_int_equal(pypy_bundle__parse("", 0, &b, &bad), -EBADMSG);
	assert_int_equal(pypy_bundle__parse("tierprof-pypy-bundle 2\n", 23, &b, &bad), -EBADMSG);
	/* A part longer than the file: refused, with the offset of its line. */
	assert_int_equal(
		pypy_bundle__parse("tierprof-pypy-bundle 1\npart hook 99\nabc\n", 40, &b, &bad),
		-EBADMSG);
	assert_int_equal(bad, 23);
	/* A part that ends the file without its closing newline (found by the fuzzer). */
	assert_int_equal(
		pypy_bundle__parse("tierprof-pypy-bundle 1\npart hook 3\nabc", 38, &b, &bad),
		-EBADMSG);
	/* A part not followed by its newline. */
	assert_int_equal(
		pypy_bundle__parse("tierprof-pypy-bundle 1\npart hook 2\nabc\n", 39, &b, &bad),
		-EBADMSG);
	assert_int_equal(pypy_bundle__parse("tierprof-pypy-bundle 1\nclock 1\n", 31, &b, &bad),
			 -EBADMSG);
	assert_int_equal(pypy_bundle__parse("tierprof-pypy-bundle 1\nclock 1 2", 32, &b, &bad),
			 -EBADMSG);
	assert_int_equal(pypy_bundle__parse("tierprof-pypy-bundle 1\nwhat\n", 28, &b, &bad),
			 -EBADMSG);
	assert_int_equal(
		pypy_bundle__parse("tierprof-pypy-bundle 1\npart hook 99999999999999999999\n", 53,
				   &b, &bad),
		-EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_bundle),
		cmocka_unit_test(test_hook_records),
		cmocka_unit_test(test_bundle_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
