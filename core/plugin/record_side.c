/* Plugin calls of the record phase: detect, prepare_launch (edits to the
 * command) and collect (side files to embed). */
#include "priv.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMM_LEN 15 /* the kernel's TASK_COMM_LEN - 1: what detect sees after exec */

int plugin__detect(struct plugin *p, const struct tp_process *proc)
{
	char what[64];
	int score;

	if (!plugin__can(p, TP_CAP_DETECT))
		return 0;
	plugin__enter(p, PHASE_DETECT);
	score = p->desc->detect(p->state, proc);
	plugin__leave(p);
	if (score < 0 || score > 100) {
		snprintf(what, sizeof(what), "detect returned %d, not 0..100", score);
		plugin__fail(p, what);
		return 0;
	}
	plugin__ok(p);
	return score;
}

int plugin_host__detect(struct plugin_host *h, const struct tp_process *proc,
			const char **plugin_name)
{
	struct tp_process pr;
	const char *best_name = NULL;
	int best = 0;

	if (!h || !proc)
		return -EINVAL;
	for (size_t i = 0; i < h->nplugins; i++) {
		int score;

		pr = *proc;
		pr.size = sizeof(pr);
		score = plugin__detect(h->plugins[i], &pr);
		if (score > best) {
			best = score;
			best_name = h->plugins[i]->name;
		}
	}
	if (plugin_name)
		*plugin_name = best_name;
	return best;
}

/* What execvp would run, as the kernel reports it afterwards (/proc/PID/exe:
 * symlinks resolved). NULL when not found. */
static char *resolve_exe(const char *file)
{
	const char *path;
	char *copy, *save = NULL, *found = NULL;

	if (!*file)
		return NULL;
	if (strchr(file, '/'))
		return realpath(file, NULL);
	path = getenv("PATH");
	copy = tp_xstrdup(path ? path : "/bin:/usr/bin"); /* glibc execvp's default */
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *cand = tp_xasprintf("%s/%s", dir, file);
		struct stat sb;

		if (!access(cand, X_OK) && !stat(cand, &sb) && S_ISREG(sb.st_mode))
			found = realpath(cand, NULL);
		free(cand);
	}
	free(copy);
	return found;
}

/* Drop staged edits from index nins / nenv on (a failed plugin's). */
static void staged__truncate(struct plugin_host *h, size_t nins, size_t nenv)
{
	while (h->nins > nins)
		free(h->ins[--h->nins].arg);
	while (h->nenv > nenv) {
		h->nenv--;
		free(h->env[h->nenv].name);
		free(h->env[h->nenv].value);
	}
}

/* Move the staged edits into out: the user's argv with the inserts in front
 * of the argument they name, and each variable once (its last value). */
static void staged__commit(struct plugin_host *h, int argc, char *const *argv,
			   struct launch_edit *out)
{
	size_t n = 0, cap = 0, ecap = 0;
	char **av = NULL;

	for (int i = 0; i <= argc; i++) {
		for (size_t j = 0; i > 0 && j < h->nins; j++) {
			if (h->ins[j].index == i) {
				TP_VEC_PUSH(av, n, cap, h->ins[j].arg);
				h->ins[j].arg = NULL;
			}
		}
		if (i < argc)
			TP_VEC_PUSH(av, n, cap, tp_xstrdup(argv[i]));
	}
	TP_VEC_PUSH(av, n, cap, NULL);
	out->argv = av;
	out->argc = (int)n - 1;

	for (size_t j = 0; j < h->nenv; j++) {
		struct launch_env *e = &h->env[j];
		int later = 0;

		for (size_t k = j + 1; k < h->nenv && !later; k++)
			later = !strcmp(h->env[k].name, e->name);
		if (later)
			continue;
		TP_VEC_PUSH(out->env, out->nenv, ecap, *e);
		e->name = e->value = NULL;
	}
	staged__truncate(h, 0, 0);
}

