/* tierprof flame: read a capture and draw it as an interactive SVG flame
 * graph coloured by tier (output/flame_svg.h). */
#include "cli.h"
#include "load_opts.h"
#include "../model/profile.h"
#include "../output/flame_svg.h"
#include "../output/flame_tree.h"
#include "../plugin/host.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLAME_MIN_WIDTH 200
#define FLAME_MAX_WIDTH 100000

struct flame_args {
	const char *input;
	const char *output;
	struct flame_svg_opts svg;
	double minwidth_pct; /* --minwidth given in %, else < 0 */
	struct load_opts load;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof flame [options] [FILE]   (default FILE: tierprof.data)\n\n"
		"Draw the capture as a self-contained interactive SVG flame graph, coloured by\n"
		"tier: hover a box for its samples and tier mix, click to zoom, Ctrl-F to "
		"search.\n\n"
		"  -o, --output FILE    write the SVG there (default flame.svg; - for stdout)\n"
		"      --title TEXT     title line (default \"Flame graph\")\n"
		"      --width PX       image width in pixels, %d to %d (default %d)\n"
		"      --minwidth W     merge boxes narrower than W pixels, or W%% of the width\n"
		"                       (default %g px; 0 draws every box)\n"
		"      --inverted       bottom-up: hot leaf functions at the top, their callers\n"
		"                       below them\n",
		FLAME_MIN_WIDTH, FLAME_MAX_WIDTH, FLAME_DEFAULT_WIDTH, FLAME_DEFAULT_MINWIDTH);
	load_opts__usage(f);
}

/* "0.5" pixels or "0.1%" of the width. */
static int parse_minwidth(const char *s, struct flame_args *a)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0) {
		pr_err("invalid --minwidth '%s' (pixels, or a percentage such as 0.1%%)", s);
		return -1;
	}
	if (!strcmp(end, "%")) {
		if (v > 100) {
			pr_err("invalid --minwidth '%s': at most 100%%", s);
			return -1;
		}
		a->minwidth_pct = v;
	} else if (*end) {
		pr_err("invalid --minwidth '%s' (pixels, or a percentage such as 0.1%%)", s);
		return -1;
	} else {
		a->minwidth_pct = -1;
		a->svg.minwidth = v;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct flame_args *a)
{
	enum { OPT_TITLE = 256, OPT_WIDTH, OPT_MINWIDTH, OPT_INVERTED };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
		{ "inverted", no_argument, NULL, OPT_INVERTED },
		{ "help", no_argument, NULL, 'h' },
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	int c;

	a->input = "tierprof.data";
	a->output = "flame.svg";
	a->svg.width = FLAME_DEFAULT_WIDTH;
	a->svg.minwidth = FLAME_DEFAULT_MINWIDTH;
	a->minwidth_pct = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&a->load, c, optarg);

		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'o':
			a->output = optarg;
			break;
		case OPT_TITLE:
			a->svg.title = optarg;
			break;
		case OPT_WIDTH: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < FLAME_MIN_WIDTH ||
			    v > FLAME_MAX_WIDTH) {
				pr_err("invalid --width '%s' (pixels, %d to %d)", optarg,
				       FLAME_MIN_WIDTH, FLAME_MAX_WIDTH);
				return -1;
			}
			a->svg.width = (unsigned)v;
			break;
		}
		case OPT_MINWIDTH:
			if (parse_minwidth(optarg, a))
				return -1;
			break;
		case OPT_INVERTED:
			a->svg.inverted = 1;
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
		a->input = argv[optind++];
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!*a->output) {
		pr_err("empty output file name");
		return -1;
	}
	if (a->minwidth_pct >= 0)
		a->svg.minwidth = a->minwidth_pct / 100 * a->svg.width;
	return 0;
}

/* "hotspots: 2980 samples, 3.01 s at 999 Hz (filtered)" */
static char *subtitle(const struct profile *p, const struct load_opts *lo)
{
	const struct profile_info *in = &p->info;
	double dur = in->end_ns > in->start_ns ? (double)(in->end_ns - in->start_ns) / 1e9 : 0;
	const char *what = in->command ? in->command : in->path;
	int filtered = lo->npids || lo->ntids || lo->ncomms;

	uint64_t n = 0;

	for (size_t i = 0; i < p->nsamples; i++)
		n += sample__weight(&p->samples[i]);
	return tp_xasprintf("%.80s%s: %llu samples%s, %.2f s at %u Hz", what,
			    strlen(what) > 80 ? "..." : "", (unsigned long long)n,
			    filtered ? " after filters" : "", dur, in->freq_hz);
}

int cmd_flame(int argc, char **argv)
{
	struct flame_args a = { 0 };
	struct flame_svg_stats st;
	struct plugin_host *host = NULL;
	struct flame_tree t;
	struct profile p;
	char *sub = NULL;
	FILE *out = stdout;
	int to_stdout, created = 0, err, ret = TP_EXIT_ERROR;

	if (parse_args(argc, argv, &a))
		goto out_args;
	if (load_opts__load(&a.load, a.input, &p, &host))
		goto out_args;
	to_stdout = !strcmp(a.output, "-");
	if (!to_stdout) {
		created = access(a.output, F_OK) != 0;
		out = fopen(a.output, "w");
		if (!out) {
			pr_err("cannot write %s: %s", a.output, strerror(errno));
			goto out_profile;
		}
	}
	if (!p.nsamples)
		pr_warn("%s: no samples%s", a.input,
			a.load.npids || a.load.ntids || a.load.ncomms ? " after the filters" : "");
	sub = subtitle(&p, &a.load);
	a.svg.subtitle = sub;
	flame_tree__build(&t, &p, a.svg.inverted);
	err = flame_svg__write(out, &p, &t, &a.svg, &st);
	flame_tree__exit(&t);
	if (to_stdout ? fflush(out) != 0 : fclose(out) != 0)
		err = -1;
	if (err) {
		pr_err("writing %s failed: %s", to_stdout ? "stdout" : a.output, strerror(errno));
		if (created)
			unlink(a.output); /* no half-written SVG left behind */
		goto out_profile;
	}
	pr_info("%s: %llu boxes (%llu merged narrow ones), %llu nodes not drawn", a.output,
		(unsigned long long)st.boxes, (unsigned long long)st.merged,
		(unsigned long long)st.hidden);
	ret = TP_EXIT_OK;
out_profile:
	free(sub);
	load_opts__unload(&p, host);
out_args:
	load_opts__exit(&a.load);
	return ret;
}
