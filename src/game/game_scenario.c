/* SPDX-License-Identifier: Apache-2.0 */
/* Game scenarios (configs/game/NAME.json): loading, defaults with their sources, validation with
 * file, line and field in every message, and link traces from CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "game_int.h"
#include "json_int.h"
#include "util_int.h"

#define GS_GAME_SCHEMA 1
#define BIG            1e12

static const char *const loc_names[GS_GAME_NLOC] = {"device", "edge", "cloud"};
static const char *const link_names[GS__NLINK] = {"device-edge", "device-cloud", "edge-cloud"};

const char *gs_game_loc_name(int loc)
{
    return loc >= 0 && loc < GS_GAME_NLOC ? loc_names[loc] : "none";
}

int gs_game_loc_parse(const char *s)
{
    int i;

    for (i = 0; s && i < GS_GAME_NLOC; i++)
        if (!strcmp(s, loc_names[i]))
            return i;
    return -1;
}

const char *gs_game_power_name(int power)
{
    switch (power) {
    case GS_GAME_BATTERY:
        return "battery";
    case GS_GAME_CHARGING:
        return "charging";
    case GS_GAME_DOCKED:
        return "docked";
    }
    return "none";
}

static int power_parse(const char *s)
{
    int i;

    for (i = GS_GAME_BATTERY; i <= GS_GAME_DOCKED; i++)
        if (!strcmp(s, gs_game_power_name(i)))
            return i;
    return -1;
}

static int radio_parse(const char *s)
{
    if (!strcmp(s, "wired"))
        return GS__RADIO_WIRED;
    if (!strcmp(s, "wifi"))
        return GS__RADIO_WIFI;
    if (!strcmp(s, "cellular"))
        return GS__RADIO_CELLULAR;
    return -1;
}

const char *gs_game_mode_name(int mode)
{
    switch (mode) {
    case GS_GAME_MODE_LOCAL:
        return "local";
    case GS_GAME_MODE_STREAM:
        return "stream";
    case GS_GAME_MODE_OFFLINE:
        return "offline";
    }
    return "none";
}

int gs_game_placement_mode(const gs_game_placement *p)
{
    if (p->renderer != GS_GAME_DEVICE)
        return GS_GAME_MODE_STREAM;
    return p->server == GS_GAME_DEVICE ? GS_GAME_MODE_OFFLINE : GS_GAME_MODE_LOCAL;
}

int gs__game_link_of(int a, int b)
{
    if (a == b || a < 0 || b < 0)
        return -1;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    if (a == GS_GAME_DEVICE)
        return b == GS_GAME_EDGE ? GS__LINK_DE : GS__LINK_DC;
    return GS__LINK_EC;
}

void gs_game_scenario_free(gs_game_scenario *sc)
{
    size_t i;

    if (!sc)
        return;
    for (i = 0; i < GS_GAME_NLOC; i++)
        free(sc->node[i].load);
    for (i = 0; i < GS__NLINK; i++)
        free(sc->link[i].changes);
    for (i = 0; i < sc->ninputs; i++)
        free(sc->inputs[i]);
    for (i = 0; i < sc->nparams; i++)
        free(sc->params[i].key);
    free(sc->params);
    free(sc->inputs);
    free(sc->dev.power);
    free(sc->world.load);
    free(sc->actions);
    free(sc->policy);
    free(sc->path);
    free(sc->name);
    free(sc->description);
    free(sc);
}

const char *gs_game_scenario_name(const gs_game_scenario *sc)
{
    return sc->name;
}

const char *gs_game_scenario_policy(const gs_game_scenario *sc)
{
    return sc->policy;
}

double gs_game_scenario_duration(const gs_game_scenario *sc)
{
    return sc->duration;
}

int gs_game_scenario_has_edge(const gs_game_scenario *sc)
{
    return sc->node[GS_GAME_EDGE].present;
}

size_t gs_game_scenario_ninputs(const gs_game_scenario *sc)
{
    return sc->ninputs;
}

const char *gs_game_scenario_input(const gs_game_scenario *sc, size_t i)
{
    return i < sc->ninputs ? sc->inputs[i] : NULL;
}

/* ---- loading ---- */

typedef struct loader {
    gs__jdoc d;
    gs_game_scenario *sc;
    gs_err *err;
} loader;

