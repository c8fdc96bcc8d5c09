/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia ILP on GLPK against brute force. Tests a private module: includes policies/lp_sia_int.h.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "lp_sia_int.h"
#include "testutil.h"

#define MAXJ 5
#define MAXC 6

/* A small deterministic generator (the test must not depend on libc's rand). */
static uint64_t seed_state;
static double unif(void)
{
    seed_state = seed_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(seed_state >> 11) * (1.0 / 9007199254740992.0);
}
static int pick(int n)
{
    return (int)(unif() * n);
}

typedef struct inst {
    int njobs, cap[2];
    size_t start[MAXJ + 1];
    int pool[MAXJ * MAXC], gpus[MAXJ * MAXC];
    double a[MAXJ * MAXC];
    gs__sia_ilp p;
} inst;

/* A random instance in Sia's shape: a few jobs, two GPU types, a handful of configurations
 * each, costs A = round(G^p, 2) with many ties, and a few invalid (1e-4) entries. */
static void make(inst *in, int maximise)
{
    static const int counts[] = {1, 2, 4, 8};
    int i, c;
    size_t k = 0;
    double pw = maximise ? 0.5 : -0.5;

    in->njobs = 1 + pick(MAXJ);
    in->cap[0] = pick(13);
    in->cap[1] = pick(9);
    for (i = 0; i < in->njobs; i++) {
        int nc = pick(MAXC + 1);
        in->start[i] = k;
        for (c = 0; c < nc; c++) {
            double g = pick(8) == 0 ? 1e-4 : 1 + pick(12) * 0.5; /* normalised goodput */
            in->pool[k] = pick(2);
            in->gpus[k] = counts[pick(4)];
            in->a[k] = fmin(rint(pow(g, pw) * 100) / 100, 3000);
            k++;
        }
    }
    in->start[in->njobs] = k;
    in->p.njobs = in->njobs;
    in->p.npools = 2;
    in->p.cap = in->cap;
    in->p.col_start = in->start;
    in->p.col_pool = in->pool;
    in->p.col_gpus = in->gpus;
    in->p.col_a = in->a;
    in->p.lambda_n = maximise ? -1 : 1.1;
    in->p.maximise = maximise;
    in->p.mip_gap = 1e-4;
}

static int feasible(const inst *in, const int *choice)
{
    int used[2] = {0, 0}, i;

    for (i = 0; i < in->njobs; i++) {
        if (choice[i] < 0)
            continue;
        if ((size_t)choice[i] < in->start[i] || (size_t)choice[i] >= in->start[i + 1])
            return 0;
        used[in->pool[choice[i]]] += in->gpus[choice[i]];
    }
    return used[0] <= in->cap[0] && used[1] <= in->cap[1];
}

/* Best objective over every assignment (each job: nothing or one of its columns). */
static double brute(const inst *in)
{
    int choice[MAXJ], i, have = 0;
    double best = 0;

    for (i = 0; i < in->njobs; i++)
        choice[i] = -1;
    for (;;) {
        if (feasible(in, choice)) {
            double o = gs__sia_ilp_objective(&in->p, choice);
            if (!have || (in->p.maximise ? o > best : o < best))
                best = o, have = 1;
        }
        for (i = 0; i < in->njobs; i++) { /* next assignment, odometer style */
            choice[i] = choice[i] < 0 ? (int)in->start[i] : choice[i] + 1;
            if ((size_t)choice[i] < in->start[i + 1])
                break;
            choice[i] = -1;
        }
        if (i == in->njobs)
            return best;
    }
}

