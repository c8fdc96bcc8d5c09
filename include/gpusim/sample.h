/* SPDX-License-Identifier: Apache-2.0 */
/* Sampling experiment traces from a long trace: find the busiest window of submissions and draw
 * traces of N jobs per hour from it, with the window's hourly shape (the set-up of the
 * CLOUDSTARS D2.1 report: 10 traces of 960 fine-tuning jobs, 40 per hour, from ACME's busiest
 * 24 hours). For independent traces, take one window from each of several sources. */
#ifndef GPUSIM_SAMPLE_H
#define GPUSIM_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"
#include "gpusim/trace.h"

#define GS_SAMPLE_MAX_HOURS 168

/* The busiest window and the plan for the traces drawn from it. */
typedef struct gs_sample_window {
    int hours;                        /* window length */
    double start_epoch;               /* UTC seconds; the window is [start, start + hours h) */
    int utc_offset_min;               /* offset of the first job in it (for printing) */
    size_t first, njobs;              /* the window's jobs: trace->jobs[first .. first + njobs) */
    long hourly[GS_SAMPLE_MAX_HOURS]; /* jobs submitted in each hour of the window */
    int per_hour;                     /* jobs per hour asked for */
    long target[GS_SAMPLE_MAX_HOURS]; /* jobs each trace gets in each hour (sum per_hour*hours) */
    int with_replacement;             /* the window holds fewer jobs than a trace needs */
} gs_sample_window;

/* What one drawn trace holds. */
typedef struct gs_sample_info {
    size_t jobs;     /* rows written (per_hour x hours) */
    size_t distinct; /* distinct jobs of the window among them */
    size_t reused;   /* rows that repeat a job already in the trace: jobs - distinct */
} gs_sample_info;

/* Finds the window of `hours` hours (1..GS_SAMPLE_MAX_HOURS) holding the most submissions of the
 * (already filtered) trace t, by absolute UTC time, so rows written with different UTC offsets
 * compare correctly. The window starts at a submission; among equally busy windows the earliest
 * wins. Then plans traces of per_hour jobs per hour (>= 1): each hour of the window gets a share
 * of per_hour * hours proportional to its own submissions (largest remainders, ties to the
 * earlier hour). Returns GS_OK or GS_EINVAL (bad hours or per_hour, empty trace). */
int gs_sample_find_window(const gs_trace *t, int hours, int per_hour, gs_sample_window *w,
                          gs_err *err);

/* Writes trace number k (1-based) of the plan w to fp in the Seren schema (job_id,user,node_num,
 * gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time), rows in
 * submission order, timestamps at each job's own UTC offset.
 * Each hour h of the window gives target[h] jobs from its hourly[h] submissions. When it holds
 * enough (always, when the window holds per_hour x hours jobs or more), they are a uniform random
 * subset, without replacement, and keep their rows: job id, submit time and all. When it holds
 * fewer, jobs must be reused: every job of the hour is taken once (keeping its row), then as
 * many more times as needed, as evenly as possible (a full pass over the hour's jobs per round,
 * then a random subset), so the trace holds as many distinct jobs as the window can give. Each
 * repeat keeps user, gpu_num, node_num, cpu_num, type, state, duration and queue, gets the id
 * '<orig>-s<k>-<n>' (n counts the trace's rows) and a submit time uniform in its hour.
 * start_time = submit + queue and end_time = start + duration (empty when the trace has no
 * queue). Seeded by (seed, k): the same arguments give the same bytes, and trace k does not
 * depend on how many others are drawn. info (may be NULL) receives the counts. Returns GS_OK,
 * GS_ENOMEM or GS_EIO. */
int gs_sample_write(const gs_trace *t, const gs_sample_window *w, int k, uint64_t seed, FILE *fp,
                    gs_sample_info *info, gs_err *err);

#endif
