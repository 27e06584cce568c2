/* A time-aware table of one process's JIT code (DESIGN §6a.4).
 *
 * Runtimes reuse code addresses: V8 after a GC, PyPy for freed loops and
 * bridges (the PyPy hook map in FORMATS.md §3.6 has 2555 overlapping pairs),
 * and neither tells when code dies. So every entry carries the time from which
 * it is valid, and a lookup at (addr, t) answers "the code written last, at
 * or before t, over addr": among the entries covering addr, the greatest
 * (time_ns, seq) with time_ns <= t. A later overlapping entry therefore takes
 * over from the moment it was written, also for a range it only partly
 * covers. When no covering entry is valid yet at t (clock skew between the
 * writer and the sampler, or the first samples of a map), the earliest
 * covering entry is returned: the code that was most likely there.
 *
 * Without timestamps (a plain perf map: give every entry time 0) the last
 * appended covering entry wins for every sample. That is a guess, and
 * ambiguous: a sample taken before the reuse belonged to the older code, and
 * nothing in the file says which sample came first; perf, too, just picks
 * one of the entries (FORMATS.md §1.1). Where the writer's timeline is
 * known (jitdump record timestamps, or the capture time of each perf-map
 * chunk), pass it.
 *
 * Use: __add in append order (seq = call order), __finalize, then __find.
 * Adding after __finalize is allowed; entries added since are invisible to
 * __find until the next __finalize.
 * Cost, n entries: __finalize O(n log n) time; memory O(n) for entries and
 * the sorted boundaries plus O(n log n) worst case for the stabbing index
 * (each entry sits in at most 2 log2(2n) segment-tree nodes; disjoint code,
 * the common case, in one or two). __find: O(log n) (one binary search)
 * where at most one entry covers the address; O(log^2 n) worst case
 * otherwise, a walk up the tree with one binary search per non-empty node,
 * independent of how many entries overlap there. For scale, on the 2-vCPU
 * dev VM: 100k entries finalize in 0.1-0.25 s; a lookup takes ~10 ns
 * (disjoint code) to ~1 us (overlap everywhere). At most 2^32 - 2
 * entries; more are ignored.
 * Ownership: the map copies (and interns) every name; returned pointers live
 * until the next __add/__move or __delete. Not thread-safe; async-signal-safe:
 * no. */
#ifndef TP_SYMBOL_JITMAP_H
#define TP_SYMBOL_JITMAP_H

#include <stddef.h>
#include <stdint.h>

struct jit_entry {
	uint64_t start, size; /* [start, start + size); size 0 covers nothing */
	uint64_t time_ns;     /* valid from */
	const char *name;     /* never NULL */
	uint32_t seq;	      /* append order, from 0 */
};

struct jitmap;

struct jitmap *jitmap__new(void); /* never NULL: out of memory is fatal (util/mem.h) */
/* Append an entry valid from valid_from_ns. name is copied; NULL is taken as
 * "". A range reaching past 2^64 is clipped to end at UINT64_MAX. */
void jitmap__add(struct jitmap *m, uint64_t start, uint64_t size, const char *name,
		 uint64_t valid_from_ns);
/* The same with a name of name_len bytes that need not be NUL-terminated
 * (what perfmap__parse hands out). */
void jitmap__add_len(struct jitmap *m, uint64_t start, uint64_t size, const char *name,
		     size_t name_len, uint64_t valid_from_ns);
/* Jitdump CODE_MOVE: the code last appended at old_start now also lives at
 * new_start, from time_ns; size 0 keeps the old size. The old range is not
 * invalidated (no runtime says when it is reused; perf keeps it too).
 * Returns 0, or TP_ERR_NOT_FOUND when no entry starts at old_start. */
int jitmap__move(struct jitmap *m, uint64_t old_start, uint64_t new_start, uint64_t size,
		 uint64_t time_ns);
/* Build the lookup index over every entry appended so far. */
void jitmap__finalize(struct jitmap *m);
/* The entry for addr at time_ns (rule above), or NULL when no finalized entry
 * covers addr. Pass UINT64_MAX for "the latest". A result with
 * time_ns > the query's time is the earliest-entry fallback. */
const struct jit_entry *jitmap__find(const struct jitmap *m, uint64_t addr, uint64_t time_ns);
size_t jitmap__count(const struct jitmap *m);
/* Entry number seq (append order), or NULL past the end. */
const struct jit_entry *jitmap__at(const struct jitmap *m, size_t seq);
void jitmap__delete(struct jitmap *m); /* NULL-safe */

#endif
