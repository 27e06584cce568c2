/* Per-process address spaces replayed over time from mmap, fork and exec
 * records (and /proc maps snapshots), so a sample is resolved against the
 * mappings its process had when it was taken. Records must be fed in time
 * order. Ownership: the addrspace owns its processes; returned pointers are
 * valid until the next change to that process. */
#ifndef TP_MODEL_ADDRSPACE_H
#define TP_MODEL_ADDRSPACE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/hash.h"

struct mapping {
	uint64_t start, end; /* [start, end) */
	uint64_t pgoff;
	uint32_t dso;  /* id in the dso registry */
	uint32_t prot; /* PROT_* */
};

struct aspace {
	uint32_t pid;
	struct mapping *maps; /* sorted by start, non-overlapping */
	size_t n, cap;
};

struct addrspace {
	struct aspace *spaces;
	size_t n, cap;
	struct tp_u64map by_pid; /* pid -> index */
};

void addrspace__init(struct addrspace *as);
void addrspace__exit(struct addrspace *as);
/* The process's space, created empty when unknown. */
struct aspace *addrspace__get(struct addrspace *as, uint32_t pid);
/* Add a mapping; whatever it overlaps is trimmed or dropped, as the kernel
 * replaces overlapped ranges. */
void aspace__map(struct aspace *a, const struct mapping *m);
/* A fork: child starts as a copy of parent. */
void addrspace__fork(struct addrspace *as, uint32_t child, uint32_t parent);
/* An exec: the old image is gone. */
void aspace__clear(struct aspace *a);
const struct mapping *aspace__find(const struct aspace *a, uint64_t addr);

#endif
