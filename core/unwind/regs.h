/* The user registers sampled with PERF_SAMPLE_REGS_USER (x86_64 numbering
 * of asm/perf_regs.h) and the sets tierprof asks for. A sample carries one
 * value per bit of the mask, in bit order. async-signal-safe: yes. */
#ifndef TP_UNWIND_REGS_H
#define TP_UNWIND_REGS_H

#include <asm/perf_regs.h>
#include <stdint.h>

/* First-frame repair: the frame registers. */
#define SAMPLE_REGS_REPAIR \
	((1ull << PERF_REG_X86_BP) | (1ull << PERF_REG_X86_SP) | (1ull << PERF_REG_X86_IP))
/* Full DWARF unwinding: every general-purpose register of the 64-bit ABI
 * (the segment registers DS..GS are not sampled in 64-bit mode). */
#define SAMPLE_REGS_DWARF                                                                      \
	(((1ull << PERF_REG_X86_64_MAX) - 1) &                                                 \
	 ~((1ull << PERF_REG_X86_DS) | (1ull << PERF_REG_X86_ES) | (1ull << PERF_REG_X86_FS) | \
	   (1ull << PERF_REG_X86_GS)))

/* Value of perf register reg from a sample's regs (mask as recorded, nregs
 * values). Returns 0, or -1 when the register was not sampled. */
int sample_regs__get(uint64_t mask, const uint64_t *regs, uint64_t nregs, unsigned reg,
		     uint64_t *val);

#endif
