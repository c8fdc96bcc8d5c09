/* SPDX-License-Identifier: Apache-2.0 */
/* Private state of a scheduling simulation (shared by sim.c and report.c). */
#ifndef GPUSIM_SIM_INT_H
#define GPUSIM_SIM_INT_H

#include "gpusim/engine.h"
#include "gpusim/goodput.h"
#include "gpusim/sim.h"
#include "idset_int.h"
#include "job_int.h"
#include "rng_int.h"

enum seg_outcome { SEG_FINISHED, SEG_RESIZED, SEG_PREEMPTED, SEG_FAILED, SEG_UNFINISHED };

/* One allocation a job held, for allocations.csv and GPU accounting. */
typedef struct gs__seg {
    uint32_t job;
    int pool;
    int gpus;
    int nodes;
    double start, end;
    int outcome;
} gs__seg;

struct gs_sim {
    const gs_trace *trace;
    const gs_cluster *cl;
    const gs_scaledb *truth;
    gs_scaledb *know_owned;
    const gs_scaledb *know;
    gs_sim_opts opts;
    gs_lifecycle life; /* the cluster's, with the options' overrides */
    const gs_policy_ops *pol;
    void *pstate;
    gs_engine *eng;
    gs__job *jobs;
    size_t njobs;
    size_t next_arrival;
    int *node_free;      /* per node id */
    int *pool_free;      /* per pool */
    double *pool_busy;   /* allocated GPU-seconds per pool */
    uint32_t *plan_mark; /* per job: plan number that last named it */
    uint32_t plan_no;
    /* the jobs QUEUED and RUNNING, ordered by index (submission order); changed only by the
     * core, one job at a time, between policy calls */
    gs__idset queue, running;
    int sched_pending;
    int round_pending;
    gs_plan plan;
    int *scratch; /* node_free copy for plan validation */
    int *pairs;   /* placement scratch */
    gs__rng *rng_policy;
    gs__seg *segs;
    size_t nsegs, segcap;
    size_t ndone, nrejected;
    double wasted_gpu_s;
    double startup_gpu_s; /* of which start-ups (saves included) */
    double lost_gpu_s;    /* of which work lost to abrupt moves */
    uint64_t plans, actions;
    uint64_t rounds;
    size_t last_plan_n;
    gs_time end_time;
    /* finished jobs' JCTs, sorted, computed once when the run ends: all of them, then the
     * completed ones */
    double *jct_sorted;
    size_t njct;
    double *cjct_sorted;
    size_t ncjct;
    /* policy statistics (gs_sim_stat_set) */
    char **stat_keys;
    double *stat_vals;
    size_t nstats, capstats;
    /* jobs per rule of the class mapping; the last entry: the DB's class mix */
    long *rule_jobs;
    size_t nrule_jobs;
    /* observers: timeline, per-job accounting (observe.c) */
    struct gs__obs *obs;
    long nrestarts, nfailures; /* so far, over all jobs */
    /* per job of an adaptive-batch class while it runs: its allocation's best batch and goodput
     * in every phase (NULL otherwise) */
    gs_goodput_pt **curve;
    /* --timing: wall seconds of each policy call */
    double *ptime;
    size_t nptime, ptime_cap;
    /* --check-invariants (invariants.c), NULL when off */
    struct gs__inv *inv;
    /* --timing: samples of the policy's own steps (gs_sim_time_add), per key */
    struct gs__timeset {
        char *key;
        double *v;
        size_t n, cap;
    } * tsets;
    size_t ntsets, captsets;
};

/* Modelled start-up of job jb (its class set) on nodes nodes, restoring a checkpoint or not
 * (sim.c). */
double gs__sim_startup_time(const gs_sim *sim, const gs__job *jb, int nodes, int restore);

/* Draws every job's workload class and work (assign.c). */
int gs__sim_assign_classes(gs_sim *sim, gs_err *err);

/* Adds summary.json's by_type, by_class and class_mapping (report_groups.c). GS_OK or
 * GS_ENOMEM. */
struct cJSON;
int gs__summary_groups(const gs_sim *sim, struct cJSON *root);

#endif
