/* String interning and the u64 map, across rehashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/hash.h"

static void test_strtab(void **state)
{
	struct tp_strtab t;
	char buf[32];

	(void)state;
	strtab__init(&t);
	assert_int_equal(strtab__find(&t, "x", 1), -1);
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "sym%d", i);
		assert_int_equal(strtab__intern(&t, buf, strlen(buf)), i);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "sym%d", i);
		assert_int_equal(strtab__intern(&t, buf, strlen(buf)), i);
		assert_string_equal(strtab__str(&t, (uint32_t)i), buf);
	}
	/* Prefixes are different strings. */
	assert_int_equal(strtab__find(&t, "sym1", 3), -1);
	assert_int_equal(strtab__intern(&t, "", 0), 5000);
	strtab__exit(&t);
}

static void test_u64map(void **state)
{
	struct tp_u64map m;
	int is_new;

	(void)state;
	u64map__init(&m);
	assert_null(u64map__find(&m, 0));
	for (uint64_t k = 0; k < 10000; k++)
		*u64map__slot(&m, k * 0x10001, &is_new) = k + 1;
	assert_int_equal(m.len, 10000);
	for (uint64_t k = 0; k < 10000; k++)
		assert_int_equal(*u64map__find(&m, k * 0x10001), k + 1);
	u64map__slot(&m, 0x10001, &is_new);
	assert_false(is_new);
	assert_null(u64map__find(&m, 3));
	u64map__exit(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strtab),
		cmocka_unit_test(test_u64map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
