/* SPDX-License-Identifier: Apache-2.0 */
/* fifo-backfill: first come, first served with EASY backfilling, knowing nothing of the DB. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/policy.h"
#include "gpusim/sim.h"

/* Uninformed, like fifo: every job runs as submitted (its gpu_num GPUs) on the first GPU type,
 * in cluster order, that has room and on which it has not failed. Jobs start in submission
 * order until one does not fit: that head job gets a reservation, the earliest time its GPUs
 * are predicted to be free on some type (EASY backfilling, Lifka 1995; Mu'alem and Feitelson,
 * IEEE TPDS 2001; what Slurm's sched/backfill does). Up to `depth` later jobs may then start
 * out of order when they fit now and do not delay that reservation: they run on another type,
 * or are predicted to end before it, or use only GPUs the head job will not need.
 *
 * The uninformed estimate: a job runs for its trace duration (what it ran on its original
 * configuration: the analogue of a user's time limit), counted from when it got its GPUs; a
 * running job past its estimate is expected to end now. It ignores GPU speed, scaling and
 * start-up costs, which an uninformed scheduler does not know. */

typedef struct rel {
    double t; /* predicted end */
    int pool;
    int job;    /* running job, or -1 with the nodes in place[] */
    int n;      /* node pairs in place */
    int *place; /* (node id, GPUs) pairs of a start in this plan */
} rel;

typedef struct bf {
    double depth;
    rel *rels;
    size_t nrels, cap;
    int *saved; /* node_free copy for undoing a tentative take */
    int *pairs; /* scratch: the nodes a take used */
} bf;

static const gs_policy_param bf_params[] = {
    {"depth", 100,
     "jobs behind the head examined for backfilling per event (Slurm's default_queue_depth)"},
    {NULL, 0, NULL},
};

static int bf_init(void **state, const gs_sim *sim, gs_err *err)
{
    bf *b = calloc(1, sizeof(*b));
    int nodes = gs_cluster_total_nodes(gs_sim_cluster(sim));
    int rc;

    if (!b || !(b->saved = malloc((size_t)nodes * sizeof(int))) ||
        !(b->pairs = malloc(2 * (size_t)nodes * sizeof(int)))) {
        if (b)
            free(b->saved);
        free(b);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if ((rc = gs_sim_param_get(sim, "depth", 100, &b->depth, err)) != GS_OK || !(b->depth >= 0)) {
        free(b->saved);
        free(b->pairs);
        free(b);
        return rc != GS_OK ? rc : gs_errorf(err, GS_EINVAL, "--param depth must be a number >= 0");
    }
    *state = b;
    return GS_OK;
}

static void clear_rels(bf *b)
{
    size_t i;

    for (i = 0; i < b->nrels; i++)
        free(b->rels[i].place);
    b->nrels = 0;
}

static void bf_destroy(void *state)
{
    bf *b = state;

    if (!b)
        return;
    clear_rels(b);
    free(b->rels);
    free(b->saved);
    free(b->pairs);
    free(b);
}

static int add_rel(bf *b, double t, int pool, int job, const int *pairs, int n, gs_err *err)
{
    rel *r;

    if (b->nrels == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        rel *nr = realloc(b->rels, cap * sizeof(*nr));
        if (!nr)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        b->rels = nr;
        b->cap = cap;
    }
    r = &b->rels[b->nrels];
    r->t = t;
    r->pool = pool;
    r->job = job;
    r->n = n;
    r->place = NULL;
    if (pairs && n > 0) {
        r->place = malloc(2 * (size_t)n * sizeof(int));
        if (!r->place)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        memcpy(r->place, pairs, 2 * (size_t)n * sizeof(int));
    }
    b->nrels++;
    return GS_OK;
}

static int by_time(const void *a, const void *b)
{
    const rel *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->job > y->job) - (x->job < y->job);
}

/* The uninformed end estimate of a job that got its GPUs at start. */
static double est_end(const gs_job *jb, double start, double now)
{
    double t = start + jb->tj->duration;

    return t > now ? t : now;
}

/* Takes gpus GPUs of pool on fm (0) and records in b->pairs the nodes used (*n pairs), or
 * leaves fm unchanged (-1). */
