/* The services the host lends plugins (struct tp_host_api), the guard that
 * refuses them outside their callback, and the accounting that disables a
 * plugin whose callbacks keep failing. */
#include "priv.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A plugin that logs per frame would drown the user: past this many
 * warnings, its messages are shown only with debug logging. */
#define PLUGIN_MAX_WARNINGS 50
#define LAUNCH_MAX_EDITS 256 /* per prepare_launch round, all plugins together */
#define ENV_NAME_MAX 255
#define KIND_MAX 63
#define STAT_NAME_MAX 63
#define STAT_UNIT_MAX 15

enum service {
	SVC_LAUNCH_INSERT_ARG,
	SVC_LAUNCH_SET_ENV,
	SVC_ADD_SIDE_FILE,
	SVC_EMIT_EVENT,
	SVC_ADD_CODE,
	SVC_ADD_STAT,
	SVC_ADD_RUNTIME_STACK,
};

static const struct {
	const char *name;
	enum plugin_phase phase;
	const char *when;
} services[] = {
	[SVC_LAUNCH_INSERT_ARG] = { "launch_insert_arg", PHASE_PREPARE_LAUNCH, "prepare_launch" },
	[SVC_LAUNCH_SET_ENV] = { "launch_set_env", PHASE_PREPARE_LAUNCH, "prepare_launch" },
	[SVC_ADD_SIDE_FILE] = { "add_side_file", PHASE_COLLECT, "collect" },
	[SVC_EMIT_EVENT] = { "emit_event", PHASE_INGEST, "ingest" },
	[SVC_ADD_CODE] = { "add_code", PHASE_INGEST, "ingest" },
	[SVC_ADD_STAT] = { "add_stat", PHASE_INGEST, "ingest" },
	[SVC_ADD_RUNTIME_STACK] = { "add_runtime_stack", PHASE_INGEST, "ingest" },
};

void plugin__enter(struct plugin *p, enum plugin_phase phase)
{
	p->phase = phase;
	p->host->cur = p;
}

void plugin__leave(struct plugin *p)
{
	p->phase = PHASE_NONE;
	p->host->cur = NULL;
}

int plugin__can(const struct plugin *p, uint64_t cap)
{
	return !p->disabled && (p->caps & cap);
}

void plugin__ok(struct plugin *p)
{
	p->fails_in_row = 0;
}

void plugin__fail(struct plugin *p, const char *what)
{
	struct plugin_status *st = &p->host->status[p->status];

	p->fails_in_row++;
	p->fails++;
	pr_debug("plugin %s: %s", p->name, what);
	if (p->disabled ||
	    (p->fails_in_row < PLUGIN_MAX_CONSECUTIVE_FAILURES && p->fails < PLUGIN_MAX_FAILURES))
		return;
	p->disabled = 1;
	st->disabled = 1;
	free((void *)st->reason);
	st->reason =
		p->fails_in_row >= PLUGIN_MAX_CONSECUTIVE_FAILURES
			? tp_xasprintf("disabled after %u failures in a row (last: %s)",
				       p->fails_in_row, what)
			: tp_xasprintf("disabled after %u failures (last: %s)", p->fails, what);
	pr_warn("plugin %s (%s): %s; its results are ignored from now on", p->name, st->path,
		st->reason);
}

/* Warn once per plugin and kind of misuse, then only debug. */
__attribute__((format(printf, 3, 4))) static void misuse(struct plugin *p, unsigned bit,
							 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->warned & (1u << bit)) {
		pr_debug("plugin %s: %s", p->name, msg);
		return;
	}
	p->warned |= 1u << bit;
	pr_warn("plugin %s: %s (further occurrences logged only with debug)", p->name, msg);
}

/* The plugin behind a host cookie, if the service may run now; else NULL.
 * A NULL or foreign cookie is refused by its magic (a wild pointer cannot be
 * told from a good one: it is the plugin's crash). */
static struct plugin *service_enter(void *host, enum service s)
{
	struct plugin *p = host;

	if (!p || p->magic != PLUGIN_MAGIC)
		return NULL;
	if (p->host->cur != p || p->phase != services[s].phase) {
		misuse(p, 2 * s, "called %s outside %s (returned -EPERM)", services[s].name,
		       services[s].when);
		return NULL;
	}
	return p;
}

static int bad_arg(struct plugin *p, enum service s, int err, const char *what)
{
	misuse(p, 2 * s + 1, "%s: %s", services[s].name, what);
	return err;
}

