/* Self/total aggregation over a hand-built profile: recursion counts once in
 * total, tiers split, leaf tier mix, sorting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "analysis/functions.h"
#include "model/profile.h"

static void add_samples(struct profile *p, const uint32_t *frames, size_t n, unsigned count)
{
	uint32_t node = PROFILE_ROOT;

	for (size_t i = 0; i < n; i++)
		node = profile__child(p, node, frames[i]);
	for (unsigned i = 0; i < count; i++) {
		struct sample s = { .node = node, .pid = 1, .tid = 1 };

		if (p->nsamples == p->samples_cap) {
			p->samples_cap = p->samples_cap ? 2 * p->samples_cap : 64;
			p->samples = realloc(p->samples, p->samples_cap * sizeof(s));
		}
		p->samples[p->nsamples++] = s;
	}
}

static void test_self_total(void **state)
{
	struct profile p;
	struct func_table t;
	uint32_t fmain, fa, fb, main_n, a_opt, a_int, b_n;
	size_t n;
	uint32_t *ids;

	(void)state;
	profile__init(&p, NULL);
	fmain = profile__function(&p, "main", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	fa = profile__function(&p, "a", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	fb = profile__function(&p, "b", PROFILE_NO_DSO, UNKNOWN_NONE, 0);
	main_n = profile__frame(&p, fmain, TP_TIER_NATIVE);
	a_opt = profile__frame(&p, fa, TP_TIER_OPTIMIZED);
	a_int = profile__frame(&p, fa, TP_TIER_INTERPRETER);
	b_n = profile__frame(&p, fb, TP_TIER_NATIVE);

	/* main;a(opt) x6, main;a(int);a(opt) x2 (recursion through tiers),
	 * main;b x2 */
	add_samples(&p, (uint32_t[]){ main_n, a_opt }, 2, 6);
	add_samples(&p, (uint32_t[]){ main_n, a_int, a_opt }, 3, 2);
	add_samples(&p, (uint32_t[]){ main_n, b_n }, 2, 2);
	func_table__build(&t, &p);

	assert_int_equal(t.samples, 10);
	assert_int_equal(t.funcs[fmain].self, 0);
	assert_int_equal(t.funcs[fmain].total, 10);
	assert_int_equal(t.funcs[fa].self, 8);
	assert_int_equal(t.funcs[fa].total, 8); /* not 10: recursion counts once */
	assert_int_equal(t.funcs[fa].self_tiers[TP_TIER_OPTIMIZED], 8);
	/* total tier = the innermost occurrence's tier */
	assert_int_equal(t.funcs[fa].total_tiers[TP_TIER_OPTIMIZED], 8);
	assert_int_equal(t.funcs[fb].self, 2);
	assert_int_equal(t.leaf_tiers[TP_TIER_OPTIMIZED], 8);
	assert_int_equal(t.leaf_tiers[TP_TIER_NATIVE], 2);
	assert_int_equal(t.node_total[PROFILE_ROOT], 10);

	ids = func_table__sorted(&t, 0, &n);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], fa);
	assert_int_equal(ids[1], fb);
	assert_int_equal(ids[2], fmain);
	free(ids);
	ids = func_table__sorted(&t, 1, &n);
	assert_int_equal(ids[0], fmain);
	free(ids);

	func_table__exit(&t);
	profile__exit(&p);
}

static void test_stderr(void **state)
{
	(void)state;
	assert_true(share_stderr(0, 0) == 0);
	assert_true(share_stderr(50, 100) > 0.0499 && share_stderr(50, 100) < 0.0501);
	assert_true(share_stderr(100, 100) == 0);
}

static void test_function_identity(void **state)
{
	struct profile p;

	(void)state;
	profile__init(&p, NULL);
	/* Same name in another DSO, or another unknown cause, is another function. */
	uint32_t a = profile__function(&p, "f", 1, UNKNOWN_NONE, 0);
	uint32_t b = profile__function(&p, "f", 2, UNKNOWN_NONE, 0);
	uint32_t c = profile__function(&p, "f", 1, UNKNOWN_NONE, 0);
	uint32_t d = profile__function(&p, "[unknown]", 1, UNKNOWN_NO_SYMBOLS, 0);
	uint32_t e = profile__function(&p, "[unknown]", 1, UNKNOWN_DSO_MISSING, 0);

	assert_int_not_equal(a, b);
	assert_int_equal(a, c);
	assert_int_not_equal(d, e);
	profile__exit(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_total),
		cmocka_unit_test(test_stderr),
		cmocka_unit_test(test_function_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
