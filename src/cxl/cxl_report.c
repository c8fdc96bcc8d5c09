/* SPDX-License-Identifier: Apache-2.0 */
/* The CXL module's result tables (cxl.h): the data of Figures 3 and 4 as CSV, inference results
 * as a CSV row or a JSON document, the operation timeline and the model list. */
#include "gpusim/cxl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "csv_int.h"
#include "json_int.h"
#include "util_int.h"

#define GIB 1073741824.0

static void put_num(FILE *fp, double v)
{
    char buf[64];

    gs__fmt_double(buf, sizeof(buf), v);
    fputs(buf, fp);
}

static void put_sep_num(FILE *fp, double v)
{
    fputc(',', fp);
    put_num(fp, v);
}

static void put_sep_str(FILE *fp, const char *s)
{
    fputc(',', fp);
    gs__csv_put(s, fp);
}

int gs_cxl_write_membench(const gs_cxl_hw *hw, int threads, FILE *fp, gs_err *err)
{
    gs_cxl_membench_row *rows;
    size_t n, i, j;
    int rc = gs_cxl_membench(hw, threads, &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,socket,tier,kind,relation,latency_ns,latency_vs_local_pct,bandwidth_gibs,"
                "bandwidth_all_cores_gibs,bandwidth_one_core_gibs,threads\n");
    for (i = 0; i < n; i++) {
        const gs_cxl_membench_row *r = &rows[i];
        gs_cxl_tier_info t;
        double local = NAN;
        for (j = 0; j < n; j++)
            if (rows[j].socket == r->socket && rows[j].rel == GS_CXL_REL_LOCAL) {
                local = rows[j].latency_s;
                break;
            }
        gs_cxl_hw_tier(hw, (size_t)r->tier, &t);
        fprintf(fp, "3,%d", r->socket);
        put_sep_str(fp, t.name);
        put_sep_str(fp, t.kind == GS_CXL_KIND_DRAM ? "dram" : "cxl");
        put_sep_str(fp, gs_cxl_rel_name(r->rel));
        put_sep_num(fp, r->latency_s * 1e9);
        if (isnan(local))
            fputc(',', fp);
        else
            put_sep_num(fp, 100 * (r->latency_s / local - 1));
        put_sep_num(fp, r->bw / GIB);
        put_sep_num(fp, r->bw_all_cores / GIB);
        put_sep_num(fp, r->bw_single_core / GIB);
        fprintf(fp, ",%d\n", threads);
    }
    free(rows);
    return GS_OK;
}

static const double default_injects[] = {0,   0.1, 0.2,  0.3, 0.4,  0.5,  0.6,
                                         0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0};

int gs_cxl_write_loaded(const gs_cxl_hw *hw, FILE *fp, gs_err *err)
{
    gs_cxl_loaded_row *rows;
    size_t n, i;
    int rc = gs_cxl_loaded_latency(
        hw, default_injects, sizeof(default_injects) / sizeof(default_injects[0]), &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,socket,tier,relation,inject,bandwidth_gibs,latency_ns\n");
    for (i = 0; i < n; i++) {
        gs_cxl_tier_info t;
        gs_cxl_hw_tier(hw, (size_t)rows[i].tier, &t);
        fprintf(fp, "3b,%d", rows[i].socket);
        put_sep_str(fp, t.name);
        put_sep_str(fp, gs_cxl_rel_name(rows[i].rel));
        put_sep_num(fp, rows[i].inject);
        put_sep_num(fp, rows[i].bw / GIB);
        put_sep_num(fp, rows[i].latency_s * 1e9);
        fputc('\n', fp);
    }
    free(rows);
    return GS_OK;
}

int gs_cxl_write_memcpy(const gs_cxl_hw *hw, const gs_cxl_memcpy_opts *o, FILE *fp, gs_err *err)
{
    gs_cxl_memcpy_row *rows;
    size_t n, i;
    int rc = gs_cxl_memcpy_sweep(hw, o, &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,direction,mode,tier,relation,bytes,seconds,bandwidth_gbs\n");
    for (i = 0; i < n; i++) {
        gs_cxl_tier_info t;
        gs_cxl_hw_tier(hw, (size_t)rows[i].tier, &t);
        fprintf(fp, "4,%s,%s", rows[i].dir == GS_CXL_H2D ? "h2d" : "d2h",
                rows[i].pinned ? "pinned" : "pageable");
        put_sep_str(fp, t.name);
        put_sep_str(fp, gs_cxl_rel_name(rows[i].rel));
        fprintf(fp, ",%.0f", rows[i].bytes);
        fputc(',', fp);
        fprintf(fp, "%.9f", rows[i].seconds);
        put_sep_num(fp, rows[i].bw / 1e9);
        fputc('\n', fp);
    }
    free(rows);
    return GS_OK;
}

/* "latency", or the tier names joined by '>'. */
static void order_name(const gs_cxl_hw *hw, char *buf, size_t size)
{
    int ord[GS_CXL_MAX_TIERS];
    size_t n = gs_cxl_hw_order(hw, ord), i, len;
    gs_cxl_tier_info t;

    snprintf(buf, size, "%s", n ? "" : "latency");
    for (i = 0; i < n; i++) {
        gs_cxl_hw_tier(hw, (size_t)ord[i], &t);
        len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ">" : "", t.name);
    }
}

static void put_place(FILE *fp, const gs_cxl_hw *hw, const gs_cxl_place *p)
{
    size_t i;

    put_sep_num(fp, p->gpu);
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++)
        put_sep_num(fp, p->tier[i]);
}

