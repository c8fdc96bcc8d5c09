/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia core (J. Jayaram Subramanya et al., SOSP '23, and its public artifact
 * github.com/siasosp23/artifacts, whose sia-simulator/ files "Sia's artifact: FILE" names): online
 * throughput models, the per-round goodput matrix, the exact ILP (policies/lp_sia.c) and placement
 * onto nodes. sia_unaware.c and sia_aware.c are thin ops objects over it; docs/sia.md describes the
 * design. */
#include "sia_int.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit_xput_int.h"
#include "gpusim/goodput.h"
#include "gpusim/sim.h"
#include "lp_sia_int.h"
#include "rng_int.h"
#include "util_int.h"

/* ---- Sia's conventions ---- */

double gs__sia_restart_factor(double age, int restarts, double penalty)
{
    double r;

    if (age < penalty || !(age + penalty > 0))
        return 1;
    r = (age - restarts * penalty) / (age + penalty);
    return r > 0 ? r : 0;
}

double gs__sia_cost(double goodput, double p, double clip)
{
    double a = pow(goodput > GS__SIA_ZERO_GAIN ? goodput : GS__SIA_ZERO_GAIN, p);

    a = rint(a * 100) / 100; /* numpy round(., 2): half to even in the default rounding mode */
    return a < clip ? a : clip;
}

double gs__sia_normalise(double *g, size_t n)
{
    double mn = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (g[i] > GS__SIA_ZERO_GAIN && (mn == 0 || g[i] < mn))
            mn = g[i];
    if (mn == 0)
        return 0;
    for (i = 0; i < n; i++)
        g[i] = g[i] > GS__SIA_ZERO_GAIN ? g[i] / mn : GS__SIA_ZERO_GAIN;
    return mn;
}

int gs__sia_check_conventions(double p, double lambda_n, gs_err *err)
{
    if (!isfinite(p) || p == 0)
        return gs_errorf(err, GS_EINVAL, "parameter 'p' must be a non-zero number, got %g", p);
    if (!isfinite(lambda_n))
        return gs_errorf(err, GS_EINVAL, "parameter 'lambda_n' must be a number");
    if (p < 0 && !(lambda_n > 1))
        return gs_errorf(err, GS_EINVAL,
                         "parameter 'lambda_n' must be > 1 when p < 0 (the objective is "
                         "minimised and an unallocated job must cost more than any valid "
                         "configuration, whose cost is at most 1), got %g",
                         lambda_n);
    if (p > 0 && !(lambda_n < 0))
        return gs_errorf(err, GS_EINVAL,
                         "parameter 'lambda_n' must be < 0 when p > 0 (the objective is "
                         "maximised), got %g",
                         lambda_n);
    return GS_OK;
}

/* ---- state ---- */

/* What a job has shown on one GPU pool. */
typedef struct sia_pool_model {
    gs__xput_obs *obs; /* each measured (gpus, nodes) once */
    int nobs;
    size_t cap;
    gs__xput_model m;
    int has_model;
    int min_ok; /* smallest GPU count that ran here (0: none) */
} sia_pool_model;

typedef struct sia_job {
    sia_pool_model *pm; /* per pool */
    int *floor;         /* per pool: GPU counts up to this one do not fit (learned) */
    double *lp1;        /* per pool: log of the modelled 1-GPU throughput, NAN without model */
    double mem_need;    /* GB: aggregate GPU memory a failed start showed is not enough */
    int max_obs;        /* largest GPU count measured on any pool */
    int nmodels;        /* pools with a model (the job ran there) */
    int nfail;          /* failed starts learned from */
} sia_job;

enum { COL_PLACEHOLDER = -1 };

enum decision { D_NONE, D_KEEP, D_PREEMPT, D_RESIZE, D_START };

/* Goodput curves of adaptive-batch classes (gpusim/goodput.h) as the policy believes them (its
 * knowledge DB), per (class, largest batch): per pool and GPU count, the best per phase (NULL
 * until asked for). */
typedef struct gp_curves {
    int cls;
    double bmax;
    gs_goodput_pt **c; /* npools x (max_gpus + 1) */
} gp_curves;

typedef struct sia_state {
    int mode;
    double p, lambda_n, penalty, clip, mip_gap;
    int max_gpus, bootstrap, timing, max_failures;
    int npools;
    const gs_cluster *cl;
    const gs_scaledb *know;
    int **configs; /* per pool: the GPU counts a job may get there (<= max_gpus) */
    int *nconfigs;
    double *mem; /* per pool: GB per GPU (0: unknown) */
    sia_job **jobs;
    size_t njobs;
    double *lr_sum; /* npools x npools: sum of log(thr_p(1) / thr_q(1)) over jobs with both */
    int *lr_cnt;
    /* per-round scratch */
    uint32_t *ilp_job; /* ILP row -> job */
    int *cur_col;      /* ILP row -> column of the configuration the job holds, or -1 */
    int *choice, *final, *order, *decision;
    size_t row_cap;
    size_t *col_start;
    int *col_pool, *col_gpus;
    double *col_g, *col_a;
    size_t col_cap;
    int *cap;
    /* statistics */
    uint64_t rounds, solves, fits, fallbacks, keeps, rejects;
    double sum_jobs, sum_cols, sum_rows, sum_pinned, sum_groups, sum_vars;
    int max_jobs, max_cols, max_rows, max_vars;
    gp_curves *gpc;
    size_t ngpc, gpc_cap;
} sia_state;

