/* SPDX-License-Identifier: Apache-2.0 */
/* ACME traces (Hu et al., NSDI '24: Seren and Kalos; InternLM/AcmeTrace): CSV, columns by
 * name, timestamps with their UTC offsets. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gpusim/limits.h"
#include "trace_int.h"
#include "util_int.h"

enum col {
    C_JOB_ID,
    C_USER,
    C_NODE_NUM,
    C_GPU_NUM,
    C_CPU_NUM,
    C_TYPE,
    C_STATE,
    C_SUBMIT,
    C_DURATION,
    C_QUEUE,
    C_MEM_PER_POD, /* Kalos only: marks the schema */
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "job_id", "user",        "node_num", "gpu_num", "cpu_num",        "type",
    "state",  "submit_time", "duration", "queue",   "mem_per_pod_GB",
};

typedef struct acme {
    gs__trace_ctx *cx;
    const char *path;
    gs__tcols c;
    int header_done;
} acme;

static int on_header(acme *a, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    static const enum col required[] = {C_JOB_ID, C_GPU_NUM, C_SUBMIT, C_DURATION};
    size_t i;
    int rc;

    if ((rc = gs__tcols_map(&a->c, col_names, C_COUNT, f, n, a->path, line, err)) != GS_OK)
        return rc;
    for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if ((rc = gs__tcols_need(&a->c, required[i], a->path, line, err)) != GS_OK)
            return rc;
    if (!a->cx->all_types && a->c.idx[C_TYPE] < 0)
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' line %ld: missing required column 'type' (needed by "
                         "--job-type; use --job-type all for a trace without types)",
                         a->path, line);
    a->cx->t->schema = a->c.idx[C_MEM_PER_POD] >= 0 ? "kalos" : "seren";
    a->header_done = 1;
    return GS_OK;
}

static int opt_count(acme *a, const gs__csv_field *row, int col, long line, int *out, gs_err *err)
{
    const gs__csv_field *f = gs__tcol(&a->c, row, col);
    int64_t v;

    *out = 0;
    if (gs__tfield_blank(f))
        return GS_OK;
    if (gs__parse_int64(f->s, f->len, &v) != 0 || v < 0)
        return gs__tfield_err(&a->c, col, f, a->path, line, "expected a non-negative integer, got",
                              err);
    if (v > GS_MAX_GPUS * 1000L)
        return gs__tfield_err(&a->c, col, f, a->path, line, "count out of range [0, 1e9], got",
                              err);
    *out = (int)v;
    return GS_OK;
}

static const char *str_of(acme *a, const gs__csv_field *row, int col)
{
    const gs__csv_field *f = gs__tcol(&a->c, row, col);

    return f ? f->s : "";
}

static int on_row(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    acme *a = ctx;
    gs__trace_rec r;
    const gs__csv_field *f;
    int64_t gpus;
    int blank, rc;

    if (!a->header_done)
        return on_header(a, row, n, line, err);
    if (n == 1 && row[0].len == 0)
        return GS_OK; /* blank line */
    if (n != a->c.nfields)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         a->path, line, a->c.nfields, n);
    memset(&r, 0, sizeof(r));
    r.line = line;
    f = gs__tcol(&a->c, row, C_GPU_NUM);
    if (gs__parse_int64(f->s, f->len, &gpus) != 0)
        return gs__tfield_err(&a->c, C_GPU_NUM, f, a->path, line, "expected a GPU count, got", err);
    if (gpus < 0 || gpus > GS_MAX_GPUS)
        return gs__tfield_err(&a->c, C_GPU_NUM, f, a->path, line,
                              "GPU count out of range [0, 1000000], got", err);
    r.gpus = (double)gpus;
    f = gs__tcol(&a->c, row, C_DURATION);
    r.duration = -1;
    if (!gs__tfield_blank(f)) {
        if (gs__parse_double(f->s, f->len, &r.duration) != 0 || !isfinite(r.duration))
            return gs__tfield_err(&a->c, C_DURATION, f, a->path, line,
                                  "expected a number of seconds, got", err);
        if (r.duration < 0)
            return gs__tfield_err(&a->c, C_DURATION, f, a->path, line, "negative duration", err);
        if (r.duration > GS_TIME_MAX)
            return gs__tfield_err(&a->c, C_DURATION, f, a->path, line,
                                  "duration out of range [0, 315576000] s (ten years), got", err);
    }
    if ((rc = gs__tfield_time_tz(&a->c, row, C_SUBMIT, &r.submit_epoch, &r.utc_offset_min, &r.tz,
                                 NULL, a->path, line, err)) != GS_OK)
        return rc;
    r.queue = -1;
    if ((rc = gs__tfield_num(&a->c, row, C_QUEUE, 0, GS_TIME_MAX, &r.queue, &blank, a->path, line,
                             err)) != GS_OK)
        return rc;
    if (blank)
        r.queue = -1;
    if ((rc = opt_count(a, row, C_NODE_NUM, line, &r.node_num, err)) != GS_OK ||
        (rc = opt_count(a, row, C_CPU_NUM, line, &r.cpu_num, err)) != GS_OK)
        return rc;
    f = gs__tcol(&a->c, row, C_JOB_ID);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&a->c, C_JOB_ID, f, a->path, line, "empty job id", err);
    r.id = f->s;
    r.user = str_of(a, row, C_USER);
    r.type = str_of(a, row, C_TYPE);
    r.state = str_of(a, row, C_STATE);
    f = gs__tcol(&a->c, row, C_STATE);
    if (f && (r.end = gs__trace_end_of_state(f->s, f->len)) < 0)
        return gs__tfield_err(&a->c, C_STATE, f, a->path, line,
                              "unknown state (expected COMPLETED, FAILED, CANCELLED, TIMEOUT or "
                              "NODE_FAIL), got",
                              err);
    return gs__trace_push(a->cx, &r, err);
}

static int acme_load(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err)
{
    acme a;
    int rc;

    (void)o;
    memset(&a, 0, sizeof(a));
    a.cx = cx;
    a.path = path;
    rc = gs__csv_read(path, on_row, &a, err);
    if (rc == GS_OK && !a.header_done)
        rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty file (no header)", path);
    return rc;
}

static int acme_detect(const gs__trace_head *h, const char **why)
{
    if (h->json || h->is_dir || !gs__trace_head_has(h, "job_id"))
        return 0;
    if (gs__trace_head_has(h, "mem_per_pod_GB")) {
        *why = "a header with ACME Kalos's 'mem_per_pod_GB'";
        return 100;
    }
    if (gs__trace_head_has(h, "type")) {
        *why = "a header with 'job_id' and 'type'";
        return 100;
    }
    *why = "a header with 'job_id' (no 'vc': not Helios)";
    return 50;
}

const gs__trace_format gs__trace_acme = {
    .name = "acme",
    .summary = "ACME Seren and Kalos (InternLM/AcmeTrace, NSDI'24): CSV with job_id, gpu_num, "
               "type, state, submit_time, duration",
    .has_types = 1,
    .default_filter = "SFT",
    .detect = acme_detect,
    .load = acme_load,
};
