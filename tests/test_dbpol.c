/* SPDX-License-Identifier: Apache-2.0 */
/* The offline-informed policies (db-fifo, db-flat, db-flat-scale) and the uninformed
 * fifo-backfill on crafted scenarios whose JCTs are worked out by hand in the comments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/cluster.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "testutil.h"

#define TOL 1e-6

/* One scenario: the files, the loaded inputs and the finished run. */
typedef struct run {
    char *paths[3];
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
    gs_sim *sim;
} run;

/* A DB of GPU types "A100-80GB" (the reference) and "H100-80GB" with gpn GPUs per node; types
 * and entries are JSON fragments. */
static char *db_json(const char *classes, const char *mix, const char *entries, int gpn)
{
    static char buf[8192];

    snprintf(buf, sizeof(buf),
             "{\"schema_version\": 1, \"name\": \"test\", \"reference_gpu_type\": \"A100-80GB\",\n"
             " \"gpu_types\": [{\"name\": \"A100-80GB\", \"memory_gb\": 80, \"gpus_per_node\": "
             "%d},\n"
             "               {\"name\": \"H100-80GB\", \"memory_gb\": 80, \"gpus_per_node\": "
             "%d}],\n"
             " \"classes\": [%s],\n%s%s%s \"entries\": [%s]}\n",
             gpn, gpn, classes, mix ? " \"class_mix\": [" : "", mix ? mix : "", mix ? "],\n" : "",
             entries);
    return buf;
}

static void run_open(run *r, const char *db, const char *cluster, const char *trace)
{
    gs_err err = {0};

    memset(r, 0, sizeof(*r));
    r->paths[0] = gs_test_tmpfile(db, ".json");
    r->paths[1] = gs_test_tmpfile(cluster, ".json");
    r->paths[2] = gs_test_tmpfile(trace, ".csv");
    r->db = gs_scaledb_load(r->paths[0], &err);
    ck_assert_msg(r->db != NULL, "%s", err.msg);
    r->cl = gs_cluster_load(r->paths[1], r->db, &err);
    ck_assert_msg(r->cl != NULL, "%s", err.msg);
    ck_assert_msg(gs_trace_load(&r->tr, r->paths[2], "all", &err) == GS_OK, "%s", err.msg);
}

/* Runs policy on the open scenario (params: NULL-terminated "key=value" list). */
static void run_policy(run *r, const char *policy, const char *const *params, double restart_delay,
                       double viability_error)
{
    gs_sim_opts o;
    gs_err err = {0};

    gs_sim_free(r->sim);
    gs_sim_opts_init(&o);
    gs_test_legacy_lifecycle(r->cl, &o);
    o.policy = policy;
    o.restart_delay = restart_delay;
    o.viability_error = viability_error;
    o.params = params;
    for (o.nparams = 0; params && params[o.nparams]; o.nparams++)
        ;
    r->sim = gs_sim_new_named(&r->tr, r->cl, r->db, &o, &err);
    ck_assert_msg(r->sim != NULL, "%s", err.msg);
    ck_assert_msg(gs_sim_run(r->sim, &err) == GS_OK, "%s", err.msg);
}

static void run_close(run *r)
{
    int i;

    gs_sim_free(r->sim);
    gs_trace_release(&r->tr);
    gs_cluster_free(r->cl);
    gs_scaledb_free(r->db);
    for (i = 0; i < 3; i++) {
        remove(r->paths[i]);
        free(r->paths[i]);
    }
}

static const gs_job *job(const run *r, uint32_t j)
{
    return gs_sim_job(r->sim, j);
}

static double jct(const run *r, uint32_t j)
{
    ck_assert_int_eq(job(r, j)->state, GS_JOB_DONE);
    return job(r, j)->finish - job(r, j)->submit;
}

static const char *pool_name(const run *r, uint32_t j)
{
    return gs_cluster_pool(r->cl, (size_t)job(r, j)->alloc.pool)->name;
}

/* ---- db-fifo ---- */

