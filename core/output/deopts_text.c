/* tierprof deopts: the runtime's deopt, invalidation and abort events grouped
 * by function and by (reason, kind, position), loops first. */
#include "output.h"
#include "../analysis/findings.h"
#include "../model/profile.h"

#include <stdlib.h>

int output_deopts_text(FILE *f, const struct profile *p, const struct findings *fd)
{
	size_t n;
	const struct deopt_history **order = findings__histories_sorted(fd, &n);

	if (!n) {
		fprintf(f, "No deopt events%s.\n",
			fd->events ? " (the runtime logged compilations only)"
				   : ": the capture holds no runtime log. Let tierprof launch the "
				     "runtime, or attach one with tierprof import");
		free(order);
		return ferror(f) ? -1 : 0;
	}
	fprintf(f, "%-48s %6s %6s %6s %6s  %s\n", "function", "deopt", "inval", "reopt", "cycles",
		"verdict");
	for (size_t i = 0; i < n; i++) {
		const struct deopt_history *h = order[i];
		const char *name = h->func != UINT32_MAX ? profile__func_name(p, h->func)
							 : profile__str(p, h->key);
		int loop = h->func != UINT32_MAX ? fd->flags[h->func] & FINDING_DEOPT_LOOP : 0;

		fprintf(f, "%-48.48s %6u %6u %6u %6u  %s\n", name, h->deopts, h->invalidations,
			h->compiles, h->cycles,
			loop			? "DEOPT LOOP"
			: h->from_timeline	? "swings (samples)"
			: h->func == UINT32_MAX ? "not sampled"
						: "");
		for (size_t r = 0; r < h->nreasons; r++) {
			const struct deopt_reason *dr = &h->reasons[r];
			const char *reason = profile__str(p, dr->reason);
			const char *pos = profile__str(p, dr->position);

			fprintf(f, "    %5ux  %-40s %-18s %s\n", dr->count,
				*reason ? reason : "(no reason given)", profile__str(p, dr->detail),
				*pos ? pos : "");
		}
	}
	free(order);
	return ferror(f) ? -1 : 0;
}
