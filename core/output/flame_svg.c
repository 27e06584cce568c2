#include "flame_svg.h"
#include "escape.h"
#include "flame_tree.h"
#include "frame_label.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tierprof/plugin.h>

#define PAD 10		/* left and right margin */
#define FRAME_H 16	/* one stack level */
#define BOX_H 15	/* a box, leaving a 1 px gap */
#define CHAR_W 7.25	/* 12 px monospace: what the script also assumes */
#define MIX_BAR_H 3	/* the tier-mix bar at a box's foot */
#define MIX_BAR_MIN 4.0 /* pixels: narrower boxes get no bar */
#define HEADER 56	/* title and subtitle */
#define LEGEND_ROW 18
#define BOTTOM 30 /* details and search result */

struct hsl {
	double h, s, l;
};

/* One hue family per tier; the order of enum tp_tier. */
static const struct hsl tier_colour[TP_TIER__COUNT] = {
	[TP_TIER_UNKNOWN] = { 0, 0, 0.72 },	   /* grey */
	[TP_TIER_INTERPRETER] = { 2, 0.78, 0.64 }, /* red */
	[TP_TIER_BASELINE] = { 47, 0.92, 0.56 },   /* yellow */
	[TP_TIER_OPTIMIZED] = { 122, 0.48, 0.56 }, /* green */
	[TP_TIER_RUNTIME] = { 275, 0.48, 0.70 },   /* purple */
	[TP_TIER_NATIVE] = { 208, 0.62, 0.68 },	   /* blue */
	[TP_TIER_KERNEL] = { 28, 0.42, 0.58 },	   /* brown */
};

#define THREAD_FILL "#d9d9d4" /* the root and thread-name boxes */
#define NO_SUBTIER UINT32_MAX /* colour(): the tier's own colour (strtab ids start at 0) */
#define SHADE_SPREAD_L 0.14   /* lightness between the lightest and darkest sub-tier */
#define SHADE_SPREAD_H 26.0   /* and hue, in degrees, so that many stay apart */

/* A (tier, sub-tier) seen in the tree: its shade of the tier's hue. */
struct shade {
	uint32_t subtier;
	uint8_t tier;
	unsigned index, count; /* among the sub-tiers of the tier */
};

struct writer {
	FILE *f;
	const struct profile *p;
	const struct flame_tree *t;
	const struct flame_svg_opts *o;
	uint64_t total;
	double scale;	 /* pixels per sample */
	double top;	 /* y of the frames area */
	double legend_y; /* baseline of the first legend row */
	struct flame_svg_stats st;
	struct shade *shades;
	size_t nshades, shades_cap;
	struct flame_mix *scratch; /* a merged box's mix */
	size_t nscratch, scratch_cap;
};

static void hsl_hex(struct hsl c, char out[8])
{
	double s = c.s < 0 ? 0 : c.s > 1 ? 1 : c.s, l = c.l < 0 ? 0 : c.l > 1 ? 1 : c.l;
	double ch = (1 - fabs(2 * l - 1)) * s, hp = fmod(c.h, 360) / 60;
	double x = ch * (1 - fabs(fmod(hp, 2) - 1)), m = l - ch / 2, r = 0, g = 0, b = 0;

	if (hp < 1)
		r = ch, g = x;
	else if (hp < 2)
		r = x, g = ch;
	else if (hp < 3)
		g = ch, b = x;
	else if (hp < 4)
		g = x, b = ch;
	else if (hp < 5)
		r = x, b = ch;
	else
		r = ch, b = x;
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround((r + m) * 255),
		 (unsigned)lround((g + m) * 255), (unsigned)lround((b + m) * 255));
}

static const struct shade *find_shade(const struct writer *w, unsigned tier, uint32_t subtier)
{
	for (size_t i = 0; i < w->nshades; i++) {
		if (w->shades[i].tier == tier && w->shades[i].subtier == subtier)
			return &w->shades[i];
	}
	return NULL;
}

/* The colour of (tier, sub-tier); jitter (a hash of the name, 0 for none)
 * varies the saturation a little so neighbouring boxes stay apart. */
