/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the trace generator's models on the published ACME figures, by nonlinear
 * least squares (GSL): the developer tool `fit_tracegen DIR` (tools/fit_tracegen_main.c) writes
 * src/core/tracegen_params.h. It is built from tools/ and is not part of gpusim or its library. */
#include "tracegen_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_int.h"
#include "lsq.h"

#define MAXT   16  /* job types */
#define MAXPTS 40  /* points of one published CDF */
#define MAXOUT 256 /* published outlier values of one type */

/* CDF residuals are (F - P) / sqrt(P (1 - P) + CDF_FLOOR): points near 0 or 1 count more, as
 * binomial noise would make them, without letting any one point dominate. */
#define CDF_FLOOR 0.01
/* Bounds of the log-normal components (ln seconds; sigma): a component may sit anywhere from
 * 0.05 s to the cap, and be from a near-spike (one value of the published grid) to 4. */
#define MU_MIN    -3.0
#define SIGMA_MIN 0.05
#define SIGMA_MAX 4.0
#define MAXITER   2000

enum { DUR, QUEUE };

/* ---- what the figure files say, for one type ---- */

typedef struct fig_type {
    char name[32];
    double share;      /* % of the cluster's GPU jobs */
    double time_share; /* % of the cluster's GPU time */
    double trace_jobs; /* the cluster's GPU jobs in the released trace (outlier counts' base) */
    int have_box;
    int box[5]; /* whisker_low, q1, median, q3, whisker_high */
    int nout;
    int out_g[MAXOUT];
    double out_n[MAXOUT];
    int npt[2]; /* duration, queue */
    double x[2][MAXPTS], pct[2][MAXPTS];
} fig_type;

typedef struct figs {
    const char *cluster; /* "Seren" or "Kalos": the rows read */
    double trace_jobs;   /* its GPU jobs in the released trace (tracegen_int.h) */
    fig_type t[MAXT];
    int n;
    /* cluster_summary.csv, the cluster's row: GPU jobs, and the states' shares of them and of GPU
     * time */
    int have_summary;
    double gpu_jobs, gpu_time;           /* GPU-seconds of all GPU jobs */
    double state_jobs[3], state_time[3]; /* COMPLETED, CANCELLED, FAILED; GPU-seconds */
    double mean_run, mean_gpus;          /* per GPU job: a consistency check of the models */
} figs;

/* The clusters calibrated, their GPU jobs in the released traces (tracegen_int.h: the base of
 * the published outlier counts), and the tables each one's parameters go to. */
static const struct cluster_def {
    const char *name, *table, *states;
    double trace_jobs;
} clusters[] = {
    {"Seren", "gs__tg_fitted", "gs__tg_state_model", GS__TG_SEREN_GPU_JOBS},
    {"Kalos", "gs__tg_fitted_kalos", "gs__tg_state_model_kalos", GS__TG_KALOS_GPU_JOBS},
};

/* ---- reading ---- */

enum { F_SHARE, F_BOX, F_OUT, F_CDF, F_SUMMARY };

static const char *const file_names[] = {"job_type_share.csv", "gpu_num_boxplot_by_type.csv",
                                         "gpu_num_outliers_by_type.csv",
                                         "cdf_duration_queue_by_type.csv", "cluster_summary.csv"};
/* the columns each file needs, by name (the first is always the cluster) */
static const char *const file_cols[][11] = {
    {"cluster", "type", "share_of_gpu_jobs_percent", "share_of_gpu_time_percent", NULL},
    {"cluster", "type", "whisker_low", "q1", "median", "q3", "whisker_high", NULL},
    {"cluster", "type", "gpu_num", "jobs", NULL},
    {"cluster", "type", "metric", "x_seconds", "cdf_percent", NULL},
    {"id", "gpu_job_num", "complete_rate_gpu", "cancel_rate_gpu", "fail_rate_gpu",
     "complete_gpu_time", "cancel_gpu_time", "fail_gpu_time", "avg_run_time_gpu", "avg_gpu_num"},
};

typedef struct reader {
    figs *f;
    int kind;
    const char *path;
    int col[11];
    int ncol;
    int header_seen;
} reader;

static fig_type *find_type(figs *f, const char *name)
{
    int i;

    for (i = 0; i < f->n; i++)
        if (!strcmp(f->t[i].name, name))
            return &f->t[i];
    return NULL;
}

static int number(const reader *r, const gs__csv_field *fl, int c, long line, double *v,
                  gs_err *err)
{
    const char *s = fl[r->col[c]].s;
    char *end;

    *v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(*v))
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s' is not a number: '%s'",
                         r->path, line, file_cols[r->kind][c], s);
    return GS_OK;
}

