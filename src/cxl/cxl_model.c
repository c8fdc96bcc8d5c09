/* SPDX-License-Identifier: Apache-2.0 */
/* LLM shapes for the offload model and the byte counts derived from them (fp16). */
#include <string.h>

#include "gpusim/cxl.h"

/* OPT shapes: FMInference/FlexLLMGen flexllmgen/opt_config.py (vocab 50,272; FFN = 4 x hidden;
 * multi-head attention; tied input/output embeddings). Llama 3.1 shapes:
 * meta-llama/llama-models models/llama3_1/api/sku_list.py (vocab 128,256; head_dim 128; 8 KV
 * heads; FFN from ffn_dim_multiplier and multiple_of of the same file). */
static const gs_cxl_model models[] = {
    {"opt-6.7b", "FlexLLMGen opt_config.py", 32, 4096, 32, 32, 16384, 50272, 0, 1},
    {"opt-30b", "FlexLLMGen opt_config.py", 48, 7168, 56, 56, 28672, 50272, 0, 1},
    {"opt-66b", "FlexLLMGen opt_config.py", 64, 9216, 72, 72, 36864, 50272, 0, 1},
    {"opt-175b", "FlexLLMGen opt_config.py", 96, 12288, 96, 96, 49152, 50272, 0, 1},
    {"llama3.1-8b", "llama-models sku_list.py", 32, 4096, 32, 8, 14336, 128256, 1, 0},
    {"llama3.1-70b", "llama-models sku_list.py", 80, 8192, 64, 8, 28672, 128256, 1, 0},
    {"llama3.1-405b", "llama-models sku_list.py", 126, 16384, 128, 8, 53248, 128256, 1, 0},
};

size_t gs_cxl_model_count(void)
{
    return sizeof(models) / sizeof(models[0]);
}

const gs_cxl_model *gs_cxl_model_at(size_t i)
{
    return i < gs_cxl_model_count() ? &models[i] : NULL;
}

const gs_cxl_model *gs_cxl_model_find(const char *name)
{
    size_t i;

    for (i = 0; i < gs_cxl_model_count(); i++)
        if (!strcmp(models[i].name, name))
            return &models[i];
    return NULL;
}

/* Parameters of one layer: Q and O are hidden x hidden, K and V hidden x (kv_heads x head_dim),
 * the MLP two (OPT) or three (gated, Llama) hidden x ffn matrices. Biases and norms are a few
 * hidden-sized vectors and are left out. */
static double layer_params(const gs_cxl_model *m)
{
    double h = m->hidden, hd = (double)m->hidden / m->heads, kv = m->kv_heads * hd;

    return 2 * h * h + 2 * h * kv + (m->gated_mlp ? 3 : 2) * h * m->ffn;
}

double gs_cxl_model_layer_bytes(const gs_cxl_model *m)
{
    return 2 * layer_params(m);
}

double gs_cxl_model_head_bytes(const gs_cxl_model *m)
{
    return 2.0 * m->vocab * m->hidden;
}

double gs_cxl_model_weight_bytes(const gs_cxl_model *m)
{
    double emb = gs_cxl_model_head_bytes(m);

    return m->layers * gs_cxl_model_layer_bytes(m) + (m->tied_embeddings ? emb : 2 * emb);
}

double gs_cxl_model_kv_bytes(const gs_cxl_model *m)
{
    /* K and V, kv_heads x head_dim each, fp16 */
    return 2.0 * 2.0 * m->kv_heads * ((double)m->hidden / m->heads);
}