static void colour(const struct writer *w, unsigned tier, uint32_t subtier, uint64_t jitter,
		   char out[8])
{
	struct hsl c = tier_colour[tier < TP_TIER__COUNT ? tier : TP_TIER_UNKNOWN];
	const struct shade *sh = find_shade(w, tier, subtier);

	if (sh && sh->count > 1) {
		double at = (double)sh->index / (sh->count - 1) - 0.5;

		c.l += SHADE_SPREAD_L * at;
		c.h += 360 + SHADE_SPREAD_H * at;
	}
	if (jitter && c.s > 0) {
		c.s += ((double)(jitter & 0xff) / 255 - 0.5) * 0.18;
		c.l += ((double)((jitter >> 8) & 0xff) / 255 - 0.5) * 0.04;
	}
	hsl_hex(c, out);
}

static int cmp_shade(const void *a, const void *b, void *arg)
{
	const struct writer *w = arg;
	const struct shade *x = a, *y = b;
	unsigned ox = 0, oy = 0;

	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		if (tier__display_order[k] == x->tier)
			ox = k;
		if (tier__display_order[k] == y->tier)
			oy = k;
	}
	if (ox != oy)
		return (ox > oy) - (ox < oy);
	return strcmp(profile__str(w->p, x->subtier), profile__str(w->p, y->subtier));
}

/* Every (tier, sub-tier) with a sub-tier name, sorted, numbered per tier. */
static void collect_shades(struct writer *w)
{
	for (size_t m = 0; m < w->t->nmix; m++) {
		const struct flame_mix *x = &w->t->mix[m];

		if (!profile__str(w->p, x->subtier)[0] || find_shade(w, x->tier, x->subtier))
			continue;
		TP_VEC_PUSH(w->shades, w->nshades, w->shades_cap,
			    ((struct shade){ .subtier = x->subtier, .tier = x->tier }));
	}
	if (w->nshades > 1)
		qsort_r(w->shades, w->nshades, sizeof(*w->shades), cmp_shade, w);
	for (size_t i = 0; i < w->nshades;) {
		size_t j = i;

		while (j < w->nshades && w->shades[j].tier == w->shades[i].tier)
			j++;
		for (size_t k = i; k < j; k++) {
			w->shades[k].index = (unsigned)(k - i);
			w->shades[k].count = (unsigned)(j - i);
		}
		i = j;
	}
}

static const char *mix_label(const struct writer *w, const struct flame_mix *m)
{
	const char *sub = profile__str(w->p, m->subtier);

	return sub[0] ? sub : tier__name(m->tier);
}

static void put_pct(FILE *f, uint64_t part, uint64_t whole)
{
	double pct = whole ? 100.0 * (double)part / (double)whole : 0;

	if (pct > 0 && pct < 0.5)
		fputs("&lt;1%", f); /* XML text */
	else if (part < whole && pct >= 99.5)
		fputs("&gt;99%", f);
	else
		fprintf(f, "%.0f%%", pct);
}

static int cmp_mix_count(const void *a, const void *b)
{
	const struct flame_mix *x = a, *y = b;

	if (x->count != y->count)
		return (x->count < y->count) - (x->count > y->count);
	if (x->tier != y->tier)
		return (x->tier > y->tier) - (x->tier < y->tier);
	return (x->subtier > y->subtier) - (x->subtier < y->subtier);
}

/* Copy a node's mix into the scratch list (merged boxes add several nodes). */
static void scratch_add(struct writer *w, uint32_t node)
{
	for (uint32_t m = w->t->nodes[node].mix; m != FLAME_NONE; m = w->t->mix[m].next) {
		const struct flame_mix *x = &w->t->mix[m];
		size_t i;

		for (i = 0; i < w->nscratch; i++) {
			if (w->scratch[i].tier == x->tier && w->scratch[i].subtier == x->subtier)
				break;
		}
		if (i == w->nscratch)
			TP_VEC_PUSH(w->scratch, w->nscratch, w->scratch_cap,
				    ((struct flame_mix){ .tier = x->tier, .subtier = x->subtier }));
		w->scratch[i].count += x->count;
	}
}

/* Tooltip lines 3 and 4: "72% Ignition, 28% TurboFan", and the tiers behind
 * sub-tier names when they differ. The scratch list is sorted here. */
