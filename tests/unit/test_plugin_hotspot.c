/* The HotSpot plugin through the host, over the real JDK 17 captures of
 * tests/fixtures/hotspot (Workload.java, FORMATS.md section 2):
 *
 * - classification of real names: the perf map's blobs (Interpreter,
 *   StubRoutines, adapters), libjvm.so's symbols, our tagged names;
 * - ingest of the LogCompilation excerpt: compiles per level, traps hit,
 *   invalidations with the trap's reason or the failed dependency, tier-up
 *   replacements without an event, with exact counts (from an independent
 *   decode of the file by the rules of hs_ingest.c; the excerpt's windows
 *   overlap, so the records of its lines 459-498 come twice, as the plugin
 *   reads them);
 * - perf-map names joined to the log: same function key, tier from the
 *   nmethod at that address;
 * - a capture around the exit perf map and the log, loaded as `tierprof
 *   report` does: samples in C1, C2, OSR, native-wrapper code and the
 *   interpreter land in the right tiers, a method's tiers in one function.
 *
 * The exit perf map and the log come from two runs of the same workload: the
 * perf map is moved to the log's code cache (non-profiled segment at
 * 0x7f8828000000 instead of 0x7f4f64000000), where its first entries line up
 * with the log's nmethods by name (49 of them; the methods used below). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "analysis/functions.h"
#include "capture/synth.h"
#include "model/load.h"
#include "model/profile.h"
#include "plugin_fixture.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PID 17061 /* the log's process= */
#define SEC 1000000000ull
/* The VM started at 10 s on the capture clock; the log ends at stamp 2.972
 * (<hotspot_log_done>) and was collected then. */
#define VM_START (10 * SEC)
#define LOG_DONE (VM_START + 2972000000ull)
#define PERFMAP_SHIFT (0x7f8828000000ull - 0x7f4f64000000ull)

/* nmethods of the log (entry, compile id, level, stamp). */
#define RUNHOT_C1 0x7f882141c540ull	  /* 118, C1 L3, 0.040 (no perf map entry) */
#define RUNHOT_C2_OSR 0x7f8828ed3e80ull	  /* 119, C2 OSR, 0.042 */
#define POLYCALL_C2 0x7f8828ed4620ull	  /* 123, C2, 0.046 */
#define INDYLOOP_C2 0x7f8828ed7880ull	  /* 160, C2, 0.066 */
#define INDYLOOP_OSR 0x7f8828ed8ea0ull	  /* 168, C2 OSR, 0.071 */
#define ORDINAL_C1 0x7f8828ec96a0ull	  /* 20, C1 L1, 0.024 */
#define HASHCODE_NATIVE 0x7f8828ec7f20ull /* 10, native wrapper, 0.023 */
/* The template interpreter: FORMATS.md 2.4 quotes its perf map line (another
 * run of Workload): "0x00007fbae8940b80 0x0000000000017de0 Interpreter",
 * here in the same place relative to the code cache. */
#define INTERPRETER 0x7f8828940b80ull

PLUGIN_FIXTURE(TP_HOTSPOT_PLUGIN)

static int classify_at(const char *name, uint32_t source, const char *dso, const char *comm,
		       uint64_t addr, uint64_t time, struct tp_classification *c)
{
	struct tp_frame_info fi = { .size = sizeof(fi),
				    .pid = PID,
				    .addr = addr,
				    .time_ns = time,
				    .name = name,
				    .dso = dso,
				    .source = source,
				    .comm = comm };

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return plugin_host__classify(host, &fi, c, NULL);
}

static int classify(const char *name, uint32_t source, const char *dso, const char *comm,
		    struct tp_classification *c)
{
	return classify_at(name, source, dso, comm, 0, 0, c);
}

