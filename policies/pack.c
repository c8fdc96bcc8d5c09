/* SPDX-License-Identifier: Apache-2.0 */
/* The packing core shared by db-fifo, db-flat and db-flat-scale; the objective is a parameter. */
#include "pack.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idset_int.h"
#include "jobgroups_int.h"
#include "util_int.h"

/* What the core believes (gs_sim_knowledge(), possibly perturbed) and how it decides:
 *
 * - A configuration is (pool, GPU count) with a count from gs_cluster_configs() no larger than
 *   the DB lists for the class on that GPU type (above it the DB only extrapolates), viable and
 *   with a throughput in the knowledge. Per class they are kept twice, by per-GPU throughput and
 *   by (pool, count), built once at init.
 * - A job's remaining time on c: (1 - done/work) x duration x thr'(orig) / thr'(c), thr' the
 *   believed throughput and orig the submitted count on the reference GPU type.
 * - The finish rule (db-fifo's head, and jobs db-flat lets wait longer than starve_limit): the
 *   configuration that fits now with the soonest predicted finish, unless a busy one is predicted
 *   to finish the job sooner counting the wait. The wait for a busy configuration is found by
 *   releasing the pool's running jobs in the order of their predicted ends on a copy of its free
 *   GPUs, with the core's placement rule.
 * - Admission (db-flat, db-flat-scale): every (queued job, configuration) pair is valued
 *   k_job x per-GPU throughput, k_job from the objective; the best pair that fits starts, then
 *   the next, until nothing fits. Jobs of one class, submitted count and set of failed pools
 *   value configurations alike, so they form a group served oldest first, and a class's best
 *   fitting configuration is found once per start, not once per job.
 * - Cost (db-flat, db-flat-scale): the queued jobs are kept in those groups between calls
 *   (policies/jobgroups.c), told of arrivals and failures, jobs moved to urgent groups once they
 *   wait past starve_limit. Passes in submission order (jobs past starve_limit, reclaiming)
 *   merge the groups, and once a job of a group gets nothing the rest of its group is skipped
 *   until the plan changes: what a job gets there depends only on its group, except for the
 *   job holding the reservation, which is always looked at. So a call costs O(groups) per
 *   start, not O(queue); the plans are those of a pass over every queued job.
 * - Scaling (db-flat-scale): GPUs of a pool that no queued job can use go to running and starting
 *   jobs by marginal normalised throughput per GPU; a running job grows only when that is
 *   predicted to save at least min_gain restart delays beyond the restart it pays. Queued jobs
 *   that do not fit take GPUs back from grown jobs (shrunk to their admitted size).
 * - Every plan is replayed on a copy of the free GPUs in the order the core applies it (the GPUs
 *   of resized jobs first, then every placement in plan order), so what is emitted is valid. */

/* Statistics for summary.json, and the objectives they are reported for. */
enum { ST_WAIT, ST_URGENT, ST_RESERVE, ST_GROWN_START, ST_SCALE_UP, ST_SCALE_DOWN, ST_N };
static const struct {
    const char *key;
    unsigned objectives; /* bit o: reported for objective o */
} stat_def[ST_N] = {
    {"pack_waits", 1u << GS_PACK_FINISH}, /* head jobs that waited for a busy configuration */
    {"pack_urgent_starts", 1u << GS_PACK_EFFICIENCY | 1u << GS_PACK_THROUGHPUT},
    {"pack_reservations", 1u << GS_PACK_EFFICIENCY | 1u << GS_PACK_THROUGHPUT},
    {"pack_grown_starts", 1u << GS_PACK_THROUGHPUT},
    {"pack_scale_ups", 1u << GS_PACK_THROUGHPUT},
    {"pack_scale_downs", 1u << GS_PACK_THROUGHPUT},
};

typedef struct cfg {
    int pool;
    int gpus;
    double thr;    /* believed throughput, class units per second */
    double pergpu; /* thr / gpus */
} cfg;

typedef struct clstab {
    cfg *eff;  /* highest per-GPU throughput first (ties: pool, then count) */
    cfg *size; /* by (pool, count) */
    int n;
    int *lo; /* npools + 1 offsets: the configurations of pool p are size[lo[p] .. lo[p + 1]) */
    double best_pergpu;
} clstab;

/* What admission knows of a group of queued jobs (policies/jobgroups.c) that value every
 * configuration alike. */
typedef struct grp {
    double k;  /* value of a configuration = k x its per-GPU throughput */
    int has;   /* some configuration is not on a failed pool */
    int fixed; /* > 0: jobs of a class that is not elastic, on exactly this many GPUs */
    int pos;   /* masked or fixed groups: scan position in eff */
} grp;

typedef struct rel {
    double t;
    uint32_t job;
    long planned; /* -1: a running job; else the index of a start of this plan in pk->prels */
} rel;

/* An admission: what db-flat-scale keeps free for the next ones. */
typedef struct adm {
    double t;
    int pool, gpus;
} adm;

/* Where a start of the current plan was placed, and when it is predicted to end. */
typedef struct prel {
    double t;
    int pool;
    size_t off, n; /* (node, GPUs) pairs in pk->ppairs */
} prel;

typedef struct vict {
    uint32_t job;
    int cls, pool, cur, base;
    double mval; /* normalised throughput per GPU the grown part adds */
} vict;

typedef struct cand {
    uint32_t job;
    int cls, pool, cur, lvl, orig;
    long act; /* plan index of its start or resize, -1 for a running job not in the plan */
    double w; /* believed remaining work */
    double norm, tcur, cost, thr_lvl;
    double hyst;           /* the job's restart cost here: the unit of min_gain */
    const struct cfg *nxt; /* the next step of the water-filling, and its value per GPU */
    double val;
} cand;

typedef struct pack {
    int obj;
    double starve_limit, min_gain;
    int wait_busy;    /* db-fifo: the head may wait for a busy configuration predicted faster */
    double max_scale; /* db-fifo: GPUs at most max_scale x the submitted count (0: no cap) */
    int cap;          /* GPUs the job being placed may get (from max_scale; INT_MAX: no cap) */
    const gs_scaledb *know;
    const gs_cluster *cl;
    int npools, nnodes, ref, ncls, maxgpn;
    clstab *cls;
    size_t njobs;
    int *base;      /* per job: GPUs admission gave it (what a shrink returns it to) */
    uint32_t *mark; /* per job: == stamp when handled by the current call */
    uint32_t stamp;
    gs_freemap cur, trial;
    uint64_t tver;       /* changes whenever trial does */
    int *phist;          /* per pool: nodes of trial by free GPUs (maxgpn + 1 counts) */
    uint64_t *phist_ver; /* per pool: tver phist was built at */
    int *reserved, *wanted, *budget, *cpos, *nf, *hist;
    long resv_job;
    const cfg *resv_cfg;
    /* queued jobs by (urgent, class, submitted count, failed pools); not for db-fifo */
    gs__jgroups jq;
    uint32_t *pend; /* arrivals and failures since the last call */
    size_t npend, cappend;
    uint32_t upto; /* jobs below this index have waited past starve_limit */
    grp *grps;     /* per group of jq: what admission needs */
    size_t ngrps, capgrps;
    int *ag; /* the non-urgent groups admission looks at */
    size_t capag;
    /* db-flat-scale: running jobs that may have grown past their admitted size, and those that
     * may still be worth growing (supersets, checked when read) */
    gs__idset grown, growable;
    /* scratch, grown on demand */
    rel *rels;
    size_t caprels;
    prel *prels;
    size_t nprels, capprels;
    int *ppairs, *before;
    size_t nppairs, capppairs;
    vict *victs;
    size_t capvicts;
    cand *cands;
    size_t capcands;
    size_t *cheap, *cidx;
    size_t capcheap, capcidx;
    gs_action *saved;
    unsigned char *chg;
    size_t capsaved, capchg;
    adm *adms; /* admissions of the last restart delay, oldest first: adms[adm0 .. nadms) */
    size_t adm0, nadms, capadms;
    int *demand;  /* per pool: GPUs those admissions took */
    int *nogrow;  /* per job: (pool << 20 | GPUs) + 1 of an allocation it cannot gain from */
    double *calm; /* per job: not grown again before this time (after a shrink) */
    unsigned char *shrinks; /* per job: shrinks so far (the back-off doubles with each) */
    /* db-fifo: the head waited and nothing finished since */
    int dirty;
    long wait_head, waited;
    long st[ST_N], st_set[ST_N];
} pack;

/* ---- beliefs ---- */

static int nodes_of(const gs_pool *pl, int gpus)
{
    return (gpus + pl->gpus_per_node - 1) / pl->gpus_per_node;
}

