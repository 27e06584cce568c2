/* recurse: the same hot leaf at the bottom of a shallow (4 levels) and a
 * deep (40 levels) recursion, one unit of work each per round. True
 * inclusive shares: shallow 1/2, deep 1/2, descend 100 %.
 *
 *   usage: recurse [ROUNDS]   (default 450, about 2 s)
 */
#include "acc_work.h"

#include <stdio.h>
#include <stdlib.h>

volatile uint64_t acc_sink;

__attribute__((noinline)) uint64_t rec_leaf(uint64_t n, uint64_t x)
{
	for (uint64_t i = 0; i < n; i++)
		x = acc_mix(x, i);
	return x;
}

__attribute__((noinline)) uint64_t descend(int depth, uint64_t x)
{
	volatile uint64_t pad[4] = { x, 0, 0, 0 }; /* a real frame per level */

	if (depth == 0)
		return rec_leaf(ACC_UNIT, pad[0]);
	return descend(depth - 1, pad[0] + 1) + pad[1];
}

__attribute__((noinline)) void shallow(uint64_t seed)
{
	acc_sink ^= descend(4, seed);
}

__attribute__((noinline)) void deep(uint64_t seed)
{
	acc_sink ^= descend(40, seed);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 450;

	if (rounds <= 0) {
		fprintf(stderr, "usage: recurse [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		shallow((uint64_t)r);
		deep((uint64_t)r);
	}
	return 0;
}
