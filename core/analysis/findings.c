#include "findings.h"
#include "churn.h"
#include "functions.h"
#include "../model/profile.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>

const struct findings_opts findings_opts__default = {
	.hot_share = 0.02,
	.lower_share = 0.5,
	.min_cycles = 3,
	.min_samples = 20,
	.min_aborts = 5,
};

static int is_jit_tier(unsigned t)
{
	return t == TP_TIER_INTERPRETER || t == TP_TIER_BASELINE || t == TP_TIER_OPTIMIZED;
}

/* For each stack node, the innermost node at or above it whose frame runs
 * JIT-tier code (0 = none). Parents precede children in the node array. */
static uint32_t *innermost_jit_nodes(const struct profile *p)
{
	uint32_t *jit = tp_xcalloc(p->nnodes, sizeof(*jit));

	for (size_t n = 1; n < p->nnodes; n++) {
		const struct frame *fr = &p->frames[p->nodes[n].frame];

		jit[n] = is_jit_tier(fr->tier) ? (uint32_t)n : jit[p->nodes[n].parent];
	}
	return jit;
}

static void count_runtime(struct findings *f, uint32_t pid, uint32_t runtime, uint64_t weight)
{
	for (size_t i = 0; i < f->nruntimes; i++) {
		if (f->runtimes[i].pid == pid && f->runtimes[i].runtime == runtime) {
			f->runtimes[i].samples += weight;
			return;
		}
	}
	TP_VEC_PUSH(f->runtimes, f->nruntimes, f->runtimes_cap,
		    ((struct proc_runtime){ .pid = pid, .runtime = runtime, .samples = weight }));
}

static void own_times(struct findings *f, const struct profile *p, uint32_t *sample_func,
		      uint8_t *sample_lower)
{
	uint32_t *jit = innermost_jit_nodes(p);

	for (size_t i = 0; i < p->nsamples; i++) {
		uint32_t n = jit[p->samples[i].node];
		uint64_t w = sample__weight(&p->samples[i]);
		const struct frame *fr;
		struct own_time *o;

		sample_func[i] = UINT32_MAX;
		if (!n)
			continue;
		fr = &p->frames[p->nodes[n].frame];
		o = &f->own[fr->func];
		o->total += w;
		o->tiers[fr->tier] += w;
		if (fr->flags & TP_FRAME_OSR)
			o->osr += w;
		if (!o->subtier[fr->tier])
			o->subtier[fr->tier] = fr->subtier;
		sample_func[i] = fr->func;
		sample_lower[i] = fr->tier != TP_TIER_OPTIMIZED;
		count_runtime(f, p->samples[i].pid, p->funcs[fr->func].runtime, w);
	}
	free(jit);
}

uint32_t findings__process_runtime(const struct findings *f, uint32_t pid)
{
	uint32_t best = UINT32_MAX;
	uint64_t most = 0;

	for (size_t i = 0; i < f->nruntimes; i++) {
		if (f->runtimes[i].pid == pid && f->runtimes[i].samples > most) {
			most = f->runtimes[i].samples;
			best = f->runtimes[i].runtime;
		}
	}
	return best;
}

/* --- deopt histories from runtime events --- */

static const struct profile *sort_profile;

