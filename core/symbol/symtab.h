/* A sorted table of named address ranges: ELF symbols, kernel symbols, JIT
 * code. Build it with __add, then __finalize once, then look up.
 * Ownership: the table copies every name; returned pointers live until the
 * table is deleted. Not thread-safe. */
#ifndef TP_SYMBOL_SYMTAB_H
#define TP_SYMBOL_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct tp_sym {
	uint64_t start;
	uint64_t size; /* 0 in the input means "up to the next symbol" after __finalize */
	const char *name;
};

struct symtab;

struct symtab *symtab__new(void);
/* Add a symbol; name is copied. Zero-size symbols are kept: __finalize sizes
 * them up to the next symbol (as perf does for assembly labels). */
void symtab__add(struct symtab *st, uint64_t start, uint64_t size, const char *name);
/* Sort, collapse exact duplicates (aliases at one address keep the first
 * global name), and infer the missing sizes. */
void symtab__finalize(struct symtab *st);
/* The symbol whose [start, start+size) contains addr, or NULL. When ranges
 * nest or overlap, the one with the greatest start wins. */
const struct tp_sym *symtab__find(const struct symtab *st, uint64_t addr);
size_t symtab__count(const struct symtab *st);
const struct tp_sym *symtab__at(const struct symtab *st, size_t i);
void symtab__delete(struct symtab *st); /* NULL-safe */

#endif
