/* SPDX-License-Identifier: Apache-2.0 */
/* Scaling-knowledge DB: JSON loading and validation, O(1) lookups through dense tables. */
#include "gpusim/scaling_db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "goodput_int.h"
#include "json_int.h"
#include "rng_int.h"
#include "scaledb_int.h"
#include "util_int.h"

typedef struct gtype {
    char *name;
    double memory_gb;
    int gpus_per_node;
} gtype;

typedef struct mixrow {
    int max_gpus;
    double *w; /* nclasses */
} mixrow;

/* Dense table of one (class, type) pair for counts 1..maxg. state: -1 no data, 0 not viable,
 * 1 viable. */
typedef struct pairtab {
    int maxg;
    double *thr;
    signed char *state;
    int *nodes;
} pairtab;

struct gs_scaledb {
    char *name;
    char *path;
    char *unit; /* throughput_unit ("" when not given) */
    int ref;
    gtype *types;
    int ntypes;
    char **classes;
    unsigned char *fixed;       /* per class: not elastic (runs on its original GPU count only) */
    gs_scaledb_lifecycle *life; /* per class */
    gs_goodput **gp;            /* per class: adaptive-batch model, or NULL */
    int nclasses;
    mixrow *mix;
    int nmix;
    gs_scaledb_entry *e;
    size_t ne;
    pairtab *tab; /* nclasses x ntypes */
};

static void free_tabs(gs_scaledb *db)
{
    int i;

    if (!db->tab)
        return;
    for (i = 0; i < db->nclasses * db->ntypes; i++) {
        free(db->tab[i].thr);
        free(db->tab[i].state);
        free(db->tab[i].nodes);
    }
    free(db->tab);
    db->tab = NULL;
}

void gs_scaledb_free(gs_scaledb *db)
{
    int i;

    if (!db)
        return;
    free_tabs(db);
    for (i = 0; i < db->ntypes; i++)
        free(db->types[i].name);
    for (i = 0; i < db->nclasses; i++) {
        free(db->classes[i]);
        if (db->gp)
            gs_goodput_free(db->gp[i]);
    }
    free(db->gp);
    for (i = 0; i < db->nmix; i++)
        free(db->mix[i].w);
    free(db->types);
    free(db->classes);
    free(db->fixed);
    free(db->life);
    free(db->mix);
    free(db->e);
    free(db->name);
    free(db->path);
    free(db->unit);
    free(db);
}

static int by_pair(const void *a, const void *b)
{
    const gs_scaledb_entry *x = a, *y = b;

    if (x->cls != y->cls)
        return x->cls - y->cls;
    if (x->type != y->type)
        return x->type - y->type;
    if (x->gpus != y->gpus)
        return x->gpus - y->gpus;
    return x->nodes - y->nodes;
}

typedef struct posentry {
    gs_scaledb_entry e;
    size_t pos;
} posentry;

