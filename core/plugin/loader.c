/* Finding, opening, checking and initialising plugins; the status list.
 * Rules (STYLE.md 6.2, SQLite loadext): only files from the plugin directory,
 * TIERPROF_PLUGIN_PATH or --plugin; capped path length; RTLD_NOW | RTLD_LOCAL;
 * the descriptor is checked before any plugin callback runs; a refusal is a
 * warning naming the file, never an error. */
#include "priv.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN_PATH_MAX 4095
#define INIT_ERR_LEN 256
#define VERSION_MAX 63
#define DESCRIPTION_MAX 255

static struct plugin_status *status__add(struct plugin_host *h, const char *path,
					 const char *origin)
{
	struct plugin_status st = { .path = tp_xstrndup(path, strnlen(path, PLUGIN_PATH_MAX + 1)),
				    .origin = origin };

	TP_VEC_PUSH(h->status, h->nstatus, h->cap_status, st);
	return &h->status[h->nstatus - 1];
}

__attribute__((format(printf, 2, 3))) static void status__refuse(struct plugin_status *st,
								 const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = tp_xstrdup("refused");
	va_end(ap);
	st->reason = s;
	pr_warn("plugin %s refused: %s", st->path, s);
}

/* A bounded, printable copy of a string from a descriptor. */
static char *desc_str(const char *s, size_t max)
{
	char *c;

	if (!s)
		return tp_xstrdup("");
	c = tp_xstrndup(s, strnlen(s, max));
	plugin_str__sanitize(c);
	return c;
}

/* Keep what the descriptor says about itself, as far as its size allows. */
static void status__describe(struct plugin_status *st, const struct tp_plugin *d)
{
	if (!d || d->size < offsetof(struct tp_plugin, name))
		return;
	st->abi_major = d->abi_major;
	st->abi_minor = d->abi_minor;
	if (d->abi_major != TP_PLUGIN_ABI_MAJOR || d->size < TP_PLUGIN_SIZE_1_0)
		return;
	st->name = d->name ? desc_str(d->name, 32) : NULL;
	st->version = desc_str(d->version, VERSION_MAX);
	st->description = desc_str(d->description, DESCRIPTION_MAX);
	st->caps = d->caps;
}

/* Name the ABI a plugin without our entry symbol was built for, if any. */
static void refuse_no_entry(struct plugin_status *st, void *dl)
{
	char sym[32];

	for (int major = 0; major < 10; major++) {
		if (major == TP_PLUGIN_ABI_MAJOR)
			continue;
		snprintf(sym, sizeof(sym), "tp_plugin_entry_v%d", major);
		if (dlsym(dl, sym)) {
			st->abi_major = (uint16_t)major;
			status__refuse(st,
				       "exports %s, not %s: built for plugin ABI %d; this "
				       "tierprof speaks ABI %d",
				       sym, TP_PLUGIN_ENTRY_NAME, major, TP_PLUGIN_ABI_MAJOR);
			return;
		}
	}
	status__refuse(st, "no %s symbol (not a tierprof plugin?)", TP_PLUGIN_ENTRY_NAME);
}

/* dlsym on a handle also searches the libraries it depends on: make sure the
 * entry point is the plugin's own (perf dlfilter's weakness). */
static int entry_is_own(void *dl, void *entry, const char **from)
{
	struct link_map *lm = NULL;
	Dl_info info;

	*from = "?";
	if (dlinfo(dl, RTLD_DI_LINKMAP, &lm) || !lm || !dladdr(entry, &info) || !info.dli_fname)
		return 1; /* cannot tell: do not refuse on a hunch */
	*from = info.dli_fname;
	return !strcmp(info.dli_fname, lm->l_name);
}

static struct plugin *find_plugin(const struct plugin_host *h, const char *name)
{
	for (size_t i = 0; i < h->nplugins; i++) {
		if (!strcmp(h->plugins[i]->name, name))
			return h->plugins[i];
	}
	return NULL;
}