static int on_row(void *ctx, const gs__csv_field *fl, size_t n, long line, gs_err *err)
{
    reader *r = ctx;
    fig_type *t;
    double v[10];
    int c;

    if (!r->header_seen) {
        for (c = 0; c < r->ncol; c++) {
            size_t j;
            r->col[c] = -1;
            for (j = 0; j < n; j++)
                if (!strcmp(fl[j].s, file_cols[r->kind][c]))
                    r->col[c] = (int)j;
            if (r->col[c] < 0)
                return gs_errorf(err, GS_EPARSE, "'%s': no column '%s'", r->path,
                                 file_cols[r->kind][c]);
        }
        r->header_seen = 1;
        return GS_OK;
    }
    for (c = 0; c < r->ncol; c++)
        if ((size_t)r->col[c] >= n)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too few fields", r->path, line);
    if (strcmp(fl[r->col[0]].s, r->f->cluster) != 0)
        return GS_OK; /* the other clusters' rows */
    if (r->kind == F_SUMMARY) {
        for (c = 1; c < 10; c++)
            if (number(r, fl, c, line, &v[c], err) != GS_OK)
                return GS_EPARSE;
            else if (!(v[c] >= 0))
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: negative '%s'", r->path, line,
                                 file_cols[r->kind][c]);
        r->f->gpu_jobs = v[1];
        for (c = 0; c < 3; c++) {
            r->f->state_jobs[c] = v[2 + c];
            r->f->state_time[c] = v[5 + c];
        }
        r->f->gpu_time = v[5] + v[6] + v[7];
        r->f->mean_run = v[8];
        r->f->mean_gpus = v[9];
        if (!(r->f->gpu_jobs > 0 && r->f->gpu_time > 0))
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: no GPU jobs or GPU time", r->path,
                             line);
        r->f->have_summary = 1;
        return GS_OK;
    }
    t = find_type(r->f, fl[r->col[1]].s);
    if (r->kind == F_SHARE) {
        if (t)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: type '%s' twice", r->path, line,
                             fl[r->col[1]].s);
        if (r->f->n == MAXT || fl[r->col[1]].len >= sizeof(t->name) || fl[r->col[1]].len == 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too many types or bad name", r->path,
                             line);
        t = &r->f->t[r->f->n++];
        memset(t, 0, sizeof(*t));
        memcpy(t->name, fl[r->col[1]].s, fl[r->col[1]].len + 1);
        t->trace_jobs = r->f->trace_jobs;
        if (number(r, fl, 2, line, &t->share, err) != GS_OK ||
            number(r, fl, 3, line, &t->time_share, err) != GS_OK)
            return GS_EPARSE;
        if (!(t->share > 0 && t->share <= 100) || !(t->time_share > 0 && t->time_share <= 100))
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: share %g%% or %g%% out of (0, 100]",
                             r->path, line, t->share, t->time_share);
        return GS_OK;
    }
    if (!t)
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: type '%s' is not in %s", r->path, line,
                         fl[r->col[1]].s, file_names[F_SHARE]);
    if (r->kind == F_BOX) {
        for (c = 0; c < 5; c++) {
            if (number(r, fl, 2 + c, line, &v[c], err) != GS_OK)
                return GS_EPARSE;
            t->box[c] = (int)v[c];
            if (v[c] != t->box[c] || v[c] < 1 || v[c] > GS__TG_GMAX || (c && v[c] < v[c - 1]))
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: bad box plot of '%s'", r->path,
                                 line, t->name);
        }
        t->have_box = 1;
    } else if (r->kind == F_OUT) {
        if (number(r, fl, 2, line, &v[0], err) != GS_OK ||
            number(r, fl, 3, line, &v[1], err) != GS_OK)
            return GS_EPARSE;
        if (v[0] != floor(v[0]) || v[0] < 1 || v[0] > GS__TG_GMAX || !(v[1] >= 0) ||
            t->nout == MAXOUT)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: bad outlier row", r->path, line);
        t->out_g[t->nout] = (int)v[0];
        t->out_n[t->nout++] = v[1];
    } else {
        const char *metric = fl[r->col[2]].s;
        int m = !strcmp(metric, "duration") ? DUR : !strcmp(metric, "queue") ? QUEUE : -1;
        if (m < 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: unknown metric '%s'", r->path, line,
                             metric);
        if (number(r, fl, 3, line, &v[0], err) != GS_OK ||
            number(r, fl, 4, line, &v[1], err) != GS_OK)
            return GS_EPARSE;
        if (!(v[0] > 0) || !(v[1] >= 0 && v[1] <= 100) || t->npt[m] == MAXPTS ||
            (t->npt[m] && v[0] <= t->x[m][t->npt[m] - 1]))
            return gs_errorf(err, GS_EPARSE,
                             "'%s' line %ld: bad CDF point (x must increase, %% in [0, 100])",
                             r->path, line);
        t->x[m][t->npt[m]] = v[0];
        t->pct[m][t->npt[m]++] = v[1];
    }
    return GS_OK;
}

static int read_figs(const char *dir, const struct cluster_def *cd, figs *f, gs_err *err)
{
    char base[1024], path[1100];
    int k, rc;

    snprintf(path, sizeof(path), "%s/from_figures/%s", dir, file_names[F_CDF]);
    if (access(path, R_OK) == 0)
        snprintf(base, sizeof(base), "%s/from_figures", dir);
    else
        snprintf(base, sizeof(base), "%s", dir);
    memset(f, 0, sizeof(*f));
    f->cluster = cd->name;
    f->trace_jobs = cd->trace_jobs;
    for (k = F_SHARE; k <= F_SUMMARY; k++) {
        reader r;
        memset(&r, 0, sizeof(r));
        r.f = f;
        r.kind = k;
        r.path = path;
        while (file_cols[k][r.ncol])
            r.ncol++;
        snprintf(path, sizeof(path), "%s/%s", base, file_names[k]);
        /* the summary sits next to from_figures/, in dir, or above dir when dir is it */
        if (k == F_SUMMARY) {
            snprintf(path, sizeof(path), "%s/%s", dir, file_names[k]);
            if (access(path, R_OK) != 0)
                snprintf(path, sizeof(path), "%s/../%s", dir, file_names[k]);
        }
        if ((rc = gs__csv_read(path, on_row, &r, err)) != GS_OK)
            return rc;
    }
    if (f->n == 0)
        return gs_errorf(err, GS_EINVAL, "'%s/%s': no %s type", base, file_names[F_SHARE],
                         cd->name);
    if (!f->have_summary)
        return gs_errorf(err, GS_EINVAL, "'%s': no %s row", file_names[F_SUMMARY], cd->name);
    for (k = 0; k < f->n; k++) {
        const fig_type *t = &f->t[k];
        if (!t->have_box || t->npt[DUR] < 4 || t->npt[QUEUE] < 4)
            return gs_errorf(err, GS_EINVAL,
                             "type '%s' lacks its box plot or a CDF of 4 points or more in '%s'",
                             t->name, base);
    }
    return GS_OK;
}

