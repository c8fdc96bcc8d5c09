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
    int rows;         /* constraints (job rows + pool rows that some column uses) */
    int cols;         /* binary variables */
    double objective; /* the full objective above, at the returned solution */
} gs__sia_ilp_info;

/* Solves the ILP exactly (GLPK branch and bound, fixed options, no time limit, so the answer
 * is the same for the same input). choice (njobs) receives the column index taken by each job,
 * or -1. info may be NULL. Returns GS_OK, GS_EINVAL (malformed problem) or GS_ENOMEM; a solver
 * failure is reported as GS_EINFEASIBLE with GLPK's return code in the message. */
int gs__sia_ilp_solve(const gs__sia_ilp *p, int *choice, gs__sia_ilp_info *info, gs_err *err);

/* The objective of an assignment (choice as above), for tests and reports. */
double gs__sia_ilp_objective(const gs__sia_ilp *p, const int *choice);

#endif
