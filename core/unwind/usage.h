/* How many bytes of user stack unwinding really needs, measured on a capture
 * recorded with a large slice: each sample is unwound with its whole slice,
 * then again with the slice cut to each candidate size, and the results are
 * compared. Feeds `tierprof stack-usage`, from which the --call-graph
 * defaults were chosen (docs/accuracy.md). The loader calls in for every
 * sample it unwinds, in the capture's unwind mode.
 * Ownership: stack_usage__exit frees what the measurements allocated; inputs
 * are borrowed for the call. async-signal-safe: no. */
#ifndef TP_UNWIND_USAGE_H
#define TP_UNWIND_USAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "walk.h"

/* Candidate slice sizes (bytes), ascending; the last is the kernel's limit. */
#define STACK_USAGE_NSIZES 9
extern const uint32_t stack_usage_sizes[STACK_USAGE_NSIZES];

/* A distribution of byte counts, one per sample. */
struct usage_dist {
	uint64_t *v;
	size_t n, cap;
};

enum stack_usage_kind {
	STACK_USAGE_NONE,   /* nothing measured yet */
	STACK_USAGE_REPAIR, /* first-frame repair (fp captures) */
	STACK_USAGE_DWARF,  /* whole DWARF walks (dwarf captures) */
};

struct stack_usage {
	enum stack_usage_kind kind;
	int mixed;	    /* DWARF walks follow frame pointers through JIT code */
	uint64_t samples;   /* samples unwound (registers and a slice) */
	uint64_t slice_max; /* largest slice a sample carried */
	/* repair: samples the whole slice repaired, and the bytes each took */
	uint64_t repaired;
	struct usage_dist repair;
	/* dwarf: bytes each walk read, and to reach its first JIT frame when
	 * that is not the leaf */
	struct usage_dist walk, to_jit;
	uint64_t stops[UNWIND_STOP_BAD + 1]; /* how the whole-slice walks ended */
	/* samples (repair: repaired samples) whose result with the slice cut to
	 * stack_usage_sizes[i] equals the whole slice's */
	uint64_t same[STACK_USAGE_NSIZES];
	uint64_t *scratch; /* walks and chains */
	size_t scratch_cap;
};

/* One sample in repair mode: chain[0..n) is the kernel's user chain, max the
 * frames a repair may add. */
void stack_usage__repair(struct stack_usage *su, struct unwinder *u, const struct unwind_input *in,
			 const uint64_t *chain, size_t n, size_t max);
/* One sample in DWARF mode (flags as unwinder__walk; UNWIND_FP_THROUGH_JIT
 * also continues a stopped walk with chain[0..n), as the loader does), at
 * most max frames. */
void stack_usage__dwarf(struct stack_usage *su, struct unwinder *u, const struct unwind_input *in,
			unsigned flags, const uint64_t *chain, size_t n, size_t max);
/* Print the figures: text for people, or one JSON object. */
void stack_usage__print_text(const struct stack_usage *su, FILE *f);
/* Returns 0, or -1 when out of memory / the write failed. */
int stack_usage__print_json(const struct stack_usage *su, FILE *f);
void stack_usage__exit(struct stack_usage *su);

#endif
