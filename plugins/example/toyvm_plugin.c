/* The tierprof plugin for toyvm (toyvm.c): the worked example of
 * docs/plugin-sdk.md. It uses every callback of ABI 1.0:
 *   detect          a process named toyvm
 *   prepare_launch  ask toyvm for its compiler log (--log, TOYVM_LOG_DIR)
 *   collect         embed that log in the capture
 *   classify        toy_interp_* = interpreter, toy_jit_* = optimized code
 *   ingest          turn the log into compile and deopt events
 * It includes only the plugin header and libc, as every plugin should. */
#include <tierprof/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_KIND "toyvm-log" /* our side files, as collect names them */
#define INTERP_PREFIX "toy_interp_"
#define JIT_PREFIX "toy_jit_"

struct toyvm {
	const struct tp_host_api *api; /* host services: valid until fini */
	void *host;		       /* cookie every service wants back */
};

static int toyvm_init(const struct tp_host_api *api, void *host, void **state, char *err,
		      size_t errlen)
{
	struct toyvm *t;

	/* All we call is in ABI 1.0, so in every 1.x host; a service of a later
	 * minor would sit in a slot an older host leaves NULL. */
	if (!TP_HAS(api, add_code) || !api->add_code) {
		snprintf(err, errlen, "host services table too old (size %u)", api->size);
		return -ENOTSUP;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	t->api = api;
	t->host = host;
	*state = t;
	return 0;
}

static void toyvm_fini(void *state)
{
	free(state);
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

static int toyvm_detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if ((proc->comm && !strcmp(proc->comm, "toyvm")) ||
	    (proc->exe && !strcmp(base_name(proc->exe), "toyvm")))
		return 100;
	return 0;
}

static int toyvm_prepare_launch(void *state, const struct tp_launch *launch)
{
	struct toyvm *t = state;
	int err;

	if (!launch->side_dir)
		return 0;
	/* Where the log goes: harmless on its own, so set even when the user
	 * asked for no runtime flags. */
	err = t->api->launch_set_env(t->host, "TOYVM_LOG_DIR", launch->side_dir);
	if (err)
		return err;
	if (launch->no_runtime_flags)
		return 0; /* observe only: toyvm writes no log, classify still works */
	/* Right after the program name, before the user's own arguments. */
	return t->api->launch_insert_arg(t->host, 1, "--log");
}

static int toyvm_collect(void *state, const struct tp_process *proc)
{
	struct toyvm *t = state;
	char path[4096];

	if (!proc->side_dir || !proc->pid)
		return 0;
	snprintf(path, sizeof(path), "%s/toyvm-%u.log", proc->side_dir, proc->pid);
	if (access(path, R_OK))
		return 0; /* run without --log: nothing to embed */
	return t->api->add_side_file(t->host, proc->pid, path, LOG_KIND);
}

/* "toy_jit_add" and "toy_interp_add" are two tiers of one toy function, "add":
 * the same function_key makes tierprof add them up. */
static int toyvm_classify(void *state, const struct tp_frame_info *frame,
			  struct tp_classification *out)
{
	const char *fn;

	(void)state;
	if (!frame->name)
		return 0;
	if (!strncmp(frame->name, INTERP_PREFIX, strlen(INTERP_PREFIX))) {
		out->tier = TP_TIER_INTERPRETER;
		snprintf(out->subtier, sizeof(out->subtier), "toy-interp");
		fn = frame->name + strlen(INTERP_PREFIX);
	} else if (!strncmp(frame->name, JIT_PREFIX, strlen(JIT_PREFIX))) {
		out->tier = TP_TIER_OPTIMIZED;
		snprintf(out->subtier, sizeof(out->subtier), "toy-jit");
		fn = frame->name + strlen(JIT_PREFIX);
	} else {
		return 0; /* not toyvm code: let other plugins or the core name it */
	}
	snprintf(out->runtime, sizeof(out->runtime), "toyvm");
	snprintf(out->display_name, sizeof(out->display_name), "%s", fn);
	snprintf(out->function_key, sizeof(out->function_key), "%s", fn);
	return 1;
}

static const char *strip_prefix(const char *sym)
{
	if (!strncmp(sym, JIT_PREFIX, strlen(JIT_PREFIX)))
		return sym + strlen(JIT_PREFIX);
	if (!strncmp(sym, INTERP_PREFIX, strlen(INTERP_PREFIX)))
		return sym + strlen(INTERP_PREFIX);
	return sym;
}

static uint32_t tier_of(const char *word)
{
	if (!strcmp(word, "interpreter"))
		return TP_TIER_INTERPRETER;
	if (!strcmp(word, "baseline"))
		return TP_TIER_BASELINE;
	if (!strcmp(word, "optimized"))
		return TP_TIER_OPTIMIZED;
	return TP_TIER_UNKNOWN;
}

/* One log line, "<ns> compile <sym> tier=<tier>" or "<ns> deopt <sym>
 * reason=<reason>", into an event. Returns 0, or -EINVAL if malformed. */
static int parse_line(const char *line, uint32_t pid, struct tp_event *ev, char *key, size_t keylen,
		      char *value, size_t valuelen)
{
	unsigned long long ns;
	char what[16], sym[256], kv[256];
	const char *eq;

	if (sscanf(line, "%llu %15s %255s %255s", &ns, what, sym, kv) != 4)
		return -EINVAL;
	eq = strchr(kv, '=');
	if (!eq)
		return -EINVAL;
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->pid = pid;
	ev->time_ns = ns;
	ev->tier = TP_TIER_OPTIMIZED;
	snprintf(key, keylen, "%s", strip_prefix(sym));
	snprintf(value, valuelen, "%s", eq + 1);
	ev->function_key = key;
	if (!strcmp(what, "compile") && !strncmp(kv, "tier=", 5)) {
		ev->kind = TP_EVENT_COMPILE;
		ev->tier = tier_of(value);
	} else if (!strcmp(what, "deopt") && !strncmp(kv, "reason=", 7)) {
		ev->kind = TP_EVENT_DEOPT;
		ev->reason = value;
		ev->detail = "deopt";
	} else {
		return -EINVAL;
	}
	return 0;
}

static int toyvm_ingest(void *state, const struct tp_side_file *file)
{
	struct toyvm *t = state;
	const char *p = (const char *)file->data, *end = p + file->len;
	unsigned lineno = 0, bad = 0;

	if (!file->kind || strcmp(file->kind, LOG_KIND))
		return 0; /* every side file is offered: not ours */
	/* The data is not NUL-terminated: copy each line before parsing it. */
	while (p < end) {
		const char *start = p, *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - start);
		char line[1024], key[256], value[256];
		struct tp_event ev;

		lineno++;
		p = nl ? nl + 1 : end;
		if (!len)
			continue;
		if (len < sizeof(line)) {
			memcpy(line, start, len);
			line[len] = '\0';
			if (!parse_line(line, file->pid, &ev, key, sizeof(key), value,
					sizeof(value))) {
				t->api->emit_event(t->host, &ev);
				continue;
			}
		}
		if (!bad++)
			t->api->log(t->host, TP_PLOG_WARN, "%s line %u: not a toyvm event",
				    file->name ? file->name : LOG_KIND, lineno);
	}
	if (bad > 1)
		t->api->log(t->host, TP_PLOG_WARN, "%u malformed lines skipped in all", bad);
	return 0;
}

static const struct tp_plugin toyvm_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "toyvm",
	.version = "1.0.0",
	.description = "toyvm, the SDK's example runtime (plugins/example)",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST,
	.init = toyvm_init,
	.fini = toyvm_fini,
	.detect = toyvm_detect,
	.prepare_launch = toyvm_prepare_launch,
	.collect = toyvm_collect,
	.classify = toyvm_classify,
	.ingest = toyvm_ingest,
};

TP_PLUGIN_DEFINE(toyvm_plugin)
