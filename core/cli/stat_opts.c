#include "stat_opts.h"
#include "../util/log.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void stat_opts__init(struct stat_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->diff = diff_opts__default;
	o->slices = DIFF_DEFAULT_SLICES;
}

int cli_parse_number(const char *what, const char *arg, double lo, double hi, int pct_ok,
		     double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (pct_ok && end != arg && !strcmp(end, "%")) {
		v /= 100;
		end++;
	}
	if (errno || end == arg || *end || !isfinite(v) || v < lo || v > hi) {
		pr_err("invalid %s '%s' (a number from %g to %g%s)", what, arg, lo, hi,
		       pct_ok ? ", or a percentage" : "");
		return -1;
	}
	*out = v;
	return 0;
}

int stat_opts__parse(struct stat_opts *o, int c, const char *arg)
{
	double v;

	switch (c) {
	case STAT_OPT_CONFIDENCE:
		if (cli_parse_number("--confidence", arg, 0.5, 0.999999, 1, &v))
			return -1;
		o->diff.confidence = v;
		break;
	case STAT_OPT_MIN_EFFECT:
		/* percentage points of the samples */
		if (cli_parse_number("--min-effect", arg, 0, 100, 0, &v))
			return -1;
		o->diff.min_effect = v / 100;
		break;
	case STAT_OPT_MIN_CPU:
		if (cli_parse_number("--min-cpu-change", arg, 0, 1000, 0, &v))
			return -1;
		o->diff.min_cpu_change = v / 100;
		break;
	case STAT_OPT_CPU_NOISE:
		if (cli_parse_number("--cpu-noise", arg, 0, 100, 0, &v))
			return -1;
		o->diff.cpu_noise = v / 100;
		break;
	case STAT_OPT_MIN_SAMPLES:
		if (cli_parse_number("--min-samples", arg, 1, 1e12, 0, &v))
			return -1;
		if (v != floor(v)) {
			pr_err("invalid --min-samples '%s' (a whole number)", arg);
			return -1;
		}
		o->diff.min_samples = (uint64_t)v;
		break;
	case STAT_OPT_SLICES:
		if (cli_parse_number("--slices", arg, 2, DIFF_MAX_SLICES, 0, &v))
			return -1;
		if (v != floor(v)) {
			pr_err("invalid --slices '%s' (a whole number)", arg);
			return -1;
		}
		o->slices = (unsigned)v;
		break;
	case STAT_OPT_CORRECTION:
		if (stat_correction__parse(arg, &o->diff.correction)) {
			pr_err("invalid --correction '%s' (holm or bh)", arg);
			return -1;
		}
		break;
	default:
		return 0;
	}
	o->set |= 1u << (c - STAT_OPT_CONFIDENCE);
	return 1;
}

void stat_opts__usage(FILE *f)
{
	fprintf(f,
		"statistics (docs/diff.md):\n"
		"      --confidence C   report a change when significant at C (default 0.95;\n"
		"                       0.99 or 99%% for fewer, surer reports)\n"
		"      --min-effect PP  smallest share change reported, in percentage points\n"
		"                       (default 0.5)\n"
		"      --min-cpu-change PCT  smallest change of a total reported (default 5)\n"
		"      --cpu-noise PCT  run-to-run spread of a run's total CPU (default 5)\n"
		"      --min-samples N  test only items with N samples in both runs together\n"
		"                       (default 20)\n"
		"      --slices K       time slices per run for the variance (default %d)\n"
		"      --correction M   holm (default) or bh (Benjamini-Hochberg)\n",
		DIFF_DEFAULT_SLICES);
}
