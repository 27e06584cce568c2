/* Fake ABI 1.3 plugin with per-sample refinement (TP_CAP_REFINE):
 *   classify     "interp" -> interpreter "blob", NEEDS_CONTEXT;
 *                "plain" -> interpreter, NEEDS_CONTEXT too (a result flag the
 *                host keeps only for refine-capable plugins: see legacy.c)
 *   refine_key   reads the word at fp - 8 (a frame's "function slot"); 0
 *                -> nothing (0); 0xbad -> error (-EIO); else the key
 *   refine       key 0x404 -> 0 (keep the frame); key 0x505 -> tier 99
 *                (refused); else "fn_<key>" interpreter, counted: the test
 *                reads the count from the display name "fn_<key>#<calls>" */
#include <tierprof/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static unsigned refine_calls;

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	(void)api;
	(void)host;
	(void)err;
	(void)errlen;
	*state = NULL;
	refine_calls = 0;
	return 0;
}

static int classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out)
{
	(void)state;
	if (!frame->name || (strcmp(frame->name, "interp") && strcmp(frame->name, "plain")))
		return 0;
	out->tier = TP_TIER_INTERPRETER;
	out->flags = TP_FRAME_NEEDS_CONTEXT;
	snprintf(out->display_name, sizeof(out->display_name), "blob");
	return 1;
}

static int refine_key(void *state, const struct tp_frame_info *frame,
		      const struct tp_frame_ctx *ctx, uint64_t *key)
{
	uint64_t v;

	(void)state;
	if (!TP_HAS(ctx, read_stack) || frame->addr != ctx->ip || !ctx->fp)
		return 0;
	if (ctx->read_stack(ctx, ctx->fp - 8, &v, sizeof(v)))
		return 0;
	if (v == 0xbad)
		return -EIO;
	if (!v)
		return 0;
	*key = v;
	return 1;
}

static int refine(void *state, const struct tp_frame_info *frame, uint64_t key,
		  struct tp_classification *out)
{
	(void)state;
	(void)frame;
	if (key == 0x404)
		return 0;
	if (key == 0x505) {
		out->tier = 99;
		return 1;
	}
	refine_calls++;
	out->tier = TP_TIER_INTERPRETER;
	out->flags = TP_FRAME_NEEDS_CONTEXT; /* cleared by the host */
	snprintf(out->function_key, sizeof(out->function_key), "fn_%llx", (unsigned long long)key);
	snprintf(out->display_name, sizeof(out->display_name), "fn_%llx#%u",
		 (unsigned long long)key, refine_calls);
	return 1;
}

static const struct tp_plugin desc = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "refiner",
	.version = "1.3.0",
	.caps = TP_CAP_CLASSIFY | TP_CAP_REFINE,
	.init = init,
	.classify = classify,
	.refine_key = refine_key,
	.refine = refine,
};

TP_PLUGIN_DEFINE(desc);