static void test_classify_names(void **state)
{
	static const char libjvm[] = "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so";
	static const struct {
		const char *name;
		uint32_t source;
		const char *dso;
		uint32_t tier, flags;
		const char *subtier;
	} cases[] = {
		/* Perf map blobs (FORMATS.md 2.4, jdk17-perf-script-map-fp.txt). */
		{ "Interpreter", TP_SYM_PERFMAP, "//anon", TP_TIER_INTERPRETER, 0,
		  "template interpreter" },
		{ "StubRoutines (1)", TP_SYM_PERFMAP, "//anon", TP_TIER_RUNTIME, 0, "stub" },
		{ "I2C/C2I adapters", TP_SYM_PERFMAP, "//anon", TP_TIER_RUNTIME, 0, "adapter" },
		/* libjvm.so symbols of the same perf script. */
		{ "CompileBroker::invoke_compiler_on_method", TP_SYM_ELF, libjvm, TP_TIER_RUNTIME,
		  0, "JIT compiler" },
		{ "PhaseIdealLoop::optimize", TP_SYM_ELF, libjvm, TP_TIER_RUNTIME, 0,
		  "JIT compiler" },
		{ "G1CollectedHeap::G1CollectedHeap", TP_SYM_ELF, libjvm, TP_TIER_RUNTIME, 0,
		  "GC" },
		{ "Threads::create_vm", TP_SYM_ELF, libjvm, TP_TIER_RUNTIME, 0, "VM" },
		/* The names ingest gives the log's nmethods. */
		{ "Workload::runHot(int, int) [C2 OSR]", TP_SYM_PERFMAP, "//anon",
		  TP_TIER_OPTIMIZED, TP_FRAME_OSR, "C2 OSR" },
		{ "Workload::runHot(int, int) [C1 L3]", TP_SYM_PERFMAP, "//anon", TP_TIER_BASELINE,
		  0, "C1 L3" },
		{ "java.lang.Enum::ordinal() [C1 L1]", TP_SYM_PERFMAP, "//anon", TP_TIER_BASELINE,
		  0, "C1 L1" },
		{ "Workload::polyCall(Workload$Shape, int) [C2]", TP_SYM_PERFMAP, "//anon",
		  TP_TIER_OPTIMIZED, 0, "C2" },
		{ "java.lang.Object::hashCode() [native wrapper]", TP_SYM_PERFMAP, "//anon",
		  TP_TIER_RUNTIME, 0, "native wrapper" },
	};
	struct tp_classification c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(classify(cases[i].name, cases[i].source, cases[i].dso, "java", &c),
				 1);
		assert_int_equal(c.tier, cases[i].tier);
		assert_int_equal(c.flags, cases[i].flags);
		assert_string_equal(c.subtier, cases[i].subtier);
		assert_string_equal(c.runtime, "hotspot");
	}
	assert_int_equal(classify("Workload::runHot(int, int) [C2 OSR]", TP_SYM_PERFMAP, "//anon",
				  "java", &c),
			 1);
	assert_string_equal(c.function_key, "Workload::runHot(int, int)");
	assert_string_equal(c.display_name, "Workload::runHot(int, int)");
	/* The interpreter names no Java method: the hint says so. */
	assert_int_equal(classify("Interpreter", TP_SYM_PERFMAP, "//anon", "java", &c), 1);
	assert_non_null(strstr(c.hint, "template interpreter"));
	/* Not a JVM: not ours. */
	assert_int_equal(
		classify("int Workload.runHot(int, int)", TP_SYM_PERFMAP, "//anon", "node", &c), 0);
	assert_int_equal(classify("main", TP_SYM_ELF, "/usr/bin/java", "java", &c), 0);
}

/* --- ingest of the real LogCompilation excerpt --- */

struct sink {
	unsigned codes, compiles, deopts, invalidations, aborts, other;
	unsigned compiles_by[5], compiles_osr;
	unsigned inv_dep, inv_trap, inv_plain;
	unsigned inv_call_site, inv_unstable_if, inv_class_check;
	int inv_trap_has_position;
	unsigned inv_object_init, compiles_object_init; /* C1 (id 1) replaced by C2 (id 30) */
	uint64_t first_inv_time;
	char first_inv_key[256], first_inv_detail[128];
};

