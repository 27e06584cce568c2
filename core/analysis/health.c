#include "health.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>

char *health__name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".data"))
		n -= 5;
	return tp_xstrndup(base, n);
}

static int is_jit_tier(unsigned t)
{
	return t == TP_TIER_INTERPRETER || t == TP_TIER_BASELINE || t == TP_TIER_OPTIMIZED;
}

static void processes(struct health *h)
{
	const struct profile *p = h->p;

	for (size_t i = 0; i < p->nsamples; i++) {
		const struct sample *s = &p->samples[i];
		struct health_proc *pr = NULL;

		for (size_t k = 0; k < h->nprocs; k++) {
			if (h->procs[k].pid == s->pid) {
				pr = &h->procs[k];
				break;
			}
		}
		if (!pr) {
			TP_VEC_PUSH(h->procs, h->nprocs, h->procs_cap,
				    ((struct health_proc){ .pid = s->pid, .comm = s->comm }));
			pr = &h->procs[h->nprocs - 1];
			for (size_t t = 0; t < p->nthreads; t++) {
				if (p->threads[t].tid == s->pid)
					pr->comm = p->threads[t].comm; /* the main thread's name */
			}
			pr->runtime = findings__process_runtime(&h->fd, s->pid);
		}
		pr->samples++;
		if (s->node != PROFILE_ROOT)
			pr->tiers[p->frames[p->nodes[s->node].frame].tier]++;
	}
}

/* Timelines of the functions with findings, in the findings' order. */
static void timelines(struct health *h)
{
	const struct profile *p = h->p;
	uint32_t *jit = tp_xcalloc(p->nnodes ? p->nnodes : 1, sizeof(*jit));
	uint64_t t0 = p->info.start_ns, span = p->info.end_ns > t0 ? p->info.end_ns - t0 : 1;
	size_t n = 0;

	for (size_t i = 0; i < h->fd.nitems && n < HEALTH_TOP; i++) {
		if (h->fd.items[i].func != UINT32_MAX)
			TP_VEC_PUSH(h->timelines, h->ntimelines, h->timelines_cap,
				    ((struct health_timeline){ .func = h->fd.items[i].func }));
		n = h->ntimelines;
	}
	if (!h->ntimelines) {
		free(jit);
		return;
	}
	for (size_t k = 1; k < p->nnodes; k++)
		jit[k] = is_jit_tier(p->frames[p->nodes[k].frame].tier) ? (uint32_t)k
									: jit[p->nodes[k].parent];
	for (size_t i = 0; i < p->nsamples; i++) {
		const struct sample *s = &p->samples[i];
		uint32_t node = jit[s->node];
		const struct frame *fr;
		size_t rank, bin;

		if (!node)
			continue;
		fr = &p->frames[p->nodes[node].frame];
		for (rank = 0; rank < h->ntimelines; rank++) {
			if (h->timelines[rank].func == fr->func)
				break;
		}
		if (rank == h->ntimelines)
			continue;
		bin = s->time > t0 ? (size_t)((s->time - t0) * HEALTH_BINS / span) : 0;
		if (bin >= HEALTH_BINS)
			bin = HEALTH_BINS - 1;
		h->timelines[rank].counts[bin][fr->tier == TP_TIER_INTERPRETER ? 0
					       : fr->tier == TP_TIER_BASELINE  ? 1
									       : 2]++;
	}
	for (size_t r = 0; r < h->ntimelines; r++) {
		for (size_t b = 0; b < HEALTH_BINS; b++) {
			const uint32_t *c = h->timelines[r].counts[b];
			char ch = '.';

			if (c[0] || c[1] || c[2])
				ch = c[2] >= c[1] && c[2] >= c[0] ? 'O' : c[1] >= c[0] ? 'B' : 'I';
			h->timelines[r].bins[b] = ch;
		}
		h->timelines[r].bins[HEALTH_BINS] = '\0';
	}
	free(jit);
}

void health__build(struct health *h, const struct profile *p, const char *path, unsigned slices)
{
	memset(h, 0, sizeof(*h));
	h->p = p;
	h->name = health__name_of(path);
	func_table__build(&h->t, p);
	findings__build(&h->fd, p, &h->t, NULL);
	h->ngaps = gaps__build(p, &h->t, &h->gaps);
	processes(h);
	timelines(h);
	diff_side__from_profile(&h->side, p, slices, HEALTH_SIDE_MIN);
	free(h->side.label);
	h->side.label = tp_xstrdup(h->name);
}

void health__exit(struct health *h)
{
	free(h->name);
	func_table__exit(&h->t);
	findings__exit(&h->fd);
	free(h->gaps);
	free(h->procs);
	free(h->timelines);
	diff_side__exit(&h->side);
	memset(h, 0, sizeof(*h));
}
