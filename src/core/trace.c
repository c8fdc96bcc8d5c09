/* SPDX-License-Identifier: Apache-2.0 */
/* Trace loading shared by every format: timestamps, format detection and dispatch, the job
 * builder (filters, skips, copies) and CSV columns by name. The formats: trace_acme.c,
 * trace_helios.c, trace_philly.c, trace_pai.c. */
#include "gpusim/trace.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arena_int.h"
#include "gpusim/limits.h"
#include "trace_int.h"
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

/* gs_parse_timestamp, telling also whether an ISO timestamp carried an offset (*has_offset 1),
 * was naive (0: read as UTC), or was a plain number of seconds (-1). */
static int parse_ts(const char *s, size_t len, double *epoch, int *offset_min, int *has_offset);

int gs_parse_timestamp(const char *s, size_t len, double *epoch, int *offset_min)
{
    int has;

    return parse_ts(s, len, epoch, offset_min, &has);
}

static int parse_ts(const char *s, size_t len, double *epoch, int *offset_min, int *has_offset)
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
        *has_offset = -1;
        return 0;
    }
    *has_offset = 0;
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
        *has_offset = 1;
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
    int64_t days, secs, y;
    unsigned m, d;
    int off = offset_min < 0 ? -offset_min : offset_min;

    /* years 0000..9999 fit the fixed format; anything else (or a bad offset) is no timestamp */
    if (!(epoch >= -62167219200.0 && epoch < 253402300800.0) || off > 1439) {
        snprintf(buf, size, "invalid");
        return;
    }
    days = (int64_t)floor(local / 86400.0);
    secs = (int64_t)(local - (double)days * 86400.0);
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02u %02d:%02d:%02d%c%02d:%02d", (long long)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
             offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* ---- the formats ---- */

static const gs__trace_format *const formats[] = {
    &gs__trace_acme, &gs__trace_helios, &gs__trace_philly, &gs__trace_pai, &gs__trace_sia};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

size_t gs_trace_format_count(void)
{
    return NFORMATS;
}

const char *gs_trace_format_name(size_t i)
{
    return i < NFORMATS ? formats[i]->name : NULL;
}

const char *gs_trace_format_summary(size_t i)
{
    return i < NFORMATS ? formats[i]->summary : NULL;
}

/* ---- detection ---- */

int gs__trace_head_has(const gs__trace_head *h, const char *name)
{
    size_t i, n = strlen(name);

    for (i = 0; i < h->nf; i++) {
        const char *s = h->f[i].s;
        size_t len = h->f[i].len;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
        if (len == n && !memcmp(s, name, n))
            return 1;
    }
    return 0;
}

typedef struct first_rec {
    gs__csv_field *f;
    size_t nf;
    gs__buf text;
} first_rec;

