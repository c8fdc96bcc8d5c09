/* SPDX-License-Identifier: Apache-2.0 */
/* The analytic LLM fine-tuning model behind configs/scaledb/default.json (`gpusim db generate`).
 * Sources of every constant: configs/scaledb/README.md (numbers in [brackets] below refer to its
 * reference list). */
#include "gpusim/dbgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    double intra_gbs;   /* GB/s per GPU and direction inside a node: NVLink or PCIe [1-4] */
    double inter_gbps;  /* Gb/s of network per GPU between nodes [9, 10] */
} gpu_spec;

static const gpu_spec gpu_specs[] = {
    {"V100-32GB", "NVIDIA V100 SXM2 32 GB, NVLink 2.0, 8 per node", 32, 8, 125, 0.30, 150, 100},
    {"A100-40GB", "NVIDIA A100 SXM4 40 GB, NVLink 3, 8 per node", 40, 8, 312, 0.50, 300, 200},
    {"A100-80GB", "NVIDIA A100 SXM4 80 GB, NVLink 3, 8 per node (what ACME Seren ran on)", 80, 8,
     312, 0.50, 300, 200},
    {"H100-80GB", "NVIDIA H100 SXM5 80 GB, NVLink 4, 4 per node", 80, 4, 989, 0.40, 450, 400},
    {"L40S", "NVIDIA L40S 48 GB, PCIe Gen4 x16 (no NVLink), 8 per node", 48, 8, 362, 0.35, 32, 100},
};
#define NGPU ((int)(sizeof(gpu_specs) / sizeof(gpu_specs[0])))

/* ---- models and the fine-tuning set-up ---- */

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

#define SEQ_LEN      4096.0 /* tokens per sequence: Llama 2-Chat SFT [11, sec. 3.1] */
#define GLOBAL_BATCH 64.0   /* sequences per optimizer step: Llama 2-Chat SFT [11, sec. 3.1] */
#define LORA_RANK    16.0   /* LoRA rank on every linear layer, as QLoRA recommends [14] */
#define BF16         2.0    /* bytes per weight, gradient and activation (mixed precision) */
#define OPT_BYTES    12.0   /* fp32 master weight + Adam moments per trainable parameter [13] */
#define USABLE_FRAC  0.90   /* memory left after CUDA context, NCCL buffers, fragmentation (A) */
#define COLL_EFF     0.75   /* collective bus bandwidth / link bandwidth (nccl-tests) [15] */
#define OVERLAP      (2.0 / 3.0) /* share of a micro-batch's compute that hides communication (B) */
#define MAX_GPUS                                                                                   \
    512 /* largest ACME SFT job (ACME's published gpu_num outliers: Hu et al., NSDI '24) */

enum method { LORA, FULL };
enum strategy { ST_ZERO2, ST_ZERO3, ST_ZERO3_NODE, ST_COUNT };
static const char *const strategy_names[ST_COUNT] = {"zero-2", "zero-3", "zero-3 in node"};

/* Derived sizes of one class. */
typedef struct cls_sizes {
    double params;    /* all parameters */
    double params_mm; /* parameters in matrix multiplies (input embedding excluded) */
    double layer;     /* parameters of one transformer layer */
    double lora;      /* trainable LoRA parameters */
    double flops_fwd; /* forward FLOPs per token */
    double act_layer; /* bytes of activations one layer keeps for backward (one sequence) */
    double logits;    /* bytes of fp32 logits and their gradient (one sequence) */
} cls_sizes;

static void sizes_of(const model_spec *m, enum method meth, cls_sizes *z)
{
    double h = m->hidden, f = m->ffn, L = m->layers, V = m->vocab, s = SEQ_LEN;
    double hkv = h * m->kv_heads / m->heads; /* grouped-query attention keys/values [11] */

    /* q, k, v, o projections, SwiGLU gate/up/down, two RMSNorms */
    z->layer = 2 * h * h + 2 * h * hkv + 3 * h * f + 2 * h;
    z->params = L * z->layer + 2 * V * h + h; /* + input embedding, LM head, final norm */
    z->params_mm = L * (2 * h * h + 2 * h * hkv + 3 * h * f) + V * h;
    /* rank-r adapters A (d_in x r) and B (r x d_out) on the seven projections */
    z->lora = meth == LORA ? LORA_RANK * L * (9 * h + 2 * hkv + 3 * f) : 0;
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
    double att = 4 * m->layers * m->hidden * SEQ_LEN, mm = z->flops_fwd - att;
    double f = meth == FULL ? 3 * mm + 3 * att : 2 * mm + 3 * att + 6 * z->lora;

    if (rc) /* full recomputation repeats the forward pass [17] */
        f += mm + att + 2 * z->lora;
    return f;
}

