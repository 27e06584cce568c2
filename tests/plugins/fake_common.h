/* Shared bits of the fake plugins: an init that accepts, and the fixed part
 * of a descriptor. Fake plugins include only the public header and libc. */
#ifndef TP_TESTS_PLUGINS_FAKE_COMMON_H
#define TP_TESTS_PLUGINS_FAKE_COMMON_H

#include <tierprof/plugin.h>

#include <stddef.h>

static inline int fake_init(const struct tp_host_api *api, void *host, void **state, char *err,
			    size_t errlen)
{
	(void)api;
	(void)host;
	(void)err;
	(void)errlen;
	*state = NULL;
	return 0;
}

/* size and ABI as the header says; name; version. */
#define FAKE_HEAD(nm)                                                       \
	.size = sizeof(struct tp_plugin), .abi_major = TP_PLUGIN_ABI_MAJOR, \
	.abi_minor = TP_PLUGIN_ABI_MINOR, .name = (nm), .version = "0.1"

#endif