void plugin_str__sanitize(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

/* Copy a plugin's string: NULL stays NULL unless required. Returns 0 or -errno. */
static int copy_str(const char *s, int required, char **out)
{
	size_t len;

	*out = NULL;
	if (!s)
		return required ? -EINVAL : 0;
	len = strnlen(s, TP_PLUGIN_STR_MAX + 1);
	if (len > TP_PLUGIN_STR_MAX)
		return -ENAMETOOLONG;
	if (!len && required)
		return -EINVAL;
	*out = tp_xstrndup(s, len);
	plugin_str__sanitize(*out);
	return 0;
}

__attribute__((format(printf, 3, 4))) static void svc_log(void *host, int level, const char *fmt,
							  ...)
{
	struct plugin *p = host;
	enum tp_log_level lvl;
	char msg[1024];
	va_list ap;

	if (!p || p->magic != PLUGIN_MAGIC || !fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	plugin_str__sanitize(msg);
	switch (level) {
	case TP_PLOG_ERROR:
	case TP_PLOG_WARN:
		lvl = TP_LOG_WARN;
		break;
	case TP_PLOG_INFO:
		lvl = TP_LOG_INFO;
		break;
	default:
		lvl = TP_LOG_DEBUG;
	}
	if (lvl == TP_LOG_WARN && ++p->nlogs > PLUGIN_MAX_WARNINGS) {
		if (p->nlogs == PLUGIN_MAX_WARNINGS + 1)
			pr_warn("plugin %s: too many warnings; the rest are debug messages",
				p->name);
		lvl = TP_LOG_DEBUG;
	}
	tp_log(lvl, "plugin %s: %s", p->name, msg);
}

static int svc_launch_insert_arg(void *host, int index, const char *arg)
{
	struct plugin *p = service_enter(host, SVC_LAUNCH_INSERT_ARG);
	struct plugin_host *h;
	struct launch_insert ins;
	int err;

	if (!p)
		return -EPERM;
	h = p->host;
	if (h->no_runtime_flags) {
		/* What the user asked for, so no warning: only say what was left out. */
		pr_info("plugin %s: argument '%.64s' not added (no runtime flags)", p->name,
			arg ? arg : "");
		return -EPERM;
	}
	if (index < 1 || index > h->launch_argc)
		return bad_arg(p, SVC_LAUNCH_INSERT_ARG, -EINVAL, "index out of range");
	if (h->nins + h->nenv >= LAUNCH_MAX_EDITS)
		return bad_arg(p, SVC_LAUNCH_INSERT_ARG, -E2BIG, "too many edits");
	err = copy_str(arg, 0, &ins.arg);
	if (err || !ins.arg)
		return bad_arg(p, SVC_LAUNCH_INSERT_ARG, err ? err : -EINVAL, "bad argument");
	ins.index = index;
	TP_VEC_PUSH(h->ins, h->nins, h->cap_ins, ins);
	pr_info("plugin %s: adds argument '%s' to the command", p->name, ins.arg);
	return 0;
}

static int env_name_ok(const char *s)
{
	size_t len = strnlen(s, ENV_NAME_MAX + 1);

	if (!len || len > ENV_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return 1;
}

static int svc_launch_set_env(void *host, const char *name, const char *value)
{
	struct plugin *p = service_enter(host, SVC_LAUNCH_SET_ENV);
	struct plugin_host *h;
	struct launch_env e;

	if (!p)
		return -EPERM;
	h = p->host;
	if (!name || !env_name_ok(name))
		return bad_arg(p, SVC_LAUNCH_SET_ENV, -EINVAL, "bad variable name");
	if (h->nins + h->nenv >= LAUNCH_MAX_EDITS)
		return bad_arg(p, SVC_LAUNCH_SET_ENV, -E2BIG, "too many edits");
	/* A value is passed through as it is: only its length is checked. */
	if (!value || strnlen(value, TP_PLUGIN_STR_MAX + 1) > TP_PLUGIN_STR_MAX)
		return bad_arg(p, SVC_LAUNCH_SET_ENV, value ? -ENAMETOOLONG : -EINVAL, "bad value");
	e.name = tp_xstrdup(name);
	e.value = tp_xstrdup(value);
	TP_VEC_PUSH(h->env, h->nenv, h->cap_env, e);
	pr_info("plugin %s: sets %s=%s for the command", p->name, e.name, e.value);
	return 0;
}

static int kind_ok(const char *s)
{
	size_t len = strnlen(s, KIND_MAX + 1);

	if (!len || len > KIND_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return 0;
	}
	return 1;
}

static int svc_add_side_file(void *host, uint32_t pid, const char *path, const char *kind)
{
	struct plugin *p = service_enter(host, SVC_ADD_SIDE_FILE);
	struct plugin_host *h;
	size_t len;
	int err;

	if (!p)
		return -EPERM;
	h = p->host;
	if (!kind || !kind_ok(kind))
		return bad_arg(p, SVC_ADD_SIDE_FILE, -EINVAL, "kind must be 1-63 of [a-z0-9_.-]");
	/* Passed on during this call, so a bounded length is all it needs. */
	len = path ? strnlen(path, TP_PLUGIN_STR_MAX + 1) : 0;
	if (!len || len > TP_PLUGIN_STR_MAX)
		return bad_arg(p, SVC_ADD_SIDE_FILE, len ? -ENAMETOOLONG : -EINVAL, "bad path");
	err = h->add ? h->add(h->add_ctx, pid, path, kind) : -ENOTSUP;
	if (!err)
		h->nadded++;
	return err;
}

static int svc_emit_event(void *host, const struct tp_event *ev)
{
	struct plugin *p = service_enter(host, SVC_EMIT_EVENT);
	struct plugin_host *h;
	struct tp_event e;
	char *key = NULL, *reason = NULL, *detail = NULL, *position = NULL;
	int err;

	if (!p)
		return -EPERM;
	h = p->host;
	/* Every plugin was built with at least the 1.0 struct. */
	if (!ev || !TP_HAS(ev, position))
		return bad_arg(p, SVC_EMIT_EVENT, -EINVAL, "NULL event or size below ABI 1.0");
	if (ev->kind < TP_EVENT_COMPILE || ev->kind > TP_EVENT_ABORT)
		return bad_arg(p, SVC_EMIT_EVENT, -EINVAL, "unknown event kind");
	if (ev->tier >= TP_TIER__COUNT)
		return bad_arg(p, SVC_EMIT_EVENT, -EINVAL, "tier out of range");
	err = copy_str(ev->function_key, 1, &key);
	if (!err)
		err = copy_str(ev->reason, 0, &reason);
	if (!err)
		err = copy_str(ev->detail, 0, &detail);
	if (!err)
		err = copy_str(ev->position, 0, &position);
	if (err) {
		bad_arg(p, SVC_EMIT_EVENT, err, "missing function_key or overlong string");
		goto out;
	}
	memset(&e, 0, sizeof(e));
	e.size = sizeof(e);
	e.kind = ev->kind;
	e.pid = ev->pid ? ev->pid : h->sf->pid;
	e.tier = ev->tier;
	e.time_ns = ev->time_ns;
	e.code_addr = ev->code_addr;
	e.code_size = ev->code_size;
	e.function_key = key;
	e.reason = reason;
	e.detail = detail;
	e.position = position;
	err = h->sink->emit_event ? h->sink->emit_event(h->sink->ctx, p->name, &e) : -ENOTSUP;
	if (!err)
		h->naccepted++;
out:
	free(key);
	free(reason);
	free(detail);
	free(position);
	return err;
}

static int svc_add_code(void *host, uint32_t pid, uint64_t start, uint64_t len, const char *name,
			uint64_t time_ns)
{
	struct plugin *p = service_enter(host, SVC_ADD_CODE);
	struct plugin_host *h;
	uint64_t end;
	char *cname;
	int err;

	if (!p)
		return -EPERM;
	h = p->host;
	if (!len || __builtin_add_overflow(start, len, &end))
		return bad_arg(p, SVC_ADD_CODE, -EINVAL, "empty or wrapping code range");
	err = copy_str(name, 1, &cname);
	if (err)
		return bad_arg(p, SVC_ADD_CODE, err, "missing or overlong name");
	err = h->sink->add_code ? h->sink->add_code(h->sink->ctx, p->name, pid ? pid : h->sf->pid,
						    start, len, cname, time_ns)
				: -ENOTSUP;
	if (!err)
		h->naccepted++;
	free(cname);
	return err;
}

/* A stat name or unit: printable ASCII, so reports need no escaping rules. */
static int stat_word_ok(const char *s, size_t max, int required)
{
	size_t len;

	if (!s)
		return !required;
	len = strnlen(s, max + 1);
	if (len > max || (required && !len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	}
	return 1;
}

static int svc_add_stat(void *host, uint32_t pid, const char *name, double value, const char *unit)
{
	struct plugin *p = service_enter(host, SVC_ADD_STAT);
	struct plugin_host *h;
	int err;

	if (!p)
		return -EPERM;
	h = p->host;
	if (!stat_word_ok(name, STAT_NAME_MAX, 1))
		return bad_arg(p, SVC_ADD_STAT, -EINVAL, "name must be 1-63 printable characters");
	if (!stat_word_ok(unit, STAT_UNIT_MAX, 0))
		return bad_arg(p, SVC_ADD_STAT, -EINVAL, "unit must be 0-15 printable characters");
	if (!isfinite(value))
		return bad_arg(p, SVC_ADD_STAT, -EINVAL, "value not finite");
	err = h->sink->add_stat ? h->sink->add_stat(h->sink->ctx, p->name, pid ? pid : h->sf->pid,
						    name, value, unit ? unit : "")
				: -ENOTSUP;
	if (!err)
		h->naccepted++;
	return err;
}

static void free_runtime_frames(struct tp_runtime_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)f[i].function_key);
		free((char *)f[i].display_name);
		free((char *)f[i].subtier);
	}
	free(f);
}

/* Checked and copied (strings sanitised) before the sink sees it. */
static int svc_add_runtime_stack(void *host, const struct tp_runtime_stack *rs)
{
	struct plugin *p = service_enter(host, SVC_ADD_RUNTIME_STACK);
	struct plugin_host *h;
	struct tp_runtime_stack c;
	struct tp_runtime_frame *f;
	char *target = NULL, *runtime = NULL;
	int err = 0;

	if (!p)
		return -EPERM;
	h = p->host;
	if (!rs || !TP_HAS(rs, frames) || !rs->frames || !rs->nframes ||
	    rs->nframes > TP_RUNTIME_STACK_MAX)
		return bad_arg(p, SVC_ADD_RUNTIME_STACK, -EINVAL,
			       "NULL stack, no frames or more than 512");
	if (!(rs->position >= 0.0 && rs->position <= 1.0) || rs->start_ns >= rs->end_ns)
		return bad_arg(p, SVC_ADD_RUNTIME_STACK, -EINVAL,
			       "position outside 0..1 or empty time span");
	if (rs->flags & ~TP_RUNTIME_STACK_KEEP_LEAF)
		return bad_arg(p, SVC_ADD_RUNTIME_STACK, -EINVAL, "unknown flags");
	f = tp_xcalloc(rs->nframes, sizeof(*f));
	for (uint32_t i = 0; i < rs->nframes && !err; i++) {
		const struct tp_runtime_frame *in = &rs->frames[i];
		char *key = NULL, *display = NULL, *sub = NULL;

		if (in->tier >= TP_TIER__COUNT) {
			err = -EINVAL;
			break;
		}
		f[i].tier = in->tier;
		f[i].flags = in->flags & (TP_FRAME_NOT_CODE | TP_FRAME_INLINED | TP_FRAME_OSR);
		err = copy_str(in->function_key, 1, &key);
		f[i].function_key = key;
		if (!err)
			err = copy_str(in->display_name ? in->display_name : in->function_key, 1,
				       &display);
		f[i].display_name = err ? NULL : display;
		if (!err)
			err = copy_str(in->subtier ? in->subtier : "", 0, &sub);
		f[i].subtier = err ? NULL : sub;
		if (!err && strlen(sub) > 31)
			err = -ENAMETOOLONG;
	}
	if (!err)
		err = copy_str(rs->target_key, 1, &target);
	if (!err)
		err = copy_str(rs->runtime ? rs->runtime : p->name, 1, &runtime);
	if (err) {
		bad_arg(p, SVC_ADD_RUNTIME_STACK, err,
			"bad frame (tier, key, name or sub-tier) or target_key");
		goto out;
	}
	c = *rs;
	c.size = sizeof(c);
	c.pid = rs->pid ? rs->pid : h->sf->pid;
	c.target_key = target;
	c.runtime = runtime;
	c.frames = f;
	err = h->sink->add_runtime_stack ? h->sink->add_runtime_stack(h->sink->ctx, p->name, &c)
					 : -ENOTSUP;
	if (!err)
		h->naccepted++;
out:
	free(target);
	free(runtime);
	free_runtime_frames(f, rs->nframes);
	return err;
}

void host_api__init(struct tp_host_api *api)
{
	memset(api, 0, sizeof(*api));
	api->size = sizeof(*api);
	api->abi_minor = TP_PLUGIN_ABI_MINOR;
	api->log = svc_log;
	api->launch_insert_arg = svc_launch_insert_arg;
	api->launch_set_env = svc_launch_set_env;
	api->add_side_file = svc_add_side_file;
	api->emit_event = svc_emit_event;
	api->add_code = svc_add_code;
	api->add_stat = svc_add_stat;
	api->add_runtime_stack = svc_add_runtime_stack;
}
