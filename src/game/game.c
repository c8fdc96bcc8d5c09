/* SPDX-License-Identifier: Apache-2.0 */
/* A game-offload run: options, lifecycle on a fresh engine, what policies may read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "game_int.h"
#include "util_int.h"

void gs_game_opts_init(gs_game_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
}

void gs_game_free(gs_game *g)
{
    size_t i;

    if (!g)
        return;
    if (g->ops && g->pstate)
        g->ops->destroy(g->pstate);
    gs_engine_free(g->eng);
    gs__rng_free(g->r_tick);
    gs__rng_free(g->r_frame);
    gs__rng_free(g->r_terrain);
    gs__rng_free(g->r_video);
    gs__rng_free(g->r_probe);
    for (i = 0; i < GS__NLINK; i++) {
        gs__rng_free(g->r_link[i]);
        gs__rng_free(g->r_stall[i]);
    }
    for (i = 0; i < g->nparams; i++)
        free(g->param_keys[i]);
    free(g->param_keys);
    free(g->param_vals);
    gs__vec_release(&g->win_frame_ms);
    gs__vec_release(&g->win_rtt);
    gs__vec_release(&g->probe_t);
    gs__vec_release(&g->probe_loc);
    gs__vec_release(&g->probe_rtt);
    gs__vec_release(&g->smp_vsent);
    gs__vec_release(&g->smp_vlost);
    free(g->migs);
    free(g->samples);
    free(g->phases);
    free(g->policy_name);
    free(g);
}

/* --param key=value entries override the scenario's policy.params. */
static int collect_params(gs_game *g, gs_err *err)
{
    const gs_game_scenario *sc = g->sc;
    size_t cap = sc->nparams + g->opts.nparams + 1, i, j;

    g->param_keys = calloc(cap, sizeof(*g->param_keys));
    g->param_vals = calloc(cap, sizeof(*g->param_vals));
    if (!g->param_keys || !g->param_vals)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < sc->nparams + g->opts.nparams; i++) {
        char key[128];
        double v;
        if (i < sc->nparams) {
            snprintf(key, sizeof(key), "%s", sc->params[i].key);
            v = sc->params[i].v;
        } else {
            const char *kv = g->opts.params[i - sc->nparams], *eq = strchr(kv, '=');
            if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key) ||
                gs__parse_double(eq + 1, strlen(eq + 1), &v) != 0)
                return gs_errorf(err, GS_EINVAL,
                                 "policy parameter '%s': expected KEY=NUMBER (e.g. fps_low=30)",
                                 kv);
            snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
        }
        for (j = 0; j < g->nparams; j++)
            if (!strcmp(g->param_keys[j], key))
                break;
        if (j == g->nparams) {
            if (!(g->param_keys[j] = gs__strdup(key)))
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            g->nparams++;
        }
        g->param_vals[j] = v;
    }
    return GS_OK;
}

static int policy_list(char *buf, size_t size)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < gs_game_policy_count(); i++) {
        int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", gs_game_policy_at(i)->name);
        if (n < 0 || (size_t)n >= size - len)
            return -1;
        len += (size_t)n;
    }
    return 0;
}

