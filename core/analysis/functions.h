/* Per-function aggregates: self samples (the function is the leaf) and total
 * samples (the function is anywhere on the stack, counted once per sample),
 * each split by tier, plus the leaf tier mix of the whole profile. */
#ifndef TP_ANALYSIS_FUNCTIONS_H
#define TP_ANALYSIS_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

#include <tierprof/plugin.h>

struct profile;

struct func_stats {
	uint64_t self, total;
	uint64_t self_tiers[TP_TIER__COUNT];
	uint64_t total_tiers[TP_TIER__COUNT];
};

struct func_table {
	struct func_stats *funcs; /* indexed by function id */
	size_t nfuncs;
	uint64_t samples;
	uint64_t leaf_tiers[TP_TIER__COUNT];
	uint64_t *node_self;  /* samples whose leaf is each stack node */
	uint64_t *node_total; /* samples at or under each stack node */
};

void func_table__build(struct func_table *t, const struct profile *p);
void func_table__exit(struct func_table *t);
/* Function ids with total > 0, sorted by self (by_total = 0) or total,
 * descending, ties by id. Caller frees. */
uint32_t *func_table__sorted(const struct func_table *t, int by_total, size_t *n);

/* Binomial standard error of the share k/n, as a fraction. */
double share_stderr(uint64_t k, uint64_t n);

#endif
