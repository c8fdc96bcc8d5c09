/* SPDX-License-Identifier: Apache-2.0 */
/* Scaling DB and cluster configs: lookups, interpolation, class mix, and every validation error
 * naming file, line and field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"
#include "testutil.h"

static gs_scaledb *db;
static gs_err err;

static void setup(void)
{
    gs_err_clear(&err);
    db = gs_scaledb_load(gs_test_src("tests/data/tiny_db.json"), &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
}

static void teardown(void)
{
    gs_scaledb_free(db);
}

START_TEST(test_db_lookup)
{
    int small = gs_scaledb_class_find(db, "small"), big = gs_scaledb_class_find(db, "big");
    int a100 = gs_scaledb_type_find(db, "A100-80GB"), v100 = gs_scaledb_type_find(db, "V100-32GB");
    double thr;
    int viable;

    ck_assert_int_eq(gs_scaledb_ntypes(db), 2);
    ck_assert_int_eq(gs_scaledb_nclasses(db), 2);
    ck_assert_int_eq(gs_scaledb_reference_type(db), a100);
    ck_assert_int_eq(gs_scaledb_type_find(db, "H100"), -1);
    ck_assert_int_eq(gs_scaledb_lookup(db, small, a100, 4, 0, &thr, &viable), GS_OK);
    ck_assert_double_eq(thr, 40);
    ck_assert_int_eq(viable, 1);
    ck_assert_int_eq(gs_scaledb_lookup(db, big, a100, 1, 0, &thr, &viable), GS_OK);
    ck_assert_int_eq(viable, 0);
    ck_assert_double_eq(thr, 10);
    /* 3 GPUs: per-GPU throughput interpolated between 2 (9/GPU) and 4 (9/GPU) */
    ck_assert_int_eq(gs_scaledb_lookup(db, big, a100, 3, 0, &thr, &viable), GS_OK);
    ck_assert_double_eq_tol(thr, 27, 1e-9);
    ck_assert_int_eq(viable, 1);
    /* 12 GPUs: between 8 (9/GPU) and 16 (8/GPU) -> 8.5/GPU */
    gs_scaledb_lookup(db, big, a100, 12, 0, &thr, &viable);
    ck_assert_double_eq_tol(thr, 102, 1e-9);
    /* viability of an unlisted count follows the listed count below: 6 V100 like 4 V100 */
    gs_scaledb_lookup(db, big, v100, 6, 0, &thr, &viable);
    ck_assert_int_eq(viable, 0);
    /* above the largest listed: its per-GPU throughput */
    gs_scaledb_lookup(db, big, a100, 32, 0, &thr, &viable);
    ck_assert_double_eq_tol(thr, 256, 1e-9);
    ck_assert_int_eq(viable, 1);
    /* below the smallest listed: unknown */
    ck_assert_int_eq(gs_scaledb_lookup(db, big, v100, 1, 0, &thr, &viable), GS_ENOTFOUND);
    ck_assert_int_eq(viable, 0);
    ck_assert_int_eq(gs_scaledb_max_gpus(db, big, a100), 16);
}
END_TEST

START_TEST(test_db_mix)
{
    double w[2];
    int small = gs_scaledb_class_find(db, "small"), big = gs_scaledb_class_find(db, "big");

    gs_scaledb_mix(db, 1, w);
    ck_assert_double_eq(w[small], 1);
    ck_assert_double_eq(w[big], 0);
    gs_scaledb_mix(db, 8, w);
    ck_assert_double_eq(w[small], 0.5);
    ck_assert_double_eq(w[big], 0.5);
}
END_TEST

