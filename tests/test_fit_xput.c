/* SPDX-License-Identifier: Apache-2.0 */
/* The online throughput model and its GSL fit. Tests a private module: includes
 * policies/fit_xput_int.h. */
#include <math.h>
#include <stdlib.h>

#include "fit_xput_int.h"
#include "gpusim/scaling_db.h"
#include "testutil.h"

static const int counts[] = {1, 2, 4, 8, 16, 24, 32, 48, 64};
#define NCOUNTS 9

static int nodes8(int g)
{
    return (g + 7) / 8;
}

/* A model with every term active (gamma > 1: compute and network overlap). */
static const gs__xput_model truth = {0.02, 0.6, 0.01, 0.001, 0.05, 0.002, 1.7, 0};

/* Data that is not of the model's form: compute split over g GPUs plus a ring all-reduce
 * (2 (g-1)/g x 4 GB over 150 GB/s inside a node, 12.5 GB/s across) and a per-hop latency. */
static double ring(int g)
{
    double t = 0.01 + 0.5 / g;

    if (g > 1)
        t += 2.0 * (g - 1) / g * 4.0 / (g > 8 ? 12.5 : 150) + 0.0005 * (g - 1);
    return 1 / t;
}

static double max_rel_err(const gs__xput_model *m, double (*f)(int), int upto)
{
    double worst = 0;
    int i;

    for (i = 0; i < upto; i++) {
        int g = counts[i];
        double e = fabs(gs__xput_predict(m, g, nodes8(g)) / f(g) - 1);
        if (e > worst)
            worst = e;
    }
    return worst;
}

static double from_truth(int g)
{
    return gs__xput_predict(&truth, g, nodes8(g));
}

START_TEST(test_recovers_its_own_model)
{
    gs__xput_obs o[NCOUNTS];
    gs__xput_model m;
    int n;

    /* after enough configurations (7 identify all 7 parameters) the fit is the truth, also
     * where it has not observed (48 and 64 GPUs) */
    for (n = 0; n < 7; n++) {
        o[n].gpus = counts[n];
        o[n].nodes = nodes8(counts[n]);
        o[n].thr = from_truth(counts[n]);
    }
    ck_assert_int_eq(gs__xput_fit(o, 7, &m, NULL), GS_OK);
    ck_assert_int_eq(m.nparams_free, 7);
    ck_assert_double_le(max_rel_err(&m, from_truth, NCOUNTS), 1e-3);
    ck_assert_double_eq_tol(m.gamma, truth.gamma, 0.05);
    ck_assert_double_eq_tol(m.beta_c, truth.beta_c, 0.01);
}
END_TEST

START_TEST(test_converges_on_other_shapes)
{
    gs__xput_obs o[NCOUNTS];
    gs__xput_model m;
    int n;
    double prev = INFINITY;

    /* each new configuration is fitted at once; on every observed point the error is small
     * from the start, and the whole curve converges as observations accumulate */
    for (n = 1; n <= NCOUNTS; n++) {
        o[n - 1].gpus = counts[n - 1];
        o[n - 1].nodes = nodes8(counts[n - 1]);
        o[n - 1].thr = ring(counts[n - 1]);
        ck_assert_int_eq(gs__xput_fit(o, (size_t)n, &m, NULL), GS_OK);
        ck_assert_double_le(max_rel_err(&m, ring, n), n <= 2 ? 1e-6 : 0.005);
        if (n >= 5) { /* a multi-node point: from here on the error everywhere only falls */
            ck_assert_double_le(max_rel_err(&m, ring, NCOUNTS), fmin(prev, 0.1) + 1e-9);
            prev = max_rel_err(&m, ring, NCOUNTS);
        }
    }
    ck_assert_double_le(prev, 0.005);
}
END_TEST

START_TEST(test_pinning_follows_sia)
{
    gs__xput_obs o[2] = {{1, 1, 10.0}, {2, 1, 18.0}};
    gs__xput_model m;

    /* one point: alpha_c is half the step time, network terms at the lower bound, so 2 GPUs
     * are predicted 4/3 as fast (the optimism that makes Sia try them) */
    ck_assert_int_eq(gs__xput_fit(o, 1, &m, NULL), GS_OK);
    ck_assert_int_eq(m.nparams_free, 1);
    ck_assert_double_eq_tol(m.alpha_c, 0.05, 1e-12);
    ck_assert_double_eq_tol(gs__xput_predict(&m, 1, 1), 10, 1e-9);
    ck_assert_double_eq_tol(gs__xput_predict(&m, 2, 1), 40.0 / 3, 1e-5);
    ck_assert_double_le(m.alpha_r, 2 * GS__XPUT_LB);
    /* no multi-node point: crossing nodes costs at least 1.1 x the in-node network terms */
    ck_assert_int_eq(gs__xput_fit(o, 2, &m, NULL), GS_OK);
    ck_assert_double_ge(m.alpha_n, 1.1 * m.alpha_r * (1 - 1e-12));
    ck_assert_double_ge(m.beta_n, 1.1 * m.beta_r * (1 - 1e-12));
    ck_assert_double_eq_tol(gs__xput_predict(&m, 2, 1), 18, 1e-4);
}
END_TEST