gs_game *gs_game_new(const gs_game_scenario *sc, const gs_game_opts *opts, gs_err *err)
{
    gs_game *g = calloc(1, sizeof(*g));
    gs_game_placement p;
    uint64_t s;
    int i, rc;

    if (!g) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    g->sc = sc;
    if (opts)
        g->opts = *opts;
    else
        gs_game_opts_init(&g->opts);
    g->duration = g->opts.duration > 0 ? g->opts.duration : sc->duration;
    if (!(g->policy_name = gs__strdup(g->opts.policy ? g->opts.policy : sc->policy)))
        goto oom;
    g->opts.policy = g->policy_name;
    g->ops = gs_game_policy_find(g->policy_name);
    if (!g->ops) {
        char names[512];
        policy_list(names, sizeof(names));
        gs_errorf(err, GS_EINVAL, "unknown game policy '%s' (one of: %s)", g->policy_name, names);
        gs_game_free(g);
        return NULL;
    }
    /* one independent stream per random process, so that two policies see the same world,
     * network stalls and link changes (common random numbers) */
    s = g->opts.seed;
    g->r_tick = gs__rng_new(gs__seed_mix(s ^ 0x7431));
    g->r_frame = gs__rng_new(gs__seed_mix(s ^ 0x6672));
    g->r_terrain = gs__rng_new(gs__seed_mix(s ^ 0x7465));
    g->r_video = gs__rng_new(gs__seed_mix(s ^ 0x7669));
    g->r_probe = gs__rng_new(gs__seed_mix(s ^ 0x7072));
    if (!g->r_tick || !g->r_frame || !g->r_terrain || !g->r_video || !g->r_probe)
        goto oom;
    for (i = 0; i < GS__NLINK; i++) {
        g->r_link[i] = gs__rng_new(gs__seed_mix(s ^ (0x6c6b00u + (unsigned)i)));
        g->r_stall[i] = gs__rng_new(gs__seed_mix(s ^ (0x737400u + (unsigned)i)));
        if (!g->r_link[i] || !g->r_stall[i])
            goto oom;
    }
    if ((rc = collect_params(g, err)) != GS_OK) {
        gs_game_free(g);
        return NULL;
    }
    if (!(g->eng = gs_engine_new(err))) {
        gs_game_free(g);
        return NULL;
    }
    if (g->opts.check_invariants)
        gs_engine_observe(g->eng, gs__game_inv_observe, g);
    if ((rc = g->ops->init(&g->pstate, g, err)) != GS_OK) {
        g->pstate = NULL;
        gs_err_prefix(err, "game policy '%s': ", g->ops->name);
        gs_game_free(g);
        return NULL;
    }
    p = sc->comp.start;
    if ((rc = g->ops->initial(g->pstate, g, &p, err)) != GS_OK ||
        (rc = gs__game_placement_check(g, &p, err)) != GS_OK) {
        gs_err_prefix(err, "game policy '%s': ", g->ops->name);
        gs_game_free(g);
        return NULL;
    }
    g->at = p;
    return g;
oom:
    gs_errorf(err, GS_ENOMEM, "out of memory");
    gs_game_free(g);
    return NULL;
}

int gs_game_run(gs_game *g, gs_err *err)
{
    int rc;

    if (g->ran)
        return gs_errorf(err, GS_EINVAL, "game: a run can only be run once");
    g->ran = 1;
    if ((rc = gs__game_model_start(g, err)) != GS_OK)
        return rc;
    if ((rc = gs_engine_run(g->eng, g->duration, err)) != GS_OK)
        return gs_err_prefix(err, "game scenario '%s': ", gs_game_scenario_input(g->sc, 0));
    return gs__game_phases_compute(g, err);
}

double gs_game_now(const gs_game *g)
{
    return gs_engine_now(g->eng);
}

const gs_game_scenario *gs_game_scenario_of(const gs_game *g)
{
    return g->sc;
}

const gs_game_opts *gs_game_options(const gs_game *g)
{
    return &g->opts;
}

gs_game_placement gs_game_start_placement(const gs_game *g)
{
    return g->sc->comp.start;
}

double gs_game_param(const gs_game *g, const char *key, double def)
{
    size_t i;

    for (i = 0; i < g->nparams; i++)
        if (!strcmp(g->param_keys[i], key))
            return g->param_vals[i];
    return def;
}

const char *gs_game_param_unknown(const gs_game *g, const char *const *allowed)
{
    size_t i;

    for (i = 0; i < g->nparams; i++) {
        const char *const *a;
        for (a = allowed; a && *a; a++)
            if (!strcmp(*a, g->param_keys[i]))
                break;
        if (!a || !*a)
            return g->param_keys[i];
    }
    return NULL;
}

size_t gs_game_naction(const gs_game *g)
{
    return g->sc->nactions;
}

int gs_game_action(const gs_game *g, size_t i, double *t, gs_game_placement *p)
{
    if (i >= g->sc->nactions)
        return GS_ENOTFOUND;
    *t = g->sc->actions[i].t;
    *p = g->sc->actions[i].p;
    return GS_OK;
}

size_t gs_game_nsamples(const gs_game *g)
{
    return g->nsamples;
}

const gs_game_sample *gs_game_samples(const gs_game *g)
{
    return g->samples;
}

size_t gs_game_nmigrations(const gs_game *g)
{
    return g->nmigs;
}

const gs_game_migration *gs_game_migrations(const gs_game *g)
{
    return g->migs;
}

size_t gs_game_nphases(const gs_game *g)
{
    return g->nphases;
}

const gs_game_phase *gs_game_phases(const gs_game *g)
{
    return g->phases;
}
