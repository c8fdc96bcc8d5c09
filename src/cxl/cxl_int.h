/* SPDX-License-Identifier: Apache-2.0 */
/* Private parts of the CXL-offload module: the hardware record, the bandwidth-sharing flow
 * network on the engine, and the cudaMemcpy model (pinned DMA, pageable staging, L3 LRU). */
#ifndef GPUSIM_CXL_INT_H
#define GPUSIM_CXL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/cxl.h"
#include "gpusim/engine.h"

/* ---- the module's event types (numbers 0x100 to 0x1ff are the CXL module's) ---- */

#define GS_EV_CXL_BASE 0x100
#define GS_EVENT_CXL_LIST(X)                                                                       \
    X(CXL_FLOW_DONE, GS_EV_CXL_BASE, "cxl-flow-done")                                              \
    X(CXL_XFER_START, GS_EV_CXL_BASE + 1, "cxl-transfer-start")                                    \
    X(CXL_CHUNK_STAGED, GS_EV_CXL_BASE + 2, "cxl-chunk-staged")                                    \
    X(CXL_CHUNK_DMA_DONE, GS_EV_CXL_BASE + 3, "cxl-chunk-dma-done")                                \
    X(CXL_XFER_DONE, GS_EV_CXL_BASE + 4, "cxl-transfer-done")                                      \
    X(CXL_COMPUTE_START, GS_EV_CXL_BASE + 5, "cxl-compute-start")                                  \
    X(CXL_COMPUTE_DONE, GS_EV_CXL_BASE + 6, "cxl-compute-done")                                    \
    X(CXL_PROBE, GS_EV_CXL_BASE + 7, "cxl-probe")                                                  \
    X(CXL_BENCH_DONE, GS_EV_CXL_BASE + 8, "cxl-bench-done")

enum gs__cxl_event {
#define GS_EV_ENUM_(name, val, str) GS_EV_##name = (val),
    GS_EVENT_CXL_LIST(GS_EV_ENUM_)
#undef GS_EV_ENUM_
};

/* A fresh engine with the module's event types declared (src/cxl/cxl_net.c). */
gs_engine *gs__cxl_engine_new(gs_err *err);

/* ---- hardware record (src/cxl/cxl_hw.c) ---- */

typedef struct gs__cxl_tier {
    char *name;
    int kind, socket, units;
    double latency_s;         /* idle, from its own socket */
    double unit_capacity;     /* bytes per channel (DRAM) or per expander (CXL) */
    double channel_bw;        /* raw bytes/s of one DDR channel */
    double efficiency;        /* achievable fraction of the raw channel rate */
    int media_channels;       /* CXL: DDR channels behind one expander */
    int link_gen, link_lanes; /* CXL: the expander's PCIe/CXL link */
    double link_efficiency;   /* CXL: achievable fraction of the link rate */
} gs__cxl_tier;

struct gs_cxl_hw {
    char *name, *path;
    int sockets;
    /* CPU */
    int ccds, cores_per_ccd;
    double l3_bytes;     /* L3 of one CCD (what one copy thread can use) */
    double ccd_bw;       /* read bandwidth one CCD can pull from the fabric */
    double core_copy_bw; /* one core copying from memory, at best */
    double llc_copy_bw;  /* one core copying from its L3 */
    double lines;        /* outstanding cache-line misses one core sustains */
    double line_bytes;
    /* socket interconnect */
    int xlinks;
    double xlink_bw, hop_s;
    /* memory tiers */
    gs__cxl_tier tiers[GS_CXL_MAX_TIERS];
    size_t ntiers;
    /* GPU */
    char *gpu_name;
    int gpu_socket;
    double gpu_mem, gpu_usable_frac, gpu_flops, gpu_hbm_bw, gpu_flops_eff, gpu_hbm_eff;
    double kernel_s;
    /* PCIe link of the GPU and the CUDA copy path */
    int pcie_gen, pcie_lanes;
    double h2d_eff, d2h_eff, call_s, chunk_bytes;
    int staging_depth;
    /* placement policy: host tiers the automatic placement fills, in order (0 = by latency) */
    int order[GS_CXL_MAX_TIERS];
    size_t norder;
};

/* Per-lane usable rate of a PCIe generation (bytes/s per direction); 0 when unknown. */
double gs__cxl_lane_rate(int gen);
/* Peak bandwidth (bytes/s) and capacity (bytes) of a tier. */
double gs__cxl_tier_bw(const gs__cxl_tier *t);
double gs__cxl_tier_capacity(const gs__cxl_tier *t);

/* ---- flow network (src/cxl/cxl_net.c) ----
 * Resources are bandwidth servers (a memory tier, a CCD's fabric link, a socket-interconnect
 * direction, a PCIe direction). A flow moves bytes across a set of resources, each used with a
 * coefficient (bytes on the resource per byte of flow). Active flows share resources max-min
 * fairly (progressive filling); a flow may also have its own cap, fixed or bound by latency
 * (Little's law: bytes in flight / loaded latency of one tier). Every change of the flow set
 * re-solves the rates and re-posts each flow's GS_EV_CXL_FLOW_DONE; when a flow ends the network
 * posts the flow's own completion event (type, data) at that instant. */

