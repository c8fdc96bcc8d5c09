/* SPDX-License-Identifier: Apache-2.0 */
/* The analytic scaling model and the default DB it generates. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/cluster.h"
#include "gpusim/dbgen.h"
#include "gpusim/scaling_db.h"
#include "testutil.h"

static const char *const type_names[] = {"V100-32GB", "A100-40GB", "A100-80GB", "H100-80GB",
                                         "L40S"};
static const char *const class_names[] = {"llm-7b-lora",  "llm-7b-full",  "llm-13b-lora",
                                          "llm-13b-full", "llm-34b-lora", "llm-34b-full",
                                          "llm-70b-lora", "llm-70b-full"};
#define NT 5
#define NC 8 /* the fine-tuning classes, first in the DB */
/* the classes beyond fine-tuning, after them (docs/traces.md: job types to workload classes) */
static const char *const extra_names[] = {"eval-7b",      "eval-13b",     "eval-70b", "pretrain-7b",
                                          "pretrain-13b", "pretrain-70b", "mllm-7b",  "mllm-13b"};
#define NX 8

static gs_scaledb *db;

static void setup(void)
{
    gs_err err = {0};

    db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
}

static void teardown(void)
{
    gs_scaledb_free(db);
    db = NULL;
}

static double thr_of(int c, int t, int gpus, int *viable)
{
    double thr;
    int v;

    ck_assert_int_eq(gs_scaledb_lookup(db, c, t, gpus, 0, &thr, &v), GS_OK);
    if (viable)
        *viable = v;
    return thr;
}

START_TEST(regenerates_byte_identically)
{
    gs_err err = {0};
    char *a = gs_dbgen_json(&err), *b = gs_dbgen_json(&err);
    char *committed = gs_test_slurp(gs_test_src("configs/scaledb/default.json"));
    char *dir = gs_test_tmpdir(), path[512];
    char *written;

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(committed);
    ck_assert_str_eq(a, b);
    ck_assert_msg(!strcmp(a, committed),
                  "configs/scaledb/default.json differs from the model: run 'gpusim db generate "
                  "--out configs/scaledb/default.json'");
    snprintf(path, sizeof(path), "%s/db.json", dir);
    ck_assert_int_eq(gs_dbgen_write(path, &err), GS_OK);
    written = gs_test_slurp(path);
    ck_assert_ptr_nonnull(written);
    ck_assert_str_eq(written, committed);
    /* and through the command line, as the docs say */
    ck_assert_int_eq(gs_test_sh("%s/gpusim db generate --check %s >/dev/null", GS_BINARY_DIR,
                                gs_test_src("configs/scaledb/default.json")),
                     0);
    remove(path);
    rmdir(dir);
    free(a);
    free(b);
    free(committed);
    free(written);
    free(dir);
}
END_TEST

START_TEST(has_the_required_types_classes_and_counts)
{
    int t, c, g;

    ck_assert_int_eq(gs_scaledb_ntypes(db), NT);
    ck_assert_int_eq(gs_scaledb_nclasses(db), NC + NX);
    for (c = 0; c < NX; c++)
        ck_assert_int_eq(gs_scaledb_class_find(db, extra_names[c]), NC + c);
    ck_assert_str_eq(gs_scaledb_type_name(db, gs_scaledb_reference_type(db)), "A100-80GB");
    ck_assert_str_eq(gs_scaledb_throughput_unit(db), "tokens/s");
    for (t = 0; t < NT; t++)
        ck_assert_int_ge(gs_scaledb_type_find(db, type_names[t]), 0);
    for (c = 0; c < NC; c++)
        ck_assert_int_ge(gs_scaledb_class_find(db, class_names[c]), 0);
    ck_assert_int_eq(gs_scaledb_type_gpus_per_node(db, gs_scaledb_type_find(db, "H100-80GB")), 4);
    ck_assert_int_eq(gs_scaledb_type_gpus_per_node(db, gs_scaledb_type_find(db, "V100-32GB")), 8);
    /* counts 1, 2, 4, ... up to a node, then every whole-node multiple up to 512, all listed */
    for (c = 0; c < NC + NX; c++) {
        for (t = 0; t < NT; t++) {
            size_t ne, i, found = 0, want = 0;
            const gs_scaledb_entry *e = gs_scaledb_entries(db, &ne);
            int gpn = gs_scaledb_type_gpus_per_node(db, t);
            ck_assert_int_eq(gs_scaledb_max_gpus(db, c, t), 512);
            for (g = 1; g <= 512; g = g < gpn ? g * 2 : g + gpn) {
                want++;
                for (i = 0; i < ne; i++)
                    if (e[i].cls == c && e[i].type == t && e[i].gpus == g &&
                        e[i].nodes == (g + gpn - 1) / gpn && e[i].throughput > 0) {
                        found++;
                        break;
                    }
            }
            ck_assert_uint_eq(found, want);
        }
    }
}
END_TEST

