/* Streaming parser of V8 --logfile logs (v8_log.h). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v8_log.h"

/* Not a V8 log unless a V8 record type shows up this early: V8 writes
 * v8-version first, but an excerpt or a log cut at the front starts
 * anywhere, so allow some slack. */
#define DETECT_LINES 64
#define DETECT_BYTES (64u << 10)
#define MAX_FIELDS 16

struct field {
	const char *p;
	size_t n;
	int quoted;
};

struct parser {
	const struct v8_log_callbacks *cb;
	void *ctx;
	struct v8_log_stats *st;
	char *scratch; /* decoded strings of the current line */
	size_t cap, used;
	int quotes; /* honour "..." fields (V8 < 7) */
	unsigned line_no;
	const char *rec; /* record type of the current line, for messages */
};

/* Record types V8 writes (log.cc, log-utils.cc, ic-stats): one of them in
 * the first lines makes the buffer a V8 log. Generic words ("new", "delete",
 * "map", "script", "function") are left out: they prove nothing. */
static const char *const v8_records[] = {
	"v8-version",
	"v8-platform",
	"shared-library",
	"shared-library-end",
	"code-creation",
	"code-deopt",
	"code-move",
	"code-delete",
	"code-source-info",
	"code-disassemble",
	"sfi-move",
	"tick",
	"profiler",
	"heap-capacity",
	"heap-available",
	"script-source",
	"script-details",
	"timer-event-start",
	"timer-event-end",
	"current-time",
	"map-create",
	"map-details",
	"compilation-cache",
	"snapshot-code-name",
	"LoadIC",
	"StoreIC",
	"KeyedLoadIC",
	"KeyedStoreIC",
	"LoadGlobalIC",
	"StoreGlobalIC",
	"StoreInArrayLiteralIC",
};

static int is_v8_record(const char *rec, size_t n)
{
	for (size_t i = 0; i < sizeof(v8_records) / sizeof(v8_records[0]); i++) {
		if (strlen(v8_records[i]) == n && !memcmp(rec, v8_records[i], n))
			return 1;
	}
	return 0;
}

static int rec_is(const char *rec, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(rec, name, n);
}

/* Control characters other than tab and CR never occur in a V8 log, which
 * escapes them: before the log is recognised they mean binary data. */
static int is_binary(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			return 1;
	}
	return 0;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return 1;
}

static void bad(struct parser *p, const char *why)
{
	struct v8_log_stats *st = p->st;

	st->bad_lines++;
	if (!st->first_bad_line) {
		st->first_bad_line = p->line_no;
		snprintf(st->first_bad_why, sizeof(st->first_bad_why), "%s: %s", p->rec, why);
	}
}

/* A quoted field starting at s[i] == '"': the index of its closing quote,
 * which must end the field. Inside, "" and \" stand for a quote. */
static int quoted_end(const char *s, size_t n, size_t i, size_t *end)
{
	size_t j = i + 1;

	while (j < n) {
		if (s[j] == '\\' && j + 1 < n && s[j + 1] == '"') {
			j += 2;
		} else if (s[j] == '"') {
			if (j + 1 < n && s[j + 1] == '"') {
				j += 2;
				continue;
			}
			if (j + 1 == n || s[j + 1] == ',') {
				*end = j;
				return 1;
			}
			return 0;
		} else {
			j++;
		}
	}
	return 0;
}

/* Split s[0..n) at commas. Returns the number of fields, which may exceed
 * max: only the first max are stored. */
