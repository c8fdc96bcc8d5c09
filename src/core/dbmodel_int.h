/* SPDX-License-Identifier: Apache-2.0 */
/* The step-time pieces shared by the scaling model (src/core/dbgen.c) and its calibration
 * against Sia's measured profiles (tools/fit_scaledb.c): collectives over a node's links and
 * the network, their overlap with the backward pass, and the fixed per-step costs. Private to
 * the core and its developer tools. */
#ifndef GPUSIM_DBMODEL_INT_H
#define GPUSIM_DBMODEL_INT_H

#include "gpusim/err.h"

/* Achieved share of link bandwidth in collectives: the all-reduce bus bandwidth commonly
 * reported for 8-GPU DGX A100 nodes (about 230 GB/s) over their NVLink bandwidth per direction
 * (300 GB/s); nccl-tests doc/PERFORMANCE.md defines it (configs/scaledb/README.md [15]). */
#define GS__DBM_COLL_EFF 0.75
/* Backward share of a micro-batch's compute: backward costs twice the forward (Narayanan et al.,
 * SC'21); gradient collectives can only hide behind it. */
#define GS__DBM_BWD_SHARE (2.0 / 3.0)

/* The links of one GPU type (datasheet values; configs/scaledb/README.md). */
typedef struct gs__dbm_links {
    double intra_Bps; /* bytes/s per GPU and direction inside a node (NVLink or PCIe) */
    double inter_Bps; /* bytes/s of network per GPU between nodes */
    double eff;       /* achieved share of link bandwidth in collectives (nccl-tests) */
} gs__dbm_links;

/* The overhead constants fitted to Sia's profiles, per GPU type (src/core/dbgen_fit.h). */
typedef struct gs__dbm_fit {
    const char *sia_type; /* Sia's name of the GPU type the constants were fitted on */
    double lat_intra;     /* s per ring step of a collective inside a node */
    double lat_inter;     /* s per ring step of a collective between nodes */
    double overlap;       /* share of a step's collectives that can hide behind backward, 0-1 */
    double step_overhead; /* s per optimizer step of a job on more than one GPU */
    double rmse;          /* fit error: RMS of (model - measured) scaling efficiency */
    double max_err;       /* the largest absolute error */
    int points;           /* measured (placement, batch) points the fit used */
} gs__dbm_fit;

/* Seconds of an all-reduce of bytes (each GPU's full buffer) over g GPUs per node on n nodes:
 * hierarchical, as NCCL does: a ring inside each node (2(g-1)/g of the bytes over the node's
 * links), then each GPU reduces its 1/g share with its peers on the other nodes through its own
 * network port (2(n-1)/n of bytes/g); plus a latency per ring step, 2(g-1) inside and 2(n-1)
 * across nodes. */
double gs__dbm_allreduce(const gs__dbm_links *l, const gs__dbm_fit *f, double bytes, double g,
                         double n);

/* An all-gather or a reduce-scatter of a buffer of bytes (the full size): half of the traffic
 * and of the ring steps of an all-reduce. */
double gs__dbm_gather(const gs__dbm_links *l, const gs__dbm_fit *f, double bytes, double g,
                      double n);

/* The part of comm seconds of collectives that does not hide behind compute: at most the
 * fitted overlap share hides, and no more than window seconds of the backward pass it runs
 * alongside; the collective of the last bucket (comm / buckets) always shows, since no
 * compute is left to hide it (PyTorch DDP's bucketing, Li et al., VLDB 2020). */
double gs__dbm_exposed(const gs__dbm_fit *f, double comm, double window, double buckets);

/* The fitted constants (src/core/dbgen_fit.h) and the gradient bytes of Sia's applications
 * used in the fit, by application name ("bert", ...); n receives the counts. */
const gs__dbm_fit *gs__dbm_fits(int *n);
double gs__dbm_sia_app_bytes(const char *app);

/* One explicit plan of the LLM model, for comparisons with published set-ups (tools/):
 * class and GPU type names as in the DB, batch sequences of seq tokens per optimizer step,
 * strategy "zero-2", "zero-3", "hsdp" or "tp+pp" with tp x pp model-parallel GPUs. */
typedef struct gs__dbm_plan_in {
    const char *cls, *type;
    int gpus;
    double batch, seq;
    const char *strategy;
    int tp, pp, micro, recompute;
} gs__dbm_plan_in;

/* Throughput (tokens/s of the job), memory per GPU (GB) and whether it fits. Returns GS_OK,
 * GS_ENOTFOUND (unknown class, type or strategy) or GS_EINVAL (a plan that cannot be laid out
 * on gpus GPUs). */
int gs__dbgen_eval_plan(const gs__dbm_plan_in *in, double *thr, double *mem_gb, int *fits,
                        gs_err *err);

#endif
