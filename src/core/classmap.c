/* SPDX-License-Identifier: Apache-2.0 */
/* Job types and sizes to workload classes: loading, validation and matching of the rules of
 * configs/classes/ *.json. */
#include "gpusim/classmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "util_int.h"

typedef struct cweight {
    char *cls;
    double w;
    int line; /* of its key, for messages */
} cweight;

typedef struct rule {
    char **formats; /* NULL: any */
    size_t nformats;
    char **types; /* NULL: any */
    size_t ntypes;
    int min_gpus, max_gpus;
    double min_dur, max_dur;
    int db_mix;
    cweight *w;
    size_t nw;
    char *note;
    int line;
} rule;

struct gs_classmap {
    char *path;
    char *name;
    rule *rules;
    size_t nrules;
};

static void free_strs(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void gs_classmap_free(gs_classmap *m)
{
    size_t i, k;

    if (!m)
        return;
    for (i = 0; i < m->nrules; i++) {
        rule *r = &m->rules[i];
        free_strs(r->formats, r->nformats);
        free_strs(r->types, r->ntypes);
        for (k = 0; k < r->nw; k++)
            free(r->w[k].cls);
        free(r->w);
        free(r->note);
    }
    free(m->rules);
    free(m->path);
    free(m->name);
    free(m);
}

/* A string or an array of strings (non-empty unless empty_ok) into *out. */
static int str_list(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                    int empty_ok, char ***out, size_t *n, gs_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
    char path[256];
    size_t k = 0;

    *out = NULL;
    *n = 0;
    if (!v)
        return GS_OK;
    gs__jpath(path, sizeof(path), objp, key);
    if (cJSON_IsString(v)) {
        if (!*v->valuestring && !empty_ok)
            return gs__jerr(d, err, GS_EINVAL, path, "empty string");
        *out = malloc(sizeof(**out));
        if (!*out || !((*out)[0] = gs__strdup(v->valuestring))) {
            free(*out);
            *out = NULL;
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        *n = 1;
        return GS_OK;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return gs__jerr(d, err, GS_EINVAL, path, "expected a string or a non-empty array of them");
    *out = calloc((size_t)cJSON_GetArraySize(v), sizeof(**out));
    if (!*out)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, v)
    {
        char ip[280];
        gs__jpath_idx(ip, sizeof(ip), path, (int)k);
        if (!cJSON_IsString(it) || (!*it->valuestring && !empty_ok)) {
            *n = k;
            return gs__jerr(d, err, GS_EINVAL, ip, "expected a%s string",
                            empty_ok ? "" : " non-empty");
        }
        if (!((*out)[k] = gs__strdup(it->valuestring))) {
            *n = k;
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        k++;
    }
    *n = k;
    return GS_OK;
}

static int load_rule(const gs__jdoc *d, const cJSON *it, const char *p, rule *r, gs_err *err)
{
    static const char *const keys[] = {"format",   "type",         "min_gpus",
                                       "max_gpus", "min_duration", "max_duration",
                                       "classes",  "note",         NULL};
    const cJSON *cl;
    const char *note = "";
    long lo, hi;
    int rc;

    r->line = gs__jdoc_line(d, p);
    if ((rc = gs__jkeys(d, it, p, keys, err)) != GS_OK ||
        (rc = str_list(d, it, p, "format", 0, &r->formats, &r->nformats, err)) != GS_OK ||
        (rc = str_list(d, it, p, "type", 1, &r->types, &r->ntypes, err)) != GS_OK ||
        (rc = gs__jint(d, it, p, "min_gpus", 0, 1, 1, 1000000, &lo, err)) != GS_OK ||
        (rc = gs__jint(d, it, p, "max_gpus", 0, 1000000, 1, 1000000, &hi, err)) != GS_OK ||
        (rc = gs__jnum(d, it, p, "min_duration", 0, 0, 0, 1e9, &r->min_dur, err)) != GS_OK ||
        (rc = gs__jnum(d, it, p, "max_duration", 0, 1e9, 0, 1e9, &r->max_dur, err)) != GS_OK)
        return rc;
    r->min_gpus = (int)lo;
    r->max_gpus = (int)hi;
    if (r->min_gpus > r->max_gpus)
        return gs__jerr(d, err, GS_EINVAL, p, "min_gpus %d is above max_gpus %d", r->min_gpus,
                        r->max_gpus);
    if (r->min_dur > r->max_dur)
        return gs__jerr(d, err, GS_EINVAL, p, "min_duration %g is above max_duration %g",
                        r->min_dur, r->max_dur);
    if (cJSON_GetObjectItemCaseSensitive(it, "note") &&
        (rc = gs__jstr(d, it, p, "note", 0, "", &note, err)) != GS_OK)
        return rc;
    if (!(r->note = gs__strdup(note)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    cl = cJSON_GetObjectItemCaseSensitive(it, "classes");
    {
        char cp[280];
        const cJSON *c;
        double sum = 0;
        gs__jpath(cp, sizeof(cp), p, "classes");
        if (!cl)
            return gs__jerr(d, err, GS_EINVAL, p, "missing required field 'classes'");
        if (cJSON_IsString(cl)) {
            if (strcmp(cl->valuestring, "db-mix") != 0)
                return gs__jerr(d, err, GS_EINVAL, cp,
                                "expected \"db-mix\" or an object of class weights, got \"%s\"",
                                cl->valuestring);
            r->db_mix = 1;
            return GS_OK;
        }
        if (!cJSON_IsObject(cl) || cJSON_GetArraySize(cl) == 0)
            return gs__jerr(d, err, GS_EINVAL, cp,
                            "expected \"db-mix\" or a non-empty object of class weights");
        r->w = calloc((size_t)cJSON_GetArraySize(cl), sizeof(*r->w));
        if (!r->w)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        cJSON_ArrayForEach(c, cl)
        {
            char wp[400];
            double v;
            snprintf(wp, sizeof(wp), "%s.%s", cp, c->string);
            if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0 && c->valuedouble <= 1e6))
                return gs__jerr(d, err, GS_EINVAL, wp, "expected a weight in [0, 1e6]");
            v = c->valuedouble;
            r->w[r->nw].w = v;
            r->w[r->nw].line = gs__jdoc_line(d, wp);
            if (!(r->w[r->nw].cls = gs__strdup(c->string)))
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            r->nw++;
            sum += v;
        }
        if (!(sum > 0))
            return gs__jerr(d, err, GS_EINVAL, cp, "the weights sum to 0");
    }
    return GS_OK;
}

gs_classmap *gs_classmap_load(const char *path, gs_err *err)
{
    static const char *const root_keys[] = {"schema_version", "name", "description", "rules", NULL};
    gs__jdoc d;
    gs_classmap *m;
    const cJSON *rules, *it;
    const char *name;
    int i = 0;

    if (gs__jdoc_load(&d, path, err) != GS_OK)
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m) {
        gs__jdoc_release(&d);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (gs__jschema(&d, GS_CLASSMAP_SCHEMA, NULL, err) != GS_OK ||
        gs__jkeys(&d, d.root, "", root_keys, err) != GS_OK ||
        gs__jstr(&d, d.root, "", "name", 1, NULL, &name, err) != GS_OK ||
        !(rules = gs__jarr(&d, d.root, "", "rules", 1, err)))
        goto fail;
    if (!(m->path = gs__strdup(path)) || !(m->name = gs__strdup(name)) ||
        !(m->rules = calloc((size_t)cJSON_GetArraySize(rules) + 1, sizeof(*m->rules)))) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    cJSON_ArrayForEach(it, rules)
    {
        char p[64];
        gs__jpath_idx(p, sizeof(p), "rules", i++);
        m->nrules++;
        if (!cJSON_IsObject(it)) {
            gs__jerr(&d, err, GS_EINVAL, p, "expected a rule object");
            goto fail;
        }
        if (load_rule(&d, it, p, &m->rules[m->nrules - 1], err) != GS_OK)
            goto fail;
    }
    gs__jdoc_release(&d);
    return m;
fail:
    gs__jdoc_release(&d);
    gs_classmap_free(m);
    return NULL;
}

const char *gs_classmap_name(const gs_classmap *m)
{
    return m->name;
}

const char *gs_classmap_path(const gs_classmap *m)
{
    return m->path;
}

size_t gs_classmap_nrules(const gs_classmap *m)
{
    return m->nrules;
}

const char *gs_classmap_rule_note(const gs_classmap *m, size_t r)
{
    return r < m->nrules ? m->rules[r].note : "";
}

static int in(char **v, size_t n, const char *s)
{
    size_t i;

    if (!v)
        return 1;
    for (i = 0; i < n; i++)
        if (!strcmp(v[i], s) || !strcmp(v[i], "*"))
            return 1;
    return 0;
}

int gs_classmap_match(const gs_classmap *m, size_t from, const char *format, const char *type,
                      int gpus, double duration)
{
    size_t i;

    for (i = from; i < m->nrules; i++) {
        const rule *r = &m->rules[i];
        if (in(r->formats, r->nformats, format ? format : "") &&
            in(r->types, r->ntypes, type ? type : "") && gpus >= r->min_gpus &&
            gpus <= r->max_gpus && duration >= r->min_dur && duration <= r->max_dur)
            return (int)i;
    }
    return -1;
}

int gs_classmap_weights(const gs_classmap *m, size_t ri, const gs_scaledb *db, int gpus, double *w,
                        gs_err *err)
{
    const rule *r = &m->rules[ri];
    int nc = gs_scaledb_nclasses(db), c;
    size_t k;

    if (r->db_mix) {
        gs_scaledb_mix(db, gpus, w);
        return GS_OK;
    }
    for (c = 0; c < nc; c++)
        w[c] = 0;
    for (k = 0; k < r->nw; k++) {
        c = gs_scaledb_class_find(db, r->w[k].cls);
        if (c < 0)
            return gs_errorf(err, GS_EINVAL,
                             "class mapping '%s' line %d: field 'rules[%zu].classes.%s': scaling "
                             "DB '%s' has no class '%s' (choose a mapping for this DB with "
                             "--classes, or --classes db-mix)",
                             m->path, r->w[k].line, ri, r->w[k].cls, gs_scaledb_name(db),
                             r->w[k].cls);
        w[c] += r->w[k].w;
    }
    return GS_OK;
}

int gs_classmap_check(const gs_classmap *m, const gs_scaledb *db, gs_err *err)
{
    size_t r, k;

    for (r = 0; r < m->nrules; r++)
        for (k = 0; k < m->rules[r].nw; k++)
            if (gs_scaledb_class_find(db, m->rules[r].w[k].cls) < 0)
                return gs_errorf(err, GS_EINVAL,
                                 "class mapping '%s' line %d: field 'rules[%zu].classes.%s': "
                                 "scaling DB '%s' has no class '%s'",
                                 m->path, m->rules[r].w[k].line, r, m->rules[r].w[k].cls,
                                 gs_scaledb_name(db), m->rules[r].w[k].cls);
    return GS_OK;
}
