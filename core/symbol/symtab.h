/* A sorted table of named address ranges: ELF symbols, kernel symbols, JIT
 * code. Build it with __add, then __finalize, then look up.
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

/* How strongly a name claims its address, for choosing among aliases. */
enum symtab_prio {
	SYMTAB_PRIO_LOCAL = 0,
	SYMTAB_PRIO_WEAK = 1,
	SYMTAB_PRIO_GLOBAL = 2,
};

struct symtab *symtab__new(void); /* never NULL: out of memory is fatal (util/mem.h) */
/* Add a symbol; name is copied (NULL is taken as ""). Zero-size symbols are
 * kept: __finalize sizes them up to the next symbol (as perf does for
 * assembly labels), unless they fall inside a sized symbol, where they are
 * labels of that function and dropped. Same as __add_prio with
 * SYMTAB_PRIO_GLOBAL. */
void symtab__add(struct symtab *st, uint64_t start, uint64_t size, const char *name);
void symtab__add_prio(struct symtab *st, uint64_t start, uint64_t size, const char *name,
		      enum symtab_prio prio);
/* The same with the name's length given: name need not be NUL-terminated. */
void symtab__add_len(struct symtab *st, uint64_t start, uint64_t size, const char *name, size_t len,
		     enum symtab_prio prio);
/* Sort, collapse aliases (one symbol per address: a sized one over a label,
 * then the highest prio, then the fewest leading underscores, then the first
 * added), and infer the missing sizes; a trailing label reaches the end of
 * the next page. Adding after __finalize is allowed; call it again before
 * the next lookup. */
void symtab__finalize(struct symtab *st);
/* The symbol whose [start, start+size) contains addr, or NULL (also before
 * __finalize). When ranges nest or overlap, the one with the greatest start
 * wins. */
const struct tp_sym *symtab__find(const struct symtab *st, uint64_t addr);
size_t symtab__count(const struct symtab *st);
/* The i-th symbol in address order once finalized; NULL past the end. */
const struct tp_sym *symtab__at(const struct symtab *st, size_t i);
void symtab__delete(struct symtab *st); /* NULL-safe */

#endif