static int add_input(gs_game_scenario *sc, const char *path, gs_err *err)
{
    if (GS_GROW(sc->inputs, sc->capinputs, sc->ninputs + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (!(sc->inputs[sc->ninputs] = gs__strdup(path)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    sc->ninputs++;
    return GS_OK;
}

/* Shorthands over the validated getters: a number in [lo, hi] with a default. */
#define NUM(obj, objp, key, def, lo, hi, out)                                                      \
    do {                                                                                           \
        if ((rc = gs__jnum(&L->d, obj, objp, key, 0, def, lo, hi, out, L->err)) != GS_OK)          \
            return rc;                                                                             \
    } while (0)
#define KEYS(obj, objp, ...)                                                                       \
    do {                                                                                           \
        static const char *const allowed_[] = {__VA_ARGS__, NULL};                                 \
        if ((rc = gs__jkeys(&L->d, obj, objp, allowed_, L->err)) != GS_OK)                         \
            return rc;                                                                             \
    } while (0)

/* A timeline [{t, <value key>}...] of numbers in [lo, hi], sorted by t within [0, duration]. */
static int load_steps(loader *L, const cJSON *parent, const char *pp, const char *key,
                      const char *vkey, double lo, double hi, gs__step **out, size_t *n)
{
    const cJSON *arr, *it;
    char path[256], ip[256];
    int rc, i = 0;

    *out = NULL;
    *n = 0;
    arr = gs__jarr(&L->d, parent, pp, key, 0, L->err);
    if (!arr)
        return L->err && L->err->code ? L->err->code : GS_OK;
    gs__jpath(path, sizeof(path), pp, key);
    if (cJSON_GetArraySize(arr) == 0)
        return GS_OK;
    if (!(*out = calloc((size_t)cJSON_GetArraySize(arr), sizeof(**out))))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        gs__step *s = &(*out)[i];
        gs__jpath_idx(ip, sizeof(ip), path, i);
        {
            const char *allowed[3];
            allowed[0] = "t";
            allowed[1] = vkey;
            allowed[2] = NULL;
            if ((rc = gs__jkeys(&L->d, it, ip, allowed, L->err)) != GS_OK)
                return rc;
        }
        if ((rc = gs__jnum(&L->d, it, ip, "t", 1, 0, 0, L->sc->duration, &s->t, L->err)) != GS_OK ||
            (rc = gs__jnum(&L->d, it, ip, vkey, 1, 0, lo, hi, &s->v, L->err)) != GS_OK)
            return rc;
        if (i > 0 && s->t < (*out)[i - 1].t) {
            char tp[300];
            snprintf(tp, sizeof(tp), "%s.t", ip);
            return gs__jerr(&L->d, L->err, GS_EINVAL, tp, "times must not decrease (%g after %g)",
                            s->t, (*out)[i - 1].t);
        }
        i++;
        *n = (size_t)i;
    }
    return GS_OK;
}

static int load_node(loader *L, const cJSON *nodes, int loc)
{
    gs__node_cfg *nd = &L->sc->node[loc];
    gs__device_cfg *dv = &L->sc->dev;
    const cJSON *o, *b, *pw, *it;
    char pp[64], bp[96], ip[128];
    int rc, i = 0;
    /* Defaults [assumption]: relative speeds of a phone/laptop-class device (1.0, the class
     * the frame costs are given for), an edge box (2x) and a cloud GPU server (3x CPU, 4x
     * GPU). Cloud-internal one-way latency 0.72 ms [derived] (docs/game.md, RTT). */
    static const double cpu[] = {1.0, 2.0, 3.0}, gpu[] = {1.0, 2.0, 4.0};
    static const double mem[] = {8.0, 64.0, 256.0}, internal[] = {0.05, 0.1, 0.72};

    gs__jpath(pp, sizeof(pp), "nodes", loc_names[loc]);
    o = gs__jobj(&L->d, nodes, "nodes", loc_names[loc], loc != GS_GAME_EDGE, L->err);
    if (!o)
        return L->err && L->err->code ? L->err->code : GS_OK;
    nd->present = 1;
    if (loc == GS_GAME_DEVICE)
        KEYS(o, pp, "cpu_speed", "gpu_speed", "memory_gb", "internal_latency_ms", "display_hz",
             "battery", "power");
    else
        KEYS(o, pp, "cpu_speed", "gpu_speed", "memory_gb", "internal_latency_ms", "load");
    NUM(o, pp, "cpu_speed", cpu[loc], 0.01, 1000, &nd->cpu_speed);
    NUM(o, pp, "gpu_speed", gpu[loc], 0.01, 1000, &nd->gpu_speed);
    NUM(o, pp, "memory_gb", mem[loc], 0.1, 1e6, &nd->memory_gb);
    NUM(o, pp, "internal_latency_ms", internal[loc], 0, 1000, &nd->internal_ms);
    if (loc != GS_GAME_DEVICE)
        return load_steps(L, o, pp, "load", "utilisation", 0, 0.95, &nd->load, &nd->nload);

    /* the device: display, battery and its power source over time */
    NUM(o, pp, "display_hz", 60, 1, 1000, &dv->display_hz);
    gs__jpath(bp, sizeof(bp), pp, "battery");
    b = gs__jobj(&L->d, o, pp, "battery", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (b)
        KEYS(b, bp, "capacity_wh", "initial_pct", "charger_w", "gpu_speed");
    /* 15 Wh phone battery and 0.8x GPU speed on battery (battery saver): docs/game.md
     * [assumption]; an 18 W USB-PD charger [assumption]. */
    NUM(b, bp, "capacity_wh", 15, 0.1, 1e4, &dv->capacity_wh);
    NUM(b, bp, "initial_pct", 100, 0, 100, &dv->initial_pct);
    NUM(b, bp, "charger_w", 18, 0, 1e4, &dv->charger_w);
    NUM(b, bp, "gpu_speed", 0.8, 0.01, 10, &dv->battery_gpu_speed);
    gs__jpath(bp, sizeof(bp), pp, "power");
    pw = gs__jarr(&L->d, o, pp, "power", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (!pw || cJSON_GetArraySize(pw) == 0) {
        if (!(dv->power = calloc(1, sizeof(*dv->power))))
            return gs_errorf(L->err, GS_ENOMEM, "out of memory");
        dv->power[0].source = GS_GAME_BATTERY;
        dv->power[0].battery_pct = NAN;
        dv->npower = 1;
        return GS_OK;
    }
    if (!(dv->power = calloc((size_t)cJSON_GetArraySize(pw), sizeof(*dv->power))))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, pw)
    {
        gs__power_step *s = &dv->power[i];
        const char *src;
        char fp[160];
        gs__jpath_idx(ip, sizeof(ip), bp, i);
        KEYS(it, ip, "t", "source", "battery_pct", "battery_drop_pct");
        if ((rc = gs__jnum(&L->d, it, ip, "t", 1, 0, 0, L->sc->duration, &s->t, L->err)) != GS_OK ||
            (rc = gs__jstr(&L->d, it, ip, "source", 1, NULL, &src, L->err)) != GS_OK ||
            (rc = gs__jnum(&L->d, it, ip, "battery_pct", 0, NAN, 0, 100, &s->battery_pct,
                           L->err)) != GS_OK ||
            (rc = gs__jnum(&L->d, it, ip, "battery_drop_pct", 0, 0, 0, 100, &s->drop_pct,
                           L->err)) != GS_OK)
            return rc;
        if (!isnan(s->battery_pct) && s->drop_pct > 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, ip,
                            "give either 'battery_pct' or 'battery_drop_pct', not both");
        if ((s->source = power_parse(src)) < 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), ip, "source"),
                            "unknown power source '%s' (battery, charging, docked)", src);
        if (i == 0 && s->t != 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), ip, "t"),
                            "the first power step must be at t = 0");
        if (i > 0 && s->t < dv->power[i - 1].t)
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), ip, "t"),
                            "times must not decrease (%g after %g)", s->t, dv->power[i - 1].t);
        i++;
        dv->npower = (size_t)i;
    }
    return GS_OK;
}

