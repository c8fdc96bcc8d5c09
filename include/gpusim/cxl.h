/* SPDX-License-Identifier: Apache-2.0 */
/* The CXL-offload module: memory tiers (local DRAM, remote-socket DRAM, CXL expanders), the
 * GPU's PCIe link, cudaMemcpy (pinned and pageable) and FlexGen-style offloaded LLM inference,
 * all simulated as events on a gs_engine (the module declares its event types, src/cxl/cxl_int.h).
 */
#ifndef GPUSIM_CXL_H
#define GPUSIM_CXL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"

/* Highest hardware-config schema_version this build reads. */
#define GS_CXL_SCHEMA 1

/* Most memory tiers one config may declare. */
#define GS_CXL_MAX_TIERS 16

/* ---- hardware ------------------------------------------------------------------------- */

typedef struct gs_cxl_hw gs_cxl_hw;

/* What a tier is made of. */
enum gs_cxl_kind { GS_CXL_KIND_DRAM = 0, GS_CXL_KIND_CXL = 1 };

/* A tier as seen from a socket: its own DRAM, another socket's DRAM, a CXL expander on the same
 * socket, or one on another socket. */
enum gs_cxl_rel {
    GS_CXL_REL_LOCAL = 0,
    GS_CXL_REL_REMOTE = 1,
    GS_CXL_REL_CXL = 2,
    GS_CXL_REL_CXL_REMOTE = 3
};

/* "local", "remote", "cxl", "cxl-remote" ("?" otherwise). */
const char *gs_cxl_rel_name(int rel);

/* Transfer direction over PCIe. */
enum gs_cxl_dir { GS_CXL_H2D = 0, GS_CXL_D2H = 1 };

/* One memory tier, with the quantities derived from its config (all in bytes and seconds). */
typedef struct gs_cxl_tier_info {
    const char *name; /* valid until the hw is freed */
    int kind;         /* enum gs_cxl_kind */
    int socket;       /* socket it hangs off */
    int units;        /* DRAM: populated channels; CXL: expanders (0 = none fitted) */
    double capacity;  /* bytes */
    double peak_bw;   /* bytes/s the tier's media (and CXL links) can serve, reads+writes */
    double latency_s; /* idle load-to-use latency from its own socket */
} gs_cxl_tier_info;

/* Loads and validates a hardware config (configs/cxl/NAME.json). Every error names the file, the
 * line and the field ("tiers[1].channel_gbps"). Returns NULL with err filled (GS_EIO, GS_EPARSE,
 * GS_EINVAL, GS_ENOMEM). The caller frees with gs_cxl_hw_free. */
gs_cxl_hw *gs_cxl_hw_load(const char *path, gs_err *err);

/* Frees hw; NULL is a no-op. */
void gs_cxl_hw_free(gs_cxl_hw *hw);

/* A deep copy (sweeps change copies, never the loaded original). NULL on ENOMEM. */
gs_cxl_hw *gs_cxl_hw_clone(const gs_cxl_hw *hw, gs_err *err);

/* Name and path of the config; valid until hw is freed. */
const char *gs_cxl_hw_name(const gs_cxl_hw *hw);
const char *gs_cxl_hw_path(const gs_cxl_hw *hw);

int gs_cxl_hw_sockets(const gs_cxl_hw *hw);
/* Cores of one socket. */
int gs_cxl_hw_cores(const gs_cxl_hw *hw);
int gs_cxl_hw_gpu_socket(const gs_cxl_hw *hw);
size_t gs_cxl_hw_ntiers(const gs_cxl_hw *hw);

/* Fills *out for tier i (< ntiers). Returns GS_OK or GS_EINVAL. */
int gs_cxl_hw_tier(const gs_cxl_hw *hw, size_t i, gs_cxl_tier_info *out);

/* Relation (enum gs_cxl_rel) of tier i to socket. */
int gs_cxl_hw_rel(const gs_cxl_hw *hw, size_t i, int socket);

/* Idle latency (seconds) of tier i from a core on socket: the tier's own latency plus one
 * socket-interconnect hop when the tier hangs off another socket. */
double gs_cxl_hw_latency(const gs_cxl_hw *hw, size_t i, int socket);

/* Generation and lanes of the GPU's PCIe link. */
int gs_cxl_hw_pcie_gen(const gs_cxl_hw *hw);
int gs_cxl_hw_pcie_lanes(const gs_cxl_hw *hw);

