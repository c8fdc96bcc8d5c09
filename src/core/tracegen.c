/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic ACME-schema traces from parametric models fitted to the published ACME figures
 * (`gpusim gen-trace`).
 *
 * The models (src/core/tracegen_int.h, docs/traces.md) are ours: per job type, gpu_num between the
 * box plot's whiskers plus the published outliers outside them, and duration and queue as mixtures
 * of log-normals. Their parameters (src/core/tracegen_params.h) were fitted by the developer tool
 * tools/fit_tracegen (scripts/calibrate_traces.sh) to the figures of Q. Hu et al.,
 * "Characterization of Large Language Model Development in the Datacenter", NSDI '24 (data
 * InternLM/AcmeTrace@6d6ac9c, CC BY 4.0), as decoded from those figures; no figure value or trace
 * row is kept here. docs/traces.md lists every assumption. */
#include "gpusim/tracegen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/limits.h"
#include "gpusim/trace.h"
#include "rng_int.h"
#include "tracegen_int.h"
#include "util_int.h"

#include "tracegen_params.h"

/* Mean SFT submissions per hour: ~67,100 SFT jobs (14.9% of Seren's 450,590 GPU jobs) over
 * 184 days (Hu et al., NSDI '24: the trace's span and Seren's job count). */
#define SFT_PER_HOUR 15.2
/* Mean Kalos GPU submissions per hour: 19,907 GPU jobs (InternLM/AcmeTrace, cluster_summary.csv)
 * over May to August 2023, 123 days (the period a third-party analysis of the released trace
 * reports; assumption D of docs/traces.md). */
#define KALOS_PER_HOUR 6.74

#define NUSERS              200 /* user population (assumption F) */
#define CPUS_PER_GPU        16  /* cpu_num per GPU (assumption G; gpusim does not read it) */
#define SEREN_GPUS_PER_NODE 8
#define KALOS_GPUS_PER_NODE 8 /* 2,416 A100s in 302 nodes of 8 (Hu et al., NSDI '24) */
#define PI                  3.14159265358979323846
#define DIURNAL_PEAK_HOUR   15.0 /* local hour of the busiest submissions (assumption D) */

#define NTYPES   ((int)(sizeof(gs__tg_fitted) / sizeof(gs__tg_fitted[0])))
#define NKALOS   ((int)(sizeof(gs__tg_fitted_kalos) / sizeof(gs__tg_fitted_kalos[0])))
#define MAXTYPES 8

/* The fitted types of a cluster (GS_TRACEGEN_SEREN or GS_TRACEGEN_KALOS). */
static const gs__tg_type *fitted(int cluster, int *n)
{
    *n = cluster == GS_TRACEGEN_KALOS ? NKALOS : NTYPES;
    return cluster == GS_TRACEGEN_KALOS ? gs__tg_fitted_kalos : gs__tg_fitted;
}

/* The state model of a cluster. */
static const gs__tg_states *state_model(int cluster)
{
    return cluster == GS_TRACEGEN_KALOS ? &gs__tg_state_model_kalos : &gs__tg_state_model;
}

static int type_index_in(int cluster, const char *name)
{
    int t, n;
    const gs__tg_type *tt = fitted(cluster, &n);

    for (t = 0; t < n; t++)
        if (!strcmp(tt[t].name, name))
            return t;
    return -1;
}

static int type_index(const char *name)
{
    return type_index_in(GS_TRACEGEN_SEREN, name);
}

/* ---- delays: mixtures of log-normals ---- */

static double phi_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* M(x) at t = ln x, and its derivative in t */
static double mix_m(const gs__tg_mix *m, double t, double *dm)
{
    double s = 0, d = 0;
    int i;

    for (i = 0; i < m->k; i++) {
        double z = (t - m->mu[i]) / m->sigma[i];
        s += m->w[i] * phi_cdf(z);
        d += m->w[i] * exp(-0.5 * z * z) / (m->sigma[i] * sqrt(2 * PI));
    }
    if (dm)
        *dm = d;
    return s;
}

