/* Plugin calls of ABI 1.3's per-sample refinement: refine_key (what the
 * sample's stack says about a frame) and refine (that key -> a
 * classification). The core's cache sits between the two (core/model). */
#include "priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct plugin *refiner(struct plugin_host *h, const char *name)
{
	if (!h || !name)
		return NULL;
	for (size_t i = 0; i < h->nplugins; i++) {
		struct plugin *p = h->plugins[i];

		/* The name classify handed out: the host's own string. */
		if (p->name == name || !strcmp(p->name, name))
			return plugin__can(p, TP_CAP_REFINE) ? p : NULL;
	}
	return NULL;
}

int plugin_host__refine_key(struct plugin_host *h, const char *plugin,
			    const struct tp_frame_info *fi, const struct tp_frame_ctx *ctx,
			    uint64_t *key)
{
	struct plugin *p = refiner(h, plugin);
	struct tp_frame_info f;
	struct tp_frame_ctx c;
	char what[64];
	int ret;

	if (!p || !fi || !ctx || !key)
		return 0;
	f = *fi; /* fresh copies: the plugin may scribble */
	f.size = sizeof(f);
	c = *ctx;
	c.size = sizeof(c);
	*key = 0;
	plugin__enter(p, PHASE_REFINE);
	ret = p->desc->refine_key(p->state, &f, &c, key);
	plugin__leave(p);
	if (ret == 0 || ret == 1) {
		plugin__ok(p);
		return ret;
	}
	snprintf(what, sizeof(what), "refine_key returned %d", ret);
	plugin__fail(p, what);
	return 0;
}

int plugin_host__refine(struct plugin_host *h, const char *plugin, const struct tp_frame_info *fi,
			uint64_t key, struct tp_classification *out)
{
	struct plugin *p = refiner(h, plugin);
	struct tp_frame_info f;
	char what[64];
	int ret;

	if (!out)
		return 0;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (!p || !fi)
		return 0;
	f = *fi;
	f.size = sizeof(f);
	plugin__enter(p, PHASE_REFINE);
	ret = p->desc->refine(p->state, &f, key, out);
	plugin__leave(p);
	if (ret == 0) {
		plugin__ok(p);
		return 0;
	}
	if (ret != 1 || out->tier >= TP_TIER__COUNT) {
		if (ret != 1)
			snprintf(what, sizeof(what), "refine returned %d", ret);
		else
			snprintf(what, sizeof(what), "refine returned tier %u", out->tier);
		plugin__fail(p, what);
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
		return 0;
	}
	plugin__ok(p);
	plugin_classification__fix(out, fi, p);
	/* A refined frame is final: no refinement of the refinement. */
	out->flags &= ~TP_FRAME_NEEDS_CONTEXT;
	return 1;
}