static int take_nodes(bf *b, gs_freemap *fm, int pool, int gpus, int *n)
{
    const gs_pool *pl = gs_cluster_pool(fm->cluster, (size_t)pool);
    int k;

    memcpy(b->saved, fm->node_free + pl->node_base, (size_t)pl->nodes * sizeof(int));
    if (gs_freemap_take(fm, pool, gpus) != 0)
        return -1;
    *n = 0;
    for (k = 0; k < pl->nodes; k++) {
        int used = b->saved[k] - fm->node_free[pl->node_base + k];
        if (used > 0) {
            b->pairs[2 * *n] = pl->node_base + k;
            b->pairs[2 * *n + 1] = used;
            (*n)++;
        }
    }
    return 0;
}

static void untake(bf *b, gs_freemap *fm, int pool, int gpus)
{
    const gs_pool *pl = gs_cluster_pool(fm->cluster, (size_t)pool);

    memcpy(fm->node_free + pl->node_base, b->saved, (size_t)pl->nodes * sizeof(int));
    fm->pool_free[pool] += gpus;
}

/* Whether pool p can ever hold job jb (capacity, no failure there). */
static int allowed(const gs_cluster *cl, const gs_job *jb, int p)
{
    if (p < 64 && (jb->failed_pools >> p & 1))
        return 0;
    return gs_cluster_pool(cl, (size_t)p)->capacity >= jb->tj->gpu_num;
}

/* The head job's reservation: the earliest predicted time some allowed pool has room for it,
 * releasing running jobs and this plan's starts in order of their predicted ends on a copy of
 * the free GPUs (res, which holds that pool's free GPUs at that time on return). */
static void reserve(bf *b, const gs_sim *sim, const gs_freemap *fm, gs_freemap *res,
                    const gs_job *head, int *pool, double *when)
{
    const gs_cluster *cl = gs_sim_cluster(sim);
    int np = (int)gs_cluster_npools(cl), p, g = head->tj->gpu_num;
    size_t i;

    *pool = -1;
    *when = INFINITY;
    for (p = 0; p < np; p++) {
        const gs_pool *pl = gs_cluster_pool(cl, (size_t)p);
        double t = gs_sim_now(sim);
        if (!allowed(cl, head, p))
            continue;
        memcpy(res->node_free + pl->node_base, fm->node_free + pl->node_base,
               (size_t)pl->nodes * sizeof(int));
        res->pool_free[p] = fm->pool_free[p];
        for (i = 0; i < b->nrels && !gs_freemap_fits(res, p, g); i++) {
            const rel *r = &b->rels[i];
            int k, n = r->n;
            const int *pr = r->place;
            if (r->pool != p)
                continue;
            if (r->job >= 0) {
                const gs_job *jb = gs_sim_job(sim, (uint32_t)r->job);
                pr = jb->place;
                n = jb->alloc.nodes;
            }
            for (k = 0; k < n; k++) {
                res->node_free[pr[2 * k]] += pr[2 * k + 1];
                res->pool_free[p] += pr[2 * k + 1];
            }
            t = r->t;
        }
        if (gs_freemap_fits(res, p, g) && t < *when) {
            *when = t;
            *pool = p;
        }
    }
    if (*pool >= 0) { /* leave the chosen pool's state at the reservation in res */
        const gs_pool *pl = gs_cluster_pool(cl, (size_t)*pool);
        memcpy(res->node_free + pl->node_base, fm->node_free + pl->node_base,
               (size_t)pl->nodes * sizeof(int));
        res->pool_free[*pool] = fm->pool_free[*pool];
        for (i = 0; i < b->nrels && b->rels[i].t <= *when; i++) {
            const rel *r = &b->rels[i];
            int k, n = r->n;
            const int *pr = r->place;
            if (r->pool != *pool)
                continue;
            if (r->job >= 0) {
                const gs_job *jb = gs_sim_job(sim, (uint32_t)r->job);
                pr = jb->place;
                n = jb->alloc.nodes;
            }
            for (k = 0; k < n; k++) {
                res->node_free[pr[2 * k]] += pr[2 * k + 1];
                res->pool_free[*pool] += pr[2 * k + 1];
            }
        }
    }
}

