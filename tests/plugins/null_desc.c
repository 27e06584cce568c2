/* Fake plugin: the entry point returns NULL. */
#include <tierprof/plugin.h>

#include <stddef.h>

__attribute__((visibility("default"))) const struct tp_plugin *TP_PLUGIN_ENTRY(void);
__attribute__((visibility("default"))) const struct tp_plugin *TP_PLUGIN_ENTRY(void)
{
	return NULL;
}