/* One class, linear in GPUs; H100 three times an A100. Pools of one 2-GPU node each, the A100
 * pool first (where fifo looks first). */
static const char *const FIFO_ENTRIES =
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 2, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 1, \"throughput\": 3, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 2, \"throughput\": 6, "
    "\"viable\": true}";
static const char *const TWO_POOLS_OF_2 =
    "{\"schema_version\": 1, \"name\": \"t\", \"node_groups\": ["
    "{\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 2, \"nodes\": 1},"
    "{\"gpu_type\": \"H100-80GB\", \"gpus_per_node\": 2, \"nodes\": 1}]}";
/* job 0: 1 GPU, 100 s (work 100); job 1: 2 GPUs, 100 s (work 200), 1 s later; job 2: 1 GPU,
 * 10 s (work 10), 2 s after job 0 */
static const char *const FIFO_TRACE = "job_id,gpu_num,submit_time,duration,type\n"
                                      "j0,1,1000000000,100,SFT\n"
                                      "j1,2,1000000001,100,SFT\n"
                                      "j2,1,1000000002,10,SFT\n";

START_TEST(test_db_fifo_fast_type_and_order)
{
    static const char *const wait[] = {"wait_busy=1", NULL};
    run r;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, FIFO_ENTRIES, 2), TWO_POOLS_OF_2, FIFO_TRACE);
    /* The default, as the CLOUDSTARS D2.1 report describes db-fifo: the head job gets the
     * configuration that finishes it soonest among those that fit now.
     * t=0: j0 finishes soonest on 2 H100 (100/6 = 16.667 s; 1 A100 would take 100 s).
     * t=1: j1 takes the 2 free A100 (200/2 = 100 s, JCT 100). t=2: nothing is free; j2 waits
     * and, at 16.667, takes the 2 H100 (10/6 = 1.667 s): JCT 16.667 + 1.667 - 2. */
    run_policy(&r, "db-fifo", NULL, 60, 0);
    ck_assert_str_eq(pool_name(&r, 0), "H100-80GB");
    ck_assert_int_eq(job(&r, 0)->alloc.gpus, 2);
    ck_assert_double_eq_tol(jct(&r, 0), 100.0 / 6, TOL);
    ck_assert_str_eq(pool_name(&r, 1), "A100-80GB");
    ck_assert_double_eq_tol(jct(&r, 1), 100, TOL);
    ck_assert_str_eq(pool_name(&r, 2), "H100-80GB");
    ck_assert_double_eq_tol(jct(&r, 2), 100.0 / 6 + 10.0 / 6 - 2, TOL);

    /* wait_busy=1: at t=1 the H100 free up at 16.667 and then take 200/6 = 33.333 s (done at
     * 50), sooner than the A100 (done at 101): j1 waits for them. t=2: j2 could run on the free
     * A100 at once, yet it may not overtake j1. t=16.667: j1 starts on 2 H100 (JCT 49); j2 then
     * takes 2 A100 (10/2 = 5 s, done at 21.667, JCT 19.667) rather than wait for the H100. */
    run_policy(&r, "db-fifo", wait, 60, 0);
    ck_assert_str_eq(pool_name(&r, 1), "H100-80GB");
    ck_assert_double_eq_tol(job(&r, 1)->first_start, 100.0 / 6, TOL);
    ck_assert_double_eq_tol(jct(&r, 1), 50 - 1, TOL);
    ck_assert_str_eq(pool_name(&r, 2), "A100-80GB");
    ck_assert_int_eq(job(&r, 2)->alloc.gpus, 2);
    ck_assert(job(&r, 2)->first_start >= job(&r, 1)->first_start);
    ck_assert_double_eq_tol(jct(&r, 2), 100.0 / 6 + 5 - 2, TOL);
    ck_assert_int_eq(job(&r, 0)->restarts + job(&r, 1)->restarts + job(&r, 2)->restarts, 0);

    /* fifo, for contrast: j0 on the first pool with room (1 A100: 100 s), j1 on 2 H100 from
     * t=1 (33.333 s), j2 on the last A100 from t=2 (10 s), overtaking nobody only by luck */
    run_policy(&r, "fifo", NULL, 60, 0);
    ck_assert_double_eq_tol(jct(&r, 0), 100, TOL);
    ck_assert_double_eq_tol(jct(&r, 1), 200.0 / 6, TOL);
    ck_assert_double_eq_tol(jct(&r, 2), 10, TOL);
    run_close(&r);
}
END_TEST

