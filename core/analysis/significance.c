#include "significance.h"
#include "../util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Continued fraction of I_x(a, b) (modified Lentz), valid for
 * x < (a + 1) / (a + b + 2); the caller uses the symmetry otherwise. */
static double incbeta_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-15;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, num, del;

		/* even step */
		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		if (fabs(c) < tiny)
			c = tiny;
		h *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		if (fabs(c) < tiny)
			c = tiny;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

double stat_incbeta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * incbeta_cf(a, b, x) / a;
	return 1 - front * incbeta_cf(b, a, 1 - x) / b;
}

double stat_normal_p2(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

double stat_t_p2(double t, double df)
{
	if (isnan(t) || df <= 0)
		return 1;
	if (isinf(t))
		return 0;
	if (df >= STAT_DF_INF)
		return stat_normal_p2(t);
	return stat_incbeta(df / 2, 0.5, df / (df + t * t));
}

double stat_normal_quantile(double q)
{
	double lo = -40, hi = 40;

	if (q <= 0)
		return -INFINITY;
	if (q >= 1)
		return INFINITY;
	/* P(Z <= x) = erfc(-x / sqrt 2) / 2 is monotone: bisect to double
	 * precision (a few dozen steps; never on a hot path). */
	for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(-mid / M_SQRT2) / 2 < q)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

void share_est__from_slices(struct share_est *e, const uint64_t *counts, const uint64_t *n,
			    size_t nslices)
{
	double mean, ss = 0, slice_var, binom, pc;
	size_t k = 0;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < nslices; i++) {
		if (!n[i])
			continue;
		e->count += counts[i];
		e->n += n[i];
		k++;
	}
	if (!e->n) {
		e->df = STAT_DF_INF;
		return;
	}
	mean = (double)e->count / (double)e->n;
	e->share = mean;
	for (size_t i = 0; i < nslices; i++) {
		double s;

		if (!n[i])
			continue;
		s = (double)counts[i] / (double)n[i];
		ss += (s - mean) * (s - mean);
	}
	slice_var = k > 1 ? ss / (double)(k - 1) / (double)k : 0;
	pc = ((double)e->count + 0.5) / ((double)e->n + 1);
	binom = pc * (1 - pc) / (double)e->n;
	if (k > 1 && slice_var > binom) {
		e->var = slice_var;
		e->df = (double)(k - 1);
	} else {
		e->var = binom;
		e->df = STAT_DF_INF;
	}
}

void stat_welch(const struct share_est *a, const struct share_est *b, struct welch *w)
{
	double va = a->var, vb = b->var, den = 0;

	memset(w, 0, sizeof(*w));
	w->diff = b->share - a->share;
	w->se = sqrt(va + vb);
	if (w->se <= 0) {
		w->t = 0;
		w->df = STAT_DF_INF;
		w->p = w->diff == 0 ? 1 : 0;
		return;
	}
	w->t = w->diff / w->se;
	/* Welch-Satterthwaite; an infinite-df side adds nothing below. */
	if (a->df < STAT_DF_INF)
		den += va * va / a->df;
	if (b->df < STAT_DF_INF)
		den += vb * vb / b->df;
	w->df = den > 0 ? (va + vb) * (va + vb) / den : STAT_DF_INF;
	if (w->df > STAT_DF_INF)
		w->df = STAT_DF_INF;
	w->p = stat_t_p2(w->t, w->df);
}

static double count_relvar(const struct share_est *e, double rel_noise)
{
	double s = ((double)e->count + 0.5) / ((double)e->n + 1);

	/* share (slices) + total (Poisson) + the total's run-to-run noise */
	return e->var / (s * s) + 1 / ((double)e->n + 0.5) + rel_noise * rel_noise;
}

double stat_count_change(const struct share_est *a, const struct share_est *b, double rel_noise,
			 double *ratio)
{
	double xa = (double)a->count + 0.5, xb = (double)b->count + 0.5, z;

	*ratio = a->count ? (double)b->count / (double)a->count : INFINITY;
	if (!a->count && !b->count) {
		*ratio = 1;
		return 1;
	}
	z = log(xb / xa) / sqrt(count_relvar(a, rel_noise) + count_relvar(b, rel_noise));
	return stat_normal_p2(z);
}

static const double *sort_p;

static int cmp_p(const void *x, const void *y)
{
	double a = sort_p[*(const size_t *)x], b = sort_p[*(const size_t *)y];

	if (a != b)
		return a < b ? -1 : 1;
	return (*(const size_t *)x > *(const size_t *)y) -
	       (*(const size_t *)x < *(const size_t *)y);
}

void stat_adjust(const double *p, size_t n, enum stat_correction c, double *adj)
{
	size_t *idx;
	double *out, run;

	if (!n)
		return;
	idx = tp_xcalloc(n, sizeof(*idx));
	out = tp_xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_p = p;
	qsort(idx, n, sizeof(*idx), cmp_p);
	if (c == STAT_HOLM) {
		/* p_(i) * (n - i), running maximum from the smallest */
		run = 0;
		for (size_t i = 0; i < n; i++) {
			double v = p[idx[i]] * (double)(n - i);

			if (v > run)
				run = v;
			out[idx[i]] = run > 1 ? 1 : run;
		}
	} else {
		/* p_(i) * n / (i + 1), running minimum from the largest */
		run = 1;
		for (size_t i = n; i-- > 0;) {
			double v = p[idx[i]] * (double)n / (double)(i + 1);

			if (v < run)
				run = v;
			out[idx[i]] = run;
		}
	}
	memcpy(adj, out, n * sizeof(*adj));
	free(out);
	free(idx);
}

int stat_correction__parse(const char *s, enum stat_correction *c)
{
	if (!strcmp(s, "holm"))
		*c = STAT_HOLM;
	else if (!strcmp(s, "bh"))
		*c = STAT_BH;
	else
		return -1;
	return 0;
}

const char *stat_correction__name(enum stat_correction c)
{
	return c == STAT_HOLM ? "holm" : "bh";
}
