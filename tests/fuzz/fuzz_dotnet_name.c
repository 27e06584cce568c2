/* libFuzzer target for plugins/dotnet/dotnet_name.c: parse the input as a
 * perf map / jitdump name and as perfinfo text; check that every part points
 * into the input, that a method's identity is the input without its tier
 * suffix, and that a stub's name follows its "stub<N> " prefix. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dotnet_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

static void check_span(const char *lo, const char *hi, const char *p, size_t n)
{
	if (!p || p < lo || n > (size_t)(hi - p))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static void on_image(void *ctx, const struct dotnet_image *img)
{
	const char *const *range = ctx;

	check_span(range[0], range[1], img->path, img->path_len);
	if (!img->path_len || memchr(img->path, ';', img->path_len) ||
	    memchr(img->path, '\n', img->path_len))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	const char *range[2] = { s, end };
	struct dotnet_name n;
	struct dotnet_perfinfo_stats st;

	if (!dotnet_name__parse(s, size, &n)) {
		check_span(s, end, n.sig, n.sig_len);
		check_span(n.sig, n.sig + n.sig_len, n.method, n.method_len);
		if (!n.method_len)
			__builtin_trap();
		if (n.kind == DOTNET_NAME_STUB) {
			if (size < 6 || memcmp(s, "stub", 4) || n.tier != DOTNET_TIER_NONE ||
			    n.method + n.method_len != end || n.method[-1] != ' ')
				__builtin_trap();
		} else if (n.kind == DOTNET_NAME_METHOD) {
			if (n.sig != s || n.method + n.method_len != n.sig + n.sig_len ||
			    !memmem(n.method, n.method_len, "::", 2))
				__builtin_trap();
			if (n.assembly_len)
				check_span(s, n.method, n.assembly, n.assembly_len);
			if (n.tier == DOTNET_TIER_NONE) {
				if (n.sig_len != size || !n.assembly_len)
					__builtin_trap();
			} else {
				check_span(s, end, n.tier_str, n.tier_len);
				if (n.sig_len + n.tier_len + 2 != size || end[-1] != ']' ||
				    n.tier_str[-1] != '[' || !n.tier_len)
					__builtin_trap();
				if (n.tier != DOTNET_TIER_OTHER &&
				    (strlen(dotnet_tier__name(n.tier)) != n.tier_len ||
				     memcmp(dotnet_tier__name(n.tier), n.tier_str, n.tier_len)))
					__builtin_trap();
			}
		} else {
			__builtin_trap();
		}
	} else if (n.kind || n.sig_len || n.method_len) {
		__builtin_trap(); /* a refusal leaves nothing behind */
	}
	if (!dotnet_perfinfo__parse(s, size, on_image, range, &st)) {
		if (!st.images && !st.other)
			__builtin_trap();
	}
	return 0;
}
