/* /proc/kallsyms text ("ADDR TYPE NAME [MODULE]") into a symtab. Only text
 * symbols (t/T, w/W) are kept; module symbols keep their name without the
 * module. Lines that do not parse are skipped and counted. */
#ifndef TP_SYMBOL_KALLSYMS_H
#define TP_SYMBOL_KALLSYMS_H

#include <stddef.h>

struct symtab;

/* Returns 0 and a finalized table (the caller owns it), or TP_ERR_BAD_FORMAT
 * when no line parses, or TP_ERR_NO_SYMBOLS when no text symbol has a non-zero
 * address (kptr_restrict zeroes them all); *out is NULL on error. Symbols get
 * no sizes: each reaches the next. Empty lines are not counted as bad;
 * bad_lines may be NULL. */
int kallsyms__parse(const char *text, size_t len, struct symtab **out, size_t *bad_lines);

#endif
