#include "profile.h"
#include "../util/mem.h"

#include <string.h>

static const struct {
	const char *name, *hint;
} causes[UNKNOWN__COUNT] = {
	[UNKNOWN_NONE] = { "none", "" },
	[UNKNOWN_NO_MAPPING] = { "no-mapping",
				 "address outside every mapping: the frame-pointer chain broke "
				 "(code built without frame pointers) or the maps are stale" },
	[UNKNOWN_ANON_NO_MAP] = { "jit-no-perfmap",
				  "anonymous executable memory (JIT code) without a perf map or "
				  "jitdump: let tierprof launch the runtime, or enable its perf "
				  "map" },
	[UNKNOWN_NO_SYMBOLS] = { "stripped",
				 "ELF without symbols and no debug file: install the -dbgsym "
				 "package or build with symbols" },
	[UNKNOWN_DSO_MISSING] = { "file-missing",
				  "the mapped file is gone, changed or unreadable: analyse on the "
				  "recording machine before it changes" },
	[UNKNOWN_NOT_IN_SYMTAB] = { "no-symbol",
				    "no symbol covers the address (hand-written or local code "
				    "without symbols): build with full symbol tables" },
	[UNKNOWN_KERNEL_HIDDEN] = { "kernel-hidden",
				    "kernel address without kernel symbols: record as root or with "
				    "kernel.kptr_restrict=0" },
	[UNKNOWN_TRUNCATED] = { "truncated",
				"stack cut at --max-depth: record with a larger --max-depth "
				"(up to kernel.perf_event_max_stack)" },
	[UNKNOWN_JIT_NO_ENTRY] = { "jit-no-entry",
				   "JIT code the perf map or jitdump does not cover at that time: "
				   "code created before the map was enabled (attach), or freed and "
				   "replaced between two reads; launch the runtime under "
				   "tierprof" },
	[UNKNOWN_JIT_NO_CFI] = { "jit-no-cfi",
				 "no CFI for this JIT code: DWARF unwinding stops at JIT frames; "
				 "report with --unwind dwarf (frame pointers through JIT code) or "
				 "record with --call-graph fp" },
	[UNKNOWN_STACK_SLICE] = { "stack-slice",
				  "stack slice too small: the callers lie above the sampled "
				  "stack; record with a larger --call-graph dwarf,SIZE (up to "
				  "65528)" },
	[UNKNOWN_NATIVE_NO_CFI] = { "native-no-cfi",
				    "native code without CFI (.eh_frame): the walk cannot go on; "
				    "build it with -fasynchronous-unwind-tables or frame "
				    "pointers" },
};

const char *unknown_cause__name(enum unknown_cause c)
{
	return c < UNKNOWN__COUNT ? causes[c].name : "invalid";
}

const char *unknown_cause__hint(enum unknown_cause c)
{
	return c < UNKNOWN__COUNT ? causes[c].hint : "";
}

void profile__init(struct profile *p, const char *debug_root)
{
	memset(p, 0, sizeof(*p));
	dso_registry__init(&p->dsos, debug_root);
	strtab__init(&p->strings);
	strtab__init(&p->func_keys);
	strtab__init(&p->subtiers);
	strtab__intern(&p->subtiers, "", 0); /* id 0: no sub-tier */
	u64map__init(&p->frame_index);
	u64map__init(&p->node_index);
	u64map__init(&p->thread_index);
	/* Node 0 is the root of every stack. */
	TP_VEC_PUSH(p->nodes, p->nnodes, p->nodes_cap,
		    ((struct stack_node){ .parent = 0, .frame = UINT32_MAX }));
	p->info.exit_status = -1;
}

void profile__exit(struct profile *p)
{
	free(p->info.path);
	free(p->info.command);
	dso_registry__exit(&p->dsos);
	strtab__exit(&p->strings);
	free(p->funcs);
	free(p->frames);
	free(p->nodes);
	free(p->samples);
	free(p->threads);
	free(p->events);
	free(p->stats);
	strtab__exit(&p->func_keys);
	strtab__exit(&p->subtiers);
	u64map__exit(&p->frame_index);
	u64map__exit(&p->node_index);
	u64map__exit(&p->thread_index);
	memset(p, 0, sizeof(*p));
}

uint32_t profile__function(struct profile *p, const char *name, uint32_t dso, enum unknown_cause c,
			   int kernel)
{
	/* [unknown] functions differ by cause too, so each cause is reported apart. */
	char *key = tp_xasprintf("%s%c%u%c%u%c%d", name, 1, dso, 1, (unsigned)c, 1, !!kernel);
	uint32_t id = strtab__intern(&p->func_keys, key, strlen(key));

	free(key);
	if (id == p->nfuncs) {
		uint32_t sid = strtab__intern(&p->strings, name, strlen(name));
		const char *rt = kernel ? "kernel" : c != UNKNOWN_NONE ? "unknown" : "native";

		TP_VEC_PUSH(p->funcs, p->nfuncs, p->funcs_cap,
			    ((struct function){
				    .name = sid,
				    .key = sid,
				    .hint = UINT32_MAX,
				    .dso = dso,
				    .cause = (uint8_t)c,
				    .kernel = (uint8_t) !!kernel,
				    .runtime = strtab__intern(&p->strings, rt, strlen(rt)) }));
	}
	return id;
}

