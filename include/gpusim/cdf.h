/* SPDX-License-Identifier: Apache-2.0 */
/* Empirical JCT distributions and their Kolmogorov-Smirnov distance (CI regression checks). */
#ifndef GPUSIM_CDF_H
#define GPUSIM_CDF_H

#include <stddef.h>

#include "gpusim/err.h"

/* A right-continuous step CDF: F(x) = frac[i] for x in [x[i], x[i+1]), 0 below x[0]. */
typedef struct gs_cdf {
    double *x;
    double *frac;
    size_t n;
} gs_cdf;

/* Reads a CDF from CSV: either "jct,fraction" (jct_cdf.csv) or any file with a "jct" column
 * (jobs.csv: empty cells are unfinished jobs, which keep the CDF below 1). Errors name the
 * file and line: missing column, a non-number, decreasing values, fractions outside [0, 1]. */
int gs_cdf_load(gs_cdf *c, const char *path, gs_err *err);
/* Builds a CDF from n samples (nan = unfinished). */
int gs_cdf_from_samples(gs_cdf *c, const double *v, size_t n, gs_err *err);
void gs_cdf_release(gs_cdf *c);
/* F(x). */
double gs_cdf_eval(const gs_cdf *c, double x);
/* sup_x |A(x) - B(x)|; *at (may be NULL) receives an x where it is reached. */
double gs_cdf_ks(const gs_cdf *a, const gs_cdf *b, double *at);

#endif