static int on_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct sink *s = ctx;

	assert_string_equal(plugin, "hotspot");
	switch (ev->kind) {
	case TP_EVENT_COMPILE:
		s->compiles++;
		s->compiles_object_init += !strcmp(ev->function_key, "java.lang.Object::<init>()");
		if (strstr(ev->detail, "OSR"))
			s->compiles_osr++;
		for (int l = 1; l <= 4; l++) {
			static const char *const tags[] = { "", "[C1 L1", "[C1 L2", "[C1 L3",
							    "[C2" };

			if (!strncmp(ev->detail, tags[l], strlen(tags[l])))
				s->compiles_by[l]++;
		}
		break;
	case TP_EVENT_DEOPT:
		s->deopts++;
		break;
	case TP_EVENT_INVALIDATE:
		if (!s->invalidations++) {
			s->first_inv_time = ev->time_ns;
			snprintf(s->first_inv_key, sizeof(s->first_inv_key), "%s",
				 ev->function_key);
			snprintf(s->first_inv_detail, sizeof(s->first_inv_detail), "%s",
				 ev->detail);
		}
		if (!strncmp(ev->detail, "uncommon trap", 13)) {
			s->inv_trap++;
			s->inv_trap_has_position += ev->position && ev->position[0];
		} else if (!strncmp(ev->detail, "dependency failed", 17)) {
			s->inv_dep++;
		} else {
			s->inv_plain++;
		}
		s->inv_object_init += !strcmp(ev->function_key, "java.lang.Object::<init>()");
		s->inv_call_site += !strcmp(ev->reason, "call_site_target_value");
		s->inv_unstable_if += !strcmp(ev->reason, "unstable_if");
		s->inv_class_check += !strcmp(ev->reason, "class_check");
		break;
	case TP_EVENT_ABORT:
		s->aborts++;
		break;
	default:
		s->other++;
		break;
	}
	return 0;
}

static int on_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
		   const char *name, uint64_t time_ns)
{
	struct sink *s = ctx;

	(void)plugin;
	(void)time_ns;
	assert_int_equal(pid, PID);
	assert_true(len > 0);
	if (start == RUNHOT_C2_OSR)
		assert_string_equal(name, "Workload::runHot(int, int) [C2 OSR]");
	if (start == HASHCODE_NATIVE)
		assert_string_equal(name, "java.lang.Object::hashCode() [native wrapper]");
	s->codes++;
	return 0;
}

static void ingest_log(struct sink *s)
{
	size_t len = 0;
	char *xml =
		fixture_read("hotspot/jdk17-logcompilation-hotspot_pid.log.excerpt.xml.gz", &len);
	struct plugin_sink sink = { .ctx = s, .emit_event = on_event, .add_code = on_code };
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = PID,
				   .kind = "hotspot-logcompilation",
				   .name = "hotspot-pid17061.xml",
				   .data = (const unsigned char *)xml,
				   .len = len,
				   .time_ns = LOG_DONE };

	assert_non_null(xml);
	memset(s, 0, sizeof(*s));
	assert_true(plugin_host__ingest(host, &sf, &sink) > 0);
	free(xml);
}

static void test_ingest_log(void **state)
{
	struct sink s;

	(void)state;
	ingest_log(&s);
	/* 205 <nmethod>s, each a code range (native wrappers too). */
	assert_int_equal(s.codes, 205);
	/* Compiles: level >= 1 only. */
	assert_int_equal(s.compiles, 156);
	assert_int_equal(s.compiles_by[1], 14);
	assert_int_equal(s.compiles_by[2], 5);
	assert_int_equal(s.compiles_by[3], 79 + 3);
	assert_int_equal(s.compiles_by[4], 40 + 15);
	assert_int_equal(s.compiles_osr, 3 + 15);
	/* 24 traps hit in code the log compiled; no C2 frame deoptimized
	 * (the 'constraint' ones are C1 frames: a tier-up, no event). */
	assert_int_equal(s.deopts, 24);
	/* 36 made not entrant for a cause: 9 by a trap (unstable_if 1,
	 * predicate 2, class_check 2, profile_predicate 2,
	 * bimorphic_or_optimized_type_check 2), 27 by a failed
	 * call_site_target_value dependency; the other 23 are C1 or OSR
	 * code replaced on the way up: no event. */
	assert_int_equal(s.invalidations, 36);
	assert_int_equal(s.inv_trap, 9);
	assert_int_equal(s.inv_trap_has_position, 9);
	assert_int_equal(s.inv_dep, 27);
	assert_int_equal(s.inv_plain, 0);
	assert_int_equal(s.compiles_object_init, 2);
	assert_int_equal(s.inv_object_init, 0);
	assert_int_equal(s.inv_call_site, 27);
	assert_int_equal(s.inv_unstable_if, 1);
	assert_int_equal(s.inv_class_check, 2);
	assert_int_equal(s.aborts, 0);
	assert_int_equal(s.other, 0);
	/* The first: runHot's C2 OSR code (119) after an unstable_if trap at
	 * stamp 0.045, put on the capture clock through the log's end. */
	assert_string_equal(s.first_inv_key, "Workload::runHot(int, int)");
	assert_string_equal(s.first_inv_detail, "uncommon trap (reinterpret)");
	assert_true(s.first_inv_time >= VM_START + 45000000ull - 1000 &&
		    s.first_inv_time <= VM_START + 45000000ull + 1000);
}