static int keep_first(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    first_rec *fr = ctx;
    size_t i, *off;

    (void)line;
    if (fr->f)
        return GS_OK; /* only the first record */
    off = malloc((n ? n : 1) * sizeof(*off));
    fr->f = calloc(n ? n : 1, sizeof(*fr->f));
    if (!off || !fr->f) {
        free(off);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        off[i] = fr->text.len;
        if (gs__buf_append(&fr->text, f[i].s, f[i].len) != GS_OK ||
            gs__buf_append(&fr->text, "", 1) != GS_OK) {
            free(off);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
    }
    for (i = 0; i < n; i++) {
        fr->f[i].s = fr->text.data + off[i];
        fr->f[i].len = f[i].len;
    }
    fr->nf = n;
    free(off);
    return GS_OK;
}

#define HEAD_BYTES 65536

/* Picks the format of path. *why receives the phrase of the winner. */
static int detect(const char *path, const gs__trace_format **out, const char **why, gs_err *err)
{
    struct stat sb;
    gs__trace_head h;
    first_rec fr;
    char *buf = NULL;
    size_t i, n = 0;
    int best = 0, rc = GS_OK;

    memset(&h, 0, sizeof(h));
    memset(&fr, 0, sizeof(fr));
    h.path = path;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        h.is_dir = 1;
        h.bytes = "";
    } else {
        FILE *fp = fopen(path, "rb");
        if (!fp)
            return gs_errorf(err, GS_EIO, "cannot open trace '%s': %s", path, strerror(errno));
        buf = malloc(HEAD_BYTES + 1);
        if (!buf) {
            fclose(fp);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        n = fread(buf, 1, HEAD_BYTES, fp);
        fclose(fp);
        buf[n] = '\0';
        h.bytes = buf;
        if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
            h.bytes += 3;
        while (*h.bytes == ' ' || *h.bytes == '\t' || *h.bytes == '\r' || *h.bytes == '\n')
            h.bytes++;
        h.len = n - (size_t)(h.bytes - buf);
        if (h.len == 0) {
            free(buf);
            return gs_errorf(err, GS_EPARSE, "trace '%s' line 1: empty file (no header)", path);
        }
        h.json = h.bytes[0] == '[' || h.bytes[0] == '{';
        if (!h.json) {
            /* the first record, up to its line end (a header has no quoted newline) */
            const char *nl = memchr(h.bytes, '\n', h.len);
            size_t line = nl ? (size_t)(nl - h.bytes) : h.len; /* a NUL byte in it is an error */
            rc = gs__csv_read_mem(path, h.bytes, line, keep_first, &fr, err);
            if (rc < 0) {
                free(fr.f);
                gs__buf_release(&fr.text);
                free(buf);
                return rc;
            }
            h.f = fr.f;
            h.nf = fr.nf;
        }
    }
    *out = NULL;
    for (i = 0; i < NFORMATS; i++) {
        const char *w = NULL;
        int score = formats[i]->detect(&h, &w);
        if (score > best) {
            best = score;
            *out = formats[i];
            *why = w;
        }
    }
    if (!*out) {
        if (h.is_dir)
            rc = gs_errorf(err, GS_EINVAL,
                           "trace '%s': a folder, but without pai_job_table.csv (only PAI traces "
                           "are read from a folder)",
                           path);
        else if (gs__trace_head_has(&h, "task_name") && gs__trace_head_has(&h, "plan_gpu"))
            rc = gs_errorf(err, GS_EINVAL,
                           "trace '%s' line 1: a PAI task table; pass the job table "
                           "(pai_job_table.csv) as the trace and this file with --task-table",
                           path);
        else
            rc = gs_errorf(err, GS_EINVAL,
                           "trace '%s' line 1: cannot tell its format from the first record "
                           "'%.60s'; pass --format (acme, helios, philly, pai or sia)",
                           path, h.nf ? fr.text.data : h.bytes);
    }
    free(fr.f);
    gs__buf_release(&fr.text);
    free(buf);
    return rc;
}

/* ---- end states ---- */

const char *gs_trace_end_name(int end)
{
    static const char *const names[GS_END_COUNT] = {"COMPLETED", "FAILED", "CANCELLED"};

    return end >= 0 && end < GS_END_COUNT ? names[end] : "?";
}

/* The end of a state value (blank: completed); -1 when unknown. */
int gs__trace_end_of_state(const char *s, size_t len)
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

/* ---- the builder ---- */

int gs__trace_wants(const gs__trace_ctx *cx, const char *s, size_t len)
{
    size_t i;

    if (cx->all_types)
        return 1;
    for (i = 0; i < cx->ntypes; i++)
        if (strlen(cx->types[i]) == len && !memcmp(cx->types[i], s, len))
            return 1;
    return 0;
}

static const char *copy_str(gs__trace_ctx *cx, const char *s)
{
    return gs__arena_strndup(cx->t->arena, s ? s : "", s ? strlen(s) : 0);
}

int gs__trace_push(gs__trace_ctx *cx, const gs__trace_rec *r, gs_err *err)
{
    gs_trace *t = cx->t;
    gs_trace_job *j;

    t->stats.rows++;
    if (r->tz == GS__TZ_NAIVE && !cx->naive_line)
        cx->naive_line = r->line;
    if (r->tz == GS__TZ_OFFSET && !cx->offset_line)
        cx->offset_line = r->line;
    if (cx->naive_line && cx->offset_line)
        return gs_errorf(err, GS_EPARSE,
                         "trace '%s' line %ld: column 'submit_time': timestamps without a UTC "
                         "offset (line %ld) mixed with timestamps with one (line %ld): the "
                         "naive ones would be read as UTC and shift; give every row its offset",
                         t->path, r->line, cx->naive_line, cx->offset_line);
    if (!gs__trace_wants(cx, r->type ? r->type : "", r->type ? strlen(r->type) : 0)) {
        t->stats.skipped_type++;
        return GS_OK;
    }
    if (!(r->gpus > 0)) {
        t->stats.skipped_zero_gpu++;
        return GS_OK;
    }
    if (r->duration < 0) {
        t->stats.skipped_no_duration++;
        return GS_OK;
    }
    if (r->end < 0 || r->end >= GS_END_COUNT || !(cx->keep_end >> r->end & 1u)) {
        t->stats.skipped_state++;
        return GS_OK;
    }
    /* every format's numbers within their ranges (formats check their own columns first, with
     * the column's name; this is the backstop) */
    if (!(r->submit_epoch >= GS_EPOCH_MIN && r->submit_epoch <= GS_EPOCH_MAX))
        return gs_errorf(err, GS_EPARSE,
                         "trace '%s' line %ld: submit time %g out of range (1970-01-01 to "
                         "2100-01-01 UTC: 0 to 4102444800 s since 1970)",
                         t->path, r->line, r->submit_epoch);
    if (!(r->duration <= GS_TIME_MAX))
        return gs_errorf(err, GS_EPARSE,
                         "trace '%s' line %ld: duration %g s out of range [0, 315576000] (ten "
                         "years)",
                         t->path, r->line, r->duration);
    if (!(r->queue <= GS_TIME_MAX))
        return gs_errorf(err, GS_EPARSE,
                         "trace '%s' line %ld: queueing time %g s out of range [0, 315576000] (ten "
                         "years)",
                         t->path, r->line, r->queue);
    if (!(r->gpus <= GS_MAX_GPUS))
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: %g GPUs out of range [0, 1000000]",
                         t->path, r->line, r->gpus);
    if (GS_GROW(t->jobs, cx->cap, t->njobs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory loading trace '%s'", t->path);
    j = &t->jobs[t->njobs];
    memset(j, 0, sizeof(*j));
    j->line = r->line;
    j->submit_epoch = r->submit_epoch;
    j->utc_offset_min = r->utc_offset_min;
    j->duration = r->duration;
    j->queue = r->queue >= 0 ? r->queue : -1;
    j->gpu_request = r->gpus;
    j->gpu_num = (int)ceil(r->gpus - 1e-9);
    if (j->gpu_num < 1)
        j->gpu_num = 1;
    if ((double)j->gpu_num != r->gpus)
        t->stats.fractional++;
    j->node_num = r->node_num;
    j->cpu_num = r->cpu_num;
    j->end = r->end;
    j->batch = r->batch;
    if (!(j->id = copy_str(cx, r->id)) || !(j->user = copy_str(cx, r->user)) ||
        !(j->type = copy_str(cx, r->type)) || !(j->state = copy_str(cx, r->state)) ||
        !(j->cls = copy_str(cx, r->cls)))
        return gs_errorf(err, GS_ENOMEM, "out of memory loading trace '%s'", t->path);
    t->njobs++;
    t->stats.kept++;
    return GS_OK;
}

/* ---- CSV columns by name ---- */

int gs__tcols_map(gs__tcols *c, const char *const *names, int n, const gs__csv_field *f, size_t nf,
                  const char *file, long line, gs_err *err)
{
    size_t i;
    int k;

    c->names = names;
    c->n = n;
    for (k = 0; k < n; k++)
        c->idx[k] = -1;
    if (nf == 1 && f[0].len == 0)
        return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: empty header", file, line);
    for (i = 0; i < nf; i++) {
        const char *s = f[i].s;
        size_t len = f[i].len;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
        for (k = 0; k < n; k++) {
            if (strlen(names[k]) != len || memcmp(names[k], s, len))
                continue;
            if (c->idx[k] >= 0)
                return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: column '%s' appears twice",
                                 file, line, names[k]);
            c->idx[k] = (int)i;
        }
    }
    c->nfields = nf;
    return GS_OK;
}

int gs__tcols_need(const gs__tcols *c, int col, const char *file, long line, gs_err *err)
{
    if (c->idx[col] >= 0)
        return GS_OK;
    return gs_errorf(err, GS_EINVAL, "trace '%s' line %ld: missing required column '%s'", file,
                     line, c->names[col]);
}

const gs__csv_field *gs__tcol(const gs__tcols *c, const gs__csv_field *row, int col)
{
    return c->idx[col] >= 0 ? &row[c->idx[col]] : NULL;
}

int gs__tfield_blank(const gs__csv_field *f)
{
    size_t i;

    if (!f)
        return 1;
    for (i = 0; i < f->len; i++)
        if (f->s[i] != ' ' && f->s[i] != '\t' && f->s[i] != '\r')
            return 0;
    return 1;
}

int gs__tfield_err(const gs__tcols *c, int col, const gs__csv_field *f, const char *file, long line,
                   const char *what, gs_err *err)
{
    return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: column '%s': %s '%.*s'", file, line,
                     c->names[col], what, f ? (int)(f->len > 60 ? 60 : f->len) : 0, f ? f->s : "");
}

