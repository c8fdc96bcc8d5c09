/* SPDX-License-Identifier: Apache-2.0 */
/* The adaptive game policy: rule-based redeployment with hysteresis, after the scheduler of
 * the rule-based scheduler of docs/game.md (thresholds on FPS percentiles, battery, memory, RTT,
 * bandwidth and loss; a hold time after every switch; separate enter and leave thresholds; a
 * condition must last before the policy leaves streaming). It also keeps the session through an
 * outage: when the server stops answering and the device holds the world, the server moves to the
 * device (offline play, PolkaDOTS's ClientAndServer world) and goes home once the path is stable.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpusim/game.h"

enum { WHY_NONE = 0, WHY_FPS, WHY_BATTERY, WHY_MEMORY };

typedef struct adaptive {
    double fps_low, battery_low, memory_high, bw_in, bw_out, rtt_in, rtt_out, loss_out;
    double out_hold, hold, outage, stable, cooldown, memory;
    double avoid_until[GS_GAME_NLOC]; /* a host we left because it degraded, until then */
    double host_p10[GS_GAME_NLOC];    /* FPS p10 a host streamed at when we left it (NAN) */
    double host_p10_at[GS_GAME_NLOC];
    double local_p10; /* FPS p10 on the device when we last offloaded (NAN) */
    double bad_since; /* NAN while the stream is fine */
    int why;          /* what made us offload rendering */
    int home;         /* where the server normally runs */
} adaptive;

static const char *const params[] = {
    "fps_low",   "battery_low", "memory_high", "bw_in",      "bw_out",
    "rtt_in_ms", "rtt_out_ms",  "loss_out",    "out_hold_s", "hold_s",
    "outage_s",  "stable_s",    "cooldown_s",  "memory_s",   NULL,
};

