/* SPDX-License-Identifier: Apache-2.0 */
/* The discrete-event engine: a binary heap of timestamped events and a run loop. It knows
 * nothing about GPUs; every module registers handlers for its own event types. */
#ifndef GPUSIM_ENGINE_H
#define GPUSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/err.h"
#include "gpusim/event.h"
#include "gpusim/limits.h"

typedef struct gs_engine gs_engine;

/* The livelock guard: gs_engine_run() fails once more than GS_ENGINE_SAME_INSTANT events plus 16
 * per event pending when time reached the current instant have fired without time advancing: a
 * model that re-posts at the same instant for ever becomes an error naming the time and the event
 * type, instead of a hang. */
#define GS_ENGINE_SAME_INSTANT 1000000u

/* Handler for one event type. ctx is the pointer given to gs_engine_on(). A negative return
 * stops gs_engine_run(), which returns that code with err as the handler left it. */
typedef int (*gs_event_fn)(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);

/* Creates an empty engine at time 0. Returns NULL (err filled) when out of memory. */
gs_engine *gs_engine_new(gs_err *err);

/* Frees the engine, running data_free on every pending payload. NULL is a no-op. */
void gs_engine_free(gs_engine *eng);

/* Declares n event types (numbers and names; see gs_event_type_def). A module declares the
 * types it posts and handles at start-up, before gs_engine_on and gs_engine_post use them.
 * Declaring a type again under the same name is a no-op. Returns GS_OK, or GS_EINVAL (a number
 * out of range, a NULL name, or a number already declared under another name: two modules on one
 * engine must use disjoint numbers). */
int gs_engine_declare(gs_engine *eng, const gs_event_type_def *defs, size_t n, gs_err *err);

/* The declared name of type ("arrival"), or "unknown". */
const char *gs_engine_type_name(const gs_engine *eng, unsigned type);

/* Registers fn for events of a declared type; a second call replaces the handler. Returns GS_OK
 * or GS_EINVAL (type not declared). */
int gs_engine_on(gs_engine *eng, unsigned type, gs_event_fn fn, void *ctx, gs_err *err);

/* Posts an event of type at absolute time at (>= now, finite, <= GS_TIME_MAX). Ownership of data
 * passes to the engine only when GS_OK is returned: data_free(data) runs after the handler, on
 * cancel, or in gs_engine_free (data_free may be NULL). Events with equal times fire in post order.
 * *id_out (may be NULL) receives the event id. Returns GS_OK, GS_EINVAL (past, not finite,
 * beyond GS_TIME_MAX, a type not declared) or GS_ENOMEM. */
int gs_engine_post(gs_engine *eng, gs_time at, unsigned type, void *data, void (*data_free)(void *),
                   gs_event_id *id_out, gs_err *err);

/* Cancels a pending event and runs its finalizer at once. Returns GS_OK, or GS_ENOTFOUND when
 * the id is unknown, already fired or already cancelled. */
int gs_engine_cancel(gs_engine *eng, gs_event_id id);

/* Fires events in (time, post order) while their time is <= until (INFINITY: until the queue
 * is empty or gs_engine_stop() is called). Time advances to each event's time; after the loop
 * ends because the next event lies beyond until, now is set to until (if finite). Returns
 * GS_OK, a handler's or the observer's negative code, GS_EINVAL for an event type without a
 * handler, or GS_EINVAL when the livelock guard (GS_ENGINE_SAME_INSTANT) trips. */
int gs_engine_run(gs_engine *eng, gs_time until, gs_err *err);

/* Installs fn as the observer: it runs after every handled event, before the next one, with
 * that event (its payload already released: read ev->time and ev->type only). A negative return
 * stops gs_engine_run() as a handler's would. Used by invariant checkers (--check-invariants).
 * One observer per engine; fn NULL removes it. */
void gs_engine_observe(gs_engine *eng, gs_event_fn fn, void *ctx);

/* Observer of the passage of time: called by gs_engine_run() when time is about to advance, before
 * the first event of a later time fires, with the time being left (every event at it has fired,
 * so the state is the one that holds on [from, to)) and the next event's time. Time series and
 * integrals over time hook here, so that they see each state once, complete, whichever module's
 * events changed it. A negative return stops gs_engine_run(), which returns that code. */
typedef int (*gs_advance_fn)(void *ctx, gs_time from, gs_time to, gs_err *err);

/* Sets the engine's one observer of time (fn NULL removes it); ctx is passed to it. */
void gs_engine_on_advance(gs_engine *eng, gs_advance_fn fn, void *ctx);

/* Makes gs_engine_run() return after the event being handled. */
void gs_engine_stop(gs_engine *eng);

/* Current simulated time. */
gs_time gs_engine_now(const gs_engine *eng);

/* Number of live (not cancelled) pending events. */
size_t gs_engine_pending(const gs_engine *eng);

/* Number of events fired so far. */
uint64_t gs_engine_fired(const gs_engine *eng);

#endif
