/* The diagnoses a report leads with (DESIGN.md section 6), runtime-agnostic:
 * plugins feed them tiers and events.
 *
 * - own time: a sample belongs to the innermost frame running JIT-tier code
 *   (interpreter, baseline, optimized), in that frame's tier. Builtins, IC
 *   stubs and GC under it are time the function caused; its callers' tiers
 *   do not change what it costs.
 * - interpreter-dominated: own time >= hot_share of all samples, and at least
 *   lower_share of it in the interpreter or baseline tier.
 * - deopt loop: the function was deoptimized or invalidated and optimized
 *   again min_cycles times (runtime events); without any event from its
 *   process, its own samples swing between optimized and lower tiers that
 *   often (sample timeline).
 * - jit-aborts: the runtime gave up compiling it (a trace or compilation
 *   aborted) at least min_aborts times: its time stays below optimized code
 *   (PyPy's trace aborts; the interpreter running it may be unnamed).
 * - tier-up (runtimes whose lower tiers are code waiting for tier-up, not
 *   a deopt: .NET): the share of the hot methods' own time still in tier-0
 *   code, and the use of OSR code. Their samples are never read as a deopt
 *   loop from the timeline.
 * - JIT churn (per process, from the runtime's figures): nearly every loop
 *   the JIT compiled was freed again (analysis/churn.h).
 *
 * Ownership: the findings own their arrays; strings are profile strtab ids. */
#ifndef TP_ANALYSIS_FINDINGS_H
#define TP_ANALYSIS_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include <tierprof/plugin.h>

struct profile;
struct func_table;
struct jit_churn;

#define FINDING_INTERPRETER_DOMINATED (1u << 0)
#define FINDING_DEOPT_LOOP (1u << 1)
#define FINDING_JIT_ABORTS (1u << 2)

struct findings_opts {
	double hot_share;     /* 0.02 */
	double lower_share;   /* 0.5 */
	unsigned min_cycles;  /* 3 */
	uint64_t min_samples; /* own samples below this are never flagged: 20 */
	unsigned min_aborts;  /* compile/trace aborts that flag a function: 5 */
};

extern const struct findings_opts findings_opts__default;

struct own_time {
	uint64_t total;
	uint64_t tiers[TP_TIER__COUNT];
	uint32_t subtier[TP_TIER__COUNT]; /* most seen sub-tier per tier (strtab id) */
	uint64_t osr;			  /* in on-stack-replacement code (TP_FRAME_OSR) */
};

/* One (reason, kind, position) of a function's deopts. */
struct deopt_reason {
	uint32_t reason, detail, position; /* strtab ids */
	unsigned count;
};

struct deopt_history {
	uint32_t key;	  /* strtab id of the function key */
	uint32_t func;	  /* function id, UINT32_MAX when it has no samples */
	uint32_t runtime; /* strtab id */
	unsigned deopts;  /* execution left optimized code */
	unsigned invalidations;
	unsigned compiles; /* optimized code created */
	unsigned aborts;
	unsigned cycles; /* deopt/invalidation followed by optimized code again */
	int from_timeline;
	struct deopt_reason *reasons; /* by count, descending */
	size_t nreasons;
	uint64_t first_ns, last_ns; /* event times; 0 when unknown */
};

enum finding_kind { FINDING_KIND_DEOPT_LOOP, FINDING_KIND_INTERPRETER, FINDING_KIND_JIT_ABORTS };

struct finding {
	enum finding_kind kind;
	uint32_t func;			     /* UINT32_MAX: a loop of code never sampled */
	const struct deopt_history *history; /* NULL when none */
	uint64_t lower;			     /* own samples in interpreter + baseline */
	double share;			     /* own samples / all samples */
};

struct proc_runtime {
	uint32_t pid, runtime; /* runtime: strtab id */
	uint64_t samples;      /* own samples of that runtime's functions */
};

/* One tiering runtime's tier-up summary. */
struct tier_up {
	uint32_t runtime;		/* strtab id */
	uint64_t own;			/* own samples of all its methods */
	uint64_t hot_own;		/* own samples of its hot methods (>= hot_share each) */
	uint64_t hot_tier0;		/* ... in tier-0 (baseline) code */
	uint64_t osr;			/* own samples in OSR code, all methods */
	unsigned hot, hot_mostly_tier0; /* hot methods; those >= lower_share tier 0 */
	unsigned osr_methods;		/* methods with samples in OSR code */
	uint32_t top_osr;		/* method with the most OSR samples, or UINT32_MAX */
};

struct findings {
	struct own_time *own; /* per function id */
	struct proc_runtime *runtimes;
	size_t nruntimes, runtimes_cap;
	size_t nfuncs;
	uint64_t samples;
	uint8_t *flags; /* per function: FINDING_* */
	struct deopt_history *histories;
	size_t nhistories;
	struct finding *items; /* deopt loops first, then by share */
	size_t nitems;
	struct tier_up *tier_ups; /* per tiering runtime with samples */
	size_t ntier_ups;
	struct jit_churn *churns; /* processes whose JIT frees what it compiles */
	size_t nchurns;
	unsigned long long events;
};

void findings__build(struct findings *f, const struct profile *p, const struct func_table *t,
		     const struct findings_opts *o);
void findings__exit(struct findings *f);

/* The deopt history of a function, or NULL. */
const struct deopt_history *findings__history(const struct findings *f, uint32_t func);

/* Every deopt history, most events first. Caller frees the array. */
const struct deopt_history **findings__histories_sorted(const struct findings *f, size_t *n);

/* The runtime most of a process's JIT time belongs to (strtab id), or
 * UINT32_MAX for a process without JIT code. */
uint32_t findings__process_runtime(const struct findings *f, uint32_t pid);

/* What to do about a deopt loop, from its dominant reason. */
const char *findings__deopt_fix(const char *reason, const char *detail);
/* What to do about a function the JIT keeps giving up on, from the reason. */
const char *findings__abort_fix(const char *reason);
/* Report word of a finding kind: "deopt-loop", "interpreter-dominated", "jit-aborts". */
const char *finding_kind__name(enum finding_kind k);
/* What to do about a function stuck below the optimizing tier. */
const char *findings__interpreter_fix(const char *runtime);
/* A runtime that tiers up without deopts (lower tier = not yet tiered up). */
int findings__is_tiering_runtime(const char *runtime);
/* What to do about hot code still in tier 0, and what OSR use means. */
const char *findings__tier0_fix(const char *runtime);
const char *findings__osr_note(const char *runtime);

#endif
