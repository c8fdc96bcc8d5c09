/* SPDX-License-Identifier: Apache-2.0 */
/* Job traces: ACME (Seren and Kalos), Helios, Microsoft Philly and Alibaba PAI 2020, each read by
 * column or key name into one job list; format detection, filtering, timestamps. */
#ifndef GPUSIM_TRACE_H
#define GPUSIM_TRACE_H

#include <stddef.h>

#include "gpusim/err.h"

/* The ACME Seren columns, in Seren's order: the header gpusim writes (gen-trace, sample). */
#define GS_TRACE_SEREN_HEADER                                                                      \
    "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,"    \
    "queue,gpu_time"

/* The ACME Kalos columns, in Kalos's order (gen-trace --cluster kalos). */
#define GS_TRACE_KALOS_HEADER                                                                      \
    "job_id,user,node_num,gpu_num,cpu_num,mem_per_pod_GB,shared_mem_per_pod,type,state,"           \
    "submit_time,start_time,end_time,fail_time,stop_time,duration,queue,gpu_time"

/* How a trace row ended, from its state column: COMPLETED (or no state), FAILED (also TIMEOUT,
 * NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED: ACME counts the first two as failed)
 * or CANCELLED (also Slurm's "CANCELLED by <uid>"); case-insensitive. Every format's own words
 * are mapped onto these (docs/traces.md). */
enum gs_trace_end { GS_END_COMPLETED = 0, GS_END_FAILED, GS_END_CANCELLED, GS_END_COUNT };

/* "COMPLETED", "FAILED", "CANCELLED". */
const char *gs_trace_end_name(int end);

/* One kept trace job. Strings point into the trace's own storage. */
typedef struct gs_trace_job {
    const char *id;
    const char *user;    /* "" when the trace has none */
    const char *type;    /* the job type ("SFT", "Eval", ...; PAI: its main task's name; Sia: the
                          * application); "" when the format has none (Helios, Philly) */
    const char *state;   /* final state in ACME's words: COMPLETED, CANCELLED, FAILED, TIMEOUT,
                          * NODE_FAIL (each format's own words are mapped: docs/traces.md); ""
                          * when absent */
    long line;           /* physical line in the file where the job's record starts (1 = header
                          * of a CSV) */
    double submit;       /* seconds since the first kept submission */
    double submit_epoch; /* absolute submission time, UTC seconds since 1970 */
    double duration;     /* seconds, as observed on the original configuration */
    double queue;        /* seconds; -1 when absent */
    int utc_offset_min;  /* the offset the timestamp was written with */
    int gpu_num;         /* GPUs the job runs on: the request, rounded up to whole GPUs */
    int node_num;        /* 0 when absent */
    int cpu_num;         /* 0 when absent */
    double gpu_request;  /* GPUs as requested; fractional for PAI jobs asking for part of a GPU */
    int end;             /* enum gs_trace_end */
    /* the workload class the trace names (Sia's workloads: the application; the scaling DB must
     * have a class of that name), "" when the trace names none */
    const char *cls;
    /* the total batch size the trace asks for (Sia's workloads: batch_size, the largest batch
     * Sia's scheduler plans with); 0 when absent */
    double batch;
} gs_trace_job;

typedef struct gs_trace_stats {
    long rows;                /* job records read */
    long kept;                /* records kept as jobs */
    long skipped_type;        /* records whose type did not match the filter */
    long skipped_zero_gpu;    /* matching records with no GPU (CPU jobs) */
    long skipped_no_duration; /* matching records that never ran or still ran at the end of the
                               * trace (no duration) */
    long skipped_no_tasks;    /* PAI: jobs without a task in the task table */
    long skipped_state;       /* matching records whose end state the states filter leaves out */
    long fractional;          /* kept jobs whose request was a fraction of a GPU (or not a whole
                               * number of GPUs), rounded up */
} gs_trace_stats;

struct gs__arena;

typedef struct gs_trace {
    char *path;         /* the trace as given (PAI: the job table) */
    char *aux_path;     /* PAI: the task table read with it; NULL otherwise */
    char *job_type;     /* the filter it was loaded with ("SFT", "all", ...) */
    const char *format; /* "acme", "helios", "philly", "pai" or "sia" (a static string) */
    const char *schema; /* acme: "seren" or "kalos"; otherwise the format's name (static) */
    char *detected;     /* why --format auto chose the format (one phrase); NULL when forced */
    char *states;       /* the end states kept ("all", or e.g. "COMPLETED,FAILED") */
    gs_trace_job *jobs; /* sorted by (submit, line) */
    size_t njobs;
    double t0_epoch; /* absolute time of jobs[0].submit == 0 */
    gs_trace_stats stats;
    struct gs__arena *arena;
} gs_trace;

typedef struct gs_trace_opts {
    const char *format;     /* NULL or "auto": detect from the header or first record; or a name
                             * of gs_trace_format_name() */
    const char *job_type;   /* NULL: the format's default ("SFT" for acme, "all" for the others);
                             * "all", or a comma-separated list of types */
    const char *task_table; /* pai: the task table; NULL: pai_task_table.csv next to the job
                             * table (or inside the folder given as the trace) */
    const char *states;     /* end states to keep: NULL or "all", or a list of COMPLETED,
                             * FAILED and CANCELLED (gs_trace_load_states) */
} gs_trace_opts;

void gs_trace_opts_init(gs_trace_opts *o);

/* Loads the trace at path in the format o->format (or the detected one), reading columns or keys
 * by name (any order; unknown ones ignored). Records of other types, with no GPU, or without a
 * duration are skipped and counted. Times are rebased to the first kept submission. Every error
 * names the file, the line, the column or key, and the value. o may be NULL (all defaults).
 * Returns GS_OK, GS_EIO, GS_EPARSE (malformed file or field), GS_EINVAL (unknown format, missing
 * column, a filter the format cannot apply, no matching job) or GS_ENOMEM. On error t is left
 * released. */
int gs_trace_load_opts(gs_trace *t, const char *path, const gs_trace_opts *o, gs_err *err);

/* gs_trace_load_opts with the format detected and the given job-type filter (NULL: the format's
 * default). */
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

/* Frees what gs_trace_load allocated. Safe on a zeroed or released trace. */
void gs_trace_release(gs_trace *t);

/* The trace formats, in a fixed order: name ("acme", ...) and a one-line summary. */
size_t gs_trace_format_count(void);
const char *gs_trace_format_name(size_t i);
const char *gs_trace_format_summary(size_t i);

/* Parses an ISO-8601 timestamp "YYYY-MM-DD[ T]hh:mm:ss[.frac][Z|+hh:mm|+hhmm|+hh]" (no offset
 * means UTC) or a plain number of seconds since 1970. *epoch receives UTC seconds and
 * *offset_min (may be NULL) the written offset. Returns 0, or -1 when malformed. */
int gs_parse_timestamp(const char *s, size_t len, double *epoch, int *offset_min);

/* Formats an absolute UTC time in the ACME style "YYYY-MM-DD hh:mm:ss+hh:mm" at the given
 * offset. buf should hold at least 32 bytes. */
void gs_format_timestamp(char *buf, size_t size, double epoch, int offset_min);

#endif
