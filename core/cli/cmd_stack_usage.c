/* tierprof stack-usage: how many bytes of each sample's user stack the
 * unwinding really read, and which slice sizes would have given the same
 * stacks. Run on a capture recorded with a large slice (--call-graph
 * fp,16384 for the first-frame repair, dwarf,65528 for DWARF walks); the
 * record defaults were chosen from its figures (docs/accuracy.md). */
#include "cli.h"
#include "load_opts.h"
#include "../model/profile.h"
#include "../plugin/host.h"
#include "../unwind/usage.h"
#include "../util/log.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof stack-usage [options] [FILE]   (default FILE: tierprof.data)\n\n"
		"Stack bytes each sample's unwinding needed (p50/p90/p99/max) and the share\n"
		"of samples a smaller --call-graph slice would unwind the same. Record FILE\n"
		"with a large slice: --call-graph fp,16384 (repair) or dwarf,65528.\n\n"
		"  -f, --format FMT     text (default) or json\n");
	load_opts__usage(f);
}

int cmd_stack_usage(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		LOAD_OPTS_LONGOPTIONS,
		{ 0 },
	};
	struct load_opts lo = { 0 };
	struct stack_usage su = { 0 };
	struct plugin_host *host;
	struct profile p;
	const char *input = "tierprof.data";
	int c, json = 0, ret = TP_EXIT_ERROR;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:vh", longopts, NULL)) != -1) {
		int r = load_opts__parse(&lo, c, optarg);

		if (r < 0)
			goto out;
		if (r)
			continue;
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				pr_err("unknown format '%s' (text, json)", optarg);
				goto out;
			}
			json = !strcmp(optarg, "json");
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
	if (optind < argc)
		input = argv[optind++];
	if (optind < argc) {
		pr_err("one capture at a time ('%s' is extra)", argv[optind]);
		goto out;
	}
	lo.usage = &su;
	if (load_opts__load(&lo, input, &p, &host))
		goto out;
	if (json) {
		if (stack_usage__print_json(&su, stdout))
			pr_err("cannot write the figures: out of memory or output error");
		else
			ret = TP_EXIT_OK;
	} else {
		stack_usage__print_text(&su, stdout);
		ret = TP_EXIT_OK;
	}
	load_opts__unload(&p, host);
out:
	stack_usage__exit(&su);
	load_opts__exit(&lo);
	return ret;
}