/* Link fields shared by the link object and its changes. Sets *set for the fields present. */
static int load_link_fields(loader *L, const cJSON *o, const char *op, gs__link_params *p,
                            unsigned *set)
{
    const cJSON *it;
    const char *radio;
    char fp[200];
    int rc;

    *set = 0;
#define OPT(key, flag, lo, hi, field)                                                              \
    if (cJSON_GetObjectItemCaseSensitive(o, key)) {                                                \
        NUM(o, op, key, 0, lo, hi, &p->field);                                                     \
        *set |= flag;                                                                              \
    }
    OPT("down_mbps", GS__LC_BW, 0.001, 1e6, down_mbps)
    OPT("up_mbps", GS__LC_UPBW, 0.001, 1e6, up_mbps)
    OPT("latency_ms", GS__LC_LAT, 0, 1e5, latency_ms)
    OPT("jitter_ms", GS__LC_JIT, 0, 1e4, jitter_ms)
    OPT("loss", GS__LC_LOSS, 0, 1, loss)
#undef OPT
    if ((it = cJSON_GetObjectItemCaseSensitive(o, "up"))) {
        if ((rc = gs__jbool(&L->d, o, op, "up", 1, 1, &p->up, L->err)) != GS_OK)
            return rc;
        *set |= GS__LC_UP;
    }
    if (cJSON_GetObjectItemCaseSensitive(o, "radio")) {
        if ((rc = gs__jstr(&L->d, o, op, "radio", 1, NULL, &radio, L->err)) != GS_OK)
            return rc;
        if ((p->radio = radio_parse(radio)) < 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), op, "radio"),
                            "unknown radio '%s' (wired, wifi, cellular)", radio);
        *set |= GS__LC_RADIO;
    }
    return GS_OK;
}

/* ---- link traces (CSV): t plus any of the link fields; an empty cell leaves it unchanged ---- */

enum { TC_T, TC_DOWN, TC_UP_BW, TC_LAT, TC_JIT, TC_LOSS, TC_UP, TC_RADIO, TC_N };
static const char *const trace_cols[TC_N] = {"t",         "down_mbps", "up_mbps", "latency_ms",
                                             "jitter_ms", "loss",      "up",      "radio"};

typedef struct trace_rd {
    const char *path;
    double duration;
    int col[TC_N];
    int header;
    gs__link_change *ch;
    size_t n, cap;
} trace_rd;

static int trace_bad(const trace_rd *r, long line, int c, const char *what, const char *v,
                     gs_err *err)
{
    return gs_errorf(err, GS_EPARSE, "'%s' line %ld: field '%s': %s, got '%s'", r->path, line,
                     trace_cols[c], what, v);
}