/* ---- rounding to what the header keeps ---- */

static double round4(double v)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.4g", v);
    return strtod(buf, NULL);
}

static double logistic(double a)
{
    return 1 / (1 + exp(-a));
}

static double logit(double p)
{
    return log(p / (1 - p));
}

/* ---- one least-squares problem (tools/lsq.c), at this tool's limits ---- */

static double lsq(gs__lsq_resid fn, void *ctx, size_t nres, size_t np, double *x0)
{
    return gs__lsq(fn, ctx, nres, np, x0, MAXITER, 1e-12);
}

/* ---- delays: mixtures of log-normals fitted to a published CDF ---- */

typedef struct mixfit {
    int n;
    double x[MAXPTS], p[MAXPTS]; /* published points below the cap, p in [0, 1] */
    gs__tg_mix m;                /* lo, cap and k set; p1 too when it is not fitted */
    int fit_p1;
} mixfit;

/* v: [logit p1], k - 1 weight logits (the first is 0), k bounded mus, k bounded sigmas */
static void mix_unpack(const mixfit *f, const double *v, gs__tg_mix *m)
{
    double top = 0, sum = 0, hi = log(f->m.cap);
    int i, o = 0, k = f->m.k;

    *m = f->m;
    if (f->fit_p1)
        m->p1 = logistic(v[o++]);
    for (i = 0; i < k; i++)
        m->w[i] = i ? v[o + i - 1] : 0;
    o += k - 1;
    for (i = 0; i < k; i++)
        top = m->w[i] > top ? m->w[i] : top;
    for (i = 0; i < k; i++)
        sum += (m->w[i] = exp(m->w[i] - top));
    for (i = 0; i < k; i++) {
        m->w[i] /= sum;
        m->mu[i] = MU_MIN + (hi - MU_MIN) * logistic(v[o + i]);
        m->sigma[i] = SIGMA_MIN + (SIGMA_MAX - SIGMA_MIN) * logistic(v[o + k + i]);
    }
}

static double cdf_resid(double F, double P)
{
    return (F - P) / sqrt(P * (1 - P) + CDF_FLOOR);
}

static int mix_resid(const gsl_vector *v, void *ctx, gsl_vector *r)
{
    const mixfit *f = ctx;
    gs__tg_mix m;
    int i;

    mix_unpack(f, v->data, &m);
    for (i = 0; i < f->n; i++)
        gsl_vector_set(r, (size_t)i, cdf_resid(gs__tg_mix_cdf(&m, f->x[i]), f->p[i]));
    return GSL_SUCCESS;
}

