/* SPDX-License-Identifier: Apache-2.0 */
/* The loader interface behind gs_trace_load: one gs__trace_format per trace format (trace_acme.c,
 * trace_helios.c, trace_philly.c, trace_pai.c, trace_sia.c), the detection they share, and the
 * builder every format hands its jobs to (filters, skips, copies). */
#ifndef GPUSIM_TRACE_INT_H
#define GPUSIM_TRACE_INT_H

#include <stddef.h>

#include "csv_int.h"
#include "gpusim/trace.h"

/* ---- detection ---- */

/* What detection sees of a trace: the start of the file and its first CSV record. */
typedef struct gs__trace_head {
    const char *path;
    int is_dir;        /* path is a folder */
    const char *bytes; /* the first bytes of the file (BOM and leading blanks skipped) */
    size_t len;
    int json;         /* the first byte is '[' or '{' */
    gs__csv_field *f; /* fields of the first CSV record (none for JSON or a folder) */
    size_t nf;
} gs__trace_head;

/* 1 when the first record has a field named name. */
int gs__trace_head_has(const gs__trace_head *h, const char *name);

/* ---- the builder ---- */

typedef struct gs__trace_ctx {
    gs_trace *t;
    unsigned keep_end; /* bit per enum gs_trace_end kept */
    int all_types;
    char **types; /* the filter when not all */
    size_t ntypes, captypes;
    size_t cap;
    long naive_line, offset_line; /* first record whose timestamp had no / had a UTC offset */
} gs__trace_ctx;

/* One job as a format read it. Strings need not outlive gs__trace_push (they are copied). */
typedef struct gs__trace_rec {
    const char *id, *user, *type, *state; /* NULL = "" */
    long line;
    double submit_epoch;
    int utc_offset_min;
    double duration; /* seconds; < 0: the job never ran or did not end (skipped) */
    double queue;    /* seconds; < 0 when absent */
    double gpus;     /* GPUs requested, > 0 (0: a CPU job, skipped); may be fractional */
    int node_num, cpu_num;
    int end;         /* enum gs_trace_end (GS_END_COMPLETED when the trace gives no state) */
    const char *cls; /* the workload class the trace names (Sia: the application); NULL = "" */
    double batch;    /* the largest total batch the trace asks for; 0 when absent */
    int tz; /* submit_epoch came from: 0 a number or a format without offsets, GS__TZ_NAIVE a
             * timestamp without a UTC offset (read as UTC), GS__TZ_OFFSET one with */
} gs__trace_rec;

#define GS__TZ_NAIVE  1
#define GS__TZ_OFFSET 2

/* The end of a state value in ACME's (Slurm's) words, case-insensitive (blank: completed);
 * -1 when unknown. */
int gs__trace_end_of_state(const char *s, size_t len);

/* 1 when the filter keeps jobs of this type. */
int gs__trace_wants(const gs__trace_ctx *cx, const char *type, size_t len);

/* Counts the record and keeps it as a job unless its type is filtered out, it has no GPU, no
 * duration, or an end state the states filter leaves out. Whatever the format, a kept job's
 * numbers are within their ranges (docs/limits.md: submit time 1970 to 2100, duration and queue
 * at most ten years, at most 10^6 GPUs), and naive timestamps mixed with offset ones (tz) are
 * refused, each a located error (GS_EPARSE). Returns GS_OK, GS_EPARSE or GS_ENOMEM. */
int gs__trace_push(gs__trace_ctx *cx, const gs__trace_rec *r, gs_err *err);

/* ---- CSV columns by name (acme, helios, pai) ---- */

#define GS__TCOLS_MAX 24

typedef struct gs__tcols {
    const char *const *names; /* the columns a format reads */
    int n;
    int idx[GS__TCOLS_MAX]; /* field index of each column, -1 when absent */
    size_t nfields;         /* fields per record, from the header */
} gs__tcols;

/* Maps the header record f onto names (blanks around a name ignored; unknown names ignored; a
 * known name twice is an error naming file and line). Returns GS_OK or GS_EPARSE. */
int gs__tcols_map(gs__tcols *c, const char *const *names, int n, const gs__csv_field *f, size_t nf,
                  const char *file, long line, gs_err *err);

/* GS_EINVAL naming file, line and column when column col is absent. */
int gs__tcols_need(const gs__tcols *c, int col, const char *file, long line, gs_err *err);

/* Field accessors: the field of column col in row (NULL when the column is absent). */
const gs__csv_field *gs__tcol(const gs__tcols *c, const gs__csv_field *row, int col);
int gs__tfield_blank(const gs__csv_field *f);

/* GS_EPARSE "trace 'file' line N: column 'C': <what> '<value>'". */
int gs__tfield_err(const gs__tcols *c, int col, const gs__csv_field *f, const char *file, long line,
                   const char *what, gs_err *err);

/* Strict numbers in [lo, hi]; *blank (may be NULL) says the field was empty (then *out is
 * untouched and GS_OK returned; NULL blank makes an empty field an error). */
int gs__tfield_num(const gs__tcols *c, const gs__csv_field *row, int col, double lo, double hi,
                   double *out, int *blank, const char *file, long line, gs_err *err);
/* A timestamp (gs_parse_timestamp) from 1970-01-01 to 2100-01-01 UTC (GS_EPOCH_MIN..MAX); the
 * same blank convention. *tz (may be NULL) gets 0, GS__TZ_NAIVE or GS__TZ_OFFSET (gs__trace_rec).
 */
int gs__tfield_time(const gs__tcols *c, const gs__csv_field *row, int col, double *epoch,
                    int *offset_min, int *blank, const char *file, long line, gs_err *err);
int gs__tfield_time_tz(const gs__tcols *c, const gs__csv_field *row, int col, double *epoch,
                       int *offset_min, int *tz, int *blank, const char *file, long line,
                       gs_err *err);

/* ---- formats ---- */

typedef struct gs__trace_format {
    const char *name;    /* "acme" */
    const char *summary; /* one line for --help and docs */
    int has_types;       /* records carry a job type the filter can use */
    const char *default_filter;
    /* 0..100: how surely the head is this format; *why gets a static phrase. */
    int (*detect)(const gs__trace_head *h, const char **why);
    /* Reads path (the folder or file given) into cx; sets cx->t->schema (and aux_path). */
    int (*load)(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err);
} gs__trace_format;

extern const gs__trace_format gs__trace_acme, gs__trace_helios, gs__trace_philly, gs__trace_pai,
    gs__trace_sia;

#endif
