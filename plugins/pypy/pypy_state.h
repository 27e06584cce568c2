/* State and helpers shared by the PyPy plugin's files (pypy_plugin.c:
 * lifecycle, detect, launch, collect; pypy_classify.c; pypy_ingest.c). */
#ifndef TP_PYPY_STATE_H
#define TP_PYPY_STATE_H

#include <tierprof/plugin.h>

#include <stddef.h>
#include <stdint.h>

#include "pypy_hook.h"

#define PYPY_RUNTIME "pypy"
#define PYPY_BUNDLE_KIND "pypy-bundle" /* pypy_hook.h: hook file + PYPYLOG + clocks */

struct pypy_state {
	const struct tp_host_api *api;
	void *host;
	char hook_dir[4096]; /* directory of the startup hook; "" when not found */
	char side_dir[4096]; /* the launch's, for collect */
	struct pypy_clock_pair launch_clock;
	int have_launch_clock;
};

/* A TSC reading and CLOCK_MONOTONIC, back to back; 0 where the CPU has no
 * TSC PyPy would use (PyPy's log then carries other ticks). */
int pypy_clock__read(struct pypy_clock_pair *out);

/* The name the plugin gives JIT code (add_code), which classify reads back:
 *   "pypy:<kind> <func> <firstline> <line> <file>"   kind: loop|entry|bridge
 *   "pypy:<kind> - <jitdriver text>"                 RPython-level loops */
void pypy_name__format(char *buf, size_t len, enum pypy_code_kind kind, const struct pypy_where *w);

/* Identity (the Python function, so its loops and bridges aggregate) and
 * display name ("fn (file.py:12)") of a position. */
void pypy_identity(const struct pypy_where *w, char *key, size_t key_len, char *display,
		   size_t display_len);

/* Name libpypy's samples from PyPy's vmprof profile (data, len) of the
 * process, which sampled over [start_ns, end_ns] (pypy_vmprof_ingest.c). */
void pypy_vmprof_ingest(struct pypy_state *s, const struct tp_side_file *f,
			const unsigned char *data, size_t len, uint64_t start_ns, uint64_t end_ns);

int pypy_classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out);
int pypy_ingest(void *state, const struct tp_side_file *file);

#endif
