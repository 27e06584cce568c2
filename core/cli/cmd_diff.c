/* tierprof diff BASE NEW: what changed between two runs of one workload,
 * with a significance test so that noise is not reported as change
 * (analysis/diff.h), a --focus verdict and a differential flame graph. */
#include "cli.h"
#include "load_opts.h"
#include "out_file.h"
#include "stat_opts.h"
#include "../analysis/diff.h"
#include "../model/profile.h"
#include "../output/diff_out.h"
#include "../plugin/host.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diff_args {
	const char *base, *new_;
	const char *output;
	const char *flame;
	const char *focus;
	int json;
	struct diff_out_opts out;
	struct stat_opts stat;
	struct load_opts load;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof diff [options] BASE NEW\n\n"
		"Compare two captures of one workload: headline figures (CPU samples, tier\n"
		"shares, deopt loops, lost samples) and, per function and tier, the change in\n"
		"its share of the samples, each tested for significance. Noise is not\n"
		"reported as change.\n\n"
		"  -f, --format FMT     text (default) or json\n"
		"  -o, --output FILE    write there instead of stdout\n"
		"      --focus FUNC     verdict for the function you fixed: did its local frame\n"
		"                       shrink, did the headline (CPU samples) improve, both,\n"
		"                       neither (FUNC: its name, or its V8 name's first word)\n"
		"      --flame FILE     also write a differential flame graph SVG (red grew,\n"
		"                       blue shrank, a tier strip at each box's foot)\n"
		"      --limit N        function rows in the text (default 30)\n"
		"      --all-rows       json: every tested row, not only the changes\n");
	stat_opts__usage(f);
	load_opts__usage(f);
}

static int parse_args(int argc, char **argv, struct diff_args *a)
{
	enum { OPT_FOCUS = 256, OPT_FLAME, OPT_LIMIT, OPT_ALL_ROWS };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "focus", required_argument, NULL, OPT_FOCUS },
		{ "flame", required_argument, NULL, OPT_FLAME },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "all-rows", no_argument, NULL, OPT_ALL_ROWS },
		{ "help", no_argument, NULL, 'h' },
		STAT_OPTS_LONGOPTIONS,
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	int c;
	double v;

	a->output = "-";
	a->out.limit = 30;
	stat_opts__init(&a->stat);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&a->load, c, optarg);

		if (!r)
			r = stat_opts__parse(&a->stat, c, optarg);
		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				a->json = 1;
			else if (strcmp(optarg, "text")) {
				pr_err("unknown format '%s' (text, json)", optarg);
				return -1;
			}
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_FOCUS:
			if (!*optarg) {
				pr_err("empty --focus");
				return -1;
			}
			a->focus = optarg;
			break;
		case OPT_FLAME:
			a->flame = optarg;
			break;
		case OPT_LIMIT:
			if (cli_parse_number("--limit", optarg, 0, 1e6, 0, &v))
				return -1;
			a->out.limit = (unsigned)v;
			break;
		case OPT_ALL_ROWS:
			a->out.all_rows = 1;
			break;
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (argc - optind != 2) {
		pr_err(argc - optind < 2 ? "diff needs two captures: BASE NEW"
					 : "unexpected argument '%s'",
		       argv[optind + 2 < argc ? optind + 2 : 0]);
		return -1;
	}
	a->base = argv[optind];
	a->new_ = argv[optind + 1];
	return 0;
}

static int write_flame(const char *path, const struct profile *pa, const struct profile *pb,
		       const struct diff_args *a)
{
	struct out_file of;
	char *title;
	int err;

	if (out_file__open(&of, path))
		return -1;
	title = tp_xasprintf("Differential flame graph: %s -> %s", a->base, a->new_);
	err = output_diff_flame(of.f, pa, pb, title, a->stat.diff.min_effect);
	free(title);
	return out_file__commit(&of, err != 0);
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { 0 };
	struct plugin_host *ha = NULL, *hb = NULL;
	struct profile pa, pb;
	struct diff_side sa, sb;
	struct diff_result r;
	struct diff_focus focus;
	struct out_file of;
	int have_focus = 0, ret = TP_EXIT_ERROR, err;

	if (parse_args(argc, argv, &a))
		goto out_args;
	if (load_opts__load(&a.load, a.base, &pa, &ha))
		goto out_args;
	if (load_opts__load(&a.load, a.new_, &pb, &hb))
		goto out_a;
	if (!pa.nsamples || !pb.nsamples) {
		pr_err("%s: no samples%s: nothing to compare", !pa.nsamples ? a.base : a.new_,
		       a.load.npids || a.load.ntids || a.load.ncomms ? " after the filters" : "");
		goto out_b;
	}
	diff_side__from_profile(&sa, &pa, a.stat.slices, 1);
	diff_side__from_profile(&sb, &pb, a.stat.slices, 1);
	diff__compare(&r, &sa, &sb, &a.stat.diff);
	if (a.focus) {
		if (diff__focus(&focus, &r, a.focus)) {
			pr_err("--focus '%s': no function of that name in %s or %s", a.focus,
			       a.base, a.new_);
			goto out_result;
		}
		have_focus = 1;
	}
	if (a.flame && write_flame(a.flame, &pa, &pb, &a))
		goto out_result;
	if (out_file__open(&of, a.output))
		goto out_result;
	err = a.json ? output_diff_json(of.f, &r, have_focus ? &focus : NULL, &a.out)
		     : output_diff_text(of.f, &r, have_focus ? &focus : NULL, &a.out);
	if (out_file__commit(&of, err != 0))
		goto out_result;
	ret = TP_EXIT_OK;
out_result:
	diff_result__exit(&r);
	diff_side__exit(&sa);
	diff_side__exit(&sb);
out_b:
	load_opts__unload(&pb, hb);
out_a:
	load_opts__unload(&pa, ha);
out_args:
	load_opts__exit(&a.load);
	return ret;
}
