/* SPDX-License-Identifier: Apache-2.0 */
/* Microbenchmarks on the simulated host, run as events: pointer-chase latency, streaming-read
 * bandwidth, loaded latency (CLOUDSTARS D2.1 report, Figure 3) and cudaMemcpy bandwidth versus size
 * (Figure 4). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxl_int.h"

/* Dependent loads per latency measurement; at a steady load every load takes the same time,
 * so a few hundred are plenty. */
#define PROBES 256

/* Bytes each bandwidth-benchmark thread reads. */
#define BENCH_BYTES (1024.0 * 1048576.0)

typedef struct bench {
    gs_engine *eng;
    gs__cxl_sys *sys;
    gs__cxl_net *net;
    /* probes */
    int probes_left;
    double lat0;
    int lat_res, lat_kind;
    gs_time probe_start, probe_end;
    /* bandwidth threads */
    int threads_left;
    gs_time bench_end;
} bench;

static int on_probe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    bench *b = ctx;
    double lat;

    (void)ev;
    if (--b->probes_left <= 0) {
        b->probe_end = gs_engine_now(eng);
        gs_engine_stop(eng);
        return GS_OK;
    }
    /* the next load issues when this one returns and sees the tier as loaded now */
    lat = b->lat0 * gs__cxl_loaded_factor(b->lat_kind, gs__cxl_net_util(b->net, b->lat_res));
    return gs_engine_post(eng, gs_engine_now(eng) + lat, GS_EV_CXL_PROBE, NULL, NULL, NULL, err);
}

static int on_bench_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    bench *b = ctx;

    (void)ev;
    (void)err;
    if (--b->threads_left == 0)
        b->bench_end = gs_engine_now(eng);
    return GS_OK;
}

static void bench_free(bench *b)
{
    gs__cxl_sys_free(b->sys);
    gs_engine_free(b->eng);
}

static int bench_init(bench *b, const gs_cxl_hw *hw, int socket, gs_err *err)
{
    memset(b, 0, sizeof(*b));
    if (!(b->eng = gs__cxl_engine_new(err)))
        return err ? err->code : GS_ENOMEM;
    if (!(b->sys = gs__cxl_sys_new(hw, b->eng, socket, err))) {
        bench_free(b);
        return err ? err->code : GS_ENOMEM;
    }
    b->net = gs__cxl_sys_net(b->sys);
    if (gs_engine_on(b->eng, GS_EV_CXL_PROBE, on_probe, b, err) ||
        gs_engine_on(b->eng, GS_EV_CXL_BENCH_DONE, on_bench_done, b, err)) {
        bench_free(b);
        return err ? err->code : GS_EINVAL;
    }
    return GS_OK;
}

/* Starts the dependent-load chain: PROBES loads, each after the previous returns. */
static int start_probes(bench *b, const gs_cxl_hw *hw, size_t tier, int socket, gs_err *err)
{
    b->probes_left = PROBES + 1;
    b->lat0 = gs_cxl_hw_latency(hw, tier, socket);
    b->lat_res = gs__cxl_sys_res_tier(b->sys, (int)tier);
    b->lat_kind = hw->tiers[tier].kind;
    b->probe_start = gs_engine_now(b->eng);
    return gs_engine_post(b->eng, b->probe_start, GS_EV_CXL_PROBE, NULL, NULL, NULL, err);
}

/* A reading thread on socket's CCD ccd: its CCD link, the interconnect when the tier is on
 * another socket, and the tier itself. bounded: one core's outstanding misses over the loaded
 * latency (Little's law); otherwise MLC-style peak injection limited only by the fabric. */
