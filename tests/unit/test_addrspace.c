/* Address spaces replayed from mmap/fork/exec: overlap trimming, lookup, fork copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/addrspace.h"

static struct mapping map(uint64_t start, uint64_t end, uint64_t pgoff, uint32_t dso)
{
	return (struct mapping){ .start = start, .end = end, .pgoff = pgoff, .dso = dso };
}

static void test_lookup(void **state)
{
	struct addrspace as;
	struct aspace *a;
	struct mapping m;

	(void)state;
	addrspace__init(&as);
	a = addrspace__get(&as, 42);
	m = map(0x3000, 0x4000, 0, 3);
	aspace__map(a, &m);
	m = map(0x1000, 0x2000, 0x100, 1);
	aspace__map(a, &m);
	assert_null(aspace__find(a, 0x0fff));
	assert_int_equal(aspace__find(a, 0x1000)->dso, 1);
	assert_int_equal(aspace__find(a, 0x1fff)->dso, 1);
	assert_null(aspace__find(a, 0x2000));
	assert_int_equal(aspace__find(a, 0x3abc)->dso, 3);
	assert_null(aspace__find(a, 0x4000));
	addrspace__exit(&as);
}

static void test_overlap_splits(void **state)
{
	struct addrspace as;
	struct aspace *a;
	struct mapping m;

	(void)state;
	addrspace__init(&as);
	a = addrspace__get(&as, 1);
	m = map(0x1000, 0x9000, 0x0, 1);
	aspace__map(a, &m);
	/* A new mapping in the middle splits the old one in two. */
	m = map(0x3000, 0x5000, 0x0, 2);
	aspace__map(a, &m);
	assert_int_equal(a->n, 3);
	assert_int_equal(aspace__find(a, 0x2fff)->dso, 1);
	assert_int_equal(aspace__find(a, 0x3000)->dso, 2);
	assert_int_equal(aspace__find(a, 0x5000)->dso, 1);
	/* The tail keeps its file offset consistent. */
	assert_int_equal(aspace__find(a, 0x5000)->pgoff, 0x4000);
	/* Covering everything replaces everything. */
	m = map(0x0, 0x10000, 0, 7);
	aspace__map(a, &m);
	assert_int_equal(a->n, 1);
	assert_int_equal(aspace__find(a, 0x8000)->dso, 7);
	addrspace__exit(&as);
}

static void test_fork_and_exec(void **state)
{
	struct addrspace as;
	struct mapping m = map(0x1000, 0x2000, 0, 5);

	(void)state;
	addrspace__init(&as);
	aspace__map(addrspace__get(&as, 10), &m);
	addrspace__fork(&as, 11, 10);
	assert_int_equal(aspace__find(addrspace__get(&as, 11), 0x1800)->dso, 5);
	/* The child's exec does not touch the parent. */
	aspace__clear(addrspace__get(&as, 11));
	assert_null(aspace__find(addrspace__get(&as, 11), 0x1800));
	assert_non_null(aspace__find(addrspace__get(&as, 10), 0x1800));
	/* Many processes: the array grows and lookups stay right. */
	for (uint32_t pid = 100; pid < 400; pid++)
		addrspace__fork(&as, pid, 10);
	assert_int_equal(aspace__find(addrspace__get(&as, 399), 0x1000)->dso, 5);
	addrspace__exit(&as);
}

static void test_empty_mapping_ignored(void **state)
{
	struct addrspace as;
	struct mapping m = map(0x2000, 0x2000, 0, 1);

	(void)state;
	addrspace__init(&as);
	aspace__map(addrspace__get(&as, 1), &m);
	assert_int_equal(addrspace__get(&as, 1)->n, 0);
	addrspace__exit(&as);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_overlap_splits),
		cmocka_unit_test(test_fork_and_exec),
		cmocka_unit_test(test_empty_mapping_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