/* Seconds of a hierarchical (NCCL ring/tree) all-reduce of S bytes over gl GPUs per node on n
 * nodes: a reduce-scatter/all-gather inside each node, the inter-node phase on 1/gl of the data
 * per GPU, each GPU through its own NIC. */
static double t_intra(const gpu_spec *g, double S, double gl)
{
    return gl > 1 ? 2 * (gl - 1) / gl * S / (g->intra_gbs * 1e9 * COLL_EFF) : 0;
}

static double t_inter(const gpu_spec *g, double S, double gl, double n)
{
    return n > 1 ? 2 * (n - 1) / n * (S / gl) / (g->inter_gbps / 8 * 1e9 * COLL_EFF) : 0;
}

static double t_allreduce(const gpu_spec *g, double S, double gl, double n)
{
    return t_intra(g, S, gl) + t_inter(g, S, gl, n);
}

static double exposed(double comm, double compute)
{
    double e = comm - OVERLAP * compute;
    return e > 0 ? e : 0;
}

typedef struct eval {
    double t_step, mem;
} eval;

/* Step time and memory per GPU of one strategy. */
static eval eval_strategy(const gpu_spec *g, const model_spec *m, enum method meth,
                          const cls_sizes *z, int N, enum strategy st, int rc)
{
    double n = N > g->gpus_per_node ? (double)N / g->gpus_per_node : 1;
    double gl = N > g->gpus_per_node ? g->gpus_per_node : N;
    double micro = GLOBAL_BATCH / N > 1 ? GLOBAL_BATCH / N : 1; /* micro-batches per step */
    double tc = SEQ_LEN * flops_per_token(z, m, meth, rc) / (g->peak_tflops * 1e12 * g->mfu);
    double P = z->params, act, states, t;
    double k3 = meth == FULL ? 1.5 : 1.0; /* ZeRO-3: 2 all-gathers (+ 1 reduce-scatter) [13] */
    double shard = st == ST_ZERO3 ? N : gl;
    eval e;

    act = rc ? m->layers * BF16 * SEQ_LEN * m->hidden + z->act_layer : m->layers * z->act_layer;
    act += z->logits;
    if (st == ST_ZERO2) {
        /* gradients and optimizer state sharded over all N, weights replicated [13] */
        states = meth == FULL ? BF16 * P + (BF16 + OPT_BYTES) * P / N
                              : BF16 * P + (2 * BF16 + OPT_BYTES) * z->lora;
        /* one gradient all-reduce per step, hidden behind the last micro-batch's backward */
        t = micro * tc + exposed(t_allreduce(g, BF16 * (meth == FULL ? P : z->lora), gl, n), tc);
    } else {
        /* everything sharded over `shard` GPUs; two layers' parameters gathered at a time and,
         * for full fine-tuning, one layer's unsharded gradients (PyTorch FSDP [20]) */
        double buf = (2 * BF16 + (meth == FULL ? BF16 : 0)) * z->layer;
        states = (meth == FULL ? (2 * BF16 + OPT_BYTES) * P : BF16 * P) / shard + buf +
                 (meth == LORA ? (2 * BF16 + OPT_BYTES) * z->lora : 0);
        if (st == ST_ZERO3) {
            t = micro * (tc + exposed(k3 * t_allreduce(g, BF16 * P, gl, n), tc));
            if (meth == LORA)
                t += exposed(t_allreduce(g, BF16 * z->lora, gl, n), tc);
        } else {
            /* sharded inside the node, replicated across nodes: per step, each GPU all-reduces
             * its gradient shard with its peers on the other nodes */
            t = micro * (tc + exposed(k3 * t_intra(g, BF16 * P, gl), tc));
            t += exposed(meth == FULL ? t_inter(g, BF16 * P, gl, n)
                                      : t_allreduce(g, BF16 * z->lora, gl, n),
                         tc);
        }
    }
    e.t_step = t;
    e.mem = states + act;
    return e;
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

static void eval_point(const gpu_spec *g, const model_spec *m, enum method meth, int N,
                       gs_dbgen_point *out)
{
    cls_sizes z;
    double usable = USABLE_FRAC * g->memory_gb * 1e9;
    eval best = {INFINITY, 0}, lean = {INFINITY, INFINITY};
    int st, rc, best_st = ST_ZERO2, best_rc = 0, lean_st = ST_ZERO2, lean_rc = 0;
    int nodes = N > g->gpus_per_node ? N / g->gpus_per_node : 1;

    sizes_of(m, meth, &z);
    for (st = 0; st < ST_COUNT; st++) {
        if (N == 1 && st != ST_ZERO2)
            continue; /* the same memory or more, and no communication to save */
        if (st == ST_ZERO3_NODE && nodes < 2)
            continue; /* the same as zero-3 */
        for (rc = 0; rc <= 1; rc++) {
            eval e = eval_strategy(g, m, meth, &z, N, (enum strategy)st, rc);
            /* the fastest strategy that fits */
            if (e.mem <= usable && e.t_step < best.t_step) {
                best = e;
                best_st = st;
                best_rc = rc;
            }
            /* the leanest one: what one would try when nothing fits */
            if (e.mem < lean.mem || (e.mem == lean.mem && e.t_step < lean.t_step)) {
                lean = e;
                lean_st = st;
                lean_rc = rc;
            }
        }
    }
    memset(out, 0, sizeof(*out));
    out->viable = isfinite(best.t_step);
    if (!out->viable) {
        best = lean;
        best_st = lean_st;
        best_rc = lean_rc;
    }
    /* sequences per step x tokens per sequence / step time */
    out->throughput = (GLOBAL_BATCH > N ? GLOBAL_BATCH : N) * SEQ_LEN / best.t_step;
    out->mem_gb = best.mem / 1e9;
    out->usable_gb = usable / 1e9;
    out->strategy = N == 1 ? "1 GPU" : strategy_names[best_st];
    out->recompute = best_rc;
}

int gs_dbgen_eval(const char *cls, const char *type, int gpus, gs_dbgen_point *out, gs_err *err)
{
    int g = find_gpu(type), m;
    enum method meth;

    if (g < 0)
        return gs_errorf(err, GS_ENOTFOUND, "unknown GPU type '%s' in the analytic model", type);
    if (find_class(cls, &m, &meth) != 0)
        return gs_errorf(err, GS_ENOTFOUND, "unknown workload class '%s' in the analytic model",
                         cls);
    if (gpus < 1)
        return gs_errorf(err, GS_EINVAL, "GPU count must be >= 1, got %d", gpus);
    eval_point(&gpu_specs[g], &model_specs[m], meth, gpus, out);
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
        cJSON *o = cJSON_CreateObject(), *mo;
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
            !cJSON_AddNumberToObject(mo, "intra_node_GBps", g->intra_gbs) ||
            !cJSON_AddNumberToObject(mo, "inter_node_Gbps_per_gpu", g->inter_gbps) ||
            !cJSON_AddNumberToObject(mo, "usable_memory_gb", round6(USABLE_FRAC * g->memory_gb)))
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
            char name[32], desc[160];
            if (!o)
                return -1;
            cJSON_AddItemToArray(arr, o);
            sizes_of(ms, (enum method)meth, &z);
            class_name(name, sizeof(name), m, (enum method)meth);
            snprintf(desc, sizeof(desc), "%s fine-tuning of %s (%.2fB parameters)",
                     meth == LORA ? "LoRA (rank 16, all linear layers)" : "Full", ms->source,
                     z.params / 1e9);
            if (!cJSON_AddStringToObject(o, "name", name) ||
                !cJSON_AddStringToObject(o, "description", desc) || !(mo = add_obj(o, "model")) ||
                !cJSON_AddStringToObject(mo, "architecture", ms->source) ||
                !cJSON_AddNumberToObject(mo, "params", round6(z.params)) ||
                !cJSON_AddNumberToObject(mo, "trainable_params",
                                         round6(meth == LORA ? z.lora : z.params)) ||
                !cJSON_AddNumberToObject(mo, "layers", ms->layers) ||
                !cJSON_AddNumberToObject(mo, "hidden", ms->hidden) ||
                !cJSON_AddNumberToObject(mo, "ffn", ms->ffn) ||
                !cJSON_AddNumberToObject(mo, "heads", ms->heads) ||
                !cJSON_AddNumberToObject(mo, "kv_heads", ms->kv_heads) ||
                !cJSON_AddNumberToObject(mo, "vocab", ms->vocab) ||
                !cJSON_AddNumberToObject(mo, "train_flops_per_token",
                                         round6(flops_per_token(&z, ms, (enum method)meth, 0))))
                return -1;
        }
    }
    return 0;
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