START_TEST(node_shapes_match_the_default_cluster)
{
    gs_err err = {0};
    gs_cluster *cl = gs_cluster_load(gs_test_src("configs/clusters/default.json"), db, &err);
    size_t p;

    ck_assert_msg(cl != NULL, "%s", err.msg);
    for (p = 0; p < gs_cluster_npools(cl); p++) {
        const gs_pool *pl = gs_cluster_pool(cl, p);
        int counts[256];
        size_t n = gs_cluster_configs(cl, p, counts, 256), i;
        ck_assert_int_eq(pl->gpus_per_node, gs_scaledb_type_gpus_per_node(db, pl->type));
        /* every count the cluster offers is a listed entry (no interpolation needed) */
        for (i = 0; i < n && i < 256; i++) {
            size_t ne, k;
            const gs_scaledb_entry *e = gs_scaledb_entries(db, &ne);
            int hit = 0;
            for (k = 0; k < ne; k++)
                hit |= e[k].cls == 0 && e[k].type == pl->type && e[k].gpus == counts[i];
            ck_assert_msg(hit, "%d GPUs of %s not listed", counts[i], pl->name);
        }
    }
    gs_cluster_free(cl);
}
END_TEST

START_TEST(newer_gpus_are_faster_per_gpu)
{
    int v100 = gs_scaledb_type_find(db, "V100-32GB"), a40 = gs_scaledb_type_find(db, "A100-40GB");
    int a80 = gs_scaledb_type_find(db, "A100-80GB"), h100 = gs_scaledb_type_find(db, "H100-80GB");
    int c, g, checked = 0;

    for (c = 0; c < NC; c++) {
        for (g = 1; g <= 512; g = g < 8 ? g * 2 : g + 8) {
            double tv = thr_of(c, v100, g, NULL) / g, t40 = thr_of(c, a40, g, NULL) / g;
            double t80 = thr_of(c, a80, g, NULL) / g, th = thr_of(c, h100, g, NULL) / g;
            ck_assert_msg(th >= t80 && t80 >= t40 && t40 >= tv,
                          "%s at %d GPUs: H100 %.1f, A100-80GB %.1f, A100-40GB %.1f, V100 %.1f "
                          "tokens/s per GPU",
                          class_names[c], g, th, t80, t40, tv);
            /* and by a real margin: H100 has 3.2x the A100's peak, the A100 2.5x the V100's */
            ck_assert_double_gt(th, 1.5 * t80);
            ck_assert_double_gt(t80, 2.0 * tv);
            checked++;
        }
    }
    ck_assert_int_eq(checked, NC * 67);
}
END_TEST

/* The listed counts of a type: 1, 2, 4 (, 8) inside a node, then whole nodes up to 512. */
static int next_listed(int g, int gpn)
{
    return g < gpn ? (g * 2 < gpn ? g * 2 : gpn) : g + gpn;
}

