#include "regs.h"

#include <string.h>

int sample_regs__get(uint64_t mask, const uint64_t *regs, uint64_t nregs, unsigned reg,
		     uint64_t *val)
{
	uint64_t idx;

	if (reg >= 64 || !(mask & (1ull << reg)) || !regs)
		return -1;
	idx = (uint64_t)__builtin_popcountll(mask & ((1ull << reg) - 1));
	if (idx >= nregs)
		return -1;
	memcpy(val, &regs[idx], sizeof(*val)); /* records are only 8-aligned by contract */
	return 0;
}
