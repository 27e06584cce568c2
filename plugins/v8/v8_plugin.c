/* The V8 / Node.js plugin: zero-flag Node profiling.
 *   detect          node (by name, or a script run by node), other V8
 *                   embedders by their builtins' symbols
 *   prepare_launch  perf map + named interpreted frames, and a deopt/code
 *                   log into the private side directory; V8 prints deopt
 *                   traces to stdout under --log-deopt, so code traces are
 *                   redirected there too and the program's output stays its own
 *   collect         every isolate's log of the process (main, workers, forks)
 *   classify        v8_classify.c        ingest   v8_ingest.c
 * It includes only the plugin header, plugins/common (linked in statically)
 * and libc, so it links against nothing of the host. */
#include "plugin_probe.h"
#include "v8_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int v8_init(const struct tp_host_api *api, void *host, void **state, char *err,
		   size_t errlen)
{
	struct v8_state *s;

	if (!TP_HAS(api, add_code) || !api->emit_event) {
		snprintf(err, errlen, "host services table too old (size %u)", api->size);
		return -ENOTSUP;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->api = api;
	s->host = host;
	*state = s;
	return 0;
}

static void v8_fini(void *state)
{
	struct v8_state *s = state;

	for (size_t i = 0; i < s->nprocs; i++) {
		plugin_u64map__free(&s->procs[i].windows);
		plugin_strmap__free(&s->procs[i].sfi_keys);
		free(s->procs[i].win);
	}
	free(s->procs);
	plugin_strmap__free(&s->name_keys);
	free(s);
}

static int is_node_name(const char *name)
{
	return name && (!strcmp(name, "node") || !strcmp(name, "nodejs"));
}

/* A script whose interpreter line runs node (npm, npx, a bin/ script). */
static int is_node_script(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	char *nl;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return strstr(buf, "node") != NULL;
}

static int v8_detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (is_node_name(proc->comm) || is_node_name(plugin_base_name(proc->exe)))
		return 90;
	if (proc->pid == 0 && is_node_script(proc->exe))
		return 80;
	if (plugin_elf_contains(proc->exe, "Builtins_InterpreterEntryTrampoline", (size_t)2 << 30))
		return 60;
	return 0;
}

/* Right after the program name, before the script: a node option. Inserts at
 * one index keep their call order. */
static int insert(struct v8_state *s, const char *arg)
{
	return s->api->launch_insert_arg(s->host, 1, arg);
}

/* NODE_OPTIONS reaches node started by a script, and its children; only
 * these two V8 flags are allowed there. */
static int set_node_options(struct v8_state *s)
{
	static const char flags[] = "--perf-basic-prof --interpreted-frames-native-stack";
	const char *old = getenv("NODE_OPTIONS");
	char buf[4200];

	if (old && strstr(old, flags))
		return 0;
	snprintf(buf, sizeof(buf), "%s%s%s", old ? old : "", old && *old ? " " : "", flags);
	return s->api->launch_set_env(s->host, "NODE_OPTIONS", buf);
}

static int v8_prepare_launch(void *state, const struct tp_launch *l)
{
	struct v8_state *s = state;
	int err = 0;

	if (l->no_runtime_flags)
		return 0;
	if (!is_node_name(plugin_base_name(l->argv[0])) &&
	    !is_node_name(plugin_base_name(l->exe))) {
		if (is_node_script(l->exe))
			return set_node_options(s);
		return 0; /* another embedder: its command line is not node's */
	}
	/* As node options, they are in process.execArgv: child_process.fork()
	 * and cluster pass them on; worker threads share them. */
	err = err ?: insert(s, "--perf-basic-prof");
	err = err ?: insert(s, "--interpreted-frames-native-stack");
	if (l->side_dir) {
		char logfile[4200], traces[4200];

		snprintf(logfile, sizeof(logfile), "--logfile=%s/v8.log", l->side_dir);
		snprintf(traces, sizeof(traces), "--redirect-code-traces-to=%s/v8-code-traces.txt",
			 l->side_dir);
		err = err ?: insert(s, "--log-deopt");
		err = err ?: insert(s, "--log-code");
		err = err ?: insert(s, logfile);
		err = err ?: insert(s, "--redirect-code-traces");
		err = err ?: insert(s, traces);
	}
	return err;
}

/* isolate-0x<isolate>-<pid>-v8.log: one per isolate (main thread, each
 * worker), named by V8 from --logfile. */
static int is_isolate_log_of(const char *name, uint32_t pid)
{
	char tail[40];
	size_t n = strlen(name), t;

	if (strncmp(name, "isolate-", 8))
		return 0;
	t = (size_t)snprintf(tail, sizeof(tail), "-%u-v8.log", pid);
	return n > t && !strcmp(name + n - t, tail);
}

static int v8_collect(void *state, const struct tp_process *proc)
{
	struct v8_state *s = state;
	char path[4200];
	struct dirent *e;
	DIR *d;

	if (!proc->side_dir)
		return 0;
	d = opendir(proc->side_dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!is_isolate_log_of(e->d_name, proc->pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", proc->side_dir, e->d_name);
		s->api->add_side_file(s->host, proc->pid, path, V8_LOG_KIND);
	}
	closedir(d);
	return 0;
}

static const struct tp_plugin v8_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "v8",
	.version = "1.0",
	.description = "V8 / Node.js: Ignition, Sparkplug, Maglev, TurboFan; deopts",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST,
	.init = v8_init,
	.fini = v8_fini,
	.detect = v8_detect,
	.prepare_launch = v8_prepare_launch,
	.collect = v8_collect,
	.classify = v8_classify,
	.ingest = v8_ingest,
};

TP_PLUGIN_DEFINE(v8_plugin);
