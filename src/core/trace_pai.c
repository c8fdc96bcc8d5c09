/* SPDX-License-Identifier: Apache-2.0 */
/* Alibaba PAI 2020 GPU traces (Weng et al., NSDI '22; alibaba/clusterdata,
 * cluster-trace-gpu-v2020): pai_job_table joined with pai_task_table on job_name. The published
 * CSVs have no header row: their column names are in pai_job_table.header and
 * pai_task_table.header; a header row, the .header file next to the table, or else the
 * published column order, in that order of preference, give the names. GPU requests are
 * percentages of a GPU per instance (plan_gpu 50 = half a GPU). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena_int.h"
#include "trace_int.h"
#include "util_int.h"

enum jcol { J_JOB_NAME, J_INST_ID, J_USER, J_STATUS, J_START, J_END, J_COUNT };
static const char *const jcol_names[J_COUNT] = {"job_name", "inst_id",    "user",
                                                "status",   "start_time", "end_time"};

enum tcol {
    T_JOB_NAME,
    T_TASK_NAME,
    T_INST_NUM,
    T_STATUS,
    T_START,
    T_END,
    T_PLAN_CPU,
    T_PLAN_MEM,
    T_PLAN_GPU,
    T_GPU_TYPE,
    T_COUNT
};
static const char *const tcol_names[T_COUNT] = {
    "job_name", "task_name", "inst_num", "status",   "start_time",
    "end_time", "plan_cpu",  "plan_mem", "plan_gpu", "gpu_type",
};

/* UTC+8 ("Asia/Shanghai") gives the original time of day (the trace's README, "Note of time") */
#define PAI_OFFSET_MIN 480

/* One job's tasks together. */
typedef struct task {
    const char *job;  /* job_name (arena) */
    const char *name; /* task_name of the task with the largest GPU request (arena) */
    long line;
    double gpu_pct; /* inst_num x plan_gpu, summed over the job's tasks */
    double cpu_pct;
    double main_gpu;              /* the largest task's inst_num x plan_gpu */
    double first_start, last_end; /* 0 when no task recorded one */
} task;

typedef struct pai {
    gs__trace_ctx *cx;
    const char *file; /* the table being read */
    gs__tcols c;
    int header_done;
    task *tasks;
    size_t ntasks, cap; /* jobs with tasks */
    uint32_t *hash;     /* indices into tasks, UINT32_MAX: empty */
    size_t hcap;
    gs__arena *names;
} pai;

/* ---- columns: header row, .header file, or the published order ---- */

static int is_header(const gs__csv_field *f, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (f[i].len == 8 && !memcmp(f[i].s, "job_name", 8))
            return 1;
    return 0;
}

/* "x/pai_job_table.csv" -> "x/pai_job_table.header" (malloc'd) */
static char *header_path(const char *table)
{
    size_t n = strlen(table);
    char *p;

    if (n > 4 && !strcmp(table + n - 4, ".csv"))
        n -= 4;
    p = malloc(n + 8);
    if (p) {
        memcpy(p, table, n);
        memcpy(p + n, ".header", 8);
    }
    return p;
}

typedef struct hdr {
    gs__tcols *c;
    const char *const *names;
    int n;
    const char *file;
    int done, rc;
} hdr;

static int on_header_file(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    hdr *h = ctx;

    if (h->done)
        return GS_OK;
    h->done = 1;
    return gs__tcols_map(h->c, h->names, h->n, f, n, h->file, line, err);
}

/* Columns of a headerless table: from its .header file when there is one, else in the
 * published order. */
static int headerless(gs__tcols *c, const char *table, const char *const *names, int n, gs_err *err)
{
    char *hp = header_path(table);
    struct stat sb;
    gs__csv_field f[GS__TCOLS_MAX];
    int k, rc;

    if (!hp)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (stat(hp, &sb) == 0 && S_ISREG(sb.st_mode)) {
        hdr h = {c, names, n, hp, 0, 0};
        rc = gs__csv_read(hp, on_header_file, &h, err);
        if (rc == GS_OK && !h.done)
            rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty header file", hp);
        free(hp);
        return rc;
    }
    free(hp);
    for (k = 0; k < n; k++) {
        f[k].s = names[k];
        f[k].len = strlen(names[k]);
    }
    return gs__tcols_map(c, names, n, f, (size_t)n, table, 0, err);
}

