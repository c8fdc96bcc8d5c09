/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the scaling model against Sia's measured profiles, and the comparison tables
 * of configs/scaledb/README.md (tools/fit_scaledb_int.h). */
#include "fit_scaledb_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "gpusim/dbgen.h"
#include "lsq.h"
#include "util_int.h"

/* ---- Sia's hardware and applications ---- */

/* Sia's GPU types (its artifact's names: sia-simulator/simulator_config.py) with the links of
 * their nodes. */
static const struct sia_type {
    const char *name;
    const char *what;
    int gpus_per_node;
    double intra_gbs;  /* per GPU and direction */
    double inter_gbps; /* per node */
} sia_types[GS__SIA_NTYPES] = {
    /* DGX A100 datasheet: NVLink 3 (300 GB/s per direction), 8 x 200 Gb/s HDR InfiniBand */
    {"dgx-ext", "DGX A100, 8 x A100-40GB", 8, 300, 1600},
    /* Azure ND40rs_v2: 8 x V100-32GB SXM2 with NVLink 2 (150 GB/s), 100 Gb/s InfiniBand */
    {"azure", "Azure ND40rs_v2, 8 x V100-32GB", 8, 150, 100},
    /* 8 x RTX 2080 Ti on PCIe 3.0 x16 (15.75 GB/s); network not published: 100 Gb/s assumed */
    {"rtx", "8 x RTX 2080 Ti (PCIe)", 8, 15.75, 100},
    /* AWS g4dn.12xlarge: 4 x T4 on PCIe 3.0 x16, 50 Gb/s network */
    {"aws", "AWS g4dn.12xlarge, 4 x T4", 4, 15.75, 50},
    /* 4 x Quadro RTX 6000 on PCIe 3.0 x16, one node */
    {"quad", "4 x Quadro RTX 6000 (PCIe)", 4, 15.75, 100},
};

/* Sia's applications (its artifact's sia-simulator/applications.py) and the fp32 gradient bytes
 * of their models:
 * 4 bytes per parameter of BERT-base (110M, Devlin et al., NAACL 2019), the CIFAR ResNet-18
 * (11.2M) and ResNet-50 (25.6M, He et al., CVPR 2016), YOLOv3 (62M, Redmon and Farhadi,
 * arXiv:1804.02767); DeepSpeech2 and NCF have no published size in Sia's set-up: fitted. */
static const struct sia_app {
    const char *name;
    double grad_bytes; /* 0: fitted */
} sia_apps[GS__SIA_NAPPS] = {
    {"bert", 4 * 110e6}, {"cifar10", 4 * 11.2e6}, {"deepspeech2", 0}, {"imagenet", 4 * 25.6e6},
    {"ncf", 0},          {"yolov3", 4 * 62e6},
};

#define DDP_BUCKET 25e6 /* bytes per gradient bucket: PyTorch DDP's bucket_cap_mb default */

/* ---- loading the profiles ---- */

typedef struct prow {
    char place[24];
    double bsz, step, sync;
} prow;

typedef struct pfile {
    const char *path;
    int col[4]; /* placement, local_bsz, step_time, sync_time */
    int header;
    prow *rows;
    size_t n, cap;
} pfile;

