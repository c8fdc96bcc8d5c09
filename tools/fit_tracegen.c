/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the trace generator's models on the published ACME figures, by nonlinear
 * least squares (GSL): the developer tool `fit_tracegen DIR` (tools/fit_tracegen_main.c) writes
 * src/core/tracegen_params.h. It is built from tools/ and is not part of gpusim or its library. */
#include "tracegen_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_int.h"

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
    double share;    /* % of the cluster's GPU jobs */
    double gpu_jobs; /* the cluster's GPU jobs (turns shares into job counts) */
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
    double gpu_jobs;
    fig_type t[MAXT];
    int n;
} figs;

/* The clusters calibrated, their GPU jobs in the released traces (tracegen_int.h), and the
 * table each one's parameters go to. */
static const struct cluster_def {
    const char *name, *table;
    double gpu_jobs;
} clusters[] = {
    {"Seren", "gs__tg_fitted", GS__TG_SEREN_GPU_JOBS},
    {"Kalos", "gs__tg_fitted_kalos", GS__TG_KALOS_GPU_JOBS},
};

/* ---- reading ---- */

enum { F_SHARE, F_BOX, F_OUT, F_CDF };

static const char *const file_names[] = {"job_type_share.csv", "gpu_num_boxplot_by_type.csv",
                                         "gpu_num_outliers_by_type.csv",
                                         "cdf_duration_queue_by_type.csv"};
/* the columns each file needs, by name (the first is always the cluster) */
static const char *const file_cols[][8] = {
    {"cluster", "type", "share_of_gpu_jobs_percent", NULL},
    {"cluster", "type", "whisker_low", "q1", "median", "q3", "whisker_high", NULL},
    {"cluster", "type", "gpu_num", "jobs", NULL},
    {"cluster", "type", "metric", "x_seconds", "cdf_percent", NULL},
};

typedef struct reader {
    figs *f;
    int kind;
    const char *path;
    int col[8];
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
    double v[6];
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
        return GS_OK; /* the other cluster's rows */
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
        t->gpu_jobs = r->f->gpu_jobs;
        if (number(r, fl, 2, line, &t->share, err) != GS_OK)
            return GS_EPARSE;
        if (!(t->share > 0 && t->share <= 100))
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: share %g%% out of (0, 100]", r->path,
                             line, t->share);
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
    f->gpu_jobs = cd->gpu_jobs;
    for (k = F_SHARE; k <= F_CDF; k++) {
        reader r;
        memset(&r, 0, sizeof(r));
        r.f = f;
        r.kind = k;
        r.path = path;
        while (file_cols[k][r.ncol])
            r.ncol++;
        snprintf(path, sizeof(path), "%s/%s", base, file_names[k]);
        if ((rc = gs__csv_read(path, on_row, &r, err)) != GS_OK)
            return rc;
    }
    if (f->n == 0)
        return gs_errorf(err, GS_EINVAL, "'%s/%s': no %s type", base, file_names[F_SHARE],
                         cd->name);
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

/* ---- one least-squares problem: GSL's trust-region Levenberg-Marquardt ---- */

typedef int (*resid_fn)(const gsl_vector *v, void *ctx, gsl_vector *r);

/* Fits np parameters from x0 (updated in place) to nres residuals; returns the final sum of
 * squares, or HUGE_VAL when GSL failed. Deterministic: fixed start and iteration limits, and
 * finite-difference Jacobians. */
static double lsq(resid_fn fn, void *ctx, size_t nres, size_t np, double *x0)
{
    gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w;
    gsl_multifit_nlinear_fdf fdf;
    gsl_vector_view x = gsl_vector_view_array(x0, np);
    double cost = HUGE_VAL;
    int info;
    size_t i;

    memset(&fdf, 0, sizeof(fdf));
    fdf.f = fn;
    fdf.n = nres;
    fdf.p = np;
    fdf.params = ctx;
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, nres, np);
    if (!w)
        return HUGE_VAL;
    if (gsl_multifit_nlinear_init(&x.vector, &fdf, w) == GSL_SUCCESS) {
        gsl_vector *pos, *res;
        /* GSL_EMAXITER or GSL_ENOPROG still leave the best point found */
        gsl_multifit_nlinear_driver(MAXITER, 1e-12, 1e-12, 1e-12, NULL, NULL, &info, w);
        pos = gsl_multifit_nlinear_position(w);
        res = gsl_multifit_nlinear_residual(w);
        cost = 0;
        for (i = 0; i < nres; i++)
            cost += gsl_vector_get(res, i) * gsl_vector_get(res, i);
        for (i = 0; i < np; i++)
            x0[i] = gsl_vector_get(pos, i);
        if (!isfinite(cost))
            cost = HUGE_VAL;
    }
    gsl_multifit_nlinear_free(w);
    return cost;
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

