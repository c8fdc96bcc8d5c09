/* SPDX-License-Identifier: Apache-2.0 */
/* Empirical CDFs from CSV, their Kolmogorov-Smirnov distance and the two-sample KS p-value. */
#include "gpusim/cdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "rng_int.h"
#include "util_int.h"

#define KS_PI 3.14159265358979323846

void gs_cdf_release(gs_cdf *c)
{
    free(c->x);
    free(c->frac);
    memset(c, 0, sizeof(*c));
}

int gs_cdf_from_samples(gs_cdf *c, const double *v, size_t n, gs_err *err)
{
    double *s = malloc((n ? n : 1) * sizeof(*s));
    size_t i, k = 0, m = 0;

    memset(c, 0, sizeof(*c));
    if (!s)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < n; i++)
        if (!isnan(v[i]))
            s[k++] = v[i];
    if (k)
        gs__sort(s, k);
    c->x = malloc((k ? k : 1) * sizeof(double));
    c->frac = malloc((k ? k : 1) * sizeof(double));
    if (!c->x || !c->frac) {
        free(s);
        gs_cdf_release(c);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (i = 0; i < k; i++) {
        if (i + 1 < k && s[i + 1] == s[i])
            continue;
        c->x[m] = s[i];
        c->frac[m] = (double)(i + 1) / (double)n;
        m++;
    }
    c->n = m;
    c->nsamples = n;
    free(s);
    return GS_OK;
}

typedef struct cdf_reader {
    const char *path;
    const char *column;
    int col_x, col_f; /* col_f < 0: raw samples */
    int header;
    double *xs, *fs;
    size_t n, cap;
} cdf_reader;

static int cdf_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    cdf_reader *r = ctx;
    double x = NAN, fr = NAN;

    if (!r->header) {
        size_t i;
        r->col_x = r->col_f = -1;
        for (i = 0; i < n; i++) {
            if (!strcmp(f[i].s, r->column))
                r->col_x = (int)i;
            else if (!strcmp(f[i].s, "fraction"))
                r->col_f = (int)i;
        }
        if (r->col_x < 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: missing column '%s'", r->path, line,
                             r->column);
        if (r->col_f >= 0 && r->col_x != 0)
            return gs_errorf(err, GS_EPARSE,
                             "'%s' line %ld: a CDF file (with 'fraction') holds only its first "
                             "column's distribution, not '%s'",
                             r->path, line, r->column);
        r->header = 1;
        return GS_OK;
    }
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    if ((size_t)r->col_x >= n || (r->col_f >= 0 && (size_t)r->col_f >= n))
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too few fields", r->path, line);
    if (f[r->col_x].len > 0 &&
        (gs__parse_double(f[r->col_x].s, f[r->col_x].len, &x) != 0 || isnan(x) || isinf(x)))
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s': not a number '%s'", r->path,
                         line, r->column, f[r->col_x].s);
    if (fabs(x) > 1e15) /* bounded: sums and differences of samples stay exact enough */
        return gs_errorf(err, GS_EPARSE,
                         "'%s' line %ld: column '%s': %s out of range [-1e15, 1e15]", r->path, line,
                         r->column, f[r->col_x].s);
    if (r->col_f >= 0) {
        if (isnan(x))
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s': empty", r->path, line,
                             r->column);
        if (gs__parse_double(f[r->col_f].s, f[r->col_f].len, &fr) != 0 || fr < 0 || fr > 1)
            return gs_errorf(err, GS_EPARSE,
                             "'%s' line %ld: column 'fraction': expected a number in [0, 1], "
                             "got '%s'",
                             r->path, line, f[r->col_f].s);
        if (r->n > 0 && (x < r->xs[r->n - 1] || fr < r->fs[r->n - 1]))
            return gs_errorf(err, GS_EPARSE,
                             "'%s' line %ld: a CDF must not decrease (jct and fraction sorted)",
                             r->path, line);
    }
    if (r->n == r->cap) { /* xs and fs share one capacity */
        size_t cap = gs__grow_cap(r->cap, r->n + 1);
        if (GS_RESIZE(r->xs, cap) != GS_OK || GS_RESIZE(r->fs, cap) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        r->cap = cap;
    }
    r->xs[r->n] = x;
    r->fs[r->n] = fr;
    r->n++;
    return GS_OK;
}

/* The sample count behind fractions k/n printed with 6 decimals: the smallest n < 10^6 that
 * explains every one of them (each within the printing's rounding of some k/n), or 0. The
 * first step is k/n for a small k: the candidates are round(k / f0), k = 1, 2, .... */
