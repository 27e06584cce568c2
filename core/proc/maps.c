#include "maps.h"
#include "../util/err.h"
#include "../util/mem.h"

#include <string.h>

/* A line being parsed: [p, end) with the newline (and a CR before it) gone. */
struct line {
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

/* At least one hex digit; refuses values that do not fit in 64 bits rather
 * than wrapping, so a garbled address can never alias a real one. */
static int parse_hex(struct line *l, uint64_t *out)
{
	const char *start = l->p;
	uint64_t v = 0;
	int d;

	while (l->p < l->end && (d = hexval(*l->p)) >= 0) {
		if (v >> 60)
			return -1;
		v = v << 4 | (uint64_t)d;
		l->p++;
	}
	if (l->p == start)
		return -1;
	*out = v;
	return 0;
}

static int parse_dec(struct line *l, uint64_t *out)
{
	const char *start = l->p;
	uint64_t v = 0;

	while (l->p < l->end && *l->p >= '0' && *l->p <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*l->p - '0'), &v))
			return -1;
		l->p++;
	}
	if (l->p == start)
		return -1;
	*out = v;
	return 0;
}

static int expect(struct line *l, char c)
{
	if (l->p == l->end || *l->p != c)
		return -1;
	l->p++;
	return 0;
}

/* Field separator: the kernel writes one space (and pads before the path);
 * accept any run of blanks, but at least one. */
static int skip_blanks(struct line *l)
{
	const char *start = l->p;

	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
	return l->p == start ? -1 : 0;
}

static int parse_perms(struct line *l, uint32_t *prot)
{
	static const char yes[4] = { 'r', 'w', 'x', 's' };
	static const uint32_t bits[4] = { PROC_MAP_READ, PROC_MAP_WRITE, PROC_MAP_EXEC,
					  PROC_MAP_SHARED };

	if (l->end - l->p < 4)
		return -1;
	*prot = 0;
	for (int i = 0; i < 4; i++) {
		char c = l->p[i];

		if (c == yes[i])
			*prot |= bits[i];
		else if (c != (i == 3 ? 'p' : '-'))
			return -1;
	}
	l->p += 4;
	return 0;
}

/* Everything up to the path; on success l->p is at the path (or the end). */
static int parse_fields(struct line *l, struct proc_map *m)
{
	uint64_t major, minor;

	if (parse_hex(l, &m->start) || expect(l, '-') || parse_hex(l, &m->end) || skip_blanks(l) ||
	    parse_perms(l, &m->prot) || skip_blanks(l) || parse_hex(l, &m->pgoff) ||
	    skip_blanks(l) || parse_hex(l, &major) || expect(l, ':') || parse_hex(l, &minor) ||
	    skip_blanks(l) || parse_dec(l, &m->inode))
		return -1;
	if (m->start >= m->end || major > UINT32_MAX || minor > UINT32_MAX)
		return -1;
	m->dev_major = (uint32_t)major;
	m->dev_minor = (uint32_t)minor;
	/* The inode must end the field: "123abc" is not an inode. */
	if (l->p < l->end && skip_blanks(l))
		return -1;
	return 0;
}

int proc_maps__parse(const char *text, size_t len, struct proc_maps *out)
{
	const char *p = text, *end, *prev = NULL;
	size_t nlines = 1, lineno = 0, used = 0, prev_len = 0, nmax;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return 0;
	end = text + len;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		nlines++;
	/* The shortest valid line, "0-1 ---p 0 0:0 0", plus its newline is 17
	 * bytes: a text of newlines alone must not cost a map entry per byte. */
	nmax = (len + 1) / 17 + 1;
	out->maps = tp_xcalloc(nlines < nmax ? nlines : nmax, sizeof(*out->maps));
	/* One block for every path: a stored path plus its NUL is shorter than
	 * its line (16 bytes of fields come first), so len + 1 bytes hold them
	 * all and the shared empty string. */
	out->strings = tp_xmalloc(len + 1);
	out->strings[0] = '\0';
	used = 1; /* strings[0] is the shared "" of anonymous mappings */

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line l = { p, nl ? nl : end };
		struct proc_map m = { 0 };
		size_t plen;

		p = nl ? nl + 1 : end;
		lineno++;
		if (l.end > l.p && l.end[-1] == '\r')
			l.end--;
		if (l.end == l.p)
			continue; /* blank line: nothing to map, nothing wrong */
		if (memchr(l.p, '\0', (size_t)(l.end - l.p)) || parse_fields(&l, &m)) {
			if (!out->bad_lines++)
				out->first_bad_line = lineno;
			continue;
		}
		plen = (size_t)(l.end - l.p);
		if (plen == 0) {
			m.path = out->strings;
		} else if (prev && plen == prev_len && !memcmp(prev, l.p, plen)) {
			/* A DSO's segments come in a row: share one copy. */
			m.path = out->strings + used - plen - 1;
		} else {
			memcpy(out->strings + used, l.p, plen);
			out->strings[used + plen] = '\0';
			m.path = out->strings + used;
			used += plen + 1;
		}
		if (plen) {
			prev = l.p;
			prev_len = plen;
		}
		out->maps[out->n++] = m;
	}
	if (out->n == 0) {
		size_t bad = out->bad_lines, first = out->first_bad_line;

		proc_maps__free(out);
		out->bad_lines = bad;
		out->first_bad_line = first;
		return TP_ERR_BAD_FORMAT;
	}
	return 0;
}

void proc_maps__free(struct proc_maps *m)
{
	if (!m)
		return;
	zfree(&m->maps);
	zfree(&m->strings);
	m->n = 0;
	m->bad_lines = 0;
	m->first_bad_line = 0;
}
