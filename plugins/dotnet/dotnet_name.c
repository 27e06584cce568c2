/* CoreCLR's perf map / jitdump names and its perfinfo image list
 * (dotnet_name.h). Nothing here trusts the input: every scan is bounded by
 * the given length. */
#include "dotnet_name.h"

#include <string.h>

static const char *const tier_names[DOTNET_TIER__COUNT] = {
	[DOTNET_TIER_NONE] = "",
	[DOTNET_TIER_UNKNOWN] = "Unknown",
	[DOTNET_TIER_MINOPT] = "MinOptJitted",
	[DOTNET_TIER_OPTIMIZED] = "Optimized",
	[DOTNET_TIER_QUICK] = "QuickJitted",
	[DOTNET_TIER_TIER1] = "OptimizedTier1",
	[DOTNET_TIER_TIER1_OSR] = "OptimizedTier1OSR",
	[DOTNET_TIER_INSTRUMENTED] = "InstrumentedTier",
	[DOTNET_TIER_INSTRUMENTED_OPT] = "InstrumentedTierOptimized",
	[DOTNET_TIER_PREJIT] = "PreJIT",
	[DOTNET_TIER_PREJIT_COLD] = "PreJit-cold",
	[DOTNET_TIER_OTHER] = "",
};

const char *dotnet_tier__name(enum dotnet_tier t)
{
	return (unsigned)t < DOTNET_TIER__COUNT ? tier_names[t] : "";
}

enum dotnet_tier dotnet_tier__from(const char *s, size_t n)
{
	for (unsigned t = DOTNET_TIER_UNKNOWN; t < DOTNET_TIER_OTHER; t++) {
		if (strlen(tier_names[t]) == n && !memcmp(tier_names[t], s, n))
			return (enum dotnet_tier)t;
	}
	return DOTNET_TIER_OTHER;
}

static int is_tier_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

static int opens(char c)
{
	return c == '[' || c == '<' || c == '(';
}

static int closes(char c)
{
	return c == ']' || c == '>' || c == ')';
}

/* "stub<N> Kind<Owner>" or "stub Kind<Owner>". */
static int parse_stub(const char *s, size_t n, struct dotnet_name *out)
{
	size_t i = 4;

	if (n < 6 || memcmp(s, "stub", 4))
		return -1;
	if (s[i] == '<') {
		size_t digits = 0;

		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (!digits || i >= n || s[i] != '>')
			return -1;
		i++;
	}
	if (i >= n || s[i] != ' ' || i + 1 >= n)
		return -1;
	i++;
	out->kind = DOTNET_NAME_STUB;
	out->sig = out->method = s + i;
	out->sig_len = out->method_len = n - i;
	return 0;
}

/* The trailing "[Tier]": sets out->tier/tier_str and returns the length of
 * the name before it (n when there is none). */
static size_t strip_tier(const char *s, size_t n, struct dotnet_name *out)
{
	size_t i;
	enum dotnet_tier t;

	if (n < 3 || s[n - 1] != ']')
		return n;
	for (i = n - 1; i > 0 && is_tier_char(s[i - 1]); i--)
		;
	if (i == 0 || i == n - 1 || s[i - 1] != '[')
		return n;
	t = dotnet_tier__from(s + i, n - 1 - i);
	/* An unknown word counts only right after a method's argument list. */
	if (t == DOTNET_TIER_OTHER && (i < 2 || s[i - 2] != ')'))
		return n;
	out->tier = t;
	out->tier_str = s + i;
	out->tier_len = n - 1 - i;
	return i - 1;
}