static int trace_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    trace_rd *r = ctx;
    gs__link_change c;
    int k;

    if (!r->header) {
        size_t i;
        r->header = 1;
        for (k = 0; k < TC_N; k++)
            r->col[k] = -1;
        for (i = 0; i < n; i++) {
            for (k = 0; k < TC_N; k++)
                if (!strcmp(f[i].s, trace_cols[k]))
                    break;
            if (k == TC_N)
                return gs_errorf(err, GS_EPARSE,
                                 "'%s' line %ld: unknown column '%s' (t, down_mbps, up_mbps, "
                                 "latency_ms, jitter_ms, loss, up, radio)",
                                 r->path, line, f[i].s);
            if (r->col[k] >= 0)
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s' appears twice",
                                 r->path, line, f[i].s);
            r->col[k] = (int)i;
        }
        if (r->col[TC_T] < 0)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: missing required column 't'", r->path,
                             line);
        return GS_OK;
    }
    if (n == 1 && f[0].len == 0)
        return GS_OK; /* blank line */
    memset(&c, 0, sizeof(c));
    for (k = 0; k < TC_N; k++) {
        const gs__csv_field *fl;
        double v = 0;
        if (r->col[k] < 0)
            continue;
        if ((size_t)r->col[k] >= n)
            return gs_errorf(err, GS_EPARSE, "'%s' line %ld: too few fields (%zu)", r->path, line,
                             n);
        fl = &f[r->col[k]];
        if (fl->len == 0) {
            if (k == TC_T)
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: field 't': empty", r->path, line);
            continue;
        }
        if (k == TC_RADIO) {
            if ((c.p.radio = radio_parse(fl->s)) < 0)
                return trace_bad(r, line, k, "expected wired, wifi or cellular", fl->s, err);
            c.set |= GS__LC_RADIO;
            continue;
        }
        if (k == TC_UP) {
            if (!strcmp(fl->s, "1") || !strcmp(fl->s, "true"))
                c.p.up = 1;
            else if (!strcmp(fl->s, "0") || !strcmp(fl->s, "false"))
                c.p.up = 0;
            else
                return trace_bad(r, line, k, "expected 0, 1, true or false", fl->s, err);
            c.set |= GS__LC_UP;
            continue;
        }
        if (gs__parse_double(fl->s, fl->len, &v) != 0)
            return trace_bad(r, line, k, "not a number", fl->s, err);
        switch (k) {
        case TC_T:
            if (v < 0 || v > r->duration)
                return trace_bad(r, line, k, "time outside the scenario's duration", fl->s, err);
            if (r->n > 0 && v < r->ch[r->n - 1].t)
                return trace_bad(r, line, k, "times must not decrease", fl->s, err);
            c.t = v;
            break;
        case TC_DOWN:
        case TC_UP_BW:
            /* the ranges of the scenario's own link fields */
            if (!(v >= 0.001 && v <= 1e6))
                return trace_bad(r, line, k, "expected a bandwidth in [0.001, 1e6] Mbit/s", fl->s,
                                 err);
            if (k == TC_DOWN)
                c.p.down_mbps = v;
            else
                c.p.up_mbps = v;
            c.set |= k == TC_DOWN ? GS__LC_BW : GS__LC_UPBW;
            break;
        case TC_LAT:
        case TC_JIT:
            if (!(v >= 0 && v <= (k == TC_LAT ? 1e5 : 1e4)))
                return trace_bad(r, line, k,
                                 k == TC_LAT ? "expected a latency in [0, 1e5] ms"
                                             : "expected a jitter in [0, 1e4] ms",
                                 fl->s, err);
            if (k == TC_LAT)
                c.p.latency_ms = v;
            else
                c.p.jitter_ms = v;
            c.set |= k == TC_LAT ? GS__LC_LAT : GS__LC_JIT;
            break;
        case TC_LOSS:
            if (v < 0 || v > 1)
                return trace_bad(r, line, k, "expected a probability in [0, 1]", fl->s, err);
            c.p.loss = v;
            c.set |= GS__LC_LOSS;
            break;
        }
    }
    if (GS_GROW(r->ch, r->cap, r->n + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    r->ch[r->n++] = c;
    return GS_OK;
}

static int load_trace(loader *L, const char *fp, const char *name, gs__link_cfg *lk)
{
    trace_rd r;
    char *path = NULL;
    int rc;

    memset(&r, 0, sizeof(r));
    /* relative to the scenario's folder, as a user writing the scenario expects */
    if (name[0] == '/') {
        path = gs__strdup(name);
    } else {
        const char *slash = strrchr(L->sc->path, '/');
        gs__buf b = {0};
        if (slash)
            gs__buf_printf(&b, "%.*s/%s", (int)(slash - L->sc->path), L->sc->path, name);
        else
            gs__buf_printf(&b, "%s", name);
        path = b.data;
    }
    if (!path)
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    r.path = path;
    r.duration = L->sc->duration;
    rc = gs__csv_read(path, trace_row, &r, L->err);
    if (rc == GS_EIO) {
        gs_err_clear(L->err);
        rc = gs__jerr(&L->d, L->err, GS_EIO, fp, "cannot read link trace '%s'", path);
    }
    if (rc == GS_OK && !r.header)
        rc = gs_errorf(L->err, GS_EPARSE, "'%s' line 1: empty file", path);
    if (rc == GS_OK)
        rc = add_input(L->sc, path, L->err);
    free(path);
    if (rc != GS_OK) {
        free(r.ch);
        return rc;
    }
    lk->changes = r.ch;
    lk->nchanges = r.n;
    return GS_OK;
}

static int load_link(loader *L, const cJSON *links, int k)
{
    gs__link_cfg *lk = &L->sc->link[k];
    const cJSON *o, *st, *ch, *it;
    const char *trace = NULL;
    char pp[64], sp[96], ip[128];
    unsigned set;
    int rc, i = 0;

    gs__jpath(pp, sizeof(pp), "links", link_names[k]);
    o = gs__jobj(&L->d, links, "links", link_names[k], 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    /* a link must exist exactly between nodes that exist */
    {
        int a = k == GS__LINK_EC ? GS_GAME_EDGE : GS_GAME_DEVICE;
        int b = k == GS__LINK_DE ? GS_GAME_EDGE : GS_GAME_CLOUD;
        int need = L->sc->node[a].present && L->sc->node[b].present;
        if (!o && need)
            return gs__jerr(&L->d, L->err, GS_EINVAL, "links", "missing required field '%s'",
                            link_names[k]);
        if (o && !need)
            return gs__jerr(&L->d, L->err, GS_EINVAL, pp,
                            "link '%s' joins a node the scenario does not have", link_names[k]);
    }
    if (!o)
        return GS_OK;
    KEYS(o, pp, "down_mbps", "up_mbps", "latency_ms", "jitter_ms", "loss", "up", "radio", "stalls",
         "changes", "trace");
    lk->present = 1;
    /* Defaults: a good home WiFi path [assumption]; loss 0.1 % per packet, which with ~6 packets
     * per 1080p frame gives the ~0.5 % frame loss we assume (docs/game.md). */
    lk->init.down_mbps = 50;
    lk->init.up_mbps = -1;
    lk->init.latency_ms = k == GS__LINK_DE ? 2.0 : k == GS__LINK_DC ? 7.0 : 5.0;
    lk->init.jitter_ms = 1.0;
    lk->init.loss = 0.001;
    lk->init.up = 1;
    lk->init.radio = k == GS__LINK_EC ? GS__RADIO_WIRED : GS__RADIO_WIFI;
    if ((rc = load_link_fields(L, o, pp, &lk->init, &set)) != GS_OK)
        return rc;
    if (lk->init.up_mbps < 0)
        lk->init.up_mbps = lk->init.down_mbps;
    /* Short stalls (Wi-Fi power save, scans, cellular scheduling) as a Poisson process. The
     * an earlier estimate assumed 0.3/s of 80 ms; in our event model that gives a streamed
     * FPS range of ~11 instead of the CLOUDSTARS D2.1 report's 16, so rate and duration are FITTED
     * to that range: 0.5/s of 90 ms (mean 15.4 over seeds 1-40; docs/game.md). */
    gs__jpath(sp, sizeof(sp), pp, "stalls");
    st = gs__jobj(&L->d, o, pp, "stalls", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (st)
        KEYS(st, sp, "rate_per_s", "duration_ms");
    NUM(st, sp, "rate_per_s", k == GS__LINK_EC ? 0 : 0.5, 0, 1000, &lk->stall_rate);
    NUM(st, sp, "duration_ms", 90, 0, 1e6, &lk->stall_ms);
    if ((rc = gs__jstr(&L->d, o, pp, "trace", 0, NULL, &trace, L->err)) != GS_OK)
        return rc;
    ch = gs__jarr(&L->d, o, pp, "changes", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (ch && trace)
        return gs__jerr(&L->d, L->err, GS_EINVAL, pp, "give either 'changes' or 'trace', not both");
    if (trace) {
        char fp[128];
        return load_trace(L, gs__jpath(fp, sizeof(fp), pp, "trace"), trace, lk);
    }
    if (!ch || cJSON_GetArraySize(ch) == 0)
        return GS_OK;
    gs__jpath(sp, sizeof(sp), pp, "changes");
    if (!(lk->changes = calloc((size_t)cJSON_GetArraySize(ch), sizeof(*lk->changes))))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, ch)
    {
        gs__link_change *c = &lk->changes[i];
        gs__jpath_idx(ip, sizeof(ip), sp, i);
        KEYS(it, ip, "t", "down_mbps", "up_mbps", "latency_ms", "jitter_ms", "loss", "up", "radio");
        if ((rc = gs__jnum(&L->d, it, ip, "t", 1, 0, 0, L->sc->duration, &c->t, L->err)) != GS_OK)
            return rc;
        if ((rc = load_link_fields(L, it, ip, &c->p, &c->set)) != GS_OK)
            return rc;
        if (c->set == 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, ip, "a change must set at least one field");
        if (i > 0 && c->t < lk->changes[i - 1].t) {
            char fp[160];
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), ip, "t"),
                            "times must not decrease (%g after %g)", c->t, lk->changes[i - 1].t);
        }
        i++;
        lk->nchanges = (size_t)i;
    }
    return GS_OK;
}

