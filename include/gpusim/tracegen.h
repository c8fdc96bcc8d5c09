/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic ACME (Seren or Kalos schema) job traces from parametric models fitted to the published
 * ACME figures: per type, gpu_num inside the box plot's whiskers with the published outliers
 * outside them, duration and queue as mixtures of log-normals, gpu_num and duration coupled so
 * that each type holds its published share of GPU time; job-type shares, states drawn with the
 * duration so that they hold the cluster's published shares of jobs and GPU time, and a diurnal,
 * weekly and day-to-day arrival process. Models, calibration, sources and assumptions:
 * docs/traces.md. */
#ifndef GPUSIM_TRACEGEN_H
#define GPUSIM_TRACEGEN_H

#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"

enum { GS_TRACEGEN_SEREN = 0, GS_TRACEGEN_KALOS = 1 };

typedef struct gs_tracegen_opts {
    uint64_t seed;         /* default 1 */
    long jobs;             /* exact number of jobs to write; 0 = as many as `days` give (default) */
    double days;           /* length in days when jobs is 0; default 28 */
    double sft_per_hour;   /* mean SFT submissions per hour; default 15.2 (ACME's average) */
    int all_types;         /* 0: SFT only (default); 1: every GPU job type in its published share */
    const char *types;     /* NULL (all_types decides), "all", or a list "Eval,SFT" of the
                            * cluster's types, drawn in their published shares */
    int cluster;           /* GS_TRACEGEN_SEREN (default) or GS_TRACEGEN_KALOS: whose fitted
                            * models, type shares, states and columns (Kalos: every type by
                            * default, timestamps at the start's offset) */
    double kalos_per_hour; /* Kalos: mean GPU jobs per hour of all types; default 6.74 */
    double start_epoch;    /* UTC seconds of the first hour; default 2023-03-01 00:00:00+08:00 */
    int utc_offset_min;    /* offset timestamps are written with, and local time of day; 480 */
    double diurnal;        /* amplitude of the daily cycle, in [0, 1); default 0.5 */
    double weekend;        /* rate on Saturdays and Sundays relative to weekdays, > 0; 0.7 */
    double day_sigma;      /* sigma of the log-normal day-to-day factor, >= 0; default 0.35 */
    double corr;           /* Gaussian-copula correlation of gpu_num and duration, in (-1, 1),
                            * for every type; default NAN: each type's correlation, fitted to
                            * the published GPU-time shares (docs/traces.md) */
} gs_tracegen_opts;

void gs_tracegen_opts_init(gs_tracegen_opts *o);

typedef struct gs_tracegen_stats {
    long jobs;           /* rows written */
    long sft;            /* of which SFT */
    double first_submit; /* UTC seconds */
    double last_submit;
} gs_tracegen_stats;

/* Writes a trace to fp: the header job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,
 * start_time,end_time,duration,queue,gpu_time and one row per job in submission order.
 * Deterministic: the same options give the same bytes. Returns GS_OK, GS_EINVAL (options out of
 * range; the message names the option), GS_ENOMEM or GS_EIO (a write failed). st may be NULL. */
int gs_tracegen_write(const gs_tracegen_opts *o, FILE *fp, gs_tracegen_stats *st, gs_err *err);

/* Checks the options as gs_tracegen_write would (ranges, the names of a type list) without
 * writing. Returns GS_OK or GS_EINVAL naming the option. */
int gs_tracegen_check(const gs_tracegen_opts *o, gs_err *err);

/* Prints the fitted models (per type: share, gpu_num probabilities and tails, duration and
 * queue mixtures) as text, for documentation and review. */
void gs_tracegen_describe(FILE *fp);

/* The fitted distributions, for tests and tools. type is a GPU job type as written in the
 * trace's type column: "Eval", "Pretrain", "SFT", "MLLM", "Debug" or "Other". */

/* The probability that a generated job of type has gpus GPUs; 0 for an unknown type. */
double gs_tracegen_gpu_prob(const char *type, int gpus);

enum gs_tracegen_metric { GS_TRACEGEN_DURATION = 0, GS_TRACEGEN_QUEUE = 1 };

/* The probability that a generated job of type has a duration (or queue) of at most x
 * seconds: exactly the distribution of the whole seconds the generator writes. -1 for an
 * unknown type. */
double gs_tracegen_cdf(const char *type, enum gs_tracegen_metric metric, double x);

/* The model's mean GPU time per job of type (gpu_num x duration, GPU-seconds, with the fitted
 * copula; computed by the calibration); 0 for an unknown type. */
double gs_tracegen_gpu_time_mean(const char *type);

/* The probability that a job of the given duration (s) ends in state ("COMPLETED",
 * "CANCELLED" or "FAILED"); -1 for another state. */
double gs_tracegen_state_prob(const char *state, double duration);

/* The same for the types of a cluster (GS_TRACEGEN_SEREN or GS_TRACEGEN_KALOS). */
double gs_tracegen_cluster_gpu_prob(int cluster, const char *type, int gpus);
double gs_tracegen_cluster_cdf(int cluster, const char *type, enum gs_tracegen_metric metric,
                               double x);

/* gs_tracegen_gpu_time_mean and gs_tracegen_state_prob for a cluster's types and state model. */
double gs_tracegen_cluster_gpu_time_mean(int cluster, const char *type);
double gs_tracegen_cluster_state_prob(int cluster, const char *state, double duration);

/* For SFT: the probability of gpus GPUs, and the duration (s) at cumulative probability u in
 * (0, 1] (before rounding up to whole seconds). */
double gs_tracegen_sft_gpu_prob(int gpus);
double gs_tracegen_sft_duration_at(double u);

#endif