static int ev_cmp(const void *a, const void *b)
{
	const struct runtime_event *x = &sort_profile->events[*(const uint32_t *)a];
	const struct runtime_event *y = &sort_profile->events[*(const uint32_t *)b];

	if (x->function != y->function)
		return x->function < y->function ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int reason_cmp(const void *a, const void *b)
{
	const struct deopt_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

static void add_reason(struct deopt_history *h, size_t *cap, const struct runtime_event *e)
{
	for (size_t i = 0; i < h->nreasons; i++) {
		struct deopt_reason *r = &h->reasons[i];

		if (r->reason == e->reason && r->detail == e->detail &&
		    r->position == e->position) {
			r->count++;
			return;
		}
	}
	TP_VEC_PUSH(h->reasons, h->nreasons, *cap,
		    ((struct deopt_reason){ .reason = e->reason,
					    .detail = e->detail,
					    .position = e->position,
					    .count = 1 }));
}

/* One function's events, in time order. */
static void history_of(struct deopt_history *h, const struct profile *p, const uint32_t *idx,
		       size_t n)
{
	size_t cap = 0;
	int pending = 0;
	struct tp_u64map lost; /* distinct code deoptimized */

	u64map__init(&lost);
	for (size_t i = 0; i < n; i++) {
		const struct runtime_event *e = &p->events[idx[i]];
		int is_new;

		if (e->time && (!h->first_ns || e->time < h->first_ns))
			h->first_ns = e->time;
		if (e->time > h->last_ns)
			h->last_ns = e->time;
		switch (e->kind) {
		case TP_EVENT_COMPILE:
			if (e->tier != TP_TIER_OPTIMIZED)
				break;
			h->compiles++;
			if (pending)
				h->cycles++;
			pending = 0;
			break;
		case TP_EVENT_DEOPT:
		case TP_EVENT_INVALIDATE:
			if (e->kind == TP_EVENT_DEOPT)
				h->deopts++;
			else
				h->invalidations++;
			pending = 1;
			if (e->code_addr)
				u64map__slot(&lost, e->code_addr, &is_new);
			add_reason(h, &cap, e);
			break;
		case TP_EVENT_ABORT:
			h->aborts++;
			add_reason(h, &cap, e);
			break;
		default:
			break;
		}
	}
	/* Without compile events (a trace of deopts only), every optimized code
	 * lost but the last was replaced by a new one. */
	if (!h->compiles) {
		size_t gone = lost.len ? lost.len : h->deopts + h->invalidations;

		h->cycles = gone > 1 ? (unsigned)(gone - 1) : 0;
	}
	u64map__exit(&lost);
	if (h->nreasons) /* qsort wants a non-NULL base even for no elements */
		qsort(h->reasons, h->nreasons, sizeof(*h->reasons), reason_cmp);
}

static void build_histories(struct findings *f, const struct profile *p,
			    const struct tp_u64map *key_to_func)
{
	uint32_t *idx;
	size_t cap = 0;

	if (!p->nevents)
		return;
	idx = tp_xcalloc(p->nevents, sizeof(*idx));
	for (size_t i = 0; i < p->nevents; i++)
		idx[i] = (uint32_t)i;
	sort_profile = p;
	qsort(idx, p->nevents, sizeof(*idx), ev_cmp);
	for (size_t i = 0; i < p->nevents;) {
		size_t j = i;
		struct deopt_history h = { .key = p->events[idx[i]].function,
					   .runtime = p->events[idx[i]].runtime,
					   .func = UINT32_MAX };
		const uint64_t *fid;

		while (j < p->nevents && p->events[idx[j]].function == h.key)
			j++;
		history_of(&h, p, idx + i, j - i);
		fid = u64map__find(key_to_func, h.key);
		if (fid)
			h.func = (uint32_t)*fid;
		if (h.deopts || h.invalidations || h.aborts)
			TP_VEC_PUSH(f->histories, f->nhistories, cap, h);
		else
			free(h.reasons);
		i = j;
	}
	free(idx);
}

/* --- deopt loops from the sample timeline, when a process has no events --- */

enum { BIN_NONE, BIN_OPT, BIN_LOWER };

static unsigned timeline_cycles(const struct profile *p, const uint32_t *sample_func,
				const uint8_t *sample_lower, uint32_t func)
{
	uint64_t t0 = p->info.start_ns, span = p->info.end_ns - p->info.start_ns;
	uint64_t width = span / 200 > 50000000ull ? span / 200 : 50000000ull;
	uint64_t bin = UINT64_MAX, in_bin = 0, lower_in_bin = 0;
	int last = BIN_NONE, seen_opt = 0;
	unsigned cycles = 0;

	for (size_t i = 0; i <= p->nsamples; i++) {
		uint64_t b = i < p->nsamples ? (p->samples[i].time - t0) / width : UINT64_MAX;
		int state = BIN_NONE;

		if (i < p->nsamples && sample_func[i] != func)
			continue;
		if (b != bin && in_bin >= 3) {
			/* A bin counts only when one side clearly dominates. */
			if (lower_in_bin * 4 >= in_bin * 3)
				state = BIN_LOWER;
			else if (lower_in_bin * 4 <= in_bin)
				state = BIN_OPT;
			if (state == BIN_OPT && last == BIN_LOWER && seen_opt)
				cycles++;
			if (state == BIN_OPT)
				seen_opt = 1;
			if (state != BIN_NONE)
				last = state;
		}
		if (b != bin) {
			bin = b;
			in_bin = lower_in_bin = 0;
		}
		if (i < p->nsamples) {
			in_bin += sample__weight(&p->samples[i]);
			lower_in_bin += sample_lower[i] * sample__weight(&p->samples[i]);
		}
	}
	return cycles;
}

/* Processes the runtime reported events for: their loops come from events. */
static void pids_with_events(const struct profile *p, struct tp_u64map *pids)
{
	int is_new;

	for (size_t i = 0; i < p->nevents; i++)
		u64map__slot(pids, p->events[i].pid, &is_new);
}

/* The process of each function's own samples (the first seen). */
static uint32_t *own_pids(const struct profile *p, const uint32_t *sample_func, size_t nfuncs)
{
	uint32_t *pid = tp_xcalloc(nfuncs ? nfuncs : 1, sizeof(*pid));

	for (size_t i = 0; i < p->nsamples; i++) {
		if (sample_func[i] != UINT32_MAX && !pid[sample_func[i]])
			pid[sample_func[i]] = p->samples[i].pid;
	}
	return pid;
}

static void timeline_loops(struct findings *f, const struct profile *p, const uint32_t *sample_func,
			   const uint8_t *sample_lower, const struct findings_opts *o)
{
	size_t cap = f->nhistories;
	struct tp_u64map with_events;
	uint32_t *pid = own_pids(p, sample_func, f->nfuncs);

	u64map__init(&with_events);
	pids_with_events(p, &with_events);
	for (uint32_t fn = 0; fn < f->nfuncs; fn++) {
		const struct own_time *ot = &f->own[fn];
		uint64_t lower = ot->tiers[TP_TIER_INTERPRETER] + ot->tiers[TP_TIER_BASELINE];
		unsigned cycles;

		if (ot->total < o->min_samples || !lower || !ot->tiers[TP_TIER_OPTIMIZED] ||
		    findings__history(f, fn) || u64map__find(&with_events, pid[fn]) ||
		    findings__is_tiering_runtime(profile__str(p, p->funcs[fn].runtime)))
			continue;
		cycles = timeline_cycles(p, sample_func, sample_lower, fn);
		if (cycles < o->min_cycles)
			continue;
		TP_VEC_PUSH(f->histories, f->nhistories, cap,
			    ((struct deopt_history){ .key = p->funcs[fn].key,
						     .func = fn,
						     .runtime = p->funcs[fn].runtime,
						     .cycles = cycles,
						     .from_timeline = 1 }));
	}
	u64map__exit(&with_events);
	free(pid);
}

/* --- tier-up of runtimes without deopts --- */

static struct tier_up *tier_up_of(struct findings *f, uint32_t runtime, size_t *cap)
{
	for (size_t i = 0; i < f->ntier_ups; i++) {
		if (f->tier_ups[i].runtime == runtime)
			return &f->tier_ups[i];
	}
	TP_VEC_PUSH(f->tier_ups, f->ntier_ups, *cap,
		    ((struct tier_up){ .runtime = runtime, .top_osr = UINT32_MAX }));
	return &f->tier_ups[f->ntier_ups - 1];
}

static void tier_ups(struct findings *f, const struct profile *p, const struct findings_opts *o)
{
	size_t cap = 0;

	for (uint32_t fn = 0; fn < p->nfuncs; fn++) {
		const struct own_time *ot = &f->own[fn];
		double share = f->samples ? (double)ot->total / (double)f->samples : 0;
		struct tier_up *u;

		if (!ot->total ||
		    !findings__is_tiering_runtime(profile__str(p, p->funcs[fn].runtime)))
			continue;
		u = tier_up_of(f, p->funcs[fn].runtime, &cap);
		u->own += ot->total;
		if (ot->osr) {
			u->osr += ot->osr;
			u->osr_methods++;
			if (u->top_osr == UINT32_MAX || ot->osr > f->own[u->top_osr].osr)
				u->top_osr = fn;
		}
		if (share < o->hot_share)
			continue;
		u->hot++;
		u->hot_own += ot->total;
		u->hot_tier0 += ot->tiers[TP_TIER_BASELINE];
		if ((double)ot->tiers[TP_TIER_BASELINE] >= o->lower_share * (double)ot->total)
			u->hot_mostly_tier0++;
	}
}

/* --- findings --- */

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->kind != y->kind &&
	    (x->kind == FINDING_KIND_DEOPT_LOOP || y->kind == FINDING_KIND_DEOPT_LOOP))
		return x->kind == FINDING_KIND_DEOPT_LOOP ? -1 : 1;
	if (x->share != y->share)
		return x->share > y->share ? -1 : 1;
	if (x->history && y->history && x->history->cycles != y->history->cycles)
		return x->history->cycles > y->history->cycles ? -1 : 1;
	return x->func < y->func ? -1 : x->func > y->func;
}

