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
    gs_lifecycle life;
};

void gs_lifecycle_init(gs_lifecycle *lc)
{
    lc->schedule_s = 30;
    lc->init_s = 30;
    lc->init_per_doubling_s = 10;
    lc->read_GBps = 1;
    lc->write_GBps = 1;
    lc->checkpoint_interval_s = 1800;
    lc->graceful = 1;
}

const gs_lifecycle *gs_cluster_lifecycle(const gs_cluster *c)
{
    return &c->life;
}

void gs_cluster_set_lifecycle(gs_cluster *c, const gs_lifecycle *lc)
{
    c->life = *lc;
}

/* The optional "lifecycle" object of a cluster file. */
static int load_lifecycle(const gs__jdoc *d, gs_lifecycle *lc, gs_err *err)
{
    static const char *const keys[] = {"schedule_s",
                                       "init_s",
                                       "init_per_doubling_s",
                                       "storage_read_GBps_per_node",
                                       "storage_write_GBps_per_node",
                                       "checkpoint_interval_s",
                                       "preemption",
                                       "description",
                                       NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "lifecycle", 0, err);
    const char *pre;

    gs_lifecycle_init(lc);
    if (!o)
        return err && err->code ? GS_EINVAL : GS_OK;
    if (gs__jkeys(d, o, "lifecycle", keys, err) ||
        gs__jnum(d, o, "lifecycle", "schedule_s", 0, lc->schedule_s, 0, 1e6, &lc->schedule_s,
                 err) ||
        gs__jnum(d, o, "lifecycle", "init_s", 0, lc->init_s, 0, 1e6, &lc->init_s, err) ||
        gs__jnum(d, o, "lifecycle", "init_per_doubling_s", 0, lc->init_per_doubling_s, 0, 1e6,
                 &lc->init_per_doubling_s, err) ||
        /* a storage bandwidth of 1 MB/s per node, a checkpoint every second: far beyond any
         * real cluster, far above values (1e-300) that would turn start-ups into infinities */
        gs__jnum(d, o, "lifecycle", "storage_read_GBps_per_node", 0, lc->read_GBps, 1e-3, 1e6,
                 &lc->read_GBps, err) ||
        gs__jnum(d, o, "lifecycle", "storage_write_GBps_per_node", 0, lc->write_GBps, 1e-3, 1e6,
                 &lc->write_GBps, err) ||
        gs__jnum(d, o, "lifecycle", "checkpoint_interval_s", 0, lc->checkpoint_interval_s, 1, 1e9,
                 &lc->checkpoint_interval_s, err) ||
        gs__jstr(d, o, "lifecycle", "preemption", 0, "graceful", &pre, err))
        return GS_EINVAL;
    if (!strcmp(pre, "graceful"))
        lc->graceful = 1;
    else if (!strcmp(pre, "abrupt"))
        lc->graceful = 0;
    else
        return gs__jerr(d, err, GS_EINVAL, "lifecycle.preemption",
                        "expected \"graceful\" or \"abrupt\", got '%s'", pre);
    return GS_OK;
}

/* Defaults per GPU type. busy: the maximum board power of the datasheets (NVIDIA Tesla V100
 * datasheet, SXM2: 300 W; NVIDIA A100 Tensor Core GPU datasheet, SXM4 40 and 80 GB: 400 W; NVIDIA
 * H100 Tensor Core GPU datasheet, SXM5: up to 700 W; NVIDIA L40S datasheet: 350 W). idle: no
 * datasheet gives it; we assume 15 % of the maximum (configurable per node group). price: AWS EC2
 * on-demand list prices (us-east-1, Linux) of the 8-GPU instance of the type divided by 8, at the
 * instance's launch: p3dn.24xlarge (8 x V100 32 GB) $31.212/h, p4d.24xlarge (8 x A100 40 GB)
 * $32.7726/h, p4de.24xlarge (8 x A100 80 GB) $40.9657/h, p5.48xlarge (8 x H100 80 GB)
 * $98.32/h, g6e.48xlarge (8 x L40S) $30.13104/h. Prices change; docs/energy.md. */
static const struct gpu_default {
    const char *type;
    double busy, price;
} gpu_defaults[] = {
    {"V100-32GB", 300, 31.212 / 8},  {"A100-40GB", 400, 32.7726 / 8},
    {"A100-80GB", 400, 40.9657 / 8}, {"H100-80GB", 700, 98.32 / 8},
    {"L40S", 350, 30.13104 / 8},
};
#define IDLE_FRACTION 0.15 /* assumed idle / maximum board power (see above) */

