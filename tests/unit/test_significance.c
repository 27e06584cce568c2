/* The statistics of tierprof diff on known values: the incomplete beta and
 * t distribution against published quantiles and mpmath, slice estimates,
 * Welch's test, Holm and Benjamini-Hochberg adjustments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "analysis/significance.h"

static void test_incbeta(void **state)
{
	(void)state;
	/* I_0.4(2, 3) = sum_{j=2..4} C(4,j) 0.4^j 0.6^(4-j) */
	assert_true(fabs(stat_incbeta(2, 3, 0.4) - 0.5248) < 1e-12);
	/* mpmath.betainc(0.5, 7.5, 0, 0.2, regularized=True) */
	assert_true(fabs(stat_incbeta(0.5, 7.5, 0.2) - 0.9281204024988) < 1e-10);
	assert_true(stat_incbeta(3, 4, 0) == 0);
	assert_true(stat_incbeta(3, 4, 1) == 1);
	/* symmetry I_x(a, b) = 1 - I_{1-x}(b, a) */
	assert_true(fabs(stat_incbeta(2.5, 1.5, 0.7) - (1 - stat_incbeta(1.5, 2.5, 0.3))) < 1e-12);
}

static void test_t_and_normal(void **state)
{
	(void)state;
	/* t tables: two-sided 5% at df 1, 10; the normal at infinity */
	assert_true(fabs(stat_t_p2(12.7062047, 1) - 0.05) < 1e-6);
	assert_true(fabs(stat_t_p2(2.228138852, 10) - 0.05) < 1e-8);
	assert_true(fabs(stat_t_p2(-2.228138852, 10) - 0.05) < 1e-8);
	assert_true(fabs(stat_t_p2(1.959963985, STAT_DF_INF) - 0.05) < 1e-8);
	assert_true(fabs(stat_normal_p2(2.575829304) - 0.01) < 1e-8);
	assert_true(stat_t_p2(0, 5) == 1);
	assert_true(stat_t_p2(INFINITY, 5) == 0);
	assert_true(stat_t_p2(NAN, 5) == 1);
	assert_true(fabs(stat_normal_quantile(0.975) - 1.959963985) < 1e-8);
	assert_true(fabs(stat_normal_quantile(0.5)) < 1e-10);
}

static void test_share_est(void **state)
{
	const uint64_t spread[] = { 0, 0, 8, 8 }, flat[] = { 5, 5, 5, 5 };
	const uint64_t n[] = { 10, 10, 10, 10 }, n_gap[] = { 10, 0, 10, 10 };
	const uint64_t none[] = { 0, 0, 0, 0 };
	struct share_est e;

	(void)state;
	/* shares 0, 0, .8, .8: slice variance .21333 / 4 beats the binomial */
	share_est__from_slices(&e, spread, n, 4);
	assert_int_equal(e.count, 16);
	assert_int_equal(e.n, 40);
	assert_true(fabs(e.share - 0.4) < 1e-12);
	assert_true(fabs(e.var - 0.64 / 3 / 4) < 1e-12);
	assert_true(e.df == 3);
	/* equal slices: the binomial floor, (20.5/41)(20.5/41)/40 */
	share_est__from_slices(&e, flat, n, 4);
	assert_true(fabs(e.var - 0.25 / 40) < 1e-12);
	assert_true(e.df >= STAT_DF_INF);
	/* an empty slice is skipped, not a share of 0 */
	share_est__from_slices(&e, flat, n_gap, 4);
	assert_int_equal(e.n, 30);
	assert_true(fabs(e.share - 0.5) < 1e-12);
	/* never seen: share 0, still some variance */
	share_est__from_slices(&e, none, n, 4);
	assert_true(e.share == 0 && e.var > 0);
	/* no samples at all */
	share_est__from_slices(&e, none, none, 4);
	assert_true(e.n == 0 && e.var == 0);
}

static void test_welch(void **state)
{
	const uint64_t spread[] = { 0, 0, 8, 8 }, flat[] = { 5, 5, 5, 5 };
	const uint64_t n[] = { 10, 10, 10, 10 };
	struct share_est a, b;
	struct welch w;

	(void)state;
	share_est__from_slices(&a, spread, n, 4);
	share_est__from_slices(&b, flat, n, 4);
	stat_welch(&a, &b, &w);
	assert_true(fabs(w.diff - 0.1) < 1e-12);
	assert_true(fabs(w.se - sqrt(0.64 / 12 + 0.00625)) < 1e-12);
	/* Welch-Satterthwaite with the binomial side at infinite df */
	assert_true(fabs(w.df - 3.7443) < 1e-3);
	/* mpmath: 2 * t.sf(0.409677, 3.7443) */
	assert_true(fabs(w.p - 0.704387) < 1e-4);
	/* identical runs: no difference, p = 1 */
	stat_welch(&b, &b, &w);
	assert_true(w.diff == 0 && w.p == 1);
}

static void test_count_change(void **state)
{
	const uint64_t n1[] = { 100, 100, 100, 100 }, n2[] = { 50, 50, 50, 50 };
	struct share_est a, b;
	double ratio, p_big, p_noise, p_same;

	(void)state;
	share_est__from_slices(&a, n1, n1, 4); /* a total: share 1 */
	share_est__from_slices(&b, n2, n2, 4);
	p_big = stat_count_change(&a, &b, 0.05, &ratio);
	assert_true(fabs(ratio - 0.5) < 1e-12);
	assert_true(p_big < 1e-6);
	/* with 40% run-to-run noise, halving is not significant */
	p_noise = stat_count_change(&a, &b, 0.4, &ratio);
	assert_true(p_noise > 0.05);
	p_same = stat_count_change(&a, &a, 0.05, &ratio);
	assert_true(p_same == 1 && ratio == 1);
}

static void test_adjust(void **state)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005 };
	double adj[4];

	(void)state;
	/* Holm: 0.005*4, 0.01*3, 0.03*2, max(0.04*1, 0.06) */
	stat_adjust(p, 4, STAT_HOLM, adj);
	assert_true(fabs(adj[0] - 0.03) < 1e-12);
	assert_true(fabs(adj[1] - 0.06) < 1e-12);
	assert_true(fabs(adj[2] - 0.06) < 1e-12);
	assert_true(fabs(adj[3] - 0.02) < 1e-12);
	/* BH: 0.005*4/1, 0.01*4/2, 0.03*4/3, 0.04*4/4, running minimum down */
	stat_adjust(p, 4, STAT_BH, adj);
	assert_true(fabs(adj[0] - 0.02) < 1e-12);
	assert_true(fabs(adj[1] - 0.04) < 1e-12);
	assert_true(fabs(adj[2] - 0.04) < 1e-12);
	assert_true(fabs(adj[3] - 0.02) < 1e-12);
	/* capped at 1; in place; empty */
	{
		double q[] = { 0.5, 0.9 };
		enum stat_correction c;

		stat_adjust(q, 2, STAT_HOLM, q);
		assert_true(q[0] == 1 && q[1] == 1);
		stat_adjust(q, 0, STAT_BH, q);
		assert_int_equal(stat_correction__parse("bh", &c), 0);
		assert_int_equal(c, STAT_BH);
		assert_int_equal(stat_correction__parse("bonferroni", &c), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incbeta),	     cmocka_unit_test(test_t_and_normal),
		cmocka_unit_test(test_share_est),    cmocka_unit_test(test_welch),
		cmocka_unit_test(test_count_change), cmocka_unit_test(test_adjust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