static int by_mu(const void *a, const void *b)
{
    const double *x = a, *y = b; /* {mu, w, sigma} */
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* ln x where the published CDF (log-linear between points) reaches q */
static double cdf_quantile_ln(const mixfit *f, double q)
{
    int i;

    for (i = 0; i < f->n; i++)
        if (f->p[i] >= q) {
            double l0 = i ? log(f->x[i - 1]) : log(f->x[0]) - 1, p0 = i ? f->p[i - 1] : 0;
            return f->p[i] > p0 ? l0 + (q - p0) / (f->p[i] - p0) * (log(f->x[i]) - l0)
                                : log(f->x[i]);
        }
    return log(f->x[f->n - 1]) + 1;
}

/* Fits f->m from three deterministic starts (components at the CDF's quantiles, equal
 * weights, sigma 0.5, 1 or 2) and keeps the best; the result has its parameters rounded and
 * its components ordered by mu. */
static int mix_fit(mixfit *f, gs__tg_mix *out)
{
    static const double s0[] = {0.5, 1.0, 2.0};
    int k = f->m.k, np = f->fit_p1 + 3 * k - 1, s, i, o;
    double best = HUGE_VAL, bv[1 + 3 * GS__TG_KMAX], v[1 + 3 * GS__TG_KMAX];
    double hi = log(f->m.cap), base = f->fit_p1 ? f->p[0] : 0;

    if (f->n < np)
        return -1;
    for (s = 0; s < 3; s++) {
        double c;
        o = 0;
        if (f->fit_p1)
            v[o++] = logit(base > 1e-3 && base < 1 - 1e-3 ? base : 0.5);
        for (i = 1; i < k; i++)
            v[o++] = 0;
        for (i = 0; i < k; i++) {
            double u =
                (cdf_quantile_ln(f, base + (1 - base) * (i + 0.5) / k) - MU_MIN) / (hi - MU_MIN);
            v[o + i] = logit(u < 0.01 ? 0.01 : u > 0.99 ? 0.99 : u);
            v[o + k + i] = logit((s0[s] - SIGMA_MIN) / (SIGMA_MAX - SIGMA_MIN));
        }
        c = lsq(mix_resid, f, (size_t)f->n, (size_t)np, v);
        if (c < best) {
            best = c;
            memcpy(bv, v, sizeof(v));
        }
    }
    if (best == HUGE_VAL)
        return -1;
    mix_unpack(f, bv, out);
    {
        double comp[GS__TG_KMAX][3];
        for (i = 0; i < k; i++) {
            comp[i][0] = round4(out->mu[i]);
            comp[i][1] = round4(out->w[i]);
            comp[i][2] = round4(out->sigma[i]);
        }
        qsort(comp, (size_t)k, sizeof(comp[0]), by_mu);
        for (i = 0; i < k; i++) {
            out->mu[i] = comp[i][0];
            out->w[i] = comp[i][1];
            out->sigma[i] = comp[i][2];
        }
    }
    out->p1 = round4(out->p1);
    return 0;
}

/* ---- gpu_num outside the whiskers: the published outliers ---- */

/* The figure draws one marker per job outside the whiskers, so the outliers' counts are exact:
 * each published value gets its count over the type's jobs (the maximum-likelihood categorical
 * distribution), rounded to 4 digits. *below and *above receive the totals. */
static int tail_take(const fig_type *ft, gs__tg_type *t, double *below, double *above, gs_err *err)
{
    double jobs = ft->share / 100 * ft->trace_jobs;
    int i, g;

    t->ntail = 0;
    *below = *above = 0;
    for (g = 1; g <= GS__TG_GMAX; g++) {
        double n = 0;
        if (g >= ft->box[0] && g <= ft->box[4])
            continue;
        for (i = 0; i < ft->nout; i++)
            if (ft->out_g[i] == g)
                n += ft->out_n[i];
        if (!(n > 0))
            continue;
        if (t->ntail == GS__TG_TAIL_MAX)
            return gs_errorf(err, GS_EINVAL,
                             "'%s': more than %d published values outside the "
                             "whiskers",
                             ft->name, GS__TG_TAIL_MAX);
        t->tail_v[t->ntail] = g;
        t->tail_p[t->ntail] = round4(n / jobs);
        if (g < ft->box[0])
            *below += t->tail_p[t->ntail];
        else
            *above += t->tail_p[t->ntail];
        t->ntail++;
    }
    for (i = 0; i < ft->nout; i++) /* an outlier inside the whiskers is not one */
        if (ft->out_g[i] >= ft->box[0] && ft->out_g[i] <= ft->box[4] && ft->out_n[i] > 0)
            return gs_errorf(err, GS_EINVAL, "'%s': an outlier at %d GPUs, inside the whiskers",
                             ft->name, ft->out_g[i]);
    if (!(*below + *above < 1))
        return gs_errorf(err, GS_EINVAL, "'%s': the outliers outnumber the jobs", ft->name);
    return GS_OK;
}

/* ---- gpu_num between the whiskers ---- */

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The box plot only bounds the cumulative share F(x) at each support point x between the
 * whiskers: F(x) < p for x below the p-quartile, F(x) >= p from it on (numpy percentiles, as
 * matplotlib draws them), and F(whisker_high) = 1 - (upper tail). Points sharing an interval
 * get evenly spaced values inside it (a modelling choice: the split is not published). The
 * support is the whiskers, the quartiles and the powers of two between them. */
static int body_fit(const fig_type *ft, double lower, double upper, gs__tg_type *ty)
{
    static const double qp[3] = {0.25, 0.5, 0.75};
    int s[GS__TG_BODY_MAX + 8], m = 0, i, k;
    double F[GS__TG_BODY_MAX + 8];

    for (k = 0; k < 5; k++)
        s[m++] = ft->box[k];
    for (k = 1; k < ft->box[4]; k *= 2)
        if (k > ft->box[0]) {
            if (m == GS__TG_BODY_MAX + 5)
                return -1;
            s[m++] = k;
        }
    qsort(s, (size_t)m, sizeof(int), by_int);
    for (i = 0, k = 0; i < m; i++)
        if (k == 0 || s[i] != s[k - 1])
            s[k++] = s[i];
    m = k;
    if (m > GS__TG_BODY_MAX || !(lower + upper < 1))
        return -1;
    F[m - 1] = 1 - upper;
    for (i = 0; i < m - 1;) {
        double lo = lower, hi = 1 - upper, lo2, hi2;
        int j, q;
        for (q = 0; q < 3; q++) {
            if (s[i] >= ft->box[q + 1])
                lo = lo > qp[q] ? lo : qp[q];
            else
                hi = hi < qp[q] ? hi : qp[q];
        }
        for (j = i + 1; j < m - 1; j++) {
            lo2 = lower, hi2 = 1 - upper;
            for (q = 0; q < 3; q++) {
                if (s[j] >= ft->box[q + 1])
                    lo2 = lo2 > qp[q] ? lo2 : qp[q];
                else
                    hi2 = hi2 < qp[q] ? hi2 : qp[q];
            }
            if (lo2 != lo || hi2 != hi)
                break;
        }
        for (q = i; q < j; q++)
            F[q] = lo + (hi - lo) * (q - i + 1) / (j - i + 1);
        i = j;
    }
    ty->nbody = m;
    for (i = 0; i < m; i++) {
        ty->body_v[i] = s[i];
        ty->body_p[i] = round4(F[i] - (i ? F[i - 1] : lower));
    }
    return 0;
}

/* The probability of gpu_num g in t's model. */
static double gpu_prob_of(const gs__tg_type *t, int g)
{
    int v[GS__TG_GPU_MAX], n, i;
    double p[GS__TG_GPU_MAX];

    n = gs__tg_gpu_pmf(t, v, p);
    for (i = 0; i < n; i++)
        if (v[i] == g)
            return p[i];
    return 0;
}

/* ---- GPU time: the copula of gpu_num and duration, and the states ---- */

/* Expectations over a job's duration are integrals over its normal score z (Simpson's rule on
 * [-ZMAX, ZMAX]; beyond, the normal density is below 1e-16 while duration x gpu_num stays
 * below 2^21 s x 2^11). Conditional on the duration's score z, the score of gpu_num is
 * N(rho z, 1 - rho^2), so E[gpu_num | z] is a sum over the gpu_num values and a whole
 * expectation is one integral. */
#define ZMAX  8.5
#define NGRID 3400 /* intervals, even */

typedef struct tgrid {
    double w[NGRID + 1]; /* Simpson weight x normal density */
    double z[NGRID + 1];
    double d[NGRID + 1];  /* the generated duration at z (whole seconds, as written) */
    double eg[NGRID + 1]; /* E[gpu_num | z] at the type's rho */
    int n;                /* gpu_num values */
    int v[GS__TG_GPU_MAX];
    double cut[GS__TG_GPU_MAX]; /* gpu_num is v[i] when its score is in (cut[i-1], cut[i]] */
} tgrid;

static void grid_init(tgrid *g, const gs__tg_type *t)
{
    double p[GS__TG_GPU_MAX], c = 0, h = 2 * ZMAX / NGRID;
    int k, i;

    for (k = 0; k <= NGRID; k++) {
        double z = -ZMAX + k * h, u = gsl_cdf_ugaussian_P(z);
        g->z[k] = z;
        g->w[k] = h / 3 *
                  (k == 0 || k == NGRID ? 1
                   : k % 2              ? 4
                                        : 2) *
                  exp(-z * z / 2) / 2.5066282746310002 /* sqrt(2 pi) */;
        g->d[k] = ceil(gs__tg_mix_inverse(&t->dur, u > 0 ? u : 1e-300));
    }
    g->n = gs__tg_gpu_pmf(t, g->v, p);
    for (i = 0; i < g->n; i++) {
        c += p[i];
        g->cut[i] = i + 1 < g->n ? gsl_cdf_ugaussian_Pinv(c < 1 ? c : 1) : HUGE_VAL;
    }
}

/* E[gpu_num | duration score] at every grid point, for rho */
static void grid_eg(tgrid *g, double rho)
{
    double s = sqrt(1 - rho * rho);
    int k, i;

    for (k = 0; k <= NGRID; k++) {
        double prev = 0, e = 0;
        for (i = 0; i < g->n; i++) {
            double cdf =
                g->cut[i] == HUGE_VAL ? 1 : gsl_cdf_ugaussian_P((g->cut[i] - rho * g->z[k]) / s);
            e += g->v[i] * (cdf - prev);
            prev = cdf;
        }
        g->eg[k] = e;
    }
}

/* The mean GPU time per job, gpu_num x duration, at the rho grid_eg was last given. */
static double grid_gpu_time(const tgrid *g)
{
    double m = 0;
    int k;

    for (k = 0; k <= NGRID; k++)
        m += g->w[k] * g->d[k] * g->eg[k];
    return m;
}

typedef struct rhofit {
    tgrid *g;
    double target;
} rhofit;

static double rho_gap(double rho, void *ctx)
{
    rhofit *f = ctx;

    grid_eg(f->g, rho);
    return grid_gpu_time(f->g) - f->target;
}

#define RHO_LIM 0.99

/* The rho in [-RHO_LIM, RHO_LIM] at which the type's mean GPU time is target (Brent, GSL): the
 * mean grows with rho, so the root is unique; a target out of reach gives the nearer bound.
 * Leaves g->eg at the rounded rho and returns it. */
static double rho_fit(tgrid *g, double target, int *reached)
{
    gsl_root_fsolver *s;
    rhofit f = {g, target};
    gsl_function fn = {rho_gap, &f};
    double lo = -RHO_LIM, hi = RHO_LIM, rho = 0;
    int it;

    *reached = 1;
    if (rho_gap(lo, &f) >= 0 || rho_gap(hi, &f) <= 0) {
        *reached = 0;
        rho = rho_gap(lo, &f) >= 0 ? lo : hi;
    } else if ((s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent)) != NULL) {
        gsl_root_fsolver_set(s, &fn, lo, hi);
        for (it = 0; it < 200; it++) {
            gsl_root_fsolver_iterate(s);
            rho = gsl_root_fsolver_root(s);
            lo = gsl_root_fsolver_x_lower(s);
            hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(lo, hi, 1e-9, 0) == GSL_SUCCESS)
                break;
        }
        gsl_root_fsolver_free(s);
    }
    rho = round4(rho);
    grid_eg(g, rho);
    return rho;
}

