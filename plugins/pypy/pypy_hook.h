/* Parser of the file tierprof's PyPy startup hook writes
 * (hook/sitecustomize.py documents the format), and of the bundle the plugin
 * embeds in the capture: the hook file, PyPy's log and clock pairs of one
 * process in one side file, so that ingest sees them together.
 *
 * Bundle:  "tierprof-pypy-bundle 1\n"
 *          "clock <tsc> <mono_ns>\n"               (decimal; zero or more)
 *          "part <name> <length>\n" <length bytes> "\n"   (hook, pypylog, vmprof)
 *
 * libc only, no allocation: strings point into the caller's buffer. */
#ifndef TP_PYPY_HOOK_H
#define TP_PYPY_HOOK_H

#include <stddef.h>
#include <stdint.h>

/* A Python position (or an RPython jitdriver's own text). */
struct pypy_where {
	const char *func, *file, *driver; /* driver set (and func NULL) for RPython loops */
	size_t func_len, file_len, driver_len;
	uint64_t firstline, line, bytecode;
};

enum pypy_code_kind { PYPY_LOOP, PYPY_ENTRY_BRIDGE, PYPY_BRIDGE };

struct pypy_hook_code {
	uint64_t time_ns;
	enum pypy_code_kind kind;
	uint64_t addr, len;
	uint64_t id; /* loop number, or a bridge's guard address */
	struct pypy_where where;
};

struct pypy_hook_cb {
	void *ctx;
	void (*start)(void *ctx, uint64_t time_ns, uint64_t pid);
	void (*code)(void *ctx, const struct pypy_hook_code *c);
	void (*abort)(void *ctx, uint64_t time_ns, const char *reason, size_t reason_len,
		      const struct pypy_where *w);
	void (*end)(void *ctx, uint64_t time_ns);
	/* "V <mono_ns> start|stop": PyPy's vmprof sampler started or stopped
	 * writing vmprof-<pid>.prof. */
	void (*vmprof)(void *ctx, uint64_t time_ns, int started);
};

struct pypy_hook_stats {
	size_t lines, records, bad_lines, first_bad_line;
};

/* Parse a hook file. Returns 0, or -EBADMSG when it lacks the header line.
 * Malformed records are counted and skipped. */
int pypy_hook__parse(const char *buf, size_t len, const struct pypy_hook_cb *cb,
		     struct pypy_hook_stats *st);

/* Parse "func|file|firstline|line|bytecode" or "driver|text". 0 or -1. */
int pypy_where__parse(const char *s, size_t len, struct pypy_where *w);

struct pypy_clock_pair {
	uint64_t tsc, mono_ns;
};

#define PYPY_BUNDLE_MAX_CLOCKS 8

struct pypy_bundle {
	const char *hook, *pypylog, *vmprof; /* NULL when absent */
	size_t hook_len, pypylog_len, vmprof_len;
	struct pypy_clock_pair clocks[PYPY_BUNDLE_MAX_CLOCKS];
	size_t nclocks;
};

/* Split a bundle. Returns 0, or -EBADMSG with the byte offset of the damage
 * in *bad_at (bad header, a part longer than the rest of the file, an
 * unknown line). Unknown part names are skipped. */
int pypy_bundle__parse(const char *buf, size_t len, struct pypy_bundle *b, size_t *bad_at);

#endif
