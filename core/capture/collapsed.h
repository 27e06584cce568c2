/* Collapsed stacks ("folded"), as async-profiler (-o collapsed), FlameGraph's
 * stackcollapse scripts and tierprof's own folded writer print them: one
 * line per stack, "outer;...;leaf COUNT", frames separated by ';', the count
 * after the last blank. async-profiler's -a (--ann) and FlameGraph's --all
 * suffix a frame with its kind: _[0] interpreted, _[1] C1 (baseline),
 * _[j] JIT compiled, _[i] inlined, _[k] kernel; the parser splits them off.
 * Strict: the first malformed line stops the parse with its line number and
 * what was wrong; empty frames ("a;;b", written for unnamed frames) are not
 * an error. Nothing is copied: frames point into the input.
 * async-signal-safe: no. */
#ifndef TP_CAPTURE_COLLAPSED_H
#define TP_CAPTURE_COLLAPSED_H

#include <stddef.h>
#include <stdint.h>

#define COLLAPSED_MAX_DEPTH 8000		/* frames per stack (a sample record's limit) */
#define COLLAPSED_MAX_COUNT 1000000000000000ull /* per line; sums stay far from 2^64 */

struct collapsed_frame {
	const char *name; /* without the annotation; len 0 for an empty frame */
	size_t len;
	char ann; /* '0', '1', 'j', 'i', 'k', or 0 when none */
};

/* One stack, outermost frame first. Return non-zero to stop the parse
 * (collapsed__parse then returns that value). */
typedef int (*collapsed_stack_fn)(void *ctx, const struct collapsed_frame *frames, size_t n,
				  uint64_t count, size_t line_no);

struct collapsed_stats {
	size_t lines;	   /* lines in the input, empty ones included */
	size_t stacks;	   /* lines handed to the callback */
	size_t annotated;  /* frames with an annotation */
	uint64_t total;	   /* sum of the counts */
	size_t error_line; /* 1-based line of the error; 0 if none */
	char error[160];   /* what was wrong there */
};

/* Parse len bytes (no NUL needed; the last line may lack its '\n'; CRLF
 * and a UTF-8 byte-order mark are accepted; empty lines are skipped).
 * Returns 0, TP_ERR_BAD_FORMAT with st->error_line and st->error set, or
 * the callback's non-zero value. */
int collapsed__parse(const char *text, size_t len, collapsed_stack_fn fn, void *ctx,
		     struct collapsed_stats *st);

#endif
