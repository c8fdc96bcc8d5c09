/* SPDX-License-Identifier: Apache-2.0 */
/* A plug-in without a schedule hook (tests/plugin.sh): gpusim must refuse to load it. */
#include "gpusim/policy.h"

static int init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    *state = NULL;
    return GS_OK;
}

static void destroy(void *state)
{
    (void)state;
}

const gs_policy_ops gs_policy_plugin = {
    .abi = GS_POLICY_ABI,
    .name = "no-schedule",
    .summary = "has no schedule hook",
    .init = init,
    .destroy = destroy,
};
