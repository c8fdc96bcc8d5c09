/* SPDX-License-Identifier: Apache-2.0 */
/* Helios traces (Hu et al., SC '21; S-Lab-System-Group/HeliosData): cluster_log.csv, Slurm jobs
 * of SenseTime's Earth, Saturn, Uranus and Venus clusters; columns by name. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "trace_int.h"
#include "util_int.h"

enum col {
    C_JOB_ID,
    C_USER,
    C_VC,
    C_GPU_NUM,
    C_CPU_NUM,
    C_NODE_NUM,
    C_STATE,
    C_SUBMIT,
    C_START,
    C_END,
    C_DURATION,
    C_QUEUE,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "job_id", "user",        "vc",         "gpu_num",  "cpu_num",  "node_num",
    "state",  "submit_time", "start_time", "end_time", "duration", "queue",
};

typedef struct helios {
    gs__trace_ctx *cx;
    const char *path;
    gs__tcols c;
    int header_done;
} helios;

static int on_header(helios *h, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    static const enum col required[] = {C_JOB_ID, C_GPU_NUM, C_SUBMIT};
    size_t i;
    int rc;

    if ((rc = gs__tcols_map(&h->c, col_names, C_COUNT, f, n, h->path, line, err)) != GS_OK)
        return rc;
    for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if ((rc = gs__tcols_need(&h->c, required[i], h->path, line, err)) != GS_OK)
            return rc;
    if (h->c.idx[C_DURATION] < 0 && (h->c.idx[C_START] < 0 || h->c.idx[C_END] < 0))
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' line %ld: missing required column 'duration' (or both "
                         "'start_time' and 'end_time')",
                         h->path, line);
    h->header_done = 1;
    return GS_OK;
}

static int count(helios *h, const gs__csv_field *row, int col, long line, int *out, gs_err *err)
{
    double v = 0;
    int blank, rc;

    *out = 0;
    rc = gs__tfield_num(&h->c, row, col, 0, 1e6, &v, &blank, h->path, line, err);
    if (rc == GS_OK && !blank && v != floor(v))
        rc = gs__tfield_err(&h->c, col, gs__tcol(&h->c, row, col), h->path, line,
                            "expected a whole number, got", err);
    *out = (int)v;
    return rc;
}

static int on_row(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    helios *h = ctx;
    gs__trace_rec r;
    const gs__csv_field *f;
    int gpus = 0, blank, rc;

    if (!h->header_done)
        return on_header(h, row, n, line, err);
    if (n == 1 && row[0].len == 0)
        return GS_OK;
    if (n != h->c.nfields)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         h->path, line, h->c.nfields, n);
    memset(&r, 0, sizeof(r));
    r.line = line;
    f = gs__tcol(&h->c, row, C_GPU_NUM);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&h->c, C_GPU_NUM, f, h->path, line, "expected a GPU count, got", err);
    if ((rc = count(h, row, C_GPU_NUM, line, &gpus, err)) != GS_OK ||
        (rc = count(h, row, C_CPU_NUM, line, &r.cpu_num, err)) != GS_OK ||
        (rc = count(h, row, C_NODE_NUM, line, &r.node_num, err)) != GS_OK)
        return rc;
    r.gpus = gpus;
    if ((rc = gs__tfield_time_tz(&h->c, row, C_SUBMIT, &r.submit_epoch, &r.utc_offset_min, &r.tz,
                                 NULL, h->path, line, err)) != GS_OK)
        return rc;
    /* duration = end_time - start_time (HeliosData README, note 3); read from 'duration' when
     * the column is there, else from the two times */
    r.duration = -1;
    if (h->c.idx[C_DURATION] >= 0) {
        if ((rc = gs__tfield_num(&h->c, row, C_DURATION, 0, 1e10, &r.duration, &blank, h->path,
                                 line, err)) != GS_OK)
            return rc;
        if (blank)
            r.duration = -1;
    } else {
        double s = 0, e = 0;
        int bs, be;
        if ((rc = gs__tfield_time(&h->c, row, C_START, &s, NULL, &bs, h->path, line, err)) !=
                GS_OK ||
            (rc = gs__tfield_time(&h->c, row, C_END, &e, NULL, &be, h->path, line, err)) != GS_OK)
            return rc;
        if (!bs && !be) {
            if (e < s)
                return gs__tfield_err(&h->c, C_END, gs__tcol(&h->c, row, C_END), h->path, line,
                                      "ends before its start_time:", err);
            r.duration = e - s;
        }
    }
    r.queue = -1;
    if ((rc = gs__tfield_num(&h->c, row, C_QUEUE, 0, 1e10, &r.queue, &blank, h->path, line, err)) !=
        GS_OK)
        return rc;
    if (blank)
        r.queue = -1;
    f = gs__tcol(&h->c, row, C_JOB_ID);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&h->c, C_JOB_ID, f, h->path, line, "empty job id", err);
    r.id = f->s;
    f = gs__tcol(&h->c, row, C_USER);
    r.user = f ? f->s : "";
    f = gs__tcol(&h->c, row, C_STATE);
    r.state = f ? f->s : ""; /* Slurm's words, as ACME's */
    if (f && f->len == 9 && !memcmp(f->s, "SUSPENDED", 9)) {
        /* once in Uranus (the HeliosData README), ignored by its authors: it ended without
         * completing */
        r.end = GS_END_FAILED;
    } else if (f && (r.end = gs__trace_end_of_state(f->s, f->len)) < 0) {
        return gs__tfield_err(&h->c, C_STATE, f, h->path, line,
                              "unknown state (expected COMPLETED, CANCELLED, FAILED, TIMEOUT, "
                              "NODE_FAIL or SUSPENDED), got",
                              err);
    }
    r.type = "";
    return gs__trace_push(h->cx, &r, err);
}

static int helios_load(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err)
{
    helios h;
    int rc;

    (void)o;
    memset(&h, 0, sizeof(h));
    h.cx = cx;
    h.path = path;
    rc = gs__csv_read(path, on_row, &h, err);
    if (rc == GS_OK && !h.header_done)
        rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty file (no header)", path);
    return rc;
}

static int helios_detect(const gs__trace_head *h, const char **why)
{
    if (h->json || h->is_dir || !gs__trace_head_has(h, "job_id") || gs__trace_head_has(h, "type"))
        return 0;
    if (gs__trace_head_has(h, "vc")) {
        *why = "a header with 'job_id' and 'vc' and no 'type'";
        return 100;
    }
    return 0;
}

const gs__trace_format gs__trace_helios = {
    .name = "helios",
    .summary = "Helios (S-Lab-System-Group/HeliosData, SC'21): cluster_log.csv with job_id, vc, "
               "gpu_num, state, submit_time, duration; no job types",
    .has_types = 0,
    .default_filter = "all",
    .detect = helios_detect,
    .load = helios_load,
};
