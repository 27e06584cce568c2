/* Writers of tierprof diff: text, JSON and the differential flame graph.
 * None of them changes what it is given. */
#ifndef TP_OUTPUT_DIFF_OUT_H
#define TP_OUTPUT_DIFF_OUT_H

#include <stdio.h>

struct diff_result;
struct diff_focus;
struct profile;

struct diff_out_opts {
	unsigned limit; /* function rows shown (text) */
	int all_rows;	/* JSON: every tested row, not only the changes */
};

/* focus may be NULL. Return 0, or -1 on a write error. */
int output_diff_text(FILE *f, const struct diff_result *r, const struct diff_focus *focus,
		     const struct diff_out_opts *o);
int output_diff_json(FILE *f, const struct diff_result *r, const struct diff_focus *focus,
		     const struct diff_out_opts *o);

/* "+1.2 pp" style helpers shared by the text and HTML writers. */
const char *diff_direction__word(int direction, unsigned kind, unsigned tier);

/* The differential flame graph: the two profiles' call trees merged by
 * function path, box width the mean of the two normalized widths (so a
 * path present in only one run still shows), fill red where the path's
 * share grew and blue where it shrank (deeper = bigger change, grey = no
 * change beyond min_effect), a strip at the foot of each box with its tier
 * mix in the new run (the base run's where it is gone). One self-contained
 * SVG with native tooltips. Returns 0, or -1 on a write error. */
int output_diff_flame(FILE *f, const struct profile *a, const struct profile *b, const char *title,
		      double min_effect);

#endif
