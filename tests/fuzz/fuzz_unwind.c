/* libFuzzer target for the offline unwinder's untrusted inputs: an arbitrary
 * file parsed as a DSO's CFI table (core/unwind/cfi_table.c), and, when it
 * parses, a walk through libunwind over that file's .eh_frame with registers
 * and a stack slice taken from the input's last 256 bytes (as a capture's
 * sample records would give them). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "unwind/cfi_table.h"
#include "unwind/regs.h"
#include "unwind/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TAIL 256

static struct cfi_table table;

/* The whole address space is the file at bias 0x400000. */
static void lookup(void *ctx, uint32_t pid, uint64_t addr, struct unwind_code *out)
{
	(void)ctx, (void)pid;
	memset(out, 0, sizeof(*out));
	if (addr >= 0x400000 + table.text_lo && addr < 0x400000 + table.text_hi) {
		out->kind = UNWIND_CODE_CFI;
		out->cfi = &table;
		out->bias = 0x400000;
	} else if (addr >= 0x7f0000000000ull && addr < 0x7f0000100000ull) {
		out->kind = UNWIND_CODE_JIT;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct unwinder *u;
	uint64_t regs[3], ips[64], v;
	unsigned char stack[TAIL - sizeof(regs)];
	size_t n, image = size > TAIL ? size - TAIL : size;

	if (cfi_table__parse(data, image, &table)) {
		cfi_table__offset_to_vaddr(&table, 0, &v);
		return 0;
	}
	cfi_table__read(&table, table.table, &v, sizeof(v));
	if (size <= TAIL)
		return 0;
	if (!u)
		u = unwinder__new(lookup, NULL);
	memcpy(regs, data + image, sizeof(regs));
	memcpy(stack, data + image + sizeof(regs), sizeof(stack));
	/* aim the IP at the file's code and SP at the slice */
	regs[2] = 0x400000 + table.text_lo + regs[2] % (table.text_hi - table.text_lo + 1);
	regs[1] = 0x7ffff0000000ull + (regs[1] & 0xff8);
	{
		struct unwind_input in = { .pid = 1,
					   .regs_mask = SAMPLE_REGS_REPAIR,
					   .regs = regs,
					   .nregs = 3,
					   .stack = stack,
					   .stack_size = sizeof(stack) };

		unwinder__walk(u, &in, UNWIND_FP_THROUGH_JIT, ips, 64, &n);
	}
	return 0;
}
