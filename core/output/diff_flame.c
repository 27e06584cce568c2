/* The differential flame graph (diff_out.h): two flame trees (flame_tree.h)
 * merged by path, drawn as one SVG with the flame graph's script (hover,
 * click-to-zoom, search; flame_script.c).
 *
 * Geometry for the script is in integer units, so that children add up to
 * their parent exactly (zoom compares them): a box's width is
 * n_base * W_base + n_new * W_new with W_base = total_new and W_new =
 * total_base, proportional to the mean of its two shares; both weights are
 * scaled down alike for large totals, so that every figure stays exact in
 * JavaScript (below 2^53). */
#include "diff_out.h"
#include "escape.h"
#include "flame_svg.h"
#include "flame_tree.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 1200
#define PAD 10
#define FRAME_H 16
#define BOX_H 15
#define STRIP_H 3
#define HEADER 60
#define LEGEND_H 44
#define BOTTOM 24 /* the hovered box's details, the search's match */
#define CHAR_W 7.25
#define MIN_BOX_PX 0.3

/* Tier strip colours: the hues of the tier flame graph (flame_svg.c). */
static const char *const tier_fill[TP_TIER__COUNT] = {
	[TP_TIER_UNKNOWN] = "#b8b8b8",	[TP_TIER_INTERPRETER] = "#e8625a",
	[TP_TIER_BASELINE] = "#f3c42d", [TP_TIER_OPTIMIZED] = "#5cb860",
	[TP_TIER_RUNTIME] = "#b58fd1",	[TP_TIER_NATIVE] = "#7fb3e0",
	[TP_TIER_KERNEL] = "#b98a5f",
};

struct dnode {
	uint32_t parent, first_child, next_sibling;
	uint32_t label; /* id in the writer's strtab: the display name */
	uint32_t depth;
	uint64_t n[2];			   /* samples at or under it, base and new */
	uint64_t tiers[2][TP_TIER__COUNT]; /* its own frames' tiers */
};

struct dtree {
	struct dnode *nodes;
	size_t len, cap;
	struct tp_strtab names;	 /* display names */
	struct tp_strtab idents; /* identities, to merge */
	struct tp_u64map kids;	 /* parent << 32 | ident -> node */
	uint32_t max_depth;
};

static uint32_t dchild(struct dtree *d, uint32_t parent, const char *ident, const char *name)
{
	uint32_t id = strtab__intern(&d->idents, ident, strlen(ident));
	int is_new;
	uint64_t *slot = u64map__slot(&d->kids, ((uint64_t)parent << 32) | id, &is_new);
	struct dnode *n;

	if (!is_new)
		return (uint32_t)*slot;
	tp_xgrow((void **)&d->nodes, &d->cap, d->len + 1, sizeof(*d->nodes));
	n = &d->nodes[d->len];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->label = strtab__intern(&d->names, name, strlen(name));
	n->depth = d->nodes[parent].depth + 1;
	n->first_child = FLAME_NONE;
	n->next_sibling = d->nodes[parent].first_child;
	d->nodes[parent].first_child = (uint32_t)d->len;
	if (n->depth > d->max_depth)
		d->max_depth = n->depth;
	*slot = d->len;
	return (uint32_t)d->len++;
}

static void merge(struct dtree *d, const struct profile *p, int side)
{
	struct flame_tree t;
	uint32_t *map;

	flame_tree__build(&t, p, 0);
	map = tp_xcalloc(t.nnodes ? t.nnodes : 1, sizeof(*map));
	d->nodes[0].n[side] += t.nodes[FLAME_ROOT].total;
	for (size_t i = 1; i < t.nnodes; i++) {
		const struct flame_node *fn = &t.nodes[i];
		char *ident;
		const char *name;
		uint32_t m;

		if (fn->func == FLAME_NONE) {
			name = profile__str(p, fn->label);
			ident = tp_xasprintf("thread\t%s", name);
		} else {
			name = profile__func_name(p, fn->func);
			ident = tp_xasprintf("%s\t%s\t%s",
					     profile__str(p, p->funcs[fn->func].runtime),
					     profile__str(p, p->funcs[fn->func].key),
					     profile__func_dso(p, fn->func));
		}
		m = dchild(d, map[fn->parent], ident, name);
		free(ident);
		map[i] = m;
		d->nodes[m].n[side] += fn->total;
		for (uint32_t x = fn->mix; x != FLAME_NONE; x = t.mix[x].next)
			d->nodes[m].tiers[side][t.mix[x].tier] += t.mix[x].count;
	}
	free(map);
	flame_tree__exit(&t);
}

