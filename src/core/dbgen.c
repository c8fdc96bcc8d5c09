/* SPDX-License-Identifier: Apache-2.0 */
/* The analytic LLM fine-tuning model behind configs/scaledb/default.json (`gpusim db generate`),
 * version 2: strong scaling at a fixed global batch. Sources of every constant:
 * configs/scaledb/README.md (numbers in [brackets] below refer to its reference list). */
#include "gpusim/dbgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbgen_fit.h"
#include "dbmodel_int.h"
#include "gpusim/io.h"
#include "json_int.h"
#include "scaledb_int.h"
#include "util_int.h"

/* ---- hardware ---- */

typedef struct gpu_spec {
    const char *name;
    const char *description;
    double memory_gb;   /* HBM/GDDR capacity [1-4] */
    int gpus_per_node;  /* the default cluster's node shapes (configs/clusters/default.json) */
    double peak_tflops; /* dense FP16/BF16 tensor-core peak [1-4] */
    double mfu;         /* achievable fraction of that peak in LLM training [5-8] */
    double hbm_gbs;     /* memory bandwidth, GB/s [1-4] (the optimizer step) */
    double intra_gbs;   /* GB/s per GPU and direction inside a node: NVLink or PCIe [1-4] */
    double inter_gbps;  /* Gb/s of network per GPU between nodes [9, 10] */
    const char *fit;    /* Sia GPU type whose fitted overhead constants it takes (README) */
} gpu_spec;

static const gpu_spec gpu_specs[] = {
    {"V100-32GB", "NVIDIA V100 SXM2 32 GB, NVLink 2.0, 8 per node", 32, 8, 125, 0.30, 900, 150, 100,
     "azure"},
    {"A100-40GB", "NVIDIA A100 SXM4 40 GB, NVLink 3, 8 per node", 40, 8, 312, 0.50, 1555, 300, 200,
     "dgx-ext"},
    {"A100-80GB", "NVIDIA A100 SXM4 80 GB, NVLink 3, 8 per node (what ACME Seren ran on)", 80, 8,
     312, 0.50, 2039, 300, 200, "dgx-ext"},
    {"H100-80GB", "NVIDIA H100 SXM5 80 GB, NVLink 4, 4 per node", 80, 4, 989, 0.40, 3350, 450, 400,
     "dgx-ext"},
    {"L40S", "NVIDIA L40S 48 GB, PCIe Gen4 x16 (no NVLink), 8 per node", 48, 8, 362, 0.35, 864, 32,
     100, "rtx"},
};
#define NGPU ((int)(sizeof(gpu_specs) / sizeof(gpu_specs[0])))

/* ---- models and the fine-tuning recipes ---- */

typedef struct model_spec {
    const char *size; /* "7b" */
    const char *source;
    double layers, hidden, ffn, heads, kv_heads, vocab; /* [11, 12] */
} model_spec;

static const model_spec model_specs[] = {
    {"7b", "Llama 2 7B", 32, 4096, 11008, 32, 32, 32000},
    {"13b", "Llama 2 13B", 40, 5120, 13824, 40, 40, 32000},
    {"34b", "Code Llama 34B", 48, 8192, 22016, 64, 8, 32000},
    {"70b", "Llama 2 70B", 80, 8192, 28672, 64, 8, 32000},
};
#define NMODEL ((int)(sizeof(model_specs) / sizeof(model_specs[0])))

#define SEQ_LEN     4096.0 /* tokens per sequence: Llama 2-Chat SFT [11, sec. 3.1] */
#define BATCH_FULL  64.0   /* sequences per optimizer step, full fine-tuning [11, sec. 3.1] */
#define BATCH_LORA  32.0   /* sequences per step, LoRA: NeMo's Llama 2 LoRA set-up [21] */
#define LORA_RANK   16.0   /* LoRA rank on every linear layer, as QLoRA recommends [14] */
#define BF16        2.0    /* bytes per weight, gradient and activation (mixed precision) */
#define OPT_BYTES   12.0   /* fp32 master weight + Adam moments per trainable parameter [13] */
#define OPT_TOUCH   28.0   /* bytes an Adam step reads and writes per trainable parameter [13] */
#define USABLE_FRAC 0.90   /* memory left after CUDA context, NCCL buffers, fragmentation (A) */
#define COLL_EFF    GS__DBM_COLL_EFF  /* collective bus / link bandwidth (nccl-tests) [15] */
#define BWD_SHARE   GS__DBM_BWD_SHARE /* backward share of a micro-batch's compute [19] */
#define MIN_SCALE   8                 /* from here up a class keeps the plans that fit first (D) */
#define MAX_GPUS    512 /* largest ACME SFT job (ACME's published gpu_num outliers, NSDI '24) */

enum method { LORA, FULL };
enum strategy { ST_ZERO2, ST_ZERO3, ST_HSDP, ST_MP, ST_COUNT };
static const char *const strategy_names[ST_COUNT] = {"zero-2", "zero-3", "hsdp", "tp+pp"};
static const int micro_sizes[] = {1, 2, 4, 8};
#define NMICRO 4
static const int tp_sizes[] = {1, 2, 4, 8};
#define NTP 4
static const int pp_sizes[] = {1, 2, 4, 8, 16};
#define NPP 5

/* Derived sizes of one class at one sequence length. */
typedef struct cls_sizes {
    double seq;       /* tokens per sequence */
    double params;    /* all parameters */
    double params_mm; /* parameters in matrix multiplies (input embedding excluded) */
    double layer;     /* parameters of one transformer layer */
    double lora;      /* trainable LoRA parameters */
    double trainable; /* what the optimizer updates */
    double flops_fwd; /* forward FLOPs per token */
    double act_layer; /* bytes of activations one layer keeps for backward (one sequence) */
    double logits;    /* bytes of fp32 logits and their gradient (one sequence) */
} cls_sizes;

static void sizes_of(const model_spec *m, enum method meth, double seq, cls_sizes *z)
{
    double h = m->hidden, f = m->ffn, L = m->layers, V = m->vocab, s = seq;
    double hkv = h * m->kv_heads / m->heads; /* grouped-query attention keys/values [11] */

    z->seq = seq;
    /* q, k, v, o projections, SwiGLU gate/up/down, two RMSNorms */
    z->layer = 2 * h * h + 2 * h * hkv + 3 * h * f + 2 * h;
    z->params = L * z->layer + 2 * V * h + h; /* + input embedding, LM head, final norm */
    z->params_mm = L * (2 * h * h + 2 * h * hkv + 3 * h * f) + V * h;
    /* rank-r adapters A (d_in x r) and B (r x d_out) on the seven projections */
    z->lora = meth == LORA ? LORA_RANK * L * (9 * h + 2 * hkv + 3 * f) : 0;
    z->trainable = meth == LORA ? z->lora : z->params;
    /* 2 FLOPs per multiply-add; attention scores and values 4*L*h*s per token [16] */
    z->flops_fwd = 2 * z->params_mm + 4 * L * h * s;
    /* tensors a layer saves for backward, counted as in [17] for Llama's SwiGLU and GQA, with
     * FlashAttention keeping no s x s matrix [18]: norm inputs and outputs (4 s h), q and the
     * attention output (2 s h), k and v (2 s hkv), gate, up and their product (3 s f) */
    z->act_layer = BF16 * s * (6 * h + 2 * hkv + 3 * f);
    z->logits = 2 * 4.0 * s * V;
}