/* Usable PCIe bandwidth of the GPU link in one direction (bytes/s). */
double gs_cxl_hw_pcie_bw(const gs_cxl_hw *hw, int dir);

/* GPU memory in bytes (total, and the part the runtime may fill). */
double gs_cxl_hw_gpu_mem(const gs_cxl_hw *hw);
double gs_cxl_hw_gpu_usable(const gs_cxl_hw *hw);

/* Index of the tier called name, or of the first tier with the relation name ("local",
 * "remote", "cxl", "cxl-remote") to the GPU's socket; -1 when none matches. */
int gs_cxl_hw_find_tier(const gs_cxl_hw *hw, const char *name);

/* What-if knobs for sweeps; they change hw in place and keep it valid.
 * set_dram_channels: populated channels of every DRAM tier (1..64; capacity and bandwidth
 * scale). set_cxl_expanders: expanders of every CXL tier (0..16; 0 = empty slots).
 * set_pcie: generation 1..6 of the GPU link, and lanes (1,2,4,8,16; 0 keeps the current).
 * Return GS_OK or GS_EINVAL with a message naming the knob. */
int gs_cxl_hw_set_dram_channels(gs_cxl_hw *hw, int channels, gs_err *err);
int gs_cxl_hw_set_cxl_expanders(gs_cxl_hw *hw, int expanders, gs_err *err);
int gs_cxl_hw_set_pcie(gs_cxl_hw *hw, int generation, int lanes, gs_err *err);

/* Host tiers the automatic placement fills, in this order (tier indices, n <= ntiers, no
 * repeats); n = 0 restores the default: every tier, by idle latency from the GPU's socket.
 * A config sets it with "placement": {"order": [names]}. Returns GS_OK or GS_EINVAL. */
int gs_cxl_hw_set_order(gs_cxl_hw *hw, const int *tiers, size_t n, gs_err *err);
/* The order set (tier indices into out, at most GS_CXL_MAX_TIERS); returns n (0 = by latency). */
size_t gs_cxl_hw_order(const gs_cxl_hw *hw, int *out);

/* ---- microbenchmarks (CLOUDSTARS D2.1 report, Figures 3 and 4) --------------------------------
 */

/* Figure 3: idle latency and peak read bandwidth of one tier seen from one socket. */
typedef struct gs_cxl_membench_row {
    int socket;            /* socket of the measuring cores */
    int tier;              /* tier index */
    int rel;               /* enum gs_cxl_rel */
    double latency_s;      /* pointer-chase latency, idle */
    double bw;             /* read bandwidth of `threads` threads (bytes/s) */
    double bw_all_cores;   /* read bandwidth with every core of the socket reading */
    double bw_single_core; /* one thread, bounded by its outstanding misses */
} gs_cxl_membench_row;

/* Runs the latency (dependent loads) and bandwidth (streaming reads) benchmarks as events for
 * every (socket, fitted tier) pair. threads is the bandwidth benchmark's thread count (>= 1;
 * threads fill one CCD after another). *rows is malloc'd (caller frees); rows are ordered by
 * socket, then tier. Returns GS_OK, GS_EINVAL or GS_ENOMEM. */
int gs_cxl_membench(const gs_cxl_hw *hw, int threads, gs_cxl_membench_row **rows, size_t *nrows,
                    gs_err *err);

/* Loaded latency (Intel MLC --loaded_latency style): latency of a pointer chase on a tier while
 * other cores inject reads at a fraction of the tier's peak. */
typedef struct gs_cxl_loaded_row {
    int socket, tier, rel;
    double inject; /* injected rate as a fraction of the tier's peak bandwidth */
    double bw;     /* achieved background bandwidth (bytes/s) */
    double latency_s;
} gs_cxl_loaded_row;

/* One row per (socket, tier, inject) with inject from injects[0..ninject). *rows malloc'd. */
int gs_cxl_loaded_latency(const gs_cxl_hw *hw, const double *injects, size_t ninject,
                          gs_cxl_loaded_row **rows, size_t *nrows, gs_err *err);

