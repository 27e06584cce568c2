/* libFuzzer target for plugins/pypy/pypy_hook.c: split the input as a
 * bundle; check every part lies inside the input; parse the hook part (and,
 * when there is none, the whole input) as a hook file, touching every
 * string; parse the PYPYLOG part. */
#include <stddef.h>
#include <stdint.h>

#include "pypy_hook.h"
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

static void touch_where(const struct pypy_where *w)
{
	if (!w->func && !w->driver)
		__builtin_trap();
	touch(w->func, w->func_len);
	touch(w->file, w->file_len);
	touch(w->driver, w->driver_len);
}

static void on_code(void *ctx, const struct pypy_hook_code *c)
{
	(void)ctx;
	if (!c->len || c->addr + c->len < c->addr || c->kind > PYPY_BRIDGE)
		__builtin_trap();
	touch_where(&c->where);
}

static void on_abort(void *ctx, uint64_t t, const char *r, size_t n, const struct pypy_where *w)
{
	(void)ctx;
	(void)t;
	if (!n)
		__builtin_trap();
	touch(r, n);
	touch_where(w);
}

static int inside(const uint8_t *data, size_t size, const char *p, size_t n)
{
	return !p || ((const uint8_t *)p >= data && (const uint8_t *)p + n <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pypy_hook_cb cb = { .code = on_code, .abort = on_abort };
	struct pypy_hook_stats hs;
	struct pypy_log_stats ls;
	struct pypy_bundle b;
	size_t bad_at;

	if (pypy_bundle__parse((const char *)data, size, &b, &bad_at)) {
		if (bad_at > size)
			__builtin_trap();
		pypy_hook__parse((const char *)data, size, &cb, &hs);
		return 0;
	}
	if (!inside(data, size, b.hook, b.hook_len) ||
	    !inside(data, size, b.pypylog, b.pypylog_len) || b.nclocks > PYPY_BUNDLE_MAX_CLOCKS)
		__builtin_trap();
	if (b.hook && !pypy_hook__parse(b.hook, b.hook_len, &cb, &hs) &&
	    hs.records + hs.bad_lines > hs.lines)
		__builtin_trap();
	if (b.pypylog)
		pypy_log__parse(b.pypylog, b.pypylog_len, NULL, &ls);
	return 0;
}
