/* Fake plugin: built for a future ABI 2, so it exports tp_plugin_entry_v2 only. */
#include <stddef.h>

__attribute__((visibility("default"))) const void *tp_plugin_entry_v2(void);
__attribute__((visibility("default"))) const void *tp_plugin_entry_v2(void)
{
	return NULL;
}