struct draw {
	FILE *f;
	const struct dtree *d;
	double total[2];
	double max_delta, min_effect;
	uint64_t weight[2]; /* units per sample, base and new */
	double px_per_unit;
	double y_base;
	uint64_t boxes;
};

static uint64_t units(const struct draw *w, const struct dnode *n)
{
	return n->n[0] * w->weight[0] + n->n[1] * w->weight[1];
}

static double share(const struct draw *w, const struct dnode *n, int side)
{
	return w->total[side] > 0 ? (double)n->n[side] / w->total[side] : 0;
}

static void fill(const struct draw *w, double delta, char out[8])
{
	double i = w->max_delta > 0 ? fabs(delta) / w->max_delta : 0, r, g, b;

	if (fabs(delta) < w->min_effect) {
		snprintf(out, 8, "#dcdcdc");
		return;
	}
	i = 0.25 + 0.75 * (i > 1 ? 1 : i);
	if (delta > 0) { /* grew: red */
		r = 255;
		g = b = 230 - 180 * i;
	} else { /* shrank: blue */
		b = 255;
		r = g = 230 - 180 * i;
	}
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)r, (unsigned)g, (unsigned)b);
}

static void tier_mix_line(FILE *f, const uint64_t *tiers)
{
	uint64_t sum = 0;
	int first = 1;

	for (unsigned t = 0; t < TP_TIER__COUNT; t++)
		sum += tiers[t];
	if (!sum) {
		fputs("-", f);
		return;
	}
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		if (!tiers[t])
			continue;
		fprintf(f, "%s%.0f%% %s", first ? "" : ", ", 100.0 * (double)tiers[t] / (double)sum,
			tier__name(t));
		first = 0;
	}
}

/* The tier strip at a box's foot: a nested SVG in per-mille units, so that
 * zooming only moves and stretches the <svg> element. */
static void strip(FILE *f, const uint64_t *mix, double x, double y, double width)
{
	uint64_t sum = 0;
	double at = 0;

	for (unsigned t = 0; t < TP_TIER__COUNT; t++)
		sum += mix[t];
	if (!sum || width < 3)
		return;
	fprintf(f,
		"<svg x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" viewBox=\"0 0 1000 %d\" "
		"preserveAspectRatio=\"none\">",
		x, y + BOX_H - STRIP_H, width, STRIP_H, STRIP_H);
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];
		double part = 1000.0 * (double)mix[t] / (double)sum;

		if (!mix[t])
			continue;
		fprintf(f, "<rect x=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", at, part,
			STRIP_H, tier_fill[t]);
		at += part;
	}
	fputs("</svg>", f);
}