static int load_world(loader *L, const cJSON *root)
{
    gs__world_cfg *w = &L->sc->world;
    const cJSON *o, *t, *s, *tr;
    char tp[64];
    int rc;

    o = gs__jobj(&L->d, root, "", "world", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (o)
        KEYS(o, "world", "tick_rate", "net_tick_rate", "players", "tick", "snapshot", "input_bytes",
             "terrain", "state_mb", "load");
    /* 60 Hz simulation and network ticks: Opencraft 2 / PolkaDOTS defaults
     * (github.com/atlarge-research B.2); a Minecraft-like server would use 20 (B.1). */
    NUM(o, "world", "tick_rate", 60, 1, 1000, &w->tick_rate);
    NUM(o, "world", "net_tick_rate", 60, 1, 1000, &w->net_tick_rate);
    NUM(o, "world", "players", 1, 1, 100000, &w->players);
    if (w->net_tick_rate > w->tick_rate)
        return gs__jerr(&L->d, L->err, GS_EINVAL, "world.net_tick_rate",
                        "the network tick rate %g exceeds the tick rate %g", w->net_tick_rate,
                        w->tick_rate);
    /* Tick duration d = (base + per_player x players + per_load x load) x LN(0, sigma) plus rare
     * Pareto spikes [assumption, shaped after Meterstick's heavy tail, ICPE '23]. */
    t = o ? gs__jobj(&L->d, o, "world", "tick", 0, L->err) : NULL;
    if (L->err && L->err->code)
        return L->err->code;
    gs__jpath(tp, sizeof(tp), "world", "tick");
    if (t)
        KEYS(t, tp, "base_ms", "per_player_ms", "per_load_ms", "sigma", "spike_prob", "spike_ms",
             "spike_alpha");
    NUM(t, tp, "base_ms", 2.0, 0, 1e5, &w->tick_base_ms);
    NUM(t, tp, "per_player_ms", 0.4, 0, 1e5, &w->tick_per_player_ms);
    NUM(t, tp, "per_load_ms", 2.0, 0, 1e5, &w->tick_per_load_ms);
    NUM(t, tp, "sigma", 0.6, 0, 5, &w->tick_sigma);
    NUM(t, tp, "spike_prob", 0.001, 0, 1, &w->spike_prob);
    NUM(t, tp, "spike_ms", 20, 0, 1e5, &w->spike_ms);
    NUM(t, tp, "spike_alpha", 1.5, 0.1, 100, &w->spike_alpha);
    /* Snapshot bytes = base + entity_bytes x (entities_per_player x players + entities_per_load
     * x load) + area_bytes per modified terrain area. The sizes are [assumption]; base_bytes is
     * FITTED so that the mean at load 1 with one player is 2,188 B, i.e. the planning
     * document's 1.05 Mbps at 60 Hz (the CLOUDSTARS D2.1 report). */
    s = o ? gs__jobj(&L->d, o, "world", "snapshot", 0, L->err) : NULL;
    if (L->err && L->err->code)
        return L->err->code;
    gs__jpath(tp, sizeof(tp), "world", "snapshot");
    if (s)
        KEYS(s, tp, "base_bytes", "entity_bytes", "entities_per_player", "entities_per_load",
             "area_bytes", "max_areas");
    NUM(s, tp, "base_bytes", 980, 1, 1e8, &w->snap_base_b);
    NUM(s, tp, "entity_bytes", 36, 0, 1e6, &w->snap_entity_b);
    NUM(s, tp, "entities_per_player", 12, 0, 1e6, &w->entities_per_player);
    NUM(s, tp, "entities_per_load", 20, 0, 1e6, &w->entities_per_load);
    NUM(s, tp, "area_bytes", 4096, 0, 1e8, &w->snap_area_b);
    NUM(s, tp, "max_areas", 2, 1, 1e6, &w->snap_max_areas);
    /* one 40-byte command per network tick, ~19 kbit/s (about 20 kbit/s assumed: docs/game.md) */
    NUM(o, "world", "input_bytes", 40, 1, 1e6, &w->input_b);
    /* Terrain-area updates (block edits, new chunks) arrive as a Poisson process of rate
     * rate_per_s x load, each adding Exp(work_ms) of meshing work on the client: calibration
     * docs/game.md (0.8/s, 170 ms; derived by Monte Carlo). area_mb of mesh buffers per area
     * still being meshed [assumption]. */
    tr = o ? gs__jobj(&L->d, o, "world", "terrain", 0, L->err) : NULL;
    if (L->err && L->err->code)
        return L->err->code;
    gs__jpath(tp, sizeof(tp), "world", "terrain");
    if (tr)
        KEYS(tr, tp, "rate_per_s", "work_ms", "area_mb");
    NUM(tr, tp, "rate_per_s", 0.8, 0, 1e4, &w->terrain_rate);
    NUM(tr, tp, "work_ms", 170, 0, 1e6, &w->terrain_work_ms);
    NUM(tr, tp, "area_mb", 2, 0, 1e4, &w->area_mb);
    /* The world a (re)joining client downloads [assumption]: the chunks within a render
     * distance of 8 (289 chunks) at ~14 KB compressed, 4 MB; that is the 2-5 s re-sync of
     * assumed at 6-16 Mbps (docs/game.md). */
    NUM(o, "world", "state_mb", 4, 0, 1e6, &w->state_mb);
    if (o &&
        (rc = load_steps(L, o, "world", "load", "level", 0, 1000, &w->load, &w->nload)) != GS_OK)
        return rc;
    return GS_OK;
}

static int load_loc(loader *L, const cJSON *o, const char *op, const char *key, int required,
                    int *out)
{
    const char *s;
    char fp[160];
    int rc;

    if ((rc = gs__jstr(&L->d, o, op, key, required, NULL, &s, L->err)) != GS_OK)
        return rc;
    if (!s) {
        *out = -1;
        return GS_OK;
    }
    *out = gs_game_loc_parse(s);
    if (*out < 0)
        return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), op, key),
                        "unknown location '%s' (device, edge, cloud)", s);
    if (!L->sc->node[*out].present)
        return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(fp, sizeof(fp), op, key),
                        "the scenario has no '%s' node", s);
    return GS_OK;
}

