/* SPDX-License-Identifier: Apache-2.0 */
/* The analytic scaling model that generates the default scaling-knowledge DB
 * (configs/scaledb/default.json): LLM fine-tuning at a fixed global batch per class, with
 * compute from FLOPs per token and an achievable fraction of each GPU's peak, gradient and
 * sharding collectives over NVLink/PCIe and the network (latency and overlap fitted to Sia's
 * measured profiles), the optimizer step, a per-step overhead, tensor and pipeline parallelism
 * where data parallelism does not fit, and viability from memory. Every constant and its
 * source is listed in configs/scaledb/README.md. */
#ifndef GPUSIM_DBGEN_H
#define GPUSIM_DBGEN_H

#include "gpusim/err.h"

/* The model's verdict on one configuration. */
typedef struct gs_dbgen_point {
    double throughput;    /* tokens/s of the whole job; when not viable, that of the plan it
                           * would run (or, below 8 GPUs, of the leanest plan) as if it fitted */
    int viable;           /* fits in usable GPU memory under some plan */
    double mem_gb;        /* GB per GPU of the chosen plan */
    double usable_gb;     /* usable GB per GPU of the type */
    const char *strategy; /* static: "1 GPU", "zero-2", "zero-3", "hsdp", "tp+pp" */
    int recompute;        /* activation recomputation on */
    int micro_batch;      /* sequences per micro-batch of the plan */
    int tp, pp;           /* tensor- and pipeline-parallel degrees (1 when not used) */
    int used_gpus;        /* GPUs that work: gpus, or fewer past the data-parallel limit */
    int dp_limit;         /* GPUs past which the class gains nothing on this type (global batch
                           * / 1-sequence micro-batches x model-parallel degree); 0 below 8 */
} gs_dbgen_point;

/* Evaluates the model for class cls (e.g. "llm-70b-full") on gpus GPUs of GPU type type
 * ("A100-80GB") laid out on whole nodes of the type's default size. Returns GS_OK, or
 * GS_ENOTFOUND for a class or type the model does not know, GS_EINVAL for gpus < 1. Pure. */
int gs_dbgen_eval(const char *cls, const char *type, int gpus, gs_dbgen_point *out, gs_err *err);

/* The whole DB as JSON text (schema_version 1), byte-identical on every call. malloc'd; NULL on
 * ENOMEM. */
char *gs_dbgen_json(gs_err *err);

/* Writes gs_dbgen_json() to path atomically ("-" writes to stdout). Returns GS_OK, GS_EIO or
 * GS_ENOMEM. */
int gs_dbgen_write(const char *path, gs_err *err);

#endif
