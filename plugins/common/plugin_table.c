#include "plugin_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct plugin_strmap_ent {
	char *key; /* NULL = empty slot */
	size_t key_len;
	uint64_t hash;
	char *val;
};

struct plugin_u64map_ent {
	uint64_t key;
	uint64_t val;
	int used;
};

uint64_t plugin_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static struct plugin_strmap_ent *str_slot(const struct plugin_strmap *m, const char *key,
					  size_t len, uint64_t h)
{
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct plugin_strmap_ent *e = &m->ents[i];

		if (!e->key || (e->hash == h && e->key_len == len && !memcmp(e->key, key, len)))
			return e;
	}
}

static int str_grow(struct plugin_strmap *m)
{
	struct plugin_strmap old = *m;
	size_t cap = m->cap ? m->cap * 2 : 64;

	m->ents = calloc(cap, sizeof(*m->ents));
	if (!m->ents) {
		*m = old;
		return -ENOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.ents[i].key)
			*str_slot(m, old.ents[i].key, old.ents[i].key_len, old.ents[i].hash) =
				old.ents[i];
	}
	free(old.ents);
	return 0;
}

int plugin_strmap__put(struct plugin_strmap *m, const char *key, size_t key_len, const char *val)
{
	uint64_t h = plugin_hash(key, key_len);
	struct plugin_strmap_ent *e;
	char *v;

	if ((m->n + 1) * 2 > m->cap && str_grow(m))
		return -ENOMEM;
	v = strdup(val);
	if (!v)
		return -ENOMEM;
	e = str_slot(m, key, key_len, h);
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

const char *plugin_strmap__get(const struct plugin_strmap *m, const char *key, size_t key_len)
{
	const struct plugin_strmap_ent *e;

	if (!m->cap)
		return NULL;
	e = str_slot(m, key, key_len, plugin_hash(key, key_len));
	return e->key ? e->val : NULL;
}

void plugin_strmap__free(struct plugin_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->ents[i].key);
		free(m->ents[i].val);
	}
	free(m->ents);
	memset(m, 0, sizeof(*m));
}

static struct plugin_u64map_ent *u64_slot(const struct plugin_u64map *m, uint64_t key)
{
	for (size_t i = hash_u64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct plugin_u64map_ent *e = &m->ents[i];

		if (!e->used || e->key == key)
			return e;
	}
}

int plugin_u64map__put(struct plugin_u64map *m, uint64_t key, uint64_t val)
{
	struct plugin_u64map_ent *e;

	if ((m->n + 1) * 2 > m->cap) {
		struct plugin_u64map old = *m;
		size_t cap = m->cap ? m->cap * 2 : 256;

		m->ents = calloc(cap, sizeof(*m->ents));
		if (!m->ents) {
			*m = old;
			return -ENOMEM;
		}
		m->cap = cap;
		for (size_t i = 0; i < old.cap; i++) {
			if (old.ents[i].used)
				*u64_slot(m, old.ents[i].key) = old.ents[i];
		}
		free(old.ents);
	}
	e = u64_slot(m, key);
	if (!e->used) {
		e->used = 1;
		e->key = key;
		m->n++;
	}
	e->val = val;
	return 0;
}

int plugin_u64map__get(const struct plugin_u64map *m, uint64_t key, uint64_t *val)
{
	const struct plugin_u64map_ent *e;

	if (!m->cap)
		return 0;
	e = u64_slot(m, key);
	if (!e->used)
		return 0;
	*val = e->val;
	return 1;
}

void plugin_u64map__free(struct plugin_u64map *m)
{
	free(m->ents);
	memset(m, 0, sizeof(*m));
}
