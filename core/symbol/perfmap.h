/* Perf map text ("/tmp/perf-PID.map") as JIT runtimes write it: one
 * "START SIZE NAME" line per code object (FORMATS.md §0). START and SIZE are
 * hex, with or without "0x", any case, any number of leading zeros (V8:
 * "7fd8867c6e40 2bc", HotSpot: "0x%016lx", .NET: 16 upper-case digits); the
 * fields are separated by blanks and NAME is the rest of the line, spaces
 * included. The file is an append-only log: the same address may appear
 * many times (code reuse, DESIGN §6a.4); the parser reports every line in
 * file order and leaves resolution to struct jitmap.
 * Nothing is allocated or copied; the parser keeps no state between calls.
 * async-signal-safe: no (not meant for the sampler). */
#ifndef TP_SYMBOL_PERFMAP_H
#define TP_SYMBOL_PERFMAP_H

#include <stddef.h>
#include <stdint.h>

struct perfmap_stats {
	size_t lines;	       /* lines in the input, empty ones included */
	size_t entries;	       /* lines handed to the callback */
	size_t zero_size;      /* entries with SIZE 0: reported, but they cover no address */
	size_t bad_lines;      /* non-empty lines that do not parse; skipped */
	size_t first_bad_line; /* 1-based line number of the first bad line; 0 if none */
};

/* One entry. name is not NUL-terminated: it is name_len bytes of the input
 * (never empty, never containing NUL, CR of a CRLF ending removed), valid as
 * long as the input is. line_no is 1-based. start + size does not overflow. */
typedef void (*perfmap_entry_fn)(void *ctx, uint64_t start, uint64_t size, const char *name,
				 size_t name_len, size_t line_no);

/* Parse len bytes of text (need not be NUL-terminated; the last line may
 * lack its '\n'). fn may be NULL to only validate and count; st may be NULL.
 * A line is bad, counted and skipped, when START or SIZE is not hex or does
 * not fit 64 bits, start + size overflows, NAME is missing, or the line holds
 * a NUL byte (binary garbage). Empty lines are not bad.
 * Returns 0, or TP_ERR_BAD_FORMAT when the input has bad lines and no entry
 * (not a perf map). Empty input returns 0 with no entries. */
int perfmap__parse(const char *text, size_t len, perfmap_entry_fn fn, void *ctx,
		   struct perfmap_stats *st);

#endif
