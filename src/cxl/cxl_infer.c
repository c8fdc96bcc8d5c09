/* SPDX-License-Identifier: Apache-2.0 */
/* Offloaded LLM inference on the simulated host: placement of weights and KV cache across GPU
 * memory and host tiers, and FlexGen's overlapped layer-by-layer schedule as transfer and
 * compute events sharing the PCIe link and the tiers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl_int.h"
#include "util_int.h"

#define GIB 1073741824.0

/* CUDA-stream-like queues: operations of one stream run one at a time, in order. */
enum { ST_WEIGHTS, ST_KV_LOAD, ST_COMPUTE, ST_KV_STORE, NSTREAMS };

#define MAXDEPS 3

typedef struct iop {
    int kind, step, layer, batch, tier, stream;
    double bytes; /* transfers */
    double dur;   /* compute */
    int deps[MAXDEPS];
    int ndeps;
    int done;
    double start, end;
    uint64_t addr;
} iop;

typedef struct infer {
    const gs_cxl_hw *hw;
    const gs_cxl_infer_opts *o;
    gs_engine *eng;
    gs__cxl_sys *sys;
    iop *ops;
    size_t nops, capops;
    int *stream[NSTREAMS];
    size_t slen[NSTREAMS], shead[NSTREAMS];
    int sbusy[NSTREAMS];
    size_t ndone;
    int ttft_op; /* last compute of the prefill step */
} infer;

const char *gs_cxl_op_name(int kind)
{
    switch (kind) {
    case GS_CXL_OP_WEIGHTS:
        return "weights";
    case GS_CXL_OP_KV_LOAD:
        return "kv-load";
    case GS_CXL_OP_COMPUTE:
        return "compute";
    case GS_CXL_OP_KV_STORE:
        return "kv-store";
    default:
        return "?";
    }
}

void gs_cxl_infer_opts_init(gs_cxl_infer_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->batch = 1;
    o->gpu_batches = 1;
    o->prompt = 512;
    o->output = 32;
    o->pinned = 1;
    o->overlap = 1;
    o->prefetch = 1;
    o->auto_weights = 1;
    o->auto_kv = 1;
}

void gs_cxl_infer_result_release(gs_cxl_infer_result *res)
{
    if (!res)
        return;
    free(res->timeline);
    res->timeline = NULL;
    res->ntimeline = 0;
}

/* ---- placement ---- */

int gs_cxl_place_parse(const gs_cxl_hw *hw, const char *spec, gs_cxl_place *out, gs_err *err)
{
    const char *p = spec;
    double sum = 0;
    int seen_gpu = 0, seen[GS_CXL_MAX_TIERS] = {0};

    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        return gs_errorf(err, GS_EINVAL, "empty placement");
    while (*p) {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        char name[64];
        double v;
        size_t nl;
        int t;
        if (!end)
            end = p + strlen(p);
        if (!eq || eq > end)
            return gs_errorf(err, GS_EINVAL, "placement part '%.*s' is not TIER=FRACTION",
                             (int)(end - p), p);
        nl = (size_t)(eq - p);
        if (nl == 0 || nl >= sizeof(name))
            return gs_errorf(err, GS_EINVAL, "placement part '%.*s' has no tier name",
                             (int)(end - p), p);
        memcpy(name, p, nl);
        name[nl] = '\0';
        if (gs__parse_double(eq + 1, (size_t)(end - eq - 1), &v) != 0 || v < 0 || v > 1)
            return gs_errorf(err, GS_EINVAL,
                             "placement of '%s': '%.*s' is not a fraction in [0, 1]", name,
                             (int)(end - eq - 1), eq + 1);
        if (!strcmp(name, "gpu")) {
            if (seen_gpu++)
                return gs_errorf(err, GS_EINVAL, "placement names 'gpu' twice");
            out->gpu = v;
        } else {
            t = gs_cxl_hw_find_tier(hw, name);
            if (t < 0) {
                char list[256] = "";
                size_t i;
                for (i = 0; i < hw->ntiers; i++) {
                    strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
                    strncat(list, hw->tiers[i].name, sizeof(list) - strlen(list) - 1);
                }
                return gs_errorf(err, GS_EINVAL,
                                 "unknown tier '%s' in placement (config '%s' has: gpu, %s; or "
                                 "local, remote, cxl, cxl-remote)",
                                 name, hw->path, list);
            }
            if (seen[t]++)
                return gs_errorf(err, GS_EINVAL, "placement names tier '%s' twice",
                                 hw->tiers[t].name);
            out->tier[t] = v;
        }
        sum += v;
        p = *end ? end + 1 : end;
    }
    if (fabs(sum - 1) > 1e-6)
        return gs_errorf(err, GS_EINVAL, "placement fractions sum to %g, not 1", sum);
    return GS_OK;
}