/* Perf map names (no tier, no signature types in the log's form) join the
 * log's nmethods: the same key, the tier of the code at that address. */
static void test_perfmap_join(void **state)
{
	struct tp_classification c;
	struct sink s;
	uint64_t t = VM_START + 2 * SEC;

	(void)state;
	ingest_log(&s);
	assert_int_equal(classify_at("int Workload.runHot(int, int)", TP_SYM_PERFMAP, "//anon",
				     "java", RUNHOT_C2_OSR, t, &c),
			 1);
	assert_string_equal(c.function_key, "Workload::runHot(int, int)");
	assert_int_equal(c.tier, TP_TIER_OPTIMIZED);
	assert_int_equal(c.flags, TP_FRAME_OSR);
	assert_int_equal(classify_at("int Workload.polyCall(Workload$Shape, int)", TP_SYM_PERFMAP,
				     "//anon", "java", POLYCALL_C2, t, &c),
			 1);
	assert_string_equal(c.function_key, "Workload::polyCall(Workload$Shape, int)");
	assert_int_equal(c.tier, TP_TIER_OPTIMIZED);
	assert_int_equal(c.flags, 0);
	assert_int_equal(classify_at("int java.lang.Enum.ordinal()", TP_SYM_PERFMAP, "//anon",
				     "java", ORDINAL_C1, t, &c),
			 1);
	assert_string_equal(c.function_key, "java.lang.Enum::ordinal()");
	assert_int_equal(c.tier, TP_TIER_BASELINE);
	assert_string_equal(c.subtier, "C1 L1");
	/* Code the log does not cover: named, tier unknown, and the fix. */
	assert_int_equal(classify_at("int Workload.runHot(int, int)", TP_SYM_PERFMAP, "//anon",
				     "java", 0x7f8828f00000ull, t, &c),
			 1);
	assert_string_equal(c.function_key, "Workload::runHot(int, int)");
	assert_int_equal(c.tier, TP_TIER_UNKNOWN);
	assert_non_null(strstr(c.hint, "LogCompilation"));
}

/* --- a capture around the real files --- */

static char capture_path[] = "/tmp/tierprof-test-hotspot-XXXXXX";

/* The exit perf map moved to the log's code cache, plus the interpreter. */
static char *moved_perfmap(size_t *out_len)
{
	size_t len = 0, cap, n = 0;
	char *map = fixture_read("hotspot/jdk17-perf-map-DumpPerfMapAtExit.map.gz", &len);
	char *out, *line, *save = NULL;

	assert_non_null(map);
	cap = len + len / 4 + 256;
	out = malloc(cap);
	assert_non_null(out);
	for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		uint64_t start;

		if (strncmp(line, "0x", 2))
			continue; /* the excerpt's cut marker */
		start = strtoull(line, &end, 16);
		assert_true(end > line && *end == ' ');
		n += (size_t)snprintf(out + n, cap - n, "0x%016" PRIx64 "%s\n",
				      (uint64_t)(start + PERFMAP_SHIFT), end);
		assert_true(n < cap);
	}
	n += (size_t)snprintf(out + n, cap - n, "0x%016" PRIx64 " 0x0000000000017de0 Interpreter\n",
			      (uint64_t)INTERPRETER);
	assert_true(n < cap);
	free(map);
	*out_len = n;
	return out;
}