static double thr_at(const pack *pk, int cls, int pool, int gpus)
{
    const gs_pool *pl = gs_cluster_pool(pk->cl, (size_t)pool);
    double thr;
    int viable;

    gs_scaledb_lookup(pk->know, cls, pl->type, gpus, nodes_of(pl, gpus), &thr, &viable);
    return thr;
}

/* Believed throughput of an original configuration: g0 GPUs of the reference type. */
static double norm_cg(const pack *pk, int cls, int g0)
{
    double thr;
    int viable;

    gs_scaledb_lookup(pk->know, cls, pk->ref, g0, 0, &thr, &viable);
    if (!(thr > 0)) /* nothing believed there: as if it ran at the class's best per-GPU speed */
        thr = pk->cls[cls].best_pergpu * g0;
    return thr;
}

/* Believed throughput of the job's original configuration (gpu_num GPUs of the reference type). */
static double norm_of(const pack *pk, const gs_job *jb)
{
    return norm_cg(pk, jb->cls, jb->tj->gpu_num);
}

/* Believed remaining work, in the class's units. */
static double rem_work(gs_sim *sim, const gs_job *jb, double norm)
{
    double f = 1.0 - gs_sim_job_progress(sim, jb->index);

    return (f > 0 ? f : 0) * jb->tj->duration * norm;
}

static int failed_on(const gs_job *jb, int pool)
{
    return pool < 64 && (jb->failed_pools >> pool & 1);
}

/* Whether the job may be given c now: not on a pool it failed on, nor one reserved for another
 * job. */
/* A job of a class that is not elastic runs on its own GPU count only. */
static int size_ok(const gs_job *jb, const cfg *c)
{
    return !jb->fixed_gpus || c->gpus == jb->fixed_gpus;
}

static int usable(const pack *pk, const gs_job *jb, const cfg *c)
{
    return !failed_on(jb, c->pool) && size_ok(jb, c) &&
           (!pk->reserved[c->pool] || pk->resv_job == (long)jb->index);
}

static int has_config_cm(const pack *pk, int cls, uint64_t mask, int fixed)
{
    const clstab *ct = &pk->cls[cls];
    int i;

    for (i = 0; i < ct->n; i++)
        if (!(ct->eff[i].pool < 64 && (mask >> ct->eff[i].pool & 1)) &&
            (!fixed || ct->eff[i].gpus == fixed))
            return 1;
    return 0;
}

static int has_config(const pack *pk, const gs_job *jb)
{
    return has_config_cm(pk, jb->cls, jb->failed_pools, jb->fixed_gpus);
}

/* ---- tables ---- */

static int by_eff(const void *a, const void *b)
{
    const cfg *x = a, *y = b;

    if (x->pergpu != y->pergpu)
        return x->pergpu > y->pergpu ? -1 : 1;
    if (x->pool != y->pool)
        return x->pool - y->pool;
    return x->gpus - y->gpus;
}

