/* Names of the tiers (enum tp_tier, in the public plugin header). */
#ifndef TP_MODEL_TIER_H
#define TP_MODEL_TIER_H

#include <tierprof/plugin.h>

/* JSON/CLI key: "interpreter", "baseline", ... ; NULL for out-of-range. */
const char *tier__name(unsigned tier);
/* Six characters at most, for table headers: "interp", "base", "opt"... */
const char *tier__short_name(unsigned tier);
/* Order in which reports list the tiers. */
extern const unsigned tier__display_order[TP_TIER__COUNT];

#endif
