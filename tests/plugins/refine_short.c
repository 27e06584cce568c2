/* Fake plugin announcing TP_CAP_REFINE with a descriptor that ends before
 * the refine callbacks (built against an older header, caps copied from a
 * newer one): refused, never called past its end. */
#include <tierprof/plugin.h>

#include <stddef.h>

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	(void)api;
	(void)host;
	(void)err;
	(void)errlen;
	*state = NULL;
	return 0;
}

static const struct tp_plugin desc = {
	.size = offsetof(struct tp_plugin, refine_key),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = 2,
	.name = "refine_short",
	.caps = TP_CAP_REFINE,
	.init = init,
};

TP_PLUGIN_DEFINE(desc);
