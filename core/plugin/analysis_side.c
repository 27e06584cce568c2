/* Plugin calls of the analysis phase: classify (frame -> tier and names) and
 * ingest (side file -> events and code ranges, through the sink). */
#include "priv.h"
#include "../util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define TP_FRAME__KNOWN                                                                    \
	(TP_FRAME_NOT_CODE | TP_FRAME_INLINED | TP_FRAME_OSR | TP_FRAME_FOLD_INTO_CALLER | \
	 TP_FRAME_FRAMELESS | TP_FRAME_NEEDS_CONTEXT)

/* Terminate a plugin-written buffer and keep control characters out of it. */
static void fix_str(char *s, size_t size)
{
	s[size - 1] = '\0';
	plugin_str__sanitize(s);
}

static void copy_default(char *dst, size_t size, const char *src)
{
	if (!dst[0] && src) {
		snprintf(dst, size, "%s", src);
		fix_str(dst, size);
	}
}

void plugin_classification__fix(struct tp_classification *c, const struct tp_frame_info *fi,
				const struct plugin *p)
{
	const char *plugin = p->name;

	c->size = sizeof(*c);
	c->flags &= TP_FRAME__KNOWN;
	/* Only a plugin that can refine a frame may ask for its context. */
	if (!plugin__can(p, TP_CAP_REFINE))
		c->flags &= ~TP_FRAME_NEEDS_CONTEXT;
	c->reserved = 0;
	fix_str(c->subtier, sizeof(c->subtier));
	fix_str(c->runtime, sizeof(c->runtime));
	fix_str(c->display_name, sizeof(c->display_name));
	fix_str(c->function_key, sizeof(c->function_key));
	fix_str(c->hint, sizeof(c->hint));
	copy_default(c->runtime, sizeof(c->runtime), plugin);
	copy_default(c->display_name, sizeof(c->display_name), fi->name);
	copy_default(c->function_key, sizeof(c->function_key), c->display_name);
}

int plugin_host__classify(struct plugin_host *h, const struct tp_frame_info *fi,
			  struct tp_classification *out, const char **plugin_name)
{
	if (plugin_name)
		*plugin_name = NULL;
	if (!h || !fi || !out)
		return 0;
	for (size_t i = 0; i < h->nplugins; i++) {
		struct plugin *p = h->plugins[i];
		struct tp_frame_info f = *fi; /* a fresh copy: the plugin may scribble */
		char what[64];
		int ret;

		if (!plugin__can(p, TP_CAP_CLASSIFY))
			continue;
		f.size = sizeof(f);
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
		plugin__enter(p, PHASE_CLASSIFY);
		ret = p->desc->classify(p->state, &f, out);
		plugin__leave(p);
		if (ret == 0) {
			plugin__ok(p);
			continue;
		}
		if (ret != 1 || out->tier >= TP_TIER__COUNT) {
			if (ret != 1)
				snprintf(what, sizeof(what), "classify returned %d", ret);
			else
				snprintf(what, sizeof(what), "classify returned tier %u",
					 out->tier);
			plugin__fail(p, what);
			continue;
		}
		plugin__ok(p);
		plugin_classification__fix(out, fi, p);
		if (plugin_name)
			*plugin_name = p->name;
		return 1;
	}
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	return 0;
}

int plugin_host__ingest(struct plugin_host *h, const struct tp_side_file *sf,
			const struct plugin_sink *sink)
{
	int accepted;

	if (!h || !sf || !sink)
		return -EINVAL;
	h->sink = sink;
	h->naccepted = 0;
	for (size_t i = 0; i < h->nplugins; i++) {
		struct plugin *p = h->plugins[i];
		struct tp_side_file f = *sf;
		char what[64];
		int ret;

		if (!plugin__can(p, TP_CAP_INGEST))
			continue;
		f.size = sizeof(f);
		h->sf = sf; /* pid default: the caller's, not the plugin-visible copy */
		plugin__enter(p, PHASE_INGEST);
		ret = p->desc->ingest(p->state, &f);
		plugin__leave(p);
		if (ret < 0) {
			snprintf(what, sizeof(what), "ingest of %s returned %d",
				 sf->kind ? sf->kind : "?", ret);
			plugin__fail(p, what);
		} else {
			plugin__ok(p);
		}
	}
	accepted = h->naccepted;
	h->sink = NULL;
	h->sf = NULL;
	h->naccepted = 0;
	return accepted;
}
