/* Unwinding a sample after the fact, over the user registers and the slice
 * of user stack the kernel saved with it: DWARF CFI through libunwind's
 * remote interface (the only file that includes libunwind), and optionally
 * the frame-pointer chain through code without CFI (JIT code), both over
 * the saved bytes only. Code is read from the DSO files through a lookup
 * callback the caller provides (the recorded mappings).
 * Ownership: callers own what __new returns; inputs are borrowed for the
 * call. Not thread-safe; async-signal-safe: no. */
#ifndef TP_UNWIND_WALK_H
#define TP_UNWIND_WALK_H

#include <stddef.h>
#include <stdint.h>

struct cfi_table;

enum unwind_code_kind {
	UNWIND_CODE_NONE,   /* in no mapping */
	UNWIND_CODE_CFI,    /* a file with a CFI table */
	UNWIND_CODE_NO_CFI, /* a file without usable CFI (or unreadable) */
	UNWIND_CODE_JIT,    /* anonymous executable memory */
};

struct unwind_code {
	enum unwind_code_kind kind;
	const struct cfi_table *cfi; /* UNWIND_CODE_CFI: the file's table */
	uint64_t bias;		     /* run-time address - link-time address */
};

/* Classify the code at run-time address addr of process pid. */
typedef void (*unwind_lookup_fn)(void *ctx, uint32_t pid, uint64_t addr, struct unwind_code *out);

/* Why a walk ended. Numbers are not stored anywhere; order is free. */
enum unwind_stop {
	UNWIND_STOP_END,	/* the outermost frame (CFI marks it) */
	UNWIND_STOP_MAX,	/* the caller's frame limit */
	UNWIND_STOP_JIT_NO_CFI, /* JIT code without CFI (and no frame pointer to follow) */
	UNWIND_STOP_SLICE,	/* needed stack above the saved slice */
	UNWIND_STOP_NO_CFI,	/* native code without CFI, or an address in no mapping */
	UNWIND_STOP_BAD,	/* the CFI led nowhere sane */
};

struct unwind_input {
	uint32_t pid;
	uint64_t regs_mask; /* PERF_SAMPLE_REGS_USER mask of the capture */
	const uint64_t *regs;
	uint64_t nregs;
	const unsigned char *stack; /* bytes from the sampled stack pointer up */
	uint64_t stack_size;
};

enum {
	UNWIND_FP_THROUGH_JIT = 1u << 0, /* follow rbp through JIT code (mixed mode) */
};

struct unwinder;

/* Returns NULL with errno set when libunwind cannot make an address space. */
struct unwinder *unwinder__new(unwind_lookup_fn lookup, void *ctx);
void unwinder__delete(struct unwinder *u); /* NULL-safe */

/* Walk from the sampled registers: ips[0] is the sampled IP, then return
 * addresses (not adjusted). Stores at most max entries in ips, sets *n and
 * returns why it stopped. With no IP/SP sampled, *n = 0 and UNWIND_STOP_BAD. */
enum unwind_stop unwinder__walk(struct unwinder *u, const struct unwind_input *in, unsigned flags,
				uint64_t *ips, size_t max, size_t *n);
/* How much of the saved stack a walk read: frames[i] is what producing
 * ips[i] took (frames[0] == 0), total what the whole walk took, including the
 * read that ended it. A walk over a slice of at least frames[k] bytes yields
 * the same first k + 1 frames. */
struct unwind_need {
	uint64_t *frames; /* max entries, or NULL */
	uint64_t total;
};

/* unwinder__walk, also measuring the stack bytes the walk wanted. */
enum unwind_stop unwinder__walk_measured(struct unwinder *u, const struct unwind_input *in,
					 unsigned flags, uint64_t *ips, size_t max, size_t *n,
					 struct unwind_need *need);
/* What the lookup callback says about addr (for callers that measure). */
void unwinder__code(struct unwinder *u, uint32_t pid, uint64_t addr, struct unwind_code *out);
/* Human words for a stop cause ("stack slice too small"). */
const char *unwind_stop__name(enum unwind_stop s);

#endif