static int by_pair_pos(const void *a, const void *b)
{
    const posentry *x = a, *y = b;
    int c = by_pair(&x->e, &y->e);

    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int canon_nodes(const gs_scaledb *db, int type, int gpus)
{
    int gpn = db->types[type].gpus_per_node;
    return (gpus + gpn - 1) / gpn;
}

/* Builds the dense tables from the (sorted) entries. */
int gs_scaledb_reindex(gs_scaledb *db, gs_err *err)
{
    size_t i = 0;

    free_tabs(db);
    qsort(db->e, db->ne, sizeof(*db->e), by_pair);
    db->tab = calloc((size_t)db->nclasses * (size_t)db->ntypes, sizeof(*db->tab));
    if (!db->tab && db->nclasses * db->ntypes > 0)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while (i < db->ne) {
        size_t j = i, k;
        int c = db->e[i].cls, t = db->e[i].type, maxg, g, lo = 0;
        pairtab *pt = &db->tab[c * db->ntypes + t];
        while (j < db->ne && db->e[j].cls == c && db->e[j].type == t)
            j++;
        maxg = db->e[j - 1].gpus;
        pt->maxg = maxg;
        pt->thr = calloc((size_t)maxg + 1, sizeof(*pt->thr));
        pt->state = malloc((size_t)maxg + 1);
        pt->nodes = calloc((size_t)maxg + 1, sizeof(*pt->nodes));
        if (!pt->thr || !pt->state || !pt->nodes)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        memset(pt->state, -1, (size_t)maxg + 1);
        /* listed counts: prefer the entry laid out like the DB's nodes */
        for (k = i; k < j; k++) {
            const gs_scaledb_entry *en = &db->e[k];
            int g0 = en->gpus;
            if (pt->state[g0] >= 0 && en->nodes != canon_nodes(db, t, g0))
                continue;
            pt->thr[g0] = en->throughput;
            pt->state[g0] = (signed char)(en->viable ? 1 : 0);
            pt->nodes[g0] = en->nodes;
        }
        /* counts between listed ones */
        for (g = 1; g <= maxg; g++) {
            int hi;
            if (pt->state[g] >= 0) {
                lo = g;
                continue;
            }
            if (!lo)
                continue;
            for (hi = g + 1; hi <= maxg && pt->state[hi] < 0; hi++)
                ;
            {
                double plo = pt->thr[lo] / lo, phi = pt->thr[hi] / hi;
                double per = plo + (phi - plo) * (double)(g - lo) / (double)(hi - lo);
                pt->thr[g] = per * g;
                pt->state[g] = pt->state[lo];
                pt->nodes[g] = canon_nodes(db, t, g);
            }
        }
        i = j;
    }
    return GS_OK;
}

int gs_scaledb_lookup(const gs_scaledb *db, int cls, int type, int gpus, int nodes, double *thr,
                      int *viable)
{
    const pairtab *pt;

    *thr = 0;
    *viable = 0;
    if (cls < 0 || cls >= db->nclasses || type < 0 || type >= db->ntypes || gpus < 1)
        return GS_ENOTFOUND;
    pt = &db->tab[cls * db->ntypes + type];
    if (pt->maxg == 0)
        return GS_ENOTFOUND;
    if (gpus > pt->maxg) {
        *thr = pt->thr[pt->maxg] / pt->maxg * gpus;
        *viable = pt->state[pt->maxg] == 1;
        return GS_OK;
    }
    if (pt->state[gpus] < 0)
        return GS_ENOTFOUND;
    if (nodes > 0 && nodes != pt->nodes[gpus]) {
        /* an explicitly different layout: use it when listed */
        gs_scaledb_entry key = {cls, type, gpus, nodes, 0, 0};
        const gs_scaledb_entry *hit = bsearch(&key, db->e, db->ne, sizeof(*db->e), by_pair);
        if (hit) {
            *thr = hit->throughput;
            *viable = hit->viable;
            return GS_OK;
        }
    }
    *thr = pt->thr[gpus];
    *viable = pt->state[gpus] == 1;
    return GS_OK;
}

int gs_scaledb_max_gpus(const gs_scaledb *db, int cls, int type)
{
    if (cls < 0 || cls >= db->nclasses || type < 0 || type >= db->ntypes)
        return 0;
    return db->tab[cls * db->ntypes + type].maxg;
}

void gs_scaledb_mix(const gs_scaledb *db, int gpu_num, double *w)
{
    int c, r;

    if (db->nmix == 0) {
        for (c = 0; c < db->nclasses; c++)
            w[c] = 1.0 / db->nclasses;
        return;
    }
    for (r = 0; r < db->nmix - 1 && gpu_num > db->mix[r].max_gpus; r++)
        ;
    for (c = 0; c < db->nclasses; c++)
        w[c] = db->mix[r].w[c];
}

const char *gs_scaledb_name(const gs_scaledb *db)
{
    return db->name;
}

const char *gs_scaledb_path(const gs_scaledb *db)
{
    return db->path ? db->path : "";
}

const char *gs_scaledb_throughput_unit(const gs_scaledb *db)
{
    return db->unit ? db->unit : "";
}

int gs_scaledb_ntypes(const gs_scaledb *db)
{
    return db->ntypes;
}

const char *gs_scaledb_type_name(const gs_scaledb *db, int type)
{
    return type >= 0 && type < db->ntypes ? db->types[type].name : "?";
}

int gs_scaledb_type_find(const gs_scaledb *db, const char *name)
{
    int i;

    for (i = 0; i < db->ntypes; i++)
        if (!strcmp(db->types[i].name, name))
            return i;
    return -1;
}

double gs_scaledb_type_memory_gb(const gs_scaledb *db, int type)
{
    return db->types[type].memory_gb;
}

int gs_scaledb_type_gpus_per_node(const gs_scaledb *db, int type)
{
    return db->types[type].gpus_per_node;
}

int gs_scaledb_nclasses(const gs_scaledb *db)
{
    return db->nclasses;
}

const char *gs_scaledb_class_name(const gs_scaledb *db, int cls)
{
    return cls >= 0 && cls < db->nclasses ? db->classes[cls] : "?";
}

int gs_scaledb_class_elastic(const gs_scaledb *db, int cls)
{
    return cls >= 0 && cls < db->nclasses && db->fixed ? !db->fixed[cls] : 1;
}

const gs_scaledb_lifecycle *gs_scaledb_class_lifecycle(const gs_scaledb *db, int cls)
{
    return &db->life[cls];
}

const struct gs_goodput *gs_scaledb_class_goodput(const gs_scaledb *db, int cls)
{
    return db->gp && cls >= 0 && cls < db->nclasses ? db->gp[cls] : NULL;
}

int gs_scaledb_set_goodput(gs_scaledb *db, int cls, struct gs_goodput *m, gs_err *err)
{
    if (cls < 0 || cls >= db->nclasses || !m || m->ntypes != db->ntypes) {
        gs_goodput_free(m);
        return gs_errorf(err, GS_EINVAL,
                         "scaling DB '%s': no class %d, or a goodput model of "
                         "other GPU types",
                         db->name ? db->name : "?", cls);
    }
    if (!db->gp && !(db->gp = calloc((size_t)db->nclasses, sizeof(*db->gp)))) {
        gs_goodput_free(m);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    gs_goodput_free(db->gp[cls]);
    db->gp[cls] = m;
    return GS_OK;
}

int gs_scaledb_class_find(const gs_scaledb *db, const char *name)
{
    int i;

    for (i = 0; i < db->nclasses; i++)
        if (!strcmp(db->classes[i], name))
            return i;
    return -1;
}

int gs_scaledb_reference_type(const gs_scaledb *db)
{
    return db->ref;
}

const gs_scaledb_entry *gs_scaledb_entries(const gs_scaledb *db, size_t *n)
{
    *n = db->ne;
    return db->e;
}

gs_scaledb_entry *gs_scaledb_entries_mut(gs_scaledb *db, size_t *n)
{
    *n = db->ne;
    return db->e;
}

gs_scaledb *gs_scaledb_clone(const gs_scaledb *src, gs_err *err)
{
    gs_scaledb *db = calloc(1, sizeof(*db));
    int i;

    if (!db)
        goto oom;
    db->name = gs__strdup(src->name);
    db->path = gs__strdup(src->path ? src->path : "");
    db->unit = gs__strdup(src->unit ? src->unit : "");
    db->ref = src->ref;
    db->types = calloc((size_t)src->ntypes, sizeof(*db->types));
    db->classes = calloc((size_t)src->nclasses, sizeof(*db->classes));
    db->fixed = calloc((size_t)src->nclasses + 1, 1);
    if (db->fixed && src->fixed)
        memcpy(db->fixed, src->fixed, (size_t)src->nclasses);
    db->life = malloc((size_t)(src->nclasses ? src->nclasses : 1) * sizeof(*db->life));
    db->mix = src->nmix ? calloc((size_t)src->nmix, sizeof(*db->mix)) : NULL;
    db->e = malloc((src->ne ? src->ne : 1) * sizeof(*db->e));
    if (!db->name || !db->path || !db->unit || !db->types || !db->classes || !db->fixed ||
        !db->life || (src->nmix && !db->mix) || !db->e)
        goto oom;
    for (i = 0; i < src->ntypes; i++) {
        db->types[i] = src->types[i];
        db->types[i].name = gs__strdup(src->types[i].name);
        db->ntypes = i + 1;
        if (!db->types[i].name)
            goto oom;
    }
    if (src->nclasses)
        memcpy(db->life, src->life, (size_t)src->nclasses * sizeof(*db->life));
    for (i = 0; i < src->nclasses; i++) {
        db->classes[i] = gs__strdup(src->classes[i]);
        db->nclasses = i + 1;
        if (!db->classes[i])
            goto oom;
    }
    if (src->gp) {
        if (!(db->gp = calloc((size_t)src->nclasses, sizeof(*db->gp))))
            goto oom;
        for (i = 0; i < src->nclasses; i++) /* shared: the models are never changed */
            db->gp[i] = gs__goodput_ref(src->gp[i]);
    }
    for (i = 0; i < src->nmix; i++) {
        db->mix[i].max_gpus = src->mix[i].max_gpus;
        db->mix[i].w = malloc((size_t)src->nclasses * sizeof(double));
        db->nmix = i + 1;
        if (!db->mix[i].w)
            goto oom;
        memcpy(db->mix[i].w, src->mix[i].w, (size_t)src->nclasses * sizeof(double));
    }
    if (src->ne)
        memcpy(db->e, src->e, src->ne * sizeof(*db->e));
    db->ne = src->ne;
    if (gs_scaledb_reindex(db, err) != GS_OK) {
        gs_scaledb_free(db);
        return NULL;
    }
    return db;
oom:
    gs_scaledb_free(db);
    gs_errorf(err, GS_ENOMEM, "out of memory");
    return NULL;
}

/* ---- loading ---- */

static int load_types(gs_scaledb *db, const gs__jdoc *d, gs_err *err)
{
    static const char *const keys[] = {"name",        "memory_gb", "gpus_per_node",
                                       "description", "model",     NULL};
    const cJSON *arr = gs__jarr(d, d->root, "", "gpu_types", 1, err), *it;
    int i = 0;

    if (!arr)
        return GS_EINVAL;
    db->types = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->types));
    if (!db->types)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        const char *name;
        long gpn;
        gs__jpath_idx(p, sizeof(p), "gpu_types", i);
        if (gs__jkeys(d, it, p, keys, err) || gs__jstr(d, it, p, "name", 1, NULL, &name, err) ||
            gs__jnum(d, it, p, "memory_gb", 1, 0, 1e-9, 1e9, &db->types[i].memory_gb, err) ||
            gs__jint(d, it, p, "gpus_per_node", 0, 8, 1, 1024, &gpn, err))
            return GS_EINVAL;
        if (gs_scaledb_type_find(db, name) >= 0)
            return gs__jerr(d, err, GS_EINVAL, p, "duplicate GPU type '%s'", name);
        db->types[i].gpus_per_node = (int)gpn;
        db->types[i].name = gs__strdup(name);
        if (!db->types[i].name)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        db->ntypes = ++i;
    }
    if (db->ntypes == 0)
        return gs__jerr(d, err, GS_EINVAL, "gpu_types", "no GPU type");
    return GS_OK;
}

