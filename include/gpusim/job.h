/* SPDX-License-Identifier: Apache-2.0 */
/* A simulated job as policies see it: its trace row, workload class and allocation history. */
#ifndef GPUSIM_JOB_H
#define GPUSIM_JOB_H

#include <stdint.h>

#include "gpusim/event.h"
#include "gpusim/trace.h"

enum gs_job_state {
    GS_JOB_FUTURE = 0, /* not submitted yet */
    GS_JOB_QUEUED,     /* submitted, holds no GPU */
    GS_JOB_RUNNING,    /* holds an allocation (maybe restarting, maybe about to fail) */
    GS_JOB_DONE,       /* ended: completed, or failed or cancelled as its trace row did (end) */
    GS_JOB_REJECTED    /* the policy declared it unschedulable */
};

/* An allocation: gpus GPUs of pool over nodes nodes. pool -1 = none. */
typedef struct gs_alloc {
    int pool;
    int gpus;
    int nodes;
} gs_alloc;

/* What a policy sees of a job (gs_sim_job): its trace row, workload class, state, allocation and
 * history, and nothing of the simulator's bookkeeping (its true work and throughput, whether its
 * start will fail, its checkpoints). What a running system would measure comes through the view's
 * getters (sim.h: gs_sim_job_done, gs_sim_job_progress, gs_sim_job_rate, gs_sim_job_ready_at).
 * Part of GS_POLICY_ABI: fields are only ever appended. */
typedef struct gs_job {
    const gs_trace_job *tj; /* id, line, gpu_num, duration, ... (borrowed from the trace) */
    uint32_t index;         /* position in submission order */
    int cls;                /* workload class (scaling-DB index) */
    int fixed_gpus;         /* > 0: its class is not elastic, it runs on exactly this many GPUs
                             * (its original count; any GPU type); 0: any count */
    gs_time submit;
    enum gs_job_state state;
    gs_alloc alloc;        /* current allocation when RUNNING; the last one otherwise */
    const int *place;      /* RUNNING: alloc.nodes pairs (node id, GPUs) */
    gs_time first_start;   /* first time it got GPUs (even if that start failed); -1 before */
    gs_time start;         /* when the current allocation began */
    gs_time finish;        /* -1 until DONE */
    int restarts;          /* allocation changes after the job had made progress */
    int failures;          /* starts on non-viable configurations */
    uint64_t failed_pools; /* bit p set after a failure on pool p (p < 64) */
    int reject_reason;     /* enum gs_reject_reason when REJECTED */
    /* adaptive-batch classes (gpusim/goodput.h); 0 for a class with a fixed batch: what Sia and
     * Pollux measure online of a running job */
    int phase; /* training phase (epoch) its work has reached: what its gradient statistics are */
    double batch; /* total batch of its current allocation (0 when not running) */
} gs_job;

enum gs_reject_reason {
    GS_REJECT_NONE = 0,
    GS_REJECT_TOO_LARGE, /* more GPUs than any usable pool has */
    GS_REJECT_NO_VIABLE, /* no configuration the policy knows of can run it */
    GS_REJECT_TOO_MANY_FAILURES
};

#endif
