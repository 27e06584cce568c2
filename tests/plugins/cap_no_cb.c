/* Fake plugin: announces classify but leaves the callback NULL. */
#include "fake_common.h"

static const struct tp_plugin desc = {
	FAKE_HEAD("capnocb"),
	.init = fake_init,
	.caps = TP_CAP_CLASSIFY,
};

TP_PLUGIN_DEFINE(desc)
