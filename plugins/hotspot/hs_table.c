#include "hs_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct hs_strmap_ent {
	char *key, *val;
	size_t key_len;
	uint64_t hash;
};

struct hs_u64map_ent {
	uint64_t key, val;
	int used;
};

uint64_t hs_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static struct hs_strmap_ent *str_slot(struct hs_strmap_ent *ents, size_t cap, const char *key,
				      size_t len, uint64_t h)
{
	for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct hs_strmap_ent *e = &ents[i];

		if (!e->key || (e->hash == h && e->key_len == len && !memcmp(e->key, key, len)))
			return e;
	}
}

static int str_grow(struct hs_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct hs_strmap_ent *ents = calloc(cap, sizeof(*ents));

	if (!ents)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->ents[i].key)
			*str_slot(ents, cap, m->ents[i].key, m->ents[i].key_len, m->ents[i].hash) =
				m->ents[i];
	}
	free(m->ents);
	m->ents = ents;
	m->cap = cap;
	return 0;
}

int hs_strmap__put(struct hs_strmap *m, const char *key, size_t key_len, const char *val)
{
	uint64_t h = hs_hash(key, key_len);
	struct hs_strmap_ent *e;
	char *v;

	if ((m->n + 1) * 2 > m->cap && str_grow(m))
		return -ENOMEM;
	e = str_slot(m->ents, m->cap, key, key_len, h);
	v = strdup(val);
	if (!v)
		return -ENOMEM;
	if (e->key) {
		free(e->val);
		e->val = v;
		return 0;
	}
	e->key = malloc(key_len + 1);
	if (!e->key) {
		free(v);
		return -ENOMEM;
	}
	memcpy(e->key, key, key_len);
	e->key[key_len] = '\0';
	e->key_len = key_len;
	e->hash = h;
	e->val = v;
	m->n++;
	return 0;
}

const char *hs_strmap__get(const struct hs_strmap *m, const char *key, size_t key_len)
{
	const struct hs_strmap_ent *e;

	if (!m->cap)
		return NULL;
	e = str_slot(m->ents, m->cap, key, key_len, hs_hash(key, key_len));
	return e->key ? e->val : NULL;
}

void hs_strmap__free(struct hs_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->ents[i].key);
		free(m->ents[i].val);
	}
	free(m->ents);
	memset(m, 0, sizeof(*m));
}

static struct hs_u64map_ent *u64_slot(struct hs_u64map_ent *ents, size_t cap, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;

	for (size_t i = (size_t)(h >> 20) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (!ents[i].used || ents[i].key == key)
			return &ents[i];
	}
}

int hs_u64map__put(struct hs_u64map *m, uint64_t key, uint64_t val)
{
	struct hs_u64map_ent *e;

	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct hs_u64map_ent *ents = calloc(cap, sizeof(*ents));

		if (!ents)
			return -ENOMEM;
		for (size_t i = 0; i < m->cap; i++) {
			if (m->ents[i].used)
				*u64_slot(ents, cap, m->ents[i].key) = m->ents[i];
		}
		free(m->ents);
		m->ents = ents;
		m->cap = cap;
	}
	e = u64_slot(m->ents, m->cap, key);
	if (!e->used)
		m->n++;
	*e = (struct hs_u64map_ent){ .key = key, .val = val, .used = 1 };
	return 0;
}

int hs_u64map__get(const struct hs_u64map *m, uint64_t key, uint64_t *val)
{
	const struct hs_u64map_ent *e;

	if (!m->cap)
		return 0;
	e = u64_slot(m->ents, m->cap, key);
	if (!e->used)
		return 0;
	*val = e->val;
	return 1;
}

void hs_u64map__free(struct hs_u64map *m)
{
	free(m->ents);
	memset(m, 0, sizeof(*m));
}
