/* SPDX-License-Identifier: Apache-2.0 */
/* Fixed deployments (static-local, static-edge, static-cloud) and the scripted policy that
 * replays the scenario's timed actions, as PolkaDOTS's experimentActions do. */
#include <stdio.h>
#include <stdlib.h>

#include "gpusim/game.h"

static int no_params(void **state, const gs_game *g, gs_err *err)
{
    const char *bad = gs_game_param_unknown(g, NULL);

    *state = NULL;
    if (bad)
        return gs_errorf(err, GS_EINVAL, "unknown parameter '%s' (this policy takes none)", bad);
    return GS_OK;
}

static void no_state(void *state)
{
    (void)state;
}

static int stay(void *state, const gs_game *g, const gs_game_view *v, gs_game_decision *d,
                gs_err *err)
{
    (void)state;
    (void)g;
    (void)v;
    (void)d;
    (void)err;
    return GS_OK;
}

/* The client and renderer go to loc for the whole run; the server stays where it starts. */
static int place_at(const gs_game *g, gs_game_placement *out, int loc, gs_err *err)
{
    if (loc == GS_GAME_EDGE && !gs_game_scenario_has_edge(gs_game_scenario_of(g)))
        return gs_errorf(err, GS_EINVAL, "scenario '%s' has no edge node",
                         gs_game_scenario_name(gs_game_scenario_of(g)));
    out->client = out->renderer = loc;
    return GS_OK;
}

static int initial_local(void *state, const gs_game *g, gs_game_placement *out, gs_err *err)
{
    (void)state;
    return place_at(g, out, GS_GAME_DEVICE, err);
}

static int initial_edge(void *state, const gs_game *g, gs_game_placement *out, gs_err *err)
{
    (void)state;
    return place_at(g, out, GS_GAME_EDGE, err);
}

static int initial_cloud(void *state, const gs_game *g, gs_game_placement *out, gs_err *err)
{
    (void)state;
    return place_at(g, out, GS_GAME_CLOUD, err);
}

const gs_game_policy_ops gs_game_policy_static_local = {
    .abi = GS_GAME_POLICY_ABI,
    .name = "static-local",
    .summary = "render on the device for the whole run (client-server); never migrate",
    .init = no_params,
    .initial = initial_local,
    .decide = stay,
    .destroy = no_state,
};

const gs_game_policy_ops gs_game_policy_static_edge = {
    .abi = GS_GAME_POLICY_ABI,
    .name = "static-edge",
    .summary = "stream from a client rendering on the edge node; never migrate",
    .init = no_params,
    .initial = initial_edge,
    .decide = stay,
    .destroy = no_state,
};

const gs_game_policy_ops gs_game_policy_static_cloud = {
    .abi = GS_GAME_POLICY_ABI,
    .name = "static-cloud",
    .summary = "stream from a client rendering in the cloud; never migrate",
    .init = no_params,
    .initial = initial_cloud,
    .decide = stay,
    .destroy = no_state,
};

/* ---- scripted ---- */

typedef struct scripted {
    size_t next; /* first action not applied yet */
} scripted;

static int scripted_init(void **state, const gs_game *g, gs_err *err)
{
    const char *bad = gs_game_param_unknown(g, NULL);

    if (bad)
        return gs_errorf(err, GS_EINVAL, "unknown parameter '%s' (this policy takes none)", bad);
    if (!(*state = calloc(1, sizeof(scripted))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}

static int scripted_initial(void *state, const gs_game *g, gs_game_placement *out, gs_err *err)
{
    (void)state;
    (void)g;
    (void)out;
    (void)err;
    return GS_OK;
}

static int scripted_decide(void *state, const gs_game *g, const gs_game_view *v,
                           gs_game_decision *d, gs_err *err)
{
    scripted *s = state;
    double t;
    gs_game_placement p;

    (void)err;
    while (s->next < gs_game_naction(g) && gs_game_action(g, s->next, &t, &p) == GS_OK &&
           t <= v->now + 1e-9) {
        if (p.server >= 0)
            d->to.server = p.server;
        if (p.client >= 0)
            d->to.client = p.client;
        if (p.renderer >= 0)
            d->to.renderer = p.renderer;
        snprintf(d->reason, sizeof(d->reason), "experiment action at t=%g", t);
        s->next++;
    }
    return GS_OK;
}

static void scripted_destroy(void *state)
{
    free(state);
}

const gs_game_policy_ops gs_game_policy_scripted = {
    .abi = GS_GAME_POLICY_ABI,
    .name = "scripted",
    .summary = "start from the scenario's placement and apply its timed actions (PolkaDOTS "
               "experimentActions)",
    .init = scripted_init,
    .initial = scripted_initial,
    .decide = scripted_decide,
    .destroy = scripted_destroy,
};
