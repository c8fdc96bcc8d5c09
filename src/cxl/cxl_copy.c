/* SPDX-License-Identifier: Apache-2.0 */
/* The simulated host: bandwidth resources of a hardware config, and cudaMemcpy between a host
 * tier and the GPU, pinned (one DMA) or pageable (the driver's pinned staging ring: a CPU copy
 * then a DMA per chunk, pipelined), with an LRU model of the copy thread's L3. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxl_int.h"
#include "util_int.h"

/* The L3 model tracks 1 MiB blocks: coarse enough to be cheap, fine enough for the 32 MiB
 * L3 of one Genoa CCD (32 blocks). */
#define LRU_BLOCK 1048576.0

/* Addresses of the staging ring, far from any buffer an owner numbers from 0. */
#define STAGING_BASE ((uint64_t)1 << 62)

typedef struct lru {
    uint64_t *key, *stamp;
    size_t n, cap;
    uint64_t clock;
} lru;

typedef struct copy {
    int used;
    int dir, pinned, tier;
    double bytes;
    uint64_t addr;
    uintptr_t tag;
    double issued, started;
    /* pageable pipeline */
    int nchunks, next_stage, next_dma, staged, dma_done, free_slots;
    int stage_busy, dma_busy;
} copy;

struct gs__cxl_sys {
    const gs_cxl_hw *hw;
    gs_engine *eng;
    gs__cxl_net *net;
    int cpu_socket;
    int r_tier[GS_CXL_MAX_TIERS];
    int *r_ccd;
    int r_xgmi[8][8];
    int r_pcie[2];
    int staging_tier; /* DRAM tier the staging ring lives in (cpu socket), -1 if none */
    copy *copies;
    size_t ncopies, capcopies;
    int *queue; /* pageable copies waiting for the staging engine */
    size_t qhead, qlen, qcap;
    int active; /* pageable copy on the staging engine, -1 none */
    lru l3;
};

/* ---- L3 ---- */

static int lru_init(lru *l, double bytes)
{
    size_t cap = (size_t)floor(bytes / LRU_BLOCK);

    memset(l, 0, sizeof(*l));
    l->cap = cap ? cap : 1;
    l->key = calloc(l->cap, sizeof(*l->key));
    l->stamp = calloc(l->cap, sizeof(*l->stamp));
    return l->key && l->stamp ? GS_OK : GS_ENOMEM;
}

static void lru_release(lru *l)
{
    free(l->key);
    free(l->stamp);
}

/* Touches [addr, addr+len); returns how many of those bytes were already cached. */
static double lru_access(lru *l, uint64_t addr, double len)
{
    /* integer block arithmetic: addresses near 2^62 are not exact as doubles */
    const uint64_t B = (uint64_t)LRU_BLOCK;
    uint64_t n = (uint64_t)len, b, first, last;
    double hit = 0;

    if (n == 0)
        return 0;
    first = addr / B;
    last = (addr + n - 1) / B;
    for (b = first; b <= last; b++) {
        uint64_t lo = b * B > addr ? b * B : addr;
        uint64_t hi = (b + 1) * B < addr + n ? (b + 1) * B : addr + n;
        size_t i, victim = 0;
        for (i = 0; i < l->n; i++)
            if (l->key[i] == b)
                break;
        if (i < l->n) {
            hit += (double)(hi - lo);
            l->stamp[i] = ++l->clock;
            continue;
        }
        if (l->n < l->cap) {
            victim = l->n++;
        } else {
            for (i = 1; i < l->n; i++)
                if (l->stamp[i] < l->stamp[victim])
                    victim = i;
        }
        l->key[victim] = b;
        l->stamp[victim] = ++l->clock;
    }
    return hit;
}

/* ---- resources ---- */

gs__cxl_net *gs__cxl_sys_net(gs__cxl_sys *s)
{
    return s->net;
}

int gs__cxl_sys_res_tier(const gs__cxl_sys *s, int tier)
{
    return s->r_tier[tier];
}

int gs__cxl_sys_res_ccd(const gs__cxl_sys *s, int socket, int ccd)
{
    return s->r_ccd[socket * s->hw->ccds + ccd];
}

int gs__cxl_sys_res_xgmi(const gs__cxl_sys *s, int from, int to)
{
    return s->r_xgmi[from][to];
}

int gs__cxl_sys_res_pcie(const gs__cxl_sys *s, int dir)
{
    return s->r_pcie[dir];
}

static int on_xfer_start(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);
static int on_chunk(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);

