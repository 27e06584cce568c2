/* State shared by the V8 plugin's callbacks (v8_plugin.c: lifecycle, detect,
 * launch, collect; v8_classify.c; v8_ingest.c). */
#ifndef TP_V8_STATE_H
#define TP_V8_STATE_H

#include <tierprof/plugin.h>

#include "v8_name.h"
#include "plugin_table.h"

#define V8_LOG_KIND "v8-log"	 /* --logfile output (code-creation, code-deopt) */
#define V8_TRACE_KIND "v8-trace" /* --trace-opt / --trace-deopt text */

/* When one of a process's perf map lines was first seen: between the read
 * before (prev_ns) and the read that returned it (read_ns). */
struct v8_map_window {
	uint64_t prev_ns, read_ns;
	uint64_t name_hash;
};

struct v8_proc {
	uint32_t pid;
	uint64_t last_read_ns;	      /* read time of the last perf map chunk */
	struct plugin_u64map windows; /* code start -> index into win[] */
	struct v8_map_window *win;
	size_t nwin, win_cap;
	struct plugin_strmap sfi_keys; /* "pid:sfi" hex -> function key (from code-creation) */
};

struct v8_state {
	const struct tp_host_api *api;
	void *host;
	struct v8_proc *procs;
	size_t nprocs, procs_cap;
	/* Function name -> key, from frames classified: joins --trace-* lines,
	 * which carry only the name. "" marks a name two functions share. */
	struct plugin_strmap name_keys;
};

struct v8_proc *v8_state__proc(struct v8_state *s, uint32_t pid);

/* The identity and display name of JS code (DESIGN.md: name plus
 * script:line:col, so a function's tiers aggregate). */
void v8_identity(const struct v8_name *n, char *key, size_t key_size, char *display,
		 size_t display_size);

int v8_classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out);
int v8_ingest(void *state, const struct tp_side_file *file);

#endif
