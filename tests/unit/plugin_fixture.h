/* Tests of one runtime plugin through the real host: the plugin under test is
 * loaded by path with the built-ins off, so nothing else classifies a frame.
 *   PLUGIN_FIXTURE(TP_V8_PLUGIN)   defines host, setup() and teardown(). */
#ifndef TP_TEST_PLUGIN_FIXTURE_H
#define TP_TEST_PLUGIN_FIXTURE_H

#include "model/profile.h"
#include "plugin/host.h"

#include <stdlib.h>
#include <string.h>

#define PLUGIN_FIXTURE(path)                                                                  \
	static struct plugin_host *host;                                                      \
	static int setup(void **state)                                                        \
	{                                                                                     \
		char *extra[] = { path };                                                     \
		struct plugin_host_opts o = { .extra = extra, .nextra = 1, .no_builtin = 1 }; \
                                                                                              \
		(void)state;                                                                  \
		unsetenv("TIERPROF_PLUGIN_PATH");                                             \
		return plugin_host__new(&o, &host);                                           \
	}                                                                                     \
	static int teardown(void **state)                                                     \
	{                                                                                     \
		(void)state;                                                                  \
		plugin_host__delete(host);                                                    \
		host = NULL;                                                                  \
		return 0;                                                                     \
	}

/* The function a report calls name; fails the test when there is none. */
static inline uint32_t func_by_name(const struct profile *p, const char *name)
{
	for (uint32_t f = 0; f < p->nfuncs; f++) {
		if (!strcmp(profile__func_name(p, f), name))
			return f;
	}
	fail_msg("no function %s", name);
	return UINT32_MAX;
}

#endif
