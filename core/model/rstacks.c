/* Runtime-sampled stacks naming unnamed native samples; see rstacks.h. */
#include "rstacks.h"
#include "profile.h"
#include "../util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t intern(struct profile *p, const char *s)
{
	return strtab__intern(&p->strings, s, strlen(s));
}

static struct rstack_group *group_of(struct rstacks *r, struct profile *p, const char *plugin,
				     const struct tp_runtime_stack *s)
{
	uint32_t target = intern(p, s->target_key);

	if (s->flags & ~TP_RUNTIME_STACK_KEEP_LEAF)
		return NULL;
	for (size_t i = 0; i < r->ngroups; i++) {
		struct rstack_group *g = &r->groups[i];

		if (g->pid != s->pid)
			continue;
		if (g->start_ns != s->start_ns || g->end_ns != s->end_ns)
			return NULL;
		if (g->target == target)
			return g->flags == s->flags ? g : NULL;
	}
	TP_VEC_PUSH(r->groups, r->ngroups, r->groups_cap,
		    ((struct rstack_group){ .pid = s->pid,
					    .start_ns = s->start_ns,
					    .end_ns = s->end_ns,
					    .target = target,
					    .runtime = intern(p, s->runtime),
					    .plugin = intern(p, plugin),
					    .flags = s->flags }));
	return &r->groups[r->ngroups - 1];
}

int rstacks__add(struct rstacks *r, struct profile *p, const char *plugin,
		 const struct tp_runtime_stack *s)
{
	struct rstack_group *g = group_of(r, p, plugin, s);
	struct rstack_entry e;

	if (!g)
		return -EINVAL;
	e.position = s->position;
	e.first = (uint32_t)r->nframes;
	e.n = s->nframes;
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct tp_runtime_frame *f = &s->frames[i];
		uint32_t key = intern(p, f->function_key);

		TP_VEC_PUSH(r->frames, r->nframes, r->frames_cap,
			    ((struct rstack_frame){ .key = key,
						    .display = intern(p, f->display_name),
						    .subtier = intern(p, f->subtier),
						    .tier = (uint8_t)f->tier,
						    .flags = (uint8_t)f->flags,
						    .is_target = key == g->target }));
	}
	TP_VEC_PUSH(g->entries, g->nentries, g->entries_cap, e);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	double x = ((const struct rstack_entry *)a)->position;
	double y = ((const struct rstack_entry *)b)->position;

	return (x > y) - (x < y);
}

/* The entry nearest to pos, or NULL when none lies within the window. */
static const struct rstack_entry *nearest(const struct rstack_group *g, double pos)
{
	size_t lo = 0, hi = g->nentries;
	const struct rstack_entry *best = NULL;
	double d;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->entries[mid].position < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < g->nentries)
		best = &g->entries[lo];
	if (lo > 0 && (!best || pos - g->entries[lo - 1].position < best->position - pos))
		best = &g->entries[lo - 1];
	if (!best)
		return NULL;
	d = best->position > pos ? best->position - pos : pos - best->position;
	return d <= TP_RUNTIME_STACK_WINDOW ? best : NULL;
}

static int in_span(const struct rstack_group *g, const struct sample *s)
{
	return s->pid == g->pid && s->time >= g->start_ns && s->time <= g->end_ns;
}

/* The innermost user node of a sample, past the kernel frames; 0 if none. */
static uint32_t user_node(const struct profile *p, uint32_t node)
{
	while (node != PROFILE_ROOT && p->frames[p->nodes[node].frame].tier == TP_TIER_KERNEL)
		node = p->nodes[node].parent;
	return node;
}

/* The sample's new leaf node: the runtime stack, then (keep-leaf) the
 * sample's innermost user frame, then its kernel frames. */
