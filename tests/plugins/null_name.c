/* Fake plugin: no name. */
#include "fake_common.h"

static const struct tp_plugin desc = {
	FAKE_HEAD(NULL),
	.init = fake_init,
};

TP_PLUGIN_DEFINE(desc)
