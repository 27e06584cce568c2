/* libFuzzer target for core/symbol/elf.c through elf_file__open_mem: open,
 * translate a few offsets, look up a few addresses, delete. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symbol/elf.h"
#include "symbol/symtab.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet_sink(enum tp_log_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_file *ef;
	uint64_t probes[8] = { 0, 0x40, 0x1000, 0x1180, size / 2, size ? size - 1 : 0, 0, 0 };
	const unsigned char *id;
	size_t id_len;

	tp_log_set_sink(quiet_sink);
	/* Probe offsets taken from the input too, so the fuzzer can aim them. */
	if (size >= 16) {
		memcpy(&probes[6], data + size - 16, 8);
		memcpy(&probes[7], data + size - 8, 8);
	}
	if (elf_file__open_mem(data, size, &ef) && !ef)
		return 0;
	elf_file__build_id(ef, &id, &id_len);
	elf_file__symbol_source(ef);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const struct tp_sym *s;
		uint64_t vaddr;

		if (!elf_file__offset_to_vaddr(ef, probes[i], &vaddr))
			elf_file__find(ef, vaddr);
		s = elf_file__find(ef, probes[i]);
		if (s && s->name)
			(void)strlen(s->name);
	}
	(void)elf_file__nr_symbols(ef);
	elf_file__delete(ef);
	return 0;
}
