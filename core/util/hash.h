/* Open-addressing hash tables used by the analysis phase.
 *
 * struct tp_strtab interns strings: each distinct string gets a dense id
 * (0, 1, 2 ...) and one stored copy that lives until the table is freed.
 * struct tp_u64map maps a 64-bit key to a 64-bit value.
 * Neither is thread-safe. */
#ifndef TP_UTIL_HASH_H
#define TP_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t tp_hash_bytes(const void *data, size_t len);
static inline uint64_t tp_hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

struct tp_strtab {
	char **strs; /* id -> string */
	size_t len, cap;
	uint32_t *slots; /* id + 1, 0 = empty */
	size_t nslots;
};

void strtab__init(struct tp_strtab *t);
void strtab__exit(struct tp_strtab *t);
/* Id of s (n bytes), interning a copy if new. */
uint32_t strtab__intern(struct tp_strtab *t, const char *s, size_t n);
/* Id of s or -1 when absent. */
int64_t strtab__find(const struct tp_strtab *t, const char *s, size_t n);
static inline const char *strtab__str(const struct tp_strtab *t, uint32_t id)
{
	return t->strs[id];
}

struct tp_u64map {
	uint64_t *keys;
	uint64_t *vals;
	uint8_t *used;
	size_t nslots, len;
};

void u64map__init(struct tp_u64map *m);
void u64map__exit(struct tp_u64map *m);
/* Pointer to the value for key; inserted as 0 when new (*is_new set if given). */
uint64_t *u64map__slot(struct tp_u64map *m, uint64_t key, int *is_new);
/* Pointer to the value or NULL. Valid until the next insertion. */
uint64_t *u64map__find(const struct tp_u64map *m, uint64_t key);

#endif
