/* Parser of the profile PyPy's built-in sampler writes (_vmprof.enable),
 * as PyPy 7.3 writes it on x86-64 (version 6, 8-byte little-endian words):
 *
 *   5 words            0, 3, 0, period in microseconds, 0
 *   0x05 header        u16 version (big-endian), u8 flags (1 memory, 2 lines,
 *                      4 native, 8 RPython, 16 real time), u8 n, n bytes name
 *   then records, each a marker byte:
 *   0x01 sample        word count, word depth, depth words, word thread id,
 *                      (flags & 1: word memory in KB); from version 2 the depth
 *                      words are (tag, value) pairs, innermost first:
 *                        1 Python frame (code id)    3 code the JIT runs (code id)
 *                        6 address in JIT code       7 native address
 *                        2, 4, 5 blackhole, tracing, GC
 *   0x02 code name     word id, word n, n bytes "py:<func>:<firstline>:<file>"
 *   0x06 time          8 bytes seconds, 8 bytes microseconds, 8 bytes zone
 *   0x07 meta          word n, n bytes key, word n, n bytes value
 *   0x03 trailer       (end of the samples), then a time record body
 *
 * No record carries a timestamp: the samples are in the order taken, one
 * per period of the process's CPU time (SIGPROF).
 *
 * libc only, no allocation: strings point into the caller's buffer. */
#ifndef TP_PYPY_VMPROF_H
#define TP_PYPY_VMPROF_H

#include <stddef.h>
#include <stdint.h>

enum pypy_vmprof_tag {
	VMPROF_TAG_CODE = 1,
	VMPROF_TAG_BLACKHOLE = 2,
	VMPROF_TAG_JITTED = 3,
	VMPROF_TAG_JITTING = 4,
	VMPROF_TAG_GC = 5,
	VMPROF_TAG_ASSEMBLER = 6,
	VMPROF_TAG_NATIVE = 7,
};

/* The longest stack (in words) a sample may hold; PyPy's limit is 1024. */
#define PYPY_VMPROF_MAX_DEPTH 8192

struct pypy_vmprof_header {
	uint64_t period_us;
	unsigned version, flags;
	const char *interp; /* "pypy" */
	size_t interp_len;
};

struct pypy_vmprof_cb {
	void *ctx;
	void (*header)(void *ctx, const struct pypy_vmprof_header *h);
	/* words: depth words as stored (little-endian 64-bit, possibly
	 * unaligned: read them with pypy_vmprof__word). */
	void (*sample)(void *ctx, uint64_t count, const unsigned char *words, size_t depth,
		       uint64_t thread);
	void (*code)(void *ctx, uint64_t id, const char *name, size_t len);
};

/* Parse a profile. Returns 0, or -EBADMSG when it is not one (header) or is
 * damaged: *bad_at is the byte offset and *why a static phrase. Records
 * before the damage were delivered. A file that ends without its trailer
 * (the process was killed) is not an error: *trailer says whether it had one
 * (may be NULL). */
int pypy_vmprof__parse(const unsigned char *buf, size_t len, const struct pypy_vmprof_cb *cb,
		       size_t *bad_at, const char **why, int *trailer);

uint64_t pypy_vmprof__word(const unsigned char *p);

/* Split "py:<func>:<firstline>:<file>". 0, or -1 when the name is not one. */
int pypy_vmprof__split_name(const char *s, size_t len, const char **func, size_t *func_len,
			    uint64_t *firstline, const char **file, size_t *file_len);

#endif
