/* SPDX-License-Identifier: Apache-2.0 */
/* The policy plug-in interface: a versioned table of hooks, plans, and a planning scratchpad.
 * The scheduling core (src/core/) owns this contract; the policies layer implements it, and
 * its registry (registry.h) turns names into gs_policy_ops.
 *
 * Adding a policy (docs/extending.md has the whole story, CONTRIBUTING.md the checks):
 *   in the tree: write policies/<name>.c (dashes in the CLI name become underscores in the
 *     file), everything static except one object, const gs_policy_ops gs_policy_<name> = {...},
 *     and build: the registry lists every such file itself (cmake/policy_list.cmake); then its
 *     tests and golden CDFs (scripts/update-golden.sh <name>);
 *   as a plug-in: the same in any file, the object named gs_policy_plugin, built as a shared
 *     object against libgpusim (pkg-config gpusim) and loaded with --policy ./file.so;
 *   in Python: a gpusim.Policy subclass (python/gpusim).
 * A policy sees the simulation only through the gs_sim_* getters (sim.h) and the jobs as gs_job
 * (job.h: none of the simulator's bookkeeping), and answers with a gs_plan; the core validates the
 * whole plan before applying any of it, so a policy can never hand out a GPU twice. All state lives
 * in *state (allocated by init, freed by destroy). */
#ifndef GPUSIM_POLICY_H
#define GPUSIM_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/cluster.h"
#include "gpusim/err.h"
#include "gpusim/event.h"

#define GS_POLICY_ABI 2

/* GS_POLICY_ABI of the library at run time (the Python package checks it against its own). */
int gs_policy_abi(void);
/* sizeof of a public struct of the scheduling core, by its name ("gs_sim_opts", "gs_job",
 * "gs_trace", "gs_policy_ops", ...: the structs other languages declare to call gpusim, so that
 * they can check their declarations when they load the library); 0 for a name it does not
 * know. */
size_t gs_type_size(const char *name);

/* The symbol under which a policy plug-in (a shared object, docs/extending.md) exports its table:
 * const gs_policy_ops gs_policy_plugin = {...}. */
#define GS_POLICY_PLUGIN_SYMBOL "gs_policy_plugin"

/* The scheduling core's event types (src/core/sim.c declares them to its engine; numbers 0x01 to
 * 0xff are the core's). Policies see ARRIVAL, FINISH and FAIL in on_event. */
#define GS_EVENT_SCHED_LIST(X)                                                                     \
    X(ARRIVAL, 0x01, "arrival")                                                                    \
    X(FINISH, 0x02, "finish")                                                                      \
    X(FAIL, 0x03, "fail")                                                                          \
    X(SCHEDULE, 0x04, "schedule")                                                                  \
    X(ROUND, 0x05, "round")                                                                        \
    X(HORIZON, 0x06, "horizon")                                                                    \
    X(PHASE, 0x07, "phase")

enum gs_sched_event {
#define GS_EV_ENUM_(name, val, str) GS_EV_##name = (val),
    GS_EVENT_SCHED_LIST(GS_EV_ENUM_)
#undef GS_EV_ENUM_
};

typedef struct gs_sim gs_sim;

enum gs_action_kind {
    GS_ACT_START = 1, /* a queued job gets gpus GPUs of pool */
    GS_ACT_RESIZE,    /* a running job moves to gpus GPUs of pool (pays the restart delay) */
    GS_ACT_PREEMPT,   /* a running job gives its GPUs back and queues again (progress kept) */
    GS_ACT_REJECT     /* a queued job is unschedulable: reported, never run (reason in gpus) */
};

typedef struct gs_action {
    int kind;
    uint32_t job;
    int pool;
    int gpus;
} gs_action;

typedef struct gs_plan {
    gs_action *acts;
    size_t n, cap;
} gs_plan;

void gs_plan_init(gs_plan *p);
void gs_plan_release(gs_plan *p);
void gs_plan_clear(gs_plan *p);
/* Append one action. Return GS_OK or GS_ENOMEM. Validation happens when the plan is applied. */
int gs_plan_start(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err);
int gs_plan_resize(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err);
int gs_plan_preempt(gs_plan *p, uint32_t job, gs_err *err);
int gs_plan_reject(gs_plan *p, uint32_t job, int reason, gs_err *err);

enum gs_policy_flags {
    /* schedule() runs at round boundaries (--round-length) instead of after every arrival,
     * finish and failure */
    GS_POLICY_ROUNDS = 1u << 0
};

/* A policy parameter, set with --param name=value (a number). */
typedef struct gs_policy_param {
    const char *name;
    double def;          /* the default the policy uses when it is not given */
    const char *summary; /* one line, shown by `gpusim policies --params` */
} gs_policy_param;

typedef struct gs_policy_ops {
    int abi;             /* must equal GS_POLICY_ABI; fields are only ever appended */
    const char *name;    /* CLI name, e.g. "db-flat-scale" */
    const char *summary; /* one line, shown by `gpusim policies` */
    /* Allocates *state. sim is complete (trace, cluster, knowledge) but no job has arrived. */
    int (*init)(void **state, const gs_sim *sim, gs_err *err);
    /* Optional. Told of every arrival, finish and failure (ev->type GS_EV_ARRIVAL, GS_EV_FINISH,
     * GS_EV_FAIL; GS_EV_TO_U(ev->data) is the job index). For FINISH and FAIL the job still
     * holds its allocation while the hook runs. */
    int (*on_event)(void *state, gs_sim *sim, const gs_event *ev, gs_err *err);
    /* Fills out (given empty) with the actions to take now. */
    int (*schedule)(void *state, gs_sim *sim, gs_plan *out, gs_err *err);
    void (*destroy)(void *state);
    /* --- ABI 1 continued --- */
    const char *knowledge; /* "uninformed", "offline-informed", "online-informed", "hybrid" */
    unsigned flags;        /* enum gs_policy_flags */
    /* the parameters it reads, ended by an entry with name NULL; NULL when it has none. The core
     * rejects a --param the policy does not declare, or one that is not a number. */
    const gs_policy_param *params;
} gs_policy_ops;

/* Checks "key=value" settings against what ops declares: every key known, every value a
 * number. Returns GS_OK or GS_EINVAL with a message listing the policy's parameters. */
int gs_policy_check_params(const gs_policy_ops *ops, const char *const *kv, size_t n, gs_err *err);

/* A planning scratchpad: the free GPUs of every node, to try allocations before putting them
 * in a plan. Its placement rule is the one the core applies, so an allocation that fits here
 * fits when the plan is applied (given the same earlier actions). */
typedef struct gs_freemap {
    int npools;
    int *node_free; /* per node id */
    int *pool_free; /* per pool */
    const gs_cluster *cluster;
} gs_freemap;

/* Snapshot of the current free GPUs. Release with gs_freemap_release. */
int gs_freemap_init(gs_freemap *fm, const gs_sim *sim, gs_err *err);
void gs_freemap_release(gs_freemap *fm);
/* Whether gpus GPUs of pool can be placed now (whole free nodes for each full node, plus one
 * node with the remainder). */
int gs_freemap_fits(const gs_freemap *fm, int pool, int gpus);
/* Takes them (0) or leaves the map unchanged (-1). */
int gs_freemap_take(gs_freemap *fm, int pool, int gpus);
/* Gives back the GPUs a running job holds (to plan a preemption or a resize). */
void gs_freemap_give_job(gs_freemap *fm, const gs_sim *sim, uint32_t job);
int gs_freemap_pool_free(const gs_freemap *fm, int pool);

#endif
