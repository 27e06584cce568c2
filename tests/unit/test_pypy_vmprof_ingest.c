/* The stacks the PyPy plugin makes of a vmprof profile
 * (plugins/pypy/pypy_vmprof_ingest.c) over a real PyPy 7.3 profile of
 * tests/workloads/pypy/steady.py (tests/fixtures/pypy/pypy73-steady.vmprof.gz),
 * through a fake host: libpypy stacks first, then keep-leaf stacks that give
 * hot_sum's JIT code its Python callers; a host that refuses the latter still
 * takes the former. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pypy_state.h"
#include "fixture.h"

/* Keys are "<func> <file>:<firstline>" (pypy_identity), the file as PyPy
 * saw it; displays "<func> (<base name>:<firstline>)". */
static int is_key(const char *key, const char *func, const char *file_line)
{
	size_t f = strlen(func), k = strlen(key), t = strlen(file_line);

	return !strncmp(key, func, f) && key[f] == ' ' && k > t + f &&
	       !strcmp(key + k - t, file_line) && key[k - t - 1] == '/';
}

struct fake {
	int refuse_keep_leaf;
	unsigned libpypy, keep_leaf, refused, keep_leaf_after_libpypy;
	unsigned callers_main, own_frame_first;
	double jit_with_callers;
};

static struct fake fake;

static void fake_log(void *host, int level, const char *fmt, ...)
{
	(void)host;
	(void)level;
	(void)fmt;
}

static int fake_stat(void *host, uint32_t pid, const char *name, double value, const char *unit)
{
	(void)host;
	(void)pid;
	(void)unit;
	if (!strcmp(name, "vmprof JIT samples with callers"))
		fake.jit_with_callers = value;
	return 0;
}

static int fake_stack(void *host, const struct tp_runtime_stack *s)
{
	(void)host;
	assert_true(s->nframes >= 1 && s->nframes <= TP_RUNTIME_STACK_MAX);
	assert_true(s->position > 0 && s->position < 1);
	if (!(s->flags & TP_RUNTIME_STACK_KEEP_LEAF)) {
		assert_int_equal(s->flags, 0);
		assert_string_equal(s->target_key, "pypy libpypy");
		fake.libpypy++;
		fake.keep_leaf_after_libpypy += fake.keep_leaf + fake.refused > 0;
		return 0;
	}
	if (fake.refuse_keep_leaf) {
		fake.refused++;
		return -EINVAL;
	}
	/* steady.py runs only hot_sum in JIT code, called from main. */
	assert_true(is_key(s->target_key, "hot_sum", "steady.py:6"));
	fake.keep_leaf++;
	fake.own_frame_first += is_key(s->frames[0].function_key, "hot_sum", "steady.py:6");
	fake.callers_main += is_key(s->frames[0].function_key, "main", "steady.py:13") &&
			     !strcmp(s->frames[0].display_name, "main (steady.py:13)");
	return 0;
}

static void ingest(int refuse)
{
	struct tp_host_api api;
	struct pypy_state st = { .api = &api };
	struct tp_side_file f = { .size = sizeof(f), .pid = 42, .name = "vmprof-42.prof" };
	size_t len = 0;
	char *data = fixture_read("pypy/pypy73-steady.vmprof.gz", &len);

	assert_non_null(data);
	memset(&api, 0, sizeof(api));
	api.size = sizeof(api);
	api.abi_minor = TP_PLUGIN_ABI_MINOR;
	api.log = fake_log;
	api.add_stat = fake_stat;
	api.add_runtime_stack = fake_stack;
	memset(&fake, 0, sizeof(fake));
	fake.refuse_keep_leaf = refuse;
	pypy_vmprof_ingest(&st, &f, (const unsigned char *)data, len, 1000, 2000);
	free(data);
}

static void test_jit_callers(void **state)
{
	(void)state;
	ingest(0);
	/* Fixture: >= 100 samples in JIT code running hot_sum. */
	assert_true(fake.keep_leaf >= 100);
	assert_int_equal(fake.keep_leaf_after_libpypy, 0);
	assert_int_equal(fake.own_frame_first, 0);
	assert_int_equal(fake.callers_main, fake.keep_leaf);
	assert_true(fake.jit_with_callers == fake.keep_leaf);
}

static void test_refused_keep_leaf(void **state)
{
	unsigned libpypy;

	(void)state;
	ingest(0);
	libpypy = fake.libpypy;
	ingest(1);
	assert_int_equal(fake.libpypy, libpypy);
	assert_int_equal(fake.refused, 1); /* then no more offers */
	assert_int_equal(fake.keep_leaf, 0);
	assert_true(fake.jit_with_callers == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jit_callers),
		cmocka_unit_test(test_refused_keep_leaf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