/* Training FLOPs per token: backward = 2 x forward; LoRA skips the frozen weights' gradient
 * GEMMs (half the backward GEMMs) but still back-propagates through attention. [16, 19] */
static double flops_per_token(const cls_sizes *z, const model_spec *m, enum method meth, int rc)
{
    double att = 4 * m->layers * m->hidden * z->seq, mm = z->flops_fwd - att;
    double f = meth == FULL ? 3 * mm + 3 * att : 2 * mm + 3 * att + 6 * z->lora;

    if (rc) /* full recomputation repeats the forward pass [17] */
        f += mm + att + 2 * z->lora;
    return f;
}

/* ---- collectives (shared with tools/fit_scaledb.c) ---- */

double gs__dbm_allreduce(const gs__dbm_links *l, const gs__dbm_fit *f, double bytes, double g,
                         double n)
{
    double t = 0;

    if (g > 1)
        t += 2 * (g - 1) / g * bytes / (l->intra_Bps * l->eff) + 2 * (g - 1) * f->lat_intra;
    if (n > 1)
        t += 2 * (n - 1) / n * (bytes / g) / (l->inter_Bps * l->eff) + 2 * (n - 1) * f->lat_inter;
    return t;
}

double gs__dbm_gather(const gs__dbm_links *l, const gs__dbm_fit *f, double bytes, double g,
                      double n)
{
    return gs__dbm_allreduce(l, f, bytes, g, n) / 2;
}

double gs__dbm_exposed(const gs__dbm_fit *f, double comm, double window, double buckets)
{
    double hidden = f->overlap * comm, floor = comm / (buckets > 1 ? buckets : 1);

    if (hidden > window)
        hidden = window;
    if (hidden > comm - floor)
        hidden = comm - floor;
    return hidden > 0 ? comm - hidden : comm;
}

const gs__dbm_fit *gs__dbm_fits(int *n)
{
    *n = (int)(sizeof(gs__dbm_fitted) / sizeof(gs__dbm_fitted[0]));
    return gs__dbm_fitted;
}

double gs__dbm_sia_app_bytes(const char *app)
{
    size_t i;

    for (i = 0; i < sizeof(gs__dbm_sia_apps) / sizeof(gs__dbm_sia_apps[0]); i++)
        if (!strcmp(gs__dbm_sia_apps[i].app, app))
            return gs__dbm_sia_apps[i].grad_bytes;
    return 0;
}

/* ---- one plan ---- */

typedef struct plan {
    int st, rc, m, t, p;
} plan;

/* Everything one evaluation needs. */
typedef struct ctx {
    const gpu_spec *g;
    const model_spec *m;
    enum method meth;
    cls_sizes z;
    double batch; /* sequences per optimizer step */
    gs__dbm_links links;
    const gs__dbm_fit *fit;
    double usable; /* bytes */
    int wide_mp;   /* model parallelism may span nodes (explicit plans only) */
    /* a frozen encoder in front of the model (multimodal classes): its forward FLOPs per
     * sequence and its weights' bytes on every GPU; 0 for the others */
    double enc_flops_seq, enc_bytes;
} ctx;

typedef struct eval {
    double t_step; /* s per optimizer step */
    double mem;    /* bytes per GPU */
    int ok;        /* the plan can be laid out on these GPUs */
} eval;

static const gs__dbm_fit *fit_of(const char *sia)
{
    size_t i;

    for (i = 0; i < sizeof(gs__dbm_fitted) / sizeof(gs__dbm_fitted[0]); i++)
        if (!strcmp(gs__dbm_fitted[i].sia_type, sia))
            return &gs__dbm_fitted[i];
    return &gs__dbm_fitted[0];
}

static void ctx_init(ctx *c, const gpu_spec *g, const model_spec *m, enum method meth, double seq,
                     double batch)
{
    memset(c, 0, sizeof(*c));
    c->g = g;
    c->m = m;
    c->meth = meth;
    sizes_of(m, meth, seq, &c->z);
    c->batch = batch;
    c->links.intra_Bps = g->intra_gbs * 1e9;
    c->links.inter_Bps = g->inter_gbps / 8 * 1e9;
    c->links.eff = COLL_EFF;
    c->fit = fit_of(g->fit);
    c->usable = USABLE_FRAC * g->memory_gb * 1e9;
}

/* Activation bytes per GPU for mm sequences in flight through layers layers, split t ways. */
static double act_bytes(const ctx *c, double mm, double layers, int rc, double t)
{
    const cls_sizes *z = &c->z;
    double a = rc ? layers * BF16 * z->seq * c->m->hidden + z->act_layer : layers * z->act_layer;

    return mm * (a + z->logits) / t;
}