static int prow_cb(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    static const char *const names[4] = {"placement", "local_bsz", "step_time", "sync_time"};
    pfile *pf = ctx;
    prow r;
    size_t i;
    int c;

    if (!pf->header) {
        for (c = 0; c < 4; c++) {
            pf->col[c] = -1;
            for (i = 0; i < n; i++)
                if (!strcmp(f[i].s, names[c]))
                    pf->col[c] = (int)i;
            if (pf->col[c] < 0)
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: no column '%s'", pf->path, line,
                                 names[c]);
        }
        pf->header = 1;
        return GS_OK;
    }
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    for (c = 0; c < 4; c++)
        if ((size_t)pf->col[c] >= n)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too few fields", pf->path, line);
    if (f[pf->col[0]].len >= sizeof(r.place) ||
        gs__parse_double(f[pf->col[1]].s, f[pf->col[1]].len, &r.bsz) ||
        gs__parse_double(f[pf->col[2]].s, f[pf->col[2]].len, &r.step) ||
        gs__parse_double(f[pf->col[3]].s, f[pf->col[3]].len, &r.sync) || !(r.bsz > 0) ||
        !(r.step > 0) || !(r.sync >= 0))
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: malformed row", pf->path, line);
    memcpy(r.place, f[pf->col[0]].s, f[pf->col[0]].len + 1);
    if (pf->n == pf->cap) {
        size_t cap = pf->cap ? 2 * pf->cap : 256;
        prow *nr = realloc(pf->rows, cap * sizeof(*nr));
        if (!nr)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        pf->rows = nr;
        pf->cap = cap;
    }
    pf->rows[pf->n++] = r;
    return GS_OK;
}

static int by_place_bsz(const void *a, const void *b)
{
    const prow *x = a, *y = b;
    int c = strcmp(x->place, y->place);

    return c ? c : (x->bsz > y->bsz) - (x->bsz < y->bsz);
}

/* Linear interpolation in local batch over the rows [lo, hi) of one placement (Sia's own
 * lookup); -1 outside the measured range. */
static int interp(const prow *r, size_t lo, size_t hi, double b, double *step, double *sync)
{
    size_t i;

    if (hi <= lo || b < r[lo].bsz - 1e-9 || b > r[hi - 1].bsz + 1e-9)
        return -1;
    for (i = lo; i + 1 < hi; i++) {
        if (b <= r[i + 1].bsz) {
            double w = r[i + 1].bsz > r[i].bsz ? (b - r[i].bsz) / (r[i + 1].bsz - r[i].bsz) : 0;
            *step = r[i].step + w * (r[i + 1].step - r[i].step);
            *sync = r[i].sync + w * (r[i + 1].sync - r[i].sync);
            return 0;
        }
    }
    *step = r[hi - 1].step;
    *sync = r[hi - 1].sync;
    return 0;
}

typedef struct spt {
    int app, type;
    double gl, n, r; /* GPUs per node, nodes, GPUs */
    double B;        /* global batch */
    double comp;     /* 1-GPU accumulation time at the per-GPU batch B / r */
    double t1;       /* 1-GPU step time at B */
    double e_meas;   /* measured efficiency */
} spt;

struct gs__sia_data {
    spt *p;
    size_t n, cap;
};

void gs__sia_free(gs__sia_data *d)
{
    if (!d)
        return;
    free(d->p);
    free(d);
}

static int add_points(gs__sia_data *d, int app, int type, const prow *rows, size_t n, gs_err *err)
{
    size_t o0 = 0, o1, lo, hi, k;

    /* the 1-GPU rows */
    while (o0 < n && strcmp(rows[o0].place, "1"))
        o0++;
    for (o1 = o0; o1 < n && !strcmp(rows[o1].place, "1"); o1++)
        ;
    if (o1 == o0)
        return gs_errorf(err, GS_EPARSE, "no 1-GPU rows for %s on %s", sia_apps[app].name,
                         sia_types[type].name);
    for (lo = 0; lo < n; lo = hi) {
        const char *pl = rows[lo].place;
        size_t len = strlen(pl), i;
        int same = len > 0;
        for (hi = lo; hi < n && !strcmp(rows[hi].place, pl); hi++)
            ;
        for (i = 1; i < len; i++)
            same &= pl[i] == pl[0];
        if (!same || pl[0] < '1' || pl[0] > '9' || (len == 1 && pl[0] == '1'))
            continue; /* only placements with the same GPU count on every node */
        for (k = o0; k < o1; k++) {
            double B = rows[k].bsz, gl = pl[0] - '0', nn = (double)len, r = gl * nn;
            double st, sy, c1, s1, t1 = rows[k].step;
            spt *p;
            if (interp(rows, lo, hi, B / r, &st, &sy) || interp(rows, o0, o1, B / r, &c1, &s1))
                continue;
            if (d->n == d->cap) {
                size_t cap = d->cap ? 2 * d->cap : 1024;
                spt *np = realloc(d->p, cap * sizeof(*np));
                if (!np)
                    return gs_errorf(err, GS_ENOMEM, "out of memory");
                d->p = np;
                d->cap = cap;
            }
            p = &d->p[d->n++];
            p->app = app;
            p->type = type;
            p->gl = gl;
            p->n = nn;
            p->r = r;
            p->B = B;
            p->comp = c1 - s1;
            p->t1 = t1;
            p->e_meas = (B / st) / (r * B / t1);
        }
    }
    return GS_OK;
}

