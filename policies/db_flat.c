/* SPDX-License-Identifier: Apache-2.0 */
/* db-flat: all queued jobs x all viable configurations, packed by efficiency (per-GPU
 * throughput) across jobs (policies/pack.c, GS_PACK_EFFICIENCY). */
#include "pack.h"

static int db_flat_init(void **state, const gs_sim *sim, gs_err *err)
{
    return gs__pack_init(state, sim, GS_PACK_EFFICIENCY, err);
}

const gs_policy_ops gs_policy_db_flat = {
    .abi = GS_POLICY_ABI,
    .name = "db-flat",
    .summary = "packs queued jobs x viable configurations by per-GPU throughput across jobs "
               "(with --param starve_limit=S, jobs waiting over S s are served first)",
    .init = db_flat_init,
    .on_event = gs__pack_on_event,
    .schedule = gs__pack_schedule,
    .destroy = gs__pack_destroy,
    .knowledge = "offline-informed",
    .params = gs__pack_params_flat,
};
