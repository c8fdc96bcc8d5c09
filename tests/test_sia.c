/* SPDX-License-Identifier: Apache-2.0 */
/* sia-unaware and sia-aware: Sia's conventions (docs/sia.md), rounds, restarts, learning from
 * failures, placement. Tests the private Sia core too: includes policies/sia_int.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/cluster.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "sia_int.h"
#include "testutil.h"

/* ---- conventions ---- */

START_TEST(test_restart_factor)
{
    /* r = max(T - N S, 0) / (T + S), and 1 while T < S (Sia's artifact: sia.py optimize_mip) */
    ck_assert_double_eq_tol(gs__sia_restart_factor(10, 0, 30), 1, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(29.9, 5, 30), 1, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(30, 0, 30), 30.0 / 60, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(100, 1, 30), 70.0 / 130, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(100, 2, 30), 40.0 / 130, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(100, 4, 30), 0, 1e-15);
    ck_assert_double_eq_tol(gs__sia_restart_factor(0, 0, 0), 1, 1e-15); /* no 0/0 */
    /* older jobs that restarted less are penalised less */
    ck_assert_double_gt(gs__sia_restart_factor(1000, 1, 60), gs__sia_restart_factor(500, 1, 60));
    ck_assert_double_gt(gs__sia_restart_factor(1000, 1, 60), gs__sia_restart_factor(1000, 3, 60));
}
END_TEST

START_TEST(test_cost_power_rounding_clip)
{
    /* A = G^p rounded to 2 decimals, clipped at 3000; G floored at 1e-4 (Sia's artifact: sia.py
     * optimize_mip) */
    ck_assert_double_eq_tol(gs__sia_cost(1, -0.5, 3000), 1, 1e-15);
    ck_assert_double_eq_tol(gs__sia_cost(4, -0.5, 3000), 0.5, 1e-15);
    ck_assert_double_eq_tol(gs__sia_cost(3, -0.5, 3000), 0.58, 1e-15);  /* 0.57735 */
    ck_assert_double_eq_tol(gs__sia_cost(64, -0.5, 3000), 0.12, 1e-15); /* 0.125: half even */
    ck_assert_double_eq_tol(gs__sia_cost(0, -0.5, 3000), 100, 1e-12);   /* 1e-4 ^ -0.5 */
    ck_assert_double_eq_tol(gs__sia_cost(1e-9, -1, 3000), 3000, 1e-12); /* 1e4, clipped */
    ck_assert_double_eq_tol(gs__sia_cost(4, 0.5, 3000), 2, 1e-15);
    /* with p < 0 every valid (G >= 1) entry costs at most 1 < lambda_n: allocating beats not */
    ck_assert_double_le(gs__sia_cost(1.0000001, -0.5, 3000), 1);
    /* goodput and cost move in opposite directions for p < 0 */
    ck_assert_double_lt(gs__sia_cost(2, -0.5, 3000), gs__sia_cost(1.5, -0.5, 3000));
}
END_TEST

START_TEST(test_normalisation)
{
    double g[] = {6, 3, 12, 1e-5, -1};
    double none[] = {1e-5, 0};

    /* per row, by the smallest valid entry; the worst valid configuration becomes 1 */
    ck_assert_double_eq_tol(gs__sia_normalise(g, 5), 3, 1e-15);
    ck_assert_double_eq_tol(g[0], 2, 1e-15);
    ck_assert_double_eq_tol(g[1], 1, 1e-15);
    ck_assert_double_eq_tol(g[2], 4, 1e-15);
    ck_assert_double_eq_tol(g[3], 1e-4, 1e-18); /* invalid entries: ZERO_ALLOC_GAIN */
    ck_assert_double_eq_tol(g[4], 1e-4, 1e-18);
    ck_assert_double_eq(gs__sia_normalise(none, 2), 0);
}
END_TEST

