/* Plugin host against the fake plugins of tests/plugins: every refusal with
 * its reason, and a host that keeps working around bad plugins (guards on
 * results and services, disabling after repeated failures). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "plugin/host.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAKE(x) TP_FAKE_PLUGIN_DIR "/" x ".so"

/* --- log capture --- */

static char logbuf[1 << 16];
static size_t loglen;

__attribute__((format(printf, 2, 0))) static void capture(enum tp_log_level level, const char *fmt,
							  va_list ap)
{
	int n;

	if (loglen >= sizeof(logbuf) - 2)
		return;
	n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%d:", (int)level);
	loglen += (size_t)n;
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen - 1, fmt, ap);
	loglen += (size_t)n < sizeof(logbuf) - loglen - 1 ? (size_t)n : sizeof(logbuf) - loglen - 1;
	logbuf[loglen++] = '\n';
	logbuf[loglen] = '\0';
}

static int count(const char *needle)
{
	int n = 0;

	for (const char *p = logbuf; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int setup(void **state)
{
	(void)state;
	loglen = 0;
	logbuf[0] = '\0';
	unsetenv("TIERPROF_PLUGIN_PATH");
	tp_log_set_sink(capture);
	tp_log_set_level(TP_LOG_WARN);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tp_log_set_sink(NULL);
	return 0;
}

/* --- helpers --- */

static struct plugin_host *host_of(char *const *paths, size_t n)
{
	struct plugin_host_opts o = { .extra = paths, .nextra = n, .no_builtin = 1 };
	struct plugin_host *h = NULL;

	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_non_null(h);
	return h;
}

static const struct plugin_status *status_of(const struct plugin_host *h, const char *path)
{
	for (size_t i = 0; i < plugin_host__nr_status(h); i++) {
		const struct plugin_status *st = plugin_host__status(h, i);

		if (!strcmp(st->path, path))
			return st;
	}
	fail_msg("no status for %s", path);
	return NULL;
}

static void want_refused(const struct plugin_host *h, const char *path, const char *why)
{
	const struct plugin_status *st = status_of(h, path);

	assert_false(st->loaded);
	assert_non_null(st->reason);
	if (!strstr(st->reason, why))
		fail_msg("%s: reason '%s' lacks '%s'", path, st->reason, why);
}

static int classify(struct plugin_host *h, const char *name, struct tp_classification *c,
		    const char **plugin)
{
	struct tp_frame_info fi = {
		.size = sizeof(fi), .pid = 1, .addr = 0x1000, .name = name, .dso = "//anon"
	};
	int ret = plugin_host__classify(h, &fi, c, plugin);

	assert_true(ret == 0 || ret == 1);
	assert_true(c->tier < TP_TIER__COUNT); /* never out of range, whatever plugins do */
	assert_int_equal(c->size, sizeof(*c));
	return ret;
}

/* --- loading and refusals --- */

static void test_refusals(void **state)
{
	char dir[] = "/tmp/tp-plugin-XXXXXX", junk[PATH_MAX];
	char *paths[] = { FAKE("good"),
			  FAKE("no_entry"),
			  FAKE("null_desc"),
			  FAKE("abi_v2"),
			  FAKE("wrong_major"),
			  FAKE("short_desc"),
			  FAKE("cap_no_cb"),
			  FAKE("null_name"),
			  FAKE("init_fails"),
			  FAKE("dup_a"),
			  FAKE("dup_b"),
			  "/nonexistent/x.so",
			  junk };
	const struct plugin_status *st;
	struct tp_classification c;
	struct plugin_host *h;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(junk, sizeof(junk), "%s/junk.so", dir);
	f = fopen(junk, "w");
	assert_non_null(f);
	fputs("not an ELF file\n", f);
	fclose(f);

	h = host_of(paths, sizeof(paths) / sizeof(paths[0]));
	assert_int_equal(plugin_host__nr_status(h), sizeof(paths) / sizeof(paths[0]));

	st = status_of(h, FAKE("good"));
	assert_true(st->loaded);
	assert_null(st->reason);
	assert_string_equal(st->name, "good");
	assert_string_equal(st->version, "1.2.3");
	assert_string_equal(st->origin, "--plugin");
	assert_int_equal(st->abi_major, 1);
	assert_int_equal(st->abi_minor, TP_PLUGIN_ABI_MINOR);
	assert_true(st->caps & (1ull << 40)); /* as announced */

	want_refused(h, FAKE("no_entry"), "no tp_plugin_entry_v1 symbol");
	want_refused(h, FAKE("null_desc"), "the entry point returned NULL");
	want_refused(h, FAKE("abi_v2"),
		     "exports tp_plugin_entry_v2, not tp_plugin_entry_v1: "
		     "built for plugin ABI 2; this tierprof speaks ABI 1");
	want_refused(h, FAKE("wrong_major"),
		     "built for plugin ABI 2.3; this tierprof speaks ABI 1.3");
	want_refused(h, FAKE("short_desc"), "smaller than ABI 1.0");
	want_refused(h, FAKE("cap_no_cb"), "announces capability classify but classify is NULL");
	want_refused(h, FAKE("null_name"), "no name (name is NULL)");
	want_refused(h, FAKE("init_fails"), "init failed (-2): no licence for this runtime");
	assert_true(status_of(h, FAKE("dup_a"))->loaded);
	want_refused(h, FAKE("dup_b"), "duplicate name 'dup' (already loaded from " FAKE("dup_a"));
	want_refused(h, "/nonexistent/x.so", "cannot access it: No such file or directory");
	want_refused(h, junk, "cannot load it:");
	assert_null(status_of(h, FAKE("wrong_major"))->name); /* unreadable at ABI 2 */
	assert_int_equal(status_of(h, FAKE("wrong_major"))->abi_major, 2);

	/* One warning per refusal, naming the file. */
	assert_int_equal(count("refused"), 11);
	assert_int_equal(count(FAKE("cap_no_cb") " refused"), 1);

	/* The host works on with what loaded. */
	assert_int_equal(classify(h, "good_alpha", &c, NULL), 1);
	assert_string_equal(c.display_name, "alpha");
	plugin_host__delete(h);
	unlink(junk);
	rmdir(dir);
}

static void test_dir_scan(void **state)
{
	struct plugin_host_opts o = { .builtin_dir = TP_FAKE_PLUGIN_DIR };
	char dir[] = "/tmp/tp-plugin-XXXXXX", p[PATH_MAX];
	struct plugin_host *h;

	(void)state;
	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_string_equal(plugin_host__builtin_dir(h), TP_FAKE_PLUGIN_DIR);
	assert_int_equal(plugin_host__nr_status(h),
			 17); /* the fakes of tests/plugins, dup_a and dup_b */
	for (size_t i = 1; i < plugin_host__nr_status(h); i++)
		assert_true(strcmp(plugin_host__status(h, i - 1)->path,
				   plugin_host__status(h, i)->path) < 0);
	assert_string_equal(plugin_host__status(h, 0)->origin, "builtin");
	assert_true(status_of(h, FAKE("dup_a"))->loaded); /* sorted: a before b */
	want_refused(h, FAKE("dup_b"), "duplicate name 'dup'");
	assert_null(plugin_host__status(h, plugin_host__nr_status(h)));
	plugin_host__delete(h);

	/* Only *.so regular files count; dot files and directories do not. */
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/good.so", dir);
	assert_int_equal(symlink(FAKE("good"), p), 0);
	snprintf(p, sizeof(p), "%s/.hidden.so", dir);
	assert_int_equal(symlink(FAKE("dup_a"), p), 0);
	snprintf(p, sizeof(p), "%s/good.so.txt", dir);
	assert_int_equal(symlink(FAKE("dup_a"), p), 0);
	snprintf(p, sizeof(p), "%s/sub.so", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	o.builtin_dir = dir;
	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_int_equal(plugin_host__nr_status(h), 1);
	assert_string_equal(plugin_host__status(h, 0)->name, "good");
	plugin_host__delete(h);

	/* A missing built-in directory is no error, and no warning. */
	o.builtin_dir = "/nonexistent/plugins";
	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_int_equal(plugin_host__nr_status(h), 0);
	plugin_host__delete(h);
	assert_int_equal(count("nonexistent"), 0);

	rmdir(p);
	snprintf(p, sizeof(p), "%s/good.so", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/.hidden.so", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/good.so.txt", dir);
	unlink(p);
	rmdir(dir);
}

static void test_default_builtin_dir(void **state)
{
	struct plugin_host_opts o = { 0 };
	struct plugin_host *h;

	(void)state;
	/* This test runs from the build tree, so the build tree's plugins. */
	assert_int_equal(plugin_host__new(&o, &h), 0);
	assert_string_equal(plugin_host__builtin_dir(h), TP_PLUGIN_BUILD_DIR);
	plugin_host__delete(h);
	assert_int_equal(plugin_host__new(NULL, &h), 0);
	plugin_host__delete(h);
	assert_int_equal(plugin_host__new(&o, NULL), -EINVAL);
}

static void test_env_path(void **state)
{
	char *extra[] = { FAKE("good") };
	struct plugin_host *h;

	(void)state;
	setenv("TIERPROF_PLUGIN_PATH",
	       "::" FAKE("dup_a") ":/nonexistent/y.so:" FAKE("bad_tier") ":", 1);
	h = host_of(extra, 1);
	assert_int_equal(plugin_host__nr_status(h), 4);
	assert_string_equal(plugin_host__status(h, 0)->path, FAKE("dup_a"));
	assert_string_equal(plugin_host__status(h, 0)->origin, "TIERPROF_PLUGIN_PATH");
	want_refused(h, "/nonexistent/y.so", "cannot access it");
	assert_string_equal(plugin_host__status(h, 2)->name, "badtier");
	assert_string_equal(plugin_host__status(h, 3)->origin, "--plugin"); /* after the env */
	plugin_host__delete(h);

	/* The same file twice is one plugin. */
	setenv("TIERPROF_PLUGIN_PATH", FAKE("good"), 1);
	h = host_of(extra, 1);
	assert_int_equal(plugin_host__nr_status(h), 2);
	assert_true(plugin_host__status(h, 0)->loaded);
	assert_false(plugin_host__status(h, 1)->loaded);
	assert_non_null(strstr(plugin_host__status(h, 1)->reason,
			       "duplicate name 'good' (already loaded from " FAKE("good") ")"));
	plugin_host__delete(h);
	unsetenv("TIERPROF_PLUGIN_PATH");
}

static void test_relative_path(void **state)
{
	char cwd[PATH_MAX];
	char *rel[] = { "good.so", "libc.so.6" };
	struct plugin_host *h;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(TP_FAKE_PLUGIN_DIR), 0);
	h = host_of(rel, 2);
	assert_true(plugin_host__status(h, 0)->loaded);
	/* A bare name is a file here, never a search of the library path. */
	want_refused(h, "libc.so.6", "cannot access it");
	plugin_host__delete(h);
	assert_int_equal(chdir(cwd), 0);
}

/* --- guards on results --- */

static void test_classify_results(void **state)
{
	char *paths[] = { FAKE("bad_tier"), FAKE("good") };
	struct plugin_host *h = host_of(paths, 2);
	struct tp_frame_info fi = { .size = sizeof(fi) };
	struct tp_classification c;
	const char *who;

	(void)state;
	assert_int_equal(classify(h, "good_alpha", &c, &who), 1);
	assert_string_equal(who, "good");
	assert_int_equal(c.tier, TP_TIER_BASELINE);
	assert_string_equal(c.subtier, "good-sub");
	assert_string_equal(c.display_name, "alpha");
	assert_string_equal(c.function_key, "key:alpha");
	assert_string_equal(c.runtime, "goodrt");

	/* Empty fields get the defaults: plugin name, symbol name, display name. */
	assert_int_equal(classify(h, "good_defaults", &c, NULL), 1);
	assert_string_equal(c.runtime, "good");
	assert_string_equal(c.display_name, "good_defaults");
	assert_string_equal(c.function_key, "good_defaults");

	/* Unterminated buffers are cut, control characters replaced, unknown flags cleared. */
	assert_int_equal(classify(h, "good_noterm", &c, NULL), 1);
	assert_int_equal(strlen(c.subtier), sizeof(c.subtier) - 1);
	assert_int_equal(strlen(c.display_name), sizeof(c.display_name) - 1);
	assert_int_equal(strlen(c.function_key), sizeof(c.function_key) - 1);
	assert_int_equal(classify(h, "good_ctrl", &c, NULL), 1);
	assert_string_equal(c.display_name, "a?b?c");
	assert_int_equal(c.flags, TP_FRAME_INLINED);

	/* Nobody's frame: 0, a clean result. */
	assert_int_equal(classify(h, "main", &c, &who), 0);
	assert_null(who);
	assert_string_equal(c.display_name, "");
	assert_int_equal(plugin_host__classify(h, &fi, &c, NULL), 0);

	/* Out-of-range tiers (and a result of 2) never come out: the next plugin
	 * is asked instead, and it declines bt_* frames. */
	assert_int_equal(classify(h, "bt_two", &c, NULL), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(classify(h, "bt_x", &c, NULL), 0);
	assert_int_equal(classify(h, "bt_valid", &c, &who), 1); /* a success resets the run */
	assert_string_equal(who, "badtier");
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);
	for (int i = 0; i < 7; i++)
		assert_int_equal(classify(h, "bt_x", &c, NULL), 0);
	assert_false(status_of(h, FAKE("bad_tier"))->disabled);
	assert_int_equal(classify(h, "bt_x", &c, NULL), 0); /* 8 in a row */
	assert_true(status_of(h, FAKE("bad_tier"))->disabled);
	assert_non_null(strstr(status_of(h, FAKE("bad_tier"))->reason,
			       "disabled after 8 failures in a row (last: classify returned tier"));
	assert_int_equal(count("plugin badtier (" FAKE("bad_tier") "): disabled"), 1);
	assert_int_equal(classify(h, "bt_valid", &c, NULL), 0); /* no longer asked */
	assert_int_equal(classify(h, "good_beta", &c, NULL), 1);
	assert_int_equal(count("disabled"), 1);
	plugin_host__delete(h);
}

static void test_always_failing(void **state)
{
	char *paths[] = { FAKE("always_fails"), FAKE("good") };
	struct plugin_host *h = host_of(paths, 2);
	struct tp_side_file sf = { .size = sizeof(sf), .pid = 1, .kind = "x" };
	struct plugin_sink sink = { 0 };
	struct tp_classification c;
	const char *who;

	(void)state;
	for (int i = 0; i < 3; i++)
		plugin_host__ingest(h, &sf, &sink);
	for (int i = 0; i < 20; i++)
		classify(h, "x", &c, NULL);
	assert_true(status_of(h, FAKE("always_fails"))->disabled);
	assert_non_null(strstr(status_of(h, FAKE("always_fails"))->reason, "8 failures in a row"));
	assert_int_equal(count("disabled"), 1);
	assert_int_equal(classify(h, "good_a", &c, &who), 1);
	assert_string_equal(who, "good");
	plugin_host__delete(h);
}

static void test_total_failures(void **state)
{
	char *paths[] = { FAKE("always_fails") };
	struct plugin_host *h = host_of(paths, 1);
	struct tp_classification c;
	int fails = 0;

	(void)state;
	/* 7 failures, 1 success: never 8 in a row, but 100 in all. */
	while (!status_of(h, FAKE("always_fails"))->disabled && fails < 1000) {
		for (int i = 0; i < 7 && !status_of(h, FAKE("always_fails"))->disabled; i++) {
			classify(h, "x", &c, NULL);
			fails++;
		}
		classify(h, "ok", &c, NULL);
	}
	assert_int_equal(fails, 100);
	assert_non_null(strstr(status_of(h, FAKE("always_fails"))->reason,
			       "disabled after 100 failures (last: classify returned -5)"));
	plugin_host__delete(h);
}

/* --- host services --- */

static void test_services_outside_callbacks(void **state)
{
	char *paths[] = { FAKE("good") };
	struct plugin_host *h = host_of(paths, 1);
	struct tp_classification c;
	char want[64];

	(void)state;
	/* good's init checked that add_code is refused there (else init fails). */
	assert_true(status_of(h, FAKE("good"))->loaded);
	assert_int_equal(classify(h, "good_eperm", &c, NULL), 1);
	snprintf(want, sizeof(want), "rc=%d,%d,%d,%d,%d", -EPERM, -EPERM, -EPERM, -EPERM, -EPERM);
	assert_string_equal(c.display_name, want);
	assert_int_equal(count("called add_code outside ingest"), 1);
	assert_int_equal(count("called emit_event outside ingest"), 1);
	assert_int_equal(count("called launch_set_env outside prepare_launch"), 1);
	assert_int_equal(count("called add_stat outside ingest"), 1);
	/* Logged once per plugin and service. */
	assert_int_equal(classify(h, "good_eperm", &c, NULL), 1);
	assert_int_equal(count("outside"), 4);
	plugin_host__delete(h);
}

struct got {
	int nevents, ncode, fail_with, nstats;
	char stat_names[4][64], stat_units[4][16];
	double stat_values[4];
	uint32_t stat_pids[4];
	struct tp_event ev[8];
	char keys[8][128], reasons[8][32], positions[8][32];
	uint32_t code_pid;
	uint64_t code_start, code_len, code_time;
	char code_name[32], plugin[32];
};

static int sink_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct got *g = ctx;
	int i = g->nevents;

	if (g->fail_with)
		return g->fail_with;
	assert_true(i < 8);
	assert_int_equal(ev->size, sizeof(*ev));
	g->ev[i] = *ev;
	snprintf(g->keys[i], sizeof(g->keys[i]), "%s", ev->function_key);
	snprintf(g->reasons[i], sizeof(g->reasons[i]), "%s", ev->reason ? ev->reason : "(null)");
	snprintf(g->positions[i], sizeof(g->positions[i]), "%s",
		 ev->position ? ev->position : "(null)");
	snprintf(g->plugin, sizeof(g->plugin), "%s", plugin);
	g->nevents++;
	return 0;
}

static int sink_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
		     const char *name, uint64_t time_ns)
{
	struct got *g = ctx;

	(void)plugin;
	if (g->fail_with)
		return g->fail_with;
	g->ncode++;
	g->code_pid = pid;
	g->code_start = start;
	g->code_len = len;
	g->code_time = time_ns;
	snprintf(g->code_name, sizeof(g->code_name), "%s", name);
	return 0;
}