static void load_file(struct plugin_host *h, const char *path, const char *origin)
{
	struct plugin_status *st = status__add(h, path, origin);
	char why[256], err[INIT_ERR_LEN], *dlpath;
	const struct tp_plugin *d;
	tp_plugin_entry_fn entry;
	struct plugin *p, *dup;
	const char *from;
	struct stat sb;
	void *dl, *sym;
	int ret;

	if (strlen(path) > PLUGIN_PATH_MAX) {
		status__refuse(st, "path longer than %d bytes", PLUGIN_PATH_MAX);
		return;
	}
	if (stat(path, &sb)) {
		status__refuse(st, "cannot access it: %s", strerror(errno));
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		status__refuse(st, "not a regular file");
		return;
	}
	/* Without a slash, dlopen would search the library path instead. */
	dlpath = strchr(path, '/') ? tp_xstrdup(path) : tp_xasprintf("./%s", path);
	dlerror();
	dl = dlopen(dlpath, RTLD_NOW | RTLD_LOCAL);
	free(dlpath);
	if (!dl) {
		const char *e = dlerror();

		status__refuse(st, "cannot load it: %s", e ? e : "dlopen failed");
		return;
	}
	sym = dlsym(dl, TP_PLUGIN_ENTRY_NAME);
	if (!sym) {
		refuse_no_entry(st, dl);
		goto out_close;
	}
	if (!entry_is_own(dl, sym, &from)) {
		status__refuse(st, "%s comes from %s, not from the plugin itself",
			       TP_PLUGIN_ENTRY_NAME, from);
		goto out_close;
	}
	/* dlsym returns data pointers; POSIX guarantees the conversion. */
	memcpy(&entry, &sym, sizeof(entry));
	d = entry();
	status__describe(st, d);
	if (plugin_descriptor__validate(d, why, sizeof(why))) {
		status__refuse(st, "%s", why);
		goto out_close;
	}
	dup = find_plugin(h, st->name);
	if (dup) {
		status__refuse(st, "duplicate name '%s' (already loaded from %s)", st->name,
			       h->status[dup->status].path);
		goto out_close;
	}
	if (d->abi_minor > TP_PLUGIN_ABI_MINOR || (d->caps & ~TP_CAP__KNOWN))
		pr_debug("plugin %s: built for ABI %u.%u, caps 0x%llx: newer features ignored",
			 st->name, d->abi_major, d->abi_minor, (unsigned long long)d->caps);

	p = tp_xcalloc(1, sizeof(*p));
	p->magic = PLUGIN_MAGIC;
	p->host = h;
	p->status = (size_t)(st - h->status);
	p->name = st->name;
	p->desc = d;
	p->caps = d->caps & TP_CAP__KNOWN;
	p->dl = dl;
	memset(err, 0, sizeof(err));
	plugin__enter(p, PHASE_INIT);
	ret = d->init(&h->api, p, &p->state, err, sizeof(err));
	plugin__leave(p);
	if (ret < 0) {
		err[sizeof(err) - 1] = '\0';
		plugin_str__sanitize(err);
		status__refuse(st, "init failed (%d): %s", ret, err[0] ? err : "no reason given");
		free(p);
		goto out_close;
	}
	st->loaded = 1;
	TP_VEC_PUSH(h->plugins, h->nplugins, h->cap_plugins, p);
	pr_debug("plugin %s %s loaded from %s", st->name, st->version, st->path);
	return;

out_close:
	dlclose(dl);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.so of dir, in name order (dot files skipped). */
static void load_dir(struct plugin_host *h, const char *dir, const char *origin, int quiet)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		if (quiet && errno == ENOENT)
			pr_debug("no plugin directory %s", dir);
		else
			pr_warn("cannot read plugin directory %s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".so"))
			continue;
		TP_VEC_PUSH(names, n, cap, tp_xasprintf("%s/%s", dir, de->d_name));
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat sb;

		/* A directory named x.so is not a plugin file; skip it quietly. */
		if (!stat(names[i], &sb) && S_ISDIR(sb.st_mode))
			pr_debug("skipping directory %s", names[i]);
		else
			load_file(h, names[i], origin);
		free(names[i]);
	}
	free(names);
}