void findings__build(struct findings *f, const struct profile *p, const struct func_table *t,
		     const struct findings_opts *o)
{
	uint32_t *sample_func = tp_xcalloc(p->nsamples ? p->nsamples : 1, sizeof(*sample_func));
	uint8_t *sample_lower = tp_xcalloc(p->nsamples ? p->nsamples : 1, 1);
	struct tp_u64map key_to_func;
	size_t cap = 0;

	if (!o)
		o = &findings_opts__default;
	memset(f, 0, sizeof(*f));
	f->nfuncs = p->nfuncs;
	f->samples = t->samples;
	f->events = p->nevents;
	f->own = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof(*f->own));
	f->flags = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, 1);
	own_times(f, p, sample_func, sample_lower);

	u64map__init(&key_to_func);
	for (uint32_t fn = 0; fn < p->nfuncs; fn++) {
		int is_new;
		uint64_t *slot = u64map__slot(&key_to_func, p->funcs[fn].key, &is_new);

		if (is_new)
			*slot = fn;
	}
	build_histories(f, p, &key_to_func);
	u64map__exit(&key_to_func);
	timeline_loops(f, p, sample_func, sample_lower, o);

	for (size_t i = 0; i < f->nhistories; i++) {
		const struct deopt_history *h = &f->histories[i];
		const struct own_time *ot = h->func != UINT32_MAX ? &f->own[h->func] : NULL;

		if (h->cycles < o->min_cycles)
			continue;
		if (h->func != UINT32_MAX)
			f->flags[h->func] |= FINDING_DEOPT_LOOP;
		TP_VEC_PUSH(
			f->items, f->nitems, cap,
			((struct finding){ .kind = FINDING_KIND_DEOPT_LOOP,
					   .func = h->func,
					   .history = h,
					   .lower = ot ? ot->tiers[TP_TIER_INTERPRETER] +
								    ot->tiers[TP_TIER_BASELINE]
						       : 0,
					   .share = ot && t->samples
							    ? (double)ot->total / (double)t->samples
							    : 0 }));
	}
	for (size_t i = 0; i < f->nhistories; i++) {
		const struct deopt_history *h = &f->histories[i];
		const struct own_time *ot = h->func != UINT32_MAX ? &f->own[h->func] : NULL;

		if (h->aborts < o->min_aborts || h->cycles >= o->min_cycles)
			continue; /* a deopt loop's finding lists its aborts */
		if (h->func != UINT32_MAX)
			f->flags[h->func] |= FINDING_JIT_ABORTS;
		TP_VEC_PUSH(
			f->items, f->nitems, cap,
			((struct finding){ .kind = FINDING_KIND_JIT_ABORTS,
					   .func = h->func,
					   .history = h,
					   .lower = ot ? ot->tiers[TP_TIER_INTERPRETER] +
								    ot->tiers[TP_TIER_BASELINE]
						       : 0,
					   .share = ot && t->samples
							    ? (double)ot->total / (double)t->samples
							    : 0 }));
	}
	for (uint32_t fn = 0; fn < p->nfuncs; fn++) {
		const struct own_time *ot = &f->own[fn];
		uint64_t lower = ot->tiers[TP_TIER_INTERPRETER] + ot->tiers[TP_TIER_BASELINE];
		double share = t->samples ? (double)ot->total / (double)t->samples : 0;

		if (ot->total < o->min_samples || share < o->hot_share ||
		    (double)lower < o->lower_share * (double)ot->total)
			continue;
		f->flags[fn] |= FINDING_INTERPRETER_DOMINATED;
		if (f->flags[fn] & FINDING_DEOPT_LOOP)
			continue; /* the loop's finding shows the lower-tier share */
		TP_VEC_PUSH(f->items, f->nitems, cap,
			    ((struct finding){ .kind = FINDING_KIND_INTERPRETER,
					       .func = fn,
					       .history = findings__history(f, fn),
					       .lower = lower,
					       .share = share }));
	}
	if (f->nitems)
		qsort(f->items, f->nitems, sizeof(*f->items), finding_cmp);
	tier_ups(f, p, o);
	f->nchurns = jit_churn__find(p, &f->churns);
	free(sample_func);
	free(sample_lower);
}

