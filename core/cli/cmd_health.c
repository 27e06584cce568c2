/* tierprof health CAPTURE... [--baseline health.json] -o report.html
 * --json health.json: the nightly JIT-health report. */
#include "cli.h"
#include "baseline.h"
#include "load_opts.h"
#include "out_file.h"
#include "stat_opts.h"
#include "../analysis/diff.h"
#include "../analysis/health.h"
#include "../model/profile.h"
#include "../output/health.h"
#include "../plugin/host.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct health_args {
	char **inputs;
	size_t ninputs;
	const char *html, *json, *baseline;
	int timestamp;
	struct stat_opts stat;
	struct load_opts load;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof health [options] CAPTURE...\n\n"
		"The JIT-health report of one or more captures: per process and runtime the\n"
		"tier mix, interpreter-dominated functions, deopt loops (with tier timelines),\n"
		"unknown causes and lost samples; compared with a baseline, with significance.\n\n"
		"  -o, --output FILE    the HTML report (default health.html unless only --json)\n"
		"      --json FILE      the health JSON (docs/health-schema.md): tomorrow's\n"
		"                       baseline\n"
		"  -b, --baseline FILE  a health JSON or a capture to compare with; each capture\n"
		"                       is compared with the baseline's capture of the same name\n"
		"                       (file name without .data), else its first\n"
		"      --timestamp      add the generation time to the JSON (off: the same\n"
		"                       capture always gives the same bytes)\n");
	stat_opts__usage(f);
	load_opts__usage(f);
}

static int parse_args(int argc, char **argv, struct health_args *a)
{
	enum { OPT_JSON = 256, OPT_TIMESTAMP };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "baseline", required_argument, NULL, 'b' },
		{ "timestamp", no_argument, NULL, OPT_TIMESTAMP },
		{ "help", no_argument, NULL, 'h' },
		STAT_OPTS_LONGOPTIONS,
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	int c;

	stat_opts__init(&a->stat);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:b:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&a->load, c, optarg);

		if (!r)
			r = stat_opts__parse(&a->stat, c, optarg);
		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'o':
			a->html = optarg;
			break;
		case OPT_JSON:
			a->json = optarg;
			break;
		case 'b':
			a->baseline = optarg;
			break;
		case OPT_TIMESTAMP:
			a->timestamp = 1;
			break;
		case 'h':
			usage(stdout);
			exit(TP_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind == argc) {
		pr_err("health needs at least one capture");
		return -1;
	}
	a->inputs = argv + optind;
	a->ninputs = (size_t)(argc - optind);
	if (!a->html && !a->json)
		a->html = "health.html";
	if (a->html && a->json && !strcmp(a->html, a->json)) {
		pr_err("-o and --json name the same file '%s'", a->html);
		return -1;
	}
	return 0;
}

struct loaded {
	struct profile p;
	struct plugin_host *host;
	struct health h;
	struct diff_side base;
	struct diff_result cmp;
	int loaded, built, has_base;
};

int cmd_health(int argc, char **argv)
{
	struct health_args a = { 0 };
	struct loaded *l = NULL;
	struct health_entry *e = NULL;
	struct out_file of;
	int ret = TP_EXIT_ERROR;
	size_t i;

	if (parse_args(argc, argv, &a))
		goto out;
	l = tp_xcalloc(a.ninputs, sizeof(*l));
	e = tp_xcalloc(a.ninputs, sizeof(*e));
	for (i = 0; i < a.ninputs; i++) {
		if (load_opts__load(&a.load, a.inputs[i], &l[i].p, &l[i].host))
			goto out;
		l[i].loaded = 1;
		if (!l[i].p.nsamples) {
			pr_err("%s: no samples%s", a.inputs[i],
			       a.load.npids || a.load.ntids || a.load.ncomms ? " after the filters"
									     : "");
			goto out;
		}
		health__build(&l[i].h, &l[i].p, a.inputs[i], a.stat.slices);
		l[i].built = 1;
		e[i].h = &l[i].h;
		if (a.baseline) {
			if (baseline__load(&l[i].base, a.baseline, NULL, a.inputs[i], a.stat.slices,
					   &a.load))
				goto out;
			l[i].has_base = 1;
			diff__compare(&l[i].cmp, &l[i].base, &l[i].h.side, &a.stat.diff);
			e[i].cmp = &l[i].cmp;
		}
	}
	if (a.json) {
		if (out_file__open(&of, a.json) ||
		    out_file__commit(&of, output_health_json(of.f, e, a.ninputs, a.baseline,
							     a.timestamp) != 0))
			goto out;
	}
	if (a.html) {
		if (out_file__open(&of, a.html) ||
		    out_file__commit(&of, output_health_html(of.f, e, a.ninputs, a.baseline) != 0))
			goto out;
	}
	for (i = 0; i < a.ninputs; i++) {
		pr_info("%s: %zu deopt loops, %zu findings", a.inputs[i], l[i].h.side.nloops,
			l[i].h.fd.nitems);
	}
	ret = TP_EXIT_OK;
out:
	for (i = 0; l && i < a.ninputs; i++) {
		if (l[i].has_base) {
			diff_result__exit(&l[i].cmp);
			diff_side__exit(&l[i].base);
		}
		if (l[i].built)
			health__exit(&l[i].h);
		if (l[i].loaded)
			load_opts__unload(&l[i].p, l[i].host);
	}
	free(l);
	free(e);
	load_opts__exit(&a.load);
	return ret;
}
