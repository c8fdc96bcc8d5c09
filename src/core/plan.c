/* SPDX-License-Identifier: Apache-2.0 */
/* Plans and the planning scratchpad policies use. */
#include "gpusim/policy.h"

#include <stdlib.h>
#include <string.h>

#include "gpusim/sim.h"
#include "place_int.h"
#include "sim_int.h"

void gs_plan_init(gs_plan *p)
{
    memset(p, 0, sizeof(*p));
}

void gs_plan_release(gs_plan *p)
{
    free(p->acts);
    memset(p, 0, sizeof(*p));
}

void gs_plan_clear(gs_plan *p)
{
    p->n = 0;
}

static int add(gs_plan *p, int kind, uint32_t job, int pool, int gpus, gs_err *err)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        gs_action *a = realloc(p->acts, cap * sizeof(*a));
        if (!a)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        p->acts = a;
        p->cap = cap;
    }
    p->acts[p->n].kind = kind;
    p->acts[p->n].job = job;
    p->acts[p->n].pool = pool;
    p->acts[p->n].gpus = gpus;
    p->n++;
    return GS_OK;
}

int gs_plan_start(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err)
{
    return add(p, GS_ACT_START, job, pool, gpus, err);
}

int gs_plan_resize(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err)
{
    return add(p, GS_ACT_RESIZE, job, pool, gpus, err);
}

int gs_plan_preempt(gs_plan *p, uint32_t job, gs_err *err)
{
    return add(p, GS_ACT_PREEMPT, job, -1, 0, err);
}

int gs_plan_reject(gs_plan *p, uint32_t job, int reason, gs_err *err)
{
    return add(p, GS_ACT_REJECT, job, -1, reason, err);
}

int gs_freemap_init(gs_freemap *fm, const gs_sim *sim, gs_err *err)
{
    size_t npools = gs_cluster_npools(sim->cl);
    size_t nnodes = (size_t)gs_cluster_total_nodes(sim->cl);

    memset(fm, 0, sizeof(*fm));
    fm->node_free = malloc(nnodes * sizeof(int));
    fm->pool_free = malloc(npools * sizeof(int));
    if (!fm->node_free || !fm->pool_free) {
        gs_freemap_release(fm);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    memcpy(fm->node_free, sim->node_free, nnodes * sizeof(int));
    memcpy(fm->pool_free, sim->pool_free, npools * sizeof(int));
    fm->npools = (int)npools;
    fm->cluster = sim->cl;
    return GS_OK;
}

void gs_freemap_release(gs_freemap *fm)
{
    free(fm->node_free);
    free(fm->pool_free);
    memset(fm, 0, sizeof(*fm));
}

int gs_freemap_fits(const gs_freemap *fm, int pool, int gpus)
{
    const gs_pool *pl;

    if (pool < 0 || pool >= fm->npools || gpus < 1 || fm->pool_free[pool] < gpus)
        return 0;
    pl = gs_cluster_pool(fm->cluster, (size_t)pool);
    return gs__place_fits(fm->node_free + pl->node_base, pl->nodes, pl->gpus_per_node, gpus);
}

int gs_freemap_take(gs_freemap *fm, int pool, int gpus)
{
    const gs_pool *pl;

    if (!gs_freemap_fits(fm, pool, gpus))
        return -1;
    pl = gs_cluster_pool(fm->cluster, (size_t)pool);
    if (gs__place_take(fm->node_free + pl->node_base, pl->nodes, pl->gpus_per_node, gpus, NULL,
                       NULL) != 0)
        return -1;
    fm->pool_free[pool] -= gpus;
    return 0;
}

void gs_freemap_give_job(gs_freemap *fm, const gs_sim *sim, uint32_t job)
{
    const gs_job *jb = gs_sim_job(sim, job);
    int k;

    if (!jb || jb->state != GS_JOB_RUNNING || !jb->place)
        return;
    for (k = 0; k < jb->alloc.nodes; k++)
        fm->node_free[jb->place[2 * k]] += jb->place[2 * k + 1];
    fm->pool_free[jb->alloc.pool] += jb->alloc.gpus;
}

int gs_freemap_pool_free(const gs_freemap *fm, int pool)
{
    return pool >= 0 && pool < fm->npools ? fm->pool_free[pool] : 0;
}
