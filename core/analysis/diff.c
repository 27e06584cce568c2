#include "diff.h"
#include "findings.h"
#include "functions.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const struct diff_opts diff_opts__default = {
	.confidence = 0.95,
	.min_effect = 0.005,
	.min_cpu_change = 0.05,
	.cpu_noise = 0.05,
	.min_samples = 20,
	.correction = STAT_HOLM,
};

/* --- sides --- */

static char *item_key(enum diff_item_kind kind, unsigned tier, const char *func)
{
	return tp_xasprintf("%c%c%s", 'a' + kind, 'a' + tier, func ? func : "");
}

void diff_side__init(struct diff_side *s, const char *label, unsigned nslices)
{
	memset(s, 0, sizeof(*s));
	s->label = tp_xstrdup(label);
	s->nslices = nslices ? nslices : 1;
	s->slice_n = tp_xcalloc(s->nslices, sizeof(*s->slice_n));
	strtab__init(&s->index);
}

struct side_item *diff_side__add(struct diff_side *s, enum diff_item_kind kind, unsigned tier,
				 const char *func, const char *name, const char *runtime,
				 const uint64_t *counts)
{
	char *key = item_key(kind, tier, func);
	uint32_t id = strtab__intern(&s->index, key, strlen(key));
	struct side_item *it;

	free(key);
	if (id < s->nitems)
		return NULL;
	tp_xgrow((void **)&s->items, &s->items_cap, s->nitems + 1, sizeof(*s->items));
	it = &s->items[s->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	it->tier = (uint8_t)tier;
	it->func = func ? tp_xstrdup(func) : NULL;
	it->name = name ? tp_xstrdup(name) : NULL;
	it->runtime = runtime ? tp_xstrdup(runtime) : NULL;
	it->counts = tp_xcalloc(s->nslices, sizeof(*it->counts));
	for (unsigned k = 0; counts && k < s->nslices; k++) {
		it->counts[k] = counts[k];
		it->total += counts[k];
	}
	return it;
}

const struct side_item *diff_side__find(const struct diff_side *s, enum diff_item_kind kind,
					unsigned tier, const char *func)
{
	char *key = item_key(kind, tier, func);
	int64_t id = strtab__find(&s->index, key, strlen(key));

	free(key);
	return id >= 0 ? &s->items[id] : NULL;
}

void diff_side__exit(struct diff_side *s)
{
	for (size_t i = 0; i < s->nitems; i++) {
		free(s->items[i].func);
		free(s->items[i].name);
		free(s->items[i].runtime);
		free(s->items[i].counts);
	}
	for (size_t i = 0; i < s->nloops; i++) {
		free(s->loops[i].func);
		free(s->loops[i].name);
	}
	free(s->items);
	free(s->loops);
	free(s->slice_n);
	free(s->label);
	strtab__exit(&s->index);
	memset(s, 0, sizeof(*s));
}

/* "runtime\tkey\tdso": the same function in another run of the workload. */
static char *func_identity(const struct profile *p, uint32_t f)
{
	return tp_xasprintf("%s\t%s\t%s", profile__str(p, p->funcs[f].runtime),
			    profile__str(p, p->funcs[f].key), profile__func_dso(p, f));
}

static const struct sample *sort_samples;

static int cmp_time(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (sort_samples[a].time != sort_samples[b].time)
		return sort_samples[a].time < sort_samples[b].time ? -1 : 1;
	return (a > b) - (a < b);
}

/* The samples in time order (the capture keeps them per CPU ring). */
static struct sample *samples_by_time(const struct profile *p)
{
	uint32_t *idx = tp_xcalloc(p->nsamples ? p->nsamples : 1, sizeof(*idx));
	struct sample *out = tp_xcalloc(p->nsamples ? p->nsamples : 1, sizeof(*out));

	for (size_t i = 0; i < p->nsamples; i++)
		idx[i] = (uint32_t)i;
	sort_samples = p->samples;
	if (p->nsamples)
		qsort(idx, p->nsamples, sizeof(*idx), cmp_time);
	for (size_t i = 0; i < p->nsamples; i++)
		out[i] = p->samples[idx[i]];
	free(idx);
	return out;
}

void diff_side__from_profile(struct diff_side *s, const struct profile *p, unsigned nslices,
			     uint64_t min_count)
{
	struct sample *sorted = samples_by_time(p);
	struct func_table whole, *slices;
	struct findings fd;
	char **ids = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof(*ids));
	uint64_t *counts;
	const struct profile_info *in = &p->info;

	diff_side__init(s, in->path ? in->path : "", nslices);
	nslices = s->nslices;
	s->samples = p->nsamples;
	s->lost = in->lost;
	s->freq_hz = in->freq_hz;
	s->duration_s = in->end_ns > in->start_ns ? (double)(in->end_ns - in->start_ns) / 1e9 : 0;

	/* One function table per slice, each built by the shared analysis over a
	 * view of the profile that holds only the slice's samples. */
	slices = tp_xcalloc(nslices, sizeof(*slices));
	for (unsigned k = 0; k < nslices; k++) {
		struct profile view = *p;
		size_t lo = p->nsamples * k / nslices, hi = p->nsamples * (k + 1) / nslices;

		view.samples = sorted + lo;
		view.nsamples = hi - lo;
		func_table__build(&slices[k], &view);
		s->slice_n[k] = hi - lo;
	}
	func_table__build(&whole, p);
	counts = tp_xcalloc(nslices, sizeof(*counts));

	for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
		for (unsigned k = 0; k < nslices; k++)
			counts[k] = slices[k].leaf_tiers[t];
		diff_side__add(s, DIFF_ITEM_LEAF_TIER, t, NULL, NULL, NULL, counts);
	}
	for (uint32_t f = 0; f < p->nfuncs; f++) {
		const struct func_stats *fs = &whole.funcs[f];
		const char *name = profile__func_name(p, f);
		const char *rt = profile__str(p, p->funcs[f].runtime);

		if (!fs->total || fs->total < min_count)
			continue;
		ids[f] = func_identity(p, f);
		for (unsigned k = 0; k < nslices; k++)
			counts[k] = slices[k].funcs[f].total;
		/* Two functions of one identity (a name in two DSOs of one
		 * short name) keep the first: a diff needs one row per name. */
		if (!diff_side__add(s, DIFF_ITEM_FUNC_TOTAL, 0, ids[f], name, rt, counts))
			continue;
		for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
			if (fs->total_tiers[t] < min_count || !fs->total_tiers[t])
				continue;
			for (unsigned k = 0; k < nslices; k++)
				counts[k] = slices[k].funcs[f].total_tiers[t];
			diff_side__add(s, DIFF_ITEM_FUNC_TIER, t, ids[f], name, rt, counts);
		}
	}

	findings__build(&fd, p, &whole, NULL);
	for (size_t i = 0; i < fd.nitems; i++) {
		const struct finding *it = &fd.items[i];
		struct side_loop l = { 0 };

		if (it->kind != FINDING_KIND_DEOPT_LOOP)
			continue;
		if (it->func != UINT32_MAX) {
			l.func = ids[it->func] ? tp_xstrdup(ids[it->func])
					       : func_identity(p, it->func);
			l.name = tp_xstrdup(profile__func_name(p, it->func));
		} else {
			l.func = tp_xasprintf("%s\t%s\t", profile__str(p, it->history->runtime),
					      profile__str(p, it->history->key));
			l.name = tp_xstrdup(profile__str(p, it->history->key));
		}
		l.cycles = it->history ? it->history->cycles : 0;
		TP_VEC_PUSH(s->loops, s->nloops, s->loops_cap, l);
	}
	findings__exit(&fd);

	for (uint32_t f = 0; f < p->nfuncs; f++)
		free(ids[f]);
	free(ids);
	free(counts);
	for (unsigned k = 0; k < nslices; k++)
		func_table__exit(&slices[k]);
	free(slices);
	func_table__exit(&whole);
	free(sorted);
}

