/* SPDX-License-Identifier: Apache-2.0 */
/* The game-offload model as events on the shared engine: server ticks, snapshots, commands,
 * client frames, video frames through encoder, network and decoder, network/device/load
 * changes, probes, monitor samples, policy evaluations, migrations and lost sessions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "game_int.h"
#include "util_int.h"

#define MS      1e-3
#define PKT_B   1200.0 /* payload bytes per packet (typical WebRTC/UDP MTU budget) */
#define WINDOW  8      /* state-transfer chunks in flight */
#define EPS_T   1e-9
#define FOREVER 1e300

/* A packet-like payload: what every in-flight event carries. */
typedef struct pkt {
    uint32_t gen;
    int loc, fresh, last;
    double bytes, t0, work_ms, areas;
    int ack;
} pkt;

static int post(gs_game *g, double at, unsigned type, void *data, gs_err *err)
{
    int rc = gs_engine_post(g->eng, at, type, data, data ? free : NULL, NULL, err);

    if (rc != GS_OK)
        free(data);
    return rc;
}

static int post_u(gs_game *g, double at, unsigned type, uintptr_t u, gs_err *err)
{
    return gs_engine_post(g->eng, at, type, GS_EV_FROM_U(u), NULL, NULL, err);
}

static pkt *pkt_new(uint32_t gen, gs_err *err)
{
    pkt *p = calloc(1, sizeof(*p));

    if (!p)
        gs_errorf(err, GS_ENOMEM, "out of memory");
    else
        p->gen = gen;
    return p;
}

int gs__vec_push(gs__vec *v, double x)
{
    if (GS_GROW(v->v, v->cap, v->n + 1) != GS_OK)
        return GS_ENOMEM;
    v->v[v->n++] = x;
    return GS_OK;
}

void gs__vec_release(gs__vec *v)
{
    free(v->v);
    memset(v, 0, sizeof(*v));
}

#define PUSH(vec, x)                                                                               \
    do {                                                                                           \
        if (gs__vec_push(vec, x) != GS_OK)                                                         \
            return gs_errorf(err, GS_ENOMEM, "out of memory");                                     \
    } while (0)

/* ---- nodes ---- */

/* Effective speeds: other tenants on a shared node take their share (processor sharing), and
 * a device on battery runs its GPU in battery-saver mode (an assumption: docs/game.md). */
static double cpu_speed(const gs_game *g, int loc)
{
    return g->sc->node[loc].cpu_speed * (1.0 - g->edge_util[loc]);
}

static double gpu_speed(const gs_game *g, int loc)
{
    double s = g->sc->node[loc].gpu_speed * (1.0 - g->edge_util[loc]);

    if (loc == GS_GAME_DEVICE && g->power == GS_GAME_BATTERY)
        s *= g->sc->dev.battery_gpu_speed;
    return s;
}

/* ---- links ---- */

/* Sends bytes from location a to b at time now. Returns 1 with the arrival time, or 0 when
 * the packet is lost (outage or random loss). Packets on one direction of a link leave in
 * order at the link rate (a FIFO), wait out short stalls, and never overtake each other. */
static int path_send(gs_game *g, int a, int b, double bytes, double now, double *arrive)
{
    gs__link_state *ls;
    gs__dir_state *d;
    double bw, start, tx, at, npk, plost;
    int k, down;

    if (a == b) {
        *arrive = now + g->sc->node[a].internal_ms * MS;
        return 1;
    }
    k = gs__game_link_of(a, b);
    ls = &g->link[k];
    down = a > b; /* toward the device (or toward the edge) */
    d = down ? &ls->down : &ls->up;
    if (!ls->p.up)
        return 0;
    bw = (down ? ls->p.down_mbps : ls->p.up_mbps) * 1e6;
    start = now;
    if (d->free_at > start)
        start = d->free_at;
    if (ls->stall_until > start)
        start = ls->stall_until;
    tx = bytes * 8.0 / bw;
    d->free_at = start + tx;
    npk = ceil(bytes / PKT_B);
    plost = 1.0 - pow(1.0 - ls->p.loss, npk);
    if (plost > 0 && gs__rng_uniform(g->r_link[k]) < plost)
        return 0;
    at = start + tx + ls->p.latency_ms * MS;
    if (ls->p.jitter_ms > 0)
        at += fabs(gs__rng_gaussian(g->r_link[k], ls->p.jitter_ms)) * MS;
    if (at < d->last_arrival)
        at = d->last_arrival;
    d->last_arrival = at;
    *arrive = at;
    return 1;
}

/* One-way delay a tiny probe would see, without taking link capacity; 0 when lost. */
static int path_probe(gs_game *g, int a, int b, double now, double *delay)
{
    gs__link_state *ls;
    gs__dir_state *d;
    double w = 0;
    int k;

    k = gs__game_link_of(a, b);
    ls = &g->link[k];
    d = a > b ? &ls->down : &ls->up;
    if (!ls->p.up)
        return 0;
    if (ls->p.loss > 0 && gs__rng_uniform(g->r_probe) < ls->p.loss)
        return 0;
    if (d->free_at > now)
        w = d->free_at - now;
    if (ls->stall_until > now + w)
        w = ls->stall_until - now;
    w += ls->p.latency_ms * MS;
    if (ls->p.jitter_ms > 0)
        w += fabs(gs__rng_gaussian(g->r_probe, ls->p.jitter_ms)) * MS;
    *delay = w;
    return 1;
}

/* The downlink bandwidth the device's estimator reports toward loc (0 when down). */
static double avail_mbps(const gs_game *g, int loc)
{
    int k = gs__game_link_of(GS_GAME_DEVICE, loc);

    if (k < 0)
        return INFINITY;
    return g->link[k].p.up ? g->link[k].p.down_mbps : 0;
}

static void apply_link_change(gs__link_params *p, const gs__link_change *c)
{
    if (c->set & GS__LC_BW)
        p->down_mbps = c->p.down_mbps;
    if (c->set & GS__LC_UPBW)
        p->up_mbps = c->p.up_mbps;
    if (c->set & GS__LC_LAT)
        p->latency_ms = c->p.latency_ms;
    if (c->set & GS__LC_JIT)
        p->jitter_ms = c->p.jitter_ms;
    if (c->set & GS__LC_LOSS)
        p->loss = c->p.loss;
    if (c->set & GS__LC_UP)
        p->up = c->p.up;
    if (c->set & GS__LC_RADIO)
        p->radio = c->p.radio;
}

/* ---- the player's view: shown frames, freshness, stalls ---- */

/* A frame reached the screen. fresh: the world it shows had a server update within stall_ms.
 * A stall is a gap between fresh frames longer than stall_ms (the view or the world froze). */
static int show_frame(gs_game *g, double now, int fresh, gs_err *err)
{
    g->frames_shown++;
    g->win_frames++;
    if (g->last_shown >= 0)
        PUSH(&g->win_frame_ms, (now - g->last_shown) / MS);
    g->last_shown = now;
    if (fresh) {
        double gap = now - g->last_fresh;
        if (gap > g->sc->stall_ms * MS) {
            g->stalls++;
            g->stall_s += gap;
            g->stall_in_window = 1;
        }
        g->last_fresh = now;
    }
    return GS_OK;
}

static int world_fresh(const gs_game *g, double now)
{
    return now - g->last_server_rx <= g->sc->stall_ms * MS;
}

/* ---- components ---- */

