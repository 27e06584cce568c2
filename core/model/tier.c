#include "tier.h"

#include <stddef.h>

static const char *const names[TP_TIER__COUNT] = {
	[TP_TIER_UNKNOWN] = "unknown",	 [TP_TIER_INTERPRETER] = "interpreter",
	[TP_TIER_BASELINE] = "baseline", [TP_TIER_OPTIMIZED] = "optimized",
	[TP_TIER_RUNTIME] = "runtime",	 [TP_TIER_NATIVE] = "native",
	[TP_TIER_KERNEL] = "kernel",
};

const unsigned tier__display_order[TP_TIER__COUNT] = {
	TP_TIER_INTERPRETER, TP_TIER_BASELINE, TP_TIER_OPTIMIZED, TP_TIER_RUNTIME,
	TP_TIER_NATIVE,	     TP_TIER_KERNEL,   TP_TIER_UNKNOWN,
};

const char *tier__name(unsigned tier)
{
	return tier < TP_TIER__COUNT ? names[tier] : NULL;
}

const char *tier__short_name(unsigned tier)
{
	static const char *const short_names[TP_TIER__COUNT] = {
		[TP_TIER_UNKNOWN] = "unk",   [TP_TIER_INTERPRETER] = "interp",
		[TP_TIER_BASELINE] = "base", [TP_TIER_OPTIMIZED] = "opt",
		[TP_TIER_RUNTIME] = "rt",    [TP_TIER_NATIVE] = "native",
		[TP_TIER_KERNEL] = "kernel",
	};

	return tier < TP_TIER__COUNT ? short_names[tier] : "?";
}