/* Step time and memory of plan pl on N GPUs. */
static eval eval_plan(const ctx *c, int N, const plan *pl)
{
    const gpu_spec *g = c->g;
    const cls_sizes *z = &c->z;
    const gs__dbm_fit *f = c->fit;
    double G = g->gpus_per_node, L = c->m->layers, P = z->params, T = z->trainable;
    double n = N > G ? ceil(N / G) : 1, gl = N > G ? G : N;
    double mp = (double)pl->t * pl->p, d = N / mp, b, mm, a, tc, window, t, mem;
    double peak = g->peak_tflops * 1e12 * g->mfu, hbm = g->hbm_gbs * 1e9;
    double lat_small = 2 * (2 * (gl - 1) * f->lat_intra + 2 * (n - 1) * f->lat_inter);
    double buf = (2 * BF16 + (c->meth == FULL ? BF16 : 0)) * z->layer;
    eval e = {INFINITY, INFINITY, 0};

    if (N % (pl->t * pl->p) != 0 || pl->t > G || d > c->batch + 1e-9)
        return e;
    if (pl->st != ST_MP && mp != 1)
        return e;
    if (mp > G && !c->wide_mp) /* inside a node, so that every whole-node count divides */
        return e;
    e.ok = 1;
    b = c->batch / d;           /* sequences per data-parallel rank and step */
    mm = pl->m < b ? pl->m : b; /* micro-batch (the last one may be partial) */
    a = b / mm;                 /* micro-batches per step (gradient accumulation) */
    tc = mm * (z->seq * flops_per_token(z, c->m, c->meth, pl->rc) + c->enc_flops_seq) / mp / peak;
    window = BWD_SHARE * tc;
    if (pl->st == ST_ZERO2) {
        /* weights replicated; gradients reduce-scattered and weights all-gathered once per
         * step (an all-reduce's traffic) [13] */
        double comm = gs__dbm_allreduce(&c->links, f, BF16 * T, gl, n);
        t = a * tc + gs__dbm_exposed(f, comm, window, L);
        mem = (c->meth == FULL ? BF16 * P + (BF16 + OPT_BYTES) * P / N
                               : BF16 * P + (2 * BF16 + OPT_BYTES) * T) +
              act_bytes(c, mm, L, pl->rc, 1);
        t += OPT_TOUCH * (c->meth == FULL ? P / N : T) / hbm;
    } else if (pl->st == ST_ZERO3 || pl->st == ST_HSDP) {
        /* everything sharded (over all N, or over the node with hsdp); per micro-batch two
         * all-gathers of the weights and, for full fine-tuning, a reduce-scatter of the
         * gradients, prefetched behind the layers' compute (PyTorch FSDP [20]) */
        double sn = pl->st == ST_ZERO3 ? n : 1, shard = pl->st == ST_ZERO3 ? N : gl;
        double per_mb = (c->meth == FULL ? 3 : 2) * gs__dbm_gather(&c->links, f, BF16 * P, gl, sn);
        double step_comm = 0;
        t = a * (tc + gs__dbm_exposed(f, per_mb, tc, L));
        if (c->meth == LORA)
            step_comm = gs__dbm_allreduce(&c->links, f, BF16 * T, gl, n);
        else if (pl->st == ST_HSDP) /* each GPU all-reduces its gradient shard across nodes */
            step_comm = gs__dbm_allreduce(&c->links, f, BF16 * P / gl, 1, n);
        t += gs__dbm_exposed(f, step_comm, window, L);
        mem = (c->meth == FULL ? (2 * BF16 + OPT_BYTES) * P : BF16 * P) / shard + buf +
              (c->meth == LORA ? (2 * BF16 + OPT_BYTES) * T : 0) + act_bytes(c, mm, L, pl->rc, 1);
        t += OPT_TOUCH * (c->meth == FULL ? P / shard : T) / hbm;
    } else {
        /* Megatron-style [6]: tensor parallelism inside a node (4 activation all-reduces per
         * layer and micro-batch, 6 with recomputation, on the critical path), pipeline stages
         * with a 1F1B schedule (bubble: p - 1 micro-batch slots), gradients of each shard
         * all-reduced over the d data-parallel replicas once per step, optimizer state sharded
         * over them (ZeRO-1 [13]) */
        double tt = pl->t, pp = pl->p, act = mm * z->seq * c->m->hidden * BF16;
        double lp = L / pp, u, reps = mp < G ? G / mp : 1, dn = d / reps;
        double inflight = a < pp ? ceil(a) : pp;
        double tp_comm =
            tt > 1 ? lp * (4 + 2 * pl->rc) * gs__dbm_allreduce(&c->links, f, act, tt, 1) : 0;
        double p2p = 0;
        if (pp > 1) {
            double bw = mp > G ? c->links.inter_Bps : c->links.intra_Bps;
            p2p = 2 * act / (bw * c->links.eff) + 2 * (mp > G ? f->lat_inter : f->lat_intra);
        }
        u = tc + tp_comm + p2p;
        t = (a + pp - 1) * u;
        t += gs__dbm_exposed(f,
                             gs__dbm_allreduce(&c->links, f, BF16 * T / mp, reps, dn < 1 ? 1 : dn),
                             BWD_SHARE * u, lp);
        mem = (c->meth == FULL ? 2 * BF16 * P / mp + OPT_BYTES * P / (mp * d)
                               : BF16 * P / mp + (2 * BF16 + OPT_BYTES) * T / mp) +
              inflight * act_bytes(c, mm, lp, pl->rc, tt) - (inflight - 1) * mm * z->logits / tt;
        t += OPT_TOUCH * T / (mp * d) / hbm;
    }
    /* the small collectives every step waits for (gradient norm, loss) and the framework's
     * fixed per-step cost, both only when there is more than one GPU */
    if (N > 1)
        t += lat_small + f->step_overhead;
    e.t_step = t;
    e.mem = mem + c->enc_bytes;
    return e;
}

static double thr_of_eval(const ctx *c, const eval *e)
{
    return c->batch * c->z.seq / e->t_step;
}

/* ---- choosing plans ---- */

typedef struct choice {
    plan pl;
    eval e;
    double thr;
    int used; /* GPUs the plan works on */
} choice;

/* Calls fn on every plan of the data-parallel (mp 0) or model-parallel (mp 1) family. */
#define FOR_PLANS(mpfam, pl)                                                                       \
    for (int st_ = (mpfam) ? ST_MP : ST_ZERO2; st_ < ((mpfam) ? ST_COUNT : ST_MP); st_++)          \
        for (int ti_ = 0; ti_ < ((mpfam) ? NTP : 1); ti_++)                                        \
            for (int pi_ = 0; pi_ < ((mpfam) ? NPP : 1); pi_++)                                    \
                for (int rc_ = 0; rc_ <= 1; rc_++)                                                 \
                    for (int mi_ = 0; mi_ < NMICRO; mi_++)                                         \
                        if (((pl).st = st_, (pl).t = tp_sizes[ti_], (pl).p = pp_sizes[pi_],        \
                             (pl).rc = rc_, (pl).m = micro_sizes[mi_],                             \
                             !(mpfam) || (pl).t * (pl).p > 1))

/* The fastest plan of a family that fits on N GPUs (thr 0 when none); with lean, the plan
 * needing the least memory instead, fitting or not. */
static choice best_at(const ctx *c, int N, int mpfam, int lean)
{
    choice best;
    plan pl;

    memset(&best, 0, sizeof(best));
    best.e.mem = INFINITY;
    FOR_PLANS(mpfam, pl)
    {
        eval e;
        if (pl.st == ST_HSDP && N <= c->g->gpus_per_node)
            continue; /* zero-3 inside one node */
        e = eval_plan(c, N, &pl);
        if (!e.ok)
            continue;
        if (lean ? (e.mem < best.e.mem || (e.mem == best.e.mem && thr_of_eval(c, &e) > best.thr))
                 : (e.mem <= c->usable && thr_of_eval(c, &e) > best.thr)) {
            best.pl = pl;
            best.e = e;
            best.thr = thr_of_eval(c, &e);
            best.used = N;
        }
    }
    return best;
}

/* GPU counts listed for a type: powers of two up to one node, then every whole-node multiple
 * up to MAX_GPUS (the counts gs_cluster_configs offers). */
static int next_count(const gpu_spec *g, int c)
{
    if (c < g->gpus_per_node)
        return c * 2 < g->gpus_per_node ? c * 2 : g->gpus_per_node;
    return c + g->gpus_per_node;
}

/* The largest count <= N that plan pl can use: within its data-parallel limit (batch
 * sequences over one-sequence micro-batches, times its model-parallel degree), a multiple of
 * that degree, and a count the type offers; 0 when none. */