gs__sia_data *gs__sia_load(const char *dir, gs_err *err)
{
    gs__sia_data *d = calloc(1, sizeof(*d));
    int a, t, rc = GS_OK;

    if (!d) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    for (a = 0; a < GS__SIA_NAPPS && rc == GS_OK; a++) {
        for (t = 0; t < GS__SIA_NTYPES && rc == GS_OK; t++) {
            char path[1024];
            pfile pf;
            memset(&pf, 0, sizeof(pf));
            snprintf(path, sizeof(path), "%s/traces/%s/placements-%s.csv", dir, sia_apps[a].name,
                     sia_types[t].name);
            pf.path = path;
            rc = gs__csv_read(path, prow_cb, &pf, err);
            if (rc == GS_OK) {
                qsort(pf.rows, pf.n, sizeof(*pf.rows), by_place_bsz);
                rc = add_points(d, a, t, pf.rows, pf.n, err);
            }
            free(pf.rows);
        }
    }
    if (rc != GS_OK) {
        gs__sia_free(d);
        return NULL;
    }
    return d;
}

/* ---- the model on Sia's points ---- */

static gs__dbm_links links_of(int type)
{
    gs__dbm_links l;

    l.intra_Bps = sia_types[type].intra_gbs * 1e9;
    l.inter_Bps = sia_types[type].inter_gbps / 8 * 1e9 / sia_types[type].gpus_per_node;
    l.eff = GS__DBM_COLL_EFF;
    return l;
}

/* The model's efficiency at point p: the measured 1-GPU compute at the per-GPU batch, plus
 * what the LLM model adds on more than one GPU (src/core/dbgen.c eval_plan, zero-2): the
 * gradient all-reduce's exposed part, the small per-step collectives, the step overhead. */
static double model_eff(const spt *p, const gs__dbm_fit *f, double bytes)
{
    gs__dbm_links l = links_of(p->type);
    double sync = gs__dbm_allreduce(&l, f, bytes, p->gl, p->n);
    double small = 2 * (2 * (p->gl - 1) * f->lat_intra + 2 * (p->n - 1) * f->lat_inter);
    double step = p->comp +
                  gs__dbm_exposed(f, sync, GS__DBM_BWD_SHARE * p->comp, bytes / DDP_BUCKET) +
                  small + f->step_overhead;

    return (p->B / step) / (p->r * p->B / p->t1);
}

void gs__sia_errors(const gs__sia_data *d, const gs__dbm_fit *fits, const double *app_bytes,
                    double *rmse, double *max_err, int *points)
{
    double ss[GS__SIA_NTYPES] = {0};
    size_t i;
    int t;

    for (t = 0; t < GS__SIA_NTYPES; t++) {
        max_err[t] = 0;
        points[t] = 0;
    }
    for (i = 0; i < d->n; i++) {
        const spt *p = &d->p[i];
        double e = model_eff(p, &fits[p->type], app_bytes[p->app]) - p->e_meas;
        ss[p->type] += e * e;
        points[p->type]++;
        if (fabs(e) > max_err[p->type])
            max_err[p->type] = fabs(e);
    }
    for (t = 0; t < GS__SIA_NTYPES; t++)
        rmse[t] = points[t] ? sqrt(ss[t] / points[t]) : 0;
}

