/* SPDX-License-Identifier: Apache-2.0 */
/* Game offload: scenario validation, the event model, migrations, sessions, policies, and the
 * CLOUDSTARS D2.1 report's Figure 5 reproduced from the simulation's own samples over 20 seeds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/game.h"
#include "gpusim/io.h"
#include "testutil.h"

/* ---- helpers ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double mean_of(const double *v, size_t n)
{
    double s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += v[i];
    return n ? s / (double)n : NAN;
}

/* Median, numpy-style (average of the middle two), of a copy of v. */
static double median_of(const double *v, size_t n)
{
    double *a = malloc(n * sizeof(*a)), m;

    ck_assert_ptr_nonnull(a);
    memcpy(a, v, n * sizeof(*a));
    qsort(a, n, sizeof(*a), cmp_double);
    m = n % 2 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    free(a);
    return m;
}

static double range_of(const double *v, size_t n)
{
    double lo = INFINITY, hi = -INFINITY;
    size_t i;

    for (i = 0; i < n; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    return hi - lo;
}

static double sd_of(const double *v, size_t n)
{
    double m = mean_of(v, n), s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return n > 1 ? sqrt(s / (double)(n - 1)) : 0;
}

static gs_game_scenario *load_text(const char *text, char **path_out)
{
    char *path = gs_test_tmpfile(text, ".json");
    gs_err err = {0};
    gs_game_scenario *sc = gs_game_scenario_load(path, &err);

    if (!sc)
        fprintf(stderr, "unexpected error: %s\n", err.msg);
    ck_assert_ptr_nonnull(sc);
    if (path_out) {
        *path_out = path;
    } else {
        remove(path); /* the scenario keeps what it read */
        free(path);
    }
    return sc;
}

static gs_game *run_game(const gs_game_scenario *sc, const char *policy, uint64_t seed)
{
    gs_game_opts o;
    gs_err err = {0};
    gs_game *g;

    gs_game_opts_init(&o);
    o.policy = policy;
    o.seed = seed;
    g = gs_game_new(sc, &o, &err);
    if (!g)
        fprintf(stderr, "gs_game_new: %s\n", err.msg);
    ck_assert_ptr_nonnull(g);
    if (gs_game_run(g, &err) != GS_OK)
        fprintf(stderr, "gs_game_run: %s\n", err.msg);
    ck_assert_int_eq(err.code, GS_OK);
    return g;
}

/* A small scenario: device + cloud, 40 s, with room for extra link and top-level fields. */
#define SMALL_FMT                                                                                  \
    "{\"schema_version\": 1, \"name\": \"small\", \"duration_s\": 40,\n"                           \
    " \"nodes\": {\"device\": {\"power\": [{\"t\": 0, \"source\": \"docked\"}]},\n"                \
    "            \"cloud\": {}},\n"                                                                \
    " \"links\": {\"device-cloud\": {\"down_mbps\": 50, \"latency_ms\": 5%s}},\n"                  \
    " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\",\n"               \
    "                            \"renderer\": \"device\"}}%s}\n"

static char *small_scenario(const char *link_extra, const char *top_extra)
{
    size_t n = strlen(SMALL_FMT) + strlen(link_extra) + strlen(top_extra) + 1;
    char *s = malloc(n);

    ck_assert_ptr_nonnull(s);
    snprintf(s, n, SMALL_FMT, link_extra, top_extra);
    return s;
}

/* ---- registry ---- */

START_TEST(test_registry)
{
    size_t i, j, n = gs_game_policy_count();
    static const char *const want[] = {"static-local", "static-edge", "static-cloud", "scripted",
                                       "adaptive"};

    ck_assert_uint_ge(n, 5);
    for (i = 0; i < n; i++) {
        const gs_game_policy_ops *p = gs_game_policy_at(i);
        ck_assert_int_eq(p->abi, GS_GAME_POLICY_ABI);
        ck_assert_ptr_nonnull(p->name);
        ck_assert_ptr_nonnull(p->summary);
        ck_assert(p->init != NULL);
        ck_assert(p->initial != NULL);
        ck_assert(p->decide != NULL);
        ck_assert(p->destroy != NULL);
        ck_assert_ptr_eq(gs_game_policy_find(p->name), p);
        for (j = 0; j < i; j++)
            ck_assert_str_ne(gs_game_policy_at(j)->name, p->name);
    }
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_ptr_nonnull(gs_game_policy_find(want[i]));
    ck_assert_ptr_null(gs_game_policy_find("nope"));
    ck_assert_ptr_null(gs_game_policy_at(n));
}
END_TEST

/* ---- scenario validation: every error names the file, the line and the field ---- */

typedef struct bad_case {
    const char *link_extra, *top_extra;
    const char *want[3]; /* substrings of the message */
} bad_case;

static const bad_case bad_cases[] = {
    {", \"loss\": 2", "", {"line 4", "field 'links.device-cloud.loss'", "out of range"}},
    {", \"jitter\": 1", "", {"line 4", "links.device-cloud.jitter", "unknown field"}},
    {"", ", \"durations_s\": 5", {"line 6", "field 'durations_s'", "unknown field"}},
    {", \"radio\": \"carrier-pigeon\"", "", {"line 4", "links.device-cloud.radio", "wifi"}},
    {", \"changes\": [{\"t\": 10, \"up\": false}, {\"t\": 5, \"up\": true}]",
     "",
     {"line 4", "links.device-cloud.changes[1].t", "must not decrease"}},
    {", \"changes\": [{\"t\": 10}]", "", {"links.device-cloud.changes[0]", "at least one", NULL}},
    {", \"changes\": [{\"t\": 99, \"up\": false}]",
     "",
     {"links.device-cloud.changes[0].t", "out of range", NULL}},
    {"", ", \"policy\": {\"name\": \"magic\"}", {"line 6", "field 'policy.name'", "magic"}},
    {"",
     ", \"actions\": [{\"t\": 5, \"placement\": {\"client\": \"cloud\"}}]",
     {"actions[0].placement", "move together", NULL}},
    {"",
     ", \"actions\": [{\"t\": 5, \"placement\": {\"renderer\": \"edge\", \"client\": \"edge\"}}]",
     {"actions[0].placement.client", "no 'edge' node", NULL}},
    {"",
     ", \"world\": {\"tick_rate\": 20, \"net_tick_rate\": 60}",
     {"world.net_tick_rate", "exceeds", NULL}},
    {"",
     ", \"world\": {\"load\": [{\"t\": 0, \"level\": -1}]}",
     {"world.load[0].level", "out of range", NULL}},
    {"",
     ", \"session\": {\"timeout_s\": \"long\"}",
     {"line 6", "session.timeout_s", "expected a number"}},
};

START_TEST(test_bad_scenarios)
{
    const bad_case *c = &bad_cases[_i];
    char *text = small_scenario(c->link_extra, c->top_extra);
    char *path = gs_test_tmpfile(text, ".json");
    gs_err err = {0};
    gs_game_scenario *sc = gs_game_scenario_load(path, &err);
    int k;

    ck_assert_ptr_null(sc);
    ck_assert_int_ne(err.code, GS_OK);
    ck_assert_msg(strstr(err.msg, path) != NULL, "message lacks the file: %s", err.msg);
    for (k = 0; k < 3; k++)
        if (c->want[k])
            ck_assert_msg(strstr(err.msg, c->want[k]) != NULL, "case %d: '%s' not in: %s", _i,
                          c->want[k], err.msg);
    remove(path);
    free(path);
    free(text);
}
END_TEST

START_TEST(test_bad_structure)
{
    static const struct {
        const char *text, *want1, *want2;
    } cases[] = {
        {"{\"schema_version\": 1, \"name\": \"x\",\n \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{}, \"cloud\": {}},\n \"links\": {\"device-cloud\": {}}}\n",
         "missing required field 'components'", "line 1"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{}, \"cloud\": {}},\n \"links\": {\"device-cloud\": {}, \"device-edge\": {}},\n"
         " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "
         "\"renderer\": \"device\"}}}\n",
         "links.device-edge", "does not have"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{}, \"cloud\": {}},\n \"links\": {},\n"
         " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "
         "\"renderer\": \"device\"}}}\n",
         "missing required field 'device-cloud'", "line 3"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{}, \"cloud\": {}},\n \"links\": {\"device-cloud\": {}},\n"
         " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"cloud\",\n"
         "   \"renderer\": \"device\"}}}\n",
         "components.start", "same node"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{\"power\": [{\"t\": 0, \"source\": \"solar\"}]}, \"cloud\": {}},\n",
         "line 3", "malformed JSON"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{\"power\": [{\"t\": 0, \"source\": \"solar\"}]}, \"cloud\": {}},\n \"links\": "
         "{\"device-cloud\": {}},\n \"components\": {\"start\": {\"server\": \"cloud\", "
         "\"client\": \"device\", \"renderer\": \"device\"}}}\n",
         "nodes.device.power[0].source", "solar"},
        {"{\"schema_version\": 1, \"name\": \"x\", \"duration_s\": 10,\n \"nodes\": {\"device\": "
         "{\"power\": [{\"t\": 0, \"source\": \"battery\", \"battery_pct\": 50, "
         "\"battery_drop_pct\": 10}]},\n \"cloud\": {}}, \"links\": {\"device-cloud\": {}},\n"
         " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "
         "\"renderer\": \"device\"}}}\n",
         "nodes.device.power[0]", "not both"},
        {"{\"schema_version\": 7, \"name\": \"x\"}\n", "schema_version", "newer"},
    };
    char *path = gs_test_tmpfile(cases[_i].text, ".json");
    gs_err err = {0};

    ck_assert_ptr_null(gs_game_scenario_load(path, &err));
    ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, cases[_i].want1) &&
                      strstr(err.msg, cases[_i].want2),
                  "case %d: %s", _i, err.msg);
    remove(path);
    free(path);
}
END_TEST

/* Link traces: errors name the CSV file, its line and its column. */
START_TEST(test_bad_trace)
{
    static const struct {
        const char *csv, *want1, *want2;
    } cases[] = {
        {"t,down_mbps,loss\n1,20,0.01\n2,20,1.5\n", "line 3", "field 'loss'"},
        {"t,down_mbps,bandwidth\n1,20,3\n", "line 1", "unknown column 'bandwidth'"},
        {"down_mbps\n20\n", "line 1", "'t'"},
        {"t,down_mbps\n5,20\n2,10\n", "line 3", "must not decrease"},
        {"t,up\n5,maybe\n", "line 2", "field 'up'"},
        {"t,down_mbps\n5,-3\n", "line 2", "bandwidth in [0.001, 1e6]"},
        {"t,latency_ms\n5,1e300\n", "line 2", "latency in [0, 1e5]"},
        {"t,down_mbps\n500,3\n", "line 2", "duration"},
    };
    char *csv = gs_test_tmpfile(cases[_i].csv, ".csv");
    char link[512], *text, *path;
    gs_err err = {0};

    snprintf(link, sizeof(link), ", \"trace\": \"%s\"", csv);
    text = small_scenario(link, "");
    path = gs_test_tmpfile(text, ".json");
    ck_assert_ptr_null(gs_game_scenario_load(path, &err));
    ck_assert_msg(strstr(err.msg, csv) && strstr(err.msg, cases[_i].want1) &&
                      strstr(err.msg, cases[_i].want2),
                  "case %d: %s", _i, err.msg);
    remove(csv);
    remove(path);
    free(csv);
    free(path);
    free(text);
}
END_TEST

START_TEST(test_missing_trace)
{
    char *text = small_scenario(", \"trace\": \"no-such-trace.csv\"", "");
    char *path = gs_test_tmpfile(text, ".json");
    gs_err err = {0};

    ck_assert_ptr_null(gs_game_scenario_load(path, &err));
    ck_assert_msg(strstr(err.msg, "links.device-cloud.trace") && strstr(err.msg, "no-such-trace"),
                  "%s", err.msg);
    remove(path);
    free(path);
    free(text);
}
END_TEST

START_TEST(test_shipped_scenarios_load)
{
    static const char *const names[] = {"configs/game/figure5.json", "configs/game/trip.json"};
    size_t i;

    for (i = 0; i < 2; i++) {
        gs_err err = {0};
        gs_game_scenario *sc = gs_game_scenario_load(gs_test_src(names[i]), &err);
        ck_assert_msg(sc != NULL, "%s: %s", names[i], err.msg);
        ck_assert_double_gt(gs_game_scenario_duration(sc), 0);
        if (i == 1) {
            ck_assert(gs_game_scenario_has_edge(sc));
            ck_assert_uint_eq(gs_game_scenario_ninputs(sc), 2); /* the JSON and its CSV trace */
            ck_assert(strstr(gs_game_scenario_input(sc, 1), "trip_access.csv") != NULL);
        }
        gs_game_scenario_free(sc);
    }
}
END_TEST

/* ---- run-time errors ---- */

START_TEST(test_bad_policy_choices)
{
    char *text = small_scenario("", "");
    gs_game_scenario *sc = load_text(text, NULL);
    gs_game_opts o;
    gs_err err = {0};
    const char *unknown[] = {"fps_lo=20"}, *garbled[] = {"hold_s=abc"};
    const char *inconsistent[] = {"bw_in=1.0", "bw_out=2.0"};

    gs_game_opts_init(&o);
    o.policy = "adaptive";
    o.params = unknown;
    o.nparams = 1;
    ck_assert_ptr_null(gs_game_new(sc, &o, &err));
    ck_assert_msg(strstr(err.msg, "adaptive") && strstr(err.msg, "fps_lo"), "%s", err.msg);
    gs_err_clear(&err);
    o.params = inconsistent;
    o.nparams = 2;
    ck_assert_ptr_null(gs_game_new(sc, &o, &err));
    ck_assert_msg(strstr(err.msg, "bw_out <= bw_in"), "%s", err.msg);
    gs_err_clear(&err);
    o.params = garbled;
    o.nparams = 1;
    ck_assert_ptr_null(gs_game_new(sc, &o, &err));
    ck_assert_msg(strstr(err.msg, "hold_s=abc"), "%s", err.msg);
    gs_err_clear(&err);
    o.params = NULL;
    o.nparams = 0;
    o.policy = "static-edge"; /* the scenario has no edge */
    ck_assert_ptr_null(gs_game_new(sc, &o, &err));
    ck_assert_msg(strstr(err.msg, "no edge"), "%s", err.msg);
    gs_err_clear(&err);
    o.policy = "warp-drive";
    ck_assert_ptr_null(gs_game_new(sc, &o, &err));
    ck_assert_msg(strstr(err.msg, "warp-drive") && strstr(err.msg, "static-local"), "%s", err.msg);
    gs_game_scenario_free(sc);
    free(text);
}
END_TEST

/* ---- the model runs as events ---- */

/* Snapshots leave once per network tick: halving the network tick rate halves the device's
 * downlink in client-server mode, and the engine fires fewer events. */
START_TEST(test_snapshot_rate_drives_bandwidth)
{
    char *t60 = small_scenario("", "");
    char *t30 = small_scenario("", ", \"world\": {\"net_tick_rate\": 30}");
    gs_game_scenario *a = load_text(t60, NULL), *b = load_text(t30, NULL);
    gs_game *ga = run_game(a, "static-local", 3), *gb = run_game(b, "static-local", 3);
    gs_game_totals ta, tb;

    gs_game_totals_get(ga, &ta);
    gs_game_totals_get(gb, &tb);
    ck_assert_double_gt(ta.down_mbps.mean, 0.9);
    ck_assert_double_eq_tol(tb.down_mbps.mean / ta.down_mbps.mean, 0.5, 0.05);
    ck_assert_uint_gt(ta.events, tb.events);
    /* and the samples add up to the totals: frames shown = sum of fps x window */
    {
        const gs_game_sample *s = gs_game_samples(ga);
        double frames = 0;
        size_t i;
        for (i = 0; i < gs_game_nsamples(ga); i++)
            frames += s[i].fps * 0.5;
        ck_assert_double_eq_tol(frames, ta.frames_shown, 0.5);
        ck_assert_uint_eq(gs_game_nsamples(ga), 80); /* 40 s / 0.5 s */
    }
    gs_game_free(ga);
    gs_game_free(gb);
    gs_game_scenario_free(a);
    gs_game_scenario_free(b);
    free(t60);
    free(t30);
}
END_TEST

/* Same scenario and seed: byte-identical outputs; another seed: different ones. */
START_TEST(test_deterministic)
{
    gs_game_scenario *sc;
    gs_err err = {0};
    char *out[3];
    int i;

    sc = gs_game_scenario_load(gs_test_src("configs/game/figure5.json"), &err);
    ck_assert_ptr_nonnull(sc);
    for (i = 0; i < 3; i++) {
        gs_game *g = run_game(sc, NULL, i < 2 ? 7 : 8);
        char *dir = gs_test_tmpdir(), path[600];
        FILE *fp;
        snprintf(path, sizeof(path), "%s/ts.csv", dir);
        fp = fopen(path, "w");
        ck_assert_ptr_nonnull(fp);
        ck_assert_int_eq(gs_game_write_timeseries(g, fp, &err), GS_OK);
        ck_assert_int_eq(gs_game_write_migrations(g, fp, &err), GS_OK);
        {
            char *sum = gs_game_summary_json(g, "cmd", &err);
            ck_assert_ptr_nonnull(sum);
            fputs(sum, fp);
            free(sum);
        }
        fclose(fp);
        out[i] = gs_test_slurp(path);
        ck_assert_ptr_nonnull(out[i]);
        gs_rmtree(dir);
        free(dir);
        gs_game_free(g);
    }
    ck_assert_str_eq(out[0], out[1]);
    ck_assert_str_ne(out[0], out[2]);
    for (i = 0; i < 3; i++)
        free(out[i]);
    gs_game_scenario_free(sc);
}
END_TEST

/* ---- the CLOUDSTARS D2.1 report's Figure 5 ---- */

enum { F_RANGE_B, F_DMEAN, F_RANGE_A, F_MEM_B, F_MEM_A, F_BW_B, F_BW_A, F_DRTT, F_N };

/* Computes the eight Figure-5 quantities of one seed from the monitor samples alone. */
static void figure5_seed(const gs_game_scenario *sc, uint64_t seed, double *r)
{
    gs_game *g = run_game(sc, NULL, seed);
    const gs_game_sample *s = gs_game_samples(g);
    size_t n = gs_game_nsamples(g), i, nb = 0, na = 0, rb = 0, ra = 0;
    double *fb = malloc(n * sizeof(double)), *fa = malloc(n * sizeof(double));
    double *mb = malloc(n * sizeof(double)), *ma = malloc(n * sizeof(double));
    double *bb = malloc(n * sizeof(double)), *ba = malloc(n * sizeof(double));
    double *tb = malloc(n * sizeof(double)), *ta = malloc(n * sizeof(double));
    const gs_game_migration *m = gs_game_migrations(g);

    /* one switch, local rendering to streaming from the cloud, at the scripted 30 s */
    ck_assert_uint_eq(gs_game_nmigrations(g), 1);
    ck_assert(m[0].ok);
    ck_assert_double_eq_tol(m[0].start, 30, 1e-9);
    ck_assert_int_eq(m[0].from.renderer, GS_GAME_DEVICE);
    ck_assert_int_eq(m[0].to.renderer, GS_GAME_CLOUD);
    for (i = 0; i < n; i++) {
        if (s[i].migrating)
            continue;
        if (s[i].at.renderer == GS_GAME_DEVICE) {
            ck_assert_double_lt(s[i].t, 30.0 + 1e-9);
            fb[nb] = s[i].fps;
            mb[nb] = s[i].memory_gb;
            bb[nb++] = s[i].down_mbps;
            if (!isnan(s[i].game_rtt_ms))
                tb[rb++] = s[i].game_rtt_ms;
        } else {
            ck_assert_double_gt(s[i].t, 30.0);
            fa[na] = s[i].fps;
            ma[na] = s[i].memory_gb;
            ba[na++] = s[i].down_mbps;
            if (!isnan(s[i].game_rtt_ms))
                ta[ra++] = s[i].game_rtt_ms;
        }
    }
    ck_assert_uint_ge(nb, 50);
    ck_assert_uint_ge(na, 50);
    ck_assert_uint_ge(rb, 50);
    ck_assert_uint_ge(ra, 50);
    r[F_RANGE_B] = range_of(fb, nb);
    r[F_DMEAN] = mean_of(fa, na) - mean_of(fb, nb);
    r[F_RANGE_A] = range_of(fa, na);
    r[F_MEM_B] = median_of(mb, nb);
    r[F_MEM_A] = median_of(ma, na);
    r[F_BW_B] = mean_of(bb, nb);
    r[F_BW_A] = mean_of(ba, na);
    r[F_DRTT] = median_of(tb, rb) - median_of(ta, ra);
    /* the summary's phases say the same */
    ck_assert_uint_eq(gs_game_nphases(g), 2);
    ck_assert_double_eq_tol(gs_game_phases(g)[0].fps.max - gs_game_phases(g)[0].fps.min,
                            r[F_RANGE_B], 1e-9);
    ck_assert_double_eq_tol(gs_game_phases(g)[1].down_mbps.mean, r[F_BW_A], 1e-9);
    ck_assert_double_eq_tol(gs_game_phases(g)[0].memory_gb.median, r[F_MEM_B], 1e-9);
    free(fb);
    free(fa);
    free(mb);
    free(ma);
    free(bb);
    free(ba);
    free(tb);
    free(ta);
    gs_game_free(g);
}

START_TEST(test_figure5)
{
    /* Targets: the CLOUDSTARS D2.1 report (Figure 5). */
    static const double target[F_N] = {32, 13, 16, 1.36, 1.07, 1.05, 3.21, 12.56};
    static const char *const name[F_N] = {"FPS range before",          "mean FPS gain",
                                          "FPS range after",           "median memory before GB",
                                          "median memory after GB",    "mean bandwidth before Mbps",
                                          "mean bandwidth after Mbps", "median RTT drop ms"};
    enum { SEEDS = 20 };
    double v[F_N][SEEDS];
    gs_err err = {0};
    gs_game_scenario *sc = gs_game_scenario_load(gs_test_src("configs/game/figure5.json"), &err);
    int s, k;

    ck_assert_ptr_nonnull(sc);
    for (s = 0; s < SEEDS; s++) {
        double r[F_N];
        figure5_seed(sc, (uint64_t)s + 1, r);
        for (k = 0; k < F_N; k++)
            v[k][s] = r[k];
    }
    printf("Figure 5 over seeds 1-%d: mean, sd, min, max; target (deviation of the mean)\n", SEEDS);
    for (k = 0; k < F_N; k++) {
        double m = mean_of(v[k], SEEDS), lo = v[k][0], hi = v[k][0];
        for (s = 1; s < SEEDS; s++) {
            lo = v[k][s] < lo ? v[k][s] : lo;
            hi = v[k][s] > hi ? v[k][s] : hi;
        }
        printf("  %-27s %8.3f %7.3f %8.3f %8.3f; %6.2f (%+.1f%%)\n", name[k], m, sd_of(v[k], SEEDS),
               lo, hi, target[k], 100 * (m - target[k]) / target[k]);
        ck_assert_msg(fabs(m - target[k]) <= 0.10 * target[k], "%s: %.3f vs %.3f", name[k], m,
                      target[k]);
    }
    gs_game_scenario_free(sc);
}
END_TEST

/* ---- migrations and sessions ---- */

/* Streaming back to local rendering downloads the world over the link: its bytes and its
 * duration follow from the link, and only the switch interrupts the game. */
START_TEST(test_migration_transfers_world)
{
    char *text;
    gs_game_scenario *sc;
    gs_game *g;
    const gs_game_migration *m;
    const gs_game_sample *s;
    size_t i;

    text = strdup("{\"schema_version\": 1, \"name\": \"mig\", \"duration_s\": 30,\n"
                  " \"nodes\": {\"device\": {\"power\": [{\"t\": 0, \"source\": \"docked\"}]}, "
                  "\"cloud\": {}},\n"
                  " \"links\": {\"device-cloud\": {\"down_mbps\": 20, \"latency_ms\": 5, "
                  "\"stalls\": {\"rate_per_s\": 0}}},\n"
                  " \"world\": {\"state_mb\": 10},\n"
                  " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"cloud\", "
                  "\"renderer\": \"cloud\"}},\n"
                  " \"policy\": {\"name\": \"scripted\"},\n"
                  " \"actions\": [{\"t\": 10, \"placement\": {\"client\": \"device\", "
                  "\"renderer\": \"device\"}}]}\n");
    sc = load_text(text, NULL);
    g = run_game(sc, NULL, 1);
    ck_assert_uint_eq(gs_game_nmigrations(g), 1);
    m = gs_game_migrations(g);
    ck_assert(m[0].ok);
    ck_assert_double_eq_tol(m[0].bytes, 10e6, 1);
    /* 10 MB beside a 3.2 Mbps stream on 20 Mbps: at least 80 Mbit / 20 Mbps = 4 s */
    ck_assert_double_gt(m[0].end - m[0].start, 4.0);
    ck_assert_double_lt(m[0].end - m[0].start, 15.0);
    /* the stream kept playing during the transfer: frames were shown until the switch */
    s = gs_game_samples(g);
    for (i = 0; i < gs_game_nsamples(g); i++)
        if (s[i].t > 11 && s[i].t < m[0].end - 1.0)
            ck_assert_double_gt(s[i].fps, 40);
    ck_assert_int_eq(s[gs_game_nsamples(g) - 1].at.renderer, GS_GAME_DEVICE);
    gs_game_free(g);
    gs_game_scenario_free(sc);
    free(text);
}
END_TEST

/* A migration over a link that is down cannot move the world: it fails after the timeout and
 * the game stays where it was. */
START_TEST(test_migration_fails_on_outage)
{
    char *text = strdup(
        "{\"schema_version\": 1, \"name\": \"fail\", \"duration_s\": 40,\n"
        " \"nodes\": {\"device\": {\"power\": [{\"t\": 0, \"source\": \"docked\"}]}, "
        "\"cloud\": {}},\n"
        " \"links\": {\"device-cloud\": {\"changes\": [{\"t\": 5, \"up\": false}]}},\n"
        " \"migration\": {\"timeout_s\": 10},\n"
        " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "
        "\"renderer\": \"device\"}},\n"
        " \"policy\": {\"name\": \"scripted\"},\n"
        " \"actions\": [{\"t\": 8, \"placement\": {\"server\": \"device\", \"client\": \"device\", "
        "\"renderer\": \"device\"}}, {\"t\": 9, \"placement\": {\"server\": \"cloud\"}}]}\n");
    gs_game_scenario *sc = load_text(text, NULL);
    gs_game *g = run_game(sc, NULL, 1);
    const gs_game_migration *m = gs_game_migrations(g);
    gs_game_totals t;

    /* 8 s: the server starts from the device's replica (no transfer) and succeeds; the move
     * back needs an upload over the dead link and fails after 10 s */
    ck_assert_uint_eq(gs_game_nmigrations(g), 2);
    ck_assert(m[0].ok);
    ck_assert_int_eq(m[0].to.server, GS_GAME_DEVICE);
    ck_assert_double_eq_tol(m[0].bytes, 0, 1e-9);
    ck_assert(!m[1].ok);
    ck_assert_double_ge(m[1].end - m[1].start, 10.0);
    gs_game_totals_get(g, &t);
    ck_assert_uint_eq(t.migrations_failed, 1);
    ck_assert_uint_eq(t.sessions_lost, 0); /* offline play kept the session */
    ck_assert_int_eq(gs_game_samples(g)[gs_game_nsamples(g) - 1].at.server, GS_GAME_DEVICE);
    ck_assert_double_gt(gs_game_samples(g)[gs_game_nsamples(g) - 1].fps, 20);
    gs_game_free(g);
    gs_game_scenario_free(sc);
    free(text);
}
END_TEST

#define OUT_FMT                                                                                    \
    "{\"schema_version\": 1, \"name\": \"out\", \"duration_s\": 90,\n"                             \
    " \"nodes\": {\"device\": {\"power\": [{\"t\": 0, \"source\": \"docked\"}]}, "                 \
    "\"cloud\": {}},\n"                                                                            \
    " \"links\": {\"device-cloud\": {\"changes\": [{\"t\": 10, \"up\": false}, {\"t\": %d, "       \
    "\"up\": true}]}},\n"                                                                          \
    " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "                \
    "\"renderer\": \"device\"}}}\n"

/* A session dies after the disconnect timeout (30 s), not before, and rejoins afterwards. */
START_TEST(test_session_timeout)
{
    static const int back[] = {30, 55};
    const char *policies[] = {"static-local", "static-cloud"};
    int i, p;

    for (p = 0; p < 2; p++) {
        for (i = 0; i < 2; i++) {
            char text[1024];
            gs_game_scenario *sc;
            gs_game *g;
            gs_game_totals t;
            snprintf(text, sizeof(text), OUT_FMT, back[i]);
            sc = load_text(text, NULL);
            g = run_game(sc, policies[p], 2);
            gs_game_totals_get(g, &t);
            ck_assert_msg(t.sessions_lost == (size_t)i, "%s outage to %d: %zu lost", policies[p],
                          back[i], t.sessions_lost);
            /* the outage is a stall either way: the world (or the stream) froze */
            ck_assert_double_ge(t.stall_s, back[i] - 10 - 1);
            /* after a lost session the player rejoins once the link is back */
            ck_assert_int_eq(gs_game_samples(g)[gs_game_nsamples(g) - 1].session_up, 1);
            ck_assert_double_gt(gs_game_samples(g)[gs_game_nsamples(g) - 1].fps, 20);
            gs_game_free(g);
            gs_game_scenario_free(sc);
        }
    }
}
END_TEST

#define BAT_FMT                                                                                    \
    "{\"schema_version\": 1, \"name\": \"bat\", \"duration_s\": 60,\n"                             \
    " \"nodes\": {\"device\": {\"battery\": {\"capacity_wh\": %g, \"initial_pct\": 50}}, "         \
    "\"cloud\": {}},\n"                                                                            \
    " \"links\": {\"device-cloud\": {}},\n"                                                        \
    " \"components\": {\"start\": {\"server\": \"cloud\", \"client\": \"device\", "                \
    "\"renderer\": \"device\"}}}\n"

/* Rendering locally costs more energy than streaming; an empty battery ends the game. */
START_TEST(test_battery)
{
    char text[1024];
    gs_game_scenario *sc;
    gs_game *gl, *gc;
    gs_game_totals tl, tc;
    const gs_game_sample *s;

    snprintf(text, sizeof(text), BAT_FMT, 15.0);
    sc = load_text(text, NULL);
    gl = run_game(sc, "static-local", 1);
    gc = run_game(sc, "static-cloud", 1);
    gs_game_totals_get(gl, &tl);
    gs_game_totals_get(gc, &tc);
    ck_assert_double_gt(tl.energy_wh, tc.energy_wh * 1.1);
    ck_assert_double_lt(tl.battery_left_pct, tc.battery_left_pct);
    ck_assert_double_lt(tl.battery_left_pct, 50);
    /* energy and battery agree: 15 Wh battery, no charger */
    ck_assert_double_eq_tol(50 - tl.battery_left_pct, tl.energy_wh / 15 * 100, 1e-6);
    gs_game_free(gl);
    gs_game_free(gc);
    gs_game_scenario_free(sc);
    /* a tiny battery dies: the session is lost and nothing is shown after */
    snprintf(text, sizeof(text), BAT_FMT, 0.1);
    sc = load_text(text, NULL);
    gl = run_game(sc, "static-local", 1);
    gs_game_totals_get(gl, &tl);
    ck_assert_uint_eq(tl.sessions_lost, 1);
    ck_assert_double_eq_tol(tl.battery_left_pct, 0, 1e-9);
    s = gs_game_samples(gl);
    ck_assert_double_eq_tol(s[gs_game_nsamples(gl) - 1].fps, 0, 1e-9);
    ck_assert_int_eq(s[gs_game_nsamples(gl) - 1].session_up, 0);
    gs_game_free(gl);
    gs_game_scenario_free(sc);
}
END_TEST

/* A link trace drives the stream's rate control: after the bandwidth drops to 2 Mbps the
 * device never receives more than what the link carries. */
START_TEST(test_trace_drives_rate_control)
{
    char *csv = gs_test_tmpfile("t,down_mbps\n10,2\n", ".csv");
    char link[512], *text;
    gs_game_scenario *sc;
    gs_game *g;
    const gs_game_sample *s;
    size_t i, n = 0;

    snprintf(link, sizeof(link), ", \"trace\": \"%s\"", csv);
    text = small_scenario(link, "");
    sc = load_text(text, NULL);
    g = run_game(sc, "static-cloud", 4);
    s = gs_game_samples(g);
    for (i = 0; i < gs_game_nsamples(g); i++) {
        if (s[i].t < 9 && !s[i].migrating)
            ck_assert_double_gt(s[i].down_mbps, 2.5);
        if (s[i].t > 12) {
            ck_assert_double_lt(s[i].down_mbps, 2.0);
            n++;
        }
    }
    ck_assert_uint_gt(n, 40);
    gs_game_free(g);
    gs_game_scenario_free(sc);
    remove(csv);
    free(csv);
    free(text);
}
END_TEST

/* ---- the trip: adaptive against the static deployments ---- */

START_TEST(test_trip_adaptive_wins)
{
    static const char *const statics[] = {"static-local", "static-edge", "static-cloud"};
    gs_err err = {0};
    gs_game_scenario *sc = gs_game_scenario_load(gs_test_src("configs/game/trip.json"), &err);
    uint64_t seed = (uint64_t)_i + 1;
    gs_game *ga;
    gs_game_totals ta;
    size_t k;

    ck_assert_ptr_nonnull(sc);
    ga = run_game(sc, "adaptive", seed);
    gs_game_totals_get(ga, &ta);
    /* the outage is played through offline: the session survives */
    ck_assert_uint_eq(ta.sessions_lost, 0);
    ck_assert_uint_eq(ta.migrations_failed, 0);
    {
        const gs_game_migration *m = gs_game_migrations(ga);
        int offline = 0;
        for (k = 0; k < gs_game_nmigrations(ga); k++)
            if (m[k].ok && m[k].to.server == GS_GAME_DEVICE && m[k].start > 330 && m[k].start < 340)
                offline = 1;
        ck_assert_msg(offline, "no offline switch at the outage");
        /* hysteresis: no flapping */
        ck_assert_uint_le(gs_game_nmigrations(ga), 10);
    }
    for (k = 0; k < 3; k++) {
        gs_game *gs = run_game(sc, statics[k], seed);
        gs_game_totals ts;
        gs_game_totals_get(gs, &ts);
        ck_assert_uint_ge(ts.sessions_lost, 1);
        ck_assert_msg(ta.fps.p5 > ts.fps.p5 + 10, "%s: p5 %.1f vs %.1f", statics[k], ta.fps.p5,
                      ts.fps.p5);
        ck_assert_msg(ta.stall_s < ts.stall_s, "%s: stalls %.1f s vs %.1f s", statics[k],
                      ta.stall_s, ts.stall_s);
        if (k == 0) /* streaming when the battery is low saves energy over rendering locally */
            ck_assert_double_gt(ta.battery_left_pct, ts.battery_left_pct);
        gs_game_free(gs);
    }
    gs_game_free(ga);
    gs_game_scenario_free(sc);
}
END_TEST

static Suite *game_suite(void)
{
    Suite *s = suite_create("game");
    TCase *tc = tcase_create("scenario");

    tcase_add_test(tc, test_registry);
    tcase_add_loop_test(tc, test_bad_scenarios, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_loop_test(tc, test_bad_structure, 0, 8);
    tcase_add_loop_test(tc, test_bad_trace, 0, 7);
    tcase_add_test(tc, test_missing_trace);
    tcase_add_test(tc, test_shipped_scenarios_load);
    tcase_add_test(tc, test_bad_policy_choices);
    suite_add_tcase(s, tc);
    tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_snapshot_rate_drives_bandwidth);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_migration_transfers_world);
    tcase_add_test(tc, test_migration_fails_on_outage);
    tcase_add_test(tc, test_session_timeout);
    tcase_add_test(tc, test_battery);
    tcase_add_test(tc, test_trace_drives_rate_control);
    suite_add_tcase(s, tc);
    tc = tcase_create("reproduce");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_figure5);
    tcase_add_loop_test(tc, test_trip_adaptive_wins, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(game_suite());
}
