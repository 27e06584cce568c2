#include "gaps.h"
#include "functions.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <stdlib.h>
#include <string.h>

static int gap_cmp(const void *a, const void *b)
{
	const struct gap *x = a, *y = b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	return strcmp(x->cause, y->cause);
}

size_t gaps__build(const struct profile *p, const struct func_table *t, struct gap **out)
{
	struct gap *g = NULL;
	size_t n = 0, cap = 0;

	for (uint32_t i = 0; i < p->nfuncs; i++) {
		const struct function *fn = &p->funcs[i];
		const char *cause, *hint;
		size_t k;

		if (fn->cause == UNKNOWN_NONE && fn->hint == UINT32_MAX)
			continue;
		if (!t->funcs[i].total)
			continue;
		cause = fn->cause != UNKNOWN_NONE ? unknown_cause__name(fn->cause) : "partly-named";
		hint = profile__func_hint(p, i);
		for (k = 0; k < n; k++) {
			if (!strcmp(g[k].cause, cause) && !strcmp(g[k].hint, hint))
				break;
		}
		if (k == n)
			TP_VEC_PUSH(g, n, cap, ((struct gap){ .cause = cause, .hint = hint }));
		g[k].samples += t->funcs[i].total;
		g[k].leaf += t->funcs[i].self;
	}
	if (n)
		qsort(g, n, sizeof(*g), gap_cmp);
	*out = g;
	return n;
}
