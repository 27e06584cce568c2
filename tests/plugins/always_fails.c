/* Fake plugin whose callbacks fail every time -- except classify of a frame
 * named ok*, which it declines (0), so tests can mix failures and successes. */
#include "fake_common.h"

#include <errno.h>
#include <string.h>

static int detect(void *state, const struct tp_process *proc)
{
	(void)state;
	(void)proc;
	return -EIO;
}

static int classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out)
{
	(void)state;
	(void)out;
	return frame->name && !strncmp(frame->name, "ok", 2) ? 0 : -EIO;
}

static int ingest(void *state, const struct tp_side_file *file)
{
	(void)state;
	(void)file;
	return -EIO;
}

static const struct tp_plugin desc = {
	FAKE_HEAD("failing"),
	.init = fake_init,
	.caps = TP_CAP_DETECT | TP_CAP_CLASSIFY | TP_CAP_INGEST,
	.detect = detect,
	.classify = classify,
	.ingest = ingest,
};

TP_PLUGIN_DEFINE(desc)