/* The state model: its 4 free parameters (a and b of CANCELLED and FAILED) fitted so that the
 * states' shares of all GPU jobs and of their GPU time, summed over the types in their shares,
 * are the published ones. */
typedef struct statefit {
    const tgrid *g;
    const double *jobw; /* each type's share of GPU jobs (summing to 1) */
    int ntypes;
    double want_jobs[3], want_time[3], time_total;
    double got_jobs[3], got_time[3];
} statefit;

static void state_shares(statefit *f, const gs__tg_states *m)
{
    double p[GS__TG_NSTATES];
    int t, k, s;

    memset(f->got_jobs, 0, sizeof(f->got_jobs));
    memset(f->got_time, 0, sizeof(f->got_time));
    for (t = 0; t < f->ntypes; t++)
        for (k = 0; k <= NGRID; k++) {
            const tgrid *g = &f->g[t];
            gs__tg_state_probs(m, g->d[k], p);
            for (s = 0; s < 3; s++) {
                f->got_jobs[s] += f->jobw[t] * g->w[k] * p[s];
                f->got_time[s] += f->jobw[t] * g->w[k] * g->d[k] * g->eg[k] * p[s] / f->time_total;
            }
        }
}

static void state_unpack(const double *v, gs__tg_states *m)
{
    memset(m, 0, sizeof(*m));
    m->name[0] = "COMPLETED";
    m->name[1] = "CANCELLED";
    m->name[2] = "FAILED";
    m->a[1] = v[0], m->b[1] = v[1], m->a[2] = v[2], m->b[2] = v[3];
}