static void box(struct draw *w, uint32_t id, uint64_t x_units)
{
	const struct dnode *n = &w->d->nodes[id];
	double sa = share(w, n, 0), sb = share(w, n, 1);
	uint64_t w_units = units(w, n);
	double x = PAD + (double)x_units * w->px_per_unit, width = (double)w_units * w->px_per_unit;
	double y = w->y_base - (double)n->depth * FRAME_H;
	const char *name = id ? strtab__str(&w->d->names, n->label) : "all";
	char colour[8];
	size_t chars;

	if (width < MIN_BOX_PX)
		return;
	w->boxes++;
	fill(w, sb - sa, colour);
	fprintf(w->f, "<g data-x=\"%llu\" data-w=\"%llu\" data-d=\"%u\"><title>",
		(unsigned long long)x_units, (unsigned long long)w_units, n->depth);
	escape__xml(w->f, name, 0);
	fprintf(w->f,
		"\nbase: %.2f%% (%llu samples)\nnew: %.2f%% (%llu samples)\nchange: %+.2f pp\n"
		"new tiers: ",
		100 * sa, (unsigned long long)n->n[0], 100 * sb, (unsigned long long)n->n[1],
		100 * (sb - sa));
	tier_mix_line(w->f, n->tiers[1]);
	fputs("\nbase tiers: ", w->f);
	tier_mix_line(w->f, n->tiers[0]);
	fprintf(w->f,
		"</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" "
		"rx=\"1\"/>",
		x, y, width, BOX_H, colour);
	strip(w->f, n->n[1] ? n->tiers[1] : n->tiers[0], x, y, width);
	chars = (size_t)((width - 6) / CHAR_W);
	if (chars >= 3) {
		size_t len = strlen(name);
		char *text = tp_xstrndup(name, len > chars ? chars - 2 : len);

		fprintf(w->f, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + 11.5);
		escape__xml(w->f, text, 0);
		fprintf(w->f, "%s</text>", len > chars ? ".." : "");
		free(text);
	}
	fputs("</g>\n", w->f);

	/* children, left to right by name (the tree lists them newest first) */
	{
		uint32_t kids[64], *all = kids;
		size_t nk = 0, cap = 64;
		const struct dtree *d = w->d;

		for (uint32_t c = n->first_child; c != FLAME_NONE; c = d->nodes[c].next_sibling) {
			if (nk == cap) {
				uint32_t *grown = tp_xcalloc(cap * 2, sizeof(*grown));

				memcpy(grown, all, nk * sizeof(*grown));
				if (all != kids)
					free(all);
				all = grown;
				cap *= 2;
			}
			all[nk++] = c;
		}
		for (size_t i = 1; i < nk; i++) { /* insertion sort: few children */
			uint32_t v = all[i];
			size_t j = i;

			while (j > 0 && strcmp(strtab__str(&d->names, d->nodes[all[j - 1]].label),
					       strtab__str(&d->names, d->nodes[v].label)) > 0) {
				all[j] = all[j - 1];
				j--;
			}
			all[j] = v;
		}
		for (size_t i = 0; i < nk; i++) {
			box(w, all[i], x_units);
			x_units += units(w, &d->nodes[all[i]]);
		}
		if (all != kids)
			free(all);
	}
}

static void legend(FILE *f, double y)
{
	static const struct {
		const char *fill, *text;
	} keys[] = { { "#ff3232", "grew" }, { "#3232ff", "shrank" }, { "#dcdcdc", "no change" } };
	double x = PAD;

	for (size_t i = 0; i < TP_ARRAY_SIZE(keys); i++) {
		fprintf(f,
			"<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
			x, y, keys[i].fill, x + 18, y + 10, keys[i].text);
		x += 110;
	}
	x += 30;
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">tier strip (new run):</text>\n", x, y + 10);
	x += 150;
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		fprintf(f,
			"<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
			x, y, tier_fill[t], x + 18, y + 10, tier__name(t));
		x += 30 + CHAR_W * (double)strlen(tier__name(t));
	}
}

