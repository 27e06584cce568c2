/* tierprof report: read a capture and show where the time went. */
#include "cli.h"
#include "load_opts.h"
#include "../analysis/findings.h"
#include "../analysis/functions.h"
#include "../model/load.h"
#include "../model/profile.h"
#include "../output/output.h"
#include "../output/pprof.h"
#include "../output/speedscope.h"
#include "../plugin/host.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum report_format { FORMAT_TEXT, FORMAT_FOLDED, FORMAT_JSON, FORMAT_PPROF, FORMAT_SPEEDSCOPE };

struct report_args {
	const char *input;
	const char *output;
	enum report_format format;
	struct report_opts opts;
	struct load_opts load; /* filters, plugins, -v: shared with flame */
	struct pprof_opts pprof;
	int deopts; /* tierprof deopts: the deopt listing instead of the report */
	struct findings_opts fopts;
};

static const char *prog = "report"; /* or "deopts": one option set, two commands */

static void usage(FILE *f)
{
	fprintf(f, "usage: tierprof %s [options] [FILE]   (default FILE: tierprof.data)\n\n", prog);
	if (!strcmp(prog, "deopts"))
		fprintf(f, "Deopt events by function and reason (formats: text, json).\n\n");
	fprintf(f,
		"  -f, --format FMT     text (default), folded, json, pprof, speedscope\n"
		"  -o, --output FILE    write there instead of stdout\n"
		"      --view V         text views: all (default), bottom-up, top-down, tree\n"
		"      --limit N        rows per table (default 25; json: functions, default all)\n"
		"      --min-percent X  call tree: hide nodes below X%% (default 1)\n"
		"      --annotate       folded: tier suffixes _[k] _[j] _[i] _[1] _[0]\n"
		"      --no-thread      folded: stacks without the thread name in front\n"
		"      --tier-in-name   pprof: function names carry the tier, \"add [TurboFan]\"\n"
		"      --hot-share PCT  findings: own share a function needs (default 2)\n"
		"      --lower-share PCT  findings: interpreter+baseline share that flags it "
		"(default 50)\n"
		"      --min-cycles N   findings: deopt/re-optimize cycles that make a loop "
		"(default 3)\n");
	load_opts__usage(f);
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	enum {
		OPT_VIEW = 256,
		OPT_LIMIT,
		OPT_MINPCT,
		OPT_ANNOTATE,
		OPT_NO_THREAD,
		OPT_TIER_IN_NAME,
		OPT_HOT_SHARE,
		OPT_LOWER_SHARE,
		OPT_MIN_CYCLES
	};
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "min-percent", required_argument, NULL, OPT_MINPCT },
		{ "annotate", no_argument, NULL, OPT_ANNOTATE },
		{ "no-thread", no_argument, NULL, OPT_NO_THREAD },
		{ "tier-in-name", no_argument, NULL, OPT_TIER_IN_NAME },
		{ "hot-share", required_argument, NULL, OPT_HOT_SHARE },
		{ "lower-share", required_argument, NULL, OPT_LOWER_SHARE },
		{ "min-cycles", required_argument, NULL, OPT_MIN_CYCLES },
		{ "help", no_argument, NULL, 'h' },
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	int c, limit_set = 0;

	a->input = "tierprof.data";
	a->fopts = findings_opts__default;
	a->opts = (struct report_opts){
		.limit = 25, .min_percent = 1.0, .bottom_up = 1, .top_down = 1, .tree = 1
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&a->load, c, optarg);

		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				a->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "folded"))
				a->format = FORMAT_FOLDED;
			else if (!strcmp(optarg, "json"))
				a->format = FORMAT_JSON;
			else if (!strcmp(optarg, "pprof"))
				a->format = FORMAT_PPROF;
			else if (!strcmp(optarg, "speedscope"))
				a->format = FORMAT_SPEEDSCOPE;
			else {
				pr_err("unknown format '%s' (%s)", optarg,
				       "text, folded, json, pprof, speedscope");
				return -1;
			}
			break;
		case 'o':
			a->output = optarg;
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
		case OPT_NO_THREAD:
			a->opts.no_thread = 1;
			break;
		case OPT_ANNOTATE:
			a->opts.annotate = 1;
			break;
		case OPT_TIER_IN_NAME:
			a->pprof.tier_in_name = 1;
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
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
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
	int need_findings;
	struct findings fd;
	struct profile p;
	struct func_table t;
	struct plugin_host *plugins = NULL;
	FILE *out = stdout;
	int err = 0, ret = TP_EXIT_ERROR;

	prog = deopts ? "deopts" : "report";
	if (parse_args(argc, argv, &a))
		goto out_args;
	if (a.deopts && a.format != FORMAT_TEXT && a.format != FORMAT_JSON) {
		pr_err("tierprof deopts writes text or json");
		goto out_args;
	}
	if (a.format == FORMAT_PPROF && !a.output && isatty(STDOUT_FILENO)) {
		pr_err("pprof output is gzipped binary: write it to a file with -o FILE.pb.gz");
		goto out_args;
	}
	if (load_opts__load(&a.load, a.input, &p, &plugins))
		goto out_args;
	if (a.output) {
		out = fopen(a.output, "w");
		if (!out) {
			pr_err("cannot write %s: %s", a.output, strerror(errno));
			goto out_profile;
		}
	}
	func_table__build(&t, &p);
	/* Only the text and JSON views show findings: skip the per-sample pass
	 * for the interchange formats. */
	need_findings = a.deopts || a.format == FORMAT_TEXT || a.format == FORMAT_JSON;
	if (need_findings)
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
	case FORMAT_PPROF:
		err = output_pprof(out, &p, &a.pprof);
		break;
	case FORMAT_SPEEDSCOPE:
		err = output_speedscope(out, &p);
		break;
	}
written:
	if (need_findings)
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
	load_opts__unload(&p, plugins);
out_args:
	load_opts__exit(&a.load);
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
