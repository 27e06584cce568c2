/* Hand-built profiles for the output writers' tests (flame, pprof,
 * speedscope, folded): frames by name and tier, samples by stack. */
#ifndef TP_TESTS_OUTPUT_FIXTURE_H
#define TP_TESTS_OUTPUT_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/profile.h"

#include <tierprof/plugin.h>

/* A frame of function name in tier (sub-tier "" for none). */
static inline uint32_t fx_frame(struct profile *p, const char *name, unsigned tier,
				const char *subtier, unsigned flags)
{
	uint32_t f =
		profile__function(p, name, PROFILE_NO_DSO, UNKNOWN_NONE, tier == TP_TIER_KERNEL);

	return profile__frame_ex(p, f, tier, subtier, flags);
}

/* count samples of the stack frames[0..n) (outermost first) on thread
 * pid/tid named comm, at times t0, t0 + 1 ms, ...; period 1 ms. */
static inline void fx_samples(struct profile *p, const uint32_t *frames, size_t n, unsigned count,
			      uint32_t pid, uint32_t tid, const char *comm, uint64_t t0)
{
	uint32_t node = PROFILE_ROOT;
	uint32_t c = strtab__intern(&p->strings, comm, strlen(comm));

	for (size_t i = 0; i < n; i++)
		node = profile__child(p, node, frames[i]);
	for (unsigned i = 0; i < count; i++) {
		struct sample s = { .node = node,
				    .pid = pid,
				    .tid = tid,
				    .comm = c,
				    .period = 1000000,
				    .time = t0 + i * 1000000ull };

		if (p->nsamples == p->samples_cap) {
			p->samples_cap = p->samples_cap ? 2 * p->samples_cap : 64;
			p->samples = realloc(p->samples, p->samples_cap * sizeof(s));
		}
		p->samples[p->nsamples++] = s;
	}
}

#endif