static double tick_period(const gs_game *g)
{
    return 1.0 / g->sc->world.tick_rate;
}

static int start_server(gs_game *g, double now, gs_err *err)
{
    g->server_on = 1;
    g->server_gen++;
    g->cmd_have = 0;
    g->cmdq_n = 0;
    g->net_acc = 1.0;
    g->next_tick_at = now;
    return post_u(g, now, GS_EV_GAME_TICK, g->server_gen, err);
}

static void stop_server(gs_game *g)
{
    g->server_on = 0;
    g->server_gen++;
}

static double frame_time(gs_game *g, int loc)
{
    const gs__comp_cfg *c = &g->sc->comp;
    double u = 1.0 + c->draw_var * (2.0 * gs__rng_uniform(g->r_frame) - 1.0);
    double cpu = cpu_speed(g, loc), t, budget, done;

    t = c->client_sim_ms / cpu + c->draw_ms * u / gpu_speed(g, loc);
    /* meshing: each frame takes at most work_ms / mesh_frames of the backlog (in device-class
     * ms, an assumption: docs/game.md), which a faster CPU finishes sooner */
    budget = g->sc->world.terrain_work_ms / c->mesh_frames;
    done = budget;
    if (done > g->mesh_backlog_ms)
        done = g->mesh_backlog_ms;
    if (g->mesh_backlog_ms > 0) {
        g->mesh_areas *= (g->mesh_backlog_ms - done) / g->mesh_backlog_ms;
        g->mesh_backlog_ms -= done;
    }
    t += done / cpu;
    t *= MS;
    {
        double cap = loc == GS_GAME_DEVICE ? g->sc->dev.display_hz : c->remote_max_fps;
        if (t < 1.0 / cap)
            t = 1.0 / cap;
    }
    return t;
}

static int start_client(gs_game *g, double now, gs_err *err)
{
    int rc;

    g->client_on = 1;
    g->client_gen++;
    g->mesh_backlog_ms = 0;
    g->mesh_areas = 0;
    g->pending_areas = 0; /* the world it downloaded already holds them */
    g->pending_work_ms = 0;
    g->last_server_rx = now; /* it starts from a fresh copy of the world */
    g->enc_free_at = now;
    g->dec_free_at = now;
    g->dec_queue = 0;
    g->last_video_rx = now;
    g->last_cmd_at = -1;
    g->next_frame_at = now + frame_time(g, g->at.client);
    if ((rc = post_u(g, g->next_frame_at, GS_EV_GAME_FRAME_DONE, g->client_gen, err)) != GS_OK)
        return rc;
    return post_u(g, now, GS_EV_GAME_INPUT_SEND, g->client_gen, err);
}

static void stop_client(gs_game *g)
{
    g->client_on = 0;
    g->client_gen++;
    g->dec_queue = 0;
}

/* ---- handlers: world ---- */

static int on_tick(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__world_cfg *w = &g->sc->world;
    double now = ev->time, d, next;
    int rc;

    (void)eng;
    if (GS_EV_TO_U(ev->data) != g->server_gen || !g->server_on)
        return GS_OK;
    /* the tick starts by taking the commands that arrived since the last one */
    while (g->cmdq_n > 0 && g->cmdq_proc[g->cmdq_head] <= now + 1e-12) {
        g->cmd_ack_sent = g->cmdq_sent[g->cmdq_head];
        g->cmd_ack_proc = g->cmdq_proc[g->cmdq_head];
        g->cmd_have = 1;
        g->cmdq_head = (g->cmdq_head + 1) % 16;
        g->cmdq_n--;
    }
    /* Tick duration, ms: a lognormal body and rare Pareto spikes (Meterstick's heavy tail) */
    d = (w->tick_base_ms + w->tick_per_player_ms * w->players +
         w->tick_per_load_ms * g->load_level) *
        gs__rng_lognormal(g->r_tick, 0.0, w->tick_sigma);
    if (w->spike_prob > 0 && gs__rng_uniform(g->r_tick) < w->spike_prob)
        d += gs__rng_pareto(g->r_tick, w->spike_alpha, w->spike_ms);
    d /= cpu_speed(g, g->at.server);
    g->ticks++;
    g->tick_sum_ms += d;
    if (d > g->tick_max_ms)
        g->tick_max_ms = d;
    g->win_tick_sum += d;
    g->win_tick_n++;
    d *= MS;
    /* a snapshot leaves at the end of every network tick */
    g->net_acc += w->net_tick_rate / w->tick_rate;
    if (g->net_acc >= 1.0 - 1e-9) {
        g->net_acc -= 1.0;
        if ((rc = post_u(g, now + d, GS_EV_GAME_SNAPSHOT_SEND, g->server_gen, err)) != GS_OK)
            return rc;
    }
    /* ticks never overlap: a long tick delays the next (Minecraft's tick loop, as Meterstick
     * measures it: van der Sar et al., ICPE '23) */
    next = now + (d > tick_period(g) ? d : tick_period(g));
    g->next_tick_at = next;
    return post_u(g, next, GS_EV_GAME_TICK, g->server_gen, err);
}

static int on_snapshot_send(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__world_cfg *w = &g->sc->world;
    double now = ev->time, at;
    pkt *p;

    (void)eng;
    if (GS_EV_TO_U(ev->data) != g->server_gen || !g->server_on || !g->client_on)
        return GS_OK;
    if (!(p = pkt_new(g->client_gen, err)))
        return err->code;
    /* a snapshot carries at most max_areas modified areas (NetCode fills a size-limited
     * packet by priority); the rest, and anything lost, rides on later snapshots */
    p->areas = g->pending_areas < w->snap_max_areas ? g->pending_areas : w->snap_max_areas;
    p->work_ms = g->pending_areas > 0 ? g->pending_work_ms * p->areas / g->pending_areas : 0;
    p->bytes = w->snap_base_b +
               w->snap_entity_b *
                   (w->entities_per_player * w->players + w->entities_per_load * g->load_level) +
               w->snap_area_b * p->areas;
    /* NetCode returns the client's send time advanced by how long the server held the
     * command (GhostSendSystem's returnTime), so the RTT excludes that hold; we count the hold
     * from the command's arrival */
    p->ack = g->cmd_have;
    p->t0 = g->cmd_ack_sent + (now - g->cmd_ack_proc);
    if (g->at.server == GS_GAME_DEVICE && g->at.client != GS_GAME_DEVICE)
        g->win_up_b += p->bytes;
    if (!path_send(g, g->at.server, g->at.client, p->bytes, now, &at)) {
        free(p); /* the ghost data stays pending and rides on the next snapshot */
        return GS_OK;
    }
    g->pending_areas -= p->areas;
    g->pending_work_ms -= p->work_ms;
    return post(g, at, GS_EV_GAME_SNAPSHOT_RECV, p, err);
}

static int on_snapshot_recv(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *p = ev->data;
    double now = ev->time;

    (void)eng;
    if (p->gen != g->client_gen || !g->client_on)
        return GS_OK;
    if (g->at.client == GS_GAME_DEVICE && g->at.server != GS_GAME_DEVICE)
        g->win_down_b += p->bytes;
    /* timestamped on receipt, so the estimate is the network round trip (with queueing) */
    if (p->ack)
        PUSH(&g->win_rtt, (now - p->t0) / MS);
    g->last_server_rx = now;
    g->mesh_backlog_ms += p->work_ms;
    g->mesh_areas += p->areas;
    return GS_OK;
}