typedef struct gs__cxl_net gs__cxl_net;

#define GS__CXL_FLOW_MAXRES 6

enum gs__cxl_lat { GS__CXL_LAT_NONE = -1 }; /* otherwise an enum gs_cxl_kind */

typedef struct gs__cxl_flow_spec {
    double bytes;
    int res[GS__CXL_FLOW_MAXRES];
    double coef[GS__CXL_FLOW_MAXRES];
    int nres;
    double cap;    /* bytes/s; INFINITY = none */
    double window; /* bytes in flight for a latency-bound flow; 0 = not latency bound */
    double lat0;   /* idle latency of the path (s) */
    int lat_res;   /* resource whose utilisation loads the latency (-1: none) */
    double hit;    /* fraction of the bytes served from cache at hit_bw (no resource load) */
    double hit_bw;
    unsigned done_type; /* event posted when the flow ends */
    uintptr_t done_data;
} gs__cxl_flow_spec;

/* A fresh network on eng (registers the GS_EV_CXL_FLOW_DONE handler). */
gs__cxl_net *gs__cxl_net_new(gs_engine *eng, gs_err *err);
void gs__cxl_net_free(gs__cxl_net *net);
/* Adds a resource of capacity cap (bytes/s, > 0 or 0 for an absent one); lat_kind is the
 * loaded-latency curve of a memory tier (enum gs_cxl_kind) or -1. Returns its index or < 0. */
int gs__cxl_net_add_res(gs__cxl_net *net, double cap, int lat_kind, gs_err *err);
/* Starts a flow now. Returns GS_OK (flow id in *id when non-NULL) or an error. */
int gs__cxl_net_start(gs__cxl_net *net, const gs__cxl_flow_spec *f, int *id, gs_err *err);
/* Utilisation (0..1) of a resource at the current rates. */
double gs__cxl_net_util(const gs__cxl_net *net, int res);
/* Loaded-latency multiplier of a tier kind at utilisation u (1 at u = 0). */
double gs__cxl_loaded_factor(int kind, double u);
/* Current rate of a flow (bytes/s); 0 when it is not active. */
double gs__cxl_net_rate(const gs__cxl_net *net, int id);
/* Bytes carried and time busy (rate > 0) of a resource since the network started, up to now. */
void gs__cxl_net_res_stats(gs__cxl_net *net, int res, double *bytes, double *busy);
/* Number of active flows. */
size_t gs__cxl_net_active(const gs__cxl_net *net);

/* ---- the simulated machine: resources + cudaMemcpy (src/cxl/cxl_copy.c) ---- */

typedef struct gs__cxl_sys gs__cxl_sys;

typedef struct gs__cxl_copy_info {
    int dir, pinned, tier;
    double bytes, issued, started, finished;
    uintptr_t tag;
} gs__cxl_copy_info;

/* Builds the resources of hw on eng and registers the copy handlers (XFER_START, CHUNK_STAGED,
 * CHUNK_DMA_DONE). cpu_socket is where the calling (and driver staging) thread runs. The owner
 * handles GS_EV_CXL_XFER_DONE (data = copy id) and calls gs__cxl_copy_take. */
gs__cxl_sys *gs__cxl_sys_new(const gs_cxl_hw *hw, gs_engine *eng, int cpu_socket, gs_err *err);
void gs__cxl_sys_free(gs__cxl_sys *s);
gs__cxl_net *gs__cxl_sys_net(gs__cxl_sys *s);
/* Resource indices: a tier, a CCD (socket, ccd), the interconnect direction from -> to, PCIe. */
int gs__cxl_sys_res_tier(const gs__cxl_sys *s, int tier);
int gs__cxl_sys_res_ccd(const gs__cxl_sys *s, int socket, int ccd);
int gs__cxl_sys_res_xgmi(const gs__cxl_sys *s, int from, int to);
int gs__cxl_sys_res_pcie(const gs__cxl_sys *s, int dir);

/* Issues cudaMemcpy of bytes between host tier and the GPU (dir), now. addr is the host
 * buffer's address (distinct buffers must not overlap: it feeds the L3 model). The copy starts
 * after the per-call overhead; pageable copies queue for the single staging engine. *id gets
 * the copy id; GS_EV_CXL_XFER_DONE with data = id fires when the data has arrived. */
int gs__cxl_copy(gs__cxl_sys *s, int dir, int tier, double bytes, int pinned, uint64_t addr,
                 uintptr_t tag, int *id, gs_err *err);
/* Releases a finished copy's slot and returns what it was. */
int gs__cxl_copy_take(gs__cxl_sys *s, int id, gs__cxl_copy_info *out);

#endif
