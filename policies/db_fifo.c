/* SPDX-License-Identifier: Apache-2.0 */
/* db-fifo: strict submission order; the head job gets the configuration predicted to finish it
 * soonest among those that fit now (policies/pack.c, GS_PACK_FINISH). */
#include "pack.h"

static int db_fifo_init(void **state, const gs_sim *sim, gs_err *err)
{
    return gs__pack_init(state, sim, GS_PACK_FINISH, err);
}

const gs_policy_ops gs_policy_db_fifo = {
    .abi = GS_POLICY_ABI,
    .name = "db-fifo",
    .summary = "submission order; the head job gets the GPU type and count the DB says finishes "
               "it soonest among those that fit now",
    .init = db_fifo_init,
    .on_event = gs__pack_on_event,
    .schedule = gs__pack_schedule,
    .destroy = gs__pack_destroy,
    .knowledge = "offline-informed",
    .params = gs__pack_params_fifo,
};
