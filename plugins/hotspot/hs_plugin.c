/* The HotSpot / JVM plugin: zero-flag Java profiling (FORMATS.md section 2,
 * docs/runtimes/hotspot.md).
 *   detect          the java launcher by name; libjvm.so among a recorded
 *                   process's mappings (its exe is then anything embedding it)
 *   prepare_launch  by TIERPROF_HOTSPOT_MODE (default full):
 *                   -XX:+PreserveFramePointer (interpreted callers stay on the
 *                   stack), an exit perf map, and into the private side
 *                   directory a LogCompilation XML (nmethod addresses with
 *                   tiers and times, traps, dependency failures) and a
 *                   PrintCompilation log through unified logging whose
 *                   decorations give the clock; nothing reaches the
 *                   program's stdout or stderr
 *                   and, in modes full and light, tierprof's JVMTI agent
 *                   (agent/), which writes the Method* of every loaded
 *                   method at exit
 *   collect         those files of each JVM the command started
 *   classify        hs_classify.c        ingest   hs_ingest.c
 *   refine          hs_interp.c: interpreted frames named by their Method*
 * It includes only the plugin header and libc, as every plugin should. */
#include "plugin_probe.h"
#include "hs_state.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODE_ENV "TIERPROF_HOTSPOT_MODE"

/* The JVMTI agent is installed beside the plugin, in HS_AGENT_SUBDIR/, in
 * the build tree as in an install. */
static void find_agent(struct hs_state *s)
{
	Dl_info info;
	char path[4096], *slash;
	struct stat st;

	s->agent[0] = '\0';
	if (!dladdr((void *)find_agent, &info) || !info.dli_fname)
		return;
	snprintf(path, sizeof(path), "%s", info.dli_fname);
	slash = strrchr(path, '/');
	if (!slash)
		return;
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), "%s/%s", HS_AGENT_SUBDIR,
		 HS_AGENT_FILE);
	/* The JVM's option parser splits -agentpath at '=': no '=' in the path. */
	if (stat(path, &st) || !S_ISREG(st.st_mode) || strchr(path, '='))
		return;
	snprintf(s->agent, sizeof(s->agent), "%s", path);
}

static int hs_init(const struct tp_host_api *api, void *host, void **state, char *err,
		   size_t errlen)
{
	struct hs_state *s;

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
	find_agent(s);
	*state = s;
	return 0;
}

static void hs_fini(void *state)
{
	struct hs_state *s = state;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct hs_proc *p = &s->procs[i];

		for (size_t k = 0; k < p->ncodes; k++)
			free(p->codes[k].key);
		free(p->codes);
		for (size_t k = 0; k < p->nmethods; k++)
			free(p->methods[k].key);
		free(p->methods);
		plugin_u64map__free(&p->by_id);
		plugin_strmap__free(&p->top);
	}
	free(s->procs);
	plugin_strmap__free(&s->short_keys);
	free(s);
}

struct hs_proc *hs_state__proc(struct hs_state *s, uint32_t pid, int create)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	}
	if (!create)
		return NULL;
	if (s->nprocs == s->procs_cap) {
		size_t cap = s->procs_cap ? s->procs_cap * 2 : 4;
		struct hs_proc *p = realloc(s->procs, cap * sizeof(*p));

		if (!p)
			return NULL;
		s->procs = p;
		s->procs_cap = cap;
	}
	memset(&s->procs[s->nprocs], 0, sizeof(s->procs[0]));
	s->procs[s->nprocs].pid = pid;
	return &s->procs[s->nprocs++];
}

static int is_java_name(const char *name)
{
	return name && !strcmp(name, "java");
}

static int hs_detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (is_java_name(proc->comm) || is_java_name(plugin_base_name(proc->exe)))
		return 90;
	if (plugin_maps_lib(proc->pid, "libjvm.so"))
		return 80;
	return 0;
}

static enum hs_mode mode_from_env(struct hs_state *s)
{
	const char *m = getenv(MODE_ENV);

	if (!m || !*m || !strcmp(m, "full"))
		return HS_MODE_FULL;
	if (!strcmp(m, "light"))
		return HS_MODE_LIGHT;
	if (!strcmp(m, "map"))
		return HS_MODE_MAP;
	if (!strcmp(m, "off"))
		return HS_MODE_OFF;
	s->api->log(s->host, TP_PLOG_WARN,
		    "%s=%s: unknown mode (full, light, map, off); using full", MODE_ENV, m);
	return HS_MODE_FULL;
}