typedef struct shape {
    double W;     /* all weight bytes */
    double wmax;  /* largest streamed unit (a layer or the head) */
    double KVt;   /* whole KV cache */
    double kvb;   /* KV bytes per token per layer */
    double act;   /* activations of one GPU batch */
    double slots; /* weight buffers when streaming */
} shape;

static void get_shape(const gs_cxl_infer_opts *o, shape *sh)
{
    const gs_cxl_model *m = o->model;
    double B = o->batch, s = o->prompt, ctx = (double)o->prompt + o->output;

    sh->W = gs_cxl_model_weight_bytes(m);
    sh->wmax = fmax(gs_cxl_model_layer_bytes(m), gs_cxl_model_head_bytes(m));
    sh->kvb = gs_cxl_model_kv_bytes(m);
    sh->KVt = B * o->gpu_batches * ctx * m->layers * sh->kvb;
    /* Prefill working set of one GPU batch: hidden states and the widest intermediate
     * (4 x hidden + FFN, fp16), plus fp16 attention scores (no fused attention), as FlexGen's
     * cost model counts them (FMInference/FlexLLMGen experimental/cost_model.py; Sheng et al.,
     * ICML '23). */
    sh->act = 2 * B * s * (4.0 * m->hidden + m->ffn) + 2 * B * m->heads * s * s;
    sh->slots = o->overlap ? o->prefetch + 1 : 1;
}

/* The KV working buffer on the GPU when the cache is (partly) on the host: one layer of one GPU
 * batch, double-buffered. */
static double kv_work(const gs_cxl_infer_opts *o, const shape *sh, double kvg)
{
    return kvg < 1 ? 2 * o->batch * ((double)o->prompt + o->output) * sh->kvb * (1 - kvg) : 0;
}

static double gpu_need(const gs_cxl_infer_opts *o, const shape *sh, double wg, double kvg)
{
    return sh->act + wg * sh->W + (wg < 1 ? sh->slots * sh->wmax * (1 - wg) : 0) + kvg * sh->KVt +
           kv_work(o, sh, kvg);
}

/* Host tiers in the order the automatic placement fills them: the config's placement.order
 * when given, else by idle latency from the GPU's socket (pageable copies are latency-bound,
 * pinned ones do not care). Tiers without memory are skipped. */
static size_t tier_order(const gs_cxl_hw *hw, int *order)
{
    size_t n = 0, i, j;

    if (hw->norder > 0) {
        for (i = 0; i < hw->norder; i++)
            if (hw->tiers[hw->order[i]].units > 0)
                order[n++] = hw->order[i];
        return n;
    }
    for (i = 0; i < hw->ntiers; i++)
        if (hw->tiers[i].units > 0)
            order[n++] = (int)i;
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && gs_cxl_hw_latency(hw, (size_t)order[j], hw->gpu_socket) <
                                 gs_cxl_hw_latency(hw, (size_t)order[j - 1], hw->gpu_socket);
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    return n;
}

static void capacity_list(const gs_cxl_hw *hw, char *buf, size_t size)
{
    size_t i, len;

    buf[0] = '\0';
    for (i = 0; i < hw->ntiers; i++) {
        len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s %.0f", i ? ", " : "", hw->tiers[i].name,
                 gs__cxl_tier_capacity(&hw->tiers[i]) / GIB);
    }
}

/* Fills host tiers in latency order with bytes of one kind; fractions go to place->tier[]. */
static double fill_host(const int *order, size_t n, double *room, double bytes, double total,
                        gs_cxl_place *pl)
{
    size_t i;

    for (i = 0; i < n && bytes > 0; i++) {
        int t = order[i];
        double take = fmin(bytes, room[t]);
        if (take <= 0)
            continue;
        room[t] -= take;
        bytes -= take;
        pl->tier[t] += take / total;
    }
    return bytes;
}