static int build_tables(pack *pk, gs_err *err)
{
    int c, p, maxcfg = 0;
    int *counts;

    for (p = 0; p < pk->npools; p++) {
        int n = (int)gs_cluster_configs(pk->cl, (size_t)p, NULL, 0);
        maxcfg = n > maxcfg ? n : maxcfg;
    }
    counts = malloc(((size_t)maxcfg + 1) * sizeof(*counts));
    pk->cls = calloc((size_t)pk->ncls, sizeof(*pk->cls));
    if (!counts || !pk->cls) {
        free(counts);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (c = 0; c < pk->ncls; c++) {
        clstab *ct = &pk->cls[c];
        size_t cap = 0;
        ct->lo = calloc((size_t)pk->npools + 1, sizeof(*ct->lo));
        if (!ct->lo)
            goto oom;
        for (p = 0; p < pk->npools; p++) {
            const gs_pool *pl = gs_cluster_pool(pk->cl, (size_t)p);
            int maxg = gs_scaledb_max_gpus(pk->know, c, pl->type), i;
            int n = (int)gs_cluster_configs(pk->cl, (size_t)p, counts, (size_t)maxcfg);
            ct->lo[p] = ct->n;
            for (i = 0; i < n && counts[i] <= maxg; i++) {
                double thr;
                int viable;
                gs_scaledb_lookup(pk->know, c, pl->type, counts[i], nodes_of(pl, counts[i]), &thr,
                                  &viable);
                if (!viable || !(thr > 0))
                    continue;
                if (GS_GROW(ct->size, cap, (size_t)ct->n + 1) != GS_OK)
                    goto oom;
                ct->size[ct->n].pool = p;
                ct->size[ct->n].gpus = counts[i];
                ct->size[ct->n].thr = thr;
                ct->size[ct->n].pergpu = thr / counts[i];
                if (ct->size[ct->n].pergpu > ct->best_pergpu)
                    ct->best_pergpu = ct->size[ct->n].pergpu;
                ct->n++;
            }
        }
        ct->lo[pk->npools] = ct->n;
        if (ct->n) {
            ct->eff = malloc((size_t)ct->n * sizeof(cfg));
            if (!ct->eff)
                goto oom;
            memcpy(ct->eff, ct->size, (size_t)ct->n * sizeof(cfg));
            qsort(ct->eff, (size_t)ct->n, sizeof(cfg), by_eff);
        }
    }
    free(counts);
    return GS_OK;
oom:
    free(counts);
    return gs_errorf(err, GS_ENOMEM, "out of memory");
}

/* ---- plans ---- */

/* Puts the trial free map in the state the core will be in after applying the plan: the GPUs of
 * resized jobs first, then every placement in plan order. Returns the index of the first action
 * that does not fit, or -1 when all do. */
static long replay(pack *pk, const gs_sim *sim, const gs_plan *p)
{
    size_t i;

    pk->tver++;
    memcpy(pk->trial.node_free, pk->cur.node_free, (size_t)pk->nnodes * sizeof(int));
    memcpy(pk->trial.pool_free, pk->cur.pool_free, (size_t)pk->npools * sizeof(int));
    for (i = 0; i < p->n; i++)
        if (p->acts[i].kind == GS_ACT_RESIZE)
            gs_freemap_give_job(&pk->trial, sim, p->acts[i].job);
    for (i = 0; i < p->n; i++) {
        const gs_action *a = &p->acts[i];
        if ((a->kind == GS_ACT_START || a->kind == GS_ACT_RESIZE) &&
            gs_freemap_take(&pk->trial, a->pool, a->gpus) != 0)
            return (long)i;
    }
    return -1;
}

static int hist_fits(const int *hist, int gpn, int gpus);

/* gs_freemap_fits on the trial map, from a histogram of its nodes' free GPUs per pool, rebuilt
 * when the map changed: the same answer in O(GPUs per node) instead of O(nodes). */
static int fits(pack *pk, const cfg *c)
{
    const gs_pool *pl = gs_cluster_pool(pk->cl, (size_t)c->pool);
    int *h = pk->phist + (size_t)c->pool * ((size_t)pk->maxgpn + 1), k;

    if (c->gpus < 1 || pk->trial.pool_free[c->pool] < c->gpus)
        return 0;
    if (pk->phist_ver[c->pool] != pk->tver) {
        memset(h, 0, ((size_t)pl->gpus_per_node + 1) * sizeof(int));
        for (k = 0; k < pl->nodes; k++)
            h[pk->trial.node_free[pl->node_base + k]]++;
        pk->phist_ver[c->pool] = pk->tver;
    }
    return hist_fits(h, pl->gpus_per_node, c->gpus);
}

/* Starts job j on c (which fits the trial map) at the end of the plan. With end >= 0, notes
 * where it went and that it is predicted to end then, for later waits in the same plan. */
static int start(pack *pk, gs_plan *out, uint32_t j, const cfg *c, double end, gs_err *err)
{
    const gs_pool *pl = gs_cluster_pool(pk->cl, (size_t)c->pool);
    int *nf = pk->trial.node_free + pl->node_base, k;

    if (end >= 0)
        memcpy(pk->before, nf, (size_t)pl->nodes * sizeof(int));
    pk->tver++;
    if (gs_freemap_take(&pk->trial, c->pool, c->gpus) != 0)
        return gs_errorf(err, GS_EINVAL, "internal error: a checked placement failed");
    if (end >= 0) {
        prel *pr;
        if (GS_GROW(pk->prels, pk->capprels, pk->nprels + 1) != GS_OK ||
            GS_GROW(pk->ppairs, pk->capppairs,
                    pk->nppairs + 2 * ((size_t)c->gpus / (size_t)pl->gpus_per_node + 1)) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        pr = &pk->prels[pk->nprels++];
        pr->t = end;
        pr->pool = c->pool;
        pr->off = pk->nppairs;
        for (k = 0; k < pl->nodes; k++) {
            if (nf[k] != pk->before[k]) {
                pk->ppairs[pk->nppairs++] = pl->node_base + k;
                pk->ppairs[pk->nppairs++] = pk->before[k] - nf[k];
            }
        }
        pr->n = (pk->nppairs - pr->off) / 2;
    }
    pk->base[j] = c->gpus;
    pk->mark[j] = pk->stamp;
    gs__jgroups_drop(&pk->jq, j);
    return gs_plan_start(out, j, c->pool, c->gpus, err);
}

static int reject(pack *pk, gs_plan *out, uint32_t j, gs_err *err)
{
    pk->mark[j] = pk->stamp;
    gs__jgroups_drop(&pk->jq, j);
    return gs_plan_reject(out, j, GS_REJECT_NO_VIABLE, err);
}

/* ---- the finish rule ---- */

static int rel_less(const rel *a, const rel *b)
{
    return a->t < b->t ||
           (a->t == b->t && (a->job < b->job || (a->job == b->job && a->planned < b->planned)));
}

static void sift_down(rel *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        rel t;
        if (l < n && rel_less(&h[l], &h[m]))
            m = l;
        if (l + 1 < n && rel_less(&h[l + 1], &h[m]))
            m = l + 1;
        if (m == i)
            return;
        t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* The core's placement rule on a histogram of free GPUs per node (hist[k] = nodes with k free):
 * gpus / gpn whole free nodes plus one node with room for the remainder. */
static int hist_fits(const int *hist, int gpn, int gpus)
{
    int full = gpus / gpn, rem = gpus % gpn, whole = hist[gpn], k;

    if (whole < full)
        return 0;
    if (rem == 0 || whole > full)
        return 1;
    for (k = rem; k < gpn; k++)
        if (hist[k] > 0)
            return 1;
    return 0;
}

/* Predicted end of a running job, by belief. */
static double pred_end(const pack *pk, gs_sim *sim, const gs_job *jb, double now)
{
    double thr = thr_at(pk, jb->cls, jb->alloc.pool, jb->alloc.gpus);
    double ready = gs_sim_job_ready_at(sim, jb->index), t0 = ready > now ? ready : now;

    return thr > 0 ? t0 + rem_work(sim, jb, norm_of(pk, jb)) / thr : INFINITY;
}

/* For the configurations of pool p that would finish a job with remaining work w sooner than
 * *bt seconds from now: the earliest predicted time each fits, releasing p's running jobs and
 * the jobs this plan starts in order of their predicted ends. Updates *bt and *pick with the
 * best finish found. */
static int pool_timeline(pack *pk, gs_sim *sim, const gs_job *jb, int p, double w, double *bt,
                         const cfg **pick, gs_err *err)
{
    const gs_pool *pl = gs_cluster_pool(pk->cl, (size_t)p);
    const clstab *ct = &pk->cls[jb->cls];
    int gpn = pl->gpus_per_node, k, lo = ct->lo[p], hi = ct->lo[p + 1], i, left = 0;
    double now = gs_sim_now(sim);
    size_t nrel = 0, r;
    uint32_t j;

    for (i = lo; i < hi; i++)
        left +=
            ct->size[i].gpus <= pk->cap && w / ct->size[i].thr < *bt && size_ok(jb, &ct->size[i]);
    if (!left)
        return GS_OK;
    if (GS_GROW(pk->rels, pk->caprels, gs_sim_running_len(sim) + pk->nprels + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (j = gs_sim_running_first(sim); j != GS_JOB_NONE; j = gs_sim_running_next(sim, j)) {
        const gs_job *rb = gs_sim_job(sim, j);
        if (rb->alloc.pool == p) {
            pk->rels[nrel].t = pred_end(pk, sim, rb, now);
            pk->rels[nrel].planned = -1;
            pk->rels[nrel++].job = j;
        }
    }
    for (r = 0; r < pk->nprels; r++) {
        if (pk->prels[r].pool == p) {
            pk->rels[nrel].t = pk->prels[r].t;
            pk->rels[nrel].planned = (long)r;
            pk->rels[nrel++].job = UINT32_MAX;
        }
    }
    for (r = nrel / 2; r-- > 0;)
        sift_down(pk->rels, nrel, r);
    memset(pk->hist, 0, ((size_t)gpn + 1) * sizeof(int));
    for (k = 0; k < pl->nodes; k++) {
        pk->nf[k] = pk->trial.node_free[pl->node_base + k];
        pk->hist[pk->nf[k]]++;
    }
    while (nrel > 0) {
        rel e = pk->rels[0];
        const int *pairs;
        size_t np;
        double t = e.t > now ? e.t - now : 0, rmin = INFINITY;
        for (i = lo; i < hi; i++) /* the fastest configuration still out of reach */
            if (ct->size[i].gpus <= pk->cap && w / ct->size[i].thr < *bt &&
                w / ct->size[i].thr < rmin && size_ok(jb, &ct->size[i]))
                rmin = w / ct->size[i].thr;
        if (!isfinite(e.t) || t + rmin >= *bt)
            break;
        pk->rels[0] = pk->rels[--nrel];
        sift_down(pk->rels, nrel, 0);
        if (e.planned < 0) {
            const gs_job *rb = gs_sim_job(sim, e.job);
            pairs = rb->place;
            np = (size_t)rb->alloc.nodes;
        } else {
            pairs = pk->ppairs + pk->prels[e.planned].off;
            np = pk->prels[e.planned].n;
        }
        for (r = 0; r < np; r++) {
            int nd = pairs[2 * r] - pl->node_base;
            pk->hist[pk->nf[nd]]--;
            pk->nf[nd] += pairs[2 * r + 1];
            pk->hist[pk->nf[nd]]++;
        }
        for (i = lo; i < hi; i++) {
            const cfg *c = &ct->size[i];
            if (c->gpus <= pk->cap && t + w / c->thr < *bt && size_ok(jb, c) &&
                hist_fits(pk->hist, gpn, c->gpus)) {
                *bt = t + w / c->thr;
                *pick = c;
            }
        }
    }
    return GS_OK;
}

/* The finish rule for job jb. Returns 1 with *pick the configuration to start it on now, or 0
 * when it should wait, *pick then being the configuration waited for (NULL: none in sight).
 * Waiting is considered only when may_wait. Negative: an error. */
static int finish_choice(pack *pk, gs_sim *sim, const gs_job *jb, int may_wait, const cfg **pick,
                         gs_err *err)
{
    const clstab *ct = &pk->cls[jb->cls];
    double w = rem_work(sim, jb, norm_of(pk, jb)), brun = INFINITY, rmin = INFINITY, bt;
    const cfg *best = NULL, *wpick = NULL;
    int i, p, rc;

    /* the cap on scaling beyond the submitted count, unless nothing under it could run the job */
    pk->cap = INT_MAX;
    if (pk->max_scale > 0) {
        double lim = floor(pk->max_scale * jb->tj->gpu_num);
        int cap = lim < INT_MAX ? (int)lim : INT_MAX;
        for (i = 0; i < ct->n; i++)
            if (!failed_on(jb, ct->eff[i].pool) && size_ok(jb, &ct->eff[i]) &&
                ct->eff[i].gpus <= cap) {
                pk->cap = cap;
                break;
            }
    }
    for (i = 0; i < ct->n; i++) {
        const cfg *c = &ct->eff[i];
        double r = w / c->thr;
        if (!usable(pk, jb, c) || c->gpus > pk->cap)
            continue;
        if (r < rmin)
            rmin = r;
        if (r < brun && fits(pk, c)) {
            best = c;
            brun = r;
        }
    }
    *pick = best;
    if (!may_wait || (best && brun <= rmin))
        return best != NULL;
    bt = brun;
    for (p = 0; p < pk->npools; p++) {
        if (failed_on(jb, p) || (pk->reserved[p] && pk->resv_job != (long)jb->index))
            continue;
        if ((rc = pool_timeline(pk, sim, jb, p, w, &bt, &wpick, err)) != GS_OK)
            return rc;
    }
    if (wpick) {
        *pick = wpick;
        return 0;
    }
    return best != NULL;
}

enum served { SERVED_NOTHING, SERVED_START, SERVED_WAIT, SERVED_REJECT };

/* Serves job j by the finish rule. strict (db-fifo): nobody overtakes it, so when it waits it
 * ends the pass (SERVED_WAIT). Otherwise (a job past starve_limit) the first job that waits
 * reserves the pool it waits for (SERVED_WAIT), and later ones only start on what fits now.
 * Returns what happened, or a negative error. */
static int serve_one(pack *pk, gs_sim *sim, uint32_t j, int strict, gs_plan *out, gs_err *err)
{
    const gs_job *jb = gs_sim_job(sim, j);
    const cfg *c;
    int may_wait = strict ? pk->wait_busy : pk->resv_job < 0, rc;

    if (!has_config(pk, jb)) {
        rc = reject(pk, out, j, err);
        return rc != GS_OK ? rc : SERVED_REJECT;
    }
    rc = finish_choice(pk, sim, jb, may_wait, &c, err);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        double end = gs_sim_now(sim) + rem_work(sim, jb, norm_of(pk, jb)) / c->thr;
        if ((rc = start(pk, out, j, c, end, err)) != GS_OK)
            return rc;
        pk->st[ST_URGENT] += !strict;
        return SERVED_START;
    }
    if (strict) {
        if (c && pk->waited != (long)j) {
            pk->st[ST_WAIT]++;
            pk->waited = (long)j;
        }
        pk->wait_head = (long)j;
        return SERVED_WAIT;
    }
    if (may_wait && c) {
        pk->reserved[c->pool] = 1;
        pk->resv_job = (long)j;
        pk->resv_cfg = c;
        pk->st[ST_RESERVE]++;
        return SERVED_WAIT;
    }
    return SERVED_NOTHING;
}

/* db-fifo: the queue from its head, until a job waits. */
static int serve_head(pack *pk, gs_sim *sim, gs_plan *out, gs_err *err)
{
    uint32_t j;
    int rc;

    for (j = gs_sim_queue_first(sim); j != GS_JOB_NONE; j = gs_sim_queue_next(sim, j))
        if ((rc = serve_one(pk, sim, j, 1, out, err)) < 0 || rc == SERVED_WAIT)
            return rc < 0 ? rc : GS_OK;
    return GS_OK;
}

static int pick_urgent(void *ctx, const gs__jgroup *g)
{
    (void)ctx;
    return g->urgent;
}

/* db-flat, db-flat-scale: the jobs past starve_limit, in submission order. What a job that gets
 * nothing (nothing fits, or nothing is in sight while it may still wait) got depends only on its
 * class and failed pools and on the plan so far, so the rest of its group is skipped until the
 * plan changes (a start or the reservation); rejections change nothing for the others. */
static int serve_urgent(pack *pk, gs_sim *sim, gs_plan *out, gs_err *err)
{
    uint32_t j;
    int g, rc;

    if (gs__jgroups_walk_begin(&pk->jq, pick_urgent, NULL, GS__JG_NONE) != 0)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while ((j = gs__jgroups_walk_next(&pk->jq, &g)) != GS__JG_NONE) {
        if ((rc = serve_one(pk, sim, j, 0, out, err)) < 0)
            return rc;
        if (rc == SERVED_START || rc == SERVED_WAIT)
            gs__jgroups_walk_changed(&pk->jq);
        else if (rc == SERVED_NOTHING)
            gs__jgroups_walk_fail(&pk->jq, g);
    }
    return GS_OK;
}

/* ---- admission by value ---- */

static double group_k(const pack *pk, int cls, int g0)
{
    double norm = norm_cg(pk, cls, g0);

    /* efficiency: per-GPU throughput relative to that of the original configuration;
     * throughput: normalised throughput (1 on the original configuration) per GPU */
    return pk->obj == GS_PACK_EFFICIENCY ? g0 / norm : 1.0 / norm;
}

/* Puts queued job j in its group; jobs below pk->upto go to urgent groups. */
static int put_job(pack *pk, const gs_job *jb, gs_err *err)
{
    int urgent = jb->index < pk->upto;
    /* past starve_limit a job's submitted count does not matter to whether it gets anything,
     * unless its class is not elastic (then it is the only count it may have) */
    int g = gs__jgroups_put(&pk->jq, jb->index, urgent, jb->cls,
                            urgent ? jb->fixed_gpus : jb->tj->gpu_num, jb->failed_pools);

    if (g < 0 || GS_GROW(pk->grps, pk->capgrps, pk->jq.ng) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while (pk->ngrps < pk->jq.ng) { /* a new group */
        const gs__jgroup *gg = &pk->jq.g[pk->ngrps];
        grp *gp = &pk->grps[pk->ngrps++];
        gp->k = group_k(pk, gg->cls, gg->g0);
        gp->fixed = jb->fixed_gpus; /* alike in a group: a function of (class, count) */
        gp->has = has_config_cm(pk, gg->cls, gg->mask, gp->fixed);
        gp->pos = 0;
    }
    return GS_OK;
}

/* Brings the groups up to date: jobs that arrived or came back after a failure since the last
 * call, and jobs that have now waited past starve_limit. Should the groups not hold exactly the
 * queue (a way into or out of the queue the policy is not told of), they are rebuilt from it. */
static int sync_groups(pack *pk, gs_sim *sim, gs_err *err)
{
    double now = gs_sim_now(sim);
    size_t i;
    uint32_t j;
    int rc;

    for (i = 0; i < pk->npend; i++) {
        const gs_job *jb = gs_sim_job(sim, pk->pend[i]);
        if (jb->state == GS_JOB_QUEUED && (rc = put_job(pk, jb, err)) != GS_OK)
            return rc;
    }
    pk->npend = 0;
    if (pk->starve_limit > 0) {
        while (pk->upto < pk->njobs && now - gs_sim_job(sim, pk->upto)->submit > pk->starve_limit) {
            j = pk->upto++;
            if (gs__jgroups_of(&pk->jq, j) >= 0 &&
                (rc = put_job(pk, gs_sim_job(sim, j), err)) != GS_OK)
                return rc;
        }
    }
    if (pk->jq.nlive == gs_sim_queue_len(sim))
        return GS_OK;
    gs__jgroups_clear(&pk->jq);
    for (j = gs_sim_queue_first(sim); j != GS_JOB_NONE; j = gs_sim_queue_next(sim, j))
        if ((rc = put_job(pk, gs_sim_job(sim, j), err)) != GS_OK)
            return rc;
    return GS_OK;
}

static int pick_rejected(void *ctx, const gs__jgroup *g)
{
    const pack *pk = ctx;

    return !g->urgent && !pk->grps[g - pk->jq.g].has;
}

/* Rejects, in submission order, the queued jobs not past starve_limit that have no
 * configuration left. */
static int reject_unplaceable(pack *pk, gs_plan *out, gs_err *err)
{
    uint32_t j;
    int g, rc;

    if (gs__jgroups_walk_begin(&pk->jq, pick_rejected, pk, GS__JG_NONE) != 0)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while ((j = gs__jgroups_walk_next(&pk->jq, &g)) != GS__JG_NONE)
        if ((rc = reject(pk, out, j, err)) != GS_OK)
            return rc;
    return GS_OK;
}

/* First position from pos in class cls's eff list that fits, on a pool neither reserved nor in
 * mask (failed pools), of fixed GPUs when fixed > 0. */
static int advance(pack *pk, int cls, uint64_t mask, int fixed, int pos)
{
    const clstab *ct = &pk->cls[cls];

    for (; pos < ct->n; pos++) {
        const cfg *c = &ct->eff[pos];
        if (!pk->reserved[c->pool] && !(c->pool < 64 && (mask >> c->pool & 1)) &&
            (!fixed || c->gpus == fixed) && fits(pk, c))
            break;
    }
    return pos;
}

/* Starts the best (group, configuration) pair that fits, again and again, over the groups not
 * past starve_limit. */
static int admit(pack *pk, gs_plan *out, gs_err *err)
{
    size_t i, na = 0;
    int c, rc;

    if (GS_GROW(pk->ag, pk->capag, pk->jq.nactive + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < pk->jq.nactive; i++)
        if (!pk->jq.g[pk->jq.active[i]].urgent)
            pk->ag[na++] = pk->jq.active[i];
    for (c = 0; c < pk->ncls; c++)
        pk->cpos[c] = -1; /* not scanned yet */
    for (i = 0; i < na; i++) {
        const gs__jgroup *gg = &pk->jq.g[pk->ag[i]];
        grp *gp = &pk->grps[pk->ag[i]];
        if (gg->mask || gp->fixed) { /* their own scan position */
            gp->pos = advance(pk, gg->cls, gg->mask, gp->fixed, 0);
        } else {
            if (pk->cpos[gg->cls] < 0)
                pk->cpos[gg->cls] = advance(pk, gg->cls, 0, 0, 0);
            gp->pos = -1;
        }
    }
    for (;;) {
        const cfg *bc = NULL;
        double bv = -1;
        uint32_t bj = GS__JG_NONE;
        int pool;
        for (i = 0; i < na; i++) {
            const gs__jgroup *gg = &pk->jq.g[pk->ag[i]];
            const grp *gp = &pk->grps[pk->ag[i]];
            int pos = gg->mask || gp->fixed ? gp->pos : pk->cpos[gg->cls];
            uint32_t head;
            double v;
            if (pos >= pk->cls[gg->cls].n ||
                (head = gs__jgroups_head(&pk->jq, pk->ag[i])) == GS__JG_NONE)
                continue;
            v = gp->k * pk->cls[gg->cls].eff[pos].pergpu;
            if (v > bv || (v == bv && head < bj)) {
                bv = v;
                bj = head;
                bc = &pk->cls[gg->cls].eff[pos];
            }
        }
        if (!bc)
            return GS_OK;
        pool = bc->pool;
        if ((rc = start(pk, out, bj, bc, -1, err)) != GS_OK)
            return rc;
        /* fits only shrink as GPUs are taken, so positions only move on, and only where they
         * pointed into the pool just used */
        for (c = 0; c < pk->ncls; c++) {
            if (pk->cpos[c] >= 0 && pk->cpos[c] < pk->cls[c].n &&
                pk->cls[c].eff[pk->cpos[c]].pool == pool) {
                pk->cpos[c] = advance(pk, c, 0, 0, pk->cpos[c]);
            }
        }
        for (i = 0; i < na; i++) {
            const gs__jgroup *gg = &pk->jq.g[pk->ag[i]];
            grp *gp = &pk->grps[pk->ag[i]];
            if ((gg->mask || gp->fixed) && gp->pos < pk->cls[gg->cls].n &&
                pk->cls[gg->cls].eff[gp->pos].pool == pool)
                gp->pos = advance(pk, gg->cls, gg->mask, gp->fixed, gp->pos);
        }
    }
}

/* ---- scaling (db-flat-scale) ---- */

static int by_vict(const void *a, const void *b)
{
    const vict *x = a, *y = b;

    if (x->pool != y->pool)
        return x->pool - y->pool;
    if (x->mval != y->mval)
        return x->mval < y->mval ? -1 : 1;
    return (x->job > y->job) - (x->job < y->job);
}

/* Queued jobs that did not fit, oldest first, take GPUs back from grown jobs of a pool they can
 * use: the grown jobs giving the least normalised throughput per GPU go back to their admitted
 * size first, until the waiting job fits. */
static int reclaim(pack *pk, gs_sim *sim, gs_plan *out, gs_err *err)
{
    size_t nv = 0, v;
    long total = 0;
    uint32_t j;
    int rc, gi;

    if (pk->jq.nlive == 0) /* nobody waits: every queued job was handled */
        return GS_OK;
    if (GS_GROW(pk->victs, pk->capvicts, gs_sim_running_len(sim) + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    memset(pk->budget, 0, (size_t)pk->npools * sizeof(int)); /* reclaimable GPUs per pool */
    for (j = gs__idset_next(&pk->grown, 0); j != GS__IDSET_NONE;
         j = gs__idset_next(&pk->grown, j + 1)) {
        const gs_job *rb = gs_sim_job(sim, j);
        int b = pk->base[j];
        double norm;
        if (rb->state != GS_JOB_RUNNING || b <= 0 || rb->alloc.gpus <= b) {
            gs__idset_del(&pk->grown, j); /* until an action grows it again */
            continue;
        }
        if (pk->mark[j] == pk->stamp)
            continue;
        norm = norm_of(pk, rb);
        pk->victs[nv].job = j;
        pk->victs[nv].cls = rb->cls;
        pk->victs[nv].pool = rb->alloc.pool;
        pk->victs[nv].cur = rb->alloc.gpus;
        pk->victs[nv].base = b;
        pk->victs[nv].mval = (thr_at(pk, rb->cls, rb->alloc.pool, rb->alloc.gpus) -
                              thr_at(pk, rb->cls, rb->alloc.pool, b)) /
                             (norm * (rb->alloc.gpus - b));
        pk->budget[rb->alloc.pool] += rb->alloc.gpus - b;
        total += rb->alloc.gpus - b;
        nv++;
    }
    if (!nv)
        return GS_OK;
    qsort(pk->victs, nv, sizeof(vict), by_vict);
    /* every waiting job in submission order; what one that gets nothing got depends only on
     * its class and failed pools and on the plan so far (which it leaves as it was), except for
     * the job holding the reservation, looked at on its own */
    if (gs__jgroups_walk_begin(&pk->jq, NULL, NULL,
                               pk->resv_job >= 0 ? (uint32_t)pk->resv_job : GS__JG_NONE) != 0)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while (total > 0 && (j = gs__jgroups_walk_next(&pk->jq, &gi)) != GS__JG_NONE) {
        const gs_job *jb = gs_sim_job(sim, j);
        const clstab *ct = &pk->cls[jb->cls];
        int ci, done = 0;
        for (ci = 0; ci < ct->n && !done; ci++) {
            const cfg *c = &ct->eff[ci];
            size_t n0 = out->n;
            if (pk->resv_job == (long)j && c != pk->resv_cfg)
                continue;
            if (!usable(pk, jb, c) || pk->trial.pool_free[c->pool] + pk->budget[c->pool] < c->gpus)
                continue;
            for (v = 0; v < nv && !done; v++) {
                vict *vc = &pk->victs[v];
                const clstab *vt = &pk->cls[vc->cls];
                size_t ai;
                int kk, ok = 0;
                if (vc->pool != c->pool || pk->mark[vc->job] == pk->stamp)
                    continue;
                if ((rc = gs_plan_resize(out, vc->job, vc->pool, vc->base, err)) != GS_OK)
                    return rc;
                ai = out->n - 1;
                /* give back only what is needed: the largest size below its current one with
                 * which the waiting job fits, else all down to its admitted size */
                for (kk = vt->lo[vc->pool + 1] - 1; kk >= vt->lo[vc->pool] && !done; kk--) {
                    int g = vt->size[kk].gpus;
                    if (g >= vc->cur || g < vc->base)
                        continue;
                    out->acts[ai].gpus = g;
                    ok = replay(pk, sim, out) < 0;
                    done = ok && fits(pk, c);
                }
                if (!ok) { /* cannot place it smaller: leave it alone */
                    out->n--;
                    replay(pk, sim, out);
                    continue;
                }
                pk->mark[vc->job] = pk->stamp;
            }
            if (done) {
                size_t a;
                if ((rc = start(pk, out, j, c, -1, err)) != GS_OK)
                    return rc;
                for (a = n0; a < out->n; a++) {
                    if (out->acts[a].kind == GS_ACT_RESIZE) {
                        int d = gs_sim_job(sim, out->acts[a].job)->alloc.gpus - out->acts[a].gpus;
                        pk->budget[c->pool] -= d;
                        total -= d;
                        pk->st[ST_SCALE_DOWN]++;
                    }
                }
            } else {
                size_t a;
                for (a = n0; a < out->n; a++)
                    pk->mark[out->acts[a].job] = 0;
                out->n = n0;
                replay(pk, sim, out);
            }
        }
        if (done)
            gs__jgroups_walk_changed(&pk->jq);
        else
            gs__jgroups_walk_fail(&pk->jq, gi);
    }
    return GS_OK;
}

/* Whether moving the candidate to a configuration of throughput thr is predicted to save
 * min_gain restart delays beyond what the move costs. */
static int worth(const pack *pk, const cand *cd, double thr)
{
    double t = thr > 0 ? cd->w / thr : INFINITY;

    return t < cd->tcur && cd->tcur - (cd->cost + t) >= pk->min_gain * cd->hyst;
}

/* The smallest configuration above the candidate's level worth moving to within the budget,
 * or NULL. */
static const cfg *next_level(const pack *pk, const cand *cd)
{
    const clstab *ct = &pk->cls[cd->cls];
    int i;

    for (i = ct->lo[cd->pool]; i < ct->lo[cd->pool + 1]; i++) {
        const cfg *c = &ct->size[i];
        if (c->gpus <= cd->lvl || !(c->thr > cd->thr_lvl))
            continue;
        if (c->gpus - cd->lvl > pk->budget[cd->pool])
            return NULL;
        if (worth(pk, cd, c->thr))
            return c;
    }
    return NULL;
}

/* Whether add_cand will pass over the running job for as long as it keeps its allocation: no
 * larger configuration on its pool, or found not worth it at this allocation. */
static int never_grows(const pack *pk, const gs_job *jb)
{
    const clstab *ct = &pk->cls[jb->cls];
    int pool = jb->alloc.pool, cur = jb->alloc.gpus, hi = ct->lo[pool + 1];

    return jb->fixed_gpus || hi == ct->lo[pool] || ct->size[hi - 1].gpus <= cur ||
           pk->nogrow[jb->index] == (pool << 20 | cur) + 1;
}

/* Adds job j (on cur GPUs of pool; act its plan index or -1) as a candidate when some larger
 * configuration of the pool is worth it. */
static int add_cand(pack *pk, gs_sim *sim, size_t *nc, uint32_t j, int pool, int cur, long act,
                    double cost, gs_err *err)
{
    const gs_job *jb = gs_sim_job(sim, j);
    const clstab *ct = &pk->cls[jb->cls];
    int hi = ct->lo[pool + 1], key = (pool << 20 | cur) + 1;
    double now = gs_sim_now(sim);
    cand *cd;

    int k = ct->lo[pool];

    if (jb->fixed_gpus) /* not elastic: never grown */
        return GS_OK;
    if (hi == k || ct->size[hi - 1].gpus <= cur ||
        (act < 0 && (pk->nogrow[j] == key || now < pk->calm[j])))
        return GS_OK;
    while (ct->size[k].gpus <= cur) /* even the next size up is beyond the budget: no step */
        k++;
    if (ct->size[k].gpus - cur > pk->budget[pool])
        return GS_OK;
    if (GS_GROW(pk->cands, pk->capcands, *nc + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cd = &pk->cands[*nc];
    cd->job = j;
    cd->cls = jb->cls;
    cd->pool = pool;
    cd->cur = cd->lvl = cur;
    cd->orig = jb->state == GS_JOB_RUNNING ? jb->alloc.gpus : 0;
    cd->act = act;
    cd->norm = norm_of(pk, jb);
    cd->w = rem_work(sim, jb, cd->norm);
    cd->cost = cost;
    cd->hyst = gs_sim_restart_cost(sim, j, pool, cur);
    cd->thr_lvl = thr_at(pk, jb->cls, pool, cur);
    cd->tcur = cd->thr_lvl > 0 ? cd->w / cd->thr_lvl : INFINITY;
    if (act < 0 && gs_sim_job_ready_at(sim, j) > now)
        cd->tcur += gs_sim_job_ready_at(sim, j) - now;
    if (worth(pk, cd, ct->size[hi - 1].thr))
        (*nc)++;
    else if (act < 0) /* the saving only shrinks as the job runs on: do not ask again */
        pk->nogrow[j] = key;
    return GS_OK;
}

static int cand_before(const cand *a, const cand *b)
{
    return a->val > b->val || (a->val == b->val && a->job < b->job);
}

static void heap_push(pack *pk, size_t *n, size_t c)
{
    size_t i = (*n)++;

    while (i > 0 && cand_before(&pk->cands[c], &pk->cands[pk->cheap[(i - 1) / 2]])) {
        pk->cheap[i] = pk->cheap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    pk->cheap[i] = c;
}

static size_t heap_pop(pack *pk, size_t *n)
{
    size_t top = pk->cheap[0], last = pk->cheap[--*n], i = 0;

    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= *n)
            break;
        if (l + 1 < *n && cand_before(&pk->cands[pk->cheap[l + 1]], &pk->cands[pk->cheap[l]]))
            m = l + 1;
        if (!cand_before(&pk->cands[pk->cheap[m]], &pk->cands[last]))
            break;
        pk->cheap[i] = pk->cheap[m];
        i = m;
    }
    if (*n > 0)
        pk->cheap[i] = last;
    return top;
}

/* Steps a candidate placed at g GPUs down to the next smaller worthwhile level above its
 * current size; 0 when there is none. */
static int step_down(const pack *pk, const cand *cd, int g)
{
    const clstab *ct = &pk->cls[cd->cls];
    int k;

    for (k = ct->lo[cd->pool + 1] - 1; k >= ct->lo[cd->pool]; k--)
        if (ct->size[k].gpus < g && ct->size[k].gpus > cd->cur && worth(pk, cd, ct->size[k].thr))
            return ct->size[k].gpus;
    return 0;
}

/* Puts the levels the water-filling chose into the plan, the changed actions moved to its end,
 * and replays it once in the core's order (the GPUs of every resized job first). A change that
 * does not place steps down; a running job that cannot grow at all is dropped and the plan
 * rebuilt. Should the placement rule, which depends on order, not place what it placed before,
 * the plan stays as it was. */
static int apply_levels(pack *pk, gs_sim *sim, size_t nc, gs_plan *out, gs_err *err)
{
    size_t n0 = out->n, i, k, nkeep;

    if (GS_GROW(pk->saved, pk->capsaved, n0 + 1) != GS_OK ||
        GS_GROW(pk->cidx, pk->capcidx, nc + 1) != GS_OK ||
        GS_GROW(pk->chg, pk->capchg, n0 + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    memcpy(pk->saved, out->acts, n0 * sizeof(gs_action));
    for (;;) {
        int again = 0, bad = 0;
        size_t na = 0;
        out->n = 0;
        memset(pk->chg, 0, n0 + 1);
        for (i = 0; i < nc; i++)
            if (pk->cands[i].act >= 0 && pk->cands[i].lvl > pk->cands[i].cur)
                pk->chg[pk->cands[i].act] = 1;
        for (k = 0; k < n0; k++)
            if (!pk->chg[k])
                out->acts[out->n++] = pk->saved[k];
        nkeep = out->n;
        for (i = 0; i < nc; i++) {
            const cand *cd = &pk->cands[i];
            int kind = cd->act >= 0 ? pk->saved[cd->act].kind : GS_ACT_RESIZE, rc;
            if (cd->lvl <= cd->cur || (kind == GS_ACT_RESIZE && cd->lvl == cd->orig))
                continue; /* unchanged, or back to what it holds: no action */
            rc = kind == GS_ACT_START ? gs_plan_start(out, cd->job, cd->pool, cd->lvl, err)
                                      : gs_plan_resize(out, cd->job, cd->pool, cd->lvl, err);
            if (rc != GS_OK)
                return rc;
            pk->cidx[na++] = i;
        }
        pk->tver++;
        memcpy(pk->trial.node_free, pk->cur.node_free, (size_t)pk->nnodes * sizeof(int));
        memcpy(pk->trial.pool_free, pk->cur.pool_free, (size_t)pk->npools * sizeof(int));
        for (k = 0; k < out->n; k++)
            if (out->acts[k].kind == GS_ACT_RESIZE)
                gs_freemap_give_job(&pk->trial, sim, out->acts[k].job);
        for (k = 0; k < nkeep && !bad; k++)
            if (out->acts[k].kind == GS_ACT_START || out->acts[k].kind == GS_ACT_RESIZE)
                bad = gs_freemap_take(&pk->trial, out->acts[k].pool, out->acts[k].gpus) != 0;
        for (k = nkeep; k < out->n && !bad && !again; k++) {
            gs_action *a = &out->acts[k];
            cand *cd = &pk->cands[pk->cidx[k - nkeep]];
            while (!bad && !again && gs_freemap_take(&pk->trial, a->pool, a->gpus) != 0) {
                int g = step_down(pk, cd, a->gpus);
                if (g == 0 && cd->act < 0) {
                    cd->lvl = cd->cur; /* a running job with no room to grow: leave it alone */
                    again = 1;
                } else if (g == 0 && a->gpus == cd->cur) {
                    bad = 1;
                } else {
                    a->gpus = cd->lvl = g ? g : cd->cur;
                }
            }
        }
        if (bad) {
            memcpy(out->acts, pk->saved, n0 * sizeof(gs_action));
            out->n = n0;
            replay(pk, sim, out);
            return GS_OK;
        }
        if (again)
            continue;
        for (i = 0; i < nc; i++) {
            const cand *cd = &pk->cands[i];
            if (cd->lvl <= cd->cur)
                continue;
            if (cd->act < 0)
                pk->st[ST_SCALE_UP]++;
            else if (pk->saved[cd->act].kind == GS_ACT_START)
                pk->st[ST_GROWN_START]++;
            else if (cd->lvl == cd->orig)
                pk->st[ST_SCALE_DOWN]--; /* the shrink was undone */
        }
        return GS_OK;
    }
}

/* Hands the free GPUs of pools no waiting job can use, less a headroom, to jobs of those pools,
 * by marginal normalised throughput per GPU (water-filling). */
static int scale_up(pack *pk, gs_sim *sim, gs_plan *out, gs_err *err)
{
    size_t i, nc = 0, nh = 0;
    uint32_t j;
    int p, any = 0, rc;

    memset(pk->wanted, 0, (size_t)pk->npools * sizeof(int));
    for (i = 0; i < pk->jq.nactive; i++) { /* groups of the jobs still waiting */
        const gs__jgroup *gg = &pk->jq.g[pk->jq.active[i]];
        const clstab *ct = &pk->cls[gg->cls];
        for (p = 0; p < pk->npools; p++)
            if (ct->lo[p + 1] > ct->lo[p] && !(p < 64 && (gg->mask >> p & 1)))
                pk->wanted[p] = 1;
    }
    for (p = 0; p < pk->npools; p++) {
        /* headroom: what admissions took in the last restart delay, as the next arrivals would
         * take back GPUs grown into before the grow could pay off */
        int spare = pk->trial.pool_free[p] - pk->demand[p];
        pk->budget[p] = spare > 0 && !pk->wanted[p] && !pk->reserved[p] ? spare : 0;
        any |= pk->budget[p] > 0;
    }
    if (!any)
        return GS_OK;
    for (i = 0; i < out->n; i++) {
        const gs_action *a = &out->acts[i];
        if ((a->kind == GS_ACT_START || a->kind == GS_ACT_RESIZE) && pk->budget[a->pool] > 0 &&
            (rc = add_cand(pk, sim, &nc, a->job, a->pool, a->gpus, (long)i, 0, err)) != GS_OK)
            return rc;
    }
    for (j = gs__idset_next(&pk->growable, 0); j != GS__IDSET_NONE;
         j = gs__idset_next(&pk->growable, j + 1)) {
        const gs_job *rb = gs_sim_job(sim, j);
        if (rb->state != GS_JOB_RUNNING) {
            gs__idset_del(&pk->growable, j);
            continue;
        }
        if (pk->mark[j] != pk->stamp && pk->budget[rb->alloc.pool] > 0) {
            if ((rc = add_cand(pk, sim, &nc, j, rb->alloc.pool, rb->alloc.gpus, -1,
                               gs_sim_restart_cost(sim, j, rb->alloc.pool, rb->alloc.gpus), err)) !=
                GS_OK)
                return rc;
            if (never_grows(pk, rb))
                gs__idset_del(&pk->growable, j); /* until an action changes its allocation */
        }
    }
    if (nc == 0)
        return GS_OK;
    if (GS_GROW(pk->cheap, pk->capcheap, nc) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < nc; i++) {
        cand *cd = &pk->cands[i];
        if ((cd->nxt = next_level(pk, cd)) != NULL) {
            cd->val = (cd->nxt->thr - cd->thr_lvl) / (cd->norm * (cd->nxt->gpus - cd->lvl));
            heap_push(pk, &nh, i);
        }
    }
    while (nh > 0) { /* the best step per GPU first; a step the budget no longer allows is
                        looked at again */
        cand *cd = &pk->cands[heap_pop(pk, &nh)];
        if (cd->nxt->gpus - cd->lvl <= pk->budget[cd->pool]) {
            pk->budget[cd->pool] -= cd->nxt->gpus - cd->lvl;
            cd->lvl = cd->nxt->gpus;
            cd->thr_lvl = cd->nxt->thr;
        }
        if ((cd->nxt = next_level(pk, cd)) != NULL) {
            cd->val = (cd->nxt->thr - cd->thr_lvl) / (cd->norm * (cd->nxt->gpus - cd->lvl));
            heap_push(pk, &nh, (size_t)(cd - pk->cands));
        }
    }
    return apply_levels(pk, sim, nc, out, err);
}

/* ---- hooks ---- */

/* Defaults follow the CLOUDSTARS D2.1 report's descriptions of the policies (docs/policies.md):
 * db-fifo gives the head job the fastest configuration among those that fit now, with no cap on
 * its size; db-flat and db-flat-scale have no starvation bound. The other settings are variants
 * reported beside them. */
const gs_policy_param gs__pack_params_fifo[] = {
    {"wait_busy", 0, "1: the head waits for a busy configuration predicted to finish it sooner"},
    {"max_scale", 0, "at most this many times the submitted GPU count (0: no cap)"},
    {NULL, 0, NULL},
};

const gs_policy_param gs__pack_params_flat[] = {
    {"starve_limit", 0, "s a job may wait before it is served in submission order (0: never)"},
    {NULL, 0, NULL},
};

const gs_policy_param gs__pack_params_scale[] = {
    {"starve_limit", 0, "s a job may wait before it is served in submission order (0: never)"},
    {"min_gain", 1, "restart delays a resize must save beyond its own before it is made"},
    {NULL, 0, NULL},
};

int gs__pack_init(void **state, const gs_sim *sim, int objective, gs_err *err)
{
    pack *pk = calloc(1, sizeof(*pk));
    int rc, p;

    *state = NULL;
    if (!pk)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    pk->obj = objective;
    pk->know = gs_sim_knowledge(sim);
    pk->cl = gs_sim_cluster(sim);
    pk->npools = (int)gs_cluster_npools(pk->cl);
    pk->nnodes = gs_cluster_total_nodes(pk->cl);
    pk->ref = gs_scaledb_reference_type(pk->know);
    pk->ncls = gs_scaledb_nclasses(pk->know);
    pk->njobs = gs_sim_njobs(sim);
    pk->wait_head = pk->waited = -1;
    pk->dirty = 1;
    pk->cap = INT_MAX;
    {
        double wait = 0;
        if ((rc = gs_sim_param_get(sim, "starve_limit", 0, &pk->starve_limit, err)) != GS_OK ||
            (rc = gs_sim_param_get(sim, "min_gain", 1, &pk->min_gain, err)) != GS_OK ||
            (rc = gs_sim_param_get(sim, "wait_busy", 0, &wait, err)) != GS_OK ||
            (rc = gs_sim_param_get(sim, "max_scale", 0, &pk->max_scale, err)) != GS_OK) {
            gs__pack_destroy(pk);
            return rc;
        }
        if (!(pk->starve_limit >= 0) || !(pk->min_gain >= 0) || !(pk->max_scale >= 0) ||
            (wait != 0 && wait != 1)) {
            gs__pack_destroy(pk);
            return gs_errorf(err, GS_EINVAL,
                             "--param starve_limit, min_gain and max_scale must be non-negative "
                             "numbers, wait_busy 0 or 1");
        }
        pk->wait_busy = wait == 1;
    }
    for (p = 0; p < pk->npools; p++) {
        int g = gs_cluster_pool(pk->cl, (size_t)p)->gpus_per_node;
        pk->maxgpn = g > pk->maxgpn ? g : pk->maxgpn;
    }
    pk->base = calloc(pk->njobs ? pk->njobs : 1, sizeof(*pk->base));
    pk->mark = calloc(pk->njobs ? pk->njobs : 1, sizeof(*pk->mark));
    pk->nogrow = calloc(pk->njobs ? pk->njobs : 1, sizeof(*pk->nogrow));
    pk->calm = calloc(pk->njobs ? pk->njobs : 1, sizeof(*pk->calm));
    pk->shrinks = calloc(pk->njobs ? pk->njobs : 1, sizeof(*pk->shrinks));
    pk->reserved = calloc((size_t)pk->npools, sizeof(int));
    pk->wanted = calloc((size_t)pk->npools, sizeof(int));
    pk->budget = calloc((size_t)pk->npools, sizeof(int));
    pk->demand = calloc((size_t)pk->npools, sizeof(int));
    pk->cpos = calloc((size_t)pk->ncls + 1, sizeof(int));
    pk->nf = calloc((size_t)gs_cluster_total_nodes(pk->cl) + 1, sizeof(int));
    pk->hist = calloc((size_t)pk->maxgpn + 1, sizeof(int));
    pk->before = calloc((size_t)gs_cluster_total_nodes(pk->cl) + 1, sizeof(int));
    pk->phist = calloc((size_t)pk->npools * ((size_t)pk->maxgpn + 1), sizeof(int));
    pk->phist_ver = calloc((size_t)pk->npools, sizeof(uint64_t));
    pk->tver = 1;
    if (!pk->base || !pk->mark || !pk->nogrow || !pk->calm || !pk->shrinks || !pk->reserved ||
        !pk->wanted || !pk->budget || !pk->demand || !pk->cpos || !pk->nf || !pk->phist ||
        !pk->phist_ver || !pk->hist || !pk->before) {
        gs__pack_destroy(pk);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if (gs__jgroups_init(&pk->jq, pk->njobs, pk->ncls) != 0 ||
        gs__idset_init(&pk->grown, (uint32_t)pk->njobs) != 0 ||
        gs__idset_init(&pk->growable, (uint32_t)pk->njobs) != 0) {
        gs__pack_destroy(pk);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if ((rc = build_tables(pk, err)) != GS_OK ||
        (rc = gs_freemap_init(&pk->trial, sim, err)) != GS_OK) {
        gs__pack_destroy(pk);
        return rc;
    }
    *state = pk;
    return GS_OK;
}

void gs__pack_destroy(void *state)
{
    pack *pk = state;
    int c;

    if (!pk)
        return;
    if (pk->cls) {
        for (c = 0; c < pk->ncls; c++) {
            free(pk->cls[c].eff);
            free(pk->cls[c].size);
            free(pk->cls[c].lo);
        }
        free(pk->cls);
    }
    gs_freemap_release(&pk->cur);
    gs_freemap_release(&pk->trial);
    free(pk->base);
    free(pk->mark);
    free(pk->reserved);
    free(pk->wanted);
    free(pk->budget);
    free(pk->cpos);
    free(pk->nf);
    free(pk->hist);
    gs__jgroups_release(&pk->jq);
    gs__idset_release(&pk->grown);
    gs__idset_release(&pk->growable);
    free(pk->pend);
    free(pk->ag);
    free(pk->grps);
    free(pk->rels);
    free(pk->prels);
    free(pk->ppairs);
    free(pk->before);
    free(pk->phist);
    free(pk->phist_ver);
    free(pk->victs);
    free(pk->cands);
    free(pk->cheap);
    free(pk->cidx);
    free(pk->saved);
    free(pk->chg);
    free(pk->nogrow);
    free(pk->calm);
    free(pk->shrinks);
    free(pk->adms);
    free(pk->demand);
    free(pk);
}

int gs__pack_on_event(void *state, gs_sim *sim, const gs_event *ev, gs_err *err)
{
    pack *pk = state;
    uint32_t j = (uint32_t)GS_EV_TO_U(ev->data);

    (void)sim;
    if (ev->type == GS_EV_FINISH || ev->type == GS_EV_FAIL)
        pk->dirty = 1;
    if (pk->obj == GS_PACK_FINISH || j >= pk->njobs)
        return GS_OK;
    if (ev->type == GS_EV_FINISH || ev->type == GS_EV_FAIL) {
        gs__idset_del(&pk->grown, j);
        gs__idset_del(&pk->growable, j);
    }
    if (ev->type == GS_EV_ARRIVAL || ev->type == GS_EV_FAIL) { /* in the queue (again) */
        if (GS_GROW(pk->pend, pk->cappend, pk->npend + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        pk->pend[pk->npend++] = j;
    }
    return GS_OK;
}

static int put_stats(pack *pk, gs_sim *sim, gs_err *err)
{
    int i;

    for (i = 0; i < ST_N; i++) {
        if (!(stat_def[i].objectives >> pk->obj & 1))
            continue;
        if (pk->st[i] != pk->st_set[i] || pk->stamp == 1) {
            if (gs_sim_stat_set(sim, stat_def[i].key, (double)pk->st[i]) != GS_OK)
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            pk->st_set[i] = pk->st[i];
        }
    }
    return GS_OK;
}

/* Keeps the admissions of the last restart delay (and adds those of this plan); starts the
 * back-off of the jobs this plan shrinks. */
static int note_plan(pack *pk, gs_sim *sim, const gs_plan *out, gs_err *err)
{
    double now = gs_sim_now(sim);
    size_t i;

    while (pk->adm0 < pk->nadms && !(pk->adms[pk->adm0].t > now)) {
        pk->demand[pk->adms[pk->adm0].pool] -= pk->adms[pk->adm0].gpus;
        pk->adm0++;
    }
    if (pk->adm0 > 0 && pk->adm0 * 2 >= pk->nadms) { /* compact */
        memmove(pk->adms, pk->adms + pk->adm0, (pk->nadms - pk->adm0) * sizeof(adm));
        pk->nadms -= pk->adm0;
        pk->adm0 = 0;
    }
    for (i = 0; out && i < out->n; i++) {
        const gs_action *a = &out->acts[i];
        if (a->kind == GS_ACT_RESIZE && a->gpus < gs_sim_job(sim, a->job)->alloc.gpus) {
            int k = pk->shrinks[a->job] < 30 ? ++pk->shrinks[a->job] : 30;
            pk->calm[a->job] =
                now + gs_sim_restart_cost(sim, a->job, a->pool, a->gpus) * ldexp(1.0, k - 1);
        }
        if (a->kind != GS_ACT_START || !(gs_sim_start_cost(sim, a->job, a->pool, a->gpus) > 0))
            continue;
        if (GS_GROW(pk->adms, pk->capadms, pk->nadms + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        /* kept for the start-up (the restart delay of the job) it pays */
        pk->adms[pk->nadms].t = now + gs_sim_start_cost(sim, a->job, a->pool, a->gpus);
        pk->adms[pk->nadms].pool = a->pool;
        pk->adms[pk->nadms++].gpus = pk->base[a->job];
        pk->demand[a->pool] += pk->base[a->job];
    }
    return GS_OK;
}

/* Keeps the sets of running jobs db-flat-scale may grow or take GPUs back from up to date with
 * the plan about to be applied. */
static void note_allocs(pack *pk, const gs_plan *out)
{
    size_t i;

    for (i = 0; i < out->n; i++) {
        const gs_action *a = &out->acts[i];
        if (a->kind != GS_ACT_START && a->kind != GS_ACT_RESIZE)
            continue;
        gs__idset_add(&pk->growable, a->job);
        if (a->gpus > pk->base[a->job])
            gs__idset_add(&pk->grown, a->job);
        else
            gs__idset_del(&pk->grown, a->job);
    }
}

int gs__pack_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    pack *pk = state;
    size_t nq = gs_sim_queue_len(sim), i, k;
    int rc, p, idle = 0;

    if (pk->obj == GS_PACK_FINISH && !pk->dirty && nq > 0 &&
        (long)gs_sim_queue_first(sim) == pk->wait_head)
        return GS_OK; /* the head waits and no GPU came free since it chose to */
    if (pk->obj != GS_PACK_FINISH && (rc = sync_groups(pk, sim, err)) != GS_OK)
        return rc;
    for (p = 0; p < pk->npools; p++)
        idle |= gs_sim_pool_free(sim, p) > 0;
    if (nq == 0 && (pk->obj != GS_PACK_THROUGHPUT || !idle))
        return GS_OK;
    if (++pk->stamp == 0) {
        memset(pk->mark, 0, pk->njobs * sizeof(*pk->mark));
        pk->stamp = 1;
    }
    gs_freemap_release(&pk->cur);
    if ((rc = gs_freemap_init(&pk->cur, sim, err)) != GS_OK)
        return rc;
    replay(pk, sim, out); /* out is empty: trial = cur */
    memset(pk->reserved, 0, (size_t)pk->npools * sizeof(int));
    pk->resv_job = -1;
    pk->resv_cfg = NULL;
    pk->wait_head = -1;
    pk->nprels = pk->nppairs = 0;
    if (pk->obj == GS_PACK_THROUGHPUT && (rc = note_plan(pk, sim, NULL, err)) != GS_OK)
        return rc;
    if (pk->obj == GS_PACK_FINISH) {
        rc = serve_head(pk, sim, out, err);
    } else {
        rc = serve_urgent(pk, sim, out, err);
        if (rc == GS_OK)
            rc = reject_unplaceable(pk, out, err);
        if (rc == GS_OK)
            rc = admit(pk, out, err);
        if (rc == GS_OK && pk->obj == GS_PACK_THROUGHPUT) {
            rc = reclaim(pk, sim, out, err);
            if (rc == GS_OK)
                rc = scale_up(pk, sim, out, err);
        }
    }
    if (rc != GS_OK)
        return rc;
    for (i = k = 0; i < out->n; i++) /* drop cancelled resizes */
        if (out->acts[i].kind != 0)
            out->acts[k++] = out->acts[i];
    out->n = k;
    if (replay(pk, sim, out) >= 0)
        return gs_errorf(err, GS_EINVAL, "internal error: the plan does not place");
    pk->dirty = out->n > 0;
    if (pk->obj == GS_PACK_THROUGHPUT) {
        note_allocs(pk, out);
        if ((rc = note_plan(pk, sim, out, err)) != GS_OK)
            return rc;
    }
    return put_stats(pk, sim, err);
}