const gs_policy_param gs__sia_params[] = {
    {"p", GS__SIA_P, "fairness power (Sia's p; p < 0 minimises, p > 0 maximises)"},
    {"lambda_n", GS__SIA_LAMBDA_N, "penalty of leaving a job without GPUs (sign follows p)"},
    {"restart_penalty", -1,
     "restart penalty S of the restart factor, s (default -1: the job's modelled restart cost)"},
    {"max_gpus", GS__SIA_MAX_GPUS, "most GPUs a job may get"},
    {"clip", GS__SIA_CLIP, "clip of the powered goodput matrix"},
    {"mip_gap", GS__SIA_MIP_GAP, "relative MIP gap of GLPK"},
    {"bootstrap", 1, "1: project throughput to unseen GPU types by 1-GPU ratios; 0: do not"},
    {NULL, 0, NULL},
};

/* Reads and checks the --param values: unknown keys and malformed numbers are errors. */
static int read_params(sia_state *st, const gs_sim *sim, gs_err *err)
{
    const gs_sim_opts *o = gs_sim_options(sim);
    double v;
    int rc;

    /* the core has checked every --param is one of gs__sia_params and a number */
    st->p = gs_sim_param(sim, "p", GS__SIA_P);
    st->lambda_n = gs_sim_param(sim, "lambda_n", GS__SIA_LAMBDA_N);
    /* Sia's policy-side restart penalty is per application and close to that application's
     * real restart delay (Sia's artifact: sia.py get_restart_penalty, applications.py); by
     * default ours is each job's modelled restart cost (checkpoint save + start-up, or
     * --restart-delay) */
    st->penalty = gs_sim_param(sim, "restart_penalty", -1);
    if (st->penalty < 0 && o->restart_delay >= 0)
        st->penalty = o->restart_delay;
    st->clip = gs_sim_param(sim, "clip", GS__SIA_CLIP);
    st->mip_gap = gs_sim_param(sim, "mip_gap", GS__SIA_MIP_GAP);
    v = gs_sim_param(sim, "max_gpus", GS__SIA_MAX_GPUS);
    if (!(v >= 1 && v <= 1e6 && v == floor(v)))
        return gs_errorf(err, GS_EINVAL, "parameter 'max_gpus' must be a positive integer");
    st->max_gpus = (int)v;
    v = gs_sim_param(sim, "bootstrap", 1);
    if (v != 0 && v != 1)
        return gs_errorf(err, GS_EINVAL, "parameter 'bootstrap' must be 0 or 1");
    st->bootstrap = (int)v;
    if (!(st->penalty >= -1))
        return gs_errorf(err, GS_EINVAL, "parameter 'restart_penalty' must be >= 0 (or -1)");
    if (!(st->clip > 0))
        return gs_errorf(err, GS_EINVAL, "parameter 'clip' must be > 0");
    if (!(st->mip_gap >= 0 && st->mip_gap < 1))
        return gs_errorf(err, GS_EINVAL, "parameter 'mip_gap' must be in [0, 1)");
    if ((rc = gs__sia_check_conventions(st->p, st->lambda_n, err)) != GS_OK)
        return rc;
    return GS_OK;
}

static void job_free(sia_job *js, int npools)
{
    int p;

    if (!js)
        return;
    if (js->pm)
        for (p = 0; p < npools; p++)
            free(js->pm[p].obs);
    free(js->pm);
    free(js->floor);
    free(js->lp1);
    free(js);
}

void gs__sia_destroy(void *state)
{
    sia_state *st = state;
    size_t i;
    int p;

    if (!st)
        return;
    if (st->jobs)
        for (i = 0; i < st->njobs; i++)
            job_free(st->jobs[i], st->npools);
    if (st->configs)
        for (p = 0; p < st->npools; p++)
            free(st->configs[p]);
    free(st->configs);
    free(st->nconfigs);
    free(st->mem);
    free(st->jobs);
    free(st->lr_sum);
    free(st->lr_cnt);
    free(st->ilp_job);
    free(st->cur_col);
    free(st->choice);
    free(st->final);
    free(st->order);
    free(st->decision);
    free(st->col_start);
    free(st->col_pool);
    free(st->col_gpus);
    free(st->col_g);
    free(st->col_a);
    free(st->cap);
    for (i = 0; i < st->ngpc; i++) {
        size_t k, n = (size_t)st->npools * (size_t)(st->max_gpus + 1);
        for (k = 0; st->gpc[i].c && k < n; k++)
            free(st->gpc[i].c[k]);
        free(st->gpc[i].c);
    }
    free(st->gpc);
    free(st);
}