void gs_cxl_infer_csv_header(const gs_cxl_hw *hw, FILE *fp)
{
    size_t i;
    gs_cxl_tier_info t;

    fprintf(fp, "model,dram_channels,cxl_expanders,pcie_gen,copy,batch,gpu_batches,prompt,output,"
                "overlap,host_order,status,weights_gpu");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        fprintf(fp, ",weights_%s", t.name);
    }
    fprintf(fp, ",kv_gpu");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        fprintf(fp, ",kv_%s", t.name);
    }
    fprintf(fp, ",ttft_s,tpot_s,total_s,tokens_per_s,decode_tokens_per_s,compute_s,transfer_s,"
                "stall_s,h2d_busy_s,d2h_busy_s,h2d_gb,d2h_gb,events,message\n");
}

/* Channels of the first DRAM tier and expanders of the first CXL tier (what sweeps vary). */
static void hw_knobs(const gs_cxl_hw *hw, int *ch, int *ex)
{
    size_t i;
    gs_cxl_tier_info t;

    *ch = -1;
    *ex = -1;
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        if (t.kind == GS_CXL_KIND_DRAM && *ch < 0)
            *ch = t.units;
        if (t.kind == GS_CXL_KIND_CXL && *ex < 0)
            *ex = t.units;
    }
    if (*ex < 0)
        *ex = 0;
}

void gs_cxl_infer_csv_row(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, int status,
                          const gs_cxl_infer_result *r, const char *msg, FILE *fp)
{
    int ch, ex, i, pcie_gen = gs_cxl_hw_pcie_gen(hw);
    char ord[256];

    hw_knobs(hw, &ch, &ex);
    gs__csv_put(o->model->name, fp);
    order_name(hw, ord, sizeof(ord));
    fprintf(fp, ",%d,%d,%d,%s,%d,%d,%d,%d,%d,%s,%s", ch, ex, pcie_gen,
            o->pinned ? "pinned" : "pageable", o->batch, o->gpu_batches, o->prompt, o->output,
            o->overlap, ord, status == GS_OK ? "ok" : "infeasible");
    if (status == GS_OK) {
        put_place(fp, hw, &r->weights);
        put_place(fp, hw, &r->kv);
        put_sep_num(fp, r->ttft);
        put_sep_num(fp, r->tpot);
        put_sep_num(fp, r->total);
        put_sep_num(fp, r->tokens_per_s);
        put_sep_num(fp, r->decode_tokens_per_s);
        put_sep_num(fp, r->compute);
        put_sep_num(fp, r->transfer);
        put_sep_num(fp, r->stall);
        put_sep_num(fp, r->h2d_busy);
        put_sep_num(fp, r->d2h_busy);
        put_sep_num(fp, r->h2d_bytes / 1e9);
        put_sep_num(fp, r->d2h_bytes / 1e9);
        fprintf(fp, ",%llu,\n", (unsigned long long)r->events);
        return;
    }
    for (i = 0; i < 2 * (1 + (int)gs_cxl_hw_ntiers(hw)) + 13; i++)
        fputc(',', fp);
    put_sep_str(fp, msg);
    fputc('\n', fp);
}

static cJSON *place_json(const gs_cxl_hw *hw, const gs_cxl_place *p)
{
    cJSON *o = cJSON_CreateObject();
    size_t i;
    gs_cxl_tier_info t;

    if (!o)
        return NULL;
    gs__jadd_fixed(o, "gpu", p->gpu);
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        gs__jadd_fixed(o, t.name, p->tier[i]);
    }
    return o;
}