int dotnet_name__parse(const char *s, size_t n, struct dotnet_name *out)
{
	size_t len, colons = 0, ts = 0, depth = 0, i;
	int found = 0, args = 0;

	memset(out, 0, sizeof(*out));
	out->tier_str = out->assembly = out->sig = out->method = s;
	if (!s || !n)
		return -1;
	if (!parse_stub(s, n, out))
		return 0;
	len = strip_tier(s, n, out);
	/* CoreCLR prints the argument list last. */
	if (!len || s[len - 1] != ')')
		goto not_ours;
	/* The first "::" outside brackets splits type and method. */
	for (i = 0; i + 1 < len && !found; i++) {
		if (opens(s[i]))
			depth++;
		else if (closes(s[i]) && depth)
			depth--;
		else if (!depth && s[i] == ':' && s[i + 1] == ':')
			found = 1, colons = i;
	}
	if (!found || colons == 0)
		goto not_ours;
	depth = 0;
	for (i = colons + 2; i < len && !args; i++) {
		if (s[i] == '(' && !depth)
			args = 1;
		else if (opens(s[i]))
			depth++;
		else if (closes(s[i]) && depth)
			depth--;
	}
	if (!args || i == colons + 3) /* no method name before '(' */
		goto not_ours;
	/* The type starts after the last space outside brackets before it. */
	depth = 0;
	for (i = colons; i > 0; i--) {
		char c = s[i - 1];

		if (closes(c))
			depth++;
		else if (opens(c) && depth)
			depth--;
		else if (c == ' ' && !depth) {
			ts = i;
			break;
		}
	}
	if (ts >= 3 && s[ts - 2] == ']') {
		size_t j = ts - 2;

		/* Assembly names may hold spaces ("Anonymously Hosted
		 * DynamicMethods Assembly"), not brackets. */
		while (j > 0 && s[j - 1] != '[' && s[j - 1] != ']')
			j--;
		if (j > 0 && s[j - 1] == '[' && j < ts - 2 && (j == 1 || s[j - 2] == ' ')) {
			out->assembly = s + j;
			out->assembly_len = ts - 2 - j;
		}
	}
	if (ts == colons || (out->tier == DOTNET_TIER_NONE && !out->assembly_len))
		goto not_ours;
	out->kind = DOTNET_NAME_METHOD;
	out->sig = s;
	out->sig_len = len;
	out->method = s + ts;
	out->method_len = len - ts;
	return 0;
not_ours:
	memset(out, 0, sizeof(*out));
	out->tier_str = out->assembly = out->sig = out->method = s;
	return -1;
}

/* --- perfinfo-PID.map --- */

static uint64_t parse_hex(const char *s, size_t n, int *ok)
{
	uint64_t v = 0;
	size_t i = 0;

	*ok = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n || n - i > 16)
		return 0;
	for (; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return 0;
		v = v << 4 | d;
	}
	*ok = 1;
	return v;
}

static void bad_line(struct dotnet_perfinfo_stats *st, size_t line_no)
{
	if (!st->bad_lines++)
		st->first_bad_line = line_no;
}

int dotnet_perfinfo__parse(const char *text, size_t len,
			   void (*on_image)(void *ctx, const struct dotnet_image *img), void *ctx,
			   struct dotnet_perfinfo_stats *st)
{
	const char *p = text, *end = text ? text + len : NULL;
	size_t line_no = 0;

	memset(st, 0, sizeof(*st));
	while (text && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f[4];
		size_t fl[4], nf = 0, start = 0;

		line_no++;
		if (n && p[n - 1] == '\r')
			n--;
		/* Fields end in ';'; a missing last one is tolerated. */
		for (size_t i = 0; i <= n && nf < 4; i++) {
			if (i == n || p[i] == ';') {
				if (i == n && i == start)
					break;
				f[nf] = p + start;
				fl[nf++] = i - start;
				start = i + 1;
			}
		}
		if (!n) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (nf < 2 || !fl[0] || memchr(p, '\0', n)) {
			bad_line(st, line_no);
		} else if (fl[0] == 9 && !memcmp(f[0], "ImageLoad", 9)) {
			struct dotnet_image img = { .path = f[1],
						    .path_len = fl[1],
						    .line_no = line_no };
			int ok = 0;

			if (!fl[1]) {
				bad_line(st, line_no);
			} else {
				if (nf >= 4)
					img.base = parse_hex(f[3], fl[3], &ok);
				if (!ok)
					img.base = 0;
				st->images++;
				if (on_image)
					on_image(ctx, &img);
			}
		} else {
			st->other++;
		}
		p = nl ? nl + 1 : end;
	}
	return st->images || st->other ? 0 : -1;
}
