/* SPDX-License-Identifier: Apache-2.0 */
/* Which workload class a trace job runs as: an ordered list of rules (configs/classes/ *.json)
 * from the job's trace format, type, GPU count and duration to weights over the scaling DB's
 * classes, or to the DB's own class mix by GPU count. Documented in docs/traces.md. */
#ifndef GPUSIM_CLASSMAP_H
#define GPUSIM_CLASSMAP_H

#include <stddef.h>

#include "gpusim/err.h"
#include "gpusim/scaling_db.h"

#define GS_CLASSMAP_SCHEMA 1

typedef struct gs_classmap gs_classmap;

/* Loads and validates a mapping (schema_version 1):
 *   {"schema_version": 1, "name": "...", "description": "...",
 *    "rules": [{"format": "acme" | [...], "type": "Eval" | [...], "min_gpus": 1,
 *               "max_gpus": 8, "min_duration": 0, "max_duration": 600,
 *               "classes": {"eval-7b": 0.6, ...} | "db-mix", "note": "why"}, ...]}
 * Every condition is optional (absent: any); "type" "" matches jobs without a type. GPU bounds
 * are in [1, 1e6], durations in seconds in [0, 1e9], weights in [0, 1e6] with a positive sum.
 * Class names are checked against a DB by gs_classmap_weights. Errors name the file, the line
 * and the field. NULL on failure. */
gs_classmap *gs_classmap_load(const char *path, gs_err *err);
void gs_classmap_free(gs_classmap *m);

const char *gs_classmap_name(const gs_classmap *m);
const char *gs_classmap_path(const gs_classmap *m);
size_t gs_classmap_nrules(const gs_classmap *m);
/* The rule's "note" ("" when none). */
const char *gs_classmap_rule_note(const gs_classmap *m, size_t r);

/* Index of the first rule at or after `from` whose conditions the job meets; -1 when none.
 * format: the trace format ("acme", ...); type: the job's type ("" when none). */
int gs_classmap_match(const gs_classmap *m, size_t from, const char *format, const char *type,
                      int gpus, double duration);

/* Rule r's weights over db's classes for a job of gpus GPUs, into w (gs_scaledb_nclasses
 * entries): the rule's own, or the DB's class mix for "db-mix". Returns GS_OK, or GS_EINVAL
 * naming the mapping's file, line and field when the rule names a class db does not have. */
int gs_classmap_weights(const gs_classmap *m, size_t r, const gs_scaledb *db, int gpus, double *w,
                        gs_err *err);

/* Checks that every class the rules name is in db (gs_classmap_weights checks only the rules a
 * job matches). Returns GS_OK or GS_EINVAL naming the file, line and field. */
int gs_classmap_check(const gs_classmap *m, const gs_scaledb *db, gs_err *err);

#endif
