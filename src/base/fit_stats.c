/* SPDX-License-Identifier: Apache-2.0 */
/* Means with bootstrap intervals and paired tests over the runs of an experiment (GSL's t and
 * binomial distributions; our own exact Wilcoxon signed-rank distribution, which GSL lacks). */
#include "gpusim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng_int.h"

static int check_args(size_t n, double level, size_t resamples, gs_err *err)
{
    if (n == 0)
        return gs_errorf(err, GS_EINVAL, "no value to average");
    if (!(level > 0 && level < 1))
        return gs_errorf(err, GS_EINVAL, "confidence level must be in (0, 1), got %g", level);
    if (resamples < 100 || resamples > 10000000)
        return gs_errorf(err, GS_EINVAL, "bootstrap resamples must be 100 to 1e7, got %zu",
                         resamples);
    return GS_OK;
}

int gs_stats_mean_ci(const double *v, size_t n, double level, size_t resamples, uint64_t seed,
                     gs_ci *out, gs_err *err)
{
    double *means;
    gs__rng *rng;
    size_t b, i;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = check_args(n, level, resamples, err)) != GS_OK)
        return rc;
    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return gs_errorf(err, GS_EINVAL, "value %zu is not a finite number", i + 1);
    out->n = n;
    out->mean = gs__mean(v, n);
    out->sd = gs__sd(v, n);
    if (n == 1) {
        out->lo = out->hi = out->mean;
        return GS_OK;
    }
    means = malloc(resamples * sizeof(*means));
    rng = gs__rng_new(gs__seed_mix(seed) ^ 0x626f6f74ull);
    if (!means || !rng) {
        free(means);
        gs__rng_free(rng);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (b = 0; b < resamples; b++) {
        double s = 0;
        for (i = 0; i < n; i++)
            s += v[gs__rng_int(rng, n)];
        means[b] = s / (double)n;
    }
    gs__sort(means, resamples);
    out->lo = gs__quantile_sorted(means, resamples, (1 - level) / 2);
    out->hi = gs__quantile_sorted(means, resamples, (1 + level) / 2);
    /* the resampled means can differ from the mean in the last bits when all are equal */
    if (out->lo > out->mean)
        out->lo = out->mean;
    if (out->hi < out->mean)
        out->hi = out->mean;
    free(means);
    gs__rng_free(rng);
    return GS_OK;
}

typedef struct absd {
    double a; /* |difference| */
    int pos;  /* the difference is > 0 */
} absd;

static int by_abs(const void *x, const void *y)
{
    double a = ((const absd *)x)->a, b = ((const absd *)y)->a;
    return (a > b) - (a < b);
}

#define WILCOXON_EXACT_MAX 200

/* Wilcoxon signed-rank test of the non-zero differences d[0..m): W+ and its two-sided p. Ranks
 * are doubled (mid-ranks of ties are halves) so the exact null distribution, every sign pattern
 * equally likely, is a count over integers. */
