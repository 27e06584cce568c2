/* Internals shared by the files of core/plugin/ (not for the rest of the core). */
#ifndef TP_PLUGIN_PRIV_H
#define TP_PLUGIN_PRIV_H

#include "host.h"

#include <stddef.h>
#include <stdint.h>

#define PLUGIN_MAGIC 0x74706c67u /* "tplg": the host cookie a plugin hands back */

/* The capability bits this host knows (ABI 1.3); others are ignored. */
#define TP_CAP__KNOWN                                                               \
	(TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY | \
	 TP_CAP_INGEST | TP_CAP_REFINE)

/* The callback a plugin is in; host services check it (perf dlfilter ctx_valid). */
enum plugin_phase {
	PHASE_NONE,
	PHASE_INIT,
	PHASE_FINI,
	PHASE_DETECT,
	PHASE_PREPARE_LAUNCH,
	PHASE_COLLECT,
	PHASE_CLASSIFY,
	PHASE_INGEST,
	PHASE_REFINE,
};

/* A loaded plugin. Its address is the `host` cookie the plugin gets. */
struct plugin {
	uint32_t magic;
	struct plugin_host *host;
	size_t status;		      /* index in host->status */
	const char *name;	      /* = host->status[status].name */
	const struct tp_plugin *desc; /* the plugin's own, read-only */
	uint64_t caps;		      /* known TP_CAP_* bits only */
	void *dl;
	void *state;
	enum plugin_phase phase;
	unsigned fails_in_row, fails;
	int disabled;
	int launch_detected; /* scored >= TP_DETECT_THRESHOLD on the launched command */
	unsigned warned;     /* host services already warned about (bit per service) */
	unsigned nlogs;	     /* warnings logged, for the rate limit */
};

struct launch_insert {
	int index; /* before the user's argv[index] */
	char *arg;
};

struct plugin_host {
	struct plugin_status *status;
	size_t nstatus, cap_status;
	struct plugin **plugins; /* loaded, in load order */
	size_t nplugins, cap_plugins;
	char *builtin_dir;
	struct tp_host_api api;
	struct plugin *cur; /* the plugin inside a callback, else NULL */

	/* prepare_launch: edits staged by all plugins so far */
	struct launch_insert *ins;
	size_t nins, cap_ins;
	struct launch_env *env; /* in call order; the last value of a name wins */
	size_t nenv, cap_env;
	int launch_argc;
	int no_runtime_flags;

	/* collect */
	plugin_add_side_file_fn add;
	void *add_ctx;
	int nadded;

	/* ingest */
	const struct plugin_sink *sink;
	const struct tp_side_file *sf;
	int naccepted;
};

/* host_api.c: the services table, the call guard and failure accounting. */
void host_api__init(struct tp_host_api *api);
void plugin__enter(struct plugin *p, enum plugin_phase phase);
void plugin__leave(struct plugin *p);
/* Count the outcome of one callback; on failure (what names the callback and
 * the bad result) disable the plugin past the thresholds. */
void plugin__ok(struct plugin *p);
void plugin__fail(struct plugin *p, const char *what);
/* Usable for a callback of capability cap. */
int plugin__can(const struct plugin *p, uint64_t cap);
/* Replace control characters, which would break text and folded output. */
void plugin_str__sanitize(char *s);

/* analysis_side.c: check and complete a plugin's classification of fi. */
void plugin_classification__fix(struct tp_classification *c, const struct tp_frame_info *fi,
				const struct plugin *p);

/* record_side.c */
int plugin__detect(struct plugin *p, const struct tp_process *proc);

#endif