/* The optional "lifecycle" of a class: what its starts read and its checkpoints write, and
 * fixed costs that replace the modelled ones (docs/scaledb.md). */
static int load_lifecycle(const gs__jdoc *d, const cJSON *cls, const char *p,
                          gs_scaledb_lifecycle *lc, gs_err *err)
{
    static const char *const keys[] = {
        "load_gb", "restore_gb", "checkpoint_gb", "startup_s", "restart_s", "description", NULL};
    const cJSON *o = gs__jobj(d, cls, p, "lifecycle", 0, err);
    char lp[96];

    lc->load_gb = lc->restore_gb = lc->checkpoint_gb = 0;
    lc->startup_s = lc->restart_s = -1;
    if (!o)
        return err && err->code ? GS_EINVAL : GS_OK;
    gs__jpath(lp, sizeof(lp), p, "lifecycle");
    if (gs__jkeys(d, o, lp, keys, err) ||
        gs__jnum(d, o, lp, "load_gb", 0, 0, 0, 1e9, &lc->load_gb, err) ||
        gs__jnum(d, o, lp, "restore_gb", 0, lc->load_gb, 0, 1e9, &lc->restore_gb, err) ||
        gs__jnum(d, o, lp, "checkpoint_gb", 0, 0, 0, 1e9, &lc->checkpoint_gb, err) ||
        gs__jnum(d, o, lp, "startup_s", 0, -1, 0, 1e9, &lc->startup_s, err) ||
        gs__jnum(d, o, lp, "restart_s", 0, -1, 0, 1e9, &lc->restart_s, err))
        return GS_EINVAL;
    return GS_OK;
}

