/* SPDX-License-Identifier: Apache-2.0 */
/* Scaling DB in and out: the committed JSON layout, CSV export, and import of measured
 * throughputs into a DB. */
#include "scaledb_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_int.h"
#include "gpusim/io.h"
#include "json_int.h"
#include "util_int.h"

/* ---- printing ---- */

static int put_indented(gs__buf *b, const char *text)
{
    const char *p;

    for (p = text; *p; p++) {
        if (gs__buf_append(b, p, 1) != GS_OK)
            return -1;
        if (*p == '\n' && gs__buf_append(b, "\t", 1) != GS_OK)
            return -1;
    }
    return 0;
}

static int put_printed(gs__buf *b, char *text, int indent)
{
    int rc;

    if (!text)
        return -1;
    rc = indent ? put_indented(b, text) : gs__buf_append(b, text, strlen(text));
    free(text);
    return rc;
}

char *gs__scaledb_print(const cJSON *root)
{
    gs__buf b = {0};
    const cJSON *it;

    if (gs__buf_append(&b, "{\n", 2) != GS_OK)
        return NULL;
    for (it = root->child; it; it = it->next) {
        cJSON *key = cJSON_CreateStringReference(it->string ? it->string : "");
        if (!key || gs__buf_append(&b, "\t", 1) != GS_OK ||
            put_printed(&b, cJSON_PrintUnformatted(key), 0) != GS_OK ||
            gs__buf_append(&b, ":\t", 2) != GS_OK) {
            cJSON_Delete(key);
            goto oom;
        }
        cJSON_Delete(key);
        if (it->string && !strcmp(it->string, "entries") && cJSON_IsArray(it) && it->child) {
            const cJSON *e;
            if (gs__buf_append(&b, "[\n", 2) != GS_OK)
                goto oom;
            for (e = it->child; e; e = e->next)
                if (gs__buf_append(&b, "\t\t", 2) != GS_OK ||
                    put_printed(&b, cJSON_PrintUnformatted(e), 0) != GS_OK ||
                    gs__buf_append(&b, e->next ? ",\n" : "\n", e->next ? 2 : 1) != GS_OK)
                    goto oom;
            if (gs__buf_append(&b, "\t]", 2) != GS_OK)
                goto oom;
        } else if (put_printed(&b, cJSON_Print(it), 1) != GS_OK) {
            goto oom;
        }
        if (gs__buf_append(&b, it->next ? ",\n" : "\n", it->next ? 2 : 1) != GS_OK)
            goto oom;
    }
    if (gs__buf_append(&b, "}\n", 2) != GS_OK || gs__json_oom()) /* or a tree built short */
        goto oom;
    return b.data;
oom:
    gs__buf_release(&b);
    return NULL;
}

