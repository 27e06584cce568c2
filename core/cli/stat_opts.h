/* The statistics options of every command that compares runs (diff, check,
 * health): --confidence, --min-effect, --min-cpu-change, --cpu-noise,
 * --min-samples, --slices, --correction. Used like load_opts.h. */
#ifndef TP_CLI_STAT_OPTS_H
#define TP_CLI_STAT_OPTS_H

#include <getopt.h>
#include <stdio.h>

#include "../analysis/diff.h"

enum {
	STAT_OPT_CONFIDENCE = 0x1100,
	STAT_OPT_MIN_EFFECT,
	STAT_OPT_MIN_CPU,
	STAT_OPT_CPU_NOISE,
	STAT_OPT_MIN_SAMPLES,
	STAT_OPT_SLICES,
	STAT_OPT_CORRECTION,
};

/* clang-format off */
#define STAT_OPTS_LONGOPTIONS						\
	{ "confidence", required_argument, NULL, STAT_OPT_CONFIDENCE },	\
	{ "min-effect", required_argument, NULL, STAT_OPT_MIN_EFFECT },	\
	{ "min-cpu-change", required_argument, NULL, STAT_OPT_MIN_CPU },	\
	{ "cpu-noise", required_argument, NULL, STAT_OPT_CPU_NOISE },	\
	{ "min-samples", required_argument, NULL, STAT_OPT_MIN_SAMPLES }, \
	{ "slices", required_argument, NULL, STAT_OPT_SLICES },		\
	{ "correction", required_argument, NULL, STAT_OPT_CORRECTION }
/* clang-format on */

struct stat_opts {
	struct diff_opts diff;
	unsigned slices;
	unsigned set; /* bit per STAT_OPT_* given on the command line */
};

void stat_opts__init(struct stat_opts *o);
/* 1 when c is one of ours (taken), 0 when not, -1 on a bad value (printed). */
int stat_opts__parse(struct stat_opts *o, int c, const char *arg);
void stat_opts__usage(FILE *f);

/* A number in [lo, hi], with an optional '%' that divides by 100 when
 * pct_ok. Returns 0, or -1 after printing "invalid OPTION 'ARG'". */
int cli_parse_number(const char *what, const char *arg, double lo, double hi, int pct_ok,
		     double *out);

#endif