/* Figure 4: cudaMemcpy bandwidth versus buffer size. */
typedef struct gs_cxl_memcpy_opts {
    double min_bytes, max_bytes; /* sizes min, 2 min, 4 min, ... <= max (min >= 1) */
    int reps;                    /* timed repetitions per size after one warm-up (>= 1) */
    int dirs;                    /* bit mask: 1 << GS_CXL_H2D | 1 << GS_CXL_D2H */
    int modes;                   /* bit mask: 1 = pageable, 2 = pinned */
    int tiers[GS_CXL_MAX_TIERS]; /* host tiers to measure */
    size_t ntiers;               /* 0 = every fitted tier */
    int cpu_socket;              /* socket of the calling thread; -1 = the GPU's socket */
} gs_cxl_memcpy_opts;

/* Defaults: 4 KiB .. 1 GiB, 5 reps, both directions, both modes, every tier, GPU socket. */
void gs_cxl_memcpy_opts_init(gs_cxl_memcpy_opts *o);

typedef struct gs_cxl_memcpy_row {
    int dir;        /* enum gs_cxl_dir */
    int pinned;     /* 1 pinned, 0 pageable */
    int tier, rel;  /* host tier and its relation to the GPU socket */
    double bytes;   /* buffer size */
    double seconds; /* mean time of one call */
    double bw;      /* bytes / seconds */
} gs_cxl_memcpy_row;

/* Simulates the calls one after another on one engine; rows ordered by dir, mode (pageable
 * first), tier, size. *rows malloc'd. Returns GS_OK, GS_EINVAL or GS_ENOMEM. */
int gs_cxl_memcpy_sweep(const gs_cxl_hw *hw, const gs_cxl_memcpy_opts *o, gs_cxl_memcpy_row **rows,
                        size_t *nrows, gs_err *err);

/* ---- LLM shapes ------------------------------------------------------------------------- */

typedef struct gs_cxl_model {
    const char *name;   /* CLI name, e.g. "llama3.1-70b" */
    const char *source; /* where the shape was read */
    int layers, hidden, heads, kv_heads, ffn, vocab;
    int gated_mlp;       /* 1: three FFN matrices (Llama), 0: two (OPT) */
    int tied_embeddings; /* output head shares the input embedding */
} gs_cxl_model;

size_t gs_cxl_model_count(void);
const gs_cxl_model *gs_cxl_model_at(size_t i);
/* NULL when unknown. */
const gs_cxl_model *gs_cxl_model_find(const char *name);

/* fp16 bytes of one transformer layer, of the output head, of all weights (embeddings
 * included), and of the KV cache per token per layer. */
double gs_cxl_model_layer_bytes(const gs_cxl_model *m);
double gs_cxl_model_head_bytes(const gs_cxl_model *m);
double gs_cxl_model_weight_bytes(const gs_cxl_model *m);
double gs_cxl_model_kv_bytes(const gs_cxl_model *m);

/* ---- offloaded inference ---------------------------------------------------------------- */

/* Where bytes live: a fraction on the GPU and per host tier (index = tier); sums to 1. */
typedef struct gs_cxl_place {
    double gpu;
    double tier[GS_CXL_MAX_TIERS];
} gs_cxl_place;

typedef struct gs_cxl_infer_opts {
    const gs_cxl_model *model;
    int batch;                 /* sequences per GPU batch (>= 1) */
    int gpu_batches;           /* GPU batches sharing one weight load, FlexGen's zig-zag (>= 1) */
    int prompt;                /* prompt tokens (>= 1) */
    int output;                /* generated tokens per sequence (>= 1) */
    int pinned;                /* host buffers pinned (1) or pageable (0) */
    int overlap;               /* 1: prefetch next layer while computing (FlexGen); 0: serial */
    int prefetch;              /* layers loaded ahead of compute when overlapping (>= 1) */
    int auto_weights, auto_kv; /* 1: the placement policy picks; 0: use weights / kv */
    gs_cxl_place weights, kv;
    int timeline; /* 1: record one row per operation */
} gs_cxl_infer_opts;

/* Defaults: batch 1, 1 GPU batch, prompt 512, output 32, pinned, overlap, prefetch 1, automatic
 * placement, no timeline. model must still be set. */
void gs_cxl_infer_opts_init(gs_cxl_infer_opts *o);

enum gs_cxl_op_kind {
    GS_CXL_OP_WEIGHTS = 0, /* H2D of (part of) a layer's weights */
    GS_CXL_OP_KV_LOAD = 1, /* H2D of a GPU batch's KV cache */
    GS_CXL_OP_COMPUTE = 2, /* the layer's kernels for one GPU batch */
    GS_CXL_OP_KV_STORE = 3 /* D2H of the new KV entries */
};