int output_diff_flame(FILE *f, const struct profile *a, const struct profile *b, const char *title,
		      double min_effect)
{
	struct dtree d = { 0 };
	struct draw w = { .f = f, .d = &d, .min_effect = min_effect };
	double height;

	strtab__init(&d.names);
	strtab__init(&d.idents);
	u64map__init(&d.kids);
	tp_xgrow((void **)&d.nodes, &d.cap, 1, sizeof(*d.nodes));
	memset(&d.nodes[0], 0, sizeof(d.nodes[0]));
	d.nodes[0].first_child = FLAME_NONE;
	d.len = 1;
	merge(&d, a, 0);
	merge(&d, b, 1);
	w.total[0] = (double)d.nodes[0].n[0];
	w.total[1] = (double)d.nodes[0].n[1];
	for (size_t i = 1; i < d.len; i++) {
		double delta = fabs(share(&w, &d.nodes[i], 1) - share(&w, &d.nodes[i], 0));

		if (delta > w.max_delta)
			w.max_delta = delta;
	}
	/* Weights: the other run's total, both divided by k so that the
	 * root's units stay below 2^52. */
	{
		uint64_t t0 = d.nodes[0].n[0], t1 = d.nodes[0].n[1], k = 1;

		while ((t1 / k && t0 > (1ull << 51) / (t1 / k)) ||
		       (t0 / k && t1 > (1ull << 51) / (t0 / k)))
			k *= 2;
		w.weight[0] = t1 / k ? t1 / k : 1;
		w.weight[1] = t0 / k ? t0 / k : 1;
	}
	w.px_per_unit = units(&w, &d.nodes[0])
				? (double)(WIDTH - 2 * PAD) / (double)units(&w, &d.nodes[0])
				: 0;
	height = HEADER + (double)(d.max_depth + 1) * FRAME_H + LEGEND_H + BOTTOM;
	w.y_base = HEADER + (double)d.max_depth * FRAME_H;
	fprintf(f,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		"xmlns=\"http://www.w3.org/2000/svg\" data-base=\"%llu\" data-new=\"%llu\" "
		"data-pad=\"%d\" data-char-width=\"%.2f\" data-total=\"%llu\" "
		"data-inverted=\"0\">\n"
		"<style>text{font:12px monospace;fill:#000}"
		".btn{fill:#1a4ea8;cursor:pointer;text-decoration:underline}"
		"#frames g{cursor:pointer}#frames text{pointer-events:none}"
		"#frames g:hover>rect{stroke:#000;stroke-width:0.5}#frames .anc{opacity:0.55}"
		"#tip rect{fill:#fffff2;stroke:#555;fill-opacity:0.97}"
		"#details,#matched,#legend text{fill:#333}</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
		"<text x=\"%d\" y=\"24\" text-anchor=\"middle\" style=\"font-size:16px\">",
		WIDTH, height, WIDTH, height, (unsigned long long)d.nodes[0].n[0],
		(unsigned long long)d.nodes[0].n[1], PAD, CHAR_W,
		(unsigned long long)units(&w, &d.nodes[0]), WIDTH / 2);
	escape__xml(f, title, 0);
	fprintf(f,
		"</text>\n<text x=\"%d\" y=\"44\" text-anchor=\"middle\">width: mean share of "
		"the two runs; red: share grew, blue: shrank (by %.2f pp at most); base %llu "
		"samples, new %llu</text>\n"
		"<text id=\"unzoom\" class=\"btn\" x=\"%d\" y=\"24\" style=\"display:none\">"
		"Reset Zoom</text>\n"
		"<text id=\"search\" class=\"btn\" x=\"%d\" y=\"24\" "
		"text-anchor=\"end\">Search</text>\n"
		"<g id=\"frames\">\n",
		WIDTH / 2, 100 * w.max_delta, (unsigned long long)d.nodes[0].n[0],
		(unsigned long long)d.nodes[0].n[1], PAD, WIDTH - PAD);
	if (w.total[0] > 0 || w.total[1] > 0)
		box(&w, 0, 0);
	fputs("</g>\n<g id=\"legend\">\n", f);
	legend(f, w.y_base + FRAME_H + 8);
	fprintf(f,
		"</g>\n<text id=\"details\" x=\"%d\" y=\"%.0f\"> </text>\n"
		"<text id=\"matched\" x=\"%d\" y=\"%.0f\" text-anchor=\"end\"></text>\n"
		"<g id=\"tip\" visibility=\"hidden\" pointer-events=\"none\"><rect rx=\"3\" "
		"width=\"0\" height=\"0\"/><text></text></g>\n"
		"<script type=\"text/ecmascript\"><![CDATA[\n",
		PAD, height - 10, WIDTH - PAD, height - 10);
	for (size_t i = 0; flame_script[i]; i++) {
		fputs(flame_script[i], f);
		fputc('\n', f);
	}
	fputs("]]></script>\n</svg>\n", f);

	free(d.nodes);
	strtab__exit(&d.names);
	strtab__exit(&d.idents);
	u64map__exit(&d.kids);
	return ferror(f) ? -1 : 0;
}
