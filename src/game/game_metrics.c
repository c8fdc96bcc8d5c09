/* SPDX-License-Identifier: Apache-2.0 */
/* Game-offload results: sample statistics, deployment phases, totals, CSV and JSON outputs. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "csv_int.h"
#include "game_int.h"
#include "gpusim/io.h"
#include "gpusim/version.h"
#include "json_int.h"
#include "util_int.h"

void gs__game_stat(double *v, size_t n, gs_game_stat *s)
{
    double *a = v;
    size_t i, m = 0;

    memset(s, 0, sizeof(*s));
    s->mean = s->median = s->min = s->max = s->p5 = s->p10 = s->p95 = NAN;
    for (i = 0; i < n; i++)
        if (!isnan(v[i]))
            a[m++] = v[i];
    s->n = m;
    if (m > 0) {
        gs__sort(a, m);
        s->mean = gs__mean(a, m);
        s->median = gs__quantile_sorted(a, m, 0.5);
        s->min = a[0];
        s->max = a[m - 1];
        s->p5 = gs__quantile_sorted(a, m, 0.05);
        s->p10 = gs__quantile_sorted(a, m, 0.10);
        s->p95 = gs__quantile_sorted(a, m, 0.95);
    }
}

/* Statistic of one field over samples [from, to) that belong to phase (or all when < -1). */
static void field_stat(const gs_game *g, size_t from, size_t to, int phase, size_t off, double *buf,
                       gs_game_stat *s)
{
    size_t i, n = 0;

    for (i = from; i < to; i++) {
        const gs_game_sample *x = &g->samples[i];
        if (phase >= -1 && x->phase != phase)
            continue;
        buf[n++] = *(const double *)((const char *)x + off);
    }
    gs__game_stat(buf, n, s);
}

#define OFF(f) offsetof(gs_game_sample, f)

static int same_at(const gs_game_placement *a, const gs_game_placement *b)
{
    return a->server == b->server && a->client == b->client && a->renderer == b->renderer;
}

