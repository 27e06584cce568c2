/* tierprof record: launch a command or attach to processes, sample them, and
 * write a self-contained capture. */
#include "cli.h"
#include "args.h"
#include "../capture/format.h"
#include "../capture/jit_sources.h"
#include "../capture/writer.h"
#include "../plugin/host.h"
#include "../sampler/sampler.h"
#include "../unwind/regs.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* User stack bytes sampled with each sample, chosen from `tierprof
 * stack-usage` figures (docs/accuracy.md, "Stack slice size"). fp mode: 1024
 * keeps at least 96 % of the first-frame repairs of node, java and pypy (512:
 * 88 %). dwarf mode: 8192 unwinds at least 97 % of samples as the whole
 * 64 KB would, at half the bytes and lost samples of 16384. */
#define REPAIR_STACK_BYTES 1024
#define DWARF_STACK_BYTES 8192
/* The kernel takes a multiple of 8 below USHRT_MAX. */
#define MAX_STACK_BYTES 65528

#define DEFAULT_FREQ 99
#define DEFAULT_MAX_DEPTH 127
#define DEFAULT_RING_PAGES 256
#define POLL_MS 100
/* How often growing perf maps are read: the read time bounds when an entry
 * was written, which decides reused addresses. */
#define PERFMAP_POLL_NS 200000000ull
/* After a stop request, how long a launched command may take to exit while
 * we keep recording it. */
#define CHILD_GRACE_MS 10000

struct record_opts {
	uint32_t freq;
	uint32_t max_depth;
	uint32_t ring_pages;
	double duration_s;
	const char *output;
	uint32_t *pids;
	size_t npids;
	char **argv; /* command to launch, NULL in attach mode */
	int kallsyms;
	int verbose;
	int no_runtime_flags;
	int no_builtin_plugins;
	int dwarf;	      /* --call-graph dwarf */
	uint32_t stack_bytes; /* user stack sampled per sample */
	char **plugins;
	size_t nplugins, plugins_cap;
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void on_sigchld(int sig)
{
	(void)sig; /* only interrupts poll() */
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof record [options] -- COMMAND [ARGS...]\n"
		"       tierprof record [options] -p PID[,PID...]\n\n"
		"  -F, --freq HZ        samples per second per thread (default %d)\n"
		"  -o, --output FILE    capture file (default tierprof.data; an old one becomes "
		"FILE.old)\n"
		"  -p, --pid PIDS       attach to running processes and all their threads\n"
		"      --duration S     stop after S seconds (a launched command gets SIGTERM)\n"
		"      --call-graph MODE[,SIZE]  how user stacks are unwound: fp (default:\n"
		"                       frame pointers, first frames repaired with CFI from a\n"
		"                       %d-byte stack slice; fp,0 samples no stack) or dwarf\n"
		"                       (DWARF CFI over a SIZE-byte stack copy, default %d)\n"
		"      --max-depth N    callchain entries per sample (default %d)\n"
		"      --mmap-pages N   ring buffer pages per CPU, a power of two (default %d)\n"
		"      --no-kallsyms    do not embed kernel symbols in the capture\n"
		"      --plugin PATH    load a runtime plugin (repeatable; also "
		"TIERPROF_PLUGIN_PATH)\n"
		"      --no-builtin-plugins  do not load the plugins shipped with tierprof\n"
		"      --no-runtime-flags    launch the command unchanged (plugins only observe)\n"
		"  -v, --verbose        say more\n"
		"  -h, --help           this text\n\n"
		"Recording stops when the command exits, on SIGINT/SIGTERM, or after --duration;\n"
		"the capture is finalized in every case and the command's exit code is passed "
		"on.\n",
		DEFAULT_FREQ, REPAIR_STACK_BYTES, DWARF_STACK_BYTES, DEFAULT_MAX_DEPTH,
		DEFAULT_RING_PAGES);
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* fp[,SIZE] or dwarf[,SIZE], as perf spells it. */
static int parse_call_graph(const char *arg, struct record_opts *o)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	if (len == 2 && !strncmp(arg, "fp", 2)) {
		o->dwarf = 0;
		o->stack_bytes = REPAIR_STACK_BYTES;
	} else if (len == 5 && !strncmp(arg, "dwarf", 5)) {
		o->dwarf = 1;
		o->stack_bytes = DWARF_STACK_BYTES;
	} else {
		pr_err("invalid --call-graph '%s': use fp[,SIZE] or dwarf[,SIZE]", arg);
		return -1;
	}
	if (comma && (parse_u32(comma + 1, &o->stack_bytes) || o->stack_bytes % 8 ||
		      o->stack_bytes > MAX_STACK_BYTES || (o->dwarf && !o->stack_bytes))) {
		pr_err("invalid --call-graph stack size '%s': a multiple of 8 up to %d%s",
		       comma + 1, MAX_STACK_BYTES, o->dwarf ? ", not 0" : "");
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct record_opts *o)
{
	enum {
		OPT_DURATION = 256,
		OPT_MAX_DEPTH,
		OPT_MMAP_PAGES,
		OPT_NO_KALLSYMS,
		OPT_PLUGIN,
		OPT_NO_BUILTIN,
		OPT_NO_RUNTIME_FLAGS,
		OPT_CALL_GRAPH
	};
	static const struct option longopts[] = {
		{ "freq", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "call-graph", required_argument, NULL, OPT_CALL_GRAPH },
		{ "mmap-pages", required_argument, NULL, OPT_MMAP_PAGES },
		{ "no-kallsyms", no_argument, NULL, OPT_NO_KALLSYMS },
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "no-builtin-plugins", no_argument, NULL, OPT_NO_BUILTIN },
		{ "no-runtime-flags", no_argument, NULL, OPT_NO_RUNTIME_FLAGS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct record_opts){ .freq = DEFAULT_FREQ,
				   .max_depth = DEFAULT_MAX_DEPTH,
				   .ring_pages = DEFAULT_RING_PAGES,
				   .output = "tierprof.data",
				   .stack_bytes = REPAIR_STACK_BYTES,
				   .kallsyms = 1 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "+F:o:p:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (parse_u32(optarg, &o->freq) || o->freq == 0) {
				pr_err("invalid frequency '%s'", optarg);
				return -1;
			}
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'p':
			if (cli_parse_id_list(optarg, &o->pids, &o->npids))
				return -1;
			break;
		case OPT_DURATION: {
			char *end;

			o->duration_s = strtod(optarg, &end);
			if (end == optarg || *end || !(o->duration_s > 0)) {
				pr_err("invalid duration '%s'", optarg);
				return -1;
			}
			break;
		}
		case OPT_MAX_DEPTH:
			if (parse_u32(optarg, &o->max_depth) || o->max_depth == 0 ||
			    o->max_depth > UINT16_MAX) {
				pr_err("invalid max depth '%s'", optarg);
				return -1;
			}
			break;
		case OPT_MMAP_PAGES:
			if (parse_u32(optarg, &o->ring_pages) || o->ring_pages == 0 ||
			    (o->ring_pages & (o->ring_pages - 1))) {
				pr_err("--mmap-pages must be a power of two, not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_CALL_GRAPH:
			if (parse_call_graph(optarg, o))
				return -1;
			break;
		case OPT_NO_KALLSYMS:
			o->kallsyms = 0;
			break;
		case OPT_PLUGIN:
			TP_VEC_PUSH(o->plugins, o->nplugins, o->plugins_cap, optarg);
			break;
		case OPT_NO_BUILTIN:
			o->no_builtin_plugins = 1;
			break;
		case OPT_NO_RUNTIME_FLAGS:
			o->no_runtime_flags = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc)
		o->argv = argv + optind;
	if (!o->argv == !o->npids) {
		pr_err(o->argv ? "give either -p PID or a command, not both"
			       : "nothing to record: give -p PID or -- COMMAND");
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Checks the kernel would otherwise answer with a bare EINVAL. */
static int check_limits(const struct record_opts *o)
{
	long max_rate, max_stack;

	if (!sampler__read_sysctl("/proc/sys/kernel/perf_event_max_sample_rate", &max_rate) &&
	    (long)o->freq > max_rate) {
		pr_err("-F %u is above kernel.perf_event_max_sample_rate = %ld; use -F %ld or "
		       "lower, "
		       "or raise the limit: sysctl -w kernel.perf_event_max_sample_rate=%u",
		       o->freq, max_rate, max_rate, o->freq);
		return -1;
	}
	if (!sampler__read_sysctl("/proc/sys/kernel/perf_event_max_stack", &max_stack) &&
	    (long)o->max_depth > max_stack) {
		pr_err("--max-depth %u is above kernel.perf_event_max_stack = %ld; use --max-depth "
		       "%ld or lower, or raise it: sysctl -w kernel.perf_event_max_stack=%u",
		       o->max_depth, max_stack, max_stack, o->max_depth);
		return -1;
	}
	return 0;
}

static void explain_open_error(int err, pid_t tid)
{
	long paranoid = -1;

	sampler__read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid);
	if (err == -EACCES || err == -EPERM) {
		pr_err("perf_event_open refused for pid %d: %s.\n"
		       "  kernel.perf_event_paranoid is %ld. Sampling your own processes needs it\n"
		       "  at 2 or lower (user-space only) or 1 (with kernel frames); other users'\n"
		       "  processes need CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8) or root.\n"
		       "  Fix: sysctl -w kernel.perf_event_paranoid=1, or grant the capability:\n"
		       "  setcap cap_perfmon,cap_sys_ptrace+ep $(command -v tierprof)",
		       (int)tid, tp_strerror(err), paranoid);
	} else if (err == -ESRCH) {
		pr_err("no such process: %d", (int)tid);
	} else if (err == -ENOENT || err == -ENOSYS || err == -EOPNOTSUPP) {
		pr_err("perf_event_open is not available: %s (kernel without perf events, or a "
		       "seccomp filter blocks it)",
		       tp_strerror(err));
	} else {
		pr_err("perf_event_open failed for pid %d: %s", (int)tid, tp_strerror(err));
	}
}

static int write_meta(struct capture_writer *w, const struct record_opts *o, uint64_t start_mono,
		      uint64_t start_real, int exclude_kernel)
{
	char buf[8192], host[256] = "";
	struct utsname u;
	size_t n = 0;
	long paranoid = -1;

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	sampler__read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid);
#define META(...) n += (size_t)snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, __VA_ARGS__)
	META("tierprof_version=%s\n", TP_VERSION);
	META("hostname=%s\n", host);
	META("kernel=%s\n", u.release);
	META("arch=%s\n", u.machine);
	META("clock=monotonic\n");
	META("start_monotonic_ns=%llu\n", (unsigned long long)start_mono);
	META("start_realtime_ns=%llu\n", (unsigned long long)start_real);
	META("frequency_hz=%u\n", o->freq);
	META("max_depth=%u\n", o->max_depth);
	META("call_graph=%s\n", o->dwarf ? "dwarf" : "fp");
	META("stack_bytes=%u\n", o->stack_bytes);
	META("exclude_kernel=%d\n", exclude_kernel);
	META("perf_event_paranoid=%ld\n", paranoid);
	if (o->argv) {
		META("mode=launch\ncommand=");
		for (char **a = o->argv; *a && n < sizeof(buf); a++)
			META("%s%s", a == o->argv ? "" : " ", *a);
		META("\n");
	} else {
		META("mode=attach\npids=");
		for (size_t i = 0; i < o->npids; i++)
			META("%s%d", i ? "," : "", (int)o->pids[i]);
		META("\n");
	}
#undef META
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return capture_writer__append1(w, TP_REC_META, buf, n);
}

static void snapshot_maps(struct capture_writer *w, pid_t pid)
{
	struct tp_rec_proc_maps pm = { .pid = (uint32_t)pid };
	char path[64], *text;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	pm.time_ns = now_ns(CLOCK_MONOTONIC);
	if (tp_read_file(path, &text, &len)) {
		pr_warn("cannot read %s: %s", path, strerror(errno));
		return;
	}
	struct iovec iov[2] = { { &pm, sizeof(pm) }, { text, len } };
	capture_writer__append(w, TP_REC_PROC_MAPS, iov, 2);
	free(text);
}

static void write_task(struct capture_writer *w, pid_t pid, pid_t tid)
{
	struct tp_rec_task t = { .pid = (uint32_t)pid, .tid = (uint32_t)tid };
	char path[64], *comm;

	t.time_ns = now_ns(CLOCK_MONOTONIC);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	if (!tp_read_file(path, &comm, NULL)) {
		comm[strcspn(comm, "\n")] = '\0';
		strncpy(t.comm, comm, sizeof(t.comm) - 1);
		free(comm);
	}
	capture_writer__append1(w, TP_REC_TASK, &t, sizeof(t));
}

/* Attach to every thread of pid; threads created meanwhile are caught by
 * rescanning until a pass finds nothing new (later ones are inherited).
 * The thread ids are appended to *tids. */
static int attach_process(struct sampler *s, pid_t pid, pid_t **tids, size_t *ntids, size_t *cap)
{
	size_t first = *ntids;
	char path[64];
	int found, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	do {
		DIR *d = opendir(path);
		struct dirent *de;

		if (!d)
			return errno == ENOENT ? -ESRCH : -errno;
		found = 0;
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)atoi(de->d_name);
			size_t i;

			if (tid <= 0)
				continue;
			for (i = first; i < *ntids && (*tids)[i] != tid; i++)
				;
			if (i < *ntids)
				continue;
			err = sampler__attach(s, tid);
			if (err == -ESRCH) {
				err = 0; /* thread exited between readdir and open */
				continue;
			}
			if (err)
				break;
			TP_VEC_PUSH(*tids, *ntids, *cap, tid);
			found = 1;
		}
		closedir(d);
	} while (!err && found);
	pr_info("attached to pid %d (%zu threads)", (int)pid, *ntids - first);
	return err;
}

/* Attach to every target; on a refusal of kernel frames, start over
 * recording user space only. */
static int attach_all(struct sampler **s, struct sampler_opts *so, const struct record_opts *o,
		      int *exclude_kernel, pid_t **tids, pid_t **owners, size_t *ntids)
{
	size_t cap = 0, ocap = 0, nowners = 0;
	int err = 0;

	for (size_t i = 0; i < o->npids; i++) {
		size_t before = *ntids;

		err = attach_process(*s, o->pids[i], tids, ntids, &cap);
		if ((err == -EACCES || err == -EPERM) && !*exclude_kernel) {
			*exclude_kernel = 1;
			so->exclude_kernel = 1;
			sampler__delete(*s);
			sampler__new(so, s);
			*ntids = 0;
			nowners = 0;
			i = (size_t)-1;
			continue;
		}
		if (err) {
			explain_open_error(err, o->pids[i]);
			return err;
		}
		for (size_t k = before; k < *ntids; k++)
			TP_VEC_PUSH(*owners, nowners, ocap, o->pids[i]);
	}
	return 0;
}

static int process_alive(pid_t pid)
{
	char path[64], *stat, *p;
	int alive = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (tp_read_file(path, &stat, NULL))
		return 0;
	p = strrchr(stat, ')');
	if (p && p[1] == ' ')
		alive = p[2] != 'Z' && p[2] != 'X';
	free(stat);
	return alive;
}

struct child {
	pid_t pid;
	int go_fd;  /* write end: a byte releases the child into execvp */
	int err_fd; /* read end: errno of a failed execvp, EOF on success */
	int status; /* from waitpid, valid when exited */
	int exited;
};

static int child__fork(struct child *c, char **argv, const struct launch_edit *edit)
{
	int go[2], ep[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(ep, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		char b;
		int e;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		close(go[1]);
		close(ep[0]);
		if (read(go[0], &b, 1) != 1)
			_exit(127); /* the parent gave up before starting us */
		for (size_t i = 0; edit && i < edit->nenv; i++)
			setenv(edit->env[i].name, edit->env[i].value, 1);
		execvp(argv[0], argv);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ep[1]);
	c->go_fd = go[1];
	c->err_fd = ep[0];
	return 0;
}

/* Release the child; returns 0 once execvp succeeded, or -errno of execvp. */
static int child__start(struct child *c)
{
	int e = 0;
	ssize_t n;

	if (write(c->go_fd, "g", 1) != 1)
		return -errno;
	close(c->go_fd);
	c->go_fd = -1;
	do {
		n = read(c->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	return n == (ssize_t)sizeof(e) ? -e : 0;
}

static void child__reap(struct child *c, int flags)
{
	int st;

	if (c->exited || c->pid <= 0)
		return;
	if (waitpid(c->pid, &st, flags) == c->pid) {
		c->status = st;
		c->exited = 1;
	}
}

static int child__exit_code(const struct child *c)
{
	if (!c->exited)
		return -1;
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return -1;
}

static void embed_kallsyms(struct capture_writer *w)
{
	char *text;
	size_t len;

	if (tp_read_file("/proc/kallsyms", &text, &len)) {
		pr_warn("cannot read /proc/kallsyms: kernel frames will stay unnamed");
		return;
	}
	/* kptr_restrict hides addresses as zeros: embedding those would only
	 * mislead the report. */
	if (len >= 16 && !strncmp(text, "0000000000000000", 16))
		pr_warn("kernel symbol addresses are hidden (kernel.kptr_restrict); kernel frames "
			"will stay unnamed. Fix: sysctl -w kernel.kptr_restrict=0");
	else
		capture_writer__side_file(w, 0, now_ns(CLOCK_MONOTONIC), "/proc/kallsyms",
					  "kallsyms", text, len);
	free(text);
}

struct collect_ctx {
	struct capture_writer *w;
};

/* A plugin named a file the runtime wrote: embed it. */
static int embed_side_file(void *ctx, uint32_t pid, const char *path, const char *kind)
{
	struct collect_ctx *c = ctx;
	char *data;
	size_t len;
	int err = tp_read_file(path, &data, &len);

	if (err) {
		pr_warn("cannot read side file %s: %s", path, tp_strerror(err));
		return err;
	}
	err = capture_writer__side_file(c->w, pid, now_ns(CLOCK_MONOTONIC), path, kind, data, len);
	free(data);
	return err;
}

static void collect_plugin_files(struct plugin_host *h, struct jit_sources *js,
				 struct capture_writer *w, const char *side_dir, const char *comm)
{
	struct collect_ctx c = { .w = w };

	for (size_t i = 0; i < jit_sources__nr_pids(js); i++) {
		struct tp_process proc = { .size = sizeof(proc),
					   .pid = jit_sources__pid(js, i),
					   .comm = comm,
					   .side_dir = side_dir };

		plugin_host__collect(h, &proc, embed_side_file, &c);
	}
}

/* The private directory the runtime wrote into: embedded, so remove it. */
static void remove_side_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void show_launch(const struct launch_edit *e)
{
	char line[4096];
	size_t n = 0;

	for (int i = 0; i < e->argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", e->argv[i]);
	pr_info("launching: %s", line);
	for (size_t i = 0; i < e->nenv; i++)
		pr_info("  with %s=%s", e->env[i].name, e->env[i].value);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

static const char *human_size(uint64_t b, char *buf, size_t n)
{
	if (b >= (1u << 20))
		snprintf(buf, n, "%.1f MB", (double)b / (1 << 20));
	else
		snprintf(buf, n, "%.1f KB", (double)b / 1024);
	return buf;
}

int cmd_record(int argc, char **argv)
{
	struct record_opts o;
	struct sampler_opts so;
	struct sampler *s = NULL;
	struct capture_writer *w = NULL;
	struct child child = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	struct tp_rec_finish fin = { .exit_status = -1 };
	struct jit_sources *js = NULL;
	struct plugin_host *plugins = NULL;
	struct plugin_host_opts popts;
	struct launch_edit edit = { 0 };
	char side_dir[] = "/tmp/tierprof-side-XXXXXX";
	int have_side_dir = 0;
	uint64_t start_mono, deadline = 0, grace_deadline = 0, next_map_poll = 0;
	int err, ret = TP_EXIT_ERROR, exclude_kernel = 0, forwarded = 0, special = 0;
	char oldpath[4096] = "", sz[32];

	if (parse_args(argc, argv, &o))
		return TP_EXIT_ERROR;
	if (o.verbose)
		tp_log_set_level(o.verbose > 1 ? TP_LOG_DEBUG : TP_LOG_INFO);
	if (check_limits(&o))
		goto out;
	for (size_t i = 0; i < o.npids; i++) {
		if (!process_alive(o.pids[i])) {
			pr_err("no such process: %d", (int)o.pids[i]);
			goto out;
		}
	}

	/* The user registers and a slice of the user stack let the report find
	 * the caller a frameless leaf hides from the frame-pointer chain, or
	 * unwind the whole user stack with DWARF CFI. */
	so = (struct sampler_opts){ .freq_hz = o.freq,
				    .max_depth = o.max_depth,
				    .ring_pages = o.ring_pages,
				    .enable_on_exec = o.argv != NULL,
				    .regs_user = !o.stack_bytes ? 0
						 : o.dwarf	? SAMPLE_REGS_DWARF
								: SAMPLE_REGS_REPAIR,
				    .stack_user = o.stack_bytes };
	install_signals();

	popts = (struct plugin_host_opts){ .extra = o.plugins,
					   .nextra = o.nplugins,
					   .no_builtin = o.no_builtin_plugins };
	plugin_host__new(&popts, &plugins);
	if (o.argv) {
		int nargs = 0;

		while (o.argv[nargs])
			nargs++;
		if (!mkdtemp(side_dir)) {
			pr_err("cannot create a directory for runtime side files: %s",
			       strerror(errno));
			goto out;
		}
		have_side_dir = 1;
		err = plugins ? plugin_host__prepare_launch(plugins, nargs, o.argv, side_dir,
							    o.no_runtime_flags, &edit)
			      : -EINVAL;
		if (err) {
			launch_edit__free(&edit);
			memset(&edit, 0, sizeof(edit));
		} else {
			show_launch(&edit);
		}
		err = child__fork(&child, edit.argv ? edit.argv : o.argv, &edit);
		if (err) {
			pr_err("cannot start %s: %s", o.argv[0], tp_strerror(err));
			goto out;
		}
	}

	/* Kernel frames need more privilege than user frames; rather than fail,
	 * record what we may and say what is missing. */
	for (;;) {
		so.exclude_kernel = exclude_kernel;
		sampler__delete(s);
		s = NULL;
		sampler__new(&so, &s);
		err = o.argv ? sampler__attach(s, child.pid) : 0;
		if ((err == -EACCES || err == -EPERM) && !exclude_kernel) {
			exclude_kernel = 1;
			continue;
		}
		break;
	}
	if (err) {
		explain_open_error(err, child.pid);
		goto out;
	}

	/* A device or FIFO (-o /dev/null) is written in place: never moved
	 * aside, renamed over or unlinked. */
	special = tp_path_is_special(o.output);
	if (!special && access(o.output, F_OK) == 0) {
		snprintf(oldpath, sizeof(oldpath), "%s.old", o.output);
		rename(o.output, oldpath);
	}
	err = capture_writer__open(o.output, &w);
	if (err) {
		pr_err("cannot create %s: %s", o.output, tp_strerror(err));
		goto out;
	}
	start_mono = now_ns(CLOCK_MONOTONIC);
	js = jit_sources__new(w);
	sampler__set_observer(s, jit_sources__on_record, js);

	if (!o.argv) {
		pid_t *tids = NULL, *owners = NULL;
		size_t ntids = 0;

		err = attach_all(&s, &so, &o, &exclude_kernel, &tids, &owners, &ntids);
		if (!err) {
			sampler__set_observer(s, jit_sources__on_record, js);
			for (size_t i = 0; i < o.npids; i++) {
				jit_sources__add_pid(js, (uint32_t)o.pids[i]);
				snapshot_maps(w, o.pids[i]);
			}
			for (size_t i = 0; i < ntids; i++)
				write_task(w, owners[i], tids[i]);
			if (exclude_kernel)
				pr_warn("kernel frames not permitted; recording user space only");
		}
		free(tids);
		free(owners);
		if (err)
			goto out_close;
	} else if (exclude_kernel) {
		long paranoid = -1;

		sampler__read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid);
		pr_warn("kernel frames not permitted (kernel.perf_event_paranoid = %ld); recording "
			"user space only. Fix: sysctl -w kernel.perf_event_paranoid=1",
			paranoid);
	}
	write_meta(w, &o, start_mono, now_ns(CLOCK_REALTIME), exclude_kernel);
	capture_writer__append1(w, TP_REC_ATTR, sampler__attr(s), sizeof(struct perf_event_attr));

	if (o.argv) {
		err = child__start(&child);
		if (err) {
			pr_err("cannot execute '%s': %s", o.argv[0], tp_strerror(err));
			child__reap(&child, 0);
			/* Nothing was recorded: keep the user's previous capture. */
			capture_writer__close(w);
			w = NULL;
			if (!special)
				unlink(o.output);
			if (oldpath[0])
				rename(oldpath, o.output);
			goto out;
		}
	} else {
		sampler__enable(s);
	}
	if (o.duration_s > 0)
		deadline = start_mono + (uint64_t)(o.duration_s * 1e9);

	for (;;) {
		uint64_t now;

		sampler__poll(s, POLL_MS);
		sampler__drain(s, w);
		now = now_ns(CLOCK_MONOTONIC);
		if (now >= next_map_poll) {
			jit_sources__poll(js, now);
			next_map_poll = now + PERFMAP_POLL_NS;
		}
		if (o.argv) {
			child__reap(&child, WNOHANG);
			if (child.exited) {
				if (!fin.stop_reason)
					fin.stop_reason = TP_STOP_COMMAND_EXITED;
				break;
			}
		} else {
			size_t alive = 0;

			for (size_t i = 0; i < o.npids; i++)
				alive += process_alive(o.pids[i]);
			if (!alive) {
				fin.stop_reason = TP_STOP_TARGETS_GONE;
				break;
			}
		}
		if (!fin.stop_reason && stop_signal)
			fin.stop_reason = TP_STOP_SIGNAL;
		if (!fin.stop_reason && deadline && now >= deadline)
			fin.stop_reason = TP_STOP_DURATION;
		if (!fin.stop_reason)
			continue;
		if (!o.argv)
			break;
		/* A launched command: ask it to stop and keep recording until it
		 * exits, so its exit code can be passed on. */
		if (!forwarded) {
			int sig = fin.stop_reason == TP_STOP_SIGNAL ? stop_signal : SIGTERM;

			if (sig == SIGHUP)
				sig = SIGTERM;
			kill(child.pid, sig);
			forwarded = 1;
			grace_deadline = now + CHILD_GRACE_MS * 1000000ull;
		} else if (now >= grace_deadline) {
			pr_warn("command (pid %d) still running %d s after the stop request; "
				"finishing the capture without it",
				(int)child.pid, CHILD_GRACE_MS / 1000);
			break;
		}
	}

	sampler__disable(s);
	sampler__drain(s, w);
	jit_sources__finish(js, now_ns(CLOCK_MONOTONIC));
	if (plugins)
		collect_plugin_files(
			plugins, js, w, have_side_dir ? side_dir : NULL,
			o.argv ? (strrchr(o.argv[0], '/') ? strrchr(o.argv[0], '/') + 1 : o.argv[0])
			       : NULL);
	if (!exclude_kernel && o.kallsyms)
		embed_kallsyms(w);
	{
		const struct sampler_stats *st = sampler__stats(s);

		fin.end_time_ns = now_ns(CLOCK_MONOTONIC);
		fin.samples = st->samples;
		fin.lost = st->lost;
		fin.lost_records = st->lost_records;
		fin.throttle = st->throttle;
		fin.unthrottle = st->unthrottle;
		fin.exit_status = child__exit_code(&child);
		capture_writer__append1(w, TP_REC_FINISH, &fin, sizeof(fin));
		err = capture_writer__close(w);
		w = NULL;
		if (err) {
			pr_err("writing %s failed: %s", o.output, tp_strerror(err));
			goto out;
		}
		{
			struct stat stb;

			stat(o.output, &stb);
			fprintf(stderr, "tierprof: %llu samples in %.2f s written to %s (%s)\n",
				(unsigned long long)st->samples,
				(double)(fin.end_time_ns - start_mono) / 1e9, o.output,
				human_size((uint64_t)stb.st_size, sz, sizeof(sz)));
		}
		if (st->lost)
			fprintf(stderr,
				"tierprof: warning: the kernel lost %llu samples (ring full); "
				"raise --mmap-pages or lower -F\n",
				(unsigned long long)st->lost);
		if (st->throttle)
			fprintf(stderr,
				"tierprof: warning: sampling was throttled %llu times by the "
				"kernel "
				"(perf_cpu_time_max_percent); shares stay valid but counts are "
				"lower\n",
				(unsigned long long)st->throttle);
	}
	if (fin.stop_reason == TP_STOP_ERROR)
		ret = TP_EXIT_ERROR;
	else if (o.argv)
		ret = fin.exit_status >= 0 ? fin.exit_status : TP_EXIT_ERROR;
	else
		ret = TP_EXIT_OK;
	goto out;

out_close:
	capture_writer__close(w);
	w = NULL;
	if (!special)
		unlink(o.output);
	if (oldpath[0])
		rename(oldpath, o.output);
out:
	if (child.pid > 0 && !child.exited) {
		if (child.go_fd >= 0) {
			close(child.go_fd); /* releases the child into _exit(127) */
			child__reap(&child, 0);
		}
	}
	capture_writer__close(w);
	jit_sources__delete(js);
	plugin_host__delete(plugins);
	launch_edit__free(&edit);
	if (have_side_dir)
		remove_side_dir(side_dir);
	free(o.plugins);
	sampler__delete(s);
	free(o.pids);
	return ret;
}
