/* SPDX-License-Identifier: Apache-2.0 */
/* A scheduling simulation: a trace replayed on a cluster under one policy, on the event
 * engine. Also the read-only view that policies get of it. */
#ifndef GPUSIM_SIM_H
#define GPUSIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/cluster.h"
#include "gpusim/err.h"
#include "gpusim/event.h"
#include "gpusim/job.h"
#include "gpusim/policy.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"

enum gs_log_level { GS_LOG_ERROR = 0, GS_LOG_WARN, GS_LOG_INFO, GS_LOG_DEBUG };

/* Log sink; t is the simulated time. NULL keeps the library silent. */
typedef void (*gs_log_fn)(void *ctx, int level, double t, const char *msg);

typedef struct gs_sim_opts {
    /* the policy that schedules (required by gs_sim_new): the core never looks a name up;
     * gs_sim_new_named (registry.h) resolves policy into it */
    const gs_policy_ops *policy_ops;
    /* the policy's name, as recorded in the results: gs_sim_new sets it to policy_ops->name;
     * gs_sim_new_named reads it (default "fifo") when policy_ops is not set */
    const char *policy;
    uint64_t seed; /* workload classes and every random choice; default 1 */
    /* s before a job that ran does useful work again on a new allocation, replacing the
     * modelled checkpoint save + start-up; -1 (default): modelled (docs/policies.md) */
    double restart_delay;
    /* s a non-viable start holds its GPUs before failing, replacing the modelled start-up (out
     * of memory once loading ends); -1 (default): modelled */
    double fail_delay;
    /* s of running between periodic checkpoints, and 1 graceful / 0 abrupt preemptions: -1
     * (default) takes the cluster's lifecycle */
    double checkpoint_interval;
    int graceful;
    double round_length;     /* s between rounds of GS_POLICY_ROUNDS policies; default 60 */
    double until;            /* s of simulated time to stop at; default INFINITY */
    int max_failures;        /* failures after which a job is rejected; default 8 */
    double knowledge_error;  /* sigma of the log-normal error on what policies believe; 0 */
    double viability_error;  /* probability of a flipped viability in that belief; 0 */
    uint64_t knowledge_seed; /* seed of that error; 0 = derived from seed */
    /* which workload class each job runs as (configs/classes/ *.json); NULL: every job draws
     * from the DB's class mix by its GPU count. Borrowed; must outlive the simulation. */
    const struct gs_classmap *classes;
    const char *const *params; /* "key=value" policy parameters (--param) */
    size_t nparams;
    gs_log_fn log;
    void *log_ctx;
    int log_level; /* messages above this level are dropped; default GS_LOG_WARN */
    /* measure the wall time of every policy call and report it in summary.json (off by
     * default: wall time differs between runs, and outputs must not) */
    int timing;
    /* after every event, check that no GPU type or node is over-allocated, jobs make only legal
     * state transitions, progress never decreases and time never goes back; a broken invariant
     * stops the run with an error (--check-invariants; costs O(jobs + nodes) per event) */
    int check_invariants;
    /* called after every finished job (the CLI throttles it by wall-clock time) */
    void (*progress)(void *ctx, const struct gs_sim *sim);
    void *progress_ctx;
} gs_sim_opts;

void gs_sim_opts_init(gs_sim_opts *o);

/* Creates a simulation under opts->policy_ops. trace, cluster and db (the ground truth) are
 * borrowed and must outlive it. Workload classes are drawn here, seeded, so they do not depend on
 * the policy. Returns NULL with err filled (no policy, a policy of another ABI, a bad parameter
 * or option, a job no class can run, ENOMEM). To name a policy instead, use gs_sim_new_named
 * (registry.h). */
gs_sim *gs_sim_new(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                   const gs_sim_opts *opts, gs_err *err);
void gs_sim_free(gs_sim *sim);

