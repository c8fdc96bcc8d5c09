/* SPDX-License-Identifier: Apache-2.0 */
/* Empirical CDFs from CSV and their Kolmogorov-Smirnov distance. */
#include "gpusim/cdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "gpusim/limits.h"
#include "rng_int.h"
#include "util_int.h"

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
    free(s);
    return GS_OK;
}

typedef struct cdf_reader {
    const char *path;
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
            if (!strcmp(f[i].s, "jct"))
                r->col_x = (int)i;
            else if (!strcmp(f[i].s, "fraction"))
                r->col_f = (int)i;
        }
        if (r->col_x < 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: missing column 'jct'", r->path, line);
        r->header = 1;
        return GS_OK;
    }
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    if ((size_t)r->col_x >= n || (r->col_f >= 0 && (size_t)r->col_f >= n))
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too few fields", r->path, line);
    if (f[r->col_x].len > 0 && gs__parse_double(f[r->col_x].s, f[r->col_x].len, &x) != 0)
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column 'jct': not a number '%s'", r->path,
                         line, f[r->col_x].s);
    if (x < 0 || x > GS_TIME_MAX)
        return gs_errorf(err, GS_EPARSE,
                         "'%s' line %ld: column 'jct': %s out of range [0, 315576000] s (ten "
                         "years)",
                         r->path, line, f[r->col_x].s);
    if (r->col_f >= 0) {
        if (isnan(x))
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column 'jct': empty", r->path, line);
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

int gs_cdf_load(gs_cdf *c, const char *path, gs_err *err)
{
    cdf_reader r;
    int rc;

    memset(c, 0, sizeof(*c));
    memset(&r, 0, sizeof(r));
    r.path = path;
    rc = gs__csv_read(path, cdf_row, &r, err);
    if (rc == GS_OK && !r.header)
        rc = gs_errorf(err, GS_EPARSE, "'%s' line 1: empty file", path);
    if (rc == GS_OK && r.n == 0)
        rc = gs_errorf(err, GS_EPARSE, "'%s': no data rows", path);
    if (rc == GS_OK) {
        if (r.col_f >= 0) {
            c->x = r.xs;
            c->frac = r.fs;
            c->n = r.n;
            return GS_OK;
        }
        rc = gs_cdf_from_samples(c, r.xs, r.n, err);
    }
    free(r.xs);
    free(r.fs);
    return rc;
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
