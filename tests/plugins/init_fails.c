/* Fake plugin: init refuses, with a reason. */
#include <tierprof/plugin.h>

#include <errno.h>
#include <stdio.h>

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	(void)api;
	(void)host;
	(void)state;
	snprintf(err, errlen, "no licence for this runtime");
	return -ENOENT;
}

static const struct tp_plugin desc = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "initfails",
	.init = init,
};

TP_PLUGIN_DEFINE(desc)