int gs__game_phases_compute(gs_game *g, gs_err *err)
{
    double *buf;
    size_t i, np = 0;
    int cur = -1;

    /* a stall still open at the end counts too */
    if (g->duration - g->last_fresh > g->sc->stall_ms * 1e-3) {
        g->stalls++;
        g->stall_s += g->duration - g->last_fresh;
    }
    for (i = 0; i < g->nsamples; i++) {
        gs_game_sample *s = &g->samples[i];
        if (s->migrating) {
            s->phase = -1;
            cur = -1;
            continue;
        }
        if (cur < 0 || !same_at(&s->at, &g->phases[cur].at)) {
            gs_game_phase *a;
            if (GS_GROW(g->phases, g->capphases, np + 1) != GS_OK)
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            a = g->phases;
            memset(&a[np], 0, sizeof(a[np]));
            a[np].index = (int)np;
            a[np].at = s->at;
            a[np].start = s->t - g->sc->monitor_s;
            cur = (int)np++;
            g->nphases = np;
        }
        s->phase = cur;
        g->phases[cur].end = s->t;
    }
    {
        double none = NAN;
        gs_game_totals *t = &g->tot;
        gs__game_stat(&none, 0, &t->fps);
        t->frame_ms_p95 = t->game_rtt_ms = t->down_mbps = t->memory_gb = t->power_w = t->tick_ms =
            t->response_ms = t->fps;
    }
    if (g->nsamples == 0)
        return GS_OK;
    if (!(buf = malloc(g->nsamples * sizeof(*buf))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    {
        gs_game_totals *t = &g->tot;
        field_stat(g, 0, g->nsamples, -2, OFF(fps), buf, &t->fps);
        field_stat(g, 0, g->nsamples, -2, OFF(frame_ms_p95), buf, &t->frame_ms_p95);
        field_stat(g, 0, g->nsamples, -2, OFF(game_rtt_ms), buf, &t->game_rtt_ms);
        field_stat(g, 0, g->nsamples, -2, OFF(down_mbps), buf, &t->down_mbps);
        field_stat(g, 0, g->nsamples, -2, OFF(memory_gb), buf, &t->memory_gb);
        field_stat(g, 0, g->nsamples, -2, OFF(power_w), buf, &t->power_w);
        field_stat(g, 0, g->nsamples, -2, OFF(tick_ms), buf, &t->tick_ms);
        field_stat(g, 0, g->nsamples, -2, OFF(response_ms), buf, &t->response_ms);
    }
    for (i = 0; i < np; i++) {
        gs_game_phase *p = &g->phases[i];
        int ph = (int)i;
        field_stat(g, 0, g->nsamples, ph, OFF(fps), buf, &p->fps);
        field_stat(g, 0, g->nsamples, ph, OFF(frame_ms_p95), buf, &p->frame_ms_p95);
        field_stat(g, 0, g->nsamples, ph, OFF(game_rtt_ms), buf, &p->game_rtt_ms);
        field_stat(g, 0, g->nsamples, ph, OFF(down_mbps), buf, &p->down_mbps);
        field_stat(g, 0, g->nsamples, ph, OFF(up_mbps), buf, &p->up_mbps);
        field_stat(g, 0, g->nsamples, ph, OFF(memory_gb), buf, &p->memory_gb);
        field_stat(g, 0, g->nsamples, ph, OFF(battery_pct), buf, &p->battery_pct);
        field_stat(g, 0, g->nsamples, ph, OFF(power_w), buf, &p->power_w);
        field_stat(g, 0, g->nsamples, ph, OFF(response_ms), buf, &p->response_ms);
    }
    free(buf);
    return GS_OK;
}

void gs_game_totals_get(const gs_game *g, gs_game_totals *t)
{
    *t = g->tot; /* the sample statistics, computed when the run ended */
    {
        size_t i;
        for (i = 0; i < g->nsamples; i++)
            if (g->samples[i].response_ms > g->sc->qos_ms)
                t->over_qos_s += g->sc->monitor_s;
    }
    t->stalls = g->stalls;
    t->stall_s = g->stall_s;
    t->migrations = g->migrations_ok;
    t->migrations_failed = g->migrations_failed;
    t->rejoins = g->rejoins;
    t->sessions_lost = g->sessions_lost;
    t->battery_left_pct = g->battery_pct;
    t->energy_wh = g->energy_j / 3600.0;
    t->down_mb = g->down_b_total / 1e6;
    t->up_mb = g->up_b_total / 1e6;
    t->frames_shown = g->frames_shown;
    t->frames_lost = g->frames_lost;
    t->tick_max_over_mean = g->ticks ? g->tick_max_ms / (g->tick_sum_ms / (double)g->ticks) : NAN;
    t->events = g->eng ? gs_engine_fired(g->eng) : 0;
}

/* ---- CSV ---- */

static void put_num(FILE *fp, double v)
{
    char b[64];

    if (isnan(v) || isinf(v))
        return; /* an empty cell: nothing was measured */
    gs__fmt_double(b, sizeof(b), v);
    fputs(b, fp);
}

static const char *encoder_at(const gs_game_placement *p)
{
    return p->renderer != GS_GAME_DEVICE ? gs_game_loc_name(p->renderer) : "none";
}

static const char *decoder_at(const gs_game_placement *p)
{
    return p->renderer != GS_GAME_DEVICE ? "device" : "none";
}

int gs_game_write_timeseries(const gs_game *g, FILE *fp, gs_err *err)
{
    size_t i;

    fputs("t,fps,frame_ms_p50,frame_ms_p95,frame_ms_p99,game_rtt_ms,stream_rtt_ms,down_mbps,"
          "up_mbps,memory_gb,battery_pct,power_w,tick_ms,power,mode,server,client,renderer,"
          "encoder,decoder,migrating,migration_started,stalled,session_up,phase,response_ms\n",
          fp);
    for (i = 0; i < g->nsamples; i++) {
        const gs_game_sample *s = &g->samples[i];
        const double v[] = {
            s->t,           s->fps,           s->frame_ms_p50, s->frame_ms_p95, s->frame_ms_p99,
            s->game_rtt_ms, s->stream_rtt_ms, s->down_mbps,    s->up_mbps,      s->memory_gb,
            s->battery_pct, s->power_w,       s->tick_ms};
        size_t k;
        for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
            put_num(fp, v[k]);
            fputc(',', fp);
        }
        fprintf(fp, "%s,%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,", gs_game_power_name(s->power),
                gs_game_mode_name(gs_game_placement_mode(&s->at)), gs_game_loc_name(s->at.server),
                gs_game_loc_name(s->at.client), gs_game_loc_name(s->at.renderer),
                encoder_at(&s->at), decoder_at(&s->at), s->migrating, s->migration_started,
                s->stalled, s->session_up, s->phase);
        put_num(fp, s->response_ms);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write the time series");
    return GS_OK;
}

int gs_game_write_migrations(const gs_game *g, FILE *fp, gs_err *err)
{
    size_t i;

    fputs("start,end,downtime_s,from_mode,from_server,from_client,to_mode,to_server,to_client,"
          "bytes,ok,reason\n",
          fp);
    for (i = 0; i < g->nmigs; i++) {
        const gs_game_migration *m = &g->migs[i];
        put_num(fp, m->start);
        fputc(',', fp);
        put_num(fp, m->end);
        fputc(',', fp);
        put_num(fp, m->end - m->start);
        fprintf(fp, ",%s,%s,%s,%s,%s,%s,", gs_game_mode_name(gs_game_placement_mode(&m->from)),
                gs_game_loc_name(m->from.server), gs_game_loc_name(m->from.client),
                gs_game_mode_name(gs_game_placement_mode(&m->to)), gs_game_loc_name(m->to.server),
                gs_game_loc_name(m->to.client));
        put_num(fp, m->bytes);
        fprintf(fp, ",%d,", m->ok);
        gs__csv_put(m->reason, fp);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write the migrations");
    return GS_OK;
}

/* ---- summary.json ---- */

static cJSON *stat_json(cJSON *parent, const char *key, const gs_game_stat *s)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);

    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "n", (double)s->n);
    gs__jadd_fixed(o, "mean", s->mean);
    gs__jadd_fixed(o, "median", s->median);
    gs__jadd_fixed(o, "min", s->min);
    gs__jadd_fixed(o, "max", s->max);
    gs__jadd_fixed(o, "range", s->max - s->min);
    gs__jadd_fixed(o, "p5", s->p5);
    gs__jadd_fixed(o, "p10", s->p10);
    gs__jadd_fixed(o, "p95", s->p95);
    return o;
}

