/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic ACME-schema traces fitted to the published ACME figures (`gpusim gen-trace`).
 *
 * The figures below are the values the ACME authors published for Seren (Q. Hu et al.,
 * "Characterization of Large Language Model Development in the Datacenter", NSDI '24; data
 * InternLM/AcmeTrace@6d6ac9c, CC BY 4.0), as decoded from their figure PDFs into
 * shared/acme/from_figures/ and summarised in shared/acme/STATS.md. They are aggregate figure
 * values, not trace rows. docs/traces.md explains the fit and lists every assumption. */
#include "gpusim/tracegen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/trace.h"
#include "rng_int.h"

/* Seren GPU jobs in the released trace (acme/STATS.md section 2, [D]): the denominator that
 * turns the published outlier counts into probabilities. */
#define SEREN_GPU_JOBS 450590.0

#define NDUR            22   /* duration CDF at x = 2^0 .. 2^21 s */
#define NQUEUE          16   /* queue CDF at x = 2^0 .. 2^15 s */
#define QUEUE_TAIL_LOG2 18.0 /* queue mass beyond 2^15 s spreads log-uniformly up to 2^18 s (E) */

typedef struct outlier {
    int gpus, jobs;
} outlier;

typedef struct type_fig {
    const char *name;
    double share;       /* % of Seren GPU jobs (from_figures/job_type_share.csv) */
    int box[5];         /* gpu_num whisker_low, q1, median, q3, whisker_high (box plot) */
    const outlier *out; /* exact jobs at each outlier gpu_num (gpu_num_outliers_by_type) */
    size_t nout;
    double dur[NDUR];     /* % of jobs with duration <= 2^i s (cdf_duration_queue_by_type) */
    double queue[NQUEUE]; /* % of jobs with queue <= 2^i s (same file) */
} type_fig;

static const outlier out_eval[] = {{128, 11}, {64, 25}, {32, 92}, {24, 2}, {16, 209}, {12, 1}};
static const outlier out_pretrain[] = {{1024, 159}, {1008, 3}, {1000, 1}, {992, 1}, {976, 1},
                                       {968, 1},    {960, 43}, {928, 15}, {920, 1}, {896, 3},
                                       {768, 256},  {720, 4},  {640, 10}};
static const outlier out_sft[] = {{512, 4},  {256, 5}, {192, 30}, {128, 58},
                                  {64, 120}, {56, 2},  {32, 725}, {24, 1}};
static const outlier out_mllm[] = {{256, 45}, {128, 245}, {120, 1}, {112, 3}, {104, 1},
                                   {96, 1},   {88, 1},    {80, 1},  {72, 1},  {64, 179},
                                   {48, 1},   {40, 1},    {32, 348}};
static const outlier out_debug[] = {{1024, 33}, {1016, 1}, {960, 20}, {768, 18},  {640, 51},
                                    {512, 105}, {320, 29}, {280, 6},  {256, 112}, {224, 5},
                                    {160, 2},   {128, 56}, {120, 2},  {112, 1},   {96, 4},
                                    {64, 105},  {48, 9},   {40, 4},   {32, 513},  {24, 23},
                                    {16, 765},  {12, 3},   {4, 472},  {2, 98},    {1, 1479}};
static const outlier out_other[] = {{32, 2425}, {24, 186}};

#define NOUT(a) (sizeof(a) / sizeof(a[0]))