START_TEST(test_db_fifo_scale_cap)
{
    static const char *const cap1[] = {"max_scale=1", NULL}, *const cap15[] = {"max_scale=1.5",
                                                                               NULL};
    static const char *const bad[] = {"wait_busy=2", NULL};
    gs_sim_opts o;
    gs_err err = {0};
    run r;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, FIFO_ENTRIES, 2), TWO_POOLS_OF_2, FIFO_TRACE);
    /* max_scale=1: no job gets more GPUs than it asked for. t=0: j0 (1 GPU) on 1 H100
     * (100/3 = 33.333 s). t=1: j1 (2 GPUs) on the other H100 (200/3 = 66.667 s, sooner than
     * 100 s on 2 A100). t=2: j2 (1 GPU) on 1 A100 (10 s), not 2. */
    run_policy(&r, "db-fifo", cap1, 60, 0);
    ck_assert_str_eq(pool_name(&r, 0), "H100-80GB");
    ck_assert_int_eq(job(&r, 0)->alloc.gpus, 1);
    ck_assert_double_eq_tol(jct(&r, 0), 100.0 / 3, TOL);
    ck_assert_str_eq(pool_name(&r, 1), "H100-80GB");
    ck_assert_int_eq(job(&r, 1)->alloc.gpus, 1);
    ck_assert_double_eq_tol(jct(&r, 1), 200.0 / 3, TOL);
    ck_assert_str_eq(pool_name(&r, 2), "A100-80GB");
    ck_assert_int_eq(job(&r, 2)->alloc.gpus, 1);
    ck_assert_double_eq_tol(jct(&r, 2), 10, TOL);
    /* 1.5 x 1 GPU rounds down to 1: the same */
    run_policy(&r, "db-fifo", cap15, 60, 0);
    ck_assert_int_eq(job(&r, 0)->alloc.gpus, 1);
    /* wait_busy is 0 or 1 */
    gs_sim_opts_init(&o);
    o.policy = "db-fifo";
    o.params = bad;
    o.nparams = 1;
    ck_assert_ptr_null(gs_sim_new_named(&r.tr, r.cl, r.db, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "wait_busy"));
    run_close(&r);
}
END_TEST

/* ---- db-flat ---- */

/* Class a (1-GPU jobs) is nearly indifferent to the GPU type, class b (2-GPU jobs) runs three
 * times faster on an H100. The cluster has one A100 and one H100, so b must shrink to 1 GPU. */
static const char *const FLAT_ENTRIES =
    "{\"class\": \"a\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"a\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1.5, "
    "\"viable\": true},"
    "{\"class\": \"a\", \"gpu_type\": \"H100-80GB\", \"gpus\": 1, \"throughput\": 1.1, "
    "\"viable\": true},"
    "{\"class\": \"b\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"b\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1.5, "
    "\"viable\": true},"
    "{\"class\": \"b\", \"gpu_type\": \"H100-80GB\", \"gpus\": 1, \"throughput\": 3, "
    "\"viable\": true}";
static const char *const FLAT_MIX = "{\"max_gpus\": 1, \"weights\": {\"a\": 1}},"
                                    "{\"max_gpus\": 2, \"weights\": {\"b\": 1}}";
static const char *const ONE_A100_ONE_H100 =
    "{\"schema_version\": 1, \"name\": \"t\", \"node_groups\": ["
    "{\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 1, \"nodes\": 1},"
    "{\"gpu_type\": \"H100-80GB\", \"gpus_per_node\": 1, \"nodes\": 1}]}";
