/* SPDX-License-Identifier: Apache-2.0 */
/* Many result folders into tables: runs (summary.json), jobs (jobs.csv) and pooled JCT CDFs. */
#include "gpusim/merge.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_int.h"
#include "gpusim/cdf.h"
#include "gpusim/limits.h"
#include "gpusim/stats.h"
#include "json_int.h"
#include "util_int.h"

enum { K_STR, K_NUM, K_ANY };
/* A column results written before it existed lack: an empty cell then (added to the kind) */
#define K_NEW 0x10

typedef struct mcol {
    const char *name;
    const char *path; /* in summary.json */
    int kind;
} mcol;

/* The run's parameters: what a sweep varies and what identifies its inputs. */
static const mcol param_cols[] = {
    {"policy", "policy", K_STR},
    {"policy_knowledge", "policy_knowledge", K_STR},
    {"trace", "inputs.trace.path", K_STR},
    {"trace_sha256", "inputs.trace.sha256", K_STR},
    {"job_type", "trace.job_type", K_STR},
    {"cluster", "cluster.name", K_STR},
    {"cluster_path", "inputs.cluster.path", K_STR},
    {"cluster_sha256", "inputs.cluster.sha256", K_STR},
    {"scaledb", "scaledb", K_STR},
    {"scaledb_path", "inputs.scaledb.path", K_STR},
    {"scaledb_sha256", "inputs.scaledb.sha256", K_STR},
    {"seed", "seed", K_NUM},
    {"restart_delay", "options.restart_delay", K_NUM},
    {"fail_delay", "options.fail_delay", K_NUM},
    {"round_length", "options.round_length", K_NUM},
    {"until", "options.until", K_NUM},
    {"max_failures", "options.max_failures", K_NUM},
    {"knowledge_error", "options.knowledge_error", K_NUM},
    {"viability_error", "options.viability_error", K_NUM},
    {"knowledge_seed", "options.knowledge_seed", K_NUM},
    {"states", "trace.states", K_STR | K_NEW},
    {"checkpoint_interval", "lifecycle.checkpoint_interval_s", K_NUM | K_NEW},
    {"preemption", "lifecycle.preemption", K_STR | K_NEW},
    {"gpusim_version", "gpusim_version", K_STR},
};

static const mcol metric_cols[] = {
    {"jobs", "jobs", K_NUM},
    {"finished", "finished", K_NUM},
    {"unfinished", "unfinished", K_NUM},
    {"unschedulable", "unschedulable", K_NUM},
    {"completed", "completed", K_NUM | K_NEW},
    {"failed", "failed", K_NUM | K_NEW},
    {"cancelled", "cancelled", K_NUM | K_NEW},
    {"jct_mean", "jct.mean", K_NUM},
    {"jct_p10", "jct.p10", K_NUM | K_NEW},
    {"jct_p25", "jct.p25", K_NUM | K_NEW},
    {"jct_p50", "jct.p50", K_NUM},
    {"jct_p75", "jct.p75", K_NUM | K_NEW},
    {"jct_p90", "jct.p90", K_NUM},
    {"jct_p95", "jct.p95", K_NUM},
    {"jct_p99", "jct.p99", K_NUM},
    {"jct_max", "jct.max", K_NUM},
    {"jct_completed_mean", "jct_completed.mean", K_NUM | K_NEW},
    {"jct_completed_p50", "jct_completed.p50", K_NUM | K_NEW},
    {"jct_completed_p90", "jct_completed.p90", K_NUM | K_NEW},
    {"jct_completed_p99", "jct_completed.p99", K_NUM | K_NEW},
    {"mean_queue_delay", "mean_queue_delay", K_NUM},
    {"makespan", "makespan", K_NUM},
    {"gpu_hours", "gpu_hours", K_NUM},
    {"wasted_gpu_hours", "wasted_gpu_hours", K_NUM},
    {"load", "load.ratio", K_NUM | K_NEW},
    {"demand_gpu_hours", "load.demand_gpu_hours", K_NUM | K_NEW},
    {"capacity_gpu_hours", "load.capacity_gpu_hours", K_NUM | K_NEW},
    {"startup_gpu_hours", "startup_gpu_hours", K_NUM | K_NEW},
    {"lost_gpu_hours", "lost_gpu_hours", K_NUM | K_NEW},
    {"checkpoint_saves", "checkpoint_saves", K_NUM | K_NEW},
    {"restarts", "restarts", K_NUM},
    {"failures", "failures", K_NUM},
    {"trace_rows", "trace.rows", K_NUM},
    {"trace_kept", "trace.kept", K_NUM},
    {"cluster_gpus", "cluster.gpus", K_NUM},
    {"events", "engine.events", K_NUM},
    {"plans", "engine.plans", K_NUM},
    {"actions", "engine.actions", K_NUM},
};

