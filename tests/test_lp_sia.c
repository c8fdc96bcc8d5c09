/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia ILP on GLPK against brute force. Tests a private module: includes policies/lp_sia_int.h.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- merged jobs, dominated columns and the one-pool dynamic programme ---- */

#define BIGJ 48
#define BIGC 4

typedef struct big {
    int njobs, cap[2];
    size_t start[BIGJ + 1];
    int pool[BIGJ * BIGC], gpus[BIGJ * BIGC], held[BIGJ];
    double a[BIGJ * BIGC];
    gs__sia_ilp p;
} big;

/* Jobs copied from a few templates (so many are identical), on npools pools, some holding a
 * configuration; columns with more GPUs and no better cost (dominated) are common. */
static void make_big(big *b, int npools, int maxjobs, int maximise)
{
    static const int counts[] = {1, 2, 3, 4, 8};
    int ntpl = 1 + pick(4), i, c, tpl_n[4], tpl_pool[4][BIGC], tpl_gpus[4][BIGC];
    double tpl_a[4][BIGC], pw = maximise ? 0.5 : -0.5;
    size_t k = 0;

    for (i = 0; i < ntpl; i++) {
        tpl_n[i] = 1 + pick(BIGC);
        for (c = 0; c < tpl_n[i]; c++) {
            double g = 1 + pick(6) * 0.5;
            tpl_pool[i][c] = pick(npools);
            tpl_gpus[i][c] = counts[pick(5)];
            tpl_a[i][c] = fmin(rint(pow(g, pw) * 100) / 100, 3000);
        }
    }
    b->njobs = 1 + pick(maxjobs);
    b->cap[0] = pick(25);
    b->cap[1] = pick(9);
    for (i = 0; i < b->njobs; i++) {
        int t = pick(ntpl);
        b->start[i] = k;
        b->held[i] = -1;
        for (c = 0; c < tpl_n[t]; c++) {
            b->pool[k] = tpl_pool[t][c];
            b->gpus[k] = tpl_gpus[t][c];
            b->a[k] = tpl_a[t][c];
            k++;
        }
        if (pick(3) == 0)
            b->held[i] = (int)(b->start[i] + (size_t)pick(tpl_n[t]));
    }
    b->start[b->njobs] = k;
    b->p.njobs = b->njobs;
    b->p.npools = npools;
    b->p.cap = b->cap;
    b->p.col_start = b->start;
    b->p.col_pool = b->pool;
    b->p.col_gpus = b->gpus;
    b->p.col_a = b->a;
    b->p.lambda_n = maximise ? -1 : 1.1;
    b->p.maximise = maximise;
    b->p.mip_gap = 1e-4;
}

/* The optimum of a one-pool instance by a plain multiple-choice knapsack over every job (no
 * merging, no dominance): best[c] = best objective gain within c GPUs. */
static double one_pool_optimum(const big *b)
{
    double best[64] = {0};
    int i, c;
    size_t k;

    ck_assert_int_lt(b->cap[0], 64);
    for (i = 0; i < b->njobs; i++) {
        for (c = b->cap[0]; c >= 0; c--) {
            double v = best[c];
            for (k = b->start[i]; k < b->start[i + 1]; k++) {
                double gain = b->p.maximise ? b->a[k] - b->p.lambda_n : b->p.lambda_n - b->a[k];
                if (b->gpus[k] <= c && gain > 0 && best[c - b->gpus[k]] + gain > v)
                    v = best[c - b->gpus[k]] + gain;
            }
            best[c] = v;
        }
    }
    return b->p.lambda_n * b->njobs + (b->p.maximise ? best[b->cap[0]] : -best[b->cap[0]]);
}

static int big_feasible(const big *b, const int *choice)
{
    int used[2] = {0, 0}, i;

    for (i = 0; i < b->njobs; i++) {
        if (choice[i] < 0)
            continue;
        if ((size_t)choice[i] < b->start[i] || (size_t)choice[i] >= b->start[i + 1])
            return 0;
        used[b->pool[choice[i]]] += b->gpus[choice[i]];
    }
    return used[0] <= b->cap[0] && used[1] <= b->cap[1];
}

static int twins(const big *b, int i, int j)
{
    size_t n = b->start[i + 1] - b->start[i], k;

    if (n != b->start[j + 1] - b->start[j] || b->held[j] < 0 ||
        b->held[i] - (int)b->start[i] != b->held[j] - (int)b->start[j])
        return 0;
    for (k = 0; k < n; k++) {
        size_t x = b->start[i] + k, y = b->start[j] + k;
        if (b->pool[x] != b->pool[y] || b->gpus[x] != b->gpus[y] || b->a[x] != b->a[y])
            return 0;
    }
    return 1;
}

/* One pool, up to 48 jobs of a few kinds: the merged dynamic programme finds the optimum of
 * the plain model exactly, and merged jobs that hold a configuration the optimum gives to some
 * of them keep it. */
