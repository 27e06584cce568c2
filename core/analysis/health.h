/* The nightly JIT-health figures of one capture (tierprof health): per
 * process and runtime the tier mix, the interpreter-dominated functions,
 * deopt loops, unknown causes and lost samples, per-function tier
 * timelines, and the diff side (diff.h) a later run compares against.
 * Ownership: the health owns its arrays; it borrows the profile, which
 * must outlive it. */
#ifndef TP_ANALYSIS_HEALTH_H
#define TP_ANALYSIS_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include <tierprof/plugin.h>

#include "diff.h"
#include "findings.h"
#include "functions.h"
#include "gaps.h"

#define HEALTH_BINS 80	  /* timeline resolution */
#define HEALTH_TOP 10	  /* functions per list */
#define HEALTH_SIDE_MIN 5 /* items kept in the JSON's statistics */

struct health_proc {
	uint32_t pid;
	uint32_t comm, runtime; /* strtab ids; runtime UINT32_MAX: native */
	uint64_t samples;
	uint64_t tiers[TP_TIER__COUNT]; /* leaf tiers */
};

/* A function's own time over HEALTH_BINS bins: per bin the dominant tier
 * as one letter (I interpreter, B baseline, O optimized, '.' no samples),
 * so a deopt loop shows as stripes. */
struct health_timeline {
	uint32_t func;
	char bins[HEALTH_BINS + 1];
	uint32_t counts[HEALTH_BINS][3]; /* own samples per bin: interpreter, baseline, optimized */
};

struct health {
	const struct profile *p;
	char *name; /* the capture's file name without directory and .data */
	struct func_table t;
	struct findings fd;
	struct gap *gaps;
	size_t ngaps;
	struct health_proc *procs;
	size_t nprocs, procs_cap;
	struct health_timeline *timelines;
	size_t ntimelines, timelines_cap;
	struct diff_side side;
};

void health__build(struct health *h, const struct profile *p, const char *path, unsigned slices);
void health__exit(struct health *h);
/* "loop1" for "ci/out/loop1.data". Caller frees. */
char *health__name_of(const char *path);

#endif
