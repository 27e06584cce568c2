/* Stacks a runtime's own sampler took (plugin ABI 1.3 add_runtime_stack:
 * PyPy's vmprof), kept while a capture loads and then used to name the
 * native samples whose innermost user frame is a frame the core cannot name
 * (a stripped interpreter). The runtime's samples carry no timestamps, only
 * their order; a native sample is matched by its position in the process's
 * CPU time over the sampler's span (its rank among the process's samples in
 * that span), to the runtime stack nearest in position within
 * TP_RUNTIME_STACK_WINDOW among the stacks of its target (a process has a
 * group per target, all over one span). Matched samples get the runtime
 * stack as their user frames, or, in a keep-leaf group (JIT code the plugin
 * names), as the callers of their innermost user frame, which stays; kernel
 * frames stay. The others are left as they were. The counts become runtime
 * figures of the process.
 * Ownership: the set owns its entries; strings are profile strtab ids. */
#ifndef TP_MODEL_RSTACKS_H
#define TP_MODEL_RSTACKS_H

#include <stddef.h>
#include <stdint.h>

#include <tierprof/plugin.h>

struct profile;

struct rstack_frame {
	uint32_t key, display, subtier; /* strtab ids */
	uint8_t tier, flags;
	uint8_t is_target; /* the target function itself: its frame from the sample */
};

struct rstack_entry {
	double position;
	uint32_t first, n; /* frames[first .. first + n), innermost first */
};

struct rstack_group {
	uint32_t pid;
	uint64_t start_ns, end_ns;
	uint32_t target, runtime, plugin; /* strtab ids */
	uint32_t flags;			  /* TP_RUNTIME_STACK_* */
	struct rstack_entry *entries;
	size_t nentries, entries_cap;
};

struct rstacks {
	struct rstack_group *groups;
	size_t ngroups, groups_cap;
	struct rstack_frame *frames;
	size_t nframes, frames_cap;
};

/* Keep one stack (host-checked). -EINVAL for unknown flags, a span that
 * differs from earlier stacks of the same process, or flags that differ from
 * earlier stacks of the same process and target. */
int rstacks__add(struct rstacks *r, struct profile *p, const char *plugin,
		 const struct tp_runtime_stack *s);
/* Rewrite the matched samples of p (after every sample is resolved). */
void rstacks__apply(struct rstacks *r, struct profile *p);
void rstacks__exit(struct rstacks *r);

#endif
