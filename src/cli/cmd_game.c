/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim game`: run, sweep, validate and list the game-offload policies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/game.h"
#include "gpusim/io.h"
#include "rng_int.h"
#include "util_int.h"

static void game_usage(FILE *fp)
{
    fprintf(fp, "usage: gpusim game <command> [options]\n"
                "\n"
                "Simulates a Minecraft-like world whose server, client/renderer and video\n"
                "encoder/decoder run on the device, an edge node or the cloud, and move at run\n"
                "time under a policy (docs/game.md).\n"
                "\n"
                "commands:\n"
                "  run        simulate one scenario under one policy and seed\n"
                "  sweep      run policies x seeds and tabulate the results (CSV)\n"
                "  validate   check a scenario file\n"
                "  policies   list the game policies\n"
                "\n"
                "`gpusim game <command> --help` shows its options.\n");
}

static void list_policies(FILE *fp)
{
    size_t i;

    for (i = 0; i < gs_game_policy_count(); i++)
        fprintf(fp, "%-14s %s\n", gs_game_policy_at(i)->name, gs_game_policy_at(i)->summary);
}

static gs_game_scenario *load_scenario(const char *arg, gs_err *err)
{
    char *path = gs__resolve_config("configs/game", arg, ".json", err);
    gs_game_scenario *sc;

    if (!path)
        return NULL;
    sc = gs_game_scenario_load(path, err);
    free(path);
    return sc;
}

static void human_summary(const gs_game *g)
{
    gs_game_totals t;
    size_t i;

    gs_game_totals_get(g, &t);
    fprintf(stderr,
            "gpusim: game '%s' under %s (seed %llu): fps mean %.1f p5 %.1f, %zu stalls (%.1f s), "
            "%zu migrations (%zu failed), %zu sessions lost, battery left %.1f%%, %.1f MB down\n",
            gs_game_scenario_name(gs_game_scenario_of(g)), gs_game_options(g)->policy,
            (unsigned long long)gs_game_options(g)->seed, t.fps.mean, t.fps.p5, t.stalls, t.stall_s,
            t.migrations, t.migrations_failed, t.sessions_lost, t.battery_left_pct, t.down_mb);
    for (i = 0; i < gs_game_nphases(g); i++) {
        const gs_game_phase *p = &gs_game_phases(g)[i];
        fprintf(stderr,
                "  phase %d [%.1f, %.1f] %s (server %s, renderer %s): fps mean %.1f range "
                "%.1f, rtt median %.2f ms, %.2f Mbps, memory median %.2f GB\n",
                p->index, p->start, p->end, gs_game_mode_name(gs_game_placement_mode(&p->at)),
                gs_game_loc_name(p->at.server), gs_game_loc_name(p->at.renderer), p->fps.mean,
                p->fps.max - p->fps.min, p->game_rtt_ms.median, p->down_mbps.mean,
                p->memory_gb.median);
    }
}

static int put_timeseries(const void *g, FILE *fp, gs_err *err)
{
    return gs_game_write_timeseries(g, fp, err);
}

static int put_migrations(const void *g, FILE *fp, gs_err *err)
{
    return gs_game_write_migrations(g, fp, err);
}

static int write_run(const gs_game *g, const char *out, int force, const char *command, gs_err *err)
{
    gs_outdir od;
    char *summary = gs_game_summary_json(g, command, err);
    int rc = GS_OK;

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
    if ((rc = gs_outdir_write(&od, "timeseries.csv", put_timeseries, g, err)) == GS_OK &&
        (rc = gs_outdir_write(&od, "migrations.csv", put_migrations, g, err)) == GS_OK)
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

/* ---- run ---- */

typedef struct run_args {
    const char *scenario, *out;
    gs_game_opts o;
    gs__params params;
    int force, quiet;
} run_args;

#define A run_args
static const gs__opt run_opts[] = {
    OPT_STR("scenario", 's', A, scenario, "NAME|FILE", "the scenario (required)"),
    OPT_STR("policy", 'p', A, o.policy, "NAME",
            "game policy (default: the scenario's; 'help' lists them)"),
    OPT_U64("seed", 0, A, o.seed, "N", "seed of every random draw, %r (default 1)"),
    OPT_DBL("duration", 0, A, o.duration, "S", 0, 604800, GS__OPT_OPEN_LO,
            "simulate S seconds instead of the scenario's duration, %r"),
    OPT_CALL("param", 0, A, params, gs__params, "KEY=VALUE", gs__opt_param,
             "a policy parameter (repeatable; overrides the scenario)"),
    OPT_STR("out", 'o', A, out, "DIR",
            "write timeseries.csv, migrations.csv and summary.json\n"
            "into DIR atomically (default: summary.json on stdout)"),
    OPT_FLAG("force", 'f', A, force, "replace an existing DIR"),
    OPT_FLAG("quiet", 'q', A, quiet, "no summary on stderr"),
    OPT_FLAG("check-invariants", 0, A, o.check_invariants,
             "after every event, check that time never goes back, the\n"
             "placement is legal, the battery stays in [0, 100] % and\n"
             "accumulated counts never decrease"),
    OPT_END,
};
#undef A

static const gs__optspec run_spec = {
    "game run",
    "usage: gpusim game run --scenario NAME|FILE [options]\n"
    "\n"
    "Simulates one scenario (configs/game/<NAME>.json or a file) on the event engine.\n\n",
    run_opts,
    "Exit status: 0 success, 1 bad input or run-time error, 2 usage error.\n",
    0,
};

static int cmd_run(int argc, char **argv)
{
    run_args a = {0};
    gs_err err = {0};
    gs_game_scenario *sc = NULL;
    gs_game *g = NULL;
    char *command = NULL;
    int status, first;

    gs_game_opts_init(&a.o);
    if ((status = gs__opt_parse(&run_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        goto out;
    if (a.o.policy && !strcmp(a.o.policy, "help")) {
        list_policies(stdout);
        status = GS_EXIT_OK;
        goto out;
    }
    if (!a.scenario) {
        status = gs__usage_error("game run", "--scenario is required");
        goto out;
    }
    if (a.o.policy && !gs_game_policy_find(a.o.policy)) {
        status = gs__usage_error(
            "game run", "unknown game policy '%s' (see 'gpusim game policies')", a.o.policy);
        goto out;
    }
    a.o.params = a.params.v;
    a.o.nparams = a.params.n;
    status = GS_EXIT_FAIL;
    /* a bad --out fails before any work */
    if ((a.out && strcmp(a.out, "-") && gs_outdir_check(a.out, a.force, &err) != GS_OK) ||
        !(sc = load_scenario(a.scenario, &err)) || !(g = gs_game_new(sc, &a.o, &err)) ||
        gs_game_run(g, &err) != GS_OK ||
        !(command = gs__command_line(argc, argv, "gpusim game run")) ||
        write_run(g, a.out, a.force, command, &err) != GS_OK) {
        if (!err.code)
            gs_errorf(&err, GS_ENOMEM, "out of memory");
        gs__fail(&err);
    } else {
        if (!a.quiet)
            human_summary(g);
        status = GS_EXIT_OK;
    }
out:
    free(command);
    gs_game_free(g);
    gs_game_scenario_free(sc);
    gs__params_release(&a.params);
    return gs__finish_stdout(status);
}

/* ---- sweep ---- */

enum {
    RM_FPS_MEAN,
    RM_FPS_P5,
    RM_FPS_MEDIAN,
    RM_FPS_RANGE,
    RM_RTT_MEDIAN,
    RM_DOWN_MEAN,
    RM_MEM_MEDIAN,
    RM_STALLS,
    RM_STALL_S,
    RM_BATTERY,
    RM_ENERGY,
    RM_SESSIONS,
    RM_MIGRATIONS,
    RM_MIG_FAILED,
    RM_RESP_MEDIAN,
    RM_OVER_QOS,
    RM_N
};
static const char *const run_cols[RM_N] = {
    "fps_mean",  "fps_p5",           "fps_median", "fps_range",         "game_rtt_median_ms",
    "down_mbps", "memory_median_gb", "stalls",     "stall_s",           "battery_left_pct",
    "energy_wh", "sessions_lost",    "migrations", "migrations_failed", "response_median_ms",
    "over_qos_s"};

enum {
    PM_START,
    PM_END,
    PM_FPS_MEAN,
    PM_FPS_MEDIAN,
    PM_FPS_MIN,
    PM_FPS_MAX,
    PM_FPS_RANGE,
    PM_RTT_MEDIAN,
    PM_DOWN_MEAN,
    PM_MEM_MEDIAN,
    PM_N
};
static const char *const phase_cols[PM_N] = {
    "start",   "end",       "fps_mean",           "fps_median",     "fps_min",
    "fps_max", "fps_range", "game_rtt_median_ms", "down_mbps_mean", "memory_median_gb"};

static void put(FILE *fp, double v)
{
    char b[64];

    fputc(',', fp);
    if (!isnan(v) && !isinf(v)) {
        gs__fmt_double(b, sizeof(b), v);
        fputs(b, fp);
    }
}

static void run_metrics(const gs_game *g, double *m)
{
    gs_game_totals t;

    gs_game_totals_get(g, &t);
    m[RM_FPS_MEAN] = t.fps.mean;
    m[RM_FPS_P5] = t.fps.p5;
    m[RM_FPS_MEDIAN] = t.fps.median;
    m[RM_FPS_RANGE] = t.fps.max - t.fps.min;
    m[RM_RTT_MEDIAN] = t.game_rtt_ms.median;
    m[RM_DOWN_MEAN] = t.down_mbps.mean;
    m[RM_MEM_MEDIAN] = t.memory_gb.median;
    m[RM_STALLS] = (double)t.stalls;
    m[RM_STALL_S] = t.stall_s;
    m[RM_BATTERY] = t.battery_left_pct;
    m[RM_ENERGY] = t.energy_wh;
    m[RM_SESSIONS] = (double)t.sessions_lost;
    m[RM_MIGRATIONS] = (double)t.migrations;
    m[RM_MIG_FAILED] = (double)t.migrations_failed;
    m[RM_RESP_MEDIAN] = t.response_ms.median;
    m[RM_OVER_QOS] = t.over_qos_s;
}

static void phase_metrics(const gs_game_phase *p, double *m)
{
    m[PM_START] = p->start;
    m[PM_END] = p->end;
    m[PM_FPS_MEAN] = p->fps.mean;
    m[PM_FPS_MEDIAN] = p->fps.median;
    m[PM_FPS_MIN] = p->fps.min;
    m[PM_FPS_MAX] = p->fps.max;
    m[PM_FPS_RANGE] = p->fps.max - p->fps.min;
    m[PM_RTT_MEDIAN] = p->game_rtt_ms.median;
    m[PM_DOWN_MEAN] = p->down_mbps.mean;
    m[PM_MEM_MEDIAN] = p->memory_gb.median;
}

/* Aggregate rows: mean, sd, min, max of each column over the runs collected in vals. */
static int put_aggregates(FILE *fp, const char *policy, const char *phase, const double *vals,
                          size_t nrows, size_t ncols)
{
    static const char *const what[] = {"mean", "sd", "min", "max"};
    double *col = malloc((nrows ? nrows : 1) * sizeof(*col));
    size_t w, j, i;

    if (!col)
        return GS_ENOMEM;
    for (w = 0; w < 4; w++) {
        fprintf(fp, "%s,%s", policy, what[w]);
        if (phase)
            fprintf(fp, ",%s", phase);
        for (j = 0; j < ncols; j++) {
            size_t n = 0;
            double v = NAN;
            for (i = 0; i < nrows; i++)
                if (!isnan(vals[i * ncols + j]))
                    col[n++] = vals[i * ncols + j];
            if (n > 0) {
                gs__sort(col, n);
                v = w == 0   ? gs__mean(col, n)
                    : w == 1 ? gs__sd(col, n)
                    : w == 2 ? col[0]
                             : col[n - 1];
            }
            put(fp, v);
        }
        fputc('\n', fp);
    }
    free(col);
    return GS_OK;
}

/* "N" (seeds 1..N) or "A-B"; at most 10000 seeds. */
typedef struct seed_range {
    uint64_t lo, hi;
} seed_range;

static int parse_seeds(const char *v, void *field, char *why, size_t n)
{
    const char *dash = strchr(v, '-');
    unsigned long long lo = 1, hi;
    seed_range r;
    char buf[64];
    int bad;

    if (!dash) {
        bad = gs__opt_u64(v, &hi) != 0 || hi < 1;
    } else {
        snprintf(buf, sizeof(buf), "%.*s", (int)(dash - v), v);
        bad = (size_t)(dash - v) >= sizeof(buf) || gs__opt_u64(buf, &lo) != 0 ||
              gs__opt_u64(dash + 1, &hi) != 0 || hi < lo;
    }
    if (bad || hi - lo >= 10000) {
        snprintf(why, n, "needs N or A-B (at most 10000 seeds)");
        return -1;
    }
    r.lo = lo;
    r.hi = hi;
    memcpy(field, &r, sizeof(r));
    return 0;
}

typedef struct sweep_args {
    const char *scenario, *policies, *out;
    gs_game_opts o;
    gs__params params;
    seed_range seeds;
    int phases;
} sweep_args;

#define A sweep_args
static const gs__opt sweep_opts[] = {
    OPT_STR("scenario", 's', A, scenario, "NAME|FILE", "the scenario (required)"),
    OPT_STR("policies", 'p', A, policies, "A,B,...", "policies (default: the scenario's)"),
    OPT_CALL("seeds", 0, A, seeds, seed_range, "N|A-B", parse_seeds,
             "seeds 1..N, or A..B, at most 10000 (default 1-5)"),
    OPT_DBL("duration", 0, A, o.duration, "S", 0, 604800, GS__OPT_OPEN_LO,
            "simulate S seconds instead of the scenario's duration, %r"),
    OPT_CALL("param", 0, A, params, gs__params, "KEY=VALUE", gs__opt_param,
             "a policy parameter (repeatable)"),
    OPT_FLAG("phases", 0, A, phases,
             "one row per deployment phase instead of per run, plus\n"
             "a 'delta' row per run: last phase minus first"),
    OPT_STR("out", 'o', A, out, "FILE", "write the CSV atomically to FILE (default: stdout)"),
    OPT_FLAG("check-invariants", 0, A, o.check_invariants,
             "check each run's invariants after every event"),
    OPT_END,
};
#undef A

static const gs__optspec sweep_spec = {
    "game sweep",
    "usage: gpusim game sweep --scenario NAME|FILE [options]\n"
    "\n"
    "Runs every policy with every seed and writes one CSV row per run, then rows with\n"
    "the mean, standard deviation, minimum and maximum over the seeds (seed column\n"
    "'mean', 'sd', 'min', 'max').\n\n",
    sweep_opts,
    NULL,
    0,
};

/* Every name of the comma-separated list is a game policy; a usage error (2) otherwise. */
static int check_policies(const char *list)
{
    char *copy = gs__strdup(list), *save = NULL, *name;
    int rc = 0;

    if (!copy) { /* not a usage error: a run-time failure (1) */
        gs_err err = {0};
        return gs__fail_with(&err, GS_ENOMEM, "out of memory");
    }
    for (name = strtok_r(copy, ",", &save); name && !rc; name = strtok_r(NULL, ",", &save))
        if (!gs_game_policy_find(name))
            rc = gs__usage_error("game sweep",
                                 "unknown game policy '%s' (see 'gpusim game policies')", name);
    free(copy);
    return rc;
}

static void sweep_header(FILE *fp, int phases)
{
    size_t j;

    fputs(phases ? "policy,seed,phase,mode,server,renderer" : "policy,seed", fp);
    for (j = 0; j < (phases ? (size_t)PM_N : (size_t)RM_N); j++)
        fprintf(fp, ",%s", phases ? phase_cols[j] : run_cols[j]);
    fputc('\n', fp);
}

/* One run's row, kept as row r of vals for the aggregates. */
static void run_row(FILE *fp, const gs_game *g, const char *name, uint64_t seed, double *vals)
{
    size_t j;

    run_metrics(g, vals);
    fprintf(fp, "%s,%llu", name, (unsigned long long)seed);
    for (j = 0; j < RM_N; j++)
        put(fp, vals[j]);
    fputc('\n', fp);
}

/* One run's phase rows and its delta row; the first, last and delta phase of seed r are kept in
 * the three blocks of vals (nseeds rows each). */
static void phase_rows(FILE *fp, const gs_game *g, const char *name, uint64_t seed, double *vals,
                       size_t nseeds, size_t r)
{
    size_t np = gs_game_nphases(g), k, j;
    double m[PM_N], first[PM_N], last[PM_N];

    for (k = 0; k < np; k++) {
        const gs_game_phase *p = &gs_game_phases(g)[k];
        phase_metrics(p, m);
        fprintf(fp, "%s,%llu,%zu,%s,%s,%s", name, (unsigned long long)seed, k,
                gs_game_mode_name(gs_game_placement_mode(&p->at)), gs_game_loc_name(p->at.server),
                gs_game_loc_name(p->at.renderer));
        for (j = 0; j < PM_N; j++)
            put(fp, m[j]);
        fputc('\n', fp);
        if (k == 0)
            memcpy(first, m, sizeof(first));
        if (k + 1 == np)
            memcpy(last, m, sizeof(last));
    }
    for (j = 0; j < PM_N; j++) {
        vals[(0 * nseeds + r) * PM_N + j] = np ? first[j] : NAN;
        vals[(1 * nseeds + r) * PM_N + j] = np ? last[j] : NAN;
        vals[(2 * nseeds + r) * PM_N + j] = np > 1 ? last[j] - first[j] : NAN;
    }
    fprintf(fp, "%s,%llu,delta,,,", name, (unsigned long long)seed);
    for (j = 0; j < PM_N; j++)
        put(fp, vals[(2 * nseeds + r) * PM_N + j]);
    fputc('\n', fp);
}

/* Every seed of one policy, then the aggregate rows. */
static int sweep_policy(const sweep_args *a, const gs_game_scenario *sc, const char *name, FILE *fp,
                        double *vals, gs_err *err)
{
    size_t nseeds = (size_t)(a->seeds.hi - a->seeds.lo + 1), r;
    gs_game_opts o = a->o;

    o.policy = name;
    for (r = 0; r < nseeds; r++) {
        gs_game *g;
        o.seed = a->seeds.lo + r;
        if (!(g = gs_game_new(sc, &o, err)) || gs_game_run(g, err) != GS_OK) {
            gs_game_free(g);
            return err->code ? err->code : GS_ENOMEM;
        }
        if (a->phases)
            phase_rows(fp, g, name, o.seed, vals, nseeds, r);
        else
            run_row(fp, g, name, o.seed, vals + r * RM_N);
        gs_game_free(g);
    }
    if (!a->phases ? put_aggregates(fp, name, NULL, vals, nseeds, RM_N) != GS_OK
                   : put_aggregates(fp, name, "first,,,", vals, nseeds, PM_N) != GS_OK ||
                         put_aggregates(fp, name, "last,,,", vals + nseeds * PM_N, nseeds, PM_N) !=
                             GS_OK ||
                         put_aggregates(fp, name, "delta,,,", vals + 2 * nseeds * PM_N, nseeds,
                                        PM_N) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}

/* The whole table into of (opened); every policy of the list. */
static int sweep_write(const sweep_args *a, const gs_game_scenario *sc, const char *list, FILE *fp,
                       gs_err *err)
{
    size_t nseeds = (size_t)(a->seeds.hi - a->seeds.lo + 1);
    /* phases mode keeps first, last and delta per seed */
    double *vals = malloc(nseeds * (a->phases ? 3 * PM_N : RM_N) * sizeof(*vals));
    char *copy = gs__strdup(list), *save = NULL, *name;
    int rc = GS_OK;

    if (!vals || !copy)
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
    sweep_header(fp, a->phases);
    for (name = copy ? strtok_r(copy, ",", &save) : NULL; name && rc == GS_OK;
         name = strtok_r(NULL, ",", &save))
        rc = sweep_policy(a, sc, name, fp, vals, err);
    free(copy);
    free(vals);
    return rc;
}

static int cmd_sweep(int argc, char **argv)
{
    sweep_args a = {.seeds = {1, 5}};
    gs_err err = {0};
    gs_game_scenario *sc = NULL;
    gs_outfile of;
    const char *list;
    int status, first;

    memset(&of, 0, sizeof(of));
    gs_game_opts_init(&a.o);
    if ((status = gs__opt_parse(&sweep_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        goto out;
    if (!a.scenario) {
        status = gs__usage_error("game sweep", "--scenario is required");
        goto out;
    }
    a.o.params = a.params.v;
    a.o.nparams = a.params.n;
    status = GS_EXIT_FAIL;
    if ((a.out && gs_outfile_check(a.out, &err) != GS_OK) ||
        !(sc = load_scenario(a.scenario, &err))) {
        gs__fail(&err);
        goto out;
    }
    list = a.policies ? a.policies : gs_game_scenario_policy(sc);
    if ((status = check_policies(list)) != 0)
        goto out;
    if (gs_outfile_open(&of, a.out ? a.out : "-", &err) != GS_OK ||
        sweep_write(&a, sc, list, of.fp, &err) != GS_OK || gs_outfile_commit(&of, &err) != GS_OK) {
        if (of.fp)
            gs_outfile_abort(&of);
        status = gs__fail(&err);
    }
out:
    gs_game_scenario_free(sc);
    gs__params_release(&a.params);
    return gs__finish_stdout(status);
}

/* ---- validate and policies ---- */

typedef struct validate_args {
    const char *scenario;
} validate_args;

static const gs__opt validate_opts[] = {
    OPT_STR("scenario", 's', validate_args, scenario, "NAME|FILE", "the scenario"),
    OPT_END,
};

static const gs__optspec validate_spec = {
    "game validate",
    "usage: gpusim game validate --scenario NAME|FILE\n\n"
    "Loads and checks a game scenario (and its link traces); prints what it holds, or the\n"
    "first error with its file, line and field.\n\n",
    validate_opts,
    NULL,
    1,
};

static int cmd_validate(int argc, char **argv)
{
    validate_args a = {0};
    gs_game_scenario *sc;
    gs_err err = {0};
    int status, first;

    if ((status = gs__opt_parse(&validate_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (first < argc) {
        if (a.scenario)
            return gs__usage_error("game validate", "unexpected argument '%s'", argv[first]);
        a.scenario = argv[first];
    }
    if (!a.scenario)
        return gs__usage_error("game validate", "--scenario is required");
    if (!(sc = load_scenario(a.scenario, &err))) {
        gs__fail(&err);
        return gs__finish_stdout(GS_EXIT_FAIL);
    }
    printf("scenario '%s' (%s): %.1f s, %s edge node, default policy %s, %zu input file(s)\n",
           gs_game_scenario_name(sc), gs_game_scenario_input(sc, 0), gs_game_scenario_duration(sc),
           gs_game_scenario_has_edge(sc) ? "with an" : "without an", gs_game_scenario_policy(sc),
           gs_game_scenario_ninputs(sc));
    gs_game_scenario_free(sc);
    return gs__finish_stdout(GS_EXIT_OK);
}

static const gs__opt no_opts[] = {OPT_END};

static const gs__optspec policies_spec = {
    "game policies",
    "usage: gpusim game policies\n\nLists the game policies and what they do.\n\n",
    no_opts,
    NULL,
    0,
};

static int cmd_policies(int argc, char **argv)
{
    int unused = 0, status, first;

    if ((status = gs__opt_parse(&policies_spec, &unused, argc, argv, &first)) != GS__OPT_GO)
        return status;
    list_policies(stdout);
    return gs__finish_stdout(GS_EXIT_OK);
}

int gs__cmd_game(int argc, char **argv)
{
    static const struct {
        const char *name;
        gs__cmd_fn fn;
    } sub[] = {
        {"run", cmd_run},
        {"sweep", cmd_sweep},
        {"validate", cmd_validate},
        {"policies", cmd_policies},
    };
    size_t i;

    if (argc < 2)
        return gs__usage_error("game", "no command given (run, sweep, validate, policies)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        game_usage(stdout);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
        if (!strcmp(argv[1], sub[i].name))
            return sub[i].fn(argc - 1, argv + 1);
    return gs__usage_error("game", "unknown command '%s' (run, sweep, validate, policies)",
                           argv[1]);
}
