/* Comparing two runs of one workload (tierprof diff, check --baseline,
 * health --baseline).
 *
 * A run is first summarised as a diff_side: its samples cut into K time
 * slices of equal sample counts, and per slice the count of each item:
 * the leaf tiers (the headline shares) and, per function, the samples with
 * it on the stack (total) and those split by the tier it ran in. A side
 * comes from a loaded profile or from a health JSON (output/health_json.c),
 * so a nightly baseline needs no capture.
 *
 * Two sides are compared item by item with the slice-based Welch test of
 * significance.h: shares (normalized, so runs of different length compare),
 * corrected for multiple comparisons, and a change is reported only when it
 * is significant at the confidence asked AND at least min_effect big. The
 * absolute figures (total CPU samples, a function's samples under --focus)
 * use stat_count_change with cpu_noise, the run-to-run spread of a total.
 *
 * Ownership: a side owns its strings and arrays; a result borrows the
 * names from its two sides, which must outlive it. */
#ifndef TP_ANALYSIS_DIFF_H
#define TP_ANALYSIS_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include <tierprof/plugin.h>

#include "significance.h"
#include "../util/hash.h"

struct profile;

#define DIFF_DEFAULT_SLICES 10
#define DIFF_MAX_SLICES 1000

enum diff_item_kind {
	DIFF_ITEM_LEAF_TIER,  /* headline: share of samples whose leaf ran in tier */
	DIFF_ITEM_FUNC_TOTAL, /* share of samples with the function on the stack */
	DIFF_ITEM_FUNC_TIER,  /* ... with the function on the stack in tier */
};

struct side_item {
	uint8_t kind; /* enum diff_item_kind */
	uint8_t tier; /* LEAF_TIER, FUNC_TIER */
	char *func;   /* function identity: "runtime\tkey\tdso" (FUNC_*), else NULL */
	char *name;   /* display name (FUNC_*) */
	char *runtime;
	uint64_t *counts; /* per slice */
	uint64_t total;
};

struct side_loop {
	char *func; /* function identity, as in side_item */
	char *name;
	unsigned cycles;
};

struct diff_side {
	char *label; /* capture path, or the capture's name in a health JSON */
	unsigned nslices;
	uint64_t *slice_n; /* samples per slice */
	uint64_t samples, lost;
	double duration_s;
	uint32_t freq_hz;
	struct side_item *items;
	size_t nitems, items_cap;
	struct tp_strtab index; /* item key -> item (the strtab's id is the index) */
	struct side_loop *loops;
	size_t nloops, loops_cap;
};

/* Cut p's samples into nslices time slices and count every item. Items
 * whose total is below min_count are left out (1 keeps everything).
 * Deopt loops come from the findings (analysis/findings.h). */
void diff_side__from_profile(struct diff_side *s, const struct profile *p, unsigned nslices,
			     uint64_t min_count);
/* An empty side with nslices slices, for readers that fill it in. */
void diff_side__init(struct diff_side *s, const char *label, unsigned nslices);
/* Add an item (the reader of a health JSON); counts has nslices entries
 * and is copied. Returns the item, or NULL if the same item exists. */
struct side_item *diff_side__add(struct diff_side *s, enum diff_item_kind kind, unsigned tier,
				 const char *func, const char *name, const char *runtime,
				 const uint64_t *counts);
const struct side_item *diff_side__find(const struct diff_side *s, enum diff_item_kind kind,
					unsigned tier, const char *func);
void diff_side__exit(struct diff_side *s);

struct diff_opts {
	double confidence;     /* 0.95: significant when adjusted p < 1 - confidence */
	double min_effect;     /* 0.005: smallest share change reported (fraction) */
	double min_cpu_change; /* 0.05: smallest relative change of a total reported */
	double cpu_noise;      /* 0.05: relative run-to-run SD of a run's total */
	uint64_t min_samples;  /* 20: items with fewer in both runs together are not tested */
	enum stat_correction correction; /* STAT_HOLM */
};

extern const struct diff_opts diff_opts__default;

enum diff_direction { DIFF_SAME = 0, DIFF_UP = 1, DIFF_DOWN = -1 };

/* One tested share. */
struct diff_row {
	const struct side_item *a, *b; /* either may be NULL (absent: zero) */
	uint8_t kind, tier;
	const char *func, *name, *runtime; /* from whichever side has it */
	struct share_est ea, eb;
	struct welch w;
	double p_adj;
	int direction; /* enum diff_direction: significant and big enough, else SAME */
};

/* A total compared in absolute samples (CPU). */
struct diff_count {
	uint64_t a, b;
	double ratio; /* b / a */
	double p, p_adj;
	int direction;
};

struct diff_result {
	const struct diff_side *a, *b;
	struct diff_opts opts;
	struct diff_count cpu;			  /* all samples */
	struct diff_row headline[TP_TIER__COUNT]; /* leaf tiers, by enum tp_tier */
	struct diff_row *rows;			  /* functions: total and per tier */
	size_t nrows;				  /* significant first, then by |change| */
	size_t nsignificant;
	size_t ntested;
	/* deopt loops: new in b, gone from a, in both; indexes into the sides */
	size_t *loops_new, *loops_gone, *loops_kept;
	size_t nloops_new, nloops_gone, nloops_kept;
};

void diff__compare(struct diff_result *r, const struct diff_side *a, const struct diff_side *b,
		   const struct diff_opts *o);
void diff_result__exit(struct diff_result *r);

/* tierprof diff --focus: did the function's own frame shrink, and did the
 * headline figure improve? */
enum focus_verdict { FOCUS_NEITHER, FOCUS_LOCAL, FOCUS_HEADLINE, FOCUS_BOTH };

struct diff_focus {
	const char *func, *name; /* the matched function (NULL: none) */
	size_t nmatches;	 /* functions the pattern matched */
	struct diff_count local; /* the function's total samples, a -> b */
	struct diff_count headline;
	double share_a, share_b; /* the function's total share */
	enum focus_verdict verdict;
};

/* Match pattern against the display names (exact, or the name's first word,
 * as V8 names carry the script after a space) or the identity key of the
 * functions in either side; the busiest match wins. Returns 0, or -1 when
 * nothing matches. */
int diff__focus(struct diff_focus *f, const struct diff_result *r, const char *pattern);
const char *focus_verdict__name(enum focus_verdict v);
const char *focus_verdict__words(enum focus_verdict v);

#endif
