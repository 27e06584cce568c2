/* The SDK example plugin (plugins/example) through the host API: classify,
 * prepare_launch edits, ingest of a sample log, and the whole record-side
 * round trip with the real toyvm. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plugin_fixture.h"
#include "util/file.h"
#include "util/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

PLUGIN_FIXTURE(TP_EXAMPLE_PLUGIN)

static void test_loaded(void **state)
{
	const struct plugin_status *st;
	char caps[128];

	(void)state;
	assert_int_equal(plugin_host__nr_status(host), 1);
	st = plugin_host__status(host, 0);
	assert_true(st->loaded);
	assert_null(st->reason);
	assert_string_equal(st->name, "toyvm");
	assert_string_equal(plugin_caps__str(st->caps, caps, sizeof(caps)),
			    "detect prepare_launch collect classify ingest");
}

static void test_classify(void **state)
{
	struct tp_frame_info fi = { .size = sizeof(fi), .pid = 1, .dso = "/usr/bin/toyvm" };
	struct tp_classification c;
	const char *who;

	(void)state;
	fi.name = "toy_interp_add";
	assert_int_equal(plugin_host__classify(host, &fi, &c, &who), 1);
	assert_string_equal(who, "toyvm");
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);
	assert_string_equal(c.subtier, "toy-interp");
	assert_string_equal(c.runtime, "toyvm");
	assert_string_equal(c.function_key, "add");

	fi.name = "toy_jit_add"; /* the other tier of the same toy function */
	assert_int_equal(plugin_host__classify(host, &fi, &c, NULL), 1);
	assert_int_equal(c.tier, TP_TIER_OPTIMIZED);
	assert_string_equal(c.subtier, "toy-jit");
	assert_string_equal(c.function_key, "add");
	assert_string_equal(c.display_name, "add");

	fi.name = "toy_interp_loop";
	assert_int_equal(plugin_host__classify(host, &fi, &c, NULL), 1);
	assert_int_equal(c.tier, TP_TIER_INTERPRETER);

	fi.name = "main";
	assert_int_equal(plugin_host__classify(host, &fi, &c, NULL), 0);
	fi.name = NULL;
	assert_int_equal(plugin_host__classify(host, &fi, &c, NULL), 0);
}

static const char *env_of(const struct launch_edit *e, const char *name)
{
	for (size_t i = 0; i < e->nenv; i++) {
		if (!strcmp(e->env[i].name, name))
			return e->env[i].value;
	}
	return NULL;
}

static void test_prepare_launch(void **state)
{
	char *argv[] = { "toyvm", "100", NULL }, *other[] = { "python3", "x.py", NULL };
	struct launch_edit e;

	(void)state;
	assert_int_equal(plugin_host__prepare_launch(host, 2, argv, "/side", 0, &e), 0);
	assert_int_equal(e.argc, 3);
	assert_string_equal(e.argv[0], "toyvm");
	assert_string_equal(e.argv[1], "--log");
	assert_string_equal(e.argv[2], "100");
	assert_null(e.argv[3]);
	assert_int_equal(e.nenv, 1);
	assert_string_equal(env_of(&e, "TOYVM_LOG_DIR"), "/side");
	launch_edit__free(&e);

	/* Observe only: the command stays as typed; the log directory is set. */
	assert_int_equal(plugin_host__prepare_launch(host, 2, argv, "/side", 1, &e), 0);
	assert_int_equal(e.argc, 2);
	assert_string_equal(e.argv[1], "100");
	assert_string_equal(env_of(&e, "TOYVM_LOG_DIR"), "/side");
	launch_edit__free(&e);

	assert_int_equal(plugin_host__prepare_launch(host, 2, other, "/side", 0, &e), 0);
	assert_int_equal(e.argc, 2);
	assert_int_equal(e.nenv, 0);
	launch_edit__free(&e);
}

struct events {
	int n, compiles, deopts;
	uint64_t time[16];
	uint32_t kind[16], tier[16], pid[16];
	char key[16][32], reason[16][32], detail[16][16];
};

static int on_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct events *e = ctx;
	int i = e->n;

	assert_string_equal(plugin, "toyvm");
	e->compiles += ev->kind == TP_EVENT_COMPILE;
	e->deopts += ev->kind == TP_EVENT_DEOPT;
	if (i >= 16)
		return 0;
	e->time[i] = ev->time_ns;
	e->kind[i] = ev->kind;
	e->tier[i] = ev->tier;
	e->pid[i] = ev->pid;
	snprintf(e->key[i], sizeof(e->key[i]), "%s", ev->function_key);
	snprintf(e->reason[i], sizeof(e->reason[i]), "%s", ev->reason ? ev->reason : "");
	snprintf(e->detail[i], sizeof(e->detail[i]), "%s", ev->detail ? ev->detail : "");
	e->n++;
	return 0;
}