static int load_classes(gs_scaledb *db, const gs__jdoc *d, gs_err *err)
{
    static const char *const keys[] = {"name",  "description", "elastic",
                                       "model", "lifecycle",   NULL};
    const cJSON *arr = gs__jarr(d, d->root, "", "classes", 1, err), *it;
    int i = 0;

    if (!arr)
        return GS_EINVAL;
    db->classes = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->classes));
    db->fixed = calloc((size_t)cJSON_GetArraySize(arr) + 1, 1);
    db->life = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->life));
    if (!db->classes || !db->fixed || !db->life)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        const char *name;
        int elastic;
        gs__jpath_idx(p, sizeof(p), "classes", i);
        if (gs__jkeys(d, it, p, keys, err) || gs__jstr(d, it, p, "name", 1, NULL, &name, err) ||
            gs__jbool(d, it, p, "elastic", 0, 1, &elastic, err) ||
            load_lifecycle(d, it, p, &db->life[i], err))
            return GS_EINVAL;
        db->fixed[i] = !elastic;
        if (gs_scaledb_class_find(db, name) >= 0)
            return gs__jerr(d, err, GS_EINVAL, p, "duplicate class '%s'", name);
        db->classes[i] = gs__strdup(name);
        if (!db->classes[i])
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        db->nclasses = ++i;
    }
    if (db->nclasses == 0)
        return gs__jerr(d, err, GS_EINVAL, "classes", "no workload class");
    return GS_OK;
}

