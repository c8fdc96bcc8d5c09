/* SPDX-License-Identifier: Apache-2.0 */
/* What a scheduling run is observed to do (observe.c): the cluster's timeline, each job's GPU
 * time, energy, cost and contention, and from them finish-time fairness, slowdown and per-user
 * results. sim.c calls the gs__obs_ hooks at the few places where a job's state changes; the
 * engine's time observer (gs_engine_on_advance) sees each state of the cluster once, complete. */
#ifndef GPUSIM_OBSERVE_INT_H
#define GPUSIM_OBSERVE_INT_H

#include <stdint.h>
#include <stdio.h>

#include "gpusim/sim.h"

struct cJSON;

/* Per job, filled during the run. */
typedef struct gs__acct {
    double contention; /* ∫ contending jobs dt at submission; after finishing, the mean N_j */
    double prod_s;     /* seconds of progress (allocated, past restart delays, viable) */
    double prod_gpu_s; /* GPU-seconds of progress */
    double gpu_s;      /* allocated GPU-seconds (failed starts and restart delays included) */
    double energy_j;   /* busy energy of those GPU-seconds, joules */
    double cost;       /* their price, USD */
} gs__acct;

typedef struct gs__obs gs__obs;

/* Creates sim->obs and registers the time observer on sim->eng. GS_OK or GS_ENOMEM. */
int gs__obs_init(gs_sim *sim, gs_err *err);
void gs__obs_free(gs__obs *obs);

/* Hooks, called by sim.c. */
void gs__obs_arrive(gs_sim *sim, uint32_t j); /* job j was submitted (now) */
void gs__obs_start(gs_sim *sim, uint32_t j);  /* j holds its new allocation */
void gs__obs_stop(gs_sim *sim, uint32_t j);   /* j is about to give its allocation back */
void gs__obs_finish(gs_sim *sim, uint32_t j); /* j finished (now) */
void gs__obs_reject(gs_sim *sim, uint32_t j); /* j was declared unschedulable */
int gs__obs_end(gs_sim *sim, gs_err *err);    /* the run ended: last timeline rows */
const gs__acct *gs__obs_acct(const gs_sim *sim, uint32_t j);

/* Per-job metrics derived at the end (NAN where undefined). */
typedef struct gs__jobm {
    double ftf;      /* finish-time fairness; NAN unless finished with progress */
    double slowdown; /* JCT / trace duration; NAN unless finished with duration > 0 */
    double gpu_hours, energy_kwh, cost;
} gs__jobm;
void gs__obs_job(const gs_sim *sim, uint32_t j, gs__jobm *m);

/* jobs.csv's last columns: ",user,ftf,slowdown,gpu_hours,energy_kwh,cost" for job j. */
#define GS__OBS_JOB_HEADER ",user,ftf,slowdown,gpu_hours,energy_kwh,cost"
void gs__obs_put_job(const gs_sim *sim, uint32_t j, FILE *fp);

/* Adds fairness, energy_kwh(_per_type), cost_usd(_per_type) and timeline to summary.json's root.
 * GS_OK or GS_ENOMEM. */
int gs__obs_summary(const gs_sim *sim, struct cJSON *root, gs_err *err);

#endif
