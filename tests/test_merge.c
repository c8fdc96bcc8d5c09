/* SPDX-License-Identifier: Apache-2.0 */
/* Merging result folders: which folders count, the runs table (column order, values copied as
 * written), the jobs table, pooled CDFs, and errors that name the file, line and field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpusim/cluster.h"
#include "gpusim/merge.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "testutil.h"

static char *root;

/* Simulates tests/data/small_trace.csv into result folder root/rel (summary.json + jobs.csv). */
static void make_run(const char *rel, unsigned long long seed, const char *param)
{
    static const char *const names[] = {"trace", "cluster", "scaledb"};
    const char *paths[3];
    const char *params[1];
    char dir[512], path[600];
    gs_err err = {0};
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
    gs_sim_opts o;
    gs_sim *sim;
    gs_run_meta meta;
    char *text;
    FILE *fp;

    snprintf(dir, sizeof(dir), "%s/%s", root, rel);
    ck_assert_int_eq(gs_test_sh("mkdir -p '%s'", dir), 0);
    paths[0] = gs_test_src("tests/data/small_trace.csv");
    paths[0] = strdup(paths[0]);
    paths[1] = strdup(gs_test_src("tests/data/tiny_cluster.json"));
    paths[2] = strdup(gs_test_src("tests/data/tiny_db.json"));
    db = gs_scaledb_load(paths[2], &err);
    ck_assert_msg(db != NULL, "%s", err.msg);
    cl = gs_cluster_load(paths[1], db, &err);
    ck_assert_msg(cl != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_trace_load(&tr, paths[0], "SFT", &err), GS_OK);
    gs_sim_opts_init(&o);
    o.seed = seed;
    if (param) {
        /* fifo takes no parameter: a copy of it that declares two, to see them merged */
        static const gs_policy_param declared[] = {
            {"alpha", 0, "a test parameter"}, {"zeta", 0, "another"}, {NULL, 0, NULL}};
        static gs_policy_ops fifo_params;
        fifo_params = *gs_policy_find("fifo");
        fifo_params.params = declared;
        o.policy_ops = &fifo_params;
        params[0] = param;
        o.params = params;
        o.nparams = 1;
    }
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    meta.command = "gpusim run, by test_merge";
    meta.input_names = names;
    meta.input_paths = paths;
    meta.ninputs = 3;
    text = gs_sim_summary_json(sim, &meta, &err);
    ck_assert_msg(text != NULL, "%s", err.msg);
    snprintf(path, sizeof(path), "%s/summary.json", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    free(text);
    snprintf(path, sizeof(path), "%s/jobs.csv", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(gs_sim_write_jobs(sim, fp, &err), GS_OK);
    fclose(fp);
    gs_sim_free(sim);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    free((void *)paths[0]);
    free((void *)paths[1]);
    free((void *)paths[2]);
}

static void setup(void)
{
    root = gs_test_tmpdir();
}

static void teardown(void)
{
    gs_test_sh("rm -rf '%s'", root);
    free(root);
}

/* Writes table(m) to a string. */
static char *table(const gs_merge *m, int which, const char *by)
{
    char *path = gs_test_tmpfile("", ".csv"), *text;
    FILE *fp = fopen(path, "w");
    gs_err err = {0};
    int rc;

    ck_assert_ptr_nonnull(fp);
    rc = which == 0   ? gs_merge_write_runs(m, fp, &err)
         : which == 1 ? gs_merge_write_jobs(m, fp, &err)
                      : gs_merge_write_cdf(m, by, fp, &err);
    fclose(fp);
    ck_assert_msg(rc == GS_OK, "%s", err.msg);
    text = gs_test_slurp(path);
    remove(path);
    free(path);
    return text;
}

static int count_lines(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The index of column name in the CSV header line of text (-1 when absent). */
static int column(const char *text, const char *name)
{
    char head[4096], *tok, *save = NULL;
    int i = 0;

    snprintf(head, sizeof(head), "%.*s", (int)strcspn(text, "\n"), text);
    for (tok = strtok_r(head, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++)
        if (!strcmp(tok, name))
            return i;
    return -1;
}

START_TEST(finds_complete_runs_only)
{
    gs_merge *m = gs_merge_new(NULL);
    gs_err err = {0};
    char p[600];

    make_run("sweep/tr/fifo/s2", 2, NULL);
    make_run("sweep/tr/fifo/s1", 1, NULL);
    make_run("sweep/a-first", 3, NULL);
    /* an interrupted run: a temporary sibling with a partial summary */
    snprintf(p, sizeof(p), "%s/sweep/tr/fifo/.s3.tmp-abc123", root);
    ck_assert_int_eq(gs_test_sh("mkdir -p '%s' && printf '{\"pol' > '%s/summary.json'", p, p), 0);
    snprintf(p, sizeof(p), "%s/sweep", root);
    ck_assert_msg(gs_merge_add(m, p, &err) == GS_OK, "%s", err.msg);
    ck_assert_uint_eq(gs_merge_nruns(m), 3);
    ck_assert_ptr_nonnull(strstr(gs_merge_run_dir(m, 0), "sweep/a-first"));
    ck_assert_ptr_nonnull(strstr(gs_merge_run_dir(m, 1), "sweep/tr/fifo/s1"));
    ck_assert_ptr_nonnull(strstr(gs_merge_run_dir(m, 2), "sweep/tr/fifo/s2"));
    /* a folder added again (here through its summary.json) is not added twice */
    snprintf(p, sizeof(p), "%s/sweep/tr/fifo/s1/summary.json", root);
    ck_assert_msg(gs_merge_add(m, p, &err) == GS_OK, "%s", err.msg);
    ck_assert_uint_eq(gs_merge_nruns(m), 3);
    ck_assert_str_eq(gs_merge_value(m, 1, "seed"), "1");
    ck_assert_str_eq(gs_merge_value(m, 1, "policy"), "fifo");
    ck_assert_ptr_null(gs_merge_value(m, 1, "no_such_column"));
    gs_merge_free(m);
}
END_TEST

START_TEST(runs_table)
{
    gs_merge *m = gs_merge_new(NULL);
    gs_err err = {0};
    char p[600], *t, *summary, line[4096];
    const char *second;

    make_run("r/a", 18446744073709551615ULL, "zeta=1");
    make_run("r/b", 7, "alpha=2.5");
    snprintf(p, sizeof(p), "%s/r", root);
    ck_assert_msg(gs_merge_add(m, p, &err) == GS_OK, "%s", err.msg);
    t = table(m, 0, NULL);
    ck_assert_int_eq(count_lines(t), 3);
    /* fixed order: run, parameters, param.* sorted, metrics, util.*, policy_stats.*, command */
    ck_assert_int_eq(column(t, "run"), 0);
    ck_assert_int_eq(column(t, "policy"), 1);
    ck_assert_int_lt(column(t, "seed"), column(t, "gpusim_version"));
    ck_assert_int_eq(column(t, "param.alpha"), column(t, "gpusim_version") + 1);
    ck_assert_int_eq(column(t, "param.zeta"), column(t, "param.alpha") + 1);
    ck_assert_int_eq(column(t, "jobs"), column(t, "param.zeta") + 1);
    ck_assert_int_lt(column(t, "jct_p99"), column(t, "util.A100-80GB"));
    ck_assert_int_lt(column(t, "util.A100-80GB"), column(t, "util.V100-32GB"));
    ck_assert_int_gt(column(t, "command"), column(t, "util.V100-32GB"));
    /* a 64-bit seed survives; a value with a comma is quoted; a missing key is empty */
    ck_assert_ptr_nonnull(strstr(t, ",18446744073709551615,"));
    ck_assert_ptr_nonnull(strstr(t, ",\"gpusim run, by test_merge\""));
    ck_assert_str_eq(gs_merge_value(m, 0, "param.alpha"), "");
    ck_assert_str_eq(gs_merge_value(m, 1, "param.alpha"), "2.5");
    ck_assert_str_eq(gs_merge_value(m, 0, "until"), ""); /* null: no --until */
    /* metrics are copied as written in summary.json */
    snprintf(p, sizeof(p), "%s/r/b/summary.json", root);
    summary = gs_test_slurp(p);
    snprintf(line, sizeof(line), "\"p90\":\t%s,", gs_merge_value(m, 1, "jct_p90"));
    ck_assert_msg(strstr(summary, line) != NULL, "%s not in %s", line, summary);
    snprintf(line, sizeof(line), "\"makespan\":\t%s,", gs_merge_value(m, 1, "makespan"));
    ck_assert_msg(strstr(summary, line) != NULL, "%s", line);
    second = strchr(t, '\n') + 1;
    second = strchr(second, '\n') + 1;
    ck_assert_ptr_nonnull(strstr(second, gs_merge_value(m, 1, "jct_mean")));
    free(summary);
    free(t);
    gs_merge_free(m);
}
END_TEST

START_TEST(jobs_and_cdf)
{
    gs_merge *m = gs_merge_new(NULL);
    gs_err err = {0};
    char p[600], *t;
    int jct;

    make_run("x/s1", 1, NULL);
    make_run("x/s2", 2, NULL);
    snprintf(p, sizeof(p), "%s/x", root);
    ck_assert_msg(gs_merge_add(m, p, &err) == GS_OK, "%s", err.msg);
    t = table(m, 1, NULL);
    ck_assert_int_eq(count_lines(t), 1 + 2 * 34);
    ck_assert_int_eq(column(t, "run"), 0);
    ck_assert_int_eq(column(t, "job_id"), column(t, "gpusim_version") + 1);
    ck_assert_int_gt(column(t, "trace_line"), column(t, "job_id"));
    ck_assert_int_eq(column(t, "jct_mean"), -1); /* parameters only, no metrics */
    free(t);
    /* pooled by policy: one group, 68 jobs, all finished: the last fraction is 1 */
    t = table(m, 2, "policy");
    ck_assert_int_eq(strncmp(t, "policy,jct,fraction\nfifo,", 25), 0);
    ck_assert_ptr_nonnull(strstr(t, ",1.000000\n"));
    jct = count_lines(t);
    free(t);
    /* by seed: two groups, each reaching 1, in byte order of the seed */
    t = table(m, 2, "seed");
    ck_assert_int_eq(strncmp(t, "seed,jct,fraction\n1,", 20), 0);
    ck_assert_ptr_nonnull(strstr(t, "\n2,"));
    ck_assert_ptr_nonnull(strstr(t, ",1.000000\n2,")); /* group 1 ends at 1, then 2 */
    ck_assert_int_gt(count_lines(t), jct - 1);
    free(t);
    ck_assert_int_eq(gs_merge_write_cdf(m, "jct_mean", stdout, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "jct_mean"));
    gs_merge_free(m);
}
END_TEST

START_TEST(errors_name_file_line_field)
{
    gs_merge *m = gs_merge_new(NULL);
    gs_err err = {0};
    char p[600], *t;
    FILE *fp;

    make_run("ok", 1, NULL);
    snprintf(p, sizeof(p), "%s/ok", root);
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_OK);

    /* malformed JSON: file, line and column */
    make_run("bad/syntax", 1, NULL);
    snprintf(p, sizeof(p), "%s/bad/syntax/summary.json", root);
    fp = fopen(p, "w");
    fputs("{\n \"policy\": \"fifo\",\n \"seed\": 1\n \"jobs\": 3\n}\n", fp);
    fclose(fp);
    snprintf(p, sizeof(p), "%s/bad", root);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "syntax/summary.json' line 4") != NULL, "%s", err.msg);
    ck_assert_uint_eq(gs_merge_nruns(m), 1); /* unchanged */

    /* a field missing: its line (the parent's) and its name */
    ck_assert_int_eq(gs_test_sh("sed -i '/\"p95\"/d' '%s/ok/summary.json'", root), 0);
    ck_assert_int_eq(gs_test_sh("mkdir -p '%s/m' && cp -r '%s/ok' '%s/m/'", root, root, root), 0);
    snprintf(p, sizeof(p), "%s/m", root);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "ok/summary.json' line ") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "field 'jct.p95': missing") != NULL, "%s", err.msg);
    /* a field of the wrong type */
    make_run("w/typed", 1, NULL);
    ck_assert_int_eq(gs_test_sh("sed -i 's/\"seed\":\t1,/\"seed\": \"one\",/' "
                                "'%s/w/typed/summary.json'",
                                root),
                     0);
    snprintf(p, sizeof(p), "%s/w", root);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "typed/summary.json' line 6: field 'seed': not a number") != NULL,
                  "%s", err.msg);

    /* nothing there */
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_add(m, "/nonexistent/results", &err), GS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/results"));
    ck_assert_int_eq(gs_test_sh("mkdir -p '%s/empty/.a.tmp-1'", root), 0);
    snprintf(p, sizeof(p), "%s/empty", root);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "no result folder"));
    gs_merge_free(m);

    /* a jobs.csv unlike the others, or missing */
    m = gs_merge_new(NULL);
    make_run("j/a", 1, NULL);
    make_run("j/b", 2, NULL);
    snprintf(p, sizeof(p), "%s/j", root);
    ck_assert_int_eq(gs_merge_add(m, p, &err), GS_OK);
    ck_assert_int_eq(gs_test_sh("sed -i '1s/jct,/JCT,/' '%s/j/b/jobs.csv'", root), 0);
    fp = tmpfile();
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_write_jobs(m, fp, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "j/b/jobs.csv' line 1") != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_test_sh("sed -i '1s/JCT,/jct,/; 5s/$/,extra/' '%s/j/b/jobs.csv'", root), 0);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_merge_write_jobs(m, fp, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "j/b/jobs.csv' line 5") != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_test_sh("rm '%s/j/b/jobs.csv'", root), 0);
    memset(&err, 0, sizeof(err));
    ck_assert_int_ne(gs_merge_write_cdf(m, "policy", fp, &err), GS_OK);
    ck_assert_msg(strstr(err.msg, "j/b/jobs.csv") != NULL, "%s", err.msg);
    fclose(fp);
    t = table(m, 0, NULL); /* the runs table does not need jobs.csv */
    ck_assert_int_eq(count_lines(t), 3);
    free(t);
    gs_merge_free(m);
}
END_TEST

static Suite *merge_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("merge");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, finds_complete_runs_only);
    tcase_add_test(tc, runs_table);
    tcase_add_test(tc, jobs_and_cdf);
    tcase_add_test(tc, errors_name_file_line_field);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(merge_suite());
}