/* ja (class a): 100 s on 1 A100, work 100; jb (class b): 100 s on 2 A100, work 150; together */
static const char *const FLAT_TRACE = "job_id,gpu_num,submit_time,duration,type\n"
                                      "ja,1,1000000000,100,SFT\n"
                                      "jb,2,1000000000,100,SFT\n";

START_TEST(test_db_flat_packs_across_jobs)
{
    run r;

    run_open(&r, db_json("{\"name\": \"a\"}, {\"name\": \"b\"}", FLAT_MIX, FLAT_ENTRIES, 1),
             ONE_A100_ONE_H100, FLAT_TRACE);
    run_policy(&r, "db-flat", NULL, 60, 0);
    /* Efficiency = per-GPU throughput / per-GPU throughput of the original configuration:
     * jb on the H100 4 (3 / 0.75), jb on the A100 1.33, ja on the H100 1.1, ja on the A100 1.
     * The best pair is jb on the H100 (150/3 = 50 s); ja gets the A100 (100 s). */
    ck_assert_str_eq(pool_name(&r, 1), "H100-80GB");
    ck_assert_int_eq(job(&r, 1)->alloc.gpus, 1);
    ck_assert_double_eq_tol(jct(&r, 1), 50, TOL);
    ck_assert_str_eq(pool_name(&r, 0), "A100-80GB");
    ck_assert_double_eq_tol(jct(&r, 0), 100, TOL);

    /* In arrival order (db-fifo) ja takes the H100 first (100/1.1 = 90.909 s); jb would need
     * 150 s on the A100, so with wait_busy it waits for the H100 and ends at 90.909 + 50:
     * together 231.8 s of JCT against db-flat's 150 s. */
    {
        static const char *const wait[] = {"wait_busy=1", NULL};
        run_policy(&r, "db-fifo", wait, 60, 0);
        ck_assert_str_eq(pool_name(&r, 0), "H100-80GB");
        ck_assert_double_eq_tol(jct(&r, 0), 100 / 1.1, TOL);
        ck_assert_double_eq_tol(jct(&r, 1), 100 / 1.1 + 50, TOL);
    }
    /* without waiting (the default), jb takes the A100 at once: 150 s */
    run_policy(&r, "db-fifo", NULL, 60, 0);
    ck_assert_double_eq_tol(jct(&r, 1), 150, TOL);

    /* fifo cannot run jb at all: 2 GPUs fit no pool */
    run_policy(&r, "fifo", NULL, 60, 0);
    ck_assert_int_eq(job(&r, 1)->state, GS_JOB_REJECTED);
    run_close(&r);
}
END_TEST

/* ---- db-flat-scale ---- */

/* One class on one 4-GPU A100 node, slightly sublinear: 1, 1.9 and 3.6 samples/s on 1, 2 and 4
 * GPUs (so 1 GPU is the most efficient). */
static const char *const SCALE_ENTRIES =
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1.9, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 4, \"throughput\": 3.6, "
    "\"viable\": true}";
static const char *const ONE_NODE_OF_4 =
    "{\"schema_version\": 1, \"name\": \"t\", \"node_groups\": ["
    "{\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 4, \"nodes\": 1}]}";
/* jl: 1 GPU, 1000 s (work 1000); js: 1 GPU, 100 s (work 100), arrives at t=100 */
static const char *const SCALE_TRACE = "job_id,gpu_num,submit_time,duration,type\n"
                                       "jl,1,1000000000,1000,SFT\n"
                                       "js,1,1000000100,100,SFT\n";