START_TEST(test_sign_conventions)
{
    gs_err err = {0};

    ck_assert_int_eq(gs__sia_check_conventions(-0.5, 1.1, NULL), GS_OK);
    ck_assert_int_eq(gs__sia_check_conventions(0.5, -1, NULL), GS_OK);
    ck_assert_int_eq(gs__sia_check_conventions(-0.5, 1.0, &err), GS_EINVAL); /* must exceed 1 */
    ck_assert_ptr_nonnull(strstr(err.msg, "lambda_n"));
    ck_assert_int_eq(gs__sia_check_conventions(-0.5, -1, NULL), GS_EINVAL);
    ck_assert_int_eq(gs__sia_check_conventions(0.5, 1.1, NULL), GS_EINVAL);
    ck_assert_int_eq(gs__sia_check_conventions(0, 1.1, NULL), GS_EINVAL);
    ck_assert_int_eq(gs__sia_check_conventions(NAN, 1.1, NULL), GS_EINVAL);
}
END_TEST

/* ---- simulations on a small crafted world ---- */

/* Two GPU types of 4 nodes x 4 GPUs. "light" runs anywhere; "heavy" needs 4 BIG GPUs (80 GB)
 * or 8 SMALL ones (24 GB); "huge" needs 4 BIG GPUs and never fits SMALL ones. Jobs of 1 GPU are
 * light, of 2-4 heavy, larger ones huge. */
static const char *db_json =
    "{\"schema_version\": 1, \"name\": \"sia-test\", \"reference_gpu_type\": \"BIG\",\n"
    " \"gpu_types\": [{\"name\": \"SMALL\", \"memory_gb\": 24, \"gpus_per_node\": 4},\n"
    "               {\"name\": \"BIG\", \"memory_gb\": 80, \"gpus_per_node\": 4}],\n"
    " \"classes\": [{\"name\": \"light\"}, {\"name\": \"heavy\"}, {\"name\": \"huge\"}],\n"
    " \"class_mix\": [{\"max_gpus\": 1, \"weights\": {\"light\": 1}},\n"
    "               {\"max_gpus\": 4, \"weights\": {\"heavy\": 1}},\n"
    "               {\"max_gpus\": 1000, \"weights\": {\"huge\": 1}}],\n"
    " \"entries\": [\n"
    "  {\"class\": \"light\", \"gpu_type\": \"SMALL\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"SMALL\", \"gpus\": 2, \"throughput\": 1.9, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"SMALL\", \"gpus\": 4, \"throughput\": 3.6, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"SMALL\", \"gpus\": 16, \"throughput\": 10, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"BIG\", \"gpus\": 1, \"throughput\": 2.5, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"BIG\", \"gpus\": 2, \"throughput\": 4.8, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"BIG\", \"gpus\": 4, \"throughput\": 9, "
    "\"viable\": true},\n"
    "  {\"class\": \"light\", \"gpu_type\": \"BIG\", \"gpus\": 16, \"throughput\": 26, "
    "\"viable\": true},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"SMALL\", \"gpus\": 1, \"throughput\": 0.2, "
    "\"viable\": false},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"SMALL\", \"gpus\": 8, \"throughput\": 1.4, "
    "\"viable\": true},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"SMALL\", \"gpus\": 16, \"throughput\": 2.6, "
    "\"viable\": true},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"BIG\", \"gpus\": 1, \"throughput\": 0.5, "
    "\"viable\": false},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"BIG\", \"gpus\": 4, \"throughput\": 1.9, "
    "\"viable\": true},\n"
    "  {\"class\": \"heavy\", \"gpu_type\": \"BIG\", \"gpus\": 16, \"throughput\": 6.5, "
    "\"viable\": true},\n"
    "  {\"class\": \"huge\", \"gpu_type\": \"SMALL\", \"gpus\": 1, \"throughput\": 0.1, "
    "\"viable\": false},\n"
    "  {\"class\": \"huge\", \"gpu_type\": \"BIG\", \"gpus\": 1, \"throughput\": 0.3, "
    "\"viable\": false},\n"
    "  {\"class\": \"huge\", \"gpu_type\": \"BIG\", \"gpus\": 4, \"throughput\": 1.1, "
    "\"viable\": true},\n"
    "  {\"class\": \"huge\", \"gpu_type\": \"BIG\", \"gpus\": 16, \"throughput\": 4, "
    "\"viable\": true}]}\n";

static const char *cluster_json =
    "{\"schema_version\": 1, \"name\": \"sia-test\", \"node_groups\": [\n"
    " {\"gpu_type\": \"SMALL\", \"gpus_per_node\": 4, \"nodes\": 4},\n"
    " {\"gpu_type\": \"BIG\", \"gpus_per_node\": 4, \"nodes\": 4}]}\n";

