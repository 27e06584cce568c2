/* JIT churn: a process whose JIT throws away nearly all the code it compiles
 * ("freed ≈ total"), read from the figures its runtime plugin reported
 * (add_stat "loops compiled" and "loops freed", per process).
 *
 * A steady program keeps its loops for the whole run (PyPy frees a loop when
 * an invalidation kills it, or when it has not run while the JIT made about
 * loop_longevity more loops and bridges), so freed ≈ compiled over many loops
 * means the time goes to tracing and compiling code again and again rather
 * than to running it. Only many loops count: a short run or a startup phase
 * frees a few one-shot loops without anything being wrong.
 *
 * Ownership: the caller frees the array. */
#ifndef TP_ANALYSIS_CHURN_H
#define TP_ANALYSIS_CHURN_H

#include <stddef.h>
#include <stdint.h>

struct profile;

#define JIT_CHURN_MIN_LOOPS 50 /* compiled loops below this are never flagged */
/* freed / compiled at or above this is churn. Not closer to 1: a loop is
 * freed only when the GC collects it, so the last ones thrown away are still
 * counted alive at exit (68-80 loops in PyPy runs of 841-1504 loops, all
 * invalidated: 91.9-94.7% freed); 80% keeps a run of a few hundred loops. */
#define JIT_CHURN_FREED_SHARE 0.8

struct jit_churn {
	uint32_t pid, runtime; /* runtime: strtab id of the plugin's name */
	double compiled, freed;
	double invalidated; /* loops killed by invalidations; < 0 when not reported */
};

/* The processes with JIT churn, in the order their figures were reported. */
size_t jit_churn__find(const struct profile *p, struct jit_churn **out);
/* What to do about it, given the runtime (plugin name) and the figures. */
const char *jit_churn__fix(const char *runtime, const struct jit_churn *c);

#endif