START_TEST(test_db_clone_and_perturb)
{
    gs_scaledb *k = gs_scaledb_clone(db, &err), *k2;
    size_t n, i, differ = 0;
    const gs_scaledb_entry *a, *b;
    double t1, t2;
    int v1, v2;

    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(gs_scaledb_perturb(k, 0, 0, 7, &err), GS_OK);
    a = gs_scaledb_entries(db, &n);
    b = gs_scaledb_entries(k, &n);
    for (i = 0; i < n; i++)
        ck_assert_double_eq(a[i].throughput, b[i].throughput);
    ck_assert_int_eq(gs_scaledb_perturb(k, 0.5, 0, 7, &err), GS_OK);
    for (i = 0; i < n; i++) {
        differ += a[i].throughput != b[i].throughput;
        ck_assert_int_eq(a[i].viable, b[i].viable);
    }
    ck_assert_uint_eq(differ, n);
    /* the truth is untouched */
    gs_scaledb_lookup(db, 0, 1, 4, 0, &t1, &v1);
    ck_assert_double_eq(t1, 40);
    /* seeded */
    k2 = gs_scaledb_clone(db, &err);
    gs_scaledb_perturb(k2, 0.5, 0, 7, &err);
    gs_scaledb_lookup(k, 1, 1, 8, 0, &t1, &v1);
    gs_scaledb_lookup(k2, 1, 1, 8, 0, &t2, &v2);
    ck_assert_double_eq(t1, t2);
    gs_scaledb_free(k2);
    /* flips */
    k2 = gs_scaledb_clone(db, &err);
    gs_scaledb_perturb(k2, 0, 1.0, 3, &err);
    b = gs_scaledb_entries(k2, &n);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(b[i].viable, !a[i].viable);
    gs_scaledb_free(k2);
    gs_scaledb_free(k);
    ck_assert_int_eq(gs_scaledb_perturb(db, -1, 0, 1, &err), GS_EINVAL);
}
END_TEST

START_TEST(test_default_configs_load)
{
    gs_scaledb *d = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    gs_cluster *c;

    ck_assert_msg(d != NULL, "%s", err.msg);
    c = gs_cluster_load(gs_test_src("configs/clusters/default.json"), d, &err);
    ck_assert_msg(c != NULL, "%s", err.msg);
    ck_assert_int_ge(gs_cluster_total_gpus(c), 128);
    ck_assert_int_le(gs_cluster_total_gpus(c), 192);
    ck_assert_uint_ge(gs_cluster_npools(c), 3);
    gs_cluster_free(c);
    c = gs_cluster_load(gs_test_src("configs/clusters/seren.json"), d, &err);
    ck_assert_msg(c != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_cluster_total_gpus(c), 2288);
    gs_cluster_free(c);
    gs_scaledb_free(d);
}
END_TEST

START_TEST(test_cluster)
{
    gs_cluster *c = gs_cluster_load(gs_test_src("tests/data/tiny_cluster.json"), db, &err);
    const gs_pool *p;
    int counts[16];
    size_t n;

    ck_assert_msg(c != NULL, "%s", err.msg);
    ck_assert_uint_eq(gs_cluster_npools(c), 2);
    p = gs_cluster_pool(c, 0);
    ck_assert_str_eq(p->name, "V100-32GB");
    ck_assert_int_eq(p->capacity, 8);
    ck_assert_int_eq(gs_cluster_pool(c, 1)->node_base, 1);
    ck_assert_int_eq(gs_cluster_pool_of_type(c, gs_scaledb_type_find(db, "A100-80GB")), 1);
    n = gs_cluster_configs(c, 0, counts, 16);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(counts[3], 8);
    gs_cluster_free(c);
    {
        gs_pool pools[1] = {{NULL, 1, 4, 3, 0, 0, 100, 0, 0, 0, GS_POWER_NONE}};
        c = gs_cluster_new("x", db, pools, 1, &err);
        ck_assert_ptr_nonnull(c);
        n = gs_cluster_configs(c, 0, counts, 16);
        ck_assert_uint_eq(n, 5); /* 1 2 4 8 12 */
        ck_assert_int_eq(counts[4], 12);
        gs_cluster_free(c);
    }
}
END_TEST

/* Loads text as a DB (want_db) or a cluster and checks the error names the line and field. */
static void expect_error(int want_db, const char *text, const char *line, const char *field)
{
    char *path = gs_test_tmpfile(text, ".json");
    gs_err e = {0};
    void *obj;

    if (want_db)
        obj = gs_scaledb_load(path, &e);
    else
        obj = gs_cluster_load(path, db, &e);
    ck_assert_msg(obj == NULL, "loaded a bad config: %s", text);
    ck_assert_msg(strstr(e.msg, path) != NULL, "no file in '%s'", e.msg);
    ck_assert_msg(strstr(e.msg, line) != NULL, "no '%s' in '%s'", line, e.msg);
    if (field)
        ck_assert_msg(strstr(e.msg, field) != NULL, "no '%s' in '%s'", field, e.msg);
    remove(path);
    free(path);
}

#define DB_HEAD                                                                                    \
    "{\n \"schema_version\": 1,\n \"gpu_types\": [{\"name\": \"A100-80GB\", \"memory_gb\": "       \
    "80}],\n"                                                                                      \
    " \"classes\": [{\"name\": \"c\"}],\n"

