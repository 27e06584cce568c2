/* Shared by the accuracy programs: a CPU-bound leaf whose cost is linear in
 * its argument, so the true share of every caller is known from the source.
 * At -O2 gcc 12 gives it no frame pointer (no -mno-omit-leaf-frame-pointer):
 * the kernel's frame-pointer callchain skips whoever called it. */
#ifndef TP_ACC_WORK_H
#define TP_ACC_WORK_H

#include <stdint.h>

/* Iterations per unit of work: about 2 ms on a 2020s x86_64 core. */
#define ACC_UNIT 2000000ull

extern volatile uint64_t acc_sink;

static inline uint64_t acc_mix(uint64_t x, uint64_t i)
{
	x = x * 6364136223846793005ull + i;
	__asm__ volatile("" : "+r"(x)); /* keep the loop a loop */
	return x;
}

#endif