static int place(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, gs_cxl_infer_result *res,
                 gs_err *err)
{
    const gs_cxl_model *m = o->model;
    double usable = gs_cxl_hw_gpu_usable(hw), room[GS_CXL_MAX_TIERS], wg, kvg, left;
    int order[GS_CXL_MAX_TIERS];
    size_t n = tier_order(hw, order), i;
    char caps[512];
    shape sh;

    get_shape(o, &sh);
    capacity_list(hw, caps, sizeof(caps));
    res->weight_bytes = sh.W;
    res->kv_bytes = sh.KVt;
    for (i = 0; i < hw->ntiers; i++)
        room[i] = gs__cxl_tier_capacity(&hw->tiers[i]);
    /* weights first (they are read every step), then the KV cache */
    if (o->auto_kv) {
        double wmin = o->auto_weights ? 0 : o->weights.gpu;
        kvg = gpu_need(o, &sh, wmin, 1) <= usable ? 1 : 0;
        memset(&res->kv, 0, sizeof(res->kv));
        res->kv.gpu = kvg;
    } else {
        res->kv = o->kv;
        kvg = o->kv.gpu;
    }
    if (o->auto_weights) {
        double F = usable - sh.act - kvg * sh.KVt - kv_work(o, &sh, kvg);
        memset(&res->weights, 0, sizeof(res->weights));
        if (sh.W <= F)
            wg = 1;
        else if (F > sh.slots * sh.wmax)
            wg = (F - sh.slots * sh.wmax) / (sh.W - sh.slots * sh.wmax);
        else
            return gs_errorf(err, GS_EINFEASIBLE,
                             "model '%s' (batch %d, prompt %d): the GPU's %.1f GiB usable memory "
                             "(config '%s': gpu.memory_gib x gpu.usable_fraction) cannot hold its "
                             "working set (%.1f GiB of layer buffers and activations)",
                             m->name, o->batch, o->prompt, usable / GIB, hw->path,
                             (sh.slots * sh.wmax + sh.act + kv_work(o, &sh, kvg)) / GIB);
        res->weights.gpu = wg;
    } else {
        res->weights = o->weights;
        wg = o->weights.gpu;
    }
    res->gpu_used = gpu_need(o, &sh, wg, kvg);
    if (res->gpu_used > usable * (1 + 1e-9))
        return gs_errorf(err, GS_EINFEASIBLE,
                         "placement puts %.1f GiB on the GPU (weights %.0f%%, KV %.0f%%, buffers "
                         "and activations) but config '%s' allows %.1f GiB (gpu.memory_gib x "
                         "gpu.usable_fraction)",
                         res->gpu_used / GIB, 100 * wg, 100 * kvg, hw->path, usable / GIB);
    /* explicit host fractions: check them against the capacities */
    for (i = 0; i < hw->ntiers; i++) {
        double need = (o->auto_weights ? 0 : o->weights.tier[i] * sh.W) +
                      (o->auto_kv ? 0 : o->kv.tier[i] * sh.KVt);
        if (need <= 0)
            continue;
        if (hw->tiers[i].units == 0)
            return gs_errorf(err, GS_EINFEASIBLE,
                             "placement uses tier '%s', which has no memory fitted (config '%s')",
                             hw->tiers[i].name, hw->path);
        if (need > room[i] * (1 + 1e-9))
            return gs_errorf(err, GS_EINFEASIBLE,
                             "placement puts %.1f GiB in tier '%s', which holds %.1f GiB (config "
                             "'%s': tiers[%zu])",
                             need / GIB, hw->tiers[i].name, room[i] / GIB, hw->path, i);
        room[i] -= need;
    }
    left = 0;
    if (o->auto_weights)
        left += fill_host(order, n, room, (1 - wg) * sh.W, sh.W, &res->weights);
    if (o->auto_kv)
        left += fill_host(order, n, room, (1 - kvg) * sh.KVt, sh.KVt, &res->kv);
    if (left > 0)
        return gs_errorf(err, GS_EINFEASIBLE,
                         "model '%s' does not fit: %.1f GiB weights + %.1f GiB KV cache exceed "
                         "the GPU (%.1f GiB usable) and host tiers (%s GiB) by %.1f GiB; "
                         "config '%s'",
                         m->name, sh.W / GIB, sh.KVt / GIB, usable / GIB, caps, left / GIB,
                         hw->path);
    return GS_OK;
}