/* Shortest "%.15g" / "%.17g" form that reads back as v (as cJSON prints numbers). */
static void fmt_exact(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

int gs_scaledb_export_csv(const gs_scaledb *db, FILE *fp, gs_err *err)
{
    size_t n, i;
    const gs_scaledb_entry *e = gs_scaledb_entries(db, &n);

    fputs("class,gpu_type,gpus,nodes,throughput,viable\n", fp);
    for (i = 0; i < n; i++) {
        char thr[40];
        fmt_exact(thr, sizeof(thr), e[i].throughput);
        gs__csv_put(gs_scaledb_class_name(db, e[i].cls), fp);
        fputc(',', fp);
        gs__csv_put(gs_scaledb_type_name(db, e[i].type), fp);
        fprintf(fp, ",%d,%d,%s,%s\n", e[i].gpus, e[i].nodes, thr, e[i].viable ? "true" : "false");
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write the exported scaling DB");
    return GS_OK;
}

/* ---- import ---- */

enum icol { I_CLASS, I_TYPE, I_GPUS, I_NODES, I_THR, I_VIABLE, I_NOTE, I_COUNT };
static const char *const icol_names[I_COUNT] = {"class",      "gpu_type", "gpus", "nodes",
                                                "throughput", "viable",   "note"};

typedef struct irow {
    int cls, type, gpus, nodes;
    double thr;
    int viable;
    long line;
    char *note;
} irow;

typedef struct importer {
    const char *path;
    const gs_scaledb *base;
    int col[I_COUNT];
    size_t ncols;
    int header_done;
    irow *rows;
    size_t nrows, cap;
} importer;

static int ifield_err(const importer *im, long line, int c, const gs__csv_field *f,
                      const char *what, gs_err *err)
{
    return gs_errorf(err, GS_EPARSE, "profile '%s' line %ld: column '%s': %s '%.*s'", im->path,
                     line, icol_names[c], what, (int)(f->len > 60 ? 60 : f->len), f->s);
}

static int on_header(importer *im, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    size_t i;
    int c;

    for (c = 0; c < I_COUNT; c++)
        im->col[c] = -1;
    for (i = 0; i < n; i++) {
        for (c = 0; c < I_COUNT; c++)
            if (!strcmp(f[i].s, icol_names[c]))
                break;
        if (c == I_COUNT)
            return gs_errorf(err, GS_EPARSE,
                             "profile '%s' line %ld: unknown column '%.60s' (expected "
                             "class,gpu_type,gpus,nodes,throughput,viable[,note])",
                             im->path, line, f[i].s);
        if (im->col[c] >= 0)
            return gs_errorf(err, GS_EPARSE, "profile '%s' line %ld: column '%s' appears twice",
                             im->path, line, icol_names[c]);
        im->col[c] = (int)i;
    }
    for (c = 0; c < I_COUNT; c++)
        if (im->col[c] < 0 && c != I_NODES && c != I_NOTE)
            return gs_errorf(err, GS_EPARSE, "profile '%s' line %ld: missing required column '%s'",
                             im->path, line, icol_names[c]);
    im->ncols = n;
    im->header_done = 1;
    return GS_OK;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no"};
    size_t i;

    for (i = 0; i < 3; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = 1;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static int on_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    importer *im = ctx;
    const gs_scaledb *db = im->base;
    irow r;
    int64_t v;
    const gs__csv_field *x;

    if (!im->header_done)
        return on_header(im, f, n, line, err);
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    if (n != im->ncols)
        return gs_errorf(err, GS_EPARSE, "profile '%s' line %ld: expected %zu fields, found %zu",
                         im->path, line, im->ncols, n);
    memset(&r, 0, sizeof(r));
    r.line = line;
    x = &f[im->col[I_CLASS]];
    if ((r.cls = gs_scaledb_class_find(db, x->s)) < 0)
        return ifield_err(
            im, line, I_CLASS, x,
            "workload class not in the base DB (add it to its 'classes' first):", err);
    x = &f[im->col[I_TYPE]];
    if ((r.type = gs_scaledb_type_find(db, x->s)) < 0)
        return ifield_err(im, line, I_TYPE, x,
                          "GPU type not in the base DB (add it to its 'gpu_types' first):", err);
    x = &f[im->col[I_GPUS]];
    if (gs__parse_int64(x->s, x->len, &v) != 0 || v < 1 || v > 1000000)
        return ifield_err(im, line, I_GPUS, x, "expected a GPU count >= 1, got", err);
    r.gpus = (int)v;
    r.nodes = (r.gpus + gs_scaledb_type_gpus_per_node(db, r.type) - 1) /
              gs_scaledb_type_gpus_per_node(db, r.type);
    if (im->col[I_NODES] >= 0 && f[im->col[I_NODES]].len > 0) {
        x = &f[im->col[I_NODES]];
        if (gs__parse_int64(x->s, x->len, &v) != 0 || v < 1 || v > r.gpus)
            return ifield_err(im, line, I_NODES, x, "expected a node count in [1, gpus], got", err);
        r.nodes = (int)v;
    }
    x = &f[im->col[I_THR]];
    if (gs__parse_double(x->s, x->len, &r.thr) != 0 || !(r.thr >= 0) ||
        r.thr > GS_SCALEDB_THR_MAX || (r.thr > 0 && r.thr < GS_SCALEDB_THR_MIN))
        return ifield_err(im, line, I_THR, x, "expected a throughput of 0 or in [1e-6, 1e15], got",
                          err);
    x = &f[im->col[I_VIABLE]];
    if (parse_bool(x->s, &r.viable) != 0)
        return ifield_err(im, line, I_VIABLE, x, "expected true or false, got", err);
    if (r.viable && !(r.thr > 0))
        return ifield_err(im, line, I_THR, &f[im->col[I_THR]],
                          "a viable configuration needs a throughput > 0, got", err);
    if (im->col[I_NOTE] >= 0 && f[im->col[I_NOTE]].len > 0 &&
        !(r.note = gs__strdup(f[im->col[I_NOTE]].s)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (GS_GROW(im->rows, im->cap, im->nrows + 1) != GS_OK) {
        free(r.note);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    im->rows[im->nrows++] = r;
    return GS_OK;
}

static int cmp_key(int c1, int t1, int g1, int n1, int c2, int t2, int g2, int n2)
{
    if (c1 != c2)
        return c1 < c2 ? -1 : 1;
    if (t1 != t2)
        return t1 < t2 ? -1 : 1;
    if (g1 != g2)
        return g1 < g2 ? -1 : 1;
    return (n1 > n2) - (n1 < n2);
}

static int by_key_line(const void *a, const void *b)
{
    const irow *x = a, *y = b;
    int c = cmp_key(x->cls, x->type, x->gpus, x->nodes, y->cls, y->type, y->gpus, y->nodes);

    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A JSON entry with its key, for sorting the output. */
typedef struct jent {
    cJSON *item;
    int cls, type, gpus, nodes;
    size_t pos;
} jent;

static int by_jent(const void *a, const void *b)
{
    const jent *x = a, *y = b;
    int c = cmp_key(x->cls, x->type, x->gpus, x->nodes, y->cls, y->type, y->gpus, y->nodes);

    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static void entry_key(const gs_scaledb *db, const cJSON *e, jent *k)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "class");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "gpu_type");
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(e, "gpus");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "nodes");

    /* the base DB was validated, so these exist and are well-formed */
    k->cls = gs_scaledb_class_find(db, cJSON_GetStringValue(c));
    k->type = gs_scaledb_type_find(db, cJSON_GetStringValue(t));
    k->gpus = (int)cJSON_GetNumberValue(g);
    k->nodes = n ? (int)cJSON_GetNumberValue(n)
                 : (k->gpus + gs_scaledb_type_gpus_per_node(db, k->type) - 1) /
                       gs_scaledb_type_gpus_per_node(db, k->type);
}

static cJSON *row_json(const gs_scaledb *db, const irow *r, const char *path)
{
    cJSON *o = cJSON_CreateObject();
    char note[512];

    if (r->note)
        snprintf(note, sizeof(note), "%s (imported from %s line %ld)", r->note, path, r->line);
    else
        snprintf(note, sizeof(note), "imported from %s line %ld", path, r->line);
    if (!o || !cJSON_AddStringToObject(o, "class", gs_scaledb_class_name(db, r->cls)) ||
        !cJSON_AddStringToObject(o, "gpu_type", gs_scaledb_type_name(db, r->type)) ||
        !cJSON_AddNumberToObject(o, "gpus", r->gpus) ||
        !cJSON_AddNumberToObject(o, "nodes", r->nodes) ||
        !cJSON_AddNumberToObject(o, "throughput", r->thr) ||
        !cJSON_AddBoolToObject(o, "viable", r->viable) ||
        !cJSON_AddStringToObject(o, "note", note)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Whether the CSV rows (sorted) hold the pair (cls, type), or with exact the full key. */
static int rows_hit(const importer *im, const jent *k, int exact)
{
    size_t lo = 0, hi = im->nrows;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const irow *r = &im->rows[mid];
        int c =
            exact ? cmp_key(r->cls, r->type, r->gpus, r->nodes, k->cls, k->type, k->gpus, k->nodes)
                  : cmp_key(r->cls, r->type, 0, 0, k->cls, k->type, 0, 0);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int gs_scaledb_import(const char *base_path, const char *csv_path, int merge, const char *name,
                      const char *out_path, gs_scaledb_import_stats *st, gs_err *err)
{
    importer im;
    gs__jdoc d;
    gs_scaledb *base = NULL, *check = NULL;
    cJSON *entries, *e;
    jent *all = NULL;
    size_t ne = 0, i, k = 0;
    char *text = NULL;
    gs_outfile of;
    gs_scaledb_import_stats s;
    int rc;

    memset(&im, 0, sizeof(im));
    memset(&d, 0, sizeof(d));
    memset(&s, 0, sizeof(s));
    if (!(base = gs_scaledb_load(base_path, err)))
        return err ? err->code : GS_EINVAL;
    im.path = csv_path;
    im.base = base;
    rc = gs__csv_read(csv_path, on_row, &im, err);
    if (rc == GS_OK && !im.header_done)
        rc = gs_errorf(err, GS_EPARSE, "profile '%s' line 1: empty file (no header)", csv_path);
    if (rc == GS_OK && im.nrows == 0)
        rc = gs_errorf(err, GS_EINVAL, "profile '%s': no measurement rows", csv_path);
    if (rc != GS_OK)
        goto out;
    qsort(im.rows, im.nrows, sizeof(*im.rows), by_key_line);
    for (i = 1; i < im.nrows; i++) {
        const irow *a = &im.rows[i - 1], *b = &im.rows[i];
        if (!cmp_key(a->cls, a->type, a->gpus, a->nodes, b->cls, b->type, b->gpus, b->nodes)) {
            rc = gs_errorf(err, GS_EINVAL,
                           "profile '%s' line %ld: duplicate measurement (same class, gpu_type, "
                           "gpus and nodes as line %ld)",
                           csv_path, b->line, a->line);
            goto out;
        }
    }
    if ((rc = gs__jdoc_load(&d, base_path, err)) != GS_OK)
        goto out;
    entries = cJSON_GetObjectItemCaseSensitive(d.root, "entries");
    all = malloc((size_t)(cJSON_GetArraySize(entries) + (int)im.nrows + 1) * sizeof(*all));
    if (!all) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    /* keep the base entries the measurements do not replace */
    while ((e = entries->child) != NULL) {
        jent key;
        cJSON_DetachItemViaPointer(entries, e);
        entry_key(base, e, &key);
        if (rows_hit(&im, &key, merge)) {
            cJSON_Delete(e);
            s.replaced++;
            continue;
        }
        key.item = e;
        key.pos = k++;
        all[ne++] = key;
    }
    for (i = 0; i < im.nrows; i++) {
        const irow *r = &im.rows[i];
        jent key;
        key.item = row_json(base, r, csv_path);
        if (!key.item) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
        key.cls = r->cls;
        key.type = r->type;
        key.gpus = r->gpus;
        key.nodes = r->nodes;
        key.pos = k++;
        all[ne++] = key;
        s.added++;
    }
    qsort(all, ne, sizeof(*all), by_jent);
    for (i = 0; i < ne; i++) {
        cJSON_AddItemToArray(entries, all[i].item);
        all[i].item = NULL;
    }
    if (name) {
        cJSON *nm = cJSON_CreateString(name);
        if (!nm || (cJSON_GetObjectItemCaseSensitive(d.root, "name")
                        ? !cJSON_ReplaceItemInObjectCaseSensitive(d.root, "name", nm)
                        : !cJSON_AddItemToObject(d.root, "name", nm))) {
            cJSON_Delete(nm);
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (!(text = gs__scaledb_print(d.root))) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    /* what we write must load: check it before it replaces anything */
    if (!(check = gs__scaledb_parse(out_path, text, err))) {
        rc = err ? err->code : GS_EINVAL;
        goto out;
    }
    if ((rc = gs_outfile_open(&of, out_path, err)) != GS_OK)
        goto out;
    fputs(text, of.fp);
    rc = gs_outfile_commit(&of, err);
    s.rows = (long)im.nrows;
    if (st)
        *st = s;
out:
    if (all)
        for (i = 0; i < ne; i++)
            cJSON_Delete(all[i].item);
    free(all);
    free(text);
    for (i = 0; i < im.nrows; i++)
        free(im.rows[i].note);
    free(im.rows);
    gs__jdoc_release(&d);
    gs_scaledb_free(check);
    gs_scaledb_free(base);
    return rc;
}