START_TEST(test_db_flat_scale_grows_and_shrinks)
{
    run r;
    gs_sim_stats st;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, SCALE_ENTRIES, 4), ONE_NODE_OF_4, SCALE_TRACE);
    run_policy(&r, "db-flat-scale", NULL, 60, 0);
    /* t=0: jl is admitted on 1 GPU (the most efficient) and, as nobody else wants the node,
     * starts on all 4 (1 -> 2 adds 0.9 per GPU, 2 -> 4 0.85; 1000 s -> 277.8 s saves far more
     * than the restart delay of 60 s): 360 done by t=100.
     * t=100: js does not fit; jl goes back, and since js is too short to gain a restart delay
     * from more GPUs (100 -> 52.6 s), js starts on 1 and jl keeps 2 of the other 3 (4 -> 2;
     * 3 is not a configuration): jl restarts until 160 and runs at 1.9; js ends at 200.
     * t=200: jl (done 360 + 40 x 1.9 = 436) would take 564/1.9 = 296.8 s on 2 GPUs, 60 +
     * 564/3.6 = 216.7 s on 4: it saves 80.2 s >= 60 beyond its restart, so it grows to 4 and
     * ends at 260 + 156.667. */
    ck_assert_double_eq_tol(jct(&r, 1), 100, TOL);
    ck_assert_int_eq(job(&r, 1)->restarts, 0);
    ck_assert_double_eq_tol(jct(&r, 0), 260 + 564 / 3.6, TOL);
    ck_assert_int_eq(job(&r, 0)->restarts, 2);
    ck_assert_int_eq(job(&r, 0)->alloc.gpus, 4);
    gs_sim_stats_get(r.sim, &st);
    ck_assert_int_eq(st.restarts, 2);

    /* db-flat never scales: jl runs on 1 GPU for 1000 s, js beside it */
    run_policy(&r, "db-flat", NULL, 60, 0);
    ck_assert_double_eq_tol(jct(&r, 0), 1000, TOL);
    ck_assert_double_eq_tol(jct(&r, 1), 100, TOL);

    /* With min_gain 3 the grow at t=200 (saving 80.2 s beyond the restart) is not worth it:
     * jl stays on 2 GPUs and ends at 200 + 296.842 */
    {
        static const char *const params[] = {"min_gain=3", NULL};
        run_policy(&r, "db-flat-scale", params, 60, 0);
        ck_assert_double_eq_tol(jct(&r, 0), 200 + 564 / 1.9, TOL);
        ck_assert_int_eq(job(&r, 0)->restarts, 1);
    }
    run_close(&r);
}
END_TEST

/* ---- starvation bound ---- */

/* Small 1-GPU jobs (class s, most efficient on 1 GPU) arrive every 40 s for 100 s each on one
 * 2-GPU node; a job of class big (viable on 2 GPUs only) arrives at t=1. */
static const char *const STARVE_ENTRIES =
    "{\"class\": \"s\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"s\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1.6, "
    "\"viable\": true},"
    "{\"class\": \"big\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": false},"
    "{\"class\": \"big\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 2, "
    "\"viable\": true}";
static const char *const STARVE_MIX = "{\"max_gpus\": 1, \"weights\": {\"s\": 1}},"
                                      "{\"max_gpus\": 2, \"weights\": {\"big\": 1}}";
static const char *const ONE_NODE_OF_2 =
    "{\"schema_version\": 1, \"name\": \"t\", \"node_groups\": ["
    "{\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 2, \"nodes\": 1}]}";

