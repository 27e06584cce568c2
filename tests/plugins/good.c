/* Fake plugin that does everything right -- and probes the host's guards.
 * It reports the return codes of its probes through the host itself (an
 * environment edit, a side file path, a display name, an event), so the
 * test sees them without reaching into the plugin.
 *   detect          comm "goodvm" -> 80, "weakvm" -> 10
 *   prepare_launch  GOOD_DIR=<side_dir>, "--good" at 1, "--good-last" at argc;
 *                   GOOD_RC=<rc of insert at 0>,<rc of the insert at 1>
 *   collect         "/good/side" (kind good-log); "/good/rc=<rc of a bad kind>"
 *   classify        good_<x> -> baseline "good-sub", display <x>; probes below
 *   ingest          kind good-log: one event, one code range, bad calls; an
 *                   event "rc=..." with their return codes; good-fail: -EIO */
#include <tierprof/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct good {
	const struct tp_host_api *api;
	void *host;
};

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	struct good *g;

	if (!TP_HAS(api, add_code)) {
		snprintf(err, errlen, "host too old");
		return -ENOTSUP;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->api = api;
	g->host = host;
	*state = g;
	/* Services of later callbacks are refused here. */
	if (api->add_code(host, 1, 0x1000, 16, "too-early", 0) != -EPERM) {
		snprintf(err, errlen, "add_code in init was not refused");
		free(g);
		return -EINVAL;
	}
	api->log(host, TP_PLOG_DEBUG, "init done");
	return 0;
}

static void fini(void *state)
{
	free(state);
}

static int detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (!proc->comm)
		return 0;
	if (!strcmp(proc->comm, "goodvm"))
		return 80;
	return !strcmp(proc->comm, "weakvm") ? 10 : 0;
}

static int prepare_launch(void *state, const struct tp_launch *l)
{
	struct good *g = state;
	char rc[64];
	int r0, r1, r2;

	r0 = g->api->launch_insert_arg(g->host, 0, "--never");
	r1 = g->api->launch_insert_arg(g->host, 1, "--good");
	r2 = g->api->launch_insert_arg(g->host, l->argc, "--good-last");
	snprintf(rc, sizeof(rc), "%d,%d,%d", r0, r1, r2);
	g->api->launch_set_env(g->host, "GOOD_RC", rc);
	g->api->launch_set_env(g->host, "GOOD_DIR", l->side_dir ? l->side_dir : "-");
	g->api->launch_set_env(g->host, "GOOD_TWICE", "first");
	g->api->launch_set_env(g->host, "GOOD_TWICE", "second");
	return 0;
}

static int collect(void *state, const struct tp_process *proc)
{
	struct good *g = state;
	char path[64];
	int rc;

	g->api->add_side_file(g->host, proc->pid, "/good/side", "good-log");
	rc = g->api->add_side_file(g->host, proc->pid, "/good/other", "Bad Kind");
	snprintf(path, sizeof(path), "/good/rc=%d", rc);
	g->api->add_side_file(g->host, proc->pid, path, "good-rc");
	return 0;
}

static int classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out)
{
	struct good *g = state;
	const char *x;

	if (!frame->name || strncmp(frame->name, "good_", 5))
		return 0;
	x = frame->name + 5;
	out->tier = TP_TIER_BASELINE;
	snprintf(out->subtier, sizeof(out->subtier), "good-sub");
	if (!strcmp(x, "eperm")) {
		struct tp_event ev = { .size = sizeof(ev),
				       .kind = TP_EVENT_COMPILE,
				       .function_key = "k" };
		int r0 = g->api->add_code(g->host, 1, 0x1000, 16, "x", 0);
		int r1 = g->api->emit_event(g->host, &ev);
		int r2 = g->api->emit_event(NULL, &ev);
		int r3 = g->api->launch_set_env(g->host, "X", "1");
		int r4 = g->api->add_stat ? g->api->add_stat(g->host, 1, "x", 1, NULL) : -ENOSYS;

		snprintf(out->display_name, sizeof(out->display_name), "rc=%d,%d,%d,%d,%d", r0, r1,
			 r2, r3, r4);
	} else if (!strcmp(x, "noterm")) {
		memset(out->subtier, 's', sizeof(out->subtier));
		memset(out->display_name, 'd', sizeof(out->display_name));
		memset(out->function_key, 'k', sizeof(out->function_key));
	} else if (!strcmp(x, "ctrl")) {
		snprintf(out->display_name, sizeof(out->display_name), "a\nb\tc");
		out->flags = TP_FRAME_INLINED | 0x80000000u;
	} else if (strcmp(x, "defaults")) {
		snprintf(out->display_name, sizeof(out->display_name), "%s", x);
		snprintf(out->function_key, sizeof(out->function_key), "key:%s", x);
		snprintf(out->runtime, sizeof(out->runtime), "goodrt");
	}
	return 1;
}

