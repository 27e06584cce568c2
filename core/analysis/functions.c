#include "functions.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <math.h>
#include <string.h>

double share_stderr(uint64_t k, uint64_t n)
{
	double p;

	if (!n)
		return 0;
	p = (double)k / (double)n;
	return sqrt(p * (1 - p) / (double)n);
}

void func_table__build(struct func_table *t, const struct profile *p)
{
	uint32_t *stamp = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof(*stamp));

	memset(t, 0, sizeof(*t));
	t->nfuncs = p->nfuncs;
	t->funcs = tp_xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof(*t->funcs));
	t->node_self = tp_xcalloc(p->nnodes, sizeof(uint64_t));
	t->node_total = tp_xcalloc(p->nnodes, sizeof(uint64_t));
	for (size_t i = 0; i < p->nsamples; i++) {
		t->node_self[p->samples[i].node] += sample__weight(&p->samples[i]);
		t->samples += sample__weight(&p->samples[i]);
	}

	/* Work per distinct leaf node, not per sample: walk each one's path to
	 * the root once, stamping functions so recursion counts once. */
	for (uint32_t leaf = 1; leaf < p->nnodes; leaf++) {
		uint64_t k = t->node_self[leaf];
		const struct frame *lf;

		if (!k)
			continue;
		lf = &p->frames[p->nodes[leaf].frame];
		t->funcs[lf->func].self += k;
		t->funcs[lf->func].self_tiers[lf->tier] += k;
		t->leaf_tiers[lf->tier] += k;
		for (uint32_t n = leaf; n != PROFILE_ROOT; n = p->nodes[n].parent) {
			const struct frame *f = &p->frames[p->nodes[n].frame];

			t->node_total[n] += k;
			if (stamp[f->func] == leaf)
				continue;
			stamp[f->func] = leaf;
			t->funcs[f->func].total += k;
			t->funcs[f->func].total_tiers[f->tier] += k;
		}
	}
	t->node_total[PROFILE_ROOT] = t->samples;
	free(stamp);
}

void func_table__exit(struct func_table *t)
{
	free(t->funcs);
	free(t->node_self);
	free(t->node_total);
	memset(t, 0, sizeof(*t));
}

struct sort_ctx {
	const struct func_table *t;
	int by_total;
};

static int cmp_func(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct func_stats *fx = &c->t->funcs[x], *fy = &c->t->funcs[y];
	uint64_t vx = c->by_total ? fx->total : fx->self, vy = c->by_total ? fy->total : fy->self;

	if (vx != vy)
		return (vx < vy) - (vx > vy);
	if (c->by_total && fx->self != fy->self)
		return (fx->self < fy->self) - (fx->self > fy->self);
	return (x > y) - (x < y);
}

uint32_t *func_table__sorted(const struct func_table *t, int by_total, size_t *n)
{
	uint32_t *ids = tp_xmalloc((t->nfuncs ? t->nfuncs : 1) * sizeof(*ids));
	size_t k = 0;

	for (uint32_t i = 0; i < t->nfuncs; i++) {
		if (t->funcs[i].total)
			ids[k++] = i;
	}
	struct sort_ctx c = { t, by_total };

	qsort_r(ids, k, sizeof(*ids), cmp_func, &c);
	*n = k;
	return ids;
}