/* Right after the launcher's name: JVM options come before the main class. */
static int insert(struct hs_state *s, const char *arg)
{
	return s->api->launch_insert_arg(s->host, 1, arg);
}

static int hs_prepare_launch(void *state, const struct tp_launch *l)
{
	struct hs_state *s = state;
	enum hs_mode mode = mode_from_env(s);
	char buf[4400];
	int err = 0;

	if (l->no_runtime_flags || mode == HS_MODE_OFF)
		return 0;
	if (!is_java_name(plugin_base_name(l->argv[0])) && !is_java_name(plugin_base_name(l->exe)))
		return 0; /* another launcher: its command line is not java's */
	/* Without it, the frame-pointer chain skips every interpreted caller
	 * (FORMATS.md 2.5). */
	err = err ?: insert(s, "-XX:+PreserveFramePointer");
	err = err ?: insert(s, "-XX:+UnlockDiagnosticVMOptions");
	err = err ?: insert(s, "-XX:+DumpPerfMapAtExit");
	if (!l->side_dir || mode == HS_MODE_MAP)
		return err;
	if (mode == HS_MODE_FULL) {
		err = err ?: insert(s, "-XX:+LogCompilation");
		snprintf(buf, sizeof(buf), "-XX:LogFile=%s/hotspot-%%p.xml", l->side_dir);
		err = err ?: insert(s, buf);
	}
	/* The agent: names of interpreted methods, written at exit. */
	if (s->agent[0]) {
		snprintf(buf, sizeof(buf), "-agentpath:%s=%s", s->agent, l->side_dir);
		err = err ?: insert(s, buf);
	}
	/* PrintCompilation through unified logging into a file: timenanos is
	 * CLOCK_MONOTONIC and uptimenanos the origin of LogCompilation stamps,
	 * so each line is also the clock. */
	snprintf(buf, sizeof(buf),
		 "-Xlog:jit+compilation=debug:file=%s/jit-%%p.log:uptimenanos,timenanos,tid",
		 l->side_dir);
	err = err ?: insert(s, buf);
	return err;
}

static int side_file_of(const char *dir, const char *name, char *path, size_t size)
{
	int n = snprintf(path, size, "%s/%s", dir, name);

	return n > 0 && (size_t)n < size && access(path, R_OK) == 0;
}

static int hs_collect(void *state, const struct tp_process *proc)
{
	struct hs_state *s = state;
	char name[64], xml[4400], jit[4400], path[4400];
	int have_xml;

	if (!proc->side_dir)
		return 0;
	snprintf(name, sizeof(name), "hotspot-pid%u.xml", proc->pid);
	have_xml = side_file_of(proc->side_dir, name, xml, sizeof(xml));
	snprintf(name, sizeof(name), "jit-%u.log", proc->pid);
	/* The clock first: the XML's stamps need it when they are read. */
	if (side_file_of(proc->side_dir, name, jit, sizeof(jit)))
		s->api->add_side_file(s->host, proc->pid, jit,
				      have_xml ? HS_CLOCK_KIND : HS_PC_KIND);
	if (have_xml)
		s->api->add_side_file(s->host, proc->pid, xml, HS_LOGC_KIND);
	snprintf(name, sizeof(name), "hotspot-methods-%u.tsv", proc->pid);
	if (side_file_of(proc->side_dir, name, path, sizeof(path)))
		s->api->add_side_file(s->host, proc->pid, path, HS_METHODS_KIND);
	/* The exit perf map we asked for is in the capture by now (tierprof
	 * reads perf maps before collecting side files): do not leave one per
	 * run in /tmp. Only a JVM we launched with our flags wrote it. */
	if (have_xml || access(jit, R_OK) == 0) {
		snprintf(name, sizeof(name), "/tmp/perf-%u.map", proc->pid);
		if (access(name, W_OK) == 0)
			unlink(name);
	}
	return 0;
}

static const struct tp_plugin hs_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "hotspot",
	.version = "1.0",
	.description = "HotSpot / JVM: interpreter, C1, C2 (OSR); deopts, traps, dependencies",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST | TP_CAP_REFINE,
	.init = hs_init,
	.fini = hs_fini,
	.detect = hs_detect,
	.prepare_launch = hs_prepare_launch,
	.collect = hs_collect,
	.classify = hs_classify,
	.ingest = hs_ingest,
	.refine_key = hs_refine_key,
	.refine = hs_refine,
};

TP_PLUGIN_DEFINE(hs_plugin);
