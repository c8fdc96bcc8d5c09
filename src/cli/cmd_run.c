/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim run`: load a trace, a cluster and a scaling DB, simulate, write the results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "gpusim/classmap.h"
#include "gpusim/cluster.h"
#include "gpusim/io.h"
#include "gpusim/limits.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "util_int.h"

typedef struct logger {
    int quiet;
    long warnings;
    int progress;
    int tty;
    struct timespec t0, last;
    int drew;
} logger;

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

static void clear_progress(logger *lg)
{
    if (lg->drew) {
        fputs(lg->tty ? "\r\033[K" : "\n", stderr);
        lg->drew = 0;
    }
}

static void log_stderr(void *ctx, int level, double t, const char *msg)
{
    logger *lg = ctx;
    static const char *const names[] = {"error", "warning", "info", "debug"};
    char line[600];

    if (lg->quiet && level > GS_LOG_ERROR)
        return;
    if (level == GS_LOG_WARN && ++lg->warnings > 20) {
        if (lg->warnings == 21)
            fprintf(stderr, "gpusim: warning: further warnings are not shown\n");
        return;
    }
    clear_progress(lg);
    gs__one_line(line, sizeof(line), msg); /* job ids and names come from the inputs */
    if (level >= GS_LOG_INFO)
        fprintf(stderr, "[%.3f] gpusim: %s: %s\n", t, names[level], line);
    else
        fprintf(stderr, "gpusim: %s: %s\n", names[level], line);
}

static void show_progress(void *ctx, const gs_sim *sim)
{
    logger *lg = ctx;
    struct timespec now;
    double el, frac, eta;
    size_t done, total;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&lg->last, &now) < 0.25)
        return;
    lg->last = now;
    gs_sim_progress(sim, &done, &total);
    el = since(&lg->t0, &now);
    frac = total ? (double)done / (double)total : 1;
    eta = frac > 0 ? el * (1 - frac) / frac : 0;
    fprintf(stderr, "%sgpusim: %zu/%zu jobs done, simulated %.1f h, elapsed %.1f s, ETA %.1f s%s",
            lg->tty ? "\r\033[K" : "", done, total, gs_sim_now(sim) / 3600.0, el, eta,
            lg->tty ? "" : "\n");
    lg->drew = lg->tty;
}

static void print_human_summary(const gs_sim *sim, const char *out)
{
    gs_sim_stats st;
    const gs_cluster *cl = gs_sim_cluster(sim);
    size_t i;

    gs_sim_stats_get(sim, &st);
    fprintf(stderr,
            "gpusim: policy %s on cluster '%s' (%d GPUs): %zu jobs, %zu ended (%zu completed, "
            "%zu failed, %zu cancelled), %zu unfinished, %zu unschedulable\n",
            gs_sim_options(sim)->policy, gs_cluster_name(cl), gs_cluster_total_gpus(cl), st.jobs,
            st.finished, st.ended[GS_END_COMPLETED], st.ended[GS_END_FAILED],
            st.ended[GS_END_CANCELLED], st.unfinished, st.rejected);
    if (st.finished > 0)
        fprintf(stderr,
                "  JCT (s) of every job that ended: mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max "
                "%.1f\n",
                st.mean_jct, st.p50_jct, st.p90_jct, st.p99_jct, st.max_jct);
    else
        fprintf(stderr, "  JCT (s): none (no job ended)\n");
    if (st.ended[GS_END_COMPLETED] > 0)
        fprintf(stderr,
                "  JCT (s) of the completed jobs:   mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max "
                "%.1f\n",
                st.c_mean_jct, st.c_p50_jct, st.c_p90_jct, st.c_p99_jct, st.c_max_jct);
    fprintf(stderr,
            "  mean queueing delay %.1f s, makespan %.2f h, %.1f GPU-hours (%.1f wasted), %ld "
            "restarts, %ld failed starts\n",
            isnan(st.mean_queue) ? 0.0 : st.mean_queue,
            isnan(st.makespan) ? 0.0 : st.makespan / 3600.0, st.gpu_hours, st.wasted_gpu_hours,
            st.restarts, st.failures);
    {
        gs_sim_energy e;
        gs_sim_energy_get(sim, &e);
        fprintf(stderr,
                "  energy %.1f kWh (%.1f busy, %.1f idle), cost $%.2f used, $%.2f provisioned\n",
                e.total_kwh, e.busy_kwh, e.idle_kwh, e.cost_used, e.cost_provisioned);
    }
    fprintf(stderr, "  utilisation:");
    for (i = 0; i < gs_cluster_npools(cl); i++) {
        const gs_pool *pl = gs_cluster_pool(cl, i);
        double span = gs_sim_now(sim);
        fprintf(stderr, " %s %.1f%%", pl->name,
                span > 0 ? 100.0 * gs_sim_pool_busy(sim, (int)i) / (pl->capacity * span) : 0.0);
    }
    fprintf(stderr, "\n  results in %s/\n", out);
}

static void list_one(FILE *fp, const gs_policy_ops *p, const char *path, int with_params)
{
    const gs_policy_param *pp;

    /* one line per policy, the name first (scripts read the names with awk '{print $1}') */
    fprintf(fp, "%-14s %-17s %s%s%s%s\n", p->name, p->knowledge ? p->knowledge : "",
            p->summary ? p->summary : "", path ? " [plug-in " : "", path ? path : "",
            path ? "]" : "");
    for (pp = p->params; with_params && pp && pp->name; pp++)
        fprintf(fp, "    --param %s=%g  %s\n", pp->name, pp->def, pp->summary);
}

typedef struct lister {
    FILE *fp;
    int with_params;
} lister;

/* One plug-in of GPUSIM_POLICY_PATH, or one named on the command line: loaded, listed. */
static int list_plugin(void *ctx, const char *path)
{
    const lister *ls = ctx;
    const gs_policy_ops *ops;
    gs_err err = {0};

    if (gs_policy_plugin_load(path, &ops, &err) != GS_OK) {
        gs__fail(&err); /* the message; the status comes from list_policies */
        return err.code;
    }
    list_one(ls->fp, ops, path, ls->with_params);
    return GS_OK;
}

/* The built-in policies, the plug-ins on GPUSIM_POLICY_PATH, then those of paths[0..n-1]. */
static int list_policies(FILE *fp, int with_params, char **paths, int n)
{
    lister ls = {fp, with_params};
    gs_err err = {0};
    size_t i;
    int k;

    for (i = 0; i < gs_policy_count(); i++)
        list_one(fp, gs_policy_at(i), NULL, with_params);
    if (gs_policy_plugin_scan(list_plugin, &ls, &err) != GS_OK) {
        if (err.code)
            gs__fail(&err);
        return GS_EXIT_FAIL;
    }
    for (k = 0; k < n; k++)
        if (list_plugin(&ls, paths[k]) != GS_OK)
            return GS_EXIT_FAIL;
    return GS_EXIT_OK;
}

typedef struct policies_args {
    int params;
} policies_args;

static const gs__opt policies_opts[] = {
    OPT_FLAG("params", 0, policies_args, params,
             "also the parameters each takes (--param NAME=VALUE) and their defaults"),
    OPT_END,
};

static const gs__optspec policies_spec = {
    "policies",
    "usage: gpusim policies [--params] [PLUGIN.so...]\n\nLists each scheduling policy, one a "
    "line: name, level of knowledge, summary.\nBuilt-in policies come first, then the plug-ins "
    "found on GPUSIM_POLICY_PATH\n(folders separated by ':', each NAME.so in them), then the "
    "plug-ins given as\narguments, each loaded and checked, its file at the end of its line\n"
    "(docs/extending.md).\n\n",
    policies_opts,
    "Exit status: 0 success, 1 a plug-in that cannot be loaded, 2 a usage error.\n",
    -1,
};

int gs__cmd_policies(int argc, char **argv)
{
    policies_args a = {0};
    int status, first;

    if ((status = gs__opt_parse(&policies_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    return gs__finish_stdout(list_policies(stdout, a.params, argv + first, argc - first));
}

/* ---- gpusim run ---- */

typedef struct run_args {
    const char *trace, *cluster, *db, *job_type, *states, *out, *format, *task_table, *classes;
    gs_sim_opts o;
    gs__params params;
    double interval; /* of timeline.csv's rows; 0: at every change */
    int force, allow, progress, quiet, verbose, no_timeline;
    int preemption; /* -1: the cluster's; 0 graceful, 1 abrupt (--preemption's choices) */
    int no_startup; /* every start, restart, failed start and checkpoint save free */
} run_args;

/* --states: all, or a list of COMPLETED, FAILED and CANCELLED. */
static int opt_states(const char *value, void *field, char *why, size_t n)
{
    gs_err err = {0};

    if (gs_trace_states_check(value, &err) != GS_OK) {
        snprintf(why, n, "%s", err.msg);
        return -1;
    }
    *(const char **)field = value;
    return 0;
}

#define A run_args
static const gs__opt run_opts[] = {
    OPT_GROUP("inputs:"),
    OPT_STR("trace", 't', A, trace, "FILE",
            "job trace, columns or keys read by name (docs/traces.md), or\n"
            "the name of a bundled trace (default, multiweek)"),
    OPT_CALL("format", 0, A, format, const char *, "NAME", gs__opt_trace_format,
             "trace format: auto (default: from the header or first record,\n"
             "said on stderr), acme, helios, philly, pai or sia (Sia's\n"
             "workloads, docs/sia.md: Sia's DB and cluster sia-64 unless\n"
             "--db and --cluster say)"),
    OPT_STR("task-table", 0, A, task_table, "FILE",
            "PAI: pai_task_table.csv (default: next to the job table)"),
    OPT_STR("policy", 'p', A, o.policy, "NAME",
            "scheduling policy (default fifo; 'help' lists them)"),
    OPT_STR("cluster", 'c', A, cluster, "NAME|FILE",
            "cluster config (default 'default': configs/clusters/default.json)"),
    OPT_STR("db", 'd', A, db, "NAME|FILE|sia:DIR",
            "scaling-knowledge DB (default 'default': configs/scaledb/default.json;\n"
            "sia:DIR: Sia's artifact data in DIR, read at run time)"),
    OPT_STR("job-type", 0, A, job_type, "T",
            "job types to keep: all, a list 'SFT,Eval', or the format's\n"
            "default (ACME: SFT; the others: all)"),
    OPT_STR("classes", 0, A, classes, "NAME|FILE",
            "job types to workload classes (default 'default':\n"
            "configs/classes/default.json; 'db-mix': the DB's class mix for all)"),
    OPT_CALL("states", 0, A, states, const char *, "LIST", opt_states,
             "end states to replay: all (default) or a list of\nCOMPLETED, FAILED, CANCELLED"),
    OPT_GROUP("model:"),
    OPT_U64("seed", 's', A, o.seed, "N",
            "seed of workload classes and random choices, %r (default 1)"),
    OPT_DBL("restart-delay", 0, A, o.restart_delay, "S", 0, 1e6, 0,
            "seconds each restart costs instead of the modelled\ncheckpoint save + start-up, %r "
            "(default: modelled)"),
    OPT_DBL("fail-delay", 0, A, o.fail_delay, "S", 0, 1e6, 0,
            "seconds a non-viable start holds GPUs before failing,\ninstead of its modelled "
            "start-up, %r (default: modelled)"),
    OPT_DBL("checkpoint-interval", 0, A, o.checkpoint_interval, "S", 1, 1e9, 0,
            "running seconds between periodic checkpoints, %r\n(default: the cluster's "
            "lifecycle, 1800)"),
    OPT_FLAG("no-startup", 0, A, no_startup,
             "start-up and checkpoint costs 0: the cluster's lifecycle with\n"
             "no scheduling or initialisation time and storage at 1e6 GB/s per\n"
             "node (loading and saves within a millisecond), restarts and failed\n"
             "starts 0 s"),
    OPT_CHOICE("preemption", 0, A, preemption, "graceful|abrupt", "graceful|abrupt",
               "a preempted or resized job checkpoints first, or loses\nthe work since its last "
               "checkpoint (default: the cluster's, graceful)"),
    OPT_DBL("round-length", 0, A, o.round_length, "S", 1, 86400, 0,
            "seconds between rounds of round-based policies, %r\n(default 60)"),
    OPT_INT("max-failures", 0, A, o.max_failures, "N", 1, 1000,
            "failed starts after which a job is rejected, %r (default 8)"),
    OPT_DBL(
        "until", 0, A, o.until, "S", 0, 315360000, GS__OPT_OPEN_LO,
        "stop after S simulated seconds, %r\n(at most ten years; default: when every job is done)"),
    OPT_DBL("knowledge-error", 0, A, o.knowledge_error, "SIGMA", 0, 5, 0,
            "log-normal error on what informed policies believe, %r\n(default 0)"),
    OPT_DBL("viability-error", 0, A, o.viability_error, "P", 0, 1, 0,
            "probability that a believed viability is flipped, %r\n(default 0)"),
    OPT_U64("knowledge-seed", 0, A, o.knowledge_seed, "N",
            "seed of that error, %r (default: derived from --seed)"),
    OPT_CALL("param", 0, A, params, gs__params, "KEY=VALUE", gs__opt_param,
             "a policy parameter (repeatable; `gpusim policies --params`)"),
    OPT_GROUP("output:"),
    OPT_STR("out", 'o', A, out, "DIR",
            "write jobs.csv, jct_cdf.csv, allocations.csv, users.csv,\n"
            "timeline.csv and summary.json into DIR, atomically\n"
            "(default: summary on stdout)"),
    OPT_FLAG("force", 'f', A, force, "replace an existing DIR"),
    OPT_DBL("sample-interval", 0, A, interval, "S", 1e-3, 1e9, 0,
            "a timeline.csv row every S seconds, %r,\n"
            "instead of one at every change of the cluster's state"),
    OPT_FLAG("no-timeline", 0, A, no_timeline, "do not write timeline.csv"),
    OPT_FLAG("allow-unschedulable", 0, A, allow, "exit 0 even when jobs could not be scheduled"),
    OPT_SET("progress", 0, A, progress, 1,
            "show progress on stderr even when it is not a terminal"),
    OPT_SET("no-progress", 0, A, progress, 2, "never show progress"),
    OPT_FLAG("timing", 0, A, o.timing,
             "add the policy's wall time per call to summary.json\n"
             "(makes summary.json differ between runs)"),
    OPT_FLAG("check-invariants", 0, A, o.check_invariants,
             "after every event, check that no GPU is given twice, jobs\n"
             "change state legally, progress never decreases and time\n"
             "never goes back (slower; a broken invariant stops the run)"),
    OPT_FLAG("quiet", 'q', A, quiet, "no summary or warnings on stderr"),
    OPT_COUNT("verbose", 'v', A, verbose, "more messages on stderr"),
    OPT_END,
};
#undef A

static const gs__optspec run_spec = {
    "run",
    "usage: gpusim [run] --trace FILE [--policy NAME] [options]\n"
    "\n"
    "Replays a job trace (ACME, Helios, Philly or Alibaba PAI) on a GPU cluster under one\n"
    "scheduling policy.\n",
    run_opts,
    "Exit status: 0 success, 1 a run-time error (bad input, unschedulable jobs), 2 a usage "
    "error.\n",
    0,
};

/* The policy named on the command line, or an exit status (help listed, or a usage error). */
static int pick_policy(run_args *a, gs_err *err)
{
    if (!strcmp(a->o.policy, "help"))
        return gs__finish_stdout(list_policies(stdout, 1, NULL, 0));
    /* an unknown name is a usage error; a plug-in that is there but cannot be loaded is bad input
     */
    if (gs_policy_resolve(a->o.policy, &a->o.policy_ops, err) != GS_OK)
        return err->code == GS_ENOTFOUND ? gs__usage_error("run", "%s", err->msg) : gs__fail(err);
    if (!a->trace)
        return gs__usage_error("run", "missing --trace FILE");
    if (gs_policy_check_params(a->o.policy_ops, a->params.v, a->params.n, err) != GS_OK)
        return gs__usage_error("run", "%s", err->msg);
    a->o.params = a->params.v;
    a->o.nparams = a->params.n;
    /* before any work: a bad --out fails now, not after the simulation */
    if (a->out && strcmp(a->out, "-") && gs_outdir_check(a->out, a->force, err) != GS_OK)
        return gs__fail(err);
    return GS__OPT_GO;
}

static void setup_logging(run_args *a, logger *lg)
{
    memset(lg, 0, sizeof(*lg));
    lg->quiet = a->quiet;
    lg->tty = isatty(STDERR_FILENO);
    lg->progress = a->progress == 0 ? lg->tty && !lg->quiet : a->progress == 1;
    a->o.log = log_stderr;
    a->o.log_ctx = lg;
    a->o.log_level = a->verbose >= 2 ? GS_LOG_DEBUG : a->verbose ? GS_LOG_INFO : GS_LOG_WARN;
    if (lg->progress) {
        a->o.progress = show_progress;
        a->o.progress_ctx = lg;
    }
    clock_gettime(CLOCK_MONOTONIC, &lg->t0);
    lg->last = lg->t0;
}

/* What a run loads and makes; released by run_release. */
typedef struct run_state {
    char *trace_path, *cluster_path, *db_path, *classes_path, *plugin_path, *cmdline;
    gs_classmap *cm;
    gs_trace tr;
    gs_scaledb *db;
    gs_cluster *cl;
    gs_sim *sim;
    gs_results *res; /* the result folder, until committed or aborted */
} run_state;

/* Loads the trace, then the DB, the cluster and the class mapping: a Sia workload takes Sia's data
 * found next to it (the artifact's layout) and Sia's 64-GPU cluster unless --db and --cluster
 * name others (its jobs name their classes: the mapping is not used for them). */
static int run_load(run_args *a, run_state *r, gs_err *err)
{
    const char *db = a->db, *cluster = a->cluster ? a->cluster : "default";
    char *near = NULL;
    gs_trace_opts to;

    gs_trace_opts_init(&to);
    to.format = a->format;
    to.job_type = a->job_type;
    to.task_table = a->task_table;
    to.states = a->states;
    if (!(r->trace_path = gs__trace_path(a->trace)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (gs_trace_load_opts(&r->tr, r->trace_path, &to, err) != GS_OK)
        return err->code;
    if (!strcmp(r->tr.format, "sia")) {
        if (!db && !(db = near = gs__sia_data_near(r->trace_path)))
            return gs_errorf(err, GS_EINVAL,
                             "trace '%s' is a Sia workload, and no Sia artifact data (traces/) "
                             "lies above it: give --db sia:DIR",
                             a->trace);
        if (!a->cluster)
            cluster = "sia-64";
    }
    r->db = gs__open_scaledb(db, &r->db_path, err);
    free(near);
    if (!r->db ||
        !(r->cluster_path = gs__resolve_config("configs/clusters", cluster, ".json", err)) ||
        !(r->cl = gs_cluster_load(r->cluster_path, r->db, err)))
        return err->code;
    if (a->no_startup) { /* the largest storage speed a cluster file may give: loads ~0 */
        gs_lifecycle lc = *gs_cluster_lifecycle(r->cl);
        lc.schedule_s = lc.init_s = lc.init_per_doubling_s = 0;
        lc.read_GBps = lc.write_GBps = 1e6;
        gs_cluster_set_lifecycle(r->cl, &lc);
        a->o.restart_delay = a->o.fail_delay = 0;
    }
    if (strcmp(a->classes, "db-mix") != 0 &&
        (!(r->classes_path = gs__resolve_config("configs/classes", a->classes, ".json", err)) ||
         !(r->cm = gs_classmap_load(r->classes_path, err))))
        return err->code;
    a->o.classes = r->cm;
    gs__trace_note(&r->tr, a->quiet); /* once every input loaded: an error is the only line */
    return GS_OK;
}

/* `validate --trace`: the run without its outputs (set by gs__cmd_run_check). */
static int check_only;

int gs__cmd_run_check(int argc, char **argv)
{
    int status;

    check_only = 1;
    status = gs__cmd_run(argc, argv);
    check_only = 0;
    return status;
}

/* What `validate` prints for each input, then what the run did. */
static void print_check(const run_args *a, const run_state *r)
{
    const gs_trace *t = &r->tr;
    gs_sim_stats st;
    size_t ne;

    gs_scaledb_entries(r->db, &ne);
    gs_sim_stats_get(r->sim, &st);
    printf("scaling DB '%s' (%s): %d GPU types, %d classes, %zu entries\n", gs_scaledb_name(r->db),
           r->db_path, gs_scaledb_ntypes(r->db), gs_scaledb_nclasses(r->db), ne);
    printf("cluster '%s' (%s): %d GPUs on %d nodes in %zu pools\n", gs_cluster_name(r->cl),
           r->cluster_path, gs_cluster_total_gpus(r->cl), gs_cluster_total_nodes(r->cl),
           gs_cluster_npools(r->cl));
    if (r->cm)
        printf("class mapping '%s' (%s): %zu rules\n", gs_classmap_name(r->cm), r->classes_path,
               gs_classmap_nrules(r->cm));
    /* the trace line of `validate --load-only` (and of validate before it simulated) */
    printf("trace '%s' (format %s%s%s, %s schema): %ld rows, %zu jobs of type %s (%ld other "
           "types, %ld with 0 GPUs, %ld without duration",
           a->trace, t->format, t->detected ? ", detected: " : "", t->detected ? t->detected : "",
           t->schema, t->stats.rows, t->njobs, t->job_type, t->stats.skipped_type,
           t->stats.skipped_zero_gpu, t->stats.skipped_no_duration);
    if (t->aux_path)
        printf(", %ld without tasks in '%s'", t->stats.skipped_no_tasks, t->aux_path);
    if (t->stats.fractional)
        printf("; %ld fractional GPU requests rounded up", t->stats.fractional);
    printf(")\n");
    printf("run under policy %s: %zu finished, %zu unfinished, %zu unschedulable\n",
           gs_sim_options(r->sim)->policy, st.finished, st.unfinished, st.rejected);
}

/* Opens the result folder, with timeline.csv streaming into it, and runs the simulation; the
 * folder is aborted when the run fails. */
static int run_simulate(const run_args *a, run_state *r, gs_err *err)
{
    int rc;

    if (a->out && strcmp(a->out, "-") && !check_only &&
        !(r->res = gs_results_begin(r->sim, a->out, a->force, !a->no_timeline, a->interval, err)))
        return err->code;
    rc = gs_sim_run(r->sim, err);
    if (rc != GS_OK) {
        gs_results_abort(r->res);
        r->res = NULL;
    }
    return rc;
}

/* The summary on stdout without a result folder; else every file into it, committed. */
static int write_results(run_state *r, const gs_run_meta *meta, gs_err *err)
{
    gs_results *res = r->res;
    char *summary;

    r->res = NULL; /* committed or aborted below */
    if (res)
        return gs_results_commit(res, meta, err);
    if (!(summary = gs_sim_summary_json(r->sim, meta, err)))
        return err->code;
    fputs(summary, stdout);
    fputc('\n', stdout);
    free(summary);
    return GS_OK;
}

/* Writes the results (committing the folder run_simulate opened) and tells about them; the exit
 * status. */
static int run_report(const run_args *a, run_state *r, logger *lg, int argc, char **argv,
                      gs_err *err)
{
    const char *names[6], *paths[6];
    gs_run_meta meta;
    gs_sim_stats st;
    size_t n = 0;
    int rc;

    names[n] = "trace";
    paths[n++] = r->tr.path;
    if (r->tr.aux_path) {
        names[n] = "trace_tasks";
        paths[n++] = r->tr.aux_path;
    }
    names[n] = "cluster";
    paths[n++] = r->cluster_path;
    names[n] = "scaledb";
    paths[n++] = r->db_path;
    if (r->classes_path) {
        names[n] = "classes";
        paths[n++] = r->classes_path;
    }
    if (!(r->cmdline = gs__command_line(argc, argv, "gpusim")))
        return gs__fail_with(err, GS_ENOMEM, "out of memory");
    meta.command = r->cmdline;
    meta.input_names = names;
    meta.input_paths = paths;
    meta.ninputs = n;
    /* a plug-in is an input like the others: its file and checksum are recorded */
    if (!gs_policy_find(a->o.policy)) {
        if (!(r->plugin_path = gs_policy_plugin_find(a->o.policy, err)))
            return gs__fail(err);
        names[meta.ninputs] = "policy";
        paths[meta.ninputs++] = r->plugin_path;
    }
    if (check_only) {
        print_check(a, r);
    } else {
        rc = write_results(r, &meta, err);
        if (rc != GS_OK)
            return gs__fail(err);
        if (a->out && strcmp(a->out, "-") && !lg->quiet)
            print_human_summary(r->sim, a->out);
    }
    gs_sim_stats_get(r->sim, &st);
    if (st.rejected > 0 && !a->allow) {
        fprintf(stderr,
                "gpusim: error: %zu job%s of trace '%s' could not be scheduled on cluster '%s' "
                "(see the warnings above; %s--allow-unschedulable accepts this)\n",
                st.rejected, st.rejected == 1 ? "" : "s", a->trace, gs_cluster_name(r->cl),
                check_only ? "" : "results were written; ");
        return GS_EXIT_FAIL;
    }
    return GS_EXIT_OK;
}

static void run_release(run_state *r)
{
    gs_results_abort(r->res);
    gs_sim_free(r->sim);
    gs_trace_release(&r->tr);
    gs_cluster_free(r->cl);
    gs_scaledb_free(r->db);
    gs_classmap_free(r->cm);
    free(r->trace_path);
    free(r->plugin_path);
    free(r->cluster_path);
    free(r->db_path);
    free(r->classes_path);
    free(r->cmdline);
}

int gs__cmd_run(int argc, char **argv)
{
    run_args a = {.classes = "default", .states = "all", .preemption = -1};
    run_state r;
    logger lg;
    gs_err err = {0};
    int status, first;

    memset(&r, 0, sizeof(r));
    gs_sim_opts_init(&a.o);
    if ((status = gs__opt_parse(&run_spec, &a, argc, argv, &first)) == GS__OPT_GO &&
        (status = pick_policy(&a, &err)) == GS__OPT_GO) {
        if (a.preemption >= 0)
            a.o.graceful = a.preemption == 0;
        setup_logging(&a, &lg);
        if (run_load(&a, &r, &err) != GS_OK ||
            !(r.sim = gs_sim_new(&r.tr, r.cl, r.db, &a.o, &err)) ||
            run_simulate(&a, &r, &err) != GS_OK) {
            clear_progress(&lg);
            status = gs__fail(&err);
        } else {
            clear_progress(&lg);
            status = run_report(&a, &r, &lg, argc, argv, &err);
        }
    }
    run_release(&r);
    gs__params_release(&a.params);
    return gs__finish_stdout(status);
}
