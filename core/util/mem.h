/* Allocation helpers. Out of memory is fatal for an analysis tool (as in git's
 * xmalloc): the helpers print a message and exit(2) instead of returning NULL, so
 * callers stay free of OOM paths that could never be tested.
 * Never used by the sampler's drain loop, which does not allocate. */
#ifndef TP_UTIL_MEM_H
#define TP_UTIL_MEM_H

#include <stddef.h>
#include <stdlib.h>

void *tp_xmalloc(size_t size);
void *tp_xcalloc(size_t nmemb, size_t size);
void *tp_xrealloc(void *ptr, size_t size);
/* Grow *ptr so that it holds at least need elements of elem_size bytes; *cap is
 * updated. Overflow of need * elem_size is fatal. */
void tp_xgrow(void **ptr, size_t *cap, size_t need, size_t elem_size);
char *tp_xstrdup(const char *s);
char *tp_xstrndup(const char *s, size_t n);
char *tp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Free *p and set it to NULL. */
#define zfree(p)                    \
	do {                        \
		free((void *)*(p)); \
		*(p) = NULL;        \
	} while (0)

#define TP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Append one element to a (ptr, len, cap) triple. */
#define TP_VEC_PUSH(ptr, len, cap, val)                                       \
	do {                                                                  \
		tp_xgrow((void **)&(ptr), &(cap), (len) + 1, sizeof(*(ptr))); \
		(ptr)[(len)++] = (val);                                       \
	} while (0)

#endif