static const mcol tail_cols[] = {
    {"command", "command", K_STR},
};

/* Objects whose members become columns "<prefix><key>". */
typedef struct mgroup {
    const char *prefix;
    const char *path;
    int required;
} mgroup;

enum { G_PARAM, G_UTIL, G_STATS, G_TIME, G_FAIR, G_ENERGY, G_ENERGY_T, G_COST, G_COST_T, NGROUPS };
static const mgroup groups[NGROUPS] = {
    {"param.", "options.params", 0},
    {"util.", "utilization", 1},
    {"policy_stats.", "policy_stats", 1},
    {"policy_time.", "policy_time", 0},
    /* absent from results of gpusim before 0.1 had them: optional */
    {"fairness.", "fairness", 0},
    {"energy_kwh.", "energy_kwh", 0},
    {"energy_kwh_type.", "energy_kwh_per_type", 0},
    {"cost_usd.", "cost_usd", 0},
    {"cost_usd_type.", "cost_usd_per_type", 0},
};

#define NPARAM  (sizeof(param_cols) / sizeof(param_cols[0]))
#define NMETRIC (sizeof(metric_cols) / sizeof(metric_cols[0]))
#define NTAIL   (sizeof(tail_cols) / sizeof(tail_cols[0]))
#define NSTATIC (NPARAM + NMETRIC + NTAIL)

typedef struct mkv {
    char *key; /* the full column name, "<prefix><key>" */
    char *val;
} mkv;

typedef struct mrun {
    char *dir;
    dev_t dev; /* identity of the folder: one reached twice (a link, a path given twice) */
    ino_t ino; /* counts once */
    char *vals[NSTATIC]; /* params, metrics, tail */
    mkv *dyn[NGROUPS];
    size_t ndyn[NGROUPS];
} mrun;

struct gs_merge {
    mrun *runs;
    size_t n, cap;
};

static const mcol *static_col(size_t i)
{
    if (i < NPARAM)
        return &param_cols[i];
    if (i < NPARAM + NMETRIC)
        return &metric_cols[i - NPARAM];
    return &tail_cols[i - NPARAM - NMETRIC];
}

static void run_release(mrun *r)
{
    size_t i, g;

    free(r->dir);
    for (i = 0; i < NSTATIC; i++)
        free(r->vals[i]);
    for (g = 0; g < NGROUPS; g++) {
        for (i = 0; i < r->ndyn[g]; i++) {
            free(r->dyn[g][i].key);
            free(r->dyn[g][i].val);
        }
        free(r->dyn[g]);
    }
    memset(r, 0, sizeof(*r));
}

gs_merge *gs_merge_new(gs_err *err)
{
    gs_merge *m = calloc(1, sizeof(*m));

    if (!m)
        gs_errorf(err, GS_ENOMEM, "out of memory");
    return m;
}

void gs_merge_free(gs_merge *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; i < m->n; i++)
        run_release(&m->runs[i]);
    free(m->runs);
    free(m);
}

size_t gs_merge_nruns(const gs_merge *m)
{
    return m->n;
}

const char *gs_merge_run_dir(const gs_merge *m, size_t i)
{
    return i < m->n ? m->runs[i].dir : NULL;
}

/* ---- reading one summary.json ---- */

static char *strndup_(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static const cJSON *at_path(const cJSON *root, const char *path)
{
    char key[64];
    const char *s = path;

    while (root && *s) {
        size_t n = strcspn(s, ".");
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, s, n);
        key[n] = '\0';
        root = cJSON_GetObjectItemCaseSensitive(root, key);
        s += n;
        if (*s == '.')
            s++;
    }
    return root;
}

