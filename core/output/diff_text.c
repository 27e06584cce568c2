/* tierprof diff as text: headline figures, the --focus verdict, deopt
 * loops new and gone, then the function rows that changed. */
#include "diff_out.h"
#include "../analysis/diff.h"
#include "../model/tier.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether up is bad for a share: more time in the interpreter, baseline or
 * unknown is a regression, more in optimized code is progress. */
static int up_is_bad(unsigned kind, unsigned tier)
{
	if (kind == DIFF_ITEM_FUNC_TOTAL)
		return 1;
	return tier == TP_TIER_INTERPRETER || tier == TP_TIER_BASELINE || tier == TP_TIER_UNKNOWN ||
	       (kind == DIFF_ITEM_FUNC_TIER && tier != TP_TIER_OPTIMIZED);
}

const char *diff_direction__word(int direction, unsigned kind, unsigned tier)
{
	int neutral = kind == DIFF_ITEM_LEAF_TIER && tier != TP_TIER_INTERPRETER &&
		      tier != TP_TIER_BASELINE && tier != TP_TIER_UNKNOWN &&
		      tier != TP_TIER_OPTIMIZED;

	if (direction == DIFF_SAME)
		return "no significant change";
	if (neutral)
		return direction > 0 ? "up" : "down";
	if ((direction > 0) == up_is_bad(kind, tier))
		return direction > 0 ? "up (worse)" : "down (worse)";
	return direction > 0 ? "up (better)" : "down (better)";
}

static void fmt_p(char *buf, size_t n, double p)
{
	if (p < 0.001)
		snprintf(buf, n, "<0.001");
	else
		snprintf(buf, n, "%.3f", p);
}

static void fmt_count_change(char *buf, size_t n, const struct diff_count *c)
{
	if (!c->a)
		snprintf(buf, n, "%s", c->b ? "new" : "-");
	else
		snprintf(buf, n, "%+.1f%%", 100 * (c->ratio - 1));
}

static const char *row_tier(const struct diff_row *row)
{
	return row->kind == DIFF_ITEM_FUNC_TOTAL ? "all tiers" : tier__name(row->tier);
}

static void headline(FILE *f, const struct diff_result *r)
{
	char p[16], ch[32];

	fprintf(f, "\nHeadline%-22s %10s %10s %10s %8s  %s\n", "", "base", "new", "change",
		"p(adj)", "verdict");
	fmt_p(p, sizeof(p), r->cpu.p_adj);
	fmt_count_change(ch, sizeof(ch), &r->cpu);
	fprintf(f, "  %-28s %10llu %10llu %10s %8s  %s\n", "CPU samples",
		(unsigned long long)r->cpu.a, (unsigned long long)r->cpu.b, ch, p,
		r->cpu.direction == DIFF_SAME ? "no significant change"
		: r->cpu.direction < 0	      ? "down (better)"
					      : "up (worse)");
	for (unsigned k = 0; k < TP_TIER__COUNT; k++) {
		unsigned t = tier__display_order[k];
		const struct diff_row *h = &r->headline[t];
		char label[40];

		snprintf(label, sizeof(label), "%s share", tier__name(t));
		fmt_p(p, sizeof(p), h->p_adj);
		fprintf(f, "  %-28s %9.1f%% %9.1f%% %+7.1f pp %8s  %s\n", label, 100 * h->ea.share,
			100 * h->eb.share, 100 * h->w.diff, p,
			diff_direction__word(h->direction, h->kind, t));
	}
	fprintf(f, "  %-28s %10llu %10llu\n", "lost samples", (unsigned long long)r->a->lost,
		(unsigned long long)r->b->lost);
	fprintf(f, "  %-28s %10zu %10zu %10s %8s  %s\n", "deopt loops", r->a->nloops, r->b->nloops,
		"", "",
		r->nloops_new	 ? "new loops (worse)"
		: r->nloops_gone ? "loops gone (better)"
				 : "no change");
}