static int usable_count(const ctx *c, int N, const plan *pl)
{
    int mp = pl->t * pl->p, lim = (int)(c->batch * mp), k;

    if (N > lim)
        N = lim;
    for (k = N; k >= 1; k--) {
        if (k % mp != 0)
            continue;
        if (k > c->g->gpus_per_node && k % c->g->gpus_per_node != 0)
            continue;
        if (k < c->g->gpus_per_node && (k & (k - 1)) != 0)
            continue;
        return k;
    }
    return 0;
}

/* A plan's job throughput on N GPUs: past its data-parallel limit it keeps the throughput it
 * has at the limit (the other GPUs idle). */
static choice plan_on(const ctx *c, int N, const plan *pl)
{
    choice ch;

    memset(&ch, 0, sizeof(ch));
    ch.pl = *pl;
    ch.used = usable_count(c, N, pl);
    if (ch.used > 0) {
        ch.e = eval_plan(c, ch.used, pl);
        if (ch.e.ok)
            ch.thr = thr_of_eval(c, &ch.e);
    }
    return ch;
}

/* The plans a class keeps from MIN_SCALE GPUs up on a type (assumption D): those that fit at
 * the smallest listed count >= MIN_SCALE where a data-parallel plan fits (or, when none ever
 * does, the model-parallel plans of the smallest degree that fits); every plan's memory only
 * falls with more GPUs, so they all fit from there on. n0 = that count, 0 when nothing fits up
 * to MAX_GPUS (then every data-parallel plan is kept, as if it fitted). */
typedef struct keep {
    plan pl[NTP * NPP * 2 * NMICRO * ST_COUNT];
    int n;
    int n0;
} keep;

static void keep_plans(const ctx *c, keep *k)
{
    int N, fam, mp;
    plan pl;

    k->n = 0;
    k->n0 = 0;
    for (fam = 0; fam <= 1 && !k->n0; fam++) {
        for (mp = fam ? 2 : 1; mp <= (fam ? 128 : 1) && !k->n0; mp *= 2) {
            for (N = MIN_SCALE; N <= MAX_GPUS && !k->n0; N = next_count(c->g, N)) {
                if (N < MIN_SCALE || (N > c->g->gpus_per_node && N % c->g->gpus_per_node))
                    continue;
                FOR_PLANS(fam, pl)
                {
                    eval e;
                    if (pl.t * pl.p != mp)
                        continue;
                    e = eval_plan(c, N, &pl);
                    if (!e.ok || e.mem > c->usable)
                        continue;
                    k->pl[k->n++] = pl;
                    k->n0 = N;
                }
            }
        }
    }
    if (!k->n0) {
        FOR_PLANS(0, pl)
        k->pl[k->n++] = pl;
    }
}

/* The class's verdict on N GPUs: below MIN_SCALE the fastest plan that fits there (or the
 * leanest one); from MIN_SCALE up the best kept plan. */
static void eval_point_ctx(const ctx *c, const keep *k, int N, gs_dbgen_point *out)
{
    choice best;
    int i;

    memset(out, 0, sizeof(*out));
    out->usable_gb = c->usable / 1e9;
    if (N < MIN_SCALE) {
        best = best_at(c, N, 0, 0);
        if (!(best.thr > 0))
            best = best_at(c, N, 1, 0);
        out->viable = best.thr > 0;
        if (!out->viable) {
            choice l0 = best_at(c, N, 0, 1), l1 = best_at(c, N, 1, 1);
            best = l1.e.mem < l0.e.mem ? l1 : l0;
        }
    } else {
        memset(&best, 0, sizeof(best));
        for (i = 0; i < k->n; i++) {
            choice ch = plan_on(c, N, &k->pl[i]);
            if (ch.thr > best.thr || (ch.thr == best.thr && ch.thr > 0 && ch.e.mem < best.e.mem))
                best = ch;
        }
        out->viable = k->n0 > 0 && N >= k->n0;
        for (i = 0; i < k->n; i++) {
            int lim = (int)(c->batch * k->pl[i].t * k->pl[i].p);
            if (lim > out->dp_limit)
                out->dp_limit = lim;
        }
    }
    out->throughput = best.thr;
    out->mem_gb = best.e.mem / 1e9;
    out->strategy = N == 1 ? "1 GPU" : strategy_names[best.pl.st];
    out->recompute = best.pl.rc;
    out->micro_batch = best.pl.m;
    out->tp = best.pl.t;
    out->pp = best.pl.p;
    out->used_gpus = best.used;
}

/* ---- classes beyond fine-tuning: pre-training, multimodal fine-tuning, evaluation ----
 * (the job types of ACME and the other traces; configs/scaledb/README.md, "Classes beyond
 * fine-tuning", cites every constant) */

#define PRETRAIN_BATCH 1024.0 /* 4M tokens per step = 1,024 sequences of 4,096 [11, sec. 2.2] */
#define MLLM_SEQ       2048.0 /* LLaVA-1.5 fine-tuning: model_max_length 2048 [26] */
#define MLLM_BATCH     128.0  /* 16 per GPU x 8 GPUs per step [26] */
#define VIT_PARAMS     304e6  /* CLIP ViT-L/14 image encoder [27] */
#define VIT_TOKENS     577.0  /* (336 / 14)^2 patches + the class token, at 336 px [26, 27] */
#define EVAL_BATCH     8.0    /* sequences per generation batch: OpenCompass's batch_size [28] */
#define EVAL_PROMPT    1024.0 /* prompt tokens per sequence (assumption G) */
#define EVAL_OUT       100.0  /* generated tokens per sequence: OpenCompass's max_out_len [28] */
#define EVAL_CTX       2048.0 /* KV cache per sequence: OpenCompass's max_seq_len [28] */
#define HBM_EFF        0.80   /* achieved share of HBM bandwidth when streaming weights (H) */

enum family { FAM_EVAL, FAM_PRETRAIN, FAM_MLLM };

typedef struct extra_class {
    const char *name;
    enum family fam;
    int model; /* index into model_specs */
} extra_class;

/* After the fine-tuning classes, in this order (the DB's class indices follow it). */
static const extra_class extra_classes[] = {
    {"eval-7b", FAM_EVAL, 0},          {"eval-13b", FAM_EVAL, 1},
    {"eval-70b", FAM_EVAL, 3},         {"pretrain-7b", FAM_PRETRAIN, 0},
    {"pretrain-13b", FAM_PRETRAIN, 1}, {"pretrain-70b", FAM_PRETRAIN, 3},
    {"mllm-7b", FAM_MLLM, 0},          {"mllm-13b", FAM_MLLM, 1},
};
#define NEXTRA ((int)(sizeof(extra_classes) / sizeof(extra_classes[0])))

static const extra_class *find_extra(const char *name)
{
    int i;

    for (i = 0; i < NEXTRA; i++)
        if (!strcmp(extra_classes[i].name, name))
            return &extra_classes[i];
    return NULL;
}

/* The training context of a pre-training or multimodal class: full training of the language
 * model at the family's sequence length and batch; multimodal classes add the frozen vision
 * encoder's forward pass per sequence (2 FLOPs per parameter per patch token [16]) and its bf16
 * weights on every GPU. */
