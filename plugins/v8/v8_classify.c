/* Frame -> tier for V8 (FORMATS.md section 1):
 *   JS:~ / Eval:~   Ignition (interpreter); only the executable trampoline
 *                   copies of --interpreted-frames-native-stack are ever
 *                   sampled, the bytecode entries are data
 *   JS:^            Sparkplug (baseline)
 *   JS:+ / JS:*     Maglev / TurboFan (optimized)
 *   Builtins_InterpreterEntryTrampoline and bytecode handlers: interpreter;
 *                   handlers fold into the interpreted function that runs them
 *   other builtins, stubs, RegExp code and V8's C++: runtime
 * Function identity is name + script:line:col, so a function's tiers meet. */
#include "v8_state.h"

#include <stdio.h>
#include <string.h>

#define V8_RUNTIME "v8"

static void set(struct tp_classification *out, uint32_t tier, const char *subtier, uint32_t flags)
{
	out->tier = tier;
	out->flags = flags;
	snprintf(out->subtier, sizeof(out->subtier), "%s", subtier);
	snprintf(out->runtime, sizeof(out->runtime), "%s", V8_RUNTIME);
}

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);

	return n >= p && !memcmp(s, prefix, p);
}

/* An embedded builtin by its bare name (no "Builtins_" / "Builtin:"). */
static void classify_builtin(const char *b, size_t n, struct tp_classification *out)
{
	if (starts(b, n, "InterpreterEntryTrampoline")) {
		/* The interpreted function itself, unnamed: V8 runs without
		 * --interpreted-frames-native-stack. */
		set(out, TP_TIER_INTERPRETER, "Ignition", 0);
		snprintf(out->hint, sizeof(out->hint),
			 "interpreted JS frames without their function's name: node started "
			 "without --interpreted-frames-native-stack (let tierprof launch it), "
			 "or code run before the flag took effect");
	} else if (starts(b, n, "InterpreterEnterAt") || starts(b, n, "InterpreterPushArgs")) {
		set(out, TP_TIER_INTERPRETER, "Ignition",
		    TP_FRAME_FOLD_INTO_CALLER | TP_FRAME_FRAMELESS);
	} else if (n > 9 && !memcmp(b + n - 9, "_Baseline", 9)) {
		/* Called from Sparkplug code without a frame of their own. */
		set(out, TP_TIER_RUNTIME, "baseline helper", TP_FRAME_FRAMELESS);
	} else if (starts(b, n, "RegExp") || starts(b, n, "StringPrototypeReplace") ||
		   starts(b, n, "StringPrototypeMatch")) {
		set(out, TP_TIER_RUNTIME, "RegExp", 0);
	} else {
		set(out, TP_TIER_RUNTIME, "builtin", 0);
	}
}

static int classify_elf(const char *sym, struct tp_classification *out)
{
	const char *base;
	size_t base_len;
	static const char *const gc[] = { "Heap",
					  "Scavenge",
					  "MarkCompact",
					  "Sweeper",
					  "ConcurrentMarking",
					  "Marking",
					  "Evacuat",
					  "heap::",
					  "GCTracer",
					  "MinorMC",
					  "MemoryAllocator",
					  "GlobalHandles",
					  "cppgc::" };
	static const char *const jit[] = { "compiler::",
					   "maglev::",
					   "baseline::",
					   "Compiler::",
					   "OptimizingCompileDispatcher",
					   "TurbofanCompilationJob",
					   "wasm::" };
	static const char *const parser[] = { "Parser", "Scanner", "interpreter::", "PreParser",
					      "AstValueFactory" };
	const char *in;

	switch (v8_name__elf_builtin(sym, &base, &base_len)) {
	case V8_BYTECODE_HANDLER:
		/* Dispatched inside the interpreted function's frame. */
		set(out, TP_TIER_INTERPRETER, "Ignition",
		    TP_FRAME_FOLD_INTO_CALLER | TP_FRAME_FRAMELESS);
		return 1;
	case V8_BUILTIN:
		classify_builtin(base, base_len, out);
		return 1;
	case V8_BUILTIN_NONE:
		break;
	}
	if (strncmp(sym, "v8::", 4) && strncmp(sym, "cppgc::", 7))
		return 0;
	in = strncmp(sym, "v8::internal::", 14) ? sym + 4 : sym + 14;
	if (!strncmp(in, "Runtime_", 8)) {
		set(out, TP_TIER_RUNTIME, "runtime call", 0);
		return 1;
	}
	for (size_t i = 0; i < sizeof(gc) / sizeof(gc[0]); i++) {
		if (!strncmp(sym, "cppgc::", 7) || !strncmp(in, gc[i], strlen(gc[i]))) {
			set(out, TP_TIER_RUNTIME, "GC", 0);
			return 1;
		}
	}
	for (size_t i = 0; i < sizeof(jit) / sizeof(jit[0]); i++) {
		if (!strncmp(in, jit[i], strlen(jit[i]))) {
			set(out, TP_TIER_RUNTIME, "JIT compiler", 0);
			return 1;
		}
	}
	for (size_t i = 0; i < sizeof(parser) / sizeof(parser[0]); i++) {
		if (!strncmp(in, parser[i], strlen(parser[i]))) {
			set(out, TP_TIER_RUNTIME, "parser", 0);
			return 1;
		}
	}
	set(out, TP_TIER_RUNTIME, "VM", 0);
	return 1;
}

