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

/* Open path and load its symbols. Returns 0, -errno (-EINVAL: not a regular
 * file), TP_ERR_BAD_FORMAT (not an ELF file, or a corrupt one: the reason is
 * logged with pr_warn) or TP_ERR_NO_SYMBOLS (valid, but no code symbol
 * anywhere). On 0 and on TP_ERR_NO_SYMBOLS *out is set and the caller must
 * delete it (with no symbols, offsets still translate); on any other error
 * *out is NULL. A debug file is taken when its build id matches, or, found
 * through the debug link, when its CRC does. The file's directory is used as
 * given, never resolved, so a /proc/PID/root/... path stays in the target's
 * mount namespace (DEBUG_ROOT itself is not prefixed). */
int elf_file__open(const char *path, const struct elf_open_opts *opts, struct elf_file **out);
/* Same over an in-memory image (no debug-file search); for tests and fuzzing.
 * The buffer is only read, and only during the call. */
int elf_file__open_mem(const void *data, size_t len, struct elf_file **out);
/* Translate a file offset (mapping pgoff + address - mapping start) into a
 * link-time virtual address. Returns 0 or TP_ERR_NOT_FOUND when no PT_LOAD
 * segment covers the offset. */
int elf_file__offset_to_vaddr(const struct elf_file *ef, uint64_t file_off, uint64_t *vaddr);
/* Symbol containing vaddr, or NULL. Code symbols only: STT_FUNC,
 * STT_GNU_IFUNC and untyped labels in executable sections; aliases are
 * collapsed as symtab__finalize does (global over weak over local). */
const struct tp_sym *elf_file__find(const struct elf_file *ef, uint64_t vaddr);
size_t elf_file__nr_symbols(const struct elf_file *ef);
/* Where the symbols came from: the file itself, or the debug file found;
 * "[memory]" for __open_mem. Lives as long as ef. */
const char *elf_file__symbol_source(const struct elf_file *ef);
/* The file's GNU build id (NT_GNU_BUILD_ID, from its notes sections or
 * PT_NOTE), or len 0. *id lives as long as ef. */
void elf_file__build_id(const struct elf_file *ef, const unsigned char **id, size_t *len);
void elf_file__delete(struct elf_file *ef); /* NULL-safe */

#endif
