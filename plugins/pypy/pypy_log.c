/* PYPYLOG parser; see pypy_log.h. Every length comes from the buffer, never
 * from a terminating NUL: the input is a side file, not a C string. */
#include "pypy_log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

enum cat {
	CAT_OTHER,
	CAT_BACKEND_ADDR,
	CAT_INVALIDATE,
	CAT_LONGEST,
	CAT_SUMMARY,
};

struct cursor {
	const char *p, *end;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (optional 0x) at *p; advances. 0 on success. */
static int parse_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0, d;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (s < end && (d = hexval(*s)) >= 0) {
		if (++n > 16)
			return -1;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (!n)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

static int parse_dec(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return -1;
		s++;
		n++;
	}
	if (!n)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

/* Expect the literal word at *p; advances. */
static int expect(const char **p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(end - *p) < n || memcmp(*p, word, n))
		return -1;
	*p += n;
	return 0;
}

static enum cat category(const char *s, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && !memcmp(s, lit, n))
	if (IS("jit-backend-addr"))
		return CAT_BACKEND_ADDR;
	if (IS("jit-invalidate-quasi-immutable"))
		return CAT_INVALIDATE;
	if (IS("jit-abort-longest-function"))
		return CAT_LONGEST;
	if (IS("jit-summary"))
		return CAT_SUMMARY;
#undef IS
	return CAT_OTHER;
}

/* "[hex] {cat" or "[hex] cat}": 1 open, 2 close, 0 not a marker. */
static int section_marker(const char *s, const char *end, uint64_t *tsc, const char **cat,
			  size_t *cat_len)
{
	const char *p = s + 1;

	if (s >= end || *s != '[' || parse_hex(&p, end, tsc) || expect(&p, end, "] "))
		return 0;
	if (p < end && *p == '{') {
		*cat = p + 1;
		*cat_len = (size_t)(end - p - 1);
		return *cat_len ? 1 : 0;
	}
	if (end - p >= 2 && end[-1] == '}') {
		*cat = p;
		*cat_len = (size_t)(end - p - 1);
		return 2;
	}
	return 0;
}

/* Loop N (GREENKEY) has address 0xA to 0xB (bootstrap 0xC)
 * bridge out of Guard 0xG has address 0xA to 0xB */
static int backend_addr(const char *s, const char *end, struct pypy_code_addr *a)
{
	const char *p = s;

	memset(a, 0, sizeof(*a));
	a->greenkey = "";
	if (!expect(&p, end, "Loop ")) {
		const char *gk, *has;

		if (parse_dec(&p, end, &a->loop_no) || expect(&p, end, " ("))
			return -1;
		gk = p;
		/* The greenkey may hold parentheses: its end is the last ") has address ". */
		has = NULL;
		for (const char *q = p; q + 15 <= end; q++) {
			if (!memcmp(q, ") has address ", 14))
				has = q;
		}
		if (!has)
			return -1;
		a->greenkey = gk;
		a->greenkey_len = (size_t)(has - gk);
		p = has + 14;
	} else if (!expect(&p, end, "bridge out of Guard ")) {
		a->is_bridge = 1;
		if (parse_hex(&p, end, &a->guard) || expect(&p, end, " has address "))
			return -1;
	} else {
		return -1;
	}
	if (parse_hex(&p, end, &a->start) || expect(&p, end, " to ") ||
	    parse_hex(&p, end, &a->end) || a->end <= a->start)
		return -1;
	if (!a->is_bridge && !expect(&p, end, " (bootstrap ") && parse_hex(&p, end, &a->bootstrap))
		return -1;
	return 0;
}

/* fieldname FieldDescr(..., 'NAME') invalidated N */
static int invalidate(const char *s, const char *end, const char **field, size_t *flen,
		      uint64_t *count)
{
	static const char tail[] = " invalidated ";
	const char *t = NULL, *q, *close, *open;

	if (end - s < 10 || memcmp(s, "fieldname ", 10))
		return -1;
	for (q = s; q + sizeof(tail) - 1 <= end; q++) {
		if (!memcmp(q, tail, sizeof(tail) - 1))
			t = q;
	}
	if (!t)
		return -1;
	q = t + sizeof(tail) - 1;
	if (parse_dec(&q, end, count) || q != end)
		return -1;
	*field = "";
	*flen = 0;
	/* ..., 'mutate__version_tag') just before the tail. */
	close = t - 2;
	if (close > s && t[-1] == ')' && *close == '\'') {
		for (open = close - 1; open > s && *open != '\''; open--)
			;
		if (*open == '\'') {
			*field = open + 1;
			*flen = (size_t)(close - open - 1);
		}
	}
	return 0;
}

