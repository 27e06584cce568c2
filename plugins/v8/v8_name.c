/* V8 code names (v8_name.h). ASCII classification is done by hand: the
 * plugin must not depend on the host's locale. */
#include <limits.h>
#include <string.h>

#include "v8_name.h"

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

enum v8_code_tier v8_name__tier(char marker)
{
	switch (marker) {
	case '~':
		return V8_TIER_IGNITION;
	case '^':
		return V8_TIER_SPARKPLUG;
	case '+':
		return V8_TIER_MAGLEV;
	case '*':
		return V8_TIER_TURBOFAN;
	default:
		return V8_TIER_NONE;
	}
}

/* Kinds whose REST is "[func SP] script:line:col" and that carry a tier
 * marker: JS and Eval since V8 ~9, the other three before (Node <= 16). */
static int is_js_kind(const char *kind)
{
	static const char *const js[] = { "JS", "Eval", "LazyCompile", "Function", "Script" };

	for (size_t i = 0; i < sizeof(js) / sizeof(js[0]); i++) {
		if (!strcmp(kind, js[i]))
			return 1;
	}
	return 0;
}

/* Decimal digits s[0..n) as an unsigned; 0 if empty or too large. */
static int parse_uint(const char *s, size_t n, unsigned *v)
{
	unsigned long long x = 0;

	if (!n || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++)
		x = x * 10 + (unsigned)(s[i] - '0');
	if (x > UINT_MAX)
		return -1;
	*v = (unsigned)x;
	return 0;
}

/* If s[0..*n) ends in ":digits", strip it and return 1 with the number in
 * *v; 0 if it does not; -1 if the number does not fit. */
static int take_number(const char *s, size_t *n, unsigned *v)
{
	size_t j = *n;

	while (j > 0 && is_digit(s[j - 1]))
		j--;
	if (j == *n || j == 0 || s[j - 1] != ':')
		return 0;
	if (parse_uint(s + j, *n - j, v))
		return -1;
	*n = j - 1;
	return 1;
}

/* An absolute path or a URL ("file:///x", "http://host:8080/x"): a script,
 * never the second word of a function name. */
static int looks_absolute(const char *s, size_t n)
{
	size_t i = 0;

	if (n && s[0] == '/')
		return 1;
	while (i < n && (is_alpha(s[i]) ||
			 (i && (is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))))
		i++;
	return i > 0 && n - i >= 3 && !memcmp(s + i, "://", 3);
}

static void split_js(struct v8_name *out, int is_script)
{
	const char *s = out->rest;
	size_t n = out->rest_len, sp = (size_t)-1;
	unsigned a, b;
	int has_pos = 0, abs_split = 0;

	if (take_number(s, &n, &a) == 1) {
		switch (take_number(s, &n, &b)) {
		case 1:
			out->line = b;
			out->column = a;
			has_pos = 1;
			break;
		case 0:
			/* Node 8 style "foo /x.js:3": line only. */
			out->line = a;
			has_pos = 1;
			break;
		default:
			/* A line number that does not fit: no position at all. */
			n = out->rest_len;
			break;
		}
	} else {
		n = out->rest_len;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && looks_absolute(s + i + 1, n - i - 1)) {
			sp = i;
			abs_split = 1;
			break;
		}
	}
	if (!abs_split) {
		for (size_t i = n; i > 0; i--) {
			if (s[i - 1] == ' ') {
				sp = i - 1;
				break;
			}
		}
	}
	if (sp == (size_t)-1) {
		if (has_pos || is_script) {
			out->func = s;
			out->script = s;
			out->script_len = n;
		} else {
			out->func = s;
			out->func_len = n;
			out->script = s + n;
		}
		return;
	}
	out->func = s;
	out->func_len = sp;
	out->script = s + sp + 1;
	out->script_len = n - sp - 1;
	/* V8 <= 6 (Node <= 8) natives: "<func> native <lib>.js". */
	if (!abs_split && out->func_len >= 7 &&
	    !memcmp(out->func + out->func_len - 7, " native", 7) &&
	    !memchr(out->script, '/', out->script_len) && out->script_len > 3 &&
	    !memcmp(out->script + out->script_len - 3, ".js", 3)) {
		out->script -= 7;
		out->script_len += 7;
		out->func_len -= 7;
	}
}

