/* The options of every command that reads a capture: which samples (--pid,
 * --tid, --comm), how frames get their names and tiers (--plugin,
 * --no-builtin-plugins, --debug-dir) and -v. One parser and one loader, so
 * report and flame accept the same words and read a capture the same way.
 *
 *	static const struct option longopts[] = { ..., LOAD_OPTS_LONGOPTIONS, { 0 } };
 *	while ((c = getopt_long(argc, argv, "...v", longopts, NULL)) != -1) {
 *		int r = load_opts__parse(&lo, c, optarg);
 *		if (r < 0) return error; if (r) continue;
 *		switch (c) { the command's own options }
 *	}
 *
 * Ownership: load_opts__exit frees what parsing allocated; optarg strings
 * are borrowed from argv. */
#ifndef TP_CLI_LOAD_OPTS_H
#define TP_CLI_LOAD_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct profile;
struct plugin_host;
struct stack_usage;

/* getopt values, above any command's own. */
enum {
	LOAD_OPT_PID = 0x1000,
	LOAD_OPT_TID,
	LOAD_OPT_COMM,
	LOAD_OPT_DEBUG_DIR,
	LOAD_OPT_PLUGIN,
	LOAD_OPT_NO_BUILTIN,
	LOAD_OPT_UNWIND,
};

/* clang-format off */
#define LOAD_OPTS_LONGOPTIONS						\
	{ "pid", required_argument, NULL, LOAD_OPT_PID },		\
	{ "tid", required_argument, NULL, LOAD_OPT_TID },		\
	{ "comm", required_argument, NULL, LOAD_OPT_COMM },		\
	{ "debug-dir", required_argument, NULL, LOAD_OPT_DEBUG_DIR },	\
	{ "plugin", required_argument, NULL, LOAD_OPT_PLUGIN },		\
	{ "no-builtin-plugins", no_argument, NULL, LOAD_OPT_NO_BUILTIN }, \
	{ "unwind", required_argument, NULL, LOAD_OPT_UNWIND },		\
	{ "verbose", no_argument, NULL, 'v' }
/* clang-format on */

struct load_opts {
	uint32_t *pids, *tids;
	size_t npids, ntids;
	char **comms;
	size_t ncomms;
	const char *debug_root;
	char **plugins;
	size_t nplugins, plugins_cap;
	int no_builtin_plugins;
	int verbose;
	int unwind;		   /* enum load_unwind */
	struct stack_usage *usage; /* set by stack-usage: measured while loading */
};

/* Take option c (getopt's return) if it is one of the shared ones: 1 when
 * taken, 0 when it is not ours, -1 on a bad value (the message is printed). */
int load_opts__parse(struct load_opts *o, int c, const char *arg);
/* The help lines of the shared options. */
void load_opts__usage(FILE *f);
/* Set the log level from -v, load the plugins and read the capture at path
 * into p (initialised here). Returns 0 with *host set (the caller deletes
 * both with load_opts__unload), or -1 after printing why; the message names
 * the file. A damaged capture is read up to the damage, with a warning. */
int load_opts__load(const struct load_opts *o, const char *path, struct profile *p,
		    struct plugin_host **host);
void load_opts__unload(struct profile *p, struct plugin_host *host);
void load_opts__exit(struct load_opts *o);

#endif
