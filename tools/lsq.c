/* SPDX-License-Identifier: Apache-2.0 */
#include "lsq.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <string.h>

double gs__lsq(gs__lsq_resid fn, void *ctx, size_t nres, size_t np, double *x0, size_t maxiter,
               double tol)
{
    gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w;
    gsl_multifit_nlinear_fdf fdf;
    gsl_vector_view x = gsl_vector_view_array(x0, np);
    double cost = HUGE_VAL;
    int info;
    size_t i;

    memset(&fdf, 0, sizeof(fdf));
    fdf.f = fn;
    fdf.n = nres;
    fdf.p = np;
    fdf.params = ctx;
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, nres, np);
    if (!w)
        return HUGE_VAL;
    if (gsl_multifit_nlinear_init(&x.vector, &fdf, w) == GSL_SUCCESS) {
        gsl_vector *pos, *res;
        gsl_multifit_nlinear_driver(maxiter, tol, tol, tol, NULL, NULL, &info, w);
        pos = gsl_multifit_nlinear_position(w);
        res = gsl_multifit_nlinear_residual(w);
        cost = 0;
        for (i = 0; i < nres; i++)
            cost += gsl_vector_get(res, i) * gsl_vector_get(res, i);
        for (i = 0; i < np; i++)
            x0[i] = gsl_vector_get(pos, i);
        if (!isfinite(cost))
            cost = HUGE_VAL;
    }
    gsl_multifit_nlinear_free(w);
    return cost;
}
