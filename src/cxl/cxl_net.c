/* SPDX-License-Identifier: Apache-2.0 */
/* Bandwidth sharing on the engine: flows over memory tiers, fabric links and PCIe, max-min fair
 * with per-flow caps, some of them bound by loaded memory latency. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxl_int.h"
#include "util_int.h"

typedef struct net_res {
    double cap;
    int lat_kind;
    double used; /* bytes/s at the current rates */
    double bytes, busy;
} net_res;

typedef struct net_flow {
    int active;
    gs__cxl_flow_spec s;
    double remaining, rate;
    gs_event_id ev;
    int frozen;
    double ecap, old;
} net_flow;

struct gs__cxl_net {
    gs_engine *eng;
    net_res *res;
    size_t nres, capres;
    net_flow *flows;
    size_t nflows, capflows;
    size_t nactive;
    gs_time last;
    /* scratch, sized with res */
    double *u, *sa, *load;
    int *act, *mark; /* resources the active flows touch (fill only looks at those) */
    size_t nact;
};

/* Loaded latency / idle latency versus utilisation, read from Intel MLC --loaded_latency logs of
 * Tang et al. EuroSys'24 (bytedance/eurosys24-artifacts data/ddr5/log_d0_c8_w0_r0 and
 * data/cxl/log_d0_c16_w0_r0), normalised to the idle latency. CXL latency
 * rises earlier and harder than DRAM's. Piecewise linear between the points. */
static const double lat_dram[][2] = {{0, 1},       {0.10, 1.04}, {0.22, 1.07}, {0.38, 1.11},
                                     {0.83, 1.47}, {0.95, 1.73}, {1.00, 2.33}};
static const double lat_cxl[][2] = {{0, 1},       {0.26, 1.15}, {0.49, 1.22}, {0.75, 1.36},
                                    {0.94, 1.82}, {0.98, 2.03}, {1.00, 3.2}};

double gs__cxl_loaded_factor(int kind, double u)
{
    const double(*t)[2] = kind == GS_CXL_KIND_CXL ? lat_cxl : lat_dram;
    size_t n = 7, i;

    if (!(u > 0))
        return 1;
    if (u >= 1)
        return t[n - 1][1];
    for (i = 1; i < n; i++)
        if (u <= t[i][0])
            return t[i - 1][1] +
                   (t[i][1] - t[i - 1][1]) * (u - t[i - 1][0]) / (t[i][0] - t[i - 1][0]);
    return t[n - 1][1];
}

static int on_flow_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);

static const gs_event_type_def cxl_events[] = {
#define GS_EV_DEF_(name, val, str) {GS_EV_##name, str},
    GS_EVENT_CXL_LIST(GS_EV_DEF_)
#undef GS_EV_DEF_
};

gs_engine *gs__cxl_engine_new(gs_err *err)
{
    gs_engine *eng = gs_engine_new(err);

    if (eng &&
        gs_engine_declare(eng, cxl_events, sizeof(cxl_events) / sizeof(cxl_events[0]), err)) {
        gs_engine_free(eng);
        return NULL;
    }
    return eng;
}

gs__cxl_net *gs__cxl_net_new(gs_engine *eng, gs_err *err)
{
    gs__cxl_net *net = calloc(1, sizeof(*net));

    if (!net) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    net->eng = eng;
    net->last = gs_engine_now(eng);
    if (gs_engine_on(eng, GS_EV_CXL_FLOW_DONE, on_flow_done, net, err) != GS_OK) {
        free(net);
        return NULL;
    }
    return net;
}

void gs__cxl_net_free(gs__cxl_net *net)
{
    if (!net)
        return;
    free(net->res);
    free(net->flows);
    free(net->u);
    free(net->sa);
    free(net->load);
    free(net->act);
    free(net->mark);
    free(net);
}

