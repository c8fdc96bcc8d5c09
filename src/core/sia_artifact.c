/* SPDX-License-Identifier: Apache-2.0 */
/* Sia's artifact data as a scaling DB of adaptive-batch classes, read at run time (nothing of it
 * is in gpusim): github.com/siasosp23/artifacts, sia-simulator/traces/<app>/ (placements-<gpu>.csv,
 * scalability-<gpu>.csv, validation-<batch>.csv), which "Sia's artifact: FILE" below names. */
#include <cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_int.h"
#include "goodput_int.h"
#include "gpusim/scaling_db.h"
#include "scaledb_int.h"
#include "util_int.h"

/* Sia's applications (Sia's artifact: applications.py APPLICATIONS and Application, whose
 * rescale_time is the restart delay its simulator charges at every start, the first included;
 * simulator_config.py SLOWDOWNS, the calibration of simulated against measured runs). gpt_pmp is
 * left out: its profiles mean pipeline stages. */
static const struct app {
    const char *name;
    int max_epochs;
    double restart_s;
    double slowdown;
    const char *what;
} apps[] = {
    {"bert", 2, 120, 1.2, "BERT fine-tuning (Sia's and Pollux's bert)"},
    {"cifar10", 100, 50, 1.8, "ResNet-18 on CIFAR-10 (Sia's and Pollux's cifar10)"},
    {"deepspeech2", 80, 25, 1.2, "DeepSpeech2 (Sia's and Pollux's deepspeech2)"},
    {"imagenet", 90, 250, 1.2, "ResNet-50 on ImageNet (Sia's and Pollux's imagenet)"},
    {"ncf", 10, 15, 1.5, "neural collaborative filtering (Sia's and Pollux's ncf)"},
    {"yolov3", 50, 80, 1.2, "YOLOv3 (Sia's and Pollux's yolov3)"},
};
#define NAPPS (sizeof(apps) / sizeof(apps[0]))

/* Sia's GPU types (Sia's artifact: simulator_config.py; anchors of the names: the paper's
 * clusters): profile suffix, our name, memory per GPU, GPUs per node. */
static const struct stype {
    const char *suffix, *name;
    double memory_gb;
    int gpn;
    const char *what;
} stypes[] = {
    {"aws", "T4", 16, 4, "NVIDIA T4 16 GB, AWS g4dn.12xlarge (4 per node), Sia's aws profiles"},
    {"dgx-ext", "A100-40GB", 40, 8,
     "NVIDIA A100 40 GB, DGX A100 (8 per node), Sia's dgx-ext profiles"},
    {"rtx", "RTX2080Ti", 11, 8, "NVIDIA RTX 2080 Ti 11 GB (8 per node), Sia's rtx profiles"},
    {"azure", "V100-32GB", 32, 8, "NVIDIA V100 32 GB, Azure ND40rs_v2 (8 per node), Sia's azure"},
    {"quad", "RTX6000", 24, 4, "NVIDIA Quadro RTX 6000 24 GB (4 per node), Sia's quad profiles"},
};
#define NTYPES (sizeof(stypes) / sizeof(stypes[0]))

/* snprintf that cannot be misread: a truncated path is an empty one (no such file). */
static void pathf(char *buf, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void pathf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int k;

    va_start(ap, fmt);
    k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= n)
        buf[0] = 0;
}

/* ---- CSV tables read by column name ---- */

enum { C_PLACEMENT, C_NODES, C_REPLICAS, C_LOCAL, C_STEP, C_SYNC, C_PROGRESS, C_SQR, C_VAR, NC };
static const char *const cnames[NC] = {"placement", "num_nodes", "num_replicas",
                                       "local_bsz", "step_time", "sync_time",
                                       "progress",  "grad_sqr",  "grad_var"};

typedef struct row {
    char placement[24];
    double v[NC];
} row;

typedef struct table {
    const char *path;
    unsigned need; /* bit per column required */
    int idx[NC];
    row *r;
    size_t n, cap;
} table;