/* Sets up the columns from the first record; returns 1 when it was a header row. */
static int columns(pai *p, const gs__csv_field *f, size_t n, long line, const char *const *names,
                   int ncols, const int *required, int nreq, gs_err *err)
{
    int header = is_header(f, n), k, rc;

    rc = header ? gs__tcols_map(&p->c, names, ncols, f, n, p->file, line, err)
                : headerless(&p->c, p->file, names, ncols, err);
    for (k = 0; rc == GS_OK && k < nreq; k++)
        rc = gs__tcols_need(&p->c, required[k], p->file, header ? line : 1, err);
    p->header_done = 1;
    return rc != GS_OK ? rc : header;
}

/* A time in seconds (shifted by a constant in the trace); blank or 0 means not recorded. */
static int get_time(pai *p, const gs__csv_field *row, int col, long line, double *t, gs_err *err)
{
    int blank, rc;

    *t = 0;
    rc = gs__tfield_num(&p->c, row, col, 0, 1e12, t, &blank, p->file, line, err);
    if (rc == GS_OK && blank)
        *t = 0;
    return rc;
}

/* ---- the task table: one aggregate per job, found by name through an open-addressing hash
 * table (FNV-1a) ---- */

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int rehash(pai *p, gs_err *err)
{
    size_t cap = p->hcap ? p->hcap * 2 : 4096, i;
    uint32_t *h = malloc(cap * sizeof(*h));

    if (!h)
        return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", p->file);
    for (i = 0; i < cap; i++)
        h[i] = UINT32_MAX;
    for (i = 0; i < p->ntasks; i++) {
        size_t k = hash_name(p->tasks[i].job, strlen(p->tasks[i].job)) & (cap - 1);
        while (h[k] != UINT32_MAX)
            k = (k + 1) & (cap - 1);
        h[k] = (uint32_t)i;
    }
    free(p->hash);
    p->hash = h;
    p->hcap = cap;
    return GS_OK;
}

/* The job's aggregate; with create, a new one (job NULL) when there is none. NULL when it is
 * not there (create 0) or out of memory (create 1, err filled). */
static task *lookup(pai *p, const char *name, size_t len, int create, gs_err *err)
{
    size_t k;

    if (!p->hcap && (!create || rehash(p, err) != GS_OK))
        return NULL;
    for (k = hash_name(name, len) & (p->hcap - 1); p->hash[k] != UINT32_MAX;
         k = (k + 1) & (p->hcap - 1)) {
        task *t = &p->tasks[p->hash[k]];
        if (strlen(t->job) == len && !memcmp(t->job, name, len))
            return t;
    }
    if (!create)
        return NULL;
    if (GS_GROW(p->tasks, p->cap, p->ntasks + 1) != GS_OK) {
        gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", p->file);
        return NULL;
    }
    if (2 * (p->ntasks + 1) > p->hcap) {
        if (rehash(p, err) != GS_OK)
            return NULL;
        for (k = hash_name(name, len) & (p->hcap - 1); p->hash[k] != UINT32_MAX;
             k = (k + 1) & (p->hcap - 1))
            ;
    }
    p->hash[k] = (uint32_t)p->ntasks;
    memset(&p->tasks[p->ntasks], 0, sizeof(task));
    return &p->tasks[p->ntasks++];
}

/* ---- the task table ---- */