static void loops(FILE *f, const struct diff_result *r)
{
	for (size_t i = 0; i < r->nloops_new; i++) {
		const struct side_loop *l = &r->b->loops[r->loops_new[i]];

		fprintf(f, "  new deopt loop:  %s (%u cycles)\n", l->name, l->cycles);
	}
	for (size_t i = 0; i < r->nloops_gone; i++) {
		const struct side_loop *l = &r->a->loops[r->loops_gone[i]];

		fprintf(f, "  deopt loop gone: %s (%u cycles before)\n", l->name, l->cycles);
	}
	for (size_t i = 0; i < r->nloops_kept; i++) {
		const struct side_loop *l = &r->b->loops[r->loops_kept[i]];

		fprintf(f, "  deopt loop kept: %s (%u cycles now)\n", l->name, l->cycles);
	}
}

static void focus_text(FILE *f, const struct diff_result *r, const struct diff_focus *fo)
{
	char p[16], ch[32];

	fprintf(f, "\nFocus: %s", fo->name);
	if (fo->nmatches > 1)
		fprintf(f, " (the busiest of %zu matching functions)", fo->nmatches);
	fmt_p(p, sizeof(p), fo->local.p_adj);
	fmt_count_change(ch, sizeof(ch), &fo->local);
	fprintf(f,
		"\n  local frame: samples with it on the stack %llu -> %llu (%s, p(adj) %s); "
		"share %.1f%% -> %.1f%%: %s\n",
		(unsigned long long)fo->local.a, (unsigned long long)fo->local.b, ch, p,
		100 * fo->share_a, 100 * fo->share_b,
		fo->local.direction < 0	  ? "shrank"
		: fo->local.direction > 0 ? "grew"
					  : "no significant change");
	fmt_p(p, sizeof(p), fo->headline.p_adj);
	fmt_count_change(ch, sizeof(ch), &fo->headline);
	fprintf(f, "  headline: CPU samples %llu -> %llu (%s, p(adj) %s): %s\n",
		(unsigned long long)fo->headline.a, (unsigned long long)fo->headline.b, ch, p,
		fo->headline.direction < 0   ? "improved"
		: fo->headline.direction > 0 ? "worse"
					     : "no significant change");
	fprintf(f, "  verdict: %s\n", focus_verdict__words(fo->verdict));
	(void)r;
}

int output_diff_text(FILE *f, const struct diff_result *r, const struct diff_focus *focus,
		     const struct diff_out_opts *o)
{
	const struct diff_opts *op = &r->opts;
	unsigned shown = 0;

	fprintf(f, "# tierprof diff: %s -> %s\n", r->a->label, r->b->label);
	fprintf(f,
		"# base %llu samples in %.2f s, new %llu samples in %.2f s; %u and %u time "
		"slices\n",
		(unsigned long long)r->a->samples, r->a->duration_s,
		(unsigned long long)r->b->samples, r->b->duration_s, r->a->nslices, r->b->nslices);
	fprintf(f,
		"# a change is reported when significant at %g%% confidence (%s correction, "
		"slice-based Welch test) and at least %g pp of the samples (totals: %g%%; run "
		"noise %g%%)\n",
		100 * op->confidence, stat_correction__name(op->correction), 100 * op->min_effect,
		100 * op->min_cpu_change, 100 * op->cpu_noise);
	headline(f, r);
	loops(f, r);
	if (focus)
		focus_text(f, r, focus);

	fprintf(f, "\nFunctions: %zu significant changes of %zu tested (each with %llu+ samples)\n",
		r->nsignificant, r->ntested, (unsigned long long)op->min_samples);
	if (r->nsignificant) {
		fprintf(f, "  %9s %7s %7s %8s  %-12s %s\n", "change", "base", "new", "p(adj)",
			"tier", "function");
	}
	for (size_t i = 0; i < r->nrows && r->rows[i].direction != DIFF_SAME; i++) {
		const struct diff_row *row = &r->rows[i];
		char p[16];

		if (shown++ >= o->limit) {
			fprintf(f, "  ... %zu more (--limit)\n", r->nsignificant - o->limit);
			break;
		}
		fmt_p(p, sizeof(p), row->p_adj);
		fprintf(f, "  %+6.1f pp %6.1f%% %6.1f%% %8s  %-12s %s\n", 100 * row->w.diff,
			100 * row->ea.share, 100 * row->eb.share, p, row_tier(row), row->name);
	}
	if (!r->nsignificant)
		fprintf(f, "  none: what differs is within the noise of the runs\n");
	return ferror(f) ? -1 : 0;
}
