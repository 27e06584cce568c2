/* tierprof check CAPTURE --rules FILE [--baseline CAPTURE|health.json]:
 * the PR-time gate. Exit 0 when every rule holds, 1 on a violation, 2 on
 * bad input (the rules file's errors name file and line). */
#include "cli.h"
#include "baseline.h"
#include "load_opts.h"
#include "out_file.h"
#include "stat_opts.h"
#include "../analysis/check.h"
#include "../analysis/diff.h"
#include "../analysis/findings.h"
#include "../analysis/functions.h"
#include "../analysis/rules.h"
#include "../model/profile.h"
#include "../output/check_out.h"
#include "../plugin/host.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum check_format { CHECK_TEXT, CHECK_JSON, CHECK_GITHUB };

struct check_args {
	const char *input, *rules, *baseline, *output;
	enum check_format format;
	struct stat_opts stat;
	struct load_opts load;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof check [options] --rules FILE CAPTURE\n\n"
		"Check a capture against the rules of FILE (docs/check.md): tier shares, deopt\n"
		"loops, unknown and lost samples, and no significant regression against a\n"
		"baseline. Exit 0 when every rule holds, 1 when one is violated, 2 on bad "
		"input.\n\n"
		"  -r, --rules FILE     the rules file (required)\n"
		"  -b, --baseline FILE  a capture, or a health JSON (tierprof health --json),\n"
		"                       for no-regression rules\n"
		"      --baseline-name N  which capture of a health JSON (default: the one named\n"
		"                       like CAPTURE, else the first)\n"
		"  -f, --format FMT     text (default), json (with CI annotations), github\n"
		"                       (GitHub Actions ::error lines, then the text)\n"
		"  -o, --output FILE    write there instead of stdout\n");
	stat_opts__usage(f);
	fprintf(f, "  (a statistics option given here overrides the rules file's 'set' line)\n");
	load_opts__usage(f);
}

static const char *baseline_name;

static int parse_args(int argc, char **argv, struct check_args *a)
{
	enum { OPT_BASELINE_NAME = 256 };
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "baseline-name", required_argument, NULL, OPT_BASELINE_NAME },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		STAT_OPTS_LONGOPTIONS,
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	int c;

	a->output = "-";
	stat_opts__init(&a->stat);
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:b:f:o:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&a->load, c, optarg);

		if (!r)
			r = stat_opts__parse(&a->stat, c, optarg);
		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'r':
			a->rules = optarg;
			break;
		case 'b':
			a->baseline = optarg;
			break;
		case OPT_BASELINE_NAME:
			baseline_name = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				a->format = CHECK_TEXT;
			else if (!strcmp(optarg, "json"))
				a->format = CHECK_JSON;
			else if (!strcmp(optarg, "github"))
				a->format = CHECK_GITHUB;
			else {
				pr_err("unknown format '%s' (text, json, github)", optarg);
				return -1;
			}
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (!a->rules) {
		pr_err("check needs --rules FILE (docs/check.md)");
		return -1;
	}
	if (argc - optind != 1) {
		pr_err(argc == optind ? "check needs a capture" : "unexpected argument '%s'",
		       argv[argc == optind ? 0 : optind + 1]);
		return -1;
	}
	a->input = argv[optind];
	return 0;
}

static int load_rules(const char *path, struct rules *rs)
{
	char *buf, err[512];
	size_t len;
	int r = tp_read_file(path, &buf, &len);

	if (r) {
		pr_err("cannot read rules file %s: %s", path, tp_strerror(r));
		return -1;
	}
	r = rules__parse(rs, buf, len, path, err, sizeof(err));
	free(buf);
	if (r)
		pr_err("%s", err);
	return r;
}

/* Command-line statistics options win over the rules file's set lines. */
static void merge_stat(struct rules *rs, const struct stat_opts *so)
{
	const struct diff_opts *d = &so->diff;

	if (so->set & (1u << (STAT_OPT_CONFIDENCE - STAT_OPT_CONFIDENCE)))
		rs->stat.confidence = d->confidence;
	if (so->set & (1u << (STAT_OPT_MIN_EFFECT - STAT_OPT_CONFIDENCE)))
		rs->stat.min_effect = d->min_effect;
	if (so->set & (1u << (STAT_OPT_MIN_CPU - STAT_OPT_CONFIDENCE)))
		rs->stat.min_cpu_change = d->min_cpu_change;
	if (so->set & (1u << (STAT_OPT_CPU_NOISE - STAT_OPT_CONFIDENCE)))
		rs->stat.cpu_noise = d->cpu_noise;
	if (so->set & (1u << (STAT_OPT_MIN_SAMPLES - STAT_OPT_CONFIDENCE)))
		rs->stat.min_samples = d->min_samples;
	if (so->set & (1u << (STAT_OPT_SLICES - STAT_OPT_CONFIDENCE)))
		rs->slices = so->slices;
	if (so->set & (1u << (STAT_OPT_CORRECTION - STAT_OPT_CONFIDENCE)))
		rs->stat.correction = d->correction;
}

static int needs_baseline(const struct rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->v[i].kind == RULE_NO_REGRESSION)
			return 1;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { 0 };
	struct rules rs = { 0 };
	struct plugin_host *host = NULL;
	struct profile p;
	struct func_table t;
	struct findings fd;
	struct diff_side base = { 0 }, cur = { 0 };
	struct diff_result d = { 0 };
	struct check_result c;
	struct check_info info;
	struct out_file of;
	int have_base = 0, ret = TP_EXIT_ERROR, err;

	if (parse_args(argc, argv, &a) || load_rules(a.rules, &rs))
		goto out_args;
	merge_stat(&rs, &a.stat);
	if (a.baseline && !needs_baseline(&rs))
		pr_warn("--baseline %s: no no-regression rule in %s uses it", a.baseline, a.rules);
	if (a.baseline && needs_baseline(&rs)) {
		if (baseline__load(&base, a.baseline, baseline_name, a.input, rs.slices, &a.load))
			goto out_args;
		have_base = 1;
	}
	if (load_opts__load(&a.load, a.input, &p, &host))
		goto out_base;
	if (!p.nsamples) {
		pr_err("%s: no samples%s: nothing to check", a.input,
		       a.load.npids || a.load.ntids || a.load.ncomms ? " after the filters" : "");
		goto out_profile;
	}
	func_table__build(&t, &p);
	findings__build(&fd, &p, &t, NULL);
	if (have_base) {
		diff_side__from_profile(&cur, &p, rs.slices, 1);
		diff__compare(&d, &base, &cur, &rs.stat);
	}
	check__run(&c, &rs, &p, &t, &fd, have_base ? &d : NULL);
	info = (struct check_info){ .capture = a.input,
				    .rules_file = a.rules,
				    .baseline = have_base ? a.baseline : NULL };
	if (out_file__open(&of, a.output))
		goto out_check;
	err = a.format == CHECK_JSON	 ? output_check_json(of.f, &c, &info)
	      : a.format == CHECK_GITHUB ? output_check_github(of.f, &c, &info)
					 : output_check_text(of.f, &c, &info);
	if (out_file__commit(&of, err != 0))
		goto out_check;
	ret = c.failed ? TP_EXIT_FAIL : TP_EXIT_OK;
out_check:
	check_result__exit(&c);
	if (have_base) {
		diff_result__exit(&d);
		diff_side__exit(&cur);
	}
	findings__exit(&fd);
	func_table__exit(&t);
out_profile:
	load_opts__unload(&p, host);
out_base:
	if (have_base)
		diff_side__exit(&base);
out_args:
	rules__exit(&rs);
	load_opts__exit(&a.load);
	return ret;
}