int gs__cxl_net_add_res(gs__cxl_net *net, double cap, int lat_kind, gs_err *err)
{
    if (!(cap >= 0))
        return gs_errorf(err, GS_EINVAL, "resource capacity %g is not a bandwidth", cap);
    if (net->nres == net->capres) { /* the per-resource arrays share one capacity */
        size_t nc = gs__grow_cap(net->capres, net->nres + 1);
        if (GS_RESIZE(net->res, nc) || GS_RESIZE(net->u, nc) || GS_RESIZE(net->sa, nc) ||
            GS_RESIZE(net->load, nc) || GS_RESIZE(net->act, nc) || GS_RESIZE(net->mark, nc))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        net->capres = nc;
    }
    memset(&net->res[net->nres], 0, sizeof(net->res[0]));
    net->mark[net->nres] = 0;
    net->res[net->nres].cap = cap;
    net->res[net->nres].lat_kind = lat_kind;
    return (int)net->nres++;
}

/* The rate a flow could reach on its own, given the utilisation u of its latency tier. */
static double eff_cap(const gs__cxl_net *net, const net_flow *f, const double *u)
{
    double miss = f->s.cap, h = f->s.hit;

    if (f->s.window > 0 && f->s.lat_res >= 0) {
        int r = f->s.lat_res;
        double lat = f->s.lat0 * gs__cxl_loaded_factor(net->res[r].lat_kind, u[r]);
        double lim = f->s.window / lat;
        if (lim < miss)
            miss = lim;
    }
    if (h <= 0)
        return miss;
    if (h >= 1)
        return f->s.hit_bw;
    return 1.0 / (h / f->s.hit_bw + (1 - h) / miss);
}

/* Progressive filling: raise every unfrozen flow's rate together until a resource or a flow
 * cap binds, freeze what bound, repeat. Leaves rates in flows and loads in res[].used. */
static void fill(gs__cxl_net *net, const double *u)
{
    size_t i, j, r, left = 0;

    for (i = 0; i < net->nflows; i++) {
        net_flow *f = &net->flows[i];
        if (!f->active)
            continue;
        f->frozen = 0;
        f->rate = 0;
        f->ecap = eff_cap(net, f, u);
        left++;
    }
    for (j = 0; j < net->nact; j++)
        net->load[net->act[j]] = 0;
    while (left > 0) {
        double lambda = HUGE_VAL;
        for (j = 0; j < net->nact; j++)
            net->sa[net->act[j]] = 0;
        for (i = 0; i < net->nflows; i++) {
            net_flow *f = &net->flows[i];
            int k;
            if (!f->active || f->frozen)
                continue;
            if (f->ecap < lambda)
                lambda = f->ecap;
            for (k = 0; k < f->s.nres; k++)
                net->sa[f->s.res[k]] += f->s.coef[k];
        }
        for (j = 0; j < net->nact; j++) {
            r = (size_t)net->act[j];
            if (net->sa[r] > 0) {
                double lv = (net->res[r].cap - net->load[r]) / net->sa[r];
                if (lv < 0)
                    lv = 0;
                if (lv < lambda)
                    lambda = lv;
            }
        }
        if (!(lambda < HUGE_VAL))
            lambda = 0; /* unconstrained flows cannot exist (specs are checked); be safe */
        for (i = 0; i < net->nflows; i++) {
            net_flow *f = &net->flows[i];
            int k, bind = 0;
            if (!f->active || f->frozen)
                continue;
            if (f->ecap <= lambda * (1 + 1e-12))
                bind = 1;
            for (k = 0; k < f->s.nres && !bind; k++) {
                r = (size_t)f->s.res[k];
                if (f->s.coef[k] > 0 && net->sa[r] > 0 &&
                    (net->res[r].cap - net->load[r]) / net->sa[r] <= lambda * (1 + 1e-12))
                    bind = 1;
            }
            if (!bind)
                continue;
            f->frozen = 2; /* this round: its load counts from the next round on */
            f->rate = f->ecap < lambda ? f->ecap : lambda;
            left--;
        }
        for (i = 0; i < net->nflows; i++) {
            net_flow *f = &net->flows[i];
            int k;
            if (!f->active || f->frozen != 2)
                continue;
            f->frozen = 1;
            for (k = 0; k < f->s.nres; k++)
                net->load[f->s.res[k]] += f->s.coef[k] * f->rate;
        }
    }
    for (j = 0; j < net->nact; j++)
        net->res[net->act[j]].used = net->load[net->act[j]];
}

