/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim game`: run, sweep, validate and list the game-offload policies. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/game.h"
#include "gpusim/io.h"
#include "rng_int.h"
#include "util_int.h"

#define MAX_PARAMS 64

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

static void run_usage(FILE *fp)
{
    fprintf(fp,
            "usage: gpusim game run --scenario NAME|FILE [options]\n"
            "\n"
            "Simulates one scenario (configs/game/<NAME>.json or a file) on the event engine.\n"
            "\n"
            "  -s, --scenario NAME|FILE  the scenario (required)\n"
            "  -p, --policy NAME         game policy (default: the scenario's; 'help' lists "
            "them)\n"
            "      --seed N              seed of every random draw (default 1)\n"
            "      --duration S          simulate S seconds instead of the scenario's duration\n"
            "      --param KEY=VALUE     a policy parameter (repeatable; overrides the "
            "scenario)\n"
            "  -o, --out DIR             write timeseries.csv, migrations.csv and summary.json\n"
            "                            into DIR atomically (default: summary.json on stdout)\n"
            "  -f, --force               replace an existing DIR\n"
            "  -q, --quiet               no summary on stderr\n"
            "      --check-invariants    after every event, check that time never goes back,\n"
            "                            the placement is legal, the battery stays in [0, 100] %%\n"
            "                            and accumulated counts never decrease\n"
            "  -h, --help                show this help\n"
            "\n"
            "Exit status: 0 success, 1 bad input or run-time error, 2 usage error.\n");
}

static void sweep_usage(FILE *fp)
{
    fprintf(fp,
            "usage: gpusim game sweep --scenario NAME|FILE [options]\n"
            "\n"
            "Runs every policy with every seed and writes one CSV row per run, then rows with\n"
            "the mean, standard deviation, minimum and maximum over the seeds (seed column\n"
            "'mean', 'sd', 'min', 'max').\n"
            "\n"
            "  -s, --scenario NAME|FILE  the scenario (required)\n"
            "  -p, --policies A,B,...    policies (default: the scenario's)\n"
            "      --seeds N|A-B         seeds 1..N, or A..B (default 1-5)\n"
            "      --duration S          simulate S seconds instead of the scenario's duration\n"
            "      --param KEY=VALUE     a policy parameter (repeatable)\n"
            "      --phases              one row per deployment phase instead of per run, plus\n"
            "                            a 'delta' row per run: last phase minus first\n"
            "  -o, --out FILE            write the CSV atomically to FILE (default: stdout)\n"
            "      --check-invariants    check the run's invariants after every event\n"
            "  -h, --help                show this help\n");
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

/* Options shared by run and sweep. Returns 0, or an exit status when parsing must stop. */
typedef struct common {
    const char *scenario, *policy, *out;
    gs_game_opts o;
    const char *params[MAX_PARAMS];
    size_t nparams;
} common;

static int parse_param(common *c, const char *cmd, const char *v)
{
    if (c->nparams == MAX_PARAMS)
        return gs__usage_error(cmd, "too many --param options (at most %d)", MAX_PARAMS);
    if (!strchr(v, '=') || *v == '=')
        return gs__usage_error(cmd, "--param needs KEY=VALUE, got '%s'", v);
    c->params[c->nparams++] = v;
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenario", required_argument, NULL, 's'}, {"policy", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 'S'},     {"duration", required_argument, NULL, 'D'},
        {"param", required_argument, NULL, 'P'},    {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},          {"quiet", no_argument, NULL, 'q'},
        {"check-invariants", no_argument, NULL, 'I'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    common c;
    gs_err err = {0};
    gs_game_scenario *sc = NULL;
    gs_game *g = NULL;
    char *command = NULL;
    int ch, force = 0, quiet = 0, status = GS_EXIT_FAIL, rc;
    unsigned long long seed;

    memset(&c, 0, sizeof(c));
    gs_game_opts_init(&c.o);
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":s:p:o:fqh", longopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            c.scenario = optarg;
            break;
        case 'p':
            c.policy = optarg;
            break;
        case 'S':
            if (gs__opt_u64(optarg, &seed) != 0)
                return gs__usage_error("game run", "--seed needs a non-negative integer, got '%s'",
                                       optarg);
            c.o.seed = seed;
            break;
        case 'D':
            if (gs__opt_double(optarg, &c.o.duration) != 0 || !(c.o.duration >= 1) ||
                c.o.duration > 1e7)
                return gs__usage_error("game run", "--duration needs seconds in [1, 1e7], got '%s'",
                                       optarg);
            break;
        case 'P':
            if ((rc = parse_param(&c, "game run", optarg)) != 0)
                return rc;
            break;
        case 'o':
            c.out = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'I':
            c.o.check_invariants = 1;
            break;
        case 'h':
            run_usage(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("game run", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("game run", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs__usage_error("game run", "unexpected argument '%s'", argv[optind]);
    if (c.policy && !strcmp(c.policy, "help")) {
        list_policies(stdout);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (c.policy && !gs_game_policy_find(c.policy))
        return gs__usage_error("game run", "unknown game policy '%s' (see 'gpusim game policies')",
                               c.policy);
    if (!c.scenario)
        return gs__usage_error("game run", "--scenario is required");
    c.o.policy = c.policy;
    c.o.params = c.params;
    c.o.nparams = c.nparams;
    if ((c.out && strcmp(c.out, "-") && gs_outdir_check(c.out, force, &err) != GS_OK) ||
        !(sc = load_scenario(c.scenario, &err)) || !(g = gs_game_new(sc, &c.o, &err)) ||
        gs_game_run(g, &err) != GS_OK)
        goto out;
    if (!(command = gs__command_line(argc, argv, "gpusim game run"))) {
        gs_errorf(&err, GS_ENOMEM, "out of memory");
        goto out;
    }
    if (write_run(g, c.out, force, command, &err) != GS_OK)
        goto out;
    if (!quiet)
        human_summary(g);
    status = GS_EXIT_OK;
out:
    if (status != GS_EXIT_OK) {
        if (!err.code)
            gs_errorf(&err, GS_ENOMEM, "out of memory");
        gs__fail(&err);
    }
    free(command);
    gs_game_free(g);
    gs_game_scenario_free(sc);
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

static int parse_seeds(const char *s, unsigned long long *lo, unsigned long long *hi)
{
    const char *dash = strchr(s, '-');
    char buf[64];

    if (!dash) {
        *lo = 1;
        return gs__opt_u64(s, hi) != 0 || *hi < 1 ? -1 : 0;
    }
    if ((size_t)(dash - s) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%.*s", (int)(dash - s), s);
    if (gs__opt_u64(buf, lo) != 0 || gs__opt_u64(dash + 1, hi) != 0 || *hi < *lo)
        return -1;
    return 0;
}

static int cmd_sweep(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"policies", required_argument, NULL, 'p'},
        {"seeds", required_argument, NULL, 'S'},
        {"duration", required_argument, NULL, 'D'},
        {"param", required_argument, NULL, 'P'},
        {"phases", no_argument, NULL, 'F'},
        {"out", required_argument, NULL, 'o'},
        {"check-invariants", no_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    common c;
    gs_err err = {0};
    gs_game_scenario *sc = NULL;
    gs_outfile of;
    int ch, rc, phases = 0, status = GS_EXIT_FAIL, opened = 0;
    unsigned long long lo = 1, hi = 5, seed;
    char *policies = NULL, *save = NULL, *name;
    const char *polarg = NULL;
    double *vals = NULL;

    memset(&c, 0, sizeof(c));
    gs_game_opts_init(&c.o);
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":s:p:o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            c.scenario = optarg;
            break;
        case 'p':
            polarg = optarg;
            break;
        case 'S':
            if (parse_seeds(optarg, &lo, &hi) != 0 || hi - lo >= 10000)
                return gs__usage_error(
                    "game sweep", "--seeds needs N or A-B (at most 10000 seeds), got '%s'", optarg);
            break;
        case 'D':
            if (gs__opt_double(optarg, &c.o.duration) != 0 || !(c.o.duration >= 1) ||
                c.o.duration > 1e7)
                return gs__usage_error("game sweep",
                                       "--duration needs seconds in [1, 1e7], got '%s'",
                                       optarg);
            break;
        case 'P':
            if ((rc = parse_param(&c, "game sweep", optarg)) != 0)
                return rc;
            break;
        case 'F':
            phases = 1;
            break;
        case 'I':
            c.o.check_invariants = 1;
            break;
        case 'o':
            c.out = optarg;
            break;
        case 'h':
            sweep_usage(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("game sweep", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("game sweep", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs__usage_error("game sweep", "unexpected argument '%s'", argv[optind]);
    if (!c.scenario)
        return gs__usage_error("game sweep", "--scenario is required");
    if ((c.out && gs_outfile_check(c.out, &err) != GS_OK) || !(sc = load_scenario(c.scenario, &err)))
        goto out;
    if (!(policies = gs__strdup(polarg ? polarg : gs_game_scenario_policy(sc))))
        goto out;
    for (name = strtok_r(policies, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (!gs_game_policy_find(name)) {
            int st = gs__usage_error("game sweep",
                                     "unknown game policy '%s' (see 'gpusim game policies')", name);
            gs_game_scenario_free(sc);
            free(policies);
            return st;
        }
    free(policies);
    if (!(policies = gs__strdup(polarg ? polarg : gs_game_scenario_policy(sc))))
        goto out;
    if (gs_outfile_open(&of, c.out ? c.out : "-", &err) != GS_OK)
        goto out;
    opened = 1;
    if (phases) {
        size_t j;
        fputs("policy,seed,phase,mode,server,renderer", of.fp);
        for (j = 0; j < PM_N; j++)
            fprintf(of.fp, ",%s", phase_cols[j]);
    } else {
        size_t j;
        fputs("policy,seed", of.fp);
        for (j = 0; j < RM_N; j++)
            fprintf(of.fp, ",%s", run_cols[j]);
    }
    fputc('\n', of.fp);
    c.o.params = c.params;
    c.o.nparams = c.nparams;
    {
        size_t nseeds = (size_t)(hi - lo + 1), ncols = phases ? PM_N : RM_N;
        /* phases mode keeps first, last and delta per seed */
        size_t per = phases ? 3 : 1;
        if (!(vals = malloc(nseeds * per * ncols * sizeof(*vals))))
            goto out;
        for (name = strtok_r(policies, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
            size_t r = 0, j;
            for (seed = lo; seed <= hi; seed++, r++) {
                gs_game *g;
                double m[(int)RM_N > (int)PM_N ? (int)RM_N : (int)PM_N];
                c.o.policy = name;
                c.o.seed = seed;
                if (!(g = gs_game_new(sc, &c.o, &err)) || gs_game_run(g, &err) != GS_OK) {
                    gs_game_free(g);
                    goto out;
                }
                if (!phases) {
                    run_metrics(g, m);
                    fprintf(of.fp, "%s,%llu", name, seed);
                    for (j = 0; j < RM_N; j++) {
                        put(of.fp, m[j]);
                        vals[r * ncols + j] = m[j];
                    }
                    fputc('\n', of.fp);
                } else {
                    size_t np = gs_game_nphases(g), k;
                    double first[PM_N], last[PM_N];
                    for (k = 0; k < np; k++) {
                        const gs_game_phase *p = &gs_game_phases(g)[k];
                        phase_metrics(p, m);
                        fprintf(of.fp, "%s,%llu,%zu,%s,%s,%s", name, seed, k,
                                gs_game_mode_name(gs_game_placement_mode(&p->at)),
                                gs_game_loc_name(p->at.server), gs_game_loc_name(p->at.renderer));
                        for (j = 0; j < PM_N; j++)
                            put(of.fp, m[j]);
                        fputc('\n', of.fp);
                        if (k == 0)
                            memcpy(first, m, sizeof(first));
                        if (k + 1 == np)
                            memcpy(last, m, sizeof(last));
                    }
                    for (j = 0; j < PM_N; j++) {
                        vals[(0 * nseeds + r) * ncols + j] = np ? first[j] : NAN;
                        vals[(1 * nseeds + r) * ncols + j] = np ? last[j] : NAN;
                        vals[(2 * nseeds + r) * ncols + j] = np > 1 ? last[j] - first[j] : NAN;
                    }
                    fprintf(of.fp, "%s,%llu,delta,,,", name, seed);
                    for (j = 0; j < PM_N; j++)
                        put(of.fp, vals[(2 * nseeds + r) * ncols + j]);
                    fputc('\n', of.fp);
                }
                gs_game_free(g);
            }
            if (!phases ? put_aggregates(of.fp, name, NULL, vals, nseeds, ncols) != GS_OK
                        : put_aggregates(of.fp, name, "first,,,", vals, nseeds, ncols) != GS_OK ||
                              put_aggregates(of.fp, name, "last,,,", vals + nseeds * ncols,
                                             nseeds, ncols) != GS_OK ||
                              put_aggregates(of.fp, name, "delta,,,", vals + 2 * nseeds * ncols,
                                             nseeds, ncols) != GS_OK) {
                gs_errorf(&err, GS_ENOMEM, "out of memory");
                goto out;
            }
        }
    }
    if (gs_outfile_commit(&of, &err) != GS_OK) {
        opened = 0;
        goto out;
    }
    opened = 0;
    status = GS_EXIT_OK;
out:
    if (opened)
        gs_outfile_abort(&of);
    if (status != GS_EXIT_OK) {
        if (!err.code)
            gs_errorf(&err, GS_ENOMEM, "out of memory");
        gs__fail(&err);
    }
    free(vals);
    free(policies);
    gs_game_scenario_free(sc);
    return gs__finish_stdout(status);
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *scen = NULL;
    gs_game_scenario *sc;
    gs_err err = {0};
    int ch;

    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            scen = optarg;
            break;
        case 'h':
            printf("usage: gpusim game validate --scenario NAME|FILE\n\n"
                   "Loads and checks a game scenario (and its link traces); prints what it "
                   "holds, or the\nfirst error with its file, line and field.\n");
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("game validate", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("game validate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc && !scen)
        scen = argv[optind++];
    if (optind < argc)
        return gs__usage_error("game validate", "unexpected argument '%s'", argv[optind]);
    if (!scen)
        return gs__usage_error("game validate", "--scenario is required");
    if (!(sc = load_scenario(scen, &err))) {
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

static int cmd_policies(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: gpusim game policies\n\nLists the game policies and what they do.\n");
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (argc > 1)
        return gs__usage_error("game policies", "unexpected argument '%s'", argv[1]);
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
