/* SPDX-License-Identifier: Apache-2.0 */
/* fifo-backfill: first come, first served with EASY backfilling, knowing nothing of the DB. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/policy.h"
#include "gpusim/sim.h"
#include "util_int.h"

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
 * start-up costs, which an uninformed scheduler does not know.
 *
 * Cost per call: the jobs it starts or rejects, plus, when the head job waits, the running jobs
 * of each pool released in order of predicted end until the head fits (kept sorted between
 * calls, so no sort per call) and at most `depth` queued jobs behind the head. Never the whole
 * queue. */

typedef struct rel {
    double t; /* predicted end */
    int pool;
    int job;    /* running job, or -1 with the nodes in place[] */
    int n;      /* node pairs in place */
    int *place; /* (node id, GPUs) pairs of a start in this plan */
} rel;

/* A running job started by this policy, by its predicted end without the clamp to now. */
typedef struct ent {
    double end;
    uint32_t job, stamp; /* valid while the job runs and stamp is its latest start's */
} ent;

/* A start of this call's plan, entered into the running lists when the call ends. */
typedef struct newrun {
    double end;
    uint32_t job;
    int pool;
} newrun;

typedef struct bf {
    double depth;
    rel *rels; /* this call's starts before the head job, by predicted end */
    size_t nrels, cap;
    ent **run;             /* per pool: the running jobs by (end, job), some stale */
    size_t *nrun, *caprun; /* per pool */
    size_t nents;          /* over all pools */
    uint32_t *stamp;       /* per job: the count of its starts */
    newrun *started;       /* this call's starts, entered into run[] at its end */
    size_t nstarted, capstarted;
    int npools;
    int *whole, *room; /* per pool, of the free map while backfilling: whole free nodes, and
                          the most free GPUs of a node not wholly free */
    int *saved;        /* node_free copy for undoing a tentative take */
    int *pairs;        /* scratch: the nodes a take used */
    /* What backfilling learnt since the free GPUs last changed (generation gen): a job of g GPUs
     * does not fit pool p now (nofit[p * (maxcap + 1) + g] == gen), or would break the head's
     * reservation (breaks[g] == gen, on the reserved pool past the reservation). Both depend
     * only on g and the free maps, which a failed try leaves as they were, so later jobs of the
     * same size are skipped in O(1) with the same outcome. */
    uint32_t gen, *nofit, *breaks;
    int maxcap;
} bf;

static const gs_policy_param bf_params[] = {
    {"depth", 100,
     "jobs behind the head examined for backfilling per event (Slurm's default_queue_depth)"},
    {NULL, 0, NULL},
};

static void bf_destroy(void *state);