static int set_kind(struct v8_name *out, const char *kind, size_t n)
{
	if (!n || n >= sizeof(out->kind))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_alpha(kind[i]))
			return -1;
	}
	memcpy(out->kind, kind, n);
	out->kind[n] = '\0';
	return 0;
}

static void parse_rest(struct v8_name *out, const char *rest, size_t n, int has_marker_field,
		       char marker)
{
	int js = is_js_kind(out->kind);

	if (js && has_marker_field) {
		out->tier = v8_name__tier(marker);
	} else if (js && n && v8_name__tier(rest[0]) != V8_TIER_NONE) {
		out->tier = v8_name__tier(rest[0]);
		rest++;
		n--;
	}
	out->rest = rest;
	out->rest_len = n;
	out->func = rest;
	out->script = rest;
	if (js)
		split_js(out, !strcmp(out->kind, "Script"));
}

int v8_name__parse(const char *name, size_t len, struct v8_name *out)
{
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	while (k < len && is_alpha(name[k]))
		k++;
	if (k == len || name[k] != ':' || (k + 1 < len && name[k + 1] == ':'))
		return -1;
	if (set_kind(out, name, k))
		return -1;
	parse_rest(out, name + k + 1, len - k - 1, 0, 0);
	return 0;
}

int v8_name__parse_log(const char *type, size_t type_len, char marker, const char *name, size_t len,
		       struct v8_name *out)
{
	memset(out, 0, sizeof(*out));
	if (set_kind(out, type, type_len))
		return -1;
	parse_rest(out, name, len, 1, marker);
	return 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

enum v8_builtin_kind v8_name__elf_builtin_scale(const char *sym, const char **base,
						size_t *base_len, unsigned *scale)
{
	static const char prefix[] = "Builtins_";
	/* Bytecodes whose own names end in Wide: they have no scaled handlers. */
	static const char *const prefix_bytecodes[] = { "Wide", "ExtraWide", "DebugBreakWide",
							"DebugBreakExtraWide" };
	enum v8_builtin_kind kind = V8_BUILTIN;
	const char *b;
	size_t n;
	unsigned sc = 0;

	if (scale)
		*scale = 0;
	if (!sym || strncmp(sym, prefix, sizeof(prefix) - 1))
		return V8_BUILTIN_NONE;
	b = sym + sizeof(prefix) - 1;
	n = strlen(b);
	if (!n)
		return V8_BUILTIN_NONE;
	for (size_t i = 0; i < n; i++) {
		if (!is_ident(b[i]))
			return V8_BUILTIN_NONE;
	}
	if (n > 7 && ends_with(b, n, "Handler")) {
		int is_prefix = 0;

		kind = V8_BYTECODE_HANDLER;
		n -= 7;
		sc = 1;
		for (size_t i = 0; i < sizeof(prefix_bytecodes) / sizeof(prefix_bytecodes[0]);
		     i++) {
			if (n == strlen(prefix_bytecodes[i]) && !memcmp(b, prefix_bytecodes[i], n))
				is_prefix = 1;
		}
		if (!is_prefix && n > 9 && ends_with(b, n, "ExtraWide")) {
			n -= 9;
			sc = 4;
		} else if (!is_prefix && n > 4 && ends_with(b, n, "Wide")) {
			n -= 4;
			sc = 2;
		}
	}
	if (base)
		*base = b;
	if (base_len)
		*base_len = n;
	if (scale)
		*scale = sc;
	return kind;
}

enum v8_builtin_kind v8_name__elf_builtin(const char *sym, const char **base, size_t *base_len)
{
	return v8_name__elf_builtin_scale(sym, base, base_len, NULL);
}
