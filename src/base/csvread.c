/* SPDX-License-Identifier: Apache-2.0 */
/* CSV records with line numbers, on top of libcsv. */
#include "csv_int.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_int.h"

typedef struct reader {
    const char *name;
    gs__csv_row_fn fn;
    void *ctx;
    gs_err *err;
    int rc;
    long line;     /* physical line being fed */
    long rec_line; /* line where the current record started */
    int in_record;
    size_t rec_bytes; /* bytes fed since the current record started */
    gs__buf text;     /* field bytes of the current record, NUL-separated */
    size_t *offs;     /* start offset of each field in text */
    size_t *lens;
    size_t nf, cap;
    gs__csv_field *fields;
    size_t capfields;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;

    if (r->rc < 0)
        return;
    if (!r->in_record) {
        r->in_record = 1;
        r->text.len = 0;
        r->nf = 0;
    }
    if (len > GS_CSV_MAX_FIELD) {
        r->rc = gs_errorf(r->err, GS_EPARSE,
                          "'%s' line %ld: field %zu is longer than the limit of %u bytes", r->name,
                          r->rec_line, r->nf + 1, GS_CSV_MAX_FIELD);
        return;
    }
    if (r->nf >= GS_CSV_MAX_FIELDS) {
        r->rc = gs_errorf(r->err, GS_EPARSE, "'%s' line %ld: more than %d fields", r->name,
                          r->rec_line, GS_CSV_MAX_FIELDS);
        return;
    }
    if (r->nf == r->cap) { /* offs and lens share one capacity */
        size_t cap = gs__grow_cap(r->cap, r->nf + 1);
        if (GS_RESIZE(r->offs, cap) != GS_OK || GS_RESIZE(r->lens, cap) != GS_OK) {
            r->rc = gs_errorf(r->err, GS_ENOMEM, "out of memory reading '%s'", r->name);
            return;
        }
        r->cap = cap;
    }
    r->offs[r->nf] = r->text.len;
    r->lens[r->nf] = len;
    if (gs__buf_append(&r->text, s ? s : "", s ? len : 0) != GS_OK ||
        gs__buf_append(&r->text, "", 1) != GS_OK) {
        r->rc = gs_errorf(r->err, GS_ENOMEM, "out of memory reading '%s'", r->name);
        return;
    }
    r->nf++;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    gs__csv_field *f;
    size_t i;

    (void)c;
    if (r->rc < 0)
        return;
    if (!r->in_record) /* a record with no field at all */
        on_field(NULL, 0, r);
    r->in_record = 0;
    if (GS_GROW(r->fields, r->capfields, r->nf) != GS_OK) {
        r->rc = gs_errorf(r->err, GS_ENOMEM, "out of memory reading '%s'", r->name);
        return;
    }
    f = r->fields;
    for (i = 0; i < r->nf; i++) {
        f[i].s = r->text.data + r->offs[i];
        f[i].len = r->lens[i];
    }
    r->rc = r->fn(r->ctx, f, r->nf, r->rec_line, r->err);
    if (r->rc > 0)
        r->rc = 0;
}

static int feed(reader *r, struct csv_parser *p, const char *data, size_t len)
{
    /* feed one physical line at a time so that records know their line */
    while (len > 0 && r->rc >= 0) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) + 1 : len;
        /* a line fed while no row is under way starts the next record (libcsv's state is part
         * of its public struct; 0 = row not begun) */
        if (p->pstate == 0 && !r->in_record) {
            r->rec_line = r->line;
            r->rec_bytes = 0;
        }
        r->rec_bytes += n;
        if (memchr(data, '\0', n))
            return r->rc = gs_errorf(r->err, GS_EPARSE, "'%s' line %ld: NUL byte in the file",
                                     r->name, r->line);
        if (r->rec_bytes > GS_CSV_MAX_RECORD)
            return r->rc = gs_errorf(r->err, GS_EPARSE,
                                     "'%s' line %ld: a record longer than the limit of %u bytes",
                                     r->name, r->rec_line, GS_CSV_MAX_RECORD);
        if (csv_parse(p, data, n, on_field, on_record, r) != n) {
            if (r->rc < 0)
                return r->rc;
            return gs_errorf(r->err, GS_EPARSE, "'%s' line %ld: malformed CSV (%s)", r->name,
                             r->rec_line, csv_strerror(csv_error(p)));
        }
        if (nl)
            r->line++;
        data += n;
        len -= n;
    }
    return r->rc;
}