static int check_placement(loader *L, const char *op, const gs_game_placement *p)
{
    if (p->client != p->renderer)
        return gs__jerr(&L->d, L->err, GS_EINVAL, op,
                        "client and renderer must run on the same node (client on %s, renderer "
                        "on %s)",
                        gs_game_loc_name(p->client), gs_game_loc_name(p->renderer));
    return GS_OK;
}

static int load_components(loader *L, const cJSON *root)
{
    gs__comp_cfg *c = &L->sc->comp;
    const cJSON *o, *st, *sub;
    char sp[64];
    int rc;

    o = gs__jobj(&L->d, root, "", "components", 1, L->err);
    if (!o)
        return L->err->code;
    KEYS(o, "components", "start", "base_memory_gb", "client", "renderer", "encoder", "decoder",
         "server");
    st = gs__jobj(&L->d, o, "components", "start", 1, L->err);
    if (!st)
        return L->err->code;
    gs__jpath(sp, sizeof(sp), "components", "start");
    KEYS(st, sp, "server", "client", "renderer");
    if ((rc = load_loc(L, st, sp, "server", 1, &c->start.server)) != GS_OK ||
        (rc = load_loc(L, st, sp, "client", 1, &c->start.client)) != GS_OK ||
        (rc = load_loc(L, st, sp, "renderer", 1, &c->start.renderer)) != GS_OK ||
        (rc = check_placement(L, sp, &c->start)) != GS_OK)
        return rc;
    /* Device memory footprints, GB: base 1.00, world replica 0.16, render/mesh 0.20, decoder
     * 0.07 are FITTED (docs/game.md) to the CLOUDSTARS D2.1 report's medians (1.36 GB
     * local, 1.07 GB streamed); a device-side server 0.30 [assumption]. */
    NUM(o, "components", "base_memory_gb", 1.00, 0, 1e4, &c->base_memory_gb);
#define SUB(name, ...)                                                                             \
    do {                                                                                           \
        sub = gs__jobj(&L->d, o, "components", name, 0, L->err);                                   \
        if (L->err && L->err->code)                                                                \
            return L->err->code;                                                                   \
        gs__jpath(sp, sizeof(sp), "components", name);                                             \
        if (sub)                                                                                   \
            KEYS(sub, sp, __VA_ARGS__);                                                            \
    } while (0)
    /* Frame time on the device class: client sim 4 ms + draw 14.5 ms x U(0.8, 1.2) + meshing
     * of at most work_ms/mesh_frames per frame: docs/game.md (derived by Monte Carlo
     * there; see docs/game.md for how our event model compares). */
    SUB("client", "sim_ms", "memory_gb");
    NUM(sub, sp, "sim_ms", 4.0, 0, 1e5, &c->client_sim_ms);
    NUM(sub, sp, "memory_gb", 0.16, 0, 1e4, &c->client_memory_gb);
    SUB("renderer", "draw_ms", "draw_var", "mesh_frames", "memory_gb", "remote_max_fps");
    NUM(sub, sp, "draw_ms", 14.5, 0.001, 1e5, &c->draw_ms);
    NUM(sub, sp, "draw_var", 0.2, 0, 0.99, &c->draw_var);
    NUM(sub, sp, "mesh_frames", 8, 1, 1e5, &c->mesh_frames);
    NUM(sub, sp, "memory_gb", 0.20, 0, 1e4, &c->render_memory_gb);
    NUM(sub, sp, "remote_max_fps", 60, 1, 1000, &c->remote_max_fps);
    /* Video: 1920x1080 at 60 fps (PolkaDOTS MultiplaySettings default,
     * github.com/atlarge-research/PolkaDOTS); encode 5 ms, decode 3 ms, decoder rate 120 fps
     * ([assumption], docs/game.md). bits_per_pixel 0.0258 is FITTED to the CLOUDSTARS D2.1
     * report's 3.21 Mbps (Stadia's 1080p60 rate gives about 0.026); rate control caps at 0.8 x
     * available bandwidth ([assumption], docs/game.md) and 20 Mbps (Stadia's 1080p60 guidance). */
    SUB("encoder", "fps", "encode_ms", "width", "height", "bits_per_pixel", "max_mbps", "min_mbps",
        "bandwidth_share", "size_sigma", "queue_ms");
    NUM(sub, sp, "fps", 60, 1, 1000, &c->enc_fps);
    NUM(sub, sp, "encode_ms", 5, 0, 1e4, &c->enc_ms);
    NUM(sub, sp, "width", 1920, 16, 1e5, &c->width);
    NUM(sub, sp, "height", 1080, 16, 1e5, &c->height);
    NUM(sub, sp, "bits_per_pixel", 0.0258, 1e-5, 100, &c->bpp);
    NUM(sub, sp, "max_mbps", 20, 0.01, 1e5, &c->max_mbps);
    NUM(sub, sp, "min_mbps", 0.5, 0.001, 1e5, &c->min_mbps);
    NUM(sub, sp, "bandwidth_share", 0.8, 0.01, 1, &c->bw_share);
    /* frame sizes vary lognormally around the rate-control target [assumption] */
    NUM(sub, sp, "size_sigma", 0.3, 0, 3, &c->size_sigma);
    /* frames are dropped at the sender when its queue holds more than this [assumption] */
    NUM(sub, sp, "queue_ms", 100, 1, 1e5, &c->enc_queue_ms);
    SUB("decoder", "decode_ms", "max_fps", "memory_gb", "frame_mb");
    NUM(sub, sp, "decode_ms", 3, 0, 1e4, &c->dec_ms);
    NUM(sub, sp, "max_fps", 120, 1, 1e4, &c->dec_max_fps);
    NUM(sub, sp, "memory_gb", 0.07, 0, 1e4, &c->dec_memory_gb);
    /* a decoded 1080p NV12 frame: 1920 x 1080 x 1.5 B [derived] */
    NUM(sub, sp, "frame_mb", 3.1, 0, 1e4, &c->dec_frame_mb);
    SUB("server", "memory_gb");
    NUM(sub, sp, "memory_gb", 0.30, 0, 1e4, &c->server_memory_gb);
#undef SUB
    if (c->min_mbps > c->max_mbps)
        return gs__jerr(&L->d, L->err, GS_EINVAL, "components.encoder.min_mbps",
                        "min_mbps %g exceeds max_mbps %g", c->min_mbps, c->max_mbps);
    return GS_OK;
}

