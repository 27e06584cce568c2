/* libFuzzer target for plugins/pypy/pypy_vmprof.c: parse the input as a
 * vmprof profile, check every stack and name lies inside the input and
 * every damage offset too, and split every code name. */
#include <stddef.h>
#include <stdint.h>

#include "pypy_vmprof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;
static const uint8_t *in_data;
static size_t in_size;

static void inside(const void *p, size_t n)
{
	const uint8_t *b = p;

	if (n && (!b || b < in_data || b + n > in_data + in_size))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= b[i];
}

static void on_header(void *ctx, const struct pypy_vmprof_header *h)
{
	(void)ctx;
	if (!h->period_us || h->version < 2 || h->version > 6)
		__builtin_trap();
	inside(h->interp, h->interp_len);
}

static void on_sample(void *ctx, uint64_t count, const unsigned char *w, size_t depth,
		      uint64_t thread)
{
	(void)ctx;
	(void)count;
	(void)thread;
	if ((depth & 1) || depth > PYPY_VMPROF_MAX_DEPTH)
		__builtin_trap();
	inside(w, depth * 8);
	for (size_t i = 0; i < depth; i++)
		sink ^= (unsigned char)pypy_vmprof__word(w + 8 * i);
}

static void on_code(void *ctx, uint64_t id, const char *name, size_t len)
{
	const char *func, *file;
	size_t flen, filelen;
	uint64_t line;

	(void)ctx;
	(void)id;
	inside(name, len);
	if (!pypy_vmprof__split_name(name, len, &func, &flen, &line, &file, &filelen)) {
		inside(func, flen);
		inside(file, filelen);
		if (!flen || func + flen >= file)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pypy_vmprof_cb cb = { .header = on_header,
						  .sample = on_sample,
						  .code = on_code };
	size_t bad_at = 0;
	const char *why = NULL;
	int trailer;

	in_data = data;
	in_size = size;
	if (pypy_vmprof__parse(data, size, &cb, &bad_at, &why, &trailer) && (bad_at > size || !why))
		__builtin_trap();
	return 0;
}