static void load_path(struct plugin_host *h, const char *path, const char *origin)
{
	struct stat sb;

	if (!stat(path, &sb) && S_ISDIR(sb.st_mode))
		load_dir(h, path, origin, 0);
	else
		load_file(h, path, origin); /* refuses what is missing, with the reason */
}

/* The build tree's plugins only for a program that runs from the build tree:
 * an installed tierprof must not pick up files from some build directory. */
static char *default_builtin_dir(void)
{
	char exe[PATH_MAX], *root, *real;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int in_tree = 0;

	root = tp_xstrdup(TP_PLUGIN_BUILD_DIR);
	*strrchr(root, '/') = '\0'; /* <build>/plugins -> <build> */
	real = realpath(root, NULL);
	if (n > 0 && real) {
		size_t len = strlen(real);

		exe[n] = '\0';
		in_tree = !strncmp(exe, real, len) && exe[len] == '/';
	}
	free(real);
	free(root);
	return tp_xstrdup(in_tree ? TP_PLUGIN_BUILD_DIR : TP_PLUGIN_INSTALL_DIR);
}

int plugin_host__new(const struct plugin_host_opts *o, struct plugin_host **out)
{
	static const struct plugin_host_opts defaults;
	struct plugin_host *h;
	const char *env;

	if (!out || (o && o->nextra && !o->extra))
		return -EINVAL;
	if (!o)
		o = &defaults;
	h = tp_xcalloc(1, sizeof(*h));
	host_api__init(&h->api);
	if (!o->no_builtin) {
		h->builtin_dir =
			o->builtin_dir ? tp_xstrdup(o->builtin_dir) : default_builtin_dir();
		load_dir(h, h->builtin_dir, "builtin", 1);
	}
	env = getenv("TIERPROF_PLUGIN_PATH");
	if (env && *env) {
		char *copy = tp_xstrdup(env), *save = NULL;

		for (char *e = strtok_r(copy, ":", &save); e; e = strtok_r(NULL, ":", &save))
			load_path(h, e, "TIERPROF_PLUGIN_PATH");
		free(copy);
	}
	for (size_t i = 0; i < o->nextra; i++) {
		if (o->extra[i])
			load_path(h, o->extra[i], "--plugin");
	}
	*out = h;
	return 0;
}

void plugin_host__delete(struct plugin_host *h)
{
	if (!h)
		return;
	/* Reverse load order, as a later plugin may use an earlier one's library. */
	for (size_t i = h->nplugins; i-- > 0;) {
		struct plugin *p = h->plugins[i];

		if (p->desc->fini) {
			plugin__enter(p, PHASE_FINI);
			p->desc->fini(p->state);
			plugin__leave(p);
		}
		p->magic = 0;
		dlclose(p->dl);
		free(p);
	}
	free(h->plugins);
	for (size_t i = 0; i < h->nstatus; i++) {
		struct plugin_status *st = &h->status[i];

		free((void *)st->path);
		free((void *)st->name);
		free((void *)st->version);
		free((void *)st->description);
		free((void *)st->reason);
	}
	free(h->status);
	free(h->builtin_dir);
	free(h->ins);
	free(h->env);
	free(h);
}

size_t plugin_host__nr_status(const struct plugin_host *h)
{
	return h->nstatus;
}

const struct plugin_status *plugin_host__status(const struct plugin_host *h, size_t i)
{
	return i < h->nstatus ? &h->status[i] : NULL;
}

const char *plugin_host__builtin_dir(const struct plugin_host *h)
{
	return h->builtin_dir;
}
