/* Unit tests for plugins/hotspot/hs_logc.c and hs_xml.c over the real JDK 17
 * LogCompilation captures (FORMATS.md 2.3; tests/fixtures/hotspot): records
 * by kind, fields of the first nmethod, trap reasons, the same records
 * whatever the chunking (a byte at a time, odd sizes), a log cut inside an
 * element, and damaged markup. Expected counts: grep -c over the same files
 * ('<nmethod ', '<task_queued ', '<make_not_entrant ', '<uncommon_trap thread',
 * '<deoptimized ', '<dependency_failed ', '<hotspot_log '). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_logc.h"
#include "hs_name.h"
#include "fixture.h"

struct got {
	size_t n;
	uint64_t digest; /* of every record's fields, in order */
	struct hs_logc_rec first_nmethod;
	char first_method[256];
	size_t reasons[8]; /* trap reasons, see reason_index */
	size_t keys_ok, keys_bad;
};

static const char *const trap_reasons[] = { "bimorphic_or_optimized_type_check", "class_check",
					    "predicate", "profile_predicate", "unstable_if" };

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static int on_rec(void *ctx, const struct hs_logc_rec *r)
{
	struct got *g = ctx;
	char key[512];
	uint64_t h = g->digest;

	g->n++;
	h = mix(h, &r->kind, sizeof(r->kind));
	h = mix(h, &r->stamp_ns, sizeof(r->stamp_ns));
	h = mix(h, &r->compile_id, sizeof(r->compile_id));
	h = mix(h, &r->entry, sizeof(r->entry));
	h = mix(h, &r->code_end, sizeof(r->code_end));
	h = mix(h, &r->bci, sizeof(r->bci));
	h = mix(h, &r->offset, sizeof(r->offset));
	h = mix(h, r->method, strlen(r->method));
	if (r->reason)
		h = mix(h, r->reason, strlen(r->reason));
	g->digest = h;
	if (r->kind == HS_LOGC_NMETHOD && !g->first_nmethod.kind) {
		g->first_nmethod = *r;
		snprintf(g->first_method, sizeof(g->first_method), "%s", r->method);
	}
	if (r->kind == HS_LOGC_TRAP) {
		for (size_t i = 0; i < sizeof(trap_reasons) / sizeof(trap_reasons[0]); i++)
			g->reasons[i] += !strcmp(r->reason, trap_reasons[i]);
	}
	if (r->method[0]) {
		if (hs_name__from_log(r->method, strlen(r->method), key, sizeof(key)) == 0)
			g->keys_ok++;
		else
			g->keys_bad++;
	}
	return 0;
}

/* Feed buf in pieces of `step` bytes (0: all at once). */
static void parse_chunked(const char *buf, size_t len, size_t step, struct got *g,
			  struct hs_logc_stats *st)
{
	struct hs_logc *l = hs_logc__new(on_rec, g);

	assert_non_null(l);
	memset(g, 0, sizeof(*g));
	for (size_t off = 0; off < len;) {
		size_t n = step && len - off > step ? step : len - off;

		assert_int_equal(hs_logc__feed(l, buf + off, n), 0);
		off += n;
	}
	hs_logc__finish(l, st);
	hs_logc__delete(l);
}

static void test_excerpt(void **state)
{
	size_t len = 0;
	char *buf =
		fixture_read("hotspot/jdk17-logcompilation-hotspot_pid.log.excerpt.xml.gz", &len);
	struct hs_logc_stats st;
	struct got g;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_logc__parse(buf, len, on_rec, &g, &st), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(hs_logc__parse(buf, len, on_rec, &g, &st), 0);
	assert_int_equal(st.records[HS_LOGC_ROOT], 1);
	assert_int_equal(st.records[HS_LOGC_NMETHOD], 205);
	assert_int_equal(st.records[HS_LOGC_TASK_QUEUED], 167);
	assert_int_equal(st.records[HS_LOGC_NOT_ENTRANT], 59);
	assert_int_equal(st.records[HS_LOGC_TRAP], 24);
	assert_int_equal(st.records[HS_LOGC_DEOPTIMIZED], 6);
	assert_int_equal(st.records[HS_LOGC_DEP_FAILED], 24);
	assert_int_equal(st.bad_records, 0);
	assert_int_equal(st.xml.bad, 0);
	assert_false(st.xml.truncated);
	assert_true(st.looks_like_log);
	assert_int_equal(g.keys_bad, 0);
	/* <nmethod compile_id='1' compiler='c1' level='3' entry='0x00007f88214001a0'
	 * size='760' address='0x00007f8821400010' insts_offset='400'
	 * stub_offset='624' ... metadata_offset='672' method='java.lang.Object
	 * &lt;init&gt; ()V' stamp='0.019'/>: code [entry, address + 672). */
	assert_int_equal(g.first_nmethod.compile_id, 1);
	assert_int_equal(g.first_nmethod.level, 3);
	assert_true(g.first_nmethod.entry == 0x00007f88214001a0ull);
	assert_true(g.first_nmethod.code_end == 0x00007f8821400010ull + 672);
	assert_true(g.first_nmethod.stamp_ns == 19000000ull);
	assert_string_equal(g.first_method, "java.lang.Object <init> ()V");
	free(buf);
}