int gs__tfield_num(const gs__tcols *c, const gs__csv_field *row, int col, double lo, double hi,
                   double *out, int *blank, const char *file, long line, gs_err *err)
{
    const gs__csv_field *f = gs__tcol(c, row, col);
    double v;
    char what[96];

    if (blank)
        *blank = 0;
    if (gs__tfield_blank(f)) {
        if (blank) {
            *blank = 1;
            return GS_OK;
        }
        return gs__tfield_err(c, col, f, file, line, "empty value", err);
    }
    if (gs__parse_double(f->s, f->len, &v) != 0 || !isfinite(v))
        return gs__tfield_err(c, col, f, file, line, "expected a number, got", err);
    if (!(v >= lo && v <= hi)) {
        snprintf(what, sizeof(what), "out of range [%g, %g]:", lo, hi);
        return gs__tfield_err(c, col, f, file, line, what, err);
    }
    *out = v;
    return GS_OK;
}

int gs__tfield_time(const gs__tcols *c, const gs__csv_field *row, int col, double *epoch,
                    int *offset_min, int *blank, const char *file, long line, gs_err *err)
{
    return gs__tfield_time_tz(c, row, col, epoch, offset_min, NULL, blank, file, line, err);
}

int gs__tfield_time_tz(const gs__tcols *c, const gs__csv_field *row, int col, double *epoch,
                       int *offset_min, int *tz, int *blank, const char *file, long line,
                       gs_err *err)
{
    const gs__csv_field *f = gs__tcol(c, row, col);
    int has_offset;

    if (tz)
        *tz = 0;
    if (blank)
        *blank = 0;
    if (gs__tfield_blank(f)) {
        if (blank) {
            *blank = 1;
            return GS_OK;
        }
        return gs__tfield_err(c, col, f, file, line, "empty timestamp", err);
    }
    if (parse_ts(f->s, f->len, epoch, offset_min, &has_offset) != 0)
        return gs__tfield_err(c, col, f, file, line,
                              "malformed timestamp (expected YYYY-MM-DD hh:mm:ss+hh:mm), got", err);
    if (!(*epoch >= GS_EPOCH_MIN && *epoch <= GS_EPOCH_MAX))
        return gs__tfield_err(c, col, f, file, line,
                              "time out of range (1970-01-01 to 2100-01-01 UTC, or as seconds "
                              "since 1970: 0 to 4102444800), got",
                              err);
    if (tz)
        *tz = has_offset == 0 ? GS__TZ_NAIVE : has_offset == 1 ? GS__TZ_OFFSET : 0;
    return GS_OK;
}

