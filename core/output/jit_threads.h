/* Samples a process spent in its JIT compiler threads, by thread name:
 * HotSpot's "C1 CompilerThreadN" / "C2 CompilerThreadN" (15 characters
 * kept: "C2 CompilerThre"), and "JVMCI CompilerThreadN". A high share is a
 * symptom of recompilation loops. Reported per process (text and JSON). */
#ifndef TP_OUTPUT_JIT_THREADS_H
#define TP_OUTPUT_JIT_THREADS_H

#include <string.h>

#include "../model/profile.h"

static inline int jit_threads__is_compiler(const char *comm)
{
	return comm &&
	       (!strncmp(comm, "C1 CompilerThre", 15) || !strncmp(comm, "C2 CompilerThre", 15) ||
		!strncmp(comm, "JVMCI Compiler", 14));
}

/* Samples (after filters) of pid's compiler threads. */
static inline uint64_t jit_threads__samples(const struct profile *p, uint32_t pid)
{
	uint64_t n = 0;

	for (size_t i = 0; i < p->nthreads; i++) {
		const struct thread *th = &p->threads[i];

		if (th->pid == pid && jit_threads__is_compiler(profile__str(p, th->comm)))
			n += th->samples;
	}
	return n;
}

#endif
