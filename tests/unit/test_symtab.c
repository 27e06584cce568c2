/* Unit tests for core/symbol/symtab.c: ordering, alias choice, size
 * inference, nested ranges and lookups against a brute-force model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbol/symtab.h"

static const char *name_at(const struct symtab *st, uint64_t addr)
{
	const struct tp_sym *s = symtab__find(st, addr);

	return s ? s->name : NULL;
}

static void test_empty(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	assert_null(symtab__find(st, 0));
	symtab__finalize(st);
	assert_int_equal(symtab__count(st), 0);
	assert_null(symtab__find(st, 0));
	assert_null(symtab__find(st, UINT64_MAX));
	assert_null(symtab__at(st, 0));
	symtab__delete(st);
	symtab__delete(NULL);
}

static void test_sorted_lookup(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	symtab__add(st, 0x3000, 0x10, "c");
	symtab__add(st, 0x1000, 0x100, "a");
	symtab__add(st, 0x2000, 0x20, "b");
	assert_null(symtab__find(st, 0x1000)); /* not finalized yet */
	symtab__finalize(st);

	assert_int_equal(symtab__count(st), 3);
	assert_string_equal(symtab__at(st, 0)->name, "a");
	assert_string_equal(symtab__at(st, 1)->name, "b");
	assert_string_equal(symtab__at(st, 2)->name, "c");
	assert_null(symtab__at(st, 3));

	assert_null(name_at(st, 0xfff));
	assert_string_equal(name_at(st, 0x1000), "a");
	assert_string_equal(name_at(st, 0x10ff), "a");
	assert_null(name_at(st, 0x1100));
	assert_string_equal(name_at(st, 0x201f), "b");
	assert_null(name_at(st, 0x2020));
	assert_string_equal(name_at(st, 0x3000), "c");
	assert_null(name_at(st, 0x3010));
	assert_null(name_at(st, UINT64_MAX));
	symtab__delete(st);
}

static void test_zero_size_inferred(void **state)
{
	struct symtab *st = symtab__new();
	const struct tp_sym *s;

	(void)state;
	symtab__add(st, 0x100, 0, "first");
	symtab__add(st, 0x180, 0, "second");
	symtab__add(st, 0x400, 0, "last");
	symtab__finalize(st);

	s = symtab__find(st, 0x17f);
	assert_non_null(s);
	assert_string_equal(s->name, "first");
	assert_int_equal(s->size, 0x80);
	assert_string_equal(name_at(st, 0x180), "second");
	assert_string_equal(name_at(st, 0x3ff), "second");
	/* The trailing label reaches the end of the next page. */
	s = symtab__find(st, 0x400);
	assert_non_null(s);
	assert_string_equal(s->name, "last");
	assert_int_equal(s->start + s->size, 0x2000);
	assert_string_equal(name_at(st, 0x1fff), "last");
	assert_null(name_at(st, 0x2000));
	symtab__delete(st);
}

static void test_aliases(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	/* Binding decides first. */
	symtab__add_prio(st, 0x1000, 0x10, "local_name", SYMTAB_PRIO_LOCAL);
	symtab__add_prio(st, 0x1000, 0x10, "weak_name", SYMTAB_PRIO_WEAK);
	symtab__add_prio(st, 0x1000, 0x10, "global_name", SYMTAB_PRIO_GLOBAL);
	/* Then fewer leading underscores. */
	symtab__add(st, 0x2000, 0x10, "__libc_malloc");
	symtab__add(st, 0x2000, 0x10, "malloc");
	/* Then the first added. */
	symtab__add(st, 0x3000, 0x10, "one");
	symtab__add(st, 0x3000, 0x10, "two");
	/* A sized symbol beats a label, whatever the binding. */
	symtab__add_prio(st, 0x4000, 0, "label", SYMTAB_PRIO_GLOBAL);
	symtab__add_prio(st, 0x4000, 0x10, "sized", SYMTAB_PRIO_LOCAL);
	symtab__finalize(st);

	assert_int_equal(symtab__count(st), 4);
	assert_string_equal(name_at(st, 0x1000), "global_name");
	assert_string_equal(name_at(st, 0x2008), "malloc");
	assert_string_equal(name_at(st, 0x3000), "one");
	assert_string_equal(name_at(st, 0x4000), "sized");
	assert_null(name_at(st, 0x4010)); /* the label's inferred range is gone */
	symtab__delete(st);
}

static void test_labels_inside_functions(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	symtab__add(st, 0x1000, 0x100, "func");
	symtab__add(st, 0x1040, 0, "func_label");  /* inside: dropped */
	symtab__add(st, 0x1200, 0, "after_label"); /* in the gap: kept */
	symtab__add(st, 0x1300, 0x10, "next");
	symtab__finalize(st);

	assert_int_equal(symtab__count(st), 3);
	assert_string_equal(name_at(st, 0x1040), "func");
	assert_string_equal(name_at(st, 0x10ff), "func");
	assert_null(name_at(st, 0x1100));
	assert_string_equal(name_at(st, 0x1200), "after_label");
	assert_string_equal(name_at(st, 0x12ff), "after_label");
	assert_string_equal(name_at(st, 0x1300), "next");
	symtab__delete(st);
}