static size_t split(const char *s, size_t n, struct field *f, size_t max, int quotes)
{
	size_t nf = 0, i = 0;

	for (;;) {
		struct field cur = { s + i, 0, 0 };
		size_t end;

		if (quotes && i < n && s[i] == '"' && quoted_end(s, n, i, &end)) {
			cur.p = s + i + 1;
			cur.n = end - i - 1;
			cur.quoted = 1;
			i = end + 1;
		} else {
			const char *c = memchr(s + i, ',', n - i);

			end = c ? (size_t)(c - s) : n;
			cur.n = end - i;
			i = end;
		}
		if (nf < max)
			f[nf] = cur;
		nf++;
		if (i >= n)
			break;
		i++;
	}
	return nf;
}

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

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* s[i] == '\\': an escape \xHH or \uHHHH with 'digits' hex digits? */
static int hex_escape(const char *s, size_t n, size_t i, size_t digits, uint32_t *v)
{
	uint32_t x = 0;

	if (i + 2 + digits > n)
		return 0;
	for (size_t k = 0; k < digits; k++) {
		int d = hexval(s[i + 2 + k]);

		if (d < 0)
			return 0;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 1;
}

/* Decode a field into the scratch buffer, or return it in place when there
 * is nothing to decode. Never writes more bytes than the field has, so a
 * scratch buffer as long as the line holds every field of it. */
static const char *decode(struct parser *p, const struct field *f, size_t *len)
{
	const char *s = f->p;
	size_t n = f->n, k = 0;
	char *o;

	if (!f->quoted && !memchr(s, '\\', n)) {
		*len = n;
		return s;
	}
	o = p->scratch + p->used;
	for (size_t i = 0; i < n;) {
		uint32_t cp, lo;

		if (f->quoted) {
			/* V8 6 quoted strings: only the quote is escaped. */
			if ((s[i] == '"' || s[i] == '\\') && i + 1 < n && s[i + 1] == '"')
				i++;
			o[k++] = s[i++];
		} else if (s[i] != '\\' || i + 1 == n) {
			o[k++] = s[i++];
		} else if (s[i + 1] == '\\') {
			o[k++] = '\\';
			i += 2;
		} else if (s[i + 1] == 'n') {
			o[k++] = '\n';
			i += 2;
		} else if (s[i + 1] == 'x' && hex_escape(s, n, i, 2, &cp)) {
			k += put_utf8(o + k, cp);
			i += 4;
		} else if (s[i + 1] == 'u' && hex_escape(s, n, i, 4, &cp)) {
			i += 6;
			if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < n && s[i] == '\\' &&
			    s[i + 1] == 'u' && hex_escape(s, n, i, 4, &lo) && lo >= 0xdc00 &&
			    lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			k += put_utf8(o + k, cp);
		} else {
			/* Not an escape V8 writes: keep it as it is. */
			o[k++] = s[i++];
		}
	}
	p->used += k;
	*len = k;
	return o;
}

/* "0x" + hex digits. -1: not hex, -2: does not fit 64 bits. */
static int parse_hex(const struct field *f, uint64_t *v)
{
	uint64_t x = 0;

	if (f->n < 3 || f->p[0] != '0' || (f->p[1] != 'x' && f->p[1] != 'X'))
		return -1;
	for (size_t i = 2; i < f->n; i++) {
		int d = hexval(f->p[i]);

		if (d < 0)
			return -1;
		if (x >> 60)
			return -2;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

static int parse_dec(const struct field *f, uint64_t *v)
{
	uint64_t x = 0;

	if (!f->n)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (uint64_t)(f->p[i] - '0'), &x))
			return -2;
	}
	*v = x;
	return 0;
}

/* A signed decimal within [lo, hi]. */
static int parse_signed(const struct field *f, long lo, long hi, long *v)
{
	struct field digits = *f;
	uint64_t x;
	int neg = f->n && f->p[0] == '-', ret;

	digits.p += neg;
	digits.n -= (size_t)neg;
	ret = parse_dec(&digits, &x);
	if (ret)
		return ret;
	if (x > (uint64_t)LONG_MAX + (uint64_t)neg)
		return -2;
	*v = !neg ? (long)x : x ? -(long)(x - 1) - 1 : 0;
	if (*v < lo || *v > hi)
		return -2;
	return 0;
}

/* Number checks that name the field in the bad-line message. */
static int want_hex(struct parser *p, const struct field *f, const char *what, uint64_t *v)
{
	char why[64];
	int ret = parse_hex(f, v);

	if (!ret)
		return 0;
	snprintf(why, sizeof(why), "%s: %s", what,
		 ret == -2 ? "hex number overflows 64 bits" : "not a 0x hex number");
	bad(p, why);
	return -1;
}

static int want_dec(struct parser *p, const struct field *f, const char *what, uint64_t *v)
{
	char why[64];
	int ret = parse_dec(f, v);

	if (!ret)
		return 0;
	snprintf(why, sizeof(why), "%s: %s", what,
		 ret == -2 ? "number overflows 64 bits" : "not a decimal number");
	bad(p, why);
	return -1;
}

static int want_signed(struct parser *p, const struct field *f, const char *what, long lo, long hi,
		       long *v)
{
	char why[64];
	int ret = parse_signed(f, lo, hi, v);

	if (!ret)
		return 0;
	snprintf(why, sizeof(why), "%s: %s", what,
		 ret == -2 ? "number out of range" : "not a decimal number");
	bad(p, why);
	return -1;
}

