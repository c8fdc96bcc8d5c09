/* SPDX-License-Identifier: Apache-2.0 */
/* The knowledge error: informed policies read a perturbed copy of the scaling DB while the
 * simulation keeps running on the true one. It reads the core's private job record
 * (src/core/job_int.h) for the true work of each job. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/cluster.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "job_int.h"
#include "testutil.h"

static gs_scaledb *db;
static gs_cluster *cl;
static gs_trace tr;
static char *trace_path;

/* 40 SFT jobs of 1 to 16 GPUs, one every two minutes: small enough to run in milliseconds,
 * busy enough that jobs overlap on the 192-GPU default cluster. */
static char *make_trace(void)
{
    static const int gpus[] = {1, 2, 4, 8, 16, 8, 2};
    char *text = malloc(64 * 1024), *p = text;
    int i;

    ck_assert_ptr_nonnull(text);
    p += sprintf(p, "job_id,user,gpu_num,type,state,submit_time,duration\n");
    for (i = 0; i < 40; i++) {
        char ts[40];
        gs_format_timestamp(ts, sizeof(ts), 1677600000.0 + 120.0 * i, 480);
        p +=
            sprintf(p, "j%d,u%d,%d,SFT,COMPLETED,%s,%d\n", i, i % 5, gpus[i % 7], ts, 300 + 97 * i);
    }
    return text;
}

static void setup(void)
{
    gs_err err = {0};
    char *text = make_trace();

    db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
    cl = gs_cluster_load(gs_test_src("configs/clusters/default.json"), db, &err);
    ck_assert_msg(cl != NULL, "%s", err.msg);
    trace_path = gs_test_tmpfile(text, ".csv");
    free(text);
    ck_assert_msg(gs_trace_load(&tr, trace_path, "SFT", &err) == GS_OK, "%s", err.msg);
}

static void teardown(void)
{
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    remove(trace_path);
    free(trace_path);
}

/* Compares every lookup the policies could make, counts 1..64 of every class and type. */
static size_t count_differences(const gs_scaledb *a, const gs_scaledb *b)
{
    int c, t, g;
    size_t diff = 0;

    for (c = 0; c < gs_scaledb_nclasses(a); c++)
        for (t = 0; t < gs_scaledb_ntypes(a); t++)
            for (g = 1; g <= 64; g++) {
                double x, y;
                int vx, vy, rx = gs_scaledb_lookup(a, c, t, g, 0, &x, &vx);
                int ry = gs_scaledb_lookup(b, c, t, g, 0, &y, &vy);
                ck_assert_int_eq(rx, ry);
                diff += x != y || vx != vy;
            }
    return diff;
}

START_TEST(zero_error_knowledge_is_the_truth)
{
    gs_sim_opts o;
    gs_err err = {0};
    gs_sim *sim;

    gs_sim_opts_init(&o);
    o.knowledge_error = 0;
    o.viability_error = 0;
    o.knowledge_seed = 99;
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_uint_eq(count_differences(gs_sim_knowledge(sim), db), 0);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    gs_sim_free(sim);
}
END_TEST

typedef struct watch {
    const gs_scaledb *truth;
    long checked, believed_differently;
} watch;

/* After every finished job: each running job progresses at the true DB's rate. */
static void check_rates(void *ctx, const gs_sim *sim)
{
    watch *w = ctx;
    const gs_scaledb *know = gs_sim_knowledge(sim);
    uint32_t j;

    for (j = 0; j < gs_sim_njobs(sim); j++) {
        const gs_job *jb = gs_sim_job(sim, j);
        const gs_pool *pl;
        double rate = gs_sim_job_rate(sim, j), truth, belief;
        int v;
        if (jb->state != GS_JOB_RUNNING || rate <= 0)
            continue;
        pl = gs_cluster_pool(gs_sim_cluster(sim), (size_t)jb->alloc.pool);
        ck_assert_int_eq(gs_scaledb_lookup(w->truth, jb->cls, pl->type, jb->alloc.gpus,
                                           jb->alloc.nodes, &truth, &v),
                         GS_OK);
        ck_assert_double_eq(rate, truth);
        gs_scaledb_lookup(know, jb->cls, pl->type, jb->alloc.gpus, jb->alloc.nodes, &belief, &v);
        w->believed_differently += belief != truth;
        w->checked++;
    }
}

START_TEST(positive_error_changes_beliefs_not_the_truth)
{
    gs_sim_opts o;
    gs_err err = {0};
    gs_sim *sim;
    size_t n, i;
    const gs_scaledb_entry *e = gs_scaledb_entries(db, &n);
    gs_scaledb_entry *before = malloc(n * sizeof(*before));
    watch w = {db, 0, 0};
    int ref = gs_scaledb_reference_type(db);

    ck_assert_ptr_nonnull(before);
    memcpy(before, e, n * sizeof(*before));
    gs_sim_opts_init(&o);
    o.knowledge_error = 0.5;
    o.viability_error = 0.1;
    o.progress = check_rates;
    o.progress_ctx = &w;
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    /* what informed policies read is a different object that disagrees almost everywhere */
    ck_assert_ptr_ne(gs_sim_knowledge(sim), db);
    ck_assert_uint_gt(count_differences(gs_sim_knowledge(sim), db),
                      (size_t)(0.9 * gs_scaledb_nclasses(db) * gs_scaledb_ntypes(db) * 64));
    /* work comes from the truth on the job's original configuration: what it did in its
     * recorded duration after the start-up of that configuration */
    for (i = 0; i < gs_sim_njobs(sim); i++) {
        const gs__job *jb = gs__sim_job(sim, (uint32_t)i);
        double thr, su;
        int v;
        gs_scaledb_lookup(db, jb->cls, ref, jb->tj->gpu_num, 0, &thr, &v);
        ck_assert_int_eq(v, 1);
        su = gs_sim_start_cost(sim, (uint32_t)i, gs_cluster_pool_of_type(cl, ref), jb->tj->gpu_num);
        ck_assert_double_gt(su, 0);
        ck_assert_double_eq(jb->work, (jb->tj->duration > su ? jb->tj->duration - su : 0) * thr);
    }
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    /* achieved rates followed the truth, while the belief differed */
    ck_assert_int_gt(w.checked, 20);
    ck_assert_int_gt(w.believed_differently, w.checked / 2);
    gs_sim_free(sim);
    /* and the truth object never changed */
    e = gs_scaledb_entries(db, &n);
    ck_assert_int_eq(memcmp(before, e, n * sizeof(*before)), 0);
    free(before);
}
END_TEST

