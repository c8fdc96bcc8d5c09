/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry: the only file to edit when adding a policy (see policy.h). */
#include "gpusim/policy.h"

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

int gs_policy_check_params(const gs_policy_ops *ops, const char *const *kv, size_t n, gs_err *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        size_t klen = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
        const gs_policy_param *p;
        double v;
        for (p = ops->params; p && p->name; p++)
            if (strlen(p->name) == klen && !strncmp(p->name, kv[i], klen))
                break;
        if (!p || !p->name) {
            gs__buf names = {0};
            for (p = ops->params; p && p->name; p++)
                gs__buf_printf(&names, "%s%s", p == ops->params ? "" : ", ", p->name);
            gs_errorf(err, GS_EINVAL, "policy '%s' has no parameter '%.*s' (%s%s)", ops->name,
                      (int)klen, kv[i], names.len ? "its parameters: " : "it takes none",
                      names.len ? names.data : "");
            gs__buf_release(&names);
            return GS_EINVAL;
        }
        if (!eq || gs__parse_double(eq + 1, strlen(eq + 1), &v) != 0)
            return gs_errorf(err, GS_EINVAL,
                             "parameter '%s' of policy '%s' needs a number, got '%s'", p->name,
                             ops->name, eq ? eq + 1 : "");
    }
    return GS_OK;
}

const gs_policy_ops *gs_policy_at(size_t i)
{
    return i < gs_policy_count() ? registry[i] : NULL;
}
