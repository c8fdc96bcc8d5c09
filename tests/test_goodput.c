/* SPDX-License-Identifier: Apache-2.0 */
/* Adaptive-batch classes on small synthetic inputs (no data of Sia's): Pollux's statistical
 * efficiency, the goodput-optimal batch, Sia's artifact layout read by gs_scaledb_load_sia, Sia's
 * workload format, and a simulation that runs such classes phase by phase. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/goodput.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "job_int.h"
#include "testutil.h"

/* ---- the efficiency ---- */

START_TEST(test_efficiency_reference_and_noise_scale)
{
    /* B0 = 100, var / sqr = 10: the gradient noise scale is B_noise = 1000 samples */
    double b0 = 100, sqr = 1, var = 10;

    ck_assert_double_eq_tol(gs_goodput_efficiency(b0, b0, sqr, var), 1, 1e-12);
    ck_assert_double_eq_tol(gs_goodput_efficiency(b0, b0, 5, 0.1), 1, 1e-12);
    /* (B_noise + B0) / (B_noise + B) */
    ck_assert_double_eq_tol(gs_goodput_efficiency(200, b0, sqr, var), 1100.0 / 1200, 1e-12);
    ck_assert_double_eq_tol(gs_goodput_efficiency(1000, b0, sqr, var), 0.55, 1e-12);
    ck_assert_double_eq_tol(gs_goodput_efficiency(10000, b0, sqr, var), 0.1, 1e-12);
    /* well below the noise scale a larger batch loses little; past it, efficiency falls as
     * B_noise / B */
    ck_assert(gs_goodput_efficiency(200, b0, sqr, var) > 0.9);
    ck_assert(gs_goodput_efficiency(4000, b0, sqr, var) <
              0.5 * gs_goodput_efficiency(1000, b0, sqr, var));
    for (double b = 100; b < 1e5; b *= 1.5)
        ck_assert(gs_goodput_efficiency(b * 1.5, b0, sqr, var) <
                  gs_goodput_efficiency(b, b0, sqr, var));
    /* a larger noise scale keeps large batches efficient */
    ck_assert(gs_goodput_efficiency(4000, b0, sqr, 100) >
              gs_goodput_efficiency(4000, b0, sqr, var));
    /* no noise: every sample beyond B0 is wasted */
    ck_assert_double_eq_tol(gs_goodput_efficiency(400, b0, 1, 0), 0.25, 1e-12);
}
END_TEST

/* ---- the batch ---- */

/* One GPU type of 8-GPU nodes: step = 5 ms + 1 ms per sample of the per-GPU batch (16..256),
 * plus a synchronisation of 2 ms on more than one GPU (4 ms across nodes). */
static gs_goodput *synthetic(double var_ratio0, double var_ratio1)
{
    gs_goodput_spec spec = {64, 4096, 1};
    gs_goodput *m;
    gs_err err = {0};
    double local[5] = {16, 32, 64, 128, 256}, step[5], sync[5];
    double work[2] = {1e5, 3e5}, bs[2] = {64, 4096};
    double sqr[4] = {1, 1, 1, 1}, var[4] = {var_ratio0, var_ratio0, var_ratio1, var_ratio1};
    static const int shape[][2] = {{1, 1}, {1, 2}, {1, 4}, {1, 8}, {2, 16}};
    size_t i, k;

    m = gs_goodput_new(&spec, 1, &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_goodput_set_phases(m, 2, work, 2, bs, sqr, var, &err), GS_OK);
    for (k = 0; k < sizeof(shape) / sizeof(shape[0]); k++) {
        double s = shape[k][1] == 1 ? 0 : shape[k][0] == 1 ? 0.002 : 0.004;
        for (i = 0; i < 5; i++) {
            sync[i] = s;
            step[i] = 0.005 + 0.001 * local[i] + s;
        }
        ck_assert_msg(gs_goodput_add_group(m, 0, shape[k][0], shape[k][1], 5, local, step, sync,
                                           &err) == GS_OK,
                      "%s", err.msg);
    }
    return m;
}

