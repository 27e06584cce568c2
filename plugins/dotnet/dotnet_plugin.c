/* The .NET (CoreCLR) plugin.
 *   detect          dotnet (by name), a process that mapped libcoreclr.so, an
 *                   apphost executable (it carries libhostfxr.so's name)
 *   prepare_launch  DOTNET_PerfMapEnabled=1 (perf map + jitdump),
 *                   DOTNET_PerfMapShowOptimizationTiers=1, and
 *                   DOTNET_PerfMapJitDumpPath=<side dir>; what the user set
 *                   already is kept
 *   collect         perf-PID.map (runtimes that follow PerfMapJitDumpPath;
 *                   older ones write /tmp/perf-PID.map, which the core reads)
 *                   and perfinfo-PID.map (side dir, else /tmp); the jitdump is
 *                   found by the core through the runtime's mmap of it
 *   classify        dotnet_classify.c        ingest   dotnet_ingest.c
 * It includes only the plugin header and libc, as every plugin should. */
#include "plugin_probe.h"
#include "dotnet_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int dotnet_init(const struct tp_host_api *api, void *host, void **state, char *err,
		       size_t errlen)
{
	struct dotnet_state *s;

	if (!TP_HAS(api, add_code) || !api->add_side_file) {
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

static void dotnet_fini(void *state)
{
	struct dotnet_state *s = state;

	for (size_t i = 0; i < s->nimages; i++)
		free(s->images[i].path);
	free(s->images);
	free(s);
}

static int dotnet_detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (dotnet_is_comm(proc->comm) || dotnet_is_comm(plugin_base_name(proc->exe)))
		return 90;
	if (proc->pid && plugin_maps_lib(proc->pid, "libcoreclr.so"))
		return 90;
	/* An apphost (the executable `dotnet publish` writes next to app.dll)
	 * loads the runtime through libhostfxr.so, whose name it carries. */
	if (plugin_elf_contains(proc->exe, "libhostfxr.so", (size_t)256 << 20))
		return 70;
	return 0;
}

/* DOTNET_x, or the legacy COMPlus_x the runtime also reads. */
static const char *runtime_env(const char *name)
{
	char buf[128];
	const char *v;

	snprintf(buf, sizeof(buf), "DOTNET_%s", name);
	v = getenv(buf);
	if (v)
		return v;
	snprintf(buf, sizeof(buf), "COMPlus_%s", name);
	return getenv(buf);
}

static int set_default(struct dotnet_state *s, const char *name, const char *value)
{
	char buf[128];

	if (runtime_env(name))
		return 0; /* the user's choice */
	snprintf(buf, sizeof(buf), "DOTNET_%s", name);
	return s->api->launch_set_env(s->host, buf, value);
}

static int dotnet_prepare_launch(void *state, const struct tp_launch *l)
{
	struct dotnet_state *s = state;
	const char *enabled = runtime_env("PerfMapEnabled");
	int err = 0;

	if (l->no_runtime_flags) {
		/* Only direct the files the user's settings write anyway. */
		if (enabled && strcmp(enabled, "0") && l->side_dir)
			err = set_default(s, "PerfMapJitDumpPath", l->side_dir);
		return err;
	}
	/* 1: perf map and jitdump (2: jitdump only, 3: perf map only). The
	 * jitdump's timestamps place code in time; the perf map is read when a
	 * runtime writes no jitdump. */
	err = err ?: set_default(s, "PerfMapEnabled", "1");
	err = err ?: set_default(s, "PerfMapShowOptimizationTiers", "1");
	if (l->side_dir)
		err = err ?: set_default(s, "PerfMapJitDumpPath", l->side_dir);
	return err;
}

/* A file the process's user (or root) wrote: /tmp is shared. */
static int owned_sanely(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && (st.st_uid == 0 || st.st_uid == getuid());
}

/* DIR/PREFIX-PID.map, when present. */
static void add_if_present(struct dotnet_state *s, uint32_t pid, const char *dir,
			   const char *prefix, const char *kind)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s-%u.map", dir, prefix, pid);
	if (owned_sanely(path))
		s->api->add_side_file(s->host, pid, path, kind);
}

static int dotnet_collect(void *state, const struct tp_process *proc)
{
	struct dotnet_state *s = state;
	char path[4200];

	if (proc->side_dir) {
		add_if_present(s, proc->pid, proc->side_dir, "perf", "perfmap");
		snprintf(path, sizeof(path), "%s/perfinfo-%u.map", proc->side_dir, proc->pid);
		if (owned_sanely(path)) {
			s->api->add_side_file(s->host, proc->pid, path, DOTNET_PERFINFO_KIND);
			return 0;
		}
	}
	add_if_present(s, proc->pid, "/tmp", "perfinfo", DOTNET_PERFINFO_KIND);
	return 0;
}

static const struct tp_plugin dotnet_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "dotnet",
	.version = "1.0",
	.description = ".NET (CoreCLR): tier 0, tier 1, OSR, ReadyToRun; stubs",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST,
	.init = dotnet_init,
	.fini = dotnet_fini,
	.detect = dotnet_detect,
	.prepare_launch = dotnet_prepare_launch,
	.collect = dotnet_collect,
	.classify = dotnet_classify,
	.ingest = dotnet_ingest,
};

TP_PLUGIN_DEFINE(dotnet_plugin);
