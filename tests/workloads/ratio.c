/* ratio: two functions doing the same kind of CPU work in a 3:1 ratio of
 * iterations, interleaved in rounds, so a correct profiler shows work_three
 * with three times the self samples of work_one.
 *
 *   usage: ratio [ROUNDS]     (default 40 rounds, about 2 s)
 */
#include "work.h"

#include <stdio.h>
#include <stdlib.h>

#define UNIT 7500000ull /* iterations of work_one per round: ~12 ms */

volatile uint64_t tp_wl_sink;

__attribute__((noinline)) void work_three(uint64_t unit);
__attribute__((noinline)) void work_one(uint64_t unit);

void work_three(uint64_t unit)
{
	TP_WL_BURN(3 * unit);
}

void work_one(uint64_t unit)
{
	TP_WL_BURN(unit);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 40;

	if (rounds <= 0) {
		fprintf(stderr, "usage: ratio [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		work_three(UNIT);
		work_one(UNIT);
	}
	return 0;
}
