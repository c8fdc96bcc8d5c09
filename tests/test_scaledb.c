/* SPDX-License-Identifier: Apache-2.0 */
/* Scaling DB: validation errors with file, line and field; the knowledge-error perturbation;
 * CSV import and export; the `gpusim db` commands. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/scaling_db.h"
#include "testutil.h"

/* A small valid DB: one class, two types; line numbers matter to the tests below. */
static const char *const small_db =
    "{\n"                                                                             /* 1 */
    "  \"schema_version\": 1,\n"                                                      /* 2 */
    "  \"name\": \"small\",\n"                                                        /* 3 */
    "  \"throughput_unit\": \"samples/s\",\n"                                         /* 4 */
    "  \"reference_gpu_type\": \"A\",\n"                                              /* 5 */
    "  \"gpu_types\": [{\"name\": \"A\", \"memory_gb\": 80, \"gpus_per_node\": 8},\n" /* 6 */
    "                {\"name\": \"B\", \"memory_gb\": 16, \"gpus_per_node\": 4}],\n"  /* 7 */
    "  \"classes\": [{\"name\": \"c1\"}, {\"name\": \"c2\"}],\n"                      /* 8 */
    "  \"entries\": [\n"                                                              /* 9 */
    "    {\"class\": \"c1\", \"gpu_type\": \"A\", \"gpus\": 1, \"throughput\": 10, "
    "\"viable\": true},\n" /* 10 */
    "    {\"class\": \"c1\", \"gpu_type\": \"A\", \"gpus\": 8, \"throughput\": 70, "
    "\"viable\": true},\n" /* 11 */
    "    {\"class\": \"c1\", \"gpu_type\": \"B\", \"gpus\": 1, \"throughput\": 4, "
    "\"viable\": false},\n" /* 12 */
    "    {\"class\": \"c1\", \"gpu_type\": \"B\", \"gpus\": 4, \"throughput\": 15, "
    "\"viable\": true},\n" /* 13 */
    "    {\"class\": \"c2\", \"gpu_type\": \"A\", \"gpus\": 1, \"throughput\": 0, "
    "\"viable\": false},\n" /* 14 */
    "    {\"class\": \"c2\", \"gpu_type\": \"A\", \"gpus\": 2, \"throughput\": 30, "
    "\"viable\": true}\n" /* 15 */
    "  ]\n"
    "}\n";

static char *with_replaced(const char *from, const char *to)
{
    const char *at = strstr(small_db, from);
    char *s;

    ck_assert_ptr_nonnull(at);
    s = malloc(strlen(small_db) - strlen(from) + strlen(to) + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, small_db, (size_t)(at - small_db));
    strcpy(s + (at - small_db), to);
    strcat(s, at + strlen(from));
    return s;
}

/* Loads a DB made from small_db with one substitution; returns the error message. */
static void expect_error(const char *from, const char *to, const char *want1, const char *want2)
{
    char *text = with_replaced(from, to), *path = gs_test_tmpfile(text, ".json");
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(path, &err);
    char want_file[600];

    ck_assert_ptr_null(db);
    ck_assert_int_ne(err.code, GS_OK);
    snprintf(want_file, sizeof(want_file), "'%s'", path);
    ck_assert_msg(strstr(err.msg, want_file), "no file name in '%s'", err.msg);
    ck_assert_msg(strstr(err.msg, want1), "'%s' not in '%s'", want1, err.msg);
    ck_assert_msg(strstr(err.msg, want2), "'%s' not in '%s'", want2, err.msg);
    remove(path);
    free(path);
    free(text);
}