static int parse_creation(struct parser *p, const char *line, size_t n)
{
	struct field f[MAX_FIELDS];
	size_t nf = split(line, n, f, MAX_FIELDS, p->quotes), at;
	struct v8_log_code_creation c = { .kind = -1, .line_no = p->line_no };
	long kind;

	/* V8 >= 5.x: type,kind,time,start,...; older ones lack time, or kind. */
	if (nf >= 3 && !parse_hex(&f[2], &c.start))
		at = 2;
	else if (nf >= 4 && !parse_hex(&f[3], &c.start))
		at = 3;
	else
		at = 4;
	if (nf < at + 3) {
		bad(p, "missing fields");
		return 0;
	}
	c.type = decode(p, &f[1], &c.type_len);
	if (!c.type_len) {
		bad(p, "empty type");
		return 0;
	}
	if (at >= 3 && want_signed(p, &f[2], "kind", 0, INT_MAX, &kind))
		return 0;
	if (at >= 3)
		c.kind = (int)kind;
	if (at == 4 && want_dec(p, &f[3], "time", &c.time_us))
		return 0;
	if (want_hex(p, &f[at], "start", &c.start) || want_dec(p, &f[at + 1], "size", &c.size))
		return 0;
	c.name = decode(p, &f[at + 2], &c.name_len);
	if (nf > at + 3 && f[at + 3].n && want_hex(p, &f[at + 3], "sfi", &c.sfi))
		return 0;
	if (nf > at + 4) {
		size_t ml;
		const char *m = decode(p, &f[at + 4], &ml);

		if (ml > 1 || (ml == 1 && !strchr("~^+*", m[0]))) {
			bad(p, "marker: not one of ~ ^ + *");
			return 0;
		}
		c.marker = ml ? m[0] : 0;
	}
	p->st->code_creations++;
	return p->cb && p->cb->code_creation ? p->cb->code_creation(p->ctx, &c) : 0;
}

static const char *find(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++) {
		if (s[i] == needle[0] && !memcmp(s + i, needle, m))
			return s + i;
	}
	return NULL;
}

/* "<pos>" or "<pos> inlined at <pos> [inlined at <pos>...]". */
static int split_position(struct v8_log_code_deopt *d, const char *s, size_t n)
{
	static const char sep[] = "> inlined at <";
	const char *in, *next;

	if (n < 2 || s[0] != '<' || s[n - 1] != '>')
		return -1;
	in = find(s, n, sep);
	d->position = s + 1;
	if (!in) {
		d->position_len = n - 2;
		return 0;
	}
	d->position_len = (size_t)(in - s - 1);
	d->inlined_at = in + sizeof(sep) - 1;
	next = find(d->inlined_at, (size_t)(s + n - d->inlined_at), sep);
	d->inlined_at_len =
		next ? (size_t)(next - d->inlined_at) : (size_t)(s + n - 1 - d->inlined_at);
	return 0;
}

static int parse_deopt(struct parser *p, const char *line, size_t n)
{
	struct field f[MAX_FIELDS];
	size_t nf = split(line, n, f, MAX_FIELDS, p->quotes), pos_len;
	struct v8_log_code_deopt d = { .line_no = p->line_no };
	const char *pos;
	long v;

	if (nf < 9) {
		bad(p, "missing fields");
		return 0;
	}
	if (want_dec(p, &f[1], "time", &d.time_us) || want_dec(p, &f[2], "size", &d.code_size) ||
	    want_hex(p, &f[3], "start", &d.start) ||
	    want_signed(p, &f[4], "inlining id", -1, INT_MAX, &v))
		return 0;
	d.inlining_id = (int)v;
	if (want_signed(p, &f[5], "script offset", LONG_MIN, LONG_MAX, &d.script_offset))
		return 0;
	d.bailout = decode(p, &f[6], &d.bailout_len);
	if (!d.bailout_len) {
		bad(p, "empty bailout kind");
		return 0;
	}
	pos = decode(p, &f[7], &pos_len);
	if (split_position(&d, pos, pos_len)) {
		bad(p, "position: not <file:line:col>");
		return 0;
	}
	d.reason = decode(p, &f[8], &d.reason_len);
	p->st->code_deopts++;
	return p->cb && p->cb->code_deopt ? p->cb->code_deopt(p->ctx, &d) : 0;
}

static int parse_move(struct parser *p, const char *line, size_t n)
{
	struct field f[4];
	struct v8_log_code_move m = { .line_no = p->line_no };

	if (split(line, n, f, 4, 0) < 3) {
		bad(p, "missing fields");
		return 0;
	}
	if (want_hex(p, &f[1], "from", &m.from) || want_hex(p, &f[2], "to", &m.to))
		return 0;
	p->st->code_moves++;
	return p->cb && p->cb->code_move ? p->cb->code_move(p->ctx, &m) : 0;
}