static void read_flow(const bench *b, const gs_cxl_hw *hw, size_t tier, int socket, int ccd,
                      double bytes, int bounded, gs__cxl_flow_spec *f)
{
    int ts = hw->tiers[tier].socket;

    memset(f, 0, sizeof(*f));
    f->bytes = bytes;
    f->cap = HUGE_VAL;
    f->lat_res = -1;
    f->done_type = GS_EV_CXL_BENCH_DONE;
    f->res[f->nres] = gs__cxl_sys_res_tier(b->sys, (int)tier);
    f->coef[f->nres++] = 1;
    if (ccd >= 0) {
        f->res[f->nres] = gs__cxl_sys_res_ccd(b->sys, socket, ccd);
        f->coef[f->nres++] = 1;
    }
    if (ts != socket) {
        f->res[f->nres] = gs__cxl_sys_res_xgmi(b->sys, ts, socket);
        f->coef[f->nres++] = 1;
    }
    if (bounded) {
        f->cap = hw->core_copy_bw;
        f->window = hw->lines * hw->line_bytes;
        f->lat0 = gs_cxl_hw_latency(hw, tier, socket);
        f->lat_res = gs__cxl_sys_res_tier(b->sys, (int)tier);
    }
}

static int read_bw(const gs_cxl_hw *hw, size_t tier, int socket, int threads, int bounded,
                   double *bw, gs_err *err)
{
    bench b;
    int i, rc;

    if ((rc = bench_init(&b, hw, socket, err)) != GS_OK)
        return rc;
    b.threads_left = threads;
    for (i = 0; i < threads && rc == GS_OK; i++) {
        gs__cxl_flow_spec f;
        read_flow(&b, hw, tier, socket, i / hw->cores_per_ccd, BENCH_BYTES, bounded, &f);
        rc = gs__cxl_net_start(b.net, &f, NULL, err);
    }
    if (rc == GS_OK)
        rc = gs_engine_run(b.eng, INFINITY, err);
    if (rc == GS_OK && (b.threads_left != 0 || !(b.bench_end > 0)))
        rc = gs_errorf(err, GS_EINVAL, "bandwidth benchmark on tier '%s' did not finish",
                       hw->tiers[tier].name);
    if (rc == GS_OK)
        *bw = threads * BENCH_BYTES / b.bench_end;
    bench_free(&b);
    return rc;
}

static int idle_latency(const gs_cxl_hw *hw, size_t tier, int socket, double *lat, gs_err *err)
{
    bench b;
    int rc;

    if ((rc = bench_init(&b, hw, socket, err)) != GS_OK)
        return rc;
    rc = start_probes(&b, hw, tier, socket, err);
    if (rc == GS_OK)
        rc = gs_engine_run(b.eng, INFINITY, err);
    if (rc == GS_OK)
        *lat = (b.probe_end - b.probe_start) / PROBES;
    bench_free(&b);
    return rc;
}

int gs_cxl_membench(const gs_cxl_hw *hw, int threads, gs_cxl_membench_row **rows, size_t *nrows,
                    gs_err *err)
{
    gs_cxl_membench_row *out;
    size_t n = 0, i;
    int s, rc = GS_OK, all = hw->ccds * hw->cores_per_ccd;

    *rows = NULL;
    *nrows = 0;
    if (threads < 1 || threads > all)
        return gs_errorf(err, GS_EINVAL, "threads must be in [1, %d] (cores of a socket), got %d",
                         all, threads);
    out = calloc((size_t)hw->sockets * hw->ntiers + 1, sizeof(*out));
    if (!out)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (s = 0; s < hw->sockets && rc == GS_OK; s++) {
        for (i = 0; i < hw->ntiers && rc == GS_OK; i++) {
            gs_cxl_membench_row *r = &out[n];
            if (hw->tiers[i].units == 0)
                continue;
            r->socket = s;
            r->tier = (int)i;
            r->rel = gs_cxl_hw_rel(hw, i, s);
            rc = idle_latency(hw, i, s, &r->latency_s, err);
            if (rc == GS_OK)
                rc = read_bw(hw, i, s, threads, 0, &r->bw, err);
            if (rc == GS_OK)
                rc = read_bw(hw, i, s, all, 0, &r->bw_all_cores, err);
            if (rc == GS_OK)
                rc = read_bw(hw, i, s, 1, 1, &r->bw_single_core, err);
            n++;
        }
    }
    if (rc != GS_OK) {
        free(out);
        return rc;
    }
    *rows = out;
    *nrows = n;
    return GS_OK;
}