/* Streams timeline.csv into fp during gs_sim_run (call before it; fp is borrowed until it
 * returns and is flushed, not closed): a row at every change of the cluster's state
 * (sample_interval 0: the state after all events of that time, a row only when it differs from
 * the one before) or at 0, S, 2S, ... (sample_interval S > 0: the state holding at that time;
 * mind that a run of T seconds gets T / S rows),
 * up to the end of the run. Columns: time, running_jobs, queued_jobs, queued_gpu_demand (the
 * GPUs the queued jobs asked for in the trace), busy_gpus and free_gpus (allocated or not,
 * restart delays and failed starts count as busy), finished_jobs, unschedulable_jobs, restarts
 * and failed_starts (so far), then busy_<type> and free_<type> for each pool. Returns GS_OK,
 * GS_EINVAL (interval neither 0 nor in [0.001, 1e9], or a timeline already set), GS_EIO or
 * GS_ENOMEM; a write error during the run makes gs_sim_run fail with GS_EIO. */
int gs_sim_timeline(gs_sim *sim, FILE *fp, double sample_interval, gs_err *err);

/* Runs to the end (all jobs done or rejected, or nothing left that could happen, or `until`).
 * Returns GS_OK, or the error of a policy or of an invalid plan. */
int gs_sim_run(gs_sim *sim, gs_err *err);

/* ---- the view policies get ---- */
gs_time gs_sim_now(const gs_sim *sim);
const gs_cluster *gs_sim_cluster(const gs_sim *sim);
/* What informed policies may believe: the DB, perturbed when --knowledge-error is set. */
const gs_scaledb *gs_sim_knowledge(const gs_sim *sim);
const gs_sim_opts *gs_sim_options(const gs_sim *sim);
size_t gs_sim_njobs(const gs_sim *sim);
/* What a policy may know of job j (job.h; NULL past the end), valid for the whole run: its
 * fields change as the simulation goes on. */
const gs_job *gs_sim_job(const gs_sim *sim, uint32_t j);
/* The queued and the running jobs, walked in submission order (job index) without copying:
 *     for (j = gs_sim_queue_first(sim); j != GS_JOB_NONE; j = gs_sim_queue_next(sim, j))
 * The core changes these sets only between policy calls, so a walk is valid for the whole of
 * one call (a plan takes effect after schedule returns). Each step costs O(1) amortised
 * (O(log64 jobs) at worst), whatever the number of jobs, so a policy pays only for the jobs it
 * looks at. _len is O(1). _next(sim, j) is the first job after j in the set; j need not be in
 * it. GS_JOB_NONE: no (more) jobs. */
#define GS_JOB_NONE UINT32_MAX
size_t gs_sim_queue_len(const gs_sim *sim);
uint32_t gs_sim_queue_first(const gs_sim *sim);
uint32_t gs_sim_queue_next(const gs_sim *sim, uint32_t j);
size_t gs_sim_running_len(const gs_sim *sim);
uint32_t gs_sim_running_first(const gs_sim *sim);
uint32_t gs_sim_running_next(const gs_sim *sim, uint32_t j);
int gs_sim_pool_free(const gs_sim *sim, int pool);
/* Free GPUs of every node, indexed by node id (gs_pool.node_base + k); *n receives the number of
 * nodes. Valid until the next plan is applied. */
const int *gs_sim_node_free(const gs_sim *sim, size_t *n);
/* Work done so far (class units), and the fraction of the job's work. */
double gs_sim_job_done(const gs_sim *sim, uint32_t j);
/* Throughput the job achieves right now, as a running system would measure it: 0 unless it
 * is running past its restart delay on a viable configuration. */
double gs_sim_job_rate(const gs_sim *sim, uint32_t j);
/* Whether the job is running but not yet doing useful work: it pays its start-up or restart delay
 * (a start that will fail looks the same). */
int gs_sim_job_restarting(const gs_sim *sim, uint32_t j);
/* The fraction of the job's work done so far, in [0, 1] (1 for a job without work), as a running
 * system counts iterations done out of those to do. */
double gs_sim_job_progress(const gs_sim *sim, uint32_t j);
/* When the job's latest allocation begins (or began) useful work: its start plus the start-up or
 * restart delay the core charges (gs_sim_start_cost when it started). A start that will fail
 * looks the same until it fails. -1 before the job first got GPUs. */
