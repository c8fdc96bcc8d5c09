/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics over runs (include/gpusim/stats.h): bootstrap intervals and paired tests against
 * values computed by hand or from textbook tables. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "gpusim/stats.h"
#include "testutil.h"

START_TEST(bootstrap_interval_holds_the_mean_and_repeats_exactly)
{
    double v[10] = {120, 95, 300, 180, 140, 90, 410, 160, 130, 175};
    gs_ci a, b, c;
    gs_err err = {0};

    ck_assert_int_eq(gs_stats_mean_ci(v, 10, 0.95, 10000, 7, &a, &err), GS_OK);
    ck_assert_int_eq(gs_stats_mean_ci(v, 10, 0.95, 10000, 7, &b, &err), GS_OK);
    ck_assert_int_eq(gs_stats_mean_ci(v, 10, 0.95, 10000, 8, &c, &err), GS_OK);
    ck_assert_uint_eq(a.n, 10);
    ck_assert_double_eq_tol(a.mean, 180, 1e-12);
    ck_assert_double_lt(a.lo, a.mean);
    ck_assert_double_gt(a.hi, a.mean);
    /* the same seed gives the same interval; another seed a slightly different one */
    ck_assert(a.lo == b.lo && a.hi == b.hi);
    ck_assert(a.lo != c.lo || a.hi != c.hi);
    ck_assert_double_eq_tol(a.lo, c.lo, 10);
    /* close to the normal-theory interval mean +- 1.96 sd / sqrt(n) (skewed data: loosely) */
    ck_assert_double_eq_tol(a.hi - a.lo, 2 * 1.96 * a.sd / sqrt(10), 30);
    /* a narrower level gives a narrower interval */
    ck_assert_int_eq(gs_stats_mean_ci(v, 10, 0.5, 10000, 7, &c, &err), GS_OK);
    ck_assert_double_gt(c.lo, a.lo);
    ck_assert_double_lt(c.hi, a.hi);
}
END_TEST

