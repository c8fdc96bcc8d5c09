/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia allocation ILP (a multiple-choice knapsack, one capacity per GPU pool), on GLPK. */
#ifndef GPUSIM_LP_SIA_INT_H
#define GPUSIM_LP_SIA_INT_H

#include <stddef.h>

#include "gpusim/err.h"

/* One round's problem (Sia's artifact: sia.py optimize_mip). Job i may take one of its columns
 * col_start[i] .. col_start[i+1]-1, column k being col_gpus[k] GPUs of pool col_pool[k] at cost
 * col_a[k] (Sia's A = G^p, already restart-scaled, rounded and clipped), or nothing. Binary
 * X[i,k]; the objective is
 *     sum_k a_k X_k + lambda_n (njobs - sum_k X_k),
 * minimised when maximise == 0 (p < 0, lambda_n > 0) and maximised otherwise (p > 0,
 * lambda_n < 0), subject to sum_k X[i,k] <= 1 per job and sum of GPUs per pool <= cap[pool].
 * Columns the caller leaves out are simply absent (Sia gives them 1e-4, which never wins). */
typedef struct gs__sia_ilp {
    int njobs;
    int npools;
    const int *cap;          /* npools GPUs available to the ILP (pinned jobs taken out) */
    const size_t *col_start; /* njobs + 1 */
    const int *col_pool;
    const int *col_gpus;
    const double *col_a;
    double lambda_n;
    int maximise;
    double mip_gap; /* relative MIP gap; Sia uses 1e-4 */
} gs__sia_ilp;

typedef struct gs__sia_ilp_info {
    int rows;         /* constraints of the plain model (job rows + pool rows some column uses) */
    int cols;         /* binary variables of the plain model (columns that improve the objective) */
    int groups;       /* jobs after merging identical ones */
    int vars;         /* variables GLPK solved (after dropping dominated columns and merging) */
    int cons;         /* constraints GLPK solved */
    double objective; /* the full objective above, at the returned solution */
} gs__sia_ilp_info;

/* Solves the ILP exactly (GLPK branch and bound, fixed options, no time limit, so the answer
 * is the same for the same input). Before GLPK sees it the problem is made smaller without
 * changing its optimum:
 *  - a column is left out when it cannot improve the objective (a - lambda_n >= 0 when
 *    minimising), or when the job has a column on the same pool with no more GPUs and a cost
 *    at least as good (the cheaper column fits wherever the other does);
 *  - jobs whose remaining columns are identical (pool, GPUs and cost, in order) and which hold
 *    the same configuration are merged into one integer variable per column, bounded by their
 *    number (Sia's jobs are interchangeable in the objective then). Which of them gets what is
 *    decided after the solve, in job order: first the configuration they hold, then the columns
 *    in their order, the last ones getting nothing;
 *  - GLPK starts from a feasible greedy solution (each job in turn its best column that still
 *    fits), so branch and bound prunes from the first node.
 * choice (njobs) receives the column index taken by each job, or -1. info may be NULL. Returns
 * GS_OK, GS_EINVAL (malformed problem) or GS_ENOMEM; a solver failure is reported as
 * GS_EINFEASIBLE with GLPK's return code in the message. */
int gs__sia_ilp_solve(const gs__sia_ilp *p, int *choice, gs__sia_ilp_info *info, gs_err *err);
/* The same, held (NULL: none) giving per job the column it holds now (-1: none): jobs are only
 * merged when they hold the same (pool, GPUs), and merged jobs holding a configuration the
 * optimum gives to some of them keep it. */
int gs__sia_ilp_solve_held(const gs__sia_ilp *p, const int *held, int *choice,
                           gs__sia_ilp_info *info, gs_err *err);

/* The objective of an assignment (choice as above), for tests and reports. */
double gs__sia_ilp_objective(const gs__sia_ilp *p, const int *choice);

#endif