START_TEST(per_gpu_throughput_falls_from_8_gpus)
{
    int c, t, g, checked = 0;

    /* strong scaling at a fixed global batch: every count from 8 GPUs up gives each GPU less
     * work per step, and the collectives, the step overhead and, past the data-parallel limit,
     * idle GPUs cost more per GPU; below 8 a larger count can lift per-GPU throughput by
     * sharding away recomputation (configs/scaledb/README.md) */
    for (c = 0; c < NC; c++) {
        for (t = 0; t < NT; t++) {
            int gpn = gs_scaledb_type_gpus_per_node(db, t);
            double prev = 0;
            int pg = 0;
            for (g = 1; g <= 512; g = next_listed(g, gpn)) {
                double per = thr_of(c, t, g, NULL) / g;
                if (g < 8)
                    continue;
                ck_assert_msg(per > 0, "%s on %s: no throughput at %d GPUs", class_names[c],
                              type_names[t], g);
                if (pg)
                    ck_assert_msg(per < prev,
                                  "%s on %s: %.6g tokens/s per GPU at %d GPUs, %.6g at %d: "
                                  "not falling",
                                  class_names[c], type_names[t], prev, pg, per, g);
                prev = per;
                pg = g;
                checked++;
            }
        }
    }
    ck_assert_int_eq(checked, NC * (4 * 64 + 128 - 1));
}
END_TEST

START_TEST(no_class_gains_past_its_data_parallel_limit)
{
    int c, t, g, limited = 0;

    for (c = 0; c < NC; c++) {
        for (t = 0; t < NT; t++) {
            int gpn = gs_scaledb_type_gpus_per_node(db, t);
            gs_dbgen_point pt;
            gs_err err = {0};
            double at_lim;
            ck_assert_int_eq(gs_dbgen_eval(class_names[c], type_names[t], 8, &pt, &err), GS_OK);
            /* the limit: the global batch (64 sequences full, 32 LoRA) over one-sequence
             * micro-batches, times the model-parallel degree (1 here: data parallelism fits) */
            ck_assert_int_eq(pt.dp_limit, strstr(class_names[c], "lora") ? 32 : 64);
            at_lim = thr_of(c, t, pt.dp_limit, NULL);
            ck_assert_double_gt(at_lim, thr_of(c, t, pt.dp_limit / 2, NULL));
            for (g = pt.dp_limit + gpn; g <= 512; g = next_listed(g, gpn)) {
                double thr = thr_of(c, t, g, NULL);
                gs_dbgen_point q;
                ck_assert_msg(thr <= at_lim,
                              "%s on %s gains past its limit of %d GPUs: %.6g "
                              "tokens/s at %d GPUs, %.6g at %d",
                              class_names[c], type_names[t], pt.dp_limit, thr, g, at_lim,
                              pt.dp_limit);
                ck_assert_int_eq(gs_dbgen_eval(class_names[c], type_names[t], g, &q, &err), GS_OK);
                ck_assert_int_eq(q.used_gpus, pt.dp_limit);
                limited++;
            }
        }
    }
    ck_assert_int_gt(limited, NC * NT * 50);
}
END_TEST

START_TEST(viability_follows_memory)
{
    int f70 = gs_scaledb_class_find(db, "llm-70b-full"),
        l7 = gs_scaledb_class_find(db, "llm-7b-lora");
    int f7 = gs_scaledb_class_find(db, "llm-7b-full"),
        l70 = gs_scaledb_class_find(db, "llm-70b-lora");
    int v100 = gs_scaledb_type_find(db, "V100-32GB"), a80 = gs_scaledb_type_find(db, "A100-80GB");
    int viable, g, c;
    gs_dbgen_point pt;
    gs_err err = {0};

    /* 70B full fine-tuning: ~1.1 TB of weights, gradients and Adam state */
    thr_of(f70, v100, 1, &viable);
    ck_assert_int_eq(viable, 0);
    thr_of(f70, a80, 8, &viable);
    ck_assert_int_eq(viable, 0);
    thr_of(f70, a80, 32, &viable);
    ck_assert_int_eq(viable, 1);
    ck_assert_int_eq(gs_dbgen_eval("llm-70b-full", "V100-32GB", 1, &pt, &err), GS_OK);
    ck_assert_int_eq(pt.viable, 0);
    ck_assert_double_gt(pt.mem_gb, 16 * 68e9 / 1e9); /* at least the model states */
    ck_assert_double_gt(pt.throughput, 0);
    /* 7B: LoRA fits one GPU; full fine-tuning (112 GB of states) does not fit one A100-80GB */
    thr_of(l7, a80, 1, &viable);
    ck_assert_int_eq(viable, 1);
    thr_of(f7, a80, 1, &viable);
    ck_assert_int_eq(viable, 0);
    thr_of(f7, a80, 2, &viable);
    ck_assert_int_eq(viable, 1);
    thr_of(l70, a80, 1, &viable); /* 138 GB of frozen bf16 weights */
    ck_assert_int_eq(viable, 0);
    /* viability only improves with more GPUs of a type (more memory to shard over) */
    for (c = 0; c < NC; c++) {
        int t;
        for (t = 0; t < NT; t++) {
            int gpn = gs_scaledb_type_gpus_per_node(db, t), was = 0;
            for (g = 1; g <= 512; g = g < gpn ? g * 2 : g + gpn) {
                thr_of(c, t, g, &viable);
                ck_assert_msg(viable >= was, "%s on %s: viable below %d GPUs, not at %d",
                              class_names[c], type_names[t], g, g);
                was = viable;
            }
        }
    }
    /* every ACME SFT size has a viable class on the reference type (jobs get a class) */
    for (g = 1; g <= 512; g = g < 8 ? g * 2 : g + 8) {
        int any = 0;
        for (c = 0; c < NC; c++) {
            thr_of(c, a80, g, &viable);
            any |= viable;
        }
        ck_assert_msg(any, "no class viable on %d A100-80GB", g);
    }
}
END_TEST