static double util_of(const gs__cxl_net *net, size_t r)
{
    return net->res[r].cap > 0 ? net->res[r].used / net->res[r].cap : 0;
}

/* Solves the rates. Latency-bound flows make it a fixed point: a tier's utilisation sets its
 * loaded latency, which caps those flows, which sets the utilisation. u - U(u) is monotone in
 * each tier's u, so a bracketing root finder per tier (Illinois), swept over the tiers until
 * nothing moves, finds it deterministically. */
static void solve(gs__cxl_net *net)
{
    size_t i, r;
    int pass, has_lat = 0;

    for (r = 0; r < net->nres; r++)
        net->u[r] = 0;
    net->nact = 0;
    for (i = 0; i < net->nflows; i++) {
        const net_flow *f = &net->flows[i];
        int k;
        if (!f->active)
            continue;
        if (f->s.window > 0 && f->s.lat_res >= 0)
            has_lat++;
        for (k = 0; k < f->s.nres; k++)
            if (!net->mark[f->s.res[k]]) {
                net->mark[f->s.res[k]] = 1;
                net->act[net->nact++] = f->s.res[k];
            }
    }
    for (i = 0; i < net->nact; i++)
        net->mark[net->act[i]] = 0;
    /* resources that are no longer touched carry nothing */
    for (r = 0; r < net->nres; r++)
        net->res[r].used = 0;
    if (!has_lat) {
        fill(net, net->u);
        return;
    }
    for (pass = 0; pass < 30; pass++) {
        double moved = 0;
        for (r = 0; r < net->nres; r++) {
            int used = 0, it, side = 0;
            double a = 0, b = 1, fa, fb, x, fx;
            for (i = 0; i < net->nflows && !used; i++)
                if (net->flows[i].active && net->flows[i].s.window > 0 &&
                    net->flows[i].s.lat_res == (int)r)
                    used = 1;
            if (!used)
                continue;
            net->u[r] = a;
            fill(net, net->u);
            fa = util_of(net, r) - a;
            net->u[r] = b;
            fill(net, net->u);
            fb = util_of(net, r) - b;
            x = fa <= 0 ? a : (fb >= 0 ? b : -1);
            for (it = 0; x < 0 && it < 200; it++) {
                double c = (a * fb - b * fa) / (fb - fa);
                net->u[r] = c;
                fill(net, net->u);
                fx = util_of(net, r) - c;
                if (fabs(fx) < 1e-13 || b - a < 1e-13) {
                    x = c;
                    break;
                }
                if (fx > 0) {
                    a = c;
                    fa = fx;
                    if (side == 1)
                        fb /= 2;
                    side = 1;
                } else {
                    b = c;
                    fb = fx;
                    if (side == -1)
                        fa /= 2;
                    side = -1;
                }
            }
            if (x < 0)
                x = 0.5 * (a + b);
            moved = fmax(moved, fabs(x - net->u[r]));
            net->u[r] = x;
        }
        if (has_lat == 1 || (moved < 1e-12 && pass > 0))
            break; /* one latency-bound flow: one sweep solves it */
    }
    fill(net, net->u);
}

static void advance(gs__cxl_net *net)
{
    gs_time now = gs_engine_now(net->eng);
    double dt = now - net->last;
    size_t i;

    if (dt <= 0)
        return;
    for (i = 0; i < net->nflows; i++) {
        net_flow *f = &net->flows[i];
        if (!f->active)
            continue;
        f->remaining -= f->rate * dt;
        if (f->remaining < 0)
            f->remaining = 0;
    }
    for (i = 0; i < net->nres; i++) {
        net->res[i].bytes += net->res[i].used * dt;
        if (net->res[i].used > 0)
            net->res[i].busy += dt;
    }
    net->last = now;
}

