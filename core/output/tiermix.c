#include "output.h"
#include "../model/tier.h"

#include <stdio.h>

void format_tier_mix(char *buf, size_t len, const uint64_t *counts, unsigned ntiers)
{
	uint64_t total = 0;
	size_t used = 0;
	unsigned nonzero = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < ntiers; i++) {
		total += counts[i];
		nonzero += counts[i] != 0;
	}
	if (!total)
		return;
	for (unsigned k = 0; k < TP_TIER__COUNT && used < len; k++) {
		unsigned t = tier__display_order[k];

		if (t >= ntiers || !counts[t])
			continue;
		if (nonzero == 1)
			used += (size_t)snprintf(buf + used, len - used, "%s", tier__name(t));
		else
			used += (size_t)snprintf(
				buf + used, len - used, "%s%.0f%% %s", used ? ", " : "",
				100.0 * (double)counts[t] / (double)total, tier__name(t));
	}
}
