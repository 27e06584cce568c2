/* The interactive flame graph: one self-contained SVG (inline script and
 * style, no network) with boxes coloured by tier, a legend, tooltips with each
 * box's tier mix, click to zoom, and search with the matched share.
 *
 * Colours: one hue per tier (interpreter red, baseline yellow, optimized
 * green, runtime purple, native blue, kernel brown, unknown grey); sub-tiers
 * of a tier are lighter or darker shades of its hue. A box takes the colour
 * of its dominant (tier, sub-tier); a box whose samples ran in several tiers
 * has a thin bar at its foot with the mix in proportion.
 *
 * Size: boxes narrower than minwidth pixels are merged, per parent, into one
 * "[N narrow]" box (dropped when that is narrower too), so the file grows
 * with the picture, not with the number of distinct stacks (docs/flame.md). */
#ifndef TP_OUTPUT_FLAME_SVG_H
#define TP_OUTPUT_FLAME_SVG_H

#include <stdint.h>
#include <stdio.h>

struct profile;
struct flame_tree;

#define FLAME_DEFAULT_WIDTH 1200
#define FLAME_DEFAULT_MINWIDTH 0.1 /* pixels */

struct flame_svg_opts {
	const char *title;    /* NULL: "Flame graph" or "Flame graph, inverted" */
	const char *subtitle; /* a line under the title; NULL for none */
	unsigned width;	      /* pixels */
	double minwidth;      /* pixels */
	int inverted;	      /* the tree was built inverted: draw it hanging down */
};

/* What was drawn, for the caller's summary and the tests. */
struct flame_svg_stats {
	uint64_t boxes;	 /* boxes written, merged ones included */
	uint64_t merged; /* boxes that stand for several narrow ones */
	uint64_t hidden; /* tree nodes left out: merged or dropped */
};

/* Write the SVG of t (built from p) to f. Returns 0, or -1 on a write error.
 * stats may be NULL. */
int flame_svg__write(FILE *f, const struct profile *p, const struct flame_tree *t,
		     const struct flame_svg_opts *o, struct flame_svg_stats *stats);

/* The inline script, one line per entry, NULL-terminated (flame_script.c). */
extern const char *const flame_script[];

#endif
