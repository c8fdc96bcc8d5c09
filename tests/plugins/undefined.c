/* SPDX-License-Identifier: Apache-2.0 */
/* A plug-in that calls a function libgpusim does not have (tests/plugin.sh): the dynamic loader
 * refuses it, and gpusim must say so in one line. */
#include "gpusim/policy.h"

int gs_sim_no_such_function(const gs_sim *sim);

static int init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)err;
    *state = NULL;
    return gs_sim_no_such_function(sim);
}

static int schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    (void)state;
    (void)sim;
    (void)out;
    (void)err;
    return GS_OK;
}

static void destroy(void *state)
{
    (void)state;
}

const gs_policy_ops gs_policy_plugin = {
    .abi = GS_POLICY_ABI,
    .name = "undefined",
    .summary = "calls a function that does not exist",
    .init = init,
    .schedule = schedule,
    .destroy = destroy,
};
