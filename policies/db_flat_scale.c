/* SPDX-License-Identifier: Apache-2.0 */
/* db-flat-scale: db-flat with total normalised throughput as the objective: idle GPUs scale
 * running jobs up, queued jobs take them back (policies/pack.c, GS_PACK_THROUGHPUT). */
#include "pack.h"

static int db_flat_scale_init(void **state, const gs_sim *sim, gs_err *err)
{
    return gs__pack_init(state, sim, GS_PACK_THROUGHPUT, err);
}

const gs_policy_ops gs_policy_db_flat_scale = {
    .abi = GS_POLICY_ABI,
    .name = "db-flat-scale",
    .summary = "db-flat maximising total normalised throughput: scales jobs up into idle GPUs "
               "and back down when queued jobs need them",
    .init = db_flat_scale_init,
    .on_event = gs__pack_on_event,
    .schedule = gs__pack_schedule,
    .destroy = gs__pack_destroy,
    .knowledge = "offline-informed",
    .params = gs__pack_params_scale,
};
