#include "demangle.h"
#include "../util/mem.h"

#include <string.h>

/* From the C++ runtime (libstdc++), callable from C. */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

char *tp_demangle(const char *name)
{
	const char *at;
	char *base, *out;
	int status = 0;

	if (strncmp(name, "_Z", 2))
		return NULL;
	at = strchr(name, '@');
	base = at ? tp_xstrndup(name, (size_t)(at - name)) : (char *)name;
	out = __cxa_demangle(base, NULL, NULL, &status);
	if (base != name)
		free(base);
	if (status != 0 || !out) {
		free(out);
		return NULL;
	}
	if (at) {
		char *v = tp_xasprintf("%s%s", out, at);

		free(out);
		out = v;
	}
	return out;
}