/* ABI 1.2 add_stat: two good figures (one replaced), then every bad call;
 * the return codes travel back as an event's function key. */
static int ingest_stats(struct good *g)
{
	struct tp_event ev = { .size = sizeof(ev), .kind = TP_EVENT_COMPILE };
	char rc[128], longname[80];
	int r[6];

	if (!TP_HAS(g->api, add_stat) || !g->api->add_stat)
		return -ENOTSUP;
	g->api->add_stat(g->host, 0, "loops", 1, NULL);
	g->api->add_stat(g->host, 0, "tracing time", 0.5, "s");
	g->api->add_stat(g->host, 0, "loops", 236, "");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	r[0] = g->api->add_stat(g->host, 0, "", 1, NULL);
	r[1] = g->api->add_stat(g->host, 0, longname, 1, NULL);
	r[2] = g->api->add_stat(g->host, 0, "bad\nname", 1, NULL);
	r[3] = g->api->add_stat(g->host, 0, "nan", 0.0 / 0.0, NULL);
	r[4] = g->api->add_stat(g->host, 0, "unit", 1, "a-unit-far-too-long");
	r[5] = g->api->add_stat(NULL, 0, "x", 1, NULL);
	snprintf(rc, sizeof(rc), "rc=%d,%d,%d,%d,%d,%d", r[0], r[1], r[2], r[3], r[4], r[5]);
	ev.function_key = rc;
	g->api->emit_event(g->host, &ev);
	return 0;
}

static int ingest(void *state, const struct tp_side_file *file)
{
	struct good *g = state;
	struct tp_event ev = { .size = sizeof(ev),
			       .kind = TP_EVENT_COMPILE,
			       .tier = TP_TIER_OPTIMIZED,
			       .time_ns = 7,
			       .function_key = "alpha",
			       .reason = "why",
			       .position = "f.js:1:2" };
	char *longkey, rc[128];
	int r[6];

	if (!file->kind)
		return 0;
	if (!strcmp(file->kind, "good-fail"))
		return -EIO;
	if (!strcmp(file->kind, "good-stats"))
		return ingest_stats(g);
	if (strcmp(file->kind, "good-log"))
		return 0;

	g->api->emit_event(g->host, &ev); /* accepted, pid defaults to the file's */
	ev.kind = 99;
	r[0] = g->api->emit_event(g->host, &ev);
	ev.kind = TP_EVENT_DEOPT;
	ev.function_key = NULL;
	r[1] = g->api->emit_event(g->host, &ev);
	longkey = malloc(TP_PLUGIN_STR_MAX + 2);
	if (!longkey)
		return -ENOMEM;
	memset(longkey, 'x', TP_PLUGIN_STR_MAX + 1);
	longkey[TP_PLUGIN_STR_MAX + 1] = '\0';
	ev.function_key = longkey;
	r[2] = g->api->emit_event(g->host, &ev);
	free(longkey);
	g->api->add_code(g->host, 0, 0x1000, 0x100, "jit\nfn", 5);
	r[3] = g->api->add_code(g->host, 0, 0x1000, 0, "empty", 5);
	r[4] = g->api->add_code(g->host, 0, UINT64_MAX - 1, 16, "wraps", 5);
	r[5] = g->api->launch_insert_arg(g->host, 1, "--late");
	snprintf(rc, sizeof(rc), "rc=%d,%d,%d,%d,%d,%d", r[0], r[1], r[2], r[3], r[4], r[5]);
	ev = (struct tp_event){
		.size = sizeof(ev), .kind = TP_EVENT_DEOPT, .pid = 99, .function_key = rc
	};
	g->api->emit_event(g->host, &ev);
	return 0;
}

static const struct tp_plugin desc = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "good",
	.version = "1.2.3",
	.description = "a fake plugin that does everything right",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST | (1ull << 40),
	.init = init,
	.fini = fini,
	.detect = detect,
	.prepare_launch = prepare_launch,
	.collect = collect,
	.classify = classify,
	.ingest = ingest,
};

TP_PLUGIN_DEFINE(desc)
