/* The profile model every analysis and writer reads: interned functions and
 * frames, a stack trie, and one compact record per sample.
 *
 * function = what a user calls a function (name + DSO); frame = a function in
 * one tier (a V8 function can run interpreted and optimized); stack node =
 * a frame under a parent node (node 0 is the root, no frame).
 * Ownership: the profile owns everything; ids are dense indexes. */
#ifndef TP_MODEL_PROFILE_H
#define TP_MODEL_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "dso.h"
#include "../util/hash.h"

#define PROFILE_NO_DSO UINT32_MAX
#define PROFILE_ROOT 0

/* Why a frame has no name (DESIGN.md section 6); each has a hint with the fix. */
enum unknown_cause {
	UNKNOWN_NONE = 0,
	UNKNOWN_NO_MAPPING,    /* address in no mapping: broken unwind or stale maps */
	UNKNOWN_ANON_NO_MAP,   /* anonymous executable memory (JIT) and no perf map */
	UNKNOWN_NO_SYMBOLS,    /* stripped ELF, no debug file */
	UNKNOWN_DSO_MISSING,   /* file gone, changed, or not ELF */
	UNKNOWN_NOT_IN_SYMTAB, /* symbols loaded, but none covers the address */
	UNKNOWN_KERNEL_HIDDEN, /* kernel address and no kernel symbols */
	UNKNOWN_TRUNCATED,     /* stack cut at --max-depth */
	UNKNOWN_JIT_NO_ENTRY,  /* JIT memory of a process with a perf map, but no entry there */
	UNKNOWN_JIT_NO_CFI,    /* DWARF unwinding reached JIT code without CFI */
	UNKNOWN_STACK_SLICE,   /* DWARF unwinding needed stack above the sampled slice */
	UNKNOWN_NATIVE_NO_CFI, /* DWARF unwinding reached native code without CFI */
	UNKNOWN__COUNT,
};

const char *unknown_cause__name(enum unknown_cause c);
const char *unknown_cause__hint(enum unknown_cause c);

struct function {
	uint32_t name;	  /* strtab id of the display name */
	uint32_t key;	  /* strtab id of the identity (plugin function key, else the name) */
	uint32_t runtime; /* strtab id: "native", "kernel", or the plugin's runtime */
	uint32_t dso;	  /* dso id or PROFILE_NO_DSO */
	uint32_t hint;	/* strtab id of a runtime plugin's fix for this unknown, else UINT32_MAX */
	uint8_t cause;	/* enum unknown_cause for [unknown] functions */
	uint8_t kernel; /* a kernel function */
};

struct frame {
	uint32_t func;
	uint32_t subtier; /* strtab id ("" when the tier has none): "TurboFan", "C1 L3" */
	uint8_t tier;	  /* enum tp_tier */
	uint8_t flags;	  /* TP_FRAME_* a plugin set */
};

struct stack_node {
	uint32_t parent;
	uint32_t frame;
	uint32_t depth; /* root = 0 */
};

struct sample {
	uint64_t time; /* CLOCK_MONOTONIC ns */
	uint64_t period;
	uint32_t pid, tid;
	uint32_t node; /* leaf stack node */
	uint32_t comm; /* thread's comm when sampled (strtab id) */
	/* Samples this one stands for (imported stacks with counts); 0 reads
	 * as 1. Analyses count sample__weight(), never records. */
	uint64_t weight;
};

static inline uint64_t sample__weight(const struct sample *s)
{
	return s->weight ? s->weight : 1;
}

/* A runtime event a plugin reported (compile, deopt, invalidation, abort). */
struct runtime_event {
	uint64_t time;
	uint64_t code_addr;
	uint32_t kind; /* enum tp_event_kind */
	uint32_t pid;
	uint32_t tier;
	uint32_t function;		   /* strtab id of the function key */
	uint32_t reason, detail, position; /* strtab ids ("" when absent) */
	uint32_t runtime;		   /* strtab id of the plugin's name */
};

/* A per-process figure a runtime plugin reported (jit-summary: loops
 * compiled, tracing time); shown in the report's runtime section. */
