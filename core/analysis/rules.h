/* The rules file of tierprof check (docs/check.md): one rule per line,
 *
 *	# comment
 *	max-interpreter-share 5%                 whole capture, leaf frames
 *	max-not-optimized-share 50% for "sum*"   each matching function's own time
 *	no-deopt-loops
 *	max-unknown-share 2%
 *	max-lost 1%                              or a count: max-lost 100
 *	no-regression                            against --baseline
 *	set confidence 0.99                      statistics of no-regression
 *
 * Ownership: the rules own their strings. The parser takes bytes, not a C
 * string, and never reads past len. */
#ifndef TP_ANALYSIS_RULES_H
#define TP_ANALYSIS_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"

#define RULES_MAX_FILE (1u << 20)
#define RULES_MAX_LINE 4096

enum rule_kind {
	RULE_MAX_TIER_SHARE, /* tiers: a mask of (1 << tier) */
	RULE_MAX_UNKNOWN_SHARE,
	RULE_MAX_LOST,
	RULE_NO_DEOPT_LOOPS,
	RULE_NO_REGRESSION,
};

struct rule {
	enum rule_kind kind;
	unsigned tiers; /* RULE_MAX_TIER_SHARE */
	double limit;	/* a fraction, or a count when limit_is_count */
	int limit_is_count;
	char *glob; /* "for GLOB" (fnmatch), else NULL */
	unsigned line;
	char *text; /* the line as written, trimmed */
};

struct rules {
	struct rule *v;
	size_t n, cap;
	struct diff_opts stat; /* "set" lines over diff_opts__default */
	unsigned slices;
	unsigned stat_set; /* a bit per setting given */
};

/* Parse buf (len bytes) into r. Returns 0, or -1 with "PATH:LINE: what" in
 * err (r is then empty). */
int rules__parse(struct rules *r, const char *buf, size_t len, const char *path, char *err,
		 size_t errlen);
void rules__exit(struct rules *r);
const char *rule_kind__name(const struct rule *rule);

#endif