static const type_fig types[] = {
    {"Eval",
     64.9,
     {1, 1, 1, 4, 8},
     out_eval,
     NOUT(out_eval),
     {2.31,  2.92,  5.22,  10.57, 25.18, 32.78, 37.37, 49.75, 67.17, 79.97, 88.8,
      93.86, 96.53, 98.19, 99.06, 99.57, 99.79, 99.91, 99.96, 99.99, 100.0, 100.0},
     {47.62, 56.85, 61.97, 65.31, 70.42, 75.55, 79.19, 84.41, 88.83, 92.64, 96.22, 97.84, 98.98,
      99.58, 99.85, 99.97}},
    {"Pretrain",
     0.9,
     {40, 64, 128, 256, 512},
     out_pretrain,
     NOUT(out_pretrain),
     {4.27,  5.71,  9.86,  12.1,  15.6,  20.49, 27.37, 34.87, 46.8,  61.8,  73.42,
      80.45, 84.08, 86.61, 88.45, 91.08, 94.31, 97.19, 98.78, 99.63, 99.98, 100.0},
     {71.98, 77.07, 79.86, 82.51, 86.16, 91.68, 94.41, 96.52, 97.57, 98.36, 99.06, 99.3, 99.65,
      99.78, 99.9, 99.95}},
    {"SFT",
     14.9,
     {1, 2, 8, 8, 16},
     out_sft,
     NOUT(out_sft),
     {1.02,  1.49,  3.46,  6.56,  12.62, 21.68, 27.59, 37.51, 57.61, 78.8,  89.27,
      94.49, 97.34, 98.64, 99.16, 99.51, 99.8,  99.92, 99.98, 99.99, 100.0, 100.0},
     {60.53, 70.52, 75.17, 76.35, 78.89, 82.73, 84.98, 88.11, 92.28, 95.56, 97.87, 98.84, 99.43,
      99.77, 99.83, 99.96}},
    {"MLLM",
     2.9,
     {1, 1, 2, 8, 16},
     out_mllm,
     NOUT(out_mllm),
     {2.09,  3.07,  5.09, 9.41,  14.7,  27.37, 33.44, 40.85, 50.17, 66.84, 79.7,
      85.61, 89.16, 91.3, 92.91, 97.31, 98.88, 99.47, 99.83, 99.98, 99.98, 100.0},
     {72.73, 82.19, 87.97, 89.43, 90.98, 93.05, 93.78, 94.79, 95.83, 96.46, 96.85, 97.28, 98.52,
      98.56, 99.35, 99.98}},
    {"Debug",
     1.9,
     {8, 8, 8, 8, 8},
     out_debug,
     NOUT(out_debug),
     {3.68, 4.62,  6.32,  11.73, 19.34, 29.8,  39.13, 52.15, 68.37, 81.95, 91.22,
      95.5, 97.36, 98.29, 98.81, 99.22, 99.56, 99.79, 99.86, 99.96, 99.99, 100.0},
     {84.78, 90.77, 94.49, 95.63, 97.07, 98.38, 98.81, 99.22, 99.54, 99.7, 99.85, 99.91, 99.94,
      99.98, 99.99, 100.0}},
    {"Other",
     14.6,
     {1, 1, 1, 8, 16},
     out_other,
     NOUT(out_other),
     {2.49, 3.02,  9.39,  22.83, 29.09, 39.02, 46.81, 58.88, 70.91, 79.48, 85.53,
      89.2, 94.19, 95.32, 96.65, 98.01, 99.31, 99.63, 99.84, 99.94, 99.99, 100.0},
     {72.72, 81.57, 85.91, 87.43, 90.24, 93.75, 94.93, 95.68, 96.27, 96.55, 96.65, 96.69, 96.94,
      97.1, 97.29, 97.58}},
};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))
#define SFT    2

/* Final states of Seren GPU jobs (acme/STATS.md section 7, cluster_summary.csv); SFT-specific
 * fractions are not published. */
static const char *const state_names[] = {"COMPLETED", "CANCELLED", "FAILED"};
static const double state_share[] = {49.7, 7.5, 42.9};

#define NUSERS              200 /* user population (assumption F) */
#define CPUS_PER_GPU        16  /* cpu_num per GPU (assumption G; gpusim does not read it) */
#define SEREN_GPUS_PER_NODE 8
#define PI                  3.14159265358979323846
#define DIURNAL_PEAK_HOUR   15.0 /* local hour of the busiest submissions (assumption D) */

/* ---- the fitted gpu_num distribution of one type ---- */

#define MAXV 64

typedef struct gpu_dist {
    int v[MAXV]; /* increasing */
    double p[MAXV];
    double cum[MAXV]; /* cumulative p, for inverse-CDF draws */
    int n;
} gpu_dist;

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The cumulative share F(x) at each support point x inside the whiskers must satisfy the box
 * plot: F(x) < p for x below the p-quartile, F(x) >= p from it on (numpy percentiles, as
 * matplotlib draws them); F(whisker_high) = 1 - (upper outliers). Those constraints leave an
 * interval for each point; points sharing an interval get evenly spaced values inside it. The
 * support is the whiskers, the quartiles and the powers of two between them. */
