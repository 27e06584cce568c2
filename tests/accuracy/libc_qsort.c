/* libc_qsort: a hot comparator called back through glibc's qsort, which
 * Debian builds without frame pointers (msort_with_tmp recurses about log2(N) = 13
 * deep between qsort and the comparator). A sort takes several sampling
 * periods, so the samples do not lock onto the rounds' phase. Per round sort_one sorts one array,
 * sort_three three arrays of the same size. True inclusive shares:
 * sort_one 1/4, sort_three 3/4; cmp_heavy (the comparison work) nearly all.
 *
 *   usage: libc_qsort [ROUNDS]   (default 100, about 2 s)
 */
#include "acc_work.h"

#include <stdio.h>
#include <stdlib.h>

#define NELEM 8192
/* acc_mix steps per comparison: the comparator dominates the sort. */
#define CMP_WORK 64

volatile uint64_t acc_sink;

__attribute__((noinline)) int cmp_heavy(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b, h = x ^ y;

	for (uint64_t i = 0; i < CMP_WORK; i++)
		h = acc_mix(h, i);
	acc_sink ^= h;
	return x < y ? -1 : x > y;
}

static void fill(uint64_t *v, uint64_t seed)
{
	for (size_t i = 0; i < NELEM; i++)
		v[i] = seed = acc_mix(seed, i);
}

__attribute__((noinline)) void sort_one(uint64_t *v, uint64_t seed)
{
	fill(v, seed);
	qsort(v, NELEM, sizeof(*v), cmp_heavy);
	acc_sink ^= v[0]; /* no tail call: the frame stays */
}

__attribute__((noinline)) void sort_three(uint64_t *v, uint64_t seed)
{
	for (int k = 0; k < 3; k++) {
		fill(v, seed + (uint64_t)k);
		qsort(v, NELEM, sizeof(*v), cmp_heavy);
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	static uint64_t v[NELEM];

	if (rounds <= 0) {
		fprintf(stderr, "usage: libc_qsort [ROUNDS]\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		sort_one(v, (uint64_t)r);
		sort_three(v, (uint64_t)r);
	}
	return 0;
}