/* The cell for a JSON value: strings decoded, numbers exactly as written, null empty. */
static int cell(const gs__jdoc *d, const cJSON *v, const char *path, const char *key, int kind,
                char **out, gs_err *err)
{
    char full[256];
    const char *raw;
    size_t len;

    if (key)
        snprintf(full, sizeof(full), "%s.%s", path, key);
    else
        snprintf(full, sizeof(full), "%s", path);
    if (cJSON_IsNull(v)) {
        *out = gs__strdup("");
    } else if (cJSON_IsString(v)) {
        if (kind == K_NUM)
            return gs__jerr(d, err, GS_EPARSE, full, "not a number");
        *out = gs__strdup(v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        if (kind == K_STR)
            return gs__jerr(d, err, GS_EPARSE, full, "not a string");
        raw = gs__jdoc_raw(d, path, key, &len);
        if (!raw)
            return gs__jerr(d, err, GS_EPARSE, full, "cannot locate the number");
        *out = strndup_(raw, len);
    } else if (cJSON_IsBool(v) && kind == K_ANY) {
        *out = gs__strdup(cJSON_IsTrue(v) ? "true" : "false");
    } else {
        return gs__jerr(d, err, GS_EPARSE, full, "not a %s",
                        kind == K_ANY   ? "number, string or boolean"
                        : kind == K_NUM ? "number"
                                        : "string");
    }
    return *out ? GS_OK : gs_errorf(err, GS_ENOMEM, "out of memory");
}

static int load_group(const gs__jdoc *d, mrun *r, int g, gs_err *err)
{
    const cJSON *obj = at_path(d->root, groups[g].path), *c;
    size_t n = 0, i;
    int rc;

    if (!obj) {
        if (groups[g].required)
            return gs__jerr(d, err, GS_EPARSE, groups[g].path, "missing");
        return GS_OK;
    }
    if (!cJSON_IsObject(obj))
        return gs__jerr(d, err, GS_EPARSE, groups[g].path, "not an object");
    for (c = obj->child; c; c = c->next)
        n++;
    r->dyn[g] = calloc(n ? n : 1, sizeof(mkv));
    if (!r->dyn[g])
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (c = obj->child; c; c = c->next) {
        gs__buf name = {0};
        char *val = NULL;
        if ((rc = cell(d, c, groups[g].path, c->string, K_ANY, &val, err)) != GS_OK)
            return rc;
        if (gs__buf_printf(&name, "%s%s", groups[g].prefix, c->string) != 0) {
            free(val);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        for (i = 0; i < r->ndyn[g]; i++) /* a repeated key: the last one holds */
            if (!strcmp(r->dyn[g][i].key, name.data))
                break;
        if (i < r->ndyn[g]) {
            free(r->dyn[g][i].val);
            r->dyn[g][i].val = val;
            gs__buf_release(&name);
        } else {
            r->dyn[g][r->ndyn[g]].key = name.data;
            r->dyn[g][r->ndyn[g]].val = val;
            r->ndyn[g]++;
        }
    }
    return GS_OK;
}

static int load_run(mrun *r, const char *dir, gs_err *err)
{
    gs__jdoc d;
    char *path = gs__path_join(dir, "summary.json");
    size_t i;
    int rc, g;

    memset(r, 0, sizeof(*r));
    r->dir = gs__strdup(dir);
    if (!path || !r->dir) {
        free(path);
        run_release(r);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    rc = gs__jdoc_load(&d, path, err);
    free(path);
    if (rc != GS_OK) {
        run_release(r);
        return rc;
    }
    if (!cJSON_IsObject(d.root)) {
        rc = gs__jerr(&d, err, GS_EPARSE, "", "not a JSON object");
        goto out;
    }
    for (i = 0; i < NSTATIC; i++) {
        const mcol *c = static_col(i);
        const cJSON *v = at_path(d.root, c->path);
        if (!v && (c->kind & K_NEW)) {
            if (!(r->vals[i] = gs__strdup(""))) {
                rc = gs_errorf(err, GS_ENOMEM, "out of memory");
                goto out;
            }
            continue;
        }
        if (!v) {
            rc = gs__jerr(&d, err, GS_EPARSE, c->path, "missing");
            goto out;
        }
        if ((rc = cell(&d, v, c->path, NULL, c->kind & ~K_NEW, &r->vals[i], err)) != GS_OK)
            goto out;
    }
    for (g = 0; g < NGROUPS; g++)
        if ((rc = load_group(&d, r, g, err)) != GS_OK)
            goto out;
out:
    gs__jdoc_release(&d);
    if (rc != GS_OK)
        run_release(r);
    return rc;
}

/* ---- finding result folders ---- */

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static int strlist_push(strlist *l, char *s)
{
    if (!s)
        return -1;
    if (GS_GROW(l->v, l->cap, l->n + 1) != GS_OK) {
        free(s);
        return -1;
    }
    l->v[l->n++] = s;
    return 0;
}

static void strlist_release(strlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when dir holds a summary.json, 0 when not, -1 when out of memory. */
static int has_summary(const char *dir)
{
    char *p = gs__path_join(dir, "summary.json");
    struct stat st;
    int yes = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

    if (!p)
        return -1;
    free(p);
    return yes;
}

/* Folders seen by one walk, by identity: a symbolic link back up the tree (a loop) or to a
 * folder seen before is not entered again. */
typedef struct seen {
    struct stat *v;
    size_t n, cap;
} seen;

/* 1 when the folder at dir was seen before, 0 when not (now recorded), -2 on ENOMEM, -1 when it
 * cannot be stat'ed (then it is skipped). */
static int seen_check(seen *s, const char *dir)
{
    struct stat st;
    size_t i;

    if (stat(dir, &st) != 0)
        return -1;
    for (i = 0; i < s->n; i++)
        if (s->v[i].st_dev == st.st_dev && s->v[i].st_ino == st.st_ino)
            return 1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        struct stat *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return -2;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = st;
    return 0;
}

/* Result folders at or under dir, depth-first in byte order of names; each folder once. */
static int walk(const char *dir, strlist *out, seen *sn, int depth, gs_err *err)
{
    strlist names = {0};
    DIR *dp;
    struct dirent *e;
    size_t i;
    int rc = GS_OK, was;

    if ((was = seen_check(sn, dir)) != 0) {
        if (was == -2)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        return GS_OK; /* entered before: a link loop or a second way to the same folder */
    }
    if ((was = has_summary(dir)) != 0) {
        if (was < 0 || strlist_push(out, gs__strdup(dir)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        return GS_OK;
    }
    if (depth > 32)
        return GS_OK;
    dp = opendir(dir);
    if (!dp)
        return gs_errorf(err, GS_EIO, "cannot read the folder '%s'", dir);
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') /* ., .. and the temporary folders of unfinished runs */
            continue;
        if (strlist_push(&names, gs__strdup(e->d_name))) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            break;
        }
    }
    closedir(dp);
    if (names.n)
        qsort(names.v, names.n, sizeof(*names.v), cmp_str);
    for (i = 0; rc == GS_OK && i < names.n; i++) {
        char *sub = gs__path_join(dir, names.v[i]);
        struct stat st;
        if (!sub) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            break;
        }
        if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk(sub, out, sn, depth + 1, err);
        free(sub);
    }
    strlist_release(&names);
    return rc;
}

int gs_merge_add(gs_merge *m, const char *path, gs_err *err)
{
    strlist dirs = {0};
    seen sn = {0};
    struct stat st;
    char *top;
    size_t len, i, j;
    mrun *loaded = NULL;
    int rc = GS_OK;

    top = gs__strdup(path);
    if (!top)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    len = strlen(top);
    while (len > 1 && top[len - 1] == '/')
        top[--len] = '\0';
    if (stat(top, &st) != 0) {
        rc = gs_errorf(err, GS_ENOTFOUND, "'%s': no such file or folder", path);
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        const char *slash = strrchr(top, '/');
        if (strcmp(slash ? slash + 1 : top, "summary.json") != 0) {
            rc = gs_errorf(err, GS_EINVAL,
                           "'%s' is neither a folder nor a summary.json of a result folder", path);
            goto out;
        }
        if (slash && slash != top)
            top[slash - top] = '\0';
        else
            strcpy(top, slash ? "/" : ".");
    }
    if ((rc = walk(top, &dirs, &sn, 0, err)) != GS_OK)
        goto out;
    if (dirs.n == 0) {
        rc = gs_errorf(err, GS_ENOTFOUND, "no result folder (one holding summary.json) under '%s'",
                       path);
        goto out;
    }
    loaded = calloc(dirs.n, sizeof(*loaded));
    if (!loaded) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < dirs.n; i++) {
        if ((rc = load_run(&loaded[i], dirs.v[i], err)) != GS_OK) {
            while (i-- > 0)
                run_release(&loaded[i]);
            goto out;
        }
        if (stat(dirs.v[i], &st) == 0) {
            loaded[i].dev = st.st_dev;
            loaded[i].ino = st.st_ino;
        }
    }
    if (GS_GROW(m->runs, m->cap, m->n + dirs.n) != GS_OK) {
        for (i = 0; i < dirs.n; i++)
            run_release(&loaded[i]);
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < dirs.n; i++) {
        for (j = 0; j < m->n; j++)
            if (!strcmp(m->runs[j].dir, loaded[i].dir) ||
                (m->runs[j].dev == loaded[i].dev && m->runs[j].ino == loaded[i].ino))
                break;
        if (j < m->n)
            run_release(&loaded[i]); /* added before */
        else
            m->runs[m->n++] = loaded[i];
    }
out:
    free(sn.v);
    free(loaded);
    strlist_release(&dirs);
    free(top);
    return rc;
}

/* ---- columns ---- */

typedef struct keyset {
    const char **v;
    size_t n;
} keyset;

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The union of the keys of group g over all runs, sorted, unique (borrowed strings). */
static int union_keys(const gs_merge *m, int g, keyset *ks, gs_err *err)
{
    size_t i, j, total = 0, k = 0;

    memset(ks, 0, sizeof(*ks));
    for (i = 0; i < m->n; i++)
        total += m->runs[i].ndyn[g];
    ks->v = malloc((total ? total : 1) * sizeof(*ks->v));
    if (!ks->v)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < m->n; i++)
        for (j = 0; j < m->runs[i].ndyn[g]; j++)
            ks->v[k++] = m->runs[i].dyn[g][j].key;
    if (k)
        qsort(ks->v, k, sizeof(*ks->v), cmp_cstr);
    for (i = 0, j = 0; i < k; i++)
        if (j == 0 || strcmp(ks->v[j - 1], ks->v[i]) != 0)
            ks->v[j++] = ks->v[i];
    ks->n = j;
    return GS_OK;
}

static const mkv *dyn_find(const mrun *r, int g, const char *key)
{
    size_t i;

    for (i = 0; i < r->ndyn[g]; i++)
        if (!strcmp(r->dyn[g][i].key, key))
            return &r->dyn[g][i];
    return NULL;
}

static const char *dyn_value(const mrun *r, int g, const char *key)
{
    const mkv *kv = dyn_find(r, g, key);

    return kv ? kv->val : "";
}

const char *gs_merge_value(const gs_merge *m, size_t i, const char *name)
{
    size_t c, j;
    int g;

    if (i >= m->n)
        return NULL;
    if (!strcmp(name, "run"))
        return m->runs[i].dir;
    for (c = 0; c < NSTATIC; c++)
        if (!strcmp(static_col(c)->name, name))
            return m->runs[i].vals[c];
    for (g = 0; g < NGROUPS; g++)
        if (!strncmp(name, groups[g].prefix, strlen(groups[g].prefix)))
            for (j = 0; j < m->n; j++)
                if (dyn_find(&m->runs[j], g, name))
                    return dyn_value(&m->runs[i], g, name);
    return NULL;
}

static void put(FILE *fp, const char *s, int *first)
{
    if (!*first)
        fputc(',', fp);
    *first = 0;
    gs__csv_put(s, fp);
}

static void put_dyn_header(FILE *fp, const keyset *ks, int *first)
{
    size_t i;

    for (i = 0; i < ks->n; i++)
        put(fp, ks->v[i], first);
}

static void put_dyn_row(FILE *fp, const mrun *r, int g, const keyset *ks, int *first)
{
    size_t i;

    for (i = 0; i < ks->n; i++)
        put(fp, dyn_value(r, g, ks->v[i]), first);
}

static void put_params(FILE *fp, const mrun *r, const keyset *pk, int *first)
{
    size_t c;

    put(fp, r->dir, first);
    for (c = 0; c < NPARAM; c++)
        put(fp, r->vals[c], first);
    put_dyn_row(fp, r, G_PARAM, pk, first);
}

int gs_merge_write_runs(const gs_merge *m, FILE *fp, gs_err *err)
{
    keyset ks[NGROUPS];
    size_t i, c;
    int g, first = 1, rc = GS_OK;

    memset(ks, 0, sizeof(ks));
    for (g = 0; g < NGROUPS && rc == GS_OK; g++)
        rc = union_keys(m, g, &ks[g], err);
    if (rc != GS_OK)
        goto out;
    put(fp, "run", &first);
    for (c = 0; c < NPARAM; c++)
        put(fp, param_cols[c].name, &first);
    put_dyn_header(fp, &ks[G_PARAM], &first);
    for (c = 0; c < NMETRIC; c++)
        put(fp, metric_cols[c].name, &first);
    for (g = G_UTIL; g < NGROUPS; g++)
        put_dyn_header(fp, &ks[g], &first);
    for (c = 0; c < NTAIL; c++)
        put(fp, tail_cols[c].name, &first);
    fputc('\n', fp);
    for (i = 0; i < m->n; i++) {
        const mrun *r = &m->runs[i];
        first = 1;
        put_params(fp, r, &ks[G_PARAM], &first);
        for (c = 0; c < NMETRIC; c++)
            put(fp, r->vals[NPARAM + c], &first);
        for (g = G_UTIL; g < NGROUPS; g++)
            put_dyn_row(fp, r, g, &ks[g], &first);
        for (c = 0; c < NTAIL; c++)
            put(fp, r->vals[NPARAM + NMETRIC + c], &first);
        fputc('\n', fp);
    }
    if (ferror(fp))
        rc = gs_errorf(err, GS_EIO, "cannot write the runs table");
out:
    for (g = 0; g < NGROUPS; g++)
        free(ks[g].v);
    return rc;
}

/* ---- jobs.csv of every run ---- */

typedef struct jobs_ctx {
    const gs_merge *m;
    const mrun *r;
    const keyset *pk;
    FILE *fp;      /* the jobs table, or NULL */
    char *path;    /* this run's jobs.csv */
    char **hdr;    /* the first run's header */
    size_t nhdr;   /* 0 until the first header was read */
    int in_header; /* the next record is this file's header */
    int jct;       /* column of jct, or -1 */
    int want_jct;
    double *v; /* collected JCTs (NAN: unfinished) */
    size_t nv, cap;
} jobs_ctx;

static int jobs_row(void *vctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    jobs_ctx *x = vctx;
    size_t i;
    int first = 1;

    if (n == 1 && f[0].len == 0)
        return GS_OK; /* a blank line */
    if (x->in_header) {
        x->in_header = 0;
        if (!x->nhdr) {
            x->hdr = calloc(n, sizeof(*x->hdr));
            if (!x->hdr)
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            x->nhdr = n; /* now, so that a failure below frees what was copied */
            for (i = 0; i < n; i++)
                if (!(x->hdr[i] = gs__strdup(f[i].s)))
                    return gs_errorf(err, GS_ENOMEM, "out of memory");
            if (x->fp) {
                size_t c;
                int g1 = 1;
                put(x->fp, "run", &g1);
                for (c = 0; c < NPARAM; c++)
                    put(x->fp, param_cols[c].name, &g1);
                put_dyn_header(x->fp, x->pk, &g1);
                for (i = 0; i < n; i++)
                    put(x->fp, x->hdr[i], &g1);
                fputc('\n', x->fp);
            }
        } else {
            int same = n == x->nhdr;
            for (i = 0; same && i < n; i++)
                same = !strcmp(f[i].s, x->hdr[i]);
            if (!same)
                return gs_errorf(err, GS_EPARSE,
                                 "'%s' line %ld: its columns differ from those of '%s/jobs.csv'",
                                 x->path, line, x->m->runs[0].dir);
        }
        x->jct = -1;
        for (i = 0; i < n; i++)
            if (!strcmp(f[i].s, "jct"))
                x->jct = (int)i;
        if (x->want_jct && x->jct < 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: missing column 'jct'", x->path, line);
        return GS_OK;
    }
    if (n != x->nhdr)
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: %zu fields where the header has %zu",
                         x->path, line, n, x->nhdr);
    if (x->fp) {
        put_params(x->fp, x->r, x->pk, &first);
        for (i = 0; i < n; i++)
            put(x->fp, f[i].s, &first);
        fputc('\n', x->fp);
    }
    if (x->want_jct) {
        double v = NAN;
        if (f[x->jct].len && gs__parse_double(f[x->jct].s, f[x->jct].len, &v) != 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column 'jct': not a number '%s'",
                             x->path, line, f[x->jct].s);
        if (v < 0 || v > GS_TIME_MAX)
            return gs_errorf(err, GS_EPARSE,
                             "'%s' line %ld: column 'jct': %s out of range [0, 315576000] s",
                             x->path, line, f[x->jct].s);
        if (GS_GROW(x->v, x->cap, x->nv + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        x->v[x->nv++] = v;
    }
    return GS_OK;
}

static int read_jobs(jobs_ctx *x, size_t i, gs_err *err)
{
    int rc;

    x->r = &x->m->runs[i];
    x->path = gs__path_join(x->r->dir, "jobs.csv");
    if (!x->path)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    x->in_header = 1;
    rc = gs__csv_read(x->path, jobs_row, x, err);
    if (rc == GS_OK && x->in_header)
        rc = gs_errorf(err, GS_EPARSE, "'%s' line 1: empty file", x->path);
    free(x->path);
    x->path = NULL;
    return rc;
}

static void jobs_release(jobs_ctx *x)
{
    size_t i;

    for (i = 0; i < x->nhdr; i++)
        free(x->hdr[i]);
    free(x->hdr);
    free(x->v);
}

int gs_merge_write_jobs(const gs_merge *m, FILE *fp, gs_err *err)
{
    jobs_ctx x;
    keyset pk;
    size_t i;
    int rc;

    memset(&x, 0, sizeof(x));
    if ((rc = union_keys(m, G_PARAM, &pk, err)) != GS_OK)
        return rc;
    x.m = m;
    x.pk = &pk;
    x.fp = fp;
    for (i = 0; i < m->n && rc == GS_OK; i++)
        rc = read_jobs(&x, i, err);
    if (rc == GS_OK && ferror(fp))
        rc = gs_errorf(err, GS_EIO, "cannot write the jobs table");
    jobs_release(&x);
    free(pk.v);
    return rc;
}

static int is_param_column(const gs_merge *m, const char *by)
{
    size_t c;

    if (!strcmp(by, "run"))
        return 1;
    for (c = 0; c < NPARAM; c++)
        if (!strcmp(param_cols[c].name, by))
            return 1;
    return !strncmp(by, groups[G_PARAM].prefix, strlen(groups[G_PARAM].prefix)) &&
           (m->n == 0 || gs_merge_value(m, 0, by) != NULL);
}

int gs_merge_write_cdf(const gs_merge *m, const char *by, FILE *fp, gs_err *err)
{
    const char **vals = NULL;
    size_t i, j, nv = 0;
    jobs_ctx x;
    keyset pk = {0};
    int rc = GS_OK, first;

    if (!is_param_column(m, by))
        return gs_errorf(err, GS_EINVAL,
                         "cannot group by '%s': not a parameter column (run, policy, trace, "
                         "cluster, scaledb, seed, knowledge_error, param.<key>, ...)",
                         by);
    memset(&x, 0, sizeof(x));
    vals = malloc((m->n ? m->n : 1) * sizeof(*vals));
    if (!vals)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < m->n; i++)
        vals[i] = gs_merge_value(m, i, by);
    if (m->n)
        qsort(vals, m->n, sizeof(*vals), cmp_cstr);
    for (i = 0; i < m->n; i++)
        if (nv == 0 || strcmp(vals[nv - 1], vals[i]) != 0)
            vals[nv++] = vals[i];
    first = 1;
    put(fp, by, &first);
    put(fp, "jct", &first);
    put(fp, "fraction", &first);
    fputc('\n', fp);
    x.m = m;
    x.pk = &pk;
    x.want_jct = 1;
    for (j = 0; j < nv && rc == GS_OK; j++) {
        gs_cdf c;
        x.nv = 0;
        for (i = 0; i < m->n && rc == GS_OK; i++)
            if (!strcmp(gs_merge_value(m, i, by), vals[j]))
                rc = read_jobs(&x, i, err);
        if (rc != GS_OK || (rc = gs_cdf_from_samples(&c, x.v, x.nv, err)) != GS_OK)
            break;
        for (i = 0; i < c.n; i++) {
            char a[64], b[64];
            first = 1;
            put(fp, vals[j], &first);
            gs__fmt_double(a, sizeof(a), c.x[i]);
            gs__fmt_double(b, sizeof(b), c.frac[i]);
            fprintf(fp, ",%s,%s\n", a, b);
        }
        gs_cdf_release(&c);
    }
    if (rc == GS_OK && ferror(fp))
        rc = gs_errorf(err, GS_EIO, "cannot write the CDF table");
    jobs_release(&x);
    free(vals);
    return rc;
}
/* ---- the CDF band: spread of the runs' CDFs ---- */

static int group_values(const gs_merge *m, const char *by, const char ***vals, size_t *nv,
                        gs_err *err)
{
    size_t i;

    *nv = 0;
    *vals = malloc((m->n ? m->n : 1) * sizeof(**vals));
    if (!*vals)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < m->n; i++)
        (*vals)[i] = gs_merge_value(m, i, by);
    if (m->n)
        qsort(*vals, m->n, sizeof(**vals), cmp_cstr);
    for (i = 0; i < m->n; i++)
        if (*nv == 0 || strcmp((*vals)[*nv - 1], (*vals)[i]) != 0)
            (*vals)[(*nv)++] = (*vals)[i];
    return GS_OK;
}

int gs_merge_write_cdf_band(const gs_merge *m, const char *by, size_t points, double level,
                            FILE *fp, gs_err *err)
{
    const char **vals = NULL;
    gs_cdf *cdf = NULL;
    double lo = INFINITY, hi = 0, *f = NULL;
    size_t i, j, k, nv = 0, nf;
    jobs_ctx x;
    keyset pk = {0};
    int rc, first = 1;

    if (!is_param_column(m, by))
        return gs_errorf(err, GS_EINVAL, "cannot group by '%s': not a parameter column", by);
    if (points < 2 || points > 100000 || !(level > 0 && level < 1))
        return gs_errorf(err, GS_EINVAL, "bad band: %zu points, level %g", points, level);
    memset(&x, 0, sizeof(x));
    x.m = m;
    x.pk = &pk;
    x.want_jct = 1;
    cdf = calloc(m->n ? m->n : 1, sizeof(*cdf));
    f = malloc((m->n ? m->n : 1) * sizeof(*f));
    rc = cdf && f ? group_values(m, by, &vals, &nv, err)
                  : gs_errorf(err, GS_ENOMEM, "out of memory");
    /* every run's CDF, and the JCT range over all of them (log grid: positive JCTs) */
    for (i = 0; i < m->n && rc == GS_OK; i++) {
        x.nv = 0;
        if ((rc = read_jobs(&x, i, err)) != GS_OK ||
            (rc = gs_cdf_from_samples(&cdf[i], x.v, x.nv, err)) != GS_OK)
            break;
        for (k = 0; k < cdf[i].n; k++)
            if (cdf[i].x[k] > 0) {
                lo = cdf[i].x[k] < lo ? cdf[i].x[k] : lo;
                break;
            }
        if (cdf[i].n && cdf[i].x[cdf[i].n - 1] > hi)
            hi = cdf[i].x[cdf[i].n - 1];
    }
    if (rc == GS_OK) {
        put(fp, by, &first);
        fputs(",jct,mean,lo,hi,runs\n", fp);
    }
    for (j = 0; j < nv && rc == GS_OK && hi > 0; j++) {
        for (k = 0; k < points && rc == GS_OK; k++) {
            double xk = hi > lo ? lo * pow(hi / lo, (double)k / (double)(points - 1)) : hi;
            gs_ci ci;
            char a[64];
            nf = 0;
            for (i = 0; i < m->n; i++)
                if (!strcmp(gs_merge_value(m, i, by), vals[j]))
                    f[nf++] = gs_cdf_eval(&cdf[i], xk);
            if ((rc = gs_stats_mean_ci(f, nf, level, 2000, 1 + k, &ci, err)) != GS_OK)
                break;
            first = 1;
            put(fp, vals[j], &first);
            gs__fmt_double(a, sizeof(a), xk);
            fprintf(fp, ",%s,%.6f,%.6f,%.6f,%zu\n", a, ci.mean, ci.lo, ci.hi, nf);
        }
    }
    if (rc == GS_OK && ferror(fp))
        rc = gs_errorf(err, GS_EIO, "cannot write the CDF band table");
    for (i = 0; cdf && i < m->n; i++)
        gs_cdf_release(&cdf[i]);
    free(cdf);
    free(f);
    jobs_release(&x);
    free(vals);
    return rc;
}
