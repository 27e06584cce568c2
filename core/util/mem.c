#include "mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void oom(size_t size)
{
	fprintf(stderr, "tierprof: error: out of memory (%zu bytes)\n", size);
	exit(2);
}

void *tp_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *tp_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *tp_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void tp_xgrow(void **ptr, size_t *cap, size_t need, size_t elem_size)
{
	size_t ncap, bytes;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (__builtin_mul_overflow(ncap, 2, &ncap))
			oom(SIZE_MAX);
	}
	if (__builtin_mul_overflow(ncap, elem_size, &bytes))
		oom(SIZE_MAX);
	*ptr = tp_xrealloc(*ptr, bytes);
	*cap = ncap;
}

char *tp_xstrdup(const char *s)
{
	return tp_xstrndup(s, strlen(s));
}

char *tp_xstrndup(const char *s, size_t n)
{
	char *p = tp_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *tp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	return s;
}
