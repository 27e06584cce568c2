/* The plugin host: loads runtime plugins (dlopen), checks them, lends them the
 * host services of <tierprof/plugin.h> and calls them for the core.
 *
 * Loading never fails because of a bad plugin: it is refused with a warning
 * naming the file and the reason, the refusal is kept in the status list, and
 * the host goes on. A plugin whose callbacks keep failing is disabled (see
 * plugin.h). Out-of-range results never reach the core.
 *
 * Ownership: callers own what plugin_host__new and plugin_host__prepare_launch
 * return; arguments are borrowed. Strings the host returns (status, plugin
 * names) live until plugin_host__delete.
 *
 * Threads: one thread at a time per host. async-signal-safe: no. */
#ifndef TP_PLUGIN_HOST_H
#define TP_PLUGIN_HOST_H

#include <tierprof/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* Refusal thresholds for callbacks that keep failing (collectd-style). */
#define PLUGIN_MAX_CONSECUTIVE_FAILURES 8
#define PLUGIN_MAX_FAILURES 100

struct plugin_host;

struct plugin_host_opts {
	/* Directory of built-in plugins (every *.so in it, sorted by name).
	 * NULL = TP_PLUGIN_BUILD_DIR when this program runs from the build
	 * tree, else TP_PLUGIN_INSTALL_DIR. */
	const char *builtin_dir;
	char *const *extra; /* --plugin paths (files or directories), in order */
	size_t nextra;
	int no_builtin; /* skip the built-in directory */
};

/* One plugin file the host saw, loaded or not. */
struct plugin_status {
	const char *path;	 /* as found or given */
	const char *origin;	 /* "builtin", "TIERPROF_PLUGIN_PATH", "--plugin" */
	const char *name;	 /* NULL when no descriptor could be read */
	const char *version;	 /* "" when the plugin gave none */
	const char *description; /* "" when the plugin gave none */
	uint16_t abi_major, abi_minor;
	uint64_t caps;	    /* TP_CAP_* as announced (unknown bits included) */
	int loaded;	    /* in use (possibly disabled later) */
	int disabled;	    /* loaded, then switched off after failures */
	const char *reason; /* why refused or disabled; NULL when fine */
};

/* Load the built-in directory, then every entry of TIERPROF_PLUGIN_PATH
 * (colon-separated files or directories), then o->extra. Returns 0 (also when
 * plugins were refused) or -errno for bad arguments; *out is owned by the
 * caller. */
int plugin_host__new(const struct plugin_host_opts *o, struct plugin_host **out);
/* Calls fini of every loaded plugin, closes them and frees the host. NULL ok. */
void plugin_host__delete(struct plugin_host *h);

/* Every plugin file seen, in load order. */
size_t plugin_host__nr_status(const struct plugin_host *h);
const struct plugin_status *plugin_host__status(const struct plugin_host *h, size_t i);
/* The built-in directory that was scanned; NULL with no_builtin. */
const char *plugin_host__builtin_dir(const struct plugin_host *h);

/* Best detect() score of any plugin for proc (0 when none is sure), and its
 * name in *plugin_name (NULL if the score is 0). proc->size is set by the host. */
int plugin_host__detect(struct plugin_host *h, const struct tp_process *proc,
			const char **plugin_name);

/* --- record side --- */

struct launch_env {
	char *name;
	char *value;
};

/* The command to launch after the plugins edited it. */
struct launch_edit {
	int argc;
	char **argv; /* always set, NULL-terminated: the user's argv plus inserts */
	size_t nenv;
	struct launch_env *env; /* to set in the child before exec; names unique */
};

/* Detect the runtime of argv (comm = basename of argv[0], exe = argv[0]
 * resolved through PATH) and let every plugin that scores at least
 * TP_DETECT_THRESHOLD edit the command, best score first. side_dir is the
 * directory the runtime should write side files into. A plugin that fails
 * has its edits dropped. Returns 0 or -errno (bad arguments only); free *out
 * with launch_edit__free. */
