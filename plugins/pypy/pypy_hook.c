/* Hook file and bundle parsers; see pypy_hook.h. */
#include "pypy_hook.h"

#include <errno.h>
#include <string.h>

#define HOOK_HEADER "# tierprof-pypy-hook 1"
#define BUNDLE_HEADER "tierprof-pypy-bundle 1\n"

static int dec(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return -1;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

static int hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	for (; s < end; s++, n++) {
		char c = *s;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			break;
		if (n == 16)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	if (!n)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

static int space(const char **p, const char *end)
{
	if (*p == end || **p != ' ')
		return -1;
	(*p)++;
	return 0;
}

/* The next '|'-separated field of [*p, end). */
static void field(const char **p, const char *end, const char **s, size_t *n)
{
	const char *bar = memchr(*p, '|', (size_t)(end - *p));
	const char *e = bar ? bar : end;

	*s = *p;
	*n = (size_t)(e - *p);
	*p = bar ? bar + 1 : end;
}

/* An optional decimal field: empty reads as 0. */
static int num_field(const char **p, const char *end, uint64_t *v)
{
	const char *s, *q;
	size_t n;

	field(p, end, &s, &n);
	*v = 0;
	if (!n)
		return 0;
	q = s;
	return dec(&q, s + n, v) || q != s + n ? -1 : 0;
}

int pypy_where__parse(const char *s, size_t len, struct pypy_where *w)
{
	const char *p = s, *end = s + len, *first;
	size_t n;

	memset(w, 0, sizeof(*w));
	field(&p, end, &first, &n);
	if (!n)
		return -1;
	if (n == 6 && !memcmp(first, "driver", 6)) {
		w->driver = p;
		w->driver_len = (size_t)(end - p);
		return 0;
	}
	w->func = first;
	w->func_len = n;
	field(&p, end, &w->file, &w->file_len);
	if (num_field(&p, end, &w->firstline) || num_field(&p, end, &w->line) ||
	    num_field(&p, end, &w->bytecode) || p != end)
		return -1;
	return 0;
}

static int code_record(const char *p, const char *end, struct pypy_hook_code *c)
{
	const char *kind;

	memset(c, 0, sizeof(*c));
	if (dec(&p, end, &c->time_ns) || space(&p, end))
		return -1;
	kind = p;
	p = memchr(p, ' ', (size_t)(end - p));
	if (!p)
		return -1;
	if (p - kind == 4 && !memcmp(kind, "loop", 4))
		c->kind = PYPY_LOOP;
	else if (p - kind == 5 && !memcmp(kind, "entry", 5))
		c->kind = PYPY_ENTRY_BRIDGE;
	else if (p - kind == 6 && !memcmp(kind, "bridge", 6))
		c->kind = PYPY_BRIDGE;
	else
		return -1;
	p++;
	if (hex(&p, end, &c->addr) || space(&p, end) || hex(&p, end, &c->len) || space(&p, end) ||
	    hex(&p, end, &c->id) || space(&p, end) || !c->len || c->addr + c->len < c->addr)
		return -1;
	return pypy_where__parse(p, (size_t)(end - p), &c->where);
}

static int record(const char *p, const char *end, const struct pypy_hook_cb *cb)
{
	uint64_t t, pid;

	if (end - p < 2 || p[1] != ' ')
		return -1;
	switch (p[0]) {
	case 'S':
		p += 2;
		if (dec(&p, end, &t) || space(&p, end) || dec(&p, end, &pid) || p != end)
			return -1;
		if (cb->start)
			cb->start(cb->ctx, t, pid);
		return 0;
	case 'L': {
		struct pypy_hook_code c;

		if (code_record(p + 2, end, &c))
			return -1;
		if (cb->code)
			cb->code(cb->ctx, &c);
		return 0;
	}
	case 'A': {
		const char *reason, *sp;
		struct pypy_where w;

		p += 2;
		if (dec(&p, end, &t) || space(&p, end))
			return -1;
		reason = p;
		sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp || sp == reason || pypy_where__parse(sp + 1, (size_t)(end - sp - 1), &w))
			return -1;
		if (cb->abort)
			cb->abort(cb->ctx, t, reason, (size_t)(sp - reason), &w);
		return 0;
	}
	case 'E':
		p += 2;
		if (dec(&p, end, &t) || p != end)
			return -1;
		if (cb->end)
			cb->end(cb->ctx, t);
		return 0;
	case 'V': {
		int started;

		p += 2;
		if (dec(&p, end, &t) || space(&p, end))
			return -1;
		if (end - p == 5 && !memcmp(p, "start", 5))
			started = 1;
		else if (end - p == 4 && !memcmp(p, "stop", 4))
			started = 0;
		else
			return -1;
		if (cb->vmprof)
			cb->vmprof(cb->ctx, t, started);
		return 0;
	}
	default:
		return -1;
	}
}

int pypy_hook__parse(const char *buf, size_t len, const struct pypy_hook_cb *cb,
		     struct pypy_hook_stats *st)
{
	const char *p = buf, *end = buf + len;
	static const struct pypy_hook_cb none = { 0 };

	memset(st, 0, sizeof(*st));
	if (!cb)
		cb = &none;
	if (len < sizeof(HOOK_HEADER) - 1 || memcmp(buf, HOOK_HEADER, sizeof(HOOK_HEADER) - 1))
		return -EBADMSG;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		st->lines++;
		if (le > p && *p != '#') {
			if (record(p, le, cb)) {
				if (!st->bad_lines++)
					st->first_bad_line = st->lines;
			} else {
				st->records++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int pypy_bundle__parse(const char *buf, size_t len, struct pypy_bundle *b, size_t *bad_at)
{
	const char *p = buf, *end = buf + len;

	memset(b, 0, sizeof(*b));
	*bad_at = 0;
	if (len < sizeof(BUNDLE_HEADER) - 1 ||
	    memcmp(buf, BUNDLE_HEADER, sizeof(BUNDLE_HEADER) - 1))
		return -EBADMSG;
	p += sizeof(BUNDLE_HEADER) - 1;
	while (p < end) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		uint64_t a, n;

		if (!nl)
			goto bad;
		if ((size_t)(nl - p) > 6 && !memcmp(p, "clock ", 6)) {
			p += 6;
			if (dec(&p, nl, &a) || space(&p, nl) || dec(&p, nl, &n) || p != nl)
				goto bad;
			if (b->nclocks < PYPY_BUNDLE_MAX_CLOCKS)
				b->clocks[b->nclocks++] = (struct pypy_clock_pair){ a, n };
			p = nl + 1;
		} else if ((size_t)(nl - p) > 5 && !memcmp(p, "part ", 5)) {
			const char *name = p + 5, *sp = memchr(name, ' ', (size_t)(nl - name));

			if (!sp)
				goto bad;
			p = sp + 1;
			/* The part and its closing newline both lie inside the input. */
			if (dec(&p, nl, &n) || p != nl || n >= (uint64_t)(end - nl - 1) ||
			    nl[1 + n] != '\n')
				goto bad;
			if (sp - name == 4 && !memcmp(name, "hook", 4)) {
				b->hook = nl + 1;
				b->hook_len = n;
			} else if (sp - name == 7 && !memcmp(name, "pypylog", 7)) {
				b->pypylog = nl + 1;
				b->pypylog_len = n;
			} else if (sp - name == 6 && !memcmp(name, "vmprof", 6)) {
				b->vmprof = nl + 1;
				b->vmprof_len = n;
			}
			p = nl + 1 + n + 1;
		} else {
			goto bad;
		}
		continue;
bad:
		*bad_at = (size_t)(line - buf);
		return -EBADMSG;
	}
	return 0;
}