uint32_t profile__function_keyed(struct profile *p, const char *key, const char *display,
				 const char *runtime, uint32_t dso)
{
	/* The key alone: a JIT function's tiers live in different DSOs (its
	 * optimized code in anonymous memory, the interpreter in the runtime's
	 * binary) and must still aggregate. */
	char *k = tp_xasprintf("%s%cplugin", key, 1);
	uint32_t id = strtab__intern(&p->func_keys, k, strlen(k));

	free(k);
	if (id == p->nfuncs)
		TP_VEC_PUSH(
			p->funcs, p->nfuncs, p->funcs_cap,
			((struct function){
				.name = strtab__intern(&p->strings, display, strlen(display)),
				.key = strtab__intern(&p->strings, key, strlen(key)),
				.runtime = strtab__intern(&p->strings, runtime, strlen(runtime)),
				.hint = UINT32_MAX,
				.dso = dso }));
	return id;
}

uint32_t profile__unknown_function(struct profile *p, uint32_t dso, enum unknown_cause c,
				   const char *hint)
{
	char *k = tp_xasprintf("[unknown]%c%u%c%u%c%s", 1, dso, 1, (unsigned)c, 1, hint);
	uint32_t id = strtab__intern(&p->func_keys, k, strlen(k));

	free(k);
	if (id == p->nfuncs) {
		uint32_t sid = strtab__intern(&p->strings, "[unknown]", 9);

		TP_VEC_PUSH(
			p->funcs, p->nfuncs, p->funcs_cap,
			((struct function){ .name = sid,
					    .key = sid,
					    .runtime = strtab__intern(&p->strings, "unknown", 7),
					    .hint = strtab__intern(&p->strings, hint, strlen(hint)),
					    .cause = (uint8_t)c,
					    .dso = dso }));
	}
	return id;
}

const char *profile__func_hint(const struct profile *p, uint32_t func)
{
	const struct function *f = &p->funcs[func];

	return f->hint != UINT32_MAX ? profile__str(p, f->hint) : unknown_cause__hint(f->cause);
}

uint32_t profile__frame_ex(struct profile *p, uint32_t func, unsigned tier, const char *subtier,
			   unsigned flags)
{
	uint32_t st = subtier ? strtab__intern(&p->subtiers, subtier, strlen(subtier)) : 0;
	int is_new;
	uint64_t *slot = u64map__slot(&p->frame_index,
				      ((uint64_t)func << 32) | ((uint64_t)st << 8) | tier, &is_new);

	if (is_new) {
		*slot = p->nframes;
		TP_VEC_PUSH(p->frames, p->nframes, p->frames_cap,
			    ((struct frame){
				    .func = func,
				    .subtier = strtab__intern(&p->strings, subtier ? subtier : "",
							      subtier ? strlen(subtier) : 0),
				    .tier = (uint8_t)tier,
				    .flags = (uint8_t)flags }));
	}
	return (uint32_t)*slot;
}

uint32_t profile__frame(struct profile *p, uint32_t func, unsigned tier)
{
	return profile__frame_ex(p, func, tier, NULL, 0);
}

uint32_t profile__child(struct profile *p, uint32_t parent, uint32_t frame)
{
	int is_new;
	uint64_t *slot = u64map__slot(&p->node_index, ((uint64_t)parent << 32) | frame, &is_new);

	if (is_new) {
		*slot = p->nnodes;
		TP_VEC_PUSH(p->nodes, p->nnodes, p->nodes_cap,
			    ((struct stack_node){ .parent = parent,
						  .frame = frame,
						  .depth = p->nodes[parent].depth + 1 }));
	}
	return (uint32_t)*slot;
}

struct thread *profile__thread(struct profile *p, uint32_t pid, uint32_t tid)
{
	int is_new;
	uint64_t *slot = u64map__slot(&p->thread_index, tid, &is_new);

	if (is_new) {
		*slot = p->nthreads;
		TP_VEC_PUSH(p->threads, p->nthreads, p->threads_cap,
			    ((struct thread){ .pid = pid, .tid = tid, .comm = UINT32_MAX }));
	}
	if (pid && p->threads[*slot].pid != pid)
		p->threads[*slot].pid = pid;
	return &p->threads[*slot];
}

const char *profile__func_dso(const struct profile *p, uint32_t func)
{
	uint32_t d = p->funcs[func].dso;

	if (p->funcs[func].kernel)
		return "[kernel.kallsyms]";
	return d == PROFILE_NO_DSO ? "" : p->dsos.dsos[d].short_name;
}

void profile__add_stat(struct profile *p, uint32_t pid, const char *runtime, const char *name,
		       double value, const char *unit)
{
	uint32_t rt = strtab__intern(&p->strings, runtime, strlen(runtime));
	uint32_t nm = strtab__intern(&p->strings, name, strlen(name));
	uint32_t un = strtab__intern(&p->strings, unit ? unit : "", unit ? strlen(unit) : 0);

	for (size_t i = 0; i < p->nstats; i++) {
		struct runtime_stat *st = &p->stats[i];

		if (st->pid == pid && st->runtime == rt && st->name == nm) {
			st->value = value;
			st->unit = un;
			return;
		}
	}
	TP_VEC_PUSH(p->stats, p->nstats, p->stats_cap,
		    ((struct runtime_stat){
			    .pid = pid, .runtime = rt, .name = nm, .unit = un, .value = value }));
}
