/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia allocation ILP on GLPK: build, solve exactly, read back. */
#include "lp_sia_int.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

double gs__sia_ilp_objective(const gs__sia_ilp *p, const int *choice)
{
    double obj = 0;
    int i;

    for (i = 0; i < p->njobs; i++)
        obj += choice[i] >= 0 ? p->col_a[choice[i]] : p->lambda_n;
    return obj;
}

static int check(const gs__sia_ilp *p, gs_err *err)
{
    int i;
    size_t k;

    if (p->njobs < 0 || p->npools < 1 || !(p->mip_gap >= 0) || !isfinite(p->lambda_n))
        return gs_errorf(err, GS_EINVAL, "sia ilp: malformed problem");
    for (i = 0; i < p->njobs; i++)
        if (p->col_start[i + 1] < p->col_start[i])
            return gs_errorf(err, GS_EINVAL, "sia ilp: columns of job %d out of order", i);
    for (k = 0; k < p->col_start[p->njobs]; k++) {
        if (p->col_pool[k] < 0 || p->col_pool[k] >= p->npools || p->col_gpus[k] < 1 ||
            !isfinite(p->col_a[k]))
            return gs_errorf(err, GS_EINVAL, "sia ilp: malformed column %zu", k);
    }
    return GS_OK;
}

int gs__sia_ilp_solve(const gs__sia_ilp *p, int *choice, gs__sia_ilp_info *info, gs_err *err)
{
    size_t ncols_all, k, nz = 0;
    int i, rc, ret, ncols = 0, nrows = 0, pool;
    int *ia = NULL, *ja = NULL, *colmap = NULL, *poolrow = NULL;
    double *ar = NULL;
    glp_prob *lp = NULL;
    glp_iocp parm;
    gs__sia_ilp_info dummy;

    if (!info)
        info = &dummy;
    info->rows = info->cols = 0;
    if ((rc = check(p, err)) != GS_OK)
        return rc;
    for (i = 0; i < p->njobs; i++)
        choice[i] = -1;
    ncols_all = p->col_start[p->njobs];
    /* A column whose coefficient a - lambda_n does not improve the objective (>= 0 when
     * minimising, <= 0 when maximising) is 0 in some optimal solution: leave it out. */
    colmap = malloc((ncols_all + 1) * sizeof(*colmap));
    poolrow = calloc((size_t)p->npools, sizeof(*poolrow));
    ia = malloc((2 * ncols_all + 1) * sizeof(*ia));
    ja = malloc((2 * ncols_all + 1) * sizeof(*ja));
    ar = malloc((2 * ncols_all + 1) * sizeof(*ar));
    if (!colmap || !poolrow || !ia || !ja || !ar) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    lp = glp_create_prob();
    glp_set_obj_dir(lp, p->maximise ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(lp, 0, p->lambda_n * p->njobs);
    for (i = 0; i < p->njobs; i++) {
        int jobrow = 0, used = 0;
        for (k = p->col_start[i]; k < p->col_start[i + 1]; k++) {
            double c = p->col_a[k] - p->lambda_n;
            colmap[k] = 0;
            if (p->maximise ? !(c > 0) : !(c < 0))
                continue;
            used++;
        }
        if (used == 0)
            continue;
        if (used > 1) { /* one configuration per job at most (a binary alone is already <= 1) */
            jobrow = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, jobrow, GLP_UP, 0, 1);
            nrows++;
        }
        for (k = p->col_start[i]; k < p->col_start[i + 1]; k++) {
            double c = p->col_a[k] - p->lambda_n;
            int col;
            if (p->maximise ? !(c > 0) : !(c < 0))
                continue;
            col = glp_add_cols(lp, 1);
            glp_set_col_kind(lp, col, GLP_BV);
            glp_set_obj_coef(lp, col, c);
            colmap[k] = col;
            ncols++;
            if (jobrow) {
                nz++;
                ia[nz] = jobrow, ja[nz] = col, ar[nz] = 1;
            }
            pool = p->col_pool[k];
            if (!poolrow[pool]) {
                poolrow[pool] = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, poolrow[pool], GLP_UP, 0, p->cap[pool] > 0 ? p->cap[pool] : 0);
                nrows++;
            }
            nz++;
            ia[nz] = poolrow[pool], ja[nz] = col, ar[nz] = p->col_gpus[k];
        }
    }
    info->rows = nrows;
    info->cols = ncols;
    if (ncols > 0) {
        glp_load_matrix(lp, (int)nz, ia, ja, ar);
        glp_init_iocp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.presolve = GLP_ON;    /* no separate LP solve needed */
        parm.br_tech = GLP_BR_DTH; /* fixed (default) branching and backtracking: GLPK is */
        parm.bt_tech = GLP_BT_BLB; /* deterministic for a given problem and options */
        parm.mip_gap = p->mip_gap; /* Sia: allowablePercentageGap 0.01 % (Sia's artifact: sia.py
                                      optimize_mip) */
        parm.tm_lim = INT_MAX;     /* exact: no time limit, which would depend on the machine */
        ret = glp_intopt(lp, &parm);
        if ((ret != 0 && ret != GLP_EMIPGAP) ||
            (glp_mip_status(lp) != GLP_OPT && glp_mip_status(lp) != GLP_FEAS)) {
            rc = gs_errorf(err, GS_EINFEASIBLE,
                           "sia ilp: GLPK failed (glp_intopt returned %d, status %d) on %d "
                           "variables and %d constraints",
                           ret, glp_mip_status(lp), ncols, nrows);
            goto out;
        }
        for (i = 0; i < p->njobs; i++) {
            for (k = p->col_start[i]; k < p->col_start[i + 1]; k++) {
                if (colmap[k] && glp_mip_col_val(lp, colmap[k]) > 0.5) {
                    choice[i] = (int)k;
                    break;
                }
            }
        }
    }
    info->objective = gs__sia_ilp_objective(p, choice);
    rc = GS_OK;
out:
    if (lp)
        glp_delete_prob(lp);
    free(colmap);
    free(poolrow);
    free(ia);
    free(ja);
    free(ar);
    return rc;
}