int gs_cxl_loaded_latency(const gs_cxl_hw *hw, const double *injects, size_t ninject,
                          gs_cxl_loaded_row **rows, size_t *nrows, gs_err *err)
{
    gs_cxl_loaded_row *out;
    size_t n = 0, i, k;
    int s, rc = GS_OK;

    *rows = NULL;
    *nrows = 0;
    for (k = 0; k < ninject; k++)
        if (!(injects[k] >= 0 && injects[k] <= 1))
            return gs_errorf(err, GS_EINVAL, "injection rate %g is not a fraction in [0, 1]",
                             injects[k]);
    out = calloc((size_t)hw->sockets * hw->ntiers * ninject + 1, sizeof(*out));
    if (!out)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (s = 0; s < hw->sockets && rc == GS_OK; s++) {
        for (i = 0; i < hw->ntiers && rc == GS_OK; i++) {
            if (hw->tiers[i].units == 0)
                continue;
            for (k = 0; k < ninject && rc == GS_OK; k++) {
                gs_cxl_loaded_row *r = &out[n++];
                gs__cxl_flow_spec f;
                bench b;
                int id = -1;
                r->socket = s;
                r->tier = (int)i;
                r->rel = gs_cxl_hw_rel(hw, i, s);
                r->inject = injects[k];
                if ((rc = bench_init(&b, hw, s, err)) != GS_OK)
                    break;
                if (injects[k] > 0) {
                    /* background readers on other cores: no CCD limit, a fixed injection rate */
                    read_flow(&b, hw, i, s, -1, 1e18, 0, &f);
                    if (injects[k] < 1)
                        f.cap = injects[k] * gs__cxl_tier_bw(&hw->tiers[i]);
                    rc = gs__cxl_net_start(b.net, &f, &id, err);
                }
                if (rc == GS_OK)
                    rc = start_probes(&b, hw, i, s, err);
                if (rc == GS_OK)
                    rc = gs_engine_run(b.eng, INFINITY, err);
                if (rc == GS_OK) {
                    r->latency_s = (b.probe_end - b.probe_start) / PROBES;
                    r->bw = gs__cxl_net_rate(b.net, id);
                }
                bench_free(&b);
            }
        }
    }
    if (rc != GS_OK) {
        free(out);
        return rc;
    }
    *rows = out;
    *nrows = n;
    return GS_OK;
}

/* ---- cudaMemcpy versus size ---- */

void gs_cxl_memcpy_opts_init(gs_cxl_memcpy_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->min_bytes = 4096;
    o->max_bytes = 1073741824.0;
    o->reps = 5;
    o->dirs = 1 << GS_CXL_H2D | 1 << GS_CXL_D2H;
    o->modes = 3;
    o->cpu_socket = -1;
}

typedef struct series {
    gs_engine *eng;
    gs__cxl_sys *sys;
    int dir, pinned, tier;
    const double *sizes;
    size_t nsizes, size_i;
    int reps, rep; /* rep 0 is the warm-up */
    double sum;
    double *mean; /* per size */
} series;

static int issue(series *se, gs_err *err)
{
    /* one buffer per size, as a benchmark allocates it; buffers never overlap */
    uint64_t addr = (uint64_t)se->size_i << 40;

    return gs__cxl_copy(se->sys, se->dir, se->tier, se->sizes[se->size_i], se->pinned, addr, 0,
                        NULL, err);
}

static int on_copy_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    series *se = ctx;
    gs__cxl_copy_info ci;

    (void)eng;
    if (gs__cxl_copy_take(se->sys, (int)GS_EV_TO_U(ev->data), &ci) != GS_OK)
        return gs_errorf(err, GS_EINVAL, "unknown copy finished");
    if (se->rep > 0)
        se->sum += ci.finished - ci.issued;
    if (++se->rep > se->reps) {
        se->mean[se->size_i] = se->sum / se->reps;
        se->sum = 0;
        se->rep = 0;
        if (++se->size_i == se->nsizes)
            return GS_OK;
    }
    return issue(se, err);
}

