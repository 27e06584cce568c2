/* Report writers. Each reads the profile and its function table and writes
 * one format to a stream; none of them changes the profile. */
#ifndef TP_OUTPUT_OUTPUT_H
#define TP_OUTPUT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

struct profile;
struct func_table;
struct findings;

struct report_opts {
	unsigned limit;		       /* rows per table */
	double min_percent;	       /* call tree: hide nodes below this share */
	int bottom_up, top_down, tree; /* text views to show */
	int annotate;		       /* folded: FlameGraph/async-profiler tier suffixes */
	int no_thread;		       /* folded: no thread name in front of each stack */
};

int output_text(FILE *f, const struct profile *p, const struct func_table *t,
		const struct findings *fd, const struct report_opts *o);
/* The findings section the text report opens with. */
void output_findings_text(FILE *f, const struct profile *p, const struct findings *fd);
/* tierprof deopts: runtime deopt events grouped by function and reason. */
int output_deopts_text(FILE *f, const struct profile *p, const struct findings *fd);
int output_deopts_json(FILE *f, const struct profile *p, const struct findings *fd);
int output_folded(FILE *f, const struct profile *p, const struct report_opts *o);
int output_json(FILE *f, const struct profile *p, const struct func_table *t,
		const struct findings *fd, const struct report_opts *o);

/* "72% interpreter, 28% optimized" for the tier counts of one function;
 * single-tier functions get just the tier name. */
void format_tier_mix(char *buf, size_t len, const uint64_t *counts, unsigned ntiers);

#endif