static void extra_ctx(ctx *c, const gpu_spec *g, const extra_class *x)
{
    const model_spec *m = &model_specs[x->model];

    if (x->fam == FAM_PRETRAIN) {
        ctx_init(c, g, m, FULL, SEQ_LEN, PRETRAIN_BATCH);
    } else {
        ctx_init(c, g, m, FULL, MLLM_SEQ, MLLM_BATCH);
        c->enc_flops_seq = 2 * VIT_PARAMS * VIT_TOKENS;
        c->enc_bytes = BF16 * VIT_PARAMS;
    }
}

/* Evaluation (generation) of a model with HuggingFace's layer-wise model placement, as
 * OpenCompass runs it [28]: a replica takes the fewest GPUs of one node (1, 2, 4 or 8) that
 * hold its bf16 weights and the KV cache of a batch (2 x layers x context x KV width x 2 bytes
 * per sequence [29]), and works through its layers one GPU after the other, so a replica is no
 * faster on more GPUs; N GPUs run N / d replicas. A batch is a prefill of the prompts (compute:
 * the forward FLOPs of every prompt token at the achievable fraction of peak) and one decoding
 * step per generated token, each reading every weight once (HBM bandwidth) or computing a token
 * per sequence, whichever is slower [30]. Throughput: prompt and generated tokens per second. */
static void eval_infer(const gpu_spec *g, const model_spec *m, int N, gs_dbgen_point *out)
{
    cls_sizes z;
    double usable = USABLE_FRAC * g->memory_gb * 1e9, hkv, W, kv, need = 0, peak, tp, td, t;
    int d;

    sizes_of(m, FULL, EVAL_CTX, &z);
    hkv = m->hidden * m->kv_heads / m->heads;
    W = BF16 * z.params;
    kv = EVAL_BATCH * 2 * m->layers * EVAL_CTX * hkv * BF16;
    for (d = 1; d <= g->gpus_per_node; d *= 2) {
        need = (W + kv) / d;
        if (need <= usable)
            break;
    }
    memset(out, 0, sizeof(*out));
    out->usable_gb = usable / 1e9;
    if (d > g->gpus_per_node) { /* nothing in one node holds it: as if the node's GPUs did */
        d = g->gpus_per_node;
        need = (W + kv) / d;
    }
    out->viable = need <= usable && N >= d;
    out->mem_gb = need / 1e9;
    out->strategy = d == 1 ? "1 GPU" : "layers over GPUs";
    out->pp = d;
    out->tp = out->micro_batch = 1;
    out->used_gpus = N >= d ? N / d * d : d;
    peak = g->peak_tflops * 1e12 * g->mfu;
    tp = EVAL_BATCH * EVAL_PROMPT * z.flops_fwd / peak;
    td = fmax(W / (g->hbm_gbs * 1e9 * HBM_EFF), EVAL_BATCH * z.flops_fwd / peak);
    t = tp + EVAL_OUT * td;
    out->throughput = (N >= d ? N / d : 1) * EVAL_BATCH * (EVAL_PROMPT + EVAL_OUT) / t;
}

static void extra_point(const gpu_spec *g, const extra_class *x, const keep *k, int N,
                        gs_dbgen_point *out)
{
    ctx c;

    if (x->fam == FAM_EVAL) {
        eval_infer(g, &model_specs[x->model], N, out);
        return;
    }
    extra_ctx(&c, g, x);
    eval_point_ctx(&c, k, N, out);
}

static int find_gpu(const char *name)
{
    int i;

    for (i = 0; i < NGPU; i++)
        if (!strcmp(gpu_specs[i].name, name))
            return i;
    return -1;
}

/* "llm-<size>-<lora|full>" */
static int find_class(const char *name, int *model, enum method *meth)
{
    int i;

    for (i = 0; i < NMODEL; i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "llm-%s-lora", model_specs[i].size);
        if (!strcmp(buf, name)) {
            *model = i;
            *meth = LORA;
            return 0;
        }
        snprintf(buf, sizeof(buf), "llm-%s-full", model_specs[i].size);
        if (!strcmp(buf, name)) {
            *model = i;
            *meth = FULL;
            return 0;
        }
    }
    return -1;
}

static double batch_of(enum method meth)
{
    return meth == FULL ? BATCH_FULL : BATCH_LORA;
}

int gs_dbgen_eval(const char *cls, const char *type, int gpus, gs_dbgen_point *out, gs_err *err)
{
    int g = find_gpu(type), m = 0;
    enum method meth = FULL;
    ctx c;
    keep *k;

    if (g < 0)
        return gs_errorf(err, GS_ENOTFOUND, "unknown GPU type '%s' in the analytic model", type);
    if (find_class(cls, &m, &meth) != 0 && !find_extra(cls))
        return gs_errorf(err, GS_ENOTFOUND, "unknown workload class '%s' in the analytic model",
                         cls);
    if (gpus < 1)
        return gs_errorf(err, GS_EINVAL, "GPU count must be >= 1, got %d", gpus);
    k = malloc(sizeof(*k));
    if (!k)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (find_extra(cls)) {
        const extra_class *x = find_extra(cls);
        if (x->fam != FAM_EVAL) {
            extra_ctx(&c, &gpu_specs[g], x);
            keep_plans(&c, k);
        }
        extra_point(&gpu_specs[g], x, k, gpus, out);
        free(k);
        return GS_OK;
    }
    ctx_init(&c, &gpu_specs[g], &model_specs[m], meth, SEQ_LEN, batch_of(meth));
    keep_plans(&c, k);
    eval_point_ctx(&c, k, gpus, out);
    free(k);
    return GS_OK;
}

int gs__dbgen_eval_plan(const gs__dbm_plan_in *in, double *thr, double *mem_gb, int *fits,
                        gs_err *err)
{
    int g = find_gpu(in->type), m, st;
    enum method meth;
    ctx c;
    plan pl;
    eval e;

    if (g < 0 || find_class(in->cls, &m, &meth) != 0)
        return gs_errorf(err, GS_ENOTFOUND, "unknown class '%s' or GPU type '%s'", in->cls,
                         in->type);
    for (st = 0; st < ST_COUNT; st++)
        if (!strcmp(strategy_names[st], in->strategy))
            break;
    if (st == ST_COUNT)
        return gs_errorf(err, GS_ENOTFOUND, "unknown strategy '%s'", in->strategy);
    ctx_init(&c, &gpu_specs[g], &model_specs[m], meth, in->seq, in->batch);
    c.wide_mp = 1;
    pl.st = st;
    pl.t = in->tp;
    pl.p = in->pp;
    pl.m = in->micro;
    pl.rc = in->recompute;
    e = eval_plan(&c, in->gpus, &pl);
    if (!e.ok)
        return gs_errorf(err, GS_EINVAL, "plan %s tp %d pp %d does not lay out on %d GPUs",
                         in->strategy, in->tp, in->pp, in->gpus);
    *thr = thr_of_eval(&c, &e);
    *mem_gb = e.mem / 1e9;
    *fits = e.mem <= c.usable;
    return GS_OK;
}

/* ---- the DB document ---- */