START_TEST(model_magnitudes_are_plausible)
{
    gs_dbgen_point pt;
    gs_err err = {0};

    /* Llama 2 7B full fine-tuning on 8 A100-80GB: a few thousand tokens/s per GPU (6 x 6.7e9
     * FLOPs per token at ~50% of 312 TFLOPS is ~3,900) */
    ck_assert_int_eq(gs_dbgen_eval("llm-7b-full", "A100-80GB", 8, &pt, &err), GS_OK);
    ck_assert_int_eq(pt.viable, 1);
    ck_assert_double_gt(pt.throughput / 8, 2000);
    ck_assert_double_lt(pt.throughput / 8, 5000);
    ck_assert_double_le(pt.mem_gb, pt.usable_gb);
    ck_assert_double_eq_tol(pt.usable_gb, 72, 1e-9);
    /* errors */
    ck_assert_int_eq(gs_dbgen_eval("llm-9b-full", "A100-80GB", 8, &pt, &err), GS_ENOTFOUND);
    ck_assert_int_eq(gs_dbgen_eval("llm-7b-full", "TPUv4", 8, &pt, NULL), GS_ENOTFOUND);
    ck_assert_int_eq(gs_dbgen_eval("llm-7b-full", "A100-80GB", 0, &pt, NULL), GS_EINVAL);
}
END_TEST