int gs_gpu_defaults(const char *type, double *busy_watts, double *idle_watts,
                    double *price_per_gpu_hour)
{
    size_t i;

    for (i = 0; type && i < sizeof(gpu_defaults) / sizeof(gpu_defaults[0]); i++) {
        if (strcmp(gpu_defaults[i].type, type))
            continue;
        if (busy_watts)
            *busy_watts = gpu_defaults[i].busy;
        if (idle_watts)
            *idle_watts = IDLE_FRACTION * gpu_defaults[i].busy;
        if (price_per_gpu_hour)
            *price_per_gpu_hour = gpu_defaults[i].price;
        return 1;
    }
    return 0;
}

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
    gs_lifecycle_init(&c->life);
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
        if (p->power_from == GS_POWER_NONE &&
            gs_gpu_defaults(p->name, &p->busy_watts, &p->idle_watts, &p->price_per_gpu_hour))
            p->power_from = GS_POWER_DEFAULT;
        if (!(p->busy_watts >= 0) || !(p->idle_watts >= 0) || p->idle_watts > p->busy_watts ||
            !(p->price_per_gpu_hour >= 0)) {
            gs_cluster_free(c);
            gs_errorf(err, GS_EINVAL, "cluster pool %zu: invalid power or price", i);
            return NULL;
        }
        p->capacity = p->gpus_per_node * p->nodes;
        p->node_base = c->total_nodes;
        c->total_nodes += p->nodes;
        c->total_gpus += p->capacity;
    }
    return c;
}

/* A node group's power and price: the values it sets, the type's defaults for the others. */
static int power_fields(const gs__jdoc *d, const cJSON *g, const char *p, const char *type,
                        gs_pool *pl, gs_err *err)
{
    double busy = 0, idle = 0, price = 0;
    char fp[96];
    int known = gs_gpu_defaults(type, &busy, &idle, &price);

    if (gs__jnum(d, g, p, "busy_watts", 0, busy, 0, 10000, &pl->busy_watts, err) ||
        gs__jnum(d, g, p, "idle_watts", 0, idle, 0, 10000, &pl->idle_watts, err) ||
        gs__jnum(d, g, p, "price_per_gpu_hour", 0, price, 0, 10000, &pl->price_per_gpu_hour, err))
        return err ? err->code : GS_EINVAL;
    if (pl->idle_watts > pl->busy_watts)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "idle_watts"),
                        "idle power %g W is above the busy power %g W", pl->idle_watts,
                        pl->busy_watts);
    if (cJSON_GetObjectItemCaseSensitive(g, "busy_watts") ||
        cJSON_GetObjectItemCaseSensitive(g, "idle_watts") ||
        cJSON_GetObjectItemCaseSensitive(g, "price_per_gpu_hour"))
        pl->power_from = GS_POWER_CONFIG;
    else
        pl->power_from = known ? GS_POWER_DEFAULT : GS_POWER_NONE;
    return GS_OK;
}

gs_cluster *gs_cluster_load(const char *path, const gs_scaledb *db, gs_err *err)
{
    static const char *const keys[] = {"schema_version", "name",      "description",
                                       "node_groups",    "lifecycle", NULL};
    static const char *const gkeys[] = {"gpu_type",           "gpus_per_node", "nodes",
                                        "inter_node_gbps",    "busy_watts",    "idle_watts",
                                        "price_per_gpu_hour", "description",   NULL};
    gs__jdoc d;
    const cJSON *arr, *it;
    gs_pool *pools = NULL;
    gs_cluster *c = NULL;
    const char *name;
    size_t n = 0, i;
    long total = 0;
    gs_lifecycle life;

    if (gs__jdoc_load(&d, path, err) != GS_OK)
        return NULL;
    if (gs__jschema(&d, GS_CLUSTER_SCHEMA, NULL, err) || gs__jkeys(&d, d.root, "", keys, err) ||
        gs__jstr(&d, d.root, "", "name", 0, "unnamed", &name, err) ||
        load_lifecycle(&d, &life, err) || !(arr = gs__jarr(&d, d.root, "", "node_groups", 1, err)))
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
        if (power_fields(&d, it, p, tname, pl, err) != GS_OK)
            goto out;
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
        c->life = life;
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