/* The client sends its command for the current tick (NetCode sends at most one per tick, at
 * the start of a frame), acknowledged in a later snapshot: that round trip is the NFE RTT. */
static int on_input_send(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__world_cfg *w = &g->sc->world;
    double now = ev->time, at;
    pkt *p;

    (void)eng;
    if (GS_EV_TO_U(ev->data) != g->client_gen || !g->client_on || !g->server_on)
        return GS_OK;
    if (g->last_cmd_at >= 0 && now - g->last_cmd_at < 1.0 / w->net_tick_rate - 1e-9)
        return GS_OK;
    g->last_cmd_at = now;
    if (g->at.client == GS_GAME_DEVICE && g->at.server != GS_GAME_DEVICE)
        g->win_up_b += w->input_b;
    if (!path_send(g, g->at.client, g->at.server, w->input_b, now, &at))
        return GS_OK;
    if (!(p = pkt_new(g->server_gen, err)))
        return err->code;
    p->t0 = now;
    return post(g, at, GS_EV_GAME_INPUT_RECV, p, err);
}

static int on_input_recv(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *p = ev->data;
    int i;

    (void)eng;
    (void)err;
    if (p->gen != g->server_gen || !g->server_on)
        return GS_OK;
    /* processed at the start of the next tick; a full queue forgets its oldest entry */
    if (g->cmdq_n == 16) {
        g->cmdq_head = (g->cmdq_head + 1) % 16;
        g->cmdq_n--;
    }
    i = (g->cmdq_head + g->cmdq_n) % 16;
    g->cmdq_sent[i] = p->t0;
    g->cmdq_proc[i] = ev->time;
    g->cmdq_n++;
    return GS_OK;
}

static int post_terrain(gs_game *g, double now, gs_err *err)
{
    double rate = g->sc->world.terrain_rate * g->load_level;

    g->terrain_ev = 0;
    if (rate <= 0)
        return GS_OK;
    return gs_engine_post(g->eng, now + gs__rng_exponential(g->r_terrain, 1.0 / rate),
                          GS_EV_GAME_TERRAIN, NULL, NULL, &g->terrain_ev, err);
}

static int on_terrain(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;

    (void)eng;
    /* a modified terrain area: the server sends it, every client meshes it */
    if (g->server_on) {
        g->pending_areas += 1;
        g->pending_work_ms += gs__rng_exponential(g->r_terrain, g->sc->world.terrain_work_ms);
    }
    return post_terrain(g, ev->time, err);
}

/* ---- handlers: frames and video ---- */

static int on_frame_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__comp_cfg *c = &g->sc->comp;
    double now = ev->time;
    int rc, fresh;

    (void)eng;
    if (GS_EV_TO_U(ev->data) != g->client_gen || !g->client_on)
        return GS_OK;
    fresh = world_fresh(g, now);
    /* the next frame starts now: it sends the player's command first */
    if ((rc = post_u(g, now, GS_EV_GAME_INPUT_SEND, g->client_gen, err)) != GS_OK)
        return rc;
    if (g->at.renderer == GS_GAME_DEVICE) {
        if ((rc = show_frame(g, now, fresh, err)) != GS_OK)
            return rc;
    } else {
        /* hand the frame to the hardware encoder beside the renderer (a FIFO) */
        pkt *p = pkt_new(g->client_gen, err);
        double start = now > g->enc_free_at ? now : g->enc_free_at;
        if (!p)
            return err->code;
        p->fresh = fresh;
        p->t0 = now;
        g->enc_free_at = start + c->enc_ms * MS;
        if ((rc = post(g, g->enc_free_at, GS_EV_GAME_VIDEO_ENCODED, p, err)) != GS_OK)
            return rc;
    }
    g->next_frame_at = now + frame_time(g, g->at.client);
    return post_u(g, g->next_frame_at, GS_EV_GAME_FRAME_DONE, g->client_gen, err);
}

/* Full-quality bitrate of the stream, Mbit/s. */
static double stream_full_mbps(const gs_game *g)
{
    const gs__comp_cfg *c = &g->sc->comp;
    double r = c->bpp * c->width * c->height * c->enc_fps / 1e6;

    return r < c->max_mbps ? r : c->max_mbps;
}

static int on_video_encoded(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__comp_cfg *c = &g->sc->comp;
    const pkt *e = ev->data;
    double now = ev->time, r, bytes, at, queue;
    int k, host = g->at.renderer;
    pkt *p;

    (void)eng;
    if (e->gen != g->client_gen || !g->client_on || host == GS_GAME_DEVICE)
        return GS_OK;
    g->win_video_sent++;
    /* rate control: full quality, or a share of what the bandwidth estimator reports */
    r = stream_full_mbps(g);
    if (r > c->bw_share * avail_mbps(g, host))
        r = c->bw_share * avail_mbps(g, host);
    if (r < c->min_mbps)
        r = c->min_mbps;
    bytes = r * 1e6 / 8.0 / c->enc_fps;
    if (c->size_sigma > 0)
        bytes *= gs__rng_lognormal(g->r_video, -0.5 * c->size_sigma * c->size_sigma, c->size_sigma);
    /* a congested sender drops frames instead of queueing them */
    k = gs__game_link_of(host, GS_GAME_DEVICE);
    queue = g->link[k].down.free_at - now;
    if (queue > c->enc_queue_ms * MS) {
        g->frames_lost++;
        g->win_video_lost++;
        return GS_OK;
    }
    if (!path_send(g, host, GS_GAME_DEVICE, bytes, now, &at)) {
        /* WebRTC NACK: the receiver notices the gap with the next frame and asks again; the
         * frame is resent once, a round trip later, and lost only if that fails too */
        double nack = 2.0 * g->link[k].p.latency_ms * MS + 1.0 / c->enc_fps;
        if (!g->link[k].p.up || !path_send(g, host, GS_GAME_DEVICE, bytes, now + nack, &at)) {
            g->frames_lost++;
            g->win_video_lost++;
            return GS_OK;
        }
    }
    if (!(p = pkt_new(g->client_gen, err)))
        return err->code;
    p->bytes = bytes;
    p->fresh = e->fresh;
    p->t0 = e->t0;
    return post(g, at, GS_EV_GAME_VIDEO_RECV, p, err);
}

static int on_video_recv(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__comp_cfg *c = &g->sc->comp;
    const pkt *e = ev->data;
    double now = ev->time, service, start;
    pkt *p;

    (void)eng;
    if (e->gen != g->client_gen || !g->client_on)
        return GS_OK;
    g->win_down_b += e->bytes;
    g->last_video_rx = now;
    /* the decoder takes frames in order, at most max_fps of them per second */
    service = c->dec_ms * MS;
    if (service < 1.0 / c->dec_max_fps)
        service = 1.0 / c->dec_max_fps;
    start = now > g->dec_free_at ? now : g->dec_free_at;
    g->dec_free_at = start + service;
    g->dec_queue++;
    if (!(p = pkt_new(e->gen, err)))
        return err->code;
    p->fresh = e->fresh;
    return post(g, g->dec_free_at, GS_EV_GAME_VIDEO_DECODED, p, err);
}

