/* PYPYLOG parser (FORMATS.md section 3.1): sections
 *   [<TSC hex>] {<category>
 *   body lines
 *   [<TSC hex>] <category>}
 * which nest. Only the categories the plugin asks for are decoded; the body
 * lines of every other section are skipped. Timestamps are raw TSC ticks
 * (x86 rdtsc), not nanoseconds.
 *
 * libc only, no allocation: names point into the caller's buffer and are
 * valid while it is. async-signal-safe: no (not needed). */
#ifndef TP_PYPY_LOG_H
#define TP_PYPY_LOG_H

#include <stddef.h>
#include <stdint.h>

/* jit-backend-addr: where one loop's or bridge's machine code lives. */
struct pypy_code_addr {
	int is_bridge;
	uint64_t loop_no;     /* loops */
	uint64_t guard;	      /* bridges: the guard descr it leaves from */
	const char *greenkey; /* loops: "f;/path/x.py:19-21~#12 FOR_ITER"; "" for bridges */
	size_t greenkey_len;
	uint64_t start, end; /* [start, end) of the loop body */
	uint64_t bootstrap;  /* loops: the entry code before start; 0 when absent */
};

struct pypy_log_cb {
	void *ctx;
	void (*code_addr)(void *ctx, uint64_t tsc, const struct pypy_code_addr *a);
	/* jit-invalidate-quasi-immutable: field = the quoted field name
	 * ("mutate__version_tag"), count = compiled loops it killed. */
	void (*invalidate)(void *ctx, uint64_t tsc, const char *field, size_t field_len,
			   uint64_t count);
	/* jit-abort-longest-function: inlining of greenkey disabled. */
	void (*longest)(void *ctx, uint64_t tsc, const char *greenkey, size_t len);
	/* jit-summary: "KEY: \t v1 \t v2" with one or two numbers. */
	void (*summary)(void *ctx, const char *key, size_t key_len, const double *v, int nv);
};

struct pypy_log_stats {
	size_t lines;
	size_t sections;       /* opened */
	size_t bad_lines;      /* malformed lines of a decoded category, or junk */
	size_t first_bad_line; /* 1-based; 0 when none */
	size_t unclosed;       /* sections still open at the end (truncated log) */
	uint64_t first_tsc, last_tsc;
};

/* Parse a whole PYPYLOG. Returns 0, or -EBADMSG when the text does not
 * start like a PYPYLOG at all (first non-empty line not "[hex] {cat").
 * Malformed lines are counted and skipped. cb fields may be NULL. */
int pypy_log__parse(const char *buf, size_t len, const struct pypy_log_cb *cb,
		    struct pypy_log_stats *st);

#endif