static int state_resid(const gsl_vector *v, void *ctx, gsl_vector *r)
{
    statefit *f = ctx;
    gs__tg_states m;
    int s;

    state_unpack(v->data, &m);
    state_shares(f, &m);
    for (s = 1; s < 3; s++) {
        gsl_vector_set(r, (size_t)(s - 1), f->got_jobs[s] - f->want_jobs[s]);
        gsl_vector_set(r, (size_t)(s + 1), f->got_time[s] - f->want_time[s]);
    }
    return GSL_SUCCESS;
}

static int state_fit(statefit *f, gs__tg_states *out)
{
    double v[4] = {0, 0, 0, 0};
    int i;

    if (lsq(state_resid, f, 4, 4, v) == HUGE_VAL)
        return -1;
    for (i = 0; i < 4; i++)
        v[i] = round4(v[i]);
    state_unpack(v, out);
    state_shares(f, out);
    return 0;
}

/* ---- quality ---- */

/* the largest |model - published| in percentage points, and where */
static double worst_pp(const gs__tg_mix *m, const fig_type *ft, int metric, double *at, int *npts)
{
    double worst = 0;
    int i;

    *at = 0;
    *npts = ft->npt[metric];
    for (i = 0; i < ft->npt[metric]; i++) {
        double e = fabs(100 * gs__tg_mix_cdf(m, ft->x[metric][i]) - ft->pct[metric][i]);
        if (e > worst) {
            worst = e;
            *at = ft->x[metric][i];
        }
    }
    return worst;
}

/* ---- the header ---- */

static void put_list(FILE *out, const double *v, int n)
{
    int i;

    fputc('{', out);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%.4g", i ? ", " : "", v[i]);
    fputc('}', out);
}

static void put_mix(FILE *out, const gs__tg_mix *m)
{
    fprintf(out, " {%.4g, %g, %.0f, %d,\n  ", m->p1, m->lo, m->cap, m->k);
    put_list(out, m->w, m->k);
    fprintf(out, ",\n  ");
    put_list(out, m->mu, m->k);
    fprintf(out, ",\n  ");
    put_list(out, m->sigma, m->k);
    fputc('}', out);
}

static void put_tail(FILE *out, const gs__tg_type *t)
{
    int i;

    if (t->ntail == 0) { /* none (Kalos Debug, Other): C has no empty initialiser */
        fprintf(out, " 0, {0},\n {0}");
        return;
    }
    fprintf(out, " %d, {", t->ntail);
    for (i = 0; i < t->ntail; i++)
        fprintf(out, "%s%d", i ? ", " : "", t->tail_v[i]);
    fprintf(out, "},\n ");
    put_list(out, t->tail_p, t->ntail);
}

static const char header_top[] =
    "/* SPDX-License-Identifier: Apache-2.0 */\n"
    "/* Fitted parameters of the synthetic ACME trace generator (src/core/tracegen.c; the models "
    "are\n"
    " * in src/core/tracegen_int.h and docs/traces.md). GENERATED, do not edit: made by\n"
    " *     build/tools/fit_tracegen DIR            (scripts/calibrate_traces.sh)\n"
    " * from the Seren rows (gs__tg_fitted, gs__tg_state_model) and the Kalos rows\n"
    " * (gs__tg_fitted_kalos, gs__tg_state_model_kalos) of DIR's job_type_share.csv,\n"
    " * gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and\n"
    " * cdf_duration_queue_by_type.csv (the values decoded\n"
    " * from the figures of Q. Hu et al., \"Characterization of Large Language Model\n"
    " * Development in the Datacenter\", NSDI '24, InternLM/AcmeTrace@6d6ac9c, CC BY 4.0) and\n"
    " * of the authors' cluster_summary.csv, which stay out of this repository. Least-squares\n"
    " * fits and root finding (GSL), rounded to 4 significant digits; tests/test_acme.c checks\n"
    " * that the calibration still gives these values when the figure files are there.\n"
    " * Per type: name, share (% of GPU jobs, as published), gpu_num between the whiskers\n"
    " * (count, values, probabilities) and outside them (count, values, probabilities), then\n"
    " * duration and queue {p1, lo, cap, k, weights, mu, sigma} (mu and sigma of ln seconds),\n"
    " * the gpu_num-duration copula correlation and the resulting mean GPU time per job\n"
    " * (GPU-seconds). Then the state model. */\n"
    "#ifndef GPUSIM_TRACEGEN_PARAMS_H\n"
    "#define GPUSIM_TRACEGEN_PARAMS_H\n\n"
    "#include \"tracegen_int.h\"\n\n"
    "/* clang-format off */\n";

