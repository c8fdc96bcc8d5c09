/* SPDX-License-Identifier: Apache-2.0 */
/* Cluster configuration: loading, validation against the scaling DB, candidate GPU counts. */
#include "gpusim/cluster.h"

#include <stdlib.h>
#include <string.h>

#include "gpusim/limits.h"
#include "json_int.h"
#include "util_int.h"

struct gs_cluster {
    char *name;
    char *path;
    gs_pool *pools;
    size_t npools;
    int total_gpus;
    int total_nodes;
};

void gs_cluster_free(gs_cluster *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->npools; i++)
        free((char *)c->pools[i].name);
    free(c->pools);
    free(c->name);
    free(c->path);
    free(c);
}

gs_cluster *gs_cluster_new(const char *name, const gs_scaledb *db, const gs_pool *pools,
                           size_t npools, gs_err *err)
{
    gs_cluster *c = calloc(1, sizeof(*c));
    size_t i, j;

    if (!c || !(c->pools = calloc(npools ? npools : 1, sizeof(*c->pools))) ||
        !(c->name = gs__strdup(name ? name : "cluster")) || !(c->path = gs__strdup(""))) {
        gs_cluster_free(c);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (npools == 0) {
        gs_cluster_free(c);
        gs_errorf(err, GS_EINVAL, "cluster '%s' has no GPUs", name ? name : "cluster");
        return NULL;
    }
    for (i = 0; i < npools; i++) {
        gs_pool *p = &c->pools[i];
        *p = pools[i];
        p->name = NULL;
        c->npools = i + 1;
        if (p->type < 0 || p->type >= gs_scaledb_ntypes(db) || p->gpus_per_node < 1 ||
            p->gpus_per_node > 1024 || p->nodes < 1 || p->nodes > GS_MAX_GPUS) {
            gs_cluster_free(c);
            gs_errorf(err, GS_EINVAL, "cluster pool %zu is invalid", i);
            return NULL;
        }
        for (j = 0; j < i; j++) {
            if (c->pools[j].type == p->type) {
                gs_errorf(err, GS_EINVAL, "GPU type '%s' appears in two node groups",
                          gs_scaledb_type_name(db, p->type));
                gs_cluster_free(c);
                return NULL;
            }
        }
        p->name = gs__strdup(gs_scaledb_type_name(db, p->type));
        if (!p->name) {
            gs_cluster_free(c);
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        /* counted in long long: 1024 x 1e6 does not fit an int */
        if ((long long)p->gpus_per_node * p->nodes + c->total_gpus > GS_MAX_GPUS) {
            gs_errorf(err, GS_EINVAL,
                      "cluster '%s' has more than %d GPUs (node group %zu, '%s': %d x %d)", c->name,
                      GS_MAX_GPUS, i, gs_scaledb_type_name(db, p->type), p->nodes,
                      p->gpus_per_node);
            gs_cluster_free(c);
            return NULL;
        }
        p->capacity = p->gpus_per_node * p->nodes;
        p->node_base = c->total_nodes;
        c->total_nodes += p->nodes;
        c->total_gpus += p->capacity;
    }
    return c;
}

gs_cluster *gs_cluster_load(const char *path, const gs_scaledb *db, gs_err *err)
{
    static const char *const keys[] = {"schema_version", "name", "description", "node_groups",
                                       NULL};
    static const char *const gkeys[] = {"gpu_type",        "gpus_per_node", "nodes",
                                        "inter_node_gbps", "description",   NULL};
    gs__jdoc d;
    const cJSON *arr, *it;
    gs_pool *pools = NULL;
    gs_cluster *c = NULL;
    const char *name;
    size_t n = 0, i;
    long total = 0;

    if (gs__jdoc_load(&d, path, err) != GS_OK)
        return NULL;
    if (gs__jschema(&d, GS_CLUSTER_SCHEMA, NULL, err) || gs__jkeys(&d, d.root, "", keys, err) ||
        gs__jstr(&d, d.root, "", "name", 0, "unnamed", &name, err) ||
        !(arr = gs__jarr(&d, d.root, "", "node_groups", 1, err)))
        goto out;
    pools = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*pools));
    if (!pools) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(it, arr)
    {
        char p[64], fp[96];
        const char *tname;
        long gpn, nodes;
        gs_pool *pl = &pools[n];
        gs__jpath_idx(p, sizeof(p), "node_groups", (int)n);
        if (gs__jkeys(&d, it, p, gkeys, err) ||
            gs__jstr(&d, it, p, "gpu_type", 1, NULL, &tname, err))
            goto out;
        pl->type = gs_scaledb_type_find(db, tname);
        if (pl->type < 0) {
            gs__jerr(&d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "gpu_type"),
                     "unknown GPU type '%s' (not in scaling DB '%s')", tname, gs_scaledb_path(db));
            goto out;
        }
        if (gs__jint(&d, it, p, "gpus_per_node", 0, gs_scaledb_type_gpus_per_node(db, pl->type), 1,
                     1024, &gpn, err) ||
            gs__jint(&d, it, p, "nodes", 1, 0, 1, GS_MAX_GPUS, &nodes, err) ||
            gs__jnum(&d, it, p, "inter_node_gbps", 0, 100, 0, 1e5, &pl->inter_node_gbps, err))
            goto out;
        total += gpn * nodes; /* long: at most 1024 x 1e6 per group */
        if (total > GS_MAX_GPUS) {
            gs__jerr(&d, err, GS_EINVAL, p,
                     "the cluster has more than %d GPUs (%ld up to this node group)", GS_MAX_GPUS,
                     total);
            goto out;
        }
        for (i = 0; i < n; i++) {
            if (pools[i].type == pl->type) {
                gs__jerr(&d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "gpu_type"),
                         "GPU type '%s' already has a node group (node_groups[%zu]); a type "
                         "has one pool",
                         tname, i);
                goto out;
            }
        }
        pl->gpus_per_node = (int)gpn;
        pl->nodes = (int)nodes;
        n++;
    }
    if (n == 0) {
        gs__jerr(&d, err, GS_EINVAL, "node_groups", "no node group");
        goto out;
    }
    c = gs_cluster_new(name, db, pools, n, err);
    if (c) {
        free(c->path);
        c->path = gs__strdup(path);
        if (!c->path) {
            gs_cluster_free(c);
            c = NULL;
            gs_errorf(err, GS_ENOMEM, "out of memory");
        }
    }
