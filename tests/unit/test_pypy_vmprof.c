/* The PyPy plugin's vmprof parser (plugins/pypy/pypy_vmprof.c) over real
 * PyPy 7.3 profiles (tests/fixtures/pypy/pypy73-{steady,aborts}.vmprof.gz:
 * _vmprof.enable(fd, 0.001, 0, 0, 1, 0) around tests/workloads/pypy/steady.py
 * 0.5 and aborts.py 0.3) and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pypy_vmprof.h"
#include "fixture.h"

struct got {
	uint64_t period;
	unsigned version, flags, samples, codes;
	unsigned leaf_asm, leaf_native, leaf_code, with_jitted;
	uint64_t first_code_id;
	char first_code[128];
	uint64_t hot_id; /* id of the code named hot_func */
	const char *hot_func;
	unsigned hot_innermost; /* samples whose innermost Python frame is it */
};

static void on_header(void *ctx, const struct pypy_vmprof_header *h)
{
	struct got *g = ctx;

	g->period = h->period_us;
	g->version = h->version;
	g->flags = h->flags;
}

static void on_code(void *ctx, uint64_t id, const char *name, size_t len)
{
	struct got *g = ctx;
	const char *func, *file;
	size_t flen, filelen;
	uint64_t line;

	if (!g->codes++) {
		g->first_code_id = id;
		snprintf(g->first_code, sizeof(g->first_code), "%.*s", (int)len, name);
	}
	if (!pypy_vmprof__split_name(name, len, &func, &flen, &line, &file, &filelen) &&
	    flen == strlen(g->hot_func) && !memcmp(func, g->hot_func, flen) && filelen)
		g->hot_id = id;
}

static void on_sample(void *ctx, uint64_t count, const unsigned char *w, size_t depth,
		      uint64_t thread)
{
	struct got *g = ctx;
	uint64_t tag = pypy_vmprof__word(w);
	int jitted = 0;

	(void)thread;
	assert_int_equal(count, 1);
	assert_int_equal(depth % 2, 0);
	g->samples++;
	g->leaf_asm += tag == VMPROF_TAG_ASSEMBLER;
	g->leaf_native += tag == VMPROF_TAG_NATIVE;
	g->leaf_code += tag == VMPROF_TAG_CODE;
	for (size_t i = 0; i < depth; i += 2) {
		jitted |= pypy_vmprof__word(w + 8 * i) == VMPROF_TAG_JITTED;
		if (pypy_vmprof__word(w + 8 * i) == VMPROF_TAG_CODE) {
			g->hot_innermost += pypy_vmprof__word(w + 8 * i + 8) == g->hot_id;
			break;
		}
	}
	g->with_jitted += jitted;
}

static void parse_fixture(const char *name, struct got *g)
{
	struct pypy_vmprof_cb cb = {
		.ctx = g, .header = on_header, .code = on_code, .sample = on_sample
	};
	size_t len = 0, bad_at = 0;
	const char *why = NULL;
	int trailer = 0;
	char *buf = fixture_read(name, &len);

	struct pypy_vmprof_cb names = { .ctx = g, .code = on_code };
	struct got first = *g;

	assert_non_null(buf);
	/* Code names first: PyPy may write a name after samples that use it. */
	assert_int_equal(
		pypy_vmprof__parse((unsigned char *)buf, len, &names, &bad_at, &why, &trailer), 0);
	first.hot_id = g->hot_id;
	*g = first;
	assert_int_equal(
		pypy_vmprof__parse((unsigned char *)buf, len, &cb, &bad_at, &why, &trailer), 0);
	assert_true(trailer);
	free(buf);
}

/* A JIT loop: nearly every sample is in JIT code, with the code it runs. */
static void test_steady(void **state)
{
	struct got g = { .hot_func = "hot_sum" };

	(void)state;
	parse_fixture("pypy/pypy73-steady.vmprof.gz", &g);
	assert_int_equal(g.period, 1000);
	assert_int_equal(g.version, 6);
	assert_int_equal(g.flags, 4 | 8); /* native, RPython */
	assert_int_equal(g.codes, 2183);
	assert_int_equal(g.samples, 110);
	assert_string_equal(g.first_code, "py:exit:100:<builtin>/sys/app.py");
	assert_true(g.hot_id != 0);
	assert_true(g.leaf_asm >= 100);
	assert_true(g.with_jitted >= 100);
	assert_true(g.hot_innermost >= 100);
}

/* eval() in a loop: the function runs in libpypy (native leaves), never in
 * JIT code; each eval registers a code object. */
