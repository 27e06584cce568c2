/* leaves: one hot -O2 leaf (frameless) under three callers doing 1, 2 and 3
 * units of work per round. True inclusive shares: caller_one 1/6,
 * caller_two 2/6, caller_three 3/6; hot_leaf about 100 %.
 *
 *   usage: leaves [ROUNDS]   (default 150, about 2 s)
 */
#include "acc_work.h"

#include <stdio.h>
#include <stdlib.h>

volatile uint64_t acc_sink;

__attribute__((noinline)) uint64_t hot_leaf(uint64_t n, uint64_t x)
{
	for (uint64_t i = 0; i < n; i++)
		x = acc_mix(x, i);
	return x;
}

__attribute__((noinline)) void caller_one(uint64_t seed)
{
	acc_sink ^= hot_leaf(ACC_UNIT, seed);
}

__attribute__((noinline)) void caller_two(uint64_t seed)
{
	acc_sink ^= hot_leaf(2 * ACC_UNIT, seed);
}

__attribute__((noinline)) void caller_three(uint64_t seed)
{
	acc_sink ^= hot_leaf(3 * ACC_UNIT, seed);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 150;

	if (rounds <= 0) {
		fprintf(stderr, "usage: leaves [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		caller_one((uint64_t)r);
		caller_two((uint64_t)r);
		caller_three((uint64_t)r);
	}
	return 0;
}
