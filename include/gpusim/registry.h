/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of scheduling policies (the policies layer, policies/registry.c): where a policy
 * name becomes a gs_policy_ops, for the built-in policies and for plug-ins, policies loaded at
 * run time from shared objects (docs/extending.md). The scheduling core never looks names up:
 * whoever names a policy (the CLI, Python, a test, an embedding program) resolves it here and
 * hands the ops to gs_sim_new. */
#ifndef GPUSIM_REGISTRY_H
#define GPUSIM_REGISTRY_H

#include <stddef.h>

#include "gpusim/err.h"
#include "gpusim/policy.h"
#include "gpusim/sim.h"

/* The built-in policy called name; NULL if there is none. */
const gs_policy_ops *gs_policy_find(const char *name);
/* Number of built-in policies, and the i-th in the registry's fixed order: by knowledge level
 * (uninformed, offline-informed, online-informed, hybrid, then any other), then by name. NULL
 * past the end. */
size_t gs_policy_count(void);
const gs_policy_ops *gs_policy_at(size_t i);

/* Resolves a policy name: a built-in policy; else a plug-in, given as a path (see
 * gs_policy_is_path) or as a NAME found as NAME.so on GPUSIM_POLICY_PATH (gs_policy_plugin_find),
 * loaded with gs_policy_plugin_load. *ops receives the policy. Returns GS_OK; GS_ENOTFOUND with a
 * message that lists the valid names (nothing of that name anywhere); or the errors of
 * gs_policy_plugin_load (a plug-in found but not loadable). */
int gs_policy_resolve(const char *name, const gs_policy_ops **ops, gs_err *err);

/* ---- plug-ins ---- */

/* Whether name is a path to a plug-in rather than a policy's name: it contains '/' or ends in
 * ".so". */
int gs_policy_is_path(const char *name);

/* The file of the plug-in name: name itself when it is a path; else the first NAME.so in the
 * folders of $GPUSIM_POLICY_PATH (colon-separated, searched in order). Returns a malloc'd path,
 * or NULL with err filled (GS_ENOTFOUND, GS_ENOMEM). */
char *gs_policy_plugin_find(const char *name, gs_err *err);

/* Loads the plug-in at path: a shared object (built against libgpusim, docs/extending.md) that
 * exports GS_POLICY_PLUGIN_SYMBOL, a const gs_policy_ops. It is checked as gs_sim_new would check
 * it: abi must equal GS_POLICY_ABI, name, init, schedule and destroy must be set, and the name
 * must not be a built-in policy's. *ops receives the policy, valid until the process ends (a
 * plug-in is never unloaded; loading it again returns the same ops). Returns GS_OK; GS_EIO (no
 * such file, or the dynamic loader refused it: not a shared object, an undefined symbol, ...:
 * its message); GS_EINVAL (no GS_POLICY_PLUGIN_SYMBOL, another ABI, a hook or the name missing,
 * a built-in's name). Each message names the file. */
int gs_policy_plugin_load(const char *path, const gs_policy_ops **ops, gs_err *err);

/* Calls fn(ctx, path) for every NAME.so in the folders of $GPUSIM_POLICY_PATH, folders in order
 * and files in byte order of their names (folders that do not exist are skipped), without
 * loading them. Stops at the first fn that does not return GS_OK and returns its code; else
 * GS_OK (or GS_ENOMEM). */
int gs_policy_plugin_scan(int (*fn)(void *ctx, const char *path), void *ctx, gs_err *err);

/* gs_sim_new for a named policy: opts->policy (default "fifo") is resolved with
 * gs_policy_resolve unless opts->policy_ops is already set; opts may be NULL (all defaults).
 * Same contract as gs_sim_new otherwise. */
gs_sim *gs_sim_new_named(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                         const gs_sim_opts *opts, gs_err *err);

#endif