START_TEST(test_db_flat_starvation_bound)
{
    static const char *const pols[] = {"db-flat", "db-flat-scale"};
    static const char *const on[] = {"starve_limit=300", NULL}, *const off[] = {"starve_limit=0",
                                                                                NULL};
    char trace[8192];
    size_t n = 0, k, i, j;
    run r;

    n += (size_t)snprintf(trace + n, sizeof(trace) - n,
                          "job_id,gpu_num,submit_time,duration,type\n");
    for (k = 0; k < 40; k++) {
        n += (size_t)snprintf(trace + n, sizeof(trace) - n, "s%zu,1,%zu,100,SFT\n", k,
                              1000000000 + 40 * k);
        if (k == 0)
            n += (size_t)snprintf(trace + n, sizeof(trace) - n, "big,2,1000000001,100,SFT\n");
    }
    run_open(&r, db_json("{\"name\": \"s\"}, {\"name\": \"big\"}", STARVE_MIX, STARVE_ENTRIES, 2),
             ONE_NODE_OF_2, trace);
    for (i = 0; i < 2; i++) {
        double last_small = 0;
        /* without the bound, a GPU that comes free always goes to a waiting small job (value 1
         * per GPU against 0.5): the big job starts only once no small job is left to start */
        run_policy(&r, pols[i], i ? off : NULL, 60, 0); /* off is the default */
        for (j = 0; j < gs_sim_njobs(r.sim); j++)
            if (j != 1 && job(&r, j)->first_start > last_small)
                last_small = job(&r, j)->first_start;
        ck_assert(job(&r, 1)->first_start >= last_small);
        ck_assert(job(&r, 1)->first_start > 1500);
        /* with it, the big job is served first once it has waited 300 s: the node is reserved
         * at the next event (an arrival every 40 s), drains within 100 s, and it starts */
        run_policy(&r, pols[i], on, 60, 0);
        ck_assert(job(&r, 1)->first_start > 1 + 300);
        ck_assert(job(&r, 1)->first_start <= 1 + 300 + 40 + 100);
        ck_assert_double_eq_tol(jct(&r, 1), job(&r, 1)->first_start - 1 + 100, TOL);
    }
    run_close(&r);
}
END_TEST

/* ---- knowledge, not truth ---- */

START_TEST(test_reads_knowledge_only)
{
    static const char *const pols[] = {"db-fifo", "db-flat", "db-flat-scale"};
    run r;
    size_t i, j;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, FIFO_ENTRIES, 2), TWO_POOLS_OF_2, FIFO_TRACE);
    /* every viability flipped in what the policies believe: no configuration is viable to
     * them, so they reject every job although the truth could run them all */
    for (i = 0; i < 3; i++) {
        run_policy(&r, pols[i], NULL, 60, 1.0);
        for (j = 0; j < 3; j++) {
            ck_assert_int_eq(job(&r, (uint32_t)j)->state, GS_JOB_REJECTED);
            ck_assert_int_eq(job(&r, (uint32_t)j)->reject_reason, GS_REJECT_NO_VIABLE);
        }
    }
    run_policy(&r, "fifo", NULL, 60, 1.0); /* fifo reads no DB */
    ck_assert_int_eq(job(&r, 2)->state, GS_JOB_DONE);
    run_close(&r);
}
END_TEST

START_TEST(test_bad_param)
{
    static const char *const params[] = {"starve_limit=soon", NULL};
    gs_sim_opts o;
    gs_err err = {0};
    run r;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, FIFO_ENTRIES, 2), TWO_POOLS_OF_2, FIFO_TRACE);
    gs_sim_opts_init(&o);
    o.policy = "db-flat";
    o.params = params;
    o.nparams = 1;
    ck_assert_ptr_null(gs_sim_new_named(&r.tr, r.cl, r.db, &o, &err));
    ck_assert_int_eq(err.code, GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "starve_limit"));
    ck_assert_ptr_nonnull(strstr(err.msg, "soon"));
    run_close(&r);
}
END_TEST

/* ---- a busier mix: valid plans, properties, determinism ---- */

static const char *const MIX_ENTRIES =
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 1, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1.9, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 4, \"throughput\": 3.5, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"A100-80GB\", \"gpus\": 8, \"throughput\": 6.2, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 1, \"throughput\": 2.2, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 2, \"throughput\": 4.1, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 4, \"throughput\": 7.6, "
    "\"viable\": true},"
    "{\"class\": \"x\", \"gpu_type\": \"H100-80GB\", \"gpus\": 8, \"throughput\": 13, "
    "\"viable\": true},"
    "{\"class\": \"y\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 1, "
    "\"viable\": false},"
    "{\"class\": \"y\", \"gpu_type\": \"A100-80GB\", \"gpus\": 4, \"throughput\": 2, "
    "\"viable\": true},"
    "{\"class\": \"y\", \"gpu_type\": \"A100-80GB\", \"gpus\": 8, \"throughput\": 3.6, "
    "\"viable\": true},"
    "{\"class\": \"y\", \"gpu_type\": \"H100-80GB\", \"gpus\": 4, \"throughput\": 5, "
    "\"viable\": true},"
    "{\"class\": \"y\", \"gpu_type\": \"H100-80GB\", \"gpus\": 8, \"throughput\": 9, "
    "\"viable\": true}";
