/* Unit tests for plugins/hotspot/hs_printcomp.c over the real PrintCompilation
 * captures (FORMATS.md 2.1; tests/fixtures/hotspot): JDK 17 stdout, JDK 25
 * stdout (reasons after "made not entrant"), JDK 17 -Xlog:jit+compilation
 * with decorations, the COMPILE SKIPPED line, and malformed lines. Expected
 * counts come from grep -E over the same files with FORMATS.md's regex
 *   R='^\s*[0-9]+\s+[0-9]+ [%s!bn ]{5} [0-4-]\s+\S+( @ [0-9]+)? \(([0-9]+ bytes|native)\)'
 * (grep -cE "$R" = all; "$R\s*$" = plain compiles; "$R\s+made not entrant"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_printcomp.h"
#include "fixture.h"

struct tally {
	size_t osr, level4, native, with_mono, calls;
	size_t why_marked, why_trap, why_not_used, why_osr_inval;
	unsigned last_line;
	int stop_at;
};

static int has_why(const struct hs_pc_line *l, const char *s)
{
	return l->why_len == strlen(s) && !memcmp(l->why, s, l->why_len);
}

static int on_line(void *ctx, const struct hs_pc_line *l)
{
	struct tally *t = ctx;

	assert_true(l->line_no > t->last_line);
	t->last_line = l->line_no;
	assert_non_null(l->method);
	assert_non_null(memchr(l->method, ':', l->method_len));
	t->osr += !!(l->flags & HS_PC_OSR);
	t->level4 += l->level == 4;
	t->native += !!(l->flags & HS_PC_NATIVE);
	t->with_mono += l->mono_ns != 0;
	if (l->msg == HS_PC_MSG_NOT_ENTRANT) {
		t->why_marked += has_why(l, "marked for deoptimization");
		t->why_trap += has_why(l, "uncommon trap");
		t->why_not_used += has_why(l, "not used");
		t->why_osr_inval += has_why(l, "OSR invalidation of lower level");
	}
	return ++t->calls == (size_t)t->stop_at ? 5 : 0;
}

static void test_jdk17_stdout(void **state)
{
	size_t len = 0;
	char *buf = fixture_read("hotspot/jdk17-printcompilation.log.gz", &len);
	struct hs_pc_stats st;
	struct tally t = { 0 };

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_pc__parse(buf, len, on_line, &t, &st), 0);
	assert_int_equal(st.lines, 2475);
	assert_int_equal(st.compiles, 1293);	/* grep -E "$R\s*$" */
	assert_int_equal(st.not_entrant, 1143); /* grep -E "$R\s+made not entrant" */
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.other_msgs, 38); /* "(static)" after native wrappers */
	assert_int_equal(st.other_lines, 1); /* the program's "acc ..." */
	assert_int_equal(t.calls, 2474);     /* grep -cE "$R" */
	assert_int_equal(t.osr, 813);	     /* grep -E '^\s*[0-9]+\s+[0-9]+ %' */
	assert_int_equal(t.level4, 2253);    /* grep -E '^\s*[0-9]+\s+[0-9]+ [%s!bn ]{5} 4' */
	assert_int_equal(t.with_mono, 0);
	assert_false(st.truncated);
	/* The walk stops where the callback says. */
	t = (struct tally){ .stop_at = 10 };
	assert_int_equal(hs_pc__parse(buf, len, on_line, &t, NULL), 5);
	assert_int_equal(t.calls, 10);
	free(buf);
}

static void test_jdk25_reasons(void **state)
{
	size_t len = 0;
	char *buf = fixture_read("hotspot/jdk25-BONUS-printcompilation.log.gz", &len);
	struct hs_pc_stats st;
	struct tally t = { 0 };

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_pc__parse(buf, len, on_line, &t, &st), 0);
	assert_int_equal(st.compiles, 563);
	assert_int_equal(st.not_entrant, 420);
	assert_int_equal(st.other_lines, 2); /* two "### TRUNCATED" markers */
	assert_int_equal(t.osr, 295);
	assert_int_equal(t.level4, 806);
	/* grep -c "made not entrant: <why>$" */
	assert_int_equal(t.why_marked, 385);
	assert_int_equal(t.why_trap, 8);
	assert_int_equal(t.why_not_used, 23);
	assert_int_equal(t.why_osr_inval, 4);
	free(buf);
}

static void test_xlog_decorations(void **state)
{
	size_t len = 0;
	char *buf = fixture_read("hotspot/jdk17-xlog-jit-compilation-head.log", &len);
	struct hs_pc_stats st;
	struct tally t = { 0 };
	struct hs_pc_line l;
	const char *nl;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_pc__parse(buf, len, on_line, &t, &st), 0);
	assert_int_equal(st.lines, 300);
	assert_int_equal(st.compiles, 199);
	assert_int_equal(st.not_entrant, 76);
	assert_int_equal(st.other_lines, 0);
	assert_int_equal(t.with_mono, 300);
	nl = strchr(buf, '\n');
	assert_int_equal(hs_pc__parse_line(buf, (size_t)(nl - buf), &l), 0);
	/* [4852868280731ns][28061554ns][32516]    1       3       java.lang.Object::<init> (1 bytes) */
	assert_true(l.mono_ns == 4852868280731ull);
	assert_true(l.uptime_ns == 28061554ull);
	assert_int_equal(l.compile_id, 1);
	assert_int_equal(l.level, 3);
	assert_int_equal(l.bytes, 1);
	free(buf);
}

