/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator's record of a job (private to the scheduling core): what policies see of it, the
 * public gs_job (job.h), followed by the bookkeeping they must not read. */
#ifndef GPUSIM_JOB_INT_H
#define GPUSIM_JOB_INT_H

#include <stddef.h>

#include "gpusim/job.h"

typedef struct gs__job {
    /* the fields of gs_job, in its order, so that &rec->pub is what policies get; the core writes
     * them by name (rec->alloc) */
    union {
        gs_job pub;
        struct {
            const gs_trace_job *tj;
            uint32_t index;
            int cls;
            int fixed_gpus;
            gs_time submit;
            enum gs_job_state state;
            gs_alloc alloc;
            int *place; /* owned by the simulation */
            gs_time first_start;
            gs_time start;
            gs_time finish;
            int restarts;
            int failures;
            uint64_t failed_pools;
            int reject_reason;
            int phase;
            double batch;
        };
    };
    /* --- bookkeeping: the ground truth and the core's state --- */
    double work; /* total work: duration x throughput(class, original configuration) */
    int has_run; /* made progress before: the next start pays the restart delay */
    int doomed;  /* current allocation is not viable: a FAIL event is pending */
    double done; /* work done as of t_upd */
    gs_time t_upd;
    gs_time run_from; /* progress resumes at this time (after the restart delay) */
    double rate;      /* true throughput of the current allocation (0 when doomed) */
    gs_event_id ev;   /* pending FINISH or FAIL event */
    /* --- the lifecycle (docs/policies.md, "The job lifecycle") --- */
    int end;              /* how it ends once its work is done: tj->end (enum gs_trace_end) */
    double ckpt_done;     /* work in its latest checkpoint (what the next start restores) */
    double save_due;      /* s of a graceful checkpoint save the next start still pays */
    double lost;          /* work lost to abrupt preemptions and resizes */
    double startup_total; /* s spent starting up (saves and failed starts included) */
    double first_startup; /* s of its first start-up; -1 before */
    int ckpt_saves;       /* graceful checkpoint saves before a move */
} gs__job;

/* the two views of the public fields coincide (a field appended to gs_job goes into the struct
 * above too) */
#define GS__JOB_SAME_(f) _Static_assert(offsetof(gs__job, f) == offsetof(gs__job, pub.f), #f)
GS__JOB_SAME_(tj);
GS__JOB_SAME_(index);
GS__JOB_SAME_(cls);
GS__JOB_SAME_(fixed_gpus);
GS__JOB_SAME_(submit);
GS__JOB_SAME_(state);
GS__JOB_SAME_(alloc);
GS__JOB_SAME_(place);
GS__JOB_SAME_(first_start);
GS__JOB_SAME_(start);
GS__JOB_SAME_(finish);
GS__JOB_SAME_(restarts);
GS__JOB_SAME_(failures);
GS__JOB_SAME_(failed_pools);
GS__JOB_SAME_(reject_reason);
GS__JOB_SAME_(phase);
GS__JOB_SAME_(batch);
#undef GS__JOB_SAME_

struct gs_sim;
/* The whole record of job j (NULL past the end): for the core's own modules and its tests. */
const gs__job *gs__sim_job(const struct gs_sim *sim, uint32_t j);

#endif