int plugin_host__prepare_launch(struct plugin_host *h, int argc, char *const *argv,
				const char *side_dir, int no_runtime_flags,
				struct launch_edit *out);
void launch_edit__free(struct launch_edit *e);

/* After the run: call collect() of every plugin that detected the launched
 * command or scores at least TP_DETECT_THRESHOLD on proc. Each valid
 * add_side_file() is forwarded to add(); its strings are valid only during
 * that call. Returns the number of files add() accepted (returned 0). */
typedef int (*plugin_add_side_file_fn)(void *ctx, uint32_t pid, const char *path, const char *kind);
int plugin_host__collect(struct plugin_host *h, const struct tp_process *proc,
			 plugin_add_side_file_fn add, void *ctx);

/* --- analysis side --- */

/* Ask the classify-capable plugins, in load order; the first that returns 1
 * with a valid result wins. The result is checked: tier in range, strings
 * terminated and free of control characters, unknown flags cleared, empty
 * runtime / display_name / function_key filled with the plugin's name / the
 * symbol name / the display name. Returns 1 (classified; *plugin_name, if
 * asked, is the plugin's name) or 0 (no plugin knows the frame). */
int plugin_host__classify(struct plugin_host *h, const struct tp_frame_info *fi,
			  struct tp_classification *out, const char **plugin_name);

/* ABI 1.3 refinement of a frame classified with TP_FRAME_NEEDS_CONTEXT, by
 * the plugin named plugin (the *plugin_name classify gave). refine_key: 1
 * with *key set, or 0 (no key in this sample, an error, or no such plugin).
 * refine: 1 with a checked result in *out (NEEDS_CONTEXT cleared), or 0. */
int plugin_host__refine_key(struct plugin_host *h, const char *plugin,
			    const struct tp_frame_info *fi, const struct tp_frame_ctx *ctx,
			    uint64_t *key);
int plugin_host__refine(struct plugin_host *h, const char *plugin, const struct tp_frame_info *fi,
			uint64_t key, struct tp_classification *out);

/* Receives what plugins report from a side file. The host has checked every
 * field; strings (and ev's strings) are valid only during the call: the sink
 * copies what it keeps. Return 0 or -errno (passed back to the plugin). */
struct plugin_sink {
	void *ctx;
	int (*emit_event)(void *ctx, const char *plugin, const struct tp_event *ev);
	int (*add_code)(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
			const char *name, uint64_t time_ns);
	/* A per-process runtime figure (ABI 1.2 add_stat); unit "" when none. */
	int (*add_stat)(void *ctx, const char *plugin, uint32_t pid, const char *name, double value,
			const char *unit);
	/* A runtime-sampled stack (ABI 1.3 add_runtime_stack): pid, runtime
	 * and every frame string set and checked. */
	int (*add_runtime_stack)(void *ctx, const char *plugin, const struct tp_runtime_stack *s);
};

/* Offer one side file to every ingest-capable plugin. Returns the number of
 * events, code ranges and stats the sink accepted. */
int plugin_host__ingest(struct plugin_host *h, const struct tp_side_file *sf,
			const struct plugin_sink *sink);

/* --- descriptor checks (exposed for tests and the fuzzer) --- */

/* Check a descriptor against the ABI rules without calling into it: size,
 * ABI major, name, init, capability bits against callbacks. Reads no field
 * beyond p->size. Returns 0, or TP_ERR_BAD_VERSION / TP_ERR_BAD_FORMAT with
 * a one-line reason in why (always NUL-terminated when whylen > 0). */
int plugin_descriptor__validate(const struct tp_plugin *p, char *why, size_t whylen);

/* Size of a 1.0 descriptor: the smallest size the host accepts. */
#define TP_PLUGIN_SIZE_1_0 \
	(offsetof(struct tp_plugin, ingest) + sizeof(((struct tp_plugin *)0)->ingest))

/* Capability words ("detect", "classify", ...) of caps, space-separated, into
 * buf; unknown bits as "0x..". Returns buf. */
char *plugin_caps__str(uint64_t caps, char *buf, size_t len);

#endif
