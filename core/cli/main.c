/* tierprof: a JIT-aware sampling profiler. This file only dispatches. */
#include "cli.h"
#include "../util/log.h"

#include <stdio.h>
#include <string.h>

#ifndef TP_VERSION
#define TP_VERSION "0.0.0"
#endif

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "record", cmd_record, "sample a command or running processes into a capture" },
	{ "report", cmd_report, "show where the time went: text, folded stacks or JSON" },
	{ "flame", cmd_flame, "draw an interactive SVG flame graph coloured by tier" },
	{ "deopts", cmd_deopts, "list deoptimizations by function and reason" },
	{ "import", cmd_import, "attach a V8 log to a capture, or make one of collapsed stacks" },
	{ "plugins", cmd_plugins, "list the runtime plugins, loaded or refused, and why" },
	{ "diff", cmd_diff, "compare two captures: what changed, tested for significance" },
	{ "check", cmd_check, "gate a capture on rules (tier shares, deopt loops, regressions)" },
	{ "health", cmd_health,
	  "nightly JIT-health report: HTML and JSON, compared with a baseline" },
	{ "stack-usage", cmd_stack_usage,
	  "measure the stack bytes unwinding needs (sizes --call-graph)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tierprof [--version] [--help] <command> [<args>]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-11s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(f, "\nRun 'tierprof <command> --help' for the options of one command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return TP_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return TP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("tierprof %s\n", TP_VERSION);
		return TP_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	}
	pr_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return TP_EXIT_ERROR;
}