static int on_task(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    static const int required[] = {T_JOB_NAME, T_INST_NUM, T_PLAN_GPU};
    pai *p = ctx;
    task *tk;
    const gs__csv_field *f;
    double inst = 0, gpu = 0, cpu = 0, s, e;
    int blank, rc;

    if (!p->header_done) {
        rc = columns(p, row, n, line, tcol_names, T_COUNT, required, 3, err);
        if (rc != 0)
            return rc < 0 ? rc : GS_OK;
    }
    if (n == 1 && row[0].len == 0)
        return GS_OK;
    if (n != p->c.nfields)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         p->file, line, p->c.nfields, n);
    f = gs__tcol(&p->c, row, T_JOB_NAME);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&p->c, T_JOB_NAME, f, p->file, line, "empty job name", err);
    if ((rc = gs__tfield_num(&p->c, row, T_INST_NUM, 0, 1e6, &inst, NULL, p->file, line, err)) !=
            GS_OK ||
        (rc = gs__tfield_num(&p->c, row, T_PLAN_GPU, 0, 1e8, &gpu, &blank, p->file, line, err)) !=
            GS_OK ||
        (rc = gs__tfield_num(&p->c, row, T_PLAN_CPU, 0, 1e8, &cpu, &blank, p->file, line, err)) !=
            GS_OK ||
        (rc = get_time(p, row, T_START, line, &s, err)) != GS_OK ||
        (rc = get_time(p, row, T_END, line, &e, err)) != GS_OK)
        return rc;
    if (inst != floor(inst))
        return gs__tfield_err(&p->c, T_INST_NUM, gs__tcol(&p->c, row, T_INST_NUM), p->file, line,
                              "expected a whole number of instances, got", err);
    if (s > 0 && e > 0 && e < s)
        return gs__tfield_err(&p->c, T_END, gs__tcol(&p->c, row, T_END), p->file, line,
                              "ends before its start_time:", err);
    tk = lookup(p, f->s, f->len, 1, err);
    if (!tk)
        return err && err->code ? err->code : GS_ENOMEM;
    if (tk->job == NULL) { /* the job's first task */
        tk->job = gs__arena_strndup(p->names, f->s, f->len);
        if (!tk->job)
            return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", p->file);
        tk->line = line;
    }
    tk->gpu_pct += inst * gpu;
    tk->cpu_pct += inst * cpu;
    if (!tk->name || inst * gpu > tk->main_gpu) { /* ties: the earlier line */
        f = gs__tcol(&p->c, row, T_TASK_NAME);
        tk->main_gpu = inst * gpu;
        tk->name = gs__arena_strndup(p->names, f ? f->s : "", f ? f->len : 0);
        if (!tk->name)
            return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", p->file);
    }
    if (s > 0 && (tk->first_start <= 0 || s < tk->first_start))
        tk->first_start = s;
    if (e > tk->last_end)
        tk->last_end = e;
    return GS_OK;
}

/* ---- the job table ---- */

/* PAI's job states in ACME's words (the README: Running, Terminated, Failed, Waiting; only
 * Terminated jobs succeeded). *ended is 0 for jobs that had not ended. */
static const char *state_of(const gs__csv_field *f, int *ended, int *end)
{
    static const struct {
        const char *pai, *acme;
        int ended, end;
    } map[] = {{"Terminated", "COMPLETED", 1, GS_END_COMPLETED},
               {"Failed", "FAILED", 1, GS_END_FAILED},
               {"Running", "", 0, GS_END_COMPLETED},
               {"Waiting", "", 0, GS_END_COMPLETED}};
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (f && strlen(map[i].pai) == f->len && !memcmp(map[i].pai, f->s, f->len)) {
            *ended = map[i].ended;
            *end = map[i].end;
            return map[i].acme;
        }
    return NULL;
}

static int on_job(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    static const int required[] = {J_JOB_NAME, J_STATUS, J_START, J_END};
    pai *p = ctx;
    gs__trace_rec r;
    const gs__csv_field *f;
    const task *tk;
    double submit, end;
    int ended = 0, rc;

    if (!p->header_done) {
        rc = columns(p, row, n, line, jcol_names, J_COUNT, required, 4, err);
        if (rc != 0)
            return rc < 0 ? rc : GS_OK;
    }
    if (n == 1 && row[0].len == 0)
        return GS_OK;
    if (n != p->c.nfields)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         p->file, line, p->c.nfields, n);
    memset(&r, 0, sizeof(r));
    r.line = line;
    r.duration = r.queue = -1;
    f = gs__tcol(&p->c, row, J_JOB_NAME);
    if (gs__tfield_blank(f))
        return gs__tfield_err(&p->c, J_JOB_NAME, f, p->file, line, "empty job name", err);
    r.id = f->s;
    tk = lookup(p, f->s, f->len, 0, NULL);
    f = gs__tcol(&p->c, row, J_STATUS);
    if (!(r.state = state_of(f, &ended, &r.end)))
        return gs__tfield_err(&p->c, J_STATUS, f, p->file, line,
                              "expected Terminated, Failed, Running or Waiting, got", err);
    if ((rc = get_time(p, row, J_START, line, &submit, err)) != GS_OK ||
        (rc = get_time(p, row, J_END, line, &end, err)) != GS_OK)
        return rc;
    f = gs__tcol(&p->c, row, J_USER);
    r.user = f ? f->s : "";
    if (!tk) {
        p->cx->t->stats.rows++;
        p->cx->t->stats.skipped_no_tasks++;
        return GS_OK;
    }
    r.type = tk->name;
    r.gpus = tk->gpu_pct / 100;
    r.cpu_num = (int)ceil(tk->cpu_pct / 100 - 1e-9);
    r.submit_epoch = submit;
    r.utc_offset_min = PAI_OFFSET_MIN;
    /* from the first task launch to the job's completion; the gap from submission to that
     * launch is the queue (the README's pai_task_table notes) */
    if (submit > 0 && ended && end > 0 && tk->first_start > 0) {
        if (end < tk->first_start)
            return gs__tfield_err(&p->c, J_END, gs__tcol(&p->c, row, J_END), p->file, line,
                                  "job ends before its first task starts:", err);
        r.duration = end - tk->first_start;
        if (tk->first_start >= submit)
            r.queue = tk->first_start - submit;
    }
    return gs__trace_push(p->cx, &r, err);
}