static int adaptive_init(void **state, const gs_game *g, gs_err *err)
{
    const char *bad = gs_game_param_unknown(g, params);
    adaptive *a;
    int i;

    if (bad)
        return gs_errorf(err, GS_EINVAL,
                         "unknown parameter '%s' (fps_low, battery_low, memory_high, bw_in, "
                         "bw_out, rtt_in_ms, rtt_out_ms, loss_out, out_hold_s, hold_s, outage_s, "
                         "stable_s, cooldown_s, memory_s)",
                         bad);
    if (!(a = calloc(1, sizeof(*a))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    /* Defaults (docs/game.md): offload when FPS p10 < 30, on battery below 30 %,
     * or memory above 90 %, if bandwidth >= 1.5 x the stream and RTT < 50 ms (Polka's QoS
     * bound); leave when bandwidth < 1.2 x the stream for 3 s, RTT > 80 ms or loss > 5 %; hold
     * 10 s after a switch. outage_s and stable_s [assumption]. */
    a->fps_low = gs_game_param(g, "fps_low", 30);
    a->battery_low = gs_game_param(g, "battery_low", 30);
    a->memory_high = gs_game_param(g, "memory_high", 0.9);
    a->bw_in = gs_game_param(g, "bw_in", 1.5);
    a->bw_out = gs_game_param(g, "bw_out", 1.2);
    a->rtt_in = gs_game_param(g, "rtt_in_ms", 50);
    a->rtt_out = gs_game_param(g, "rtt_out_ms", 80);
    a->loss_out = gs_game_param(g, "loss_out", 0.05);
    a->out_hold = gs_game_param(g, "out_hold_s", 3);
    a->hold = gs_game_param(g, "hold_s", 10);
    a->outage = gs_game_param(g, "outage_s", 1.0);
    a->stable = gs_game_param(g, "stable_s", 5);
    /* a host left for degrading is not used again for cooldown_s [assumption]: with a hold
     * time alone, a device that cannot render well would bounce back to the same bad link */
    a->cooldown = gs_game_param(g, "cooldown_s", 60);
    a->memory = gs_game_param(g, "memory_s", 300);
    for (i = 0; i < GS_GAME_NLOC; i++)
        a->host_p10[i] = NAN;
    a->local_p10 = NAN;
    a->bad_since = NAN;
    a->home = gs_game_start_placement(g).server;
    if (a->bw_out > a->bw_in || a->rtt_out < a->rtt_in || a->hold < 0 || a->out_hold < 0 ||
        a->outage <= 0 || a->stable < 0 || a->cooldown < 0 || a->memory_high <= 0 ||
        a->memory_high > 1) {
        free(a);
        return gs_errorf(err, GS_EINVAL,
                         "inconsistent thresholds: need bw_out <= bw_in, rtt_out_ms >= "
                         "rtt_in_ms, hold_s, out_hold_s, stable_s, cooldown_s >= 0, outage_s > "
                         "0, "
                         "memory_high in (0, 1]");
    }
    *state = a;
    return GS_OK;
}

static int adaptive_initial(void *state, const gs_game *g, gs_game_placement *out, gs_err *err)
{
    (void)state;
    (void)g;
    (void)out;
    (void)err;
    return GS_OK;
}

/* The best stream host: reachable for a while, enough bandwidth, RTT (network + expected
 * queueing at the node, which can invert the edge's advantage) within the QoS bound. */
static int best_host(const adaptive *a, const gs_game_view *v, int why)
{
    int loc, best = -1;
    double best_ms = INFINITY;

    for (loc = GS_GAME_EDGE; loc < GS_GAME_NLOC; loc++) {
        double ms;
        if (!v->present[loc] || !v->reachable[loc] || v->up_for_s[loc] < a->stable ||
            v->now < a->avoid_until[loc] ||
            /* a host that streamed below fps_low and no better than the device does now when
             * we last tried it (within memory_s) would only bounce us back */
            (why != WHY_NONE && !isnan(a->host_p10[loc]) &&
             v->now - a->host_p10_at[loc] < a->memory && a->host_p10[loc] < a->fps_low &&
             a->host_p10[loc] <= v->fps_p10 + 2) ||
            v->avail_mbps[loc] < a->bw_in * v->stream_mbps || isnan(v->probe_rtt_ms[loc]) ||
            v->probe_loss[loc] > a->loss_out)
            continue;
        ms = v->probe_rtt_ms[loc] + v->queue_ms[loc];
        if (ms < a->rtt_in && ms < best_ms) {
            best_ms = ms;
            best = loc;
        }
    }
    return best;
}

static int adaptive_decide(void *state, const gs_game *g, const gs_game_view *v,
                           gs_game_decision *d, gs_err *err)
{
    adaptive *a = state;
    const gs_game_placement *cur = &v->placement;
    int mode = gs_game_placement_mode(cur), why = WHY_NONE, host;

    (void)g;
    (void)err;
    if (!v->device_alive)
        return GS_OK;
    /* an outage while rendering locally: keep playing on the device's own copy of the world */
    if (mode == GS_GAME_MODE_LOCAL && v->server_silent_s >= a->outage &&
        !v->reachable[cur->server]) {
        d->to.server = GS_GAME_DEVICE;
        snprintf(d->reason, sizeof(d->reason), "server silent %.1f s: play offline",
                 v->server_silent_s);
        return GS_OK;
    }
    if (mode == GS_GAME_MODE_OFFLINE) {
        if (a->home != GS_GAME_DEVICE && v->reachable[a->home] &&
            v->up_for_s[a->home] >= a->stable && v->since_change >= a->hold) {
            d->to.server = a->home;
            snprintf(d->reason, sizeof(d->reason), "%s reachable for %.0f s: server home",
                     gs_game_loc_name(a->home), v->up_for_s[a->home]);
        }
        return GS_OK;
    }
    if (mode == GS_GAME_MODE_STREAM) {
        char bad[40] = "";
        host = cur->renderer;
        if (!v->reachable[host] || v->stream_silent_s >= a->outage)
            snprintf(bad, sizeof(bad), "%s unreachable", gs_game_loc_name(host));
        else if (v->avail_mbps[host] < a->bw_out * v->stream_mbps)
            snprintf(bad, sizeof(bad), "%.1f Mbps < %.1f", v->avail_mbps[host],
                     a->bw_out * v->stream_mbps);
        else if (!isnan(v->probe_rtt_ms[host]) && v->probe_rtt_ms[host] > a->rtt_out)
            snprintf(bad, sizeof(bad), "rtt %.0f ms > %.0f", v->probe_rtt_ms[host], a->rtt_out);
        else if (!isnan(v->frame_loss) && v->frame_loss > a->loss_out)
            snprintf(bad, sizeof(bad), "frame loss %.0f%%", 100 * v->frame_loss);
        else if (!isnan(v->fps_p10) && v->fps_p10 < a->fps_low &&
                 (isnan(a->local_p10) || v->fps_p10 < a->local_p10 - 2))
            /* a slow host (a busy edge: the "hidden cost of the edge") is bad only when the
             * device did better before we offloaded */
            snprintf(bad, sizeof(bad), "stream fps p10 %.0f", v->fps_p10);
        if (!bad[0])
            a->bad_since = NAN;
        else if (isnan(a->bad_since))
            a->bad_since = v->now;
        if (bad[0] && v->now - a->bad_since >= a->out_hold) {
            int other;
            a->avoid_until[host] = v->now + a->cooldown;
            if (!isnan(v->fps_p10)) {
                a->host_p10[host] = v->fps_p10;
                a->host_p10_at[host] = v->now;
            }
            /* another good host first; the device needs a world download */
            if ((other = best_host(a, v, WHY_NONE)) >= 0) {
                d->to.client = d->to.renderer = other;
                snprintf(d->reason, sizeof(d->reason), "%s: stream from %s", bad,
                         gs_game_loc_name(other));
                a->bad_since = NAN;
                return GS_OK;
            }
            if (cur->server == GS_GAME_DEVICE || v->reachable[cur->server]) {
                /* the stream is failing anyway: give the world download the whole link */
                d->to.client = d->to.renderer = GS_GAME_DEVICE;
                d->break_first = 1;
                snprintf(d->reason, sizeof(d->reason), "%s: render locally", bad);
                a->bad_since = NAN;
                a->why = WHY_NONE;
            }
            return GS_OK;
        }
        /* offloaded to save the battery, and now on mains power: render locally again */
        if (a->why == WHY_BATTERY && v->power != GS_GAME_BATTERY && v->since_change >= a->hold &&
            (cur->server == GS_GAME_DEVICE || v->reachable[cur->server])) {
            d->to.client = d->to.renderer = GS_GAME_DEVICE;
            snprintf(d->reason, sizeof(d->reason), "on %s power: render locally",
                     gs_game_power_name(v->power));
            a->why = WHY_NONE;
        }
        return GS_OK;
    }
    /* rendering locally: offload when the device struggles */
    if (v->since_change < a->hold)
        return GS_OK;
    if (!isnan(v->fps_p10) && v->fps_p10 < a->fps_low)
        why = WHY_FPS;
    else if (v->power == GS_GAME_BATTERY && v->battery_pct < a->battery_low)
        why = WHY_BATTERY;
    else if (v->memory_gb > a->memory_high * v->memory_capacity_gb)
        why = WHY_MEMORY;
    if (why == WHY_NONE || (host = best_host(a, v, why)) < 0)
        return GS_OK;
    d->to.client = d->to.renderer = host;
    a->why = why;
    a->local_p10 = v->fps_p10;
    a->bad_since = NAN;
    if (why == WHY_FPS)
        snprintf(d->reason, sizeof(d->reason), "fps p10 %.0f < %.0f: stream from %s", v->fps_p10,
                 a->fps_low, gs_game_loc_name(host));
    else if (why == WHY_BATTERY)
        snprintf(d->reason, sizeof(d->reason), "battery %.0f%% < %.0f%%: stream from %s",
                 v->battery_pct, a->battery_low, gs_game_loc_name(host));
    else
        snprintf(d->reason, sizeof(d->reason), "memory %.2f GB: stream from %s", v->memory_gb,
                 gs_game_loc_name(host));
    return GS_OK;
}

static void adaptive_destroy(void *state)
{
    free(state);
}

const gs_game_policy_ops gs_game_policy_adaptive = {
    .abi = GS_GAME_POLICY_ABI,
    .name = "adaptive",
    .summary = "redeploy on FPS p10, battery, memory, RTT, bandwidth and loss thresholds with "
               "hysteresis; play offline through outages",
    .init = adaptive_init,
    .initial = adaptive_initial,
    .decide = adaptive_decide,
    .destroy = adaptive_destroy,
};
