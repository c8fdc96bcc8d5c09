/* SPDX-License-Identifier: Apache-2.0 */
/* The core's side of the policy interface: plans, the check of policy parameters, and the
 * planning scratchpad policies use. */
#include "gpusim/policy.h"

#include <stdlib.h>
#include <string.h>

#include "gpusim/sim.h"
#include "place_int.h"
#include "util_int.h"

int gs_policy_abi(void)
{
    return GS_POLICY_ABI;
}

size_t gs_type_size(const char *name)
{
#define GS_TYPE_(t)                                                                                \
    {                                                                                              \
#t, sizeof(t)                                                                              \
    }
    static const struct {
        const char *name;
        size_t size;
    } types[] = {
        GS_TYPE_(gs_err),         GS_TYPE_(gs_event),        GS_TYPE_(gs_trace_job),
        GS_TYPE_(gs_trace_stats), GS_TYPE_(gs_trace),        GS_TYPE_(gs_pool),
        GS_TYPE_(gs_alloc),       GS_TYPE_(gs_job),          GS_TYPE_(gs_action),
        GS_TYPE_(gs_plan),        GS_TYPE_(gs_policy_param), GS_TYPE_(gs_policy_ops),
        GS_TYPE_(gs_freemap),     GS_TYPE_(gs_sim_opts),     GS_TYPE_(gs_run_meta),
        GS_TYPE_(gs_sim_stats),
    };
#undef GS_TYPE_
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (!strcmp(types[i].name, name))
            return types[i].size;
    return 0;
}

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
    if (GS_GROW(p->acts, p->cap, p->n + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
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
    const gs_cluster *cl = gs_sim_cluster(sim);
    size_t npools = gs_cluster_npools(cl), nnodes, i;
    const int *node_free = gs_sim_node_free(sim, &nnodes);

    memset(fm, 0, sizeof(*fm));
    fm->node_free = malloc((nnodes ? nnodes : 1) * sizeof(int));
    fm->pool_free = malloc((npools ? npools : 1) * sizeof(int));
    if (!fm->node_free || !fm->pool_free) {
        gs_freemap_release(fm);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    memcpy(fm->node_free, node_free, nnodes * sizeof(int));
    for (i = 0; i < npools; i++)
        fm->pool_free[i] = gs_sim_pool_free(sim, (int)i);
    fm->npools = (int)npools;
    fm->cluster = cl;
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

int gs_policy_check_params(const gs_policy_ops *ops, const char *const *kv, size_t n, gs_err *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        size_t klen = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
        const gs_policy_param *p;
        double v;
        for (p = ops->params; p && p->name; p++)
            if (strlen(p->name) == klen && !strncmp(p->name, kv[i], klen))
                break;
        if (!p || !p->name) {
            gs__buf names = {0};
            for (p = ops->params; p && p->name; p++)
                gs__buf_printf(&names, "%s%s", p == ops->params ? "" : ", ", p->name);
            gs_errorf(err, GS_EINVAL, "policy '%s' has no parameter '%.*s' (%s%s)", ops->name,
                      (int)klen, kv[i], names.len ? "its parameters: " : "it takes none",
                      names.len ? names.data : "");
            gs__buf_release(&names);
            return GS_EINVAL;
        }
        if (!eq || gs__parse_double(eq + 1, strlen(eq + 1), &v) != 0)
            return gs_errorf(err, GS_EINVAL,
                             "parameter '%s' of policy '%s' needs a number, got '%s'", p->name,
                             ops->name, eq ? eq + 1 : "");
    }
    return GS_OK;
}