/* ---- loading ---- */

static char *sibling(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    char *dir, *out;

    if (!slash)
        return gs__strdup(name);
    dir = malloc((size_t)(slash - path) + 1);
    if (!dir)
        return NULL;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    out = gs__path_join(dir, name);
    free(dir);
    return out;
}

static int pai_load(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err)
{
    gs_trace *t = cx->t;
    struct stat sb;
    char *jobs = NULL, *tasks = NULL;
    pai p;
    int rc;

    memset(&p, 0, sizeof(p));
    p.cx = cx;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        jobs = gs__path_join(path, "pai_job_table.csv");
        tasks =
            o->task_table ? gs__strdup(o->task_table) : gs__path_join(path, "pai_task_table.csv");
    } else {
        jobs = gs__strdup(path);
        tasks = o->task_table ? gs__strdup(o->task_table) : sibling(path, "pai_task_table.csv");
    }
    p.names = gs__arena_new();
    if (!jobs || !tasks || !p.names) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    if (stat(tasks, &sb) != 0) {
        rc = gs_errorf(err, GS_EIO,
                       "trace '%s' (format pai): no task table '%s'; pass --task-table FILE", path,
                       tasks);
        goto out;
    }
    free(t->path);
    t->path = jobs;
    t->aux_path = tasks;
    jobs = tasks = NULL;
    t->schema = "pai";
    p.file = t->aux_path;
    rc = gs__csv_read(p.file, on_task, &p, err);
    if (rc == GS_OK && !p.header_done)
        rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty task table", p.file);
    if (rc != GS_OK)
        goto out;
    p.file = t->path;
    p.header_done = 0;
    rc = gs__csv_read(p.file, on_job, &p, err);
    if (rc == GS_OK && !p.header_done)
        rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty job table", p.file);
out:
    free(jobs);
    free(tasks);
    free(p.tasks);
    free(p.hash);
    gs__arena_free(p.names);
    return rc;
}

static int pai_detect(const gs__trace_head *h, const char **why)
{
    static const char *const statuses[] = {"Terminated", "Failed", "Running", "Waiting"};
    size_t i;

    if (h->is_dir) {
        char *jp = gs__path_join(h->path, "pai_job_table.csv");
        struct stat sb;
        int ok = jp && stat(jp, &sb) == 0;
        free(jp);
        *why = "a folder with pai_job_table.csv";
        return ok ? 100 : 0;
    }
    if (h->json)
        return 0;
    if (gs__trace_head_has(h, "job_name") && gs__trace_head_has(h, "inst_id")) {
        *why = "a header with 'job_name' and 'inst_id'";
        return 100;
    }
    if (h->nf == J_COUNT) {
        char *hp = header_path(h->path);
        struct stat sb;
        int have = hp && stat(hp, &sb) == 0;
        free(hp);
        for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
            if (h->f[J_STATUS].len == strlen(statuses[i]) &&
                !memcmp(h->f[J_STATUS].s, statuses[i], h->f[J_STATUS].len)) {
                *why = have ? "a headerless job table, columns from its .header file"
                            : "a headerless job table, columns in the published order";
                return 90;
            }
    }
    return 0;
}

const gs__trace_format gs__trace_pai = {
    .name = "pai",
    .summary = "Alibaba PAI 2020 (alibaba/clusterdata cluster-trace-gpu-v2020, NSDI'22): "
               "pai_job_table with pai_task_table; fractional GPU requests",
    .has_types = 1,
    .default_filter = "all",
    .detect = pai_detect,
    .load = pai_load,
};