static int sink_stat(void *ctx, const char *plugin, uint32_t pid, const char *name, double value,
		     const char *unit)
{
	struct got *g = ctx;
	int i = g->nstats;

	(void)plugin;
	assert_true(i < 4);
	g->stat_pids[i] = pid;
	snprintf(g->stat_names[i], sizeof(g->stat_names[i]), "%s", name);
	snprintf(g->stat_units[i], sizeof(g->stat_units[i]), "%s", unit);
	g->stat_values[i] = value;
	g->nstats++;
	return 0;
}

/* ABI 1.2 add_stat: forwarded to the sink with the side file's pid, every
 * bad argument refused before it; a sink without add_stat: -ENOTSUP. */
static void test_ingest_stats(void **state)
{
	char *paths[] = { FAKE("good") };
	struct plugin_host *h = host_of(paths, 1);
	struct got g = { 0 };
	struct plugin_sink sink = { .ctx = &g, .emit_event = sink_event, .add_stat = sink_stat };
	struct tp_side_file sf = {
		.size = sizeof(sf), .pid = 42, .kind = "good-stats", .name = "/good/stats"
	};
	char want[128];

	(void)state;
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 4);
	assert_int_equal(g.nstats, 3);
	assert_int_equal(g.stat_pids[0], 42);
	assert_string_equal(g.stat_names[0], "loops");
	assert_string_equal(g.stat_units[0], ""); /* NULL unit */
	assert_string_equal(g.stat_names[1], "tracing time");
	assert_string_equal(g.stat_units[1], "s");
	assert_true(g.stat_values[1] == 0.5);
	assert_true(g.stat_values[2] == 236);
	assert_int_equal(g.nevents, 1);
	snprintf(want, sizeof(want), "rc=%d,%d,%d,%d,%d,%d", -EINVAL, -EINVAL, -EINVAL, -EINVAL,
		 -EINVAL, -EPERM);
	assert_string_equal(g.keys[0], want);
	assert_int_equal(count("add_stat: name must be"), 1); /* warned once */

	g = (struct got){ 0 };
	sink.add_stat = NULL;
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 1); /* the event only */
	assert_int_equal(g.nstats, 0);
	plugin_host__delete(h);
}