double gs__tg_mix_cdf(const gs__tg_mix *m, double x)
{
    double mlo, mcap;

    if (x <= m->lo || x <= 0)
        return m->p1;
    if (x >= m->cap)
        return 1;
    mlo = m->lo > 0 ? mix_m(m, log(m->lo), NULL) : 0;
    mcap = mix_m(m, log(m->cap), NULL);
    return m->p1 + (1 - m->p1) * (mix_m(m, log(x), NULL) - mlo) / (mcap - mlo);
}

/* The t = ln x in [a, b] where M reaches target: Newton from t, bisecting whenever a step
 * would leave the bracket (which shrinks around the root). */
static double mix_solve(const gs__tg_mix *m, double target, double a, double b, double t)
{
    int it;

    if (!(t > a && t < b))
        t = (a + b) / 2;
    for (it = 0; it < 200; it++) {
        double d, g = mix_m(m, t, &d) - target, next;
        if (g == 0)
            break;
        if (g > 0)
            b = t;
        else
            a = t;
        next = d > 0 ? t - g / d : a;
        if (!(next > a && next < b)) /* Newton left the bracket: bisect */
            next = (a + b) / 2;
        if (fabs(next - t) <= 1e-13 * (1 + fabs(t)) || b - a <= 1e-13 * (1 + fabs(t))) {
            t = next;
            break;
        }
        t = next;
    }
    return t;
}

/* The bracket of the continuous part in t = ln x: from lo (or far below every component when
 * lo = 0) to cap; and M there. */
static void mix_bracket(const gs__tg_mix *m, double *a, double *b, double *mlo, double *mcap)
{
    int i;

    if (m->lo > 0) {
        *a = log(m->lo);
    } else {
        *a = log(m->cap);
        for (i = 0; i < m->k; i++)
            if (m->mu[i] - 40 * m->sigma[i] < *a)
                *a = m->mu[i] - 40 * m->sigma[i];
    }
    *b = log(m->cap);
    *mlo = m->lo > 0 ? mix_m(m, *a, NULL) : 0;
    *mcap = mix_m(m, *b, NULL);
}

double gs__tg_mix_inverse(const gs__tg_mix *m, double u)
{
    double a, b, mlo, mcap, t = 0;
    int i;

    if (u <= m->p1)
        return 1;
    if (u >= 1)
        return m->cap;
    mix_bracket(m, &a, &b, &mlo, &mcap);
    for (i = 0; i < m->k; i++)
        t += m->w[i] * m->mu[i];
    return exp(mix_solve(m, mlo + (u - m->p1) / (1 - m->p1) * (mcap - mlo), a, b, t));
}

/* The same, faster for many draws: the roots at TABN + 1 evenly spaced levels of the
 * continuous part bracket every other root, so Newton starts next to it. */
#define TABN 512

typedef struct mix_table {
    const gs__tg_mix *m;
    double mlo, mcap;
    double t[TABN + 1];
} mix_table;

static void mix_table_init(mix_table *tb, const gs__tg_mix *m)
{
    double a, b;
    int i;

    tb->m = m;
    mix_bracket(m, &a, &b, &tb->mlo, &tb->mcap);
    tb->t[0] = a;
    tb->t[TABN] = b;
    for (i = 1; i < TABN; i++)
        tb->t[i] =
            mix_solve(m, tb->mlo + (tb->mcap - tb->mlo) * i / TABN, tb->t[i - 1], b, tb->t[i - 1]);
}

static double mix_table_inverse(const mix_table *tb, double u)
{
    const gs__tg_mix *m = tb->m;
    double v, f;
    int i;

    if (u <= m->p1)
        return 1;
    if (u >= 1)
        return m->cap;
    v = (u - m->p1) / (1 - m->p1);
    f = v * TABN;
    i = (int)f < TABN ? (int)f : TABN - 1;
    return exp(mix_solve(m, tb->mlo + v * (tb->mcap - tb->mlo), tb->t[i], tb->t[i + 1],
                         tb->t[i] + (f - i) * (tb->t[i + 1] - tb->t[i])));
}

/* ---- gpu_num: the box plot's body and the published tail ---- */

