/* SPDX-License-Identifier: Apache-2.0 */
/* A job's throughput model on one GPU type, fitted online from what its runs achieved (GSL
 * nonlinear least squares). Sia's Pollux-style step-time model adapted to fixed-global-batch
 * fine-tuning; see docs/sia.md. */
#ifndef GPUSIM_FIT_XPUT_INT_H
#define GPUSIM_FIT_XPUT_INT_H

#include <stddef.h>

#include "gpusim/err.h"

/* One measured configuration: gpus GPUs over nodes nodes ran at thr (samples/s, > 0). */
typedef struct gs__xput_obs {
    int gpus;
    int nodes;
    double thr;
} gs__xput_obs;

/* Time per sample (s) of the global batch on g GPUs over n nodes (Pollux's step time divided
 * by the fixed batch size, which stays inside the parameters):
 *   compute   Tc = alpha_c + beta_c / g             (per-step overhead + work split g ways)
 *   network   Tn = 0                                 if g = 1
 *                  alpha_r + beta_r * (g - 2)        if g > 1 on one node
 *                  alpha_n + beta_n * (g - 2)        if the job spans nodes
 *   step      T  = (Tc^gamma + Tn^gamma)^(1/gamma)   (gamma in [1, 10]: compute/network overlap)
 * and throughput = 1 / T. */
typedef struct gs__xput_model {
    double alpha_c, beta_c, alpha_r, beta_r, alpha_n, beta_n, gamma;
    int nparams_free; /* how many the last fit estimated (the rest were pinned) */
} gs__xput_model;

/* Parameter lower bound: "pinned at the lower bound" means practically zero (Sia's artifact:
 * goodput.py). */
#define GS__XPUT_LB 1e-8

/* Predicted throughput (> 0) of the model on gpus GPUs over nodes nodes. */
double gs__xput_predict(const gs__xput_model *m, int gpus, int nodes);

/* Fits m to n (>= 1) observations with distinct (gpus, nodes), by trust-region
 * Levenberg-Marquardt (gsl_multifit_nlinear) on log throughput. Parameters the data cannot
 * identify are pinned as Sia does (Sia's artifact: goodput.py): with one GPU count only, alpha_c is
 * half the observed step time; network terms without a point that exercises them sit at the
 * lower bound; without multi-node points alpha_n >= 1.1 alpha_r and beta_n >= 1.1 beta_r.
 * Deterministic (fixed start, fixed iteration limits). Returns GS_OK, GS_EINVAL (no or bad
 * observations) or GS_ENOMEM. */
int gs__xput_fit(const gs__xput_obs *obs, size_t n, gs__xput_model *m, gs_err *err);

#endif
