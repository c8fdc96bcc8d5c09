/* SPDX-License-Identifier: Apache-2.0 */
/* ACME job traces (Seren and Kalos schemas): loading, filtering, timestamps. */
#ifndef GPUSIM_TRACE_H
#define GPUSIM_TRACE_H

#include <stddef.h>

#include "gpusim/err.h"

/* The ACME Seren columns, in Seren's order: the header gpusim writes (gen-trace, sample). */
#define GS_TRACE_SEREN_HEADER                                                                      \
    "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,"    \
    "queue,gpu_time"

/* How a trace row ended, from its state column: COMPLETED (or no state), FAILED (also TIMEOUT,
 * NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED: ACME counts the first two as failed)
 * or CANCELLED (also Slurm's "CANCELLED by <uid>"); case-insensitive. */
enum gs_trace_end { GS_END_COMPLETED = 0, GS_END_FAILED, GS_END_CANCELLED, GS_END_COUNT };

/* "COMPLETED", "FAILED", "CANCELLED". */
const char *gs_trace_end_name(int end);

/* One kept trace row. Strings point into the trace's own storage. */
typedef struct gs_trace_job {
    const char *id;
    const char *user;    /* "" when the column is absent */
    const char *type;    /* "" when the column is absent */
    const char *state;   /* "" when the column is absent */
    long line;           /* physical line in the file (1 = header) */
    double submit;       /* seconds since the first kept submission */
    double submit_epoch; /* absolute submission time, UTC seconds since 1970 */
    double duration;     /* seconds, as observed on the original configuration */
    double queue;        /* seconds; -1 when absent */
    int utc_offset_min;  /* the offset the timestamp was written with */
    int gpu_num;
    int node_num; /* 0 when absent */
    int cpu_num;  /* 0 when absent */
    int end;      /* enum gs_trace_end */
    /* the workload class the trace names (Sia's workloads: the application; the scaling DB must
     * have a class of that name), "" when the trace names none */
    const char *cls;
    /* the total batch size the trace asks for (Sia's workloads: batch_size, the largest batch
     * Sia's scheduler plans with); 0 when absent */
    double batch;
} gs_trace_job;

typedef struct gs_trace_stats {
    long rows;                /* data rows read */
    long kept;                /* rows kept as jobs */
    long skipped_type;        /* rows whose type did not match the filter */
    long skipped_zero_gpu;    /* matching rows with gpu_num 0 (CPU jobs) */
    long skipped_no_duration; /* matching rows with an empty duration (never ran) */
    long skipped_state;       /* matching rows whose end state the --states filter leaves out */
} gs_trace_stats;

struct gs__arena;

typedef struct gs_trace {
    char *path;
    char *job_type;     /* the filter it was loaded with ("SFT", "all", ...) */
    char *states;       /* the end states kept ("all", or e.g. "COMPLETED,FAILED") */
    const char *schema; /* "seren", "kalos" or "sia" (a static string) */
    gs_trace_job *jobs; /* sorted by (submit, line) */
    size_t njobs;
    double t0_epoch; /* absolute time of jobs[0].submit == 0 */
    gs_trace_stats stats;
    struct gs__arena *arena;
} gs_trace;

/* Loads the CSV trace at path, reading columns by name (any order; unknown columns ignored).
 * Required columns: job_id, gpu_num, submit_time, duration, and type unless job_type is "all".
 * job_type is "SFT" (the default when NULL), "all", or a comma-separated list of types.
 * Rows with gpu_num 0 and rows with an empty duration are skipped and counted. Times are rebased
 * to the first kept submission. Every error names the file, the line and the column.
 * Returns GS_OK, GS_EIO, GS_EPARSE (malformed file or field), GS_EINVAL (missing column, no
 * matching job) or GS_ENOMEM. On error t is left released. */
int gs_trace_load(gs_trace *t, const char *path, const char *job_type, gs_err *err);

/* The same, keeping only the rows whose end state is in states: "all" (or NULL) or a
 * comma-separated list of COMPLETED, FAILED and CANCELLED (case-insensitive). A state value
 * the loader does not know is an error naming the file, the line and the column; so is an
 * unknown name in states (GS_EINVAL). */
int gs_trace_load_states(gs_trace *t, const char *path, const char *job_type, const char *states,
                         gs_err *err);

/* Checks a states filter as gs_trace_load_states() reads it: GS_OK or GS_EINVAL naming the
 * unknown state. */
int gs_trace_states_check(const char *states, gs_err *err);

/* The trace formats gs_trace_load_format() reads: "acme" (ACME's Seren and Kalos columns) and
 * "sia" (Sia's workloads, SOSP '23 artifact: name,time,application,num_replicas,batch_size, with
 * an optional category; time in seconds from the trace's start, application the workload class,
 * num_replicas the GPUs requested, batch_size the largest batch; the job's work comes from its
 * class's goodput model, so duration is 0). "auto" (or NULL) tells them apart by the header. */
int gs_trace_load_format(gs_trace *t, const char *path, const char *format, const char *job_type,
                         const char *states, gs_err *err);

/* Checks a format name: GS_OK or GS_EINVAL naming the known ones. */
int gs_trace_format_check(const char *format, gs_err *err);

/* Frees what gs_trace_load allocated. Safe on a zeroed or released trace. */
void gs_trace_release(gs_trace *t);

/* Parses an ISO-8601 timestamp "YYYY-MM-DD[ T]hh:mm:ss[.frac][Z|+hh:mm|+hhmm|+hh]" (no offset
 * means UTC) or a plain number of seconds since 1970. *epoch receives UTC seconds and
 * *offset_min (may be NULL) the written offset. Returns 0, or -1 when malformed. */
int gs_parse_timestamp(const char *s, size_t len, double *epoch, int *offset_min);

/* Formats an absolute UTC time in the ACME style "YYYY-MM-DD hh:mm:ss+hh:mm" at the given
 * offset. buf should hold at least 32 bytes. */
void gs_format_timestamp(char *buf, size_t size, double epoch, int offset_min);

#endif