static void test_runtime_events(void **state)
{
	size_t len = 0;
	char *buf =
		fixture_read("hotspot/jdk17-logcompilation-runtime-deopt-events.xml.txt.gz", &len);
	struct hs_logc_stats st;
	struct got g = { 0 };

	(void)state;
	assert_non_null(buf);
	assert_int_equal(hs_logc__parse(buf, len, on_rec, &g, &st), 0);
	assert_int_equal(st.records[HS_LOGC_NOT_ENTRANT], 770);
	assert_int_equal(st.records[HS_LOGC_TRAP], 16);
	assert_int_equal(st.records[HS_LOGC_DEOPTIMIZED], 11);
	assert_int_equal(st.records[HS_LOGC_DEP_FAILED], 732);
	assert_int_equal(st.records[HS_LOGC_ROOT], 0);
	assert_true(st.looks_like_log);
	/* FORMATS.md 2.3: bimorphic_or_optimized_type_check 6, class_check 4,
	 * predicate 1, profile_predicate 4, unstable_if 1. */
	assert_int_equal(g.reasons[0], 6);
	assert_int_equal(g.reasons[1], 4);
	assert_int_equal(g.reasons[2], 1);
	assert_int_equal(g.reasons[3], 4);
	assert_int_equal(g.reasons[4], 1);
	free(buf);
}

static void test_chunking(void **state)
{
	size_t len = 0;
	char *buf =
		fixture_read("hotspot/jdk17-logcompilation-hotspot_pid.log.excerpt.xml.gz", &len);
	static const size_t steps[] = { 1, 2, 3, 7, 100, 4093, 65536 };
	struct hs_logc_stats whole, st;
	struct got ref, g;

	(void)state;
	assert_non_null(buf);
	parse_chunked(buf, len, 0, &ref, &whole);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		parse_chunked(buf, len, steps[i], &g, &st);
		assert_int_equal(g.n, ref.n);
		assert_true(g.digest == ref.digest);
		assert_memory_equal(st.records, whole.records, sizeof(st.records));
	}
	free(buf);
}

static void test_truncated(void **state)
{
	size_t len = 0, cut;
	char *buf =
		fixture_read("hotspot/jdk17-logcompilation-hotspot_pid.log.excerpt.xml.gz", &len);
	struct hs_logc_stats st;
	struct got g = { 0 };
	char *nm;

	(void)state;
	assert_non_null(buf);
	/* Cut the 101st nmethod in the middle of its method attribute. */
	nm = buf;
	for (int i = 0; i < 101; i++) {
		nm = strstr(nm + 1, "<nmethod ");
		assert_non_null(nm);
	}
	cut = (size_t)(strstr(nm, "method='") - buf) + 12;
	assert_int_equal(hs_logc__parse(buf, cut, on_rec, &g, &st), 0);
	assert_true(st.xml.truncated);
	assert_int_equal(st.xml.bad, 0);
	assert_int_equal(st.records[HS_LOGC_NMETHOD], 100);
	free(buf);
}