/* Rounds to 6 significant digits through the C library's exact decimal conversion, so the
 * printed JSON is short and the same on every run. */
static double round6(double v)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.6g", v);
    return strtod(buf, NULL);
}

/* Class mix: bigger jobs fine-tune bigger models, and use full fine-tuning more (assumption C
 * of configs/scaledb/README.md: ACME publishes no model sizes). Columns follow model_specs,
 * LoRA then full. The simulator keeps only classes viable on the job's own configuration. */
static const struct mixrow {
    int max_gpus;
    double w[NMODEL][2];
} mix_rows[] = {
    {2, {{0.30, 0.20}, {0.20, 0.10}, {0.10, 0.05}, {0.05, 0.00}}},
    {8, {{0.15, 0.15}, {0.15, 0.15}, {0.10, 0.15}, {0.10, 0.05}}},
    {64, {{0.05, 0.10}, {0.05, 0.15}, {0.10, 0.20}, {0.10, 0.25}}},
    {1000000, {{0.00, 0.05}, {0.00, 0.10}, {0.05, 0.25}, {0.05, 0.50}}},
};

static void class_name(char *buf, size_t size, int m, enum method meth)
{
    snprintf(buf, size, "llm-%s-%s", model_specs[m].size, meth == LORA ? "lora" : "full");
}

