/* Parser of the JVMTI agent's method table (hs_methods.h). */
#include "hs_methods.h"
#include "hs_name.h"

#include <stdio.h>
#include <string.h>

#define MAX_FIELDS 5
/* Longest "Class name (DESC)RET" a key is made of; longer lines are bad. */
#define LOG_NAME_MAX 2048

/* Split a line at tabs into at most MAX_FIELDS fields; the number found, or
 * MAX_FIELDS + 1 when there are more. */
static size_t split(const char *s, size_t n, const char **f, size_t *flen)
{
	size_t k = 0;
	const char *end = s + n;

	while (k <= MAX_FIELDS) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;

		if (k == MAX_FIELDS)
			return MAX_FIELDS + 1;
		f[k] = s;
		flen[k] = (size_t)(stop - s);
		k++;
		if (!tab)
			break;
		s = tab + 1;
	}
	return k;
}

static int parse_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static int parse_int(const char *s, size_t n, int64_t *out)
{
	int neg = n && s[0] == '-';
	int64_t v = 0;

	if (neg) {
		s++;
		n--;
	}
	if (!n || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int has_byte(const char *s, size_t n, char c)
{
	return memchr(s, c, n) != NULL;
}

/* A method line's key, from the three name fields. 0 or -1. */
static int method_key(const char *const *f, const size_t *flen, char *key, size_t key_size)
{
	char name[LOG_NAME_MAX];
	int len;

	/* Spaces separate the fields of the log's spelling. */
	for (int i = 2; i <= 4; i++) {
		if (!flen[i] || has_byte(f[i], flen[i], ' ') || has_byte(f[i], flen[i], '\0'))
			return -1;
	}
	len = snprintf(name, sizeof(name), "%.*s %.*s %.*s", (int)flen[2], f[2], (int)flen[3], f[3],
		       (int)flen[4], f[4]);
	if (len < 0 || (size_t)len >= sizeof(name))
		return -1;
	return hs_name__from_log(name, (size_t)len, key, key_size);
}

static void bad(struct hs_methods_info *info, size_t line_no)
{
	if (!info->bad_lines++)
		info->first_bad_line = line_no;
}

int hs_methods__parse(const char *data, size_t len, const struct hs_methods_cb *cb, void *ctx,
		      struct hs_methods_info *info)
{
	const char *p = data, *end = len ? data + len : data; /* no arithmetic on NULL */
	size_t line_no = 0;

	memset(info, 0, sizeof(*info));
	if (len < sizeof(HS_METHODS_HEADER) - 1 ||
	    memcmp(data, HS_METHODS_HEADER, sizeof(HS_METHODS_HEADER) - 1) ||
	    (len > sizeof(HS_METHODS_HEADER) - 1 && data[sizeof(HS_METHODS_HEADER) - 1] != '\n')) {
		snprintf(info->error, sizeof(info->error),
			 "not a method table (first line is not \"%s\")", HS_METHODS_HEADER);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f[MAX_FIELDS];
		size_t flen[MAX_FIELDS], nf;
		const char *line = p;

		line_no++;
		p += n + (nl ? 1 : 0);
		if (line_no == 1 || !n || line[0] == '#')
			continue;
		nf = split(line, n, f, flen);
		if (nf > MAX_FIELDS) {
			bad(info, line_no);
			continue;
		}
		if (flen[0] == 1 && f[0][0] == 'm') {
			uint64_t method;
			char key[512];
			int ret;

			if (nf != 5 || parse_hex(f[1], flen[1], &method) || !method ||
			    method_key(f, flen, key, sizeof(key))) {
				bad(info, line_no);
				continue;
			}
			info->methods++;
			if (cb->method) {
				ret = cb->method(ctx, method, key, strlen(key));
				if (ret < 0)
					return ret;
			}
		} else if (flen[0] == 5 && !memcmp(f[0], "const", 5)) {
			int64_t v;

			if (nf != 3 || !flen[1] || parse_int(f[2], flen[2], &v)) {
				bad(info, line_no);
				continue;
			}
			if (cb->constant)
				cb->constant(ctx, f[1], flen[1], v);
		} else if (flen[0] == 2 && !memcmp(f[0], "vm", 2)) {
			if (nf != 2) {
				bad(info, line_no);
				continue;
			}
			info->vm = f[1];
			info->vm_len = flen[1];
		}
		/* Other kinds: a later agent's records. */
	}
	return 0;
}
