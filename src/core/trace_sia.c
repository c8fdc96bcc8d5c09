/* SPDX-License-Identifier: Apache-2.0 */
/* Sia's workloads (Jayaram Subramanya et al., SOSP '23; its artifact's
 * sia-simulator/workloads/: saturn, philly, newtrace): CSV with name, time, application,
 * num_replicas, batch_size and an optional category. time is seconds from the workload's start;
 * application is both the job's type and its workload class (the scaling DB must have a class of
 * that name: --db sia:DIR); num_replicas the GPUs requested; batch_size the largest total batch
 * Sia's scheduler plans with. The job's work comes from its class's goodput model
 * (docs/goodput.md), so its duration is 0. */
#include <stdint.h>
#include <string.h>

#include "trace_int.h"
#include "util_int.h"

enum col { C_NAME, C_TIME, C_APPLICATION, C_NUM_REPLICAS, C_BATCH_SIZE, C_CATEGORY, C_COUNT };

static const char *const col_names[C_COUNT] = {
    "name", "time", "application", "num_replicas", "batch_size", "category",
};

typedef struct sia {
    gs__trace_ctx *cx;
    const char *path;
    gs__tcols c;
    int header_done;
} sia;

static int on_header(sia *a, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    static const enum col required[] = {C_NAME, C_TIME, C_APPLICATION, C_NUM_REPLICAS,
                                        C_BATCH_SIZE};
    size_t i;
    int rc;

    if ((rc = gs__tcols_map(&a->c, col_names, C_COUNT, f, n, a->path, line, err)) != GS_OK)
        return rc;
    for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if ((rc = gs__tcols_need(&a->c, required[i], a->path, line, err)) != GS_OK)
            return rc;
    a->cx->t->schema = "sia";
    a->header_done = 1;
    return GS_OK;
}

static int on_row(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    sia *a = ctx;
    gs__trace_rec r;
    const gs__csv_field *f;
    int64_t gpus;
    int rc;

    if (!a->header_done)
        return on_header(a, row, n, line, err);
    if (n == 1 && row[0].len == 0)
        return GS_OK; /* blank line */
    if (n != a->c.nfields)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         a->path, line, a->c.nfields, n);
    memset(&r, 0, sizeof(r));
    r.line = line;
    r.queue = -1;
    r.end = GS_END_COMPLETED;
    f = gs__tcol(&a->c, row, C_APPLICATION);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&a->c, C_APPLICATION, f, a->path, line, "empty application", err);
    r.type = r.cls = f->s;
    f = gs__tcol(&a->c, row, C_NUM_REPLICAS);
    if (gs__parse_int64(f->s, f->len, &gpus) != 0 || gpus < 0 || gpus > 1000000)
        return gs__tfield_err(&a->c, C_NUM_REPLICAS, f, a->path, line,
                              "expected a GPU count in [0, 1000000], got", err);
    r.gpus = (double)gpus; /* 0: skipped as a job without GPUs */
    if ((rc = gs__tfield_num(&a->c, row, C_TIME, 0, 1e10, &r.submit_epoch, NULL, a->path, line,
                             err)) != GS_OK ||
        (rc = gs__tfield_num(&a->c, row, C_BATCH_SIZE, 1, 1e9, &r.batch, NULL, a->path, line,
                             err)) != GS_OK)
        return rc;
    f = gs__tcol(&a->c, row, C_CATEGORY);
    if (f && !gs__tfield_blank(f) && !(f->len == 8 && !memcmp(f->s, "adaptive", 8)))
        return gs__tfield_err(&a->c, C_CATEGORY, f, a->path, line,
                              "only adaptive jobs are supported (rigid and scale-gpus are not), "
                              "got",
                              err);
    f = gs__tcol(&a->c, row, C_NAME);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&a->c, C_NAME, f, a->path, line, "empty job name", err);
    r.id = f->s;
    return gs__trace_push(a->cx, &r, err);
}

static int sia_load(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err)
{
    sia a;
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

static int sia_detect(const gs__trace_head *h, const char **why)
{
    if (h->json || h->is_dir || gs__trace_head_has(h, "job_id") ||
        !gs__trace_head_has(h, "application") || !gs__trace_head_has(h, "num_replicas"))
        return 0;
    *why = "a header with Sia's 'application' and 'num_replicas'";
    return 100;
}

const gs__trace_format gs__trace_sia = {
    .name = "sia",
    .summary = "Sia's workloads (siasosp23/artifacts, SOSP'23): CSV with name, time, "
               "application, num_replicas, batch_size",
    .has_types = 1,
    .default_filter = "all",
    .detect = sia_detect,
    .load = sia_load,
};
