/* Fake plugin: classify claims frames named bt_* with out-of-range tiers
 * (and bt_two with the result 2); bt_valid gets a real tier. */
#include "fake_common.h"

#include <string.h>

static int classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out)
{
	static const uint32_t bad[] = { TP_TIER__COUNT, 99, 0xffffffffu };
	static unsigned n;

	(void)state;
	if (!frame->name || strncmp(frame->name, "bt_", 3))
		return 0;
	if (!strcmp(frame->name, "bt_valid")) {
		out->tier = TP_TIER_INTERPRETER;
		return 1;
	}
	if (!strcmp(frame->name, "bt_two")) {
		out->tier = TP_TIER_NATIVE;
		return 2;
	}
	out->tier = bad[n++ % 3];
	return 1;
}

static const struct tp_plugin desc = {
	FAKE_HEAD("badtier"),
	.init = fake_init,
	.caps = TP_CAP_CLASSIFY,
	.classify = classify,
};

TP_PLUGIN_DEFINE(desc)
