/* SPDX-License-Identifier: Apache-2.0 */
/* The parametric models of the synthetic ACME trace generator, shared by the generator
 * (src/core/tracegen.c) and their calibration on the published ACME figures (tools/fit_tracegen.c).
 * docs/traces.md describes the models; src/core/tracegen_params.h holds the fitted values. */
#ifndef GPUSIM_TRACEGEN_INT_H
#define GPUSIM_TRACEGEN_INT_H

#include <stdio.h>

#include "gpusim/err.h"

/* Seren GPU jobs in the released trace (InternLM/AcmeTrace README: its 470,497 GPU jobs less
 * Kalos's 19,907): with a type's share of GPU jobs, turns the published
 * per-type job counts into probabilities. */
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

/* A tail of the gpu_num distribution, outside the box plot's whiskers, on [gmin, gmax].
 * Upper (above the upper whisker W): probability p over the multiples of 8 in [gmin, gmax]
 * (gmin is above W and above the box plot's fence Q3 + 1.5 IQR, which no outlier is below),
 * grouped in octaves (W 2^(j-1), W 2^j]: the first octave that holds values takes a share
 * q1 of p, and each further one r times the one before. Inside an octave its power of two
 * takes pi2, its value 3 x 2^i (when a multiple of 8) pi3 of the rest, and the other values
 * share what is left equally; the shares are renormalised over the kinds of value the
 * octave holds.
 * Lower (below the lower whisker): probability p over the powers of two in [gmin, gmax], in
 * proportion to r^log2(g / gmin); q1, pi2 and pi3 are unused (0).
 * p = 0: no tail. Parameters that the published values cannot identify (q1 with one octave,
 * r with two, pi2 or pi3 with no octave mixing those kinds of value) are 1 and have no
 * effect. */
typedef struct gs__tg_tail {
    double p;
    int gmin, gmax;
    double q1, r, pi2, pi3;
} gs__tg_tail;

/* Kinds of gpu_num value in an upper tail's octave, and the octave j >= 1 of g above the
 * whisker w: the smallest j with g <= w 2^j. */
enum { GS__TG_POW2, GS__TG_3POW2, GS__TG_OTHER };
int gs__tg_kind(int g);
int gs__tg_octave(int whisker, int g);

/* One GPU job type. */
typedef struct gs__tg_type {
    const char *name; /* as the trace's type column */
    double share;     /* % of Seren GPU jobs */
    int nbody;        /* gpu_num between the whiskers (inclusive): values, probabilities */
    int body_v[GS__TG_BODY_MAX];
    double body_p[GS__TG_BODY_MAX];
    gs__tg_tail low, up;
    gs__tg_mix dur, queue;
} gs__tg_type;

/* F(x) of the delay model (x in seconds); exact for the generated values at whole seconds,
 * which are rounded up. */
double gs__tg_mix_cdf(const gs__tg_mix *m, double x);

/* The x in (lo, cap] with F(x) = u for u in (p1, 1); 1 for u <= p1 (the mass at <= 1 s); cap
 * for u >= 1. Deterministic (safeguarded Newton in ln x). */
double gs__tg_mix_inverse(const gs__tg_mix *m, double u);

/* The whole gpu_num distribution of t: the values in increasing order into v and their
 * probabilities (summing to 1) into p, both of room GS__TG_GPU_MAX. Returns how many, or -1
 * when t does not fit (more values than GS__TG_GPU_MAX, or a bad tail). */
int gs__tg_gpu_pmf(const gs__tg_type *t, int *v, double *p);

/* The calibration: reads the ACME figure files in dir (or dir/from_figures when that holds
 * them): job_type_share.csv, gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and
 * cdf_duration_queue_by_type.csv (Seren rows), fits every model of every type by nonlinear
 * least squares (GSL), and writes src/core/tracegen_params.h's text to out: the fitted
 * parameters, rounded to 4 significant digits, with the fit quality in comments. When log is
 * not NULL, a line per type summarises the fit there. Deterministic. Returns GS_OK, GS_EIO
 * (a file is missing or out cannot be written), GS_EPARSE (a file is malformed; the message
 * names it and the line), GS_EINVAL (the figures are inconsistent) or GS_ENOMEM. */
int gs__tracegen_calibrate(const char *dir, FILE *out, FILE *log, gs_err *err);

#endif