static int wilcoxon(absd *d, size_t m, double *w, double *p, gs_err *err)
{
    size_t i, j;
    long *r2, total = 0, wobs = 0, s;
    double tie = 0;

    *w = 0;
    *p = 1;
    if (m == 0)
        return GS_OK;
    if (!(r2 = malloc(m * sizeof(*r2))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    qsort(d, m, sizeof(*d), by_abs);
    for (i = 0; i < m; i = j) {
        for (j = i; j < m && d[j].a == d[i].a; j++)
            ;
        for (s = (long)i; s < (long)j; s++) /* mid-rank of ranks i+1 .. j, doubled */
            r2[s] = (long)(i + 1 + j);
        tie += (double)(j - i) * (double)(j - i) * (double)(j - i) - (double)(j - i);
    }
    for (i = 0; i < m; i++) {
        total += r2[i];
        if (d[i].pos)
            wobs += r2[i];
    }
    *w = wobs / 2.0;
    if (m <= WILCOXON_EXACT_MAX) {
        /* cnt[s]: sign patterns whose doubled W+ is s; as doubles (up to 2^200 patterns) */
        double *cnt = calloc((size_t)total + 1, sizeof(*cnt)), tail = 0, all = 0;
        long dev = labs(2 * wobs - total);
        if (!cnt) {
            free(r2);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        cnt[0] = 1;
        for (i = 0, s = 0; i < m; i++) {
            long k;
            s += r2[i];
            for (k = s; k >= r2[i]; k--)
                cnt[k] += cnt[k - r2[i]];
        }
        for (s = 0; s <= total; s++) {
            all += cnt[s];
            if (labs(2 * s - total) >= dev)
                tail += cnt[s];
        }
        *p = tail / all;
        free(cnt);
    } else {
        double mean = (double)total / 4, var = ((double)m * (m + 1) * (2 * m + 1) - tie / 2) / 24;
        double z = (fabs(*w - mean) - 0.5) / sqrt(var);
        *p = z > 0 ? 2 * gsl_cdf_ugaussian_Q(z) : 1;
    }
    if (*p > 1)
        *p = 1;
    free(r2);
    return GS_OK;
}

int gs_stats_paired(const double *a, const double *b, size_t n, double level, size_t resamples,
                    uint64_t seed, gs_paired *out, gs_err *err)
{
    double *d = NULL, *lr = NULL;
    absd *nz = NULL;
    size_t i, m = 0, npos = 1;
    int rc;

    memset(out, 0, sizeof(*out));
    out->t = out->t_p = out->log_ratio.mean = NAN;
    if (n < 2)
        return gs_errorf(err, GS_EINVAL, "a paired comparison needs 2 pairs or more, got %zu", n);
    if ((rc = check_args(n, level, resamples, err)) != GS_OK)
        return rc;
    d = malloc(n * sizeof(*d));
    lr = malloc(n * sizeof(*lr));
    nz = malloc(n * sizeof(*nz));
    if (!d || !lr || !nz) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    out->n = n;
    for (i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i])) {
            rc = gs_errorf(err, GS_EINVAL, "pair %zu is not two finite numbers", i + 1);
            goto out;
        }
        d[i] = a[i] - b[i];
        npos &= a[i] > 0 && b[i] > 0;
        lr[i] = npos ? log(a[i] / b[i]) : 0;
        out->mean_a += a[i] / (double)n;
        out->mean_b += b[i] / (double)n;
        if (d[i] < 0)
            out->a_lower++;
        else if (d[i] > 0)
            out->a_higher++;
        else
            out->ties++;
        if (d[i] != 0) {
            nz[m].a = fabs(d[i]);
            nz[m++].pos = d[i] > 0;
        }
    }
    if ((rc = gs_stats_mean_ci(d, n, level, resamples, seed, &out->diff, err)) != GS_OK)
        goto out;
    if (npos &&
        (rc = gs_stats_mean_ci(lr, n, level, resamples, seed, &out->log_ratio, err)) != GS_OK)
        goto out;
    if (!npos) {
        memset(&out->log_ratio, 0, sizeof(out->log_ratio));
        out->log_ratio.mean = out->log_ratio.lo = out->log_ratio.hi = NAN;
    }
    if (out->diff.sd > 0) {
        out->t = out->diff.mean / (out->diff.sd / sqrt((double)n));
        out->t_p = 2 * gsl_cdf_tdist_Q(fabs(out->t), (double)(n - 1));
    } else {
        out->t_p = out->diff.mean == 0 ? 1 : 0;
    }
    if ((rc = wilcoxon(nz, m, &out->wilcoxon_w, &out->wilcoxon_p, err)) != GS_OK)
        goto out;
    {
        unsigned k = (unsigned)(out->a_lower < out->a_higher ? out->a_lower : out->a_higher);
        unsigned nn = (unsigned)(out->a_lower + out->a_higher);
        out->sign_p = nn ? 2 * gsl_cdf_binomial_P(k, 0.5, nn) : 1;
        if (out->sign_p > 1)
            out->sign_p = 1;
    }
out:
    free(d);
    free(lr);
    free(nz);
    return rc;
}