static int on_video_decoded(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *e = ev->data;

    (void)eng;
    if (e->gen != g->client_gen || !g->client_on)
        return GS_OK;
    if (g->dec_queue > 0)
        g->dec_queue--;
    /* the player answers what it sees: input goes up the stream's data channel */
    g->win_up_b += g->sc->world.input_b;
    {
        double at;
        (void)path_send(g, GS_GAME_DEVICE, g->at.renderer, g->sc->world.input_b, ev->time, &at);
    }
    return show_frame(g, ev->time, e->fresh, err);
}

/* ---- handlers: environment ---- */

static int on_net_change(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    int k = (int)GS_EV_TO_U(ev->data);
    const gs__link_cfg *cfg = &g->sc->link[k];
    gs__link_state *ls = &g->link[k];

    (void)eng;
    while (ls->next_change < cfg->nchanges && cfg->changes[ls->next_change].t <= ev->time)
        apply_link_change(&ls->p, &cfg->changes[ls->next_change++]);
    if (ls->next_change < cfg->nchanges)
        return post_u(g, cfg->changes[ls->next_change].t, GS_EV_GAME_NET_CHANGE, (uintptr_t)k, err);
    return GS_OK;
}

static int on_net_stall(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    int k = (int)GS_EV_TO_U(ev->data);
    const gs__link_cfg *cfg = &g->sc->link[k];
    gs__link_state *ls = &g->link[k];
    double end = ev->time + cfg->stall_ms * MS;

    (void)eng;
    if (end > ls->stall_until)
        ls->stall_until = end;
    return post_u(g, ev->time + gs__rng_exponential(g->r_stall[k], 1.0 / cfg->stall_rate),
                  GS_EV_GAME_NET_STALL, (uintptr_t)k, err);
}

static void device_dies(gs_game *g, double now)
{
    g->alive = 0;
    g->battery_pct = 0;
    if (g->session_up) {
        g->sessions_lost++;
        g->session_up = 0;
    }
    if (g->client_on && (g->at.client == GS_GAME_DEVICE || g->at.renderer != GS_GAME_DEVICE))
        stop_client(g);
    if (g->server_on && g->at.server == GS_GAME_DEVICE)
        stop_server(g);
    if (g->mig.active) {
        gs_game_migration *rec = &g->migs[g->mig.rec];
        rec->end = now;
        rec->ok = 0;
        rec->bytes = g->mig.moved;
        g->migrations_failed++;
        g->mig.active = 0;
        g->mig.gen++;
    }
}

static int on_power_change(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs__device_cfg *dv = &g->sc->dev;

    (void)eng;
    while (g->next_power < dv->npower && dv->power[g->next_power].t <= ev->time) {
        const gs__power_step *s = &dv->power[g->next_power++];
        g->power = s->source;
        /* a sudden drop (cold, an ageing cell re-calibrating) sets the level outright */
        if (!isnan(s->battery_pct) && g->alive)
            g->battery_pct = s->battery_pct;
        if (s->drop_pct > 0 && g->alive)
            g->battery_pct = g->battery_pct > s->drop_pct ? g->battery_pct - s->drop_pct : 0;
    }
    if (g->alive && g->battery_pct <= 0 && g->power == GS_GAME_BATTERY)
        device_dies(g, ev->time);
    if (g->next_power < dv->npower)
        return post_u(g, dv->power[g->next_power].t, GS_EV_GAME_POWER_CHANGE, 0, err);
    return GS_OK;
}

/* Load steps: payload = location (GS_GAME_NLOC for the world's modification load). */
static int on_load_change(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    int which = (int)GS_EV_TO_U(ev->data), rc;
    const gs__step *st = which == GS_GAME_NLOC ? g->sc->world.load : g->sc->node[which].load;
    size_t n = which == GS_GAME_NLOC ? g->sc->world.nload : g->sc->node[which].nload;
    size_t *next = which == GS_GAME_NLOC ? &g->next_load : &g->next_util[which];

    (void)eng;
    while (*next < n && st[*next].t <= ev->time) {
        if (which == GS_GAME_NLOC)
            g->load_level = st[*next].v;
        else
            g->edge_util[which] = st[*next].v;
        (*next)++;
    }
    if (which == GS_GAME_NLOC) {
        /* the terrain process is memoryless: redraw its next arrival at the new rate */
        if (g->terrain_ev)
            gs_engine_cancel(g->eng, g->terrain_ev);
        if ((rc = post_terrain(g, ev->time, err)) != GS_OK)
            return rc;
    }
    if (*next < n)
        return post_u(g, st[*next].t, GS_EV_GAME_LOAD_CHANGE, (uintptr_t)which, err);
    return GS_OK;
}

/* ---- probes ---- */

static int on_probe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    double now = ev->time, d1, d2;
    int loc, rc;

    (void)eng;
    if (!g->alive)
        return GS_OK;
    for (loc = GS_GAME_EDGE; loc < GS_GAME_NLOC; loc++) {
        pkt *p;
        if (!g->sc->node[loc].present)
            continue;
        if (!path_probe(g, GS_GAME_DEVICE, loc, now, &d1) ||
            !path_probe(g, loc, GS_GAME_DEVICE, now + d1, &d2)) {
            PUSH(&g->probe_t, now);
            PUSH(&g->probe_loc, loc);
            PUSH(&g->probe_rtt, NAN);
            continue;
        }
        if (!(p = pkt_new(0, err)))
            return err->code;
        p->loc = loc;
        p->t0 = now;
        if ((rc = post(g, now + d1 + d2, GS_EV_GAME_PROBE_RECV, p, err)) != GS_OK)
            return rc;
    }
    return post_u(g, now + g->sc->probe_s, GS_EV_GAME_PROBE, 0, err);
}

static int on_probe_recv(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *p = ev->data;
    double now = ev->time;

    (void)eng;
    PUSH(&g->probe_t, now);
    PUSH(&g->probe_loc, p->loc);
    PUSH(&g->probe_rtt, (now - p->t0) / MS);
    if (now - g->probe_last_ok[p->loc] > 2.5 * g->sc->probe_s)
        g->probe_up_since[p->loc] = now;
    g->probe_last_ok[p->loc] = now;
    return GS_OK;
}

/* ---- migrations ---- */

