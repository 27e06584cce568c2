/* The PyPy plugin: names PyPy's JIT loops and bridges, which PyPy itself
 * never publishes (no perf map, no jitdump; FORMATS.md section 3.6).
 *   detect          pypy, pypy3, pypy3.9 ... (by name)
 *   prepare_launch  PYTHONPATH starts with the plugin's startup hook
 *                   (hook/sitecustomize.py, installed beside this plugin),
 *                   which records compiled code and trace aborts with
 *                   CLOCK_MONOTONIC times; PYPYLOG sends the categories the
 *                   analyses need to a file in the side directory; a TSC /
 *                   CLOCK_MONOTONIC pair is taken to convert PyPy's log times
 *   collect         one bundle per process: hook file, PYPYLOG, clock pairs
 *   classify        pypy_classify.c          ingest   pypy_ingest.c
 * It includes only the plugin header and libc. */
#include "plugin_probe.h"
#include "pypy_state.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Categories are prefixes (FORMATS.md 3.1): each name here is whole. The
 * operation dumps (jit-log-*, jit-abort-log) are left out: the compile and
 * abort hooks carry what they would say, at a fraction of the cost. */
#define PYPYLOG_CATEGORIES \
	"jit-summary,jit-backend-addr,jit-invalidate-quasi-immutable,jit-abort-longest-function"
#define HOOK_SUBDIR "pypy-hook"

int pypy_clock__read(struct pypy_clock_pair *out)
{
	struct timespec ts;

#if defined(__x86_64__) || defined(__i386__)
	out->tsc = __builtin_ia32_rdtsc();
#else
	out->tsc = 0;
#endif
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -errno;
	out->mono_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	return out->tsc ? 0 : -ENOTSUP;
}

/* The hook lives in HOOK_SUBDIR beside this shared object, in the build tree
 * as in an install: find it from our own file name. */
static void find_hook_dir(struct pypy_state *s)
{
	Dl_info info;
	char path[4096], *slash;
	struct stat st;

	s->hook_dir[0] = '\0';
	if (!dladdr((void *)find_hook_dir, &info) || !info.dli_fname)
		return;
	snprintf(path, sizeof(path), "%s", info.dli_fname);
	slash = strrchr(path, '/');
	if (!slash)
		return;
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), "%s/sitecustomize.py",
		 HOOK_SUBDIR);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return;
	*strrchr(path, '/') = '\0';
	snprintf(s->hook_dir, sizeof(s->hook_dir), "%s", path);
}

static int pypy_init(const struct tp_host_api *api, void *host, void **state, char *err,
		     size_t errlen)
{
	struct pypy_state *s;

	if (!TP_HAS(api, add_code) || !api->emit_event || !api->add_code) {
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
	find_hook_dir(s);
	*state = s;
	return 0;
}

static void pypy_fini(void *state)
{
	free(state);
}

/* pypy, pypy3, pypy3.9, pypy3.10-c ... */
static int is_pypy_name(const char *name)
{
	return name && !strncmp(name, "pypy", 4) && !strchr(name, ' ');
}

static int pypy_detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (is_pypy_name(proc->comm) || is_pypy_name(plugin_base_name(proc->exe)))
		return 90;
	return 0;
}

static int set_env(struct pypy_state *s, const char *name, const char *value)
{
	return s->api->launch_set_env(s->host, name, value);
}

static void write_launch_clock(struct pypy_state *s)
{
	s->have_launch_clock = pypy_clock__read(&s->launch_clock) == 0;
}

static int pypy_prepare_launch(void *state, const struct tp_launch *l)
{
	struct pypy_state *s = state;
	char buf[8400];
	const char *old, *vm;
	int err = 0;

	if (l->no_runtime_flags || !l->side_dir)
		return 0;
	if (!is_pypy_name(plugin_base_name(l->argv[0])) && !is_pypy_name(plugin_base_name(l->exe)))
		return 0;
	snprintf(s->side_dir, sizeof(s->side_dir), "%s", l->side_dir);
	/* %d: PyPy puts the pid in the name, so forked children keep their own log. */
	snprintf(buf, sizeof(buf), "%s:%s/pypylog-%%d.log", PYPYLOG_CATEGORIES, l->side_dir);
	err = err ?: set_env(s, "PYPYLOG", buf);
	err = err ?: set_env(s, "TIERPROF_PYPY_PYPYLOG", buf);
	if (s->hook_dir[0]) {
		old = getenv("PYTHONPATH");
		snprintf(buf, sizeof(buf), "%s%s%s", s->hook_dir, old && *old ? ":" : "",
			 old && *old ? old : "");
		err = err ?: set_env(s, "PYTHONPATH", buf);
		err = err ?: set_env(s, "TIERPROF_PYPY_OUT", l->side_dir);
		/* PyPy's own sampler names the Python functions libpypy interprets
		 * (pypy_vmprof_ingest.c); TIERPROF_PYPY_VMPROF=0 turns it off. */
		vm = getenv("TIERPROF_PYPY_VMPROF");
		err = err ?: set_env(s, "TIERPROF_PYPY_VMPROF", vm && !strcmp(vm, "0") ? "0" : "1");
	} else {
		s->api->log(s->host, TP_PLOG_WARN,
			    "startup hook %s/sitecustomize.py not found beside the plugin: PyPy's "
			    "JIT code stays unnamed",
			    HOOK_SUBDIR);
	}
	write_launch_clock(s);
	return err;
}