static int bf_init(void **state, const gs_sim *sim, gs_err *err)
{
    bf *b = calloc(1, sizeof(*b));
    const gs_cluster *cl = gs_sim_cluster(sim);
    int nodes = gs_cluster_total_nodes(cl), np = (int)gs_cluster_npools(cl), rc;
    size_t nj = gs_sim_njobs(sim);
    uint32_t j;

    if (!b)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    b->npools = np;
    b->maxcap = gs_cluster_max_pool(cl);
    if (!(b->saved = malloc((size_t)nodes * sizeof(int))) ||
        !(b->pairs = malloc(2 * (size_t)nodes * sizeof(int))) ||
        !(b->run = calloc((size_t)np, sizeof(*b->run))) ||
        !(b->nrun = calloc((size_t)np, sizeof(*b->nrun))) ||
        !(b->caprun = calloc((size_t)np, sizeof(*b->caprun))) ||
        !(b->whole = calloc((size_t)np, sizeof(*b->whole))) ||
        !(b->room = calloc((size_t)np, sizeof(*b->room))) ||
        !(b->nofit =
              calloc((size_t)np * ((size_t)gs_cluster_max_pool(cl) + 1), sizeof(*b->nofit))) ||
        !(b->breaks = calloc((size_t)gs_cluster_max_pool(cl) + 1, sizeof(*b->breaks))) ||
        !(b->stamp = calloc(nj ? nj : 1, sizeof(*b->stamp)))) {
        bf_destroy(b);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if ((rc = gs_sim_param_get(sim, "depth", 100, &b->depth, err)) != GS_OK || !(b->depth >= 0)) {
        bf_destroy(b);
        return rc != GS_OK ? rc : gs_errorf(err, GS_EINVAL, "--param depth must be a number >= 0");
    }
    /* jobs already running (none in a fresh run) */
    for (j = gs_sim_running_first(sim); j != GS_JOB_NONE; j = gs_sim_running_next(sim, j)) {
        const gs_job *jb = gs_sim_job(sim, j);
        if (GS_GROW(b->started, b->capstarted, b->nstarted + 1) != GS_OK) {
            bf_destroy(b);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        b->started[b->nstarted].job = j;
        b->started[b->nstarted].pool = jb->alloc.pool;
        b->started[b->nstarted++].end = jb->start + jb->tj->duration;
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
    int p;

    if (!b)
        return;
    clear_rels(b);
    free(b->rels);
    for (p = 0; b->run && p < b->npools; p++)
        free(b->run[p]);
    free(b->run);
    free(b->nrun);
    free(b->caprun);
    free(b->stamp);
    free(b->whole);
    free(b->room);
    free(b->nofit);
    free(b->breaks);
    free(b->started);
    free(b->saved);
    free(b->pairs);
    free(b);
}

/* Whether entry e still stands for a running job (its latest start). */
static int live(const bf *b, const gs_sim *sim, const ent *e)
{
    return b->stamp[e->job] == e->stamp && gs_sim_job(sim, e->job)->state == GS_JOB_RUNNING;
}

/* Notes a start of job j on pool in this call's plan, predicted to end at end (unclamped). */
static int note_start(bf *b, uint32_t j, int pool, double end, gs_err *err)
{
    if (GS_GROW(b->started, b->capstarted, b->nstarted + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    b->stamp[j]++;
    b->started[b->nstarted].job = j;
    b->started[b->nstarted].pool = pool;
    b->started[b->nstarted++].end = end;
    return GS_OK;
}

/* Enters this call's starts into their pools' lists of running jobs, each in (end, job) order by
 * binary search. */
static int enter_started(bf *b, gs_err *err)
{
    size_t s;

    for (s = 0; s < b->nstarted; s++) {
        const newrun *st = &b->started[s];
        int p = st->pool;
        size_t lo = 0, hi = b->nrun[p];
        ent *e;
        if (GS_GROW(b->run[p], b->caprun[p], b->nrun[p] + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        e = b->run[p];
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (e[mid].end < st->end || (e[mid].end == st->end && e[mid].job < st->job))
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(e + lo + 1, e + lo, (b->nrun[p] - lo) * sizeof(*e));
        e[lo].end = st->end;
        e[lo].job = st->job;
        e[lo].stamp = b->stamp[st->job];
        b->nrun[p]++;
        b->nents++;
    }
    b->nstarted = 0;
    return GS_OK;
}

/* Drops the entries of jobs that no longer run (when they outnumber the running jobs). */
static void compact(bf *b, const gs_sim *sim)
{
    int p;
    size_t i, k;

    b->nents = 0;
    for (p = 0; p < b->npools; p++) {
        for (i = k = 0; i < b->nrun[p]; i++)
            if (live(b, sim, &b->run[p][i]))
                b->run[p][k++] = b->run[p][i];
        b->nrun[p] = k;
        b->nents += k;
    }
}

/* The free maps changed: forget what backfilling learnt (clearing on the rare wrap). */
static void new_gen(bf *b)
{
    if (++b->gen == 0) {
        memset(b->nofit, 0, (size_t)b->npools * ((size_t)b->maxcap + 1) * sizeof(*b->nofit));
        memset(b->breaks, 0, ((size_t)b->maxcap + 1) * sizeof(*b->breaks));
        b->gen = 1;
    }
}

static int add_rel(bf *b, double t, int pool, int job, const int *pairs, int n, gs_err *err)
{
    rel *r;

    if (GS_GROW(b->rels, b->cap, b->nrels + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
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

/* The shape of pool p's free GPUs on fm (b->whole[p], b->room[p]): O(nodes of the pool). */
static void shape(bf *b, const gs_freemap *fm, int p)
{
    const gs_pool *pl = gs_cluster_pool(fm->cluster, (size_t)p);
    const int *nf = fm->node_free + pl->node_base;
    int k, whole = 0, room = 0;

    for (k = 0; k < pl->nodes; k++) {
        if (nf[k] == pl->gpus_per_node)
            whole++;
        else if (nf[k] > room)
            room = nf[k];
    }
    b->whole[p] = whole;
    b->room[p] = room;
}

/* Whether gpus GPUs fit pool p in the shape recorded by shape(): in O(1), what gs_freemap_fits
 * answers in O(nodes) (the core's placement: whole nodes, the remainder on one node). */
static int shape_fits(const bf *b, const gs_cluster *cl, int p, int gpus)
{
    int gpn = gs_cluster_pool(cl, (size_t)p)->gpus_per_node, full = gpus / gpn, rem = gpus % gpn;

    return b->whole[p] >= full && (rem == 0 || b->room[p] >= rem || b->whole[p] > full);
}

/* The next release of pool p in order of predicted end (the clamp to now included): this
 * call's starts (from *i) merged with the running jobs (from *k); 0 when none is left. Sets *t,
 * and the (node id, GPUs) pairs it gives back in *pr, *n. */
static int next_release(const bf *b, const gs_sim *sim, int p, size_t *i, size_t *k, double *t,
                        const int **pr, int *n)
{
    double now = gs_sim_now(sim), te = INFINITY;
    int have_e;

    while (*i < b->nrels && b->rels[*i].pool != p)
        (*i)++;
    while (*k < b->nrun[p] && !live(b, sim, &b->run[p][*k]))
        (*k)++;
    have_e = *k < b->nrun[p];
    if (have_e)
        te = b->run[p][*k].end > now ? b->run[p][*k].end : now;
    if (*i < b->nrels && (!have_e || b->rels[*i].t <= te)) {
        *t = b->rels[*i].t;
        *pr = b->rels[*i].place;
        *n = b->rels[*i].n;
        (*i)++;
        return 1;
    }
    if (!have_e)
        return 0;
    {
        const gs_job *jb = gs_sim_job(sim, b->run[p][*k].job);
        *t = te;
        *pr = jb->place;
        *n = jb->alloc.nodes;
    }
    (*k)++;
    return 1;
}

/* Whether a job of a given size fits a pool as GPUs are given back, counted as they come: whole
 * free nodes, and nodes not wholly free with room for the remainder (gs_freemap_fits's rule,
 * without a pass over the nodes per release). */
typedef struct fitcount {
    int gpn, full, rem, whole, part;
} fitcount;

static void fc_init(fitcount *fc, const gs_freemap *m, const gs_pool *pl, int gpus)
{
    const int *nf = m->node_free + pl->node_base;
    int k;

    fc->gpn = pl->gpus_per_node;
    fc->full = gpus / fc->gpn;
    fc->rem = gpus % fc->gpn;
    fc->whole = fc->part = 0;
    for (k = 0; k < pl->nodes; k++) {
        fc->whole += nf[k] == fc->gpn;
        fc->part += fc->rem && nf[k] != fc->gpn && nf[k] >= fc->rem;
    }
}

static int fc_fits(const fitcount *fc)
{
    return fc->whole >= fc->full && (fc->rem == 0 || fc->part > 0 || fc->whole > fc->full);
}

/* Gives back on res the (node id, GPUs) pairs pr[0..n) of pool p, counting them in fc. */
static void fc_give(fitcount *fc, gs_freemap *res, int p, const int *pr, int n)
{
    int k;

    for (k = 0; k < n; k++) {
        int *v = &res->node_free[pr[2 * k]], was = *v;
        *v += pr[2 * k + 1];
        res->pool_free[p] += pr[2 * k + 1];
        fc->whole += (*v == fc->gpn) - (was == fc->gpn);
        if (fc->rem)
            fc->part += (*v != fc->gpn && *v >= fc->rem) - (was != fc->gpn && was >= fc->rem);
    }
}

static void give_back(gs_freemap *res, int p, const int *pr, int n)
{
    int k;

    for (k = 0; k < n; k++) {
        res->node_free[pr[2 * k]] += pr[2 * k + 1];
        res->pool_free[p] += pr[2 * k + 1];
    }
}

/* The head job's reservation: the earliest predicted time some allowed pool has room for it,
 * releasing running jobs and this plan's starts in order of their predicted ends on a copy of
 * the free GPUs (res, which holds that pool's free GPUs at that time on return). Each pool's
 * walk stops once the head fits. */
static void reserve(const bf *b, const gs_sim *sim, const gs_freemap *fm, gs_freemap *res,
                    const gs_job *head, int *pool, double *when)
{
    const gs_cluster *cl = gs_sim_cluster(sim);
    int np = (int)gs_cluster_npools(cl), p, g = head->tj->gpu_num, n;
    size_t i, k;
    const int *pr;
    double rt;
    fitcount fc;

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
        i = k = 0;
        fc_init(&fc, res, pl, g);
        while (!fc_fits(&fc) && next_release(b, sim, p, &i, &k, &rt, &pr, &n)) {
            fc_give(&fc, res, p, pr, n);
            t = rt;
        }
        if (fc_fits(&fc) && t < *when) {
            *when = t;
            *pool = p;
        }
    }
    if (*pool >= 0) { /* leave the chosen pool's state at the reservation in res */
        const gs_pool *pl = gs_cluster_pool(cl, (size_t)*pool);
        memcpy(res->node_free + pl->node_base, fm->node_free + pl->node_base,
               (size_t)pl->nodes * sizeof(int));
        res->pool_free[*pool] = fm->pool_free[*pool];
        i = k = 0;
        while (next_release(b, sim, *pool, &i, &k, &rt, &pr, &n) && rt <= *when)
            give_back(res, *pool, pr, n);
    }
}

/* Backfills job j behind the head (h GPUs, reserved on rpool at rtime) when it fits now without
 * delaying that reservation; rejects it when it can never run. */
static int backfill(bf *b, gs_sim *sim, gs_freemap *fm, gs_freemap *res, uint32_t j, int h,
                    int rpool, double rtime, gs_plan *out, gs_err *err)
{
    const gs_cluster *cl = gs_sim_cluster(sim);
    const gs_job *jb = gs_sim_job(sim, j);
    int npools = (int)gs_cluster_npools(cl), g = jb->tj->gpu_num, n, could = 0, failed = 0, p, rc;
    uint32_t *fit;
    double now = gs_sim_now(sim), end = est_end(jb, now, now);

    for (p = 0; p < npools; p++) {
        if (!allowed(cl, jb, p)) {
            failed |= p < 64 && (jb->failed_pools >> p & 1);
            continue;
        }
        could = 1;
        fit = &b->nofit[(size_t)p * ((size_t)b->maxcap + 1) + (size_t)g];
        /* on the reserved pool past the reservation, the head must still fit what is left
         * there: not even by count, or as a job of this size already found, leaves it out in
         * O(1), before any pass over the nodes */
        if (*fit == b->gen ||
            (p == rpool && end > rtime && (res->pool_free[p] - g < h || b->breaks[g] == b->gen)))
            continue;
        if (!shape_fits(b, cl, p, g) || take_nodes(b, fm, p, g, &n) != 0) {
            *fit = b->gen;
            continue;
        }
        if (p == rpool && end > rtime) {
            /* it would still hold these GPUs at the reservation: only if the head job fits in
             * what is left there */
            int q;
            for (q = 0; q < n; q++) {
                res->node_free[b->pairs[2 * q]] -= b->pairs[2 * q + 1];
                res->pool_free[p] -= b->pairs[2 * q + 1];
            }
            if (!gs_freemap_fits(res, p, h)) {
                give_back(res, p, b->pairs, n);
                untake(b, fm, p, g);
                b->breaks[g] = b->gen;
                continue;
            }
        }
        if ((rc = gs_plan_start(out, j, p, g, err)) != GS_OK)
            return rc;
        shape(b, fm, p);
        new_gen(b);
        return note_start(b, j, p, now + jb->tj->duration, err);
    }
    if (!could)
        return gs_plan_reject(out, j, failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE, err);
    return GS_OK;
}

static int bf_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    bf *b = state;
    const gs_cluster *cl = gs_sim_cluster(sim);
    int npools = (int)gs_cluster_npools(cl), rpool, p;
    uint32_t j = gs_sim_queue_first(sim), head;
    double now = gs_sim_now(sim), rtime, k;
    gs_freemap fm, res;
    int rc = GS_OK;

    if ((rc = enter_started(b, err)) != GS_OK)
        return rc;
    if (b->nents > 2 * gs_sim_running_len(sim) + 64)
        compact(b, sim);
    if (j == GS_JOB_NONE)
        return GS_OK;
    if ((rc = gs_freemap_init(&fm, sim, err)) != GS_OK)
        return rc;
    if ((rc = gs_freemap_init(&res, sim, err)) != GS_OK) {
        gs_freemap_release(&fm);
        return rc;
    }
    clear_rels(b);
    /* 1. first come, first served until a job does not fit (as fifo) */
    for (; j != GS_JOB_NONE && rc == GS_OK; j = gs_sim_queue_next(sim, j)) {
        const gs_job *jb = gs_sim_job(sim, j);
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
                rc = gs_plan_start(out, j, p, g, err);
                if (rc == GS_OK)
                    rc = add_rel(b, est_end(jb, now, now), p, -1, b->pairs, n, err);
                if (rc == GS_OK)
                    rc = note_start(b, j, p, now + jb->tj->duration, err);
                started = 1;
            }
        }
        if (!could)
            rc = gs_plan_reject(out, j, failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE, err);
        else if (!started)
            break;
    }
    head = j;
    if (rc != GS_OK || head == GS_JOB_NONE)
        goto out;
    /* 2. the head job's reservation (this call's starts sorted; the running jobs are) */
    qsort(b->rels, b->nrels, sizeof(*b->rels), by_time);
    reserve(b, sim, &fm, &res, gs_sim_job(sim, head), &rpool, &rtime);
    /* 3. backfill: up to depth later jobs that fit now and leave the reservation intact */
    for (p = 0; p < npools; p++)
        shape(b, &fm, p);
    new_gen(b);
    for (j = gs_sim_queue_next(sim, head), k = 0; j != GS_JOB_NONE && k < b->depth && rc == GS_OK;
         j = gs_sim_queue_next(sim, j), k++)
        rc = backfill(b, sim, &fm, &res, j, gs_sim_job(sim, head)->tj->gpu_num, rpool, rtime, out,
                      err);
out:
    gs_freemap_release(&fm);
    gs_freemap_release(&res);
    if (rc == GS_OK)
        rc = enter_started(b, err);
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