static void write_mix_lines(struct writer *w, uint64_t total)
{
	uint64_t per_tier[TP_TIER__COUNT] = { 0 };
	unsigned ntiers = 0, named = 0;
	FILE *f = w->f;

	qsort(w->scratch, w->nscratch, sizeof(*w->scratch), cmp_mix_count);
	for (size_t i = 0; i < w->nscratch; i++) {
		ntiers += !per_tier[w->scratch[i].tier];
		per_tier[w->scratch[i].tier] += w->scratch[i].count;
		named += profile__str(w->p, w->scratch[i].subtier)[0] != '\0';
	}
	fputc('\n', f);
	if (w->nscratch == 1) {
		escape__xml(f, mix_label(w, &w->scratch[0]), 0);
		if (named)
			fprintf(f, " (%s)", tier__name(w->scratch[0].tier));
		return;
	}
	for (size_t i = 0; i < w->nscratch; i++) {
		fputs(i ? ", " : "", f);
		put_pct(f, w->scratch[i].count, total);
		fputc(' ', f);
		escape__xml(f, mix_label(w, &w->scratch[i]), 0);
	}
	/* Per tier only when some tier has several sub-tiers here: otherwise
	 * each entry is a tier already, and the legend says which. */
	if (!named || ntiers == w->nscratch)
		return;
	fputs("\ntiers: ", f);
	if (ntiers == 1) {
		fputs(tier__name(w->scratch[0].tier), f);
		return;
	}
	for (unsigned k = 0, first = 1; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		if (!per_tier[t])
			continue;
		fputs(first ? "" : ", ", f);
		put_pct(f, per_tier[t], total);
		fprintf(f, " %s", tier__name(t));
		first = 0;
	}
}

/* The bar of a mixed box: a nested SVG in per-mille units, so zooming only
 * moves and stretches the <svg> element. */
static void write_mix_bar(struct writer *w, double x, double y, double width, uint64_t total)
{
	double at = 0;
	char hex[8];

	fprintf(w->f,
		"<svg x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" viewBox=\"0 0 1000 %d\" "
		"preserveAspectRatio=\"none\">",
		x, y + BOX_H - MIX_BAR_H, width, MIX_BAR_H, MIX_BAR_H);
	for (size_t i = 0; i < w->nscratch; i++) {
		double wd = 1000.0 * (double)w->scratch[i].count / (double)total;

		colour(w, w->scratch[i].tier, w->scratch[i].subtier, 0, hex);
		fprintf(w->f, "<rect x=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", at, wd,
			MIX_BAR_H, hex);
		at += wd;
	}
	fputs("</svg>", w->f);
}

/* The file a function's code came from, when that tells something: not for
 * JIT code in anonymous memory. */
static const char *func_file(const struct profile *p, uint32_t func)
{
	uint32_t d = p->funcs[func].dso;

	if (p->funcs[func].kernel)
		return profile__func_dso(p, func);
	if (d == PROFILE_NO_DSO || p->dsos.dsos[d].kind == DSO_ANON ||
	    p->dsos.dsos[d].kind == DSO_SPECIAL)
		return "";
	return profile__func_dso(p, func);
}

/* What colours a box: of the tier with the most samples, its (tier,
 * sub-tier) with the most. */
static const struct flame_mix *dominant(const struct writer *w)
{
	uint64_t per_tier[TP_TIER__COUNT] = { 0 };
	const struct flame_mix *best = NULL;
	unsigned top = 0;

	for (size_t i = 0; i < w->nscratch; i++)
		per_tier[w->scratch[i].tier] += w->scratch[i].count;
	for (unsigned t = 1; t < TP_TIER__COUNT; t++) {
		if (per_tier[t] > per_tier[top])
			top = t;
	}
	for (size_t i = 0; i < w->nscratch; i++) {
		if (w->scratch[i].tier == top && (!best || w->scratch[i].count > best->count))
			best = &w->scratch[i];
	}
	return best;
}

/* The label drawn in a box: as much of the name as fits, or nothing. */
static void write_label(FILE *f, const char *name, double x, double y, double width)
{
	long fit = lround(floor((width - 6) / CHAR_W));
	size_t len = strlen(name);
	char *cut;

	if (fit < 3)
		return;
	fprintf(f, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + 11.5);
	if ((long)len <= fit) {
		escape__xml(f, name, 0);
	} else {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		size_t n = (size_t)fit - 2;

		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
		cut = tp_xstrndup(name, n);
		escape__xml(f, cut, 0);
		fputs("..", f);
		free(cut);
	}
	fputs("</text>", f);
}