int plugin_host__prepare_launch(struct plugin_host *h, int argc, char *const *argv,
				const char *side_dir, int no_runtime_flags, struct launch_edit *out)
{
	struct tp_process proc;
	struct tp_launch launch;
	const char **av;
	int *score;
	size_t *order;
	char *exe, comm[COMM_LEN + 1];
	const char *base;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!h || !out || argc < 1 || !argv || !argv[0])
		return -EINVAL;
	for (int i = 0; i < argc; i++) {
		if (!argv[i])
			return -EINVAL;
	}
	/* Plugins get argv[argc] == NULL whatever the caller's array holds. */
	av = tp_xcalloc((size_t)argc + 1, sizeof(*av));
	memcpy(av, argv, (size_t)argc * sizeof(*av));
	exe = resolve_exe(argv[0]);
	base = strrchr(argv[0], '/');
	snprintf(comm, sizeof(comm), "%s", base ? base + 1 : argv[0]);
	proc = (struct tp_process){
		.size = sizeof(proc), .comm = comm, .exe = exe, .side_dir = side_dir
	};
	launch = (struct tp_launch){ .size = sizeof(launch),
				     .argc = argc,
				     .argv = av,
				     .exe = exe,
				     .side_dir = side_dir,
				     .no_runtime_flags = !!no_runtime_flags };

	score = tp_xcalloc(h->nplugins + 1, sizeof(*score));
	order = tp_xcalloc(h->nplugins + 1, sizeof(*order));
	for (size_t i = 0; i < h->nplugins; i++) {
		struct tp_process pr = proc;
		size_t j = i;

		h->plugins[i]->launch_detected = 0;
		score[i] = plugin__detect(h->plugins[i], &pr);
		/* Insertion sort, best score first; ties keep load order. */
		while (j > 0 && score[order[j - 1]] < score[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}

	h->launch_argc = argc;
	h->no_runtime_flags = !!no_runtime_flags;
	for (size_t k = 0; k < h->nplugins && score[order[k]] >= TP_DETECT_THRESHOLD; k++) {
		struct plugin *p = h->plugins[order[k]];
		size_t nins = h->nins, nenv = h->nenv;
		struct tp_launch l = launch;
		char what[64];
		int ret;

		p->launch_detected = 1;
		pr_debug("plugin %s detects %s (score %d)", p->name, comm, score[order[k]]);
		if (!plugin__can(p, TP_CAP_PREPARE_LAUNCH))
			continue;
		plugin__enter(p, PHASE_PREPARE_LAUNCH);
		ret = p->desc->prepare_launch(p->state, &l);
		plugin__leave(p);
		if (ret < 0) {
			pr_warn("plugin %s: prepare_launch failed (%d); the command runs without "
				"its changes",
				p->name, ret);
			staged__truncate(h, nins, nenv);
			snprintf(what, sizeof(what), "prepare_launch returned %d", ret);
			plugin__fail(p, what);
		} else {
			plugin__ok(p);
		}
	}
	staged__commit(h, argc, argv, out);
	h->launch_argc = 0;
	h->no_runtime_flags = 0;
	free(order);
	free(score);
	free(exe);
	free(av);
	return 0;
}

void launch_edit__free(struct launch_edit *e)
{
	if (!e)
		return;
	for (int i = 0; e->argv && i < e->argc; i++)
		free(e->argv[i]);
	free(e->argv);
	for (size_t i = 0; i < e->nenv; i++) {
		free(e->env[i].name);
		free(e->env[i].value);
	}
	free(e->env);
	memset(e, 0, sizeof(*e));
}

int plugin_host__collect(struct plugin_host *h, const struct tp_process *proc,
			 plugin_add_side_file_fn add, void *ctx)
{
	int added;

	if (!h || !proc || !add)
		return -EINVAL;
	h->add = add;
	h->add_ctx = ctx;
	h->nadded = 0;
	for (size_t i = 0; i < h->nplugins; i++) {
		struct plugin *p = h->plugins[i];
		struct tp_process pr = *proc;
		char what[64];
		int ret;

		pr.size = sizeof(pr);
		if (!plugin__can(p, TP_CAP_COLLECT) ||
		    (!p->launch_detected && plugin__detect(p, &pr) < TP_DETECT_THRESHOLD))
			continue;
		pr = *proc;
		pr.size = sizeof(pr);
		plugin__enter(p, PHASE_COLLECT);
		ret = p->desc->collect(p->state, &pr);
		plugin__leave(p);
		if (ret < 0) {
			snprintf(what, sizeof(what), "collect returned %d", ret);
			plugin__fail(p, what);
		} else {
			plugin__ok(p);
		}
	}
	added = h->nadded;
	h->add = NULL;
	h->add_ctx = NULL;
	h->nadded = 0;
	return added;
}