/* ---- the fit ---- */

#define NPER     4 /* per type: ln lat_intra, ln lat_inter, logit overlap, ln step_overhead */
#define PRIOR_W  0.01
#define PRIOR_LN (-9.2) /* ln 1e-4 s: where unidentified latencies and overheads settle */
#define MAXITER  500

static int fitted_app(int a)
{
    return sia_apps[a].grad_bytes == 0;
}

typedef struct fitctx {
    const gs__sia_data *d;
    int napps_fit; /* applications whose bytes are fitted */
    int appidx[GS__SIA_NAPPS];
} fitctx;

static void unpack(const fitctx *fc, const double *x, gs__dbm_fit *fits, double *bytes)
{
    int t, a;

    for (t = 0; t < GS__SIA_NTYPES; t++) {
        const double *v = x + NPER * t;
        memset(&fits[t], 0, sizeof(fits[t]));
        fits[t].sia_type = sia_types[t].name;
        fits[t].lat_intra = exp(v[0]);
        fits[t].lat_inter = exp(v[1]);
        fits[t].overlap = 1 / (1 + exp(-v[2]));
        fits[t].step_overhead = exp(v[3]);
    }
    for (a = 0; a < GS__SIA_NAPPS; a++)
        bytes[a] =
            fitted_app(a) ? exp(x[NPER * GS__SIA_NTYPES + fc->appidx[a]]) : sia_apps[a].grad_bytes;
}

static int resid(const gsl_vector *v, void *ctx, gsl_vector *r)
{
    const fitctx *fc = ctx;
    gs__dbm_fit fits[GS__SIA_NTYPES];
    double bytes[GS__SIA_NAPPS];
    size_t i, np = NPER * GS__SIA_NTYPES + (size_t)fc->napps_fit, k;

    unpack(fc, v->data, fits, bytes);
    for (i = 0; i < fc->d->n; i++) {
        const spt *p = &fc->d->p[i];
        double e = model_eff(p, &fits[p->type], bytes[p->app]) - p->e_meas;
        gsl_vector_set(r, i, isfinite(e) ? e : 1e3);
    }
    /* weak priors keep constants the data cannot identify (no multi-node point on a type)
     * finite; they move identified ones by far less than the fit error */
    for (k = 0; k < np; k++) {
        double x = gsl_vector_get(v, k), c = 0;
        if (k < NPER * GS__SIA_NTYPES)
            c = k % NPER == 2 ? 0 : PRIOR_LN;
        else
            c = log(1e8);
        gsl_vector_set(r, fc->d->n + k, PRIOR_W * (x - c));
    }
    return GSL_SUCCESS;
}

static double lsq(fitctx *fc, double *x0, size_t np)
{
    return gs__lsq(resid, fc, fc->d->n + np, np, x0, MAXITER, 1e-10);
}

int gs__sia_fit(const gs__sia_data *d, gs__dbm_fit *fits, double *app_bytes, gs_err *err)
{
    /* starting points: latencies of 10 us to 1 ms, overlap 0.5 or 0.9, overhead 1-10 ms */
    static const double starts[][NPER] = {
        {-11.5, -9.2, 0.0, -6.9}, {-6.9, -6.9, 2.2, -4.6}, {-9.2, -11.5, 2.2, -9.2}};
    fitctx fc;
    double best[NPER * GS__SIA_NTYPES + GS__SIA_NAPPS], x[NPER * GS__SIA_NTYPES + GS__SIA_NAPPS];
    double bestc = HUGE_VAL;
    size_t np, s;
    int a, t;
    double rmse[GS__SIA_NTYPES], mx[GS__SIA_NTYPES];
    int pts[GS__SIA_NTYPES];

    gsl_set_error_handler_off();
    memset(&fc, 0, sizeof(fc));
    fc.d = d;
    for (a = 0; a < GS__SIA_NAPPS; a++)
        if (fitted_app(a))
            fc.appidx[a] = fc.napps_fit++;
    np = NPER * GS__SIA_NTYPES + (size_t)fc.napps_fit;
    if (d->n == 0)
        return gs_errorf(err, GS_EINVAL, "no Sia profile point to fit");
    for (s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
        double c;
        for (t = 0; t < GS__SIA_NTYPES; t++)
            memcpy(x + NPER * t, starts[s], sizeof(starts[s]));
        for (a = 0; a < fc.napps_fit; a++)
            x[NPER * GS__SIA_NTYPES + a] = log(1e8);
        c = lsq(&fc, x, np);
        if (c < bestc) {
            bestc = c;
            memcpy(best, x, np * sizeof(*x));
        }
    }
    if (!isfinite(bestc))
        return gs_errorf(err, GS_EINVAL, "the least-squares fit failed");
    unpack(&fc, best, fits, app_bytes);
    gs__sia_errors(d, fits, app_bytes, rmse, mx, pts);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        fits[t].rmse = rmse[t];
        fits[t].max_err = mx[t];
        fits[t].points = pts[t];
    }
    return GS_OK;
}

