/* libFuzzer target for plugins/pypy/pypy_log.c: parse the input as a
 * PYPYLOG, touch every string handed to a callback, check the record
 * invariants, and parse again expecting the same stats. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pypy_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

static void touch(const char *p, size_t n)
{
	if (n && !p)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)p[i];
}

static void on_addr(void *ctx, uint64_t tsc, const struct pypy_code_addr *a)
{
	(void)ctx;
	(void)tsc;
	if (a->end <= a->start)
		__builtin_trap();
	touch(a->greenkey, a->greenkey_len);
}

static void on_inv(void *ctx, uint64_t tsc, const char *f, size_t n, uint64_t count)
{
	(void)ctx;
	(void)tsc;
	(void)count;
	touch(f, n);
}

static void on_longest(void *ctx, uint64_t tsc, const char *g, size_t n)
{
	(void)ctx;
	(void)tsc;
	touch(g, n);
}

static void on_summary(void *ctx, const char *k, size_t n, const double *v, int nv)
{
	(void)ctx;
	if (nv < 1 || nv > 2 || !n)
		__builtin_trap();
	touch(k, n);
	sink ^= (unsigned char)(v[nv - 1] > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pypy_log_cb cb = { .code_addr = on_addr,
					       .invalidate = on_inv,
					       .longest = on_longest,
					       .summary = on_summary };
	struct pypy_log_stats a, b;
	int ra = pypy_log__parse((const char *)data, size, &cb, &a);
	int rb = pypy_log__parse((const char *)data, size, NULL, &b);

	if (ra != rb || (!ra && memcmp(&a, &b, sizeof(a))))
		__builtin_trap();
	if (!ra && a.bad_lines > a.lines)
		__builtin_trap();
	return 0;
}
