/* The index is a segment tree over the elementary address segments between
 * consecutive entry boundaries. An entry is stored in the O(log n) canonical
 * nodes of its range, by rank, where ranks number the entries in (time_ns,
 * seq) order; the nodes on the path from a segment's leaf to the root hold
 * exactly the entries covering that segment. A lookup needs, among them, the
 * greatest rank valid at t (ranks below a bound found by binary search in the
 * rank-ordered times) and, for the fallback, the smallest rank: one binary
 * search per node, since each node's list is sorted. Storing ranks instead of
 * per-segment entry lists keeps nested or stacked code (the same address
 * reused thousands of times) at O(n log n) memory instead of O(n^2).
 * Most segments are covered by at most one entry (V8 and .NET code does not
 * overlap until reuse): for them a per-leaf hint gives the answer directly,
 * whatever the time, and the walk is left to the overlapping ones. */
#include "jitmap.h"

#include "util/err.h"
#include "util/hash.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct jitmap {
	struct jit_entry *ents; /* by seq */
	size_t n, cap;
	struct tp_strtab names;	   /* interned: deopt loops log one name many times */
	struct tp_u64map by_start; /* start -> seq + 1 of the last entry added there */

	/* The index over the first nidx entries (see the top of the file). */
	size_t nidx;
	uint32_t *rank_seq;  /* rank -> seq */
	uint64_t *rank_time; /* rank -> time_ns, ascending */
	uint64_t *bounds;    /* distinct starts and ends, ascending */
	size_t nbounds;
	size_t nleaves;	  /* nbounds - 1: leaf i is [bounds[i], bounds[i + 1]) */
	size_t *node_off; /* node i's ranks: node_rank[node_off[i] .. node_off[i + 1]) */
	uint32_t *node_rank;
	uint32_t *leaf_hint; /* HINT_NONE, HINT_MULTI, or the rank of the only covering entry */
};

#define HINT_NONE UINT32_MAX
#define HINT_MULTI (UINT32_MAX - 1)

struct jitmap *jitmap__new(void)
{
	struct jitmap *m = tp_xcalloc(1, sizeof(*m));

	strtab__init(&m->names);
	u64map__init(&m->by_start);
	return m;
}

static void index__free(struct jitmap *m)
{
	zfree(&m->rank_seq);
	zfree(&m->rank_time);
	zfree(&m->bounds);
	zfree(&m->node_off);
	zfree(&m->node_rank);
	zfree(&m->leaf_hint);
	m->nidx = m->nbounds = m->nleaves = 0;
}

void jitmap__delete(struct jitmap *m)
{
	if (!m)
		return;
	index__free(m);
	free(m->ents);
	strtab__exit(&m->names);
	u64map__exit(&m->by_start);
	free(m);
}

/* name is already interned. */
static void add_interned(struct jitmap *m, uint64_t start, uint64_t size, const char *name,
			 uint64_t time_ns)
{
	struct jit_entry e = { .start = start, .size = size, .time_ns = time_ns, .name = name };

	/* seq and ranks are 32-bit, below the hint codes; 4G entries would
	 * need >150 GB anyway. */
	if (m->n >= HINT_MULTI)
		return;
	if (start + size < start)
		e.size = UINT64_MAX - start;
	e.seq = (uint32_t)m->n;
	TP_VEC_PUSH(m->ents, m->n, m->cap, e);
	*u64map__slot(&m->by_start, start, NULL) = m->n;
}

void jitmap__add_len(struct jitmap *m, uint64_t start, uint64_t size, const char *name,
		     size_t name_len, uint64_t valid_from_ns)
{
	uint32_t id;

	if (!name)
		name_len = 0;
	id = strtab__intern(&m->names, name ? name : "", name_len);
	add_interned(m, start, size, strtab__str(&m->names, id), valid_from_ns);
}

void jitmap__add(struct jitmap *m, uint64_t start, uint64_t size, const char *name,
		 uint64_t valid_from_ns)
{
	jitmap__add_len(m, start, size, name, name ? strlen(name) : 0, valid_from_ns);
}

int jitmap__move(struct jitmap *m, uint64_t old_start, uint64_t new_start, uint64_t size,
		 uint64_t time_ns)
{
	const uint64_t *v = u64map__find(&m->by_start, old_start);
	const struct jit_entry *old;

	if (!v)
		return TP_ERR_NOT_FOUND;
	old = &m->ents[*v - 1];
	add_interned(m, new_start, size ? size : old->size, old->name, time_ns);
	return 0;
}

struct rank_key {
	uint64_t time;
	uint32_t seq;
};

