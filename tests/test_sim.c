/* SPDX-License-Identifier: Apache-2.0 */
/* The scheduling core on hand-computed scenarios: job model (work, speed, restarts, failed
 * starts), fifo, plan validation, horizons, metrics and determinism. It reads the core's private
 * job record (src/core/job_int.h) to check the bookkeeping that policies do not see. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/cdf.h"
#include "gpusim/cluster.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "job_int.h"
#include "testutil.h"

#define HDR "job_id,gpu_num,type,submit_time,duration\n"
#define T0  "2023-03-01 00:00:"

/* the tiny DB of tests/data with its class mix replaced */
static const char *db_text =
    "{\"schema_version\": 1, \"name\": \"t\", \"reference_gpu_type\": \"A100-80GB\",\n"
    " \"gpu_types\": [{\"name\": \"V100-32GB\", \"memory_gb\": 32},\n"
    "               {\"name\": \"A100-80GB\", \"memory_gb\": 80}],\n"
    " \"classes\": [{\"name\": \"small\"}, {\"name\": \"big\"}],\n"
    " \"class_mix\": [{\"max_gpus\": 1000000, \"weights\": ";
static const char *db_tail =
    "}],\n"
    " \"entries\": [\n"
    "  {\"class\": \"small\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, \"throughput\": 10, "
    "\"viable\": true},\n"
    "  {\"class\": \"small\", \"gpu_type\": \"A100-80GB\", \"gpus\": 8, \"throughput\": 80, "
    "\"viable\": true},\n"
    "  {\"class\": \"small\", \"gpu_type\": \"V100-32GB\", \"gpus\": 1, \"throughput\": 5, "
    "\"viable\": true},\n"
    "  {\"class\": \"small\", \"gpu_type\": \"V100-32GB\", \"gpus\": 8, \"throughput\": 40, "
    "\"viable\": true},\n"
    "  {\"class\": \"big\", \"gpu_type\": \"A100-80GB\", \"gpus\": 2, \"throughput\": 18, "
    "\"viable\": true},\n"
    "  {\"class\": \"big\", \"gpu_type\": \"A100-80GB\", \"gpus\": 8, \"throughput\": 72, "
    "\"viable\": true},\n"
    "  {\"class\": \"big\", \"gpu_type\": \"V100-32GB\", \"gpus\": 2, \"throughput\": 9, "
    "\"viable\": false},\n"
    "  {\"class\": \"big\", \"gpu_type\": \"V100-32GB\", \"gpus\": 8, \"throughput\": 36, "
    "\"viable\": true}\n"
    " ]}\n";

static const char *cl_both = "{\"schema_version\": 1, \"name\": \"both\", \"node_groups\": [\n"
                             " {\"gpu_type\": \"V100-32GB\", \"nodes\": 1},\n"
                             " {\"gpu_type\": \"A100-80GB\", \"nodes\": 1}]}\n";
static const char *cl_a100 = "{\"schema_version\": 1, \"name\": \"a100\", \"node_groups\": [\n"
                             " {\"gpu_type\": \"A100-80GB\", \"nodes\": 1}]}\n";

typedef struct world {
    char *paths[3];
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
    gs_sim *sim;
    gs_sim_opts o;
    gs_err err;
} world;

static world w;

static void teardown(void)
{
    int i;

    gs_sim_free(w.sim);
    gs_trace_release(&w.tr);
    gs_cluster_free(w.cl);
    gs_scaledb_free(w.db);
    for (i = 0; i < 3; i++) {
        if (w.paths[i])
            remove(w.paths[i]);
        free(w.paths[i]);
    }
    memset(&w, 0, sizeof(w));
}

/* Builds the world; mix is the class weights, e.g. "{\"small\": 1}". */
static void build(const char *mix, const char *cluster, const char *trace)
{
    char dbt[4096];

    teardown();
    snprintf(dbt, sizeof(dbt), "%s%s%s", db_text, mix, db_tail);
    w.paths[0] = gs_test_tmpfile(dbt, ".json");
    w.paths[1] = gs_test_tmpfile(cluster, ".json");
    w.paths[2] = gs_test_tmpfile(trace, ".csv");
    w.db = gs_scaledb_load(w.paths[0], &w.err);
    ck_assert_msg(w.db != NULL, "%s", w.err.msg);
    w.cl = gs_cluster_load(w.paths[1], w.db, &w.err);
    ck_assert_msg(w.cl != NULL, "%s", w.err.msg);
    ck_assert_msg(gs_trace_load(&w.tr, w.paths[2], "all", &w.err) == GS_OK, "%s", w.err.msg);
    gs_sim_opts_init(&w.o);
    gs_test_legacy_lifecycle(w.cl, &w.o);
}

static int run(void)
{
    w.sim = gs_sim_new_named(&w.tr, w.cl, w.db, &w.o, &w.err);
    ck_assert_msg(w.sim != NULL, "%s", w.err.msg);
    return gs_sim_run(w.sim, &w.err);
}

static const gs__job *job(uint32_t i)
{
    return gs__sim_job(w.sim, i);
}

static double jct(uint32_t i)
{
    ck_assert_int_eq(job(i)->state, GS_JOB_DONE);
    return job(i)->finish - job(i)->submit;
}

