/* nofp: a program with frame pointers calling into a library without them
 * (libnofp), and a callback called back through that library.
 * Per round: lib_one asks libnofp for 1 unit, lib_three for 3, cb_two for 2
 * units of callback work through nofp_apply. True inclusive shares:
 * lib_one 1/6, lib_three 3/6 (both through nofp_outer, 4/6), cb_two 2/6
 * (nofp_apply 2/6, callback 2/6).
 *
 *   usage: nofp [ROUNDS]   (default 150, about 2 s)
 */
#include "acc_work.h"
#include "libnofp.h"

#include <stdio.h>
#include <stdlib.h>

volatile uint64_t acc_sink;

__attribute__((noinline)) uint64_t callback_leaf(uint64_t n, uint64_t x)
{
	for (uint64_t i = 0; i < n; i++)
		x = acc_mix(x, i);
	return x;
}

__attribute__((noinline)) uint64_t callback(uint64_t x)
{
	return callback_leaf(ACC_UNIT, x) ^ 1;
}

__attribute__((noinline)) void lib_one(uint64_t seed)
{
	acc_sink ^= nofp_outer(1, seed);
}

__attribute__((noinline)) void lib_three(uint64_t seed)
{
	acc_sink ^= nofp_outer(3, seed);
}

__attribute__((noinline)) void cb_two(uint64_t seed)
{
	acc_sink ^= nofp_apply(callback, 2, seed);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 150;

	if (rounds <= 0) {
		fprintf(stderr, "usage: nofp [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		lib_one((uint64_t)r);
		lib_three((uint64_t)r);
		cb_two((uint64_t)r);
	}
	return 0;
}