static double box_y(const struct writer *w, uint32_t depth)
{
	if (w->o->inverted)
		return w->top + depth * FRAME_H;
	return w->top + (double)(w->t->max_depth - depth) * FRAME_H;
}

/* One box. node is a tree node, or FLAME_NONE for a merged box standing for
 * nmerged narrow siblings (their mix in the scratch list). */
static void write_box(struct writer *w, uint32_t node, uint32_t depth, uint64_t x, uint64_t count,
		      uint64_t self, size_t nmerged)
{
	const struct flame_node *n = node == FLAME_NONE ? NULL : &w->t->nodes[node];
	double px = PAD + (double)x * w->scale, width = (double)count * w->scale;
	double y = box_y(w, depth);
	char *name, fill[8];
	const char *dso = "";
	int mixed = 0;

	if (!n)
		name = tp_xasprintf("[+%zu narrow]", nmerged);
	else if (node == FLAME_ROOT)
		name = tp_xstrdup("all");
	else if (n->func == FLAME_NONE)
		name = tp_xstrdup(profile__str(w->p, n->label));
	else
		name = frame_label__function(w->p, n->func);
	if (n) {
		w->nscratch = 0; /* merged boxes come with theirs filled in */
		if (n->func != FLAME_NONE) {
			dso = func_file(w->p, n->func);
			scratch_add(w, node);
		}
	}
	if (w->nscratch) {
		const struct flame_mix *top = dominant(w);

		colour(w, top->tier, top->subtier, n ? tp_hash_bytes(name, strlen(name)) | 1 : 0,
		       fill);
		mixed = w->nscratch > 1;
	} else {
		snprintf(fill, sizeof(fill), "%s", THREAD_FILL);
	}

	fprintf(w->f, "<g data-x=\"%llu\" data-w=\"%llu\" data-d=\"%u\"><title>",
		(unsigned long long)x, (unsigned long long)count, depth);
	escape__xml(w->f, name, 0);
	fprintf(w->f, "\n%llu sample%s (", (unsigned long long)count, count == 1 ? "" : "s");
	put_pct(w->f, count, w->total);
	fputc(')', w->f);
	if (self && n && node != FLAME_ROOT) {
		fprintf(w->f, ", self %llu (", (unsigned long long)self);
		put_pct(w->f, self, w->total);
		fputc(')', w->f);
	}
	if (w->nscratch)
		write_mix_lines(w, count);
	if (n && n->inlined)
		fputs("\ninlined", w->f);
	if (!n)
		fprintf(w->f, "\n%zu boxes narrower than %.2g px each: --minwidth 0 draws them",
			nmerged, w->o->minwidth);
	else if (n->func == FLAME_NONE && node != FLAME_ROOT)
		fputs("\nthread name", w->f);
	if (dso[0]) {
		fputs("\nin ", w->f);
		escape__xml(w->f, dso, 0);
	}
	fprintf(w->f,
		"</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" "
		"fill=\"%s\"%s/>",
		px, y, width, BOX_H, fill, n ? "" : " fill-opacity=\"0.6\"");
	if (mixed && width >= MIX_BAR_MIN)
		write_mix_bar(w, px, y, width, count);
	write_label(w->f, name, px, y, width);
	fputs("</g>\n", w->f);
	w->st.boxes++;
	w->st.merged += !n;
	free(name);
}

/* Depth-first, callers before callees (the script takes the first box for
 * the root). Children at least minwidth wide are drawn in name order; the
 * narrower ones become one merged box after them. */
static void draw(struct writer *w, uint32_t node, uint64_t x)
{
	const struct flame_node *n = &w->t->nodes[node];
	uint64_t cx = x, small = 0;
	size_t nsmall = 0;

	write_box(w, node, n->depth, x, n->total, n->self, 0);
	for (uint32_t c = n->first_child; c != FLAME_NONE; c = w->t->nodes[c].next_sibling) {
		uint64_t k = w->t->nodes[c].total;

		if ((double)k * w->scale >= w->o->minwidth) {
			draw(w, c, cx);
			cx += k;
		}
	}
	w->nscratch = 0;
	for (uint32_t c = n->first_child; c != FLAME_NONE; c = w->t->nodes[c].next_sibling) {
		uint64_t k = w->t->nodes[c].total;

		if ((double)k * w->scale < w->o->minwidth) {
			small += k;
			nsmall++;
			scratch_add(w, c);
		}
	}
	if (nsmall > 1 && (double)small * w->scale >= w->o->minwidth)
		write_box(w, FLAME_NONE, n->depth + 1, cx, small, 0, nsmall);
}