gs__cxl_sys *gs__cxl_sys_new(const gs_cxl_hw *hw, gs_engine *eng, int cpu_socket, gs_err *err)
{
    gs__cxl_sys *s = calloc(1, sizeof(*s));
    size_t i;
    int a, b, r;

    if (!s) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    s->hw = hw;
    s->eng = eng;
    s->cpu_socket = cpu_socket;
    s->active = -1;
    s->staging_tier = -1;
    if (hw->sockets > 8 || cpu_socket < 0 || cpu_socket >= hw->sockets) {
        gs_errorf(err, GS_EINVAL, "cpu socket %d is not in [0, %d)", cpu_socket, hw->sockets);
        goto fail;
    }
    if (!(s->net = gs__cxl_net_new(eng, err)))
        goto fail;
    if (lru_init(&s->l3, hw->l3_bytes) != GS_OK ||
        !(s->r_ccd = calloc((size_t)(hw->sockets * hw->ccds), sizeof(*s->r_ccd)))) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < hw->ntiers; i++) {
        const gs__cxl_tier *t = &hw->tiers[i];
        if ((r = gs__cxl_net_add_res(s->net, gs__cxl_tier_bw(t), t->kind, err)) < 0)
            goto fail;
        s->r_tier[i] = r;
        if (t->kind == GS_CXL_KIND_DRAM && t->socket == cpu_socket && s->staging_tier < 0)
            s->staging_tier = (int)i;
    }
    for (a = 0; a < hw->sockets * hw->ccds; a++)
        if ((s->r_ccd[a] = gs__cxl_net_add_res(s->net, hw->ccd_bw, GS__CXL_LAT_NONE, err)) < 0)
            goto fail;
    /* One direction of the socket interconnect: all its links carry that direction's data. */
    for (a = 0; a < hw->sockets; a++)
        for (b = 0; b < hw->sockets; b++)
            if (a != b && (s->r_xgmi[a][b] = gs__cxl_net_add_res(s->net, hw->xlinks * hw->xlink_bw,
                                                                 GS__CXL_LAT_NONE, err)) < 0)
                goto fail;
    for (a = 0; a < 2; a++)
        if ((s->r_pcie[a] =
                 gs__cxl_net_add_res(s->net, gs_cxl_hw_pcie_bw(hw, a), GS__CXL_LAT_NONE, err)) < 0)
            goto fail;
    if (gs_engine_on(eng, GS_EV_CXL_XFER_START, on_xfer_start, s, err) ||
        gs_engine_on(eng, GS_EV_CXL_CHUNK_STAGED, on_chunk, s, err) ||
        gs_engine_on(eng, GS_EV_CXL_CHUNK_DMA_DONE, on_chunk, s, err))
        goto fail;
    return s;
fail:
    gs__cxl_sys_free(s);
    return NULL;
}

void gs__cxl_sys_free(gs__cxl_sys *s)
{
    if (!s)
        return;
    gs__cxl_net_free(s->net);
    lru_release(&s->l3);
    free(s->r_ccd);
    free(s->copies);
    free(s->queue);
    free(s);
}

/* ---- copies ---- */

static void add_res(gs__cxl_flow_spec *f, int res, double coef)
{
    if (res < 0 || coef <= 0)
        return;
    f->res[f->nres] = res;
    f->coef[f->nres] = coef;
    f->nres++;
}

static void flow_init(gs__cxl_flow_spec *f, double bytes, unsigned type, int id)
{
    memset(f, 0, sizeof(*f));
    f->bytes = bytes;
    f->cap = HUGE_VAL;
    f->lat_res = -1;
    f->done_type = type;
    f->done_data = (uintptr_t)id;
}

/* The interconnect direction data takes from socket a to socket b (-1 on the same socket). */
static int xgmi(const gs__cxl_sys *s, int from, int to)
{
    return from == to ? -1 : s->r_xgmi[from][to];
}

static double chunk_len(const gs__cxl_sys *s, const copy *c, int i)
{
    double off = (double)i * s->hw->chunk_bytes;
    return fmin(s->hw->chunk_bytes, c->bytes - off);
}

static uint64_t slot_addr(const gs__cxl_sys *s, int i)
{
    return STAGING_BASE + (uint64_t)(i % s->hw->staging_depth) * (uint64_t)s->hw->chunk_bytes;
}

/* The driver thread copies chunk i between the user buffer and the staging ring. It is a single
 * core: bounded by its outstanding misses over the loaded latency of the user buffer's tier
 * (Little's law), by its copy rate, and sped up by whatever the L3 still holds. */