static const char *one_gpu_json =
    "{\"schema_version\": 1, \"name\": \"one\", \"node_groups\": [\n"
    " {\"gpu_type\": \"BIG\", \"gpus_per_node\": 1, \"nodes\": 1}]}\n";

typedef struct world {
    char *dbp, *clp, *trp;
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
    gs_sim *sim;
} world;

/* rows: "submit_seconds,gpu_num,duration" lines */
static void world_open_on(world *w, const char *rows, const char *cluster)
{
    char *csv = malloc(strlen(rows) * 3 + 256), *out;
    const char *p = rows;
    int n = 0;
    gs_err err = {0};

    ck_assert_ptr_nonnull(csv);
    out = csv + sprintf(csv, "job_id,gpu_num,type,submit_time,duration\n");
    while (*p) {
        double sub, dur;
        int g, used;
        ck_assert_int_eq(sscanf(p, "%lf,%d,%lf\n%n", &sub, &g, &dur, &used), 3);
        out += sprintf(out, "j%03d,%d,SFT,%.0f,%.0f\n", n++, g, 1.7e9 + sub, dur);
        p += used;
    }
    memset(w, 0, sizeof(*w));
    w->dbp = gs_test_tmpfile(db_json, ".json");
    w->clp = gs_test_tmpfile(cluster, ".json");
    w->trp = gs_test_tmpfile(csv, ".csv");
    free(csv);
    w->db = gs_scaledb_load(w->dbp, &err);
    ck_assert_msg(w->db != NULL, "%s", err.msg);
    w->cl = gs_cluster_load(w->clp, w->db, &err);
    ck_assert_msg(w->cl != NULL, "%s", err.msg);
    gs_test_legacy_lifecycle(w->cl, NULL);
    ck_assert_msg(gs_trace_load(&w->tr, w->trp, NULL, &err) == GS_OK, "%s", err.msg);
}

static void world_open(world *w, const char *rows)
{
    world_open_on(w, rows, cluster_json);
}

static int world_run(world *w, const char *policy, gs_sim_opts *o, gs_err *err)
{
    gs_sim_opts def;

    if (!o) {
        gs_sim_opts_init(&def);
        o = &def;
    }
    o->policy = policy;
    if (o->restart_delay < 0) /* the lifecycle these scenarios were computed for */
        o->restart_delay = 60;
    if (o->fail_delay < 0)
        o->fail_delay = 60;
    gs_sim_free(w->sim);
    w->sim = gs_sim_new_named(&w->tr, w->cl, w->db, o, err);
    if (!w->sim)
        return err ? err->code : GS_EINVAL;
    return gs_sim_run(w->sim, err);
}

static void world_close(world *w)
{
    gs_sim_free(w->sim);
    gs_trace_release(&w->tr);
    gs_cluster_free(w->cl);
    gs_scaledb_free(w->db);
    unlink(w->dbp);
    unlink(w->clp);
    unlink(w->trp);
    free(w->dbp);
    free(w->clp);
    free(w->trp);
}

typedef struct seg {
    int job, big, gpus, nodes;
    double start, end;
    char outcome[16];
} seg;

/* The allocations.csv rows of the last run (malloc'd; *n rows). */
static seg *segments(world *w, size_t *n)
{
    char *path = gs_test_tmpfile("", ".csv"), *text, *line;
    FILE *fp = fopen(path, "w");
    seg *s;
    size_t cap = 64;

    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(gs_sim_write_allocations(w->sim, fp, NULL), GS_OK);
    fclose(fp);
    text = gs_test_slurp(path);
    ck_assert_ptr_nonnull(text);
    s = malloc(cap * sizeof(*s));
    *n = 0;
    line = strchr(text, '\n') + 1; /* header */
    while (*line) {
        char type[16];
        if (*n == cap)
            s = realloc(s, (cap *= 2) * sizeof(*s));
        ck_assert_int_eq(sscanf(line, "j%d,%15[^,],%d,%d,%lf,%lf,%15[a-z]", &s[*n].job, type,
                                &s[*n].gpus, &s[*n].nodes, &s[*n].start, &s[*n].end, s[*n].outcome),
                         7);
        s[*n].big = !strcmp(type, "BIG");
        (*n)++;
        line = strchr(line, '\n') + 1;
    }
    free(text);
    unlink(path);
    free(path);
    return s;
}

