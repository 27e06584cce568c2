/* Shared CPU burner for the bundled workloads: a dependent multiply/xor-shift
 * chain the compiler cannot fold, so every iteration costs the same few cycles
 * on every tier of optimisation and the sample share of a function is
 * proportional to the iterations it runs. Header-only on purpose: each caller
 * expands the loop inside its own noinline function, so samples land on that
 * function's name and not on a shared helper. */
#ifndef TP_WORKLOADS_WORK_H
#define TP_WORKLOADS_WORK_H

#include <stdint.h>

/* Consumed by the burners so the loops have an observable result. */
extern volatile uint64_t tp_wl_sink;

#define TP_WL_BURN(iters)                                                          \
	do {                                                                       \
		uint64_t x_ = tp_wl_sink | 1;                                      \
		for (uint64_t i_ = 0; i_ < (uint64_t)(iters); i_++) {              \
			x_ = x_ * 6364136223846793005ull + 1442695040888963407ull; \
			x_ ^= x_ >> 29;                                            \
		}                                                                  \
		tp_wl_sink = x_;                                                   \
	} while (0)

#endif
