/* Fake plugin: exports the v1 entry but says ABI 2 in its descriptor. */
#include "fake_common.h"

static const struct tp_plugin desc = {
	.size = sizeof(struct tp_plugin),
	.abi_major = 2,
	.abi_minor = 3,
	.name = "wrongmajor",
	.init = fake_init,
};

TP_PLUGIN_DEFINE(desc)