/* --- comparing --- */

static void estimate(const struct diff_side *s, const struct side_item *it, struct share_est *e)
{
	uint64_t *zero;

	if (it) {
		share_est__from_slices(e, it->counts, s->slice_n, s->nslices);
		return;
	}
	zero = tp_xcalloc(s->nslices, sizeof(*zero));
	share_est__from_slices(e, zero, s->slice_n, s->nslices);
	free(zero);
}

static void test_row(struct diff_row *row, const struct diff_side *a, const struct diff_side *b)
{
	const struct side_item *any = row->a ? row->a : row->b;

	if (any) {
		row->func = any->func;
		row->name = any->name;
		row->runtime = any->runtime;
	}
	estimate(a, row->a, &row->ea);
	estimate(b, row->b, &row->eb);
	stat_welch(&row->ea, &row->eb, &row->w);
}

static int is_change(double p_adj, double effect, double min_effect, double alpha)
{
	return p_adj < alpha && fabs(effect) >= min_effect && effect != 0;
}

static void decide_rows(struct diff_row *rows, size_t n, const struct diff_opts *o)
{
	double *p = tp_xcalloc(n ? n : 1, sizeof(*p));
	double alpha = 1 - o->confidence;

	for (size_t i = 0; i < n; i++)
		p[i] = rows[i].w.p;
	stat_adjust(p, n, o->correction, p);
	for (size_t i = 0; i < n; i++) {
		rows[i].p_adj = p[i];
		rows[i].direction = is_change(p[i], rows[i].w.diff, o->min_effect, alpha)
					    ? (rows[i].w.diff > 0 ? DIFF_UP : DIFF_DOWN)
					    : DIFF_SAME;
	}
	free(p);
}

