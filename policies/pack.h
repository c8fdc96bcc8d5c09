/* SPDX-License-Identifier: Apache-2.0 */
/* The packing core of the offline-informed policies (db-fifo, db-flat, db-flat-scale).
 *
 * Private to policies/: the three policy files are its hooks plus an objective. Everything it
 * believes about speed and viability comes from gs_sim_knowledge() (the possibly perturbed DB),
 * never from the ground truth. docs/policies.md describes the algorithms. */
#ifndef GPUSIM_POLICIES_PACK_H
#define GPUSIM_POLICIES_PACK_H

#include "gpusim/policy.h"
#include "gpusim/sim.h"

enum gs__pack_objective {
    /* db-fifo: strict submission order; the head job gets the configuration predicted to finish
     * it soonest among those that fit now (with wait_busy: waiting for a busy one when that is
     * predicted to finish it sooner), at most max_scale x its submitted GPU count */
    GS_PACK_FINISH = 1,
    /* db-flat: queued jobs x configurations packed greedily by efficiency, the job's per-GPU
     * throughput relative to the per-GPU throughput of its original configuration */
    GS_PACK_EFFICIENCY,
    /* db-flat-scale: total normalised throughput (throughput / throughput of the original
     * configuration): admission by normalised throughput per GPU, idle GPUs handed to running
     * jobs by marginal gain, taken back when queued jobs need them */
    GS_PACK_THROUGHPUT
};

/* The hooks (policy.h) of a policy built on the core. init reads the policy parameters
 * (--param starve_limit=S, min_gain=G, wait_busy=0|1, max_scale=X; docs/policies.md) and fails
 * with GS_EINVAL on a bad value. */
int gs__pack_init(void **state, const gs_sim *sim, int objective, gs_err *err);

/* The --param settings of db-fifo (wait_busy, max_scale), db-flat (starve_limit) and
 * db-flat-scale (starve_limit, min_gain), name NULL at the end. */
extern const gs_policy_param gs__pack_params_fifo[];
extern const gs_policy_param gs__pack_params_flat[];
extern const gs_policy_param gs__pack_params_scale[];
int gs__pack_on_event(void *state, gs_sim *sim, const gs_event *ev, gs_err *err);
int gs__pack_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err);
void gs__pack_destroy(void *state);

#endif
