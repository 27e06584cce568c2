/* What a JS function is called in reports, and what makes two pieces of code
 * the same function. */
#include "v8_state.h"

#include <stdio.h>
#include <string.h>

/* A script as people read it: node's own modules as named, packages from
 * node_modules/ on, anything else by its file name. */
static void short_script(const char *s, size_t n, const char **out, size_t *out_len)
{
	static const char nm[] = "node_modules/";
	const char *best = NULL;

	if (n >= 5 && !memcmp(s, "node:", 5)) {
		*out = s;
		*out_len = n;
		return;
	}
	for (size_t i = 0; i + sizeof(nm) - 1 <= n; i++) {
		if (!memcmp(s + i, nm, sizeof(nm) - 1))
			best = s + i; /* the innermost package */
	}
	if (!best) {
		best = s;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '/')
				best = s + i + 1;
		}
	}
	*out = best;
	*out_len = n - (size_t)(best - s);
}

static const char *unnamed(const struct v8_name *n)
{
	if (!strcmp(n->kind, "Eval"))
		return "(eval)";
	if (n->script_len && n->line == 1 && n->column == 1)
		return "(script)"; /* a module or script's top level */
	return "(anonymous)";
}

void v8_identity(const struct v8_name *n, char *key, size_t key_size, char *display,
		 size_t display_size)
{
	const char *fn = n->func_len ? n->func : unnamed(n);
	int fn_len = n->func_len ? (int)n->func_len : (int)strlen(fn);
	const char *ss;
	size_t ss_len;

	if (!n->script_len && !n->line) {
		snprintf(key, key_size, "%.*s", fn_len, fn);
		snprintf(display, display_size, "%.*s", fn_len, fn);
		return;
	}
	short_script(n->script, n->script_len, &ss, &ss_len);
	snprintf(key, key_size, "%.*s %.*s:%u:%u", fn_len, fn, (int)n->script_len, n->script,
		 n->line, n->column);
	snprintf(display, display_size, "%.*s %.*s:%u:%u", fn_len, fn, (int)ss_len, ss, n->line,
		 n->column);
}
