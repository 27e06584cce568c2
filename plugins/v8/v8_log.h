/* Streaming parser of V8 --logfile / --prof logs ("isolate-0x...-PID-v8.log",
 * FORMATS.md §1.5): one CSV record per line, the first field naming the
 * record type. Four types are decoded and handed to callbacks; every other
 * line is counted and skipped.
 *
 *	code-creation,<type>,<kind>,<time_us>,<start>,<size>,<name>[,<sfi>,<marker>]
 *	code-deopt,<time_us>,<code_size>,<start>,<inlining_id>,<script_offset>,
 *	           <bailout>,<position>,<reason>
 *	code-move,<from>,<to>
 *	code-delete,<start>
 *
 * Field encodings by V8 version (checked on real logs):
 * - V8 >= 7 (Node >= 12): no quoting; ',' is written "\x2C", '\' "\\", LF
 *   "\n", other code units <= 0xff "\xHH", the rest "\uHHHH" (UTF-16). We
 *   decode them to UTF-8 (a surrogate pair to one code point, a lone
 *   surrogate to U+FFFD); an unknown escape is kept as it is.
 * - V8 6.0 (Node 8): string fields in double quotes, commas inside them
 *   literal, the marker field empty for non-JS code. Quotes are honoured
 *   until a v8-version line with major >= 7 says the log cannot have them.
 * - Older layouts without <time_us> or without <kind> ("type,start,...") are
 *   recognised by the "0x" of <start>; absent fields read as 0 / -1.
 *
 * The parser keeps no state between calls and does no I/O. It allocates one
 * scratch buffer per call (decoded strings), freed before it returns.
 * async-signal-safe: no. */
#ifndef TP_V8_V8_LOG_H
#define TP_V8_V8_LOG_H

#include <stddef.h>
#include <stdint.h>

/* Longest line of a decoded record type (code-creation, code-deopt, ...):
 * longer ones are bad lines. Other record types (script-source holds whole
 * scripts) may be of any length. */
#define V8_LOG_MAX_RECORD (1u << 20)

struct v8_log_code_creation {
	const char *type; /* "JS", "Builtin", "LazyCompile", ... */
	size_t type_len;
	int kind;	  /* CodeKind integer; -1 if absent */
	uint64_t time_us; /* microseconds since the isolate's log start; 0 if absent */
	uint64_t start, size;
	const char *name; /* decoded (see above); may be empty */
	size_t name_len;
	uint64_t sfi;	  /* 0 if absent */
	char marker;	  /* '~' '^' '+' '*' or 0 */
	unsigned line_no; /* 1-based */
};

struct v8_log_code_deopt {
	uint64_t time_us, code_size, start;
	int inlining_id;     /* -1 = not inlined */
	long script_offset;  /* -1 when V8 did not know the position */
	const char *bailout; /* "deopt-eager" "deopt-lazy" "dependency-change" (Node 20),
			      * "eager" "soft" "lazy" (Node 12) */
	size_t bailout_len;
	const char *position; /* innermost "file:line:col", without the <> */
	size_t position_len;
	const char *inlined_at; /* the position after the first " inlined at ", or NULL */
	size_t inlined_at_len;
	const char *reason; /* "wrong map", "code dependencies", ... */
	size_t reason_len;
	unsigned line_no;
};

struct v8_log_code_move {
	uint64_t from, to;
	unsigned line_no;
};

struct v8_log_code_delete {
	uint64_t start;
	unsigned line_no;
};

/* Each callback is optional. Strings are not NUL-terminated and are valid
 * only during the call. A nonzero return stops parsing; v8_log__parse()
 * returns that value. */
struct v8_log_callbacks {
	int (*code_creation)(void *ctx, const struct v8_log_code_creation *c);
	int (*code_deopt)(void *ctx, const struct v8_log_code_deopt *d);
	int (*code_move)(void *ctx, const struct v8_log_code_move *m);
	int (*code_delete)(void *ctx, const struct v8_log_code_delete *d);
};

struct v8_log_stats {
	size_t lines; /* complete lines, empty ones included */
	size_t code_creations, code_deopts, code_moves, code_deletes;
	size_t other_lines;	 /* non-empty lines of other record types, known or not */
	size_t bad_lines;	 /* lines of the types above that do not parse; skipped */
	unsigned first_bad_line; /* 1-based; 0 if none */
	char first_bad_why[96];	 /* "code-creation: bad hex in start", ... */
	int truncated;		 /* last line had no '\n' (process killed): ignored */
	int looks_like_v8_log;	 /* saw a V8 record type (v8-version, code-creation, tick, ...) */
	char v8_version[32];	 /* "11.3.244.8" from v8-version,11,3,244,8,-node.38,0 */
};

/* Parse len bytes of log (need not be NUL-terminated). cb and st may be NULL.
 * A line is bad when its record type is one this parser decodes (the four
 * above and v8-version) and a field is missing, a number is not one, a hex
 * number does not fit 64 bits, a marker is not a tier, a position is not
 * "<...>", the line holds a NUL byte or is longer than V8_LOG_MAX_RECORD.
 * Returns 0; the nonzero value of a callback; -1 when the buffer is not a V8
 * log (binary data, or no V8 record type within the first 64 lines and
 * 64 KiB; nothing is reported then); -ENOMEM. An empty or blank buffer
 * returns 0 with looks_like_v8_log == 0. */
int v8_log__parse(const char *buf, size_t len, const struct v8_log_callbacks *cb, void *ctx,
		  struct v8_log_stats *st);

#endif