static void test_markup(void **state)
{
	const char text[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<hotspot_log version='160 1' process='42' time_ms='7'>\n"
		"<!-- <nmethod compile_id='9' in a comment/> -->\n"
		"<![CDATA[ <nmethod compile_id='9'/> ]]>\n"
		"<tty>\n"
		"<nmethod compile_id='5' compiler='c2' level='4' entry='0x1100' size='0x400'"
		" address='0x1000' insts_offset='256' stub_offset='512' oops_offset='640'"
		" method='A &lt;init&gt; (&#73;)V' stamp='1.5'/>\n"
		"<uncommon_trap thread='3' reason='unstable_if' action='reinterpret' compile_id='5'"
		" stamp=\"1.600\"><jvms bci='4' method='A f (I)I'/><jvms bci='9' method='B g ()V'/>"
		"</uncommon_trap>\n"
		"<make_not_entrant thread='3' compile_id='5' compiler='c2' level='4' "
		"stamp='1.601'/>\n"
		"<task compile_id='6' method='A f (I)I' stamp='2.0'>"
		"<uncommon_trap bci='2' reason='class_check' action='maybe_recompile'/>"
		"<failure reason='too big'/></task>\n"
		"<dependency_failed type='call_site_target_value' witness='x&amp;y' stamp='3'/>\n"
		"</tty><hotspot_log_done stamp='4.25'/></hotspot_log>\n";
	struct hs_logc_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(hs_logc__parse(text, strlen(text), on_rec, &g, &st), 0);
	assert_int_equal(st.xml.bad, 0);
	assert_int_equal(st.bad_records, 0);
	assert_int_equal(st.records[HS_LOGC_ROOT], 1);
	assert_int_equal(st.records[HS_LOGC_NMETHOD], 1);
	assert_int_equal(st.records[HS_LOGC_TRAP], 1); /* not the one compiled in */
	assert_int_equal(st.records[HS_LOGC_NOT_ENTRANT], 1);
	assert_int_equal(st.records[HS_LOGC_COMPILE_FAILED], 1);
	assert_int_equal(st.records[HS_LOGC_DEP_FAILED], 1);
	assert_int_equal(st.records[HS_LOGC_DONE], 1);
	assert_string_equal(g.first_method, "A <init> (I)V");
	assert_true(g.first_nmethod.code_end == 0x1000 + 640);
	assert_true(g.first_nmethod.stamp_ns == 1500000000ull);
}

/* Damage is skipped and counted; what follows is still read. */
static void test_damaged(void **state)
{
	static const char *const bad[] = {
		"< nmethod/>",
		"<nmethod compile_id=5/>",
		"<nmethod compile_id='5' level/>",
		"<nmethod compile_id='5'method='x'/>",
		"<nmethod method='&bogus;'/>",
		"<nmethod method='&#xZZ;'/>",
		"<nmethod method='&#0;'/>",
		"</ bad>",
		"<a b='<'/>",
	};
	const char good[] = "<make_not_entrant thread='1' compile_id='3' stamp='0.5'/>";
	struct hs_logc_stats st;
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s\n%s\n", bad[i], good);
		assert_int_equal(hs_logc__parse(text, strlen(text), NULL, NULL, &st), 0);
		if (st.xml.bad != 1 || st.records[HS_LOGC_NOT_ENTRANT] != 1)
			fail_msg("\"%s\": %zu bad, %zu records after it", bad[i], st.xml.bad,
				 st.records[HS_LOGC_NOT_ENTRANT]);
		assert_true(st.xml.first_bad_offset == 0);
		assert_true(st.xml.first_bad_why[0] != '\0');
	}
	/* Known elements without what they need. */
	snprintf(text, sizeof(text),
		 "<nmethod compile_id='1' method='A f ()V'/>\n<make_not_entrant thread='1'/>\n"
		 "<nmethod compile_id='1' address='0x10' size='8' entry='0x5' method='A f "
		 "()V'/>\n%s",
		 good);
	assert_int_equal(hs_logc__parse(text, strlen(text), NULL, NULL, &st), 0);
	assert_int_equal(st.bad_records, 3);
	assert_int_equal(st.records[HS_LOGC_NOT_ENTRANT], 1);
	/* Not a log at all. */
	assert_int_equal(hs_logc__parse("hello\nworld\n", 12, NULL, NULL, &st), 0);
	assert_false(st.looks_like_log);
	assert_int_equal(hs_logc__parse("", 0, NULL, NULL, &st), 0);
	assert_false(st.looks_like_log);
}

/* An unbalanced quote or a huge element cannot swallow the rest. */
static void test_overlong(void **state)
{
	size_t big = HS_XML_MAX_MARKUP + 1000;
	const char good[] = "\n<make_not_entrant thread='1' compile_id='3' stamp='0.5'/>\n";
	char *text = malloc(big + sizeof(good) + 16);
	struct hs_logc_stats st;

	(void)state;
	assert_non_null(text);
	memcpy(text, "<a b='", 6);
	memset(text + 6, 'x', big);
	memcpy(text + 6 + big, ">", 1);
	memcpy(text + 7 + big, good, sizeof(good));
	assert_int_equal(hs_logc__parse(text, strlen(text), NULL, NULL, &st), 0);
	assert_int_equal(st.xml.bad, 1);
	assert_int_equal(st.records[HS_LOGC_NOT_ENTRANT], 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt),	 cmocka_unit_test(test_runtime_events),
		cmocka_unit_test(test_chunking), cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_markup),	 cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_overlong),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