static int is_js_kind(const char *kind)
{
	static const char *const js[] = { "JS", "Eval", "LazyCompile", "Function", "Script" };

	for (size_t i = 0; i < sizeof(js) / sizeof(js[0]); i++) {
		if (!strcmp(kind, js[i]))
			return 1;
	}
	return 0;
}

/* Remember which key a bare function name stands for (trace lines carry
 * only names); a name two functions share joins nothing. */
static void note_name(struct v8_state *s, const struct v8_name *n, const char *key)
{
	const char *old;

	if (!n->func_len)
		return;
	old = plugin_strmap__get(&s->name_keys, n->func, n->func_len);
	if (!old)
		plugin_strmap__put(&s->name_keys, n->func, n->func_len, key);
	else if (old[0] && strcmp(old, key))
		plugin_strmap__put(&s->name_keys, n->func, n->func_len, "");
}

static int classify_jit(struct v8_state *s, const char *name, struct tp_classification *out)
{
	struct v8_name n;

	if (v8_name__parse(name, strlen(name), &n))
		return 0;
	if (is_js_kind(n.kind)) {
		switch (n.tier) {
		case V8_TIER_IGNITION:
			set(out, TP_TIER_INTERPRETER, "Ignition", 0);
			break;
		case V8_TIER_SPARKPLUG:
			set(out, TP_TIER_BASELINE, "Sparkplug", 0);
			break;
		case V8_TIER_MAGLEV:
			set(out, TP_TIER_OPTIMIZED, "Maglev", 0);
			break;
		case V8_TIER_TURBOFAN:
			set(out, TP_TIER_OPTIMIZED, "TurboFan", 0);
			break;
		case V8_TIER_NONE:
			set(out, TP_TIER_UNKNOWN, "", 0);
			break;
		}
		v8_identity(&n, out->function_key, sizeof(out->function_key), out->display_name,
			    sizeof(out->display_name));
		note_name(s, &n, out->function_key);
		return 1;
	}
	if (!strcmp(n.kind, "BytecodeHandler")) {
		set(out, TP_TIER_INTERPRETER, "Ignition",
		    TP_FRAME_FOLD_INTO_CALLER | TP_FRAME_FRAMELESS);
	} else if (!strcmp(n.kind, "Builtin")) {
		classify_builtin(n.rest, n.rest_len, out);
		snprintf(out->display_name, sizeof(out->display_name), "Builtins_%.*s",
			 (int)n.rest_len, n.rest);
	} else if (!strcmp(n.kind, "RegExp")) {
		set(out, TP_TIER_RUNTIME, "RegExp", 0);
	} else {
		set(out, TP_TIER_RUNTIME, "stub", 0); /* Stub:, Handler:, Callback:, ... */
	}
	return 1;
}

static int is_node(const char *comm)
{
	return comm && (!strcmp(comm, "node") || !strcmp(comm, "nodejs") ||
			!strncmp(comm, "node ", 5) || strstr(comm, "node-") == comm);
}

int v8_classify(void *state, const struct tp_frame_info *f, struct tp_classification *out)
{
	struct v8_state *s = state;
	const char *comm = TP_HAS(f, comm) ? f->comm : NULL;
	const char *cause = TP_HAS(f, unknown_cause) ? f->unknown_cause : NULL;

	if (!f->name) {
		/* Only anonymous memory of a node process is ours to explain. */
		if (!is_node(comm) || !f->dso || strcmp(f->dso, "//anon") || !cause)
			return 0;
		set(out, TP_TIER_UNKNOWN, "", 0);
		if (!strcmp(cause, "jit-no-perfmap"))
			snprintf(out->hint, sizeof(out->hint),
				 "node JIT code without a perf map: start node with "
				 "--perf-basic-prof --interpreted-frames-native-stack, or let "
				 "tierprof launch it (tierprof record -- node ...)");
		else
			snprintf(out->hint, sizeof(out->hint),
				 "node JIT code its perf map does not cover: attached to a node "
				 "that enabled --perf-basic-prof late, or code replaced between "
				 "two reads of the map; let tierprof launch node");
		return 1;
	}
	if (f->source == TP_SYM_ELF)
		return classify_elf(f->name, out);
	if (f->source == TP_SYM_PERFMAP || f->source == TP_SYM_JITDUMP ||
	    f->source == TP_SYM_PLUGIN)
		return classify_jit(s, f->name, out);
	return 0;
}