static const char *const MIX_MIX = "{\"max_gpus\": 2, \"weights\": {\"x\": 1}},"
                                   "{\"max_gpus\": 16, \"weights\": {\"x\": 1, \"y\": 1}}";
static const char *const MIX_CLUSTER =
    "{\"schema_version\": 1, \"name\": \"t\", \"node_groups\": ["
    "{\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 4, \"nodes\": 3},"
    "{\"gpu_type\": \"H100-80GB\", \"gpus_per_node\": 4, \"nodes\": 2}]}";

START_TEST(test_busy_mix_properties)
{
    static const char *const pols[] = {"db-fifo", "db-flat", "db-flat-scale"};
    static const int gpus[] = {1, 1, 2, 4, 4, 8, 8, 16};
    char *trace = malloc(64 * 400 + 64), *out[2];
    size_t n = 0, i, j, k;
    unsigned long x = 12345, t = 1000000000;
    run r;

    ck_assert_ptr_nonnull(trace);
    n += (size_t)sprintf(trace + n, "job_id,gpu_num,submit_time,duration,type\n");
    for (i = 0; i < 300; i++) { /* a fixed LCG: bursts of arrivals, durations 10 s .. ~3 h */
        x = x * 6364136223846793005ul + 1442695040888963407ul;
        t += (x >> 33) % 120;
        n += (size_t)sprintf(trace + n, "j%zu,%d,%lu,%lu,SFT\n", i, gpus[(x >> 20) % 8], t,
                             10 + ((x >> 40) % 1000) * ((x >> 50) % 11));
    }
    run_open(&r, db_json("{\"name\": \"x\"}, {\"name\": \"y\"}", MIX_MIX, MIX_ENTRIES, 4),
             MIX_CLUSTER, trace);
    for (i = 0; i < 3; i++) {
        for (k = 0; k < 2; k++) {
            FILE *fp;
            size_t len;
            run_policy(&r, pols[i], NULL, 60, 0);
            for (j = 0; j < gs_sim_njobs(r.sim); j++) {
                const gs_job *jb = job(&r, (uint32_t)j);
                ck_assert_int_eq(jb->state, GS_JOB_DONE);
                ck_assert_int_eq(jb->failures, 0);
                if (i < 2) /* only db-flat-scale changes allocations */
                    ck_assert_int_eq(jb->restarts, 0);
                if (i == 0 && j > 0) /* db-fifo: nobody starts before an earlier job */
                    ck_assert(job(&r, (uint32_t)j - 1)->first_start <= jb->first_start);
            }
            fp = open_memstream(&out[k], &len);
            ck_assert_ptr_nonnull(fp);
            ck_assert_int_eq(gs_sim_write_jobs(r.sim, fp, NULL), GS_OK);
            fclose(fp);
        }
        ck_assert_str_eq(out[0], out[1]); /* same inputs, same bytes */
        free(out[0]);
        free(out[1]);
    }
    /* the 16-GPU jobs of class x fit no pool as submitted; the informed policies ran them on 8 */
    run_close(&r);
    free(trace);
}
END_TEST

/* ---- fifo-backfill ---- */

