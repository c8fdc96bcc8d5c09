/* SPDX-License-Identifier: Apache-2.0 */
/* A plug-in whose plan gives the same GPUs to two jobs (tests/plugin.sh): the core's plan
 * validation must stop the run, as it stops a built-in policy. */
#include "gpusim/policy.h"
#include "gpusim/sim.h"

static int init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    *state = NULL;
    return GS_OK;
}

/* The first two queued jobs, each on all GPUs of the first pool: the second start finds none. */
static int schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    uint32_t first = gs_sim_queue_first(sim), second = gs_sim_queue_next(sim, first);
    int all = gs_cluster_pool(gs_sim_cluster(sim), 0)->capacity, rc;

    (void)state;
    if (first == GS_JOB_NONE || second == GS_JOB_NONE)
        return GS_OK;
    if ((rc = gs_plan_start(out, first, 0, all, err)) != GS_OK)
        return rc;
    return gs_plan_start(out, second, 0, all, err);
}

static void destroy(void *state)
{
    (void)state;
}

const gs_policy_ops gs_policy_plugin = {
    .abi = GS_POLICY_ABI,
    .name = "double-gpu",
    .summary = "plans the same GPUs for two jobs",
    .init = init,
    .schedule = schedule,
    .destroy = destroy,
};
