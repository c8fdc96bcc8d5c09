/* SPDX-License-Identifier: Apache-2.0 */
/* sia-unaware: Sia that learns throughput online and does not know which configurations fit. */
#include "gpusim/policy.h"
#include "sia_int.h"

/* Online-informed (the knowledge levels of the CLOUDSTARS D2.1 report; docs/sia.md): it starts
 * every job from the 1-GPU placeholder on every GPU type, learns throughput from what the job's
 * runs achieve, and learns viability from the starts that fail (out of memory). */
static int sia_unaware_init(void **state, const gs_sim *sim, gs_err *err)
{
    return gs__sia_init(state, sim, GS__SIA_UNAWARE, err);
}

const gs_policy_ops gs_policy_sia_unaware = {
    .abi = GS_POLICY_ABI,
    .name = "sia-unaware",
    .summary = "Sia's round-based ILP (GLPK), throughput learned online, viability learned from "
               "failures",
    .init = sia_unaware_init,
    .on_event = gs__sia_on_event,
    .schedule = gs__sia_schedule,
    .destroy = gs__sia_destroy,
    .knowledge = "online-informed",
    .flags = GS_POLICY_ROUNDS,
    .params = gs__sia_params,
};
