/* SPDX-License-Identifier: Apache-2.0 */
/* Event engine: a heap ordered by (time, post sequence) with lazily dropped cancellations. */
#include "gpusim/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util_int.h"

/* The heap holds small fixed-size entries so that sifting touches little memory; the payload
 * and finalizer live in a slot array indexed from the entry. A slot stays allocated until its
 * heap entry is popped, so cancellation is O(1) and never has to search the heap. */
typedef struct heap_entry {
    gs_time time;
    uint64_t seq;
    uint32_t slot;
} heap_entry;

enum slot_state { SLOT_FREE, SLOT_PENDING, SLOT_CANCELLED, SLOT_FIRING };

typedef struct slot {
    void *data;
    void (*data_free)(void *);
    uint32_t type;
    uint32_t gen;
    uint32_t next_free;
    uint32_t state;
} slot;

typedef struct handler {
    gs_event_fn fn;
    void *ctx;
    const char *name; /* declared name; NULL = type not declared */
} handler;

struct gs_engine {
    heap_entry *heap;
    size_t heap_len, heap_cap;
    slot *slots;
    uint32_t nslots;
    size_t slots_cap;
    uint32_t free_head; /* index + 1 of the first free slot, 0 = none */
    size_t live;
    uint64_t seq;
    uint64_t fired;
    gs_time now;
    int stop;
    gs_advance_fn advance;
    void *advance_ctx;
    handler handlers[GS_EV_TYPE_MAX];
    handler observer;
    uint64_t same_fired; /* events fired at now since time last advanced */
    uint64_t same_limit; /* the livelock guard's limit for this instant */
};

int gs_engine_declare(gs_engine *eng, const gs_event_type_def *defs, size_t n, gs_err *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const gs_event_type_def *d = &defs[i];
        if (d->type >= GS_EV_TYPE_MAX || !d->name)
            return gs_errorf(err, GS_EINVAL, "event type 0x%x cannot be declared", d->type);
        if (eng->handlers[d->type].name && strcmp(eng->handlers[d->type].name, d->name))
            return gs_errorf(err, GS_EINVAL, "event type 0x%x declared as '%s' and as '%s'",
                             d->type, eng->handlers[d->type].name, d->name);
        eng->handlers[d->type].name = d->name;
    }
    return GS_OK;
}

const char *gs_engine_type_name(const gs_engine *eng, unsigned type)
{
    return type < GS_EV_TYPE_MAX && eng->handlers[type].name ? eng->handlers[type].name : "unknown";
}

gs_engine *gs_engine_new(gs_err *err)
{
    gs_engine *eng = calloc(1, sizeof(*eng));

    if (!eng)
        gs_errorf(err, GS_ENOMEM, "engine: out of memory");
    return eng;
}

void gs_engine_free(gs_engine *eng)
{
    uint32_t i;

    if (!eng)
        return;
    for (i = 0; i < eng->nslots; i++) {
        slot *s = &eng->slots[i];
        if (s->state == SLOT_PENDING && s->data_free)
            s->data_free(s->data);
    }
    free(eng->heap);
    free(eng->slots);
    free(eng);
}

int gs_engine_on(gs_engine *eng, unsigned type, gs_event_fn fn, void *ctx, gs_err *err)
{
    if (type >= GS_EV_TYPE_MAX || !eng->handlers[type].name)
        return gs_errorf(err, GS_EINVAL, "event type 0x%x is not declared", type);
    eng->handlers[type].fn = fn;
    eng->handlers[type].ctx = ctx;
    return GS_OK;
}