static cJSON *add_obj(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_CreateObject();

    if (o && !cJSON_AddItemToObject(parent, key, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int build_types(cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "gpu_types");
    int i;

    if (!arr)
        return -1;
    for (i = 0; i < NGPU; i++) {
        const gpu_spec *g = &gpu_specs[i];
        const gs__dbm_fit *f = fit_of(g->fit);
        cJSON *o = cJSON_CreateObject(), *mo, *fo;
        if (!o)
            return -1;
        cJSON_AddItemToArray(arr, o);
        if (!cJSON_AddStringToObject(o, "name", g->name) ||
            !cJSON_AddNumberToObject(o, "memory_gb", g->memory_gb) ||
            !cJSON_AddNumberToObject(o, "gpus_per_node", g->gpus_per_node) ||
            !cJSON_AddStringToObject(o, "description", g->description) ||
            !(mo = add_obj(o, "model")) ||
            !cJSON_AddNumberToObject(mo, "peak_tflops", g->peak_tflops) ||
            !cJSON_AddNumberToObject(mo, "achievable_fraction", g->mfu) ||
            !cJSON_AddNumberToObject(mo, "hbm_GBps", g->hbm_gbs) ||
            !cJSON_AddNumberToObject(mo, "intra_node_GBps", g->intra_gbs) ||
            !cJSON_AddNumberToObject(mo, "inter_node_Gbps_per_gpu", g->inter_gbps) ||
            !cJSON_AddNumberToObject(mo, "usable_memory_gb", round6(USABLE_FRAC * g->memory_gb)) ||
            !(fo = add_obj(mo, "fitted_overheads")) ||
            !cJSON_AddStringToObject(fo, "fitted_on_sia_type", f->sia_type) ||
            !cJSON_AddNumberToObject(fo, "latency_intra_s", round6(f->lat_intra)) ||
            !cJSON_AddNumberToObject(fo, "latency_inter_s", round6(f->lat_inter)) ||
            !cJSON_AddNumberToObject(fo, "overlap", round6(f->overlap)) ||
            !cJSON_AddNumberToObject(fo, "step_overhead_s", round6(f->step_overhead)) ||
            !cJSON_AddNumberToObject(fo, "fit_rmse", round6(f->rmse)))
            return -1;
    }
    return 0;
}

/* Bytes a start reads and a checkpoint writes (the lifecycle costs of src/core/sim.c): the
 * pretrained bf16 weights at a first start; weights plus optimizer state (and, for LoRA, the
 * adapters and theirs) at a restart; what a checkpoint saves: the trainable weights with their
 * optimizer state [13]. */
static int add_lifecycle(cJSON *o, const cls_sizes *z, enum method meth)
{
    cJSON *lo = add_obj(o, "lifecycle");
    double ckpt = (meth == FULL ? BF16 + OPT_BYTES : 2 * BF16 + OPT_BYTES) * z->trainable;

    return !lo || !cJSON_AddNumberToObject(lo, "load_gb", round6(BF16 * z->params / 1e9)) ||
                   !cJSON_AddNumberToObject(
                       lo, "restore_gb",
                       round6((BF16 * z->params + (meth == FULL ? OPT_BYTES * z->params : ckpt)) /
                              1e9)) ||
                   !cJSON_AddNumberToObject(lo, "checkpoint_gb", round6(ckpt / 1e9))
               ? -1
               : 0;
}

/* Bytes a start reads and a checkpoint writes for the classes beyond fine-tuning: evaluation
 * reads the weights and saves nothing; pre-training resumes from a checkpoint (weights and
 * optimizer state, assumption I) and saves both; multimodal fine-tuning reads the language model
 * and the vision encoder, and saves the language model with its optimizer state [13]. */
static int add_extra_lifecycle(cJSON *o, const extra_class *x, const cls_sizes *z)
{
    cJSON *lo = add_obj(o, "lifecycle");
    double w = BF16 * z->params, st = (BF16 + OPT_BYTES) * z->params;
    double load = x->fam == FAM_EVAL ? w : x->fam == FAM_PRETRAIN ? st : w + BF16 * VIT_PARAMS;
    double restore = x->fam == FAM_EVAL       ? w
                     : x->fam == FAM_PRETRAIN ? st
                                              : load + OPT_BYTES * z->params;

    return !lo || !cJSON_AddNumberToObject(lo, "load_gb", round6(load / 1e9)) ||
                   !cJSON_AddNumberToObject(lo, "restore_gb", round6(restore / 1e9)) ||
                   !cJSON_AddNumberToObject(lo, "checkpoint_gb",
                                            round6(x->fam == FAM_EVAL ? 0 : st / 1e9))
               ? -1
               : 0;
}

static int build_extra_classes(cJSON *arr)
{
    int i;

    for (i = 0; i < NEXTRA; i++) {
        const extra_class *x = &extra_classes[i];
        const model_spec *ms = &model_specs[x->model];
        cJSON *o = cJSON_CreateObject(), *mo;
        cls_sizes z;
        char desc[240];
        double seq = x->fam == FAM_MLLM ? MLLM_SEQ : x->fam == FAM_EVAL ? EVAL_CTX : SEQ_LEN;
        if (!o)
            return -1;
        cJSON_AddItemToArray(arr, o);
        sizes_of(ms, FULL, seq, &z);
        if (x->fam == FAM_EVAL)
            snprintf(
                desc, sizeof(desc),
                "Evaluation (generation) of %s (%.2fB parameters): batches of %g prompts of %g "
                "tokens, %g tokens generated each; not elastic",
                ms->source, z.params / 1e9, EVAL_BATCH, EVAL_PROMPT, EVAL_OUT);
        else if (x->fam == FAM_PRETRAIN)
            snprintf(desc, sizeof(desc),
                     "Pre-training of %s (%.2fB parameters), %g sequences of %g tokens per step",
                     ms->source, z.params / 1e9, PRETRAIN_BATCH, SEQ_LEN);
        else
            snprintf(desc, sizeof(desc),
                     "Multimodal fine-tuning (LLaVA-1.5: frozen CLIP ViT-L/14 at 336 px, "
                     "projector, full %s-shaped language model, %.2fB parameters), %g "
                     "sequences of %g tokens per step",
                     ms->source, z.params / 1e9, MLLM_BATCH, MLLM_SEQ);
        if (!cJSON_AddStringToObject(o, "name", x->name) ||
            !cJSON_AddStringToObject(o, "description", desc) ||
            (x->fam == FAM_EVAL && !cJSON_AddBoolToObject(o, "elastic", 0)) ||
            !(mo = add_obj(o, "model")) ||
            !cJSON_AddStringToObject(mo, "architecture", ms->source) ||
            !cJSON_AddNumberToObject(mo, "params", round6(z.params)) ||
            !cJSON_AddNumberToObject(mo, "trainable_params",
                                     x->fam == FAM_EVAL ? 0 : round6(z.params)) ||
            !cJSON_AddNumberToObject(mo, "layers", ms->layers) ||
            !cJSON_AddNumberToObject(mo, "hidden", ms->hidden) ||
            !cJSON_AddNumberToObject(mo, "ffn", ms->ffn) ||
            !cJSON_AddNumberToObject(mo, "heads", ms->heads) ||
            !cJSON_AddNumberToObject(mo, "kv_heads", ms->kv_heads) ||
            !cJSON_AddNumberToObject(mo, "vocab", ms->vocab) ||
            !cJSON_AddNumberToObject(mo, "seq_len", seq) ||
            (x->fam != FAM_EVAL &&
             !cJSON_AddNumberToObject(mo, "global_batch_sequences",
                                      x->fam == FAM_PRETRAIN ? PRETRAIN_BATCH : MLLM_BATCH)) ||
            (x->fam == FAM_MLLM &&
             !cJSON_AddNumberToObject(mo, "vision_encoder_params", VIT_PARAMS)) ||
            (x->fam == FAM_EVAL &&
             !cJSON_AddNumberToObject(mo, "forward_flops_per_token", round6(z.flops_fwd))) ||
            (x->fam != FAM_EVAL &&
             !cJSON_AddNumberToObject(mo, "train_flops_per_token",
                                      round6(flops_per_token(&z, ms, FULL, 0)))) ||
            add_extra_lifecycle(o, x, &z))
            return -1;
    }
    return 0;
}

static int build_classes(cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "classes");
    int m, meth;

    if (!arr)
        return -1;
    for (m = 0; m < NMODEL; m++) {
        for (meth = LORA; meth <= FULL; meth++) {
            const model_spec *ms = &model_specs[m];
            cJSON *o = cJSON_CreateObject(), *mo;
            cls_sizes z;
            char name[32], desc[200];
            if (!o)
                return -1;
            cJSON_AddItemToArray(arr, o);
            sizes_of(ms, (enum method)meth, SEQ_LEN, &z);
            class_name(name, sizeof(name), m, (enum method)meth);
            snprintf(desc, sizeof(desc),
                     "%s fine-tuning of %s (%.2fB parameters), %g sequences of %g tokens per step",
                     meth == LORA ? "LoRA (rank 16, all linear layers)" : "Full", ms->source,
                     z.params / 1e9, batch_of((enum method)meth), SEQ_LEN);
            if (!cJSON_AddStringToObject(o, "name", name) ||
                !cJSON_AddStringToObject(o, "description", desc) || !(mo = add_obj(o, "model")) ||
                !cJSON_AddStringToObject(mo, "architecture", ms->source) ||
                !cJSON_AddNumberToObject(mo, "params", round6(z.params)) ||
                !cJSON_AddNumberToObject(mo, "trainable_params", round6(z.trainable)) ||
                !cJSON_AddNumberToObject(mo, "layers", ms->layers) ||
                !cJSON_AddNumberToObject(mo, "hidden", ms->hidden) ||
                !cJSON_AddNumberToObject(mo, "ffn", ms->ffn) ||
                !cJSON_AddNumberToObject(mo, "heads", ms->heads) ||
                !cJSON_AddNumberToObject(mo, "kv_heads", ms->kv_heads) ||
                !cJSON_AddNumberToObject(mo, "vocab", ms->vocab) ||
                !cJSON_AddNumberToObject(mo, "global_batch_sequences",
                                         batch_of((enum method)meth)) ||
                !cJSON_AddNumberToObject(mo, "seq_len", SEQ_LEN) ||
                !cJSON_AddNumberToObject(mo, "train_flops_per_token",
                                         round6(flops_per_token(&z, ms, (enum method)meth, 0))) ||
                add_lifecycle(o, &z, (enum method)meth))
                return -1;
        }
    }
    return build_extra_classes(arr);
}

static int build_mix(cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "class_mix");
    size_t r;

    if (!arr)
        return -1;
    for (r = 0; r < sizeof(mix_rows) / sizeof(mix_rows[0]); r++) {
        cJSON *o = cJSON_CreateObject(), *w;
        int m, meth;
        if (!o)
            return -1;
        cJSON_AddItemToArray(arr, o);
        if (!cJSON_AddNumberToObject(o, "max_gpus", mix_rows[r].max_gpus) ||
            !(w = add_obj(o, "weights")))
            return -1;
        for (m = 0; m < NMODEL; m++) {
            for (meth = LORA; meth <= FULL; meth++) {
                char name[32];
                if (mix_rows[r].w[m][meth] <= 0)
                    continue;
                class_name(name, sizeof(name), m, (enum method)meth);
                if (!cJSON_AddNumberToObject(w, name, mix_rows[r].w[m][meth]))
                    return -1;
            }
        }
    }
    return 0;
}

static void point_note(char *note, size_t size, const gs_dbgen_point *pt, int c)
{
    char what[64], lim[64] = "";

    if (pt->tp * pt->pp > 1)
        snprintf(what, sizeof(what), "tp %d x pp %d, micro-batch %d%s", pt->tp, pt->pp,
                 pt->micro_batch, pt->recompute ? " + recompute" : "");
    else
        snprintf(what, sizeof(what), "%s, micro-batch %d%s", pt->strategy, pt->micro_batch,
                 pt->recompute ? " + recompute" : "");
    if (pt->used_gpus > 0 && pt->used_gpus < c)
        snprintf(lim, sizeof(lim), "; past the data-parallel limit: %d GPUs work", pt->used_gpus);
    if (pt->viable)
        snprintf(note, size, "%s, %.1f of %.1f GB%s", what, pt->mem_gb, pt->usable_gb, lim);
    else
        snprintf(note, size, "needs %.1f GB (%s), %.1f usable%s", pt->mem_gb, what, pt->usable_gb,
                 lim);
}