void findings__exit(struct findings *f)
{
	for (size_t i = 0; i < f->nhistories; i++)
		free(f->histories[i].reasons);
	free(f->histories);
	free(f->items);
	free(f->own);
	free(f->flags);
	free(f->runtimes);
	free(f->tier_ups);
	free(f->churns);
	memset(f, 0, sizeof(*f));
}

const struct deopt_history *findings__history(const struct findings *f, uint32_t func)
{
	for (size_t i = 0; i < f->nhistories; i++) {
		if (f->histories[i].func == func)
			return &f->histories[i];
	}
	return NULL;
}

static int history_cmp(const void *a, const void *b)
{
	const struct deopt_history *x = *(const struct deopt_history *const *)a;
	const struct deopt_history *y = *(const struct deopt_history *const *)b;
	unsigned nx = x->deopts + x->invalidations, ny = y->deopts + y->invalidations;

	if (x->cycles != y->cycles)
		return x->cycles > y->cycles ? -1 : 1;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

const struct deopt_history **findings__histories_sorted(const struct findings *f, size_t *n)
{
	const struct deopt_history **v = tp_xcalloc(f->nhistories ? f->nhistories : 1, sizeof(*v));

	for (size_t i = 0; i < f->nhistories; i++)
		v[i] = &f->histories[i];
	if (f->nhistories)
		qsort(v, f->nhistories, sizeof(*v), history_cmp);
	*n = f->nhistories;
	return v;
}

const char *finding_kind__name(enum finding_kind k)
{
	switch (k) {
	case FINDING_KIND_DEOPT_LOOP:
		return "deopt-loop";
	case FINDING_KIND_INTERPRETER:
		return "interpreter-dominated";
	case FINDING_KIND_JIT_ABORTS:
		return "jit-aborts";
	}
	return "?";
}