const gs__dbm_fit *gs__sia_committed(double *app_bytes)
{
    static gs__dbm_fit fits[GS__SIA_NTYPES];
    const gs__dbm_fit *all;
    int n, t, k, a;

    all = gs__dbm_fits(&n);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        memset(&fits[t], 0, sizeof(fits[t]));
        fits[t].sia_type = sia_types[t].name;
        for (k = 0; k < n; k++)
            if (!strcmp(all[k].sia_type, sia_types[t].name))
                fits[t] = all[k];
    }
    for (a = 0; a < GS__SIA_NAPPS; a++)
        app_bytes[a] = gs__dbm_sia_app_bytes(sia_apps[a].name);
    return fits;
}

/* Four significant digits, printed so that they read back as written. */
static void g4(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.4g", v);
}

int gs__sia_write_header(FILE *fp, const gs__dbm_fit *fits, const double *app_bytes, gs_err *err)
{
    int t, a;

    fputs("/* SPDX-License-Identifier: Apache-2.0 */\n"
          "/* Fitted overhead constants of the scaling model (src/core/dbgen.c). GENERATED, do "
          "not\n"
          " * edit: made by build/tools/fit_scaledb (scripts/calibrate_scaledb.sh) from Sia's "
          "measured\n"
          " * throughput profiles (siasosp23/artifacts@aaf7a0d, traces/<app>/placements-<gpu>."
          "csv),\n"
          " * which stay out of this repository. Per Sia GPU type: latency per ring step of a\n"
          " * collective inside and between nodes (s), the share of a step's collectives that "
          "can\n"
          " * hide behind the backward pass, the per-step overhead on more than one GPU (s), "
          "then\n"
          " * the fit's RMS and largest error of the scaling efficiency and its number of "
          "points\n"
          " * (tests/test_dbfit.c checks them when the profiles are there). Four significant "
          "digits.\n"
          " * Then the fp32 gradient bytes of Sia's applications (published model sizes; "
          "DeepSpeech2\n"
          " * and NCF fitted). configs/scaledb/README.md explains the fit. */\n"
          "#ifndef GPUSIM_DBGEN_FIT_H\n#define GPUSIM_DBGEN_FIT_H\n\n#include "
          "\"dbmodel_int.h\"\n\n/* clang-format off */\n"
          "static const gs__dbm_fit gs__dbm_fitted[] = {\n",
          fp);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        char v[7][32];
        g4(v[0], sizeof(v[0]), fits[t].lat_intra);
        g4(v[1], sizeof(v[1]), fits[t].lat_inter);
        g4(v[2], sizeof(v[2]), fits[t].overlap);
        g4(v[3], sizeof(v[3]), fits[t].step_overhead);
        g4(v[4], sizeof(v[4]), fits[t].rmse);
        g4(v[5], sizeof(v[5]), fits[t].max_err);
        fprintf(fp, "    /* %s */\n    {\"%s\", %s, %s, %s, %s, %s, %s, %d},\n", sia_types[t].what,
                fits[t].sia_type, v[0], v[1], v[2], v[3], v[4], v[5], fits[t].points);
    }
    fputs("};\n\nstatic const struct gs__dbm_sia_app {\n    const char *app;\n    double "
          "grad_bytes;\n} gs__dbm_sia_apps[] = {\n",
          fp);
    for (a = 0; a < GS__SIA_NAPPS; a++) {
        char v[32];
        g4(v, sizeof(v), app_bytes[a]);
        fprintf(fp, "    {\"%s\", %s},%s\n", sia_apps[a].name, v,
                fitted_app(a) ? " /* fitted */" : "");
    }
    fputs("};\n/* clang-format on */\n\n#endif\n", fp);
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write the header");
    return GS_OK;
}

