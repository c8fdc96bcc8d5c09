/* SPDX-License-Identifier: Apache-2.0 */
/* Event types of every module, one X-macro list per module, and the event record. */
#ifndef GPUSIM_EVENT_H
#define GPUSIM_EVENT_H

#include <stdint.h>

typedef double gs_time;       /* simulated seconds; never build with -ffast-math */
typedef uint64_t gs_event_id; /* 0 = invalid */

/* Scheduling events (the core simulation, src/sim.c). */
#define GS_EVENT_SCHED_LIST(X)                                                                     \
    X(ARRIVAL, 0x01, "arrival")                                                                    \
    X(FINISH, 0x02, "finish")                                                                      \
    X(FAIL, 0x03, "fail")                                                                          \
    X(SCHEDULE, 0x04, "schedule")                                                                  \
    X(ROUND, 0x05, "round")                                                                        \
    X(HORIZON, 0x06, "horizon")

/* CXL-offload events start at GS_EV_CXL_BASE (src/cxl_*.c). */
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

/* Game-offload events start at GS_EV_GAME_BASE (src/game_*.c). */
#define GS_EV_GAME_BASE       0x200
#define GS_EVENT_GAME_LIST(X) X(GAME_NONE, GS_EV_GAME_BASE, "game-none")

/* Event types are below this bound (the engine keeps a handler table of this size). */
#define GS_EV_TYPE_MAX 0x300

enum gs_event_type {
#define GS_EV_ENUM_(name, val, str) GS_EV_##name = (val),
    GS_EVENT_SCHED_LIST(GS_EV_ENUM_) GS_EVENT_CXL_LIST(GS_EV_ENUM_) GS_EVENT_GAME_LIST(GS_EV_ENUM_)
#undef GS_EV_ENUM_
};

/* An event as handlers see it. data is owned by the engine: it is released with the finalizer
 * given at post time right after the handler returns, so a handler must not keep it. */
typedef struct gs_event {
    gs_event_id id;
    gs_time time;
    unsigned type;
    void *data;
} gs_event;

/* Static name of an event type ("arrival"), or "unknown". */
const char *gs_event_type_name(unsigned type);

/* Small integers travel in the data pointer without an allocation (no finalizer needed). */
#define GS_EV_FROM_U(u) ((void *)(uintptr_t)(u))
#define GS_EV_TO_U(p)   ((uintptr_t)(p))

#endif