char *gs_cxl_infer_json(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o,
                        const gs_cxl_infer_result *r)
{
    cJSON *root = cJSON_CreateObject(), *in, *pl, *bd, *tiers;
    char *text = NULL;
    int ch, ex;
    size_t i;

    if (!root)
        return NULL;
    hw_knobs(hw, &ch, &ex);
    cJSON_AddStringToObject(root, "hardware", gs_cxl_hw_name(hw));
    {
        char *label = gs__data_label(gs_cxl_hw_path(hw));
        if (!label) { /* out of memory: no report rather than one with another path */
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddStringToObject(root, "hardware_path", label);
        free(label);
    }
    in = cJSON_AddObjectToObject(root, "inputs");
    cJSON_AddStringToObject(in, "model", o->model->name);
    cJSON_AddNumberToObject(in, "batch", o->batch);
    cJSON_AddNumberToObject(in, "gpu_batches", o->gpu_batches);
    cJSON_AddNumberToObject(in, "prompt", o->prompt);
    cJSON_AddNumberToObject(in, "output", o->output);
    cJSON_AddStringToObject(in, "copy", o->pinned ? "pinned" : "pageable");
    cJSON_AddBoolToObject(in, "overlap", o->overlap);
    cJSON_AddNumberToObject(in, "prefetch", o->prefetch);
    cJSON_AddNumberToObject(in, "dram_channels", ch);
    cJSON_AddNumberToObject(in, "cxl_expanders", ex);
    cJSON_AddNumberToObject(in, "pcie_gen", gs_cxl_hw_pcie_gen(hw));
    cJSON_AddNumberToObject(in, "pcie_lanes", gs_cxl_hw_pcie_lanes(hw));
    gs__jadd_fixed(in, "pcie_h2d_gbs", gs_cxl_hw_pcie_bw(hw, GS_CXL_H2D) / 1e9);
    pl = cJSON_AddObjectToObject(root, "placement");
    cJSON_AddStringToObject(pl, "policy_weights", o->auto_weights ? "auto" : "given");
    cJSON_AddStringToObject(pl, "policy_kv", o->auto_kv ? "auto" : "given");
    {
        char ord[256];
        order_name(hw, ord, sizeof(ord));
        cJSON_AddStringToObject(pl, "host_order", ord);
    }
    gs__jput(pl, "weights", place_json(hw, &r->weights));
    gs__jput(pl, "kv", place_json(hw, &r->kv));
    gs__jadd_fixed(pl, "weights_gib", r->weight_bytes / GIB);
    gs__jadd_fixed(pl, "kv_gib", r->kv_bytes / GIB);
    gs__jadd_fixed(pl, "gpu_used_gib", r->gpu_used / GIB);
    gs__jadd_fixed(root, "ttft_s", r->ttft);
    gs__jadd_fixed(root, "tpot_s", r->tpot);
    gs__jadd_fixed(root, "total_s", r->total);
    gs__jadd_fixed(root, "tokens_per_s", r->tokens_per_s);
    gs__jadd_fixed(root, "decode_tokens_per_s", r->decode_tokens_per_s);
    bd = cJSON_AddObjectToObject(root, "breakdown");
    gs__jadd_fixed(bd, "compute_s", r->compute);
    gs__jadd_fixed(bd, "transfer_s", r->transfer);
    gs__jadd_fixed(bd, "stall_s", r->stall);
    gs__jadd_fixed(bd, "h2d_busy_s", r->h2d_busy);
    gs__jadd_fixed(bd, "d2h_busy_s", r->d2h_busy);
    gs__jadd_fixed(bd, "h2d_gb", r->h2d_bytes / 1e9);
    gs__jadd_fixed(bd, "d2h_gb", r->d2h_bytes / 1e9);
    tiers = cJSON_AddObjectToObject(bd, "tier_gb");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_tier_info t;
        cJSON *x;
        gs_cxl_hw_tier(hw, i, &t);
        x = cJSON_AddObjectToObject(tiers, t.name);
        gs__jadd_fixed(x, "read", r->tier_read[i] / 1e9);
        gs__jadd_fixed(x, "written", r->tier_write[i] / 1e9);
    }
    cJSON_AddNumberToObject(root, "events", (double)r->events);
    cJSON_AddNumberToObject(root, "operations", (double)r->ops);
    text = gs__jprint(root, 1, NULL); /* NULL also when the tree was built short */
    cJSON_Delete(root);
    return text;
}

void gs_cxl_write_timeline(const gs_cxl_hw *hw, const gs_cxl_infer_result *r, FILE *fp)
{
    size_t i;

    fprintf(fp, "step,layer,batch,op,tier,bytes,start_s,end_s\n");
    for (i = 0; i < r->ntimeline; i++) {
        const gs_cxl_op_rec *t = &r->timeline[i];
        gs_cxl_tier_info ti;
        fprintf(fp, "%d,%d,%d,%s,", t->step, t->layer, t->batch, gs_cxl_op_name(t->kind));
        if (t->tier >= 0 && gs_cxl_hw_tier(hw, (size_t)t->tier, &ti) == GS_OK)
            gs__csv_put(ti.name, fp);
        fprintf(fp, ",%.0f", t->bytes);
        fprintf(fp, ",%.9f,%.9f\n", t->start, t->end);
    }
}

void gs_cxl_write_models(FILE *fp)
{
    size_t i;

    fprintf(fp,
            "model,layers,hidden,heads,kv_heads,ffn,vocab,weights_gib,layer_mib,kv_kib_per_token,"
            "source\n");
    for (i = 0; i < gs_cxl_model_count(); i++) {
        const gs_cxl_model *m = gs_cxl_model_at(i);
        fprintf(fp, "%s,%d,%d,%d,%d,%d,%d,", m->name, m->layers, m->hidden, m->heads, m->kv_heads,
                m->ffn, m->vocab);
        put_num(fp, gs_cxl_model_weight_bytes(m) / GIB);
        put_sep_num(fp, gs_cxl_model_layer_bytes(m) / 1048576.0);
        put_sep_num(fp, gs_cxl_model_kv_bytes(m) * m->layers / 1024.0);
        put_sep_str(fp, m->source);
        fputc('\n', fp);
    }
}
