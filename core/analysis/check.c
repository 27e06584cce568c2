#include "check.h"
#include "diff.h"
#include "findings.h"
#include "functions.h"
#include "rules.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/mem.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pattern matches the display name, or its first word (V8 names carry
 * the script position after a space: "sumAreas app.js:9:18"). */
static int glob_matches(const char *glob, const char *name)
{
	const char *sp;
	char *first;
	int m;

	if (!glob)
		return 1;
	if (!fnmatch(glob, name, 0))
		return 1;
	sp = strchr(name, ' ');
	if (!sp)
		return 0;
	first = tp_xstrndup(name, (size_t)(sp - name));
	m = !fnmatch(glob, first, 0);
	free(first);
	return m;
}

__attribute__((format(printf, 3, 4))) static void violate(struct rule_outcome *o,
							  const char *subject, const char *fmt, ...)
{
	struct violation v = { .subject = tp_xstrdup(subject) };
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v.message = tp_xstrdup(msg);
	TP_VEC_PUSH(o->v, o->nv, o->cap, v);
}

static void tier_label(char *buf, size_t n, unsigned tiers)
{
	if (tiers == ((1u << TP_TIER_INTERPRETER) | (1u << TP_TIER_BASELINE)))
		snprintf(buf, n, "interpreter+baseline");
	else
		snprintf(buf, n, "%s", tier__name((unsigned)__builtin_ctz(tiers)));
}

static void tier_share(struct rule_outcome *o, const struct rule *r, const struct profile *p,
		       const struct func_table *t, const struct findings *fd, uint64_t min_samples)
{
	char label[32];
	size_t matched = 0;

	tier_label(label, sizeof(label), r->tiers);
	if (!r->glob) {
		uint64_t k = 0;
		double share;

		for (unsigned i = 0; i < TP_TIER__COUNT; i++)
			k += r->tiers & (1u << i) ? t->leaf_tiers[i] : 0;
		share = t->samples ? (double)k / (double)t->samples : 0;
		o->summary = tp_xasprintf("%s %.1f%% of all samples (limit %g%%)", label,
					  100 * share, 100 * r->limit);
		if (share > r->limit)
			violate(o, "whole capture", "%s share %.1f%% > %g%% (%llu of %llu samples)",
				label, 100 * share, 100 * r->limit, (unsigned long long)k,
				(unsigned long long)t->samples);
		return;
	}
	for (uint32_t f = 0; f < p->nfuncs; f++) {
		const struct own_time *ot = &fd->own[f];
		uint64_t k = 0;
		double share;

		if (ot->total < min_samples || !glob_matches(r->glob, profile__func_name(p, f)))
			continue;
		matched++;
		for (unsigned i = 0; i < TP_TIER__COUNT; i++)
			k += r->tiers & (1u << i) ? ot->tiers[i] : 0;
		share = (double)k / (double)ot->total;
		if (share > r->limit)
			violate(o, profile__func_name(p, f),
				"%s share of its own time %.1f%% > %g%% (%llu of %llu samples)",
				label, 100 * share, 100 * r->limit, (unsigned long long)k,
				(unsigned long long)ot->total);
	}
	o->summary = tp_xasprintf("%zu functions matching \"%s\" with %llu+ own samples", matched,
				  r->glob, (unsigned long long)min_samples);
}

static void deopt_loops(struct rule_outcome *o, const struct rule *r, const struct profile *p,
			const struct findings *fd)
{
	size_t loops = 0;

	for (size_t i = 0; i < fd->nitems; i++) {
		const struct finding *it = &fd->items[i];
		const char *name;

		if (it->kind != FINDING_KIND_DEOPT_LOOP)
			continue;
		name = it->func != UINT32_MAX ? profile__func_name(p, it->func)
					      : profile__str(p, it->history->key);
		if (!glob_matches(r->glob, name))
			continue;
		loops++;
		violate(o, name, "deopt loop: %u deopt/re-optimize cycles",
			it->history ? it->history->cycles : 0);
	}
	o->summary = tp_xasprintf("%zu deopt loops", loops);
}

static int bad_tier(unsigned tier)
{
	return tier == TP_TIER_INTERPRETER || tier == TP_TIER_BASELINE || tier == TP_TIER_UNKNOWN;
}

