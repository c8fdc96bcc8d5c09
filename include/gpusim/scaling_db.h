/* SPDX-License-Identifier: Apache-2.0 */
/* The scaling-knowledge database: throughput and viability of each workload class on each GPU
 * type and count. The simulation runs on one (the ground truth); informed policies read a
 * possibly perturbed copy. */
#ifndef GPUSIM_SCALING_DB_H
#define GPUSIM_SCALING_DB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"

#define GS_SCALEDB_SCHEMA 1

/* A throughput is 0 (only for a configuration that is not viable) or within these bounds, in the
 * DB's unit (samples/s or tokens/s): a job's work over a throughput must stay a time that can be
 * simulated (ten years), and a rate beyond 1e15 per second is no measurement of any GPU. */
#define GS_SCALEDB_THR_MIN 1e-6
#define GS_SCALEDB_THR_MAX 1e15

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
/* The DB's "throughput_unit" ("tokens/s"; "" when it names none). */
const char *gs_scaledb_throughput_unit(const gs_scaledb *db);

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
/* 1 when jobs of the class may run on other GPU counts than their own (classes[].elastic,
 * default true); 0 for classes such as evaluation, which run on their original count only. */
int gs_scaledb_class_elastic(const gs_scaledb *db, int cls);

/* What a class's job lifecycle costs (the DB's optional classes[].lifecycle; docs/scaledb.md):
 * GB read at a first start (the pretrained weights) and at a restart from a checkpoint, GB a
 * checkpoint writes, and fixed start-up and restart times that replace the modelled ones
 * (seconds; < 0 when not given). All sizes are 0 when the DB gives none. */
typedef struct gs_scaledb_lifecycle {
    double load_gb;       /* [0, 1e9] */
    double restore_gb;    /* [0, 1e9]; default load_gb */
    double checkpoint_gb; /* [0, 1e9] */
    double startup_s;     /* [0, 1e9], or -1: modelled */
    double restart_s;     /* [0, 1e9], or -1: modelled (checkpoint save + start-up) */
} gs_scaledb_lifecycle;

/* The lifecycle of class cls (0 <= cls < gs_scaledb_nclasses); valid while db lives. */
const gs_scaledb_lifecycle *gs_scaledb_class_lifecycle(const gs_scaledb *db, int cls);

/* ---- adaptive-batch classes (gpusim/goodput.h, docs/goodput.md) ---- */
struct gs_goodput;

/* The goodput model of class cls (Pollux-style adaptive batch), or NULL for a class with a fixed
 * batch, whose goodput is its throughput. Valid while db lives. */
const struct gs_goodput *gs_scaledb_class_goodput(const gs_scaledb *db, int cls);

/* Gives class cls the goodput model m (the DB takes it over, also on failure; its GPU types are
 * the DB's). The class's listed entries stay what they are: gs_scaledb_load_sia() lists each
 * configuration's goodput in the first phase. Returns GS_OK or GS_EINVAL. */
int gs_scaledb_set_goodput(gs_scaledb *db, int cls, struct gs_goodput *m, gs_err *err);

/* Builds a DB from Sia's artifact data (github.com/siasosp23/artifacts, sia-simulator/traces),
 * read at run time from dir (the folder holding traces/, or traces/ itself; nothing of it is in
 * gpusim): one adaptive-batch class per application (bert, cifar10, deepspeech2, imagenet, ncf,
 * yolov3) with Sia's restart costs (paid at the first start too), on Sia's GPU types T4,
 * A100-40GB, RTX2080Ti, V100-32GB and RTX6000 (its aws, dgx-ext, rtx, azure and quad profiles).
 * docs/sia.md, "Sia's workloads", lists the constants and their sources. Every error names the
 * file, the line and the column. NULL with err filled. */
gs_scaledb *gs_scaledb_load_sia(const char *dir, gs_err *err);

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
 * throughput (viable or not) is multiplied by exp(sigma * Z), Z standard normal (a
 * median-unbiased log-normal error), and every viability flips with probability flip_p. A
 * configuration that becomes believed-viable keeps its own (perturbed) throughput, which DBs
 * write also for non-viable entries (what it would achieve if it fitted); only when that is 0
 * does it take the per-GPU throughput of the nearest listed count of its class and type. Each
 * entry takes its draws in (class, type, gpus, nodes) order whatever sigma and flip_p are, so one
 * seed gives the same throughput errors at every flip_p and the same flips at every sigma.
 * Seeded; sigma = flip_p = 0 leaves db unchanged. Returns GS_OK, GS_EINVAL (sigma not finite
 * and >= 0, flip_p outside [0, 1]) or GS_ENOMEM. */
int gs_scaledb_perturb(gs_scaledb *db, double sigma, double flip_p, uint64_t seed, gs_err *err);

/* The listed entries. The mutable form is for building perturbed or imported copies; call
 * gs_scaledb_reindex() after changing them. */
const gs_scaledb_entry *gs_scaledb_entries(const gs_scaledb *db, size_t *n);
gs_scaledb_entry *gs_scaledb_entries_mut(gs_scaledb *db, size_t *n);
int gs_scaledb_reindex(gs_scaledb *db, gs_err *err);

/* Writes the listed entries as CSV, the format gs_scaledb_import() reads: the header
 * class,gpu_type,gpus,nodes,throughput,viable and one row per entry in (class, type, gpus, nodes)
 * order, throughputs printed so that they read back exactly. Returns GS_OK or GS_EIO. */
int gs_scaledb_export_csv(const gs_scaledb *db, FILE *fp, gs_err *err);

typedef struct gs_scaledb_import_stats {
    long rows;     /* measurements read */
    long replaced; /* base entries dropped */
    long added;    /* entries written from the measurements (= rows) */
} gs_scaledb_import_stats;

/* Replaces modelled entries of the DB at base_path by measured ones and writes the result to
 * out_path atomically ("-" = stdout). csv_path holds a header naming the columns class,
 * gpu_type, gpus, throughput, viable (required) and nodes, note (optional; an empty nodes means
 * whole nodes of the type), in any order, then one measurement per row; classes and GPU types
 * must exist in the base DB. With merge 0, every base entry of a (class, gpu_type) pair that the
 * CSV measures is dropped, so lookups interpolate between measurements only; with merge 1 only
 * base entries with the same (class, gpu_type, gpus, nodes) are. Imported entries carry a note
 * naming the CSV line. name, when not NULL, replaces the DB's name. The result is validated as
 * gs_scaledb_load() would before anything is written. Errors name the file, the line and the
 * column. Returns GS_OK, GS_EIO, GS_EPARSE, GS_EINVAL or GS_ENOMEM; st (may be NULL) is filled
 * on success. */
int gs_scaledb_import(const char *base_path, const char *csv_path, int merge, const char *name,
                      const char *out_path, gs_scaledb_import_stats *st, gs_err *err);

#endif
