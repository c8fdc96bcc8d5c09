/* SPDX-License-Identifier: Apache-2.0 */
/* One nonlinear least-squares problem for the calibration tools: GSL's trust-region
 * Levenberg-Marquardt with finite-difference Jacobians. */
#ifndef GPUSIM_TOOLS_LSQ_H
#define GPUSIM_TOOLS_LSQ_H

#include <gsl/gsl_vector.h>
#include <stddef.h>

typedef int (*gs__lsq_resid)(const gsl_vector *v, void *ctx, gsl_vector *r);

/* Fits np parameters from x0 (updated in place) to the nres residuals fn computes, within maxiter
 * iterations and the tolerance tol (step, gradient and relative reduction); returns the final sum
 * of squares, or HUGE_VAL when GSL failed. Deterministic: fixed start and iteration limits.
 * GSL_EMAXITER or GSL_ENOPROG still leave the best point found in x0. */
double gs__lsq(gs__lsq_resid fn, void *ctx, size_t nres, size_t np, double *x0, size_t maxiter,
               double tol);

#endif
