/* Joining what a CFI walk over the saved stack found with the kernel's
 * frame-pointer callchain of the same sample. Both are user return-address
 * lists, leaf first, addresses as recorded. Pure array work (no libunwind):
 * unit-tested on its own. async-signal-safe: yes. */
#ifndef TP_UNWIND_STITCH_H
#define TP_UNWIND_STITCH_H

#include <stddef.h>
#include <stdint.h>

/* First-frame repair. chain[0..n) is the kernel's user chain, walked[0..nw)
 * the CFI walk from the same registers (walked[0] == chain[0]). A frameless
 * leaf (or one sampled in its prologue or epilogue) makes the kernel skip
 * its caller: the walk's frames before the first one equal to chain[1] are
 * the ones the chain lost, and are inserted after the leaf; when none equals
 * chain[1], every walked frame is (the chain's next entry is further up, or
 * garbage). Returns the new length, at most cap; 0 frames are inserted when
 * the walk agrees with the chain or did not get past the leaf. */
size_t stitch__repair(uint64_t *chain, size_t n, size_t cap, const uint64_t *walked, size_t nw);

/* Mixed mode: a DWARF walk that stopped early (code without CFI, slice too
 * small) continues with the kernel's chain from the walk's last frame. The
 * k-th occurrence of that address in the walk is matched with its k-th
 * occurrence in the chain (recursion repeats return addresses). Appends
 * chain's later entries to walked (length nw, capacity cap); returns the new
 * length, or nw unchanged when the chain does not hold the frame. */
size_t stitch__continue(uint64_t *walked, size_t nw, size_t cap, const uint64_t *chain, size_t n);

#endif