/* ---- loading ---- */

static int by_submit(const void *a, const void *b)
{
    const gs_trace_job *x = a, *y = b;

    if (x->submit_epoch != y->submit_epoch)
        return x->submit_epoch < y->submit_epoch ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int parse_filter(gs__trace_ctx *cx, const char *job_type, gs_err *err)
{
    const char *p = job_type;

    if (!strcmp(p, "all")) {
        cx->all_types = 1;
        return GS_OK;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 0)
            return gs_errorf(err, GS_EINVAL, "empty job type in '%s'", job_type);
        if (GS_GROW(cx->types, cx->captypes, cx->ntypes + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        cx->types[cx->ntypes] = malloc(n + 1);
        if (!cx->types[cx->ntypes])
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        memcpy(cx->types[cx->ntypes], p, n);
        cx->types[cx->ntypes++][n] = '\0';
        p += n;
        if (*p == ',')
            p++;
    }
    if (cx->ntypes == 0)
        return gs_errorf(err, GS_EINVAL, "empty job type filter");
    return GS_OK;
}

void gs_trace_opts_init(gs_trace_opts *o)
{
    memset(o, 0, sizeof(*o));
}

int gs_trace_load_opts(gs_trace *t, const char *path, const gs_trace_opts *o, gs_err *err)
{
    gs_trace_opts def;
    gs__trace_ctx cx;
    const gs__trace_format *fmt = NULL;
    const char *why = NULL, *filter;
    size_t i;
    int rc;

    if (!o) {
        gs_trace_opts_init(&def);
        o = &def;
    }
    memset(t, 0, sizeof(*t));
    memset(&cx, 0, sizeof(cx));
    cx.t = t;
    if (o->format && strcmp(o->format, "auto") != 0) {
        for (i = 0; i < NFORMATS; i++)
            if (!strcmp(formats[i]->name, o->format))
                fmt = formats[i];
        if (!fmt)
            return gs_errorf(err, GS_EINVAL,
                             "unknown trace format '%s' (auto, acme, helios, philly, pai or sia)",
                             o->format);
    } else if ((rc = detect(path, &fmt, &why, err)) != GS_OK) {
        return rc;
    }
    filter = o->job_type ? o->job_type : fmt->default_filter;
    t->path = gs__strdup(path);
    t->job_type = gs__strdup(filter);
    t->states = gs__strdup(o->states ? o->states : "all");
    t->arena = gs__arena_new();
    t->format = fmt->name;
    t->schema = fmt->name;
    if (why)
        t->detected = gs__strdup(why);
    if (!t->path || !t->job_type || !t->states || !t->arena || (why && !t->detected)) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = parse_states(o->states, &cx.keep_end, err)) != GS_OK ||
        (rc = parse_filter(&cx, filter, err)) != GS_OK)
        goto fail;
    if (!fmt->has_types && !cx.all_types) {
        rc = gs_errorf(err, GS_EINVAL,
                       "trace '%s' (format %s) has no job types: the job-type filter must be "
                       "'all', got '%s'",
                       path, fmt->name, filter);
        goto fail;
    }
    if ((rc = fmt->load(&cx, path, o, err)) != GS_OK)
        goto fail;
    if (t->njobs == 0) {
        rc = gs_errorf(err, GS_EINVAL,
                       "trace '%s': no job matches type '%s' and states '%s' with GPUs (%ld "
                       "records read, %ld of other types, %ld with 0 GPUs, %ld without "
                       "duration, %ld of other states%s)",
                       path, filter, t->states, t->stats.rows, t->stats.skipped_type,
                       t->stats.skipped_zero_gpu, t->stats.skipped_no_duration,
                       t->stats.skipped_state,
                       t->stats.skipped_no_tasks ? ", some without tasks" : "");
        goto fail;
    }
    qsort(t->jobs, t->njobs, sizeof(*t->jobs), by_submit);
    t->t0_epoch = t->jobs[0].submit_epoch;
    for (i = 0; i < t->njobs; i++)
        t->jobs[i].submit = t->jobs[i].submit_epoch - t->t0_epoch;
    if (t->jobs[t->njobs - 1].submit > GS_TIME_MAX) {
        rc = gs_errorf(err, GS_EINVAL,
                       "trace '%s' line %ld: column 'submit_time': the trace spans %.0f s from its "
                       "first submission (line %ld), more than ten years (315576000 s)",
                       path, t->jobs[t->njobs - 1].line, t->jobs[t->njobs - 1].submit,
                       t->jobs[0].line);
        goto fail;
    }
    rc = GS_OK;
    goto out;
fail:
    gs_trace_release(t);
out:
    for (i = 0; i < cx.ntypes; i++)
        free(cx.types[i]);
    free(cx.types);
    return rc;
}

int gs_trace_load(gs_trace *t, const char *path, const char *job_type, gs_err *err)
{
    return gs_trace_load_states(t, path, job_type, NULL, err);
}

int gs_trace_load_states(gs_trace *t, const char *path, const char *job_type, const char *states,
                         gs_err *err)
{
    gs_trace_opts o;

    gs_trace_opts_init(&o);
    o.job_type = job_type;
    o.states = states;
    return gs_trace_load_opts(t, path, &o, err);
}

void gs_trace_release(gs_trace *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->aux_path);
    free(t->job_type);
    free(t->detected);
    free(t->states);
    free(t->jobs);
    gs__arena_free(t->arena);
    memset(t, 0, sizeof(*t));
}