/* ---- the README tables ---- */

static const char *const db_types[] = {"V100-32GB", "A100-40GB", "A100-80GB", "H100-80GB", "L40S"};
#define NDBT 5
static const char *const db_classes[] = {"llm-7b-lora",  "llm-7b-full",  "llm-13b-lora",
                                         "llm-13b-full", "llm-34b-lora", "llm-34b-full",
                                         "llm-70b-lora", "llm-70b-full"};
#define NDBC 8

static int per_gpu(const char *cls, const char *type, int g, double *v, int *viable, gs_err *err)
{
    gs_dbgen_point pt;
    int rc = gs_dbgen_eval(cls, type, g, &pt, err);

    *v = pt.throughput / g;
    *viable = pt.viable;
    return rc;
}

/* Sia's measured efficiency at 8 GPUs (on as few nodes as the type allows) at each
 * application's largest one-GPU batch: the range over the applications, per Sia type; lo > hi
 * when there is none. */
static void sia_range8(const gs__sia_data *d, double *lo, double *hi)
{
    double bmax[GS__SIA_NTYPES][GS__SIA_NAPPS] = {{0}};
    size_t i;
    int t;

    for (t = 0; t < GS__SIA_NTYPES; t++) {
        lo[t] = 1e9;
        hi[t] = -1e9;
    }
    if (!d)
        return;
    for (i = 0; i < d->n; i++)
        if (d->p[i].B > bmax[d->p[i].type][d->p[i].app])
            bmax[d->p[i].type][d->p[i].app] = d->p[i].B;
    for (i = 0; i < d->n; i++) {
        const spt *p = &d->p[i];
        int gpn = sia_types[p->type].gpus_per_node;
        if (p->r != 8 || p->n != 8.0 / (gpn < 8 ? gpn : 8) || p->B != bmax[p->type][p->app])
            continue;
        if (p->e_meas < lo[p->type])
            lo[p->type] = p->e_meas;
        if (p->e_meas > hi[p->type])
            hi[p->type] = p->e_meas;
    }
}

/* The Sia type whose constants a DB type takes (the README's table), or -1. */
static int sia_of(const char *db_type)
{
    if (!strcmp(db_type, "V100-32GB"))
        return 1;
    if (!strcmp(db_type, "L40S"))
        return 2;
    return 0;
}

/* Efficiency at g GPUs against the smallest count (of 1, 2, 4, 8, 16, 32, 64) at which the
 * class is viable on the type. */
