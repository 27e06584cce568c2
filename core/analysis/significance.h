/* Significance tests for comparing two captures (tierprof diff, check,
 * health). Samples within one run are autocorrelated (JIT warm-up, GC,
 * phases), so a share's variance is not the binomial p(1-p)/n: each run is
 * cut into K time slices of equal sample counts and the variance of a share
 * is estimated from the spread of its per-slice shares (never below the
 * binomial variance). Two runs are compared with Welch's t-test on those
 * slice estimates; many comparisons at once are corrected with Holm
 * (family-wise error) or Benjamini-Hochberg (false discovery rate).
 *
 * Pure functions on numbers; no allocation except where stated. */
#ifndef TP_ANALYSIS_SIGNIFICANCE_H
#define TP_ANALYSIS_SIGNIFICANCE_H

#include <stddef.h>
#include <stdint.h>

/* Treated as "normal" degrees of freedom: the binomial floor, not the slices,
 * set the variance. */
#define STAT_DF_INF 1e9

/* Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
double stat_incbeta(double a, double b, double x);
/* Two-sided p-value of a t statistic with df degrees of freedom (df >=
 * STAT_DF_INF: the normal distribution). */
double stat_t_p2(double t, double df);
/* Two-sided p-value of a standard normal z. */
double stat_normal_p2(double z);
/* Quantile of the standard normal: x with P(Z <= x) = q, 0 < q < 1. */
double stat_normal_quantile(double q);

/* One run's estimate of a share from per-slice counts. */
struct share_est {
	double share;	/* sum(count) / sum(n) */
	double var;	/* variance of share: max(slice variance / K, binomial) */
	double df;	/* degrees of freedom of var: K - 1, or STAT_DF_INF */
	uint64_t count; /* sum(count) */
	uint64_t n;	/* sum(n) */
};

/* counts[k] of n[k] samples in slice k, k < nslices. Slices with n[k] == 0
 * are skipped. The binomial floor uses (count + 0.5) / (n + 1) so that a
 * share of 0 or 1 still has some variance. */
void share_est__from_slices(struct share_est *e, const uint64_t *counts, const uint64_t *n,
			    size_t nslices);

struct welch {
	double diff; /* b.share - a.share */
	double se;   /* standard error of diff */
	double t, df;
	double p; /* two-sided */
};

/* Welch's t-test of b.share - a.share = 0. */
void stat_welch(const struct share_est *a, const struct share_est *b, struct welch *w);

/* Change of an absolute count between runs (CPU time of a function or of
 * the whole run): log ratio of (share * samples), with the share's relative
 * variance from the slices, the count's Poisson variance, and rel_noise, the
 * relative standard deviation a run's total has from run to run (which one
 * run cannot show). Returns the two-sided p-value; *ratio = b / a. */
double stat_count_change(const struct share_est *a, const struct share_est *b, double rel_noise,
			 double *ratio);

enum stat_correction { STAT_HOLM, STAT_BH };

/* Adjusted p-values of p[0..n) into adj[0..n) (may alias p): Holm's
 * step-down or Benjamini-Hochberg's step-up, each monotone and capped at 1.
 * Allocates a scratch index array. */
void stat_adjust(const double *p, size_t n, enum stat_correction c, double *adj);
/* "holm" / "bh" -> 0 and *c set; -1 otherwise. */
int stat_correction__parse(const char *s, enum stat_correction *c);
const char *stat_correction__name(enum stat_correction c);

#endif