int gs__sia_init(void **state, const gs_sim *sim, int mode, gs_err *err)
{
    sia_state *st = calloc(1, sizeof(*st));
    int p, rc, np;

    *state = NULL;
    if (!st)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    st->mode = mode;
    st->cl = gs_sim_cluster(sim);
    st->know = gs_sim_knowledge(sim);
    st->timing = gs_sim_options(sim)->timing;
    st->max_failures = gs_sim_options(sim)->max_failures;
    if ((rc = read_params(st, sim, err)) != GS_OK) {
        gs__sia_destroy(st);
        return rc;
    }
    np = st->npools = (int)gs_cluster_npools(st->cl);
    st->njobs = gs_sim_njobs(sim);
    st->configs = calloc((size_t)np, sizeof(*st->configs));
    st->nconfigs = calloc((size_t)np, sizeof(*st->nconfigs));
    st->mem = calloc((size_t)np, sizeof(*st->mem));
    st->cap = calloc((size_t)np, sizeof(*st->cap));
    st->jobs = calloc(st->njobs ? st->njobs : 1, sizeof(*st->jobs));
    st->lr_sum = calloc((size_t)np * (size_t)np, sizeof(*st->lr_sum));
    st->lr_cnt = calloc((size_t)np * (size_t)np, sizeof(*st->lr_cnt));
    if (!st->configs || !st->nconfigs || !st->mem || !st->cap || !st->jobs || !st->lr_sum ||
        !st->lr_cnt) {
        gs__sia_destroy(st);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (p = 0; p < np; p++) {
        size_t n = gs_cluster_configs(st->cl, (size_t)p, NULL, 0), k;
        int *c = malloc((n ? n : 1) * sizeof(*c));
        if (!c) {
            gs__sia_destroy(st);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        gs_cluster_configs(st->cl, (size_t)p, c, n);
        for (k = 0; k < n && c[k] <= st->max_gpus; k++)
            ;
        st->configs[p] = c;
        st->nconfigs[p] = (int)k;
        /* GPU memory is a hardware fact a running system knows; the learned-failure rules
         * use it to carry what one failure taught to the other GPU types */
        st->mem[p] = gs_scaledb_type_memory_gb(st->know, gs_cluster_pool(st->cl, (size_t)p)->type);
    }
    *state = st;
    return GS_OK;
}

static sia_job *job_get(sia_state *st, uint32_t j)
{
    sia_job *js = st->jobs[j];
    int p;

    if (js)
        return js;
    js = calloc(1, sizeof(*js));
    if (!js)
        return NULL;
    js->pm = calloc((size_t)st->npools, sizeof(*js->pm));
    js->floor = calloc((size_t)st->npools, sizeof(*js->floor));
    js->lp1 = malloc((size_t)st->npools * sizeof(*js->lp1));
    if (!js->pm || !js->floor || !js->lp1) {
        job_free(js, st->npools);
        return NULL;
    }
    for (p = 0; p < st->npools; p++)
        js->lp1[p] = NAN;
    st->jobs[j] = js;
    return js;
}

static int pool_nodes(const sia_state *st, int pool, int gpus)
{
    int gpn = gs_cluster_pool(st->cl, (size_t)pool)->gpus_per_node;
    return (gpus + gpn - 1) / gpn;
}

/* ---- learning ---- */

/* The job's modelled 1-GPU throughput on pool p changed: keep the cluster-wide mean log
 * ratios between pools (Sia's bootstrap, Sia's artifact: sia.py, learned online here). */
static void set_lp1(sia_state *st, sia_job *js, int p, double v)
{
    int q, np = st->npools;

    for (q = 0; q < np; q++) {
        double d;
        if (q == p || isnan(js->lp1[q]))
            continue;
        if (isnan(js->lp1[p])) {
            d = v - js->lp1[q];
            st->lr_cnt[p * np + q]++;
            st->lr_cnt[q * np + p]++;
        } else {
            d = v - js->lp1[p];
        }
        st->lr_sum[p * np + q] += d;
        st->lr_sum[q * np + p] -= d;
    }
    js->lp1[p] = v;
}

/* Records one measured configuration and refits the model of that pool when it is new. */
static int observe(sia_state *st, sia_job *js, int pool, int gpus, int nodes, double thr,
                   int adaptive, gs_err *err)
{
    sia_pool_model *pm = &js->pm[pool];
    int i, rc;

    for (i = 0; i < pm->nobs; i++)
        if (pm->obs[i].gpus == gpus && pm->obs[i].nodes == nodes)
            return GS_OK; /* each configuration once (Sia) */
    if (GS_GROW(pm->obs, pm->cap, (size_t)pm->nobs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    pm->obs[pm->nobs].gpus = gpus;
    pm->obs[pm->nobs].nodes = nodes;
    pm->obs[pm->nobs].thr = thr;
    pm->nobs++;
    /* an adaptive-batch job's goodput comes from its class's model (gp_value): what it ran on
     * only says where it has run */
    if (!adaptive && (rc = gs__xput_fit(pm->obs, (size_t)pm->nobs, &pm->m, err)) != GS_OK)
        return rc;
    st->fits += !adaptive;
    if (!pm->has_model)
        js->nmodels++;
    pm->has_model = 1;
    if (pm->min_ok == 0 || gpus < pm->min_ok)
        pm->min_ok = gpus;
    if (gpus > js->max_obs)
        js->max_obs = gpus;
    if (!adaptive)
        set_lp1(st, js, pool, log(gs__xput_predict(&pm->m, 1, 1)));
    return GS_OK;
}

/* A start on gpus GPUs of pool did not fit in memory. Per-GPU memory need falls as GPUs are
 * added (sharded weights, gradients and optimizer state), so every count up to gpus on every
 * type with no more memory per GPU fails too: never try those again. The aggregate memory of
 * the failed start is also a lower bound on what the job needs under perfect sharding, which
 * guides (but never forbids) the next tries on types it has not run on: the next try doubles.
 * A job that already runs somewhere and fails on a type it has not run on gives that type up:
 * chasing it with ever more GPUs would spend the failures that reject a job (--max-failures)
 * on a type the job does not need. */
static void learn_failure(sia_state *st, sia_job *js, int pool, int gpus)
{
    int q;

    js->nfail++;
    if (js->nmodels > 0 && !js->pm[pool].has_model)
        js->floor[pool] = INT_MAX;
    for (q = 0; q < st->npools; q++) {
        int same =
            q == pool || (st->mem[pool] > 0 && st->mem[q] > 0 && st->mem[q] <= st->mem[pool]);
        if (same && js->floor[q] < gpus)
            js->floor[q] = gpus;
    }
    if (st->mem[pool] > 0 && gpus * st->mem[pool] > js->mem_need)
        js->mem_need = gpus * st->mem[pool];
}

int gs__sia_on_event(void *state, gs_sim *sim, const gs_event *ev, gs_err *err)
{
    sia_state *st = state;
    uint32_t j = (uint32_t)GS_EV_TO_U(ev->data);
    const gs_job *jb = gs_sim_job(sim, j);
    sia_job *js;

    if (!jb || j >= st->njobs)
        return GS_OK;
    if (ev->type == GS_EV_FINISH) {
        job_free(st->jobs[j], st->npools);
        st->jobs[j] = NULL;
    } else if (ev->type == GS_EV_FAIL) {
        if (!(js = job_get(st, j)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        learn_failure(st, js, jb->alloc.pool, jb->alloc.gpus);
    }
    return GS_OK;
}

/* ---- the goodput matrix ---- */

/* The column arrays share one capacity, and so do the row arrays. */
static int grow_cols(sia_state *st, size_t need, gs_err *err)
{
    size_t cap = gs__grow_cap(st->col_cap, need);

    if (need <= st->col_cap)
        return GS_OK;
    if (GS_RESIZE(st->col_pool, cap) || GS_RESIZE(st->col_gpus, cap) || GS_RESIZE(st->col_g, cap) ||
        GS_RESIZE(st->col_a, cap))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    st->col_cap = cap;
    return GS_OK;
}

static int grow_rows(sia_state *st, size_t need, gs_err *err)
{
    size_t cap = gs__grow_cap(st->row_cap, need);

    if (need <= st->row_cap)
        return GS_OK;
    if (GS_RESIZE(st->ilp_job, cap) || GS_RESIZE(st->cur_col, cap) || GS_RESIZE(st->choice, cap) ||
        GS_RESIZE(st->final, cap) || GS_RESIZE(st->order, cap) || GS_RESIZE(st->decision, cap) ||
        GS_RESIZE(st->col_start, cap + 1))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    st->row_cap = cap;
    return GS_OK;
}

/* Whether the job may be given gpus GPUs of pool: what the DB says (sia-aware) or what its
 * failures taught (both); mem: also require more aggregate memory than a failed start had,
 * on types where the job has not run yet (sia-unaware's next try). */
static int allowed(const sia_state *st, const gs_job *jb, const sia_job *js, int pool, int gpus,
                   int mem)
{
    if (gpus <= js->floor[pool] || (jb->fixed_gpus && gpus != jb->fixed_gpus))
        return 0; /* not elastic: its own GPU count only */
    if (st->mode == GS__SIA_AWARE) {
        double thr;
        int viable;
        gs_scaledb_lookup(st->know, jb->cls, gs_cluster_pool(st->cl, (size_t)pool)->type, gpus,
                          pool_nodes(st, pool, gpus), &thr, &viable);
        return viable;
    }
    return !mem || js->pm[pool].has_model || st->mem[pool] <= 0 ||
           gpus * st->mem[pool] > js->mem_need;
}

static int add_col(sia_state *st, size_t *n, int pool, int gpus, double g, gs_err *err)
{
    int rc;

    if ((rc = grow_cols(st, *n + 1, err)) != GS_OK)
        return rc;
    st->col_pool[*n] = pool;
    st->col_gpus[*n] = gpus;
    st->col_g[*n] = g;
    (*n)++;
    return GS_OK;
}

/* The goodput an adaptive-batch job believes it gets on gpus GPUs of pool in its current phase,
 * at its best batch up to its own largest (Sia plans with the workload's batch_size: its
 * artifact, job.py get_speedup_fn): Pollux's goodput on the class's profiles (the knowledge
 * DB), where Sia fits the same model to what the job measured. 0 when no batch fits; a negative
 * code on ENOMEM. */
static double gp_value(sia_state *st, const gs_job *jb, int pool, int gpus, gs_err *err)
{
    const gs_goodput *m = gs_scaledb_class_goodput(st->know, jb->cls);
    double bmax = jb->tj->batch > 0 ? jb->tj->batch : 0;
    size_t i, slot, n = (size_t)st->npools * (size_t)(st->max_gpus + 1);
    gs_goodput_pt **c;
    const gs_pool *pl = gs_cluster_pool(st->cl, (size_t)pool);

    for (i = 0; i < st->ngpc && !(st->gpc[i].cls == jb->cls && st->gpc[i].bmax == bmax); i++)
        ;
    if (i == st->ngpc) {
        if (GS_GROW(st->gpc, st->gpc_cap, st->ngpc + 1) != GS_OK ||
            !(st->gpc[i].c = calloc(n, sizeof(*st->gpc[i].c))))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        st->gpc[i].cls = jb->cls;
        st->gpc[i].bmax = bmax;
        st->ngpc++;
    }
    if (gpus > st->max_gpus)
        return 0;
    c = st->gpc[i].c;
    slot = (size_t)pool * (size_t)(st->max_gpus + 1) + (size_t)gpus;
    if (!c[slot]) {
        if (!(c[slot] = malloc(gs_goodput_nphases(m) * sizeof(**c))))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        if (gs_goodput_curve(m, pl->type, pool_nodes(st, pool, gpus), gpus, bmax, c[slot], err) !=
            GS_OK)
            return -GS_EINVAL;
    }
    return c[slot][(size_t)jb->phase < gs_goodput_nphases(m) ? (size_t)jb->phase
                                                             : gs_goodput_nphases(m) - 1]
        .goodput;
}

/* Sia's projection ratio for an adaptive-batch class: 1-GPU throughput on pool p over that on q,
 * from the offline profiles (Sia's artifact: cluster.py compute_throughput_ratios; the
 * knowledge DB here); 1 when either is unknown. */
static double gp_ratio(const sia_state *st, const gs_job *jb, int p, int q)
{
    const gs_goodput *m = gs_scaledb_class_goodput(st->know, jb->cls);
    double a = gs_goodput_xput1(m, gs_cluster_pool(st->cl, (size_t)p)->type);
    double b = gs_goodput_xput1(m, gs_cluster_pool(st->cl, (size_t)q)->type);

    return a > 0 && b > 0 ? a / b : 1;
}

/* Appends job j's columns (pool, GPUs, raw goodput or COL_PLACEHOLDER) from index *n on,
 * following Sia (Sia's artifact: goodput.py, sia.py): own model, else a projection from the first
 * pool (cluster order) with a model through the learned 1-GPU ratio (with bootstrap=1), else the
 * placeholder (one column, the smallest count allowed); all within the scale-up limit
 * max(2 x largest measured, 1). */
static int job_cols(sia_state *st, const gs_job *jb, const sia_job *js, int mem, size_t *n,
                    gs_err *err)
{
    int np = st->npools, p, k, rc;
    int limit = js->max_obs > 0 ? 2 * js->max_obs : 1;
    int adaptive = gs_scaledb_class_goodput(st->know, jb->cls) != NULL;
    /* one more failure would reject the job: only what is known to run, when there is such */
    int safe_only = js->nmodels > 0 && jb->failures + 1 >= st->max_failures;

    /* before it has run anywhere, a job that failed explores only on the types with the most
     * memory per GPU (among those left to it): a failure there rules out the most */
    double explore_mem = 0;

    if (limit > st->max_gpus)
        limit = st->max_gpus;
    if (js->nmodels == 0 && js->nfail > 0) {
        for (p = 0; p < np; p++)
            for (k = 0; k < st->nconfigs[p]; k++)
                if (allowed(st, jb, js, p, st->configs[p][k], mem)) {
                    if (st->mem[p] > explore_mem)
                        explore_mem = st->mem[p];
                    break;
                }
    }
    for (p = 0; p < np; p++) {
        const sia_pool_model *pm = &js->pm[p];
        int dest = -1, first = 0, q;
        double ratio = 1;
        if (st->mem[p] < explore_mem)
            continue;
        if (!pm->has_model && st->bootstrap) {
            for (q = 0; q < np && dest < 0; q++) {
                if (js->pm[q].has_model && st->lr_cnt[p * np + q] > 0) {
                    dest = q;
                    ratio = exp(st->lr_sum[p * np + q] / st->lr_cnt[p * np + q]);
                }
            }
            /* Sia reads the ratio from offline 1-GPU profiles; ours is learned from jobs that
             * ran on both types. Until a pair of types has one, the unknown type is assumed
             * as fast as the known one (ratio 1): that is what lets a job whose type is busy
             * try another, which produces the first samples (docs/sia.md) */
            for (q = 0; q < np && dest < 0; q++)
                if (js->pm[q].has_model)
                    dest = q, ratio = 1;
        }
        for (k = 0; k < st->nconfigs[p]; k++) {
            int g = st->configs[p][k];
            double gp;
            if (!allowed(st, jb, js, p, g, mem))
                continue;
            if (safe_only && (!pm->has_model || g < pm->min_ok))
                continue;
            if (!first)
                first = g;
            if (g > (limit > first ? limit : first))
                break;
            if (adaptive && (pm->has_model || dest >= 0)) {
                gp = pm->has_model ? gp_value(st, jb, p, g, err)
                                   : gp_ratio(st, jb, p, dest) * gp_value(st, jb, dest, g, err);
                if (err && err->code)
                    return err->code;
            } else if (pm->has_model) {
                gp = gs__xput_predict(&pm->m, g, pool_nodes(st, p, g));
            } else if (dest >= 0) {
                gp = ratio * gs__xput_predict(&js->pm[dest].m, g, pool_nodes(st, dest, g));
            } else {
                if ((rc = add_col(st, n, p, g, COL_PLACEHOLDER, err)) != GS_OK)
                    return rc;
                break;
            }
            if ((rc = add_col(st, n, p, g, gp, err)) != GS_OK)
                return rc;
        }
    }
    return GS_OK;
}

/* Turns the raw goodputs of columns [from, to) into Sia's costs A (Sia's artifact: sia.py
 * optimize_mip). */
static void row_costs(sia_state *st, size_t from, size_t to, int cur, double r)
{
    size_t k;

    for (k = from; k < to; k++)
        st->col_a[k] = st->col_g[k]; /* col_a as scratch: placeholders are below 1e-4 */
    gs__sia_normalise(st->col_a + from, to - from);
    for (k = from; k < to; k++) {
        double g = st->col_g[k] == COL_PLACEHOLDER ? 1 : st->col_a[k];
        if (cur >= 0 && k != (size_t)cur)
            g *= r;
        st->col_a[k] = gs__sia_cost(g, st->p, st->clip);
    }
}

/* ---- placement ---- */

static int better(const sia_state *st, double a, double b)
{
    return st->p < 0 ? a < b : a > b;
}

/* The columns of row i in the order they are tried when the chosen one cannot be placed:
 * the ILP's choice, then the others by cost (better first), more GPUs first on ties; only
 * those better than no allocation. Writes column indices to out; returns how many. */
static size_t fallbacks(const sia_state *st, int i, int *out)
{
    size_t k, n = 0, a, b;

    if (st->choice[i] >= 0)
        out[n++] = st->choice[i];
    for (k = st->col_start[i]; k < st->col_start[i + 1]; k++) {
        if ((int)k == st->choice[i] || !better(st, st->col_a[k], st->lambda_n))
            continue;
        out[n++] = (int)k;
    }
    /* insertion sort of out[1..n): short rows */
    for (a = 2; a < n; a++) {
        int c = out[a];
        for (b = a; b > 1; b--) {
            int d = out[b - 1];
            double ca = st->col_a[c], da = st->col_a[d];
            if (better(st, ca, da) || (ca == da && (st->col_gpus[c] > st->col_gpus[d] ||
                                                    (st->col_gpus[c] == st->col_gpus[d] && c < d))))
                out[b] = d;
            else
                break;
        }
        out[b] = c;
    }
    return n;
}

/* The order allocations are placed in: more GPUs first (as Sia's placement), then job order. */
static int place_cmp(const sia_state *st, int x, int y)
{
    int gx = st->col_gpus[st->final[x]], gy = st->col_gpus[st->final[y]];

    if (gx != gy)
        return gx > gy ? -1 : 1;
    return (x > y) - (x < y);
}

static void sort_order(const sia_state *st, int *ord, int n)
{
    int a, b;

    /* insertion sort: qsort has no context argument, and n (allocations that change in one
     * round) is small */
    for (a = 1; a < n; a++) {
        int c = ord[a];
        for (b = a; b > 0 && place_cmp(st, c, ord[b - 1]) < 0; b--)
            ord[b] = ord[b - 1];
        ord[b] = c;
    }
}

/* Places the ILP's answer onto nodes. The core keeps running jobs where they are, so a
 * capacity-feasible answer can be fragmented: an allocation that cannot be placed falls back
 * to the job's next best column that can; when that is the configuration a resized job holds,
 * the job keeps it (no restart) and placement starts over with its GPUs left in place; when
 * nothing fits, a running job is preempted and a queued one waits. Every allocation is tried
 * on a gs_freemap in the order the core applies the plan, so the plan is always valid. */
static int place(sia_state *st, gs_sim *sim, int nrows, gs_plan *out, gs_err *err)
{
    gs_freemap fm;
    int i, n = 0, rc = GS_OK, again, *cand = NULL;
    size_t maxc = 1;

    for (i = 0; i < nrows; i++)
        if (st->col_start[i + 1] - st->col_start[i] + 1 > maxc)
            maxc = st->col_start[i + 1] - st->col_start[i] + 1;
    cand = malloc(maxc * sizeof(*cand));
    if (!cand)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    do {
        again = 0;
        if ((rc = gs_freemap_init(&fm, sim, err)) != GS_OK)
            break;
        n = 0;
        for (i = 0; i < nrows; i++) {
            int d = st->decision[i];
            st->final[i] = st->choice[i];
            if (d == D_PREEMPT || d == D_RESIZE)
                gs_freemap_give_job(&fm, sim, st->ilp_job[i]);
            if (d == D_RESIZE || d == D_START)
                st->order[n++] = i;
        }
        sort_order(st, st->order, n);
        for (int k = 0; k < n && !again; k++) {
            int r = st->order[k];
            size_t nc = fallbacks(st, r, cand), c;
            st->final[r] = -1;
            for (c = 0; c < nc; c++) {
                int col = cand[c];
                if (col == st->cur_col[r]) { /* keep what it holds: start over without it */
                    st->decision[r] = D_KEEP;
                    st->keeps++;
                    again = 1;
                    break;
                }
                if (gs_freemap_take(&fm, st->col_pool[col], st->col_gpus[col]) == 0) {
                    st->final[r] = col;
                    break;
                }
            }
        }
        gs_freemap_release(&fm);
    } while (again);
    free(cand);
    if (rc != GS_OK)
        return rc;
    for (i = 0; i < n; i++)
        st->fallbacks += st->final[st->order[i]] != st->choice[st->order[i]];
    /* the plan: preemptions, then allocations in placement order */
    for (i = 0; i < nrows && rc == GS_OK; i++) {
        int d = st->decision[i];
        if (d == D_PREEMPT || (d == D_RESIZE && st->final[i] < 0))
            rc = gs_plan_preempt(out, st->ilp_job[i], err);
    }
    for (i = 0; i < n && rc == GS_OK; i++) {
        int r = st->order[i], col = st->final[r];
        if (col < 0)
            continue;
        if (st->decision[r] == D_START)
            rc = gs_plan_start(out, st->ilp_job[r], st->col_pool[col], st->col_gpus[col], err);
        else
            rc = gs_plan_resize(out, st->ilp_job[r], st->col_pool[col], st->col_gpus[col], err);
    }
    return rc;
}

/* ---- statistics ---- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int put_stats(sia_state *st, gs_sim *sim)
{
    double s = st->solves ? (double)st->solves : 1;
    int rc = GS_OK;

    rc |= gs_sim_stat_set(sim, "sia_rounds", (double)st->rounds);
    rc |= gs_sim_stat_set(sim, "ilp_solves", (double)st->solves);
    rc |= gs_sim_stat_set(sim, "ilp_jobs_mean", st->sum_jobs / s);
    rc |= gs_sim_stat_set(sim, "ilp_jobs_max", st->max_jobs);
    rc |= gs_sim_stat_set(sim, "ilp_variables_mean", st->sum_cols / s);
    rc |= gs_sim_stat_set(sim, "ilp_variables_max", st->max_cols);
    rc |= gs_sim_stat_set(sim, "ilp_constraints_mean", st->sum_rows / s);
    rc |= gs_sim_stat_set(sim, "ilp_constraints_max", st->max_rows);
    rc |= gs_sim_stat_set(sim, "pinned_jobs_mean", st->sum_pinned / s);
    rc |= gs_sim_stat_set(sim, "model_fits", (double)st->fits);
    rc |= gs_sim_stat_set(sim, "placement_fallbacks", (double)st->fallbacks);
    rc |= gs_sim_stat_set(sim, "placement_keeps", (double)st->keeps);
    rc |= gs_sim_stat_set(sim, "rejected_no_viable", (double)st->rejects);
    /* the model solved: identical jobs merged, dominated columns left out (lp_sia_int.h) */
    rc |= gs_sim_stat_set(sim, "ilp_merged_jobs_mean", st->sum_groups / s);
    rc |= gs_sim_stat_set(sim, "ilp_solved_variables_mean", st->sum_vars / s);
    rc |= gs_sim_stat_set(sim, "ilp_solved_variables_max", st->max_vars);
    return rc ? GS_ENOMEM : GS_OK;
}

/* ---- one round ---- */

int gs__sia_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    sia_state *st = state;
    double now = gs_sim_now(sim);
    size_t nq, nr, ncols = 0;
    uint32_t iq, ir, *active = NULL;
    size_t nact = 0, a;
    int nrows = 0, p, rc = GS_OK, npinned = 0;
    gs__sia_ilp ilp;
    gs__sia_ilp_info info;

    st->rounds++;
    nq = gs_sim_queue_len(sim);
    nr = gs_sim_running_len(sim);
    /* both sets merged in job order */
    active = malloc((nq + nr + 1) * sizeof(*active));
    if (!active)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    iq = gs_sim_queue_first(sim);
    ir = gs_sim_running_first(sim);
    while (iq != GS_JOB_NONE || ir != GS_JOB_NONE) {
        if (iq < ir) {
            active[nact++] = iq;
            iq = gs_sim_queue_next(sim, iq);
        } else {
            active[nact++] = ir;
            ir = gs_sim_running_next(sim, ir);
        }
    }
    for (p = 0; p < st->npools; p++)
        st->cap[p] = gs_cluster_pool(st->cl, (size_t)p)->capacity;
    if ((rc = grow_rows(st, nact + 1, err)) != GS_OK)
        goto out;
    st->col_start[0] = 0;
    for (a = 0; a < nact; a++) {
        uint32_t j = active[a];
        const gs_job *jb = gs_sim_job(sim, j);
        sia_job *js = job_get(st, j);
        int running = jb->state == GS_JOB_RUNNING, cur = -1;
        size_t from = ncols, k;
        if (!js) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
        if (running) {
            double thr = gs_sim_job_rate(sim, j);
            if (!(thr > 0)) {
                /* restarting (or starting on a configuration that will fail): it keeps its
                 * configuration this round (Sia's scaling_underway) */
                st->cap[jb->alloc.pool] -= jb->alloc.gpus;
                npinned++;
                continue;
            }
            /* measured only once it has run a while on this allocation */
            if (now > gs_sim_job_ready_at(sim, j) &&
                (rc = observe(st, js, jb->alloc.pool, jb->alloc.gpus, jb->alloc.nodes, thr,
                              gs_scaledb_class_goodput(st->know, jb->cls) != NULL, err)) != GS_OK)
                goto out;
        }
        if ((rc = job_cols(st, jb, js, 1, &ncols, err)) != GS_OK)
            goto out;
        if (ncols == from && js->mem_need > 0 &&
            (rc = job_cols(st, jb, js, 0, &ncols, err)) != GS_OK) /* the hint excluded all */
            goto out;
        if (running) {
            for (k = from; k < ncols && cur < 0; k++)
                if (st->col_pool[k] == jb->alloc.pool && st->col_gpus[k] == jb->alloc.gpus)
                    cur = (int)k;
            if (cur < 0) { /* what it runs on is evidently possible: always an option */
                const sia_pool_model *pm = &js->pm[jb->alloc.pool];
                double g = !pm->has_model ? COL_PLACEHOLDER
                           : gs_scaledb_class_goodput(st->know, jb->cls)
                               ? gp_value(st, jb, jb->alloc.pool, jb->alloc.gpus, err)
                               : gs__xput_predict(&pm->m, jb->alloc.gpus,
                                                  pool_nodes(st, jb->alloc.pool, jb->alloc.gpus));
                if (err && err->code) {
                    rc = err->code;
                    goto out;
                }
                if ((rc = add_col(st, &ncols, jb->alloc.pool, jb->alloc.gpus, g, err)) != GS_OK)
                    goto out;
                cur = (int)ncols - 1;
            }
        } else if (ncols == from) {
            /* nothing it could ever run on is left */
            st->rejects++;
            if ((rc = gs_plan_reject(out, j, GS_REJECT_NO_VIABLE, err)) != GS_OK)
                goto out;
            continue;
        }
        row_costs(st, from, ncols, cur,
                  running ? gs__sia_restart_factor(
                                now - jb->submit, jb->restarts,
                                st->penalty >= 0
                                    ? st->penalty
                                    : gs_sim_restart_cost(sim, j, jb->alloc.pool, jb->alloc.gpus))
                          : 1);
        st->ilp_job[nrows] = j;
        st->cur_col[nrows] = cur;
        st->col_start[++nrows] = ncols;
    }
    if (nrows > 0) {
        double t0 = st->timing ? now_s() : 0;
        ilp.njobs = nrows;
        ilp.npools = st->npools;
        ilp.cap = st->cap;
        ilp.col_start = st->col_start;
        ilp.col_pool = st->col_pool;
        ilp.col_gpus = st->col_gpus;
        ilp.col_a = st->col_a;
        ilp.lambda_n = st->lambda_n;
        ilp.maximise = st->p > 0;
        ilp.mip_gap = st->mip_gap;
        if ((rc = gs__sia_ilp_solve_held(&ilp, st->cur_col, st->choice, &info, err)) != GS_OK)
            goto out;
        if (st->timing) {
            /* wall time: only with --timing (not reproducible), summarised in summary.json */
            if (gs_sim_time_add(sim, "ilp", now_s() - t0) != GS_OK) {
                rc = gs_errorf(err, GS_ENOMEM, "out of memory");
                goto out;
            }
        }
        st->solves++;
        st->sum_jobs += nrows;
        st->sum_cols += info.cols;
        st->sum_rows += info.rows;
        st->sum_pinned += npinned;
        st->sum_groups += info.groups;
        st->sum_vars += info.vars;
        if (info.vars > st->max_vars)
            st->max_vars = info.vars;
        if (nrows > st->max_jobs)
            st->max_jobs = nrows;
        if (info.cols > st->max_cols)
            st->max_cols = info.cols;
        if (info.rows > st->max_rows)
            st->max_rows = info.rows;
        for (int i = 0; i < nrows; i++) {
            const gs_job *jb = gs_sim_job(sim, st->ilp_job[i]);
            int c = st->choice[i];
            if (jb->state == GS_JOB_RUNNING)
                st->decision[i] = c < 0 ? D_PREEMPT : c == st->cur_col[i] ? D_KEEP : D_RESIZE;
            else
                st->decision[i] = c < 0 ? D_NONE : D_START;
        }
        if ((rc = place(st, sim, nrows, out, err)) != GS_OK)
            goto out;
    }
    rc = put_stats(st, sim);
    if (rc != GS_OK)
        rc = gs_errorf(err, rc, "out of memory");
out:
    free(active);
    return rc;
}
