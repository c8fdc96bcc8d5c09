/* SPDX-License-Identifier: Apache-2.0 */
/* CDFs of a result column: loading any column, the sample size behind a jct_cdf.csv, the KS
 * distance, the Kolmogorov distribution and the two-sample KS p-value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/cdf.h"
#include "testutil.h"

/* Critical values of the Kolmogorov distribution (Smirnov's table, as printed in every
 * statistics handbook): P(K > 1.2239) = 0.10, P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01; and
 * Q(1) = 0.26999967 (the series to eight digits). */
START_TEST(test_kolmogorov)
{
    ck_assert_double_eq_tol(gs_kolmogorov_q(1.2239), 0.10, 2e-4);
    ck_assert_double_eq_tol(gs_kolmogorov_q(1.3581), 0.05, 2e-4);
    ck_assert_double_eq_tol(gs_kolmogorov_q(1.6276), 0.01, 2e-4);
    ck_assert_double_eq_tol(gs_kolmogorov_q(1.0), 0.26999967, 1e-7);
    ck_assert_double_eq_tol(gs_kolmogorov_q(0.0), 1.0, 1e-15);
    ck_assert_double_eq_tol(gs_kolmogorov_q(0.2), 1.0, 1e-9);
    ck_assert(gs_kolmogorov_q(5.0) < 1e-20);
    /* the two series meet where the function switches between them */
    ck_assert_double_eq_tol(gs_kolmogorov_q(1.18 - 1e-9), gs_kolmogorov_q(1.18 + 1e-9), 1e-8);
    /* monotone */
    {
        double l, prev = 1;
        for (l = 0.05; l < 3; l += 0.05) {
            double q = gs_kolmogorov_q(l);
            ck_assert(q <= prev + 1e-15);
            prev = q;
        }
    }
}
END_TEST

START_TEST(test_pvalue)
{
    /* n = m = 100: e = 50, lambda = (sqrt(50) + 0.12 + 0.11 / sqrt(50)) D */
    double e = sqrt(50.0), d = 0.2;
    ck_assert_double_eq_tol(gs_ks_pvalue(d, 100, 100), gs_kolmogorov_q((e + 0.12 + 0.11 / e) * d),
                            1e-15);
    /* D = 0.2 with 100 and 100 samples is about the 5 % point (tables: 0.192) */
    ck_assert(gs_ks_pvalue(0.192, 100, 100) > 0.04 && gs_ks_pvalue(0.192, 100, 100) < 0.07);
    ck_assert_double_eq_tol(gs_ks_pvalue(0, 10, 10), 1, 1e-15);
    ck_assert(isnan(gs_ks_pvalue(0.5, 0, 10)));
    ck_assert(gs_ks_pvalue(0.5, 1000, 1000) < 1e-50);
}
END_TEST

START_TEST(test_columns_and_counts)
{
    char *jobs = gs_test_tmpfile("id,jct,ftf\na,10,1.5\nb,20,\nc,30,2\n", ".csv");
    /* 7 samples, one unfinished: steps of 1/7 printed with 6 decimals */
    char *cdf = gs_test_tmpfile("jct,fraction\n1,0.142857\n2,0.428571\n5,0.857143\n", ".csv");
    char *bad = gs_test_tmpfile("id,ftf\na,x\n", ".csv");
    gs_cdf c;
    gs_err err = {0};
    double *v;
    size_t n;

    ck_assert_int_eq(gs_cdf_load_column(&c, jobs, "ftf", &err), GS_OK);
    ck_assert_uint_eq(c.nsamples, 3);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_double_eq_tol(gs_cdf_eval(&c, 1.6), 1.0 / 3, 1e-12);
    ck_assert_double_eq_tol(gs_cdf_eval(&c, 9), 2.0 / 3, 1e-12); /* b never finished */
    gs_cdf_release(&c);
    ck_assert_int_eq(gs_cdf_load(&c, cdf, &err), GS_OK);
    ck_assert_uint_eq(c.nsamples, 7);
    gs_cdf_release(&c);
    ck_assert_int_eq(gs_samples_load(jobs, "jct", &v, &n, &err), GS_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_double_eq_tol(v[2], 30, 1e-12);
    free(v);
    ck_assert_int_ne(gs_samples_load(cdf, "jct", &v, &n, &err), GS_OK);
    err.code = 0;
    ck_assert_int_eq(gs_cdf_load_column(&c, jobs, "nosuch", &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "line 1: missing column 'nosuch'"), "%s", err.msg);
    err.code = 0;
    ck_assert_int_eq(gs_cdf_load_column(&c, bad, "ftf", &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "line 2: column 'ftf': not a number 'x'"), "%s", err.msg);
    remove(jobs);
    remove(cdf);
    remove(bad);
    free(jobs);
    free(cdf);
    free(bad);
}
END_TEST

/* Two samples drawn from one distribution pass at 5 % about 95 % of the time, and a shifted one
 * is rejected: the p-value has the meaning it claims (a fixed seed: deterministic). */
START_TEST(test_pvalue_calibration)
{
    unsigned long long s = 42;
    double a[200], b[200];
    int trial, rejected = 0, detected = 0, i;

    for (trial = 0; trial < 400; trial++) {
        gs_cdf ca, cb;
        for (i = 0; i < 200; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            a[i] = (double)(s >> 11) / 9007199254740992.0;
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            b[i] = (double)(s >> 11) / 9007199254740992.0;
        }
        ck_assert_int_eq(gs_cdf_from_samples(&ca, a, 200, NULL), GS_OK);
        ck_assert_int_eq(gs_cdf_from_samples(&cb, b, 200, NULL), GS_OK);
        if (gs_ks_pvalue(gs_cdf_ks(&ca, &cb, NULL), 200, 200) < 0.05)
            rejected++;
        gs_cdf_release(&cb);
        for (i = 0; i < 200; i++)
            b[i] += 0.2;
        ck_assert_int_eq(gs_cdf_from_samples(&cb, b, 200, NULL), GS_OK);
        if (gs_ks_pvalue(gs_cdf_ks(&ca, &cb, NULL), 200, 200) < 0.05)
            detected++;
        gs_cdf_release(&ca);
        gs_cdf_release(&cb);
    }
    /* 5 % of 400 = 20 expected false rejections (the test is slightly conservative) */
    ck_assert_msg(rejected >= 6 && rejected <= 34, "false rejections: %d of 400", rejected);
    ck_assert_msg(detected >= 380, "a shift of 0.2 detected %d times of 400", detected);
}
END_TEST

static Suite *cdf_suite(void)
{
    Suite *s = suite_create("cdf");
    TCase *tc = tcase_create("cdf");

    tcase_add_test(tc, test_kolmogorov);
    tcase_add_test(tc, test_pvalue);
    tcase_add_test(tc, test_columns_and_counts);
    tcase_add_test(tc, test_pvalue_calibration);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(cdf_suite());
}