static int log_migration(gs_game *g, double now, const gs_game_placement *to, const char *reason,
                         gs_err *err)
{
    gs_game_migration *m;

    if (GS_GROW(g->migs, g->capmigs, g->nmigs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    m = &g->migs[g->nmigs++];
    memset(m, 0, sizeof(*m));
    m->start = m->end = now;
    m->from = g->at;
    m->to = *to;
    snprintf(m->reason, sizeof(m->reason), "%s", reason && *reason ? reason : "policy");
    return GS_OK;
}

int gs__game_placement_check(const gs_game *g, const gs_game_placement *p, gs_err *err)
{
    const int l[3] = {p->server, p->client, p->renderer};
    static const char *const what[3] = {"server", "client", "renderer"};
    int i;

    for (i = 0; i < 3; i++) {
        if (l[i] < 0 || l[i] >= GS_GAME_NLOC)
            return gs_errorf(err, GS_EINVAL, "placement: %s on an unknown location (%d)", what[i],
                             l[i]);
        if (!g->sc->node[l[i]].present)
            return gs_errorf(err, GS_EINVAL,
                             "placement: %s on '%s', but scenario '%s' has no such node", what[i],
                             gs_game_loc_name(l[i]), g->sc->name);
    }
    if (p->client != p->renderer)
        return gs_errorf(err, GS_EINVAL,
                         "placement: client (%s) and renderer (%s) must run on the same node",
                         gs_game_loc_name(p->client), gs_game_loc_name(p->renderer));
    return GS_OK;
}

static int same_placement(const gs_game_placement *a, const gs_game_placement *b)
{
    return a->server == b->server && a->client == b->client && a->renderer == b->renderer;
}

/* Sends chunks of the current transfer: at most WINDOW in flight, and only while the link's
 * queue is short, so the transfer takes the spare capacity (a background, LEDBAT-like flow)
 * instead of starving the running game. When the queue is long it comes back later. */
static int pump_transfer(gs_game *g, double now, gs_err *err)
{
    gs__migration_run *m = &g->mig;
    const gs__transfer *x = &m->xfer[m->cur];
    double chunk = g->sc->chunk_kb * 1024.0, pace = g->sc->mig_pace_ms * MS;
    int rc, k = gs__game_link_of(x->from, x->to);

    while (m->sent < x->bytes && m->sent - m->acked < WINDOW * chunk) {
        double b = x->bytes - m->sent < chunk ? x->bytes - m->sent : chunk, at;
        pkt *p;
        if (k >= 0) {
            const gs__dir_state *d = x->from > x->to ? &g->link[k].down : &g->link[k].up;
            /* wait until the link has drained to one pace of backlog; when that moment
             * rounds to now itself, send now (waiting for it would re-post at the same
             * instant for ever) */
            if (d->free_at - now > pace && d->free_at - pace > now) {
                if (m->pacing)
                    return GS_OK;
                m->pacing = 1;
                if (!(p = pkt_new(m->gen, err)))
                    return err->code;
                p->ack = 1; /* a pacing wake-up, not a lost chunk */
                return post(g, d->free_at - pace, GS_EV_GAME_MIGRATE_RETRY, p, err);
            }
        }
        m->sent += b;
        if (x->from == GS_GAME_DEVICE && x->to != GS_GAME_DEVICE)
            g->win_up_b += b;
        if (!(p = pkt_new(m->gen, err)))
            return err->code;
        p->bytes = b;
        p->loc = x->to;
        if (path_send(g, x->from, x->to, b, now, &at)) {
            if ((rc = post(g, at, GS_EV_GAME_MIGRATE_CHUNK, p, err)) != GS_OK)
                return rc;
        } else if ((rc = post(g, now + g->sc->retry_s, GS_EV_GAME_MIGRATE_RETRY, p, err)) !=
                   GS_OK) {
            return rc; /* lost: sent again after a retransmission timeout */
        }
    }
    return GS_OK;
}

/* The state is where it must be: stop what moves (break) and start it anew after the set-up
 * time (make). Only this switch interrupts the game; the transfer ran beside it. */
static int switch_over(gs_game *g, double now, gs_err *err)
{
    gs__migration_run *m = &g->mig;

    m->switched = 1;
    if (m->kind == 1 || m->to.client != m->from.client)
        stop_client(g);
    if (m->kind == 0 && m->to.server != m->from.server)
        stop_server(g);
    return post_u(g, now + m->setup_s, GS_EV_GAME_MIGRATE_END, m->gen, err);
}

static int transfer_next(gs_game *g, double now, gs_err *err)
{
    gs__migration_run *m = &g->mig;

    while (m->cur < m->nxfer && m->xfer[m->cur].bytes <= 0)
        m->cur++;
    if (m->cur >= m->nxfer)
        return switch_over(g, now, err);
    m->sent = m->acked = 0;
    return pump_transfer(g, now, err);
}

/* A transfer that cannot finish in time is given up; the running deployment never stopped. */
static int migration_abort(gs_game *g, double now, gs_err *err)
{
    gs__migration_run *m = &g->mig;
    gs_game_migration *rec = &g->migs[m->rec];

    m->active = 0;
    m->gen++;
    rec->end = now;
    rec->ok = 0;
    rec->bytes = m->moved;
    g->migrations_failed++;
    g->last_migration_end = now;
    if (m->kind == 1) /* a failed rejoin: keep trying */
        return post_u(g, now + g->sc->retry_s, GS_EV_GAME_SESSION_CHECK, 0, err);
    if (m->break_first) {
        /* what was stopped for the transfer comes back where it was */
        int rc;
        if (!g->server_on && (rc = start_server(g, now, err)) != GS_OK)
            return rc;
        if (!g->client_on && g->session_up && (rc = start_client(g, now, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int on_migrate_chunk(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *p = ev->data;
    gs__migration_run *m = &g->mig;

    (void)eng;
    if (!m->active || p->gen != m->gen)
        return GS_OK;
    if (p->loc == GS_GAME_DEVICE && m->xfer[m->cur].from != GS_GAME_DEVICE)
        g->win_down_b += p->bytes;
    m->acked += p->bytes;
    m->moved += p->bytes;
    if (m->acked >= m->xfer[m->cur].bytes - 1e-6) {
        m->cur++;
        return transfer_next(g, ev->time, err);
    }
    return pump_transfer(g, ev->time, err);
}

static int on_migrate_retry(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const pkt *p = ev->data;
    gs__migration_run *m = &g->mig;

    (void)eng;
    if (!m->active || p->gen != m->gen)
        return GS_OK;
    if (ev->time > m->deadline)
        return migration_abort(g, ev->time, err);
    if (p->ack)
        m->pacing = 0;
    else
        m->sent -= p->bytes; /* send the lost chunk again */
    return pump_transfer(g, ev->time, err);
}

static int on_migrate_start(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    gs__migration_run *m = &g->mig;
    const gs_game_scenario *sc = g->sc;
    double now = ev->time, state = sc->world.state_mb * 1e6, setup = 0;

    (void)eng;
    if (!m->active || GS_EV_TO_U(ev->data) != m->gen)
        return GS_OK;
    m->nxfer = 0;
    m->cur = 0;
    m->switched = 0;
    m->pacing = 0;
    if (m->kind == 1) {
        /* rejoin after a lost session: download the world again, or set the stream up again */
        if (m->to.client != m->to.server)
            m->xfer[m->nxfer++] = (gs__transfer){m->to.server, m->to.client, state};
        setup = sc->rejoin_s;
        if (m->to.renderer != GS_GAME_DEVICE)
            setup += sc->stream_setup_s;
    } else {
        int server_moves = m->to.server != m->from.server;
        int client_moves = m->to.client != m->from.client;
        if (server_moves) {
            /* a server starting where a live client holds the world starts from that replica;
             * otherwise the world moves from the old host */
            int from_replica = m->to.server == m->from.client && g->client_on && !client_moves;
            if (!from_replica)
                m->xfer[m->nxfer++] = (gs__transfer){m->from.server, m->to.server, state};
            if (sc->server_start_s > setup)
                setup = sc->server_start_s;
        }
        if (client_moves) {
            /* a new client downloads the world from the server (PolkaDOTS: Connect) */
            if (m->to.server != m->to.client)
                m->xfer[m->nxfer++] = (gs__transfer){m->to.server, m->to.client, state};
            if (m->to.renderer != GS_GAME_DEVICE) {
                if (sc->stream_setup_s > setup)
                    setup = sc->stream_setup_s;
            } else if (sc->client_start_s > setup) {
                setup = sc->client_start_s;
            }
        }
    }
    m->setup_s = setup;
    m->deadline = now + sc->mig_timeout_s;
    if (m->break_first && m->kind == 0) {
        /* stop what moves now; the old places stay stopped if the transfer fails */
        if (m->to.client != m->from.client)
            stop_client(g);
        if (m->to.server != m->from.server && m->nxfer > 0)
            stop_server(g);
    }
    return transfer_next(g, now, err);
}

static int on_migrate_end(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    gs__migration_run *m = &g->mig;
    gs_game_migration *rec;
    double now = ev->time;
    int rc;

    (void)eng;
    if (!m->active || GS_EV_TO_U(ev->data) != m->gen)
        return GS_OK;
    rec = &g->migs[m->rec];
    g->at = m->to;
    m->active = 0;
    m->gen++;
    if (!g->server_on && (rc = start_server(g, now, err)) != GS_OK)
        return rc;
    if (!g->client_on && (rc = start_client(g, now, err)) != GS_OK)
        return rc;
    g->session_up = 1;
    g->changed_at = now;
    g->last_migration_end = now;
    rec->end = now;
    rec->ok = 1;
    rec->bytes = m->moved;
    if (m->kind == 1)
        g->rejoins++;
    else
        g->migrations_ok++;
    return GS_OK;
}

static int begin_migration(gs_game *g, int kind, const gs_game_placement *to, const char *reason,
                           int break_first, gs_err *err)
{
    gs__migration_run *m = &g->mig;
    double now = gs_engine_now(g->eng);
    int rc;

    if ((rc = log_migration(g, now, to, reason, err)) != GS_OK)
        return rc;
    m->active = 1;
    m->kind = kind;
    m->break_first = break_first;
    m->from = g->at;
    m->to = *to;
    m->moved = 0;
    m->rec = g->nmigs - 1;
    m->gen++;
    g->win_migration_started = 1;
    return post_u(g, now, GS_EV_GAME_MIGRATE_START, m->gen, err);
}

int gs__game_migrate(gs_game *g, const gs_game_placement *p, const char *reason, int break_first,
                     gs_err *err)
{
    int rc;

    if ((rc = gs__game_placement_check(g, p, err)) != GS_OK)
        return gs_err_prefix(err, "game policy '%s' at t=%.3f: ", g->ops->name,
                             gs_engine_now(g->eng));
    if (same_placement(p, &g->at) || g->mig.active || !g->alive)
        return GS_OK;
    return begin_migration(g, 0, p, reason, break_first, err);
}

/* A lost session retries its connection every retry_s while the path it needs is down. */
static int on_session_check(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    int need, k;

    (void)eng;
    if (g->session_up || !g->alive)
        return GS_OK;
    if (g->mig.active)
        return post_u(g, ev->time + g->sc->retry_s, GS_EV_GAME_SESSION_CHECK, 0, err);
    need = g->at.renderer != GS_GAME_DEVICE ? g->at.renderer : g->at.server;
    k = gs__game_link_of(GS_GAME_DEVICE, need);
    if (k >= 0 && !g->link[k].p.up)
        return post_u(g, ev->time + g->sc->retry_s, GS_EV_GAME_SESSION_CHECK, 0, err);
    return begin_migration(g, 1, &g->at, "rejoin after a lost session", 0, err);
}

static int lose_session(gs_game *g, double now, gs_err *err)
{
    g->sessions_lost++;
    g->session_up = 0;
    if (g->client_on)
        stop_client(g);
    return post_u(g, now + g->sc->retry_s, GS_EV_GAME_SESSION_CHECK, 0, err);
}

/* ---- monitor ---- */

static double device_memory(const gs_game *g)
{
    const gs__comp_cfg *c = &g->sc->comp;
    double m = c->base_memory_gb;

    if (!g->alive)
        return 0;
    if (g->client_on && g->at.client == GS_GAME_DEVICE)
        m += c->client_memory_gb + c->render_memory_gb + g->mesh_areas * g->sc->world.area_mb / 1e3;
    if (g->client_on && g->at.renderer != GS_GAME_DEVICE)
        m += c->dec_memory_gb + g->dec_queue * c->dec_frame_mb / 1e3;
    if (g->server_on && g->at.server == GS_GAME_DEVICE)
        m += c->server_memory_gb;
    return m;
}

/* Device power over a window, W (the power model of docs/game.md). */
static double device_power(const gs_game *g, double fps, double mbps)
{
    const gs__device_cfg *dv = &g->sc->dev;
    double p, radio;
    int k, any = 0, cell = 0;

    if (!g->alive)
        return 0;
    p = dv->idle_w + dv->display_w;
    if (g->client_on && g->at.client == GS_GAME_DEVICE)
        p += dv->client_cpu_w + dv->gpu_w60 * fps / 60.0;
    if (g->client_on && g->at.renderer != GS_GAME_DEVICE)
        p += dv->stream_cpu_w + dv->decode_w60 * fps / 60.0;
    if (g->server_on && g->at.server == GS_GAME_DEVICE)
        p += dv->server_cpu_w;
    /* the radio of the device's access links: cellular when any of them is cellular */
    for (k = 0; k < GS__NLINK; k++) {
        if (k == GS__LINK_EC || !g->sc->link[k].present)
            continue;
        if (g->link[k].p.radio != GS__RADIO_WIRED)
            any = 1;
        if (g->link[k].p.radio == GS__RADIO_CELLULAR)
            cell = 1;
    }
    if (any) {
        radio = dv->radio_idle_w + dv->radio_w_per_mbps * mbps;
        p += cell ? radio * dv->cellular_factor : radio;
    }
    return p;
}

static double median_of(gs__vec *v)
{
    if (v->n == 0)
        return NAN;
    gs__sort(v->v, v->n);
    return gs__quantile_sorted(v->v, v->n, 0.5);
}

static int on_monitor(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    const gs_game_scenario *sc = g->sc;
    double now = ev->time, dt = now - g->win_start, pw, e;
    gs_game_sample *s;
    size_t k;

    (void)eng;
    if (GS_GROW(g->samples, g->capsamples, g->nsamples + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    s = &g->samples[g->nsamples];
    memset(s, 0, sizeof(*s));
    s->t = now;
    s->fps = g->win_frames / dt;
    if (g->win_frame_ms.n > 0) {
        gs__sort(g->win_frame_ms.v, g->win_frame_ms.n);
        s->frame_ms_p50 = gs__quantile_sorted(g->win_frame_ms.v, g->win_frame_ms.n, 0.50);
        s->frame_ms_p95 = gs__quantile_sorted(g->win_frame_ms.v, g->win_frame_ms.n, 0.95);
        s->frame_ms_p99 = gs__quantile_sorted(g->win_frame_ms.v, g->win_frame_ms.n, 0.99);
    } else {
        s->frame_ms_p50 = s->frame_ms_p95 = s->frame_ms_p99 = NAN;
    }
    s->game_rtt_ms = median_of(&g->win_rtt);
    s->stream_rtt_ms = NAN;
    if (g->at.renderer != GS_GAME_DEVICE && g->client_on) {
        gs__vec v = {0};
        for (k = g->probe_t.n; k > 0 && g->probe_t.v[k - 1] > g->win_start; k--)
            if ((int)g->probe_loc.v[k - 1] == g->at.renderer && !isnan(g->probe_rtt.v[k - 1]))
                PUSH(&v, g->probe_rtt.v[k - 1]);
        s->stream_rtt_ms = median_of(&v);
        gs__vec_release(&v);
    }
    /* How long the player waits for the game to answer an action (Polka's response time):
     * over a stream, the network round trip to the host plus encoding and decoding; with a
     * local client, the server's confirmation (the NFE round trip). */
    s->response_ms = NAN;
    if (g->client_on && g->session_up) {
        if (g->at.renderer != GS_GAME_DEVICE) {
            double dec = sc->comp.dec_ms > 1e3 / sc->comp.dec_max_fps ? sc->comp.dec_ms
                                                                      : 1e3 / sc->comp.dec_max_fps;
            if (!isnan(s->stream_rtt_ms))
                s->response_ms = s->stream_rtt_ms + sc->comp.enc_ms + dec;
        } else {
            s->response_ms = s->game_rtt_ms;
        }
    }
    s->down_mbps = g->win_down_b * 8.0 / dt / 1e6;
    s->up_mbps = g->win_up_b * 8.0 / dt / 1e6;
    g->down_b_total += g->win_down_b;
    g->up_b_total += g->win_up_b;
    /* energy and battery over the window */
    pw = device_power(g, s->fps, s->down_mbps + s->up_mbps);
    e = pw * dt;
    g->energy_j += e;
    if (g->alive) {
        double cap_j = sc->dev.capacity_wh * 3600.0, net_w = pw;
        if (g->power != GS_GAME_BATTERY)
            net_w = pw - sc->dev.charger_w; /* negative: charging */
        g->battery_pct -= net_w * dt / cap_j * 100.0;
        if (g->battery_pct > 100)
            g->battery_pct = 100;
        if (g->battery_pct <= 0) {
            g->battery_pct = 0;
            if (g->power == GS_GAME_BATTERY)
                device_dies(g, now);
        }
    }
    /* sessions time out after a disconnect timeout without traffic from the other side */
    if (g->alive && g->session_up && !(g->mig.active && g->mig.switched) && g->client_on) {
        double silent = 0;
        if (g->at.renderer != GS_GAME_DEVICE)
            silent = now - g->last_video_rx;
        else if (g->at.server != GS_GAME_DEVICE)
            silent = now - g->last_server_rx;
        if (silent > sc->session_timeout_s) {
            int rc = lose_session(g, now, err);
            if (rc != GS_OK)
                return rc;
        }
    }
    s->memory_gb = device_memory(g);
    s->battery_pct = g->battery_pct;
    s->power_w = pw;
    s->tick_ms = g->win_tick_n > 0 ? g->win_tick_sum / g->win_tick_n : NAN;
    s->power = g->power;
    s->at = g->at;
    s->migration_started = g->win_migration_started;
    s->migrating =
        g->mig.active || g->win_migration_started ||
        (g->last_migration_end >= 0 && g->last_migration_end + sc->settle_s > g->win_start);
    s->stalled = g->stall_in_window || now - g->last_fresh > sc->stall_ms * MS;
    s->session_up = g->session_up && g->alive;
    s->phase = -1;
    PUSH(&g->smp_vsent, g->win_video_sent);
    PUSH(&g->smp_vlost, g->win_video_lost);
    g->nsamples++;
    /* next window */
    g->win_start = now;
    g->win_frames = 0;
    g->win_frame_ms.n = 0;
    g->win_rtt.n = 0;
    g->win_down_b = g->win_up_b = 0;
    g->win_video_sent = g->win_video_lost = 0;
    g->win_tick_sum = g->win_tick_n = 0;
    g->win_migration_started = 0;
    g->stall_in_window = 0;
    {
        double next = (double)(g->nsamples + 1) * sc->monitor_s;
        if (next <= g->duration + EPS_T)
            return post_u(g, next, GS_EV_GAME_MONITOR, 0, err);
    }
    return GS_OK;
}

/* ---- the view and the policy ---- */

int gs__game_view(const gs_game *g, gs_game_view *v, gs_err *err)
{
    const gs_game_scenario *sc = g->sc;
    double now = gs_engine_now(g->eng), from = now - sc->policy_window_s;
    double *fps = NULL, *rtt = NULL, *p95 = NULL, down = 0, sent = 0, lost = 0;
    size_t i, n = 0, nr = 0, np = 0, first;
    int loc;

    memset(v, 0, sizeof(*v));
    v->now = now;
    v->placement = g->at;
    v->since_change = now - g->changed_at;
    /* the window judges the current deployment only: samples from before its switch, or
     * overlapping the switch, say nothing about it */
    for (first = g->nsamples;
         first > 0 && g->samples[first - 1].t > from + EPS_T && !g->samples[first - 1].migrating;
         first--)
        ;
    v->nsamples = g->nsamples - first;
    if (v->nsamples > 0) {
        fps = malloc(v->nsamples * sizeof(*fps));
        rtt = malloc(v->nsamples * sizeof(*rtt));
        p95 = malloc(v->nsamples * sizeof(*p95));
        if (!fps || !rtt || !p95) {
            free(fps);
            free(rtt);
            free(p95);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
    }
    v->fps_mean = v->fps_p5 = v->fps_p10 = v->frame_ms_p95 = v->game_rtt_ms = NAN;
    v->down_mbps = v->frame_loss = NAN;
    if (fps && rtt && p95) {
        for (i = first; i < g->nsamples; i++) {
            const gs_game_sample *s = &g->samples[i];
            fps[n++] = s->fps;
            if (!isnan(s->game_rtt_ms))
                rtt[nr++] = s->game_rtt_ms;
            if (!isnan(s->frame_ms_p95))
                p95[np++] = s->frame_ms_p95;
            down += s->down_mbps;
            sent += g->smp_vsent.v[i];
            lost += g->smp_vlost.v[i];
        }
        gs__sort(fps, n);
        v->fps_mean = gs__mean(fps, n);
        v->fps_p5 = gs__quantile_sorted(fps, n, 0.05);
        v->fps_p10 = gs__quantile_sorted(fps, n, 0.10);
        if (nr > 0) {
            gs__sort(rtt, nr);
            v->game_rtt_ms = gs__quantile_sorted(rtt, nr, 0.5);
        }
        if (np > 0)
            v->frame_ms_p95 = gs__mean(p95, np);
        v->down_mbps = down / (double)n;
        v->frame_loss = sent > 0 ? lost / sent : 0;
    }
    free(fps);
    free(rtt);
    free(p95);
    v->memory_gb = g->nsamples ? g->samples[g->nsamples - 1].memory_gb : device_memory(g);
    v->memory_capacity_gb = sc->node[GS_GAME_DEVICE].memory_gb;
    v->battery_pct = g->battery_pct;
    v->power = g->power;
    v->device_alive = g->alive;
    v->session_up = g->session_up;
    v->server_silent_s = g->at.server != g->at.client ? now - g->last_server_rx : 0;
    v->stream_silent_s = g->at.renderer != GS_GAME_DEVICE ? now - g->last_video_rx : 0;
    v->stream_mbps = stream_full_mbps(g);
    for (loc = GS_GAME_EDGE; loc < GS_GAME_NLOC; loc++) {
        gs__vec r = {0};
        double pl = 0, pn = 0;
        v->present[loc] = sc->node[loc].present;
        if (!v->present[loc])
            continue;
        v->reachable[loc] = g->alive && now - g->probe_last_ok[loc] <= 2.5 * sc->probe_s;
        v->down_for_s[loc] = v->reachable[loc] ? 0 : now - g->probe_last_ok[loc];
        v->up_for_s[loc] = v->reachable[loc] ? now - g->probe_up_since[loc] : 0;
        for (i = g->probe_t.n; i > 0 && g->probe_t.v[i - 1] > from; i--) {
            if ((int)g->probe_loc.v[i - 1] != loc)
                continue;
            pn++;
            if (isnan(g->probe_rtt.v[i - 1]))
                pl++;
            else if (gs__vec_push(&r, g->probe_rtt.v[i - 1]) != GS_OK) {
                gs__vec_release(&r);
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            }
        }
        v->probe_rtt_ms[loc] = median_of(&r);
        gs__vec_release(&r);
        v->probe_loss[loc] = pn > 0 ? pl / pn : 0;
        v->avail_mbps[loc] = avail_mbps(g, loc);
        {
            /* M/M/1-like wait at a shared node: rho / (1 - rho) x the frame's service time
             * (Ali-Eldin et al., "The Hidden Cost of the Edge", SC '21) */
            double rho = g->edge_util[loc];
            double svc = sc->comp.client_sim_ms / sc->node[loc].cpu_speed +
                         sc->comp.draw_ms / sc->node[loc].gpu_speed;
            v->queue_ms[loc] = rho / (1.0 - rho) * svc;
        }
    }
    return GS_OK;
}

static int evaluate(gs_game *g, gs_err *err)
{
    gs_game_view v;
    gs_game_decision d;
    int rc;

    if (!g->alive || g->mig.active)
        return GS_OK;
    if ((rc = gs__game_view(g, &v, err)) != GS_OK)
        return rc;
    memset(&d, 0, sizeof(d));
    d.to = g->at;
    if ((rc = g->ops->decide(g->pstate, g, &v, &d, err)) != GS_OK)
        return gs_err_prefix(err, "game policy '%s' at t=%.3f: ", g->ops->name, v.now);
    d.reason[sizeof(d.reason) - 1] = '\0';
    return gs__game_migrate(g, &d.to, d.reason, d.break_first, err);
}

static int on_policy(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    int rc;

    (void)eng;
    if ((rc = evaluate(g, err)) != GS_OK)
        return rc;
    if (!g->alive)
        return GS_OK;
    return post_u(g, ev->time + g->sc->policy_interval_s, GS_EV_GAME_POLICY, 0, err);
}

static int on_action(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;

    (void)eng;
    if (g->mig.active) /* try again once the running migration is over */
        return post_u(g, ev->time + 0.1, GS_EV_GAME_ACTION, 0, err);
    return evaluate(g, err);
}

/* ---- start ---- */

int gs__game_model_start(gs_game *g, gs_err *err)
{
    static const struct {
        unsigned type;
        gs_event_fn fn;
    } handlers[] = {
        {GS_EV_GAME_TICK, on_tick},
        {GS_EV_GAME_SNAPSHOT_SEND, on_snapshot_send},
        {GS_EV_GAME_SNAPSHOT_RECV, on_snapshot_recv},
        {GS_EV_GAME_INPUT_SEND, on_input_send},
        {GS_EV_GAME_INPUT_RECV, on_input_recv},
        {GS_EV_GAME_TERRAIN, on_terrain},
        {GS_EV_GAME_FRAME_DONE, on_frame_done},
        {GS_EV_GAME_VIDEO_ENCODED, on_video_encoded},
        {GS_EV_GAME_VIDEO_RECV, on_video_recv},
        {GS_EV_GAME_VIDEO_DECODED, on_video_decoded},
        {GS_EV_GAME_NET_CHANGE, on_net_change},
        {GS_EV_GAME_NET_STALL, on_net_stall},
        {GS_EV_GAME_POWER_CHANGE, on_power_change},
        {GS_EV_GAME_LOAD_CHANGE, on_load_change},
        {GS_EV_GAME_PROBE, on_probe},
        {GS_EV_GAME_PROBE_RECV, on_probe_recv},
        {GS_EV_GAME_MONITOR, on_monitor},
        {GS_EV_GAME_POLICY, on_policy},
        {GS_EV_GAME_ACTION, on_action},
        {GS_EV_GAME_MIGRATE_START, on_migrate_start},
        {GS_EV_GAME_MIGRATE_CHUNK, on_migrate_chunk},
        {GS_EV_GAME_MIGRATE_RETRY, on_migrate_retry},
        {GS_EV_GAME_MIGRATE_END, on_migrate_end},
        {GS_EV_GAME_SESSION_CHECK, on_session_check},
    };
    static const gs_event_type_def types[] = {
#define GS_EV_DEF_(name, val, str) {GS_EV_##name, str},
        GS_EVENT_GAME_LIST(GS_EV_DEF_)
#undef GS_EV_DEF_
    };
    const gs_game_scenario *sc = g->sc;
    size_t i;
    int rc, k;

    if ((rc = gs_engine_declare(g->eng, types, sizeof(types) / sizeof(types[0]), err)) != GS_OK)
        return rc;
    for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if ((rc = gs_engine_on(g->eng, handlers[i].type, handlers[i].fn, g, err)) != GS_OK)
            return rc;
    /* environment at t = 0 */
    g->alive = 1;
    g->battery_pct = sc->dev.initial_pct;
    g->power = sc->dev.power[0].source;
    g->load_level = 1.0;
    g->last_shown = -1;
    g->last_fresh = 0;
    g->last_migration_end = -1;
    g->session_up = 1;
    for (k = 0; k < GS__NLINK; k++) {
        g->link[k].p = sc->link[k].init;
        if (!sc->link[k].present)
            continue;
        if (sc->link[k].nchanges > 0 &&
            (rc = post_u(g, sc->link[k].changes[0].t, GS_EV_GAME_NET_CHANGE, (uintptr_t)k, err)) !=
                GS_OK)
            return rc;
        if (sc->link[k].stall_rate > 0 &&
            (rc = post_u(g, gs__rng_exponential(g->r_stall[k], 1.0 / sc->link[k].stall_rate),
                         GS_EV_GAME_NET_STALL, (uintptr_t)k, err)) != GS_OK)
            return rc;
    }
    if ((rc = post_u(g, 0, GS_EV_GAME_POWER_CHANGE, 0, err)) != GS_OK)
        return rc;
    if (sc->world.nload > 0 &&
        (rc = post_u(g, sc->world.load[0].t, GS_EV_GAME_LOAD_CHANGE, GS_GAME_NLOC, err)) != GS_OK)
        return rc;
    for (k = 0; k < GS_GAME_NLOC; k++)
        if (sc->node[k].nload > 0 && (rc = post_u(g, sc->node[k].load[0].t, GS_EV_GAME_LOAD_CHANGE,
                                                  (uintptr_t)k, err)) != GS_OK)
            return rc;
    if ((rc = post_terrain(g, 0, err)) != GS_OK)
        return rc;
    /* the components at their initial places */
    if ((rc = start_server(g, 0, err)) != GS_OK || (rc = start_client(g, 0, err)) != GS_OK)
        return rc;
    /* observers */
    if ((rc = post_u(g, sc->monitor_s, GS_EV_GAME_MONITOR, 0, err)) != GS_OK ||
        (rc = post_u(g, 0, GS_EV_GAME_PROBE, 0, err)) != GS_OK ||
        (rc = post_u(g, sc->policy_interval_s, GS_EV_GAME_POLICY, 0, err)) != GS_OK)
        return rc;
    for (i = 0; i < sc->nactions; i++)
        if ((rc = post_u(g, sc->actions[i].t, GS_EV_GAME_ACTION, 0, err)) != GS_OK)
            return rc;
    return GS_OK;
}
