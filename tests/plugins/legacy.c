/* Fake plugin built as ABI 1.2 would have been: its descriptor ends after
 * ingest (no refine callbacks), and it sets the bit that became
 * TP_FRAME_NEEDS_CONTEXT in 1.3. The host must load it and clear the flag:
 * "legacy" -> interpreter "legacy blob". */
#include <tierprof/plugin.h>

#include <stdio.h>
#include <string.h>

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	(void)api;
	(void)host;
	(void)err;
	(void)errlen;
	*state = NULL;
	return 0;
}

static int classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out)
{
	(void)state;
	if (!frame->name || strcmp(frame->name, "legacy"))
		return 0;
	out->tier = TP_TIER_INTERPRETER;
	out->flags = 1u << 5;
	snprintf(out->display_name, sizeof(out->display_name), "legacy blob");
	return 1;
}

static const struct tp_plugin desc = {
	.size = offsetof(struct tp_plugin, ingest) + sizeof(void (*)(void)),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = 2,
	.name = "legacy",
	.version = "1.2.0",
	.caps = TP_CAP_CLASSIFY,
	.init = init,
	.classify = classify,
};

TP_PLUGIN_DEFINE(desc);