out:
    free(pools);
    gs__jdoc_release(&d);
    return c;
}

const char *gs_cluster_name(const gs_cluster *c)
{
    return c->name;
}

const char *gs_cluster_path(const gs_cluster *c)
{
    return c->path;
}

size_t gs_cluster_npools(const gs_cluster *c)
{
    return c->npools;
}

const gs_pool *gs_cluster_pool(const gs_cluster *c, size_t i)
{
    return i < c->npools ? &c->pools[i] : NULL;
}

int gs_cluster_pool_of_type(const gs_cluster *c, int type)
{
    size_t i;

    for (i = 0; i < c->npools; i++)
        if (c->pools[i].type == type)
            return (int)i;
    return -1;
}

int gs_cluster_total_gpus(const gs_cluster *c)
{
    return c->total_gpus;
}

int gs_cluster_total_nodes(const gs_cluster *c)
{
    return c->total_nodes;
}

int gs_cluster_max_pool(const gs_cluster *c)
{
    size_t i;
    int m = 0;

    for (i = 0; i < c->npools; i++)
        if (c->pools[i].capacity > m)
            m = c->pools[i].capacity;
    return m;
}

size_t gs_cluster_configs(const gs_cluster *c, size_t p, int *out, size_t cap)
{
    const gs_pool *pl = gs_cluster_pool(c, p);
    size_t n = 0;
    int g, k;

    if (!pl)
        return 0;
    for (g = 1; g <= pl->gpus_per_node; g *= 2) {
        if (n < cap)
            out[n] = g;
        n++;
    }
    if ((pl->gpus_per_node & (pl->gpus_per_node - 1)) != 0) { /* a node size like 6 */
        if (n < cap)
            out[n] = pl->gpus_per_node;
        n++;
    }
    for (k = 2; k <= pl->nodes; k++) {
        if (n < cap)
            out[n] = k * pl->gpus_per_node;
        n++;
    }
    return n;
}
