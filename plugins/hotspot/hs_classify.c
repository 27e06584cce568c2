/* Frame -> tier for HotSpot (FORMATS.md section 2, DESIGN.md section 4):
 *   Interpreter (perf map blob)      interpreter; the Java method it runs is
 *                                    named per sample (NEEDS_CONTEXT,
 *                                    hs_interp.c) when the agent's table is
 *                                    there; what is left unnamed: hint
 *   compiled methods                 C1 levels 1-3 baseline, C2 level 4
 *                                    optimized, OSR flagged: from our names
 *                                    ("KEY [C2 OSR]", hs_ingest.c) or, for the
 *                                    perf map's, the log's nmethod at that
 *                                    address and time
 *   other perf map blobs             runtime (stubs, adapters)
 *   libjvm.so                        runtime: GC, JIT compiler, interpreter
 *                                    runtime, class loading, VM
 * Function identity: "pkg.Class::method(T1, T2)" (hs_name.h), so a method's
 * tiers aggregate. */
#include "hs_name.h"
#include "hs_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HS_RUNTIME "hotspot"

uint32_t hs_level_tier(int level)
{
	if (level >= 1 && level <= 3)
		return TP_TIER_BASELINE;
	if (level == 4)
		return TP_TIER_OPTIMIZED;
	if (level == 0)
		return TP_TIER_RUNTIME; /* a JNI / method handle native wrapper */
	return TP_TIER_UNKNOWN;
}

const char *hs_level_label(int level)
{
	static const char *const labels[] = { "native wrapper", "C1 L1", "C1 L2", "C1 L3", "C2" };

	return level >= 0 && level <= 4 ? labels[level] : "";
}

static void set(struct tp_classification *out, uint32_t tier, const char *subtier, uint32_t flags)
{
	out->tier = tier;
	out->flags = flags;
	snprintf(out->subtier, sizeof(out->subtier), "%s", subtier);
	snprintf(out->runtime, sizeof(out->runtime), "%s", HS_RUNTIME);
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int any_prefix(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (starts(s, list[i]))
			return 1;
	}
	return 0;
}

#define ANY_PREFIX(s, list) any_prefix(s, list, sizeof(list) / sizeof(list[0]))

/* libjvm.so's own code, by its C++ names. */
static void classify_libjvm(const char *sym, struct tp_classification *out)
{
	static const char *const gc[] = {
		"G1",
		"Parallel",
		"PS",
		"Shenandoah",
		"Z",
		"Serial",
		"DefNew",
		"Tenured",
		"CardTable",
		"CollectedHeap",
		"GenCollected",
		"MarkSweep",
		"Mark",
		"OopStorage",
		"WeakProcessor",
		"ReferenceProcessor",
		"Space",
		"PLAB",
		"ThreadLocalAllocBuffer",
		"GC",
		"HeapRegion",
		"TaskTerminator",
		"WorkGang",
		"GangWorker",
		"Scavenge",
		"ContiguousSpace",
		"OopOopIterate",
	};
	static const char *const jit[] = {
		"Compile",
		"C2Compiler",
		"Phase",
		"Parse",
		"Matcher",
		"Node",
		"Compilation",
		"C1",
		"LinearScan",
		"GraphBuilder",
		"LIR_",
		"LIRGenerator",
		"IR",
		"BlockBegin",
		"Instruction",
		"ValueStack",
		"ci",
		"CompilerThread",
		"Type",
		"Block",
		"ConnectionGraph",
		"Arena",
		"Chunk::",
		"Dict",
		"IndexSet",
		"RegMask",
		"Optimizer",
		"LoopNode",
		"Unique_Node_List",
		"Node_List",
		"MachNode",
		"CodeBuffer",
		"Assembler",
		"MacroAssembler",
		"Relocation",
		"nmethod::new_nmethod",
		"Dependencies",
		"Deoptimization",
		"OopMap",
		"Scheduling",
		"BCEscapeAnalyzer",
		"InlineTree",
		"CallGenerator",
		"GraphKit",
	};
	static const char *const interp[] = { "InterpreterRuntime", "TemplateInterpreter",
					      "BytecodeInterpreter", "AbstractInterpreter" };
	static const char *const classes[] = {
		"ClassLoader",	 "SystemDictionary", "ClassFileParser",	    "Verifier",
		"ClassVerifier", "LinkResolver",     "InstanceKlass::link", "Rewriter",
		"Symbol"
	};

	if (starts(sym, "OptoRuntime") || starts(sym, "SharedRuntime") || starts(sym, "Runtime1") ||
	    starts(sym, "StubRoutines"))
		set(out, TP_TIER_RUNTIME, "stub", 0);
	else if (ANY_PREFIX(sym, interp))
		set(out, TP_TIER_RUNTIME, "interpreter runtime", 0);
	else if (ANY_PREFIX(sym, gc))
		set(out, TP_TIER_RUNTIME, "GC", 0);
	else if (ANY_PREFIX(sym, jit))
		set(out, TP_TIER_RUNTIME, "JIT compiler", 0);
	else if (ANY_PREFIX(sym, classes))
		set(out, TP_TIER_RUNTIME, "class loading", 0);
	else
		set(out, TP_TIER_RUNTIME, "VM", 0);
}

static int is_libjvm(const char *dso)
{
	size_t n = dso ? strlen(dso) : 0;

	return n >= 9 && !strcmp(dso + n - 9, "libjvm.so") && (n == 9 || dso[n - 10] == '/');
}

static int code_cmp(const void *a, const void *b)
{
	const struct hs_code *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->time_ns > y->time_ns) - (x->time_ns < y->time_ns);
}