/* The entries of the classes beyond fine-tuning (the same GPU counts as the others). */
static int build_extra_entries(cJSON *arr, keep *k)
{
    int i, t, c;

    for (i = 0; i < NEXTRA; i++) {
        const extra_class *x = &extra_classes[i];
        for (t = 0; t < NGPU; t++) {
            const gpu_spec *g = &gpu_specs[t];
            ctx cx;
            if (x->fam != FAM_EVAL) {
                extra_ctx(&cx, g, x);
                keep_plans(&cx, k);
            }
            for (c = 1; c <= MAX_GPUS; c = next_count(g, c)) {
                gs_dbgen_point pt;
                cJSON *o = cJSON_CreateObject();
                char note[160];
                if (!o)
                    return -1;
                cJSON_AddItemToArray(arr, o);
                extra_point(g, x, k, c, &pt);
                if (x->fam == FAM_EVAL)
                    snprintf(note, sizeof(note), "%d replica%s of %d GPU%s, %.1f of %.1f GB%s",
                             c >= pt.pp ? c / pt.pp : 1, c >= 2 * pt.pp ? "s" : "", pt.pp,
                             pt.pp > 1 ? "s" : "", pt.mem_gb, pt.usable_gb,
                             pt.viable ? "" : " (does not fit)");
                else
                    point_note(note, sizeof(note), &pt, c);
                if (!cJSON_AddStringToObject(o, "class", x->name) ||
                    !cJSON_AddStringToObject(o, "gpu_type", g->name) ||
                    !cJSON_AddNumberToObject(o, "gpus", c) ||
                    !cJSON_AddNumberToObject(o, "nodes",
                                             c > g->gpus_per_node ? c / g->gpus_per_node : 1) ||
                    !cJSON_AddNumberToObject(o, "throughput", round6(pt.throughput)) ||
                    !cJSON_AddBoolToObject(o, "viable", pt.viable) ||
                    !cJSON_AddStringToObject(o, "note", note))
                    return -1;
            }
        }
    }
    return 0;
}

static int build_entries(cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "entries");
    keep *k = malloc(sizeof(*k));
    int m, meth, t, c, rc = 0;

    if (!arr || !k) {
        free(k);
        return -1;
    }
    for (m = 0; m < NMODEL && !rc; m++) {
        for (meth = LORA; meth <= FULL && !rc; meth++) {
            char name[32];
            class_name(name, sizeof(name), m, (enum method)meth);
            for (t = 0; t < NGPU && !rc; t++) {
                const gpu_spec *g = &gpu_specs[t];
                ctx cx;
                ctx_init(&cx, g, &model_specs[m], (enum method)meth, SEQ_LEN,
                         batch_of((enum method)meth));
                keep_plans(&cx, k);
                for (c = 1; c <= MAX_GPUS && !rc; c = next_count(g, c)) {
                    gs_dbgen_point pt;
                    cJSON *o = cJSON_CreateObject();
                    char note[160];
                    if (!o) {
                        rc = -1;
                        break;
                    }
                    cJSON_AddItemToArray(arr, o);
                    eval_point_ctx(&cx, k, c, &pt);
                    point_note(note, sizeof(note), &pt, c);
                    if (!cJSON_AddStringToObject(o, "class", name) ||
                        !cJSON_AddStringToObject(o, "gpu_type", g->name) ||
                        !cJSON_AddNumberToObject(o, "gpus", c) ||
                        !cJSON_AddNumberToObject(o, "nodes",
                                                 c > g->gpus_per_node ? c / g->gpus_per_node : 1) ||
                        !cJSON_AddNumberToObject(o, "throughput", round6(pt.throughput)) ||
                        !cJSON_AddBoolToObject(o, "viable", pt.viable) ||
                        !cJSON_AddStringToObject(o, "note", note))
                        rc = -1;
                }
            }
        }
    }
    if (!rc)
        rc = build_extra_entries(arr, k);
    free(k);
    return rc;
}

static int build_model(cJSON *root)
{
    cJSON *mo = add_obj(root, "model");

    return !mo ||
                   !cJSON_AddStringToObject(mo, "generator",
                                            "gpusim db generate (src/core/dbgen.c), model v2") ||
                   !cJSON_AddStringToObject(mo, "documentation", "configs/scaledb/README.md") ||
                   !cJSON_AddNumberToObject(mo, "seq_len", SEQ_LEN) ||
                   !cJSON_AddNumberToObject(mo, "global_batch_sequences_full", BATCH_FULL) ||
                   !cJSON_AddNumberToObject(mo, "global_batch_sequences_lora", BATCH_LORA) ||
                   !cJSON_AddNumberToObject(mo, "lora_rank", LORA_RANK) ||
                   !cJSON_AddNumberToObject(mo, "optimizer_bytes_per_param", OPT_BYTES) ||
                   !cJSON_AddNumberToObject(mo, "optimizer_step_bytes_per_param", OPT_TOUCH) ||
                   !cJSON_AddNumberToObject(mo, "usable_memory_fraction", USABLE_FRAC) ||
                   !cJSON_AddNumberToObject(mo, "collective_efficiency", COLL_EFF) ||
                   !cJSON_AddNumberToObject(mo, "backward_share", round6(BWD_SHARE)) ||
                   !cJSON_AddNumberToObject(mo, "fixed_plans_from_gpus", MIN_SCALE)
               ? -1
               : 0;
}

char *gs_dbgen_json(gs_err *err)
{
    cJSON *root = cJSON_CreateObject();
    char *text = NULL;

    if (!root || !cJSON_AddNumberToObject(root, "schema_version", 1) ||
        !cJSON_AddStringToObject(root, "name", "default") ||
        !cJSON_AddStringToObject(
            root, "description",
            "Analytic model of LLM fine-tuning (Llama 2 / Code Llama 7B-70B, full and LoRA) at a "
            "fixed global batch on five GPU types (model v2: strong scaling with a data-parallel "
            "limit, overheads fitted to Sia's measured profiles); generated by 'gpusim db "
            "generate', documented in configs/scaledb/README.md. Throughput is tokens/s of the "
            "whole job; past the data-parallel limit a configuration keeps the throughput of the "
            "limit (the other GPUs idle); a non-viable entry gives the throughput of the plan it "
            "would run as if it fitted.") ||
        !cJSON_AddStringToObject(root, "throughput_unit", "tokens/s") ||
        !cJSON_AddStringToObject(root, "reference_gpu_type", "A100-80GB") || build_model(root) ||
        build_types(root) || build_classes(root) || build_mix(root) || build_entries(root) ||
        !(text = gs__scaledb_print(root))) {
        cJSON_Delete(root);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    cJSON_Delete(root);
    return text;
}

int gs_dbgen_write(const char *path, gs_err *err)
{
    char *text = gs_dbgen_json(err);
    gs_outfile of;
    int rc;

    if (!text)
        return GS_ENOMEM;
    rc = gs_outfile_open(&of, path, err);
    if (rc == GS_OK) {
        fputs(text, of.fp);
        rc = gs_outfile_commit(&of, err);
    }
    free(text);
    return rc;
}
