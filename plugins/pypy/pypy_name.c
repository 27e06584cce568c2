/* Names and identities of PyPy JIT code (pypy_state.h). */
#include "pypy_state.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_words[] = {
	[PYPY_LOOP] = "loop", [PYPY_ENTRY_BRIDGE] = "entry", [PYPY_BRIDGE] = "bridge"
};

/* A Python name with spaces would split the name's fields: '_' instead. */
static void copy_word(char *dst, size_t dlen, const char *s, size_t n)
{
	size_t i;

	if (!dlen)
		return;
	for (i = 0; i < n && i + 1 < dlen; i++)
		dst[i] = s[i] == ' ' ? '_' : s[i];
	dst[i] = '\0';
}

void pypy_name__format(char *buf, size_t len, enum pypy_code_kind kind, const struct pypy_where *w)
{
	char func[256];

	if (!w->func) {
		snprintf(buf, len, "pypy:%s - %.*s", kind_words[kind], (int)w->driver_len,
			 w->driver);
		return;
	}
	copy_word(func, sizeof(func), w->func, w->func_len);
	snprintf(buf, len, "pypy:%s %s %llu %llu %.*s", kind_words[kind], func,
		 (unsigned long long)w->firstline, (unsigned long long)w->line, (int)w->file_len,
		 w->file);
}

static const char *base_name(const char *s, size_t n, size_t *blen)
{
	const char *b = s;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/')
			b = s + i + 1;
	}
	*blen = n - (size_t)(b - s);
	return b;
}

void pypy_identity(const struct pypy_where *w, char *key, size_t key_len, char *display,
		   size_t display_len)
{
	char func[256];
	const char *base;
	size_t blen;

	if (!w->func) {
		snprintf(key, key_len, "pypy-driver %.*s", (int)w->driver_len, w->driver);
		snprintf(display, display_len, "[jitdriver] %.*s", (int)w->driver_len, w->driver);
		return;
	}
	copy_word(func, sizeof(func), w->func, w->func_len);
	base = base_name(w->file, w->file_len, &blen);
	snprintf(key, key_len, "%s %.*s:%llu", func, (int)w->file_len, w->file,
		 (unsigned long long)w->firstline);
	snprintf(display, display_len, "%s (%.*s:%llu)", func, (int)blen, base,
		 (unsigned long long)w->firstline);
}
