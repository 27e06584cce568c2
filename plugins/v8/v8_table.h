/* Small hash tables for the V8 plugin, which links against nothing of the
 * host: string -> string and u64 -> u64, open addressing, owned copies. */
#ifndef TP_V8_TABLE_H
#define TP_V8_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct v8_strmap {
	struct v8_strmap_ent *ents;
	size_t cap, n;
};

/* Copies key and value. Returns 0 or -ENOMEM. An existing key is updated. */
int v8_strmap__put(struct v8_strmap *m, const char *key, size_t key_len, const char *val);
/* NULL when absent. */
const char *v8_strmap__get(const struct v8_strmap *m, const char *key, size_t key_len);
void v8_strmap__free(struct v8_strmap *m);

struct v8_u64map {
	struct v8_u64map_ent *ents;
	size_t cap, n;
};

int v8_u64map__put(struct v8_u64map *m, uint64_t key, uint64_t val);
/* 1 and *val when present, else 0. */
int v8_u64map__get(const struct v8_u64map *m, uint64_t key, uint64_t *val);
void v8_u64map__free(struct v8_u64map *m);

#endif