static int on_row(void *ctx, const gs__csv_field *f, size_t nf, long line, gs_err *err)
{
    table *t = ctx;
    size_t i;
    int c;
    row *r;

    if (line == 1 && t->cap == 0 && t->n == 0 && t->idx[0] == -2) {
        for (c = 0; c < NC; c++)
            t->idx[c] = -1;
        for (i = 0; i < nf; i++)
            for (c = 0; c < NC; c++)
                if (!strcmp(f[i].s, cnames[c]))
                    t->idx[c] = (int)i;
        for (c = 0; c < NC; c++)
            if ((t->need >> c & 1) && t->idx[c] < 0)
                return gs_errorf(err, GS_EINVAL, "file '%s' line 1: column '%s' is missing",
                                 t->path, cnames[c]);
        return GS_OK;
    }
    if (nf == 1 && f[0].len == 0)
        return GS_OK; /* a blank line */
    if (GS_GROW(t->r, t->cap, t->n + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    r = &t->r[t->n];
    memset(r, 0, sizeof(*r));
    for (c = 0; c < NC; c++) {
        const gs__csv_field *x;
        if (!(t->need >> c & 1))
            continue;
        if ((size_t)t->idx[c] >= nf)
            return gs_errorf(err, GS_EPARSE, "file '%s' line %ld: column '%s' is missing", t->path,
                             line, cnames[c]);
        x = &f[t->idx[c]];
        if (c == C_PLACEMENT) {
            size_t k;
            int ok = x->len > 0 && x->len < sizeof(r->placement);
            for (k = 0; ok && k < x->len; k++)
                ok = x->s[k] >= '1' && x->s[k] <= '9';
            if (!ok)
                return gs_errorf(err, GS_EPARSE,
                                 "file '%s' line %ld: column 'placement': '%s' is not a list of "
                                 "GPUs per node (digits 1-9)",
                                 t->path, line, x->s);
            memcpy(r->placement, x->s, x->len);
            continue;
        }
        if (gs__parse_double(x->s, x->len, &r->v[c]) != 0 || !isfinite(r->v[c]) || r->v[c] < 0 ||
            r->v[c] > 1e30)
            return gs_errorf(err, GS_EPARSE,
                             "file '%s' line %ld: column '%s': '%s' is not a number in [0, 1e30]",
                             t->path, line, cnames[c], x->s);
    }
    t->n++;
    return GS_OK;
}

/* Reads path into t; *missing (may be NULL) set when the file does not exist (then GS_OK). */
static int read_table(table *t, const char *path, unsigned need, int *missing, gs_err *err)
{
    struct stat sb;

    memset(t, 0, sizeof(*t));
    t->path = path;
    t->need = need;
    t->idx[0] = -2;
    if (missing) {
        *missing = stat(path, &sb) != 0;
        if (*missing)
            return GS_OK;
    }
    return gs__csv_read(path, on_row, t, err);
}

/* ---- one application ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The batch sizes of dir's validation-<batch>.csv files, sorted; *n of them. */
static int validation_batches(const char *dir, double **out, size_t *n, gs_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (!d)
        return gs_errorf(err, GS_EIO, "cannot read the folder '%s'", dir);
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        size_t len = strlen(s);
        int64_t b;
        if (len < 16 || strncmp(s, "validation-", 11) || strcmp(s + len - 4, ".csv"))
            continue;
        if (gs__parse_int64(s + 11, len - 15, &b) != 0 || b < 1 || b > 1000000000)
            continue;
        if (GS_GROW(*out, cap, *n + 1) != GS_OK) {
            closedir(d);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        (*out)[(*n)++] = (double)b;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof(**out), cmp_double);
    return GS_OK;
}

/* Phases (epochs) and gradient statistics from the validation files (Sia's artifact:
 * applications.py get_progress, get_grad_stats): epoch k ends at the smallest progress any file
 * records at its end, in steps at the initial (smallest) batch; work in samples is that times
 * the initial batch. */
static int read_phases(gs_goodput *m, const char *dir, const struct app *a, double **bs_out,
                       size_t *nb_out, gs_err *err)
{
    double *bs = NULL, *work = NULL, *sqr = NULL, *var = NULL;
    size_t nb, i, k, K = (size_t)a->max_epochs;
    char path[4096];
    int rc;

    if ((rc = validation_batches(dir, &bs, &nb, err)) != GS_OK)
        return rc;
    if (nb == 0 || nb > 64) {
        free(bs);
        return gs_errorf(err, GS_EINVAL,
                         "folder '%s': expected 1 to 64 validation-<batch>.csv "
                         "files, found %zu",
                         dir, nb);
    }
    work = malloc(K * sizeof(double));
    sqr = malloc(K * nb * sizeof(double));
    var = malloc(K * nb * sizeof(double));
    if (!work || !sqr || !var) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < nb && rc == GS_OK; i++) {
        table t;
        pathf(path, sizeof(path), "%s/validation-%.0f.csv", dir, bs[i]);
        if ((rc = read_table(&t, path, 1u << C_PROGRESS | 1u << C_SQR | 1u << C_VAR, NULL, err)) ==
                GS_OK &&
            t.n < K)
            rc = gs_errorf(err, GS_EINVAL,
                           "file '%s': %zu epochs, but %s trains for %d (Sia's max_epochs)", path,
                           t.n, a->name, a->max_epochs);
        for (k = 0; rc == GS_OK && k < K; k++) {
            double p = t.r[k].v[C_PROGRESS] * bs[0];
            work[k] = i == 0 || p < work[k] ? p : work[k];
            sqr[k * nb + i] = t.r[k].v[C_SQR];
            var[k * nb + i] = t.r[k].v[C_VAR];
        }
        free(t.r);
    }
    if (rc == GS_OK)
        rc = gs_goodput_set_phases(m, K, work, nb, bs, sqr, var, err);
    if (rc != GS_OK)
        gs_err_prefix(err, "folder '%s': ", dir);
out:
    free(work);
    free(sqr);
    free(var);
    if (rc == GS_OK) {
        *bs_out = bs;
        *nb_out = nb;
    } else {
        free(bs);
    }
    return rc;
}

/* The placement id Sia looks a configuration up by: GPUs per node, rotated to the smallest. */
static void canonical(int nodes, int replicas, int gpn, char *out, size_t cap)
{
    char s[24];
    int i, n = 0, full = replicas / gpn, rem = replicas % gpn;

    (void)nodes;
    for (i = 0; i < full && n < 20; i++)
        s[n++] = (char)('0' + gpn);
    if (rem && n < 20)
        s[n++] = (char)('0' + rem);
    s[n] = 0;
    snprintf(out, cap, "%s", s);
    for (i = 1; i < n; i++) { /* rotations */
        char r[24];
        memcpy(r, s + i, (size_t)(n - i));
        memcpy(r + n - i, s, (size_t)i);
        r[n] = 0;
        if (strcmp(r, out) < 0)
            snprintf(out, cap, "%s", r);
    }
}

static void placement_shape(const char *p, int *nodes, int *replicas)
{
    *nodes = (int)strlen(p);
    *replicas = 0;
    for (; *p; p++)
        *replicas += *p - '0';
}

typedef struct pts {
    double *b, *s, *y;
    size_t n, cap;
} pts;

static int pts_add(pts *p, const row *r)
{
    size_t cap = p->cap;
    if (GS_GROW(p->b, cap, p->n + 1) || (cap = p->cap, GS_GROW(p->s, cap, p->n + 1)) ||
        (cap = p->cap, GS_GROW(p->y, cap, p->n + 1)))
        return GS_ENOMEM;
    p->cap = cap;
    p->b[p->n] = r->v[C_LOCAL];
    p->s[p->n] = r->v[C_STEP];
    p->y[p->n] = r->v[C_SYNC];
    p->n++;
    return GS_OK;
}

/* The profile of one GPU type: a group per (nodes, replicas). A configuration whose canonical
 * placement was profiled takes that placement's rows (Sia's artifact: applications.py
 * get_throughput, its exact branch); any other takes every row of its shape, of other placements
 * and of scalability-<gpu>.csv (Sia interpolates over their means). */
static int read_profile(gs_goodput *m, int ti, const char *dir, gs_err *err)
{
    const struct stype *st = &stypes[ti];
    char pp[4096], sp[4096];
    table pl, sc;
    int rc, miss_p, miss_s;
    size_t i, j;
    int(*shape)[2] = NULL;
    size_t nshape = 0, capshape = 0;

    pathf(pp, sizeof(pp), "%s/placements-%s.csv", dir, st->suffix);
    pathf(sp, sizeof(sp), "%s/scalability-%s.csv", dir, st->suffix);
    memset(&sc, 0, sizeof(sc));
    if ((rc = read_table(&pl, pp, 1u << C_PLACEMENT | 1u << C_LOCAL | 1u << C_STEP | 1u << C_SYNC,
                         &miss_p, err)) != GS_OK ||
        (rc = read_table(&sc, sp,
                         1u << C_NODES | 1u << C_REPLICAS | 1u << C_LOCAL | 1u << C_STEP |
                             1u << C_SYNC,
                         &miss_s, err)) != GS_OK)
        goto out;
    if (miss_p) /* no profile of this type */
        goto out;
    /* the shapes */
    for (i = 0; i < pl.n + sc.n; i++) {
        int n, r, seen = 0;
        if (i < pl.n) {
            placement_shape(pl.r[i].placement, &n, &r);
        } else {
            const row *x = &sc.r[i - pl.n];
            if (x->v[C_NODES] < 1 || x->v[C_REPLICAS] < x->v[C_NODES] ||
                x->v[C_REPLICAS] > 100000 || x->v[C_NODES] != floor(x->v[C_NODES]) ||
                x->v[C_REPLICAS] != floor(x->v[C_REPLICAS])) {
                rc = gs_errorf(err, GS_EPARSE,
                               "file '%s' row %zu: num_nodes and num_replicas must be whole, "
                               "1 <= num_nodes <= num_replicas",
                               sp, i - pl.n + 1);
                goto out;
            }
            n = (int)x->v[C_NODES];
            r = (int)x->v[C_REPLICAS];
        }
        for (j = 0; j < nshape && !seen; j++)
            seen = shape[j][0] == n && shape[j][1] == r;
        if (seen)
            continue;
        if (GS_GROW(shape, capshape, nshape + 1) != GS_OK) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
        shape[nshape][0] = n;
        shape[nshape][1] = r;
        nshape++;
    }
    for (j = 0; j < nshape && rc == GS_OK; j++) {
        int n = shape[j][0], r = shape[j][1], exact = 0;
        char id[24];
        pts p = {0};
        canonical(n, r, st->gpn, id, sizeof(id));
        for (i = 0; i < pl.n && !exact; i++)
            exact = !strcmp(pl.r[i].placement, id);
        for (i = 0; i < pl.n + sc.n && rc == GS_OK; i++) {
            int pn, pr;
            const row *x = i < pl.n ? &pl.r[i] : &sc.r[i - pl.n];
            if (i < pl.n) {
                placement_shape(x->placement, &pn, &pr);
                if (exact ? strcmp(x->placement, id) != 0 : pn != n || pr != r)
                    continue;
            } else if (exact || (int)x->v[C_NODES] != n || (int)x->v[C_REPLICAS] != r) {
                continue;
            }
            if (!(x->v[C_SYNC] < x->v[C_STEP]) || !(x->v[C_LOCAL] > 0))
                continue; /* Sia's files hold a few rows whose sync is not below the step */
            if (pts_add(&p, x) != GS_OK)
                rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        if (rc == GS_OK && p.n > 0)
            rc = gs_goodput_add_group(m, ti, n, r, p.n, p.b, p.s, p.y, err);
        free(p.b);
        free(p.s);
        free(p.y);
    }
    if (rc != GS_OK)
        gs_err_prefix(err, "file '%s': ", pp);
out:
    free(shape);
    free(pl.r);
    free(sc.r);
    return rc;
}

/* ---- the DB ---- */

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The entries of class c: each count a cluster can give (powers of two in a node, then whole
 * nodes up to the most the profile covers), at its goodput in the first phase. */
static int add_entries(cJSON *entries, const struct app *a, const gs_goodput *m, gs_err *err)
{
    size_t t;
    gs_goodput_pt pt;

    for (t = 0; t < NTYPES; t++) {
        int gpn = stypes[t].gpn, maxn = gs_goodput_max_nodes(m, (int)t), counts[64], nc = 0, i;
        if (!gs_goodput_has_type(m, (int)t))
            continue;
        for (i = 1; i < gpn && nc < 32; i *= 2)
            counts[nc++] = i;
        for (i = 1; i <= maxn && nc < 64; i++)
            counts[nc++] = i * gpn;
        for (i = 0; i < nc; i++) {
            int g = counts[i], nodes = (g + gpn - 1) / gpn;
            cJSON *e = cJSON_CreateObject();
            if (!e)
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            cJSON_AddItemToArray(entries, e);
            if (gs_goodput_eval(m, (int)t, nodes, g, 0, 0, &pt, err) != GS_OK)
                return GS_EINVAL;
            if (!cJSON_AddStringToObject(e, "class", a->name) ||
                !cJSON_AddStringToObject(e, "gpu_type", stypes[t].name) ||
                !cJSON_AddNumberToObject(e, "gpus", g) ||
                !cJSON_AddNumberToObject(e, "nodes", nodes) ||
                !cJSON_AddNumberToObject(e, "throughput", pt.goodput) ||
                !cJSON_AddBoolToObject(e, "viable", pt.goodput > 0))
                return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
    }
    return GS_OK;
}

static cJSON *db_doc(void)
{
    cJSON *root = cJSON_CreateObject(), *types = cJSON_CreateArray();
    size_t t;

    if (!root || !types) {
        cJSON_Delete(root);
        cJSON_Delete(types);
        return NULL;
    }
    cJSON_AddNumberToObject(root, "schema_version", GS_SCALEDB_SCHEMA);
    cJSON_AddStringToObject(root, "name", "sia-artifact");
    cJSON_AddStringToObject(root, "description",
                            "Sia's artifact profiles and training curves (SOSP '23, "
                            "github.com/siasosp23/artifacts), read at run time; goodput in "
                            "samples of work per second at the first epoch");
    cJSON_AddStringToObject(root, "throughput_unit", "samples/s");
    cJSON_AddStringToObject(root, "reference_gpu_type", "RTX2080Ti");
    cJSON_AddItemToObject(root, "gpu_types", types);
    for (t = 0; t < NTYPES; t++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(types, o);
        cJSON_AddStringToObject(o, "name", stypes[t].name);
        cJSON_AddNumberToObject(o, "memory_gb", stypes[t].memory_gb);
        cJSON_AddNumberToObject(o, "gpus_per_node", stypes[t].gpn);
        cJSON_AddStringToObject(o, "description", stypes[t].what);
    }
    return root;
}

static gs_goodput *read_app(const char *root, const struct app *a, cJSON *classes, cJSON *entries,
                            gs_err *err)
{
    char dir[4096];
    gs_goodput_spec spec;
    gs_goodput *m;
    double *bs = NULL;
    size_t nb = 0, t;
    cJSON *c, *lc;

    pathf(dir, sizeof(dir), "%s/%s", root, a->name);
    if (!is_dir(dir))
        return NULL;
    spec.init_batch = spec.max_batch = 1;
    spec.slowdown = a->slowdown;
    if (!(m = gs_goodput_new(&spec, (int)NTYPES, err)))
        return NULL;
    if (read_phases(m, dir, a, &bs, &nb, err) != GS_OK)
        goto fail;
    /* the initial batch is the smallest validated one, the largest the job may use the
     * largest validated one (Sia's artifact: applications.py Application) */
    m->spec.init_batch = bs[0];
    m->spec.max_batch = bs[nb - 1];
    for (t = 0; t < NTYPES; t++)
        if (read_profile(m, (int)t, dir, err) != GS_OK)
            goto fail;
    c = cJSON_CreateObject();
    lc = cJSON_CreateObject();
    if (!c || !lc) {
        cJSON_Delete(c);
        cJSON_Delete(lc);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    cJSON_AddItemToArray(classes, c);
    cJSON_AddStringToObject(c, "name", a->name);
    cJSON_AddStringToObject(c, "description", a->what);
    cJSON_AddItemToObject(c, "lifecycle", lc);
    cJSON_AddNumberToObject(lc, "startup_s", a->restart_s);
    cJSON_AddNumberToObject(lc, "restart_s", a->restart_s);
    if (add_entries(entries, a, m, err) != GS_OK)
        goto fail;
    free(bs);
    return m;
fail:
    free(bs);
    gs_goodput_free(m);
    return NULL;
}

gs_scaledb *gs_scaledb_load_sia(const char *dir, gs_err *errp)
{
    gs_err err[1] = {{0}};
    char root[4096], name[4200];
    cJSON *doc = NULL, *classes, *entries;
    gs_goodput *models[NAPPS] = {0};
    gs_scaledb *db = NULL;
    char *text = NULL;
    size_t i;
    int napps = 0;

    pathf(root, sizeof(root), "%s/traces", dir);
    if (!is_dir(root))
        pathf(root, sizeof(root), "%s", dir);
    if (!is_dir(root)) {
        gs_errorf(err, GS_EIO, "Sia's artifact data: '%s' is not a folder", dir);
        goto out;
    }
    if (!(doc = db_doc()) || !(classes = cJSON_AddArrayToObject(doc, "classes")) ||
        !(entries = cJSON_AddArrayToObject(doc, "entries"))) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < NAPPS; i++) {
        models[i] = read_app(root, &apps[i], classes, entries, err);
        if (err->code)
            goto out;
        napps += models[i] != NULL;
    }
    if (napps == 0) {
        gs_errorf(err, GS_EINVAL,
                  "Sia's artifact data: no application folder (bert, cifar10, ...) in '%s'", root);
        goto out;
    }
    if (!(text = cJSON_PrintUnformatted(doc))) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    pathf(name, sizeof(name), "sia:%s", dir);
    if (!(db = gs__scaledb_parse(name, text, err)))
        goto out;
    for (i = 0; i < NAPPS; i++) {
        if (!models[i])
            continue;
        if (gs_scaledb_set_goodput(db, gs_scaledb_class_find(db, apps[i].name), models[i], err) !=
            GS_OK) {
            models[i] = NULL;
            gs_scaledb_free(db);
            db = NULL;
            goto out;
        }
        models[i] = NULL;
    }
out:
    for (i = 0; i < NAPPS; i++)
        gs_goodput_free(models[i]);
    free(text);
    cJSON_Delete(doc);
    if (!db && errp && !errp->code)
        *errp = *err;
    return db;
}