static int run_series(const gs_cxl_hw *hw, int socket, series *se, gs_err *err)
{
    int rc;

    se->size_i = 0;
    se->rep = 0;
    se->sum = 0;
    if (!(se->eng = gs__cxl_engine_new(err)))
        return err ? err->code : GS_ENOMEM;
    if (!(se->sys = gs__cxl_sys_new(hw, se->eng, socket, err))) {
        gs_engine_free(se->eng);
        return err ? err->code : GS_ENOMEM;
    }
    rc = gs_engine_on(se->eng, GS_EV_CXL_XFER_DONE, on_copy_done, se, err);
    if (rc == GS_OK)
        rc = issue(se, err);
    if (rc == GS_OK)
        rc = gs_engine_run(se->eng, INFINITY, err);
    if (rc == GS_OK && se->size_i != se->nsizes)
        rc = gs_errorf(err, GS_EINVAL, "memcpy benchmark stalled at %g bytes",
                       se->sizes[se->size_i]);
    gs__cxl_sys_free(se->sys);
    gs_engine_free(se->eng);
    return rc;
}

int gs_cxl_memcpy_sweep(const gs_cxl_hw *hw, const gs_cxl_memcpy_opts *o, gs_cxl_memcpy_row **rows,
                        size_t *nrows, gs_err *err)
{
    double sizes[64], mean[64];
    int tiers[GS_CXL_MAX_TIERS];
    size_t nsizes = 0, ntiers = 0, n = 0, i, k;
    int socket = o->cpu_socket < 0 ? hw->gpu_socket : o->cpu_socket, dir, mode, rc = GS_OK;
    gs_cxl_memcpy_row *out;
    double sz;

    *rows = NULL;
    *nrows = 0;
    if (!(o->min_bytes >= 1) || !(o->max_bytes >= o->min_bytes) || o->max_bytes > 1e13)
        return gs_errorf(err, GS_EINVAL, "sizes must satisfy 1 <= min <= max <= 1e13");
    if (o->reps < 1 || o->reps > 1000)
        return gs_errorf(err, GS_EINVAL, "reps must be in [1, 1000], got %d", o->reps);
    if (socket >= hw->sockets)
        return gs_errorf(err, GS_EINVAL, "cpu socket %d is not in [0, %d)", socket, hw->sockets);
    for (sz = o->min_bytes; sz <= o->max_bytes * (1 + 1e-12) && nsizes < 64; sz *= 2)
        sizes[nsizes++] = sz;
    if (o->ntiers == 0) {
        for (i = 0; i < hw->ntiers; i++)
            if (hw->tiers[i].units > 0)
                tiers[ntiers++] = (int)i;
    } else {
        for (i = 0; i < o->ntiers; i++) {
            if (o->tiers[i] < 0 || (size_t)o->tiers[i] >= hw->ntiers)
                return gs_errorf(err, GS_EINVAL, "tier index %d out of range", o->tiers[i]);
            if (hw->tiers[o->tiers[i]].units == 0)
                return gs_errorf(err, GS_EINVAL, "tier '%s' has no memory fitted",
                                 hw->tiers[o->tiers[i]].name);
            tiers[ntiers++] = o->tiers[i];
        }
    }
    out = calloc(2 * 2 * ntiers * nsizes + 1, sizeof(*out));
    if (!out)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (dir = 0; dir < 2 && rc == GS_OK; dir++) {
        if (!(o->dirs & (1 << dir)))
            continue;
        for (mode = 0; mode < 2 && rc == GS_OK; mode++) {
            if (!(o->modes & (1 << mode)))
                continue;
            for (k = 0; k < ntiers && rc == GS_OK; k++) {
                series se;
                memset(&se, 0, sizeof(se));
                se.dir = dir;
                se.pinned = mode;
                se.tier = tiers[k];
                se.sizes = sizes;
                se.nsizes = nsizes;
                se.reps = o->reps;
                se.mean = mean;
                rc = run_series(hw, socket, &se, err);
                for (i = 0; i < nsizes && rc == GS_OK; i++) {
                    gs_cxl_memcpy_row *r = &out[n++];
                    r->dir = dir;
                    r->pinned = mode;
                    r->tier = tiers[k];
                    r->rel = gs_cxl_hw_rel(hw, (size_t)tiers[k], hw->gpu_socket);
                    r->bytes = sizes[i];
                    r->seconds = mean[i];
                    r->bw = sizes[i] / mean[i];
                }
            }
        }
    }
    if (rc != GS_OK) {
        free(out);
        return rc;
    }
    *rows = out;
    *nrows = n;
    return GS_OK;
}
