/* tierprof import: attach a runtime log written outside tierprof to a capture
 * (or make a capture of the log alone), so report and deopts read it like one
 * tierprof collected. The log is checked by the plugins before anything is
 * written: a file no plugin understands is an input error. With --collapsed,
 * make a capture of another profiler's collapsed stacks (import_collapsed.c). */
#include "cli.h"
#include "args.h"
#include "import_collapsed.h"
#include "../capture/format.h"
#include "../capture/reader.h"
#include "../capture/writer.h"
#include "../plugin/host.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct import_file {
	const char *path;
	const char *kind;
	char *data;
	size_t len;
	uint32_t pid;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tierprof import --v8-log FILE [options] [CAPTURE]\n"
		   "       tierprof import --collapsed FILE [-o CAPTURE]\n\n"
		   "Attach a runtime log to CAPTURE (rewritten in place unless -o), or, without\n"
		   "CAPTURE, make a capture of the log alone for 'tierprof deopts' and 'report'.\n"
		   "With --collapsed, make a capture of collapsed stacks for every report.\n\n"
		   "      --v8-log FILE    a V8 log (--logfile with --log-deopt/--log-code/--prof) "
		   "or\n"
		   "                       --trace-opt/--trace-deopt output (repeatable)\n"
		   "      --collapsed FILE collapsed stacks (\"a;b;c COUNT\" lines), with\n"
		   "                       async-profiler -a annotations _[0] _[1] _[j] _[i] _[k]\n"
		   "      --pid PID        the process the log belongs to (default: from a V8 log\n"
		   "                       name isolate-0x...-PID-NAME, else 0 = any)\n"
		   "  -o, --output FILE    write there (default: CAPTURE, or tierprof.data)\n"
		   "      --plugin PATH    load a runtime plugin (repeatable)\n"
		   "  -v, --verbose        say more\n");
}

/* isolate-0x55d0c1c0-12345-v8.log (V8 prefixes --logfile's name per
 * isolate) names its process. */
static uint32_t pid_from_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dash;
	unsigned long pid;
	char *end;

	if (strncmp(base, "isolate-", 8))
		return 0;
	dash = strchr(base + 8, '-');
	if (!dash)
		return 0;
	pid = strtoul(dash + 1, &end, 10);
	return *end == '-' && end > dash + 1 && pid <= UINT32_MAX ? (uint32_t)pid : 0;
}

struct count_ctx {
	size_t events;
};

static int count_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	(void)plugin;
	(void)ev;
	((struct count_ctx *)ctx)->events++;
	return 0;
}

static int count_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
		      const char *name, uint64_t time_ns)
{
	(void)ctx, (void)plugin, (void)pid, (void)start, (void)len, (void)name, (void)time_ns;
	return 0;
}

/* A log no plugin turns into events would only sit in the capture unread. */
static int check_file(struct plugin_host *h, const struct import_file *f)
{
	struct count_ctx c = { 0 };
	struct plugin_sink sink = { .ctx = &c, .emit_event = count_event, .add_code = count_code };
	struct tp_side_file sf = { .size = sizeof(sf),
				   .pid = f->pid,
				   .kind = f->kind,
				   .name = f->path,
				   .data = (const unsigned char *)f->data,
				   .len = f->len };

	plugin_host__ingest(h, &sf, &sink);
	if (!c.events) {
		pr_err("%s: no runtime events in it (not a V8 log or trace, or empty)", f->path);
		return -1;
	}
	pr_info("%s: %zu events", f->path, c.events);
	return 0;
}

/* Copy every record of the capture but its FINISH, which must stay last. */
static int copy_capture(const char *path, struct capture_writer *w, struct tp_rec_finish *fin,
			int *have_fin)
{
	struct capture_reader *r;
	struct capture_rec rec;
	int ret, err = capture_reader__open(path, &r);

	if (err) {
		pr_err("%s: %s", path, tp_strerror(err));
		return -1;
	}
	while ((ret = capture_reader__next(r, &rec)) > 0) {
		if (rec.type == TP_REC_FINISH) {
			memcpy(fin, rec.data, rec.len < sizeof(*fin) ? rec.len : sizeof(*fin));
			*have_fin = 1;
			continue;
		}
		capture_writer__append1(w, rec.type, rec.data, rec.len);
	}
	capture_reader__close(r);
	if (ret < 0) {
		pr_err("%s: %s; not rewritten", path, tp_strerror(ret));
		return -1;
	}
	return 0;
}

