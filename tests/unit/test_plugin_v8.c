/* The V8 plugin through the host: frame classification for every name form
 * Node 20 emits (and older ones), hints for unnamed node JIT frames, events
 * from a real V8 log, and the log clock put on the capture's through the
 * perf map. */
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

PLUGIN_FIXTURE(TP_V8_PLUGIN)

static int classify(const char *name, uint32_t source, const char *comm, const char *cause,
		    struct tp_classification *c)
{
	struct tp_frame_info fi = { .size = sizeof(fi),
				    .pid = 7,
				    .name = name,
				    .dso = source == TP_SYM_ELF ? "/usr/bin/node" : "//anon",
				    .source = source,
				    .comm = comm,
				    .unknown_cause = cause };

	return plugin_host__classify(host, &fi, c, NULL);
}

static void test_js_tiers(void **state)
{
	static const struct {
		const char *name;
		uint32_t tier;
		const char *subtier;
	} cases[] = {
		{ "JS:~runHot /home/dev/app/workload.js:12:16", TP_TIER_INTERPRETER, "Ignition" },
		{ "JS:^runHot /home/dev/app/workload.js:12:16", TP_TIER_BASELINE, "Sparkplug" },
		{ "JS:+runHot /home/dev/app/workload.js:12:16", TP_TIER_OPTIMIZED, "Maglev" },
		{ "JS:*runHot /home/dev/app/workload.js:12:16", TP_TIER_OPTIMIZED, "TurboFan" },
		{ "LazyCompile:*runHot /home/dev/app/workload.js:12:16", TP_TIER_OPTIMIZED,
		  "TurboFan" },
	};
	struct tp_classification c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(classify(cases[i].name, TP_SYM_PERFMAP, "node", NULL, &c), 1);
		assert_int_equal(c.tier, cases[i].tier);
		assert_string_equal(c.subtier, cases[i].subtier);
		assert_string_equal(c.runtime, "v8");
		/* One identity across tiers: the tiers of a function add up. */
		assert_string_equal(c.function_key, "runHot /home/dev/app/workload.js:12:16");
		assert_string_equal(c.display_name, "runHot workload.js:12:16");
	}
}