static int load_mix(gs_scaledb *db, const gs__jdoc *d, gs_err *err)
{
    static const char *const keys[] = {"max_gpus", "weights", "description", NULL};
    const cJSON *arr = gs__jarr(d, d->root, "", "class_mix", 0, err), *it;
    int i = 0;

    if (!arr)
        return err && err->code ? GS_EINVAL : GS_OK;
    db->mix = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->mix));
    if (!db->mix)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        char p[64], wp[96];
        const cJSON *w, *wi;
        long maxg;
        double sum = 0;
        gs__jpath_idx(p, sizeof(p), "class_mix", i);
        if (gs__jkeys(d, it, p, keys, err) ||
            gs__jint(d, it, p, "max_gpus", 1, 0, 1, 1000000, &maxg, err) ||
            !(w = gs__jobj(d, it, p, "weights", 1, err)))
            return GS_EINVAL;
        if (i > 0 && maxg <= db->mix[i - 1].max_gpus)
            return gs__jerr(d, err, GS_EINVAL, p, "max_gpus must increase along class_mix");
        db->mix[i].max_gpus = (int)maxg;
        db->mix[i].w = calloc((size_t)db->nclasses, sizeof(double));
        if (!db->mix[i].w)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        db->nmix = i + 1;
        gs__jpath(wp, sizeof(wp), p, "weights");
        cJSON_ArrayForEach(wi, w)
        {
            char ip[160];
            int c = gs_scaledb_class_find(db, wi->string);
            gs__jpath(ip, sizeof(ip), wp, wi->string);
            if (c < 0)
                return gs__jerr(d, err, GS_EINVAL, ip, "unknown workload class '%s'", wi->string);
            if (!cJSON_IsNumber(wi) || !(wi->valuedouble >= 0 && wi->valuedouble <= 1e6))
                return gs__jerr(d, err, GS_EINVAL, ip, "expected a weight in [0, 1e6]");
            db->mix[i].w[c] = wi->valuedouble;
            sum += wi->valuedouble;
        }
        if (!(sum > 0))
            return gs__jerr(d, err, GS_EINVAL, wp, "weights sum to zero");
        {
            int c;
            for (c = 0; c < db->nclasses; c++)
                db->mix[i].w[c] /= sum;
        }
        i++;
    }
    return GS_OK;
}