START_TEST(rejects_malformed_dbs_with_file_line_and_field)
{
    expect_error("\"throughput\": 70", "\"throughput\": \"fast\"", "line 11",
                 "field 'entries[1].throughput'");
    expect_error("\"gpu_type\": \"B\", \"gpus\": 4", "\"gpu_type\": \"C\", \"gpus\": 4", "line 13",
                 "field 'entries[3].gpu_type'");
    expect_error("\"gpus\": 8, \"throughput\": 70", "\"gpus\": 0, \"throughput\": 70", "line 11",
                 "field 'entries[1].gpus'");
    expect_error("\"throughput\": 15, \"viable\": true", "\"throughput\": 0, \"viable\": true",
                 "line 13", "field 'entries[3].throughput'");
    expect_error("\"memory_gb\": 16", "\"memory_gb\": -16", "line 7",
                 "field 'gpu_types[1].memory_gb'");
    expect_error("{\"name\": \"c2\"}", "{\"name\": \"c1\"}", "line 8", "field 'classes[1]'");
    expect_error("\"viable\": false},\n    {\"class\": \"c1\", \"gpu_type\": \"B\", \"gpus\": 4",
                 "\"viable\": false},\n    {\"class\": \"c1\", \"gpu_type\": \"B\", \"gpus\": 1",
                 "line 13", "duplicate entry");
    expect_error("\"reference_gpu_type\": \"A\"", "\"reference_gpu_type\": \"Z\"", "line 5",
                 "field 'reference_gpu_type'");
    expect_error("\"throughput\": 10, ", "\"throughput\": 10, \"viabel\": true, ", "line 10",
                 "viabel");
    expect_error("\"schema_version\": 1", "\"schema_version\": 9", "line 2", "schema_version");
    expect_error("\"gpus\": 2, \"throughput\": 30", "\"gpus\": 2 \"throughput\": 30", "line 15",
                 "malformed JSON");
}
END_TEST

START_TEST(db_validate_command_reports_the_field)
{
    char *text = with_replaced("\"throughput\": 70", "\"throughput\": -1");
    char *path = gs_test_tmpfile(text, ".json"), *good = gs_test_tmpfile(small_db, ".json");
    char *dir = gs_test_tmpdir(), outp[600], *out;

    snprintf(outp, sizeof(outp), "%s/err.txt", dir);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db validate %s 2>%s", GS_BINARY_DIR, path, outp), 1);
    out = gs_test_slurp(outp);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(strstr(out, "line 11") && strstr(out, "field 'entries[1].throughput'") &&
                      strstr(out, path),
                  "got '%s'", out);
    free(out);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db validate %s >%s", GS_BINARY_DIR, good, outp), 0);
    out = gs_test_slurp(outp);
    ck_assert_msg(strstr(out, "2 GPU types, 2 classes, 6 entries (4 viable)"), "got '%s'", out);
    free(out);
    /* usage errors exit 2 */
    ck_assert_int_eq(gs_test_sh("%s/gpusim db frobnicate 2>/dev/null", GS_BINARY_DIR), 2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db query --gpus x 2>/dev/null", GS_BINARY_DIR), 2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db validate a b 2>/dev/null", GS_BINARY_DIR), 2);
    remove(outp);
    remove(path);
    remove(good);
    rmdir(dir);
    free(dir);
    free(path);
    free(good);
    free(text);
}
END_TEST

static gs_scaledb *load_small(void)
{
    char *path = gs_test_tmpfile(small_db, ".json");
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(path, &err);

    ck_assert_msg(db != NULL, "%s", err.msg);
    remove(path);
    free(path);
    return db;
}

static gs_scaledb *load_default(void)
{
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);

    ck_assert_msg(db != NULL, "%s", err.msg);
    return db;
}

