/* SPDX-License-Identifier: Apache-2.0 */
/* A plug-in built for another policy ABI (tests/plugin.sh): gpusim must refuse to load it. */
#include "gpusim/policy.h"

static int init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    *state = NULL;
    return GS_OK;
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
    .abi = GS_POLICY_ABI + 1,
    .name = "bad-abi",
    .summary = "built for the next policy ABI",
    .init = init,
    .schedule = schedule,
    .destroy = destroy,
};
