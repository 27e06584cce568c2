#include "churn.h"
#include "../model/profile.h"
#include "../util/mem.h"

#include <string.h>

/* The figure name of (pid, runtime), or -1 when not reported. */
static double stat_of(const struct profile *p, uint32_t pid, uint32_t runtime, const char *name)
{
	for (size_t i = 0; i < p->nstats; i++) {
		const struct runtime_stat *st = &p->stats[i];

		if (st->pid == pid && st->runtime == runtime &&
		    !strcmp(profile__str(p, st->name), name))
			return st->value;
	}
	return -1;
}

size_t jit_churn__find(const struct profile *p, struct jit_churn **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; i < p->nstats; i++) {
		const struct runtime_stat *st = &p->stats[i];
		struct jit_churn c = { .pid = st->pid, .runtime = st->runtime };

		/* One entry per (pid, runtime): its "loops compiled" figure. */
		if (strcmp(profile__str(p, st->name), "loops compiled"))
			continue;
		c.compiled = st->value;
		c.freed = stat_of(p, st->pid, st->runtime, "loops freed");
		c.invalidated = stat_of(p, st->pid, st->runtime, "loops killed by invalidations");
		if (c.compiled < JIT_CHURN_MIN_LOOPS ||
		    c.freed < JIT_CHURN_FREED_SHARE * c.compiled)
			continue;
		TP_VEC_PUSH(*out, n, cap, c);
	}
	return n;
}

const char *jit_churn__fix(const char *runtime, const struct jit_churn *c)
{
	int pypy = runtime && !strcmp(runtime, "pypy");

	if (pypy && c->invalidated >= 0.5 * c->freed)
		return "most loops died of invalidations: the hot code reads class attributes "
		       "or globals the program keeps writing (quasi-immutable fields), and each "
		       "write throws its loops away to be traced again; the DEOPT LOOP findings "
		       "and `tierprof deopts` name the functions and fields: keep values that "
		       "change in instance attributes or locals";
	if (pypy)
		return "loops freed without invalidations had not run while the JIT made "
		       "about loop_longevity more loops and bridges (--jit loop_longevity=N, "
		       "default 1000): many short-lived code paths, or the same ones traced "
		       "again and again; `tierprof deopts` lists the functions traced again";
	return "the JIT keeps throwing away the code it compiles: look for the "
	       "invalidations and deopts behind it with `tierprof deopts`";
}