static int load_entries(gs_scaledb *db, const gs__jdoc *d, gs_err *err)
{
    static const char *const keys[] = {"class",      "gpu_type", "gpus", "nodes",
                                       "throughput", "viable",   "note", NULL};
    const cJSON *arr = gs__jarr(d, d->root, "", "entries", 1, err), *it;
    size_t i = 0, k;

    if (!arr)
        return GS_EINVAL;
    db->e = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*db->e));
    if (!db->e)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        const char *cname, *tname;
        long gpus, nodes;
        gs_scaledb_entry *en = &db->e[i];
        gs__jpath_idx(p, sizeof(p), "entries", (int)i);
        if (gs__jkeys(d, it, p, keys, err) || gs__jstr(d, it, p, "class", 1, NULL, &cname, err) ||
            gs__jstr(d, it, p, "gpu_type", 1, NULL, &tname, err) ||
            gs__jint(d, it, p, "gpus", 1, 0, 1, 1000000, &gpus, err) ||
            gs__jnum(d, it, p, "throughput", 1, 0, 0, GS_SCALEDB_THR_MAX, &en->throughput, err) ||
            gs__jbool(d, it, p, "viable", 1, 0, &en->viable, err))
            return GS_EINVAL;
        if (en->throughput > 0 && en->throughput < GS_SCALEDB_THR_MIN) {
            char fp[96];
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "throughput"),
                            "value %g out of range: 0, or in [%g, %g]", en->throughput,
                            GS_SCALEDB_THR_MIN, GS_SCALEDB_THR_MAX);
        }
        en->cls = gs_scaledb_class_find(db, cname);
        en->type = gs_scaledb_type_find(db, tname);
        if (en->cls < 0) {
            char fp[96];
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "class"),
                            "unknown workload class '%s'", cname);
        }
        if (en->type < 0) {
            char fp[96];
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "gpu_type"),
                            "unknown GPU type '%s'", tname);
        }
        if (gs__jint(d, it, p, "nodes", 0, canon_nodes(db, en->type, (int)gpus), 1, gpus, &nodes,
                     err))
            return GS_EINVAL;
        en->gpus = (int)gpus;
        en->nodes = (int)nodes;
        if (en->viable && !(en->throughput > 0)) {
            char fp[96];
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "throughput"),
                            "a viable configuration needs a throughput > 0");
        }
        db->ne = ++i;
    }
    /* duplicates, named by their position in the file */
    {
        posentry *ord = malloc((db->ne ? db->ne : 1) * sizeof(*ord));
        if (!ord)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        for (k = 0; k < db->ne; k++) {
            ord[k].e = db->e[k];
            ord[k].pos = k;
        }
        qsort(ord, db->ne, sizeof(*ord), by_pair_pos);
        for (k = 1; k < db->ne; k++) {
            if (!by_pair(&ord[k - 1].e, &ord[k].e)) {
                char p[64];
                size_t first = ord[k - 1].pos, second = ord[k].pos;
                free(ord);
                return gs__jerr(d, err, GS_EINVAL,
                                gs__jpath_idx(p, sizeof(p), "entries", (int)second),
                                "duplicate entry (same class, gpu_type, gpus and nodes as "
                                "entries[%zu])",
                                first);
            }
        }
        free(ord);
    }
    return GS_OK;
}

static const char *const root_keys[] = {"schema_version",
                                        "name",
                                        "description",
                                        "throughput_unit",
                                        "reference_gpu_type",
                                        "gpu_types",
                                        "classes",
                                        "class_mix",
                                        "entries",
                                        "model",
                                        NULL};

static gs_scaledb *from_doc(gs__jdoc *dp, const char *path, gs_err *err);

gs_scaledb *gs_scaledb_load(const char *path, gs_err *err)
{
    gs__jdoc d;

    if (gs__jdoc_load(&d, path, err) != GS_OK)
        return NULL;
    return from_doc(&d, path, err);
}