/* Re-solves and moves every flow's completion event to where its new rate puts it. */
static int reschedule(gs__cxl_net *net, gs_err *err)
{
    gs_time now = gs_engine_now(net->eng);
    size_t i;

    for (i = 0; i < net->nflows; i++)
        net->flows[i].old = net->flows[i].rate; /* remember the old rates */
    solve(net);
    for (i = 0; i < net->nflows; i++) {
        net_flow *f = &net->flows[i];
        int rc;
        if (!f->active)
            continue;
        if (f->ev && f->rate == f->old)
            continue; /* unchanged: its event is still right */
        if (f->ev)
            gs_engine_cancel(net->eng, f->ev);
        f->ev = 0;
        if (!(f->rate > 0))
            continue; /* stalled until something changes */
        rc = gs_engine_post(net->eng, now + f->remaining / f->rate, GS_EV_CXL_FLOW_DONE,
                            GS_EV_FROM_U(i), NULL, &f->ev, err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int on_flow_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs__cxl_net *net = ctx;
    size_t i = (size_t)GS_EV_TO_U(ev->data);
    net_flow *f;
    int rc;

    if (i >= net->nflows || !net->flows[i].active)
        return gs_errorf(err, GS_EINVAL, "flow %zu finished twice", i);
    advance(net);
    f = &net->flows[i];
    f->active = 0;
    f->ev = 0;
    f->rate = 0;
    f->remaining = 0;
    net->nactive--;
    rc = gs_engine_post(eng, gs_engine_now(eng), f->s.done_type, GS_EV_FROM_U(f->s.done_data), NULL,
                        NULL, err);
    if (rc != GS_OK)
        return rc;
    return reschedule(net, err);
}

int gs__cxl_net_start(gs__cxl_net *net, const gs__cxl_flow_spec *s, int *id, gs_err *err)
{
    size_t i;
    int k, bounded = s->cap < HUGE_VAL || s->window > 0 || s->hit >= 1;

    if (s->nres < 0 || s->nres > GS__CXL_FLOW_MAXRES || !(s->bytes >= 0) || s->hit < 0 ||
        s->hit > 1 || (s->hit > 0 && !(s->hit_bw > 0)))
        return gs_errorf(err, GS_EINVAL, "bad flow");
    for (k = 0; k < s->nres; k++) {
        if (s->res[k] < 0 || (size_t)s->res[k] >= net->nres || s->coef[k] < 0)
            return gs_errorf(err, GS_EINVAL, "bad flow resource");
        if (s->coef[k] > 0)
            bounded = 1;
    }
    if (!bounded)
        return gs_errorf(err, GS_EINVAL, "a flow needs a cap or a resource");
    advance(net);
    if (s->bytes <= 0) { /* nothing to move: done now */
        if (id)
            *id = -1;
        return gs_engine_post(net->eng, gs_engine_now(net->eng), s->done_type,
                              GS_EV_FROM_U(s->done_data), NULL, NULL, err);
    }
    for (i = 0; i < net->nflows; i++)
        if (!net->flows[i].active)
            break;
    if (i == net->nflows) {
        if (GS_GROW(net->flows, net->capflows, net->nflows + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        net->nflows++;
    }
    memset(&net->flows[i], 0, sizeof(net->flows[i]));
    net->flows[i].active = 1;
    net->flows[i].s = *s;
    net->flows[i].remaining = s->bytes;
    net->nactive++;
    if (id)
        *id = (int)i;
    return reschedule(net, err);
}

double gs__cxl_net_util(const gs__cxl_net *net, int res)
{
    if (res < 0 || (size_t)res >= net->nres)
        return 0;
    return util_of(net, (size_t)res);
}

double gs__cxl_net_rate(const gs__cxl_net *net, int id)
{
    if (id < 0 || (size_t)id >= net->nflows || !net->flows[id].active)
        return 0;
    return net->flows[id].rate;
}

void gs__cxl_net_res_stats(gs__cxl_net *net, int res, double *bytes, double *busy)
{
    advance(net);
    *bytes = res >= 0 && (size_t)res < net->nres ? net->res[res].bytes : 0;
    *busy = res >= 0 && (size_t)res < net->nres ? net->res[res].busy : 0;
}

size_t gs__cxl_net_active(const gs__cxl_net *net)
{
    return net->nactive;
}