static void regression(struct rule_outcome *o, const struct rule *r, const struct diff_result *d)
{
	if (!d) {
		o->skipped = 1;
		o->summary = tp_xstrdup("skipped: no --baseline given");
		return;
	}
	if (!r->glob) {
		if (d->cpu.direction == DIFF_UP)
			violate(o, "whole capture",
				"CPU samples up %+.1f%% (%llu -> %llu, p(adj) %.2g)",
				100 * (d->cpu.ratio - 1), (unsigned long long)d->cpu.a,
				(unsigned long long)d->cpu.b, d->cpu.p_adj);
		for (unsigned t = 0; t < TP_TIER__COUNT; t++) {
			const struct diff_row *h = &d->headline[t];

			if (bad_tier(t) && h->direction == DIFF_UP)
				violate(o, "whole capture",
					"%s share up %+.1f pp (%.1f%% -> %.1f%%, p(adj) %.2g)",
					tier__name(t), 100 * h->w.diff, 100 * h->ea.share,
					100 * h->eb.share, h->p_adj);
		}
	}
	for (size_t i = 0; i < d->nloops_new; i++) {
		const struct side_loop *l = &d->b->loops[d->loops_new[i]];

		if (glob_matches(r->glob, l->name))
			violate(o, l->name, "new deopt loop (%u cycles)", l->cycles);
	}
	for (size_t i = 0; i < d->nrows; i++) {
		const struct diff_row *row = &d->rows[i];

		if (row->kind != DIFF_ITEM_FUNC_TIER || !bad_tier(row->tier) ||
		    row->direction != DIFF_UP || !glob_matches(r->glob, row->name))
			continue;
		violate(o, row->name,
			"%s share up %+.1f pp (%.1f%% -> %.1f%% of all samples, p(adj) %.2g)",
			tier__name(row->tier), 100 * row->w.diff, 100 * row->ea.share,
			100 * row->eb.share, row->p_adj);
	}
	o->summary = tp_xasprintf("against %s: %zu significant changes of %zu tested, CPU %+.1f%%",
				  d->a->label, d->nsignificant, d->ntested,
				  d->cpu.a ? 100 * (d->cpu.ratio - 1) : 0);
}

void check__run(struct check_result *c, const struct rules *rs, const struct profile *p,
		const struct func_table *t, const struct findings *fd,
		const struct diff_result *base)
{
	memset(c, 0, sizeof(*c));
	c->n = rs->n;
	c->o = tp_xcalloc(rs->n ? rs->n : 1, sizeof(*c->o));
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->v[i];
		struct rule_outcome *o = &c->o[i];
		uint64_t lost = p->info.lost, all = p->info.samples_total + p->info.lost;
		double share;

		o->rule = r;
		switch (r->kind) {
		case RULE_MAX_TIER_SHARE:
			tier_share(o, r, p, t, fd, rs->stat.min_samples);
			break;
		case RULE_MAX_UNKNOWN_SHARE:
			share = t->samples ? (double)t->leaf_tiers[TP_TIER_UNKNOWN] /
						     (double)t->samples
					   : 0;
			o->summary = tp_xasprintf("unknown %.1f%% of all samples (limit %g%%)",
						  100 * share, 100 * r->limit);
			if (share > r->limit)
				violate(o, "whole capture", "unknown share %.1f%% > %g%%",
					100 * share, 100 * r->limit);
			break;
		case RULE_MAX_LOST:
			share = all ? (double)lost / (double)all : 0;
			o->summary = tp_xasprintf("%llu lost samples, %.2f%%",
						  (unsigned long long)lost, 100 * share);
			if (r->limit_is_count ? (double)lost > r->limit : share > r->limit)
				violate(o, "whole capture", "%llu samples lost (%.2f%%) > %g%s",
					(unsigned long long)lost, 100 * share,
					r->limit_is_count ? r->limit : 100 * r->limit,
					r->limit_is_count ? "" : "%");
			break;
		case RULE_NO_DEOPT_LOOPS:
			deopt_loops(o, r, p, fd);
			break;
		case RULE_NO_REGRESSION:
			regression(o, r, base);
			break;
		}
		c->failed += o->nv > 0;
	}
}

void check_result__exit(struct check_result *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->o[i].nv; k++) {
			free(c->o[i].v[k].subject);
			free(c->o[i].v[k].message);
		}
		free(c->o[i].v);
		free(c->o[i].summary);
	}
	free(c->o);
	memset(c, 0, sizeof(*c));
}