START_TEST(test_optimal_batch_grows_with_gpus)
{
    gs_goodput *m = synthetic(20, 20); /* B_noise = 1280 */
    static const int g[] = {1, 2, 4, 8, 16};
    gs_goodput_pt pt[2], prev = {0};
    gs_err err = {0};
    size_t i;

    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(gs_goodput_curve(m, 0, g[i] > 8 ? 2 : 1, g[i], 0, pt, &err), GS_OK);
        ck_assert_msg(pt[0].goodput > 0, "no batch on %d GPUs", g[i]);
        /* the batch it picks is the best of the candidates, never beyond the limits */
        ck_assert(pt[0].batch >= 64 - 1e-9 && pt[0].batch <= 4096 + 1e-9);
        ck_assert(pt[0].atomic >= 16 && pt[0].atomic <= 256);
        ck_assert_double_eq_tol(pt[0].goodput, pt[0].throughput * pt[0].efficiency, 1e-9);
        if (i > 0) {
            ck_assert_msg(pt[0].batch >= prev.batch, "batch %g on %d GPUs < %g on fewer",
                          pt[0].batch, g[i], prev.batch);
            ck_assert(pt[0].goodput > prev.goodput);
        }
        prev = pt[0];
    }
    /* 16 GPUs use a larger batch than one, at a lower statistical efficiency */
    ck_assert_int_eq(gs_goodput_curve(m, 0, 1, 1, 0, pt, &err), GS_OK);
    ck_assert(prev.batch > 2 * pt[0].batch);
    ck_assert(prev.efficiency < pt[0].efficiency);
    /* a cap on the batch (Sia plans with the workload's batch_size) holds */
    ck_assert_int_eq(gs_goodput_curve(m, 0, 2, 16, 512, pt, &err), GS_OK);
    ck_assert(pt[0].batch <= 512 + 1e-9 && pt[0].goodput > 0 && pt[0].goodput <= prev.goodput);
    /* an unprofiled shape in between (3 nodes of 8 in a DB that has 1 and 2 nodes) comes from
     * the nearest profiled one with the same GPUs per node; no group of that density: none */
    ck_assert_int_eq(gs_goodput_curve(m, 0, 3, 24, 0, pt, &err), GS_OK);
    ck_assert(pt[0].goodput > prev.goodput);
    ck_assert_int_eq(gs_goodput_curve(m, 0, 2, 6, 0, pt, &err), GS_OK);
    ck_assert_double_eq(pt[0].goodput, 0);
    ck_assert_int_eq(gs_goodput_curve(m, 1, 1, 1, 0, pt, &err), GS_EINVAL);
    gs_goodput_free(m);
}
END_TEST

START_TEST(test_later_phase_larger_batch)
{
    /* the gradient noise grows as training goes on (Pollux's observation): the second phase's
     * noise scale is 10x the first's, and so is the batch worth using on 8 GPUs */
    gs_goodput *m = synthetic(2, 200);
    gs_goodput_pt pt[2];
    gs_err err = {0};

    ck_assert_int_eq(gs_goodput_curve(m, 0, 1, 8, 0, pt, &err), GS_OK);
    ck_assert(pt[1].batch > pt[0].batch);
    ck_assert(pt[1].goodput > pt[0].goodput);
    ck_assert_int_eq(gs_goodput_nphases(m), 2);
    ck_assert_int_eq(gs_goodput_phase_at(m, 0), 0);
    ck_assert_int_eq(gs_goodput_phase_at(m, 1e5), 1);
    ck_assert_int_eq(gs_goodput_phase_at(m, 1e9), 1);
    ck_assert_double_eq(gs_goodput_phase_end(m, 1), 3e5);
    gs_goodput_free(m);
}
END_TEST