struct legend_item {
	char text[96];
	char fill[8];
	int is_bar; /* the "several tiers" item: a swatch with a mix bar */
};

/* Legend: per tier present, its swatch and share of the leaf samples, then
 * the shades of its sub-tiers; last, what the mix bar means. Laid out in rows
 * of the image's width. With f NULL only measures; returns the rows. */
static unsigned legend(struct writer *w, FILE *f)
{
	uint64_t present[TP_TIER__COUNT] = { 0 }, leaf[TP_TIER__COUNT] = { 0 };
	struct legend_item *items = NULL, it;
	size_t n = 0, cap = 0;
	double x = PAD, right = (double)w->o->width - PAD;
	unsigned row = 0, mixed = 0;

	for (size_t m = 0; m < w->t->nmix; m++)
		present[w->t->mix[m].tier] += w->t->mix[m].count;
	for (size_t i = 0; i < w->t->nnodes; i++) {
		uint32_t m = w->t->nodes[i].mix;

		mixed |= m != FLAME_NONE && w->t->mix[m].next != FLAME_NONE;
	}
	for (size_t i = 0; i < w->p->nsamples; i++) {
		uint32_t node = w->p->samples[i].node;

		if (node != PROFILE_ROOT)
			leaf[w->p->frames[w->p->nodes[node].frame].tier] +=
				sample__weight(&w->p->samples[i]);
	}
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];

		if (!present[t])
			continue;
		memset(&it, 0, sizeof(it));
		snprintf(it.text, sizeof(it.text), "%s %.1f%%", tier__name(t),
			 w->total ? 100.0 * (double)leaf[t] / (double)w->total : 0);
		colour(w, t, NO_SUBTIER, 0, it.fill);
		TP_VEC_PUSH(items, n, cap, it);
		for (size_t i = 0; i < w->nshades; i++) {
			if (w->shades[i].tier != t)
				continue;
			memset(&it, 0, sizeof(it));
			snprintf(it.text, sizeof(it.text), "%s",
				 profile__str(w->p, w->shades[i].subtier));
			colour(w, t, w->shades[i].subtier, 0, it.fill);
			TP_VEC_PUSH(items, n, cap, it);
		}
	}
	if (mixed) {
		memset(&it, 0, sizeof(it));
		snprintf(it.text, sizeof(it.text), "box in several tiers: bar shows the mix");
		snprintf(it.fill, sizeof(it.fill), "%s", THREAD_FILL);
		it.is_bar = 1;
		TP_VEC_PUSH(items, n, cap, it);
	}
	for (size_t i = 0; i < n; i++) {
		double iw = 16 + (double)strlen(items[i].text) * CHAR_W + 14, y;

		if (x + iw > right && x > PAD) {
			x = PAD;
			row++;
		}
		y = w->legend_y + row * LEGEND_ROW;
		if (f) {
			fprintf(f,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" rx=\"2\" "
				"fill=\"%s\"/>",
				x, y - 10, items[i].fill);
			for (unsigned b = 0; items[i].is_bar && b < 3; b++) {
				char hex[8];

				colour(w,
				       (unsigned[]){ TP_TIER_INTERPRETER, TP_TIER_BASELINE,
						     TP_TIER_OPTIMIZED }[b],
				       NO_SUBTIER, 0, hex);
				fprintf(f,
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"%d\" "
					"fill=\"%s\"/>",
					x + 4 * b, y + 2 - MIX_BAR_H, MIX_BAR_H, hex);
			}
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 16, y);
			escape__xml(f, items[i].text, 0);
			fputs("</text>\n", f);
		}
		x += iw;
	}
	free(items);
	return row + 1;
}

