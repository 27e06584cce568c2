/* Small hash tables for the built-in plugins, which link against nothing of
 * the host: string -> string and u64 -> u64, open addressing, owned copies. */
#ifndef TP_PLUGIN_TABLE_H
#define TP_PLUGIN_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct plugin_strmap {
	struct plugin_strmap_ent *ents;
	size_t cap, n;
};

/* Copies key and value. Returns 0 or -ENOMEM. An existing key is updated. */
int plugin_strmap__put(struct plugin_strmap *m, const char *key, size_t key_len, const char *val);
/* NULL when absent. */
const char *plugin_strmap__get(const struct plugin_strmap *m, const char *key, size_t key_len);
void plugin_strmap__free(struct plugin_strmap *m);

struct plugin_u64map {
	struct plugin_u64map_ent *ents;
	size_t cap, n;
};

int plugin_u64map__put(struct plugin_u64map *m, uint64_t key, uint64_t val);
/* 1 and *val when present, else 0. */
int plugin_u64map__get(const struct plugin_u64map *m, uint64_t key, uint64_t *val);
void plugin_u64map__free(struct plugin_u64map *m);

/* 64-bit FNV-1a of n bytes. */
uint64_t plugin_hash(const char *s, size_t n);

#endif
