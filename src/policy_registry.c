/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry: the only file to edit when adding a policy (see policy.h). */
#include "gpusim/policy.h"

#include <string.h>

extern const gs_policy_ops gs_policy_fifo;
extern const gs_policy_ops gs_policy_db_fifo, gs_policy_db_flat, gs_policy_db_flat_scale;
extern const gs_policy_ops gs_policy_sia_unaware, gs_policy_sia_aware;

static const gs_policy_ops *const registry[] = {
    &gs_policy_fifo,
    &gs_policy_db_fifo,
    &gs_policy_db_flat,
    &gs_policy_db_flat_scale,
    &gs_policy_sia_unaware,
    &gs_policy_sia_aware,
};

const gs_policy_ops *gs_policy_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

size_t gs_policy_count(void)
{
    return sizeof(registry) / sizeof(registry[0]);
}

const gs_policy_ops *gs_policy_at(size_t i)
{
    return i < gs_policy_count() ? registry[i] : NULL;
}
