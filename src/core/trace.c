/* SPDX-License-Identifier: Apache-2.0 */
/* ACME trace loader: columns by name, UTC offsets honoured, rows validated with line numbers. */
#include "gpusim/trace.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena_int.h"
#include "csv_int.h"
#include "util_int.h"

/* ---- timestamps ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
    int i, v = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int gs_parse_timestamp(const char *s, size_t len, double *epoch, int *offset_min)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
    double frac = 0;
    const char *p, *end;

    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len == 0)
        return -1;
    end = s + len;
    if (len < 19 || s[4] != '-') {
        /* a plain number of seconds since 1970 */
        double v;
        if (gs__parse_double(s, len, &v) != 0)
            return -1;
        *epoch = v;
        if (offset_min)
            *offset_min = 0;
        return 0;
    }
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -1;
    p = s + 19;
    if (p < end && *p == '.') {
        double scale = 0.1;
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return -1;
        while (p < end && *p >= '0' && *p <= '9') {
            frac += (*p - '0') * scale;
            scale /= 10;
            p++;
        }
    }
    if (p < end) {
        if (*p == 'Z' && p + 1 == end) {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
            if (end - p == 5 && p[2] == ':') {
                if (digits(p, 2, &oh) || digits(p + 3, 2, &om))
                    return -1;
            } else if (end - p == 4) {
                if (digits(p, 2, &oh) || digits(p + 2, 2, &om))
                    return -1;
            } else if (end - p == 2) {
                if (digits(p, 2, &oh))
                    return -1;
            } else {
                return -1;
            }
            if (oh > 23 || om > 59)
                return -1;
            p = end;
        } else {
            return -1;
        }
    }
    if (p != end)
        return -1;
    *epoch =
        (double)(days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec) +
        frac - sign * (oh * 3600 + om * 60);
    if (offset_min)
        *offset_min = sign * (oh * 60 + om);
    return 0;
}

void gs_format_timestamp(char *buf, size_t size, double epoch, int offset_min)
{
    double local = floor(epoch) + offset_min * 60.0;
    int64_t days = (int64_t)floor(local / 86400.0);
    int64_t secs = (int64_t)(local - (double)days * 86400.0);
    int64_t y;
    unsigned m, d;
    int off = offset_min < 0 ? -offset_min : offset_min;

    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02u %02d:%02d:%02d%c%02d:%02d", (long long)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
             offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* ---- loading ---- */

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
    /* Sia's workloads (its artifact: sia-simulator/workloads/) */
    C_NAME,
    C_TIME,
    C_APPLICATION,
    C_NUM_REPLICAS,
    C_BATCH_SIZE,
    C_CATEGORY,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "job_id", "user",        "node_num",     "gpu_num",    "cpu_num",        "type",
    "state",  "submit_time", "duration",     "queue",      "mem_per_pod_GB", "name",
    "time",   "application", "num_replicas", "batch_size", "category",
};

typedef struct loader {
    unsigned keep_end; /* bit per enum gs_trace_end kept */
    gs_trace *t;
    const char *path;
    int colidx[C_COUNT]; /* field index of each column, -1 when absent */
    size_t ncols;
    int header_done;
    int want;         /* the format asked for: 0 any, 1 acme, 2 sia */
    int sia;          /* the header is Sia's */
    int default_type; /* no --job-type: the format's default (SFT for ACME, all for Sia) */
    int all_types;
    char **types; /* the filter when not all */
    size_t ntypes, captypes;
    size_t cap;
} loader;

const char *gs_trace_end_name(int end)
{
    static const char *const names[GS_END_COUNT] = {"COMPLETED", "FAILED", "CANCELLED"};

    return end >= 0 && end < GS_END_COUNT ? names[end] : "?";
}

/* The end of a state value (blank: completed); -1 when unknown. */
static int end_of_state(const char *s, size_t len)
{
    static const char *const failed[] = {"FAILED",    "TIMEOUT",  "NODE_FAIL", "OUT_OF_MEMORY",
                                         "BOOT_FAIL", "DEADLINE", "PREEMPTED"};
    size_t i;

    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\r' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || (len == 9 && !strncasecmp(s, "COMPLETED", 9)))
        return GS_END_COMPLETED;
    if (len >= 9 && !strncasecmp(s, "CANCELLED", 9) && (len == 9 || s[9] == ' '))
        return GS_END_CANCELLED;
    for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
        if (strlen(failed[i]) == len && !strncasecmp(s, failed[i], len))
            return GS_END_FAILED;
    return -1;
}