static void test_js_names(void **state)
{
	struct tp_classification c;

	(void)state;
	assert_int_equal(classify("JS:* :1:20", TP_SYM_PERFMAP, "node", NULL, &c), 1);
	assert_string_equal(c.display_name, "(anonymous) :1:20");
	assert_int_equal(classify("JS:~ /srv/app/main.js:1:1", TP_SYM_PERFMAP, "node", NULL, &c),
			 1);
	assert_string_equal(c.display_name, "(script) main.js:1:1");
	assert_int_equal(classify("JS:*Module._compile node:internal/modules/cjs/loader:1483:37",
				  TP_SYM_PERFMAP, "node", NULL, &c),
			 1);
	assert_string_equal(c.display_name,
			    "Module._compile node:internal/modules/cjs/loader:1483:37");
	assert_int_equal(classify("JS:*route /srv/app/node_modules/express/lib/router/index.js:9:3",
				  TP_SYM_PERFMAP, "node", NULL, &c),
			 1);
	assert_string_equal(c.display_name, "route node_modules/express/lib/router/index.js:9:3");
	assert_int_equal(classify("RegExp:(\\d+)-(\\w+)", TP_SYM_PERFMAP, "node", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_string_equal(c.subtier, "RegExp");
	/* Not V8's: left to the core. */
	assert_int_equal(classify("main", TP_SYM_ELF, "node", NULL, &c), 0);
	assert_int_equal(classify("hot_loop", TP_SYM_PERFMAP, "java", NULL, &c), 0);
}

static void test_builtins(void **state)
{
	struct tp_classification c;

	(void)state;
	assert_int_equal(
		classify("Builtins_InterpreterEntryTrampoline", TP_SYM_ELF, "node", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);
	assert_non_null(strstr(c.hint, "--interpreted-frames-native-stack"));
	assert_int_equal(classify("Builtins_LdaZeroHandler", TP_SYM_ELF, "node", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);
	assert_int_equal(c.flags, TP_FRAME_FOLD_INTO_CALLER | TP_FRAME_FRAMELESS);
	assert_int_equal(classify("Builtins_ModulusSmi_Baseline", TP_SYM_ELF, "node", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_int_equal(c.flags, TP_FRAME_FRAMELESS);
	assert_int_equal(classify("Builtins_LoadIC_Megamorphic", TP_SYM_ELF, "node", NULL, &c), 1);
	assert_int_equal(c.tier, TP_TIER_RUNTIME);
	assert_int_equal(c.flags, 0);
	assert_int_equal(
		classify("v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace)",
			 TP_SYM_ELF, "node", NULL, &c),
		1);
	assert_string_equal(c.subtier, "GC");
	assert_int_equal(
		classify("v8::internal::compiler::Pipeline::Run()", TP_SYM_ELF, "node", NULL, &c),
		1);
	assert_string_equal(c.subtier, "JIT compiler");
}

static void test_unknown_hints(void **state)
{
	struct tp_classification c;

	(void)state;
	assert_int_equal(classify(NULL, TP_SYM_NONE, "node", "jit-no-perfmap", &c), 1);
	assert_int_equal(c.tier, TP_TIER_UNKNOWN);
	assert_non_null(strstr(c.hint, "--perf-basic-prof"));
	assert_int_equal(classify(NULL, TP_SYM_NONE, "node", "jit-no-entry", &c), 1);
	assert_non_null(strstr(c.hint, "perf map does not cover"));
	/* Another runtime's JIT memory is not ours to explain. */
	assert_int_equal(classify(NULL, TP_SYM_NONE, "java", "jit-no-perfmap", &c), 0);
}

struct sink_ctx {
	unsigned compiles, deopts, invalidations;
	uint64_t first_time;
	char first_key[512], first_reason[128], first_detail[64];
};

static int on_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct sink_ctx *s = ctx;

	(void)plugin;
	if (ev->kind == TP_EVENT_COMPILE) {
		s->compiles++;
		if (!s->first_time)
			s->first_time = ev->time_ns;
		return 0;
	}
	if (!s->deopts && !s->invalidations) {
		snprintf(s->first_key, sizeof(s->first_key), "%s", ev->function_key);
		snprintf(s->first_reason, sizeof(s->first_reason), "%s", ev->reason);
		snprintf(s->first_detail, sizeof(s->first_detail), "%s", ev->detail);
	}
	if (ev->kind == TP_EVENT_DEOPT)
		s->deopts++;
	else if (ev->kind == TP_EVENT_INVALIDATE)
		s->invalidations++;
	return 0;
}

static int on_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
		   const char *name, uint64_t time_ns)
{
	(void)ctx, (void)plugin, (void)pid, (void)start, (void)len, (void)name, (void)time_ns;
	return 0;
}

static int ingest(const char *kind, const void *data, size_t len, uint64_t time, struct sink_ctx *s)
{
	struct plugin_sink sink = { .ctx = s, .emit_event = on_event, .add_code = on_code };
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = 7,
				   .kind = kind,
				   .name = "test",
				   .data = data,
				   .len = len,
				   .time_ns = time };

	return plugin_host__ingest(host, &sf, &sink);
}

/* The captured Node 20 log: 5 eager deopts ("wrong map") and the
 * "code dependencies" invalidations of the deopt loop (grep counts). */
static void test_ingest_real_log(void **state)
{
	size_t len = 0;
	char *log = fixture_read("v8/node20-prof-log-deopt-isolate.log.gz", &len);
	struct sink_ctx s = { 0 };
	unsigned want_deopt = 0, want_inval = 0;

	(void)state;
	assert_non_null(log);
	for (const char *p = log; p < log + len;) {
		const char *nl = memchr(p, '\n', (size_t)(log + len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(log + len - p);

		if (n > 11 && !memcmp(p, "code-deopt,", 11)) {
			if (memmem(p, n, ",dependency-change,", 19))
				want_inval++;
			else
				want_deopt++;
		}
		p += n + 1;
	}
	assert_true(want_deopt + want_inval > 0);
	assert_true(ingest("v8-log", log, len, 0, &s) > 0);
	assert_int_equal(s.deopts, want_deopt);
	assert_int_equal(s.invalidations, want_inval);
	assert_true(s.compiles > 0);
	free(log);
}

/* A perf map chunk read at 5 s holding code the log created at 1000 us:
 * the log's clock lands on the capture's. */
static void test_clock_alignment(void **state)
{
	static const char map[] = "7f0000001000 200 JS:*hot /a.js:1:10\n"
				  "7f0000002000 200 JS:*cold /a.js:5:10\n";
	static const char log[] =
		"v8-version,11,3,244,8,-node.38,0\n"
		"code-creation,JS,13,1000,0x7f0000001000,512,hot /a.js:1:10,0x1234,*\n"
		"code-creation,JS,13,1200,0x7f0000002000,512,cold /a.js:5:10,0x1238,*\n"
		"code-deopt,1500,600,0x7f0000001000,-1,12,deopt-eager,</a.js:1:20>,wrong map\n";
	struct sink_ctx s = { 0 };

	(void)state;
	ingest("perfmap", map, sizeof(map) - 1, 5000000000ull, &s);
	assert_true(ingest("v8-log", log, sizeof(log) - 1, 9000000000ull, &s) > 0);
	assert_int_equal(s.compiles, 2);
	assert_int_equal(s.deopts, 1);
	assert_string_equal(s.first_key, "hot /a.js:1:10");
	assert_string_equal(s.first_reason, "wrong map");
	assert_string_equal(s.first_detail, "deopt-eager");
	/* Both creations were first seen by the read at 5 s: the offset is
	 * bounded by 5 s - 1000 us; the first compile lands at most at 5 s. */
	assert_true(s.first_time > 0 && s.first_time <= 5000000000ull);
}

static void test_not_a_log(void **state)
{
	static const char junk[] = "hello\nworld\n";
	struct sink_ctx s = { 0 };

	(void)state;
	assert_int_equal(ingest("v8-log", junk, sizeof(junk) - 1, 0, &s), 0);
	assert_int_equal(s.deopts + s.compiles + s.invalidations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_js_tiers),	cmocka_unit_test(test_js_names),
		cmocka_unit_test(test_builtins),	cmocka_unit_test(test_unknown_hints),
		cmocka_unit_test(test_ingest_real_log), cmocka_unit_test(test_clock_alignment),
		cmocka_unit_test(test_not_a_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