gs_scaledb *gs__scaledb_parse(const char *name, const char *text, gs_err *err)
{
    gs__jdoc d;

    if (gs__jdoc_parse(&d, name, text, err) != GS_OK)
        return NULL;
    return from_doc(&d, name, err);
}

/* Builds the DB from a parsed document, which it releases. */
static gs_scaledb *from_doc(gs__jdoc *dp, const char *path, gs_err *err)
{
    gs__jdoc d = *dp;
    gs_scaledb *db;
    const char *name, *ref, *unit;

    db = calloc(1, sizeof(*db));
    if (!db) {
        gs__jdoc_release(&d);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (gs__jschema(&d, GS_SCALEDB_SCHEMA, NULL, err) ||
        gs__jkeys(&d, d.root, "", root_keys, err) ||
        gs__jstr(&d, d.root, "", "name", 0, "unnamed", &name, err) || load_types(db, &d, err) ||
        load_classes(db, &d, err) || load_mix(db, &d, err) || load_entries(db, &d, err) ||
        gs__jstr(&d, d.root, "", "reference_gpu_type", 0, "A100-80GB", &ref, err) ||
        gs__jstr(&d, d.root, "", "throughput_unit", 0, "", &unit, err))
        goto fail;
    db->ref = gs_scaledb_type_find(db, ref);
    if (db->ref < 0) {
        gs__jerr(&d, err, GS_EINVAL, "reference_gpu_type", "unknown GPU type '%s'", ref);
        goto fail;
    }
    db->name = gs__strdup(name);
    db->path = gs__strdup(path);
    db->unit = gs__strdup(unit);
    if (!db->name || !db->path || !db->unit) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    if (gs_scaledb_reindex(db, err) != GS_OK)
        goto fail;
    gs__jdoc_release(&d);
    return db;
fail:
    gs__jdoc_release(&d);
    gs_scaledb_free(db);
    return NULL;
}

int gs_scaledb_perturb(gs_scaledb *db, double sigma, double flip_p, uint64_t seed, gs_err *err)
{
    gs__rng *rng;
    size_t i;

    if (!(sigma >= 0) || !isfinite(sigma) || !(flip_p >= 0 && flip_p <= 1))
        return gs_errorf(err, GS_EINVAL,
                         "knowledge error must be >= 0 and flip probability in "
                         "[0, 1]");
    if (sigma == 0 && flip_p == 0)
        return GS_OK;
    rng = gs__rng_new(seed);
    if (!rng)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    /* entries are sorted by (class, type, gpus, nodes), so draws do not depend on file order;
     * every entry takes one normal and one uniform draw whatever sigma and flip_p are, so the
     * same seed gives the same throughput errors at any flip_p and the same flips at any sigma
     * (common random numbers across a sweep of either) */
    for (i = 0; i < db->ne; i++) {
        gs_scaledb_entry *en = &db->e[i];
        double z = gs__rng_gaussian(rng, 1.0), u = gs__rng_uniform(rng);
        if (sigma > 0)
            en->throughput *= exp(sigma * z);
        if (flip_p > 0 && u < flip_p)
            en->viable = !en->viable;
    }
    for (i = 0; i < db->ne; i++) {
        gs_scaledb_entry *en = &db->e[i];
        size_t k, best = db->ne;
        /* a DB that models non-viable entries (configs/scaledb/default.json does) gives a
         * configuration believed viable its own modelled throughput; one that left it at 0
         * borrows the per-GPU throughput of the nearest count of the same class and type */
        if (!en->viable || en->throughput > 0)
            continue;
        for (k = 0; k < db->ne; k++) {
            const gs_scaledb_entry *o = &db->e[k];
            if (o->cls != en->cls || o->type != en->type || !(o->throughput > 0))
                continue;
            if (best == db->ne || abs(o->gpus - en->gpus) < abs(db->e[best].gpus - en->gpus))
                best = k;
        }
        if (best == db->ne)
            en->viable = 0;
        else
            en->throughput = db->e[best].throughput / db->e[best].gpus * en->gpus;
    }
    gs__rng_free(rng);
    return gs_scaledb_reindex(db, err);
}
