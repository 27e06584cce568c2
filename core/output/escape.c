#include "escape.h"
#include "../util/mem.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

size_t utf8__seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0; /* continuation byte, 0xc0/0xc1 (overlong) or 0xf5.. */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return len;
}

char *utf8__repair(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, bad = 0, len;
	char *out, *o;

	while (i < n) {
		len = utf8__seq_len(u + i, n - i);
		bad += !len;
		i += len ? len : 1;
	}
	if (!bad)
		return NULL;
	o = out = tp_xmalloc(n + 2 * bad + 1); /* each bad byte grows by 2 */
	for (i = 0; i < n; i += len ? len : 1) {
		len = utf8__seq_len(u + i, n - i);
		if (len) {
			memcpy(o, s + i, len);
			o += len;
		} else {
			memcpy(o, replacement, 3);
			o += 3;
		}
	}
	*o = '\0';
	return out;
}

void escape__xml(FILE *f, const char *s, int keep_newline)
{
	char *fixed = utf8__repair(s);

	for (const unsigned char *c = (const unsigned char *)(fixed ? fixed : s); *c; c++) {
		switch (*c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\n':
			fputc(keep_newline ? '\n' : ' ', f);
			break;
		case '\t':
			fputc(' ', f);
			break;
		default:
			/* XML 1.0 allows no other C0 control character, even escaped. */
			if (*c >= 0x20 && *c != 0x7f)
				fputc(*c, f);
		}
	}
	free(fixed);
}

void escape__json(FILE *f, const char *s)
{
	char *fixed = utf8__repair(s);

	for (const unsigned char *c = (const unsigned char *)(fixed ? fixed : s); *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	free(fixed);
}
