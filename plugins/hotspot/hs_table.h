/* Small hash tables for the HotSpot plugin, which links against nothing of
 * the host: string -> string and u64 -> u64, open addressing, owned copies. */
#ifndef TP_HOTSPOT_HS_TABLE_H
#define TP_HOTSPOT_HS_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct hs_strmap {
	struct hs_strmap_ent *ents;
	size_t cap, n;
};

/* Copies key and value; an existing key is updated. 0 or -ENOMEM. */
int hs_strmap__put(struct hs_strmap *m, const char *key, size_t key_len, const char *val);
/* NULL when absent. Valid until the next put or free. */
const char *hs_strmap__get(const struct hs_strmap *m, const char *key, size_t key_len);
void hs_strmap__free(struct hs_strmap *m);

struct hs_u64map {
	struct hs_u64map_ent *ents;
	size_t cap, n;
};

int hs_u64map__put(struct hs_u64map *m, uint64_t key, uint64_t val);
/* 1 and *val when present, else 0. */
int hs_u64map__get(const struct hs_u64map *m, uint64_t key, uint64_t *val);
void hs_u64map__free(struct hs_u64map *m);

uint64_t hs_hash(const char *s, size_t n); /* 64-bit FNV-1a */

#endif