static void count_change(struct diff_count *c, const struct diff_side *a,
			 const struct side_item *ia, const struct diff_side *b,
			 const struct side_item *ib, const struct diff_opts *o)
{
	struct share_est ea, eb;

	estimate(a, ia, &ea);
	estimate(b, ib, &eb);
	c->a = ea.count;
	c->b = eb.count;
	c->p = stat_count_change(&ea, &eb, o->cpu_noise, &c->ratio);
	c->p_adj = c->p;
	c->direction = DIFF_SAME;
}

static void decide_count(struct diff_count *c, const struct diff_opts *o)
{
	double rel = c->a ? fabs(c->ratio - 1) : (c->b ? INFINITY : 0);

	c->direction = c->p_adj < 1 - o->confidence && rel >= o->min_cpu_change
			       ? (c->b > c->a ? DIFF_UP : DIFF_DOWN)
			       : DIFF_SAME;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double da = fabs(a->w.diff), db = fabs(b->w.diff);
	int c;

	if ((a->direction != 0) != (b->direction != 0))
		return a->direction ? -1 : 1;
	if (da != db)
		return da > db ? -1 : 1;
	c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	if (c)
		return c;
	c = strcmp(a->func ? a->func : "", b->func ? b->func : "");
	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (a->tier > b->tier) - (a->tier < b->tier);
}

static int has_loop(const struct diff_side *s, const char *func)
{
	for (size_t i = 0; i < s->nloops; i++) {
		if (!strcmp(s->loops[i].func, func))
			return 1;
	}
	return 0;
}

static void compare_loops(struct diff_result *r)
{
	size_t cap_new = 0, cap_gone = 0, cap_kept = 0;

	for (size_t i = 0; i < r->b->nloops; i++) {
		if (has_loop(r->a, r->b->loops[i].func))
			TP_VEC_PUSH(r->loops_kept, r->nloops_kept, cap_kept, i);
		else
			TP_VEC_PUSH(r->loops_new, r->nloops_new, cap_new, i);
	}
	for (size_t i = 0; i < r->a->nloops; i++) {
		if (!has_loop(r->b, r->a->loops[i].func))
			TP_VEC_PUSH(r->loops_gone, r->nloops_gone, cap_gone, i);
	}
}

/* Items of b that a lacks, or the other way round, are tested against zero. */
static void add_func_rows(struct diff_result *r, size_t *cap)
{
	const struct diff_side *sides[2] = { r->a, r->b };

	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->nitems; i++) {
			const struct side_item *it = &sides[s]->items[i];
			const struct side_item *other;
			struct diff_row row = { 0 };

			if (it->kind == DIFF_ITEM_LEAF_TIER)
				continue;
			other = diff_side__find(sides[!s], it->kind, it->tier, it->func);
			if (s == 1 && other)
				continue; /* already paired from a */
			if (it->total + (other ? other->total : 0) < r->opts.min_samples)
				continue;
			row.kind = it->kind;
			row.tier = it->tier;
			row.a = s == 0 ? it : other;
			row.b = s == 0 ? other : it;
			test_row(&row, r->a, r->b);
			TP_VEC_PUSH(r->rows, r->nrows, *cap, row);
		}
	}
}

void diff__compare(struct diff_result *r, const struct diff_side *a, const struct diff_side *b,
		   const struct diff_opts *o)
{
	size_t cap = 0;
	double hp[TP_TIER__COUNT + 1];
	struct side_item all_a = { .counts = a->slice_n, .total = a->samples };
	struct side_item all_b = { .counts = b->slice_n, .total = b->samples };

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->b = b;
	r->opts = o ? *o : diff_opts__default;

	/* Headline family: the total and the leaf tier shares. */
	count_change(&r->cpu, a, &all_a, b, &all_b, &r->opts);
	for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
		struct diff_row *h = &r->headline[t];

		h->kind = DIFF_ITEM_LEAF_TIER;
		h->tier = (uint8_t)t;
		h->a = diff_side__find(a, DIFF_ITEM_LEAF_TIER, t, NULL);
		h->b = diff_side__find(b, DIFF_ITEM_LEAF_TIER, t, NULL);
		test_row(h, a, b);
		hp[t] = h->w.p;
	}
	hp[TP_TIER__COUNT] = r->cpu.p;
	stat_adjust(hp, TP_TIER__COUNT + 1, r->opts.correction, hp);
	for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
		struct diff_row *h = &r->headline[t];

		h->p_adj = hp[t];
		h->direction =
			is_change(hp[t], h->w.diff, r->opts.min_effect, 1 - r->opts.confidence)
				? (h->w.diff > 0 ? DIFF_UP : DIFF_DOWN)
				: DIFF_SAME;
	}
	r->cpu.p_adj = hp[TP_TIER__COUNT];
	decide_count(&r->cpu, &r->opts);

	/* Function family. */
	add_func_rows(r, &cap);
	r->ntested = r->nrows;
	decide_rows(r->rows, r->nrows, &r->opts);
	for (size_t i = 0; i < r->nrows; i++)
		r->nsignificant += r->rows[i].direction != DIFF_SAME;
	if (r->nrows)
		qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_rows);
	compare_loops(r);
}