/* ---- the operation graph ---- */

static int add_op(infer *in, const iop *op, gs_err *err)
{
    if (GS_GROW(in->ops, in->capops, in->nops + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    in->ops[in->nops++] = *op;
    return GS_OK;
}

static void dep(iop *op, int d)
{
    if (d >= 0 && op->ndeps < MAXDEPS)
        op->deps[op->ndeps++] = d;
}

/* Roofline time of one layer (or the head) for one GPU batch: FLOPs at the achievable fraction
 * of FP16 peak, or bytes at the achievable fraction of memory bandwidth, whichever is longer,
 * plus kernel launch overhead (docs/cxl.md, the model). */
static double compute_time(const gs_cxl_hw *hw, const gs_cxl_model *m, int head, double B,
                           double tokens, double ctx, double kvb)
{
    double flops, bytes, hq = m->hidden;

    if (head) {
        flops = 2.0 * m->vocab * m->hidden * B; /* logits of the last position only */
        bytes = gs_cxl_model_head_bytes(m);
    } else {
        flops = 2.0 * (gs_cxl_model_layer_bytes(m) / 2) * B * tokens;
        /* attention: QK^T and AV; causal during prefill (half the square) */
        flops += tokens > 1 ? 2.0 * B * tokens * tokens * hq : 4.0 * B * ctx * hq;
        bytes = gs_cxl_model_layer_bytes(m) + B * ctx * kvb;
    }
    return fmax(flops / (hw->gpu_flops * hw->gpu_flops_eff),
                bytes / (hw->gpu_hbm_bw * hw->gpu_hbm_eff)) +
           hw->kernel_s;
}

/* Address of a host buffer for the L3 model: region r, never overlapping another. */
static uint64_t region(int kind, int layer, int batch, int tier)
{
    return ((uint64_t)kind << 58) | ((uint64_t)(layer & 0xffff) << 42) |
           ((uint64_t)(batch & 0xff) << 34) | ((uint64_t)(tier & 0xf) << 30);
}

static int build(infer *in, const gs_cxl_infer_result *res, gs_err *err)
{
    const gs_cxl_infer_opts *o = in->o;
    const gs_cxl_hw *hw = in->hw;
    const gs_cxl_model *m = o->model;
    int NL = m->layers, nb = o->gpu_batches, units = NL + 1, step, l, k;
    size_t t, ncomp = 0, i;
    int slots = o->overlap ? o->prefetch + 1 : 1, rc;
    double kvb = gs_cxl_model_kv_bytes(m), kv_host = 1 - res->kv.gpu;
    int *last_comp = NULL, *store_last = NULL, *comp = NULL;

    last_comp = malloc((size_t)o->output * (size_t)units * sizeof(*last_comp));
    store_last = malloc((size_t)NL * (size_t)nb * sizeof(*store_last));
    comp = malloc((size_t)o->output * (size_t)units * (size_t)nb * sizeof(*comp));
    if (!last_comp || !store_last || !comp) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < (size_t)NL * (size_t)nb; i++)
        store_last[i] = -1;
    for (step = 0; step < o->output; step++) {
        double tokens = step == 0 ? o->prompt : 1;
        double ctx = step == 0 ? o->prompt : (double)o->prompt + step;
        for (l = 0; l < units; l++) {
            int u = step * units + l, head = l == NL, lastW = -1;
            double wb = head ? gs_cxl_model_head_bytes(m) : gs_cxl_model_layer_bytes(m);
            int wdep = u - slots >= 0 ? last_comp[u - slots] : -1;
            for (t = 0; t < hw->ntiers; t++) {
                iop op = {0};
                if (!(res->weights.tier[t] > 0))
                    continue;
                op.kind = GS_CXL_OP_WEIGHTS;
                op.step = step;
                op.layer = l;
                op.tier = (int)t;
                op.stream = ST_WEIGHTS;
                op.bytes = wb * res->weights.tier[t];
                op.addr = region(1, l, 0, (int)t);
                dep(&op, wdep); /* a free layer buffer */
                if ((rc = add_op(in, &op, err)) != GS_OK)
                    goto out;
                lastW = (int)in->nops - 1;
            }
            for (k = 0; k < nb; k++) {
                iop op = {0};
                int lastC = -1;
                if (!head && step >= 1 && kv_host > 0) {
                    double kvbytes = (double)o->batch * (ctx - 1) * kvb;
                    int slotdep = ncomp >= 2 ? comp[ncomp - 2] : -1;
                    for (t = 0; t < hw->ntiers; t++) {
                        iop c = {0};
                        if (!(res->kv.tier[t] > 0))
                            continue;
                        c.kind = GS_CXL_OP_KV_LOAD;
                        c.step = step;
                        c.layer = l;
                        c.batch = k;
                        c.tier = (int)t;
                        c.stream = ST_KV_LOAD;
                        c.bytes = kvbytes * res->kv.tier[t];
                        c.addr = region(2, l, k, (int)t);
                        dep(&c, slotdep);                /* a free KV buffer */
                        dep(&c, store_last[l * nb + k]); /* what the last step stored */
                        if ((rc = add_op(in, &c, err)) != GS_OK)
                            goto out;
                        lastC = (int)in->nops - 1;
                    }
                }
                op.kind = GS_CXL_OP_COMPUTE;
                op.step = step;
                op.layer = l;
                op.batch = k;
                op.tier = -1;
                op.stream = ST_COMPUTE;
                op.dur = compute_time(hw, m, head, o->batch, tokens, ctx, kvb);
                dep(&op, lastW);
                dep(&op, lastC);
                if ((rc = add_op(in, &op, err)) != GS_OK)
                    goto out;
                comp[ncomp++] = (int)in->nops - 1;
                if (step == 0)
                    in->ttft_op = (int)in->nops - 1;
                if (!head && kv_host > 0) {
                    int P = (int)in->nops - 1;
                    for (t = 0; t < hw->ntiers; t++) {
                        iop st = {0};
                        if (!(res->kv.tier[t] > 0))
                            continue;
                        st.kind = GS_CXL_OP_KV_STORE;
                        st.step = step;
                        st.layer = l;
                        st.batch = k;
                        st.tier = (int)t;
                        st.stream = ST_KV_STORE;
                        st.bytes = (double)o->batch * tokens * kvb * res->kv.tier[t];
                        st.addr = region(2, l, k, (int)t);
                        dep(&st, P);
                        if ((rc = add_op(in, &st, err)) != GS_OK)
                            goto out;
                        store_last[l * nb + k] = (int)in->nops - 1;
                    }
                }
            }
            last_comp[u] = comp[ncomp - 1];
        }
    }
    if (!o->overlap) /* no overlap: one queue, in program order */
        for (i = 0; i < in->nops; i++)
            in->ops[i].stream = ST_WEIGHTS;
    for (k = 0; k < NSTREAMS; k++) {
        in->stream[k] = malloc((in->nops + 1) * sizeof(int));
        if (!in->stream[k]) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (i = 0; i < in->nops; i++) {
        int s = in->ops[i].stream;
        in->stream[s][in->slen[s]++] = (int)i;
    }
    rc = GS_OK;
out:
    free(last_comp);
    free(store_last);
    free(comp);
    return rc;
}

/* ---- running it ---- */

static int by_start(const void *a, const void *b)
{
    const double *x = a, *y = b;

    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* Length of the union of the transfers' [start, end) intervals. */
static int transfer_union(const infer *in, double *out, gs_err *err)
{
    double *iv = malloc((2 * in->nops + 2) * sizeof(*iv)), end = -1, sum = 0;
    size_t i, n = 0;

    if (!iv)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < in->nops; i++)
        if (in->ops[i].kind != GS_CXL_OP_COMPUTE) {
            iv[2 * n] = in->ops[i].start;
            iv[2 * n + 1] = in->ops[i].end;
            n++;
        }
    qsort(iv, n, 2 * sizeof(*iv), by_start);
    for (i = 0; i < n; i++) {
        double a = iv[2 * i], b = iv[2 * i + 1];
        if (a > end) {
            sum += b - a;
            end = b;
        } else if (b > end) {
            sum += b - end;
            end = b;
        }
    }
    free(iv);
    *out = sum;
    return GS_OK;
}

static int ready(const infer *in, const iop *op)
{
    int d;

    for (d = 0; d < op->ndeps; d++)
        if (!in->ops[op->deps[d]].done)
            return 0;
    return 1;
}

static int pump(infer *in, gs_err *err)
{
    int s, rc;

    for (s = 0; s < NSTREAMS; s++) {
        int id;
        iop *op;
        if (in->sbusy[s] || in->shead[s] >= in->slen[s])
            continue;
        id = in->stream[s][in->shead[s]];
        op = &in->ops[id];
        if (!ready(in, op))
            continue;
        in->sbusy[s] = 1;
        op->start = gs_engine_now(in->eng);
        if (op->kind == GS_CXL_OP_COMPUTE)
            rc = gs_engine_post(in->eng, op->start, GS_EV_CXL_COMPUTE_START, GS_EV_FROM_U(id), NULL,
                                NULL, err);
        else
            rc = gs__cxl_copy(in->sys, op->kind == GS_CXL_OP_KV_STORE ? GS_CXL_D2H : GS_CXL_H2D,
                              op->tier, op->bytes, in->o->pinned, op->addr, (uintptr_t)id, NULL,
                              err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int finish_op(infer *in, int id, gs_err *err)
{
    iop *op = &in->ops[id];

    op->done = 1;
    op->end = gs_engine_now(in->eng);
    in->sbusy[op->stream] = 0;
    in->shead[op->stream]++;
    in->ndone++;
    return pump(in, err);
}

static int on_compute_start(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    infer *in = ctx;
    int id = (int)GS_EV_TO_U(ev->data);

    return gs_engine_post(eng, gs_engine_now(eng) + in->ops[id].dur, GS_EV_CXL_COMPUTE_DONE,
                          ev->data, NULL, NULL, err);
}

static int on_compute_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    (void)eng;
    return finish_op(ctx, (int)GS_EV_TO_U(ev->data), err);
}

static int on_xfer_done(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    infer *in = ctx;
    gs__cxl_copy_info ci;

    (void)eng;
    if (gs__cxl_copy_take(in->sys, (int)GS_EV_TO_U(ev->data), &ci) != GS_OK)
        return gs_errorf(err, GS_EINVAL, "unknown copy finished");
    return finish_op(in, (int)ci.tag, err);
}

static int check_opts(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, gs_err *err)
{
    size_t i;
    double sw = 0, sk = 0;

    if (!o->model)
        return gs_errorf(err, GS_EINVAL, "no model given");
    if (o->batch < 1 || o->batch > 65536)
        return gs_errorf(err, GS_EINVAL, "batch must be in [1, 65536], got %d", o->batch);
    if (o->gpu_batches < 1 || o->gpu_batches > 256)
        return gs_errorf(err, GS_EINVAL, "gpu batches must be in [1, 256], got %d", o->gpu_batches);
    if (o->prompt < 1 || o->prompt > 1048576)
        return gs_errorf(err, GS_EINVAL, "prompt must be in [1, 1048576] tokens, got %d",
                         o->prompt);
    if (o->output < 1 || o->output > 65536)
        return gs_errorf(err, GS_EINVAL, "output must be in [1, 65536] tokens, got %d", o->output);
    if (o->prefetch < 1 || o->prefetch > 16)
        return gs_errorf(err, GS_EINVAL, "prefetch must be in [1, 16] layers, got %d", o->prefetch);
    for (i = 0; i < GS_CXL_MAX_TIERS; i++) {
        if (i >= hw->ntiers && (o->weights.tier[i] != 0 || o->kv.tier[i] != 0))
            return gs_errorf(err, GS_EINVAL, "placement names tier %zu, config has %zu", i,
                             hw->ntiers);
        sw += o->weights.tier[i];
        sk += o->kv.tier[i];
    }
    if (!o->auto_weights && fabs(sw + o->weights.gpu - 1) > 1e-6)
        return gs_errorf(err, GS_EINVAL, "weight placement sums to %g, not 1", sw + o->weights.gpu);
    if (!o->auto_kv && fabs(sk + o->kv.gpu - 1) > 1e-6)
        return gs_errorf(err, GS_EINVAL, "KV placement sums to %g, not 1", sk + o->kv.gpu);
    return GS_OK;
}

int gs_cxl_infer(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, gs_cxl_infer_result *res,
                 gs_err *err)
{
    infer in;
    int rc, s;
    size_t i;
    double bytes;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    if ((rc = check_opts(hw, o, err)) != GS_OK || (rc = place(hw, o, res, err)) != GS_OK)
        return rc;
    in.hw = hw;
    in.o = o;
    in.ttft_op = -1;
    if (!(in.eng = gs__cxl_engine_new(err))) {
        rc = err ? err->code : GS_ENOMEM;
        goto out;
    }
    if (!(in.sys = gs__cxl_sys_new(hw, in.eng, hw->gpu_socket, err))) {
        rc = err ? err->code : GS_ENOMEM;
        goto out;
    }
    if ((rc = gs_engine_on(in.eng, GS_EV_CXL_COMPUTE_START, on_compute_start, &in, err)) ||
        (rc = gs_engine_on(in.eng, GS_EV_CXL_COMPUTE_DONE, on_compute_done, &in, err)) ||
        (rc = gs_engine_on(in.eng, GS_EV_CXL_XFER_DONE, on_xfer_done, &in, err)) ||
        (rc = build(&in, res, err)) || (rc = pump(&in, err)) ||
        (rc = gs_engine_run(in.eng, INFINITY, err)))
        goto out;
    if (in.ndone != in.nops) {
        rc = gs_errorf(err, GS_EINVAL, "inference stalled after %zu of %zu operations", in.ndone,
                       in.nops);
        goto out;
    }
    res->total = gs_engine_now(in.eng);
    res->ttft = in.ops[in.ttft_op].end;
    res->tpot = o->output > 1 ? (res->total - res->ttft) / (o->output - 1) : 0;
    res->tokens_per_s = (double)o->batch * o->gpu_batches * o->output / res->total;
    res->decode_tokens_per_s = o->output > 1 ? (double)o->batch * o->gpu_batches * (o->output - 1) /
                                                   (res->total - res->ttft)
                                             : 0;
    for (i = 0; i < in.nops; i++) {
        const iop *op = &in.ops[i];
        if (op->kind == GS_CXL_OP_COMPUTE)
            res->compute += op->end - op->start;
        else if (op->kind == GS_CXL_OP_KV_STORE)
            res->tier_write[op->tier] += op->bytes;
        else
            res->tier_read[op->tier] += op->bytes;
        if (op->kind == GS_CXL_OP_WEIGHTS || op->kind == GS_CXL_OP_KV_LOAD)
            res->h2d_bytes += op->bytes;
        else if (op->kind == GS_CXL_OP_KV_STORE)
            res->d2h_bytes += op->bytes;
    }
    res->stall = res->total - res->compute;
    if ((rc = transfer_union(&in, &res->transfer, err)) != GS_OK)
        goto out;
    gs__cxl_net_res_stats(gs__cxl_sys_net(in.sys), gs__cxl_sys_res_pcie(in.sys, GS_CXL_H2D), &bytes,
                          &res->h2d_busy);
    gs__cxl_net_res_stats(gs__cxl_sys_net(in.sys), gs__cxl_sys_res_pcie(in.sys, GS_CXL_D2H), &bytes,
                          &res->d2h_busy);
    res->events = gs_engine_fired(in.eng);
    res->ops = in.nops;
    if (o->timeline) {
        res->timeline = malloc((in.nops + 1) * sizeof(*res->timeline));
        if (!res->timeline) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < in.nops; i++) {
            gs_cxl_op_rec *r = &res->timeline[i];
            const iop *op = &in.ops[i];
            r->step = op->step;
            r->layer = op->layer;
            r->batch = op->batch;
            r->kind = op->kind;
            r->tier = op->tier;
            r->bytes = op->bytes;
            r->start = op->start;
            r->end = op->end;
        }
        res->ntimeline = in.nops;
    }
    rc = GS_OK;
out:
    gs__cxl_sys_free(in.sys);
    gs_engine_free(in.eng);
    free(in.ops);
    for (s = 0; s < NSTREAMS; s++)
        free(in.stream[s]);
    if (rc != GS_OK)
        gs_cxl_infer_result_release(res);
    return rc;
}