static int eff_row(FILE *fp, const char *cls, const char *type, const double *lo, const double *hi,
                   gs_err *err)
{
    static const int base_counts[] = {1, 2, 4, 8, 16, 32, 64};
    static const int at[] = {8, 64, 512};
    double pb = 0, v, p8 = 0, p64 = 0;
    int base = 0, viable, i, rc;

    for (i = 0; i < 7 && !base; i++) {
        if ((rc = per_gpu(cls, type, base_counts[i], &v, &viable, err)) != GS_OK)
            return rc;
        if (viable) {
            base = base_counts[i];
            pb = v;
        }
    }
    if (!base) {
        fprintf(fp, "| %s | %s | not viable up to 64 | - | - | - | - | |\n", cls, type);
        return GS_OK;
    }
    fprintf(fp, "| %s | %s | %d |", cls, type, base);
    for (i = 0; i < 3; i++) {
        if ((rc = per_gpu(cls, type, at[i], &v, &viable, err)) != GS_OK)
            return rc;
        if (at[i] == 8)
            p8 = v;
        if (at[i] == 64)
            p64 = v;
        if (at[i] < base)
            fputs(" - |", fp);
        else
            fprintf(fp, " %.2f |", v / pb);
    }
    if (base <= 8)
        fprintf(fp, " %.2f |", p64 / p8);
    else
        fputs(" - |", fp);
    {
        int st = sia_of(type);
        if (lo[st] <= hi[st])
            fprintf(fp, " Sia %s at 8: %.2f-%.2f", sia_types[st].name, lo[st], hi[st]);
        if (!strcmp(cls, "llm-70b-lora") && !strcmp(type, "H100-80GB"))
            fputs("; MLPerf 64 vs 8: 0.73-0.75 [25]", fp);
    }
    fputs(" |\n", fp);
    return GS_OK;
}

/* Published per-GPU throughputs of LLM training/fine-tuning (tokens/s per GPU). */
static const struct pub {
    const char *cls, *type;
    int gpus;
    double tps;
    const char *src;
} pubs[] = {
    {"llm-7b-full", "A100-80GB", 8, 3684, "[22] MPT-7B, seq 4,096, BF16, FSDP"},
    {"llm-13b-full", "A100-80GB", 8, 2060, "[22] MPT-13B, seq 4,096, BF16, FSDP"},
    {"llm-70b-full", "A100-80GB", 64, 410, "[22] MPT-70B, seq 2,048, BF16, FSDP"},
    {"llm-7b-full", "H100-80GB", 8, 8611, "[22] MPT-7B, seq 4,096, BF16, FSDP"},
    {"llm-13b-full", "H100-80GB", 8, 4717, "[22] MPT-13B, seq 4,096, BF16, FSDP"},
    {"llm-70b-full", "H100-80GB", 64, 1039, "[22] MPT-70B, seq 2,048, BF16, FSDP"},
    {"llm-7b-full", "H100-80GB", 8, 16891, "[21] Llama 2 7B SFT, FP8"},
    {"llm-13b-full", "H100-80GB", 8, 10176, "[21] Llama 2 13B SFT, FP8"},
    {"llm-70b-full", "H100-80GB", 16, 1816, "[21] Llama 2 70B SFT, FP8, TP 4 PP 4"},
    {"llm-7b-lora", "H100-80GB", 8, 24824, "[21] Llama 2 7B LoRA, FP8"},
    {"llm-13b-lora", "H100-80GB", 8, 14629, "[21] Llama 2 13B LoRA, FP8"},
    {"llm-70b-lora", "H100-80GB", 8, 2621, "[21] Llama 2 70B LoRA, FP8, TP 2 PP 4"},
};