static void placement_json(cJSON *o, const gs_game_placement *p)
{
    cJSON_AddStringToObject(o, "mode", gs_game_mode_name(gs_game_placement_mode(p)));
    cJSON_AddStringToObject(o, "server", gs_game_loc_name(p->server));
    cJSON_AddStringToObject(o, "client", gs_game_loc_name(p->client));
    cJSON_AddStringToObject(o, "renderer", gs_game_loc_name(p->renderer));
    cJSON_AddStringToObject(o, "encoder", encoder_at(p));
    cJSON_AddStringToObject(o, "decoder", decoder_at(p));
}

char *gs_game_summary_json(const gs_game *g, const char *command, gs_err *err)
{
    cJSON *root = cJSON_CreateObject(), *o, *arr;
    gs_game_totals t;
    char *text = NULL, *label;
    size_t i;

    if (!root)
        goto oom;
    gs_game_totals_get(g, &t);
    cJSON_AddStringToObject(root, "gpusim_version", GS_VERSION_STRING);
    cJSON_AddStringToObject(root, "command", command ? command : "");
    cJSON_AddStringToObject(root, "scenario", g->sc->name);
    cJSON_AddStringToObject(root, "policy", g->ops->name);
    {
        char b[32];
        snprintf(b, sizeof(b), "%llu", (unsigned long long)g->opts.seed);
        cJSON_AddRawToObject(root, "seed", b);
    }
    gs__jadd_fixed(root, "duration_s", g->duration);
    gs__jadd_fixed(root, "monitor_interval_s", g->sc->monitor_s);
    if (!(arr = cJSON_AddArrayToObject(root, "inputs")))
        goto oom;
    for (i = 0; i < g->sc->ninputs; i++) {
        char hex[65];
        cJSON *io = cJSON_CreateObject();
        if (!io)
            goto oom;
        cJSON_AddItemToArray(arr, io);
        if (!(label = gs__data_label(g->sc->inputs[i])))
            goto oom;
        cJSON_AddStringToObject(io, "path", label);
        free(label);
        if (gs_sha256_file(g->sc->inputs[i], hex, err) != GS_OK) {
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddStringToObject(io, "sha256", hex);
    }
    if (!(o = cJSON_AddObjectToObject(root, "totals")))
        goto oom;
    stat_json(o, "fps", &t.fps);
    stat_json(o, "frame_ms_p95", &t.frame_ms_p95);
    stat_json(o, "game_rtt_ms", &t.game_rtt_ms);
    stat_json(o, "down_mbps", &t.down_mbps);
    stat_json(o, "memory_gb", &t.memory_gb);
    stat_json(o, "power_w", &t.power_w);
    stat_json(o, "tick_ms", &t.tick_ms);
    stat_json(o, "response_ms", &t.response_ms);
    gs__jadd_fixed(o, "over_qos_s", t.over_qos_s);
    cJSON_AddNumberToObject(o, "stalls", (double)t.stalls);
    gs__jadd_fixed(o, "stall_s", t.stall_s);
    cJSON_AddNumberToObject(o, "migrations", (double)t.migrations);
    cJSON_AddNumberToObject(o, "migrations_failed", (double)t.migrations_failed);
    cJSON_AddNumberToObject(o, "rejoins", (double)t.rejoins);
    cJSON_AddNumberToObject(o, "sessions_lost", (double)t.sessions_lost);
    gs__jadd_fixed(o, "battery_left_pct", t.battery_left_pct);
    gs__jadd_fixed(o, "energy_wh", t.energy_wh);
    gs__jadd_fixed(o, "down_mb", t.down_mb);
    gs__jadd_fixed(o, "up_mb", t.up_mb);
    cJSON_AddNumberToObject(o, "frames_shown", t.frames_shown);
    cJSON_AddNumberToObject(o, "frames_lost", t.frames_lost);
    gs__jadd_fixed(o, "tick_max_over_mean", t.tick_max_over_mean);
    cJSON_AddNumberToObject(o, "events", (double)t.events);
    if (!(arr = cJSON_AddArrayToObject(root, "phases")))
        goto oom;
    for (i = 0; i < g->nphases; i++) {
        const gs_game_phase *p = &g->phases[i];
        cJSON *ph = cJSON_CreateObject();
        if (!ph)
            goto oom;
        cJSON_AddItemToArray(arr, ph);
        cJSON_AddNumberToObject(ph, "index", p->index);
        gs__jadd_fixed(ph, "start", p->start);
        gs__jadd_fixed(ph, "end", p->end);
        placement_json(ph, &p->at);
        stat_json(ph, "fps", &p->fps);
        stat_json(ph, "frame_ms_p95", &p->frame_ms_p95);
        stat_json(ph, "game_rtt_ms", &p->game_rtt_ms);
        stat_json(ph, "down_mbps", &p->down_mbps);
        stat_json(ph, "up_mbps", &p->up_mbps);
        stat_json(ph, "memory_gb", &p->memory_gb);
        stat_json(ph, "battery_pct", &p->battery_pct);
        stat_json(ph, "power_w", &p->power_w);
        stat_json(ph, "response_ms", &p->response_ms);
    }
    if (!(arr = cJSON_AddArrayToObject(root, "migrations")))
        goto oom;
    for (i = 0; i < g->nmigs; i++) {
        const gs_game_migration *m = &g->migs[i];
        cJSON *mo = cJSON_CreateObject(), *f, *to;
        if (!mo)
            goto oom;
        cJSON_AddItemToArray(arr, mo);
        gs__jadd_fixed(mo, "start", m->start);
        gs__jadd_fixed(mo, "end", m->end);
        if (!(f = cJSON_AddObjectToObject(mo, "from")) || !(to = cJSON_AddObjectToObject(mo, "to")))
            goto oom;
        placement_json(f, &m->from);
        placement_json(to, &m->to);
        gs__jadd_fixed(mo, "bytes", m->bytes);
        cJSON_AddBoolToObject(mo, "ok", m->ok);
        cJSON_AddStringToObject(mo, "reason", m->reason);
    }
    text = gs__jprint(root, 1, err); /* NULL also when the tree was built short */
    cJSON_Delete(root);
    return text;
oom:
    cJSON_Delete(root);
    gs_errorf(err, GS_ENOMEM, "out of memory");
    return NULL;
}