/* The nmethod the log put at addr, latest installed at or before t (the
 * earliest one when the sample precedes them all). */
static const struct hs_code *code_at(struct hs_proc *p, uint64_t addr, uint64_t t)
{
	const struct hs_code *best = NULL, *first = NULL;
	size_t lo = 0, hi;

	if (!p || !p->ncodes)
		return NULL;
	if (!p->sorted) {
		qsort(p->codes, p->ncodes, sizeof(*p->codes), code_cmp);
		p->sorted = 1;
	}
	/* Entries start where the perf map's do: the address is a start. */
	hi = p->ncodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->codes[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < p->ncodes && p->codes[i].start == addr; i++) {
		if (!first)
			first = &p->codes[i];
		if (p->codes[i].time_ns <= t)
			best = &p->codes[i];
	}
	return best ? best : first;
}

static void set_method(struct tp_classification *out, const char *key, size_t key_len, int level,
		       int osr)
{
	uint32_t tier = hs_level_tier(level);

	set(out, tier, hs_level_label(level), osr ? TP_FRAME_OSR : 0);
	if (osr && tier != TP_TIER_UNKNOWN)
		snprintf(out->subtier, sizeof(out->subtier), "%s OSR", hs_level_label(level));
	snprintf(out->function_key, sizeof(out->function_key), "%.*s", (int)key_len, key);
	snprintf(out->display_name, sizeof(out->display_name), "%.*s", (int)key_len, key);
}

static int classify_jit(struct hs_state *s, const struct tp_frame_info *f,
			struct tp_classification *out)
{
	const char *name = f->name;
	size_t n = strlen(name), key_len;
	char key[512];
	int level, osr;

	if (hs_name__parse_tagged(name, n, &key_len, &level, &osr) == 0) {
		set_method(out, name, key_len, level, osr);
		return 1;
	}
	if (!strcmp(name, "Interpreter")) {
		int named = hs_interp_ready(s, f->pid);

		/* With the agent's method table, each sample's frame says which
		 * method runs (hs_interp.c); what stays here is what it could not
		 * name. */
		set(out, TP_TIER_INTERPRETER, "template interpreter",
		    named ? TP_FRAME_NEEDS_CONTEXT : 0);
		snprintf(out->display_name, sizeof(out->display_name),
			 "Interpreter (Java method not named)");
		if (named)
			snprintf(out->hint, sizeof(out->hint),
				 "interpreted Java frames whose Method* the sampled stack did not "
				 "hold: a method being entered or left, a caller whose frame lies "
				 "beyond the sampled stack (record --call-graph fp,SIZE), or a "
				 "class "
				 "unloaded before exit");
		else
			snprintf(out->hint, sizeof(out->hint),
				 "interpreted Java frames: HotSpot's template interpreter is one "
				 "code blob; tierprof names the method from its frame when it "
				 "launches java itself (its JVMTI agent lists the methods): use "
				 "tierprof record -- java ...");
		return 1;
	}
	if (hs_name__from_perfmap(name, n, key, sizeof(key)) == 0) {
		const struct hs_code *c =
			code_at(hs_state__proc(s, f->pid, 0), f->addr, f->time_ns);

		hs_note_key(s, key);
		if (c) {
			set_method(out, key, strlen(key), c->level, c->osr);
			return 1;
		}
		set_method(out, key, strlen(key), -1, 0);
		snprintf(out->hint, sizeof(out->hint),
			 "compiled Java method whose tier (C1 or C2) the perf map does not say: "
			 "let tierprof launch java (it enables -XX:+LogCompilation)");
		return 1;
	}
	if (strstr(name, "adapter"))
		set(out, TP_TIER_RUNTIME, "adapter", 0);
	else
		set(out, TP_TIER_RUNTIME, "stub", 0);
	return 1;
}

static int is_jvm(struct hs_state *s, const struct tp_frame_info *f)
{
	const char *comm = TP_HAS(f, comm) ? f->comm : NULL;

	return hs_state__proc(s, f->pid, 0) || (comm && !strcmp(comm, "java"));
}

int hs_classify(void *state, const struct tp_frame_info *f, struct tp_classification *out)
{
	struct hs_state *s = state;
	const char *cause = TP_HAS(f, unknown_cause) ? f->unknown_cause : NULL;

	if (f->name && f->source == TP_SYM_ELF && is_libjvm(f->dso)) {
		classify_libjvm(f->name, out);
		return 1;
	}
	if (!is_jvm(s, f))
		return 0;
	if (!f->name) {
		/* Only anonymous memory, the code cache, is ours to explain. */
		if (!f->dso || strcmp(f->dso, "//anon") || !cause)
			return 0;
		set(out, TP_TIER_UNKNOWN, "", 0);
		if (!strcmp(cause, "jit-no-perfmap"))
			snprintf(out->hint, sizeof(out->hint),
				 "JVM code cache without a perf map: let tierprof launch java "
				 "(tierprof record -- java ...), or start it with "
				 "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit");
		else
			snprintf(
				out->hint, sizeof(out->hint),
				"JVM code freed before the perf map was written at exit (HotSpot's "
				"map is a snapshot): the LogCompilation log names such code; let "
				"tierprof launch java with TIERPROF_HOTSPOT_MODE=full");
		return 1;
	}
	if (f->source == TP_SYM_PERFMAP || f->source == TP_SYM_JITDUMP ||
	    f->source == TP_SYM_PLUGIN)
		return classify_jit(s, f, out);
	return 0;
}
