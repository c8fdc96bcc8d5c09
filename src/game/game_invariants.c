/* SPDX-License-Identifier: Apache-2.0 */
/* Invariants of a game run, checked after every event (gs_game_opts.check_invariants): time never
 * goes back, the placement is one the scenario can host, the battery stays within [0, 100] %,
 * and what only accumulates (frames, bytes, energy, migrations, samples) never decreases. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "game_int.h"

static int broken(const gs_game *g, const gs_event *ev, gs_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int broken(const gs_game *g, const gs_event *ev, gs_err *err, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return gs_errorf(
        err, GS_EINVAL, "invariant broken after event '%s' at t=%.6f (game policy '%s'): %s",
        gs_engine_type_name(g->eng, ev->type), ev->time, g->ops ? g->ops->name : "?", msg);
}

int gs__game_inv_observe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_game *g = ctx;
    gs__game_inv *v = &g->inv;
    const double acc[] = {g->frames_shown,
                          g->frames_lost,
                          g->energy_j,
                          g->down_b_total,
                          g->up_b_total,
                          (double)g->nsamples,
                          (double)g->ticks,
                          (double)g->migrations_ok,
                          (double)g->migrations_failed};
    static const char *const acc_names[] = {"frames shown", "frames lost", "energy",
                                            "bytes down",   "bytes up",    "samples",
                                            "ticks",        "migrations",  "failed migrations"};
    gs_err perr = {0};
    size_t i;

    if (!(ev->time >= v->last) || gs_engine_now(eng) != ev->time)
        return broken(g, ev, err, "time went back from t=%.6f", v->last);
    v->last = ev->time;
    if (!(g->battery_pct >= 0 && g->battery_pct <= 100))
        return broken(g, ev, err, "battery at %g %%", g->battery_pct);
    if (gs__game_placement_check(g, &g->at, &perr) != GS_OK)
        return broken(g, ev, err, "placement: %s", perr.msg);
    for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
        if (!(acc[i] >= v->acc[i]))
            return broken(g, ev, err, "%s went down from %g to %g", acc_names[i], v->acc[i],
                          acc[i]);
        v->acc[i] = acc[i];
    }
    if (g->nsamples > 1 && !(g->samples[g->nsamples - 1].t >= g->samples[g->nsamples - 2].t))
        return broken(g, ev, err, "monitor samples out of time order");
    v->checked++;
    return GS_OK;
}