static int type_matches(const loader *ld, const char *s, size_t len)
{
    size_t i;

    if (ld->all_types)
        return 1;
    for (i = 0; i < ld->ntypes; i++)
        if (strlen(ld->types[i]) == len && !memcmp(ld->types[i], s, len))
            return 1;
    return 0;
}

static int on_header(loader *ld, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    size_t i;
    int c;

    for (c = 0; c < C_COUNT; c++)
        ld->colidx[c] = -1;
    if (n == 1 && f[0].len == 0)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: empty header", ld->path, line);
    for (i = 0; i < n; i++) {
        const char *s = f[i].s;
        size_t len = f[i].len;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
            len--;
        for (c = 0; c < C_COUNT; c++) {
            if (strlen(col_names[c]) != len || memcmp(col_names[c], s, len))
                continue;
            if (ld->colidx[c] >= 0)
                return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: column '%s' appears twice",
                                 ld->path, line, col_names[c]);
            ld->colidx[c] = (int)i;
        }
    }
    ld->sia = ld->colidx[C_APPLICATION] >= 0 && ld->colidx[C_NUM_REPLICAS] >= 0 &&
              ld->colidx[C_JOB_ID] < 0;
    if (ld->want == 2 && !ld->sia)
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' line %ld: not a Sia workload (expected the columns name, "
                         "time, application, num_replicas, batch_size)",
                         ld->path, line);
    if (ld->want == 1 && ld->sia)
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' line %ld: a Sia workload, not an ACME trace (--format sia)",
                         ld->path, line);
    if (ld->sia) {
        static const enum col required[] = {C_NAME, C_TIME, C_APPLICATION, C_NUM_REPLICAS,
                                            C_BATCH_SIZE};
        for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
            if (ld->colidx[required[i]] < 0)
                return gs_errorf(err, GS_EINVAL,
                                 "trace '%s' line %ld: missing required column '%s'", ld->path,
                                 line, col_names[required[i]]);
        if (ld->default_type) {
            char *all = gs__strdup("all");
            if (!all)
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            free(ld->t->job_type);
            ld->t->job_type = all;
            ld->all_types = 1;
        }
        ld->ncols = n;
        ld->t->schema = "sia";
        ld->header_done = 1;
        return GS_OK;
    }
    {
        static const enum col required[] = {C_JOB_ID, C_GPU_NUM, C_SUBMIT, C_DURATION};
        for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
            if (ld->colidx[required[i]] < 0)
                return gs_errorf(err, GS_EINVAL,
                                 "trace '%s' line %ld: missing required column '%s'", ld->path,
                                 line, col_names[required[i]]);
        if (!ld->all_types && ld->colidx[C_TYPE] < 0)
            return gs_errorf(err, GS_EINVAL,
                             "trace '%s' line %ld: missing required column 'type' (needed by "
                             "--job-type; use --job-type all for a trace without types)",
                             ld->path, line);
    }
    ld->ncols = n;
    ld->t->schema = ld->colidx[C_MEM_PER_POD] >= 0 ? "kalos" : "seren";
    ld->header_done = 1;
    return GS_OK;
}

static const char *field_str(loader *ld, const gs__csv_field *f, enum col c, gs_err *err)
{
    const char *s;

    if (ld->colidx[c] < 0)
        return "";
    s = gs__arena_strndup(ld->t->arena, f[ld->colidx[c]].s, f[ld->colidx[c]].len);
    if (!s)
        gs_errorf(err, GS_ENOMEM, "out of memory loading trace '%s'", ld->path);
    return s;
}

static int bad_field(loader *ld, long line, enum col c, const gs__csv_field *f, const char *what,
                     gs_err *err)
{
    return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: column '%s': %s '%.*s'", ld->path, line,
                     col_names[c], what, (int)(f->len > 60 ? 60 : f->len), f->s);
}

static int is_blank(const gs__csv_field *f)
{
    size_t i;

    for (i = 0; i < f->len; i++)
        if (f->s[i] != ' ' && f->s[i] != '\t' && f->s[i] != '\r')
            return 0;
    return 1;
}

