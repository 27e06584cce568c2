/* libFuzzer target for core/symbol/jitmap.c: the input is a program of
 * add / move / finalize / lookup operations over a small address and time
 * space (so that overlaps, stacked reuse and ties are the rule), and every
 * lookup is checked against a brute-force reading of the rule in jitmap.h.
 * Operation bytes: op, then little-endian fields; a short tail is ignored. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "symbol/jitmap.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Brute force over the first n entries (those the last finalize saw). */
static const struct jit_entry *oracle(const struct jitmap *m, size_t n, uint64_t addr, uint64_t t)
{
	const struct jit_entry *best = NULL, *first = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct jit_entry *e = jitmap__at(m, i);

		if (!e->size || addr < e->start || addr - e->start >= e->size)
			continue;
		if (e->time_ns <= t && (!best || e->time_ns >= best->time_ns))
			best = e;
		if (!first || e->time_ns < first->time_ns)
			first = e;
	}
	return best ? best : first;
}

/* Mostly small values; sometimes near the top of the address space. */
static uint64_t addr_of(const uint8_t *p)
{
	uint16_t v = (uint16_t)(p[0] | p[1] << 8);

	return v & 0x8000 ? UINT64_MAX - (v & 0x7fff) : v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jitmap *m = jitmap__new();
	size_t nfinal = 0, i = 0;
	char name[24];

	while (i < size && jitmap__count(m) < 1024) {
		uint8_t op = data[i++];

		switch (op & 3) {
		case 0: /* add: start u16, size u8 (scaled), time u8 */
			if (size - i < 4)
				goto out;
			snprintf(name, sizeof(name), "f%zu", jitmap__count(m));
			jitmap__add(m, addr_of(data + i), (uint64_t)data[i + 2] << ((op >> 6) * 4),
				    name, data[i + 3]);
			i += 4;
			break;
		case 1: /* move: entry u8, new start u16, size u8, time u8 */
			if (size - i < 5)
				goto out;
			if (jitmap__count(m)) {
				const struct jit_entry *e =
					jitmap__at(m, data[i] % jitmap__count(m));

				if (jitmap__move(m, e->start, addr_of(data + i + 1), data[i + 3],
						 data[i + 4]))
					__builtin_trap(); /* its start is known */
			}
			i += 5;
			break;
		case 2:
			jitmap__finalize(m);
			nfinal = jitmap__count(m);
			break;
		case 3: /* lookup: addr u16, time u8 (0xff: the latest) */
			if (size - i < 3)
				goto out;
			{
				uint64_t addr = addr_of(data + i);
				uint64_t t = data[i + 2] == 0xff ? UINT64_MAX : data[i + 2];

				if (jitmap__find(m, addr, t) != oracle(m, nfinal, addr, t))
					__builtin_trap();
			}
			i += 3;
			break;
		}
	}
out:
	jitmap__delete(m);
	return 0;
}