static int load_misc(loader *L, const cJSON *root)
{
    gs_game_scenario *sc = L->sc;
    gs__device_cfg *dv = &sc->dev;
    const cJSON *o;
    int rc;

    o = gs__jobj(&L->d, root, "", "migration", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (o)
        KEYS(o, "migration", "stream_setup_s", "client_start_s", "server_start_s", "chunk_kb",
             "pace_ms", "timeout_s", "settle_s", "retry_s");
    /* WebRTC set-up 1.5 s with frames frozen ([assumption], docs/game.md); client and server start
     * 0.5 s / 1 s, 16 KiB chunks sent while the link queue is under 10 ms, 30 s give-up,
     * 0.5 s retransmission timeout [assumption]. */
    NUM(o, "migration", "stream_setup_s", 1.5, 0, 1e4, &sc->stream_setup_s);
    NUM(o, "migration", "client_start_s", 0.5, 0, 1e4, &sc->client_start_s);
    NUM(o, "migration", "server_start_s", 1.0, 0, 1e4, &sc->server_start_s);
    NUM(o, "migration", "chunk_kb", 16, 1, 1e6, &sc->chunk_kb);
    NUM(o, "migration", "pace_ms", 10, 0, 1e6, &sc->mig_pace_ms);
    NUM(o, "migration", "timeout_s", 30, 0.1, 1e6, &sc->mig_timeout_s);
    NUM(o, "migration", "settle_s", 0.5, 0, 1e4, &sc->settle_s);
    NUM(o, "migration", "retry_s", 0.5, 0.001, 1e4, &sc->retry_s);
    o = gs__jobj(&L->d, root, "", "session", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (o)
        KEYS(o, "session", "timeout_s", "stall_ms", "rejoin_s", "qos_ms");
    /* 30 s: Unity Transport NetworkParameterConstants.DisconnectTimeoutMS = 30000
     * (docs.unity3d.com, com.unity.transport 1.x). 250 ms: NetCode maxPredictAheadTimeMS in
     * PolkaDOTS ApplicationConfig (github.com/atlarge-research/PolkaDOTS), past which the world
     * visibly freezes. */
    NUM(o, "session", "timeout_s", 30, 0.1, 1e6, &sc->session_timeout_s);
    NUM(o, "session", "stall_ms", 250, 1, 1e6, &sc->stall_ms);
    NUM(o, "session", "rejoin_s", 2.0, 0, 1e4, &sc->rejoin_s);
    /* "at most 50 ms being considered acceptable" response time (the Polka MSc thesis, TU Delft
     * repository) */
    NUM(o, "session", "qos_ms", 50, 0, 1e6, &sc->qos_ms);
    o = gs__jobj(&L->d, root, "", "power_model", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (o)
        KEYS(o, "power_model", "idle_w", "display_w", "client_cpu_w", "gpu_w_at_60fps",
             "stream_cpu_w", "decode_w_at_60fps", "server_cpu_w", "radio_idle_w",
             "radio_w_per_mbps", "cellular_factor");
    /* Phone-class power model (docs/game.md) [assumption, scaled to the 12-32 %
     * streaming saving of Kamarainen'16 / Huang'14]. The radio line 0.16 W + 0.136 W/Mbps is
     * [derived] from its WiFi anchors 0.3 W at 1.05 Mbps and 0.6 W at 3.21 Mbps; cellular
     * x1.4 (Huang'14: +30-45 %). A device-side server 1.0 W [assumption]. */
    NUM(o, "power_model", "idle_w", 0.5, 0, 1e4, &dv->idle_w);
    NUM(o, "power_model", "display_w", 1.0, 0, 1e4, &dv->display_w);
    NUM(o, "power_model", "client_cpu_w", 1.0, 0, 1e4, &dv->client_cpu_w);
    NUM(o, "power_model", "gpu_w_at_60fps", 2.2, 0, 1e4, &dv->gpu_w60);
    NUM(o, "power_model", "stream_cpu_w", 0.6, 0, 1e4, &dv->stream_cpu_w);
    NUM(o, "power_model", "decode_w_at_60fps", 0.4, 0, 1e4, &dv->decode_w60);
    NUM(o, "power_model", "server_cpu_w", 1.0, 0, 1e4, &dv->server_cpu_w);
    NUM(o, "power_model", "radio_idle_w", 0.16, 0, 1e4, &dv->radio_idle_w);
    NUM(o, "power_model", "radio_w_per_mbps", 0.136, 0, 1e4, &dv->radio_w_per_mbps);
    NUM(o, "power_model", "cellular_factor", 1.4, 0, 100, &dv->cellular_factor);
    return GS_OK;
}

static int load_policy(loader *L, const cJSON *root)
{
    gs_game_scenario *sc = L->sc;
    const cJSON *o, *pa, *it;
    const char *name = "adaptive";
    int rc;

    o = gs__jobj(&L->d, root, "", "policy", 0, L->err);
    if (L->err && L->err->code)
        return L->err->code;
    if (o) {
        KEYS(o, "policy", "name", "interval_s", "window_s", "params");
        if ((rc = gs__jstr(&L->d, o, "policy", "name", 0, "adaptive", &name, L->err)) != GS_OK)
            return rc;
    }
    if (!gs_game_policy_find(name))
        return gs__jerr(&L->d, L->err, GS_EINVAL, "policy.name",
                        "unknown game policy '%s' (see 'gpusim game policies')", name);
    if (!(sc->policy = gs__strdup(name)))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    /* evaluate every 1 s on 5-s windows (the rule-based scheduler of docs/game.md) */
    NUM(o, "policy", "interval_s", 1.0, 0.01, 1e5, &sc->policy_interval_s);
    NUM(o, "policy", "window_s", 5.0, 0.01, 1e5, &sc->policy_window_s);
    pa = o ? gs__jobj(&L->d, o, "policy", "params", 0, L->err) : NULL;
    if (L->err && L->err->code)
        return L->err->code;
    if (!pa)
        return GS_OK;
    if (!(sc->params = calloc((size_t)cJSON_GetArraySize(pa) + 1, sizeof(*sc->params))))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, pa)
    {
        gs__param *p = &sc->params[sc->nparams];
        if ((rc = gs__jnum(&L->d, pa, "policy.params", it->string, 1, 0, -BIG, BIG, &p->v,
                           L->err)) != GS_OK)
            return rc;
        if (!(p->key = gs__strdup(it->string)))
            return gs_errorf(L->err, GS_ENOMEM, "out of memory");
        sc->nparams++;
    }
    return GS_OK;
}

static int load_actions(loader *L, const cJSON *root)
{
    gs_game_scenario *sc = L->sc;
    const cJSON *arr, *it, *pl;
    char ip[64], pp[96];
    int rc, i = 0;

    arr = gs__jarr(&L->d, root, "", "actions", 0, L->err);
    if (!arr)
        return L->err && L->err->code ? L->err->code : GS_OK;
    if (cJSON_GetArraySize(arr) == 0)
        return GS_OK;
    if (!(sc->actions = calloc((size_t)cJSON_GetArraySize(arr), sizeof(*sc->actions))))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        gs__action *a = &sc->actions[i];
        gs__jpath_idx(ip, sizeof(ip), "actions", i);
        KEYS(it, ip, "t", "placement");
        if ((rc = gs__jnum(&L->d, it, ip, "t", 1, 0, 0, sc->duration, &a->t, L->err)) != GS_OK)
            return rc;
        if (i > 0 && a->t < sc->actions[i - 1].t)
            return gs__jerr(&L->d, L->err, GS_EINVAL, gs__jpath(pp, sizeof(pp), ip, "t"),
                            "times must not decrease (%g after %g)", a->t, sc->actions[i - 1].t);
        pl = gs__jobj(&L->d, it, ip, "placement", 1, L->err);
        if (!pl)
            return L->err->code;
        gs__jpath(pp, sizeof(pp), ip, "placement");
        KEYS(pl, pp, "server", "client", "renderer");
        if ((rc = load_loc(L, pl, pp, "server", 0, &a->p.server)) != GS_OK ||
            (rc = load_loc(L, pl, pp, "client", 0, &a->p.client)) != GS_OK ||
            (rc = load_loc(L, pl, pp, "renderer", 0, &a->p.renderer)) != GS_OK)
            return rc;
        if (a->p.server < 0 && a->p.client < 0 && a->p.renderer < 0)
            return gs__jerr(&L->d, L->err, GS_EINVAL, pp, "an action must place a component");
        if ((a->p.client < 0) != (a->p.renderer < 0) ||
            (a->p.client >= 0 && a->p.client != a->p.renderer))
            return gs__jerr(&L->d, L->err, GS_EINVAL, pp,
                            "client and renderer move together (give both, on one node)");
        i++;
        sc->nactions = (size_t)i;
    }
    return GS_OK;
}

static int load_all(loader *L)
{
    gs_game_scenario *sc = L->sc;
    const cJSON *root = L->d.root, *nodes, *links;
    const char *name, *desc;
    int rc, k;

    if ((rc = gs__jschema(&L->d, GS_GAME_SCHEMA, NULL, L->err)) != GS_OK)
        return rc;
    KEYS(root, "", "schema_version", "name", "description", "duration_s", "monitor_interval_s",
         "probe_interval_s", "nodes", "links", "world", "components", "migration", "session",
         "power_model", "policy", "actions");
    if ((rc = gs__jstr(&L->d, root, "", "name", 1, NULL, &name, L->err)) != GS_OK ||
        (rc = gs__jstr(&L->d, root, "", "description", 0, "", &desc, L->err)) != GS_OK)
        return rc;
    if (!(sc->name = gs__strdup(name)) || !(sc->description = gs__strdup(desc)))
        return gs_errorf(L->err, GS_ENOMEM, "out of memory");
    if ((rc = gs__jnum(&L->d, root, "", "duration_s", 1, 0, 1, 1e7, &sc->duration, L->err)) !=
        GS_OK)
        return rc;
    /* 0.5 s: PolkaDOTS reads WebRTC stats every 0.5 s; Meterstick samples system metrics every
     * 0.5 s (Meterstick, ICPE '23; PolkaDOTS). Probes every second [assumption]. */
    NUM(root, "", "monitor_interval_s", 0.5, 0.01, 1e5, &sc->monitor_s);
    NUM(root, "", "probe_interval_s", 1.0, 0.01, 1e5, &sc->probe_s);
    nodes = gs__jobj(&L->d, root, "", "nodes", 1, L->err);
    if (!nodes)
        return L->err->code;
    KEYS(nodes, "nodes", "device", "edge", "cloud");
    for (k = 0; k < GS_GAME_NLOC; k++)
        if ((rc = load_node(L, nodes, k)) != GS_OK)
            return rc;
    links = gs__jobj(&L->d, root, "", "links", 1, L->err);
    if (!links)
        return L->err->code;
    KEYS(links, "links", "device-edge", "device-cloud", "edge-cloud");
    for (k = 0; k < GS__NLINK; k++)
        if ((rc = load_link(L, links, k)) != GS_OK)
            return rc;
    if ((rc = load_world(L, root)) != GS_OK || (rc = load_components(L, root)) != GS_OK ||
        (rc = load_misc(L, root)) != GS_OK || (rc = load_policy(L, root)) != GS_OK ||
        (rc = load_actions(L, root)) != GS_OK)
        return rc;
    return GS_OK;
}

gs_game_scenario *gs_game_scenario_load(const char *path, gs_err *err)
{
    loader L;
    gs_err local = {0};
    int rc;

    memset(&L, 0, sizeof(L));
    L.err = err ? err : &local;
    if (!(L.sc = calloc(1, sizeof(*L.sc))) || !(L.sc->path = gs__strdup(path))) {
        gs_game_scenario_free(L.sc);
        gs_errorf(L.err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    rc = gs__jdoc_load(&L.d, path, L.err);
    if (rc == GS_OK)
        rc = add_input(L.sc, path, L.err);
    if (rc == GS_OK)
        rc = load_all(&L);
    gs__jdoc_release(&L.d);
    if (rc != GS_OK) {
        gs_game_scenario_free(L.sc);
        return NULL;
    }
    return L.sc;
}