static int finish(reader *r, struct csv_parser *p)
{
    if (r->rc >= 0 && csv_fini(p, on_field, on_record, r) != 0 && r->rc >= 0)
        r->rc = gs_errorf(r->err, GS_EPARSE, "'%s' line %ld: unterminated quoted field", r->name,
                          r->rec_line);
    csv_free(p);
    gs__buf_release(&r->text);
    free(r->offs);
    free(r->lens);
    free(r->fields);
    return r->rc < 0 ? r->rc : GS_OK;
}

static int start(reader *r, struct csv_parser *p, const char *name, gs__csv_row_fn fn, void *ctx,
                 gs_err *err)
{
    memset(r, 0, sizeof(*r));
    r->name = name;
    r->fn = fn;
    r->ctx = ctx;
    r->err = err;
    r->line = 1;
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", name);
    /* libcsv grows its field buffer by this much at a time (128 bytes by default): a field as
     * long as the record limit then takes a few reallocations, not thousands */
    csv_set_blk_size(p, 1u << 16);
    return GS_OK;
}

static const char *memrchr_compat(const char *s, int c, size_t n)
{
    while (n-- > 0)
        if (s[n] == (char)c)
            return s + n;
    return NULL;
}

static size_t bom(const char *data, size_t len)
{
    return len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

int gs__csv_read_mem(const char *name, const char *data, size_t len, gs__csv_row_fn fn, void *ctx,
                     gs_err *err)
{
    struct csv_parser p;
    reader r;
    size_t skip = bom(data, len);

    if (start(&r, &p, name, fn, ctx, err) != GS_OK)
        return GS_ENOMEM;
    feed(&r, &p, data + skip, len - skip);
    return finish(&r, &p);
}

int gs__csv_read(const char *path, gs__csv_row_fn fn, void *ctx, gs_err *err)
{
    struct csv_parser p;
    reader r;
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t n, carry = 0;
    const size_t cap = 1 << 16; /* lines longer than this are fed in pieces */
    int first = 1;

    if (!fp)
        return gs_errorf(err, GS_EIO, "cannot open '%s': %s", path, strerror(errno));
    buf = malloc(cap);
    if (!buf || start(&r, &p, path, fn, ctx, err) != GS_OK) {
        fclose(fp);
        free(buf);
        return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", path);
    }
    while ((n = fread(buf + carry, 1, cap - carry, fp)) > 0) {
        const char *data = buf;
        size_t len = carry + n, whole;
        const char *last_nl;
        if (first) {
            size_t skip = bom(buf, len);
            data += skip;
            len -= skip;
            first = 0;
        }
        /* feed whole lines only; keep the tail for the next read */
        last_nl = len ? memrchr_compat(data, '\n', len) : NULL;
        whole = last_nl ? (size_t)(last_nl - data) + 1 : (len == cap ? len : 0);
        if (feed(&r, &p, data, whole) < 0)
            break;
        carry = len - whole;
        memmove(buf, data + whole, carry);
    }
    if (r.rc >= 0 && ferror(fp))
        r.rc = gs_errorf(err, GS_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (r.rc >= 0 && carry)
        feed(&r, &p, buf, carry);
    fclose(fp);
    free(buf);
    return finish(&r, &p);
}

void gs__csv_put(const char *s, void *fp)
{
    if (strpbrk(s, ",\"\n\r"))
        csv_fwrite(fp, s, strlen(s));
    else
        fputs(s, fp);
}
