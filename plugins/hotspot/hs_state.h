/* State shared by the HotSpot plugin's callbacks (hs_plugin.c: lifecycle,
 * detect, launch, collect; hs_classify.c; hs_ingest.c). */
#ifndef TP_HOTSPOT_HS_STATE_H
#define TP_HOTSPOT_HS_STATE_H

#include <tierprof/plugin.h>

#include "plugin_table.h"

/* Side file kinds. */
#define HS_LOGC_KIND "hotspot-logcompilation" /* -XX:+LogCompilation XML */
#define HS_PC_KIND "hotspot-printcompilation" /* PrintCompilation text: events + clock */
#define HS_CLOCK_KIND "hotspot-clock"	      /* the same text, read only for its clock */
#define HS_METHODS_KIND "hotspot-methods"     /* the JVMTI agent's Method* table */

/* Where the agent is, beside the plugin (<plugin dir>/HS_AGENT_SUBDIR/). */
#define HS_AGENT_SUBDIR "hotspot-agent"
#define HS_AGENT_FILE "libtierprof_jvmti.so"

/* x86_64 interpreter frame (HotSpot frame_x86.hpp): the Method* slot is
 * this many words from the frame pointer, one below last_sp. */
#define HS_INTERP_METHOD_SLOT (-3)

/* Launch modes (TIERPROF_HOTSPOT_MODE). */
enum hs_mode {
	HS_MODE_FULL = 0, /* frame pointers, exit perf map, LogCompilation, clock log */
	HS_MODE_LIGHT,	  /* frame pointers, exit perf map, PrintCompilation log */
	HS_MODE_MAP,	  /* frame pointers, exit perf map */
	HS_MODE_OFF,	  /* no flags */
};

/* One nmethod the compilation log announced. */
struct hs_code {
	uint64_t start, end; /* [start, end): the perf map's range of it */
	uint64_t time_ns;    /* installed (CLOCK_MONOTONIC; 0 unknown) */
	uint32_t compile_id;
	int8_t level; /* 0 native wrapper, 1-3 C1, 4 C2 */
	uint8_t osr;
	char *key;
};

/* One method of the agent's table: Method* -> function key. */
struct hs_method {
	uint64_t method;
	char *key;
};

struct hs_proc {
	uint32_t pid;
	int have_clock; /* mono = uptime + clock_offset */
	int64_t clock_offset;
	struct hs_code *codes;
	size_t ncodes, codes_cap;
	int sorted;		    /* codes sorted by start (classify) */
	struct plugin_u64map by_id; /* compile_id -> codes[] index (ingest order) */
	struct plugin_strmap top;   /* key -> highest level installed so far ("0".."4") */
	struct hs_method *methods;  /* the agent's table, sorted by method once read */
	size_t nmethods, methods_cap;
	int methods_sorted;
	int method_slot; /* words from an interpreter frame's fp to its Method* */
};

struct hs_state {
	const struct tp_host_api *api;
	void *host;
	struct hs_proc *procs;
	size_t nprocs, procs_cap;
	/* "pkg.Class::method" -> full key, from the perf map and the log:
	 * PrintCompilation names have no signature. "" = overloaded. */
	struct plugin_strmap short_keys;
	char agent[4096]; /* the JVMTI agent's path; "" when not installed */
};

struct hs_proc *hs_state__proc(struct hs_state *s, uint32_t pid, int create);

/* The tier, sub-tier label ("C1 L3", "C2", "native wrapper") of a level. */
uint32_t hs_level_tier(int level);
const char *hs_level_label(int level);

/* Remember a full key under its short name (PrintCompilation's). */
void hs_note_key(struct hs_state *s, const char *key);

int hs_classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out);
int hs_ingest(void *state, const struct tp_side_file *file);

/* hs_interp.c: interpreted frames named from the agent's table. */
int hs_ingest_methods(struct hs_state *s, const struct tp_side_file *f);
int hs_interp_ready(struct hs_state *s, uint32_t pid); /* a table for pid */
int hs_refine_key(void *state, const struct tp_frame_info *frame, const struct tp_frame_ctx *ctx,
		  uint64_t *key);
int hs_refine(void *state, const struct tp_frame_info *frame, uint64_t key,
	      struct tp_classification *out);

#endif
