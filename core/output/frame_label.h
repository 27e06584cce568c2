/* How the interchange formats (flame graph, pprof, speedscope) name what they
 * show: one rule, so a function reads the same everywhere.
 * Ownership: returned strings are the caller's (free), except
 * frame_label__tier, which points into the profile. */
#ifndef TP_OUTPUT_FRAME_LABEL_H
#define TP_OUTPUT_FRAME_LABEL_H

#include <stdint.h>

struct profile;

/* The function's display name; [unknown] functions carry their DSO,
 * "[unknown] (libfoo.so)", as in the folded output. */
char *frame_label__function(const struct profile *p, uint32_t func);
/* The tier word worth showing next to a name: the sub-tier when the plugin
 * gave one ("TurboFan"), else the tier name for JIT runtimes' tiers
 * (interpreter, baseline, optimized, runtime); NULL for native, kernel and
 * unknown frames, whose DSO already says what they are. */
const char *frame_label__tier(const struct profile *p, uint32_t frame);
/* "add [TurboFan]": the function name and, when there is one, the tier word. */
char *frame_label__with_tier(const struct profile *p, uint32_t frame);

#endif