/* 80 jobs, one every 40 s, a quarter of them heavy (4 GPUs) and an eighth huge (8 GPUs), 1 to
 * 51 minutes long: more than the cluster drains, so Sia reshuffles allocations often. */
static void busy_rows(char *rows)
{
    uint64_t x = 7;
    int i;

    for (i = 0; i < 80; i++) {
        int g;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        g = (int)(x >> 60) % 4 == 0 ? 4 : (int)(x >> 60) % 8 == 1 ? 8 : 1;
        rows += sprintf(rows, "%d,%d,%d\n", i * 40, g, 60 + (int)((x >> 33) % 3000));
    }
}

/* No configuration that failed is tried again, nor fewer GPUs of a type with no more memory
 * per GPU (BIG has more than SMALL). Returns the number of failures. */
static int check_no_retry(const seg *s, size_t n)
{
    size_t i, k;
    int fails = 0;

    for (i = 0; i < n; i++) {
        if (strcmp(s[i].outcome, "failed") != 0)
            continue;
        fails++;
        for (k = i + 1; k < n; k++) {
            if (s[k].job != s[i].job)
                continue;
            ck_assert_msg(!(s[k].big == s[i].big && s[k].gpus <= s[i].gpus),
                          "job %d retried %s x%d after failing on x%d", s[k].job,
                          s[k].big ? "BIG" : "SMALL", s[k].gpus, s[i].gpus);
            if (s[i].big)
                ck_assert(!(!s[k].big && s[k].gpus <= s[i].gpus));
        }
    }
    return fails;
}

static int is_multiple(double t, double len)
{
    return fabs(t / len - rint(t / len)) < 1e-9;
}

START_TEST(test_rounds)
{
    world w;
    gs_sim_opts o;
    gs_sim_stats st;
    size_t n, i;
    seg *s;
    double busy = 0;
    int midround = 0;

    /* 16 light jobs, all 1 GPU (the cluster has 32), arriving between boundaries */
    world_open(&w, "10,1,100\n50,1,400\n100,1,37\n130,1,1000\n131,1,5\n400,1,333\n"
                   "401,1,100\n402,1,100\n403,1,100\n404,1,100\n405,1,100\n406,1,100\n"
                   "407,1,100\n408,1,100\n409,1,100\n410,1,100\n");
    gs_sim_opts_init(&o);
    o.round_length = 45;
    ck_assert_int_eq(world_run(&w, "sia-aware", &o, NULL), GS_OK);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.finished, 16);
    s = segments(&w, &n);
    for (i = 0; i < n; i++) {
        const gs_job *jb = gs_sim_job(w.sim, (uint32_t)s[i].job);
        /* every allocation begins on a round boundary, after the job's submission */
        ck_assert_msg(is_multiple(s[i].start, 45), "allocation at %f", s[i].start);
        ck_assert_double_ge(s[i].start, jb->submit);
        if (!strcmp(s[i].outcome, "finished")) {
            ck_assert_double_eq_tol(s[i].end, jb->finish, 1e-5);
            midround += !is_multiple(s[i].end, 45);
        }
        busy += s[i].gpus * (s[i].end - s[i].start);
    }
    /* jobs that finish mid-round give their GPUs back at once: the accounting ends there */
    ck_assert_int_gt(midround, 0);
    ck_assert_double_eq_tol(busy / 3600, st.gpu_hours, 1e-6);
    /* the first job's first start is the first boundary after its arrival */
    ck_assert_double_eq_tol(gs_sim_job(w.sim, 0)->first_start, 45, 1e-9);
    free(s);
    world_close(&w);

    /* one GPU: the second job waits for the first, which finishes mid-round (at 160) and
     * frees its GPU at once, but the GPU is given out again only at the next boundary */
    world_open_on(&w, "0,1,100\n1,1,100\n", one_gpu_json);
    ck_assert_int_eq(world_run(&w, "sia-aware", NULL, NULL), GS_OK);
    ck_assert_double_eq_tol(gs_sim_job(w.sim, 0)->first_start, 60, 1e-9);
    ck_assert_double_eq_tol(gs_sim_job(w.sim, 0)->finish, 160, 1e-9);
    ck_assert_double_eq_tol(gs_sim_job(w.sim, 1)->first_start, 180, 1e-9);
    ck_assert_double_eq_tol(gs_sim_pool_busy(w.sim, 0), 200, 1e-9);
    world_close(&w);
}
END_TEST

