/* SPDX-License-Identifier: Apache-2.0 */
/* The invariant checker of a scheduling simulation (--check-invariants): after every event, no
 * GPU type or node is over-allocated or leaks GPUs, jobs only make legal state transitions, no
 * job's progress decreases (work done plus work lost to an abrupt preemption, which rolls a job
 * back to its last checkpoint and counts what it lost) and simulated time never goes back. */
#ifndef GPUSIM_INVARIANTS_INT_H
#define GPUSIM_INVARIANTS_INT_H

#include "gpusim/engine.h"
#include "gpusim/sim.h"

typedef struct gs__inv gs__inv;

/* A checker for sim (borrowed; its jobs, cluster and free-GPU maps must exist). NULL with err
 * filled on ENOMEM. */
gs__inv *gs__inv_new(const gs_sim *sim, gs_err *err);
void gs__inv_free(gs__inv *inv);

/* The engine observer (gs_engine_observe) with ctx = the gs_sim: checks everything after the
 * event ev. Returns GS_OK, or GS_EINVAL with a message naming the time, the event, the job or
 * node and the broken invariant. O(jobs + nodes) per event. */
int gs__inv_observe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);

/* Events checked so far. */
uint64_t gs__inv_checked(const gs__inv *inv);

/* Whether job state a may become state b within one event. */
int gs__inv_legal(int a, int b);

#endif
