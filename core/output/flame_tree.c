#include "flame_tree.h"
#include "../model/profile.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <string.h>
#include <tierprof/plugin.h>

struct builder {
	struct flame_tree *t;
	const struct profile *p;
	struct tp_u64map children; /* (parent << 32 | func) -> node */
	struct tp_u64map threads;  /* thread name -> node */
};

static uint32_t new_node(struct builder *b, uint32_t parent, uint32_t func, uint32_t label)
{
	struct flame_tree *t = b->t;
	uint32_t id = (uint32_t)t->nnodes;
	struct flame_node n = {
		.parent = parent,
		.func = func,
		.label = label,
		.first_child = FLAME_NONE,
		.next_sibling = t->nodes[parent].first_child,
		.mix = FLAME_NONE,
		.depth = t->nodes[parent].depth + 1,
	};

	TP_VEC_PUSH(t->nodes, t->nnodes, t->nodes_cap, n);
	t->nodes[parent].first_child = id;
	if (n.depth > t->max_depth)
		t->max_depth = n.depth;
	return id;
}

static uint32_t child(struct builder *b, uint32_t parent, uint32_t func)
{
	int is_new;
	uint64_t *slot = u64map__slot(&b->children, ((uint64_t)parent << 32) | func, &is_new);

	if (is_new)
		*slot = new_node(b, parent, func, 0);
	return (uint32_t)*slot;
}

static uint32_t thread(struct builder *b, uint32_t comm)
{
	int is_new;
	uint64_t *slot = u64map__slot(&b->threads, comm, &is_new);

	if (is_new)
		*slot = new_node(b, FLAME_ROOT, FLAME_NONE, comm);
	return (uint32_t)*slot;
}

static void add_mix(struct flame_tree *t, uint32_t node, const struct frame *fr, uint64_t k)
{
	uint32_t *link = &t->nodes[node].mix;

	for (uint32_t m = *link; m != FLAME_NONE; m = t->mix[m].next) {
		if (t->mix[m].tier == fr->tier && t->mix[m].subtier == fr->subtier) {
			t->mix[m].count += k;
			return;
		}
		link = &t->mix[m].next;
	}
	*link = (uint32_t)t->nmix;
	TP_VEC_PUSH(t->mix, t->nmix, t->mix_cap,
		    ((struct flame_mix){ .count = k,
					 .subtier = fr->subtier,
					 .next = FLAME_NONE,
					 .tier = fr->tier }));
}

/* Count k samples of the stack path[0..depth) (leaf first) under comm. */
static void add_stack(struct builder *b, const uint32_t *path, size_t depth, uint32_t comm,
		      uint64_t k, int inverted)
{
	struct flame_tree *t = b->t;
	uint32_t node = inverted ? FLAME_ROOT : thread(b, comm);

	t->nodes[FLAME_ROOT].total += k;
	if (!inverted)
		t->nodes[node].total += k;
	for (size_t i = 0; i < depth; i++) {
		const struct frame *fr = &b->p->frames[path[inverted ? i : depth - 1 - i]];

		node = child(b, node, fr->func);
		t->nodes[node].total += k;
		t->nodes[node].inlined |= !!(fr->flags & TP_FRAME_INLINED);
		add_mix(t, node, fr, k);
	}
	t->nodes[node].self += k;
}

static int cmp_child(const void *a, const void *c, void *arg)
{
	const struct builder *b = arg;
	const struct flame_node *x = &b->t->nodes[*(const uint32_t *)a];
	const struct flame_node *y = &b->t->nodes[*(const uint32_t *)c];
	const char *nx = x->func == FLAME_NONE ? profile__str(b->p, x->label)
					       : profile__func_name(b->p, x->func);
	const char *ny = y->func == FLAME_NONE ? profile__str(b->p, y->label)
					       : profile__func_name(b->p, y->func);
	int r = strcmp(nx, ny);

	if (r)
		return r;
	return (x->func > y->func) - (x->func < y->func);
}

/* Relink every node's children in name order. */
static void sort_children(struct builder *b)
{
	struct flame_tree *t = b->t;
	uint32_t *kids = NULL;
	size_t cap = 0;

	for (size_t n = 0; n < t->nnodes; n++) {
		size_t k = 0;

		for (uint32_t c = t->nodes[n].first_child; c != FLAME_NONE;
		     c = t->nodes[c].next_sibling)
			TP_VEC_PUSH(kids, k, cap, c);
		if (k < 2)
			continue;
		qsort_r(kids, k, sizeof(*kids), cmp_child, b);
		t->nodes[n].first_child = kids[0];
		for (size_t i = 0; i < k; i++)
			t->nodes[kids[i]].next_sibling = i + 1 < k ? kids[i + 1] : FLAME_NONE;
	}
	free(kids);
}

void flame_tree__build(struct flame_tree *t, const struct profile *p, int inverted)
{
	struct builder b = { .t = t, .p = p };
	struct tp_u64map leaves; /* (comm << 32 | leaf node) -> samples */
	uint32_t *path = NULL;
	size_t path_cap = 0;

	memset(t, 0, sizeof(*t));
	TP_VEC_PUSH(t->nodes, t->nnodes, t->nodes_cap,
		    ((struct flame_node){ .parent = FLAME_NONE,
					  .func = FLAME_NONE,
					  .first_child = FLAME_NONE,
					  .next_sibling = FLAME_NONE,
					  .mix = FLAME_NONE }));
	u64map__init(&b.children);
	u64map__init(&b.threads);
	u64map__init(&leaves);
	/* Work per distinct (thread name, stack), not per sample. */
	for (size_t i = 0; i < p->nsamples; i++)
		*u64map__slot(&leaves, ((uint64_t)p->samples[i].comm << 32) | p->samples[i].node,
			      NULL) += sample__weight(&p->samples[i]);
	for (size_t s = 0; s < leaves.nslots; s++) {
		size_t depth = 0;

		if (!leaves.used[s])
			continue;
		for (uint32_t n = (uint32_t)leaves.keys[s]; n != PROFILE_ROOT;
		     n = p->nodes[n].parent)
			TP_VEC_PUSH(path, depth, path_cap, p->nodes[n].frame);
		add_stack(&b, path, depth, (uint32_t)(leaves.keys[s] >> 32), leaves.vals[s],
			  inverted);
	}
	sort_children(&b);
	free(path);
	u64map__exit(&leaves);
	u64map__exit(&b.children);
	u64map__exit(&b.threads);
}

void flame_tree__exit(struct flame_tree *t)
{
	free(t->nodes);
	free(t->mix);
	memset(t, 0, sizeof(*t));
}
