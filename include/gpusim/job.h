/* SPDX-License-Identifier: Apache-2.0 */
/* A simulated job: its trace row, workload class, work and allocation history. */
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

typedef struct gs_job {
    const gs_trace_job *tj; /* id, line, gpu_num, duration, ... (borrowed from the trace) */
    uint32_t index;         /* position in submission order */
    int cls;                /* workload class (scaling-DB index) */
    int fixed_gpus;         /* > 0: its class is not elastic, it runs on exactly this many GPUs
                             * (its original count; any GPU type); 0: any count */
    gs_time submit;
    double work; /* total work: duration x throughput(class, original configuration) */
    enum gs_job_state state;
    gs_alloc alloc;      /* current allocation when RUNNING; the last one otherwise */
    int *place;          /* RUNNING: alloc.nodes pairs (node id, GPUs); owned by the simulation */
    gs_time first_start; /* first time it got GPUs (even if that start failed); -1 before */
    gs_time start;       /* when the current allocation began */
    gs_time finish;      /* -1 until DONE */
    int restarts;        /* allocation changes after the job had made progress */
    int failures;        /* starts on non-viable configurations */
    int has_run;         /* made progress before: the next start pays the restart delay */
    int doomed;          /* current allocation is not viable: a FAIL event is pending */
    double done;         /* work done as of t_upd */
    gs_time t_upd;
    gs_time run_from;      /* progress resumes at this time (after the restart delay) */
    double rate;           /* true throughput of the current allocation (0 when doomed) */
    gs_event_id ev;        /* pending FINISH or FAIL event */
    uint64_t failed_pools; /* bit p set after a failure on pool p (p < 64) */
    int reject_reason;     /* enum gs_reject_reason when REJECTED */
    /* --- the lifecycle (docs/policies.md, "The job lifecycle") --- */
    int end;              /* how it ends once its work is done: tj->end (enum gs_trace_end) */
    double ckpt_done;     /* work in its latest checkpoint (what the next start restores) */
    double save_due;      /* s of a graceful checkpoint save the next start still pays */
    double lost;          /* work lost to abrupt preemptions and resizes */
    double startup_total; /* s spent starting up (saves and failed starts included) */
    double first_startup; /* s of its first start-up; -1 before */
    int ckpt_saves;       /* graceful checkpoint saves before a move */
    /* --- adaptive-batch classes (gpusim/goodput.h); 0 for a class with a fixed batch --- */
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
