/* The collapsed-stack parser (core/capture/collapsed.c): the real
 * async-profiler and FlameGraph files of tests/fixtures/folded (counts and
 * annotations as grep counts them), the line grammar's edges, and malformed
 * input with the line it is on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "capture/collapsed.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	size_t stacks, frames, by_ann[256];
	uint64_t total;
	char first[256];
	size_t depth_max;
};

static int on_stack(void *ctx, const struct collapsed_frame *f, size_t n, uint64_t count,
		    size_t line_no)
{
	struct seen *s = ctx;

	(void)line_no;
	if (!s->stacks++)
		snprintf(s->first, sizeof(s->first), "%.*s/%c", (int)f[0].len, f[0].name,
			 f[0].ann ? f[0].ann : '-');
	for (size_t i = 0; i < n; i++)
		s->by_ann[(unsigned char)f[i].ann]++;
	s->frames += n;
	s->total += count;
	if (n > s->depth_max)
		s->depth_max = n;
	return 0;
}

static void parse_fixture(const char *name, struct seen *s, struct collapsed_stats *st)
{
	size_t len = 0;
	char *text = fixture_read(name, &len);

	assert_non_null(text);
	memset(s, 0, sizeof(*s));
	assert_int_equal(collapsed__parse(text, len, on_stack, s, st), 0);
	free(text);
}

/* async-profiler's sample1: 17 stacks, 185 samples; 93 _[j] and 25 _[i]. */
static void test_async_profiler(void **state)
{
	struct seen s;
	struct collapsed_stats st;

	(void)state;
	parse_fixture("folded/async-profiler-sample1.collapsed", &s, &st);
	assert_int_equal(s.stacks, 17);
	assert_int_equal(s.total, 185);
	assert_int_equal(s.by_ann['j'], 93);
	assert_int_equal(s.by_ann['i'], 25);
	assert_int_equal(st.annotated, 118);
	assert_string_equal(s.first, "BusyClient.run/j");
	assert_int_equal(st.error_line, 0);
}

/* FlameGraph --all: _[k] and _[j]; perf-dd counts are periods (10101010). */
static void test_flamegraph(void **state)
{
	struct seen s;
	struct collapsed_stats st;

	(void)state;
	parse_fixture("folded/perf-java-stacks-01-collapsed-all.txt", &s, &st);
	assert_int_equal(s.stacks, 33);
	assert_int_equal(s.total, 45);
	assert_true(s.by_ann['k'] > 0 && s.by_ann['j'] > 0);
	assert_int_equal(s.by_ann['0'] + s.by_ann['1'] + s.by_ann['i'], 0);
	parse_fixture("folded/perf-dd-stacks-01-collapsed-all.txt", &s, &st);
	assert_int_equal(s.total, 101010100);
	parse_fixture("folded/inferno-java-inline-collapsed.txt", &s, &st);
	assert_true(s.by_ann['i'] > 0);
}

static int parse(const char *text, struct seen *s, struct collapsed_stats *st)
{
	memset(s, 0, sizeof(*s));
	return collapsed__parse(text, strlen(text), on_stack, s, st);
}

static void test_grammar(void **state)
{
	struct seen s;
	struct collapsed_stats st;

	(void)state;
	/* Names with blanks (C++ signatures), count after the last blank, CRLF,
	 * a BOM, blank lines, trailing blanks, no final newline. */
	assert_int_equal(parse("\xef\xbb\xbfoperator new(unsigned long);a b_[j] 7\r\n\n"
			       "x\t 2  \nlast 1",
			       &s, &st),
			 0);
	assert_int_equal(s.stacks, 3);
	assert_int_equal(s.total, 10);
	assert_string_equal(s.first, "operator new(unsigned long)/-");
	assert_int_equal(s.by_ann['j'], 1);
	/* Unknown or partial suffixes stay part of the name, and so does a
	 * suffix with no name before it. */
	assert_int_equal(parse("f_[x];g_[];h[j];_[k];k_[k] 1\n", &s, &st), 0);
	assert_int_equal(s.by_ann[0], 4);
	assert_int_equal(s.by_ann['k'], 1);
	/* Empty frames are reported with len 0, not refused. */
	assert_int_equal(parse("a;;b 1\na; 2\n", &s, &st), 0);
	assert_int_equal(s.frames, 5);
	/* Counts of 0 are stacks too. */
	assert_int_equal(parse("a 0\n", &s, &st), 0);
	assert_int_equal(s.stacks, 1);
	assert_int_equal(parse("", &s, &st), 0);
	assert_int_equal(s.stacks, 0);
}

static void expect_error(const char *text, size_t line, const char *what)
{
	struct seen s;
	struct collapsed_stats st;

	assert_int_equal(parse(text, &s, &st), TP_ERR_BAD_FORMAT);
	assert_int_equal(st.error_line, line);
	if (!strstr(st.error, what))
		fail_msg("error \"%s\" does not say \"%s\"", st.error, what);
}

static void test_malformed(void **state)
{
	char *deep;
	size_t n = 0;

	(void)state;
	expect_error("a;b 3\nc;d three\n", 2, "count \"three\" is not a whole number");
	expect_error("a;b 1.5\n", 1, "not a whole number");
	expect_error("a;b -4\n", 1, "not a whole number");
	expect_error("ok 1\nnocount\n", 2, "no count");
	expect_error("ok 1\n\n\n 7\n", 4, "no frames before the count");
	expect_error("a 1000000000000001\n", 1, "count larger than");
	expect_error("a 99999999999999999999999\n", 1, "count larger than");
	{
		static const char nul[] = "a 1\nb\0c 2\n";
		struct seen s;
		struct collapsed_stats st;

		memset(&s, 0, sizeof(s));
		assert_int_equal(collapsed__parse(nul, sizeof(nul) - 1, on_stack, &s, &st),
				 TP_ERR_BAD_FORMAT);
		assert_int_equal(st.error_line, 2);
		assert_int_equal(s.stacks, 1); /* the lines before were handed over */
	}
	/* Deeper than a sample record can hold. */
	deep = malloc(2 * (COLLAPSED_MAX_DEPTH + 1) + 8);
	for (int i = 0; i <= COLLAPSED_MAX_DEPTH; i++) {
		deep[n++] = 'f';
		deep[n++] = i < COLLAPSED_MAX_DEPTH ? ';' : ' ';
	}
	memcpy(deep + n, "1\n", 3);
	expect_error(deep, 1, "deeper than");
	free(deep);
}

static int stop_at_two(void *ctx, const struct collapsed_frame *f, size_t n, uint64_t count,
		       size_t line_no)
{
	(void)ctx, (void)f, (void)n, (void)count;
	return line_no == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
	struct collapsed_stats st;

	(void)state;
	assert_int_equal(collapsed__parse("a 1\nb 2\nc 3\n", 12, stop_at_two, NULL, &st), 42);
	assert_int_equal(st.stacks, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_async_profiler), cmocka_unit_test(test_flamegraph),
		cmocka_unit_test(test_grammar),	       cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