/* "weights", "kv-load", "compute", "kv-store". */
const char *gs_cxl_op_name(int kind);

typedef struct gs_cxl_op_rec {
    int step;  /* 0 = prefill, then one per generated token */
    int layer; /* 0..layers-1, layers = the output head */
    int batch; /* GPU batch */
    int kind;  /* enum gs_cxl_op_kind */
    int tier;  /* host tier of a transfer, -1 for compute */
    double bytes, start, end;
} gs_cxl_op_rec;

typedef struct gs_cxl_infer_result {
    gs_cxl_place weights, kv; /* the placement used */
    double weight_bytes, kv_bytes, gpu_used;
    double ttft, tpot, total;   /* seconds */
    double tokens_per_s;        /* generated tokens / total time (FlexGen's metric) */
    double decode_tokens_per_s; /* tokens after the first / decode time */
    double compute;             /* GPU busy (s) */
    double transfer;            /* time any transfer (H2D or D2H, any tier) was in flight (s) */
    double stall;               /* GPU idle waiting for data (total - compute) */
    double h2d_busy, d2h_busy;  /* time the PCIe link carried data, per direction (s) */
    double h2d_bytes, d2h_bytes;
    double tier_read[GS_CXL_MAX_TIERS]; /* bytes read from / written to each tier by copies */
    double tier_write[GS_CXL_MAX_TIERS];
    uint64_t events; /* engine events fired */
    size_t ops;      /* transfers and kernels simulated */
    gs_cxl_op_rec *timeline;
    size_t ntimeline;
} gs_cxl_infer_result;

/* Picks (or checks) the placement and simulates prefill plus output-1 decode steps, layer by
 * layer, as transfer and compute events on a fresh engine. Fails with GS_EINFEASIBLE when the
 * model, its KV cache and the working buffers do not fit in GPU plus host memory, or an explicit
 * placement overfills a tier; GS_EINVAL for bad options. On success the caller releases res with
 * gs_cxl_infer_result_release. */
int gs_cxl_infer(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, gs_cxl_infer_result *res,
                 gs_err *err);

void gs_cxl_infer_result_release(gs_cxl_infer_result *res);

/* Parses a placement "gpu=0.2,local=0.5,cxl=0.3" (tier names or relations; the fractions must sum
 * to 1 within 1e-6). Returns GS_OK or GS_EINVAL naming the bad part. */
int gs_cxl_place_parse(const gs_cxl_hw *hw, const char *spec, gs_cxl_place *out, gs_err *err);

/* ---- result tables (src/cxl/cxl_report.c): what `gpusim cxl` writes, for any program ---- */

/* Figure 3: one CSV row per (socket, tier) with idle latency (and its excess over the local
 * tier, %), bandwidth with threads threads, all cores and one core. Returns GS_OK or the error
 * of gs_cxl_membench. */
int gs_cxl_write_membench(const gs_cxl_hw *hw, int threads, FILE *fp, gs_err *err);
/* Figure 3b: loaded latency against injected bandwidth (14 injection rates), as CSV. */
int gs_cxl_write_loaded(const gs_cxl_hw *hw, FILE *fp, gs_err *err);
/* Figure 4: cudaMemcpy bandwidth per (direction, mode, tier, size), as CSV. */
int gs_cxl_write_memcpy(const gs_cxl_hw *hw, const gs_cxl_memcpy_opts *o, FILE *fp, gs_err *err);
/* One inference point as a CSV row: the header (its columns depend on hw's tiers), and a row
 * for the options o on hw; status GS_OK (r holds the results) or GS_EINFEASIBLE (r unused; msg
 * says why). */
void gs_cxl_infer_csv_header(const gs_cxl_hw *hw, FILE *fp);
void gs_cxl_infer_csv_row(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, int status,
                          const gs_cxl_infer_result *r, const char *msg, FILE *fp);
/* The inputs and results of one inference as a JSON document (malloc'd; NULL when out of
 * memory). */
char *gs_cxl_infer_json(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o,
                        const gs_cxl_infer_result *r);
/* r's timeline (gs_cxl_infer_opts.timeline), one CSV row per transfer and kernel. */
void gs_cxl_write_timeline(const gs_cxl_hw *hw, const gs_cxl_infer_result *r, FILE *fp);
/* The model shapes gs_cxl_model_find knows, with their fp16 sizes, as CSV. */
void gs_cxl_write_models(FILE *fp);

#endif