gs_time gs_sim_job_ready_at(const gs_sim *sim, uint32_t j);
/* Modelled seconds before job j does useful work if it starts on gpus GPUs of pool now: the
 * start-up of that configuration (scheduling and container, loading weights, and optimizer
 * state when it resumes from a checkpoint, framework initialisation), plus the checkpoint
 * save a graceful move leaves to pay; --restart-delay for a job that ran before when given.
 * What the core will charge, for policies that weigh moves. */
double gs_sim_start_cost(const gs_sim *sim, uint32_t j, int pool, int gpus);
/* The same for moving job j to gpus GPUs of pool (as a restart, --restart-delay when given):
 * a running job's checkpoint save of its progress (graceful) plus the start-up there. */
double gs_sim_restart_cost(const gs_sim *sim, uint32_t j, int pool, int gpus);
/* A policy parameter given as --param key=value, or def. */
double gs_sim_param(const gs_sim *sim, const char *key, double def);
/* The same, strict: *value is the first --param key=value given (as gs_sim_param), or def when the
 * key is absent. Returns GS_OK, or GS_EINVAL (naming the key) when the value is not a number, so
 * that a typo in a value cannot pass silently. */
int gs_sim_param_get(const gs_sim *sim, const char *key, double def, double *value, gs_err *err);
/* Log through the sink of the options (printf-style). */
void gs_sim_log(const gs_sim *sim, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A uniform number in [0, 1) from the policy's own random stream (seeded from --seed). */
double gs_sim_uniform(gs_sim *sim);
/* Records a policy statistic (e.g. "ilp_variables_mean") for summary.json's "policy_stats";
 * a second call with the same key replaces the value. Keys are kept in first-set order. Values
 * must be deterministic (wall time belongs to --timing). Returns GS_OK or GS_ENOMEM. */
int gs_sim_stat_set(gs_sim *sim, const char *key, double value);
/* With --timing (gs_sim_opts.timing), records one wall-time sample, in seconds, of a step of the
 * policy's own (e.g. key "ilp": one solve); summary.json reports each key's samples in
 * "policy_stats", after the statistics above, as <key>_ms_mean, _p50, _p95 and _max. Without
 * --timing it does nothing. Costs O(1) per sample. Returns GS_OK or GS_ENOMEM. */
int gs_sim_time_add(gs_sim *sim, const char *key, double seconds);

/* ---- results ---- */
/* Statistics over no job (JCTs and makespan when none finished, the queueing delay when none
 * started) are NaN, written as null in summary.json. */
typedef struct gs_sim_stats {
    size_t jobs, finished, unfinished, rejected;
    size_t ended[GS_END_COUNT]; /* finished jobs by end: completed, failed, cancelled */
    /* JCT of all finished jobs, then of the completed ones only */
    double mean_jct, p50_jct, p90_jct, p95_jct, p99_jct, max_jct;
    double p10_jct, p25_jct, p75_jct;
    double c_mean_jct, c_p50_jct, c_p90_jct, c_p95_jct, c_p99_jct, c_max_jct;
    double mean_queue;
    double makespan;          /* last finish (s since the first submission) */
    double gpu_hours;         /* allocated GPU time, restarts and failed starts included */
    double wasted_gpu_hours;  /* of which start-ups, failed starts and lost work */
    double startup_gpu_hours; /* of which start-ups (checkpoint saves included) */
    double lost_gpu_hours;    /* of which work lost to abrupt preemptions */
    long checkpoint_saves;
    long restarts, failures;
    uint64_t events;
    uint64_t plans, actions;
    /* the load the trace offers the cluster: GPU-hours demanded (gpu_num x duration of every
     * job, as the trace records them on the original configuration) over GPU-hours available
     * (all GPUs of the cluster over the arrival span, first to last submission); load is NAN
     * when the span is 0 (a single submission time) */
    double demand_gpu_hours, capacity_gpu_hours, arrival_span, load;
} gs_sim_stats;

void gs_sim_stats_get(const gs_sim *sim, gs_sim_stats *st);
/* Cheap counts for progress displays: jobs done (finished or rejected) out of all. */
void gs_sim_progress(const gs_sim *sim, size_t *done, size_t *total);
/* Allocated GPU-seconds of pool p over the run. */
double gs_sim_pool_busy(const gs_sim *sim, int pool);

/* Meta-data recorded in summary.json. */
typedef struct gs_run_meta {
    const char *command;            /* the command line */
    const char *const *input_names; /* "trace", "cluster", "scaledb", ... */
    const char *const *input_paths;
    size_t ninputs;
} gs_run_meta;

/* jobs.csv: one row per job in submission order, ending with the job's trace type
 * (job_type; empty when the trace has none). start_time is when the job first got GPUs
 * (queue_delay = start_time - submit_time); gpu_type, gpus, nodes and alloc_start describe its
 * last allocation (for a finished job, the one it finished on, held from alloc_start); status
 * is finished (completed), failed or cancelled (as its trace row ended), unfinished or
 * unschedulable. The last columns: user (the trace's), ftf (finish-time fairness: JCT over the
 * time the job would take alone on its fair share of the cluster, docs/fairness.md), slowdown
 * (JCT over the trace's duration), gpu_hours (allocated), energy_kwh (their busy energy) and
 * cost (USD); ftf and slowdown are empty unless the job finished; startup_s the seconds it
 * spent starting up. */
int gs_sim_write_jobs(const gs_sim *sim, FILE *fp, gs_err *err);
/* jct_cdf.csv: jct,fraction over every job that ended (completed, failed or cancelled;
 * fraction of all jobs, so unfinished jobs keep it below 1). */
int gs_sim_write_cdf(const gs_sim *sim, FILE *fp, gs_err *err);
/* allocations.csv: one row per allocation a job held (failed starts and restarts included). */
int gs_sim_write_allocations(const gs_sim *sim, FILE *fp, gs_err *err);
/* users.csv: one row per distinct user (the trace's user column; "" when it has none), sorted by
 * name: user, jobs, finished, unfinished, unschedulable, gpu_hours, energy_kwh, cost, mean_jct,
 * mean_queue_delay, mean_slowdown, max_slowdown, mean_ftf, max_ftf (means over the user's
 * finished jobs, the queueing delay over its started ones; empty when there are none). */
int gs_sim_write_users(const gs_sim *sim, FILE *fp, gs_err *err);

/* Energy and cost of the run (after gs_sim_run): per pool, busy = its allocated GPU-seconds x
 * busy_watts, idle = the rest of capacity x the run's span (0 to its end) x idle_watts; cost used
 * = allocated GPU-hours x price, provisioned = every GPU for the span x price. */
typedef struct gs_sim_energy {
    double busy_kwh, idle_kwh, total_kwh;
    double cost_used, cost_provisioned; /* USD */
} gs_sim_energy;
void gs_sim_energy_get(const gs_sim *sim, gs_sim_energy *e);

/* summary.json text (malloc'd). */
char *gs_sim_summary_json(const gs_sim *sim, const gs_run_meta *meta, gs_err *err);

/* ---- the result folder (what `gpusim run --out DIR` writes) ---- */
typedef struct gs_results gs_results;

/* Begins the result folder dir of sim, atomically (gs_outdir_begin: the files go into a
 * temporary sibling folder; force replaces an existing dir, else an existing dir is an error) and,
 * unless timeline is 0, streams timeline.csv into it while the simulation runs
 * (gs_sim_timeline with sample_interval). Call before gs_sim_run; sim is borrowed until
 * gs_results_commit or gs_results_abort. Returns NULL with err filled (GS_EIO, GS_EINVAL,
 * GS_ENOMEM), leaving nothing behind. */
gs_results *gs_results_begin(gs_sim *sim, const char *dir, int force, int timeline,
                             double sample_interval, gs_err *err);
/* After gs_sim_run succeeded: writes jobs.csv, jct_cdf.csv, allocations.csv, users.csv and
 * summary.json (meta as gs_sim_summary_json) and gives the folder its name. Frees r whatever
 * happens; on failure nothing is left behind. Returns GS_OK, GS_EIO or GS_ENOMEM. */
int gs_results_commit(gs_results *r, const gs_run_meta *meta, gs_err *err);
/* Removes the folder begun (after gs_sim_run failed, or instead of it) and frees r; NULL does
 * nothing. */
void gs_results_abort(gs_results *r);

#endif