START_TEST(test_scale_up_doubles)
{
    world w;
    size_t n, i;
    seg *s;
    int maxg = 0;

    /* a lone long job on an empty cluster: Sia explores by doubling what it has measured */
    world_open(&w, "0,1,20000\n");
    ck_assert_int_eq(world_run(&w, "sia-aware", NULL, NULL), GS_OK);
    s = segments(&w, &n);
    ck_assert_int_eq(s[0].gpus, 1);
    for (i = 0; i < n; i++) {
        if (i > 0)
            ck_assert_int_le(s[i].gpus, 2 * maxg);
        if (s[i].gpus > maxg)
            maxg = s[i].gpus;
    }
    ck_assert_int_ge(maxg, 4);
    free(s);
    world_close(&w);
}
END_TEST

START_TEST(test_restarting_jobs_keep_config)
{
    world w;
    gs_sim_opts o;
    size_t n, i;
    seg *s;
    int restarted = 0;
    char rows[8192];

    /* restarts take 150 s, rounds 60 s: a job that just got a new allocation must keep it for
     * the rounds it spends restarting */
    busy_rows(rows);
    world_open(&w, rows);
    gs_sim_opts_init(&o);
    o.restart_delay = 150;
    ck_assert_int_eq(world_run(&w, "sia-unaware", &o, NULL), GS_OK);
    s = segments(&w, &n);
    for (i = 1; i < n; i++) {
        size_t k;
        for (k = i; k-- > 0;) /* the job's previous allocation */
            if (s[k].job == s[i].job)
                break;
        if (k == (size_t)-1 || strcmp(s[k].outcome, "resized") != 0)
            continue;
        restarted++;
        /* (a start that fails ends after --fail-delay, whatever the policy wants) */
        ck_assert_msg(s[i].end - s[i].start >= 150 || !strcmp(s[i].outcome, "finished") ||
                          !strcmp(s[i].outcome, "failed"),
                      "job %d changed at %f while restarting since %f", s[i].job, s[i].end,
                      s[i].start);
    }
    ck_assert_int_gt(restarted, 2);
    free(s);
    world_close(&w);
}
END_TEST

START_TEST(test_unaware_learns_from_failure)
{
    world w;
    size_t n;
    seg *s;
    gs_sim_stats st;
    int fails;

    /* one heavy job: sia-unaware tries the 1-GPU placeholder, fails, and climbs */
    world_open(&w, "0,4,3000\n");
    ck_assert_int_eq(world_run(&w, "sia-unaware", NULL, NULL), GS_OK);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.finished, 1);
    s = segments(&w, &n);
    fails = check_no_retry(s, n);
    ck_assert_int_gt(fails, 0);
    ck_assert_int_le(fails, 4); /* doubling: 1, 2 (then 4 fits on BIG), and SMALL at most once */
    ck_assert_int_eq(fails, (int)st.failures);
    free(s);

    /* sia-aware knows the DB's viability: no failure */
    ck_assert_int_eq(world_run(&w, "sia-aware", NULL, NULL), GS_OK);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.finished, 1);
    ck_assert_int_eq((int)st.failures, 0);
    world_close(&w);
}
END_TEST

/* A job that runs somewhere fails at most once on each type it has not run on (it gives
 * that type up rather than spend its failures on it). */
static void check_gives_up(const seg *s, size_t n, int njobs)
{
    size_t k;
    int j;

    for (j = 0; j < njobs; j++) {
        int ran[2] = {0, 0}, failed_after[2] = {0, 0};
        for (k = 0; k < n; k++) { /* rows are in time order */
            if (s[k].job != j)
                continue;
            if (strcmp(s[k].outcome, "failed") != 0)
                ran[s[k].big] = 1;
            else if ((ran[0] || ran[1]) && !ran[s[k].big])
                failed_after[s[k].big]++;
        }
        ck_assert_msg(failed_after[0] <= 1 && failed_after[1] <= 1,
                      "job %d kept failing on a type it does not run on", j);
    }
}