/* GPU counts listed for a type: powers of two up to one node, then every whole-node multiple
 * up to MAX_GPUS (the counts gs_cluster_configs offers). */
static int next_count(const gpu_spec *g, int c)
{
    if (c < g->gpus_per_node)
        return c * 2 < g->gpus_per_node ? c * 2 : g->gpus_per_node;
    return c + g->gpus_per_node;
}

static int build_entries(cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "entries");
    int m, meth, t, c;

    if (!arr)
        return -1;
    for (m = 0; m < NMODEL; m++) {
        for (meth = LORA; meth <= FULL; meth++) {
            char name[32];
            class_name(name, sizeof(name), m, (enum method)meth);
            for (t = 0; t < NGPU; t++) {
                const gpu_spec *g = &gpu_specs[t];
                for (c = 1; c <= MAX_GPUS; c = next_count(g, c)) {
                    gs_dbgen_point pt;
                    cJSON *o = cJSON_CreateObject();
                    char note[96];
                    if (!o)
                        return -1;
                    cJSON_AddItemToArray(arr, o);
                    eval_point(g, &model_specs[m], (enum method)meth, c, &pt);
                    if (pt.viable)
                        snprintf(note, sizeof(note), "%s%s, %.1f of %.1f GB", pt.strategy,
                                 pt.recompute ? " + recompute" : "", pt.mem_gb, pt.usable_gb);
                    else
                        snprintf(note, sizeof(note), "needs %.1f GB (%s%s), %.1f usable", pt.mem_gb,
                                 pt.strategy, pt.recompute ? " + recompute" : "", pt.usable_gb);
                    if (!cJSON_AddStringToObject(o, "class", name) ||
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
    }
    return 0;
}

static int build_model(cJSON *root)
{
    cJSON *mo = add_obj(root, "model");

    return !mo || !cJSON_AddStringToObject(mo, "generator", "gpusim db generate (src/dbgen.c)") ||
                   !cJSON_AddStringToObject(mo, "documentation", "configs/scaledb/README.md") ||
                   !cJSON_AddNumberToObject(mo, "seq_len", SEQ_LEN) ||
                   !cJSON_AddNumberToObject(mo, "global_batch_sequences", GLOBAL_BATCH) ||
                   !cJSON_AddNumberToObject(mo, "micro_batch_sequences", 1) ||
                   !cJSON_AddNumberToObject(mo, "lora_rank", LORA_RANK) ||
                   !cJSON_AddNumberToObject(mo, "optimizer_bytes_per_param", OPT_BYTES) ||
                   !cJSON_AddNumberToObject(mo, "usable_memory_fraction", USABLE_FRAC) ||
                   !cJSON_AddNumberToObject(mo, "collective_efficiency", COLL_EFF) ||
                   !cJSON_AddNumberToObject(mo, "overlap_fraction", round6(OVERLAP))
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
            "Analytic model of LLM fine-tuning (Llama 2 / Code Llama 7B-70B, full and LoRA) on "
            "five GPU types; generated by 'gpusim db generate', documented in "
            "configs/scaledb/README.md. Throughput is tokens/s of the whole job; a non-viable "
            "entry gives the throughput its leanest strategy (least memory) would have if it "
            "fitted.") ||
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