static void test_ingest(void **state)
{
	char *paths[] = { FAKE("good") };
	struct plugin_host *h = host_of(paths, 1);
	struct got g = { 0 };
	struct plugin_sink sink = { .ctx = &g, .emit_event = sink_event, .add_code = sink_code };
	struct tp_side_file sf = {
		.size = sizeof(sf), .pid = 42, .kind = "good-log", .name = "/good/side"
	};
	char want[128];

	(void)state;
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 3);
	assert_int_equal(g.nevents, 2);
	assert_string_equal(g.plugin, "good");
	assert_string_equal(g.keys[0], "alpha");
	assert_int_equal(g.ev[0].kind, TP_EVENT_COMPILE);
	assert_int_equal(g.ev[0].pid, 42); /* 0 = the side file's */
	assert_int_equal(g.ev[0].tier, TP_TIER_OPTIMIZED);
	assert_int_equal(g.ev[0].time_ns, 7);
	assert_string_equal(g.reasons[0], "why");
	assert_string_equal(g.positions[0], "f.js:1:2");
	assert_null(g.ev[0].detail);
	assert_int_equal(g.ncode, 1);
	assert_int_equal(g.code_pid, 42);
	assert_int_equal(g.code_start, 0x1000);
	assert_int_equal(g.code_len, 0x100);
	assert_int_equal(g.code_time, 5);
	assert_string_equal(g.code_name, "jit?fn");
	/* What the plugin's bad calls got back. */
	snprintf(want, sizeof(want), "rc=%d,%d,%d,%d,%d,%d", -EINVAL, -EINVAL, -ENAMETOOLONG,
		 -EINVAL, -EINVAL, -EPERM);
	assert_string_equal(g.keys[1], want);
	assert_int_equal(g.ev[1].pid, 99);

	/* Other kinds are declined; the sink's errors go back to the plugin. */
	sf.kind = "other";
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 0);
	sf.kind = "good-log";
	g.fail_with = -ENOSPC;
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 0);
	sink = (struct plugin_sink){ 0 }; /* no callbacks at all: -ENOTSUP, no crash */
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 0);
	sf.kind = "good-fail";
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 0);
	assert_int_equal(plugin_host__ingest(h, NULL, &sink), -EINVAL);
	plugin_host__delete(h);
}

