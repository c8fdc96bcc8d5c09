/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics over the runs of an experiment: the mean of a metric over independent samples
 * (traces) with a bootstrap confidence interval, and paired comparisons of two policies on the
 * same samples (paired t, Wilcoxon signed-rank and sign tests). docs/workflow.md shows them in
 * use (`gpusim stats`, `gpusim paired`). */
#ifndef GPUSIM_STATS_H
#define GPUSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/err.h"

/* A mean and its confidence interval. */
typedef struct gs_ci {
    size_t n;    /* values */
    double mean; /* their mean */
    double lo;   /* the interval; lo = hi = mean when n == 1 */
    double hi;
    double sd; /* sample standard deviation (0 when n < 2) */
} gs_ci;

/* Bootstrap defaults: a 95 % percentile interval from 10,000 resamples. */
#define GS_STATS_LEVEL     0.95
#define GS_STATS_RESAMPLES 10000

/* The mean of v[0..n) (n >= 1, finite values) and its percentile-bootstrap interval at level
 * (0 < level < 1): resamples (100 .. 10^7) means of n values drawn with replacement, seeded by
 * seed, and their (1 - level)/2 and (1 + level)/2 quantiles (linear interpolation). The same
 * arguments give the same interval. With few samples (n of 5 to 10) the percentile interval is
 * somewhat narrower than its nominal level. Returns GS_OK, GS_EINVAL (n 0, a non-finite value,
 * level or resamples out of range) or GS_ENOMEM. */
int gs_stats_mean_ci(const double *v, size_t n, double level, size_t resamples, uint64_t seed,
                     gs_ci *out, gs_err *err);

/* A paired comparison of a[i] and b[i] (the same sample i under two conditions). */
typedef struct gs_paired {
    size_t n;      /* pairs */
    double mean_a; /* means of a and of b */
    double mean_b;
    gs_ci diff;        /* a - b: mean, bootstrap interval, sd */
    gs_ci log_ratio;   /* ln(a / b), when every a and b is > 0 (else n = 0 and NAN) */
    double t;          /* paired t statistic (NAN when every difference is equal) */
    double t_p;        /* its two-sided p-value, Student t with n - 1 degrees of freedom (GSL) */
    double wilcoxon_w; /* Wilcoxon signed-rank statistic: sum of the ranks of positive
                        * differences (zeros dropped, ties at mid-ranks) */
    double wilcoxon_p; /* two-sided p: exact (all 2^m sign patterns, m <= 200 non-zero
                        * differences), else the normal approximation with tie correction */
    size_t a_lower;    /* pairs with a < b, a > b, a == b */
    size_t a_higher;
    size_t ties;
    double sign_p; /* two-sided sign test on a_lower vs a_higher (binomial, GSL) */
} gs_paired;

/* Compares a and b over n >= 2 pairs of finite values; the intervals as gs_stats_mean_ci (both
 * seeded by seed). p-values are 1 when a and b never differ. Returns GS_OK, GS_EINVAL or
 * GS_ENOMEM. */
int gs_stats_paired(const double *a, const double *b, size_t n, double level, size_t resamples,
                    uint64_t seed, gs_paired *out, gs_err *err);

#endif
