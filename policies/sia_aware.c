/* SPDX-License-Identifier: Apache-2.0 */
/* sia-aware: Sia restricted to the configurations the scaling DB says are viable. */
#include "gpusim/policy.h"
#include "sia_int.h"

/* Hybrid (the knowledge levels of the CLOUDSTARS D2.1 report; docs/sia.md): viability comes from
 * the knowledge DB (gs_sim_knowledge, perturbed under --viability-error), throughput is learned
 * online exactly as sia-unaware learns it. */
static int sia_aware_init(void **state, const gs_sim *sim, gs_err *err)
{
    return gs__sia_init(state, sim, GS__SIA_AWARE, err);
}

const gs_policy_ops gs_policy_sia_aware = {
    .abi = GS_POLICY_ABI,
    .name = "sia-aware",
    .summary = "Sia's round-based ILP (GLPK), throughput learned online, only DB-viable "
               "configurations",
    .init = sia_aware_init,
    .on_event = gs__sia_on_event,
    .schedule = gs__sia_schedule,
    .destroy = gs__sia_destroy,
    .knowledge = "hybrid",
    .flags = GS_POLICY_ROUNDS,
    .params = gs__sia_params,
};
