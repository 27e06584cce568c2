#include "hs_name.h"

#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len;
	int overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->size) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

int hs_name__from_perfmap(const char *s, size_t n, char *key, size_t key_size)
{
	const char *paren = memchr(s, '(', n), *qual, *dot;
	struct out o = { key, key_size, 0, 0 };

	if (!key_size || !paren || paren == s || s[n - 1] != ')' || paren[-1] == ' ')
		return -1;
	/* "RET QUAL(": the qualified name follows the last space before '('. */
	for (qual = paren; qual > s && qual[-1] != ' '; qual--)
		;
	if (qual == s)
		return -1;
	for (const char *p = s; p < qual - 1; p++) {
		if (*p == '(' || *p == ')')
			return -1;
	}
	dot = NULL;
	for (const char *p = qual; p < paren; p++) {
		if (*p == '.')
			dot = p;
	}
	if (!dot || dot == qual || dot + 1 == paren)
		return -1;
	key[0] = '\0';
	put(&o, qual, (size_t)(dot - qual));
	put(&o, "::", 2);
	put(&o, dot + 1, (size_t)(paren - dot - 1));
	put(&o, paren, (size_t)(s + n - paren));
	return o.overflow ? -1 : 0;
}

/* One field type of a descriptor at *p, in Java source spelling. */
static int put_type(struct out *o, const char **p, const char *end)
{
	size_t dims = 0;
	const char *name = NULL;

	while (*p < end && **p == '[') {
		dims++;
		(*p)++;
	}
	if (*p >= end || dims > 255)
		return -1;
	switch (*(*p)++) {
	case 'B':
		name = "byte";
		break;
	case 'C':
		name = "char";
		break;
	case 'D':
		name = "double";
		break;
	case 'F':
		name = "float";
		break;
	case 'I':
		name = "int";
		break;
	case 'J':
		name = "long";
		break;
	case 'S':
		name = "short";
		break;
	case 'Z':
		name = "boolean";
		break;
	case 'V':
		name = "void";
		break;
	case 'L': {
		const char *semi = memchr(*p, ';', (size_t)(end - *p));

		if (!semi || semi == *p)
			return -1;
		for (const char *c = *p; c < semi; c++)
			put(o, *c == '/' ? "." : c, 1);
		*p = semi + 1;
		break;
	}
	default:
		return -1;
	}
	if (name)
		puts_(o, name);
	while (dims--)
		put(o, "[]", 2);
	return 0;
}

int hs_name__from_log(const char *s, size_t n, char *key, size_t key_size)
{
	const char *end = s + n, *sp1 = memchr(s, ' ', n), *sp2, *p;
	struct out o = { key, key_size, 0, 0 };
	int first = 1;

	if (!key_size || !sp1 || sp1 == s)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || sp2 == sp1 + 1 || sp2 + 1 >= end || sp2[1] != '(')
		return -1;
	key[0] = '\0';
	/* The class is spelled with '.' already; a '/' in it is a hidden
	 * class's suffix ("LambdaForm$MH/0x..."), as the perf map has it. */
	put(&o, s, (size_t)(sp1 - s));
	put(&o, "::", 2);
	put(&o, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	put(&o, "(", 1);
	for (p = sp2 + 2; p < end && *p != ')';) {
		if (!first)
			put(&o, ", ", 2);
		first = 0;
		if (put_type(&o, &p, end))
			return -1;
	}
	if (p >= end)
		return -1;
	put(&o, ")", 1);
	/* The return type must be well formed too, though the key drops it. */
	p++;
	{
		char scratch[8];
		struct out r = { scratch, sizeof(scratch), 0, 0 };

		if (put_type(&r, &p, end) || p != end)
			return -1;
	}
	return o.overflow ? -1 : 0;
}

size_t hs_name__short(const char *key, size_t n)
{
	const char *paren = memchr(key, '(', n);

	return paren ? (size_t)(paren - key) : n;
}

int hs_name__parse_tagged(const char *s, size_t n, size_t *key_len, int *level, int *osr)
{
	const char *open, *tag;
	size_t tag_len;

	if (n < 5 || s[n - 1] != ']')
		return -1;
	for (open = s + n - 1; open > s && *open != '['; open--)
		;
	if (open <= s + 1 || open[-1] != ' ')
		return -1;
	tag = open + 1;
	tag_len = (size_t)(s + n - 1 - tag);
	*osr = tag_len >= 4 && !memcmp(tag + tag_len - 4, " OSR", 4);
	if (*osr)
		tag_len -= 4;
	if (tag_len == 5 && !memcmp(tag, "C1 L", 4) && tag[4] >= '1' && tag[4] <= '3')
		*level = tag[4] - '0';
	else if (tag_len == 2 && !memcmp(tag, "C2", 2))
		*level = 4;
	else if (tag_len == 5 && !memcmp(tag, "JVMCI", 5))
		*level = 4;
	else if (tag_len == 14 && !memcmp(tag, "native wrapper", 14))
		*level = 0;
	else
		return -1;
	*key_len = (size_t)(open - 1 - s);
	return 0;
}