START_TEST(test_fifo_backfill_keeps_the_reservation)
{
    /* one node of 4: j0 holds 2 GPUs until 100; head j1 needs all 4, so its reservation is
     * t=100 (when j0 is predicted to end: its trace duration); j2 (1 GPU, 50 s) fits beside j0
     * and ends by 52, before the reservation: it starts at once; j3 (1 GPU, 500 s) would still
     * hold a GPU at 100 and delay j1: it waits */
    static const char *const trace = "job_id,gpu_num,submit_time,duration,type\n"
                                     "j0,2,1000000000,100,SFT\n"
                                     "j1,4,1000000001,50,SFT\n"
                                     "j2,1,1000000002,50,SFT\n"
                                     "j3,1,1000000003,500,SFT\n";
    run r;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, SCALE_ENTRIES, 4), ONE_NODE_OF_4, trace);
    run_policy(&r, "fifo-backfill", NULL, 60, 0);
    ck_assert_double_eq_tol(job(&r, 2)->first_start, 2, TOL);
    ck_assert_double_eq_tol(jct(&r, 2), 50, TOL);
    ck_assert_double_eq_tol(job(&r, 1)->first_start, 100, TOL); /* not delayed */
    ck_assert_double_eq_tol(jct(&r, 1), 149, TOL);
    ck_assert_double_eq_tol(job(&r, 3)->first_start, 150, TOL);
    ck_assert_double_eq_tol(jct(&r, 3), 647, TOL);
    /* fifo: j2 waits behind j1 */
    run_policy(&r, "fifo", NULL, 60, 0);
    ck_assert_double_eq_tol(job(&r, 2)->first_start, 150, TOL);
    ck_assert_double_eq_tol(jct(&r, 1), 149, TOL);
    run_close(&r);
}
END_TEST

START_TEST(test_fifo_backfill_uses_spare_gpus_of_the_reservation)
{
    /* j0 holds 3 GPUs until 100; head j1 needs 2: at its reservation (t=100) all 4 are free,
     * one more than it needs, so j2 (1 GPU, 500 s) may run past it on the free GPU */
    static const char *const trace = "job_id,gpu_num,submit_time,duration,type\n"
                                     "j0,3,1000000000,100,SFT\n"
                                     "j1,2,1000000001,50,SFT\n"
                                     "j2,1,1000000002,500,SFT\n";
    run r;

    run_open(&r, db_json("{\"name\": \"x\"}", NULL, SCALE_ENTRIES, 4), ONE_NODE_OF_4, trace);
    run_policy(&r, "fifo-backfill", NULL, 60, 0);
    ck_assert_double_eq_tol(job(&r, 2)->first_start, 2, TOL);
    ck_assert_double_eq_tol(jct(&r, 2), 500, TOL);
    ck_assert_double_eq_tol(job(&r, 1)->first_start, 100, TOL);
    ck_assert_double_eq_tol(jct(&r, 1), 149, TOL);
    run_policy(&r, "fifo", NULL, 60, 0);
    ck_assert_double_eq_tol(jct(&r, 2), 598, TOL);
    /* depth 0 turns backfilling off: fifo again */
    {
        static const char *const params[] = {"depth=0", NULL};
        run_policy(&r, "fifo-backfill", params, 60, 0);
        ck_assert_double_eq_tol(jct(&r, 2), 598, TOL);
    }
    run_close(&r);
}
END_TEST

static Suite *dbpol_suite(void)
{
    Suite *s = suite_create("dbpol");
    TCase *tc = tcase_create("scenarios");

    tcase_add_test(tc, test_db_fifo_fast_type_and_order);
    tcase_add_test(tc, test_db_fifo_scale_cap);
    tcase_add_test(tc, test_db_flat_packs_across_jobs);
    tcase_add_test(tc, test_db_flat_scale_grows_and_shrinks);
    tcase_add_test(tc, test_db_flat_starvation_bound);
    tcase_add_test(tc, test_reads_knowledge_only);
    tcase_add_test(tc, test_bad_param);
    tcase_add_test(tc, test_busy_mix_properties);
    tcase_add_test(tc, test_fifo_backfill_keeps_the_reservation);
    tcase_add_test(tc, test_fifo_backfill_uses_spare_gpus_of_the_reservation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(dbpol_suite());
}