/* "KEY:<spaces/tabs>v1[\tv2]" */
static int summary(const char *s, const char *end, const struct pypy_log_cb *cb)
{
	const char *colon = NULL, *p;
	const char *key = s;

	/* The key may hold colons itself ("abort: trace too long:"): it ends
	 * at the last one. */
	for (p = s; p < end; p++) {
		if (*p == ':')
			colon = p;
	}
	double v[2];
	int nv = 0;

	if (!colon)
		return -1;
	while (key < colon && (*key == ' ' || *key == '\t'))
		key++;
	if (key == colon)
		return -1;
	p = colon + 1;
	while (p < end && nv < 2) {
		char num[64], *stop;
		size_t n = 0;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		while (p + n < end && p[n] != ' ' && p[n] != '\t')
			n++;
		if (n >= sizeof(num))
			return -1;
		memcpy(num, p, n);
		num[n] = '\0';
		v[nv] = strtod(num, &stop);
		if (stop != num + n)
			return -1;
		nv++;
		p += n;
	}
	if (!nv)
		return -1;
	if (cb && cb->summary)
		cb->summary(cb->ctx, key, (size_t)(colon - key), v, nv);
	return 0;
}

static void bad(struct pypy_log_stats *st)
{
	if (!st->bad_lines++)
		st->first_bad_line = st->lines;
}

static void body_line(enum cat c, uint64_t tsc, const char *s, const char *end,
		      const struct pypy_log_cb *cb, struct pypy_log_stats *st)
{
	switch (c) {
	case CAT_BACKEND_ADDR: {
		struct pypy_code_addr a;

		/* Continuation lines ("  gc table: ...") are indented. */
		if (s < end && (*s == ' ' || *s == '\t'))
			return;
		if (backend_addr(s, end, &a)) {
			bad(st);
			return;
		}
		if (cb && cb->code_addr)
			cb->code_addr(cb->ctx, tsc, &a);
		return;
	}
	case CAT_INVALIDATE: {
		const char *field;
		size_t flen;
		uint64_t count;

		if (invalidate(s, end, &field, &flen, &count)) {
			bad(st);
			return;
		}
		if (cb && cb->invalidate)
			cb->invalidate(cb->ctx, tsc, field, flen, count);
		return;
	}
	case CAT_LONGEST: {
		static const char head[] = "found new longest: ";
		const char *sp;

		if ((size_t)(end - s) <= sizeof(head) - 1 || memcmp(s, head, sizeof(head) - 1)) {
			bad(st);
			return;
		}
		s += sizeof(head) - 1;
		/* The trailing number is the trace length. */
		for (sp = end; sp > s && sp[-1] != ' '; sp--)
			;
		if (sp > s)
			end = sp - 1;
		if (cb && cb->longest)
			cb->longest(cb->ctx, tsc, s, (size_t)(end - s));
		return;
	}
	case CAT_SUMMARY:
		if (s < end && summary(s, end, cb))
			bad(st);
		return;
	case CAT_OTHER:
		return;
	}
}

int pypy_log__parse(const char *buf, size_t len, const struct pypy_log_cb *cb,
		    struct pypy_log_stats *st)
{
	enum cat stack[MAX_DEPTH];
	uint64_t open_tsc[MAX_DEPTH];
	size_t depth = 0, overflow = 0;
	const char *p = buf, *end = buf + len;
	int seen_marker = 0;

	memset(st, 0, sizeof(*st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *cat;
		size_t cat_len;
		uint64_t tsc;
		int m;

		st->lines++;
		if (le > p && le[-1] == '\r')
			le--;
		m = section_marker(p, le, &tsc, &cat, &cat_len);
		if (!seen_marker && m != 1 && le > p)
			return -EBADMSG;
		if (m) {
			seen_marker = 1;
			if (!st->first_tsc)
				st->first_tsc = tsc;
			if (tsc > st->last_tsc)
				st->last_tsc = tsc;
		}
		if (m == 1) {
			st->sections++;
			if (depth < MAX_DEPTH) {
				stack[depth] = category(cat, cat_len);
				open_tsc[depth] = tsc;
				depth++;
			} else {
				overflow++;
			}
		} else if (m == 2) {
			if (overflow)
				overflow--;
			else if (depth)
				depth--;
			else
				bad(st);
		} else if (le > p) {
			if (depth && !overflow)
				body_line(stack[depth - 1], open_tsc[depth - 1], p, le, cb, st);
			else if (!depth)
				bad(st);
		}
		p = nl ? nl + 1 : end;
	}
	st->unclosed = depth + overflow;
	return 0;
}
