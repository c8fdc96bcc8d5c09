/* SPDX-License-Identifier: Apache-2.0 */
/* summary.json's groups: JCT statistics per trace job type and per workload class, and how the
 * class mapping assigned the classes. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/classmap.h"
#include "json_int.h"
#include "rng_int.h"
#include "sim_int.h"
#include "util_int.h"

#define NO_TYPE "(none)"

typedef struct group {
    const char *key;
    size_t jobs, finished, unfinished, rejected;
    double *jct; /* finished jobs' JCTs */
    double queue_sum;
    size_t nqueue;
} group;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const group *)a)->key, ((const group *)b)->key);
}

static group *find(group *g, size_t n, const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(g[i].key, key))
            return &g[i];
    return NULL;
}

/* Groups the jobs by key (type or class name), in name order. */
static group *collect(const gs_sim *sim, int by_class, size_t *ng)
{
    group *g = NULL;
    size_t n = 0, cap = 0, i;

    *ng = 0;
    for (i = 0; i < sim->njobs; i++) {
        const gs__job *jb = &sim->jobs[i];
        const char *key = by_class ? gs_scaledb_class_name(sim->truth, jb->cls)
                                   : (*jb->tj->type ? jb->tj->type : NO_TYPE);
        group *x = find(g, n, key);
        if (!x) {
            if (GS_GROW(g, cap, n + 1) != GS_OK)
                goto oom;
            x = &g[n++];
            memset(x, 0, sizeof(*x));
            x->key = key;
        }
        x->jobs++;
    }
    for (i = 0; i < n; i++)
        if (!(g[i].jct = malloc((g[i].jobs ? g[i].jobs : 1) * sizeof(double))))
            goto oom;
    for (i = 0; i < n; i++)
        g[i].jobs = 0;
    for (i = 0; i < sim->njobs; i++) {
        const gs__job *jb = &sim->jobs[i];
        const char *key = by_class ? gs_scaledb_class_name(sim->truth, jb->cls)
                                   : (*jb->tj->type ? jb->tj->type : NO_TYPE);
        group *x = find(g, n, key);
        x->jobs++;
        if (jb->state == GS_JOB_DONE)
            x->jct[x->finished++] = jb->finish - jb->submit;
        else if (jb->state == GS_JOB_REJECTED)
            x->rejected++;
        else
            x->unfinished++;
        if (jb->first_start >= 0) {
            x->queue_sum += jb->first_start - jb->submit;
            x->nqueue++;
        }
    }
    qsort(g, n, sizeof(*g), by_key);
    *ng = n;
    return g;
oom:
    for (i = 0; i < n; i++)
        free(g[i].jct);
    free(g);
    return NULL;
}

static void free_groups(group *g, size_t n)
{
    size_t i;

    for (i = 0; g && i < n; i++)
        free(g[i].jct);
    free(g);
}

static int add_groups(const gs_sim *sim, cJSON *root, const char *name, int by_class)
{
    size_t n = 0, i;
    group *g = collect(sim, by_class, &n);
    cJSON *o;

    if (!g && sim->njobs)
        return GS_ENOMEM;
    o = cJSON_AddObjectToObject(root, name);
    for (i = 0; o && i < n; i++) {
        cJSON *x = cJSON_AddObjectToObject(o, g[i].key);
        size_t f = g[i].finished;
        if (!x)
            break;
        gs__sort(g[i].jct, f);
        cJSON_AddNumberToObject(x, "jobs", (double)g[i].jobs);
        cJSON_AddNumberToObject(x, "finished", (double)f);
        cJSON_AddNumberToObject(x, "unfinished", (double)g[i].unfinished);
        cJSON_AddNumberToObject(x, "unschedulable", (double)g[i].rejected);
        gs__jadd_fixed(x, "mean_jct", f ? gs__mean(g[i].jct, f) : 0);
        gs__jadd_fixed(x, "p50_jct", f ? gs__quantile_sorted(g[i].jct, f, 0.5) : 0);
        gs__jadd_fixed(x, "p90_jct", f ? gs__quantile_sorted(g[i].jct, f, 0.9) : 0);
        gs__jadd_fixed(x, "p99_jct", f ? gs__quantile_sorted(g[i].jct, f, 0.99) : 0);
        gs__jadd_fixed(x, "max_jct", f ? g[i].jct[f - 1] : 0);
        gs__jadd_fixed(x, "mean_queue_delay",
                       g[i].nqueue ? g[i].queue_sum / (double)g[i].nqueue : 0);
    }
    free_groups(g, n);
    return o ? GS_OK : GS_ENOMEM;
}

int gs__summary_groups(const gs_sim *sim, cJSON *root)
{
    const gs_classmap *m = sim->opts.classes;
    cJSON *o, *rules;
    size_t r;

    if (add_groups(sim, root, "by_type", 0) != GS_OK || add_groups(sim, root, "by_class", 1))
        return GS_ENOMEM;
    o = cJSON_AddObjectToObject(root, "class_mapping");
    if (!o)
        return GS_ENOMEM;
    cJSON_AddStringToObject(o, "name", m ? gs_classmap_name(m) : "db-mix");
    cJSON_AddStringToObject(o, "path", m ? gs_classmap_path(m) : "");
    rules = cJSON_AddArrayToObject(o, "rules");
    for (r = 0; m && rules && r < gs_classmap_nrules(m); r++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            return GS_ENOMEM;
        cJSON_AddItemToArray(rules, x);
        cJSON_AddNumberToObject(x, "rule", (double)r);
        cJSON_AddStringToObject(x, "note", gs_classmap_rule_note(m, r));
        cJSON_AddNumberToObject(x, "jobs", r < sim->nrule_jobs ? (double)sim->rule_jobs[r] : 0);
    }
    cJSON_AddNumberToObject(o, "db_mix_jobs",
                            sim->nrule_jobs ? (double)sim->rule_jobs[sim->nrule_jobs - 1] : 0);
    return GS_OK;
}
