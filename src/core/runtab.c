/* SPDX-License-Identifier: Apache-2.0 */
/* Runs tables read back (CSV files or result folders merged) for statistics over runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_int.h"
#include "gpusim/merge.h"
#include "util_int.h"

/* The rows of one source, with where its columns are among the table's. */
typedef struct block {
    char *name;
    int *map;     /* table column -> this block's column, or -1; grown with the table */
    size_t nmap;  /* table columns known when the map was last grown */
    char **cells; /* nrows x ncols of this block */
    size_t ncols, nrows, cap;
} block;

struct gs_runtab {
    char **cols;
    size_t ncols;
    block *blocks;
    size_t nblocks;
    size_t nrows;
};

static void block_release(block *b)
{
    size_t i;

    for (i = 0; i < b->ncols * b->nrows; i++)
        free(b->cells[i]);
    free(b->cells);
    free(b->map);
    free(b->name);
}

void gs_runtab_free(gs_runtab *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    free(t->cols);
    for (i = 0; i < t->nblocks; i++)
        block_release(&t->blocks[i]);
    free(t->blocks);
    free(t);
}

size_t gs_runtab_nrows(const gs_runtab *t)
{
    return t->nrows;
}

size_t gs_runtab_ncols(const gs_runtab *t)
{
    return t->ncols;
}

const char *gs_runtab_colname(const gs_runtab *t, size_t c)
{
    return c < t->ncols ? t->cols[c] : NULL;
}

int gs_runtab_col(const gs_runtab *t, const char *name)
{
    size_t c;

    for (c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c], name))
            return (int)c;
    return -1;
}

const char *gs_runtab_cell(const gs_runtab *t, size_t r, int c)
{
    size_t i;

    if (c < 0 || (size_t)c >= t->ncols)
        return "";
    for (i = 0; i < t->nblocks; i++) {
        const block *b = &t->blocks[i];
        if (r < b->nrows) {
            int bc = (size_t)c < b->nmap ? b->map[c] : -1;
            return bc >= 0 ? b->cells[r * b->ncols + (size_t)bc] : "";
        }
        r -= b->nrows;
    }
    return "";
}

typedef struct reader {
    gs_runtab *t;
    block *b;
    int header_seen;
} reader;

static int add_col(gs_runtab *t, const char *name, gs_err *err)
{
    char **nc = realloc(t->cols, (t->ncols + 1) * sizeof(*nc));

    if (!nc)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    t->cols = nc;
    if (!(t->cols[t->ncols] = gs__strdup(name)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    t->ncols++;
    return GS_OK;
}

static int on_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    reader *x = ctx;
    block *b = x->b;
    size_t i, j;
    int rc;

    if (n == 1 && f[0].len == 0)
        return GS_OK; /* a blank line */
    if (!x->header_seen) {
        x->header_seen = 1;
        b->ncols = n;
        for (i = 0; i < n; i++) {
            for (j = 0; j < i; j++)
                if (!strcmp(f[i].s, f[j].s))
                    return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s' twice", b->name,
                                     line, f[i].s);
            if (gs_runtab_col(x->t, f[i].s) < 0 && (rc = add_col(x->t, f[i].s, err)) != GS_OK)
                return rc;
        }
        free(b->map);
        if (!(b->map = malloc(x->t->ncols * sizeof(*b->map))))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        b->nmap = x->t->ncols;
        for (i = 0; i < b->nmap; i++)
            b->map[i] = -1;
        for (i = 0; i < n; i++)
            b->map[gs_runtab_col(x->t, f[i].s)] = (int)i;
        return GS_OK;
    }
    if (n != b->ncols)
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: %zu fields where the header has %zu",
                         b->name, line, n, b->ncols);
    if ((b->nrows + 1) * b->ncols > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64 * b->ncols;
        char **nc;
        while (cap < (b->nrows + 1) * b->ncols)
            cap *= 2;
        if (!(nc = realloc(b->cells, cap * sizeof(*nc))))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        b->cells = nc;
        b->cap = cap;
    }
    for (i = 0; i < n; i++) {
        if (!(b->cells[b->nrows * b->ncols + i] = gs__strdup(f[i].s))) {
            for (j = 0; j < i; j++)
                free(b->cells[b->nrows * b->ncols + j]);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
    }
    b->nrows++;
    return GS_OK;
}

/* Reads one CSV (from path, or from data when not NULL) as a new block. */
static int add_block(gs_runtab *t, const char *name, const char *data, size_t len, gs_err *err)
{
    block *nb = realloc(t->blocks, (t->nblocks + 1) * sizeof(*nb));
    reader x;
    int rc;

    if (!nb)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    t->blocks = nb;
    memset(&nb[t->nblocks], 0, sizeof(*nb));
    if (!(nb[t->nblocks].name = gs__strdup(name)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    t->nblocks++;
    memset(&x, 0, sizeof(x));
    x.t = t;
    x.b = &t->blocks[t->nblocks - 1];
    rc = data ? gs__csv_read_mem(name, data, len, on_row, &x, err)
              : gs__csv_read(name, on_row, &x, err);
    if (rc == GS_OK && !x.header_seen)
        rc = gs_errorf(err, GS_EPARSE, "'%s' line 1: empty file", name);
    t->nrows += x.b->nrows;
    return rc;
}

static int is_csv_file(const char *path)
{
    struct stat st;
    size_t n = strlen(path);

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           !(n >= 12 && !strcmp(path + n - 12, "summary.json"));
}

gs_runtab *gs_runtab_load(const char *const *paths, size_t n, gs_err *err)
{
    gs_runtab *t = calloc(1, sizeof(*t));
    gs_merge *m = NULL;
    size_t i, nfolders = 0;
    int rc = GS_OK;

    if (!t) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (n == 0)
        rc = gs_errorf(err, GS_EINVAL, "no runs table or result folder given");
    for (i = 0; i < n && rc == GS_OK; i++) {
        if (is_csv_file(paths[i])) {
            rc = add_block(t, paths[i], NULL, 0, err);
        } else {
            if (!m && !(m = gs_merge_new(err)))
                rc = GS_ENOMEM;
            if (rc == GS_OK)
                rc = gs_merge_add(m, paths[i], err);
            nfolders++;
        }
    }
    if (rc == GS_OK && nfolders) {
        char *data = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&data, &len);
        if (!fp) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        } else {
            rc = gs_merge_write_runs(m, fp, err);
            if (fclose(fp) != 0 && rc == GS_OK)
                rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            if (rc == GS_OK)
                rc = add_block(t, "the runs of the result folders", data, len, err);
        }
        free(data);
    }
    gs_merge_free(m);
    if (rc != GS_OK) {
        gs_runtab_free(t);
        return NULL;
    }
    return t;
}