START_TEST(test_db_errors)
{
    expect_error(1, "{\n \"schema_version\": 1,\n \"gpu_types\": [\n  {\"name\": \"x\",}\n ]\n}\n",
                 "line 4", "malformed JSON");
    expect_error(1, "", "line 1", "empty");
    expect_error(1, "{\"gpu_types\": []}\n", "line 1", "schema_version");
    expect_error(1, "{\"schema_version\": 99}\n", "line 1", "newer");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": 1, \"viable\": true},\n"
                         "  {\"class\": \"c\", \"gpu_type\": \"H200\", \"gpus\": 1, "
                         "\"throughput\": 1, \"viable\": true}\n ]\n}\n",
                 "line 7", "entries[1].gpu_type");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"d\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": 1, \"viable\": true}\n ]\n}\n",
                 "line 6", "unknown workload class 'd'");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": -3, \"viable\": true}\n ]\n}\n",
                 "line 6", "entries[0].throughput");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": 1, \"viable\": \"yes\"}\n ]\n}\n",
                 "line 6", "entries[0].viable");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": 1, \"viable\": true},\n"
                         "  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, "
                         "\"throughput\": 2, \"viable\": true}\n ]\n}\n",
                 "line 7", "duplicate");
    expect_error(1,
                 DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", "
                         "\"gpus\": 1, \"throughput\": 1, \"viable\": true, \"speed\": 3}\n ]\n}\n",
                 "line 6", "unknown field 'speed'");
    expect_error(1,
                 DB_HEAD " \"class_mix\": [{\"max_gpus\": 8, \"weights\": {\"zz\": 1}}],\n"
                         " \"entries\": []\n}\n",
                 "line 5", "class_mix[0].weights.zz");
    expect_error(1, DB_HEAD " \"reference_gpu_type\": \"TPU\",\n \"entries\": []\n}\n", "line 5",
                 "reference_gpu_type");
}
END_TEST

START_TEST(test_cluster_errors)
{
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 2},\n"
                 "  {\"gpu_type\": \"B200\", \"nodes\": 2}\n ]\n}\n",
                 "line 5", "node_groups[1].gpu_type");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 2},\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 1}\n ]\n}\n",
                 "line 5", "already has a node group");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": -2}\n ]\n}\n",
                 "line 4", "node_groups[0].nodes");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\"}\n ]\n}\n",
                 "line 4", "missing required field 'nodes'");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 1, \"gpus_per_nod\": 4}\n ]\n}\n",
                 "line 4", "unknown field 'gpus_per_nod'");
    expect_error(0, "{\n \"schema_version\": 1,\n \"node_groups\": []\n}\n", "line 3",
                 "no node group");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 1,\n"
                 "   \"busy_watts\": 300, \"idle_watts\": 350}\n ]\n}\n",
                 "line 5", "node_groups[0].idle_watts");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 1,\n"
                 "   \"price_per_gpu_hour\": -1}\n ]\n}\n",
                 "line 5", "node_groups[0].price_per_gpu_hour");
    expect_error(0,
                 "{\n \"schema_version\": 1,\n \"node_groups\": [\n"
                 "  {\"gpu_type\": \"A100-80GB\", \"nodes\": 1, \"busy_watts\": 20000}\n ]\n}\n",
                 "line 4", "node_groups[0].busy_watts");
    expect_error(0, "{\n \"schema_version\": 1,\n \"node_groups\": [\n  {\"gpu_type\": 5}\n",
                 "line", "malformed JSON");
}
END_TEST

/* Ranges: a cluster of exactly 10^6 GPUs loads and is counted right; more, in any group or summed
 * over groups whose product overflows an int, is a located error; DB throughputs at their bounds
 * load, beyond them (1e-300, 1e300) are located errors. */
