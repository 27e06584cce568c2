/* tierprof report: read a capture and show where the time went. */
#include "cli.h"
#include "args.h"
#include "../analysis/findings.h"
#include "../analysis/functions.h"
#include "../model/load.h"
#include "../model/profile.h"
#include "../output/output.h"
#include "../plugin/host.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum report_format { FORMAT_TEXT, FORMAT_FOLDED, FORMAT_JSON };

struct report_args {
	const char *input;
	const char *output;
	enum report_format format;
	struct report_opts opts;
	uint32_t *pids, *tids;
	size_t npids, ntids, ncomms;
	char **comms;
	const char *debug_root;
	char **plugins;
	size_t nplugins, plugins_cap;
	int no_builtin_plugins;
	int deopts; /* tierprof deopts: the deopt listing instead of the report */
	struct findings_opts fopts;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof report [options] [FILE]   (default FILE: tierprof.data)\n\n"
		"  -f, --format FMT     text (default), folded, json\n"
		"  -o, --output FILE    write there instead of stdout\n"
		"      --pid P[,P...]   only these processes\n"
		"      --tid T[,T...]   only these threads\n"
		"      --comm N[,N...]  only threads or processes with these names\n"
		"      --view V         text views: all (default), bottom-up, top-down, tree\n"
		"      --limit N        rows per table (default 25; json: functions, default all)\n"
		"      --min-percent X  call tree: hide nodes below X%% (default 1)\n"
		"      --annotate       folded: tier suffixes _[k] _[j] _[1] _[0]\n"
		"      --hot-share PCT  findings: own share a function needs (default 2)\n"
		"      --lower-share PCT  findings: interpreter+baseline share that flags it "
		"(default 50)\n"
		"      --min-cycles N   findings: deopt/re-optimize cycles that make a loop "
		"(default 3)\n"
		"      --debug-dir DIR  where debug files live (default /usr/lib/debug)\n"
		"      --plugin PATH    load a runtime plugin (repeatable; also "
		"TIERPROF_PLUGIN_PATH)\n"
		"      --no-builtin-plugins  do not load the plugins shipped with tierprof\n"
		"  -v, --verbose        say more\n");
}

static void parse_list_str(const char *s, char ***out, size_t *n)
{
	char *copy = tp_xstrdup(s), *save = NULL;
	size_t cap = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		TP_VEC_PUSH(*out, *n, cap, tp_xstrdup(tok));
	free(copy);
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	enum {
		OPT_PID = 256,
		OPT_TID,
		OPT_COMM,
		OPT_VIEW,
		OPT_LIMIT,
		OPT_MINPCT,
		OPT_ANNOTATE,
		OPT_DEBUG_DIR,
		OPT_PLUGIN,
		OPT_NO_BUILTIN,
		OPT_HOT_SHARE,
		OPT_LOWER_SHARE,
		OPT_MIN_CYCLES
	};
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "tid", required_argument, NULL, OPT_TID },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "min-percent", required_argument, NULL, OPT_MINPCT },
		{ "annotate", no_argument, NULL, OPT_ANNOTATE },
		{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "no-builtin-plugins", no_argument, NULL, OPT_NO_BUILTIN },
		{ "hot-share", required_argument, NULL, OPT_HOT_SHARE },
		{ "lower-share", required_argument, NULL, OPT_LOWER_SHARE },
		{ "min-cycles", required_argument, NULL, OPT_MIN_CYCLES },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, limit_set = 0, verbose = 0;

	a->input = "tierprof.data";
	a->fopts = findings_opts__default;
	a->opts = (struct report_opts){
		.limit = 25, .min_percent = 1.0, .bottom_up = 1, .top_down = 1, .tree = 1
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				a->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "folded"))
				a->format = FORMAT_FOLDED;
			else if (!strcmp(optarg, "json"))
				a->format = FORMAT_JSON;
			else {
				pr_err("unknown format '%s' (text, folded, json)", optarg);
				return -1;
			}
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_PID:
			if (cli_parse_id_list(optarg, &a->pids, &a->npids))
				return -1;
			break;
		case OPT_TID:
			if (cli_parse_id_list(optarg, &a->tids, &a->ntids))
				return -1;
			break;
		case OPT_COMM:
			parse_list_str(optarg, &a->comms, &a->ncomms);
			break;
		case OPT_VIEW:
			a->opts.bottom_up = !strcmp(optarg, "all") || !strcmp(optarg, "bottom-up");
			a->opts.top_down = !strcmp(optarg, "all") || !strcmp(optarg, "top-down");
			a->opts.tree = !strcmp(optarg, "all") || !strcmp(optarg, "tree");
			if (!a->opts.bottom_up && !a->opts.top_down && !a->opts.tree) {
				pr_err("unknown view '%s' (all, bottom-up, top-down, tree)",
				       optarg);
				return -1;
			}
			break;
		case OPT_LIMIT: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || end == optarg || v == 0 || v > UINT32_MAX) {
				pr_err("invalid limit '%s'", optarg);
				return -1;
			}
			a->opts.limit = (unsigned)v;
			limit_set = 1;
			break;
		}
		case OPT_MINPCT: {
			char *end;

			a->opts.min_percent = strtod(optarg, &end);
			if (*end || end == optarg || a->opts.min_percent < 0) {
				pr_err("invalid percentage '%s'", optarg);
				return -1;
			}
			break;
		}
		case OPT_ANNOTATE:
			a->opts.annotate = 1;
			break;
		case OPT_DEBUG_DIR:
			a->debug_root = optarg;
			break;
		case OPT_PLUGIN:
			TP_VEC_PUSH(a->plugins, a->nplugins, a->plugins_cap, optarg);
			break;
		case OPT_NO_BUILTIN:
			a->no_builtin_plugins = 1;
			break;
		case OPT_HOT_SHARE:
		case OPT_LOWER_SHARE: {
			char *end;
			double v = strtod(optarg, &end);

			if (*end || end == optarg || v < 0 || v > 100) {
				pr_err("invalid percentage '%s' (0 to 100)", optarg);
				return -1;
			}
			if (c == OPT_HOT_SHARE)
				a->fopts.hot_share = v / 100;
			else
				a->fopts.lower_share = v / 100;
			break;
		}
		case OPT_MIN_CYCLES: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || end == optarg || v == 0 || v > 1000000) {
				pr_err("invalid cycle count '%s'", optarg);
				return -1;
			}
			a->fopts.min_cycles = (unsigned)v;
			break;
		}
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (verbose)
		tp_log_set_level(verbose > 1 ? TP_LOG_DEBUG : TP_LOG_INFO);
	if (optind < argc)
		a->input = argv[optind++];
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (a->format == FORMAT_JSON && !limit_set)
		a->opts.limit = UINT32_MAX;
	return 0;
}

