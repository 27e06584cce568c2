/* Parser of PyPy's vmprof profile; see pypy_vmprof.h. */
#include "pypy_vmprof.h"

#include <errno.h>
#include <string.h>

#define HEADER_WORDS 5
#define MARKER_SAMPLE 0x01
#define MARKER_CODE 0x02
#define MARKER_TRAILER 0x03
#define MARKER_HEADER 0x05
#define MARKER_TIME 0x06
#define MARKER_META 0x07
#define TIME_BODY 24	      /* seconds, microseconds, zone */
#define FLAG_MEMORY 1u	      /* a sample carries the process's memory */
#define VERSION_TAGGED 2      /* stacks as (tag, value) pairs */
#define VERSION_MAX 6	      /* PyPy 7.3 writes 6 */
#define MAX_STRING (1u << 20) /* a code name or meta string */

uint64_t pypy_vmprof__word(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

struct cursor {
	const unsigned char *buf;
	size_t len, at;
};

static int take_word(struct cursor *c, uint64_t *out)
{
	if (c->len - c->at < 8)
		return -1;
	*out = pypy_vmprof__word(c->buf + c->at);
	c->at += 8;
	return 0;
}

/* A word-sized length, then that many bytes. */
static int take_string(struct cursor *c, const unsigned char **s, size_t *n)
{
	uint64_t len;

	if (take_word(c, &len) || len > MAX_STRING || len > c->len - c->at)
		return -1;
	*s = c->buf + c->at;
	*n = (size_t)len;
	c->at += (size_t)len;
	return 0;
}

static int fail(size_t *bad_at, const char **why, size_t at, const char *what)
{
	*bad_at = at;
	*why = what;
	return -EBADMSG;
}

static int parse_header(struct cursor *c, struct pypy_vmprof_header *h, size_t *bad_at,
			const char **why)
{
	uint64_t w[HEADER_WORDS];

	for (int i = 0; i < HEADER_WORDS; i++) {
		if (take_word(c, &w[i]))
			return fail(bad_at, why, c->at, "shorter than a vmprof header");
	}
	if (w[0] != 0 || w[1] != 3 || w[2] != 0 || w[4] != 0 || !w[3] || w[3] > 1000000)
		return fail(bad_at, why, 0, "not a vmprof profile (bad header words)");
	h->period_us = w[3];
	if (c->len - c->at < 5 || c->buf[c->at] != MARKER_HEADER)
		return fail(bad_at, why, c->at, "no header record after the header words");
	h->version = (unsigned)c->buf[c->at + 1] << 8 | c->buf[c->at + 2];
	h->flags = c->buf[c->at + 3];
	h->interp_len = c->buf[c->at + 4];
	if (h->version < VERSION_TAGGED || h->version > VERSION_MAX)
		return fail(bad_at, why, c->at + 1, "unsupported vmprof version (2 to 6 are read)");
	c->at += 5;
	if (h->interp_len > c->len - c->at)
		return fail(bad_at, why, c->at, "interpreter name runs past the end");
	h->interp = (const char *)c->buf + c->at;
	c->at += h->interp_len;
	return 0;
}

static int parse_sample(struct cursor *c, const struct pypy_vmprof_header *h,
			const struct pypy_vmprof_cb *cb, size_t *bad_at, const char **why)
{
	size_t start = c->at - 1;
	uint64_t count, depth, thread, mem;
	const unsigned char *words;

	if (take_word(c, &count) || take_word(c, &depth))
		return fail(bad_at, why, start, "sample record cut short");
	if (depth > PYPY_VMPROF_MAX_DEPTH || (depth & 1))
		return fail(bad_at, why, start, "sample depth odd or too large");
	if (depth * 8 > c->len - c->at)
		return fail(bad_at, why, start, "sample stack runs past the end");
	words = c->buf + c->at;
	c->at += (size_t)depth * 8;
	if (take_word(c, &thread))
		return fail(bad_at, why, start, "sample record cut short");
	if ((h->flags & FLAG_MEMORY) && take_word(c, &mem))
		return fail(bad_at, why, start, "sample record cut short");
	if (cb->sample)
		cb->sample(cb->ctx, count, words, (size_t)depth, thread);
	return 0;
}

int pypy_vmprof__parse(const unsigned char *buf, size_t len, const struct pypy_vmprof_cb *cb,
		       size_t *bad_at, const char **why, int *trailer)
{
	struct cursor c = { .buf = buf, .len = buf ? len : 0 };
	struct pypy_vmprof_header h;
	const unsigned char *s, *v;
	size_t n, vn, start;
	uint64_t id;
	int err;

	if (trailer)
		*trailer = 0;
	err = parse_header(&c, &h, bad_at, why);
	if (err)
		return err;
	if (cb->header)
		cb->header(cb->ctx, &h);
	while (c.at < c.len) {
		start = c.at;
		switch (c.buf[c.at++]) {
		case MARKER_SAMPLE:
			err = parse_sample(&c, &h, cb, bad_at, why);
			if (err)
				return err;
			break;
		case MARKER_CODE:
			if (take_word(&c, &id) || take_string(&c, &s, &n))
				return fail(bad_at, why, start, "code name record cut short");
			if (cb->code)
				cb->code(cb->ctx, id, (const char *)s, n);
			break;
		case MARKER_TIME:
			if (c.len - c.at < TIME_BODY)
				return fail(bad_at, why, start, "time record cut short");
			c.at += TIME_BODY;
			break;
		case MARKER_META:
			if (take_string(&c, &s, &n) || take_string(&c, &v, &vn))
				return fail(bad_at, why, start, "meta record cut short");
			break;
		case MARKER_TRAILER:
			if (c.len - c.at < TIME_BODY)
				return fail(bad_at, why, start, "trailer cut short");
			if (trailer)
				*trailer = 1;
			return 0;
		default:
			return fail(bad_at, why, start, "unknown record marker");
		}
	}
	return 0;
}

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (!n || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int pypy_vmprof__split_name(const char *s, size_t len, const char **func, size_t *func_len,
			    uint64_t *firstline, const char **file, size_t *file_len)
{
	const char *end = s + len, *f, *colon, *line;

	if (len < 3 || memcmp(s, "py:", 3))
		return -1;
	f = s + 3;
	colon = memchr(f, ':', (size_t)(end - f));
	if (!colon || colon == f)
		return -1;
	line = colon + 1;
	colon = memchr(line, ':', (size_t)(end - line));
	if (!colon || parse_u64(line, (size_t)(colon - line), firstline))
		return -1;
	*func = f;
	*func_len = (size_t)(line - 1 - f);
	*file = colon + 1;
	*file_len = (size_t)(end - *file);
	return 0;
}