static void compare_many(int maximise, int n)
{
    inst in;
    int t, choice[MAXJ], binding = 0;

    seed_state = 12345 + (uint64_t)maximise;
    for (t = 0; t < n; t++) {
        gs__sia_ilp_info info;
        gs_err err = {0};
        double bf;
        int i, allfit[MAXJ];
        make(&in, maximise);
        ck_assert_int_eq(gs__sia_ilp_solve(&in.p, choice, &info, &err), GS_OK);
        ck_assert_msg(feasible(&in, choice), "instance %d: GLPK answer infeasible", t);
        ck_assert_double_eq_tol(info.objective, gs__sia_ilp_objective(&in.p, choice), 1e-12);
        bf = brute(&in);
        ck_assert_msg(fabs(info.objective - bf) <= 1e-4 * fmax(1, fabs(bf)) + 1e-9,
                      "instance %d (%s): GLPK %.6f, brute force %.6f", t, maximise ? "max" : "min",
                      info.objective, bf);
        /* count instances where capacity binds (each job's best column does not all fit), so
         * the comparison is not only over trivial ones */
        for (i = 0; i < in.njobs; i++) {
            size_t k;
            allfit[i] = -1;
            for (k = in.start[i]; k < in.start[i + 1]; k++)
                if (allfit[i] < 0 ||
                    (maximise ? in.a[k] > in.a[allfit[i]] : in.a[k] < in.a[allfit[i]]))
                    allfit[i] = (int)k;
        }
        if (!feasible(&in, allfit))
            binding++;
    }
    ck_assert_int_gt(binding, n / 5);
}

START_TEST(test_glpk_matches_brute_force_min)
{
    compare_many(0, 1500);
}
END_TEST

START_TEST(test_glpk_matches_brute_force_max)
{
    compare_many(1, 800);
}
END_TEST

/* A knapsack where the greedy (cheapest column per job, biggest first) is not optimal. */
START_TEST(test_known_optimum)
{
    /* pool 0 has 8 GPUs; job 0 wants 8 (A 0.5) or 4 (A 0.8); jobs 1 and 2 want 4 (A 0.6) */
    static const size_t start[] = {0, 2, 3, 4};
    static const int pool[] = {0, 0, 0, 0}, gpus[] = {8, 4, 4, 4}, cap[] = {8};
    static const double a[] = {0.5, 0.8, 0.6, 0.6};
    gs__sia_ilp p = {3, 1, cap, start, pool, gpus, a, 1.1, 0, 1e-4};
    int choice[3];
    gs__sia_ilp_info info;

    ck_assert_int_eq(gs__sia_ilp_solve(&p, choice, &info, NULL), GS_OK);
    /* best: job 0 nothing (1.1) + 0.6 + 0.6 = 2.3 < job 0 on 8 (0.5 + 1.1 + 1.1 = 2.7) and
     * < job 0 on 4 + one other (0.8 + 0.6 + 1.1 = 2.5) */
    ck_assert_double_eq_tol(info.objective, 2.3, 1e-12);
    ck_assert_int_eq(choice[0], -1);
    ck_assert_int_eq(choice[1], 2);
    ck_assert_int_eq(choice[2], 3);
    ck_assert_int_eq(info.cols, 4);
}
END_TEST

START_TEST(test_deterministic_and_malformed)
{
    inst in;
    int c1[MAXJ], c2[MAXJ], t;
    gs_err err = {0};
    static const size_t bad_start[] = {0, 1};
    static const int bad_pool[] = {3}, gpus[] = {1}, cap[] = {4};
    static const double a[] = {0.5};
    gs__sia_ilp bad = {1, 1, cap, bad_start, bad_pool, gpus, a, 1.1, 0, 1e-4};

    seed_state = 99;
    for (t = 0; t < 200; t++) {
        int i;
        make(&in, t & 1);
        ck_assert_int_eq(gs__sia_ilp_solve(&in.p, c1, NULL, NULL), GS_OK);
        ck_assert_int_eq(gs__sia_ilp_solve(&in.p, c2, NULL, NULL), GS_OK);
        for (i = 0; i < in.njobs; i++)
            ck_assert_int_eq(c1[i], c2[i]);
    }
    ck_assert_int_eq(gs__sia_ilp_solve(&bad, c1, NULL, &err), GS_EINVAL);
    ck_assert_str_ne(err.msg, "");
}
END_TEST

static Suite *lp_sia_suite(void)
{
    Suite *s = suite_create("lp_sia");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_glpk_matches_brute_force_min);
    tcase_add_test(tc, test_glpk_matches_brute_force_max);
    tcase_add_test(tc, test_known_optimum);
    tcase_add_test(tc, test_deterministic_and_malformed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(lp_sia_suite());
}