int gs__tg_gpu_pmf(const gs__tg_type *t, int *v, double *p)
{
    int n = 0, i = 0, j = 0;
    double sum = 0;

    if (t->nbody < 1 || t->nbody > GS__TG_BODY_MAX || t->ntail < 0 || t->ntail > GS__TG_TAIL_MAX)
        return -1;
    while (i < t->nbody || j < t->ntail) { /* merge the two increasing lists */
        int body = j == t->ntail || (i < t->nbody && t->body_v[i] < t->tail_v[j]);
        v[n] = body ? t->body_v[i] : t->tail_v[j];
        p[n] = body ? t->body_p[i++] : t->tail_p[j++];
        if (v[n] < 1 || v[n] > GS__TG_GMAX || !(p[n] >= 0) || (n > 0 && v[n] <= v[n - 1]))
            return -1;
        sum += p[n++];
    }
    if (!(sum > 0))
        return -1;
    for (i = 0; i < n; i++) /* the rounded parameters sum to 1 within 1e-3 */
        p[i] /= sum;
    return n;
}

void gs__tg_state_probs(const gs__tg_states *m, double duration, double *p)
{
    double x = log(duration > 1 ? duration : 1), sum = 0, top = -INFINITY;
    int s;

    for (s = 0; s < GS__TG_NSTATES; s++)
        top = m->a[s] + m->b[s] * x > top ? m->a[s] + m->b[s] * x : top;
    for (s = 0; s < GS__TG_NSTATES; s++)
        sum += p[s] = exp(m->a[s] + m->b[s] * x - top);
    for (s = 0; s < GS__TG_NSTATES; s++)
        p[s] /= sum;
}

typedef struct gpu_dist {
    int v[GS__TG_GPU_MAX]; /* increasing */
    double p[GS__TG_GPU_MAX];
    double cum[GS__TG_GPU_MAX]; /* cumulative p, for inverse-CDF draws */
    int n;
} gpu_dist;

static int gpu_dist_init(gpu_dist *d, const gs__tg_type *t)
{
    int i;

    d->n = gs__tg_gpu_pmf(t, d->v, d->p);
    if (d->n < 1)
        return -1;
    for (i = 0; i < d->n; i++)
        d->cum[i] = (i ? d->cum[i - 1] : 0) + d->p[i];
    return 0;
}

