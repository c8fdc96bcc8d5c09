/* SPDX-License-Identifier: Apache-2.0 */
/* The scaling-knowledge database: throughput and viability of each workload class on each GPU
 * type and count. The simulation runs on one (the ground truth); informed policies read a
 * possibly perturbed copy. */
#ifndef GPUSIM_SCALING_DB_H
#define GPUSIM_SCALING_DB_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/err.h"

#define GS_SCALEDB_SCHEMA 1

typedef struct gs_scaledb gs_scaledb;

/* One measured or modelled configuration. throughput is in the class's own unit (samples/s). */
typedef struct gs_scaledb_entry {
    int cls;
    int type;
    int gpus;
    int nodes;
    double throughput;
    int viable;
} gs_scaledb_entry;

/* Loads and validates a DB (configs/scaledb/ *.json, schema_version 1). Every error names the
 * file, the line and the field. NULL on failure. */
gs_scaledb *gs_scaledb_load(const char *path, gs_err *err);

/* Deep copy (used for the knowledge copy that policies read). NULL on ENOMEM. */
gs_scaledb *gs_scaledb_clone(const gs_scaledb *db, gs_err *err);

void gs_scaledb_free(gs_scaledb *db);

const char *gs_scaledb_name(const gs_scaledb *db);
/* Path it was loaded from ("" for a built DB). */
const char *gs_scaledb_path(const gs_scaledb *db);

int gs_scaledb_ntypes(const gs_scaledb *db);
const char *gs_scaledb_type_name(const gs_scaledb *db, int type);
/* Index of the GPU type named name, or -1. */
int gs_scaledb_type_find(const gs_scaledb *db, const char *name);
double gs_scaledb_type_memory_gb(const gs_scaledb *db, int type);
/* GPUs per node the DB's multi-GPU entries assume for this type. */
int gs_scaledb_type_gpus_per_node(const gs_scaledb *db, int type);

int gs_scaledb_nclasses(const gs_scaledb *db);
const char *gs_scaledb_class_name(const gs_scaledb *db, int cls);
int gs_scaledb_class_find(const gs_scaledb *db, const char *name);

/* The GPU type trace durations were observed on (ACME: A100-80GB). */
int gs_scaledb_reference_type(const gs_scaledb *db);

/* Throughput and viability of class cls on gpus GPUs of type over nodes nodes (nodes <= 0:
 * the DB's own layout, ceil(gpus / gpus_per_node)). Counts between listed entries are
 * interpolated linearly in per-GPU throughput, and are viable only when the listed count below
 * is; counts above the largest listed keep its per-GPU throughput and viability. Returns GS_OK,
 * or GS_ENOTFOUND when the DB has no entry for (cls, type) at or below gpus (then *thr = 0,
 * *viable = 0). Pure and O(1) for counts up to the largest listed. */
int gs_scaledb_lookup(const gs_scaledb *db, int cls, int type, int gpus, int nodes, double *thr,
                      int *viable);

/* Largest GPU count listed for (cls, type); 0 if none. */
int gs_scaledb_max_gpus(const gs_scaledb *db, int cls, int type);

/* Class-mix weights for a job of gpu_num GPUs (one per class, summing to 1 over the classes
 * given weight; from the DB's "class_mix", or uniform when it has none). w has nclasses
 * entries. */
void gs_scaledb_mix(const gs_scaledb *db, int gpu_num, double *w);

/* Perturbs db in place into what a policy with imperfect knowledge believes: every listed
 * throughput is multiplied by exp(sigma * Z), Z standard normal (a median-unbiased log-normal
 * error), and every viability flips with probability flip_p (a configuration that becomes viable
 * without a throughput of its own takes the per-GPU throughput of its nearest listed neighbour).
 * Seeded; sigma = flip_p = 0 leaves db unchanged. */
int gs_scaledb_perturb(gs_scaledb *db, double sigma, double flip_p, uint64_t seed, gs_err *err);

/* The listed entries. The mutable form is for building perturbed or imported copies; call
 * gs_scaledb_reindex() after changing them. */
const gs_scaledb_entry *gs_scaledb_entries(const gs_scaledb *db, size_t *n);
gs_scaledb_entry *gs_scaledb_entries_mut(gs_scaledb *db, size_t *n);
int gs_scaledb_reindex(gs_scaledb *db, gs_err *err);

#endif