START_TEST(test_bad_observations)
{
    gs__xput_obs o[2] = {{1, 1, 10.0}, {1, 1, 11.0}};
    gs__xput_model m;
    gs_err err = {0};

    ck_assert_int_eq(gs__xput_fit(o, 0, &m, NULL), GS_EINVAL);
    ck_assert_int_eq(gs__xput_fit(o, 2, &m, &err), GS_EINVAL); /* same configuration twice */
    ck_assert_str_ne(err.msg, "");
    o[1].gpus = 2;
    o[1].thr = NAN;
    ck_assert_int_eq(gs__xput_fit(o, 2, &m, NULL), GS_EINVAL);
    o[1].thr = 20;
    o[1].nodes = 3; /* more nodes than GPUs */
    ck_assert_int_eq(gs__xput_fit(o, 2, &m, NULL), GS_EINVAL);
}
END_TEST

/* The bundled DB (whatever its numbers): every class on every GPU type, fitted on all its
 * viable listed configurations, reproduces them. Its shape is not the model's, so this checks
 * the model is flexible enough for it, with a tolerance rather than exactly. Configurations on
 * which memory pressure makes per-GPU throughput lower than on more GPUs (activation
 * recomputation, smaller micro-batches: configs/scaledb/README.md) are outside what Sia's
 * step-time model can express (its per-GPU throughput never rises with more GPUs), so they are
 * left out. */
static int memory_bound(const gs_scaledb_entry *e, size_t ne, size_t k)
{
    size_t i;

    for (i = 0; i < ne; i++)
        if (e[i].cls == e[k].cls && e[i].type == e[k].type && e[i].viable &&
            e[i].gpus > e[k].gpus &&
            e[i].throughput / e[i].gpus > 1.01 * e[k].throughput / e[k].gpus)
            return 1;
    return 0;
}

/* Entries past the class's data-parallel limit keep the throughput of the limit (a kink Sia's
 * step-time model cannot express either: its throughput keeps growing with g). */
static int past_limit(const gs_scaledb_entry *e, size_t ne, size_t k)
{
    size_t i;

    for (i = 0; i < ne; i++)
        if (e[i].cls == e[k].cls && e[i].type == e[k].type && e[i].gpus < e[k].gpus &&
            e[i].throughput >= e[k].throughput)
            return 1;
    return 0;
}

START_TEST(test_fits_bundled_db)
{
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    size_t ne, i, n, fits = 0;
    const gs_scaledb_entry *e;
    gs__xput_obs *o;
    double sum = 0;
    long cnt = 0;
    int c, t;

    ck_assert_msg(db != NULL, "%s", err.msg);
    e = gs_scaledb_entries(db, &ne);
    o = malloc(ne * sizeof(*o));
    ck_assert_ptr_nonnull(o);
    for (c = 0; c < gs_scaledb_nclasses(db); c++) {
        for (t = 0; t < gs_scaledb_ntypes(db); t++) {
            gs__xput_model m;
            for (i = 0, n = 0; i < ne; i++) {
                if (e[i].cls != c || e[i].type != t || !e[i].viable || !(e[i].throughput > 0) ||
                    memory_bound(e, ne, i) || past_limit(e, ne, i))
                    continue;
                o[n].gpus = e[i].gpus;
                o[n].nodes = e[i].nodes;
                o[n].thr = e[i].throughput;
                n++;
            }
            if (n < 3)
                continue;
            ck_assert_int_eq(gs__xput_fit(o, n, &m, NULL), GS_OK);
            fits++;
            for (i = 0; i < n; i++) {
                double r = fabs(gs__xput_predict(&m, o[i].gpus, o[i].nodes) / o[i].thr - 1);
                ck_assert_msg(r < 0.15, "class %d type %d: %d GPUs off by %.1f%%", c, t, o[i].gpus,
                              100 * r);
                sum += r;
                cnt++;
            }
        }
    }
    ck_assert_uint_gt(fits, 0);
    ck_assert_double_le(sum / (double)cnt, 0.05);
    free(o);
    gs_scaledb_free(db);
}
END_TEST

static Suite *fit_xput_suite(void)
{
    Suite *s = suite_create("fit_xput");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_recovers_its_own_model);
    tcase_add_test(tc, test_converges_on_other_shapes);
    tcase_add_test(tc, test_pinning_follows_sia);
    tcase_add_test(tc, test_bad_observations);
    tcase_add_test(tc, test_fits_bundled_db);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(fit_xput_suite());
}
