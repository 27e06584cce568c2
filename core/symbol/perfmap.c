#include "perfmap.h"

#include "util/err.h"

#include <stdbool.h>
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

/* Hex number with an optional 0x; leading zeros do not count against the 64
 * bits (.NET pads to 16 digits, a 17-digit value must still fail). Returns
 * the position after the digits, or NULL. */
static const char *parse_hex(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *digits;
	int d;

	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	digits = p;
	while (p < end && (d = hex_digit(*p)) >= 0) {
		if (v >> 60)
			return NULL;
		v = v << 4 | (uint64_t)d;
		p++;
	}
	if (p == digits)
		return NULL;
	*out = v;
	return p;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* One line without its line ending. By hand rather than sscanf: maps reach
 * tens of thousands of lines, and sscanf's %lx accepts signs and spaces. */
static bool parse_line(const char *p, const char *end, uint64_t *start, uint64_t *size,
		       const char **name)
{
	uint64_t sum;

	if (memchr(p, '\0', (size_t)(end - p)))
		return false;
	p = parse_hex(p, end, start);
	if (!p || p == end || !is_blank(*p))
		return false;
	p = parse_hex(skip_blanks(p, end), end, size);
	if (!p || p == end || !is_blank(*p))
		return false;
	/* The name is everything after the separator, spaces included. */
	p = skip_blanks(p, end);
	if (p == end)
		return false;
	*name = p;
	return !__builtin_add_overflow(*start, *size, &sum);
}

int perfmap__parse(const char *text, size_t len, perfmap_entry_fn fn, void *ctx,
		   struct perfmap_stats *st)
{
	struct perfmap_stats s = { 0 };
	const char *p = text, *end;

	/* No arithmetic on a NULL text (UBSan flags even NULL + 0). */
	end = len ? text + len : text;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		uint64_t start, size;
		const char *name;

		s.lines++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p) {
			/* empty line: not an error */
		} else if (!parse_line(p, eol, &start, &size, &name)) {
			if (!s.bad_lines++)
				s.first_bad_line = s.lines;
		} else {
			s.entries++;
			s.zero_size += !size;
			if (fn)
				fn(ctx, start, size, name, (size_t)(eol - name), s.lines);
		}
		p = nl ? nl + 1 : end;
	}
	if (st)
		*st = s;
	return s.bad_lines && !s.entries ? TP_ERR_BAD_FORMAT : 0;
}