/* Fits every type's models; *below and *above get the shares outside the whiskers. */
static int fit_type(const fig_type *ft, gs__tg_type *t, gs_err *err)
{
    double below, above;
    mixfit mf;
    int metric, i, rc;

    t->name = ft->name;
    t->share = round4(ft->share);
    if ((rc = tail_take(ft, t, &below, &above, err)) != GS_OK)
        return rc;
    if (body_fit(ft, below, above, t) != 0)
        return gs_errorf(err, GS_EINVAL, "'%s': box plot %d/%d/%d/%d/%d cannot be fitted", ft->name,
                         ft->box[0], ft->box[1], ft->box[2], ft->box[3], ft->box[4]);
    for (metric = DUR; metric <= QUEUE; metric++) {
        memset(&mf, 0, sizeof(mf));
        mf.m.lo = metric == DUR ? 0 : 1;
        mf.m.cap = metric == DUR ? GS__TG_DUR_CAP : GS__TG_QUEUE_CAP;
        mf.m.k = metric == DUR ? GS__TG_DUR_K : GS__TG_QUEUE_K;
        mf.fit_p1 = metric == QUEUE;
        for (i = 0; i < ft->npt[metric]; i++)
            if (ft->x[metric][i] < mf.m.cap) {
                mf.x[mf.n] = ft->x[metric][i];
                mf.p[mf.n++] = ft->pct[metric][i] / 100;
            }
        if (mix_fit(&mf, metric == DUR ? &t->dur : &t->queue) != 0)
            return gs_errorf(err, GS_EINVAL, "'%s': the %s fit failed", ft->name,
                             metric == DUR ? "duration" : "queue");
    }
    return GS_OK;
}

/* What the GPU-time fits reached, for the header's comments and the log. */
typedef struct timefit {
    double target[MAXT]; /* mean GPU time per job each type needs */
    double indep[MAXT];  /* what independent draws would give */
    int reached[MAXT];
    double per_job; /* published GPU time per GPU job */
    statefit sf;
    gs__tg_states states;
    double jobw[MAXT];
} timefit;

/* The copula of every type, then the state model. */
static int fit_time(const figs *f, gs__tg_type *ty, tgrid *g, timefit *tf, gs_err *err)
{
    double wsum = 0, tsum = 0, jsum = 0;
    int k, s;

    tf->per_job = f->gpu_time / f->gpu_jobs;
    for (k = 0; k < f->n; k++)
        wsum += f->t[k].share, tsum += f->t[k].time_share;
    for (k = 0; k < f->n; k++) {
        /* a type's share of GPU time t over its share of jobs j, times the GPU time per job */
        tf->jobw[k] = f->t[k].share / wsum;
        tf->target[k] = f->t[k].time_share / tsum * tf->per_job / tf->jobw[k];
        grid_init(&g[k], &ty[k]);
        grid_eg(&g[k], 0);
        tf->indep[k] = grid_gpu_time(&g[k]);
        ty[k].rho = rho_fit(&g[k], tf->target[k], &tf->reached[k]);
        ty[k].gpu_time = round4(grid_gpu_time(&g[k]));
    }
    memset(&tf->sf, 0, sizeof(tf->sf));
    tf->sf.g = g;
    tf->sf.jobw = tf->jobw;
    tf->sf.ntypes = f->n;
    for (k = 0; k < f->n; k++)
        tf->sf.time_total += tf->jobw[k] * grid_gpu_time(&g[k]);
    for (s = 0; s < 3; s++)
        jsum += f->state_jobs[s];
    for (s = 0; s < 3; s++) {
        tf->sf.want_jobs[s] = f->state_jobs[s] / jsum;
        tf->sf.want_time[s] = f->state_time[s] / f->gpu_time;
    }
    if (state_fit(&tf->sf, &tf->states) != 0)
        return gs_errorf(err, GS_EINVAL, "the state model fit failed");
    return GS_OK;
}

static void put_type(FILE *out, const figs *f, const gs__tg_type *t, const timefit *tf, int k,
                     int last)
{
    const fig_type *ft = &f->t[k];
    double at[2];
    int npts[2], i;
    double worst[2] = {worst_pp(&t->dur, ft, DUR, &at[0], &npts[0]),
                       worst_pp(&t->queue, ft, QUEUE, &at[1], &npts[1])};

    fprintf(out, "/* %s: %.4g%% of %s GPU jobs (job_type_share.csv) */\n", t->name, t->share,
            f->cluster);
    fprintf(out, "{\"%s\", %.4g,\n", t->name, t->share);
    fprintf(out,
            " /* gpu_num from %d to %d (the whiskers): the cumulative shares spread evenly\n"
            "  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */\n"
            " %d, {",
            t->body_v[0], t->body_v[t->nbody - 1], t->nbody);
    for (i = 0; i < t->nbody; i++)
        fprintf(out, "%s%d", i ? ", " : "", t->body_v[i]);
    fprintf(out, "},\n ");
    put_list(out, t->body_p, t->nbody);
    fprintf(out, ",\n /* outside the whiskers: the published jobs at each value over the type's\n"
                 "  * jobs (gpu_num_outliers_by_type.csv) */\n");
    put_tail(out, t);
    fprintf(out,
            ",\n /* duration: %d log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);"
            "\n  * worst error %.2f percentage points (at %g s) of %d published points */\n",
            t->dur.k, worst[0], at[0], npts[0]);
    put_mix(out, &t->dur);
    fprintf(out,
            ",\n /* queue: P(<= 1 s) then %d log-normals on (1 s, 2^18 s] (same file);\n"
            "  * worst error %.2f percentage points (at %g s) of %d published points */\n",
            t->queue.k, worst[1], at[1], npts[1]);
    put_mix(out, &t->queue);
    fprintf(out,
            ",\n /* copula correlation: %.4g%% of GPU time (job_type_share.csv) at %.0f GPU-s\n"
            "  * per GPU job (cluster_summary.csv) needs %.4g GPU-s per job (independent draws:\n"
            "  * %.4g)%s */\n %.4g, %.4g}%s\n",
            ft->time_share, tf->per_job, tf->target[k], tf->indep[k],
            tf->reached[k] ? "" : "; NOT REACHED, the bound is kept", t->rho, t->gpu_time,
            last ? "" : ",");
}