START_TEST(test_bad_models)
{
    gs_goodput_spec bad = {64, 32, 1}, ok = {64, 4096, 1};
    gs_err err = {0};
    gs_goodput *m;
    double w[2] = {2, 1}, bs[1] = {64}, z[2] = {1, 1}, neg[2] = {1, -1};
    double l[1] = {16}, st[1] = {0.1}, sy[1] = {0.2};

    ck_assert_ptr_null(gs_goodput_new(&bad, 1, &err));
    ck_assert(strstr(err.msg, "max_batch") != NULL);
    m = gs_goodput_new(&ok, 1, NULL);
    ck_assert_int_eq(gs_goodput_set_phases(m, 2, w, 1, bs, z, z, NULL), GS_EINVAL);
    w[0] = 1, w[1] = 2;
    ck_assert_int_eq(gs_goodput_set_phases(m, 2, w, 1, bs, z, neg, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_goodput_set_phases(m, 2, w, 1, bs, z, z, NULL), GS_OK);
    ck_assert_int_eq(gs_goodput_add_group(m, 0, 1, 1, 1, l, st, sy, NULL), GS_EINVAL); /* sync */
    sy[0] = 0.01;
    ck_assert_int_eq(gs_goodput_add_group(m, 0, 1, 1, 1, l, st, sy, NULL), GS_OK);
    ck_assert_int_eq(gs_goodput_add_group(m, 0, 1, 1, 1, l, st, sy, NULL), GS_EINVAL); /* twice */
    gs_goodput_free(m);
}
END_TEST

/* ---- Sia's artifact layout, synthetic ---- */

static void put(const char *dir, const char *name, const char *text)
{
    char p[8400];
    FILE *f;

    ck_assert((size_t)snprintf(p, sizeof(p), "%s/%s", dir, name) < sizeof(p));
    f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A one-application artifact: "cifar10" with two validation batches and three epochs, T4 (4 per
 * node) profiled on 1, 2 and 4 GPUs of one node and on two nodes (scalability). */
static char *artifact(void)
{
    char *root = gs_test_tmpdir(), app[4096];

    ck_assert_int_eq(gs_test_sh("mkdir -p '%s/traces/cifar10'", root), 0);
    snprintf(app, sizeof(app), "%s/traces/cifar10", root);
    /* 3 epochs needed (Sia's max_epochs of cifar10 is 100: a short file is an error, so the
     * synthetic data must hold 100 rows) */
    {
        char *v1 = malloc(100 * 64 + 64), *v2 = malloc(100 * 64 + 64);
        size_t n1 = 0, n2 = 0;
        int k;
        n1 += (size_t)sprintf(v1, "progress,iteration,metric,grad_sqr,grad_var\n");
        n2 += (size_t)sprintf(v2, "iteration,grad_var,grad_sqr,progress\n"); /* any order */
        for (k = 1; k <= 100; k++) {
            n1 += (size_t)sprintf(v1 + n1, "%d,%d,0.5,1,%d\n", 400 * k, 400 * k, 10 + k);
            n2 += (size_t)sprintf(v2 + n2, "%d,%d,1,%d\n", 100 * k, 10 + k, 390 * k);
        }
        put(app, "validation-128.csv", v1);
        put(app, "validation-512.csv", v2);
        free(v1);
        free(v2);
    }
    put(app, "placements-aws.csv",
        "placement,local_bsz,step_time,sync_time\n"
        "1,32,0.040,0.0\n1,128,0.100,0.0\n1,256,0.180,0.0\n"
        "2,32,0.045,0.005\n2,256,0.190,0.005\n"
        "4,32,0.050,0.010\n4,256,0.200,0.010\n"
        "22,32,0.060,0.020\n22,256,0.210,0.020\n");
    put(app, "scalability-aws.csv",
        "num_nodes,num_replicas,local_bsz,step_time,sync_time\n"
        "2,8,32,0.070,0.030\n2,8,256,0.220,0.030\n");
    return root;
}

static void rm_tree(char *root)
{
    ck_assert_int_eq(gs_test_sh("rm -rf '%s'", root), 0);
    free(root);
}

START_TEST(test_sia_loader)
{
    char *root = artifact(), arg[4200];
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load_sia(root, &err);
    const gs_goodput *m;
    int c, t;
    double thr;
    int viable;

    ck_assert_msg(db != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_scaledb_nclasses(db), 1);
    c = gs_scaledb_class_find(db, "cifar10");
    t = gs_scaledb_type_find(db, "T4");
    ck_assert_int_ge(c, 0);
    ck_assert_int_ge(t, 0);
    ck_assert_int_eq(gs_scaledb_type_gpus_per_node(db, t), 4);
    /* Sia's restart delay of cifar10, paid by the first start too */
    ck_assert_double_eq(gs_scaledb_class_lifecycle(db, c)->startup_s, 50);
    ck_assert_double_eq(gs_scaledb_class_lifecycle(db, c)->restart_s, 50);
    m = gs_scaledb_class_goodput(db, c);
    ck_assert_ptr_nonnull(m);
    ck_assert_double_eq(gs_goodput_spec_of(m)->init_batch, 128);
    ck_assert_double_eq(gs_goodput_spec_of(m)->max_batch, 512);
    ck_assert_double_eq(gs_goodput_spec_of(m)->slowdown, 1.8);
    ck_assert_int_eq(gs_goodput_nphases(m), 100);
    /* epoch k ends at the smaller progress of the two files, in samples at 128 */
    ck_assert_double_eq_tol(gs_goodput_phase_end(m, 0), 390 * 128, 1e-9);
    ck_assert_double_eq_tol(gs_goodput_phase_end(m, 99), 39000 * 128, 1e-6);
    /* the listed entries: goodput in the first epoch, 1, 2, 4 and 8 GPUs */
    ck_assert_int_eq(gs_scaledb_lookup(db, c, t, 4, 1, &thr, &viable), GS_OK);
    ck_assert(viable && thr > 0);
    ck_assert_int_eq(gs_scaledb_max_gpus(db, c, t), 8);
    /* the exact placement '22' is not the canonical 4-GPU one ('4'): 4 GPUs use '4' */
    {
        gs_goodput_pt pt;
        ck_assert_int_eq(gs_goodput_eval(m, t, 1, 4, 0, 0, &pt, &err), GS_OK);
        ck_assert(pt.goodput > 0);
        ck_assert_int_eq(gs_goodput_eval(m, t, 2, 8, 0, 0, &pt, &err), GS_OK);
        ck_assert(pt.goodput > 0);
    }
    /* no other type was profiled */
    ck_assert_int_eq(gs_scaledb_max_gpus(db, c, gs_scaledb_type_find(db, "A100-40GB")), 0);
    /* a clone (the policies' knowledge) shares the model */
    {
        gs_scaledb *k = gs_scaledb_clone(db, &err);
        ck_assert_ptr_eq(gs_scaledb_class_goodput(k, c), m);
        gs_scaledb_free(k);
        ck_assert_double_eq(gs_goodput_spec_of(m)->init_batch, 128);
    }
    gs_scaledb_free(db);
    /* the folder holding traces/ or traces/ itself */
    snprintf(arg, sizeof(arg), "%s/traces", root);
    db = gs_scaledb_load_sia(arg, &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
    gs_scaledb_free(db);
    /* errors name the file, the line and the column */
    put(arg, "cifar10/scalability-aws.csv",
        "num_nodes,num_replicas,local_bsz,step_time,sync_time\n2,8,32,fast,0.03\n");
    memset(&err, 0, sizeof(err));
    ck_assert_ptr_null(gs_scaledb_load_sia(root, &err));
    ck_assert_msg(strstr(err.msg, "scalability-aws.csv' line 2: column 'step_time'") != NULL, "%s",
                  err.msg);
    put(arg, "cifar10/scalability-aws.csv", "num_nodes,local_bsz,step_time,sync_time\n");
    memset(&err, 0, sizeof(err));
    ck_assert_ptr_null(gs_scaledb_load_sia(root, &err));
    ck_assert_msg(strstr(err.msg, "line 1: column 'num_replicas' is missing") != NULL, "%s",
                  err.msg);
    put(arg, "cifar10/scalability-aws.csv",
        "num_nodes,num_replicas,local_bsz,step_time,sync_time\n");
    put(arg, "cifar10/validation-512.csv", "progress,grad_sqr,grad_var\n1,1,1\n");
    memset(&err, 0, sizeof(err));
    ck_assert_ptr_null(gs_scaledb_load_sia(root, &err));
    ck_assert_msg(strstr(err.msg, "validation-512.csv': 1 epochs, but cifar10 trains for 100") !=
                      NULL,
                  "%s", err.msg);
    memset(&err, 0, sizeof(err));
    ck_assert_ptr_null(gs_scaledb_load_sia("/nonexistent/sia", &err));
    ck_assert(strstr(err.msg, "not a folder") != NULL);
    rm_tree(root);
}
END_TEST

/* ---- Sia's workloads ---- */

static int load_as(gs_trace *t, const char *path, const char *format, gs_err *err)
{
    gs_trace_opts o;

    gs_trace_opts_init(&o);
    o.format = format;
    return gs_trace_load_opts(t, path, &o, err);
}

START_TEST(test_sia_trace_format)
{
    char *p = gs_test_tmpfile("name,time,application,num_replicas,batch_size\n"
                              "cifar10-1,60,cifar10,4,512\n"
                              "cifar10-0,0.5,cifar10,2,256\n",
                              ".csv");
    gs_trace t;
    gs_err err = {0};

    ck_assert_msg(gs_trace_load(&t, p, NULL, &err) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(t.schema, "sia");
    ck_assert_str_eq(t.format, "sia");
    ck_assert(t.detected != NULL); /* told from its header */
    ck_assert_str_eq(t.job_type, "all");
    ck_assert_int_eq(t.njobs, 2);
    ck_assert_str_eq(t.jobs[0].id, "cifar10-0");
    ck_assert_str_eq(t.jobs[0].cls, "cifar10");
    ck_assert_str_eq(t.jobs[0].type, "cifar10");
    ck_assert_double_eq(t.jobs[0].batch, 256);
    ck_assert_int_eq(t.jobs[0].gpu_num, 2);
    ck_assert_double_eq(t.jobs[1].submit, 59.5);
    gs_trace_release(&t);
    ck_assert_int_eq(load_as(&t, p, "acme", &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "'job_id'") != NULL, "%s", err.msg);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(load_as(&t, p, "helios", &err), GS_EINVAL);
    remove(p);
    free(p);
    p = gs_test_tmpfile("name,time,application,num_replicas,batch_size\na,0,cifar10,2,big\n",
                        ".csv");
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(load_as(&t, p, "sia", &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "line 2: column 'batch_size'") != NULL, "%s", err.msg);
    remove(p);
    free(p);
    /* Sia's optional category: only adaptive jobs; a job without GPUs is skipped and counted */
    p = gs_test_tmpfile("name,time,application,num_replicas,batch_size,category\n"
                        "a,0,cifar10,2,256,adaptive\nb,1,cifar10,0,256,\nc,2,bert,1,12,rigid\n",
                        ".csv");
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(load_as(&t, p, NULL, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "line 4: column 'category'") != NULL, "%s", err.msg);
    remove(p);
    free(p);
    p = gs_test_tmpfile("name,time,application,num_replicas,batch_size,category\n"
                        "a,0,cifar10,2,256,adaptive\nb,1,cifar10,0,256,\n",
                        ".csv");
    memset(&err, 0, sizeof(err));
    ck_assert_msg(load_as(&t, p, NULL, &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(t.njobs, 1);
    ck_assert_int_eq(t.stats.skipped_zero_gpu, 1);
    gs_trace_release(&t);
    remove(p);
    free(p);
    p = gs_test_tmpfile("job_id,gpu_num,submit_time,duration\na,1,0,10\n", ".csv");
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(load_as(&t, p, "sia", &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "'name'") != NULL, "%s", err.msg);
    remove(p);
    free(p);
}
END_TEST

/* ---- a simulation ---- */

START_TEST(test_sim_phases)
{
    char *root = artifact(), *tp, *cp;
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load_sia(root, &err);
    gs_cluster *cl;
    gs_trace tr;
    gs_sim_opts o;
    gs_sim *sim;
    const gs_goodput *m;
    gs_goodput_pt *pt;
    double expect = 50, done = 0;
    size_t k;

    ck_assert_msg(db != NULL, "%s", err.msg);
    cp = gs_test_tmpfile("{\"schema_version\": 1, \"name\": \"one\", \"lifecycle\": "
                         "{\"schedule_s\": 0, \"init_s\": 0, \"init_per_doubling_s\": 0}, "
                         "\"node_groups\": [{\"gpu_type\": \"T4\", \"gpus_per_node\": 4, "
                         "\"nodes\": 1}]}",
                         ".json");
    tp = gs_test_tmpfile("name,time,application,num_replicas,batch_size\na,0,cifar10,4,512\n",
                         ".csv");
    cl = gs_cluster_load(cp, db, &err);
    ck_assert_msg(cl != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_trace_load(&tr, tp, NULL, &err), GS_OK);
    /* fifo gives the job its 4 GPUs, which it keeps to the end: its JCT is the start-up (Sia's
     * 50 s for cifar10) plus every epoch's work at that epoch's best goodput on 4 T4 */
    gs_sim_opts_init(&o);
    o.policy = "fifo";
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    m = gs_scaledb_class_goodput(db, 0);
    pt = malloc(gs_goodput_nphases(m) * sizeof(*pt));
    ck_assert_int_eq(gs_goodput_curve(m, 0, 1, 4, 0, pt, &err), GS_OK);
    for (k = 0; k < gs_goodput_nphases(m); k++) {
        ck_assert(pt[k].goodput > 0);
        expect += (gs_goodput_phase_end(m, k) - done) / pt[k].goodput;
        done = gs_goodput_phase_end(m, k);
    }
    ck_assert_int_eq(gs_sim_job(sim, 0)->state, GS_JOB_DONE);
    ck_assert_double_eq_tol(gs__sim_job(sim, 0)->work, done, 1e-9);
    ck_assert_double_eq_tol(gs_sim_job(sim, 0)->finish - gs_sim_job(sim, 0)->submit, expect,
                            1e-6 * expect);
    ck_assert_int_eq(gs_sim_job(sim, 0)->phase, (int)gs_goodput_nphases(m) - 1);
    /* the batch changed with the phases: the noise grows, so does the batch */
    ck_assert(pt[99].batch > pt[0].batch);
    gs_sim_free(sim);
    /* an adaptive job under Sia finishes too, and a trace naming a class the DB lacks fails */
    o.policy = "sia-aware";
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    ck_assert_int_eq(gs_sim_job(sim, 0)->state, GS_JOB_DONE);
    gs_sim_free(sim);
    gs_trace_release(&tr);
    remove(tp);
    free(tp);
    tp = gs_test_tmpfile("name,time,application,num_replicas,batch_size\na,0,bert,4,512\n", ".csv");
    ck_assert_int_eq(gs_trace_load(&tr, tp, NULL, &err), GS_OK);
    ck_assert_ptr_null(gs_sim_new_named(&tr, cl, db, &o, &err));
    ck_assert_msg(strstr(err.msg, "line 2: field 'application'") != NULL, "%s", err.msg);
    gs_trace_release(&tr);
    free(pt);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    remove(tp);
    remove(cp);
    free(tp);
    free(cp);
    rm_tree(root);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("goodput");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_efficiency_reference_and_noise_scale);
    tcase_add_test(tc, test_optimal_batch_grows_with_gpus);
    tcase_add_test(tc, test_later_phase_larger_batch);
    tcase_add_test(tc, test_bad_models);
    tcase_add_test(tc, test_sia_loader);
    tcase_add_test(tc, test_sia_trace_format);
    tcase_add_test(tc, test_sim_phases);
    suite_add_tcase(s, tc);
    return gs_test_run(s);
}
