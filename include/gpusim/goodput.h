/* SPDX-License-Identifier: Apache-2.0 */
/* Adaptive-batch workload classes: goodput = throughput x statistical efficiency, the batch size
 * chosen per allocation to maximise it, and progress measured in samples to convergence (Pollux,
 * A. Qiao et al., OSDI '21; as Sia's simulator runs it, J. Jayaram Subramanya et al., SOSP '23).
 * docs/goodput.md describes the model; gs_scaledb_load_sia() builds such classes from Sia's
 * artifact data. A class without a goodput model keeps its fixed batch (goodput = throughput). */
#ifndef GPUSIM_GOODPUT_H
#define GPUSIM_GOODPUT_H

#include <stddef.h>

#include "gpusim/err.h"

typedef struct gs_goodput gs_goodput;

/* Pollux's statistical efficiency of a total batch of batch samples against init_batch, given
 * the gradient statistics grad_sqr (|g|^2) and grad_var (the per-sample gradient variance at
 * init_batch, Pollux's sigma^2): with scale s = batch / init_batch, gain = (var + sqr) /
 * (var / s + sqr) and efficiency = gain / s = (B_noise + B0) / (B_noise + B), where B_noise =
 * B0 var / sqr is the gradient noise scale. 1 at init_batch; it falls as the batch grows past
 * B_noise. When var / s + sqr is not positive the gain is 1 (Pollux). batch and init_batch > 0. */
double gs_goodput_efficiency(double batch, double init_batch, double grad_sqr, double grad_var);

/* What a class's training recipe allows. */
typedef struct gs_goodput_spec {
    double init_batch; /* B0: the batch the recipe starts from (efficiency 1), (0, 1e9] */
    double max_batch;  /* the largest total batch it may use, [init_batch, 1e9] */
    /* how much slower the job runs than its profiles say, [1, 100] (Sia's calibration
     * slowdown; 1: none) */
    double slowdown;
} gs_goodput_spec;

/* A model for ntypes GPU types (the scaling DB's type indices; 1..1024), without phases or
 * profiles yet. NULL with err filled on a bad spec or ENOMEM. */
gs_goodput *gs_goodput_new(const gs_goodput_spec *spec, int ntypes, gs_err *err);
void gs_goodput_free(gs_goodput *m);

/* The training phases (epochs): nphases (1..100000) phases, phase k ending once the job has done
 * work_end[k] samples of work (samples at init_batch's efficiency; increasing, > 0). The gradient
 * statistics of each phase were measured at nbatch (1..64) increasing total batch sizes bs[]:
 * sqr[k * nbatch + i] and var[k * nbatch + i] (finite, >= 0); between two of them they are
 * interpolated linearly in the batch size (Sia's simulator), outside they take the nearest.
 * Returns GS_OK, GS_EINVAL naming the bad value, or GS_ENOMEM. */
int gs_goodput_set_phases(gs_goodput *m, size_t nphases, const double *work_end, size_t nbatch,
                          const double *bs, const double *sqr, const double *var, gs_err *err);

/* A measured throughput profile of one GPU type (0 <= type < ntypes): a job on replicas GPUs over
 * nodes nodes (1 <= nodes <= replicas <= 100000) took step[i] s per optimizer step, of which
 * sync[i] s (0 <= sync < step) synchronise gradients, at a per-GPU batch of local[i] samples
 * (n >= 1 points; equal batches are averaged). Between profiled per-GPU batches the times are
 * interpolated linearly; outside them the configuration cannot run that batch. One group per
 * (type, nodes, replicas). Returns GS_OK, GS_EINVAL or GS_ENOMEM. */
int gs_goodput_add_group(gs_goodput *m, int type, int nodes, int replicas, size_t n,
                         const double *local, const double *step, const double *sync, gs_err *err);

const gs_goodput_spec *gs_goodput_spec_of(const gs_goodput *m);
size_t gs_goodput_nphases(const gs_goodput *m);
/* Work at the end of phase k (k < nphases); the last is the job's whole work. */
double gs_goodput_phase_end(const gs_goodput *m, size_t k);
/* The phase that work done falls in: the first whose end is above done (nphases - 1 at most). */
size_t gs_goodput_phase_at(const gs_goodput *m, double done);
/* Whether type has a profile. */
int gs_goodput_has_type(const gs_goodput *m, int type);
/* Largest node count profiled on type (0: none). */
int gs_goodput_max_nodes(const gs_goodput *m, int type);

/* One evaluated configuration. */
typedef struct gs_goodput_pt {
    double goodput;    /* samples of work per second (throughput x efficiency / slowdown) */
    double throughput; /* samples per second at that batch (after the slowdown) */
    double efficiency; /* statistical efficiency of that batch in the phase */
    double batch;      /* total batch: replicas x atomic x (accum + 1) */
    int atomic;        /* per-GPU micro-batch */
    int accum;         /* gradient-accumulation steps besides the last */
} gs_goodput_pt;

/* The goodput-optimal batch on gpus GPUs of type over nodes nodes in every phase: as Pollux
 * (its artifact: goodput.py optimize), 50 total batches spaced geometrically from
 * max(init_batch, min per-GPU batch x gpus) to min(max_batch, the spec's max_batch) (max_batch <=
 * 0: the spec's), each split into a per-GPU micro-batch within the profiled range and
 * gradient-accumulation steps (at least one on a single GPU above init_batch); the times come
 * from the group of (type, nodes, gpus), or, when it was not profiled, are interpolated linearly
 * in the node count between the profiled groups with the same GPUs per node (the nearest of them
 * when it lies outside). out[k] (nphases entries) receives phase k's best; goodput 0 when no batch
 * is valid there. Pure; O(50 (log points + nphases)). Returns GS_OK or GS_EINVAL (bad type or
 * counts). */
int gs_goodput_curve(const gs_goodput *m, int type, int nodes, int gpus, double max_batch,
                     gs_goodput_pt *out, gs_err *err);

/* The same for one phase only. */
int gs_goodput_eval(const gs_goodput *m, int type, int nodes, int gpus, size_t phase,
                    double max_batch, gs_goodput_pt *out, gs_err *err);

/* Throughput of one GPU of type at its largest profiled per-GPU batch (samples/s, after the
 * slowdown; 0 when unprofiled): the ratio Sia projects unseen GPU types with (its artifact:
 * cluster.py compute_throughput_ratios). */
double gs_goodput_xput1(const gs_goodput *m, int type);

#endif
