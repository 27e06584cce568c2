/* Fake plugin: a descriptor shorter than ABI 1.0's (built against a broken header). */
#include "fake_common.h"

static const struct tp_plugin desc = {
	.size = offsetof(struct tp_plugin, classify),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "short",
	.init = fake_init,
};

TP_PLUGIN_DEFINE(desc)
