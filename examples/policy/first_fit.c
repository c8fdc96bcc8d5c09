/* SPDX-License-Identifier: Apache-2.0 */
/* first-fit: a policy plug-in built outside gpusim's tree (docs/extending.md). In submission
 * order, every queued job that fits runs as submitted on the first GPU type with room on which it
 * has not failed; a job that does not fit waits without blocking the jobs behind it (fifo would
 * make them wait). */
#include <gpusim/policy.h>
#include <gpusim/sim.h>

static int ff_init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    *state = NULL; /* no state: everything it needs is in the view */
    return GS_OK;
}

static void ff_destroy(void *state)
{
    (void)state;
}

static int ff_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    const gs_cluster *cl = gs_sim_cluster(sim);
    int npools = (int)gs_cluster_npools(cl);
    uint32_t j;
    gs_freemap fm; /* the free GPUs, to try allocations on before planning them */
    int rc;

    (void)state;
    if ((rc = gs_freemap_init(&fm, sim, err)) != GS_OK)
        return rc;
    /* the queue in submission order: a walk, valid for the whole of this call */
    for (j = gs_sim_queue_first(sim); j != GS_JOB_NONE && rc == GS_OK;
         j = gs_sim_queue_next(sim, j)) {
        const gs_job *jb = gs_sim_job(sim, j);
        int g = jb->tj->gpu_num, p, could = 0, failed = 0;
        for (p = 0; p < npools; p++) {
            /* a start on a configuration the job cannot run on fails: try another type */
            if (p < 64 && (jb->failed_pools >> p & 1)) {
                failed = 1;
                continue;
            }
            if (gs_cluster_pool(cl, (size_t)p)->capacity < g)
                continue;
            could = 1;
            if (gs_freemap_take(&fm, p, g) == 0) {
                rc = gs_plan_start(out, j, p, g, err);
                break;
            }
        }
        if (!could) /* no GPU type left that could ever hold it: it would wait forever */
            rc = gs_plan_reject(out, j, failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE, err);
    }
    gs_freemap_release(&fm);
    return rc;
}

/* The one symbol gpusim looks for in a plug-in (GS_POLICY_PLUGIN_SYMBOL). */
const gs_policy_ops gs_policy_plugin = {
    .abi = GS_POLICY_ABI,
    .name = "first-fit",
    .summary = "submission order without head-of-line blocking: every job that fits starts",
    .init = ff_init,
    .schedule = ff_schedule,
    .destroy = ff_destroy,
    .knowledge = "uninformed",
};