static int start_cpu_copy(gs__cxl_sys *s, copy *c, int id, int i, gs_err *err)
{
    const gs_cxl_hw *hw = s->hw;
    const gs__cxl_tier *t = &hw->tiers[c->tier];
    double len = chunk_len(s, c, i), miss;
    gs__cxl_flow_spec f;

    flow_init(&f, len, GS_EV_CXL_CHUNK_STAGED, id);
    f.cap = hw->core_copy_bw;
    f.window = hw->lines * hw->line_bytes;
    f.lat0 = gs_cxl_hw_latency(hw, (size_t)c->tier, s->cpu_socket);
    f.lat_res = s->r_tier[c->tier];
    if (c->dir == GS_CXL_H2D) {
        double hit = lru_access(&s->l3, c->addr + (uint64_t)((double)i * hw->chunk_bytes), len);
        lru_access(&s->l3, slot_addr(s, i), len); /* the staging slot is written through L3 */
        f.hit = len > 0 ? hit / len : 0;
        f.hit_bw = hw->llc_copy_bw;
    }
    /* D2H: the source is the staging slot the DMA just filled; the destination is written with
     * streaming stores, so the core waits on the destination tier's latency and nothing is
     * reused from the L3 (hence no L3 cliff for D2H). */
    miss = 1 - f.hit;
    add_res(&f, s->r_tier[c->tier], miss);
    add_res(&f, s->r_ccd[s->cpu_socket * hw->ccds], miss);
    add_res(&f,
            c->dir == GS_CXL_H2D ? xgmi(s, t->socket, s->cpu_socket)
                                 : xgmi(s, s->cpu_socket, t->socket),
            miss);
    c->stage_busy = 1;
    return gs__cxl_net_start(s->net, &f, NULL, err);
}

static int start_dma(gs__cxl_sys *s, copy *c, int id, double len, unsigned done, gs_err *err)
{
    gs__cxl_flow_spec f;
    int gpu = s->hw->gpu_socket;

    flow_init(&f, len, done, id);
    add_res(&f, s->r_pcie[c->dir], 1);
    if (c->pinned) {
        int ts = s->hw->tiers[c->tier].socket;
        add_res(&f, s->r_tier[c->tier], 1);
        add_res(&f, c->dir == GS_CXL_H2D ? xgmi(s, ts, gpu) : xgmi(s, gpu, ts), 1);
    } else {
        /* H2D reads the staging slot the CPU just wrote (served from the L3); D2H writes it to
         * the DRAM of the driver thread's socket. */
        if (c->dir == GS_CXL_D2H && s->staging_tier >= 0)
            add_res(&f, s->r_tier[s->staging_tier], 1);
        add_res(&f,
                c->dir == GS_CXL_H2D ? xgmi(s, s->cpu_socket, gpu) : xgmi(s, gpu, s->cpu_socket),
                1);
    }
    c->dma_busy = 1;
    return gs__cxl_net_start(s->net, &f, NULL, err);
}

static int activate_next(gs__cxl_sys *s, gs_err *err);