static void test_aborts(void **state)
{
	struct got g = { .hot_func = "eval_sum" };

	(void)state;
	parse_fixture("pypy/pypy73-aborts.vmprof.gz", &g);
	assert_int_equal(g.samples, 65);
	assert_int_equal(g.codes, 50183);
	assert_int_equal(g.leaf_native, 65);
	assert_int_equal(g.with_jitted, 0);
	assert_true(g.hot_innermost >= 50);
}

static void test_split_name(void **state)
{
	const char *func, *file;
	size_t flen, filelen;
	uint64_t line;
	static const char *const bad[] = { "",	       "py",	   "py:",
					   "py::1:f",  "py:f:x:f", "py:f:1",
					   "js:f:1:f", "py:f::f",  "py:f:123456789012345678901:f" };

	(void)state;
	assert_int_equal(pypy_vmprof__split_name("py:<module>:1:<string>", 22, &func, &flen, &line,
						 &file, &filelen),
			 0);
	assert_int_equal(flen, 8);
	assert_memory_equal(func, "<module>", 8);
	assert_int_equal(line, 1);
	assert_int_equal(filelen, 8);
	/* A file name may hold colons. */
	assert_int_equal(pypy_vmprof__split_name("py:f:12:C:/a:b.py", 17, &func, &flen, &line,
						 &file, &filelen),
			 0);
	assert_int_equal(line, 12);
	assert_memory_equal(file, "C:/a:b.py", 9);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pypy_vmprof__split_name(bad[i], strlen(bad[i]), &func, &flen,
							 &line, &file, &filelen),
				 -1);
}

static int parse_mem(const unsigned char *b, size_t n, size_t *bad_at, const char **why,
		     unsigned *samples)
{
	struct got g = { .hot_func = "x" };
	struct pypy_vmprof_cb cb = { .ctx = &g, .code = on_code, .sample = on_sample };
	int trailer, err = pypy_vmprof__parse(b, n, &cb, bad_at, why, &trailer);

	*samples = g.samples;
	return err;
}

static void test_malformed(void **state)
{
	size_t len, bad_at;
	const char *why;
	unsigned samples;
	unsigned char *buf = (unsigned char *)fixture_read("pypy/pypy73-steady.vmprof.gz", &len);
	unsigned char *copy = malloc(len);
	static const unsigned char zeros[40];

	(void)state;
	assert_non_null(buf);
	assert_non_null(copy);
	/* Not a profile at all, or a header alone. */
	assert_int_equal(parse_mem((const unsigned char *)"hello", 5, &bad_at, &why, &samples),
			 -EBADMSG);
	assert_int_equal(parse_mem(NULL, 0, &bad_at, &why, &samples), -EBADMSG);
	assert_int_equal(parse_mem(zeros, sizeof(zeros), &bad_at, &why, &samples), -EBADMSG);
	assert_int_equal(bad_at, 0);
	assert_non_null(strstr(why, "bad header"));
	/* Every truncation either parses (it ended between records: the run was
	 * killed) or is refused with an offset inside the input. */
	for (size_t cut = 0; cut < len; cut += cut < 4096 ? 1 : 997) {
		int err = parse_mem(buf, cut, &bad_at, &why, &samples);

		if (err) {
			assert_int_equal(err, -EBADMSG);
			assert_true(bad_at <= cut);
			assert_non_null(why);
		}
	}
	/* An unknown record marker right after the header record. */
	memcpy(copy, buf, len);
	copy[40 + 5 + 4] = 0x42;
	assert_int_equal(parse_mem(copy, len, &bad_at, &why, &samples), -EBADMSG);
	assert_int_equal(bad_at, 40 + 5 + 4);
	assert_non_null(strstr(why, "unknown record"));
	/* An unsupported version. */
	memcpy(copy, buf, len);
	copy[42] = 9;
	assert_int_equal(parse_mem(copy, len, &bad_at, &why, &samples), -EBADMSG);
	assert_non_null(strstr(why, "version"));
	/* A sample deeper than the file: the samples before it were delivered. */
	memcpy(copy, buf, len);
	for (size_t at = 0; at + 17 < len; at++) {
		if (copy[at] == 0x01 && at > len / 2) {
			/* only a real record start: depth is small and even */
			uint64_t depth = pypy_vmprof__word(copy + at + 9);

			if (depth && depth < 200 && !(depth & 1) &&
			    pypy_vmprof__word(copy + at + 1) == 1) {
				memset(copy + at + 9, 0x7f, 7);
				assert_int_equal(parse_mem(copy, len, &bad_at, &why, &samples),
						 -EBADMSG);
				assert_int_equal(bad_at, at);
				assert_true(samples < 110);
				break;
			}
		}
	}
	free(copy);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_aborts),
		cmocka_unit_test(test_split_name),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
