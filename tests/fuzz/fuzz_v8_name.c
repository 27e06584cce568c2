/* libFuzzer target for plugins/v8/v8_name.c: parse the input as a perf-map
 * name and as a --prof log name, and its first line as an ELF symbol;
 * check that every output points into the input and that -1 is returned
 * exactly when the input has no "Kind:" prefix. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "v8_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static volatile unsigned char sink;

static void check_span(const char *lo, const char *hi, const char *p, size_t n)
{
	if (!p || p < lo || n > (size_t)(hi - p))
		__builtin_trap();
	/* Touch every byte: ASan catches a pointer past the input. */
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static void check_name(const struct v8_name *n, const char *lo, const char *hi)
{
	size_t k = strlen(n->kind);
	int js = !strcmp(n->kind, "JS") || !strcmp(n->kind, "Eval") ||
		 !strcmp(n->kind, "LazyCompile") || !strcmp(n->kind, "Function") ||
		 !strcmp(n->kind, "Script");

	if (!k || k >= sizeof(n->kind))
		__builtin_trap();
	for (size_t i = 0; i < k; i++)
		if (!letter(n->kind[i]))
			__builtin_trap();
	if (n->tier > V8_TIER_TURBOFAN || (!js && n->tier != V8_TIER_NONE))
		__builtin_trap();
	check_span(lo, hi, n->rest, n->rest_len);
	check_span(n->rest, n->rest + n->rest_len, n->func, n->func_len);
	check_span(n->rest, n->rest + n->rest_len, n->script, n->script_len);
	if (!js && (n->func_len || n->script_len || n->line || n->column))
		__builtin_trap();
	if (n->func_len && n->script_len && n->func + n->func_len > n->script)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct v8_name n;
	size_t k = 0, sl;
	int want_fail, ret;
	char sym[256];
	const char *base, *nl;
	size_t base_len;
	unsigned scale;
	enum v8_builtin_kind bk;

	while (k < size && letter(s[k]))
		k++;
	want_fail = !k || k >= sizeof(n.kind) || k == size || s[k] != ':' ||
		    (k + 1 < size && s[k + 1] == ':');
	ret = v8_name__parse(s, size, &n);
	if (ret != (want_fail ? -1 : 0))
		__builtin_trap();
	if (!ret) {
		check_name(&n, s, s + size);
		if (memcmp(n.kind, s, k) || n.rest + n.rest_len != s + size)
			__builtin_trap();
	}

	/* As a log line's fields: type up to the first ',', marker after it. */
	nl = memchr(s, ',', size);
	if (nl && (size_t)(nl - s) + 2 <= size) {
		size_t tl = (size_t)(nl - s);

		ret = v8_name__parse_log(s, tl, nl[1], nl + 2, size - tl - 2, &n);
		if (!ret)
			check_name(&n, nl + 2, s + size);
	}

	nl = memchr(s, '\n', size);
	sl = nl ? (size_t)(nl - s) : size;
	if (sl >= sizeof(sym))
		sl = sizeof(sym) - 1;
	memcpy(sym, s, sl);
	sym[sl] = '\0';
	bk = v8_name__elf_builtin_scale(sym, &base, &base_len, &scale);
	if (bk != v8_name__elf_builtin(sym, NULL, NULL))
		__builtin_trap();
	if (bk == V8_BUILTIN_NONE) {
		if (scale)
			__builtin_trap();
	} else {
		if (strncmp(sym, "Builtins_", 9) || base != sym + 9 || !base_len ||
		    base_len > strlen(base) || (bk == V8_BUILTIN) != (scale == 0) ||
		    (scale != 0 && scale != 1 && scale != 2 && scale != 4))
			__builtin_trap();
	}
	return 0;
}