static void fit_gpu(const type_fig *t, gpu_dist *d)
{
    static const double qp[3] = {0.25, 0.5, 0.75};
    int s[16], m = 0, i, k;
    double lower = 0, upper = 0, F[16];

    for (k = 0; k < 5; k++)
        s[m++] = t->box[k];
    for (k = 1; k < t->box[4]; k *= 2)
        if (k > t->box[0])
            s[m++] = k;
    qsort(s, (size_t)m, sizeof(int), by_int);
    for (i = 0, k = 0; i < m; i++)
        if (k == 0 || s[i] != s[k - 1])
            s[k++] = s[i];
    m = k;
    for (i = 0; i < (int)t->nout; i++) {
        double p = t->out[i].jobs / (t->share / 100 * SEREN_GPU_JOBS);
        if (t->out[i].gpus < t->box[0])
            lower += p;
        else
            upper += p;
    }
    F[m - 1] = 1 - upper;
    for (i = 0; i < m - 1;) {
        double lo = lower, hi = 1 - upper, lo2, hi2;
        int j, q;
        for (q = 0; q < 3; q++) {
            if (s[i] >= t->box[q + 1])
                lo = lo > qp[q] ? lo : qp[q];
            else
                hi = hi < qp[q] ? hi : qp[q];
        }
        for (j = i + 1; j < m - 1; j++) {
            lo2 = lower, hi2 = 1 - upper;
            for (q = 0; q < 3; q++) {
                if (s[j] >= t->box[q + 1])
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
    d->n = 0;
    for (i = 0; i < (int)t->nout; i++) {
        d->v[d->n] = t->out[i].gpus;
        d->p[d->n++] = t->out[i].jobs / (t->share / 100 * SEREN_GPU_JOBS);
    }
    for (i = 0; i < m; i++) {
        d->v[d->n] = s[i];
        d->p[d->n++] = F[i] - (i ? F[i - 1] : lower);
    }
    /* by value (outliers sit on both sides of the whiskers), then cumulative */
    for (i = 1; i < d->n; i++) {
        int j, v = d->v[i];
        double p = d->p[i];
        for (j = i; j > 0 && d->v[j - 1] > v; j--) {
            d->v[j] = d->v[j - 1];
            d->p[j] = d->p[j - 1];
        }
        d->v[j] = v;
        d->p[j] = p;
    }
    for (i = 0; i < d->n; i++)
        d->cum[i] = (i ? d->cum[i - 1] : 0) + d->p[i];
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

/* ---- inverse CDFs, piecewise linear in log2(x) between the published points ---- */

/* pct: % of jobs <= 2^i s for i = 0..n-1. u in (0, 1]. Below the first point x is uniform in
 * (0, 1]; mass the points leave above the last spreads log-uniformly up to 2^tail_log2. */
static double cdf_inverse(const double *pct, int n, double u, double tail_log2)
{
    double U = u * 100;
    int k;

    if (U <= pct[0])
        return U / pct[0];
    for (k = 1; k < n; k++)
        if (U <= pct[k])
            return exp2((k - 1) + (U - pct[k - 1]) / (pct[k] - pct[k - 1]));
    return exp2((n - 1) + (U - pct[n - 1]) / (100 - pct[n - 1]) * (tail_log2 - (n - 1)));
}

double gs_tracegen_sft_gpu_prob(int gpus)
{
    gpu_dist d;
    int i;

    fit_gpu(&types[SFT], &d);
    for (i = 0; i < d.n; i++)
        if (d.v[i] == gpus)
            return d.p[i];
    return 0;
}

double gs_tracegen_sft_duration_at(double u)
{
    return cdf_inverse(types[SFT].dur, NDUR, u, NDUR - 1);
}

/* ---- generation ---- */

void gs_tracegen_opts_init(gs_tracegen_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->days = 28;
    o->sft_per_hour = 15.2;
    o->utc_offset_min = 480;
    gs_parse_timestamp("2023-03-01 00:00:00+08:00", 25, &o->start_epoch, NULL);
    o->diurnal = 0.5;
    o->weekend = 0.7;
    o->day_sigma = 0.35; /* busiest day of 184 ~ 40 SFT/h (docs/traces.md, D) */
}

typedef struct gen {
    gs__rng *rng;
    gs__discrete *type, *state, *user;
    gpu_dist gd[NTYPES];
} gen;

static void gen_release(gen *g)
{
    gs__rng_free(g->rng);
    gs__discrete_free(g->type);
    gs__discrete_free(g->state);
    gs__discrete_free(g->user);
}

static int gen_init(gen *g, const gs_tracegen_opts *o)
{
    double tw[NTYPES], uw[NUSERS];
    int t, k;

    memset(g, 0, sizeof(*g));
    g->rng = gs__rng_new(o->seed);
    for (t = 0; t < NTYPES; t++) {
        fit_gpu(&types[t], &g->gd[t]);
        tw[t] = types[t].share;
    }
    for (k = 0; k < NUSERS; k++)
        uw[k] = 1.0 / (k + 1); /* Zipf-like popularity (assumption F) */
    g->type = gs__discrete_new(tw, NTYPES);
    g->state = gs__discrete_new(state_share, 3);
    g->user = gs__discrete_new(uw, NUSERS);
    return !g->rng || !g->type || !g->state || !g->user ? -1 : 0;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int write_job(gen *g, const gs_tracegen_opts *o, FILE *fp, long id, double submit,
                     gs_tracegen_stats *st)
{
    int t = o->all_types ? (int)gs__discrete_draw(g->rng, g->type) : SFT;
    const type_fig *tf = &types[t];
    /* gpu_num and duration through a Gaussian copula: each keeps its fitted marginal, and
     * o->corr sets their dependence (0, the default: independent; assumption H) */
    double z1 = gs__rng_gaussian(g->rng, 1.0), z2 = gs__rng_gaussian(g->rng, 1.0);
    double ug = gs__normal_cdf(z1);
    double ud = gs__normal_cdf(o->corr * z1 + sqrt(1 - o->corr * o->corr) * z2);
    int gpus = gpu_at(&g->gd[t], ug > 0 ? ug : 1e-300);
    double dur = ceil(cdf_inverse(tf->dur, NDUR, ud > 0 ? ud : 1e-300, NDUR - 1));
    double qx = cdf_inverse(tf->queue, NQUEUE, gs__rng_uniform_pos(g->rng), QUEUE_TAIL_LOG2);
    double queue = qx <= 1 ? (qx < 0.5 ? 0 : 1) : ceil(qx); /* <= 1 s: 0 or 1 s alike (E) */
    const char *state = state_names[gs__discrete_draw(g->rng, g->state)];
    int user = (int)gs__discrete_draw(g->rng, g->user);
    char ts[3][40];

    gs_format_timestamp(ts[0], sizeof(ts[0]), submit, o->utc_offset_min);
    gs_format_timestamp(ts[1], sizeof(ts[1]), submit + queue, o->utc_offset_min);
    gs_format_timestamp(ts[2], sizeof(ts[2]), submit + queue + dur, o->utc_offset_min);
    /* user ids u1000..u9999: k -> (7919 k + 1000) mod 9000 + 1000 is one-to-one */
    fprintf(fp, "%ld,u%04d,%d,%d,%d,%s,%s,%s,%s,%s,%.0f,%.0f,%.1f\n", id,
            (user * 7919 + 1000) % 9000 + 1000,
            (gpus + SEREN_GPUS_PER_NODE - 1) / SEREN_GPUS_PER_NODE, gpus, gpus * CPUS_PER_GPU,
            tf->name, state, ts[0], ts[1], ts[2], dur, queue, dur * gpus);
    if (st->jobs == 0)
        st->first_submit = submit;
    st->last_submit = submit;
    st->jobs++;
    st->sft += t == SFT;
    return 0;
}

int gs_tracegen_write(const gs_tracegen_opts *o, FILE *fp, gs_tracegen_stats *stp, gs_err *err)
{
    gen g;
    gs_tracegen_stats st;
    double rate, wd, *times = NULL, dayf = 1;
    size_t cap = 0;
    long hour, hours, id = 1000001, day = -1;
    int rc = GS_OK;

    if (o->jobs < 0)
        return gs_errorf(err, GS_EINVAL, "number of jobs must be >= 0, got %ld", o->jobs);
    if (o->jobs == 0 && !(o->days > 0 && o->days <= 36500))
        return gs_errorf(err, GS_EINVAL, "days must be in (0, 36500], got %g", o->days);
    if (!(o->sft_per_hour > 0 && o->sft_per_hour <= 1e6))
        return gs_errorf(err, GS_EINVAL, "SFT jobs per hour must be in (0, 1e6], got %g",
                         o->sft_per_hour);
    if (!(o->diurnal >= 0 && o->diurnal < 1))
        return gs_errorf(err, GS_EINVAL, "diurnal amplitude must be in [0, 1), got %g", o->diurnal);
    if (!(o->weekend > 0 && o->weekend <= 10))
        return gs_errorf(err, GS_EINVAL, "weekend factor must be in (0, 10], got %g", o->weekend);
    if (!(o->corr > -1 && o->corr < 1))
        return gs_errorf(err, GS_EINVAL, "gpu_num-duration correlation must be in (-1, 1), got %g",
                         o->corr);
    if (!(o->day_sigma >= 0 && o->day_sigma <= 3))
        return gs_errorf(err, GS_EINVAL, "day-to-day sigma must be in [0, 3], got %g",
                         o->day_sigma);
    if (!isfinite(o->start_epoch) || o->utc_offset_min < -1439 || o->utc_offset_min > 1439)
        return gs_errorf(err, GS_EINVAL, "bad start time or UTC offset");
    if (gen_init(&g, o) != 0) {
        gen_release(&g);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    memset(&st, 0, sizeof(st));
    /* all types: SFT keeps its rate and the others come in their published shares */
    rate = o->sft_per_hour / (o->all_types ? types[SFT].share / 100 : 1);
    wd = 7 / (5 + 2 * o->weekend); /* weekday factor: the weekly mean stays 1 */
    hours = o->jobs ? -1 : (long)ceil(o->days * 24);
    fputs(GS_TRACE_SEREN_HEADER "\n", fp);
    for (hour = 0; hours < 0 || hour < hours; hour++) {
        double t0 = o->start_epoch + 3600.0 * (double)hour;
        double local = t0 + 60.0 * o->utc_offset_min;
        long dnum = (long)floor(local / 86400);
        double hmid = (local - 86400.0 * (double)dnum) / 3600 + 0.5;
        int dow = (int)(((dnum + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
        double lambda;
        unsigned int n, i;
        if (dnum != day) { /* one log-normal factor per local day, mean 1 (assumption D) */
            day = dnum;
            dayf =
                exp(o->day_sigma * gs__rng_gaussian(g.rng, 1.0) - o->day_sigma * o->day_sigma / 2);
        }
        lambda = rate * dayf * (dow == 0 || dow == 6 ? o->weekend * wd : wd) *
                 (1 + o->diurnal * cos(2 * PI * (hmid - DIURNAL_PEAK_HOUR) / 24));
        n = gs__rng_poisson(g.rng, lambda);
        if (n > cap) {
            double *nt = realloc(times, n * sizeof(*nt));
            if (!nt) {
                rc = gs_errorf(err, GS_ENOMEM, "out of memory");
                break;
            }
            times = nt;
            cap = n;
        }
        for (i = 0; i < n; i++)
            times[i] = floor(t0 + 3600 * gs__rng_uniform(g.rng));
        qsort(times, n, sizeof(*times), by_double);
        for (i = 0; i < n && (o->jobs == 0 || st.jobs < o->jobs); i++)
            write_job(&g, o, fp, id++, times[i], &st);
        if (ferror(fp)) {
            rc = gs_errorf(err, GS_EIO, "cannot write the trace");
            break;
        }
        if (o->jobs && st.jobs >= o->jobs)
            break;
    }
    free(times);
    gen_release(&g);
    if (rc == GS_OK && stp)
        *stp = st;
    return rc;
}

void gs_tracegen_describe(FILE *fp)
{
    int t, i;

    fprintf(fp, "Fitted ACME Seren distributions (sources: docs/traces.md)\n");
    for (t = 0; t < NTYPES; t++) {
        gpu_dist d;
        fit_gpu(&types[t], &d);
        fprintf(fp,
                "\n%s: %.1f%% of GPU jobs; gpu_num box %d/%d/%d/%d/%d\n  gpu_num:", types[t].name,
                types[t].share, types[t].box[0], types[t].box[1], types[t].box[2], types[t].box[3],
                types[t].box[4]);
        for (i = 0; i < d.n; i++)
            fprintf(fp, " %d:%.5f", d.v[i], d.p[i]);
        fprintf(fp, "\n  duration %% <= 2^i s:");
        for (i = 0; i < NDUR; i++)
            fprintf(fp, " %.2f", types[t].dur[i]);
        fprintf(fp, "\n  queue %% <= 2^i s:");
        for (i = 0; i < NQUEUE; i++)
            fprintf(fp, " %.2f", types[t].queue[i]);
        fprintf(fp, "\n");
    }
}
