/* SPDX-License-Identifier: Apache-2.0 */
/* Events as the engine sees them: times, ids, the record a handler gets, and the declaration of
 * an event type. Which types exist is each module's business (ARCHITECTURE.md). */
#ifndef GPUSIM_EVENT_H
#define GPUSIM_EVENT_H

#include <stdint.h>

typedef double gs_time;       /* simulated seconds; never build with -ffast-math */
typedef uint64_t gs_event_id; /* 0 = invalid */

/* Event types are below this bound (the engine keeps a handler table of this size). Modules
 * that share an engine use disjoint numbers; the engine refuses a number declared twice. */
#define GS_EV_TYPE_MAX 0x300

/* An event type as a module declares it to an engine (gs_engine_declare): its number, below
 * GS_EV_TYPE_MAX, and a static name for messages ("arrival"). Each module keeps the list of its
 * own types next to its code (an X-macro list generates the numbers and this table); the engine
 * knows no module's events. */
typedef struct gs_event_type_def {
    unsigned type;
    const char *name;
} gs_event_type_def;

/* An event as handlers see it. data is owned by the engine: it is released with the finalizer
 * given at post time right after the handler returns, so a handler must not keep it. */
typedef struct gs_event {
    gs_event_id id;
    gs_time time;
    unsigned type;
    void *data;
} gs_event;

/* Small integers travel in the data pointer without an allocation (no finalizer needed). */
#define GS_EV_FROM_U(u) ((void *)(uintptr_t)(u))
#define GS_EV_TO_U(p)   ((uintptr_t)(p))

#endif