static int report_main(int argc, char **argv, int deopts)
{
	struct report_args a = { .deopts = deopts };
	struct findings fd;
	struct load_filter filter;
	struct profile p;
	struct func_table t;
	struct plugin_host *plugins = NULL;
	struct plugin_host_opts popts;
	char err_msg[1024];
	FILE *out = stdout;
	int err, ret = TP_EXIT_ERROR;

	if (parse_args(argc, argv, &a))
		goto out_args;
	filter = (struct load_filter){ .pids = a.pids,
				       .npids = a.npids,
				       .tids = a.tids,
				       .ntids = a.ntids,
				       .comms = a.comms,
				       .ncomms = a.ncomms };
	popts = (struct plugin_host_opts){ .extra = a.plugins,
					   .nextra = a.nplugins,
					   .no_builtin = a.no_builtin_plugins };
	plugin_host__new(&popts, &plugins);
	filter.plugins = plugins;
	profile__init(&p, a.debug_root);
	err = profile__load(&p, a.input, &filter, err_msg, sizeof(err_msg));
	if (err) {
		pr_err("%s", err_msg);
		goto out_profile;
	}
	if (err_msg[0])
		pr_warn("%s", err_msg); /* damaged capture: report what was read */
	if (a.output) {
		out = fopen(a.output, "w");
		if (!out) {
			pr_err("cannot write %s: %s", a.output, strerror(errno));
			goto out_profile;
		}
	}
	func_table__build(&t, &p);
	findings__build(&fd, &p, &t, &a.fopts);
	if (a.deopts) {
		err = a.format == FORMAT_JSON ? output_deopts_json(out, &p, &fd)
					      : output_deopts_text(out, &p, &fd);
		goto written;
	}
	switch (a.format) {
	case FORMAT_TEXT:
		err = output_text(out, &p, &t, &fd, &a.opts);
		break;
	case FORMAT_FOLDED:
		err = output_folded(out, &p, &a.opts);
		break;
	case FORMAT_JSON:
		err = output_json(out, &p, &t, &fd, &a.opts);
		break;
	}
written:
	findings__exit(&fd);
	func_table__exit(&t);
	if (out != stdout && fclose(out))
		err = -1;
	else if (out == stdout && fflush(out))
		err = -1;
	if (err)
		pr_err("writing the report to %s failed", a.output ? a.output : "stdout");
	else
		ret = TP_EXIT_OK;
out_profile:
	profile__exit(&p);
	plugin_host__delete(plugins);
out_args:
	free(a.pids);
	free(a.tids);
	for (size_t i = 0; i < a.ncomms; i++)
		free(a.comms[i]);
	free(a.comms);
	free(a.plugins);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	return report_main(argc, argv, 0);
}

int cmd_deopts(int argc, char **argv)
{
	return report_main(argc, argv, 1);
}
