#include "kallsyms.h"
#include "symtab.h"

#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One line without its '\n': "ADDR TYPE NAME[\t[MODULE]]". By hand rather
 * than sscanf: the real file has a few hundred thousand lines. */
static bool parse_line(const char *p, const char *end, uint64_t *addr, char *type,
		       const char **name, size_t *name_len)
{
	uint64_t a = 0;
	int digits = 0, d;

	while (p < end && (d = hex_digit(*p)) >= 0) {
		if (++digits > 16)
			return false;
		a = a << 4 | (uint64_t)d;
		p++;
	}
	if (!digits || end - p < 4 || p[0] != ' ' || is_blank(p[1]) || p[2] != ' ')
		return false;
	*addr = a;
	*type = p[1];
	p += 3;
	*name = p;
	while (p < end && !is_blank(*p))
		p++;
	*name_len = (size_t)(p - *name);
	if (!*name_len)
		return false;
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return true;
	/* The only thing allowed after the name is the module, "[name]". */
	if (*p != '[')
		return false;
	while (end > p && is_blank(end[-1]))
		end--;
	return end - p >= 2 && end[-1] == ']';
}

static bool type__is_text(char t, enum symtab_prio *prio)
{
	switch (t) {
	case 'T':
		*prio = SYMTAB_PRIO_GLOBAL;
		return true;
	case 't':
		*prio = SYMTAB_PRIO_LOCAL;
		return true;
	case 'W':
	case 'w':
		*prio = SYMTAB_PRIO_WEAK;
		return true;
	default:
		return false;
	}
}

int kallsyms__parse(const char *text, size_t len, struct symtab **out, size_t *bad_lines)
{
	const char *p = text, *end = text + len;
	size_t parsed = 0, bad = 0, kept = 0;
	struct symtab *st = symtab__new();

	*out = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *name;
		size_t name_len;
		enum symtab_prio prio;
		uint64_t addr;
		char type;

		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p) {
			/* An empty line (the final newline, mostly) is not an error. */
		} else if (!parse_line(p, eol, &addr, &type, &name, &name_len)) {
			bad++;
		} else {
			parsed++;
			/* With kptr_restrict every address reads as zero; a real
			 * symbol never sits at 0 on any architecture we profile. */
			if (addr && type__is_text(type, &prio)) {
				symtab__add_len(st, addr, 0, name, name_len, prio);
				kept++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (bad_lines)
		*bad_lines = bad;
	if (!parsed) {
		symtab__delete(st);
		return TP_ERR_BAD_FORMAT;
	}
	if (!kept) {
		symtab__delete(st);
		return TP_ERR_NO_SYMBOLS;
	}
	symtab__finalize(st);
	*out = st;
	return 0;
}
