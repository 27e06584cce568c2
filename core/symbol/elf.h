/* ELF symbol loading through libelf (the only file that includes libelf).
 * Symbols come from .symtab, else .dynsym; when the file has no .symtab, a
 * separate debug file is searched by build id (DEBUG_ROOT/.build-id/xx/rest.debug)
 * and by .gnu_debuglink (next to the file, in .debug/, and under
 * DEBUG_ROOT + the file's directory), its CRC checked.
 * Addresses are link-time virtual addresses of the ELF; a sample address is
 * turned into one through the mapping's file offset and the PT_LOAD headers,
 * which covers PIE executables, shared libraries and non-PIE executables alike.
 * Ownership: callers own what __open returns. Not thread-safe. */
#ifndef TP_SYMBOL_ELF_H
#define TP_SYMBOL_ELF_H

#include <stddef.h>
#include <stdint.h>

struct tp_sym;
struct elf_file;

struct elf_open_opts {
	const char *debug_root; /* NULL = "/usr/lib/debug" */
};

/* Open path and load its symbols. Returns 0, -errno, TP_ERR_BAD_FORMAT (not
 * an ELF file, or a corrupt one) or TP_ERR_NO_SYMBOLS (valid, but no symbol
 * table anywhere: *out is still set so offsets can be translated). */
int elf_file__open(const char *path, const struct elf_open_opts *opts, struct elf_file **out);
/* Same over an in-memory image (no debug-file search); for tests and fuzzing.
 * The buffer must outlive the object. */
int elf_file__open_mem(const void *data, size_t len, struct elf_file **out);
/* Translate a file offset (mapping pgoff + address - mapping start) into a
 * link-time virtual address. Returns 0 or TP_ERR_NOT_FOUND when no PT_LOAD
 * segment covers the offset. */
int elf_file__offset_to_vaddr(const struct elf_file *ef, uint64_t file_off, uint64_t *vaddr);
/* Symbol containing vaddr, or NULL. */
const struct tp_sym *elf_file__find(const struct elf_file *ef, uint64_t vaddr);
size_t elf_file__nr_symbols(const struct elf_file *ef);
/* Where the symbols came from: the file itself, or the debug file found. */
const char *elf_file__symbol_source(const struct elf_file *ef);
/* The file's GNU build id (NT_GNU_BUILD_ID), or len 0. */
void elf_file__build_id(const struct elf_file *ef, const unsigned char **id, size_t *len);
void elf_file__delete(struct elf_file *ef); /* NULL-safe */

#endif
