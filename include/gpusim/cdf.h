/* SPDX-License-Identifier: Apache-2.0 */
/* Empirical distributions of a result column (JCT, queueing delay, FTF, ...), their
 * Kolmogorov-Smirnov distance and the two-sample KS p-value (CI regression checks). */
#ifndef GPUSIM_CDF_H
#define GPUSIM_CDF_H

#include <stddef.h>

#include "gpusim/err.h"

/* A right-continuous step CDF: F(x) = frac[i] for x in [x[i], x[i+1]), 0 below x[0]. */
typedef struct gs_cdf {
    double *x;
    double *frac;
    size_t n;
    /* the number of samples behind it (unfinished ones included), 0 when unknown */
    size_t nsamples;
} gs_cdf;

/* Reads a CDF from CSV: either "jct,fraction" (jct_cdf.csv) or any file with a "jct" column
 * (jobs.csv: empty cells are unfinished jobs, which keep the CDF below 1). Errors name the
 * file and line: missing column, a non-number, decreasing values, fractions outside [0, 1].
 * For a "jct,fraction" file nsamples is inferred from the fractions (each is k/n printed with 6
 * decimals): the smallest n, below 10^6, that explains them all, else 0. */
int gs_cdf_load(gs_cdf *c, const char *path, gs_err *err);
/* The same for column column (e.g. "queue_delay", "ftf"); a "fraction" file only for its own
 * first column. */
int gs_cdf_load_column(gs_cdf *c, const char *path, const char *column, gs_err *err);
/* The raw values of column column of a CSV file (empty cells as NAN), *v malloc'd (free it).
 * Errors as gs_cdf_load; a file that is a CDF ("fraction" column) is an error here. */
int gs_samples_load(const char *path, const char *column, double **v, size_t *n, gs_err *err);
/* Builds a CDF from n samples (nan = unfinished). */
int gs_cdf_from_samples(gs_cdf *c, const double *v, size_t n, gs_err *err);
void gs_cdf_release(gs_cdf *c);
/* F(x). */
double gs_cdf_eval(const gs_cdf *c, double x);
/* sup_x |A(x) - B(x)|; *at (may be NULL) receives an x where it is reached. */
double gs_cdf_ks(const gs_cdf *a, const gs_cdf *b, double *at);

/* Q_KS(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2): the Kolmogorov distribution's
 * upper tail, P(sqrt(n) D > lambda) as n grows (Kolmogorov 1933); 1 at lambda <= 0. */
double gs_kolmogorov_q(double lambda);

/* The p-value of the two-sample Kolmogorov-Smirnov test for distance d between samples of n and
 * m values: Q_KS((sqrt(e) + 0.12 + 0.11 / sqrt(e)) d), e = n m / (n + m) (Stephens' small-sample
 * correction, as in Numerical Recipes, 3rd ed., section 14.3.3). Ties (e.g. unfinished jobs
 * at infinity) make it conservative. NAN when n or m is 0. */
double gs_ks_pvalue(double d, size_t n, size_t m);

#endif