/* A busy mixed trace (light and heavy jobs, arrivals faster than the cluster drains) through
 * both policies: no invalid plan (placement handles fragmentation), every job finishes, the
 * same inputs give the same outputs, and the aware variant never fails a start. */
START_TEST(test_busy_mixed_trace)
{
    world w;
    char rows[8192], *p;
    int i;
    double fallbacks = 0;

    busy_rows(rows);
    world_open(&w, rows);
    for (i = 0; i < 2; i++) {
        const char *pol = i ? "sia-aware" : "sia-unaware";
        gs_sim_stats st;
        char *a, *b, *path = gs_test_tmpfile("", ".csv");
        FILE *fp;
        gs_err err = {0};
        char *js;
        ck_assert_msg(world_run(&w, pol, NULL, &err) == GS_OK, "%s", err.msg);
        gs_sim_stats_get(w.sim, &st);
        ck_assert_uint_eq(st.finished, 80);
        if (i) {
            ck_assert_int_eq((int)st.failures, 0);
        } else {
            size_t n;
            seg *s = segments(&w, &n);
            ck_assert_int_eq(check_no_retry(s, n), (int)st.failures);
            check_gives_up(s, n, 80);
            ck_assert_int_gt((int)st.failures, 0);
            free(s);
        }
        js = gs_sim_summary_json(w.sim, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(js, "\"ilp_variables_mean\""));
        ck_assert_ptr_nonnull(strstr(js, "\"ilp_constraints_max\""));
        ck_assert_ptr_null(strstr(js, "\"ilp_ms_mean\"")); /* wall time only with --timing */
        p = strstr(js, "\"placement_fallbacks\":");
        ck_assert_ptr_nonnull(p);
        fallbacks += atof(p + strlen("\"placement_fallbacks\":"));
        free(js);
        fp = fopen(path, "w");
        gs_sim_write_jobs(w.sim, fp, NULL);
        fclose(fp);
        a = gs_test_slurp(path);
        ck_assert_int_eq(world_run(&w, pol, NULL, NULL), GS_OK);
        fp = fopen(path, "w");
        gs_sim_write_jobs(w.sim, fp, NULL);
        fclose(fp);
        b = gs_test_slurp(path);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
        unlink(path);
        free(path);
    }
    (void)fallbacks;
    world_close(&w);
}
END_TEST

START_TEST(test_bad_params)
{
    world w;
    gs_sim_opts o;
    gs_err err = {0};
    const char *bad1[] = {"lambda_n=0.9"};
    const char *bad2[] = {"nonsense=1"};
    const char *bad3[] = {"max_gpus=2.5"};
    const char *good[] = {"p=0.5", "lambda_n=-1"};

    world_open(&w, "0,1,100\n");
    gs_sim_opts_init(&o);
    o.params = bad1;
    o.nparams = 1;
    ck_assert_int_eq(world_run(&w, "sia-aware", &o, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "lambda_n"));
    gs_err_clear(&err);
    o.params = bad2;
    ck_assert_int_eq(world_run(&w, "sia-unaware", &o, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "nonsense"));
    o.params = bad3;
    ck_assert_int_eq(world_run(&w, "sia-unaware", &o, NULL), GS_EINVAL);
    o.params = good;
    o.nparams = 2;
    ck_assert_int_eq(world_run(&w, "sia-aware", &o, NULL), GS_OK);
    world_close(&w);
}
END_TEST

static Suite *sia_suite(void)
{
    Suite *s = suite_create("sia");
    TCase *tc = tcase_create("conventions"), *ts = tcase_create("sim");

    tcase_add_test(tc, test_restart_factor);
    tcase_add_test(tc, test_cost_power_rounding_clip);
    tcase_add_test(tc, test_normalisation);
    tcase_add_test(tc, test_sign_conventions);
    suite_add_tcase(s, tc);
    tcase_add_test(ts, test_rounds);
    tcase_add_test(ts, test_scale_up_doubles);
    tcase_add_test(ts, test_restarting_jobs_keep_config);
    tcase_add_test(ts, test_unaware_learns_from_failure);
    tcase_add_test(ts, test_busy_mixed_trace);
    tcase_add_test(ts, test_bad_params);
    suite_add_tcase(s, ts);
    return s;
}

int main(void)
{
    return gs_test_run(sia_suite());
}