static inline int before(const heap_entry *a, const heap_entry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* The heap's arity: 2 (binary). A 4-ary heap (cmake -DGS_ENGINE_ARITY=4) has half the levels
 * and was measured against it (BENCHMARKS.md, "Engine heap"): about 6 % slower with 10^3 pending
 * events, where the simulator runs (arrivals are posted one at a time), and within +-4 % with
 * 10^5 and 10^6 (the sign changed between runs on the shared machine); a bottom-up sift on pop
 * did not change that. The order is the same for any arity, since (time, seq) is a total order. */
#ifndef GS_ENGINE_ARITY
#define GS_ENGINE_ARITY 2
#endif
#if GS_ENGINE_ARITY < 2
#error "GS_ENGINE_ARITY must be at least 2"
#endif

static void sift_up(heap_entry *h, size_t i)
{
    heap_entry e = h[i];

    while (i > 0) {
        size_t parent = (i - 1) / GS_ENGINE_ARITY;
        if (!before(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static void sift_down(heap_entry *h, size_t n, size_t i)
{
    heap_entry e = h[i];

    for (;;) {
        size_t first = GS_ENGINE_ARITY * i + 1, last, c, child;
        if (first >= n)
            break;
        last = first + GS_ENGINE_ARITY < n ? first + GS_ENGINE_ARITY : n;
        child = first;
        for (c = first + 1; c < last; c++)
            if (before(&h[c], &h[child]))
                child = c;
        if (!before(&h[child], &e))
            break;
        h[i] = h[child];
        i = child;
    }
    h[i] = e;
}

static int slot_alloc(gs_engine *eng, uint32_t *out)
{
    if (eng->free_head) {
        *out = eng->free_head - 1;
        eng->free_head = eng->slots[*out].next_free;
        return GS_OK;
    }
    /* slot indices travel in 32-bit event ids */
    if (eng->nslots == UINT32_MAX || GS_GROW(eng->slots, eng->slots_cap, eng->nslots + 1) != GS_OK)
        return GS_ENOMEM;
    eng->slots[eng->nslots].gen = 1;
    *out = eng->nslots++;
    return GS_OK;
}

static void slot_release(gs_engine *eng, uint32_t i)
{
    slot *s = &eng->slots[i];

    s->state = SLOT_FREE;
    s->data = NULL;
    s->data_free = NULL;
    s->gen++;
    if (s->gen == 0)
        s->gen = 1;
    s->next_free = eng->free_head;
    eng->free_head = i + 1;
}

int gs_engine_post(gs_engine *eng, gs_time at, unsigned type, void *data, void (*data_free)(void *),
                   gs_event_id *id_out, gs_err *err)
{
    uint32_t si;
    slot *s;

    if (type >= GS_EV_TYPE_MAX || !eng->handlers[type].name)
        return gs_errorf(err, GS_EINVAL, "event type 0x%x is not declared", type);
    if (isnan(at) || isinf(at))
        return gs_errorf(err, GS_EINVAL, "event '%s' posted at a non-finite time",
                         gs_engine_type_name(eng, type));
    if (at > GS_TIME_MAX)
        return gs_errorf(err, GS_EINVAL,
                         "event '%s' posted at t=%.6g s, beyond the limit of simulated time (ten "
                         "years, %.0f s)",
                         gs_engine_type_name(eng, type), at, GS_TIME_MAX);
    if (at < eng->now)
        return gs_errorf(err, GS_EINVAL, "event '%s' posted in the past (at %.6f, now %.6f)",
                         gs_engine_type_name(eng, type), at, eng->now);
    if (GS_GROW(eng->heap, eng->heap_cap, eng->heap_len + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "engine: out of memory");
    if (slot_alloc(eng, &si) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "engine: out of memory");
    s = &eng->slots[si];
    s->data = data;
    s->data_free = data_free;
    s->type = type;
    s->state = SLOT_PENDING;
    eng->heap[eng->heap_len].time = at;
    eng->heap[eng->heap_len].seq = ++eng->seq;
    eng->heap[eng->heap_len].slot = si;
    sift_up(eng->heap, eng->heap_len);
    eng->heap_len++;
    eng->live++;
    if (id_out)
        *id_out = ((gs_event_id)s->gen << 32) | ((gs_event_id)si + 1);
    return GS_OK;
}

int gs_engine_cancel(gs_engine *eng, gs_event_id id)
{
    uint64_t idx = id & 0xffffffffu;
    uint32_t gen = (uint32_t)(id >> 32);
    slot *s;

    if (idx == 0 || idx > eng->nslots)
        return GS_ENOTFOUND;
    s = &eng->slots[idx - 1];
    if (s->gen != gen || s->state != SLOT_PENDING)
        return GS_ENOTFOUND;
    s->state = SLOT_CANCELLED;
    if (s->data_free)
        s->data_free(s->data);
    s->data = NULL;
    eng->live--;
    return GS_OK;
}

int gs_engine_run(gs_engine *eng, gs_time until, gs_err *err)
{
    eng->stop = 0;
    while (eng->heap_len > 0) {
        heap_entry top = eng->heap[0];
        gs_event ev;
        void (*fin)(void *);
        handler *h;
        slot *s;
        int rc;

        if (top.time > until)
            break;
        s = &eng->slots[top.slot];
        /* time moves on: the observer sees the state of the time being left, complete (the
         * event stays queued if it stops the run) */
        if (s->state != SLOT_CANCELLED && top.time > eng->now && eng->advance &&
            (rc = eng->advance(eng->advance_ctx, eng->now, top.time, err)) < 0)
            return rc;
        eng->heap_len--;
        if (eng->heap_len > 0) {
            eng->heap[0] = eng->heap[eng->heap_len];
            sift_down(eng->heap, eng->heap_len, 0);
        }
        if (s->state == SLOT_CANCELLED) {
            slot_release(eng, top.slot);
            continue;
        }
        eng->live--;
        if (top.time != eng->now || eng->fired == 0) {
            eng->same_fired = 0;
            eng->same_limit = GS_ENGINE_SAME_INSTANT + 16 * (uint64_t)eng->live;
        } else if (++eng->same_fired > eng->same_limit) {
            eng->stop = 0;
            return gs_errorf(err, GS_EINVAL,
                             "simulated time stuck at t=%.6f s: %llu events fired at that instant "
                             "without time advancing (last '%s'); a model re-posts at the same "
                             "instant for ever",
                             top.time, (unsigned long long)eng->same_fired,
                             gs_engine_type_name(eng, s->type));
        }
        eng->now = top.time;
        ev.id = ((gs_event_id)s->gen << 32) | ((gs_event_id)top.slot + 1);
        ev.time = top.time;
        ev.type = s->type;
        ev.data = s->data;
        fin = s->data_free;
        s->state = SLOT_FIRING;
        h = &eng->handlers[ev.type];
        if (!h->fn) {
            if (fin)
                fin(ev.data);
            slot_release(eng, top.slot);
            return gs_errorf(err, GS_EINVAL, "no handler for event type '%s' (0x%x)",
                             gs_engine_type_name(eng, ev.type), ev.type);
        }
        eng->fired++;
        rc = h->fn(eng, &ev, h->ctx, err);
        /* the handler may have grown the slot array: index again */
        if (fin)
            fin(ev.data);
        slot_release(eng, top.slot);
        if (rc >= 0 && eng->observer.fn) {
            ev.data = NULL;
            rc = eng->observer.fn(eng, &ev, eng->observer.ctx, err);
        }
        if (rc < 0)
            return rc;
        if (eng->stop) {
            eng->stop = 0;
            return GS_OK;
        }
    }
    if (!isinf(until) && until > eng->now)
        eng->now = until;
    return GS_OK;
}

void gs_engine_observe(gs_engine *eng, gs_event_fn fn, void *ctx)
{
    eng->observer.fn = fn;
    eng->observer.ctx = ctx;
}

void gs_engine_on_advance(gs_engine *eng, gs_advance_fn fn, void *ctx)
{
    eng->advance = fn;
    eng->advance_ctx = ctx;
}

void gs_engine_stop(gs_engine *eng)
{
    eng->stop = 1;
}

gs_time gs_engine_now(const gs_engine *eng)
{
    return eng->now;
}

size_t gs_engine_pending(const gs_engine *eng)
{
    return eng->live;
}

uint64_t gs_engine_fired(const gs_engine *eng)
{
    return eng->fired;
}
