/* libFuzzer target for core/symbol/kallsyms.c: parse, then look up every
 * symbol's start and a few addresses from the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symbol/kallsyms.h"
#include "symbol/symtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct symtab *st;
	size_t bad, i;
	uint64_t addr = 0;

	if (kallsyms__parse((const char *)data, size, &st, &bad))
		return 0;
	for (i = 0; i < symtab__count(st); i++) {
		const struct tp_sym *s = symtab__at(st, i);

		if (symtab__find(st, s->start) != s)
			__builtin_trap(); /* one symbol per address after __finalize */
		(void)strlen(s->name);
	}
	if (size >= 8)
		memcpy(&addr, data, 8);
	symtab__find(st, addr);
	symtab__find(st, ~addr);
	symtab__delete(st);
	return 0;
}