void diff_result__exit(struct diff_result *r)
{
	free(r->rows);
	free(r->loops_new);
	free(r->loops_gone);
	free(r->loops_kept);
	memset(r, 0, sizeof(*r));
}

/* --- focus --- */

static int name_matches(const char *name, const char *pattern)
{
	size_t n = strlen(pattern);

	return !strcmp(name, pattern) || (!strncmp(name, pattern, n) && name[n] == ' ');
}

static int key_matches(const char *func, const char *pattern)
{
	const char *key = strchr(func, '\t');
	size_t n = strlen(pattern);

	return key && !strncmp(key + 1, pattern, n) && key[1 + n] == '\t';
}

int diff__focus(struct diff_focus *f, const struct diff_result *r, const char *pattern)
{
	const struct diff_side *sides[2] = { r->a, r->b };
	const struct side_item *best = NULL;
	uint64_t best_n = 0;
	struct tp_strtab seen;
	struct share_est ea, eb;
	double p[2];

	memset(f, 0, sizeof(*f));
	strtab__init(&seen);
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->nitems; i++) {
			const struct side_item *it = &sides[s]->items[i];
			const struct side_item *other;
			uint64_t n;
			int is_new;
			size_t before;

			if (it->kind != DIFF_ITEM_FUNC_TOTAL ||
			    (!name_matches(it->name, pattern) && !key_matches(it->func, pattern)))
				continue;
			before = seen.len;
			strtab__intern(&seen, it->func, strlen(it->func));
			is_new = seen.len > before;
			f->nmatches += (size_t)is_new;
			other = diff_side__find(sides[!s], DIFF_ITEM_FUNC_TOTAL, 0, it->func);
			n = it->total + (other ? other->total : 0);
			if (!best || n > best_n) {
				best = it;
				best_n = n;
			}
		}
	}
	strtab__exit(&seen);
	if (!best)
		return -1;
	f->func = best->func;
	f->name = best->name;
	{
		const struct side_item *ia =
			diff_side__find(r->a, DIFF_ITEM_FUNC_TOTAL, 0, best->func);
		const struct side_item *ib =
			diff_side__find(r->b, DIFF_ITEM_FUNC_TOTAL, 0, best->func);

		count_change(&f->local, r->a, ia, r->b, ib, &r->opts);
		estimate(r->a, ia, &ea);
		estimate(r->b, ib, &eb);
		f->share_a = ea.share;
		f->share_b = eb.share;
	}
	f->headline = r->cpu;
	/* The verdict's own family of two tests. */
	p[0] = f->local.p;
	p[1] = f->headline.p;
	stat_adjust(p, 2, r->opts.correction, p);
	f->local.p_adj = p[0];
	f->headline.p_adj = p[1];
	decide_count(&f->local, &r->opts);
	decide_count(&f->headline, &r->opts);
	f->verdict =
		f->local.direction == DIFF_DOWN
			? (f->headline.direction == DIFF_DOWN ? FOCUS_BOTH : FOCUS_LOCAL)
			: (f->headline.direction == DIFF_DOWN ? FOCUS_HEADLINE : FOCUS_NEITHER);
	return 0;
}

const char *focus_verdict__name(enum focus_verdict v)
{
	static const char *const names[] = { "neither", "local", "headline", "both" };

	return names[v];
}

const char *focus_verdict__words(enum focus_verdict v)
{
	static const char *const words[] = {
		"neither: the local frame did not shrink and the headline did not improve",
		"local frame shrank, headline did not improve (the cost moved elsewhere?)",
		"headline improved, the local frame did not shrink (the gain came from elsewhere)",
		"both: the local frame shrank and the headline improved",
	};

	return words[v];
}