static char logbuf[4096];

__attribute__((format(printf, 2, 0))) static void capture(enum tp_log_level level, const char *fmt,
							  va_list ap)
{
	size_t len = strlen(logbuf);

	(void)level;
	vsnprintf(logbuf + len, sizeof(logbuf) - len, fmt, ap);
}

static void test_ingest_sample(void **state)
{
	static const char log[] = "1000 compile toy_jit_add tier=optimized\n"
				  "2000 compile toy_jit_mul tier=optimized\n"
				  "\n"
				  "this is not an event\n"
				  "3000 deopt toy_jit_add reason=type-change\n"
				  "4000 compile toy_jit_add tier=optimized"; /* no final newline */
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = 77,
				   .kind = "toyvm-log",
				   .name = "/side/toyvm-77.log",
				   .data = (const unsigned char *)log,
				   .len = sizeof(log) - 1 };
	struct events e = { 0 };
	struct plugin_sink sink = { .ctx = &e, .emit_event = on_event };

	(void)state;
	logbuf[0] = '\0';
	tp_log_set_sink(capture);
	assert_int_equal(plugin_host__ingest(host, &sf, &sink), 4);
	tp_log_set_sink(NULL);
	assert_non_null(
		strstr(logbuf, "plugin toyvm: /side/toyvm-77.log line 4: not a toyvm event"));

	assert_int_equal(e.n, 4);
	assert_int_equal(e.kind[0], TP_EVENT_COMPILE);
	assert_int_equal(e.time[0], 1000);
	assert_int_equal(e.pid[0], 77);
	assert_int_equal(e.tier[0], TP_TIER_OPTIMIZED);
	assert_string_equal(e.key[0], "add");
	assert_string_equal(e.key[1], "mul");
	assert_int_equal(e.kind[2], TP_EVENT_DEOPT);
	assert_string_equal(e.key[2], "add");
	assert_string_equal(e.reason[2], "type-change");
	assert_string_equal(e.detail[2], "deopt");
	assert_int_equal(e.time[3], 4000);

	sf.kind = "perfmap"; /* not the plugin's */
	assert_int_equal(plugin_host__ingest(host, &sf, &sink), 0);
}

static int add_file(void *ctx, uint32_t pid, const char *path, const char *kind)
{
	char *want = ctx;

	(void)pid;
	assert_string_equal(kind, "toyvm-log");
	assert_string_equal(path, want);
	want[0] = '\0'; /* seen */
	return 0;
}

/* record's part, by hand: prepare the command, run it, collect, ingest. */
static void test_round_trip(void **state)
{
	char dir[] = "/tmp/tp-toyvm-XXXXXX", logpath[256];
	char *argv[] = { TP_TOYVM, "5000000", NULL };
	struct events e = { 0 };
	struct plugin_sink sink = { .ctx = &e, .emit_event = on_event };
	struct tp_side_file sf = { .size = sizeof(sf), .kind = "toyvm-log" };
	struct tp_process proc = { .size = sizeof(proc), .comm = "toyvm", .exe = TP_TOYVM };
	struct launch_edit ed;
	char *data;
	size_t len;
	pid_t pid;
	int status;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(plugin_host__prepare_launch(host, 2, argv, dir, 0, &ed), 0);
	assert_string_equal(ed.argv[1], "--log");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, STDOUT_FILENO);
		for (size_t i = 0; i < ed.nenv; i++)
			setenv(ed.env[i].name, ed.env[i].value, 1);
		execv(ed.argv[0], ed.argv);
		_exit(127);
	}
	launch_edit__free(&ed);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	proc.pid = (uint32_t)pid;
	proc.side_dir = dir;
	snprintf(logpath, sizeof(logpath), "%s/toyvm-%d.log", dir, (int)pid);
	{
		char want[256];

		snprintf(want, sizeof(want), "%s", logpath);
		assert_int_equal(plugin_host__collect(host, &proc, add_file, want), 1);
		assert_string_equal(want, "");
	}

	assert_int_equal(tp_read_file(logpath, &data, &len), 0);
	sf.pid = (uint32_t)pid;
	sf.name = logpath;
	sf.data = (const unsigned char *)data;
	sf.len = len;
	assert_true(plugin_host__ingest(host, &sf, &sink) > 0);
	assert_true(e.deopts >= 1);	    /* the type flips make a deopt loop */
	assert_true(e.compiles > e.deopts); /* each deopt is followed by a recompile */
	assert_int_equal(e.pid[0], (uint32_t)pid);
	free(data);
	unlink(logpath);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaded),	       cmocka_unit_test(test_classify),
		cmocka_unit_test(test_prepare_launch), cmocka_unit_test(test_ingest_sample),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
