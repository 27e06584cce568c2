/* Fake plugin: detects "goodvm" (and answers 150, out of range, for "overvm"),
 * then fails prepare_launch after staging edits, which the host must drop. */
#include "fake_common.h"

#include <errno.h>
#include <string.h>

static const struct tp_host_api *api;
static void *host;

static int init(const struct tp_host_api *a, void *h, void **state, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	api = a;
	host = h;
	*state = NULL;
	return 0;
}

static int detect(void *state, const struct tp_process *proc)
{
	(void)state;
	if (proc->comm && !strcmp(proc->comm, "overvm"))
		return 150;
	return proc->comm && !strcmp(proc->comm, "goodvm") ? 100 : 0;
}

static int prepare_launch(void *state, const struct tp_launch *launch)
{
	(void)state;
	api->launch_set_env(host, "BAD_LAUNCH", "1");
	api->launch_insert_arg(host, launch->argc, "--bad-launch");
	return -EIO;
}

static const struct tp_plugin desc = {
	FAKE_HEAD("badlaunch"),
	.init = init,
	.caps = TP_CAP_DETECT | TP_CAP_PREPARE_LAUNCH,
	.detect = detect,
	.prepare_launch = prepare_launch,
};

TP_PLUGIN_DEFINE(desc)
