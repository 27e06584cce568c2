/* tierprof plugins: every plugin file the host sees, loaded or refused, and why. */
#include "cli.h"
#include "../plugin/host.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tierprof plugins [options]\n\n"
		"List the runtime plugins: the built-in directory, then TIERPROF_PLUGIN_PATH\n"
		"(colon-separated files or directories), then --plugin paths.\n\n"
		"      --plugin PATH         also load this plugin file or directory (repeatable)\n"
		"      --no-builtin-plugins  skip the built-in plugin directory\n"
		"  -v, --verbose             also show descriptions and loader messages\n");
}

static int width(size_t cur, const char *s)
{
	size_t len = s ? strlen(s) : 1;

	return (int)(len > cur ? len : cur);
}

static void print_table(const struct plugin_host *h, int verbose)
{
	size_t n = plugin_host__nr_status(h);
	int wname = 4, wver = 7;

	for (size_t i = 0; i < n; i++) {
		const struct plugin_status *st = plugin_host__status(h, i);

		wname = width((size_t)wname, st->name);
		wver = width((size_t)wver, st->version);
	}
	printf("%-*s  %-*s  %-4s  %-8s  %-52s  %s\n", wname, "NAME", wver, "VERSION", "ABI",
	       "STATUS", "CAPABILITIES", "PATH");
	for (size_t i = 0; i < n; i++) {
		const struct plugin_status *st = plugin_host__status(h, i);
		const char *state = !st->loaded ? "refused" : st->disabled ? "disabled" : "loaded";
		char caps[128], abi[16];

		if (st->abi_major || st->abi_minor)
			snprintf(abi, sizeof(abi), "%u.%u", st->abi_major, st->abi_minor);
		else
			snprintf(abi, sizeof(abi), "-");
		plugin_caps__str(st->caps, caps, sizeof(caps));
		printf("%-*s  %-*s  %-4s  %-8s  %-52s  %s\n", wname, st->name ? st->name : "-",
		       wver, st->version && st->version[0] ? st->version : "-", abi, state,
		       caps[0] ? caps : "-", st->path);
		if (st->reason)
			printf("%*s  reason: %s\n", wname, "", st->reason);
		if (verbose && st->description && st->description[0])
			printf("%*s  %s\n", wname, "", st->description);
		if (verbose)
			printf("%*s  from: %s\n", wname, "", st->origin);
	}
}

int cmd_plugins(int argc, char **argv)
{
	enum { OPT_PLUGIN = 256, OPT_NO_BUILTIN };
	static const struct option longopts[] = {
		{ "plugin", required_argument, NULL, OPT_PLUGIN },
		{ "no-builtin-plugins", no_argument, NULL, OPT_NO_BUILTIN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct plugin_host_opts o = { 0 };
	enum tp_log_level saved = tp_log_get_level();
	struct plugin_host *h;
	char **extra = NULL;
	size_t nextra = 0, cap = 0;
	int c, err, verbose = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PLUGIN:
			TP_VEC_PUSH(extra, nextra, cap, optarg);
			break;
		case OPT_NO_BUILTIN:
			o.no_builtin = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			free(extra);
			return TP_EXIT_OK;
		default:
			usage(stderr);
			free(extra);
			return TP_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		free(extra);
		return TP_EXIT_ERROR;
	}
	o.extra = extra;
	o.nextra = nextra;
	/* The table shows every refusal with its reason: no warnings on top. */
	tp_log_set_level(verbose ? TP_LOG_DEBUG : TP_LOG_ERROR);
	err = plugin_host__new(&o, &h);
	tp_log_set_level(saved);
	free(extra);
	if (err) {
		pr_err("cannot load plugins: %s", tp_strerror(err));
		return TP_EXIT_ERROR;
	}
	if (plugin_host__builtin_dir(h))
		printf("built-in plugin directory: %s\n", plugin_host__builtin_dir(h));
	else
		printf("built-in plugin directory: (skipped)\n");
	if (plugin_host__nr_status(h))
		print_table(h, verbose);
	else
		printf("no plugins found\n");
	plugin_host__delete(h);
	return TP_EXIT_OK;
}