/* The classes beyond fine-tuning (configs/scaledb/README.md, "Classes beyond fine-tuning"). */
START_TEST(evaluation_pretraining_and_multimodal_classes)
{
    int a80 = gs_scaledb_type_find(db, "A100-80GB"), h100 = gs_scaledb_type_find(db, "H100-80GB");
    int v100 = gs_scaledb_type_find(db, "V100-32GB");
    int e7 = gs_scaledb_class_find(db, "eval-7b"), e70 = gs_scaledb_class_find(db, "eval-70b");
    int p7 = gs_scaledb_class_find(db, "pretrain-7b"),
        f7 = gs_scaledb_class_find(db, "llm-7b-full");
    int m7 = gs_scaledb_class_find(db, "mllm-7b"), c, g, viable;
    gs_dbgen_point pt;
    gs_err err = {0};
    double r;

    /* evaluation is not elastic; the fine-tuning and training classes are */
    for (c = 0; c < NC; c++)
        ck_assert_int_eq(gs_scaledb_class_elastic(db, c), 1);
    for (c = 0; c < NX; c++)
        ck_assert_int_eq(gs_scaledb_class_elastic(db, NC + c),
                         strncmp(extra_names[c], "eval", 4) != 0);
    /* evaluation: one replica per 1 GPU (7B) or 2 (70B on 80 GB: 138 GB of weights), and N / d
     * replicas, so throughput per GPU is flat from d GPUs on */
    thr_of(e70, a80, 1, &viable);
    ck_assert_int_eq(viable, 0);
    thr_of(e70, a80, 2, &viable);
    ck_assert_int_eq(viable, 1);
    for (g = 2; g <= 64; g *= 2)
        ck_assert_double_eq_tol(thr_of(e70, a80, g, NULL) / g, thr_of(e70, a80, 2, NULL) / 2,
                                1e-6 * thr_of(e70, a80, 2, NULL));
    /* between memory-bound decoding (HBM 3.35 vs 2.04 TB/s: 1.64x) and compute-bound prefill
     * (989 x 0.40 vs 312 x 0.50 TFLOPS: 2.54x), H100 over A100-80GB */
    r = thr_of(e7, h100, 4, NULL) / thr_of(e7, a80, 4, NULL);
    ck_assert_msg(r > 1.64 && r < 2.54, "eval-7b H100/A100 %.3f", r);
    ck_assert_double_gt(thr_of(e7, a80, 1, NULL), thr_of(e7, v100, 1, NULL));
    ck_assert_int_eq(gs_dbgen_eval("eval-7b", "A100-80GB", 8, &pt, &err), GS_OK);
    ck_assert_int_eq(pt.viable, 1);
    ck_assert_int_eq(pt.used_gpus, 8);
    /* a generated token costs more than 2 x 6.7e9 FLOPs / (312 TFLOPS x 0.5), and reading 13.5 GB
     * of weights at 2 TB/s bounds a decoding step from below: a few thousand tokens/s per GPU */
    ck_assert_double_gt(pt.throughput / 8, 1000);
    ck_assert_double_lt(pt.throughput / 8, 12000);
    /* pre-training: 1,024 sequences per step, so 512 GPUs still gain over 256, where full
     * fine-tuning (64 per step) stopped gaining at 64 */
    ck_assert_double_gt(thr_of(p7, a80, 512, NULL), 1.5 * thr_of(p7, a80, 256, NULL));
    ck_assert_double_le(thr_of(f7, a80, 512, NULL), thr_of(f7, a80, 256, NULL));
    ck_assert_double_eq_tol(thr_of(p7, a80, 8, NULL) / 8, thr_of(f7, a80, 8, NULL) / 8,
                            0.05 * thr_of(f7, a80, 8, NULL) / 8);
    thr_of(gs_scaledb_class_find(db, "pretrain-70b"), a80, 8, &viable);
    ck_assert_int_eq(viable, 0);
    /* multimodal fine-tuning: the 7B language model's full fine-tuning at 2,048 tokens, plus a
     * frozen 304M-parameter vision encoder: per-GPU throughput near the 7B full fine-tuning's */
    r = thr_of(m7, a80, 8, NULL) / thr_of(f7, a80, 8, NULL);
    ck_assert_msg(r > 0.8 && r < 1.25, "mllm-7b / llm-7b-full %.3f", r);
    ck_assert_int_eq(gs_dbgen_eval("mllm-13b", "H100-80GB", 16, &pt, &err), GS_OK);
    ck_assert_int_eq(pt.viable, 1);
    ck_assert_int_eq(gs_dbgen_eval("eval-9b", "A100-80GB", 8, &pt, &err), GS_ENOTFOUND);
    /* start-ups: evaluation reads its weights and saves nothing; pre-training resumes */
    {
        const gs_scaledb_lifecycle *le = gs_scaledb_class_lifecycle(db, e7),
                                   *lp = gs_scaledb_class_lifecycle(db, p7);
        ck_assert_double_eq_tol(le->load_gb, 13.5, 0.2);
        ck_assert_double_eq(le->checkpoint_gb, 0);
        ck_assert_double_eq(lp->load_gb, lp->restore_gb);
        ck_assert_double_gt(lp->checkpoint_gb, 90);
    }
}
END_TEST

static Suite *dbgen_suite(void)
{
    Suite *s = suite_create("dbgen");
    TCase *tc = tcase_create("model");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, regenerates_byte_identically);
    tcase_add_test(tc, has_the_required_types_classes_and_counts);
    tcase_add_test(tc, node_shapes_match_the_default_cluster);
    tcase_add_test(tc, newer_gpus_are_faster_per_gpu);
    tcase_add_test(tc, per_gpu_throughput_falls_from_8_gpus);
    tcase_add_test(tc, no_class_gains_past_its_data_parallel_limit);
    tcase_add_test(tc, viability_follows_memory);
    tcase_add_test(tc, model_magnitudes_are_plausible);
    tcase_add_test(tc, evaluation_pretraining_and_multimodal_classes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(dbgen_suite());
}