START_TEST(perturb_zero_is_identity)
{
    gs_scaledb *db = load_default(), *k = gs_scaledb_clone(db, NULL);
    size_t n1, n2;
    const gs_scaledb_entry *a = gs_scaledb_entries(db, &n1), *b;

    ck_assert_int_eq(gs_scaledb_perturb(k, 0, 0, 42, NULL), GS_OK);
    b = gs_scaledb_entries(k, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(memcmp(a, b, n1 * sizeof(*a)), 0);
    ck_assert_int_eq(gs_scaledb_perturb(k, -1, 0, 42, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_scaledb_perturb(k, INFINITY, 0, 42, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_scaledb_perturb(k, 0.1, 1.5, 42, NULL), GS_EINVAL);
    gs_scaledb_free(k);
    gs_scaledb_free(db);
}
END_TEST

START_TEST(perturb_log_normal_error)
{
    gs_scaledb *db = load_default(), *k1 = gs_scaledb_clone(db, NULL);
    gs_scaledb *k2 = gs_scaledb_clone(db, NULL), *k3 = gs_scaledb_clone(db, NULL);
    size_t n, i, changed = 0;
    const gs_scaledb_entry *t = gs_scaledb_entries(db, &n), *e1, *e2, *e3;
    double sum = 0, sum2 = 0;

    ck_assert_int_eq(gs_scaledb_perturb(k1, 0.3, 0, 7, NULL), GS_OK);
    ck_assert_int_eq(gs_scaledb_perturb(k2, 0.3, 0, 7, NULL), GS_OK);
    ck_assert_int_eq(gs_scaledb_perturb(k3, 0.3, 0, 8, NULL), GS_OK);
    e1 = gs_scaledb_entries(k1, &n);
    e2 = gs_scaledb_entries(k2, &n);
    e3 = gs_scaledb_entries(k3, &n);
    ck_assert_int_eq(memcmp(e1, e2, n * sizeof(*e1)), 0); /* seeded */
    ck_assert_int_ne(memcmp(e1, e3, n * sizeof(*e1)), 0); /* another seed, another error */
    for (i = 0; i < n; i++) {
        double r = log(e1[i].throughput / t[i].throughput);
        ck_assert_int_eq(e1[i].viable, t[i].viable); /* no flips asked */
        changed += e1[i].throughput != t[i].throughput;
        sum += r;
        sum2 += r * r;
    }
    ck_assert_uint_eq(changed, n);
    /* log-ratio ~ N(0, 0.3^2): n > 3000, so the sample moments are tight */
    ck_assert_double_eq_tol(sum / n, 0, 0.03);
    ck_assert_double_eq_tol(sqrt(sum2 / n - (sum / n) * (sum / n)), 0.3, 0.03);
    gs_scaledb_free(k1);
    gs_scaledb_free(k2);
    gs_scaledb_free(k3);
    gs_scaledb_free(db);
}
END_TEST

START_TEST(perturb_flips_viability_keeping_modelled_throughput)
{
    gs_scaledb *db = load_default(), *k = gs_scaledb_clone(db, NULL);
    gs_scaledb *both = gs_scaledb_clone(db, NULL), *thr_only = gs_scaledb_clone(db, NULL);
    size_t n, i;
    const gs_scaledb_entry *t = gs_scaledb_entries(db, &n), *e, *eb, *et;

    ck_assert_int_eq(gs_scaledb_perturb(k, 0, 1, 3, NULL), GS_OK);
    e = gs_scaledb_entries(k, &n);
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(e[i].viable, !t[i].viable);
        /* non-viable entries carry their modelled throughput: a believed-viable one keeps it */
        ck_assert_double_eq(e[i].throughput, t[i].throughput);
    }
    /* common random numbers: the throughput errors do not depend on the flip probability */
    ck_assert_int_eq(gs_scaledb_perturb(both, 0.2, 0.1, 5, NULL), GS_OK);
    ck_assert_int_eq(gs_scaledb_perturb(thr_only, 0.2, 0, 5, NULL), GS_OK);
    eb = gs_scaledb_entries(both, &n);
    et = gs_scaledb_entries(thr_only, &n);
    {
        size_t flips = 0;
        for (i = 0; i < n; i++) {
            ck_assert_double_eq(eb[i].throughput, et[i].throughput);
            flips += eb[i].viable != t[i].viable;
        }
        ck_assert_uint_gt(flips, n / 20); /* ~10% of > 3000 entries */
        ck_assert_uint_lt(flips, n / 6);
    }
    gs_scaledb_free(k);
    gs_scaledb_free(both);
    gs_scaledb_free(thr_only);
    gs_scaledb_free(db);
}
END_TEST

START_TEST(perturb_fills_a_zero_throughput_that_becomes_viable)
{
    gs_scaledb *db = load_small();
    double thr;
    int viable, c2 = gs_scaledb_class_find(db, "c2"), a = gs_scaledb_type_find(db, "A");

    ck_assert_int_eq(gs_scaledb_perturb(db, 0, 1, 1, NULL), GS_OK);
    /* c2 on 1 A: listed with throughput 0 and not viable; now believed viable, it takes the
     * per-GPU throughput of the nearest count (2 GPUs, 30) */
    ck_assert_int_eq(gs_scaledb_lookup(db, c2, a, 1, 0, &thr, &viable), GS_OK);
    ck_assert_int_eq(viable, 1);
    ck_assert_double_eq_tol(thr, 15, 1e-9);
    gs_scaledb_free(db);
}
END_TEST

START_TEST(export_then_import_round_trips)
{
    gs_scaledb *db = load_default(), *back;
    char *dir = gs_test_tmpdir(), csv[600], out[600];
    FILE *fp;
    gs_err err = {0};
    gs_scaledb_import_stats st;
    size_t n1, n2, i;
    const gs_scaledb_entry *a, *b;

    snprintf(csv, sizeof(csv), "%s/all.csv", dir);
    snprintf(out, sizeof(out), "%s/back.json", dir);
    fp = fopen(csv, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(gs_scaledb_export_csv(db, fp, &err), GS_OK);
    fclose(fp);
    /* every pair is measured, so every modelled entry is replaced by its own export */
    ck_assert_int_eq(gs_scaledb_import(gs_test_src("configs/scaledb/default.json"), csv, 0,
                                       "round-trip", out, &st, &err),
                     GS_OK);
    back = gs_scaledb_load(out, &err);
    ck_assert_msg(back != NULL, "%s", err.msg);
    ck_assert_str_eq(gs_scaledb_name(back), "round-trip");
    a = gs_scaledb_entries(db, &n1);
    b = gs_scaledb_entries(back, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(st.rows, (long)n1);
    ck_assert_int_eq(st.replaced, (long)n1);
    for (i = 0; i < n1; i++) {
        ck_assert_int_eq(a[i].cls, b[i].cls);
        ck_assert_int_eq(a[i].type, b[i].type);
        ck_assert_int_eq(a[i].gpus, b[i].gpus);
        ck_assert_int_eq(a[i].nodes, b[i].nodes);
        ck_assert_int_eq(a[i].viable, b[i].viable);
        ck_assert_double_eq(a[i].throughput, b[i].throughput); /* exact */
    }
    gs_scaledb_free(back);
    gs_scaledb_free(db);
    remove(csv);
    remove(out);
    rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(import_replaces_pairs_or_merges)
{
    char *base = gs_test_tmpfile(small_db, ".json");
    char *csv = gs_test_tmpfile("gpu_type,class,gpus,throughput,viable,note\n"
                                "A,c1,2,25,true,bench run 3\n"
                                "A,c1,4,44,yes,\n",
                                ".csv");
    char *dir = gs_test_tmpdir(), out[600], *text;
    gs_err err = {0};
    gs_scaledb_import_stats st;
    gs_scaledb *db;
    double thr;
    int viable, c1, a;

    snprintf(out, sizeof(out), "%s/new.json", dir);
    /* replace: c1 on A now has only the two measurements (1 and 8 GPUs dropped) */
    ck_assert_int_eq(gs_scaledb_import(base, csv, 0, NULL, out, &st, &err), GS_OK);
    ck_assert_int_eq(st.replaced, 2);
    db = gs_scaledb_load(out, &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
    c1 = gs_scaledb_class_find(db, "c1");
    a = gs_scaledb_type_find(db, "A");
    ck_assert_int_eq(gs_scaledb_lookup(db, c1, a, 1, 0, &thr, &viable), GS_ENOTFOUND);
    ck_assert_int_eq(gs_scaledb_lookup(db, c1, a, 4, 0, &thr, &viable), GS_OK);
    ck_assert_double_eq_tol(thr, 44, 1e-9);
    ck_assert_int_eq(gs_scaledb_max_gpus(db, c1, a), 4);
    gs_scaledb_free(db);
    text = gs_test_slurp(out);
    ck_assert_msg(strstr(text, "bench run 3 (imported from ") && strstr(text, " line 2)"), "%s",
                  text);
    free(text);
    /* merge: the modelled 1 and 8 stay */
    ck_assert_int_eq(gs_scaledb_import(base, csv, 1, NULL, out, &st, &err), GS_OK);
    ck_assert_int_eq(st.replaced, 0);
    db = gs_scaledb_load(out, &err);
    ck_assert_int_eq(gs_scaledb_lookup(db, c1, a, 1, 0, &thr, &viable), GS_OK);
    ck_assert_double_eq_tol(thr, 10, 1e-9);
    ck_assert_int_eq(gs_scaledb_lookup(db, c1, a, 2, 0, &thr, &viable), GS_OK);
    ck_assert_double_eq_tol(thr, 25, 1e-9);
    ck_assert_int_eq(gs_scaledb_max_gpus(db, c1, a), 8);
    gs_scaledb_free(db);
    remove(out);
    remove(base);
    remove(csv);
    rmdir(dir);
    free(dir);
    free(base);
    free(csv);
}
END_TEST

static void expect_import_error(const char *csv_text, const char *want1, const char *want2)
{
    char *base = gs_test_tmpfile(small_db, ".json"), *csv = gs_test_tmpfile(csv_text, ".csv");
    char *dir = gs_test_tmpdir(), out[600];
    gs_err err = {0};
    FILE *fp;

    snprintf(out, sizeof(out), "%s/new.json", dir);
    ck_assert_int_ne(gs_scaledb_import(base, csv, 0, NULL, out, NULL, &err), GS_OK);
    ck_assert_msg(strstr(err.msg, csv) && strstr(err.msg, want1) && strstr(err.msg, want2),
                  "got '%s'", err.msg);
    fp = fopen(out, "r");
    ck_assert_ptr_null(fp); /* nothing written */
    remove(base);
    remove(csv);
    rmdir(dir);
    free(dir);
    free(base);
    free(csv);
}

START_TEST(import_rejects_bad_rows_with_line_and_column)
{
    const char *h = "class,gpu_type,gpus,nodes,throughput,viable\n";
    char buf[512];

    snprintf(buf, sizeof(buf), "%sc1,A,1,,5,true\nc9,A,2,,5,true\n", h);
    expect_import_error(buf, "line 3", "column 'class'");
    snprintf(buf, sizeof(buf), "%sc1,A,1,,5,true\nc1,Q,2,,5,true\n", h);
    expect_import_error(buf, "line 3", "column 'gpu_type'");
    snprintf(buf, sizeof(buf), "%sc1,A,two,,5,true\n", h);
    expect_import_error(buf, "line 2", "column 'gpus'");
    snprintf(buf, sizeof(buf), "%sc1,A,2,3,5,true\n", h);
    expect_import_error(buf, "line 2", "column 'nodes'");
    snprintf(buf, sizeof(buf), "%sc1,A,2,,-5,true\n", h);
    expect_import_error(buf, "line 2", "column 'throughput'");
    snprintf(buf, sizeof(buf), "%sc1,A,2,,0,true\n", h);
    expect_import_error(buf, "line 2", "throughput > 0");
    snprintf(buf, sizeof(buf), "%sc1,A,2,,5,perhaps\n", h);
    expect_import_error(buf, "line 2", "column 'viable'");
    snprintf(buf, sizeof(buf), "%sc1,A,2,,5,true\nc1,A,2,1,6,true\n", h);
    expect_import_error(buf, "line 3",
                        "duplicate measurement (same class, gpu_type, gpus and "
                        "nodes as line 2)");
    expect_import_error("class,gpu_type,gpus,throughput\nc1,A,2,5\n", "line 1",
                        "missing required column 'viable'");
    expect_import_error("class,gpu_type,gpus,throughput,viable,speed\n", "line 1",
                        "unknown column 'speed'");
    expect_import_error("class,gpu_type,gpus,throughput,viable\nc1,A,2,5\n", "line 2",
                        "expected 5 fields");
    expect_import_error("class,gpu_type,gpus,throughput,viable\n", "no measurement", "");
}
END_TEST

START_TEST(show_and_query_commands)
{
    char *dir = gs_test_tmpdir(), outp[600], *out;

    snprintf(outp, sizeof(outp), "%s/out.txt", dir);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db query --class llm-70b-full --gpu-type V100-32GB "
                                "--gpus 1 >%s",
                                GS_BINARY_DIR, outp),
                     0);
    out = gs_test_slurp(outp);
    ck_assert_msg(strstr(out, "viable no\n") && strstr(out, "source listed\n") &&
                      strstr(out, "unit tokens/s\n"),
                  "%s", out);
    free(out);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db query default --class llm-7b-full --gpu-type "
                                "A100-80GB --gpus 12 >%s",
                                GS_BINARY_DIR, outp),
                     0);
    out = gs_test_slurp(outp);
    ck_assert_msg(strstr(out, "nodes 2\n") && strstr(out, "viable yes\n") &&
                      strstr(out, "source interpolated\n"),
                  "%s", out);
    free(out);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db query --class nope --gpu-type A100-80GB --gpus 1 "
                                "2>%s",
                                GS_BINARY_DIR, outp),
                     1);
    ck_assert_int_eq(gs_test_sh("%s/gpusim db show --class llm-70b-full >%s", GS_BINARY_DIR, outp),
                     0);
    out = gs_test_slurp(outp);
    /* one table: header with every type, rows by GPU count, non-viable in parentheses */
    ck_assert_msg(strstr(out, "V100-32GB") && strstr(out, "A100-40GB") && strstr(out, "L40S") &&
                      strstr(out, "llm-70b-full\n") && !strstr(out, "llm-7b-lora") &&
                      strstr(out, "\n     1 ") && strstr(out, "\n   512 ") && strchr(out, '('),
                  "%s", out);
    free(out);
    remove(outp);
    rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(every_db_command_answers_help)
{
    static const char *const verbs[] = {"generate", "validate", "show",
                                        "query",    "import",   "export"};
    size_t i;

    ck_assert_int_eq(gs_test_sh("%s/gpusim db --help | grep -q '^usage: gpusim db'", GS_BINARY_DIR),
                     0);
    for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        ck_assert_int_eq(gs_test_sh("%s/gpusim db %s --help | grep -q '^usage: gpusim db %s'",
                                    GS_BINARY_DIR, verbs[i], verbs[i]),
                         0);
        ck_assert_int_eq(
            gs_test_sh("%s/gpusim db %s -h | grep -q '^usage:'", GS_BINARY_DIR, verbs[i]), 0);
    }
}
END_TEST

static Suite *scaledb_suite(void)
{
    Suite *s = suite_create("scaledb");
    TCase *tc = tcase_create("load");
    TCase *tk = tcase_create("perturb");
    TCase *ti = tcase_create("import");
    TCase *tcli = tcase_create("cli");

    tcase_add_test(tc, rejects_malformed_dbs_with_file_line_and_field);
    tcase_add_test(tk, perturb_zero_is_identity);
    tcase_add_test(tk, perturb_log_normal_error);
    tcase_add_test(tk, perturb_flips_viability_keeping_modelled_throughput);
    tcase_add_test(tk, perturb_fills_a_zero_throughput_that_becomes_viable);
    tcase_add_test(ti, export_then_import_round_trips);
    tcase_add_test(ti, import_replaces_pairs_or_merges);
    tcase_add_test(ti, import_rejects_bad_rows_with_line_and_column);
    tcase_add_test(tcli, db_validate_command_reports_the_field);
    tcase_add_test(tcli, show_and_query_commands);
    tcase_add_test(tcli, every_db_command_answers_help);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tk);
    suite_add_tcase(s, ti);
    suite_add_tcase(s, tcli);
    return s;
}

int main(void)
{
    return gs_test_run(scaledb_suite());
}
