/* The PyPy plugin through the host: JIT code names, the stripped libpypy and
 * unnamed JIT memory with their hints, and ingest of real bundles: code
 * ranges from the hook, the invalidation loop, jit-summary figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "plugin_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

PLUGIN_FIXTURE(TP_PYPY_PLUGIN)

static int classify(const char *name, uint32_t source, const char *dso, const char *cause,
		    struct tp_classification *c)
{
	struct tp_frame_info fi = { .size = sizeof(fi),
				    .pid = 1,
				    .name = name,
				    .dso = dso,
				    .source = source,
				    .comm = "pypy3",
				    .unknown_cause = cause };

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return plugin_host__classify(host, &fi, c, NULL);
}

static void test_classify(void **state)
{
	struct tp_classification c;

	(void)state;
	assert_int_equal(classify("pypy:loop hot_sum 6 8 /src/steady.py", TP_SYM_PERFMAP, "//anon",
				  NULL, &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_OPTIMIZED);
	assert_string_equal(c.subtier, "JIT loop");
	assert_string_equal(c.runtime, "pypy");
	assert_string_equal(c.display_name, "hot_sum (steady.py:6)");
	assert_string_equal(c.function_key, "hot_sum /src/steady.py:6");
	/* A bridge of the same function: same identity. */
	assert_int_equal(classify("pypy:bridge hot_sum 6 10 /src/steady.py", TP_SYM_PERFMAP,
				  "//anon", NULL, &c),
			 1);
	assert_string_equal(c.subtier, "JIT bridge");
	assert_string_equal(c.function_key, "hot_sum /src/steady.py:6");
	assert_int_equal(
		classify("pypy:loop - list__do_extend: x", TP_SYM_PERFMAP, "//anon", NULL, &c), 1);
	assert_string_equal(c.display_name, "[jitdriver] list__do_extend: x");
	/* Malformed names are not ours. */
	assert_int_equal(classify("pypy:loop hot_sum x", TP_SYM_PERFMAP, "//anon", NULL, &c), 0);
	assert_int_equal(classify("pypy:what", TP_SYM_PERFMAP, "//anon", NULL, &c), 0);
	/* Debian's stripped libpypy: interpreter, with the hint. */
	assert_int_equal(classify(NULL, TP_SYM_NONE, "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so",
				  "stripped", &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);
	assert_non_null(strstr(c.hint, "libpypy3.9-c.so is stripped"));
	assert_int_equal(classify("pypy_g_IncrementalMiniMarkGC_minor_collection", TP_SYM_ELF,
				  "/opt/pypy/bin/libpypy3-c.so", NULL, &c),
			 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_string_equal(c.subtier, "GC");
	/* Unnamed JIT memory of a pypy process. */
	assert_int_equal(classify(NULL, TP_SYM_NONE, "//anon", "jit-no-perfmap", &c), 1);
	assert_int_equal(c.tier, TP_TIER_UNKNOWN);
	assert_non_null(strstr(c.hint, "tierprof record -- pypy3"));
	assert_int_equal(classify("main", TP_SYM_ELF, "/usr/bin/python3", NULL, &c), 0);
}

struct sink {
	unsigned codes, compiles, invalidations, aborts, stats;
	char first_code[256], inv_reason[128], inv_key[256];
	uint64_t first_time, inv_time, first_compile_time;
	double loops_compiled, retraced, killed;
};

static int on_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct sink *s = ctx;

	(void)plugin;
	if (ev->kind == TP_EVENT_COMPILE && !s->compiles++)
		s->first_compile_time = ev->time_ns;
	if (ev->kind == TP_EVENT_ABORT)
		s->aborts++;
	if (ev->kind == TP_EVENT_INVALIDATE && !s->invalidations++) {
		snprintf(s->inv_reason, sizeof(s->inv_reason), "%s", ev->reason);
		snprintf(s->inv_key, sizeof(s->inv_key), "%s", ev->function_key);
		s->inv_time = ev->time_ns;
	}
	return 0;
}

static int on_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
		   const char *name, uint64_t time_ns)
{
	struct sink *s = ctx;

	(void)plugin;
	(void)pid;
	(void)start;
	(void)len;
	if (!s->codes++) {
		snprintf(s->first_code, sizeof(s->first_code), "%s", name);
		s->first_time = time_ns;
	}
	return 0;
}

static int on_stat(void *ctx, const char *plugin, uint32_t pid, const char *name, double v,
		   const char *unit)
{
	struct sink *s = ctx;

	(void)plugin;
	(void)pid;
	(void)unit;
	s->stats++;
	if (!strcmp(name, "loops compiled"))
		s->loops_compiled = v;
	else if (!strcmp(name, "re-traces after invalidation"))
		s->retraced = v;
	else if (!strcmp(name, "loops killed by invalidations"))
		s->killed = v;
	return 0;
}

static void ingest(const char *fixture, struct sink *s)
{
	size_t len = 0;
	char *buf = fixture_read(fixture, &len);
	struct plugin_sink sink = {
		.ctx = s, .emit_event = on_event, .add_code = on_code, .add_stat = on_stat
	};
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = 7,
				   .kind = "pypy-bundle",
				   .name = fixture,
				   .data = (const unsigned char *)buf,
				   .len = len };

	assert_non_null(buf);
	memset(s, 0, sizeof(*s));
	assert_true(plugin_host__ingest(host, &sf, &sink) > 0);
	free(buf);
}

static void test_ingest_steady(void **state)
{
	struct sink s;

	(void)state;
	ingest("pypy/pypy73-steady.bundle", &s);
	assert_int_equal(s.codes, 2);
	assert_string_equal(s.first_code,
			    "pypy:loop hot_sum 6 8 /src/tests/workloads/pypy/steady.py");
	assert_int_equal(s.first_time, 5035916577569ull);
	assert_int_equal(s.compiles, 2);
	assert_int_equal(s.invalidations + s.aborts, 0);
	assert_true(s.loops_compiled == 1);
}

/* 841 loops of scaled_sum; PyPy's log times are put on the hook's clock by
 * the loops both saw (the bundle has no clock pairs). */
static void test_ingest_invalidation_loop(void **state)
{
	struct sink s;

	(void)state;
	ingest("pypy/pypy73-invalidate.bundle.gz", &s);
	assert_int_equal(s.compiles, 843);
	assert_true(s.invalidations >= 800);
	assert_int_equal(s.invalidations, (unsigned)s.retraced);
	assert_string_equal(s.inv_reason, "quasi-immutable field mutate__version_tag changed");
	assert_string_equal(s.inv_key, "scaled_sum /src/tests/workloads/pypy/invalidate.py:12");
	/* The first invalidation falls after the first loop was compiled. */
	assert_true(s.inv_time > s.first_compile_time);
	assert_true(s.killed >= 800);
	assert_true(s.loops_compiled == 841);
}

static void test_ingest_malformed(void **state)
{
	struct plugin_sink sink = { .ctx = NULL };
	static const char junk[] = "tierprof-pypy-bundle 1\npart hook 9999\n";
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = 7,
				   .kind = "pypy-bundle",
				   .name = "junk",
				   .data = (const unsigned char *)junk,
				   .len = sizeof(junk) - 1 };

	(void)state;
	assert_int_equal(plugin_host__ingest(host, &sf, &sink), 0);
	sf.kind = "other";
	assert_int_equal(plugin_host__ingest(host, &sf, &sink), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_ingest_steady),
		cmocka_unit_test(test_ingest_invalidation_loop),
		cmocka_unit_test(test_ingest_malformed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
