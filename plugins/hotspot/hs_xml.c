#include "hs_xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum skip_kind { SKIP_NONE, SKIP_COMMENT, SKIP_CDATA, SKIP_PI, SKIP_DECL };

struct hs_xml {
	const struct hs_xml_callbacks *cb;
	void *ctx;
	/* The markup being read, from its '<' (in_markup), across chunks. */
	char *mark;
	size_t mark_len, mark_cap;
	int in_markup;
	uint64_t mark_off;   /* input offset of its '<' */
	enum skip_kind skip; /* inside a comment, CDATA, PI or declaration */
	uint32_t tail;	     /* last bytes of a skipped section */
	char quote;	     /* inside an attribute value: its quote char */
	int overlong;	     /* markup beyond HS_XML_MAX_MARKUP: dropped up to its '>' */
	char *scratch;	     /* decoded values */
	size_t scratch_cap;
	int stopped;
	struct hs_xml_stats st;
};

struct hs_xml *hs_xml__new(const struct hs_xml_callbacks *cb, void *ctx)
{
	struct hs_xml *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->cb = cb;
	x->ctx = ctx;
	return x;
}

void hs_xml__delete(struct hs_xml *x)
{
	if (!x)
		return;
	free(x->mark);
	free(x->scratch);
	free(x);
}

static void bad(struct hs_xml *x, uint64_t offset, const char *why)
{
	if (!x->st.bad++) {
		x->st.first_bad_offset = offset;
		snprintf(x->st.first_bad_why, sizeof(x->st.first_bad_why), "%s", why);
	}
}

static int is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append the UTF-8 encoding of cp. */
static size_t utf8(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decode s[0..n) into d (room for n bytes: never grows). -1 on a bad entity. */
static int decode(const char *s, size_t n, char *d, size_t *out_len)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		const char *semi;
		size_t el;

		if (s[i] != '&') {
			d[o++] = s[i++];
			continue;
		}
		semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		if (!semi)
			return -1;
		el = (size_t)(semi - (s + i)) + 1;
		if (el == 6 && !memcmp(s + i, "&apos;", 6))
			d[o++] = '\'';
		else if (el == 6 && !memcmp(s + i, "&quot;", 6))
			d[o++] = '"';
		else if (el == 4 && !memcmp(s + i, "&lt;", 4))
			d[o++] = '<';
		else if (el == 4 && !memcmp(s + i, "&gt;", 4))
			d[o++] = '>';
		else if (el == 5 && !memcmp(s + i, "&amp;", 5))
			d[o++] = '&';
		else if (el > 3 && s[i + 1] == '#') {
			unsigned long cp = 0;
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			size_t k = i + 2 + (size_t)hex, digits = 0;

			for (; k < i + el - 1; k++, digits++) {
				char c = s[k];
				int v = c >= '0' && c <= '9'	      ? c - '0'
					: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
					: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
								      : -1;

				if (v < 0)
					return -1;
				cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			}
			/* UTF-8 is never longer than the reference: d keeps up. */
			if (!digits || digits > 8 || cp > 0x10ffff || cp == 0)
				return -1;
			o += utf8(d + o, cp);
		} else {
			return -1;
		}
		i += el;
	}
	*out_len = o;
	return 0;
}

const struct hs_xml_attr *hs_xml__attr(const struct hs_xml_attr *attrs, size_t n, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++) {
		if (attrs[i].name_len == len && !memcmp(attrs[i].name, name, len))
			return &attrs[i];
	}
	return NULL;
}

static int append(struct hs_xml *x, char c)
{
	if (x->mark_len >= HS_XML_MAX_MARKUP) {
		x->overlong = 1;
		return 0;
	}
	if (x->mark_len == x->mark_cap) {
		size_t cap = x->mark_cap ? x->mark_cap * 2 : 1024;
		char *m = realloc(x->mark, cap);

		if (!m)
			return -ENOMEM;
		x->mark = m;
		x->mark_cap = cap;
	}
	x->mark[x->mark_len++] = c;
	return 0;
}