START_TEST(test_ranges)
{
    static const char *const too_big[] = {
        /* 4 groups of 1024 x 10^6: the sum used to wrap around to a negative count */
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 1024, \"nodes\": 1000000},\n"
        " {\"gpu_type\": \"V100-32GB\", \"gpus_per_node\": 1024, \"nodes\": 1000000}]}\n",
        /* two groups within the limit each, over it together */
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 8, \"nodes\": 125000},\n"
        " {\"gpu_type\": \"V100-32GB\", \"gpus_per_node\": 1, \"nodes\": 1}]}\n",
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 1025, \"nodes\": 1}]}\n",
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 1, \"nodes\": 1000001}]}\n",
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 1, \"nodes\": 1e300}]}\n",
        "{\"schema_version\": 1, \"node_groups\": [\n"
        " {\"gpu_type\": \"A100-80GB\", \"nodes\": 1, \"inter_node_gbps\": 1e300}]}\n",
    };
    char *path = gs_test_tmpfile("{\"schema_version\": 1, \"node_groups\": [\n"
                                 " {\"gpu_type\": \"A100-80GB\", \"gpus_per_node\": 8, "
                                 "\"nodes\": 124999},\n"
                                 " {\"gpu_type\": \"V100-32GB\", \"gpus_per_node\": 8, "
                                 "\"nodes\": 1}]}\n",
                                 ".json");
    gs_cluster *c = gs_cluster_load(path, db, &err);
    size_t i;

    ck_assert_msg(c != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_cluster_total_gpus(c), 1000000);
    gs_cluster_free(c);
    remove(path);
    free(path);
    for (i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++)
        expect_error(0, too_big[i], "line", "node_groups[");
    expect_error(0, too_big[0], "line 2", "more than 1000000 GPUs");
    expect_error(0, too_big[1], "line 3", "more than 1000000 GPUs");

#define ENTRY(thr)                                                                                 \
    DB_HEAD " \"entries\": [\n  {\"class\": \"c\", \"gpu_type\": \"A100-80GB\", \"gpus\": 1, "     \
            "\"throughput\": " thr ", \"viable\": true}\n ]\n}\n"
    {
        static const char *const ok[] = {ENTRY("1e-6"), ENTRY("1e15")};
        for (i = 0; i < 2; i++) {
            gs_scaledb *d;
            path = gs_test_tmpfile(ok[i], ".json");
            d = gs_scaledb_load(path, &err);
            ck_assert_msg(d != NULL, "%s", err.msg);
            gs_scaledb_free(d);
            remove(path);
            free(path);
        }
    }
    expect_error(1, ENTRY("1e-300"), "line 6", "entries[0].throughput");
    expect_error(1, ENTRY("9e-7"), "line 6", "entries[0].throughput");
    expect_error(1, ENTRY("1.1e15"), "line 6", "entries[0].throughput");
    expect_error(1, ENTRY("1e300"), "line 6", "entries[0].throughput");
    expect_error(1, ENTRY("1e999"), "line 6", "throughput");
#undef ENTRY
}
END_TEST

/* Power and price: the datasheet defaults by type name, a node group's own values, and what it
 * leaves out taken from the defaults. */
START_TEST(test_cluster_power)
{
    char *path = gs_test_tmpfile("{\"schema_version\": 1, \"node_groups\": [\n"
                                 " {\"gpu_type\": \"V100-32GB\", \"nodes\": 1},\n"
                                 " {\"gpu_type\": \"A100-80GB\", \"nodes\": 1, \"idle_watts\": "
                                 "50, \"price_per_gpu_hour\": 2.5}]}\n",
                                 ".json");
    gs_cluster *c = gs_cluster_load(path, db, &err);
    const gs_pool *v, *a;
    double busy, idle, price;

    ck_assert_msg(c != NULL, "%s", err.msg);
    v = gs_cluster_pool(c, 0);
    a = gs_cluster_pool(c, 1);
    ck_assert_int_eq(v->power_from, GS_POWER_DEFAULT);
    ck_assert_double_eq_tol(v->busy_watts, 300, 1e-9); /* V100 SXM2 datasheet */
    ck_assert_double_eq_tol(v->idle_watts, 45, 1e-9);  /* 15 % assumed */
    ck_assert_double_eq_tol(v->price_per_gpu_hour, 31.212 / 8, 1e-9);
    ck_assert_int_eq(a->power_from, GS_POWER_CONFIG);
    ck_assert_double_eq_tol(a->busy_watts, 400, 1e-9); /* not set: the A100 default */
    ck_assert_double_eq_tol(a->idle_watts, 50, 1e-9);
    ck_assert_double_eq_tol(a->price_per_gpu_hour, 2.5, 1e-9);
    ck_assert_int_eq(gs_gpu_defaults("H100-80GB", &busy, &idle, &price), 1);
    ck_assert_double_eq_tol(busy, 700, 1e-9);
    ck_assert_int_eq(gs_gpu_defaults("B200", &busy, &idle, &price), 0);
    gs_cluster_free(c);
    remove(path);
    free(path);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("db");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_db_lookup);
    tcase_add_test(tc, test_db_mix);
    tcase_add_test(tc, test_db_clone_and_perturb);
    tcase_add_test(tc, test_default_configs_load);
    tcase_add_test(tc, test_cluster);
    tcase_add_test(tc, test_db_errors);
    tcase_add_test(tc, test_cluster_errors);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_cluster_power);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(config_suite());
}
