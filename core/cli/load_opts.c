#include "load_opts.h"
#include "args.h"
#include "../model/load.h"
#include "../model/profile.h"
#include "../plugin/host.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <string.h>

static void parse_list_str(const char *s, char ***out, size_t *n)
{
	char *copy = tp_xstrdup(s), *save = NULL;
	size_t cap = *n;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		TP_VEC_PUSH(*out, *n, cap, tp_xstrdup(tok));
	free(copy);
}

int load_opts__parse(struct load_opts *o, int c, const char *arg)
{
	switch (c) {
	case LOAD_OPT_PID:
		return cli_parse_id_list(arg, &o->pids, &o->npids) ? -1 : 1;
	case LOAD_OPT_TID:
		return cli_parse_id_list(arg, &o->tids, &o->ntids) ? -1 : 1;
	case LOAD_OPT_COMM:
		parse_list_str(arg, &o->comms, &o->ncomms);
		return 1;
	case LOAD_OPT_DEBUG_DIR:
		o->debug_root = arg;
		return 1;
	case LOAD_OPT_PLUGIN:
		/* argv outlives the options: keep the pointer */
		TP_VEC_PUSH(o->plugins, o->nplugins, o->plugins_cap, (char *)arg);
		return 1;
	case LOAD_OPT_NO_BUILTIN:
		o->no_builtin_plugins = 1;
		return 1;
	case LOAD_OPT_UNWIND: {
		enum load_unwind u;

		if (load_unwind__parse(arg, &u)) {
			pr_err("invalid --unwind '%s': use auto, fp, repair, dwarf or dwarf-strict",
			       arg);
			return -1;
		}
		o->unwind = (int)u;
		return 1;
	}
	case 'v':
		o->verbose++;
		return 1;
	default:
		return 0;
	}
}

void load_opts__usage(FILE *f)
{
	fprintf(f,
		"      --pid P[,P...]   only these processes\n"
		"      --tid T[,T...]   only these threads\n"
		"      --comm N[,N...]  only threads or processes with these names\n"
		"      --debug-dir DIR  where debug files live (default /usr/lib/debug)\n"
		"      --plugin PATH    load a runtime plugin (repeatable; also "
		"TIERPROF_PLUGIN_PATH)\n"
		"      --no-builtin-plugins  do not load the plugins shipped with tierprof\n"
		"      --unwind MODE    user stacks from: fp (the kernel's frame-pointer chain),\n"
		"                       repair (fp, frameless first frames fixed with CFI),\n"
		"                       dwarf (CFI over the sampled stack, frame pointers\n"
		"                       through JIT code), dwarf-strict (CFI only); default\n"
		"                       auto: dwarf for --call-graph dwarf captures, else repair\n"
		"  -v, --verbose        say more\n");
}

int load_opts__load(const struct load_opts *o, const char *path, struct profile *p,
		    struct plugin_host **host)
{
	struct load_filter filter = { .pids = o->pids,
				      .npids = o->npids,
				      .tids = o->tids,
				      .ntids = o->ntids,
				      .comms = o->comms,
				      .ncomms = o->ncomms,
				      .unwind = (enum load_unwind)o->unwind,
				      .usage = o->usage };
	struct plugin_host_opts popts = { .extra = o->plugins,
					  .nextra = o->nplugins,
					  .no_builtin = o->no_builtin_plugins };
	char err_msg[1024];

	if (o->verbose)
		tp_log_set_level(o->verbose > 1 ? TP_LOG_DEBUG : TP_LOG_INFO);
	*host = NULL;
	plugin_host__new(&popts, host);
	filter.plugins = *host;
	profile__init(p, o->debug_root);
	err_msg[0] = '\0';
	if (profile__load(p, path, &filter, err_msg, sizeof(err_msg))) {
		pr_err("%s", err_msg);
		load_opts__unload(p, *host);
		*host = NULL;
		return -1;
	}
	if (err_msg[0])
		pr_warn("%s", err_msg); /* damaged capture: use what was read */
	return 0;
}

void load_opts__unload(struct profile *p, struct plugin_host *host)
{
	profile__exit(p);
	plugin_host__delete(host);
}

void load_opts__exit(struct load_opts *o)
{
	free(o->pids);
	free(o->tids);
	for (size_t i = 0; i < o->ncomms; i++)
		free(o->comms[i]);
	free(o->comms);
	free(o->plugins);
	memset(o, 0, sizeof(*o));
}