/* A complete tag in mark[0..mark_len) (without its '>'). */
static int element(struct hs_xml *x)
{
	struct hs_xml_attr attrs[HS_XML_MAX_ATTRS];
	const char *m = x->mark, *end = m + x->mark_len, *p, *name;
	size_t nattrs = 0, used = 0, name_len;
	int empty = 0;

	if (x->overlong) {
		bad(x, x->mark_off, "element longer than 256 KiB");
		return 0;
	}
	if (x->mark_len >= 2 && m[1] == '/') {
		for (p = m + 2; p < end && is_name_char(*p); p++)
			;
		name = m + 2;
		name_len = (size_t)(p - name);
		while (p < end && is_space(*p))
			p++;
		if (!name_len || !is_name_start(*name) || p != end) {
			bad(x, x->mark_off, "malformed end tag");
			return 0;
		}
		return x->cb && x->cb->end ? x->cb->end(x->ctx, name, name_len) : 0;
	}
	if (x->mark_len < 2 || !is_name_start(m[1])) {
		bad(x, x->mark_off, "'<' not followed by a name");
		return 0;
	}
	name = m + 1;
	for (p = name; p < end && is_name_char(*p); p++)
		;
	name_len = (size_t)(p - name);
	if (end > p && end[-1] == '/') {
		empty = 1;
		end--;
	}
	if (x->scratch_cap < x->mark_len) {
		char *s = realloc(x->scratch, x->mark_len);

		if (!s)
			return -ENOMEM;
		x->scratch = s;
		x->scratch_cap = x->mark_len;
	}
	for (;;) {
		const char *an, *v, *close;
		size_t an_len, vlen;

		if (p < end && !is_space(*p)) {
			bad(x, x->mark_off, "no space before an attribute");
			return 0;
		}
		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		an = p;
		while (p < end && is_name_char(*p))
			p++;
		an_len = (size_t)(p - an);
		while (p < end && is_space(*p))
			p++;
		if (!an_len || !is_name_start(*an) || p == end || *p != '=') {
			bad(x, x->mark_off, "attribute without '='");
			return 0;
		}
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p == end || (*p != '\'' && *p != '"')) {
			bad(x, x->mark_off, "attribute value without quotes");
			return 0;
		}
		close = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (!close) {
			bad(x, x->mark_off, "unterminated attribute value");
			return 0;
		}
		v = p + 1;
		if (nattrs == HS_XML_MAX_ATTRS) {
			bad(x, x->mark_off, "too many attributes");
			return 0;
		}
		if (memchr(v, '<', (size_t)(close - v)) ||
		    decode(v, (size_t)(close - v), x->scratch + used, &vlen)) {
			bad(x, x->mark_off, "bad character or entity in a value");
			return 0;
		}
		attrs[nattrs++] = (struct hs_xml_attr){ .name = an,
							.name_len = an_len,
							.value = x->scratch + used,
							.value_len = vlen };
		used += vlen;
		p = close + 1;
	}
	x->st.elements++;
	return x->cb && x->cb->start ? x->cb->start(x->ctx, name, name_len, attrs, nattrs, empty)
				     : 0;
}

/* The first bytes of markup say whether it is a tag or a skipped section. */
static void classify_markup(struct hs_xml *x)
{
	const char *m = x->mark;
	size_t n = x->mark_len;

	if (n == 2 && m[1] == '?')
		x->skip = SKIP_PI;
	else if (n == 4 && !memcmp(m, "<!--", 4))
		x->skip = SKIP_COMMENT;
	else if (n == 9 && !memcmp(m, "<![CDATA[", 9))
		x->skip = SKIP_CDATA;
	else if (n >= 3 && m[1] == '!' && memcmp("<!--", m, n < 4 ? n : 4) &&
		 memcmp("<![CDATA[", m, n < 9 ? n : 9))
		x->skip = SKIP_DECL;
	if (x->skip != SKIP_NONE)
		x->tail = 0;
}

static int skipped_ends(struct hs_xml *x, char c)
{
	x->tail = (x->tail << 8 | (unsigned char)c) & 0xffffff;
	switch (x->skip) {
	case SKIP_COMMENT:
		return x->tail == ((unsigned)'-' << 16 | (unsigned)'-' << 8 | '>');
	case SKIP_CDATA:
		return x->tail == ((unsigned)']' << 16 | (unsigned)']' << 8 | '>');
	case SKIP_PI:
		return (x->tail & 0xffff) == ((unsigned)'?' << 8 | '>');
	default:
		return c == '>';
	}
}

int hs_xml__feed(struct hs_xml *x, const char *buf, size_t len)
{
	const char *p = buf, *end = len ? buf + len : buf; /* no arithmetic on NULL */
	uint64_t base = x->st.bytes;
	int ret;

	if (x->stopped)
		return x->stopped;
	x->st.bytes += len;
	while (p < end) {
		char c;

		if (!x->in_markup) {
			const char *lt = memchr(p, '<', (size_t)(end - p));

			if (!lt)
				break;
			x->in_markup = 1;
			x->mark_off = base + (uint64_t)(lt - buf);
			x->mark_len = 0;
			x->quote = 0;
			x->overlong = 0;
			x->skip = SKIP_NONE;
			if ((ret = append(x, '<')))
				return ret;
			p = lt + 1;
			continue;
		}
		c = *p++;
		if (x->skip != SKIP_NONE) {
			if (skipped_ends(x, c))
				x->in_markup = 0;
			continue;
		}
		if (x->quote) {
			/* Past the length limit a quote no longer hides '>': an
			 * unbalanced one cannot swallow the rest of the log. */
			if (c == x->quote || x->overlong)
				x->quote = 0;
		} else if (c == '\'' || c == '"') {
			if (x->mark_len > 1 && x->mark[1] != '!')
				x->quote = c;
		} else if (c == '>') {
			x->in_markup = 0;
			ret = element(x);
			if (ret) {
				x->stopped = ret;
				return ret;
			}
			continue;
		}
		if ((ret = append(x, c)))
			return ret;
		if (x->mark_len <= 9 && !x->overlong)
			classify_markup(x);
	}
	return 0;
}

void hs_xml__finish(struct hs_xml *x, struct hs_xml_stats *stats)
{
	x->st.truncated = x->in_markup;
	if (stats)
		*stats = x->st;
}

uint64_t hs_xml__offset(const struct hs_xml *x)
{
	return x->mark_off;
}