static int optional_int(loader *ld, const gs__csv_field *row, enum col c, long line, int *out,
                        gs_err *err)
{
    const gs__csv_field *f;
    int64_t v;

    *out = 0;
    if (ld->colidx[c] < 0)
        return GS_OK;
    f = &row[ld->colidx[c]];
    if (is_blank(f))
        return GS_OK;
    if (gs__parse_int64(f->s, f->len, &v) != 0 || v < 0 || v > INT32_MAX)
        return bad_field(ld, line, c, f, "expected a non-negative integer, got", err);
    *out = (int)v;
    return GS_OK;
}

/* One row of a Sia workload: the application is the job's type and its class. */
static int on_sia_row(loader *ld, const gs__csv_field *row, long line, gs_err *err)
{
    gs_trace *t = ld->t;
    gs_trace_job *j;
    const gs__csv_field *f = &row[ld->colidx[C_APPLICATION]];
    int64_t gpus;

    if (is_blank(f))
        return bad_field(ld, line, C_APPLICATION, f, "empty application", err);
    if (!type_matches(ld, f->s, f->len)) {
        t->stats.skipped_type++;
        return GS_OK;
    }
    f = &row[ld->colidx[C_NUM_REPLICAS]];
    if (gs__parse_int64(f->s, f->len, &gpus) != 0 || gpus < 0 || gpus > 1000000)
        return bad_field(ld, line, C_NUM_REPLICAS, f, "expected a GPU count in [0, 1000000], got",
                         err);
    if (gpus == 0) {
        t->stats.skipped_zero_gpu++;
        return GS_OK;
    }
    if (GS_GROW(t->jobs, ld->cap, t->njobs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory loading trace '%s'", ld->path);
    j = &t->jobs[t->njobs];
    memset(j, 0, sizeof(*j));
    j->line = line;
    j->gpu_num = (int)gpus;
    j->queue = -1;
    j->end = GS_END_COMPLETED;
    f = &row[ld->colidx[C_TIME]];
    if (gs__parse_double(f->s, f->len, &j->submit_epoch) != 0 || !(j->submit_epoch >= 0) ||
        j->submit_epoch > 1e10)
        return bad_field(ld, line, C_TIME, f, "expected seconds in [0, 1e10], got", err);
    f = &row[ld->colidx[C_BATCH_SIZE]];
    if (gs__parse_double(f->s, f->len, &j->batch) != 0 || !(j->batch >= 1) || j->batch > 1e9)
        return bad_field(ld, line, C_BATCH_SIZE, f, "expected a batch size in [1, 1e9], got", err);
    if (ld->colidx[C_CATEGORY] >= 0) {
        f = &row[ld->colidx[C_CATEGORY]];
        if (!is_blank(f) && !(f->len == 8 && !memcmp(f->s, "adaptive", 8)))
            return bad_field(ld, line, C_CATEGORY, f,
                             "only adaptive jobs are supported (rigid and scale-gpus are not), "
                             "got",
                             err);
    }
    f = &row[ld->colidx[C_NAME]];
    if (is_blank(f))
        return bad_field(ld, line, C_NAME, f, "empty job name", err);
    if (!(j->id = field_str(ld, row, C_NAME, err)) ||
        !(j->type = field_str(ld, row, C_APPLICATION, err)))
        return GS_ENOMEM;
    j->cls = j->type;
    j->user = "";
    j->state = "";
    t->njobs++;
    t->stats.kept++;
    return GS_OK;
}

static int on_row(void *ctx, const gs__csv_field *row, size_t n, long line, gs_err *err)
{
    loader *ld = ctx;
    gs_trace *t = ld->t;
    gs_trace_job *j;
    const gs__csv_field *f;
    int64_t gpus;
    int rc;

    if (!ld->header_done)
        return on_header(ld, row, n, line, err);
    if (n == 1 && row[0].len == 0)
        return GS_OK; /* blank line */
    t->stats.rows++;
    if (n != ld->ncols)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: expected %zu fields, found %zu",
                         ld->path, line, ld->ncols, n);
    if (ld->sia)
        return on_sia_row(ld, row, line, err);
    if (ld->colidx[C_TYPE] >= 0 && !ld->all_types) {
        f = &row[ld->colidx[C_TYPE]];
        if (!type_matches(ld, f->s, f->len)) {
            t->stats.skipped_type++;
            return GS_OK;
        }
    }
    f = &row[ld->colidx[C_GPU_NUM]];
    if (gs__parse_int64(f->s, f->len, &gpus) != 0)
        return bad_field(ld, line, C_GPU_NUM, f, "expected a GPU count, got", err);
    if (gpus < 0 || gpus > 1000000)
        return bad_field(ld, line, C_GPU_NUM, f, "GPU count out of range", err);
    if (gpus == 0) {
        t->stats.skipped_zero_gpu++;
        return GS_OK;
    }
    f = &row[ld->colidx[C_DURATION]];
    if (is_blank(f)) {
        t->stats.skipped_no_duration++;
        return GS_OK;
    }
    if (GS_GROW(t->jobs, ld->cap, t->njobs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory loading trace '%s'", ld->path);
    j = &t->jobs[t->njobs];
    memset(j, 0, sizeof(*j));
    j->line = line;
    j->gpu_num = (int)gpus;
    if (gs__parse_double(f->s, f->len, &j->duration) != 0)
        return bad_field(ld, line, C_DURATION, f, "expected a number of seconds, got", err);
    if (j->duration < 0)
        return bad_field(ld, line, C_DURATION, f, "negative duration", err);
    f = &row[ld->colidx[C_SUBMIT]];
    if (gs_parse_timestamp(f->s, f->len, &j->submit_epoch, &j->utc_offset_min) != 0)
        return bad_field(ld, line, C_SUBMIT, f,
                         "malformed timestamp (expected YYYY-MM-DD hh:mm:ss+hh:mm), got", err);
    j->queue = -1;
    if (ld->colidx[C_QUEUE] >= 0) {
        f = &row[ld->colidx[C_QUEUE]];
        if (!is_blank(f) && (gs__parse_double(f->s, f->len, &j->queue) != 0 || j->queue < 0))
            return bad_field(ld, line, C_QUEUE, f, "expected a non-negative number, got", err);
    }
    j->end = GS_END_COMPLETED;
    if (ld->colidx[C_STATE] >= 0) {
        f = &row[ld->colidx[C_STATE]];
        if ((j->end = end_of_state(f->s, f->len)) < 0)
            return bad_field(ld, line, C_STATE, f,
                             "unknown state (expected COMPLETED, FAILED, CANCELLED, TIMEOUT or "
                             "NODE_FAIL), got",
                             err);
        if (!(ld->keep_end >> j->end & 1u)) {
            t->stats.skipped_state++;
            return GS_OK;
        }
    }
    if ((rc = optional_int(ld, row, C_NODE_NUM, line, &j->node_num, err)) != GS_OK ||
        (rc = optional_int(ld, row, C_CPU_NUM, line, &j->cpu_num, err)) != GS_OK)
        return rc;
    f = &row[ld->colidx[C_JOB_ID]];
    if (is_blank(f))
        return bad_field(ld, line, C_JOB_ID, f, "empty job id", err);
    if (!(j->id = field_str(ld, row, C_JOB_ID, err)) ||
        !(j->user = field_str(ld, row, C_USER, err)) ||
        !(j->type = field_str(ld, row, C_TYPE, err)) ||
        !(j->state = field_str(ld, row, C_STATE, err)))
        return GS_ENOMEM;
    j->cls = "";
    t->njobs++;
    t->stats.kept++;
    return GS_OK;
}

static int by_submit(const void *a, const void *b)
{
    const gs_trace_job *x = a, *y = b;

    if (x->submit_epoch != y->submit_epoch)
        return x->submit_epoch < y->submit_epoch ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int parse_filter(loader *ld, const char *job_type, gs_err *err)
{
    const char *p = job_type ? job_type : "SFT";

    if (!strcmp(p, "all")) {
        ld->all_types = 1;
        return GS_OK;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 0)
            return gs_errorf(err, GS_EINVAL, "empty job type in '%s'", job_type);
        if (GS_GROW(ld->types, ld->captypes, ld->ntypes + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        ld->types[ld->ntypes] = malloc(n + 1);
        if (!ld->types[ld->ntypes])
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        memcpy(ld->types[ld->ntypes], p, n);
        ld->types[ld->ntypes++][n] = '\0';
        p += n;
        if (*p == ',')
            p++;
    }
    if (ld->ntypes == 0)
        return gs_errorf(err, GS_EINVAL, "empty job type filter");
    return GS_OK;
}

/* The --states filter into bits of enum gs_trace_end. */
static int parse_states(const char *states, unsigned *keep, gs_err *err)
{
    const char *p = states;

    *keep = 0;
    if (!p || !strcasecmp(p, "all")) {
        *keep = (1u << GS_END_COUNT) - 1;
        return GS_OK;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        int e;
        for (e = 0; e < GS_END_COUNT; e++)
            if (strlen(gs_trace_end_name(e)) == n && !strncasecmp(p, gs_trace_end_name(e), n))
                break;
        if (e == GS_END_COUNT)
            return gs_errorf(err, GS_EINVAL,
                             "unknown state '%.*s' in '%s' (expected all, or a list of "
                             "COMPLETED, FAILED and CANCELLED)",
                             (int)(n > 40 ? 40 : n), p, states);
        *keep |= 1u << e;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!*keep)
        return gs_errorf(err, GS_EINVAL, "empty state filter '%s'", states);
    return GS_OK;
}

int gs_trace_states_check(const char *states, gs_err *err)
{
    unsigned keep;

    return parse_states(states, &keep, err);
}

int gs_trace_load(gs_trace *t, const char *path, const char *job_type, gs_err *err)
{
    return gs_trace_load_states(t, path, job_type, NULL, err);
}

int gs_trace_format_check(const char *format, gs_err *err)
{
    if (!format || !strcmp(format, "auto") || !strcmp(format, "acme") || !strcmp(format, "sia"))
        return GS_OK;
    return gs_errorf(err, GS_EINVAL, "unknown trace format '%s' (expected auto, acme or sia)",
                     format);
}

int gs_trace_load_states(gs_trace *t, const char *path, const char *job_type, const char *states,
                         gs_err *err)
{
    return gs_trace_load_format(t, path, NULL, job_type, states, err);
}

int gs_trace_load_format(gs_trace *t, const char *path, const char *format, const char *job_type,
                         const char *states, gs_err *err)
{
    loader ld;
    size_t i;
    int rc;

    memset(t, 0, sizeof(*t));
    memset(&ld, 0, sizeof(ld));
    if ((rc = gs_trace_format_check(format, err)) != GS_OK)
        return rc;
    ld.want = format && !strcmp(format, "acme") ? 1 : format && !strcmp(format, "sia") ? 2 : 0;
    ld.default_type = job_type == NULL;
    ld.t = t;
    ld.path = path;
    t->path = gs__strdup(path);
    t->job_type = gs__strdup(job_type ? job_type : "SFT");
    t->states = gs__strdup(states ? states : "all");
    t->arena = gs__arena_new();
    if (!t->path || !t->job_type || !t->states || !t->arena) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    rc = parse_states(states, &ld.keep_end, err);
    if (rc == GS_OK)
        rc = parse_filter(&ld, job_type, err);
    if (rc == GS_OK)
        rc = gs__csv_read(path, on_row, &ld, err);
    if (rc != GS_OK)
        goto fail;
    if (!ld.header_done) {
        rc = gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty file (no header)", path);
        goto fail;
    }
    if (t->njobs == 0) {
        rc = gs_errorf(err, GS_EINVAL,
                       "trace '%s': no job matches type '%s' and states '%s' with gpu_num > 0 "
                       "(%ld rows read, %ld of other types, %ld with 0 GPUs, %ld without "
                       "duration, %ld of other states)",
                       path, t->job_type, states ? states : "all", t->stats.rows,
                       t->stats.skipped_type, t->stats.skipped_zero_gpu,
                       t->stats.skipped_no_duration, t->stats.skipped_state);
        goto fail;
    }
    qsort(t->jobs, t->njobs, sizeof(*t->jobs), by_submit);
    t->t0_epoch = t->jobs[0].submit_epoch;
    for (i = 0; i < t->njobs; i++)
        t->jobs[i].submit = t->jobs[i].submit_epoch - t->t0_epoch;
    for (i = 0; i < ld.ntypes; i++)
        free(ld.types[i]);
    free(ld.types);
    return GS_OK;
fail:
    for (i = 0; i < ld.ntypes; i++)
        free(ld.types[i]);
    free(ld.types);
    gs_trace_release(t);
    return rc;
}

void gs_trace_release(gs_trace *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->job_type);
    free(t->states);
    free(t->jobs);
    gs__arena_free(t->arena);
    memset(t, 0, sizeof(*t));
}
