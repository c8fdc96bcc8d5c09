/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim run`: load a trace, a cluster and a scaling DB, simulate, write the results. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "gpusim/cluster.h"
#include "gpusim/io.h"
#include "gpusim/limits.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "util_int.h"

static void run_usage(FILE *fp)
{
    fprintf(fp,
            "usage: gpusim [run] --trace FILE [--policy NAME] [options]\n"
            "\n"
            "Replays an ACME-schema trace on a GPU cluster under one scheduling policy.\n"
            "\n"
            "inputs:\n"
            "  -t, --trace FILE          ACME trace (Seren or Kalos columns, any order)\n"
            "  -p, --policy NAME         scheduling policy (default fifo; 'help' lists them)\n"
            "  -c, --cluster NAME|FILE   cluster config (default 'default': "
            "configs/clusters/default.json)\n"
            "  -d, --db NAME|FILE        scaling-knowledge DB (default 'default': "
            "configs/scaledb/default.json)\n"
            "      --job-type T          job types to keep: SFT (default), all, or a list "
            "'SFT,Eval'\n"
            "\n"
            "model:\n"
            "  -s, --seed N              seed of workload classes and random choices (default 1)\n"
            "      --restart-delay S     seconds lost on each reallocation (default 60)\n"
            "      --fail-delay S        seconds a non-viable start holds GPUs before failing "
            "(default 60)\n"
            "      --round-length S      seconds between rounds of round-based policies (default "
            "60)\n"
            "      --max-failures N      failed starts after which a job is rejected (default 8)\n"
            "      --until S             stop after S simulated seconds\n"
            "      --knowledge-error SIGMA  log-normal error on what informed policies believe\n"
            "      --viability-error P   probability that a believed viability is flipped\n"
            "      --knowledge-seed N    seed of that error (default: derived from --seed)\n"
            "      --param KEY=VALUE     a policy parameter (repeatable)\n"
            "\n"
            "output:\n"
            "  -o, --out DIR             write jobs.csv, jct_cdf.csv, allocations.csv and\n"
            "                            summary.json into DIR, atomically (default: summary on "
            "stdout)\n"
            "  -f, --force               replace an existing DIR\n"
            "      --allow-unschedulable exit 0 even when jobs could not be scheduled\n"
            "      --progress            show progress on stderr even when it is not a terminal\n"
            "      --no-progress         never show progress\n"
            "      --timing              add the policy's wall time per call to summary.json\n"
            "                            (makes summary.json differ between runs)\n"
            "      --check-invariants    after every event, check that no GPU is given twice, "
            "jobs\n"
            "                            change state legally, progress never decreases and time\n"
            "                            never goes back (slower; an error stops the run)\n"
            "  -q, --quiet               no summary or warnings on stderr\n"
            "  -v, --verbose             more messages on stderr\n"
            "  -h, --help                show this help\n"
            "\n"
            "Exit status: 0 success, 1 a run-time error (bad input, unschedulable jobs), 2 a "
            "usage error.\n");
}

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

    if (lg->quiet && level > GS_LOG_ERROR)
        return;
    if (level == GS_LOG_WARN && ++lg->warnings > 20) {
        if (lg->warnings == 21)
            fprintf(stderr, "gpusim: warning: further warnings are not shown\n");
        return;
    }
    clear_progress(lg);
    if (level >= GS_LOG_INFO)
        fprintf(stderr, "[%.3f] gpusim: %s: %s\n", t, names[level], msg);
    else
        fprintf(stderr, "gpusim: %s: %s\n", names[level], msg);
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

static int put_jobs(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_jobs(sim, fp, err);
}

static int put_cdf(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_cdf(sim, fp, err);
}

static int put_allocations(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_allocations(sim, fp, err);
}

static int write_results(gs_sim *sim, const char *out, int force, const gs_run_meta *meta,
                         gs_err *err)
{
    gs_outdir od;
    char *summary;
    int rc;

    summary = gs_sim_summary_json(sim, meta, err);
    if (!summary)
        return err->code;
    if (!out || !strcmp(out, "-")) {
        fputs(summary, stdout);
        fputc('\n', stdout);
        free(summary);
        return GS_OK;
    }
    if ((rc = gs_outdir_begin(&od, out, force, err)) != GS_OK) {
        free(summary);
        return rc;
    }
    if ((rc = gs_outdir_write(&od, "jobs.csv", put_jobs, sim, err)) == GS_OK &&
        (rc = gs_outdir_write(&od, "jct_cdf.csv", put_cdf, sim, err)) == GS_OK &&
        (rc = gs_outdir_write(&od, "allocations.csv", put_allocations, sim, err)) == GS_OK)
        rc = gs_outdir_write_text(&od, "summary.json", summary, err);
    free(summary);
    if (rc != GS_OK) {
        gs_outdir_abort(&od);
        if (!err->code)
            gs_errorf(err, rc, "cannot write the results into '%s'", out);
        return rc;
    }
    return gs_outdir_commit(&od, err);
}

static void print_human_summary(const gs_sim *sim, const char *out)
{
    gs_sim_stats st;
    const gs_cluster *cl = gs_sim_cluster(sim);
    size_t i;

    gs_sim_stats_get(sim, &st);
    fprintf(stderr,
            "gpusim: policy %s on cluster '%s' (%d GPUs): %zu jobs, %zu finished, %zu "
            "unfinished, %zu unschedulable\n",
            gs_sim_options(sim)->policy, gs_cluster_name(cl), gs_cluster_total_gpus(cl), st.jobs,
            st.finished, st.unfinished, st.rejected);
    if (st.finished > 0)
        fprintf(stderr, "  JCT (s): mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
                st.mean_jct, st.p50_jct, st.p90_jct, st.p99_jct, st.max_jct);
    else
        fprintf(stderr, "  JCT (s): none (no job finished)\n");
    fprintf(stderr,
            "  mean queueing delay %.1f s, makespan %.2f h, %.1f GPU-hours (%.1f wasted), %ld "
            "restarts, %ld failed starts\n",
            isnan(st.mean_queue) ? 0.0 : st.mean_queue,
            isnan(st.makespan) ? 0.0 : st.makespan / 3600.0, st.gpu_hours, st.wasted_gpu_hours,
            st.restarts, st.failures);
    fprintf(stderr, "  utilisation:");
    for (i = 0; i < gs_cluster_npools(cl); i++) {
        const gs_pool *pl = gs_cluster_pool(cl, i);
        double span = gs_sim_now(sim);
        fprintf(stderr, " %s %.1f%%", pl->name,
                span > 0 ? 100.0 * gs_sim_pool_busy(sim, (int)i) / (pl->capacity * span) : 0.0);
    }
    fprintf(stderr, "\n  results in %s/\n", out);
}

static int list_policies(FILE *fp, int with_params)
{
    size_t i;

    for (i = 0; i < gs_policy_count(); i++) {
        const gs_policy_ops *p = gs_policy_at(i);
        const gs_policy_param *pp;
        fprintf(fp, "%-14s %-17s %s\n", p->name, p->knowledge ? p->knowledge : "", p->summary);
        for (pp = p->params; with_params && pp && pp->name; pp++)
            fprintf(fp, "    --param %s=%g  %s\n", pp->name, pp->def, pp->summary);
    }
    return GS_EXIT_OK;
}

int gs__cmd_policies(int argc, char **argv)
{
    int with_params = argc > 1 && !strcmp(argv[1], "--params");

    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: gpusim policies [--params]\n\nLists each scheduling policy: name, level of "
               "knowledge, summary;\nwith --params also the parameters it takes (--param "
               "NAME=VALUE) and their defaults.\n");
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (argc > 1 + with_params)
        return gs__usage_error("policies", "unexpected argument '%s'", argv[1 + with_params]);
    return gs__finish_stdout(list_policies(stdout, with_params));
}

enum {
    OPT_JOB_TYPE = 256,
    OPT_RESTART,
    OPT_FAIL_DELAY,
    OPT_ROUND,
    OPT_MAX_FAIL,
    OPT_UNTIL,
    OPT_KERR,
    OPT_VERR,
    OPT_KSEED,
    OPT_PARAM,
    OPT_ALLOW,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_TIMING,
    OPT_CHECK_INV
};

/* The valid range of each numeric option of run (docs/limits.md). */
typedef struct range {
    int opt;
    const char *name;
    double lo, hi;
    const char *what;
} range;

static const range ranges[] = {
    {OPT_RESTART, "restart-delay", 0, 1e6, "seconds in [0, 1e6]"},
    {OPT_FAIL_DELAY, "fail-delay", 0, 1e6, "seconds in [0, 1e6]"},
    {OPT_ROUND, "round-length", 1, 86400, "seconds in [1, 86400]"},
    {OPT_UNTIL, "until", 0, GS_TIME_MAX, "seconds in [0, 315576000] (ten years)"},
    {OPT_KERR, "knowledge-error", 0, 10, "a sigma in [0, 10]"},
    {OPT_VERR, "viability-error", 0, 1, "a probability in [0, 1]"},
};

static const range *range_of(int opt)
{
    size_t i;

    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]) - 1; i++)
        if (ranges[i].opt == opt)
            break;
    return &ranges[i];
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

int gs__cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"trace", required_argument, NULL, 't'},
        {"policy", required_argument, NULL, 'p'},
        {"cluster", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},
        {"job-type", required_argument, NULL, OPT_JOB_TYPE},
        {"seed", required_argument, NULL, 's'},
        {"restart-delay", required_argument, NULL, OPT_RESTART},
        {"fail-delay", required_argument, NULL, OPT_FAIL_DELAY},
        {"round-length", required_argument, NULL, OPT_ROUND},
        {"max-failures", required_argument, NULL, OPT_MAX_FAIL},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"knowledge-error", required_argument, NULL, OPT_KERR},
        {"viability-error", required_argument, NULL, OPT_VERR},
        {"knowledge-seed", required_argument, NULL, OPT_KSEED},
        {"param", required_argument, NULL, OPT_PARAM},
        {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"allow-unschedulable", no_argument, NULL, OPT_ALLOW},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"timing", no_argument, NULL, OPT_TIMING},
        {"check-invariants", no_argument, NULL, OPT_CHECK_INV},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *trace_arg = NULL, *cluster_arg = "default", *db_arg = "default", *job_type = "SFT";
    const char *out = NULL;
    char *cluster_path = NULL, *db_path = NULL, *cmdline = NULL;
    const char **params = NULL;
    size_t nparams = 0;
    int force = 0, allow = 0, verbose = 0, progress = -1, c, status = GS_EXIT_FAIL;
    unsigned long long u;
    gs_sim_opts o;
    logger lg;
    gs_err err = {0};
    gs_trace tr;
    gs_scaledb *db = NULL;
    gs_cluster *cl = NULL;
    gs_sim *sim = NULL;

    memset(&tr, 0, sizeof(tr));
    memset(&lg, 0, sizeof(lg));
    gs_sim_opts_init(&o);
    params = calloc((size_t)argc + 1, sizeof(*params));
    if (!params) {
        gs_errorf(&err, GS_ENOMEM, "out of memory");
        return gs__fail(&err);
    }
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:p:c:d:s:o:fqvh", longopts, NULL)) != -1) {
        double v;
        int iv;
        switch (c) {
        case 't':
            trace_arg = optarg;
            break;
        case 'p':
            o.policy = optarg;
            break;
        case 'c':
            cluster_arg = optarg;
            break;
        case 'd':
            db_arg = optarg;
            break;
        case OPT_JOB_TYPE:
            job_type = optarg;
            break;
        case 's':
            if (gs__opt_u64(optarg, &u) != 0) {
                free(params);
                return gs__usage_error("run", "--seed needs a non-negative integer, got '%s'",
                                       optarg);
            }
            o.seed = u;
            break;
        case OPT_KSEED:
            if (gs__opt_u64(optarg, &u) != 0) {
                free(params);
                return gs__usage_error(
                    "run", "--knowledge-seed needs a non-negative integer, got '%s'", optarg);
            }
            o.knowledge_seed = u;
            break;
        case OPT_RESTART:
        case OPT_FAIL_DELAY:
        case OPT_ROUND:
        case OPT_UNTIL:
        case OPT_KERR:
        case OPT_VERR: {
            const range *r = range_of(c);
            if (gs__opt_double(optarg, &v) != 0 || !(v >= r->lo && v <= r->hi)) {
                free(params);
                return gs__usage_error("run", "--%s needs %s, got '%s'", r->name, r->what,
                                       optarg);
            }
            if (c == OPT_RESTART)
                o.restart_delay = v;
            else if (c == OPT_FAIL_DELAY)
                o.fail_delay = v;
            else if (c == OPT_ROUND)
                o.round_length = v;
            else if (c == OPT_UNTIL)
                o.until = v;
            else if (c == OPT_KERR)
                o.knowledge_error = v;
            else
                o.viability_error = v;
            break;
        }
        case OPT_MAX_FAIL:
            if (gs__opt_int(optarg, &iv) != 0 || iv < 1 || iv > 1000) {
                free(params);
                return gs__usage_error(
                    "run", "--max-failures needs an integer in [1, 1000], got '%s'", optarg);
            }
            o.max_failures = iv;
            break;
        case OPT_PARAM:
            if (!strchr(optarg, '=') || optarg[0] == '=') {
                free(params);
                return gs__usage_error("run", "--param needs KEY=VALUE, got '%s'", optarg);
            }
            params[nparams++] = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case OPT_ALLOW:
            allow = 1;
            break;
        case OPT_PROGRESS:
            progress = 1;
            break;
        case OPT_NO_PROGRESS:
            progress = 0;
            break;
        case OPT_TIMING:
            o.timing = 1;
            break;
        case OPT_CHECK_INV:
            o.check_invariants = 1;
            break;
        case 'q':
            lg.quiet = 1;
            break;
        case 'v':
            verbose++;
            break;
        case 'h':
            free(params);
            run_usage(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            free(params);
            return gs__usage_error("run", "option '%s' needs a value", argv[optind - 1]);
        default:
            free(params);
            if (optopt)
                return gs__usage_error("run", "unknown option '-%c'", optopt);
            return gs__usage_error("run", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        free(params);
        return gs__usage_error("run", "unexpected argument '%s'", argv[optind]);
    }
    if (!strcmp(o.policy, "help")) {
        free(params);
        return gs__finish_stdout(list_policies(stdout, 1));
    }
    if (!gs_policy_find(o.policy)) {
        size_t i;
        fprintf(stderr, "gpusim: run: unknown policy '%s'; valid policies:", o.policy);
        for (i = 0; i < gs_policy_count(); i++)
            fprintf(stderr, " %s", gs_policy_at(i)->name);
        fprintf(stderr, "\nTry 'gpusim run --help'.\n");
        free(params);
        return GS_EXIT_USAGE;
    }
    if (!trace_arg) {
        free(params);
        return gs__usage_error("run", "missing --trace FILE");
    }
    if (out && strcmp(out, "-") && gs_outdir_check(out, force, &err) != GS_OK) {
        free(params);
        return gs__fail(&err);
    }
    if (gs_policy_check_params(gs_policy_find(o.policy), params, nparams, &err) != GS_OK) {
        free(params);
        return gs__usage_error("run", "%s", err.msg);
    }
    o.params = params;
    o.nparams = nparams;
    o.log = log_stderr;
    o.log_ctx = &lg;
    o.log_level = verbose >= 2 ? GS_LOG_DEBUG : verbose ? GS_LOG_INFO : GS_LOG_WARN;
    lg.tty = isatty(STDERR_FILENO);
    lg.progress = progress < 0 ? lg.tty && !lg.quiet : progress;
    if (lg.progress) {
        o.progress = show_progress;
        o.progress_ctx = &lg;
    }
    clock_gettime(CLOCK_MONOTONIC, &lg.t0);
    lg.last = lg.t0;

    if (!(db_path = gs__resolve_config("configs/scaledb", db_arg, ".json", &err)) ||
        !(cluster_path = gs__resolve_config("configs/clusters", cluster_arg, ".json", &err)) ||
        !(db = gs_scaledb_load(db_path, &err)) || !(cl = gs_cluster_load(cluster_path, db, &err)) ||
        gs_trace_load(&tr, trace_arg, job_type, &err) != GS_OK ||
        !(sim = gs_sim_new(&tr, cl, db, &o, &err)) || gs_sim_run(sim, &err) != GS_OK) {
        clear_progress(&lg);
        status = gs__fail(&err);
        goto out;
    }
    clear_progress(&lg);
    {
        static const char *const names[] = {"trace", "cluster", "scaledb"};
        const char *paths[3];
        gs_run_meta meta;
        gs_sim_stats st;
        paths[0] = trace_arg;
        paths[1] = cluster_path;
        paths[2] = db_path;
        if (!(cmdline = gs__command_line(argc, argv, "gpusim"))) {
            gs_errorf(&err, GS_ENOMEM, "out of memory");
            status = gs__fail(&err);
            goto out;
        }
        meta.command = cmdline;
        meta.input_names = names;
        meta.input_paths = paths;
        meta.ninputs = 3;
        if (check_only) {
            size_t ne;
            gs_scaledb_entries(db, &ne);
            gs_sim_stats_get(sim, &st);
            /* what `validate` prints for each input, then what the run did */
            printf("scaling DB '%s' (%s): %d GPU types, %d classes, %zu entries\n",
                   gs_scaledb_name(db), db_path, gs_scaledb_ntypes(db), gs_scaledb_nclasses(db),
                   ne);
            printf("cluster '%s' (%s): %d GPUs on %d nodes in %zu pools\n", gs_cluster_name(cl),
                   cluster_path, gs_cluster_total_gpus(cl), gs_cluster_total_nodes(cl),
                   gs_cluster_npools(cl));
            printf("trace '%s' (%s schema): %ld rows, %zu jobs of type %s (%ld other types, %ld "
                   "with 0 GPUs, %ld without duration)\n",
                   trace_arg, tr.schema, tr.stats.rows, tr.njobs, job_type,
                   tr.stats.skipped_type, tr.stats.skipped_zero_gpu, tr.stats.skipped_no_duration);
            printf("run under policy %s: %zu finished, %zu unfinished, %zu unschedulable\n",
                   o.policy, st.finished, st.unfinished, st.rejected);
        } else if (write_results(sim, out, force, &meta, &err) != GS_OK) {
            status = gs__fail(&err);
            goto out;
        }
        if (out && strcmp(out, "-") && !lg.quiet && !check_only)
            print_human_summary(sim, out);
        gs_sim_stats_get(sim, &st);
        status = GS_EXIT_OK;
        if (st.rejected > 0 && !allow) {
            fprintf(stderr,
                    "gpusim: error: %zu job%s of trace '%s' could not be scheduled on cluster "
                    "'%s' (see the warnings above; %s--allow-unschedulable accepts this)\n",
                    st.rejected, st.rejected == 1 ? "" : "s", trace_arg, gs_cluster_name(cl),
                    check_only ? "" : "results were written; ");
            status = GS_EXIT_FAIL;
        }
    }
out:
    gs_sim_free(sim);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    free(cluster_path);
    free(db_path);
    free(cmdline);
    free(params);
    return gs__finish_stdout(status);
}