static const char style[] =
	"text{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:12px;"
	"fill:#000}\n"
	"#title{font-family:sans-serif;font-size:17px;text-anchor:middle}\n"
	".sub{fill:#555;text-anchor:middle}\n"
	".btn{fill:#1a4ea8;cursor:pointer;text-decoration:underline}\n"
	"#frames g{cursor:pointer}\n"
	"#frames text{pointer-events:none}\n"
	"#frames g:hover>rect{stroke:#000;stroke-width:0.7}\n"
	"#frames .anc{opacity:0.55}\n"
	"#tip rect{fill:#fffff2;stroke:#555;fill-opacity:0.97}\n"
	"#details,#matched,#legend text{fill:#333}\n";

int flame_svg__write(FILE *f, const struct profile *p, const struct flame_tree *t,
		     const struct flame_svg_opts *o, struct flame_svg_stats *stats)
{
	struct writer w = { .f = f, .p = p, .t = t, .o = o };
	const char *title = o->title	  ? o->title
			    : o->inverted ? "Flame graph, inverted: leaves on top, callers below"
					  : "Flame graph";
	unsigned rows, height;

	w.total = t->nodes[FLAME_ROOT].total;
	w.scale = w.total ? ((double)o->width - 2 * PAD) / (double)w.total : 0;
	collect_shades(&w);
	rows = legend(&w, NULL);
	/* The legend sits next to the root, where the wide boxes are: under a
	 * flame graph, above an inverted one. */
	if (o->inverted) {
		w.legend_y = HEADER + 6;
		w.top = w.legend_y + (rows - 1) * LEGEND_ROW + 16;
		height = (unsigned)w.top + (t->max_depth + 1) * FRAME_H + BOTTOM;
	} else {
		w.top = HEADER;
		w.legend_y = w.top + (t->max_depth + 1) * FRAME_H + 18;
		height = (unsigned)(w.legend_y + (rows - 1) * LEGEND_ROW) + BOTTOM;
	}

	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" "
		"height=\"%u\" viewBox=\"0 0 %u %u\" data-pad=\"%d\" data-char-width=\"%.2f\" "
		"data-total=\"%llu\" data-inverted=\"%d\">\n",
		o->width, height, o->width, height, PAD, CHAR_W, (unsigned long long)w.total,
		!!o->inverted);
	fprintf(f, "<style>\n%s</style>\n", style);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fbfbf8\"/>\n");
	fprintf(f, "<text id=\"title\" x=\"%u\" y=\"24\">", o->width / 2);
	escape__xml(f, title, 0);
	fputs("</text>\n", f);
	if (o->subtitle) {
		fprintf(f, "<text class=\"sub\" x=\"%u\" y=\"42\">", o->width / 2);
		escape__xml(f, o->subtitle, 0);
		fputs("</text>\n", f);
	}
	fprintf(f,
		"<text id=\"unzoom\" class=\"btn\" x=\"%d\" y=\"24\" style=\"display:none\">"
		"Reset Zoom</text>\n"
		"<text id=\"search\" class=\"btn\" x=\"%u\" y=\"24\" "
		"text-anchor=\"end\">Search</text>\n",
		PAD, o->width - PAD);
	fputs("<g id=\"legend\">\n", f);
	legend(&w, f);
	fputs("</g>\n", f);
	if (!w.total)
		fprintf(f,
			"<text x=\"%u\" y=\"%.0f\" text-anchor=\"middle\">No samples (check the "
			"--pid, --tid and --comm filters)</text>\n",
			o->width / 2, w.top + 40);
	fputs("<g id=\"frames\">\n", f);
	draw(&w, FLAME_ROOT, 0);
	fputs("</g>\n", f);
	fprintf(f,
		"<text id=\"details\" x=\"%d\" y=\"%u\"> </text>\n"
		"<text id=\"matched\" x=\"%u\" y=\"%u\" text-anchor=\"end\"></text>\n"
		"<g id=\"tip\" visibility=\"hidden\" pointer-events=\"none\"><rect rx=\"3\" "
		"width=\"0\" height=\"0\"/><text></text></g>\n",
		PAD, height - 10, o->width - PAD, height - 10);
	fputs("<script type=\"text/ecmascript\"><![CDATA[\n", f);
	for (size_t i = 0; flame_script[i]; i++) {
		fputs(flame_script[i], f);
		fputc('\n', f);
	}
	fputs("]]></script>\n</svg>\n", f);

	w.st.hidden = t->nnodes - (w.st.boxes - w.st.merged);
	if (stats)
		*stats = w.st;
	free(w.shades);
	free(w.scratch);
	return ferror(f) ? -1 : 0;
}
