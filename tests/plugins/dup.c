/* Fake plugin built twice (dup_a.so, dup_b.so): two files, one name. */
#include "fake_common.h"

static const struct tp_plugin desc = {
	FAKE_HEAD("dup"),
	.init = fake_init,
};

TP_PLUGIN_DEFINE(desc)