static int rank_key__cmp(const void *a, const void *b)
{
	const struct rank_key *x = a, *y = b;

	if (x->time != y->time)
		return (x->time > y->time) - (x->time < y->time);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int u64__cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Number of elements of the ascending v[0..n) that are <= key. */
static size_t upper_bound_u64(const uint64_t *v, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of elements of the ascending v[0..n) that are < key. */
static size_t lower_bound_u32(const uint32_t *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t entry__end(const struct jit_entry *e)
{
	return e->start + e->size; /* add_interned clipped it */
}

/* Leaf index of a boundary value (which is always present). */
static size_t leaf_of(const struct jitmap *m, uint64_t v)
{
	return upper_bound_u64(m->bounds, m->nbounds, v) - 1;
}

/* Visit the canonical nodes of the leaf range [l, r): the bottom-up segment
 * tree, valid for any number of leaves. With rank == UINT32_MAX it counts
 * into node_off[i + 1], otherwise it appends rank at fill[i]. */
static void range__visit(struct jitmap *m, size_t l, size_t r, uint32_t rank, size_t *fill)
{
	for (l += m->nleaves, r += m->nleaves; l < r; l >>= 1, r >>= 1) {
		if (l & 1) {
			if (fill)
				m->node_rank[fill[l]++] = rank;
			else
				m->node_off[l + 1]++;
			l++;
		}
		if (r & 1) {
			--r;
			if (fill)
				m->node_rank[fill[r]++] = rank;
			else
				m->node_off[r + 1]++;
		}
	}
}

/* Per node, what its path to the root holds (none, one rank, several);
 * parents have smaller indices, so one pass in index order does it. */
static void leaf_hints__build(struct jitmap *m)
{
	size_t nodes = 2 * m->nleaves;
	uint32_t *path = tp_xmalloc(nodes * sizeof(*path));

	path[0] = HINT_NONE;
	for (size_t i = 1; i < nodes; i++) {
		size_t own = m->node_off[i + 1] - m->node_off[i];
		uint32_t up = i > 1 ? path[i >> 1] : HINT_NONE;

		if (!own)
			path[i] = up;
		else if (own == 1 && up == HINT_NONE)
			path[i] = m->node_rank[m->node_off[i]];
		else
			path[i] = HINT_MULTI;
	}
	m->leaf_hint = tp_xmalloc(m->nleaves * sizeof(*m->leaf_hint));
	memcpy(m->leaf_hint, path + m->nleaves, m->nleaves * sizeof(*m->leaf_hint));
	free(path);
}

void jitmap__finalize(struct jitmap *m)
{
	struct rank_key *keys;
	size_t n = m->n, nb = 0, nodes, *fill;

	index__free(m);
	m->nidx = n;
	if (!n)
		return;

	/* Ranks: time order, append order among equal times. Usually already
	 * sorted (jitdump, perf maps with line times), which qsort handles fine. */
	keys = tp_xmalloc(n * sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct rank_key){ m->ents[i].time_ns, (uint32_t)i };
	qsort(keys, n, sizeof(*keys), rank_key__cmp);
	m->rank_seq = tp_xmalloc(n * sizeof(*m->rank_seq));
	m->rank_time = tp_xmalloc(n * sizeof(*m->rank_time));
	for (size_t r = 0; r < n; r++) {
		m->rank_seq[r] = keys[r].seq;
		m->rank_time[r] = keys[r].time;
	}
	free(keys);

	/* Elementary segments. */
	m->bounds = tp_xmalloc(2 * n * sizeof(*m->bounds));
	for (size_t i = 0; i < n; i++) {
		if (!m->ents[i].size)
			continue;
		m->bounds[nb++] = m->ents[i].start;
		m->bounds[nb++] = entry__end(&m->ents[i]);
	}
	qsort(m->bounds, nb, sizeof(*m->bounds), u64__cmp);
	m->nbounds = 0;
	for (size_t i = 0; i < nb; i++) {
		if (!m->nbounds || m->bounds[m->nbounds - 1] != m->bounds[i])
			m->bounds[m->nbounds++] = m->bounds[i];
	}
	if (m->nbounds < 2) {
		m->nbounds = 0;
		return;
	}
	m->nleaves = m->nbounds - 1;

	/* Count per node, prefix-sum into offsets, then fill in rank order so
	 * that every node's list comes out sorted. */
	nodes = 2 * m->nleaves;
	m->node_off = tp_xcalloc(nodes + 1, sizeof(*m->node_off));
	for (int pass = 0; pass < 2; pass++) {
		fill = NULL;
		if (pass) {
			for (size_t i = 0; i < nodes; i++)
				m->node_off[i + 1] += m->node_off[i];
			m->node_rank = tp_xmalloc(m->node_off[nodes] * sizeof(*m->node_rank));
			fill = tp_xmalloc(nodes * sizeof(*fill));
			memcpy(fill, m->node_off, nodes * sizeof(*fill));
		}
		for (size_t r = 0; r < n; r++) {
			const struct jit_entry *e = &m->ents[m->rank_seq[r]];

			if (!e->size)
				continue;
			range__visit(m, leaf_of(m, e->start), leaf_of(m, entry__end(e)),
				     (uint32_t)r, fill);
		}
		free(fill);
	}
	leaf_hints__build(m);
}

const struct jit_entry *jitmap__find(const struct jitmap *m, uint64_t addr, uint64_t time_ns)
{
	uint32_t best = UINT32_MAX, first = UINT32_MAX, valid;
	size_t leaf;

	if (!m->nleaves || addr < m->bounds[0] || addr >= m->bounds[m->nbounds - 1])
		return NULL;
	leaf = leaf_of(m, addr);
	if (m->leaf_hint[leaf] != HINT_MULTI)
		return m->leaf_hint[leaf] == HINT_NONE ? NULL
						       : &m->ents[m->rank_seq[m->leaf_hint[leaf]]];
	/* Ranks below valid were written at or before time_ns. */
	valid = (uint32_t)upper_bound_u64(m->rank_time, m->nidx, time_ns);
	for (size_t i = leaf + m->nleaves; i; i >>= 1) {
		const uint32_t *v = m->node_rank + m->node_off[i];
		size_t cnt = m->node_off[i + 1] - m->node_off[i], k;

		if (!cnt)
			continue;
		if (v[0] < first)
			first = v[0];
		k = lower_bound_u32(v, cnt, valid);
		if (k && (best == UINT32_MAX || v[k - 1] > best))
			best = v[k - 1];
	}
	if (best == UINT32_MAX)
		best = first; /* nothing valid yet: the earliest covering entry */
	return best == UINT32_MAX ? NULL : &m->ents[m->rank_seq[best]];
}

size_t jitmap__count(const struct jitmap *m)
{
	return m->n;
}

const struct jit_entry *jitmap__at(const struct jitmap *m, size_t seq)
{
	return seq < m->n ? &m->ents[seq] : NULL;
}
