/* Frame -> tier for PyPy (FORMATS.md sections 3.6, 3.7, 5):
 *   "pypy:loop|entry|bridge ..."  JIT code the plugin named (pypy_name.c):
 *                                 optimized; identity = the Python function,
 *                                 so its loops and bridges aggregate
 *   libpypy*-c.so                 the interpreter, GC and runtime: named
 *                                 pypy_g_* functions by their role; Debian's
 *                                 stripped library as interpreter, with a hint
 *                                 saying that interpreter and runtime time
 *                                 cannot be told apart there
 *   anonymous memory of a pypy    JIT code nobody named: unknown, with a hint */
#include "plugin_probe.h"
#include "pypy_state.h"

#include <stdio.h>
#include <string.h>

static void set(struct tp_classification *out, uint32_t tier, const char *subtier)
{
	out->tier = tier;
	snprintf(out->subtier, sizeof(out->subtier), "%s", subtier);
	snprintf(out->runtime, sizeof(out->runtime), "%s", PYPY_RUNTIME);
}

static int is_libpypy(const char *dso)
{
	const char *b = plugin_base_name(dso);

	return b && !strncmp(b, "libpypy", 7) && strstr(b, ".so");
}

static int is_pypy_comm(const char *comm)
{
	return comm && !strncmp(comm, "pypy", 4);
}

/* "pypy:<kind> <func> <firstline> <line> <file>" or "pypy:<kind> - <text>". */
static int classify_jit(const char *name, struct tp_classification *out)
{
	const char *p = name + 5, *sp;
	struct pypy_where w = { 0 };
	const char *sub;
	unsigned long long first, line;
	int n = 0;

	if (!strncmp(p, "loop ", 5))
		sub = "JIT loop";
	else if (!strncmp(p, "entry ", 6))
		sub = "entry bridge";
	else if (!strncmp(p, "bridge ", 7))
		sub = "JIT bridge";
	else
		return 0;
	p = strchr(p, ' ') + 1;
	if (!strncmp(p, "- ", 2)) {
		w.driver = p + 2;
		w.driver_len = strlen(w.driver);
	} else {
		sp = strchr(p, ' ');
		if (!sp || sscanf(sp + 1, "%llu %llu %n", &first, &line, &n) != 2 || !n)
			return 0;
		w.func = p;
		w.func_len = (size_t)(sp - p);
		w.firstline = first;
		w.line = line;
		w.file = sp + 1 + n;
		w.file_len = strlen(w.file);
	}
	set(out, TP_TIER_OPTIMIZED, sub);
	pypy_identity(&w, out->function_key, sizeof(out->function_key), out->display_name,
		      sizeof(out->display_name));
	return 1;
}

/* libpypy with symbols (a debug build, or debug symbols installed). */
static void classify_named_libpypy(const char *sym, struct tp_classification *out)
{
	static const struct {
		const char *word, *subtier;
		uint32_t tier;
	} roles[] = {
		{ "dispatch_bytecode", "interpreter", TP_TIER_INTERPRETER },
		{ "handle_bytecode", "interpreter", TP_TIER_INTERPRETER },
		{ "execute_frame", "interpreter", TP_TIER_INTERPRETER },
		{ "_opcode", "interpreter", TP_TIER_INTERPRETER },
		{ "IncrementalMiniMarkGC", "GC", TP_TIER_RUNTIME },
		{ "_gc_", "GC", TP_TIER_RUNTIME },
		{ "minor_collection", "GC", TP_TIER_RUNTIME },
		{ "metainterp", "JIT compiler", TP_TIER_RUNTIME },
		{ "MetaInterp", "JIT compiler", TP_TIER_RUNTIME },
		{ "optimize", "JIT compiler", TP_TIER_RUNTIME },
		{ "Assembler", "JIT compiler", TP_TIER_RUNTIME },
	};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strstr(sym, roles[i].word)) {
			set(out, roles[i].tier, roles[i].subtier);
			return;
		}
	}
	set(out, TP_TIER_RUNTIME, "runtime");
}

int pypy_classify(void *state, const struct tp_frame_info *f, struct tp_classification *out)
{
	const char *comm = TP_HAS(f, comm) ? f->comm : NULL;
	const char *cause = TP_HAS(f, unknown_cause) ? f->unknown_cause : NULL;

	(void)state;
	if (f->name && !strncmp(f->name, "pypy:", 5) &&
	    (f->source == TP_SYM_PERFMAP || f->source == TP_SYM_PLUGIN))
		return classify_jit(f->name, out);
	if (f->dso && is_libpypy(f->dso)) {
		if (f->name) {
			classify_named_libpypy(f->name, out);
			return 1;
		}
		/* Debian's libpypy is stripped (FORMATS.md 3.7): the interpreter,
		 * GC and runtime are one unnamed blob. Most of it is the
		 * interpreter in a program the JIT does not cover. */
		set(out, TP_TIER_INTERPRETER, "libpypy, stripped");
		snprintf(out->display_name, sizeof(out->display_name),
			 "[libpypy: interpreter, GC, runtime]");
		snprintf(out->function_key, sizeof(out->function_key), "pypy libpypy");
		snprintf(out->hint, sizeof(out->hint),
			 "%s is stripped: the interpreter, GC and runtime cannot be named or "
			 "told apart (install its debug symbols); which Python functions run "
			 "there, see the JIT aborts (tierprof deopts)",
			 plugin_base_name(f->dso));
		return 1;
	}
	if (!f->name && is_pypy_comm(comm) && f->dso && !strcmp(f->dso, "//anon") && cause) {
		set(out, TP_TIER_UNKNOWN, "");
		snprintf(out->hint, sizeof(out->hint),
			 "PyPy JIT code without a name: PyPy writes no perf map; let tierprof "
			 "launch it (tierprof record -- pypy3 ...) so the plugin's startup hook "
			 "names its loops and bridges (not with -E/-I, which ignore PYTHONPATH)");
		return 1;
	}
	return 0;
}
