/* tierprof plugin ABI. The only header a runtime plugin includes.
 * Numbers in this file are ABI: append, never renumber. */
#ifndef TIERPROF_PLUGIN_H
#define TIERPROF_PLUGIN_H

#include <stdint.h>

/* The closed set of execution tiers every frame is labelled with
 * (DESIGN.md section 4). Stored as uint32_t in ABI structs. */
enum tp_tier {
	TP_TIER_UNKNOWN = 0,     /* could not be named; carries a cause */
	TP_TIER_INTERPRETER = 1, /* bytecode interpreter */
	TP_TIER_BASELINE = 2,    /* first, cheap JIT tier */
	TP_TIER_OPTIMIZED = 3,   /* speculative optimizing JIT */
	TP_TIER_RUNTIME = 4,     /* the VM's own native code */
	TP_TIER_NATIVE = 5,      /* application and library machine code */
	TP_TIER_KERNEL = 6,      /* kernel frames */
	TP_TIER__COUNT = 7,
};

#endif