static const char *env_of(const struct launch_edit *e, const char *name)
{
	for (size_t i = 0; i < e->nenv; i++) {
		if (!strcmp(e->env[i].name, name))
			return e->env[i].value;
	}
	return NULL;
}

static void want_argv(const struct launch_edit *e, const char *const *want)
{
	int n = 0;

	while (want[n])
		n++;
	assert_int_equal(e->argc, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(e->argv[i], want[i]);
	assert_null(e->argv[n]);
}

static void test_prepare_launch(void **state)
{
	char *paths[] = { FAKE("good"), FAKE("bad_launch"), FAKE("always_fails") };
	struct plugin_host *h = host_of(paths, 3);
	char *argv[] = { "/opt/vm/goodvm", "a", "b", NULL };
	char *weak[] = { "weakvm", NULL }, *over[] = { "overvm", NULL }, *nul[] = { NULL };
	struct launch_edit e;
	char rc[64];

	(void)state;
	assert_int_equal(plugin_host__prepare_launch(h, 3, argv, "/side", 0, &e), 0);
	want_argv(&e,
		  (const char *[]){ "/opt/vm/goodvm", "--good", "a", "b", "--good-last", NULL });
	snprintf(rc, sizeof(rc), "%d,0,0", -EINVAL);
	assert_string_equal(env_of(&e, "GOOD_RC"), rc);
	assert_string_equal(env_of(&e, "GOOD_DIR"), "/side");
	assert_string_equal(env_of(&e, "GOOD_TWICE"), "second"); /* last wins, once */
	assert_null(env_of(&e, "BAD_LAUNCH"));			 /* dropped with its plugin */
	assert_int_equal(e.nenv, 3);
	assert_int_equal(count("plugin badlaunch: prepare_launch failed (-5)"), 1);
	launch_edit__free(&e);
	launch_edit__free(&e); /* idempotent */

	/* No runtime flags: arguments refused, environment allowed. */
	assert_int_equal(plugin_host__prepare_launch(h, 3, argv, "/side", 1, &e), 0);
	want_argv(&e, (const char *[]){ "/opt/vm/goodvm", "a", "b", NULL });
	snprintf(rc, sizeof(rc), "%d,%d,%d", -EPERM, -EPERM, -EPERM);
	assert_string_equal(env_of(&e, "GOOD_RC"), rc);
	launch_edit__free(&e);

	/* Below the threshold: the command as it was. */
	assert_int_equal(plugin_host__prepare_launch(h, 1, weak, NULL, 0, &e), 0);
	want_argv(&e, (const char *[]){ "weakvm", NULL });
	assert_int_equal(e.nenv, 0);
	launch_edit__free(&e);
	assert_int_equal(plugin_host__prepare_launch(h, 1, over, NULL, 0, &e), 0); /* score 150 */
	want_argv(&e, (const char *[]){ "overvm", NULL });
	launch_edit__free(&e);

	assert_int_equal(plugin_host__prepare_launch(h, 0, argv, NULL, 0, &e), -EINVAL);
	assert_int_equal(plugin_host__prepare_launch(h, 1, nul, NULL, 0, &e), -EINVAL);
	assert_null(e.argv);
	plugin_host__delete(h);
}

struct added {
	int n;
	uint32_t pid[4];
	char path[4][64], kind[4][32];
};

static int add_file(void *ctx, uint32_t pid, const char *path, const char *kind)
{
	struct added *a = ctx;

	assert_true(a->n < 4);
	a->pid[a->n] = pid;
	snprintf(a->path[a->n], sizeof(a->path[0]), "%s", path);
	snprintf(a->kind[a->n], sizeof(a->kind[0]), "%s", kind);
	a->n++;
	return 0;
}

static void test_collect_and_detect(void **state)
{
	char *paths[] = { FAKE("good"), FAKE("always_fails") };
	struct plugin_host *h = host_of(paths, 2);
	struct tp_process other = { .size = sizeof(other), .pid = 7, .comm = "other" };
	struct tp_process vm = { .size = sizeof(vm), .pid = 8, .comm = "goodvm" };
	char *argv[] = { "goodvm", NULL };
	struct launch_edit e;
	struct added a = { 0 };
	const char *who;
	char want[32];

	(void)state;
	assert_int_equal(plugin_host__detect(h, &vm, &who), 80);
	assert_string_equal(who, "good");
	assert_int_equal(plugin_host__detect(h, &other, &who), 0);
	assert_null(who);

	/* Not detected, not launched: no collect. */
	assert_int_equal(plugin_host__collect(h, &other, add_file, &a), 0);
	assert_int_equal(a.n, 0);
	assert_int_equal(plugin_host__collect(h, &vm, add_file, &a), 2);
	assert_int_equal(a.pid[0], 8);
	assert_string_equal(a.path[0], "/good/side");
	assert_string_equal(a.kind[0], "good-log");
	snprintf(want, sizeof(want), "/good/rc=%d", -EINVAL); /* "Bad Kind" refused */
	assert_string_equal(a.path[1], want);

	/* A plugin that detected the launched command collects for any process. */
	assert_int_equal(plugin_host__prepare_launch(h, 1, argv, "/side", 0, &e), 0);
	launch_edit__free(&e);
	a.n = 0;
	assert_int_equal(plugin_host__collect(h, &other, add_file, &a), 2);
	assert_int_equal(a.pid[0], 7);
	assert_int_equal(plugin_host__collect(h, &other, NULL, NULL), -EINVAL);
	plugin_host__delete(h);
}

static void test_no_plugins(void **state)
{
	struct plugin_host *h = host_of(NULL, 0);
	struct tp_side_file sf = { .size = sizeof(sf), .kind = "x" };
	struct plugin_sink sink = { 0 };
	struct tp_classification c;
	char *argv[] = { "prog", "x", NULL };
	struct launch_edit e;

	(void)state;
	assert_int_equal(plugin_host__nr_status(h), 0);
	assert_null(plugin_host__builtin_dir(h));
	assert_int_equal(classify(h, "f", &c, NULL), 0);
	assert_int_equal(plugin_host__ingest(h, &sf, &sink), 0);
	assert_int_equal(plugin_host__prepare_launch(h, 2, argv, NULL, 0, &e), 0);
	want_argv(&e, (const char *[]){ "prog", "x", NULL });
	launch_edit__free(&e);
	plugin_host__delete(h);
	plugin_host__delete(NULL);
}

/* tierprof plugins: the table on stdout, exit 0 even with refusals. */
static void test_cmd_plugins(void **state)
{
	char *argv[] = { "plugins",  "--no-builtin-plugins", "--plugin", FAKE("good"),
			 "--plugin", FAKE("no_entry"),	     NULL };
	char *bad[] = { "plugins", "--bogus", NULL }, *help[] = { "plugins", "--help", NULL };
	char path[] = "/tmp/tp-plugins-out-XXXXXX", *out;
	int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
	size_t len;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	assert_int_equal(cmd_plugins(6, argv), TP_EXIT_OK);
	assert_int_equal(cmd_plugins(2, help), TP_EXIT_OK);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	assert_int_equal(tp_read_file(path, &out, &len), 0);
	assert_non_null(strstr(out, "built-in plugin directory: (skipped)"));
	assert_non_null(strstr(out, "good  1.2.3    1.3   loaded    detect prepare_launch collect "
				    "classify ingest 0x10000000000"));
	assert_non_null(strstr(out, "refused"));
	assert_non_null(strstr(out, "reason: no tp_plugin_entry_v1 symbol"));
	assert_non_null(strstr(out, "usage: tierprof plugins"));
	assert_int_equal(count("refused"), 0); /* the table says it: no warnings on top */
	free(out);
	unlink(path);
	assert_int_equal(cmd_plugins(2, bad), TP_EXIT_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_builtin_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_always_failing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_total_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_services_outside_callbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_launch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_and_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_plugins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmd_plugins, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
