#include "hash.h"
#include "mem.h"

#include <string.h>

uint64_t tp_hash_bytes(const void *data, size_t len)
{
	/* FNV-1a, then a finalizer so low bits mix well for power-of-two tables. */
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return tp_hash_u64(h);
}

void strtab__init(struct tp_strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void strtab__exit(struct tp_strtab *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int str_eq(const char *a, const char *s, size_t n)
{
	return strncmp(a, s, n) == 0 && a[n] == '\0';
}

static void strtab__rehash(struct tp_strtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 64;
	uint32_t *slots = tp_xcalloc(n, sizeof(*slots));

	for (size_t id = 0; id < t->len; id++) {
		const char *s = t->strs[id];
		size_t i = tp_hash_bytes(s, strlen(s)) & (n - 1);

		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = (uint32_t)id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

int64_t strtab__find(const struct tp_strtab *t, const char *s, size_t n)
{
	size_t i;

	if (!t->nslots)
		return -1;
	i = tp_hash_bytes(s, n) & (t->nslots - 1);
	while (t->slots[i]) {
		uint32_t id = t->slots[i] - 1;

		if (str_eq(t->strs[id], s, n))
			return id;
		i = (i + 1) & (t->nslots - 1);
	}
	return -1;
}

uint32_t strtab__intern(struct tp_strtab *t, const char *s, size_t n)
{
	int64_t found = strtab__find(t, s, n);
	size_t i;

	if (found >= 0)
		return (uint32_t)found;
	if ((t->len + 1) * 2 > t->nslots)
		strtab__rehash(t);
	TP_VEC_PUSH(t->strs, t->len, t->cap, tp_xstrndup(s, n));
	i = tp_hash_bytes(s, n) & (t->nslots - 1);
	while (t->slots[i])
		i = (i + 1) & (t->nslots - 1);
	t->slots[i] = (uint32_t)t->len;
	return (uint32_t)t->len - 1;
}

void u64map__init(struct tp_u64map *m)
{
	memset(m, 0, sizeof(*m));
}

void u64map__exit(struct tp_u64map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

static void u64map__rehash(struct tp_u64map *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64;
	struct tp_u64map nm = {
		.keys = tp_xmalloc(n * sizeof(uint64_t)),
		.vals = tp_xmalloc(n * sizeof(uint64_t)),
		.used = tp_xcalloc(n, 1),
		.nslots = n,
		.len = m->len,
	};

	for (size_t i = 0; i < m->nslots; i++) {
		size_t j;

		if (!m->used[i])
			continue;
		j = tp_hash_u64(m->keys[i]) & (n - 1);
		while (nm.used[j])
			j = (j + 1) & (n - 1);
		nm.used[j] = 1;
		nm.keys[j] = m->keys[i];
		nm.vals[j] = m->vals[i];
	}
	u64map__exit(m);
	*m = nm;
}

uint64_t *u64map__find(const struct tp_u64map *m, uint64_t key)
{
	size_t i;

	if (!m->nslots)
		return NULL;
	i = tp_hash_u64(key) & (m->nslots - 1);
	while (m->used[i]) {
		if (m->keys[i] == key)
			return &m->vals[i];
		i = (i + 1) & (m->nslots - 1);
	}
	return NULL;
}

uint64_t *u64map__slot(struct tp_u64map *m, uint64_t key, int *is_new)
{
	uint64_t *v = u64map__find(m, key);
	size_t i;

	if (is_new)
		*is_new = v == NULL;
	if (v)
		return v;
	if ((m->len + 1) * 2 > m->nslots)
		u64map__rehash(m);
	i = tp_hash_u64(key) & (m->nslots - 1);
	while (m->used[i])
		i = (i + 1) & (m->nslots - 1);
	m->used[i] = 1;
	m->keys[i] = key;
	m->vals[i] = 0;
	m->len++;
	return &m->vals[i];
}
