/* The report's opening section: each flagged function with the verdict, the
 * evidence (own samples per tier, deopt reasons and positions) and the fix. */
#include "output.h"
#include "../analysis/churn.h"
#include "../analysis/findings.h"
#include "../analysis/functions.h"
#include "../model/profile.h"
#include "../model/tier.h"

#include <string.h>

#define MAX_REASONS 4

static double pct(uint64_t k, uint64_t n)
{
	return n ? 100.0 * (double)k / (double)n : 0.0;
}

/* "TurboFan 420, Sparkplug 120, Ignition 70" over the JIT tiers. */
static void print_own(FILE *f, const struct profile *p, const struct own_time *o)
{
	static const unsigned order[] = { TP_TIER_OPTIMIZED, TP_TIER_BASELINE,
					  TP_TIER_INTERPRETER };
	const char *sep = "";

	fprintf(f, "     own samples:");
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		unsigned t = order[i];
		const char *sub = o->subtier[t] ? profile__str(p, o->subtier[t]) : "";

		if (!o->tiers[t])
			continue;
		fprintf(f, "%s %s%s%s%s %llu (%.0f%%)", sep, tier__name(t), *sub ? " (" : "", sub,
			*sub ? ")" : "", (unsigned long long)o->tiers[t],
			pct(o->tiers[t], o->total));
		sep = ",";
	}
	fprintf(f, "\n");
}

static void print_reasons(FILE *f, const struct profile *p, const struct deopt_history *h)
{
	for (size_t i = 0; i < h->nreasons && i < MAX_REASONS; i++) {
		const struct deopt_reason *r = &h->reasons[i];
		const char *reason = profile__str(p, r->reason);
		const char *detail = profile__str(p, r->detail);
		const char *pos = profile__str(p, r->position);

		fprintf(f, "     %s %ux %s%s%s%s\n", i ? "    " : "why:", r->count,
			*reason ? reason : "(no reason given)", *detail ? " (" : "", detail,
			*detail ? ")" : "");
		if (*pos)
			fprintf(f, "            at %s\n", pos);
	}
	if (h->nreasons > MAX_REASONS)
		fprintf(f, "         ... %zu more (tierprof deopts)\n", h->nreasons - MAX_REASONS);
}

static void print_loop(FILE *f, const struct profile *p, const struct findings *fd,
		       const struct finding *it)
{
	const struct deopt_history *h = it->history;
	const struct deopt_reason *top = h->nreasons ? &h->reasons[0] : NULL;
	const struct own_time *o = it->func != UINT32_MAX ? &fd->own[it->func] : NULL;

	if (h->from_timeline) {
		fprintf(f,
			"     its samples swung from optimized code to lower tiers and back %u "
			"times (sample timeline; no runtime log to say why)\n",
			h->cycles);
	} else {
		fprintf(f,
			"     optimized %u times, thrown away %u times (%u deopts, %u "
			"invalidations): %u cycles\n",
			h->compiles, h->deopts + h->invalidations, h->deopts, h->invalidations,
			h->cycles);
	}
	if (o && o->total) {
		fprintf(f,
			"     %.1f%% of all samples are its own; %.0f%% of them below the "
			"optimizing tier\n",
			100.0 * it->share, pct(it->lower, o->total));
		print_own(f, p, o);
	} else {
		fprintf(f, "     no samples of its own: the loop costs compile time, not run "
			   "time\n");
	}
	print_reasons(f, p, h);
	fprintf(f,
		"     fix: %s; do not swap algorithms while it is deoptimizing: fix the "
		"instability first, then profile again\n",
		top ? findings__deopt_fix(profile__str(p, top->reason),
					  profile__str(p, top->detail))
		    : findings__deopt_fix(NULL, NULL));
}

static void print_interpreter(FILE *f, const struct profile *p, const struct findings *fd,
			      const struct finding *it)
{
	const struct own_time *o = &fd->own[it->func];
	const struct deopt_history *h = it->history;

	fprintf(f, "     %.1f%% ± %.1f of all samples are its own; %.0f%% of them in %s\n",
		100.0 * it->share, 100.0 * share_stderr(o->total, fd->samples),
		pct(it->lower, o->total),
		findings__is_tiering_runtime(profile__str(p, p->funcs[it->func].runtime))
			? "tier-0 code"
			: "the interpreter or baseline tier");
	print_own(f, p, o);
	if (!o->tiers[TP_TIER_OPTIMIZED] && fd->events && !(h && h->compiles))
		fprintf(f, "     the runtime never optimized it during the run\n");
	fprintf(f, "     fix: %s\n",
		findings__interpreter_fix(profile__str(p, p->funcs[it->func].runtime)));
}