/* ---- gpu_num tails ---- */

typedef struct tailfit {
    gs__tg_type ty; /* one body value (the whisker, probability 0) and the tail being fitted */
    int upper;
    int free_q1, free_r, free_pi2, free_pi3;
    int ng;
    int g[GS__TG_GPU_MAX];
    double obs[GS__TG_GPU_MAX]; /* published jobs at each value of the support */
    double tot;
} tailfit;

static void tail_unpack(tailfit *f, const double *v)
{
    gs__tg_tail *t = f->upper ? &f->ty.up : &f->ty.low;
    int o = 0;

    if (f->free_q1)
        t->q1 = logistic(v[o++]);
    if (f->free_r)
        t->r = exp(v[o++]);
    if (f->free_pi2)
        t->pi2 = logistic(v[o++]);
    if (f->free_pi3)
        t->pi3 = logistic(v[o++]);
}

/* Freeman-Tukey residuals of the published counts at every value of the tail's support,
 * zeros included: least squares on them is close to the Poisson maximum likelihood. */
static int tail_resid(const gsl_vector *v, void *ctx, gsl_vector *r)
{
    tailfit *f = ctx;
    int gv[GS__TG_GPU_MAX], n, i, j = 0;
    double gp[GS__TG_GPU_MAX];

    tail_unpack(f, v->data);
    n = gs__tg_gpu_pmf(&f->ty, gv, gp);
    for (i = 0; i < n; i++) {
        double o, m;
        if (gv[i] == f->ty.body_v[0])
            continue;
        o = f->obs[j];
        m = f->tot * gp[i];
        gsl_vector_set(r, (size_t)j++, sqrt(o) + sqrt(o + 1) - sqrt(4 * m + 1));
    }
    for (; j < (int)r->size; j++) /* padding when the parameters outnumber the values */
        gsl_vector_set(r, (size_t)j, 0);
    return GSL_SUCCESS;
}

/* The tail of t outside the whisker w (upper: above, lower: below): its total probability
 * from the published counts, its support, and its shape fitted to the counts. */