static void build_capture(void)
{
	static const struct {
		uint64_t addr;
		unsigned n;
	} leaves[] = {
		{ RUNHOT_C2_OSR, 30 },	{ RUNHOT_C1, 10 },    { POLYCALL_C2, 20 },
		{ INDYLOOP_C2, 25 },	{ INDYLOOP_OSR, 15 }, { ORDINAL_C1, 5 },
		{ HASHCODE_NATIVE, 5 }, { INTERPRETER, 40 },
	};
	size_t map_len = 0, xml_len = 0;
	char *map = moved_perfmap(&map_len);
	char *xml = fixture_read("hotspot/jdk17-logcompilation-hotspot_pid.log.excerpt.xml.gz",
				 &xml_len);
	struct synth *s;
	uint64_t t = VM_START + SEC;
	int fd = mkstemp(capture_path);

	assert_true(fd >= 0);
	close(fd);
	assert_non_null(xml);
	assert_int_equal(synth__open(capture_path, "command=java Workload\n", 0, &s), 0);
	assert_int_equal(synth__comm(s, PID, PID, "java", VM_START), 0);
	assert_int_equal(synth__comm(s, PID, PID + 1, "java", VM_START), 0);
	assert_int_equal(
		synth__mmap(s, PID, 0x7f8821000000ull, 0x8000000ull, 0, "//anon", VM_START), 0);
	/* Every sample called from the interpreter (a Java caller the frame
	 * chain keeps with -XX:+PreserveFramePointer). */
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		for (unsigned k = 0; k < leaves[i].n; k++, t += 10000000ull) {
			uint64_t chain[2] = { leaves[i].addr + 0x10, INTERPRETER + 0x839 };
			size_t depth = leaves[i].addr == INTERPRETER ? 1 : 2;

			assert_int_equal(synth__sample(s, PID, PID + 1, t, 1, chain, depth), 0);
		}
	}
	assert_int_equal(
		synth__side_file(s, PID, LOG_DONE, "/tmp/perf-17061.map", "perfmap", map, map_len),
		0);
	assert_int_equal(synth__side_file(s, PID, LOG_DONE, "hotspot-pid17061.xml",
					  "hotspot-logcompilation", xml, xml_len),
			 0);
	assert_int_equal(synth__close(s, LOG_DONE, 0), 0);
	free(map);
	free(xml);
}

static void test_capture(void **state)
{
	struct load_filter filter = { .plugins = host };
	struct profile p;
	struct func_table t;
	char err[512];
	uint32_t runhot, indy, interp;
	uint64_t osr = 0;

	(void)state;
	build_capture();
	profile__init(&p, NULL);
	assert_int_equal(profile__load(&p, capture_path, &filter, err, sizeof(err)), 0);
	func_table__build(&t, &p);

	assert_int_equal(t.samples, 150);
	assert_int_equal(t.leaf_tiers[TP_TIER_OPTIMIZED], 30 + 20 + 25 + 15);
	assert_int_equal(t.leaf_tiers[TP_TIER_BASELINE], 10 + 5);
	assert_int_equal(t.leaf_tiers[TP_TIER_RUNTIME], 5);
	assert_int_equal(t.leaf_tiers[TP_TIER_INTERPRETER], 40);
	assert_int_equal(t.leaf_tiers[TP_TIER_UNKNOWN], 0);
	/* A method's C1, C2 and OSR code: one function. */
	runhot = func_by_name(&p, "Workload::runHot(int, int)");
	indy = func_by_name(&p, "Workload::indyLoop(int)");
	interp = func_by_name(&p, "Interpreter (Java method not named)");
	func_by_name(&p, "Workload::polyCall(Workload$Shape, int)");
	func_by_name(&p, "java.lang.Enum::ordinal()");
	func_by_name(&p, "java.lang.Object::hashCode()");
	assert_int_equal(t.funcs[runhot].self, 40);
	assert_int_equal(t.funcs[runhot].self_tiers[TP_TIER_OPTIMIZED], 30);
	assert_int_equal(t.funcs[runhot].self_tiers[TP_TIER_BASELINE], 10);
	assert_int_equal(t.funcs[indy].self, 40);
	assert_int_equal(t.funcs[indy].self_tiers[TP_TIER_OPTIMIZED], 40);
	assert_int_equal(t.funcs[interp].total, 150);
	assert_string_equal(profile__str(&p, p.funcs[runhot].runtime), "hotspot");
	for (uint32_t f = 0; f < p.nframes; f++)
		osr += (p.frames[f].flags & TP_FRAME_OSR) != 0;
	assert_int_equal(osr, 2); /* runHot's and indyLoop's OSR code */

	func_table__exit(&t);
	profile__exit(&p);
	unlink(capture_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classify_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perfmap_join, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