START_TEST(test_speed_from_db)
{
    /* fifo puts the job on the first pool with room, V100: small runs at 5/GPU there instead of
     * 10/GPU on the A100 it was measured on, so it takes twice its trace duration */
    build("{\"small\": 1}", cl_both, HDR "a,8,SFT," T0 "00+08:00,100\n");
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(job(0)->work, 100 * 80, 1e-9);
    ck_assert_double_eq_tol(jct(0), 200, 1e-9);
    ck_assert_int_eq(job(0)->alloc.pool, 0);
    ck_assert_int_eq(job(0)->restarts, 0);
    /* on its original configuration it takes exactly its duration */
    build("{\"small\": 1}", cl_a100, HDR "a,8,SFT," T0 "00+08:00,100\n");
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(jct(0), 100, 1e-9);
}
END_TEST

START_TEST(test_fifo_head_of_line)
{
    gs_sim_stats st;

    build("{\"small\": 1}", cl_a100,
          HDR "j1,4,SFT," T0 "00+08:00,100\n"
              "j2,8,SFT," T0 "01+08:00,50\n"
              "j3,1,SFT," T0 "02+08:00,10\n");
    ck_assert_int_eq(run(), GS_OK);
    /* j3 could use the 4 free GPUs at t=2 but must wait behind j2 */
    ck_assert_double_eq_tol(job(0)->first_start, 0, 1e-9);
    ck_assert_double_eq_tol(job(1)->first_start, 100, 1e-9);
    ck_assert_double_eq_tol(job(2)->first_start, 150, 1e-9);
    ck_assert_double_eq_tol(jct(0), 100, 1e-9);
    ck_assert_double_eq_tol(jct(1), 149, 1e-9);
    ck_assert_double_eq_tol(jct(2), 158, 1e-9);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.finished, 3);
    ck_assert_double_eq_tol(st.mean_jct, (100 + 149 + 158) / 3.0, 1e-9);
    ck_assert_double_eq_tol(st.p50_jct, 149, 1e-9);
    ck_assert_double_eq_tol(st.makespan, 160, 1e-9);
    ck_assert_double_eq_tol(st.mean_queue, (0 + 99 + 148) / 3.0, 1e-9);
    ck_assert_double_eq_tol(st.gpu_hours, (4 * 100 + 8 * 50 + 1 * 10) / 3600.0, 1e-12);
}
END_TEST

START_TEST(test_failed_start_and_retry)
{
    /* big is not viable on 2 V100: fifo tries there first, the start fails after fail_delay,
     * and the job runs on the A100 pool */
    build("{\"big\": 1}", cl_both, HDR "a,2,SFT," T0 "00+08:00,100\n");
    w.o.fail_delay = 30;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->failures, 1);
    ck_assert_int_eq(job(0)->restarts, 0); /* it had made no progress */
    ck_assert_int_eq(job(0)->alloc.pool, 1);
    ck_assert_double_eq_tol(job(0)->first_start, 0, 1e-9); /* it got GPUs at once */
    ck_assert_double_eq_tol(job(0)->start, 30, 1e-9);
    ck_assert_double_eq_tol(jct(0), 130, 1e-9);
}
END_TEST

/* Progress as policies see it: the fraction of the work done. */
START_TEST(test_view_progress)
{
    build("{\"small\": 1}", cl_both, HDR "a,1,SFT," T0 "00+08:00,100\n");
    w.o.restart_delay = 0;
    w.o.until = 60;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(gs_sim_job(w.sim, 0)->state, GS_JOB_RUNNING);
    ck_assert_double_eq_tol(gs_sim_job_progress(w.sim, 0), gs_sim_job_done(w.sim, 0) / job(0)->work,
                            1e-12);
    ck_assert_double_gt(gs_sim_job_progress(w.sim, 0), 0);
    ck_assert_double_lt(gs_sim_job_progress(w.sim, 0), 1);
    ck_assert_double_le(gs_sim_job_ready_at(w.sim, 0), 60);
    ck_assert_int_eq(gs_sim_job_restarting(w.sim, 0), 0);
}
END_TEST

START_TEST(test_unschedulable)
{
    gs_sim_stats st;

    build("{\"small\": 1}", cl_both,
          HDR "a,16,SFT," T0 "00+08:00,100\n"
              "b,1,SFT," T0 "01+08:00,10\n");
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->state, GS_JOB_REJECTED);
    ck_assert_int_eq(job(0)->reject_reason, GS_REJECT_TOO_LARGE);
    ck_assert_double_eq_tol(jct(1), 20, 1e-9); /* not blocked by the rejected job */
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.rejected, 1);
    ck_assert_uint_eq(st.finished, 1);
}
END_TEST

START_TEST(test_horizon)
{
    gs_sim_stats st;

    build("{\"small\": 1}", cl_a100,
          HDR "j1,4,SFT," T0 "00+08:00,100\n"
              "j2,8,SFT," T0 "01+08:00,50\n"
              "j3,1,SFT," T0 "02+08:00,10\n");
    w.o.until = 120;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->state, GS_JOB_DONE);
    ck_assert_int_eq(job(1)->state, GS_JOB_RUNNING);
    ck_assert_int_eq(job(2)->state, GS_JOB_QUEUED);
    ck_assert_double_eq_tol(gs_sim_job_done(w.sim, 1), 20 * 80, 1e-9);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.unfinished, 2);
}
END_TEST

/* ---- a scripted policy: given actions at given round numbers ---- */

typedef struct step {
    int round;
    int kind;
    uint32_t job;
    int pool;
    int gpus;
} step;

