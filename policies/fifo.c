/* SPDX-License-Identifier: Apache-2.0 */
/* fifo: strict submission order, the submitted GPU count on the first GPU type with room. */
#include <stdlib.h>

#include "gpusim/policy.h"
#include "gpusim/sim.h"

/* Uninformed (the knowledge levels of the CLOUDSTARS D2.1 report; README.md): it knows the
 * cluster's shape but nothing of speed or viability. The head job runs as submitted on the first
 * pool, in cluster order, that has room and on which it has not failed; until it starts, nobody
 * behind it may (head-of-line blocking). A job no pool can ever hold is rejected so that it does
 * not block the queue. */

static int fifo_init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    *state = NULL;
    return GS_OK;
}

static void fifo_destroy(void *state)
{
    (void)state;
}

static int fifo_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    const gs_cluster *cl = gs_sim_cluster(sim);
    int npools = (int)gs_cluster_npools(cl);
    uint32_t j = gs_sim_queue_first(sim);
    gs_freemap fm;
    int rc = GS_OK;

    (void)state;
    if (j == GS_JOB_NONE)
        return GS_OK;
    if ((rc = gs_freemap_init(&fm, sim, err)) != GS_OK)
        return rc;
    /* only the head and the jobs that start behind it are looked at */
    for (; j != GS_JOB_NONE && rc == GS_OK; j = gs_sim_queue_next(sim, j)) {
        const gs_job *jb = gs_sim_job(sim, j);
        int g = jb->tj->gpu_num, p, could = 0, failed = 0, started = 0;
        for (p = 0; p < npools && !started; p++) {
            if (p < 64 && (jb->failed_pools >> p & 1)) {
                failed = 1;
                continue;
            }
            if (gs_cluster_pool(cl, (size_t)p)->capacity < g)
                continue;
            could = 1;
            if (gs_freemap_take(&fm, p, g) == 0) {
                rc = gs_plan_start(out, j, p, g, err);
                started = 1;
            }
        }
        if (!could)
            rc = gs_plan_reject(out, j, failed ? GS_REJECT_NO_VIABLE : GS_REJECT_TOO_LARGE, err);
        else if (!started)
            break;
    }
    gs_freemap_release(&fm);
    return rc;
}

const gs_policy_ops gs_policy_fifo = {
    .abi = GS_POLICY_ABI,
    .name = "fifo",
    .summary = "first come, first served: the submitted GPU count on the first GPU type with room",
    .init = fifo_init,
    .schedule = fifo_schedule,
    .destroy = fifo_destroy,
    .knowledge = "uninformed",
};