static size_t infer_count(const double *f, size_t m)
{
    size_t k, i;

    if (m == 0 || !(f[0] > 0))
        return 0;
    for (k = 1; k <= 1000; k++) {
        double n = floor(k / f[0] + 0.5);
        if (n < 1 || n >= 1e6)
            continue;
        for (i = 0; i < m; i++) {
            double kn = f[i] * n;
            if (fabs(kn - floor(kn + 0.5)) > 5e-7 * n + 1e-9)
                break;
        }
        if (i == m)
            return (size_t)n;
    }
    return 0;
}

static int read_column(cdf_reader *r, const char *path, const char *column, gs_err *err)
{
    int rc;

    memset(r, 0, sizeof(*r));
    r->path = path;
    r->column = column;
    rc = gs__csv_read(path, cdf_row, r, err);
    if (rc == GS_OK && !r->header)
        rc = gs_errorf(err, GS_EPARSE, "'%s' line 1: empty file", path);
    if (rc == GS_OK && r->n == 0)
        rc = gs_errorf(err, GS_EPARSE, "'%s': no data rows", path);
    if (rc != GS_OK) {
        free(r->xs);
        free(r->fs);
        memset(r, 0, sizeof(*r));
    }
    return rc;
}

int gs_cdf_load_column(gs_cdf *c, const char *path, const char *column, gs_err *err)
{
    cdf_reader r;
    int rc;

    memset(c, 0, sizeof(*c));
    if ((rc = read_column(&r, path, column, err)) != GS_OK)
        return rc;
    if (r.col_f >= 0) {
        c->x = r.xs;
        c->frac = r.fs;
        c->n = r.n;
        c->nsamples = infer_count(r.fs, r.n);
        return GS_OK;
    }
    rc = gs_cdf_from_samples(c, r.xs, r.n, err);
    free(r.xs);
    free(r.fs);
    return rc;
}

int gs_cdf_load(gs_cdf *c, const char *path, gs_err *err)
{
    return gs_cdf_load_column(c, path, "jct", err);
}

int gs_samples_load(const char *path, const char *column, double **v, size_t *n, gs_err *err)
{
    cdf_reader r;
    int rc;

    *v = NULL;
    *n = 0;
    if ((rc = read_column(&r, path, column, err)) != GS_OK)
        return rc;
    free(r.fs);
    if (r.col_f >= 0) {
        free(r.xs);
        return gs_errorf(err, GS_EPARSE,
                         "'%s': a CDF file (with 'fraction'), not one value per row (use "
                         "jobs.csv)",
                         path);
    }
    *v = r.xs;
    *n = r.n;
    return GS_OK;
}

double gs_cdf_eval(const gs_cdf *c, double x)
{
    size_t lo = 0, hi = c->n;

    /* the last point with x[i] <= x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->x[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? 0 : c->frac[lo - 1];
}

double gs_cdf_ks(const gs_cdf *a, const gs_cdf *b, double *at)
{
    double best = 0, where = 0;
    size_t i;

    /* both are step functions: the supremum is reached at a jump of one of them */
    for (i = 0; i < a->n + b->n; i++) {
        double x = i < a->n ? a->x[i] : b->x[i - a->n];
        double d = fabs(gs_cdf_eval(a, x) - gs_cdf_eval(b, x));
        if (d > best) {
            best = d;
            where = x;
        }
    }
    /* and at +infinity, where unfinished jobs show */
    {
        double fa = a->n ? a->frac[a->n - 1] : 0, fb = b->n ? b->frac[b->n - 1] : 0;
        if (fabs(fa - fb) > best) {
            best = fabs(fa - fb);
            where = INFINITY;
        }
    }
    if (at)
        *at = where;
    return best;
}

double gs_kolmogorov_q(double lambda)
{
    double sum = 0, term;
    int j;

    if (!(lambda > 0))
        return 1;
    if (lambda < 1.18) {
        /* the theta-function form converges fast for small lambda:
         * 1 - Q = sqrt(2 pi) / lambda sum_{j>=1} exp(-(2j - 1)^2 pi^2 / (8 lambda^2)) */
        double y = KS_PI * KS_PI / (8 * lambda * lambda);
        for (j = 1; j <= 50; j++) {
            term = exp(-(2.0 * j - 1) * (2.0 * j - 1) * y);
            sum += term;
            if (term < 1e-17 * sum)
                break;
        }
        term = 1 - sqrt(2 * KS_PI) / lambda * sum;
        return term < 0 ? 0 : term;
    }
    for (j = 1; j <= 100; j++) {
        term = exp(-2.0 * j * j * lambda * lambda);
        sum += (j % 2 ? 1 : -1) * term;
        if (term < 1e-17)
            break;
    }
    sum *= 2;
    return sum < 0 ? 0 : sum > 1 ? 1 : sum;
}

double gs_ks_pvalue(double d, size_t n, size_t m)
{
    double e;

    if (n == 0 || m == 0)
        return NAN;
    e = sqrt((double)n * (double)m / ((double)n + (double)m));
    return gs_kolmogorov_q((e + 0.12 + 0.11 / e) * d);
}