struct runtime_stat {
	uint32_t pid;
	uint32_t runtime;    /* strtab id of the plugin's name */
	uint32_t name, unit; /* strtab ids; unit "" when none */
	double value;
};

struct thread {
	uint32_t pid, tid;
	uint32_t comm;
	uint64_t samples; /* after filters */
};

struct profile_info {
	char *path;
	char *command; /* launch mode: the command line */
	uint32_t freq_hz;
	uint32_t max_depth;
	uint64_t start_ns, end_ns;
	uint64_t samples_total; /* in the capture, before filters */
	uint64_t lost, throttled;
	int complete; /* FINISH record present and no damage */
	uint64_t damage_offset;
	int damage_err;
	int exit_status;
	int exclude_kernel;
	int has_kallsyms;
	uint64_t frameless_repaired; /* samples whose hidden caller was put back */
	const char *unwind_mode;     /* "fp", "repair", "dwarf", "dwarf-strict" (static) */
	uint32_t stack_user;	     /* bytes of user stack sampled (0: none) */
	uint64_t dwarf_unwound;	     /* samples whose user stack DWARF unwinding built */
	/* Frames a plugin named from their sample's stack (ABI 1.3 refine): of
	 * the frames that needed it, all and leaves only. */
	uint64_t context_frames, context_named;
	uint64_t context_leaf_frames, context_leaf_named;
};

struct profile {
	struct profile_info info;
	struct dso_registry dsos;
	struct tp_strtab strings;
	struct function *funcs;
	size_t nfuncs, funcs_cap;
	struct tp_strtab func_keys; /* name, dso, cause, kernel -> function id */
	struct frame *frames;
	size_t nframes, frames_cap;
	struct tp_u64map frame_index; /* (func, tier, sub-tier) -> frame */
	struct tp_strtab subtiers;    /* sub-tier name -> small id for frame_index */
	struct stack_node *nodes;
	size_t nnodes, nodes_cap;
	struct tp_u64map node_index;
	struct sample *samples;
	size_t nsamples, samples_cap;
	struct thread *threads;
	size_t nthreads, threads_cap;
	struct runtime_event *events;
	size_t nevents, events_cap;
	struct runtime_stat *stats; /* in the order first reported */
	size_t nstats, stats_cap;
	struct tp_u64map thread_index;
};

void profile__init(struct profile *p, const char *debug_root);
void profile__exit(struct profile *p);

uint32_t profile__function(struct profile *p, const char *name, uint32_t dso, enum unknown_cause c,
			   int kernel);
/* A function named by a runtime plugin: identity is (key, dso); display
 * name and runtime are kept from the first sighting. */
uint32_t profile__function_keyed(struct profile *p, const char *key, const char *display,
				 const char *runtime, uint32_t dso);
/* An [unknown] function whose runtime plugin knows why and how to fix it. */
uint32_t profile__unknown_function(struct profile *p, uint32_t dso, enum unknown_cause c,
				   const char *hint);
uint32_t profile__frame(struct profile *p, uint32_t func, unsigned tier);
/* A frame with a sub-tier ("" for none) and plugin flags; identity is
 * (function, tier, sub-tier). */
uint32_t profile__frame_ex(struct profile *p, uint32_t func, unsigned tier, const char *subtier,
			   unsigned flags);
/* Hint of an [unknown] function: the plugin's when it gave one. */
const char *profile__func_hint(const struct profile *p, uint32_t func);
uint32_t profile__child(struct profile *p, uint32_t parent, uint32_t frame);
struct thread *profile__thread(struct profile *p, uint32_t pid, uint32_t tid);
/* Record a runtime figure; a later value of the same (pid, runtime, name)
 * replaces the earlier one and keeps its place. Strings are copied. */
void profile__add_stat(struct profile *p, uint32_t pid, const char *runtime, const char *name,
		       double value, const char *unit);

static inline const char *profile__str(const struct profile *p, uint32_t id)
{
	return strtab__str(&p->strings, id);
}
static inline const char *profile__func_name(const struct profile *p, uint32_t func)
{
	return profile__str(p, p->funcs[func].name);
}
/* Short DSO name of a function ("" when none). */
const char *profile__func_dso(const struct profile *p, uint32_t func);

#endif