static uint32_t build(struct rstacks *r, struct profile *p, const struct rstack_group *g,
		      const struct rstack_entry *e, uint32_t leaf, uint32_t user)
{
	uint32_t node = PROFILE_ROOT, target_func = p->frames[p->nodes[user].frame].func;
	uint32_t kernel[64];
	size_t nk = 0;

	for (uint32_t i = e->n; i-- > 0;) {
		const struct rstack_frame *f = &r->frames[e->first + i];
		uint32_t func = f->is_target ? target_func
					     : profile__function_keyed(p, profile__str(p, f->key),
								       profile__str(p, f->display),
								       profile__str(p, g->runtime),
								       PROFILE_NO_DSO);

		node = profile__child(
			p, node,
			profile__frame_ex(p, func, f->tier, profile__str(p, f->subtier), f->flags));
	}
	if (g->flags & TP_RUNTIME_STACK_KEEP_LEAF)
		node = profile__child(p, node, p->nodes[user].frame);
	for (uint32_t k = leaf; k != user && nk < 64; k = p->nodes[k].parent)
		kernel[nk++] = p->nodes[k].frame;
	while (nk > 0)
		node = profile__child(p, node, kernel[--nk]);
	return node;
}

static int group_cmp(const void *a, const void *b)
{
	const struct rstack_group *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->target > y->target) - (x->target < y->target);
}

/* The group of groups[0..n) (one process, sorted by target) for target. */
static struct rstack_group *find_target(struct rstack_group *groups, size_t n, uint32_t target)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (groups[mid].target == target)
			return &groups[mid];
		if (groups[mid].target < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum { REPLACED, KEPT_LEAF };

/* Groups [0, n) are one process's. */
static void apply_process(struct rstacks *r, struct profile *p, struct rstack_group *groups,
			  size_t n)
{
	uint64_t total = 0, before = 0, named[2] = { 0 }, unnamed[2] = { 0 }, nentries = 0;
	const struct rstack_group *span = &groups[0];
	int has_kept = 0;
	const char *plugin = profile__str(p, span->plugin);

	for (size_t i = 0; i < n; i++) {
		if (groups[i].nentries)
			qsort(groups[i].entries, groups[i].nentries, sizeof(*groups[i].entries),
			      entry_cmp);
		nentries += groups[i].nentries;
		has_kept |= !!(groups[i].flags & TP_RUNTIME_STACK_KEEP_LEAF);
	}
	for (size_t i = 0; i < p->nsamples; i++) {
		if (in_span(span, &p->samples[i]))
			total += sample__weight(&p->samples[i]);
	}
	if (!total)
		return;
	for (size_t i = 0; i < p->nsamples; i++) {
		struct sample *s = &p->samples[i];
		struct rstack_group *g;
		uint64_t w;
		uint32_t user;
		const struct rstack_entry *e;
		int kind;

		if (!in_span(span, s))
			continue;
		w = sample__weight(s);
		user = user_node(p, s->node);
		before += w;
		if (user == PROFILE_ROOT)
			continue;
		g = find_target(groups, n, p->funcs[p->frames[p->nodes[user].frame].func].key);
		if (!g)
			continue;
		kind = g->flags & TP_RUNTIME_STACK_KEEP_LEAF ? KEPT_LEAF : REPLACED;
		e = nearest(g, ((double)before - (double)w / 2) / (double)total);
		if (!e) {
			unnamed[kind] += w;
			continue;
		}
		s->node = build(r, p, g, e, s->node, user);
		named[kind] += w;
	}
	profile__add_stat(p, span->pid, plugin, "runtime stacks (samples)", (double)nentries,
			  "samples");
	profile__add_stat(p, span->pid, plugin, "native samples named by them",
			  (double)named[REPLACED], "samples");
	profile__add_stat(p, span->pid, plugin, "native samples left unnamed (none near)",
			  (double)unnamed[REPLACED], "samples");
	if (has_kept) {
		profile__add_stat(p, span->pid, plugin, "JIT samples given callers by them",
				  (double)named[KEPT_LEAF], "samples");
		profile__add_stat(p, span->pid, plugin, "JIT samples left without callers",
				  (double)unnamed[KEPT_LEAF], "samples");
	}
}

void rstacks__apply(struct rstacks *r, struct profile *p)
{
	size_t first = 0;

	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), group_cmp);
	for (size_t i = 1; i <= r->ngroups; i++) {
		if (i == r->ngroups || r->groups[i].pid != r->groups[first].pid) {
			apply_process(r, p, &r->groups[first], i - first);
			first = i;
		}
	}
}

void rstacks__exit(struct rstacks *r)
{
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->groups[i].entries);
	free(r->groups);
	free(r->frames);
	memset(r, 0, sizeof(*r));
}
