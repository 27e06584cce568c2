/* tierprof check: evaluate the rules of a rules file (rules.h) against one
 * capture and, for no-regression, its comparison with a baseline
 * (diff.h). Each rule passes or lists its violations with the figures. */
#ifndef TP_ANALYSIS_CHECK_H
#define TP_ANALYSIS_CHECK_H

#include <stddef.h>

struct profile;
struct func_table;
struct findings;
struct rules;
struct rule;
struct diff_result;

struct violation {
	char *subject; /* "whole capture", a function name */
	char *message; /* the figures: "interpreter 12.0% > 5%" */
};

struct rule_outcome {
	const struct rule *rule;
	int skipped; /* no-regression without a baseline */
	struct violation *v;
	size_t nv, cap;
	char *summary; /* one line with the measured figure */
};

struct check_result {
	struct rule_outcome *o; /* one per rule, in file order */
	size_t n;
	size_t failed; /* rules with violations */
};

/* base may be NULL (no --baseline): no-regression rules are skipped. */
void check__run(struct check_result *c, const struct rules *rs, const struct profile *p,
		const struct func_table *t, const struct findings *fd,
		const struct diff_result *base);
void check_result__exit(struct check_result *c);

#endif