static void put_states(FILE *out, const struct cluster_def *cd, const timefit *tf)
{
    const statefit *sf = &tf->sf;

    fprintf(out,
            "\n/* The state given the duration d: P(s) ~ exp(a + b ln d). Fitted to the states' "
            "shares\n * of %s GPU jobs and GPU time (cluster_summary.csv), all types in their "
            "shares:\n * jobs %.2f/%.2f/%.2f%% (published %.2f/%.2f/%.2f%%), GPU time "
            "%.2f/%.2f/%.2f%%\n * (published %.2f/%.2f/%.2f%%) for COMPLETED/CANCELLED/FAILED. "
            "*/\n",
            cd->name, 100 * sf->got_jobs[0], 100 * sf->got_jobs[1], 100 * sf->got_jobs[2],
            100 * sf->want_jobs[0], 100 * sf->want_jobs[1], 100 * sf->want_jobs[2],
            100 * sf->got_time[0], 100 * sf->got_time[1], 100 * sf->got_time[2],
            100 * sf->want_time[0], 100 * sf->want_time[1], 100 * sf->want_time[2]);
    fprintf(out,
            "static const gs__tg_states %s = {\n"
            " {\"COMPLETED\", \"CANCELLED\", \"FAILED\"},\n {0, %.4g, %.4g},\n {0, %.4g, "
            "%.4g}};\n",
            cd->states, tf->states.a[1], tf->states.a[2], tf->states.b[1], tf->states.b[2]);
}

/* Fits every model of one cluster and writes its type table and state model. */
static int calibrate_cluster(const char *dir, const struct cluster_def *cd, FILE *out, FILE *log,
                             gs_err *err)
{
    figs *f = malloc(sizeof(*f));
    gs__tg_type *ty = calloc(MAXT, sizeof(*ty));
    tgrid *g = calloc(MAXT, sizeof(*g));
    timefit *tf = calloc(1, sizeof(*tf));
    gsl_error_handler_t *old;
    int rc = GS_OK, k;

    if (!f || !ty || !g || !tf) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = read_figs(dir, cd, f, err)) != GS_OK)
        goto done;
    old = gsl_set_error_handler_off();
    for (k = 0; k < f->n && rc == GS_OK; k++)
        rc = fit_type(&f->t[k], &ty[k], err);
    if (rc == GS_OK)
        rc = fit_time(f, ty, g, tf, err);
    gsl_set_error_handler(old);
    if (rc != GS_OK)
        goto done;
    fprintf(out, "static const gs__tg_type %s[] = {\n", cd->table);
    for (k = 0; k < f->n; k++)
        put_type(out, f, &ty[k], tf, k, k + 1 == f->n);
    fputs("};\n", out);
    put_states(out, cd, tf);
    fputs("\n", out);
    if (ferror(out))
        rc = gs_errorf(err, GS_EIO, "cannot write the calibrated parameters");
    for (k = 0; log && k < f->n; k++) {
        double at;
        int npts;
        fprintf(log,
                "%s %s: duration worst %.2f pp, %d values outside the whiskers; rho %.4g: %.4g "
                "GPU-s per job (target %.4g%s, independent %.4g)\n",
                cd->name, ty[k].name, worst_pp(&ty[k].dur, &f->t[k], DUR, &at, &npts), ty[k].ntail,
                ty[k].rho, ty[k].gpu_time, tf->target[k], tf->reached[k] ? "" : ", NOT REACHED",
                tf->indep[k]);
    }
    if (log) {
        double md = 0, mg = 0, h = 0;
        int i;
        for (k = 0; k < f->n; k++) {
            for (i = 0; i <= NGRID; i++)
                h += tf->jobw[k] * g[k].w[i] * g[k].d[i];
            for (i = 0; i < g[k].n; i++)
                mg += tf->jobw[k] * g[k].v[i] * gpu_prob_of(&ty[k], g[k].v[i]);
        }
        md = h;
        fprintf(log,
                "%s, all types in their shares: mean duration %.0f s, mean gpu_num %.2f, mean GPU "
                "time %.0f GPU-s (cluster_summary.csv: %.0f s, %.2f, %.0f)\n",
                cd->name, md, mg, tf->sf.time_total, f->mean_run, f->mean_gpus, tf->per_job);
    }
    if (log)
        fprintf(log,
                "%s states: jobs %.2f/%.2f/%.2f%% (published %.2f/%.2f/%.2f), GPU time "
                "%.2f/%.2f/%.2f%% (published %.2f/%.2f/%.2f)\n",
                cd->name, 100 * tf->sf.got_jobs[0], 100 * tf->sf.got_jobs[1],
                100 * tf->sf.got_jobs[2], 100 * tf->sf.want_jobs[0], 100 * tf->sf.want_jobs[1],
                100 * tf->sf.want_jobs[2], 100 * tf->sf.got_time[0], 100 * tf->sf.got_time[1],
                100 * tf->sf.got_time[2], 100 * tf->sf.want_time[0], 100 * tf->sf.want_time[1],
                100 * tf->sf.want_time[2]);
done:
    free(f);
    free(ty);
    free(g);
    free(tf);
    return rc;
}

int gs__tracegen_calibrate(const char *dir, FILE *out, FILE *log, gs_err *err)
{
    size_t c;
    int rc = GS_OK;

    fputs(header_top, out);
    for (c = 0; c < sizeof(clusters) / sizeof(clusters[0]) && rc == GS_OK; c++)
        rc = calibrate_cluster(dir, &clusters[c], out, log, err);
    if (rc == GS_OK) {
        fputs("/* clang-format on */\n\n#endif\n", out);
        if (ferror(out))
            rc = gs_errorf(err, GS_EIO, "cannot write the calibrated parameters");
    }
    return rc;
}