static void test_nested_ranges(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	symtab__add(st, 0, 1000, "A");
	symtab__add(st, 100, 100, "B");
	symtab__add(st, 150, 10, "C");
	symtab__add(st, 300, 100, "D");
	symtab__add(st, 900, 200, "E"); /* overlaps A's end */
	symtab__finalize(st);

	assert_string_equal(name_at(st, 50), "A");
	assert_string_equal(name_at(st, 120), "B");
	assert_string_equal(name_at(st, 155), "C");
	assert_string_equal(name_at(st, 170), "B");
	assert_string_equal(name_at(st, 250), "A");
	assert_string_equal(name_at(st, 350), "D");
	assert_string_equal(name_at(st, 450), "A");
	assert_string_equal(name_at(st, 950), "E");
	assert_string_equal(name_at(st, 1050), "E");
	assert_null(name_at(st, 1100));
	symtab__delete(st);
}

static void test_add_after_finalize(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	symtab__add(st, 0x100, 0, "a");
	symtab__add(st, 0x300, 0, "c");
	symtab__finalize(st);
	assert_string_equal(name_at(st, 0x200), "a");

	symtab__add(st, 0x200, 0, "b");
	assert_null(symtab__find(st, 0x200)); /* stale until finalized again */
	symtab__finalize(st);
	assert_int_equal(symtab__count(st), 3);
	assert_int_equal(symtab__find(st, 0x100)->size, 0x100);
	assert_string_equal(name_at(st, 0x1ff), "a");
	assert_string_equal(name_at(st, 0x200), "b");
	assert_string_equal(name_at(st, 0x300), "c");
	symtab__finalize(st); /* idempotent */
	assert_int_equal(symtab__count(st), 3);
	symtab__delete(st);
}

static void test_names(void **state)
{
	struct symtab *st = symtab__new();
	size_t big_len = 600 * 1024; /* larger than one arena chunk */
	char *big = malloc(big_len + 1);
	const char raw[] = "prefix_and_more";

	(void)state;
	assert_non_null(big);
	memset(big, 'x', big_len);
	big[big_len] = '\0';
	symtab__add(st, 0x10, 0x10, "small");
	symtab__add(st, 0x20, 0x10, big);
	symtab__add_len(st, 0x30, 0x10, raw, 6, SYMTAB_PRIO_GLOBAL);
	symtab__add(st, 0x40, 0x10, NULL);
	symtab__add(st, 0x50, 0x10, "after_big");
	free(big);
	symtab__finalize(st);

	assert_string_equal(name_at(st, 0x10), "small");
	assert_int_equal(strlen(name_at(st, 0x20)), big_len);
	assert_string_equal(name_at(st, 0x30), "prefix");
	assert_string_equal(name_at(st, 0x40), "");
	assert_string_equal(name_at(st, 0x50), "after_big");
	symtab__delete(st);
}

static void test_address_limits(void **state)
{
	struct symtab *st = symtab__new();

	(void)state;
	symtab__add(st, UINT64_MAX - 10, 100, "wraps");
	symtab__add(st, 0, 1, "zero");
	symtab__finalize(st);
	assert_string_equal(name_at(st, 0), "zero");
	assert_null(name_at(st, 1));
	assert_string_equal(name_at(st, UINT64_MAX - 10), "wraps");
	assert_string_equal(name_at(st, UINT64_MAX), "wraps");
	symtab__delete(st);

	st = symtab__new();
	symtab__add(st, UINT64_MAX - 1, 0, "last_label");
	symtab__finalize(st);
	assert_string_equal(name_at(st, UINT64_MAX - 1), "last_label");
	symtab__delete(st);
}

/* Random sized ranges at distinct starts, nested and overlapping, checked
 * against the definition: of the ranges holding addr, the greatest start. */
static void test_against_model(void **state)
{
	enum { N = 3000, Q = 20000 };
	struct {
		uint64_t start, size;
	} *r = calloc(N, sizeof(*r));
	struct symtab *st = symtab__new();
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	char name[32];
	size_t i, j;

	(void)state;
	assert_non_null(r);
	for (i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		r[i].start = i * 16 + (seed >> 60);
		r[i].size = 1 + (seed >> 33) % ((seed >> 62) == 0 ? 4000 : 40);
		snprintf(name, sizeof(name), "s%zu", i);
		symtab__add(st, r[i].start, r[i].size, name);
	}
	symtab__finalize(st);
	assert_int_equal(symtab__count(st), N);

	for (j = 0; j < Q; j++) {
		const struct tp_sym *got;
		uint64_t addr, best_start = 0;
		long best = -1;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		addr = (seed >> 20) % (N * 16 + 5000);
		for (i = 0; i < N; i++) {
			if (addr >= r[i].start && addr - r[i].start < r[i].size &&
			    (best < 0 || r[i].start > best_start)) {
				best = (long)i;
				best_start = r[i].start;
			}
		}
		got = symtab__find(st, addr);
		if (best < 0) {
			assert_null(got);
		} else {
			assert_non_null(got);
			snprintf(name, sizeof(name), "s%ld", best);
			assert_string_equal(got->name, name);
		}
	}
	symtab__delete(st);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_sorted_lookup),
		cmocka_unit_test(test_zero_size_inferred),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_labels_inside_functions),
		cmocka_unit_test(test_nested_ranges),
		cmocka_unit_test(test_add_after_finalize),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_address_limits),
		cmocka_unit_test(test_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