static const step *script;
static int script_rounds;

static int sc_init(void **state, const gs_sim *sim, gs_err *err)
{
    (void)sim;
    (void)err;
    script_rounds = 0;
    *state = NULL;
    return GS_OK;
}

static void sc_destroy(void *state)
{
    (void)state;
}

static int sc_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    const step *s;

    (void)state;
    (void)sim;
    script_rounds++;
    for (s = script; s->kind; s++) {
        int rc = GS_OK;
        if (s->round != script_rounds)
            continue;
        if (s->kind == GS_ACT_START)
            rc = gs_plan_start(out, s->job, s->pool, s->gpus, err);
        else if (s->kind == GS_ACT_RESIZE)
            rc = gs_plan_resize(out, s->job, s->pool, s->gpus, err);
        else if (s->kind == GS_ACT_PREEMPT)
            rc = gs_plan_preempt(out, s->job, err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

static const gs_policy_ops scripted = {
    .abi = GS_POLICY_ABI,
    .name = "scripted",
    .summary = "actions from a table",
    .init = sc_init,
    .schedule = sc_schedule,
    .destroy = sc_destroy,
    .knowledge = "test",
    .flags = GS_POLICY_ROUNDS,
};

START_TEST(test_resize_pays_restart)
{
    /* rounds every 50 s: start at 50 on 1 A100 (10/s), grow to 8 A100 (80/s) at 100:
     * 500 of 1000 done, 60 s restart, 500 / 80 = 6.25 s more: finish at 166.25 */
    static const step s[] = {{1, GS_ACT_START, 0, 0, 1}, {2, GS_ACT_RESIZE, 0, 0, 8}, {0}};
    FILE *fp;
    char *text;

    script = s;
    build("{\"small\": 1}", cl_a100, HDR "a,1,SFT," T0 "00+08:00,100\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 50;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->restarts, 1);
    ck_assert_double_eq_tol(job(0)->first_start, 50, 1e-9);
    ck_assert_double_eq_tol(jct(0), 166.25, 1e-9);
    fp = tmpfile();
    gs_sim_write_allocations(w.sim, fp, &w.err);
    rewind(fp);
    text = calloc(1, 4096);
    ck_assert_uint_gt(fread(text, 1, 4095, fp), 0);
    fclose(fp);
    ck_assert_str_eq(text, "job_id,gpu_type,gpus,nodes,start,end,outcome\n"
                           "a,A100-80GB,1,1,50.000000,100.000000,resized\n"
                           "a,A100-80GB,8,1,100.000000,166.250000,finished\n");
    free(text);
    {
        gs_sim_stats st;
        gs_sim_stats_get(w.sim, &st);
        ck_assert_double_eq_tol(st.wasted_gpu_hours, 8 * 60 / 3600.0, 1e-12);
    }
}
END_TEST

START_TEST(test_preempt_keeps_progress)
{
    /* run 50..100 (500 done), preempted, resumed at 150 after a 60 s restart: 210 + 50 = 260 */
    static const step s[] = {
        {1, GS_ACT_START, 0, 0, 1}, {2, GS_ACT_PREEMPT, 0, 0, 0}, {3, GS_ACT_START, 0, 0, 1}, {0}};

    script = s;
    build("{\"small\": 1}", cl_a100, HDR "a,1,SFT," T0 "00+08:00,100\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 50;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->restarts, 1);
    ck_assert_double_eq_tol(jct(0), 260, 1e-9);
}
END_TEST

START_TEST(test_rounds_wait_for_boundary)
{
    /* arrivals mid-round are considered at the next boundary; a job finishing mid-round frees
     * its GPUs at once (gpu time stops), but the next start waits for the boundary */
    static const step s[] = {{1, GS_ACT_START, 0, 0, 8}, {2, GS_ACT_START, 1, 0, 8}, {0}};

    script = s;
    build("{\"small\": 1}", cl_a100,
          HDR "a,8,SFT," T0 "10+08:00,25\n"
              "b,8,SFT," T0 "20+08:00,10\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 60;
    ck_assert_int_eq(run(), GS_OK);
    /* times are rebased to a's submission: a arrives at 0, b at 10 */
    ck_assert_double_eq_tol(job(0)->first_start, 60, 1e-9);
    ck_assert_double_eq_tol(job(0)->finish, 85, 1e-9);
    ck_assert_double_eq_tol(job(1)->first_start, 120, 1e-9);
}
END_TEST

/* ---- the queue and running sets of the policy view ---- */

static int sets_checked;

/* The walk of one set: strictly increasing job numbers, all in state want, as many as _len says
 * and as many as the jobs in that state. */
static int check_set(gs_sim *sim, int running, gs_err *err)
{
    enum gs_job_state want = running ? GS_JOB_RUNNING : GS_JOB_QUEUED;
    uint32_t j, prev = GS_JOB_NONE, k;
    size_t n = 0, in_state = 0;

    for (j = running ? gs_sim_running_first(sim) : gs_sim_queue_first(sim); j != GS_JOB_NONE;
         j = running ? gs_sim_running_next(sim, j) : gs_sim_queue_next(sim, j)) {
        if ((prev != GS_JOB_NONE && j <= prev) || gs_sim_job(sim, j)->state != want)
            return gs_errorf(err, GS_EINVAL, "set %d: job %u out of order or not in state", running,
                             j);
        prev = j;
        n++;
    }
    for (k = 0; k < gs_sim_njobs(sim); k++)
        in_state += gs_sim_job(sim, k)->state == want;
    if (n != in_state || n != (running ? gs_sim_running_len(sim) : gs_sim_queue_len(sim)))
        return gs_errorf(err, GS_EINVAL, "set %d: walked %zu, %zu in state", running, n, in_state);
    return GS_OK;
}

/* Checks both sets, then preempts the oldest running job and starts the newest queued one
 * that fits on 1 GPU: jobs come back to the queue out of submission order. */
static int shuffle_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    uint32_t j, newest = GS_JOB_NONE, oldest = gs_sim_running_first(sim);
    int rc;

    (void)state;
    if ((rc = check_set(sim, 0, err)) != GS_OK || (rc = check_set(sim, 1, err)) != GS_OK)
        return rc;
    sets_checked++;
    for (j = gs_sim_queue_first(sim); j != GS_JOB_NONE; j = gs_sim_queue_next(sim, j))
        newest = j;
    if (oldest != GS_JOB_NONE && (rc = gs_plan_preempt(out, oldest, err)) != GS_OK)
        return rc;
    if (newest != GS_JOB_NONE && (gs_sim_pool_free(sim, 0) > 0 || oldest != GS_JOB_NONE))
        return gs_plan_start(out, newest, 0, 1, err);
    return GS_OK;
}

static const gs_policy_ops shuffler = {
    .abi = GS_POLICY_ABI,
    .name = "shuffler",
    .summary = "preempts the oldest, starts the newest",
    .init = sc_init,
    .schedule = shuffle_schedule,
    .destroy = sc_destroy,
    .knowledge = "test",
    .flags = GS_POLICY_ROUNDS,
};

START_TEST(test_queue_and_running_walks)
{
    char trace[8192];
    size_t len;
    int i;

    len = (size_t)snprintf(trace, sizeof(trace), "%s", HDR);
    for (i = 0; i < 60; i++)
        len += (size_t)snprintf(trace + len, sizeof(trace) - len, "j%d,1,SFT," T0 "%02d+08:00,%d\n",
                                i, i % 60, 30 + i % 7);
    build("{\"small\": 1}", cl_a100, trace);
    w.o.policy_ops = &shuffler;
    w.o.round_length = 10;
    w.o.restart_delay = 0;
    sets_checked = 0;
    ck_assert_msg(run() == GS_OK, "%s", w.err.msg);
    ck_assert_int_gt(sets_checked, 50);
    for (i = 0; i < 60; i++)
        ck_assert_int_eq(job((uint32_t)i)->state, GS_JOB_DONE);
}
END_TEST

static void expect_invalid(const step *s, const char *what)
{
    script = s;
    build("{\"small\": 1}", cl_a100,
          HDR "a,4,SFT," T0 "00+08:00,100\n"
              "b,4,SFT," T0 "00+08:00,100\n");
    w.o.policy_ops = &scripted;
    ck_assert_int_eq(run(), GS_EINVAL);
    ck_assert_msg(strstr(w.err.msg, "invalid plan") && strstr(w.err.msg, what), "%s", w.err.msg);
    ck_assert_msg(strstr(w.err.msg, "scripted") != NULL, "%s", w.err.msg);
}

START_TEST(test_plan_validation)
{
    static const step twice[] = {{1, GS_ACT_START, 0, 0, 8}, {1, GS_ACT_START, 1, 0, 1}, {0}};
    static const step dup[] = {{1, GS_ACT_START, 0, 0, 1}, {1, GS_ACT_START, 0, 0, 1}, {0}};
    static const step notrun[] = {{1, GS_ACT_RESIZE, 0, 0, 2}, {0}};
    static const step big[] = {{1, GS_ACT_START, 0, 0, 9}, {0}};
    static const step nopool[] = {{1, GS_ACT_START, 0, 3, 1}, {0}};
    static const step again[] = {{1, GS_ACT_START, 0, 0, 1}, {2, GS_ACT_START, 0, 0, 1}, {0}};

    expect_invalid(twice, "cannot be placed");
    /* nothing was applied: the first action of the invalid plan did not start */
    ck_assert_int_eq(job(0)->state, GS_JOB_QUEUED);
    expect_invalid(dup, "twice");
    expect_invalid(notrun, "not running");
    expect_invalid(big, "do not fit");
    expect_invalid(nopool, "no pool");
    expect_invalid(again, "not queued");
}
END_TEST

static char *jobs_csv(void)
{
    FILE *fp = tmpfile();
    char *text = calloc(1, 1 << 16);

    ck_assert_int_eq(gs_sim_write_jobs(w.sim, fp, &w.err), GS_OK);
    rewind(fp);
    ck_assert_uint_gt(fread(text, 1, (1 << 16) - 1, fp), 0);
    fclose(fp);
    return text;
}

START_TEST(test_classes_seeded_and_viable)
{
    char trace[8192], *a, *b, *c;
    int i, n = 60, differ = 0, cls0[60];

    strcpy(trace, HDR);
    for (i = 0; i < n; i++)
        sprintf(trace + strlen(trace), "j%d,%d,SFT," T0 "%02d+08:00,%d\n", i, i % 3 ? 2 : 8, i % 60,
                10 + i);
    build("{\"small\": 1, \"big\": 1}", cl_a100, trace);
    ck_assert_int_eq(run(), GS_OK);
    for (i = 0; i < n; i++) {
        double thr;
        int viable;
        cls0[i] = job((uint32_t)i)->cls;
        /* always viable on the original configuration */
        gs_scaledb_lookup(w.db, cls0[i], 1, job((uint32_t)i)->tj->gpu_num, 0, &thr, &viable);
        ck_assert_int_eq(viable, 1);
    }
    a = jobs_csv();
    gs_sim_free(w.sim);
    w.sim = NULL;
    ck_assert_int_eq(run(), GS_OK);
    b = jobs_csv();
    ck_assert_str_eq(a, b); /* same seed, same bytes */
    gs_sim_free(w.sim);
    w.sim = NULL;
    w.o.seed = 2;
    ck_assert_int_eq(run(), GS_OK);
    for (i = 0; i < n; i++)
        differ += job((uint32_t)i)->cls != cls0[i];
    ck_assert_int_gt(differ, 0);
    c = jobs_csv();
    ck_assert_str_ne(a, c);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(test_infeasible_class)
{
    /* big needs 2+ GPUs and small is not viable on 1 GPU either here: no class can have run a
     * 1-GPU job */
    build("{\"big\": 1}", cl_a100, HDR "a,1,SFT," T0 "00+08:00,100\n");
    {
        size_t n, i;
        gs_scaledb_entry *e = gs_scaledb_entries_mut(w.db, &n);
        for (i = 0; i < n; i++)
            if (e[i].gpus == 1)
                e[i].viable = 0;
        ck_assert_int_eq(gs_scaledb_reindex(w.db, &w.err), GS_OK);
    }
    ck_assert_ptr_null(gs_sim_new_named(&w.tr, w.cl, w.db, &w.o, &w.err));
    ck_assert_int_eq(w.err.code, GS_EINFEASIBLE);
    ck_assert_msg(strstr(w.err.msg, "line 2") && strstr(w.err.msg, "gpu_num"), "%s", w.err.msg);
}
END_TEST

START_TEST(test_cdf_output)
{
    FILE *fp;
    char text[512] = {0};

    build("{\"small\": 1}", cl_a100,
          HDR "j1,4,SFT," T0 "00+08:00,100\n"
              "j2,8,SFT," T0 "01+08:00,50\n"
              "j3,1,SFT," T0 "02+08:00,10\n"
              "j4,16,SFT," T0 "03+08:00,10\n");
    ck_assert_int_eq(run(), GS_OK);
    fp = tmpfile();
    gs_sim_write_cdf(w.sim, fp, &w.err);
    rewind(fp);
    ck_assert_uint_gt(fread(text, 1, sizeof(text) - 1, fp), 0);
    fclose(fp);
    /* fractions of all four jobs: the unschedulable one keeps the CDF below 1 */
    ck_assert_str_eq(text, "jct,fraction\n100.000000,0.250000\n149.000000,0.500000\n"
                           "158.000000,0.750000\n");
}
END_TEST

/* ---- the job lifecycle: start-ups, checkpoints, ACME end states ---- */

/* A cluster with a hand-computable lifecycle: a start costs 5 s of scheduling, 10 s of
 * initialisation (+4 per doubling of nodes) and reading at 2 GB/s; checkpoints are written at
 * 4 GB/s and taken every 50 s of running. */
#define LIFE                                                                                       \
    "\"lifecycle\": {\"schedule_s\": 5, \"init_s\": 10, \"init_per_doubling_s\": 4, "              \
    "\"storage_read_GBps_per_node\": 2, \"storage_write_GBps_per_node\": 4, "                      \
    "\"checkpoint_interval_s\": 50, \"preemption\": \"%s\"}"

/* build() with class small reading 10 GB of weights at a first start, 40 GB when it resumes,
 * writing 20 GB per checkpoint, and the cluster's lifecycle as LIFE says. */
static void build_life(const char *mix, const char *groups, const char *preemption,
                       const char *trace)
{
    char dbt[4096], cl[1024], life[512], *at;
    const char *small = "{\"name\": \"small\"}";
    gs_err err = {0};

    snprintf(dbt, sizeof(dbt), "%s%s%s", db_text, mix, db_tail);
    at = strstr(dbt, small);
    ck_assert_ptr_nonnull(at);
    {
        char rest[4096];
        snprintf(rest, sizeof(rest), "%s", at + strlen(small));
        snprintf(at, sizeof(dbt) - (size_t)(at - dbt),
                 "{\"name\": \"small\", \"lifecycle\": {\"load_gb\": 10, \"restore_gb\": 40, "
                 "\"checkpoint_gb\": 20}}%s",
                 rest);
    }
    snprintf(life, sizeof(life), LIFE, preemption);
    snprintf(cl, sizeof(cl),
             "{\"schema_version\": 1, \"name\": \"life\", \"node_groups\": [%s], %s}", groups,
             life);
    teardown();
    w.paths[0] = gs_test_tmpfile(dbt, ".json");
    w.paths[1] = gs_test_tmpfile(cl, ".json");
    w.paths[2] = gs_test_tmpfile(trace, ".csv");
    w.db = gs_scaledb_load(w.paths[0], &err);
    ck_assert_msg(w.db != NULL, "%s", err.msg);
    w.cl = gs_cluster_load(w.paths[1], w.db, &err);
    ck_assert_msg(w.cl != NULL, "%s", err.msg);
    ck_assert_msg(gs_trace_load(&w.tr, w.paths[2], "all", &err) == GS_OK, "%s", err.msg);
    gs_sim_opts_init(&w.o);
}

static const char *const A100_GROUP = "{\"gpu_type\": \"A100-80GB\", \"nodes\": 1}";
static const char *const BOTH_GROUPS =
    "{\"gpu_type\": \"V100-32GB\", \"nodes\": 1}, {\"gpu_type\": \"A100-80GB\", \"nodes\": 1}";

START_TEST(test_no_job_finishes_before_its_startup)
{
    /* a first start on one node: 5 + 10 + 10 GB / 2 GB/s = 20 s before any work. Job a's
     * recorded 100 s are 20 s of start-up and 80 s of work, so on its original configuration
     * it takes exactly its duration again; job b ended after 5 s in the trace, less than a
     * start-up: it has no work left, and still cannot end before its start-up does */
    build_life("{\"small\": 1}", A100_GROUP, "graceful",
               HDR "a,1,SFT," T0 "00+08:00,100\n"
                   "b,1,SFT," T0 "00+08:00,5\n");
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(job(0)->work, 80 * 10, 1e-9);
    ck_assert_double_eq_tol(job(1)->work, 0, 1e-9);
    ck_assert_double_eq_tol(job(0)->first_startup, 20, 1e-9);
    ck_assert_double_eq_tol(jct(0), 100, 1e-9);
    ck_assert_double_eq_tol(jct(1), 20, 1e-9);
    ck_assert_double_eq_tol(job(1)->finish - job(1)->first_start, job(1)->first_startup, 1e-9);
    /* and the cost a policy is told is the one charged */
    ck_assert_double_eq_tol(gs_sim_start_cost(w.sim, 0, 0, 1), 20, 1e-9);
    ck_assert_double_eq_tol(gs_sim_start_cost(w.sim, 0, 0, 8), 20, 1e-9);
}
END_TEST

START_TEST(test_startup_property_on_the_bundled_trace)
{
    static const char *const pols[] = {"fifo", "fifo-backfill", "db-flat-scale", "sia-aware"};
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    gs_cluster *cl;
    gs_trace tr;
    size_t p, i, checked = 0;

    ck_assert_msg(db != NULL, "%s", err.msg);
    cl = gs_cluster_load(gs_test_src("configs/clusters/default.json"), db, &err);
    ck_assert_msg(cl != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_trace_load(&tr, gs_test_src("traces/default.csv"), NULL, &err), GS_OK);
    for (p = 0; p < sizeof(pols) / sizeof(pols[0]); p++) {
        gs_sim_opts o;
        gs_sim *sim;
        gs_sim_opts_init(&o);
        o.policy = pols[p];
        sim = gs_sim_new_named(&tr, cl, db, &o, &err);
        ck_assert_msg(sim != NULL, "%s", err.msg);
        ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
        for (i = 0; i < gs_sim_njobs(sim); i++) {
            const gs__job *jb = gs__sim_job(sim, (uint32_t)i);
            if (jb->state != GS_JOB_DONE)
                continue;
            /* the defaults: 30 s scheduling and container, 30 s initialisation, weights */
            ck_assert_double_ge(jb->first_startup, 60);
            ck_assert_msg(jb->finish - jb->first_start >= jb->first_startup - 1e-9,
                          "%s: job '%s' ran %.3f s after its first start, its start-up is "
                          "%.3f s",
                          pols[p], jb->tj->id, jb->finish - jb->first_start, jb->first_startup);
            ck_assert_double_ge(jb->startup_total, jb->first_startup);
            checked++;
        }
        gs_sim_free(sim);
    }
    ck_assert_uint_gt(checked, 3500);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
}
END_TEST

/* Job a (1 GPU; 1,020 s recorded: 20 s of start-up, 10,000 of work at 10/s) starts at the
 * first round (t=10), is preempted at t=140 and restarts at t=150. */
static const step preempt_script[] = {
    {1, GS_ACT_START, 0, 0, 1}, {14, GS_ACT_PREEMPT, 0, 0, 0}, {15, GS_ACT_START, 0, 0, 1}, {0}};

START_TEST(test_abrupt_preemption_loses_work_since_checkpoint)
{
    gs_sim_stats st;

    script = preempt_script;
    build_life("{\"small\": 1}", A100_GROUP, "abrupt", HDR "a,1,SFT," T0 "00+08:00,1020\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 10;
    ck_assert_int_eq(run(), GS_OK);
    /* it works from 30 (after 20 s of start-up); checkpoints at 80 and 130; preempted at 140
     * with 1,100 done, it keeps the 1,000 of the checkpoint at 130 and loses 100. The restart
     * at 150 reads its weights and optimizer state (40 GB at 2 GB/s: 5 + 10 + 20 = 35 s), then
     * does the remaining 9,000 in 900 s: it ends at 1,085 */
    ck_assert_double_eq_tol(job(0)->lost, 100, 1e-9);
    ck_assert_int_eq(job(0)->restarts, 1);
    ck_assert_int_eq(job(0)->ckpt_saves, 0);
    ck_assert_double_eq_tol(jct(0), 1085, 1e-9);
    ck_assert_double_eq_tol(job(0)->startup_total, 20 + 35, 1e-9);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_double_eq_tol(st.lost_gpu_hours, 10 / 3600.0, 1e-12); /* 100 of work at 10/s */
    ck_assert_double_eq_tol(st.startup_gpu_hours, 55 / 3600.0, 1e-12);
    ck_assert_double_eq_tol(st.wasted_gpu_hours, 65 / 3600.0, 1e-12);
    /* --restart-delay replaces the modelled restart (35 s) by its value */
    script = preempt_script;
    build_life("{\"small\": 1}", A100_GROUP, "abrupt", HDR "a,1,SFT," T0 "00+08:00,1020\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 10;
    w.o.restart_delay = 7;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(jct(0), 150 + 7 + 900, 1e-9);
}
END_TEST

START_TEST(test_graceful_preemption_saves_first)
{
    script = preempt_script;
    build_life("{\"small\": 1}", A100_GROUP, "graceful", HDR "a,1,SFT," T0 "00+08:00,1020\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 10;
    ck_assert_int_eq(run(), GS_OK);
    /* it checkpoints its 1,100 at 140 (20 GB at 4 GB/s: 5 s, paid with the next start-up):
     * the restart at 150 costs 5 + 35 s, the remaining 8,900 take 890 s: it ends at 1,080 */
    ck_assert_double_eq_tol(job(0)->lost, 0, 1e-9);
    ck_assert_int_eq(job(0)->ckpt_saves, 1);
    ck_assert_double_eq_tol(jct(0), 1080, 1e-9);
    ck_assert_double_eq_tol(job(0)->startup_total, 20 + 40, 1e-9);
    /* the option overrides the cluster: abrupt again, as in the test above */
    script = preempt_script;
    build_life("{\"small\": 1}", A100_GROUP, "graceful", HDR "a,1,SFT," T0 "00+08:00,1020\n");
    w.o.policy_ops = &scripted;
    w.o.round_length = 10;
    w.o.graceful = 0;
    w.o.checkpoint_interval = 100; /* the checkpoint falls at 130: the same loss */
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(job(0)->lost, 100, 1e-9);
}
END_TEST

START_TEST(test_failed_start_pays_its_startup)
{
    /* big is not viable on 2 V100: the start reads nothing (no sizes for big), so it runs out
     * of memory after 5 + 10 = 15 s; the A100 start pays 15 s again (no progress to restore),
     * and 100 - 15 = 85 s of work remain: it ends at 115 */
    build_life("{\"big\": 1}", BOTH_GROUPS, "graceful", HDR "a,2,SFT," T0 "00+08:00,100\n");
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(job(0)->failures, 1);
    ck_assert_int_eq(job(0)->restarts, 0);
    ck_assert_double_eq_tol(job(0)->start, 15, 1e-9);
    ck_assert_double_eq_tol(jct(0), 115, 1e-9);
    /* --fail-delay replaces the failed start's time */
    build_life("{\"big\": 1}", BOTH_GROUPS, "graceful", HDR "a,2,SFT," T0 "00+08:00,100\n");
    w.o.fail_delay = 50;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_double_eq_tol(jct(0), 50 + 15 + 85, 1e-9);
}
END_TEST

/* The view is sealed: during a start that will fail, a policy sees what it sees of any start (no
 * rate yet, restarting, ready at the modelled start-up), not the failure to come (--fail-delay
 * included), and the public job is the core's record without its bookkeeping. */
static struct {
    int seen;
    double now, cost, ready, rate, progress;
    int restarting, doomed, state;
} fv;

static int fv_on_event(void *state, gs_sim *sim, const gs_event *ev, gs_err *err)
{
    (void)state;
    (void)err;
    if (ev->type == GS_EV_FAIL && !fv.seen) {
        fv.seen = 1;
        fv.now = gs_sim_now(sim);
        fv.state = gs_sim_job(sim, 0)->state;
        fv.doomed = gs__sim_job(sim, 0)->doomed;
        ck_assert_ptr_eq(gs_sim_job(sim, 0), &gs__sim_job(sim, 0)->pub);
        fv.cost = gs_sim_start_cost(sim, 0, 0, 2);
        fv.ready = gs_sim_job_ready_at(sim, 0);
        fv.rate = gs_sim_job_rate(sim, 0);
        fv.progress = gs_sim_job_progress(sim, 0);
        fv.restarting = gs_sim_job_restarting(sim, 0);
    }
    return GS_OK;
}

START_TEST(test_view_hides_a_failing_start)
{
    static gs_policy_ops ops;

    ops = *gs_policy_find("fifo");

    ops.name = "fifo-watching";
    ops.on_event = fv_on_event;
    memset(&fv, 0, sizeof fv);
    /* as in the test above: the start on 2 V100 would take 15 s to start up, and fails */
    build_life("{\"big\": 1}", BOTH_GROUPS, "graceful", HDR "a,2,SFT," T0 "00+08:00,100\n");
    w.o.fail_delay = 5; /* it fails at 5, before its start-up would end */
    w.o.policy_ops = &ops;
    ck_assert_int_eq(run(), GS_OK);
    ck_assert_int_eq(fv.seen, 1);
    ck_assert_double_eq_tol(fv.now, 5, 1e-9);
    ck_assert_int_eq(fv.doomed, 1);
    ck_assert_int_eq(fv.state, GS_JOB_RUNNING);
    ck_assert_int_eq(fv.restarting, 1);
    ck_assert_double_eq(fv.rate, 0);
    ck_assert_double_eq(fv.progress, 0);
    ck_assert_double_eq_tol(fv.cost, 15, 1e-9);
    ck_assert_double_eq_tol(fv.ready, 15, 1e-9); /* not 5 */
    ck_assert_ptr_null(gs_sim_job(w.sim, 1));
    ck_assert_double_eq(gs_sim_job_ready_at(w.sim, 1), -1);
}
END_TEST

#define HDRS "job_id,gpu_num,type,state,submit_time,duration\n"

START_TEST(test_failed_and_cancelled_rows_end_as_such)
{
    gs_sim_stats st;
    FILE *fp;
    char text[2048];
    gs_err err = {0};

    build("{\"small\": 1}", cl_a100,
          HDRS "a,1,SFT,COMPLETED," T0 "00+08:00,100\n"
               "b,1,SFT,FAILED," T0 "00+08:00,40\n"
               "c,1,SFT,CANCELLED," T0 "00+08:00,60\n"
               "d,1,SFT,timeout," T0 "00+08:00,80\n");
    ck_assert_int_eq(run(), GS_OK);
    /* each does its recorded work and then ends, as the cluster saw it */
    ck_assert_double_eq_tol(jct(1), 40, 1e-9);
    ck_assert_int_eq(job(0)->end, GS_END_COMPLETED);
    ck_assert_int_eq(job(1)->end, GS_END_FAILED);
    ck_assert_int_eq(job(2)->end, GS_END_CANCELLED);
    ck_assert_int_eq(job(3)->end, GS_END_FAILED);
    gs_sim_stats_get(w.sim, &st);
    ck_assert_uint_eq(st.finished, 4);
    ck_assert_uint_eq(st.ended[GS_END_COMPLETED], 1);
    ck_assert_uint_eq(st.ended[GS_END_FAILED], 2);
    ck_assert_uint_eq(st.ended[GS_END_CANCELLED], 1);
    ck_assert_double_eq_tol(st.mean_jct, (100 + 40 + 60 + 80) / 4.0, 1e-9);
    ck_assert_double_eq_tol(st.c_mean_jct, 100, 1e-9);
    ck_assert_double_eq_tol(st.c_max_jct, 100, 1e-9);
    fp = tmpfile();
    ck_assert_int_eq(gs_sim_write_jobs(w.sim, fp, &err), GS_OK);
    rewind(fp);
    memset(text, 0, sizeof(text));
    ck_assert_uint_gt(fread(text, 1, sizeof(text) - 1, fp), 0);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(text, ",0,0,finished,"));
    ck_assert_ptr_nonnull(strstr(text, ",0,0,failed,"));
    ck_assert_ptr_nonnull(strstr(text, ",0,0,cancelled,"));
    /* --states keeps only what is asked for */
    gs_trace_release(&w.tr);
    ck_assert_int_eq(gs_trace_load_states(&w.tr, w.paths[2], "all", "completed,CANCELLED", &err),
                     GS_OK);
    ck_assert_uint_eq(w.tr.njobs, 2);
    ck_assert_int_eq(w.tr.stats.skipped_state, 2);
    gs_trace_release(&w.tr);
    ck_assert_int_eq(gs_trace_load_states(&w.tr, w.paths[2], "all", "DONE", &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "DONE"));
}
END_TEST

START_TEST(test_unknown_state_is_an_error)
{
    gs_trace tr;
    gs_err err = {0};
    char *p = gs_test_tmpfile(HDRS "a,1,SFT,COMPLETED," T0 "00+08:00,100\n"
                                   "b,1,SFT,RUNNING," T0 "00+08:00,40\n",
                              ".csv");

    ck_assert_int_eq(gs_trace_load(&tr, p, "all", &err), GS_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3"));
    ck_assert_ptr_nonnull(strstr(err.msg, "'state'"));
    ck_assert_ptr_nonnull(strstr(err.msg, "RUNNING"));
    remove(p);
    free(p);
}
END_TEST

static Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("model");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_speed_from_db);
    tcase_add_test(tc, test_fifo_head_of_line);
    tcase_add_test(tc, test_failed_start_and_retry);
    tcase_add_test(tc, test_view_progress);
    tcase_add_test(tc, test_unschedulable);
    tcase_add_test(tc, test_horizon);
    tcase_add_test(tc, test_resize_pays_restart);
    tcase_add_test(tc, test_preempt_keeps_progress);
    tcase_add_test(tc, test_rounds_wait_for_boundary);
    tcase_add_test(tc, test_queue_and_running_walks);
    tcase_add_test(tc, test_plan_validation);
    tcase_add_test(tc, test_classes_seeded_and_viable);
    tcase_add_test(tc, test_infeasible_class);
    tcase_add_test(tc, test_cdf_output);
    suite_add_tcase(s, tc);
    tc = tcase_create("lifecycle");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_no_job_finishes_before_its_startup);
    tcase_add_test(tc, test_startup_property_on_the_bundled_trace);
    tcase_add_test(tc, test_abrupt_preemption_loses_work_since_checkpoint);
    tcase_add_test(tc, test_graceful_preemption_saves_first);
    tcase_add_test(tc, test_failed_start_pays_its_startup);
    tcase_add_test(tc, test_view_hides_a_failing_start);
    tcase_add_test(tc, test_failed_and_cancelled_rows_end_as_such);
    tcase_add_test(tc, test_unknown_state_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(sim_suite());
}