int gs__sia_report(FILE *fp, const gs__sia_data *d, gs_err *err)
{
    double app_bytes[GS__SIA_NAPPS], rmse[GS__SIA_NTYPES], mx[GS__SIA_NTYPES];
    const gs__dbm_fit *fits = gs__sia_committed(app_bytes);
    int pts[GS__SIA_NTYPES], t, c, rc;
    size_t i;

    if (d)
        gs__sia_errors(d, fits, app_bytes, rmse, mx, pts);
    fputs("Fit against Sia's profiles (scaling efficiency at a fixed global batch, every "
          "placement with the same GPU count on each node):\n\n"
          "| Sia GPU type | DB types that take its constants | points | RMS error | largest "
          "error | latency in node (us) | latency between nodes (us) | overlap | step "
          "overhead (ms) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
          fp);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        static const char *const takers[GS__SIA_NTYPES] = {"A100-40GB, A100-80GB, H100-80GB",
                                                           "V100-32GB", "L40S", "-", "-"};
        fprintf(fp, "| %s (%s) | %s | %d | %.3f | %.3f | %.1f | %.1f | %.2f | %.2f |\n",
                sia_types[t].name, sia_types[t].what, takers[t], d ? pts[t] : fits[t].points,
                d ? rmse[t] : fits[t].rmse, d ? mx[t] : fits[t].max_err, fits[t].lat_intra * 1e6,
                fits[t].lat_inter * 1e6, fits[t].overlap, fits[t].step_overhead * 1e3);
    }
    fputs("\nScaling efficiency of the DB: per-GPU throughput at 8, 64 and 512 GPUs over that "
          "at the smallest viable count (base), and 64 over 8 GPUs (MLPerf's measure); the "
          "sources: Sia's measured efficiency at 8 GPUs (fixed batch, vs 1 GPU) of the Sia type "
          "whose constants the row's type takes, over its six applications, and MLPerf:\n\n"
          "| class | GPU type | base GPUs | 8 | 64 | 512 | 64 vs 8 | sources |\n"
          "|---|---|---:|---:|---:|---:|---:|---|\n",
          fp);
    {
        double lo[GS__SIA_NTYPES], hi[GS__SIA_NTYPES];
        sia_range8(d, lo, hi);
        for (c = 0; c < NDBC; c++)
            for (t = 0; t < NDBT; t++)
                if ((rc = eff_row(fp, db_classes[c], db_types[t], lo, hi, err)) != GS_OK)
                    return rc;
    }
    fputs("\nPer-GPU tokens/s of the DB against published figures:\n\n"
          "| class | GPU type | GPUs | ours | published | ours / published | source |\n"
          "|---|---|---:|---:|---:|---:|---|\n",
          fp);
    for (i = 0; i < sizeof(pubs) / sizeof(pubs[0]); i++) {
        double v;
        int viable;
        if ((rc = per_gpu(pubs[i].cls, pubs[i].type, pubs[i].gpus, &v, &viable, err)) != GS_OK)
            return rc;
        fprintf(fp, "| %s | %s | %d | %.0f%s | %.0f | %.2f | %s |\n", pubs[i].cls, pubs[i].type,
                pubs[i].gpus, v, viable ? "" : " (not viable)", pubs[i].tps, v / pubs[i].tps,
                pubs[i].src);
    }
    {
        /* MLPerf Training v4.0 Llama 2 70B LoRA: GBS 8 of 8,192 tokens; NVIDIA's 8-GPU
         * configuration is TP 4 x DP 2 with 4 sequences per micro-batch; at 64 GPUs TP 4 x CP 2
         * x DP 8, one sequence each: context parallelism is not in the model, PP 2 stands in */
        gs__dbm_plan_in a = {"llm-70b-lora", "H100-80GB", 8, 8, 8192, "tp+pp", 4, 1, 4, 0};
        gs__dbm_plan_in b = {"llm-70b-lora", "H100-80GB", 64, 8, 8192, "tp+pp", 4, 2, 1, 0};
        double ta, tb, ma, mb;
        int fa, fb;
        if ((rc = gs__dbgen_eval_plan(&a, &ta, &ma, &fa, err)) != GS_OK ||
            (rc = gs__dbgen_eval_plan(&b, &tb, &mb, &fb, err)) != GS_OK)
            return rc;
        fprintf(fp,
                "\nMLPerf Training v4.0 Llama 2 70B LoRA set-up (8 sequences of 8,192 tokens per "
                "step) in the model, H100-80GB: 8 GPUs as TP 4 x DP 2 %.0f tokens/s per GPU%s; "
                "64 GPUs as TP 4 x PP 2 x DP 8 %.0f%s: 64 vs 8 GPUs %.2f (MLPerf: about "
                "0.73-0.75).\n",
                ta / 8, fa ? "" : " (does not fit)", tb / 64, fb ? "" : " (does not fit)",
                (tb / 64) / (ta / 8));
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write the report");
    return GS_OK;
}
