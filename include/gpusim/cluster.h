/* SPDX-License-Identifier: Apache-2.0 */
/* A heterogeneous GPU cluster: one pool of identical nodes per GPU type. */
#ifndef GPUSIM_CLUSTER_H
#define GPUSIM_CLUSTER_H

#include <stddef.h>

#include "gpusim/err.h"
#include "gpusim/scaling_db.h"

#define GS_CLUSTER_SCHEMA 1

/* The nodes of one GPU type. Node ids of the pool are node_base .. node_base + nodes - 1. */
typedef struct gs_pool {
    const char *name; /* the GPU type's name */
    int type;         /* GPU type index in the scaling DB */
    int gpus_per_node;
    int nodes;
    int node_base;
    int capacity; /* gpus_per_node * nodes */
    /* inter-node network per GPU, Gbit/s: descriptive only; the scaling DB's throughputs
     * already include the network (its model uses these values, configs/scaledb/README.md) */
    double inter_node_gbps;
    /* The power and price of one GPU of the type, for energy and cost (summary.json, jobs.csv):
     * watts while allocated to a job, watts while idle, and the price of a GPU-hour (USD).
     * From the cluster config; what it leaves out comes from gs_gpu_defaults() for the type
     * (0 for a type it does not know). power_from says where they came from. */
    double busy_watts;
    double idle_watts;
    double price_per_gpu_hour;
    int power_from; /* enum gs_power_from */
} gs_pool;

enum gs_power_from {
    GS_POWER_NONE = 0, /* unknown: 0 W and free (gs_cluster_new fills in defaults then) */
    GS_POWER_DEFAULT,  /* gpusim's defaults for the type (gs_gpu_defaults) */
    GS_POWER_CONFIG    /* at least one value set in the cluster config */
};

/* gpusim's defaults for a GPU type by its name (scaling-DB names: "V100-32GB", "A100-40GB",
 * "A100-80GB", "H100-80GB", "L40S"): busy watts = the datasheet's maximum board power, idle
 * watts = 15 % of it (an assumption: no datasheet states idle power), and the price of one GPU
 * of the type in an on-demand cloud instance (the instance's public list price / its GPUs).
 * Sources are cited next to the table in cluster.c and in docs/energy.md. Returns 1 and fills
 * the values (pointers may be NULL) for a known type, 0 (values untouched) otherwise. */
int gs_gpu_defaults(const char *type, double *busy_watts, double *idle_watts,
                    double *price_per_gpu_hour);

typedef struct gs_cluster gs_cluster;

/* What starting, checkpointing and moving a job costs on a cluster: its optional "lifecycle"
 * object (docs/policies.md, "The job lifecycle"; every default is cited in
 * configs/clusters/README.md). A start pays schedule_s + init_s + init_per_doubling_s x
 * log2(nodes) + the GB it reads / read_GBps (each node reads the weights, and its share of the
 * optimizer state when it restores a checkpoint); a checkpoint save writes each node's share
 * at write_GBps. */
typedef struct gs_lifecycle {
    double schedule_s;            /* scheduling and container start, s; [0, 1e6]; 30 */
    double init_s;                /* framework initialisation on one node, s; [0, 1e6]; 30 */
    double init_per_doubling_s;   /* more initialisation per doubling of nodes, s; [0, 1e6]; 10 */
    double read_GBps;             /* storage read per node, GB/s; (0, 1e6]; 1 */
    double write_GBps;            /* storage write per node, GB/s; (0, 1e6]; 1 */
    double checkpoint_interval_s; /* running time between periodic checkpoints, s; (0, 1e9]; 1800 */
    int graceful;                 /* 1: a preempted or resized job checkpoints first (default);
                                   * 0: it loses the work since its last periodic checkpoint */
} gs_lifecycle;

/* The defaults above. */
void gs_lifecycle_init(gs_lifecycle *lc);

/* Loads configs/clusters/ *.json: {"schema_version": 1, "name": ..., "node_groups": [
 * {"gpu_type": "A100-80GB", "gpus_per_node": 8, "nodes": 4, "inter_node_gbps": 200}, ...],
 * "lifecycle": {"schedule_s": 30, "init_s": 30, "init_per_doubling_s": 10,
 * "storage_read_GBps_per_node": 1, "storage_write_GBps_per_node": 1,
 * "checkpoint_interval_s": 1800, "preemption": "graceful" | "abrupt"}} (lifecycle optional,
 * each key too). A node group may also set "busy_watts" (0-10000), "idle_watts" (0 to
 * busy_watts) and "price_per_gpu_hour" (USD, 0-10000); what it leaves out comes from
 * gs_gpu_defaults().
 * GPU types must exist in db (which must outlive the cluster); each type appears at most once.
 * Errors name the file, line and field. */
gs_cluster *gs_cluster_load(const char *path, const gs_scaledb *db, gs_err *err);

/* Builds a cluster from pools (name, node_base and capacity are filled in; type must be valid
 * in db; a pool whose power_from is GS_POWER_NONE gets gs_gpu_defaults() for its type). For
 * tests and generated clusters. */
gs_cluster *gs_cluster_new(const char *name, const gs_scaledb *db, const gs_pool *pools,
                           size_t npools, gs_err *err);

void gs_cluster_free(gs_cluster *c);

/* The cluster's lifecycle costs (the defaults for a built cluster). */
const gs_lifecycle *gs_cluster_lifecycle(const gs_cluster *c);
/* Replaces them (for tests and embedding programs); values are not checked here. */
void gs_cluster_set_lifecycle(gs_cluster *c, const gs_lifecycle *lc);

const char *gs_cluster_name(const gs_cluster *c);
const char *gs_cluster_path(const gs_cluster *c); /* "" when built */
size_t gs_cluster_npools(const gs_cluster *c);
const gs_pool *gs_cluster_pool(const gs_cluster *c, size_t i);
/* Pool index holding GPU type type, or -1. */
int gs_cluster_pool_of_type(const gs_cluster *c, int type);
int gs_cluster_total_gpus(const gs_cluster *c);
int gs_cluster_total_nodes(const gs_cluster *c);
/* Largest pool capacity. */
int gs_cluster_max_pool(const gs_cluster *c);

/* GPU counts a job may be given on pool p, in increasing order: powers of two up to one node,
 * then whole nodes (2, 3, ... nodes). Writes at most cap counts to out and returns how many
 * there are. */
size_t gs_cluster_configs(const gs_cluster *c, size_t p, int *out, size_t cap);

#endif
