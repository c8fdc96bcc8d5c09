/* SPDX-License-Identifier: Apache-2.0 */
/* The parametric models of the synthetic ACME trace generator, shared by the generator
 * (src/core/tracegen.c) and their calibration on the published ACME figures (tools/fit_tracegen.c).
 * docs/traces.md describes the models; src/core/tracegen_params.h holds the fitted values. */
#ifndef GPUSIM_TRACEGEN_INT_H
#define GPUSIM_TRACEGEN_INT_H

#include <stdio.h>

#include "gpusim/err.h"

/* Seren GPU jobs in the released trace (InternLM/AcmeTrace README: its 470,497 GPU jobs less
 * Kalos's 19,907): with a type's share of GPU jobs, turns the published per-type job counts (the
 * box plot's outliers) into probabilities. */
#define GS__TG_SEREN_GPU_JOBS 450590.0
/* Kalos GPU jobs (InternLM/AcmeTrace, the authors' cluster_summary.csv: gpu_job_num, which the
 * released Kalos trace matches). */
#define GS__TG_KALOS_GPU_JOBS 19907.0

#define GS__TG_KMAX     4    /* log-normal components of a delay model, at most */
#define GS__TG_DUR_K    4    /* components of the duration model */
#define GS__TG_QUEUE_K  3    /* components of the queue model (plus its mass at <= 1 s) */
#define GS__TG_BODY_MAX 12   /* gpu_num values between the whiskers, at most (Kalos Debug: 11) */
#define GS__TG_GPU_MAX  300  /* gpu_num values of one type, at most */
#define GS__TG_GMAX     2048 /* the largest gpu_num a tail may reach */
/* Durations stop at 2^21 s: every published duration CDF reaches 100% by then. Queues stop at
 * 2^18 s (assumption E of docs/traces.md: the published queue CDFs end at 2^15 s). */
#define GS__TG_DUR_CAP   2097152.0
#define GS__TG_QUEUE_CAP 262144.0

/* A delay in seconds (a job's duration or queue): with probability p1 at most 1 s, otherwise
 * a mixture of k log-normals restricted to (lo, cap], lo being 0 or 1 s:
 *   F(x) = p1 + (1 - p1) (M(x) - M(lo)) / (M(cap) - M(lo))     for lo < x <= cap,
 *   M(x) = sum_i w[i] Phi((ln x - mu[i]) / sigma[i])           (M(0) = 0; x in seconds).
 * Durations use lo = 0 and p1 = 0; queues lo = 1 s. The weights sum to 1. */
typedef struct gs__tg_mix {
    double p1;
    double lo, cap;
    int k;
    double w[GS__TG_KMAX], mu[GS__TG_KMAX], sigma[GS__TG_KMAX];
} gs__tg_mix;

#define GS__TG_TAIL_MAX 40 /* published gpu_num values outside the whiskers, per type, at most */

/* One GPU job type. gpu_num is drawn from the body (the values between the box plot's whiskers,
 * with probabilities the box plot bounds) and the tail (the values outside the whiskers that the
 * figure publishes one marker per job for, each with its published share of the type's jobs);
 * duration from a delay model; the two are coupled by a Gaussian copula of correlation rho
 * (the normal score of gpu_num z1, that of duration rho z1 + sqrt(1 - rho^2) z2), fitted so that
 * the type's mean GPU time per job, gpu_time, gives the published GPU-time shares. */
typedef struct gs__tg_type {
    const char *name; /* as the trace's type column */
    double share;     /* % of the cluster's GPU jobs */
    int nbody;        /* gpu_num between the whiskers (inclusive): values, probabilities */
    int body_v[GS__TG_BODY_MAX];
    double body_p[GS__TG_BODY_MAX];
    int ntail; /* gpu_num outside the whiskers, increasing: values, probabilities */
    int tail_v[GS__TG_TAIL_MAX];
    double tail_p[GS__TG_TAIL_MAX];
    gs__tg_mix dur, queue;
    double rho;      /* copula correlation of gpu_num and duration, in (-1, 1) */
    double gpu_time; /* the model's mean gpu_num x duration, GPU-seconds (for documentation) */
} gs__tg_type;

/* The final state of a job, drawn with its duration d (seconds): P(state s | d) is proportional
 * to exp(a[s] + b[s] ln d), a[0] = b[0] = 0 (COMPLETED), fitted so that the states' shares of
 * GPU jobs and of GPU time are the published cluster-level ones. */
#define GS__TG_NSTATES 3
typedef struct gs__tg_states {
    const char *name[GS__TG_NSTATES]; /* COMPLETED, CANCELLED, FAILED */
    double a[GS__TG_NSTATES], b[GS__TG_NSTATES];
} gs__tg_states;

/* P(state | duration) of the model into p[GS__TG_NSTATES]. */
void gs__tg_state_probs(const gs__tg_states *m, double duration, double *p);

/* F(x) of the delay model (x in seconds); exact for the generated values at whole seconds,
 * which are rounded up. */
double gs__tg_mix_cdf(const gs__tg_mix *m, double x);

/* The x in (lo, cap] with F(x) = u for u in (p1, 1); 1 for u <= p1 (the mass at <= 1 s); cap
 * for u >= 1. Deterministic (safeguarded Newton in ln x). */
double gs__tg_mix_inverse(const gs__tg_mix *m, double u);

/* The whole gpu_num distribution of t: the values in increasing order into v and their
 * probabilities (summing to 1) into p, both of room GS__TG_GPU_MAX. Returns how many, or -1
 * when t does not fit (values not increasing, probabilities not positive). */
int gs__tg_gpu_pmf(const gs__tg_type *t, int *v, double *p);

/* The calibration: reads the ACME figure files in dir (or dir/from_figures when that holds
 * them): job_type_share.csv, gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and
 * cdf_duration_queue_by_type.csv (Seren rows), and the authors' cluster_summary.csv (in dir,
 * or next to from_figures/); fits every model of every type by nonlinear least squares (GSL),
 * each type's copula correlation to its mean GPU time per job (root finding, GSL) and the state
 * model to the states' shares of jobs and GPU time; and writes src/core/tracegen_params.h's text
 * to out: the fitted parameters, rounded to 4 significant digits, with the fit quality in
 * comments. When log is not NULL, a line per type summarises the fit there. Deterministic.
 * Returns GS_OK, GS_EIO (a file is missing or out cannot be written), GS_EPARSE (a file is
 * malformed; the message names it and the line), GS_EINVAL (the figures are inconsistent) or
 * GS_ENOMEM. */
int gs__tracegen_calibrate(const char *dir, FILE *out, FILE *log, gs_err *err);

#endif
