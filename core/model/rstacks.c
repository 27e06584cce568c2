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

	for (size_t i = 0; i < r->ngroups; i++) {
		struct rstack_group *g = &r->groups[i];

		if (g->pid != s->pid)
			continue;
		if (g->start_ns != s->start_ns || g->end_ns != s->end_ns || g->target != target)
			return NULL;
		return g;
	}
	TP_VEC_PUSH(r->groups, r->ngroups, r->groups_cap,
		    ((struct rstack_group){ .pid = s->pid,
					    .start_ns = s->start_ns,
					    .end_ns = s->end_ns,
					    .target = target,
					    .runtime = intern(p, s->runtime),
					    .plugin = intern(p, plugin) }));
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
	for (uint32_t k = leaf; k != user && nk < 64; k = p->nodes[k].parent)
		kernel[nk++] = p->nodes[k].frame;
	while (nk > 0)
		node = profile__child(p, node, kernel[--nk]);
	return node;
}

static void apply_group(struct rstacks *r, struct profile *p, struct rstack_group *g)
{
	uint64_t total = 0, before = 0, named = 0, unnamed = 0;

	if (g->nentries)
		qsort(g->entries, g->nentries, sizeof(*g->entries), entry_cmp);
	for (size_t i = 0; i < p->nsamples; i++) {
		if (in_span(g, &p->samples[i]))
			total += sample__weight(&p->samples[i]);
	}
	if (!total)
		return;
	for (size_t i = 0; i < p->nsamples; i++) {
		struct sample *s = &p->samples[i];
		uint64_t w;
		uint32_t user;
		const struct rstack_entry *e;

		if (!in_span(g, s))
			continue;
		w = sample__weight(s);
		user = user_node(p, s->node);
		before += w;
		if (user == PROFILE_ROOT ||
		    p->funcs[p->frames[p->nodes[user].frame].func].key != g->target)
			continue;
		e = nearest(g, ((double)before - (double)w / 2) / (double)total);
		if (!e) {
			unnamed += w;
			continue;
		}
		s->node = build(r, p, g, e, s->node, user);
		named += w;
	}
	profile__add_stat(p, g->pid, profile__str(p, g->plugin), "runtime stacks (samples)",
			  (double)g->nentries, "samples");
	profile__add_stat(p, g->pid, profile__str(p, g->plugin), "native samples named by them",
			  (double)named, "samples");
	profile__add_stat(p, g->pid, profile__str(p, g->plugin),
			  "native samples left unnamed (none near)", (double)unnamed, "samples");
}

void rstacks__apply(struct rstacks *r, struct profile *p)
{
	for (size_t i = 0; i < r->ngroups; i++)
		apply_group(r, p, &r->groups[i]);
}

void rstacks__exit(struct rstacks *r)
{
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->groups[i].entries);
	free(r->groups);
	free(r->frames);
	memset(r, 0, sizeof(*r));
}