START_TEST(the_knowledge_seed_picks_the_error)
{
    gs_sim_opts o;
    gs_err err = {0};
    gs_sim *a, *b, *c;

    gs_sim_opts_init(&o);
    o.knowledge_error = 0.2;
    o.knowledge_seed = 11;
    a = gs_sim_new_named(&tr, cl, db, &o, &err);
    b = gs_sim_new_named(&tr, cl, db, &o, &err);
    o.knowledge_seed = 12;
    c = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert(a && b && c);
    ck_assert_uint_eq(count_differences(gs_sim_knowledge(a), gs_sim_knowledge(b)), 0);
    ck_assert_uint_gt(count_differences(gs_sim_knowledge(a), gs_sim_knowledge(c)), 1000);
    gs_sim_free(a);
    gs_sim_free(b);
    gs_sim_free(c);
    o.knowledge_error = -0.1;
    ck_assert_ptr_null(gs_sim_new_named(&tr, cl, db, &o, &err));
}
END_TEST

static int same_file(const char *a, const char *b)
{
    char *x = gs_test_slurp(a), *y = gs_test_slurp(b);
    int same = x && y && !strcmp(x, y);

    free(x);
    free(y);
    return same;
}

/* Every registered policy, through the command line: --knowledge-error 0 changes nothing, and
 * for uninformed policies no knowledge error changes anything (the truth drives the run). */
START_TEST(cli_outputs_with_zero_error_are_identical)
{
    char *dir = gs_test_tmpdir(), list[600], *names, *p, *save = NULL;
    static const char *const files[] = {"jobs.csv", "allocations.csv", "jct_cdf.csv"};

    snprintf(list, sizeof(list), "%s/policies.txt", dir);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim policies | awk '{print $1, $2}' >%s", GS_BINARY_DIR, list), 0);
    names = gs_test_slurp(list);
    ck_assert_ptr_nonnull(names);
    for (p = strtok_r(names, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
        char pol[64], knowledge[64], a[700], b[700], c[700], fa[800], fb[800], fc[800];
        size_t f;
        ck_assert_int_eq(sscanf(p, "%63s %63s", pol, knowledge), 2);
        snprintf(a, sizeof(a), "%s/%s-plain", dir, pol);
        snprintf(b, sizeof(b), "%s/%s-zero", dir, pol);
        snprintf(c, sizeof(c), "%s/%s-noisy", dir, pol);
        ck_assert_int_eq(gs_test_sh("%s/gpusim run --trace %s --policy %s --out %s -q "
                                    "--no-progress",
                                    GS_BINARY_DIR, trace_path, pol, a),
                         0);
        ck_assert_int_eq(gs_test_sh("%s/gpusim run --trace %s --policy %s --out %s -q "
                                    "--no-progress --knowledge-error 0 --viability-error 0",
                                    GS_BINARY_DIR, trace_path, pol, b),
                         0);
        ck_assert_int_eq(gs_test_sh("%s/gpusim run --trace %s --policy %s --out %s -q "
                                    "--no-progress --knowledge-error 0.5 --viability-error 0.2 "
                                    "--knowledge-seed 7",
                                    GS_BINARY_DIR, trace_path, pol, c),
                         0);
        for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
            snprintf(fa, sizeof(fa), "%s/%s", a, files[f]);
            snprintf(fb, sizeof(fb), "%s/%s", b, files[f]);
            snprintf(fc, sizeof(fc), "%s/%s", c, files[f]);
            ck_assert_msg(same_file(fa, fb), "%s: %s differs with --knowledge-error 0", pol,
                          files[f]);
            if (!strcmp(knowledge, "uninformed"))
                ck_assert_msg(same_file(fa, fc), "%s (uninformed): %s differs with an error", pol,
                              files[f]);
        }
        /* the error is recorded */
        snprintf(fc, sizeof(fc), "%s/summary.json", c);
        ck_assert_int_eq(gs_test_sh("grep -q '\"knowledge_error\":[[:space:]]*0.500000' %s && "
                                    "grep -q '\"viability_error\":[[:space:]]*0.200000' %s && "
                                    "grep -q '\"knowledge_seed\":[[:space:]]*7' %s",
                                    fc, fc, fc),
                         0);
    }
    free(names);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    free(dir);
}
END_TEST

static Suite *knowledge_suite(void)
{
    Suite *s = suite_create("knowledge");
    TCase *tc = tcase_create("knowledge");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, zero_error_knowledge_is_the_truth);
    tcase_add_test(tc, positive_error_changes_beliefs_not_the_truth);
    tcase_add_test(tc, the_knowledge_seed_picks_the_error);
    tcase_add_test(tc, cli_outputs_with_zero_error_are_identical);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(knowledge_suite());
}