/* The gpu_num at cumulative probability u in (0, 1]. */
static int gpu_at(const gpu_dist *d, double u)
{
    int lo = 0, hi = d->n - 1;

    u *= d->cum[d->n - 1]; /* the probabilities sum to 1 up to rounding */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (d->cum[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return d->v[lo];
}

double gs_tracegen_gpu_prob(const char *type, int gpus)
{
    return gs_tracegen_cluster_gpu_prob(GS_TRACEGEN_SEREN, type, gpus);
}

double gs_tracegen_cluster_gpu_prob(int cluster, const char *type, int gpus)
{
    int t = type ? type_index_in(cluster, type) : -1, i, n;
    const gs__tg_type *tt = fitted(cluster, &n);
    gpu_dist d;

    if (t < 0 || gpu_dist_init(&d, &tt[t]) != 0)
        return 0;
    for (i = 0; i < d.n; i++)
        if (d.v[i] == gpus)
            return d.p[i];
    return 0;
}

double gs_tracegen_cdf(const char *type, enum gs_tracegen_metric metric, double x)
{
    return gs_tracegen_cluster_cdf(GS_TRACEGEN_SEREN, type, metric, x);
}

double gs_tracegen_cluster_cdf(int cluster, const char *type, enum gs_tracegen_metric metric,
                               double x)
{
    int t = type ? type_index_in(cluster, type) : -1, n;
    const gs__tg_type *tt = fitted(cluster, &n);
    const gs__tg_mix *m;

    if (t < 0)
        return -1;
    m = metric == GS_TRACEGEN_QUEUE ? &tt[t].queue : &tt[t].dur;
    x = floor(x); /* the generated values are whole seconds */
    if (x < 0)
        return 0;
    if (x < 1) /* queues at or under 1 s are 0 or 1 s alike; durations are at least 1 s */
        return metric == GS_TRACEGEN_QUEUE ? m->p1 / 2 : 0;
    return gs__tg_mix_cdf(m, x);
}

double gs_tracegen_sft_gpu_prob(int gpus)
{
    return gs_tracegen_gpu_prob("SFT", gpus);
}

double gs_tracegen_sft_duration_at(double u)
{
    int t = type_index("SFT");

    return t < 0 ? 0 : gs__tg_mix_inverse(&gs__tg_fitted[t].dur, u);
}

/* ---- generation ---- */

void gs_tracegen_opts_init(gs_tracegen_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->days = 28;
    o->sft_per_hour = SFT_PER_HOUR;
    o->kalos_per_hour = KALOS_PER_HOUR;
    o->utc_offset_min = 480;
    gs_parse_timestamp("2023-03-01 00:00:00+08:00", 25, &o->start_epoch, NULL);
    o->diurnal = 0.5;
    o->weekend = 0.7;
    o->day_sigma = 0.35; /* busiest day of 184 ~ 40 SFT/h (docs/traces.md, D) */
    o->corr = NAN;       /* each type's fitted correlation */
}

typedef struct gen {
    gs__rng *rng;
    gs__discrete *type, *user;
    const gs__tg_type *tt;   /* the cluster's fitted types */
    const gs__tg_states *sm; /* and its state model */
    int nt;
    int chosen[MAXTYPES]; /* the types drawn, in table order */
    int nchosen;
    gpu_dist gd[MAXTYPES];
    mix_table dur[MAXTYPES], queue[MAXTYPES];
    int sft; /* index of SFT among the types; -1 for Kalos */
} gen;

static void gen_release(gen *g)
{
    gs__rng_free(g->rng);
    gs__discrete_free(g->type);
    gs__discrete_free(g->user);
}

/* The types to draw: o->types (a list), all of them, or SFT (Seren's default). -2 when a name
 * is not a type of the cluster (*bad gets it). */
static int choose_types(gen *g, const gs_tracegen_opts *o, char *bad, size_t badsz)
{
    int t;

    g->nchosen = 0;
    if (o->types && *o->types && strcmp(o->types, "all") != 0) {
        const char *p = o->types;
        while (*p) {
            size_t n = strcspn(p, ",");
            char name[32];
            int k, dup = 0;
            if (n == 0 || n >= sizeof(name)) {
                snprintf(bad, badsz, "%.*s", (int)(n < 31 ? n : 31), p);
                return -2;
            }
            memcpy(name, p, n);
            name[n] = '\0';
            if ((t = type_index_in(o->cluster, name)) < 0) {
                snprintf(bad, badsz, "%s", name);
                return -2;
            }
            for (k = 0; k < g->nchosen; k++)
                dup |= g->chosen[k] == t;
            if (!dup)
                g->chosen[g->nchosen++] = t;
            p += n;
            if (*p == ',')
                p++;
        }
        if (g->nchosen == 0) {
            snprintf(bad, badsz, "%s", o->types);
            return -2;
        }
        /* table order, so that a list draws the same as the same types listed otherwise */
        for (t = 1; t < g->nchosen; t++) {
            int v = g->chosen[t], k = t;
            for (; k > 0 && g->chosen[k - 1] > v; k--)
                g->chosen[k] = g->chosen[k - 1];
            g->chosen[k] = v;
        }
    } else if (o->all_types || o->cluster == GS_TRACEGEN_KALOS ||
               (o->types && !strcmp(o->types, "all"))) {
        for (t = 0; t < g->nt; t++)
            g->chosen[g->nchosen++] = t;
    } else {
        g->chosen[g->nchosen++] = g->sft;
    }
    return 0;
}

static int gen_init(gen *g, const gs_tracegen_opts *o, char *bad, size_t badsz)
{
    double tw[MAXTYPES], uw[NUSERS];
    int t, k, rc;

    memset(g, 0, sizeof(*g));
    g->tt = fitted(o->cluster, &g->nt);
    g->sm = state_model(o->cluster);
    g->sft = type_index_in(o->cluster, "SFT");
    if (g->nt > MAXTYPES || (o->cluster == GS_TRACEGEN_SEREN && g->sft < 0))
        return -3;
    for (t = 0; t < g->nt; t++) {
        if (gpu_dist_init(&g->gd[t], &g->tt[t]) != 0)
            return -3;
        mix_table_init(&g->dur[t], &g->tt[t].dur);
        mix_table_init(&g->queue[t], &g->tt[t].queue);
    }
    if ((rc = choose_types(g, o, bad, badsz)) != 0)
        return rc;
    for (k = 0; k < g->nchosen; k++)
        tw[k] = g->tt[g->chosen[k]].share;
    g->rng = gs__rng_new(o->seed);
    for (k = 0; k < NUSERS; k++)
        uw[k] = 1.0 / (k + 1); /* Zipf-like popularity (assumption F) */
    g->type = gs__discrete_new(tw, (size_t)g->nchosen);
    g->user = gs__discrete_new(uw, NUSERS);
    return !g->rng || !g->type || !g->user ? -1 : 0;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int write_job(gen *g, const gs_tracegen_opts *o, FILE *fp, long id, double submit,
                     gs_tracegen_stats *st)
{
    /* one type: no draw (the SFT-only traces stay what they were) */
    int t = g->nchosen > 1 ? g->chosen[gs__discrete_draw(g->rng, g->type)] : g->chosen[0];
    const gs__tg_type *tf = &g->tt[t];
    /* gpu_num and duration through a Gaussian copula: each keeps its fitted marginal, and the
     * type's fitted correlation (or o->corr when set) gives their dependence (assumption H) */
    double rho = isnan(o->corr) ? tf->rho : o->corr;
    double z1 = gs__rng_gaussian(g->rng, 1.0), z2 = gs__rng_gaussian(g->rng, 1.0);
    double ug = gs__normal_cdf(z1);
    double ud = gs__normal_cdf(rho * z1 + sqrt(1 - rho * rho) * z2);
    int gpus = gpu_at(&g->gd[t], ug > 0 ? ug : 1e-300);
    double dur = ceil(mix_table_inverse(&g->dur[t], ud > 0 ? ud : 1e-300)); /* >= 1 s */
    double uq = gs__rng_uniform_pos(g->rng);
    /* a queue at or under 1 s is 0 or 1 s alike (assumption E) */
    double queue = uq <= tf->queue.p1 ? (uq < tf->queue.p1 / 2 ? 0 : 1)
                                      : ceil(mix_table_inverse(&g->queue[t], uq));
    double ps[GS__TG_NSTATES], us = gs__rng_uniform(g->rng);
    int user = (int)gs__discrete_draw(g->rng, g->user), st_i = 0;
    const char *state;
    char ts[3][40];

    /* the state, given the duration (longer jobs are more often cancelled; fitted) */
    gs__tg_state_probs(g->sm, dur, ps);
    while (st_i + 1 < GS__TG_NSTATES && us >= ps[st_i])
        us -= ps[st_i++];
    state = g->sm->name[st_i];

    gs_format_timestamp(ts[0], sizeof(ts[0]), submit, o->utc_offset_min);
    gs_format_timestamp(ts[1], sizeof(ts[1]), submit + queue, o->utc_offset_min);
    gs_format_timestamp(ts[2], sizeof(ts[2]), submit + queue + dur, o->utc_offset_min);
    if (o->cluster == GS_TRACEGEN_KALOS) {
        /* the Kalos columns: string ids and users as in its README's example, pod memory not
         * published (left empty), fail_time and stop_time at the end of FAILED and CANCELLED
         * jobs, queue and gpu_time as floats */
        fprintf(fp, "dlc%013lx,u%04x,%d,%d,%d,,,%s,%s,%s,%s,%s,%s,%s,%.0f,%.1f,%.1f\n",
                (unsigned long)id * 2654435761ul % 0xfffffffffffful,
                (unsigned)((user * 7919 + 1000) % 65536),
                (gpus + KALOS_GPUS_PER_NODE - 1) / KALOS_GPUS_PER_NODE, gpus, gpus * CPUS_PER_GPU,
                tf->name, state, ts[0], ts[1], ts[2], st_i == 2 ? ts[2] : "",
                st_i == 1 ? ts[2] : "", dur, queue, dur * gpus);
    } else {
        /* user ids u1000..u9999: k -> (7919 k + 1000) mod 9000 + 1000 is one-to-one */
        fprintf(fp, "%ld,u%04d,%d,%d,%d,%s,%s,%s,%s,%s,%.0f,%.0f,%.1f\n", id,
                (user * 7919 + 1000) % 9000 + 1000,
                (gpus + SEREN_GPUS_PER_NODE - 1) / SEREN_GPUS_PER_NODE, gpus, gpus * CPUS_PER_GPU,
                tf->name, state, ts[0], ts[1], ts[2], dur, queue, dur * gpus);
    }
    if (st->jobs == 0)
        st->first_submit = submit;
    st->last_submit = submit;
    st->jobs++;
    st->sft += t == g->sft;
    return 0;
}

static int check_opts(const gs_tracegen_opts *o, gs_err *err)
{
    if (o->jobs < 0)
        return gs_errorf(err, GS_EINVAL, "number of jobs must be >= 0, got %ld", o->jobs);
    if (o->jobs == 0 && !(o->days > 0 && o->days <= GS_TIME_MAX / 86400))
        return gs_errorf(err, GS_EINVAL, "days must be in (0, 3652.5] (ten years), got %g",
                         o->days);
    if (!(o->sft_per_hour > 0 && o->sft_per_hour <= 1e6))
        return gs_errorf(err, GS_EINVAL, "SFT jobs per hour must be in (0, 1e6], got %g",
                         o->sft_per_hour);
    if (!(o->kalos_per_hour > 0 && o->kalos_per_hour <= 1e6))
        return gs_errorf(err, GS_EINVAL, "Kalos jobs per hour must be in (0, 1e6], got %g",
                         o->kalos_per_hour);
    if (o->cluster != GS_TRACEGEN_SEREN && o->cluster != GS_TRACEGEN_KALOS)
        return gs_errorf(err, GS_EINVAL, "unknown cluster %d", o->cluster);
    if (!(o->diurnal >= 0 && o->diurnal < 1))
        return gs_errorf(err, GS_EINVAL, "diurnal amplitude must be in [0, 1), got %g", o->diurnal);
    if (!(o->weekend > 0 && o->weekend <= 10))
        return gs_errorf(err, GS_EINVAL, "weekend factor must be in (0, 10], got %g", o->weekend);
    if (!isnan(o->corr) && !(o->corr > -1 && o->corr < 1))
        return gs_errorf(err, GS_EINVAL, "gpu_num-duration correlation must be in (-1, 1), got %g",
                         o->corr);
    if (!(o->day_sigma >= 0 && o->day_sigma <= 3))
        return gs_errorf(err, GS_EINVAL, "day-to-day sigma must be in [0, 3], got %g",
                         o->day_sigma);
    if (!(o->start_epoch >= GS_EPOCH_MIN && o->start_epoch <= GS_EPOCH_MAX - GS_TIME_MAX) ||
        o->utc_offset_min < -1439 || o->utc_offset_min > 1439)
        return gs_errorf(err, GS_EINVAL, "bad start time (1970 to 2089) or UTC offset");
    return GS_OK;
}

int gs_tracegen_check(const gs_tracegen_opts *o, gs_err *err)
{
    gen g;
    char bad[64];
    int rc = check_opts(o, err);

    if (rc != GS_OK)
        return rc;
    memset(&g, 0, sizeof(g));
    g.tt = fitted(o->cluster, &g.nt);
    g.sft = type_index_in(o->cluster, "SFT");
    if (o->cluster == GS_TRACEGEN_SEREN && g.sft < 0)
        return gs_errorf(err, GS_EINVAL, "the fitted parameters are inconsistent");
    if (choose_types(&g, o, bad, sizeof(bad)) != 0) {
        int t;
        char names[128] = "";
        for (t = 0; t < g.nt; t++)
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", t ? ", " : "",
                     g.tt[t].name);
        return gs_errorf(err, GS_EINVAL, "'%s' is not a job type of %s (%s)", bad,
                         o->cluster == GS_TRACEGEN_KALOS ? "Kalos" : "Seren", names);
    }
    return GS_OK;
}

int gs_tracegen_write(const gs_tracegen_opts *o, FILE *fp, gs_tracegen_stats *stp, gs_err *err)
{
    gen *g;
    gs_tracegen_stats st;
    double rate, wd, *times = NULL, dayf = 1;
    size_t cap = 0;
    long hour, hours, id = 1000001, day = -1;
    int rc = GS_OK;
    char bad[64];

    if ((rc = gs_tracegen_check(o, err)) != GS_OK)
        return rc;
    if (!(g = malloc(sizeof(*g))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if ((rc = gen_init(g, o, bad, sizeof(bad))) != 0) {
        gen_release(g);
        free(g);
        return rc == -1 ? gs_errorf(err, GS_ENOMEM, "out of memory")
                        : gs_errorf(err, GS_EINVAL, "the fitted parameters are inconsistent");
    }
    memset(&st, 0, sizeof(st));
    {
        /* Seren: SFT keeps its rate (sft_per_hour) and the other types come in their published
         * shares; Kalos: kalos_per_hour GPU jobs of all types, the types chosen in their
         * shares */
        double all = 0, chosen = 0;
        int k;
        for (k = 0; k < g->nt; k++)
            all += g->tt[k].share;
        for (k = 0; k < g->nchosen; k++)
            chosen += g->tt[g->chosen[k]].share;
        if (o->cluster == GS_TRACEGEN_KALOS)
            rate = o->kalos_per_hour * chosen / all;
        else if (g->nchosen == 1 && g->chosen[0] == g->sft)
            rate = o->sft_per_hour;
        else
            rate = o->sft_per_hour / (g->tt[g->sft].share / 100) * (chosen / all);
    }
    wd = 7 / (5 + 2 * o->weekend); /* weekday factor: the weekly mean stays 1 */
    hours = o->jobs ? -1 : (long)ceil(o->days * 24);
    fputs(o->cluster == GS_TRACEGEN_KALOS ? GS_TRACE_KALOS_HEADER "\n" : GS_TRACE_SEREN_HEADER "\n",
          fp);
    for (hour = 0; hours < 0 || hour < hours; hour++) {
        double t0 = o->start_epoch + 3600.0 * (double)hour;
        /* what the trace loader accepts: at most ten years from the first hour */
        if (3600.0 * (double)(hour + 1) > GS_TIME_MAX) {
            rc = gs_errorf(err, GS_EINVAL,
                           "%ld jobs at %g jobs per hour would span more than ten years; ask "
                           "for fewer jobs or a higher rate",
                           o->jobs, rate);
            break;
        }
        double local = t0 + 60.0 * o->utc_offset_min;
        long dnum = (long)floor(local / 86400);
        double hmid = (local - 86400.0 * (double)dnum) / 3600 + 0.5;
        int dow = (int)(((dnum + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
        double lambda;
        unsigned int n, i;
        if (dnum != day) { /* one log-normal factor per local day, mean 1 (assumption D) */
            day = dnum;
            dayf =
                exp(o->day_sigma * gs__rng_gaussian(g->rng, 1.0) - o->day_sigma * o->day_sigma / 2);
        }
        lambda = rate * dayf * (dow == 0 || dow == 6 ? o->weekend * wd : wd) *
                 (1 + o->diurnal * cos(2 * PI * (hmid - DIURNAL_PEAK_HOUR) / 24));
        n = gs__rng_poisson(g->rng, lambda);
        if (GS_GROW(times, cap, n) != GS_OK) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            break;
        }
        for (i = 0; i < n; i++)
            times[i] = floor(t0 + 3600 * gs__rng_uniform(g->rng));
        if (n > 1)
            qsort(times, n, sizeof(*times), by_double);
        for (i = 0; i < n && (o->jobs == 0 || st.jobs < o->jobs); i++)
            write_job(g, o, fp, id++, times[i], &st);
        if (ferror(fp)) {
            rc = gs_errorf(err, GS_EIO, "cannot write the trace");
            break;
        }
        if (o->jobs && st.jobs >= o->jobs)
            break;
    }
    free(times);
    gen_release(g);
    free(g);
    if (rc == GS_OK && stp)
        *stp = st;
    return rc;
}

static void describe_mix(FILE *fp, const char *what, const gs__tg_mix *m)
{
    int i;

    fprintf(fp, "  %s: P(<= 1 s) %.4g, then on (%.0f, %.0f] s:", what, m->p1, m->lo, m->cap);
    for (i = 0; i < m->k; i++)
        fprintf(fp, " %.4g x LN(%.4g, %.4g)", m->w[i], m->mu[i], m->sigma[i]);
    fprintf(fp, "\n");
}

/* One cluster's fitted models, as gs_tracegen_describe prints them. */
static void describe_cluster(FILE *fp, int c)
{
    const gs__tg_states *sm = state_model(c);
    double ps[GS__TG_NSTATES], d;
    int t, i, s, n;
    const gs__tg_type *tt = fitted(c, &n);

    fprintf(fp,
            "%sFitted models of ACME %s job types (src/core/tracegen_params.h; docs/traces.md)\n",
            c ? "\n" : "", c ? "Kalos" : "Seren");
    for (t = 0; t < n; t++) {
        const gs__tg_type *ty = &tt[t];
        fprintf(fp, "\n%s: %.4g%% of GPU jobs\n  gpu_num between the whiskers:", ty->name,
                ty->share);
        for (i = 0; i < ty->nbody; i++)
            fprintf(fp, " %d:%.4g", ty->body_v[i], ty->body_p[i]);
        fprintf(fp, "\n  gpu_num outside them (published jobs / type's jobs):");
        for (i = 0; i < ty->ntail; i++)
            fprintf(fp, " %d:%.4g", ty->tail_v[i], ty->tail_p[i]);
        fprintf(fp, "%s\n", ty->ntail ? "" : " none");
        describe_mix(fp, "duration", &ty->dur);
        describe_mix(fp, "queue", &ty->queue);
        fprintf(fp,
                "  gpu_num-duration copula correlation %.4g: mean GPU time %.4g GPU-s per job\n",
                ty->rho, ty->gpu_time);
    }
    fprintf(fp, "\nstate given the duration d: P(s) ~ exp(a + b ln d);");
    for (s = 0; s < GS__TG_NSTATES; s++)
        fprintf(fp, " %s a %.4g b %.4g;", sm->name[s], sm->a[s], sm->b[s]);
    fprintf(fp, "\n  P(COMPLETED, CANCELLED, FAILED) at");
    for (d = 10; d <= 1e6; d *= 10) {
        gs__tg_state_probs(sm, d, ps);
        fprintf(fp, " %.0f s: %.2f/%.2f/%.2f;", d, ps[0], ps[1], ps[2]);
    }
    fprintf(fp, "\n");
}

void gs_tracegen_describe(FILE *fp)
{
    describe_cluster(fp, GS_TRACEGEN_SEREN);
    describe_cluster(fp, GS_TRACEGEN_KALOS);
}

double gs_tracegen_gpu_time_mean(const char *type)
{
    return gs_tracegen_cluster_gpu_time_mean(GS_TRACEGEN_SEREN, type);
}

double gs_tracegen_cluster_gpu_time_mean(int cluster, const char *type)
{
    int t = type ? type_index_in(cluster, type) : -1, n;
    const gs__tg_type *tt = fitted(cluster, &n);

    return t < 0 ? 0 : tt[t].gpu_time;
}

double gs_tracegen_state_prob(const char *state, double duration)
{
    return gs_tracegen_cluster_state_prob(GS_TRACEGEN_SEREN, state, duration);
}

double gs_tracegen_cluster_state_prob(int cluster, const char *state, double duration)
{
    const gs__tg_states *sm = state_model(cluster);
    double ps[GS__TG_NSTATES];
    int s;

    gs__tg_state_probs(sm, duration, ps);
    for (s = 0; s < GS__TG_NSTATES; s++)
        if (state && !strcmp(state, sm->name[s]))
            return ps[s];
    return -1;
}