START_TEST(bootstrap_edge_cases_and_errors)
{
    double same[5] = {3, 3, 3, 3, 3}, one = 42, bad[2] = {1, NAN};
    gs_ci ci;

    ck_assert_int_eq(gs_stats_mean_ci(same, 5, 0.95, 1000, 1, &ci, NULL), GS_OK);
    ck_assert_double_eq(ci.lo, 3);
    ck_assert_double_eq(ci.hi, 3);
    ck_assert_double_eq(ci.sd, 0);
    ck_assert_int_eq(gs_stats_mean_ci(&one, 1, 0.95, 1000, 1, &ci, NULL), GS_OK);
    ck_assert_double_eq(ci.lo, 42);
    ck_assert_double_eq(ci.hi, 42);
    ck_assert_int_eq(gs_stats_mean_ci(same, 0, 0.95, 1000, 1, &ci, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_stats_mean_ci(bad, 2, 0.95, 1000, 1, &ci, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_stats_mean_ci(same, 5, 1.0, 1000, 1, &ci, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_stats_mean_ci(same, 5, 0.95, 10, 1, &ci, NULL), GS_EINVAL);
}
END_TEST

START_TEST(wilcoxon_and_sign_tests_match_exact_counts)
{
    /* differences 1..9 and -10: W+ = 45 of 55; |W+ - 27.5| >= 17.5 in 86 of the 1,024 sign
     * patterns (enumerated by hand); 9 of 10 pairs higher: sign p = 2 x 11 / 1024 */
    double a[10], b[10];
    gs_paired p;
    gs_err err = {0};
    int i;

    for (i = 0; i < 10; i++) {
        b[i] = 100;
        a[i] = 100 + (i < 9 ? i + 1 : -10);
    }
    ck_assert_int_eq(gs_stats_paired(a, b, 10, 0.95, 2000, 1, &p, &err), GS_OK);
    ck_assert_uint_eq(p.n, 10);
    ck_assert_double_eq(p.wilcoxon_w, 45);
    ck_assert_double_eq_tol(p.wilcoxon_p, 86.0 / 1024, 1e-12);
    ck_assert_uint_eq(p.a_higher, 9);
    ck_assert_uint_eq(p.a_lower, 1);
    ck_assert_double_eq_tol(p.sign_p, 22.0 / 1024, 1e-12);
    ck_assert_double_eq_tol(p.mean_a - p.mean_b, 3.5, 1e-12);
    ck_assert_double_eq_tol(p.diff.mean, 3.5, 1e-12);
    /* all ten higher: the most extreme of 1,024 patterns, both ways */
    for (i = 0; i < 10; i++)
        a[i] = 100 + i + 1;
    ck_assert_int_eq(gs_stats_paired(a, b, 10, 0.95, 2000, 1, &p, &err), GS_OK);
    ck_assert_double_eq_tol(p.wilcoxon_p, 2.0 / 1024, 1e-12);
    ck_assert_double_eq_tol(p.sign_p, 2.0 / 1024, 1e-12);
    /* ties at mid-ranks: |d| = 1, 1, 2 with signs +, -, +: W+ = 1.5 + 3 = 4.5 of 6; patterns
     * with |W+ - 3| >= 1.5: of W+ in {0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6}, all but the two 3s */
    a[0] = 101, a[1] = 99, a[2] = 102;
    ck_assert_int_eq(gs_stats_paired(a, b, 3, 0.95, 2000, 1, &p, &err), GS_OK);
    ck_assert_double_eq(p.wilcoxon_w, 4.5);
    ck_assert_double_eq_tol(p.wilcoxon_p, 0.75, 1e-12);
}
END_TEST

START_TEST(paired_t_matches_the_t_table)
{
    /* differences with t = 2.262157, the two-sided 5 % point of Student t with 9 df */
    double e[10] = {-1.5, 0.3, 0.8, -0.6, 1.1, -0.2, 0.9, -1.0, 0.4, -0.2}, a[10], b[10];
    double m = 0, s = 0, c;
    gs_paired p;
    gs_err err = {0};
    int i;

    for (i = 0; i < 10; i++)
        m += e[i] / 10;
    for (i = 0; i < 10; i++)
        s += (e[i] - m) * (e[i] - m) / 9;
    c = 2.262157 * sqrt(s) / sqrt(10.0);
    for (i = 0; i < 10; i++) {
        b[i] = 50 + i;
        a[i] = b[i] + e[i] - m + c;
    }
    ck_assert_int_eq(gs_stats_paired(a, b, 10, 0.95, 2000, 3, &p, &err), GS_OK);
    ck_assert_double_eq_tol(p.t, 2.262157, 1e-6);
    ck_assert_double_eq_tol(p.t_p, 0.05, 1e-6);
    /* the ratio interval: every a and b is positive */
    ck_assert(isfinite(p.log_ratio.mean));
    ck_assert_double_lt(p.log_ratio.lo, p.log_ratio.hi);
    /* identical pairs: nothing to test */
    ck_assert_int_eq(gs_stats_paired(b, b, 10, 0.95, 2000, 3, &p, &err), GS_OK);
    ck_assert_double_eq(p.t_p, 1);
    ck_assert_double_eq(p.wilcoxon_p, 1);
    ck_assert_double_eq(p.sign_p, 1);
    ck_assert_uint_eq(p.ties, 10);
    ck_assert_int_eq(gs_stats_paired(a, b, 1, 0.95, 2000, 3, &p, NULL), GS_EINVAL);
}
END_TEST

START_TEST(large_samples_use_the_normal_approximation)
{
    /* 300 pairs, differences +1 .. +300 alternating in sign: balanced, p near 1; shifted by
     * +50: clearly positive */
    static double a[300], b[300];
    gs_paired p;
    int i;

    for (i = 0; i < 300; i++) {
        b[i] = 1000;
        a[i] = 1000 + (i % 2 ? -(i + 1) : (i + 1));
    }
    ck_assert_int_eq(gs_stats_paired(a, b, 300, 0.95, 1000, 1, &p, NULL), GS_OK);
    ck_assert_double_gt(p.wilcoxon_p, 0.5);
    for (i = 0; i < 300; i++)
        a[i] += 50;
    ck_assert_int_eq(gs_stats_paired(a, b, 300, 0.95, 1000, 1, &p, NULL), GS_OK);
    ck_assert_double_lt(p.wilcoxon_p, 1e-3);
    ck_assert_double_lt(p.t_p, 1e-3);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");

    tcase_add_test(tc, bootstrap_interval_holds_the_mean_and_repeats_exactly);
    tcase_add_test(tc, bootstrap_edge_cases_and_errors);
    tcase_add_test(tc, wilcoxon_and_sign_tests_match_exact_counts);
    tcase_add_test(tc, paired_t_matches_the_t_table);
    tcase_add_test(tc, large_samples_use_the_normal_approximation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(stats_suite());
}
