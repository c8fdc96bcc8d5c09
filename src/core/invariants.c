/* SPDX-License-Identifier: Apache-2.0 */
/* Invariants of a scheduling simulation, checked after every event (--check-invariants). */
#include "invariants_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"

struct gs__inv {
    unsigned char *state; /* each job's state after the previous event */
    double *done;         /* each job's work achieved (done + lost) after the previous event */
    int *used;            /* per node: GPUs the running jobs' placements hold */
    gs_time last;         /* time of the previous event */
    uint64_t checked;     /* events checked */
};

gs__inv *gs__inv_new(const gs_sim *sim, gs_err *err)
{
    gs__inv *inv = calloc(1, sizeof(*inv));
    size_t n = sim->njobs ? sim->njobs : 1;
    int nodes = gs_cluster_total_nodes(sim->cl);

    if (inv) {
        inv->state = calloc(n, 1);
        inv->done = calloc(n, sizeof(*inv->done));
        inv->used = calloc((size_t)(nodes > 0 ? nodes : 1), sizeof(*inv->used));
    }
    if (!inv || !inv->state || !inv->done || !inv->used) {
        gs__inv_free(inv);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    inv->last = -INFINITY;
    return inv;
}

void gs__inv_free(gs__inv *inv)
{
    if (!inv)
        return;
    free(inv->state);
    free(inv->done);
    free(inv->used);
    free(inv);
}

uint64_t gs__inv_checked(const gs__inv *inv)
{
    return inv->checked;
}

int gs__inv_legal(int a, int b)
{
    if (a == b)
        return 1; /* no change, or a resize (RUNNING on a new allocation) */
    switch (a) {
    case GS_JOB_FUTURE:
        return b == GS_JOB_QUEUED;
    case GS_JOB_QUEUED:
        return b == GS_JOB_RUNNING || b == GS_JOB_REJECTED;
    case GS_JOB_RUNNING: /* finished; preempted or failed (back to the queue); failed too often */
        return b == GS_JOB_DONE || b == GS_JOB_QUEUED || b == GS_JOB_REJECTED;
    }
    return 0; /* DONE and REJECTED are final */
}

static const char *state_name(int s)
{
    static const char *const names[] = {"future", "queued", "running", "done", "rejected"};
    return s >= 0 && s < (int)(sizeof(names) / sizeof(names[0])) ? names[s] : "?";
}

static int broken(const gs_sim *sim, const gs_event *ev, gs_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int broken(const gs_sim *sim, const gs_event *ev, gs_err *err, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return gs_errorf(
        err, GS_EINVAL, "invariant broken after event '%s' at t=%.6f (policy '%s'): %s",
        gs_engine_type_name(sim->eng, ev->type), ev->time, sim->pol ? sim->pol->name : "?", msg);
}

/* GPUs: every running job's placement lies in its pool, sums to its allocation, and together
 * with the free counts accounts for every GPU of every node and pool exactly. */
static int check_gpus(const gs_sim *sim, gs__inv *inv, const gs_event *ev, gs_err *err)
{
    size_t npools = gs_cluster_npools(sim->cl), p, j;
    int nodes = gs_cluster_total_nodes(sim->cl), n, k;

    memset(inv->used, 0, (size_t)nodes * sizeof(*inv->used));
    for (j = 0; j < sim->njobs; j++) {
        const gs__job *jb = &sim->jobs[j];
        const gs_pool *pl;
        long sum = 0;
        if (jb->state != GS_JOB_RUNNING) {
            if (jb->place)
                return broken(sim, ev, err, "job '%s' is %s but holds a placement", jb->tj->id,
                              state_name(jb->state));
            continue;
        }
        pl = gs_cluster_pool(sim->cl, (size_t)jb->alloc.pool);
        if (!pl || !jb->place || jb->alloc.nodes < 1 || jb->alloc.gpus < 1)
            return broken(sim, ev, err, "running job '%s' has no valid allocation", jb->tj->id);
        for (k = 0; k < jb->alloc.nodes; k++) {
            int node = jb->place[2 * k], g = jb->place[2 * k + 1];
            if (node < pl->node_base || node >= pl->node_base + pl->nodes || g < 1 ||
                g > pl->gpus_per_node)
                return broken(sim, ev, err, "job '%s' holds %d GPUs on node %d, outside pool '%s'",
                              jb->tj->id, g, node, pl->name);
            inv->used[node] += g;
            sum += g;
        }
        if (sum != jb->alloc.gpus)
            return broken(sim, ev, err, "job '%s' is placed on %ld GPUs but allocated %d",
                          jb->tj->id, sum, jb->alloc.gpus);
    }
    for (p = 0; p < npools; p++) {
        const gs_pool *pl = gs_cluster_pool(sim->cl, p);
        long free_sum = 0;
        for (n = pl->node_base; n < pl->node_base + pl->nodes; n++) {
            if (inv->used[n] > pl->gpus_per_node)
                return broken(sim, ev, err, "node %d of '%s' is over-allocated: %d of %d GPUs", n,
                              pl->name, inv->used[n], pl->gpus_per_node);
            if (sim->node_free[n] + inv->used[n] != pl->gpus_per_node)
                return broken(sim, ev, err,
                              "node %d of '%s': %d GPUs free and %d held do not make its %d", n,
                              pl->name, sim->node_free[n], inv->used[n], pl->gpus_per_node);
            free_sum += sim->node_free[n];
        }
        if (sim->pool_free[p] < 0 || sim->pool_free[p] > pl->capacity)
            return broken(sim, ev, err, "GPU type '%s' is over-allocated: %d of %d GPUs free",
                          pl->name, sim->pool_free[p], pl->capacity);
        if (free_sum != sim->pool_free[p])
            return broken(sim, ev, err, "GPU type '%s' counts %d GPUs free, its nodes %ld",
                          pl->name, sim->pool_free[p], free_sum);
    }
    return GS_OK;
}

/* Jobs: legal state transitions, progress that never decreases nor exceeds the work, and counts
 * that match the states. */
static int check_jobs(const gs_sim *sim, gs__inv *inv, const gs_event *ev, gs_err *err)
{
    size_t j, ndone = 0, nrej = 0;
    gs_time now = gs_engine_now(sim->eng);

    for (j = 0; j < sim->njobs; j++) {
        const gs__job *jb = &sim->jobs[j];
        int was = inv->state[j], is = (int)jb->state;
        /* an abrupt preemption rolls the job back to its last checkpoint: the work it loses is
         * counted in lost, so done + lost is what may never decrease */
        double d = gs_sim_job_done(sim, (uint32_t)j) + jb->lost;
        double tol = 1e-9 * (d > jb->work ? d : jb->work > 1 ? jb->work : 1);
        if (!gs__inv_legal(was, is))
            return broken(sim, ev, err, "job '%s' went from %s to %s", jb->tj->id, state_name(was),
                          state_name(is));
        if (is != GS_JOB_FUTURE && jb->submit > now)
            return broken(sim, ev, err, "job '%s' is %s before its submission at t=%.6f",
                          jb->tj->id, state_name(is), jb->submit);
        if (!(d >= inv->done[j] - tol))
            return broken(sim, ev, err, "job '%s' lost progress: %.9g -> %.9g work units",
                          jb->tj->id, inv->done[j], d);
        if (!(d - jb->lost <= jb->work + tol) || !(jb->lost >= 0) ||
            !(gs_sim_job_done(sim, (uint32_t)j) >= -tol))
            return broken(sim, ev, err, "job '%s' did %.9g of its %.9g work units (%.9g lost)",
                          jb->tj->id, d - jb->lost, jb->work, jb->lost);
        if (is == GS_JOB_DONE) {
            ndone++;
            if (!(jb->finish >= jb->submit) || jb->finish > now)
                return broken(sim, ev, err, "job '%s' finished at t=%.6f (submitted %.6f)",
                              jb->tj->id, jb->finish, jb->submit);
        }
        if (is == GS_JOB_REJECTED)
            nrej++;
        inv->state[j] = (unsigned char)is;
        inv->done[j] = d;
    }
    if (ndone != sim->ndone || nrej != sim->nrejected)
        return broken(sim, ev, err,
                      "counted %zu finished and %zu rejected jobs, states say %zu and %zu",
                      sim->ndone, sim->nrejected, ndone, nrej);
    return GS_OK;
}

int gs__inv_observe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    gs__inv *inv = sim->inv;
    int rc;

    if (!(ev->time >= inv->last) || gs_engine_now(eng) != ev->time)
        return broken(sim, ev, err, "time went back from t=%.6f", inv->last);
    inv->last = ev->time;
    inv->checked++;
    if ((rc = check_gpus(sim, inv, ev, err)) != GS_OK)
        return rc;
    return check_jobs(sim, inv, ev, err);
}