static void test_lines(void **state)
{
	struct hs_pc_line l;
	const char *s;

	(void)state;
	s = "     44  111 %     3       Workload::runHot @ 2 (21 bytes)";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_true(l.uptime_ns == 44000000ull && l.has_uptime && !l.mono_ns);
	assert_int_equal(l.compile_id, 111);
	assert_int_equal(l.flags, HS_PC_OSR);
	assert_int_equal(l.level, 3);
	assert_int_equal(l.method_len, strlen("Workload::runHot"));
	assert_memory_equal(l.method, "Workload::runHot", l.method_len);
	assert_int_equal(l.osr_bci, 2);
	assert_int_equal(l.bytes, 21);
	assert_int_equal(l.msg, HS_PC_MSG_NONE);

	s = "     23    4     n 0       jdk.internal.misc.Unsafe::getReferenceVolatile (native)   ";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_int_equal(l.flags, HS_PC_NATIVE);
	assert_int_equal(l.level, 0);
	assert_int_equal(l.bytes, -1);

	s = "     52  120   !   3       java.lang.ref.ReferenceQueue::poll (28 bytes)";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_int_equal(l.flags, HS_PC_EXCEPTION_HANDLER);

	s = "   2669 1261       4       Workload::indyLoop (27 bytes)   COMPILE SKIPPED: call site "
	    "target change";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_int_equal(l.msg, HS_PC_MSG_SKIPPED);
	assert_int_equal(l.why_len, strlen("call site target change"));
	assert_int_equal(l.uptime_ns, 2669000000ull);

	s = "16    2       3       java.lang.Byte::toUnsignedInt (6 bytes)   made not entrant: not "
	    "used";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_int_equal(l.compile_id, 2);
	assert_int_equal(l.msg, HS_PC_MSG_NOT_ENTRANT);
	assert_true(has_why(&l, "not used"));

	/* A level of '-' and a CRLF ending. */
	s = "    100    7  s    -       A::b (3 bytes)   made zombie\r";
	assert_int_equal(hs_pc__parse_line(s, strlen(s), &l), 0);
	assert_int_equal(l.level, -1);
	assert_int_equal(l.flags, HS_PC_SYNCHRONIZED);
	assert_int_equal(l.msg, HS_PC_MSG_ZOMBIE);
}

static void test_skipped_example(void **state)
{
	size_t len = 0;
	char *buf =
		fixture_read("hotspot/jdk17-printcompilation-COMPILE-SKIPPED-example.txt", &len);
	struct hs_pc_stats st;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_pc__parse(buf, len, NULL, NULL, &st), 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.lines, 1);
	free(buf);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"acc -1867313744",
		"     44",
		"     44  111",
		"     44  111 X     3       A::b (1 bytes)", /* unknown flag */
		"     44  111 %     9       A::b (1 bytes)", /* level 9 */
		"     44  111 %     3       Ab (1 bytes)",   /* no "::" */
		"     44  111 %     3       A::b",	     /* no size */
		"     44  111 %     3       A::b (x bytes)",
		"     44  111 %     3       A::b (1 byte)",
		"     44  111 %     3       A::b @ x (1 bytes)",
		"     44  111 %     3       A::b (1 bytes)tail", /* no space before MSG */
		"     44  99999999999999999999 %     3       A::b (1 bytes)",
		"[1ns][2ns]",
		/* PrintInlining */
		"      @ 3   java.lang.String::charAt (25 bytes)   inline",
	};
	struct hs_pc_line l;
	struct hs_pc_stats st;
	const char text[] = "junk\n     44  111 %     3       A::b (1 bytes)\n\n  7 x\n"
			    "     45  112       4       A::b (1 bytes)"; /* no final newline */

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hs_pc__parse_line(bad[i], strlen(bad[i]), &l) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
	assert_int_equal(hs_pc__parse(text, strlen(text), NULL, NULL, &st), 0);
	assert_int_equal(st.lines, 5);
	assert_int_equal(st.compiles, 2);
	assert_int_equal(st.other_lines, 3);
	assert_true(st.truncated);
	assert_int_equal(hs_pc__parse(NULL, 0, NULL, NULL, &st), 0);
	assert_int_equal(st.lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jdk17_stdout),	 cmocka_unit_test(test_jdk25_reasons),
		cmocka_unit_test(test_xlog_decorations), cmocka_unit_test(test_lines),
		cmocka_unit_test(test_skipped_example),	 cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
