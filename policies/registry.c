/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry: the only file to edit when adding a policy (see policy.h), and the one
 * place where a policy name becomes code (registry.h). */
#include "gpusim/registry.h"

#include <string.h>

#include "util_int.h"

extern const gs_policy_ops gs_policy_fifo, gs_policy_fifo_backfill;
extern const gs_policy_ops gs_policy_db_fifo, gs_policy_db_flat, gs_policy_db_flat_scale;
extern const gs_policy_ops gs_policy_sia_unaware, gs_policy_sia_aware;

static const gs_policy_ops *const registry[] = {
    &gs_policy_fifo,          &gs_policy_fifo_backfill, &gs_policy_db_fifo,   &gs_policy_db_flat,
    &gs_policy_db_flat_scale, &gs_policy_sia_unaware,   &gs_policy_sia_aware,
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

int gs_policy_resolve(const char *name, const gs_policy_ops **ops, gs_err *err)
{
    gs__buf names = {0};
    size_t i;

    if ((*ops = gs_policy_find(name)) != NULL)
        return GS_OK;
    for (i = 0; i < gs_policy_count(); i++)
        gs__buf_printf(&names, "%s%s", i ? ", " : "", registry[i]->name);
    gs_errorf(err, GS_ENOTFOUND, "unknown policy '%s' (valid policies: %s)", name,
              names.data ? names.data : "");
    gs__buf_release(&names);
    return GS_ENOTFOUND;
}

gs_sim *gs_sim_new_named(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                         const gs_sim_opts *opts, gs_err *err)
{
    gs_sim_opts o;

    if (opts)
        o = *opts;
    else
        gs_sim_opts_init(&o);
    if (!o.policy_ops &&
        gs_policy_resolve(o.policy ? o.policy : "fifo", &o.policy_ops, err) != GS_OK)
        return NULL;
    return gs_sim_new(trace, cluster, db, &o, err);
}