static int bf_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    bf *b = state;
    const gs_cluster *cl = gs_sim_cluster(sim);
    int npools = (int)gs_cluster_npools(cl), rpool, p;
    size_t nq, nr, i, head, k;
    const uint32_t *q = gs_sim_queue(sim, &nq);
    const uint32_t *run;
    double now = gs_sim_now(sim), rtime;
    gs_freemap fm, res;
    int rc = GS_OK;

    if (nq == 0)
        return GS_OK;
    if ((rc = gs_freemap_init(&fm, sim, err)) != GS_OK)
        return rc;
    if ((rc = gs_freemap_init(&res, sim, err)) != GS_OK) {
        gs_freemap_release(&fm);
        return rc;
    }
    clear_rels(b);
    /* 1. first come, first served until a job does not fit (as fifo) */
    for (head = 0; head < nq && rc == GS_OK; head++) {
        const gs_job *jb = gs_sim_job(sim, q[head]);
        int g = jb->tj->gpu_num, could = 0, started = 0, failed = 0, n;
        for (p = 0; p < npools && !started; p++) {
            if (p < 64 && (jb->failed_pools >> p & 1)) {
                failed = 1;
                continue;
            }
            if (gs_cluster_pool(cl, (size_t)p)->capacity < g)
                continue;
            could = 1;
            if (take_nodes(b, &fm, p, g, &n) == 0) {
                rc = gs_plan_start(out, q[head], p, g, err);
                if (rc == GS_OK)
                    rc = add_rel(b, est_end(jb, now, now), p, -1, b->pairs, n, err);
                started = 1;
            }
        }
        if (!could)
            rc = gs_plan_reject(out, q[head], failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE,
                                err);
        else if (!started)
            break;
    }
    if (rc != GS_OK || head >= nq)
        goto out;
    /* 2. the head job's reservation */
    run = gs_sim_running(sim, &nr);
    for (i = 0; i < nr && rc == GS_OK; i++) {
        const gs_job *jb = gs_sim_job(sim, run[i]);
        rc = add_rel(b, est_end(jb, jb->start, now), jb->alloc.pool, (int)run[i], NULL, 0, err);
    }
    if (rc != GS_OK)
        goto out;
    qsort(b->rels, b->nrels, sizeof(*b->rels), by_time);
    reserve(b, sim, &fm, &res, gs_sim_job(sim, q[head]), &rpool, &rtime);
    /* 3. backfill: later jobs that fit now and leave the reservation intact */
    for (i = head + 1, k = 0; i < nq && (double)k < b->depth && rc == GS_OK; i++, k++) {
        const gs_job *jb = gs_sim_job(sim, q[i]);
        int g = jb->tj->gpu_num, n, could = 0, failed = 0;
        double end = est_end(jb, now, now);
        for (p = 0; p < npools; p++) {
            if (!allowed(cl, jb, p)) {
                failed |= p < 64 && (jb->failed_pools >> p & 1);
                continue;
            }
            could = 1;
            if (take_nodes(b, &fm, p, g, &n) != 0)
                continue;
            if (p == rpool && end > rtime) {
                /* it would still hold these GPUs at the reservation: only if the head job fits
                 * in what is left there */
                int j;
                for (j = 0; j < n; j++) {
                    res.node_free[b->pairs[2 * j]] -= b->pairs[2 * j + 1];
                    res.pool_free[p] -= b->pairs[2 * j + 1];
                }
                if (!gs_freemap_fits(&res, p, gs_sim_job(sim, q[head])->tj->gpu_num)) {
                    for (j = 0; j < n; j++) {
                        res.node_free[b->pairs[2 * j]] += b->pairs[2 * j + 1];
                        res.pool_free[p] += b->pairs[2 * j + 1];
                    }
                    untake(b, &fm, p, g);
                    continue;
                }
            }
            rc = gs_plan_start(out, q[i], p, g, err);
            break;
        }
        if (!could && rc == GS_OK)
            rc = gs_plan_reject(out, q[i], failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE, err);
    }
out:
    gs_freemap_release(&fm);
    gs_freemap_release(&res);
    return rc;
}

const gs_policy_ops gs_policy_fifo_backfill = {
    .abi = GS_POLICY_ABI,
    .name = "fifo-backfill",
    .summary = "first come, first served with EASY backfilling: the submitted GPU count on any "
               "GPU type with room; later jobs start early when they do not delay the head's "
               "reservation (estimated from trace durations)",
    .init = bf_init,
    .schedule = bf_schedule,
    .destroy = bf_destroy,
    .knowledge = "uninformed",
    .params = bf_params,
};
