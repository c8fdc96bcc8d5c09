/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of scheduling policies (the policies layer, policies/registry.c): where a policy
 * name becomes a gs_policy_ops. The scheduling core never looks names up: whoever names a
 * policy (the CLI, a test, an embedding program) resolves it here and hands the ops to
 * gs_sim_new. Policies loaded at run time (plug-ins) are to be resolved at this same place. */
#ifndef GPUSIM_REGISTRY_H
#define GPUSIM_REGISTRY_H

#include <stddef.h>

#include "gpusim/err.h"
#include "gpusim/policy.h"
#include "gpusim/sim.h"

/* The built-in policy called name; NULL if there is none. */
const gs_policy_ops *gs_policy_find(const char *name);
/* Number of built-in policies, and the i-th in the registry's fixed order (NULL past the end). */
size_t gs_policy_count(void);
const gs_policy_ops *gs_policy_at(size_t i);

/* Resolves a policy name: *ops receives the policy. Returns GS_OK, or GS_ENOTFOUND with a
 * message that lists the valid names. */
int gs_policy_resolve(const char *name, const gs_policy_ops **ops, gs_err *err);

/* gs_sim_new for a named policy: opts->policy (default "fifo") is resolved with
 * gs_policy_resolve unless opts->policy_ops is already set; opts may be NULL (all defaults).
 * Same contract as gs_sim_new otherwise. */
gs_sim *gs_sim_new_named(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                         const gs_sim_opts *opts, gs_err *err);

#endif
