#include "addrspace.h"
#include "../util/mem.h"

#include <string.h>

void addrspace__init(struct addrspace *as)
{
	memset(as, 0, sizeof(*as));
	u64map__init(&as->by_pid);
}

void addrspace__exit(struct addrspace *as)
{
	for (size_t i = 0; i < as->n; i++)
		free(as->spaces[i].maps);
	free(as->spaces);
	u64map__exit(&as->by_pid);
	memset(as, 0, sizeof(*as));
}

struct aspace *addrspace__get(struct addrspace *as, uint32_t pid)
{
	int is_new;
	uint64_t *slot = u64map__slot(&as->by_pid, pid, &is_new);

	if (is_new) {
		struct aspace a = { .pid = pid };

		*slot = as->n;
		TP_VEC_PUSH(as->spaces, as->n, as->cap, a);
	}
	return &as->spaces[*slot];
}

/* First index whose end is above addr. */
static size_t lower(const struct aspace *a, uint64_t addr)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void aspace__map(struct aspace *a, const struct mapping *m)
{
	size_t i = lower(a, m->start), j = i;
	struct mapping head = { 0 }, tail = { 0 };
	int has_head = 0, has_tail = 0;
	size_t nrepl;

	if (m->end <= m->start)
		return;
	/* Overlapped mappings are [i, j). Keep their parts outside m. */
	while (j < a->n && a->maps[j].start < m->end)
		j++;
	if (i < j && a->maps[i].start < m->start) {
		head = a->maps[i];
		head.end = m->start;
		has_head = 1;
	}
	if (i < j && a->maps[j - 1].end > m->end) {
		tail = a->maps[j - 1];
		tail.pgoff += m->end - tail.start;
		tail.start = m->end;
		has_tail = 1;
	}
	nrepl = (size_t)has_head + 1 + (size_t)has_tail;
	tp_xgrow((void **)&a->maps, &a->cap, a->n - (j - i) + nrepl, sizeof(*a->maps));
	memmove(&a->maps[i + nrepl], &a->maps[j], (a->n - j) * sizeof(*a->maps));
	a->n = a->n - (j - i) + nrepl;
	if (has_head)
		a->maps[i++] = head;
	a->maps[i++] = *m;
	if (has_tail)
		a->maps[i] = tail;
}

void addrspace__fork(struct addrspace *as, uint32_t child, uint32_t parent)
{
	struct aspace *c = addrspace__get(as, child), *p;

	/* __get may move the array: look the parent up after the child. */
	p = addrspace__get(as, parent);
	c = addrspace__get(as, child);
	if (c == p)
		return;
	aspace__clear(c);
	tp_xgrow((void **)&c->maps, &c->cap, p->n, sizeof(*c->maps));
	memcpy(c->maps, p->maps, p->n * sizeof(*c->maps));
	c->n = p->n;
}

void aspace__clear(struct aspace *a)
{
	a->n = 0;
}

const struct mapping *aspace__find(const struct aspace *a, uint64_t addr)
{
	size_t i = lower(a, addr);

	if (i < a->n && a->maps[i].start <= addr)
		return &a->maps[i];
	return NULL;
}