static int write_capture(const char *in, const char *out, const struct import_file *files, size_t n,
			 int argc, char **argv)
{
	struct tp_rec_finish fin = { .exit_status = -1 };
	struct capture_writer *w;
	char *tmp = tp_xasprintf("%s.import-XXXXXX", out);
	int have_fin = 0, fd = mkstemp(tmp), err;

	if (fd < 0) {
		pr_err("cannot create a file next to %s: %s", out, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	err = capture_writer__open(tmp, &w);
	if (!err && in) {
		err = copy_capture(in, w, &fin, &have_fin);
	} else if (!err) {
		char meta[4096];
		int len = snprintf(meta, sizeof(meta), "source=import\ncommand=tierprof");

		for (int i = 0; i < argc && len < (int)sizeof(meta) - 2; i++)
			len += snprintf(meta + len, sizeof(meta) - (size_t)len, " %s", argv[i]);
		if (len >= (int)sizeof(meta) - 1)
			len = (int)sizeof(meta) - 2;
		meta[len++] = '\n';
		err = capture_writer__append1(w, TP_REC_META, meta, (size_t)len);
	}
	for (size_t i = 0; !err && i < n; i++)
		err = capture_writer__side_file(w, files[i].pid, fin.end_time_ns, files[i].path,
						files[i].kind, files[i].data, files[i].len);
	if (!err)
		err = capture_writer__append1(w, TP_REC_FINISH, &fin, sizeof(fin));
	err = capture_writer__close(w) ?: err;
	if (!err && rename(tmp, out))
		err = -errno;
	if (err) {
		if (err != -1)
			pr_err("writing %s failed: %s", out, tp_strerror(err));
		unlink(tmp);
	}
	free(tmp);
	return err ? -1 : 0;
}

/* The command line goes into META, as a recorded capture's does. */
static int import_collapsed_cmd(const char *file, const char *out, int argc, char **argv)
{
	char meta[4096];
	int len = snprintf(meta, sizeof(meta),
			   "source=collapsed\nstart_monotonic_ns=1000000000\nfrequency_hz=100\n"
			   "command=tierprof");

	for (int i = 0; i < argc && len < (int)sizeof(meta) - 2; i++)
		len += snprintf(meta + len, sizeof(meta) - (size_t)len, " %s", argv[i]);
	if (len >= (int)sizeof(meta) - 1)
		len = (int)sizeof(meta) - 2;
	meta[len++] = '\n';
	meta[len] = '\0';
	if (import_collapsed(file, out, meta))
		return TP_EXIT_ERROR;
	fprintf(stderr, "tierprof import: %s written from %s\n", out, file);
	return TP_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
	enum { OPT_V8_LOG = 256, OPT_PID, OPT_PLUGIN, OPT_COLLAPSED };
	static const struct option longopts[] = {
		{ "v8-log", required_argument, NULL, OPT_V8_LOG },
		{ "collapsed", required_argument, NULL, OPT_COLLAPSED },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "output", required_argument, NULL, 'o' },
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct import_file *files = NULL;
	size_t nfiles = 0, files_cap = 0, nplugins = 0, plugins_cap = 0;
	char **plugin_paths = NULL;
	const char *out = NULL, *in = NULL, *collapsed = NULL;
	uint32_t *pids = NULL;
	size_t npids = 0;
	struct plugin_host *h = NULL;
	struct plugin_host_opts popts;
	int c, ret = TP_EXIT_ERROR, verbose = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_V8_LOG:
			TP_VEC_PUSH(files, nfiles, files_cap,
				    ((struct import_file){ .path = optarg, .kind = "v8-log" }));
			break;
		case OPT_COLLAPSED:
			if (collapsed) {
				pr_err("--collapsed takes one file");
				goto out;
			}
			collapsed = optarg;
			break;
		case OPT_PID:
			free(pids);
			pids = NULL;
			npids = 0;
			if (cli_parse_id_list(optarg, &pids, &npids) || npids != 1) {
				pr_err("--pid takes one process id");
				goto out;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_PLUGIN:
			TP_VEC_PUSH(plugin_paths, nplugins, plugins_cap, optarg);
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			ret = TP_EXIT_OK;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (verbose)
		tp_log_set_level(verbose > 1 ? TP_LOG_DEBUG : TP_LOG_INFO);
	/* Captures are written next to OUT and renamed over it, which would
	 * replace a device node (/dev/null) with a file. */
	if (out && tp_path_is_special(out)) {
		pr_err("cannot write %s: not a regular file", out);
		goto out;
	}
	if (collapsed) {
		if (optind < argc || nfiles || npids) {
			pr_err("--collapsed makes a capture of its own: no CAPTURE, --v8-log or "
			       "--pid with it");
			usage(stderr);
			goto out;
		}
		ret = import_collapsed_cmd(collapsed, out ? out : "tierprof.data", argc, argv);
		goto out;
	}
	if (optind < argc)
		in = argv[optind++];
	if (optind < argc || !nfiles) {
		if (!nfiles)
			pr_err("nothing to import: give --v8-log FILE or --collapsed FILE");
		else
			pr_err("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		goto out;
	}
	if (!out)
		out = in ? in : "tierprof.data";
	popts = (struct plugin_host_opts){ .extra = plugin_paths, .nextra = nplugins };
	plugin_host__new(&popts, &h);
	for (size_t i = 0; i < nfiles; i++) {
		struct import_file *f = &files[i];
		int err = tp_read_file(f->path, &f->data, &f->len);

		if (err) {
			pr_err("cannot read %s: %s", f->path, tp_strerror(err));
			goto out;
		}
		f->pid = npids ? pids[0] : pid_from_name(f->path);
		if (check_file(h, f))
			goto out;
	}
	if (!in && !access(out, F_OK)) {
		char *old = tp_xasprintf("%s.old", out);

		rename(out, old);
		free(old);
	}
	if (write_capture(in, out, files, nfiles, argc, argv) == 0) {
		fprintf(stderr, "tierprof import: %zu file%s attached to %s\n", nfiles,
			nfiles == 1 ? "" : "s", out);
		ret = TP_EXIT_OK;
	}
out:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i].data);
	free(files);
	free(plugin_paths);
	free(pids);
	plugin_host__delete(h);
	return ret;
}