START_TEST(test_one_pool_exact_with_merged_jobs)
{
    big b;
    int t, choice[BIGJ], merged = 0;

    seed_state = 4242;
    for (t = 0; t < 600; t++) {
        gs__sia_ilp_info info;
        gs_err err = {0};
        double want;
        int i, maximise = t % 3 == 0;
        make_big(&b, 1, BIGJ, maximise);
        ck_assert_int_eq(gs__sia_ilp_solve_held(&b.p, b.held, choice, &info, &err), GS_OK);
        ck_assert_msg(big_feasible(&b, choice), "instance %d: infeasible", t);
        want = one_pool_optimum(&b);
        ck_assert_msg(fabs(info.objective - want) <= 1e-9 * fmax(1, fabs(want)),
                      "instance %d: %.6f, optimum %.6f", t, info.objective, want);
        merged += info.groups < b.njobs;
        /* twins (identical columns, the same held configuration) get what they hold in job
         * order: an earlier twin never loses it while a later one keeps it */
        for (i = 0; i < b.njobs; i++) {
            int j;
            if (b.held[i] < 0 || choice[i] == b.held[i])
                continue;
            for (j = i + 1; j < b.njobs; j++)
                ck_assert_msg(!(twins(&b, i, j) && choice[j] == b.held[j]),
                              "instance %d: job %d lost its held column to a later twin %d", t, i,
                              j);
        }
    }
    ck_assert_int_gt(merged, 300);
}
END_TEST

/* Three identical jobs holding 4 GPUs (A 0.5), which could also run on 1 (A 0.9), in 5 GPUs:
 * the optimum runs one on 4 and one on 1; the first in job order keeps what it holds. */
START_TEST(test_held_kept_in_job_order)
{
    static const size_t start[] = {0, 2, 4, 6};
    static const int pool[] = {0, 0, 0, 0, 0, 0}, gpus[] = {1, 4, 1, 4, 1, 4}, cap[] = {5};
    static const int held[] = {1, 3, 5};
    static const double a[] = {0.9, 0.5, 0.9, 0.5, 0.9, 0.5};
    gs__sia_ilp p = {3, 1, cap, start, pool, gpus, a, 1.1, 0, 1e-4};
    gs__sia_ilp_info info;
    int choice[3];

    ck_assert_int_eq(gs__sia_ilp_solve_held(&p, held, choice, &info, NULL), GS_OK);
    ck_assert_int_eq(info.groups, 1);
    ck_assert_double_eq_tol(info.objective, 0.5 + 0.9 + 1.1, 1e-12);
    ck_assert_int_eq(choice[0], 1);
    ck_assert_int_eq(choice[1], 2);
    ck_assert_int_eq(choice[2], -1);
}
END_TEST

/* Two pools (GLPK on the merged model), few jobs so brute force can check them. */
START_TEST(test_two_pools_merged_vs_brute_force)
{
    big b;
    inst in;
    int t, choice[BIGJ], merged = 0;

    seed_state = 777;
    for (t = 0; t < 600; t++) {
        gs__sia_ilp_info info;
        gs_err err = {0};
        double bf;
        int maximise = t % 2;
        make_big(&b, 2, MAXJ, maximise);
        ck_assert_int_le(b.start[b.njobs], MAXJ * MAXC);
        /* the brute force of the small instances, on the same columns */
        memset(&in, 0, sizeof(in));
        in.njobs = b.njobs;
        in.cap[0] = b.cap[0];
        in.cap[1] = b.cap[1];
        memcpy(in.start, b.start, sizeof(size_t) * ((size_t)b.njobs + 1));
        memcpy(in.pool, b.pool, sizeof(int) * b.start[b.njobs]);
        memcpy(in.gpus, b.gpus, sizeof(int) * b.start[b.njobs]);
        memcpy(in.a, b.a, sizeof(double) * b.start[b.njobs]);
        in.p = b.p;
        in.p.cap = in.cap;
        in.p.col_start = in.start;
        in.p.col_pool = in.pool;
        in.p.col_gpus = in.gpus;
        in.p.col_a = in.a;
        ck_assert_int_eq(gs__sia_ilp_solve_held(&b.p, b.held, choice, &info, &err), GS_OK);
        ck_assert_msg(big_feasible(&b, choice), "instance %d: infeasible", t);
        bf = brute(&in);
        ck_assert_msg(fabs(info.objective - bf) <= 1e-4 * fmax(1, fabs(bf)) + 1e-9,
                      "instance %d: %.6f, brute force %.6f", t, info.objective, bf);
        merged += info.groups < b.njobs;
    }
    ck_assert_int_gt(merged, 100);
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
    tcase_add_test(tc, test_one_pool_exact_with_merged_jobs);
    tcase_add_test(tc, test_held_kept_in_job_order);
    tcase_add_test(tc, test_two_pools_merged_vs_brute_force);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(lp_sia_suite());
}
