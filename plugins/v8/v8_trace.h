/* Parser of the text V8 prints to stdout with --trace-opt, --trace-deopt,
 * --trace-deopt-verbose and --trace-osr (FORMATS.md §1.4), interleaved with
 * the program's own output. Templates (V8 11.3 unless noted):
 *
 *	[marking ADDR <JSFunction F (sfi = ADDR)> for optimization to T, MODE, reason: WHY]
 *	[compiling method ADDR <JSFunction ...> (target T)[ OSR], mode: MODE]
 *	[completed compiling ADDR <JSFunction ...> (target T)[ OSR] - took A, B, C ms]
 *	[completed optimizing ADDR <JSFunction ...> (target T)[ OSR]]
 *	[aborted optimizing ADDR <JSFunction ...> (target T)[ OSR] because: R - took ...]
 *	[bailout (kind: K, reason: R): begin. deoptimizing ADDR <JSFunction ...>,
 *	  ADDR <Code T>, opt id N, bytecode offset N, deopt exit N, FP to SP delta N,
 *	  caller SP ADDR, pc ADDR]
 *	[deoptimizing (DEOPT K): begin ADDR F (opt #N) @N, FP to SP delta: N]
 *	                                      (V8 <= 8; F is <JSFunction ...> from V8 6)
 *	[marking dependent code ADDR <Code T> (ADDR <SharedFunctionInfo F>) (opt id N)
 *	  for deoptimization, reason: GROUP]
 *	[evicting optimized code marked for deoptimization (R) for <SharedFunctionInfo F>]
 *	[OSR - WHAT. function: F, osr offset: N[, mode: MODE]]
 *
 * and, with --trace-deopt-verbose, after a bailout:
 *	            ;;; deoptimize at <file:l:c>[ inlined at <...>][, REASON (V8 <= 8)]
 *
 * Older spellings are accepted where they differ only in the tail ("for
 * optimized recompilation, reason: ...", "using TurboFan OSR", "(opt #N)").
 * The parser keeps no state between calls, allocates nothing, does no I/O.
 * async-signal-safe: yes, though not meant for it. */
#ifndef TP_V8_V8_TRACE_H
#define TP_V8_V8_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum v8_trace_kind {
	V8_TRACE_MARK = 1,	/* [marking ... for optimization to TARGET, MODE, reason: WHY] */
	V8_TRACE_COMPILE_START, /* [compiling method ... (target T) [OSR], mode: ...] */
	V8_TRACE_COMPILE_DONE,	/* [completed compiling|optimizing ... (target T) [OSR] ...] */
	V8_TRACE_COMPILE_ABORT, /* [aborted optimizing ... because: REASON - took ...] */
	V8_TRACE_BAILOUT,	/* [bailout (kind: K, reason: R): begin ...], [deoptimizing ...] */
	V8_TRACE_DEPENDENCY,	/* [marking dependent code ... for deoptimization, reason: G] */
	V8_TRACE_EVICT,		/* [evicting optimized code marked for deoptimization (...) ...] */
	V8_TRACE_OSR,		/* [OSR - ...] lines of --trace-osr */
};

struct v8_trace_event {
	enum v8_trace_kind kind;
	const char *function; /* JSFunction/SharedFunctionInfo name; "" for anonymous */
	size_t function_len;
	uint64_t function_addr, sfi; /* 0 if absent */
	const char *target;	     /* "TURBOFAN", "MAGLEV", "TurboFan" (V8 <= 9), "" */
	size_t target_len;
	int osr;
	const char *reason; /* WHY / REASON / GROUP; "" if absent */
	size_t reason_len;
	const char *deopt_kind; /* "deopt-eager", "deopt-lazy", "eager" (Crankshaft); "" */
	size_t deopt_kind_len;
	int opt_id;	      /* -1 if absent */
	int bytecode_offset;  /* bailout: bytecode offset; OSR: osr offset; -1 if absent */
	uint64_t pc;	      /* 0 if absent */
	const char *position; /* innermost file:l:c of a following ";;; deoptimize at", or NULL */
	size_t position_len;
	unsigned line_no; /* 1-based line of the event's own line */
	/* Additions to the base API: */
	const char *inlined_at; /* the position after " inlined at ", or NULL */
	size_t inlined_at_len;
	uint64_t code_addr; /* the <Code ...> object (BAILOUT, DEPENDENCY); 0 if absent */
	int deopt_exit;	    /* "deopt exit N", Crankshaft "@N" bailout id; -1 if absent */
	const char *mode;   /* "ConcurrencyMode::kConcurrent" (MARK, COMPILE_START, OSR), or "" */
	size_t mode_len;
	const char *verb; /* COMPILE_DONE: "compiling" or "optimizing" (V8 11 prints both per
			   * compile job); OSR: "compilation started", "entry", ...; else "" */
	size_t verb_len;
};

struct v8_trace_stats {
	size_t lines;		 /* complete lines */
	size_t events;		 /* events reported */
	size_t bad_lines;	 /* lines that start like a trace line but do not parse */
	unsigned first_bad_line; /* 1-based; 0 if none */
	char first_bad_why[96];
	int truncated; /* last line had no '\n': ignored */
};

/* Parse len bytes (need not be NUL-terminated). Lines that are not trace
 * lines (program output, disassembly, verbose frame dumps) are skipped; a
 * line that starts like a template above but does not parse is a bad line. A
 * BAILOUT is reported once its verbose lines are past (at the next line that
 * is neither indented nor verbose, at "[bailout end", or at the end), so
 * position can be filled from ";;; deoptimize at". Event strings point into
 * buf, are not NUL-terminated, and are valid during the call. cb and st may
 * be NULL. Returns 0 or the first nonzero value returned by cb, which stops
 * parsing. */
int v8_trace__parse(const char *buf, size_t len,
		    int (*cb)(void *ctx, const struct v8_trace_event *ev), void *ctx,
		    struct v8_trace_stats *st);

#endif