static int tail_fit(const fig_type *ft, int upper, gs__tg_tail *out, gs_err *err)
{
    tailfit *f = calloc(1, sizeof(*f));
    gs__tg_tail *t;
    int w = upper ? ft->box[4] : ft->box[0], i, j, n, np;
    int gv[GS__TG_GPU_MAX];
    double gp[GS__TG_GPU_MAX], jobs = 0, v[4] = {0, 0, 0, 0};

    if (!f)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    f->upper = upper;
    t = upper ? &f->ty.up : &f->ty.low;
    memset(out, 0, sizeof(*out));
    out->q1 = out->r = out->pi2 = out->pi3 = 1;
    if (!upper)
        out->q1 = out->pi2 = out->pi3 = 0;
    for (i = 0; i < ft->nout; i++)
        if (upper ? ft->out_g[i] > w : ft->out_g[i] < w) {
            jobs += ft->out_n[i];
            if (upper && ft->out_g[i] / 8 * 8 > out->gmax)
                out->gmax = ft->out_g[i] / 8 * 8;
        }
    if (jobs == 0) {
        free(f);
        return GS_OK;
    }
    out->p = round4(jobs / (ft->share / 100 * ft->gpu_jobs));
    /* the support: beyond the whisker and beyond the box plot's fence, where the outliers
     * are; upper: multiples of 8 up to the largest published value, lower: powers of two */
    if (upper) {
        double fence = ft->box[3] + 1.5 * (ft->box[3] - ft->box[1]);
        out->gmin = ((int)floor(fence > w ? fence : w) / 8 + 1) * 8;
        if (out->gmax < out->gmin)
            out->gmax = out->gmin;
    } else {
        double fence = ft->box[1] - 1.5 * (ft->box[3] - ft->box[1]);
        out->gmin = 1;
        for (out->gmax = 1; 2 * out->gmax < w && 2 * out->gmax < fence;)
            out->gmax *= 2;
        if (!(out->gmax < fence)) {
            free(f);
            return gs_errorf(err, GS_EINVAL, "'%s': outliers below %d but no room for them",
                             ft->name, w);
        }
    }
    if (!(out->p < 1) || out->gmax > GS__TG_GMAX) {
        free(f);
        return gs_errorf(err, GS_EINVAL, "'%s': bad outliers outside %d", ft->name, w);
    }
    /* the published count at each value of the support */
    f->ty.nbody = 1;
    f->ty.body_v[0] = w;
    *t = *out;
    t->p = 1;
    n = gs__tg_gpu_pmf(&f->ty, gv, gp);
    if (n < 2) {
        free(f);
        return gs_errorf(err, GS_EINVAL, "'%s': bad gpu_num tail outside %d", ft->name, w);
    }
    for (i = 0; i < n; i++) {
        if (gv[i] == w)
            continue;
        f->g[f->ng] = gv[i];
        for (j = 0; j < ft->nout; j++)
            if (ft->out_g[j] == gv[i])
                f->obs[f->ng] += ft->out_n[j];
        f->tot += f->obs[f->ng++];
    }
    /* which shape parameters the support can identify */
    if (upper) {
        int octaves = 0, last = 0, kinds[3] = {0, 0, 0};
        for (i = 0; i <= f->ng; i++) {
            int oct = i < f->ng ? gs__tg_octave(w, f->g[i]) : -1;
            if (i == f->ng || (i > 0 && oct != last)) { /* an octave ends */
                f->free_pi2 |= kinds[GS__TG_POW2] && (kinds[GS__TG_3POW2] || kinds[GS__TG_OTHER]);
                f->free_pi3 |= kinds[GS__TG_3POW2] && kinds[GS__TG_OTHER];
                memset(kinds, 0, sizeof(kinds));
            }
            if (i == f->ng)
                break;
            octaves += i == 0 || oct != last;
            kinds[gs__tg_kind(f->g[i])] = 1;
            last = oct;
        }
        f->free_q1 = octaves > 1;
        f->free_r = octaves > 2;
    } else {
        f->free_r = f->ng > 1;
    }
    np = f->free_q1 + f->free_r + f->free_pi2 + f->free_pi3;
    if (np > 0 && f->tot > 0) {
        /* start: half the tail in the first octave, each further one 0.3 of the one before,
         * the rest of each octave split evenly (logits 0) */
        if (f->free_r)
            v[f->free_q1] = log(0.3);
        if (lsq(tail_resid, f, (size_t)(f->ng > np ? f->ng : np), (size_t)np, v) == HUGE_VAL) {
            free(f);
            return gs_errorf(err, GS_EINVAL, "'%s': the gpu_num tail fit failed", ft->name);
        }
        tail_unpack(f, v);
        out->q1 = upper && f->free_q1 ? round4(t->q1) : out->q1;
        out->r = f->free_r ? round4(t->r) : out->r;
        out->pi2 = upper && f->free_pi2 ? round4(t->pi2) : out->pi2;
        out->pi3 = upper && f->free_pi3 ? round4(t->pi3) : out->pi3;
    }
    free(f);
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

static void log_tail(FILE *log, const fig_type *ft, const gs__tg_type *ty, int upper)
{
    int gv[GS__TG_GPU_MAX], n, i, j, w = upper ? ft->box[4] : ft->box[0];
    double gp[GS__TG_GPU_MAX], jobs = ft->share / 100 * ft->gpu_jobs, other = 0;

    n = gs__tg_gpu_pmf(ty, gv, gp);
    fprintf(log, "  gpu_num %s %d, model/published jobs:", upper ? "above" : "below", w);
    for (i = 0; i < n; i++) {
        double pub = 0;
        int listed = 0;
        if (upper ? gv[i] <= w : gv[i] >= w)
            continue;
        for (j = 0; j < ft->nout; j++)
            if (ft->out_g[j] == gv[i])
                pub += ft->out_n[j], listed = 1;
        if (listed)
            fprintf(log, " %d:%.1f/%.0f", gv[i], jobs * gp[i], pub);
        else
            other += jobs * gp[i];
    }
    for (j = 0; j < ft->nout; j++)
        if ((upper ? ft->out_g[j] > w : ft->out_g[j] < w) &&
            (upper ? ft->out_g[j] % 8 != 0 : (ft->out_g[j] & (ft->out_g[j] - 1)) != 0))
            fprintf(log, " %d:0/%.0f", ft->out_g[j], ft->out_n[j]);
    fprintf(log, "; at values not published: %.1f\n", other);
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

static void put_tail(FILE *out, const gs__tg_tail *t)
{
    fprintf(out, " {%.4g, %d, %d, %.4g, %.4g, %.4g, %.4g}", t->p, t->gmin, t->gmax, t->q1, t->r,
            t->pi2, t->pi3);
}

static const char header_top[] =
    "/* SPDX-License-Identifier: Apache-2.0 */\n"
    "/* Fitted parameters of the synthetic ACME trace generator (src/core/tracegen.c; the models "
    "are\n"
    " * in src/core/tracegen_int.h and docs/traces.md). GENERATED, do not edit: made by\n"
    " *     build/tools/fit_tracegen DIR            (scripts/calibrate_traces.sh)\n"
    " * from the Seren rows (gs__tg_fitted) and the Kalos rows (gs__tg_fitted_kalos) of DIR's\n"
    " * job_type_share.csv, gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and\n"
    " * cdf_duration_queue_by_type.csv: the values decoded from the figures of Q. Hu et al.,\n"
    " * \"Characterization of Large Language Model Development in the Datacenter\", NSDI '24\n"
    " * (InternLM/AcmeTrace@6d6ac9c, CC BY 4.0), which stay out of this repository.\n"
    " * Least-squares fits (GSL), rounded to 4 significant digits; tests/test_acme.c checks that\n"
    " * the calibration still gives these values when the figure files are there.\n"
    " * Per type: name, share (% of GPU jobs, as published), gpu_num between the whiskers\n"
    " * (count, values, probabilities), the tails below and above them\n"
    " * {p, gmin, gmax, q1, r, pi2, pi3}, then duration and queue\n"
    " * {p1, lo, cap, k, weights, mu, sigma} (mu and sigma of ln seconds). */\n"
    "#ifndef GPUSIM_TRACEGEN_PARAMS_H\n"
    "#define GPUSIM_TRACEGEN_PARAMS_H\n\n"
    "#include \"tracegen_int.h\"\n\n"
    "/* clang-format off */\n";

/* Fits every type of one cluster and writes its table. */
static int calibrate_cluster(const char *dir, const struct cluster_def *cd, FILE *out, FILE *log,
                             gs_err *err)
{
    figs *f = malloc(sizeof(*f));
    gs__tg_type *ty = calloc(MAXT, sizeof(*ty));
    gsl_error_handler_t *old;
    int rc = GS_OK, k, i;

    if (!f || !ty) {
        free(f);
        free(ty);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if ((rc = read_figs(dir, cd, f, err)) != GS_OK)
        goto done;
    old = gsl_set_error_handler_off();
    for (k = 0; k < f->n && rc == GS_OK; k++) {
        const fig_type *ft = &f->t[k];
        gs__tg_type *t = &ty[k];
        mixfit mf;
        int metric;
        t->name = ft->name;
        t->share = round4(ft->share);
        if ((rc = tail_fit(ft, 0, &t->low, err)) != GS_OK ||
            (rc = tail_fit(ft, 1, &t->up, err)) != GS_OK)
            break;
        if (body_fit(ft, t->low.p, t->up.p, t) != 0) {
            rc = gs_errorf(err, GS_EINVAL, "'%s': box plot %d/%d/%d/%d/%d cannot be fitted",
                           ft->name, ft->box[0], ft->box[1], ft->box[2], ft->box[3], ft->box[4]);
            break;
        }
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
            if (mix_fit(&mf, metric == DUR ? &t->dur : &t->queue) != 0) {
                rc = gs_errorf(err, GS_EINVAL, "'%s': the %s fit failed", ft->name,
                               metric == DUR ? "duration" : "queue");
                break;
            }
        }
    }
    gsl_set_error_handler(old);
    if (rc != GS_OK)
        goto done;
    fprintf(out, "static const gs__tg_type %s[] = {\n", cd->table);
    for (k = 0; k < f->n; k++) {
        const fig_type *ft = &f->t[k];
        const gs__tg_type *t = &ty[k];
        double at[2];
        int npts[2];
        double worst[2] = {worst_pp(&t->dur, ft, DUR, &at[0], &npts[0]),
                           worst_pp(&t->queue, ft, QUEUE, &at[1], &npts[1])};
        fprintf(out, "/* %s: %.4g%% of %s GPU jobs (job_type_share.csv) */\n", t->name, t->share,
                cd->name);
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
        fprintf(out, ",\n /* below %d: %s (gpu_num_outliers_by_type.csv) */\n", t->body_v[0],
                t->low.p > 0 ? "powers of two, ratio r per doubling" : "none");
        put_tail(out, &t->low);
        fprintf(out, ",\n /* above %d: %s (gpu_num_outliers_by_type.csv) */\n",
                t->body_v[t->nbody - 1], t->up.p > 0 ? "multiples of 8, by octaves" : "none");
        put_tail(out, &t->up);
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
        fprintf(out, "}%s\n", k + 1 < f->n ? "," : "");
        if (log) {
            fprintf(log,
                    "%s %s: duration worst %.2f pp (at %g s), queue worst %.2f pp (at %g s); "
                    "gpu_num below %d: %.4g, above %d: %.4g\n",
                    cd->name, t->name, worst[0], at[0], worst[1], at[1], t->body_v[0], t->low.p,
                    t->body_v[t->nbody - 1], t->up.p);
            if (t->low.p > 0)
                log_tail(log, ft, t, 0);
            if (t->up.p > 0)
                log_tail(log, ft, t, 1);
        }
    }
    fputs("};\n\n", out);
    if (ferror(out))
        rc = gs_errorf(err, GS_EIO, "cannot write the calibrated parameters");
done:
    free(f);
    free(ty);
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