static int parse_delete(struct parser *p, const char *line, size_t n)
{
	struct field f[3];
	struct v8_log_code_delete d = { .line_no = p->line_no };

	if (split(line, n, f, 3, 0) < 2) {
		bad(p, "missing fields");
		return 0;
	}
	if (want_hex(p, &f[1], "start", &d.start))
		return 0;
	p->st->code_deletes++;
	return p->cb && p->cb->code_delete ? p->cb->code_delete(p->ctx, &d) : 0;
}

/* v8-version,MAJOR,MINOR,BUILD,PATCH,EMBEDDER,CANDIDATE */
static void parse_version(struct parser *p, const char *line, size_t n)
{
	struct field f[5];
	uint64_t part[4];
	char *o = p->st->v8_version;

	if (split(line, n, f, 5, 0) < 5) {
		bad(p, "missing fields");
		return;
	}
	for (int i = 0; i < 4; i++) {
		if (parse_dec(&f[i + 1], &part[i]) || part[i] > 99999) {
			bad(p, "not a version number");
			return;
		}
	}
	snprintf(o, sizeof(p->st->v8_version), "%u.%u.%u.%u", (unsigned)part[0], (unsigned)part[1],
		 (unsigned)part[2], (unsigned)part[3]);
	/* Quoted fields ended with V8 6; from 7 on a leading '"' is data. */
	if (part[0] >= 7)
		p->quotes = 0;
	p->st->other_lines++;
}

static int reserve(struct parser *p, size_t need)
{
	size_t cap = p->cap ? p->cap : 4096;
	char *s;

	if (need <= p->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	s = realloc(p->scratch, cap);
	if (!s)
		return -ENOMEM;
	p->scratch = s;
	p->cap = cap;
	return 0;
}

static int parse_line(struct parser *p, const char *line, size_t n, const char *rec, size_t rec_len)
{
	static const char *const decoded[] = { "code-creation", "code-deopt", "code-move",
					       "code-delete", "v8-version" };
	size_t i;

	for (i = 0; i < sizeof(decoded) / sizeof(decoded[0]); i++) {
		if (rec_is(rec, rec_len, decoded[i]))
			break;
	}
	if (i == sizeof(decoded) / sizeof(decoded[0])) {
		p->st->other_lines++;
		return 0;
	}
	p->rec = decoded[i];
	if (n > V8_LOG_MAX_RECORD) {
		bad(p, "line too long");
		return 0;
	}
	if (memchr(line, '\0', n)) {
		bad(p, "NUL byte in line");
		return 0;
	}
	if (reserve(p, n))
		return -ENOMEM;
	p->used = 0;
	switch (i) {
	case 0:
		return parse_creation(p, line, n);
	case 1:
		return parse_deopt(p, line, n);
	case 2:
		return parse_move(p, line, n);
	case 3:
		return parse_delete(p, line, n);
	default:
		parse_version(p, line, n);
		return 0;
	}
}

int v8_log__parse(const char *buf, size_t len, const struct v8_log_callbacks *cb, void *ctx,
		  struct v8_log_stats *st)
{
	struct v8_log_stats local;
	struct parser p = { .cb = cb, .ctx = ctx, .quotes = 1 };
	size_t off = 0;
	int evidence = 0, ret = 0;

	p.st = st ? st : &local;
	memset(p.st, 0, sizeof(*p.st));
	while (off < len) {
		const char *line = buf + off, *nl = memchr(line, '\n', len - off), *comma;
		size_t n = nl ? (size_t)(nl - line) : len - off, rec_len;
		int known;

		if (!p.st->looks_like_v8_log && evidence &&
		    (p.line_no >= DETECT_LINES || off >= DETECT_BYTES)) {
			ret = -1;
			goto out;
		}
		off += n + (nl != NULL);
		if (nl) {
			if (p.line_no < UINT_MAX)
				p.line_no++;
			p.st->lines++;
		} else {
			p.st->truncated = 1;
		}
		if (n && line[n - 1] == '\r')
			n--;
		if (is_blank(line, n))
			continue;
		comma = memchr(line, ',', n);
		rec_len = comma ? (size_t)(comma - line) : n;
		known = is_v8_record(line, rec_len);
		if (!p.st->looks_like_v8_log) {
			if (!known || is_binary(line, n)) {
				evidence = 1;
				if (is_binary(line, n)) {
					ret = -1;
					goto out;
				}
				if (nl)
					p.st->other_lines++;
				continue;
			}
			p.st->looks_like_v8_log = 1;
		}
		/* A line cut short by a killed process: fields would lie. */
		if (!nl)
			break;
		ret = parse_line(&p, line, n, line, rec_len);
		if (ret)
			goto out;
	}
	if (!p.st->looks_like_v8_log && evidence)
		ret = -1;
out:
	free(p.scratch);
	return ret;
}
