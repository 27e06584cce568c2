#include "baseline.h"
#include "load_opts.h"
#include "../analysis/diff.h"
#include "../model/profile.h"
#include "../output/health.h"
#include "../plugin/host.h"
#include "../util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int is_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c;

	if (!f)
		return 0; /* the capture loader says why */
	do
		c = fgetc(f);
	while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
	fclose(f);
	return c == '{';
}

int baseline__load(struct diff_side *s, const char *path, const char *name, const char *current,
		   unsigned slices, const struct load_opts *lo)
{
	struct plugin_host *host;
	struct profile p;

	if (is_json(path)) {
		char err[512];

		if (health_json__read_side(path, name, current, s, err, sizeof(err))) {
			pr_err("%s", err);
			return -1;
		}
		return 0;
	}
	if (load_opts__load(lo, path, &p, &host))
		return -1;
	if (!p.nsamples) {
		pr_err("baseline %s: no samples", path);
		load_opts__unload(&p, host);
		return -1;
	}
	diff_side__from_profile(s, &p, slices, 1);
	load_opts__unload(&p, host);
	return 0;
}