static void print_aborts(FILE *f, const struct profile *p, const struct findings *fd,
			 const struct finding *it)
{
	const struct deopt_history *h = it->history;
	const struct own_time *o = it->func != UINT32_MAX ? &fd->own[it->func] : NULL;
	const struct deopt_reason *top = h->nreasons ? &h->reasons[0] : NULL;

	fprintf(f, "     the JIT gave up compiling it %u times; optimized code made %u times\n",
		h->aborts, h->compiles);
	if (o && o->total) {
		fprintf(f, "     %.1f%% of all samples are its own\n", 100.0 * it->share);
		print_own(f, p, o);
	} else {
		fprintf(f, "     no samples of its own: it runs in the interpreter, whose frames "
			   "do not name it\n");
	}
	print_reasons(f, p, h);
	fprintf(f, "     fix: %s\n",
		findings__abort_fix(top ? profile__str(p, top->reason) : NULL));
}

/* A tiering runtime's summary: tier-0 share of its hot methods, OSR use. */
static void print_tier_up(FILE *f, const struct profile *p, const struct findings *fd,
			  const struct tier_up *u)
{
	const char *rt = profile__str(p, u->runtime);

	fprintf(f,
		"  TIER-UP [%s]: %.1f%% of the JIT time of its %u hot method%s is tier-0 "
		"code; %u of them mostly tier 0\n",
		rt, pct(u->hot_tier0, u->hot_own), u->hot, u->hot == 1 ? "" : "s",
		u->hot_mostly_tier0);
	fprintf(f,
		"     hot = at least %.0f%% of all samples each; their own samples: %llu of "
		"%llu\n",
		100.0 * findings_opts__default.hot_share, (unsigned long long)u->hot_own,
		(unsigned long long)fd->samples);
	if (u->osr)
		fprintf(f,
			"     OSR: %.1f%% of the runtime's JIT time in OSR code, %u method%s "
			"(most: %s)\n",
			pct(u->osr, u->own), u->osr_methods, u->osr_methods == 1 ? "" : "s",
			profile__func_name(p, u->top_osr));
	else
		fprintf(f, "     OSR: no samples in OSR code\n");
	/* A flagged method above already gave the fix. */
	if (u->hot_tier0 && !u->hot_mostly_tier0)
		fprintf(f, "     fix: %s\n", findings__tier0_fix(rt));
	if (u->osr)
		fprintf(f, "     note: %s\n", findings__osr_note(rt));
}

/* A process whose JIT frees nearly every loop it compiles. */
static void print_churn(FILE *f, const struct profile *p, const struct jit_churn *c)
{
	const char *rt = profile__str(p, c->runtime);

	fprintf(f, "  JIT CHURN [%s] pid %u: %.0f of %.0f compiled loops freed again (%.1f%%)", rt,
		c->pid, c->freed, c->compiled, 100.0 * c->freed / c->compiled);
	if (c->invalidated >= 0)
		fprintf(f, ", %.0f loop invalidations logged", c->invalidated);
	fprintf(f,
		"\n     churn = at least %.0f%% of at least %d compiled loops freed: the time "
		"goes to tracing and compiling code the JIT throws away\n",
		100.0 * JIT_CHURN_FREED_SHARE, JIT_CHURN_MIN_LOOPS);
	fprintf(f, "     fix: %s\n", jit_churn__fix(rt, c));
}

static void print_summaries(FILE *f, const struct profile *p, const struct findings *fd)
{
	for (size_t i = 0; i < fd->ntier_ups; i++)
		print_tier_up(f, p, fd, &fd->tier_ups[i]);
	for (size_t i = 0; i < fd->nchurns; i++)
		print_churn(f, p, &fd->churns[i]);
	fprintf(f, "\n");
}

void output_findings_text(FILE *f, const struct profile *p, const struct findings *fd)
{
	size_t shown = 0;

	if (!fd->nitems) {
		fprintf(f, "Findings: none (no hot function stuck below the optimizing tier, no "
			   "deopt loop, no JIT abort storm)\n");
		print_summaries(f, p, fd);
		return;
	}
	fprintf(f, "Findings\n");
	for (size_t i = 0; i < fd->nitems; i++) {
		const struct finding *it = &fd->items[i];
		const char *name = it->func != UINT32_MAX ? profile__func_name(p, it->func)
							  : profile__str(p, it->history->key);
		const char *rt = profile__str(p, it->func != UINT32_MAX ? p->funcs[it->func].runtime
									: it->history->runtime);

		fprintf(f, "  %zu. %s: %s [%s]\n", ++shown,
			it->kind == FINDING_KIND_DEOPT_LOOP   ? "DEOPT LOOP"
			: it->kind == FINDING_KIND_JIT_ABORTS ? "JIT ABORTS"
			: findings__is_tiering_runtime(rt)    ? "TIER-0-DOMINATED"
							      : "INTERPRETER-DOMINATED",
			name, rt);
		if (it->kind == FINDING_KIND_DEOPT_LOOP)
			print_loop(f, p, fd, it);
		else if (it->kind == FINDING_KIND_JIT_ABORTS)
			print_aborts(f, p, fd, it);
		else
			print_interpreter(f, p, fd, it);
	}
	print_summaries(f, p, fd);
}
