/* libFuzzer target for plugins/hotspot/hs_methods.c: parse the input as the
 * JVMTI agent's method table, touch every string handed to the callbacks,
 * check the counts, and parse again without callbacks for the same counts. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hs_methods.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct ctx {
	size_t methods;
	const char *buf;
	size_t size;
};

static int on_method(void *p, uint64_t method, const char *key, size_t key_len)
{
	struct ctx *c = p;

	if (!method || !key || strlen(key) != key_len || !strstr(key, "::") ||
	    key[key_len - 1] != ')')
		__builtin_trap();
	for (size_t i = 0; i < key_len; i++)
		sink ^= (unsigned char)key[i];
	c->methods++;
	return 0;
}

static void on_constant(void *p, const char *name, size_t n, int64_t v)
{
	const struct ctx *c = p;

	if (!n || name < c->buf || name + n > c->buf + c->size)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		sink ^= (unsigned char)name[i];
	sink ^= (unsigned char)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hs_methods_cb cb = { .method = on_method, .constant = on_constant };
	static const struct hs_methods_cb none = { 0 };
	struct ctx c = { .buf = (const char *)data, .size = size };
	struct hs_methods_info a, b;
	int ra = hs_methods__parse((const char *)data, size, &cb, &c, &a);
	int rb = hs_methods__parse((const char *)data, size, &none, NULL, &b);

	if (ra != rb || (ra != 0 && ra != -1) || a.methods != b.methods ||
	    a.bad_lines != b.bad_lines || (ra == 0 && a.methods != c.methods) ||
	    (a.bad_lines && !a.first_bad_line) || (ra == -1 && !a.error[0]) ||
	    (a.vm && (a.vm < c.buf || a.vm + a.vm_len > c.buf + size)))
		__builtin_trap();
	return 0;
}