/* Append a file's bytes as one bundle part. */
static int append_part(FILE *out, const char *name, const char *path)
{
	FILE *in = fopen(path, "rb");
	char buf[65536];
	long size;
	size_t n;

	if (!in)
		return -errno;
	if (fseek(in, 0, SEEK_END) || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET)) {
		fclose(in);
		return -EIO;
	}
	fprintf(out, "part %s %ld\n", name, size);
	/* The file can grow while copied (a child still running): copy size bytes. */
	while (size > 0 &&
	       (n = fread(buf, 1, size < (long)sizeof(buf) ? (size_t)size : sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, out);
		size -= (long)n;
	}
	for (; size > 0; size--)
		fputc('\n', out);
	fputc('\n', out);
	fclose(in);
	return 0;
}

static int pypy_collect(void *state, const struct tp_process *proc)
{
	struct pypy_state *s = state;
	struct pypy_clock_pair now;
	char hook[4200], log[4200], vmprof[4200], bundle[4200];
	int have_hook, have_log, have_vmprof;
	FILE *out;

	if (!proc->side_dir)
		return 0;
	snprintf(hook, sizeof(hook), "%s/pypy-hook-%u.txt", proc->side_dir, proc->pid);
	snprintf(log, sizeof(log), "%s/pypylog-%u.log", proc->side_dir, proc->pid);
	have_hook = access(hook, R_OK) == 0;
	have_log = access(log, R_OK) == 0;
	snprintf(vmprof, sizeof(vmprof), "%s/vmprof-%u.prof", proc->side_dir, proc->pid);
	have_vmprof = access(vmprof, R_OK) == 0;
	if (!have_hook && !have_log)
		return 0;
	snprintf(bundle, sizeof(bundle), "%s/pypy-%u.bundle", proc->side_dir, proc->pid);
	out = fopen(bundle, "wb");
	if (!out) {
		s->api->log(s->host, TP_PLOG_WARN, "cannot write %s: %s", bundle, strerror(errno));
		return 0;
	}
	fputs("tierprof-pypy-bundle 1\n", out);
	if (s->have_launch_clock)
		fprintf(out, "clock %llu %llu\n", (unsigned long long)s->launch_clock.tsc,
			(unsigned long long)s->launch_clock.mono_ns);
	if (pypy_clock__read(&now) == 0)
		fprintf(out, "clock %llu %llu\n", (unsigned long long)now.tsc,
			(unsigned long long)now.mono_ns);
	if (have_hook)
		append_part(out, "hook", hook);
	if (have_log)
		append_part(out, "pypylog", log);
	if (have_vmprof)
		append_part(out, "vmprof", vmprof);
	if (fclose(out)) {
		s->api->log(s->host, TP_PLOG_WARN, "cannot write %s", bundle);
		return 0;
	}
	return s->api->add_side_file(s->host, proc->pid, bundle, PYPY_BUNDLE_KIND);
}

static const struct tp_plugin pypy_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "pypy",
	.version = "1.0",
	.description = "PyPy: JIT loops and bridges named by a startup hook; invalidations, "
		       "trace aborts, jit-summary",
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT | TP_CAP_CLASSIFY |
		TP_CAP_INGEST,
	.init = pypy_init,
	.fini = pypy_fini,
	.detect = pypy_detect,
	.prepare_launch = pypy_prepare_launch,
	.collect = pypy_collect,
	.classify = pypy_classify,
	.ingest = pypy_ingest,
};

TP_PLUGIN_DEFINE(pypy_plugin);