/* Moves a pageable copy's pipeline as far as its slots and engines allow. */
static int pump(gs__cxl_sys *s, int id, gs_err *err)
{
    copy *c = &s->copies[id];
    int rc;

    if (c->dir == GS_CXL_H2D) {
        if (c->dma_done == c->nchunks)
            goto done;
        if (!c->stage_busy && c->next_stage < c->nchunks && c->free_slots > 0) {
            c->free_slots--;
            if ((rc = start_cpu_copy(s, c, id, c->next_stage++, err)) != GS_OK)
                return rc;
        }
        if (!c->dma_busy && c->next_dma < c->staged) {
            double len = chunk_len(s, c, c->next_dma++);
            if ((rc = start_dma(s, c, id, len, GS_EV_CXL_CHUNK_DMA_DONE, err)) != GS_OK)
                return rc;
        }
        return GS_OK;
    }
    if (c->staged == c->nchunks)
        goto done;
    if (!c->dma_busy && c->next_dma < c->nchunks && c->free_slots > 0) {
        double len = chunk_len(s, c, c->next_dma++);
        c->free_slots--;
        if ((rc = start_dma(s, c, id, len, GS_EV_CXL_CHUNK_DMA_DONE, err)) != GS_OK)
            return rc;
    }
    if (!c->stage_busy && c->next_stage < c->dma_done) {
        if ((rc = start_cpu_copy(s, c, id, c->next_stage++, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
done:
    s->active = -1;
    if ((rc = gs_engine_post(s->eng, gs_engine_now(s->eng), GS_EV_CXL_XFER_DONE, GS_EV_FROM_U(id),
                             NULL, NULL, err)) != GS_OK)
        return rc;
    return activate_next(s, err);
}

static int activate_next(gs__cxl_sys *s, gs_err *err)
{
    int id;

    if (s->active >= 0 || s->qlen == 0)
        return GS_OK;
    id = s->queue[s->qhead];
    s->qhead = (s->qhead + 1) % s->qcap;
    s->qlen--;
    s->active = id;
    return pump(s, id, err);
}

static int enqueue(gs__cxl_sys *s, int id, gs_err *err)
{
    if (s->qlen == s->qcap) {
        size_t nc = s->qcap ? 2 * s->qcap : 16, i;
        int *q = malloc(nc * sizeof(*q));
        if (!q)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        for (i = 0; i < s->qlen; i++)
            q[i] = s->queue[(s->qhead + i) % s->qcap];
        free(s->queue);
        s->queue = q;
        s->qhead = 0;
        s->qcap = nc;
    }
    s->queue[(s->qhead + s->qlen) % s->qcap] = id;
    s->qlen++;
    return activate_next(s, err);
}

static int on_xfer_start(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs__cxl_sys *s = ctx;
    int id = (int)GS_EV_TO_U(ev->data);
    copy *c = &s->copies[id];

    c->started = gs_engine_now(eng);
    if (c->bytes <= 0)
        return gs_engine_post(eng, c->started, GS_EV_CXL_XFER_DONE, GS_EV_FROM_U(id), NULL, NULL,
                              err);
    if (c->pinned)
        return start_dma(s, c, id, c->bytes, GS_EV_CXL_XFER_DONE, err);
    return enqueue(s, id, err);
}

static int on_chunk(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs__cxl_sys *s = ctx;
    int id = (int)GS_EV_TO_U(ev->data);
    copy *c = &s->copies[id];

    (void)eng;
    if (ev->type == GS_EV_CXL_CHUNK_STAGED) {
        c->stage_busy = 0;
        c->staged++;
        if (c->dir == GS_CXL_D2H)
            c->free_slots++;
    } else {
        c->dma_busy = 0;
        c->dma_done++;
        if (c->dir == GS_CXL_H2D)
            c->free_slots++;
    }
    return pump(s, id, err);
}

int gs__cxl_copy(gs__cxl_sys *s, int dir, int tier, double bytes, int pinned, uint64_t addr,
                 uintptr_t tag, int *id, gs_err *err)
{
    size_t i;
    copy *c;

    if ((dir != GS_CXL_H2D && dir != GS_CXL_D2H) || tier < 0 || (size_t)tier >= s->hw->ntiers ||
        !(bytes >= 0))
        return gs_errorf(err, GS_EINVAL, "bad copy");
    if (s->hw->tiers[tier].units == 0 && bytes > 0)
        return gs_errorf(err, GS_EINVAL, "tier '%s' has no memory fitted", s->hw->tiers[tier].name);
    for (i = 0; i < s->ncopies; i++)
        if (!s->copies[i].used)
            break;
    if (i == s->ncopies) {
        if (GS_GROW(s->copies, s->capcopies, s->ncopies + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        s->ncopies++;
    }
    c = &s->copies[i];
    memset(c, 0, sizeof(*c));
    c->used = 1;
    c->dir = dir;
    c->pinned = pinned;
    c->tier = tier;
    c->bytes = bytes;
    c->addr = addr;
    c->tag = tag;
    c->issued = gs_engine_now(s->eng);
    c->nchunks = (int)ceil(bytes / s->hw->chunk_bytes);
    c->free_slots = s->hw->staging_depth;
    if (id)
        *id = (int)i;
    return gs_engine_post(s->eng, c->issued + s->hw->call_s, GS_EV_CXL_XFER_START, GS_EV_FROM_U(i),
                          NULL, NULL, err);
}

int gs__cxl_copy_take(gs__cxl_sys *s, int id, gs__cxl_copy_info *out)
{
    copy *c;

    if (id < 0 || (size_t)id >= s->ncopies || !s->copies[id].used)
        return GS_EINVAL;
    c = &s->copies[id];
    out->dir = c->dir;
    out->pinned = c->pinned;
    out->tier = c->tier;
    out->bytes = c->bytes;
    out->issued = c->issued;
    out->started = c->started;
    out->finished = gs_engine_now(s->eng);
    out->tag = c->tag;
    c->used = 0;
    return GS_OK;
}
