/* libFuzzer target for core/output/escape.c: symbol names are arbitrary
 * bytes, and every output format relies on the repair. Checks that the
 * repaired string is valid UTF-8 by an independent decoder, that valid input
 * comes back untouched, and that the XML and JSON escapers never emit a raw
 * markup character or control byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decode s as UTF-8 the long way: code points, ranges, no overlongs. */
static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		uint32_t cp;
		int n;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0)
			n = 1, cp = *s & 0x1f;
		else if ((*s & 0xf0) == 0xe0)
			n = 2, cp = *s & 0x0f;
		else if ((*s & 0xf8) == 0xf0)
			n = 3, cp = *s & 0x07;
		else
			return 0;
		s++;
		for (int i = 0; i < n; i++, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*s & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *fixed, *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fixed = utf8__repair(s);
	if (!valid_utf8((const unsigned char *)(fixed ? fixed : s)))
		__builtin_trap();
	if (!fixed != !!valid_utf8((const unsigned char *)s))
		__builtin_trap(); /* repaired exactly when it was not valid */
	free(fixed);

	f = open_memstream(&out, &len);
	if (f) {
		escape__xml(f, s, 0);
		fclose(f);
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)out[i];

			if (c == '<' || c == '>' || c == '"' || c == '\'' || c < 0x20 || c == 0x7f)
				__builtin_trap();
		}
		if (!valid_utf8((const unsigned char *)out))
			__builtin_trap();
		free(out);
	}
	out = NULL;
	f = open_memstream(&out, &len);
	if (f) {
		escape__json(f, s);
		fclose(f);
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)out[i];

			if (c < 0x20 || (c == '"' && (i == 0 || out[i - 1] != '\\')))
				__builtin_trap();
		}
		free(out);
	}
	free(s);
	return 0;
}
