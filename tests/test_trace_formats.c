/* SPDX-License-Identifier: Apache-2.0 */
/* Trace formats: ACME, Helios, Philly and PAI from the committed test traces
 * (tests/data/traces, made by scripts/make_test_traces.sh): detection, each format's field
 * mapping, reordered columns and keys giving the same jobs, forced formats, filters. The
 * malformed variants are checked through the CLI by tests/trace_formats.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/trace.h"
#include "testutil.h"

static gs_trace a, b;
static gs_err err;

static void teardown(void)
{
    gs_trace_release(&a);
    gs_trace_release(&b);
}

static const char *data(const char *rel)
{
    static char buf[2][4096];
    static int k;

    k ^= 1;
    snprintf(buf[k], sizeof(buf[k]), "%s/tests/data/traces/%s", GS_SOURCE_DIR, rel);
    return buf[k];
}

static int load(gs_trace *t, const char *rel, const char *format, const char *types,
                const char *tasks)
{
    gs_trace_opts o;

    gs_trace_release(t);
    gs_err_clear(&err);
    gs_trace_opts_init(&o);
    o.format = format;
    o.job_type = types;
    o.task_table = tasks ? data(tasks) : NULL;
    return gs_trace_load_opts(t, data(rel), &o, &err);
}

static const gs_trace_job *find(const gs_trace *t, const char *id)
{
    size_t i;

    for (i = 0; i < t->njobs; i++)
        if (!strcmp(t->jobs[i].id, id))
            return &t->jobs[i];
    ck_abort_msg("no job '%s'", id);
    return NULL;
}

/* a and b hold the same jobs, field by field (lines may differ) */
static void assert_same_jobs(void)
{
    size_t i;

    ck_assert_uint_eq(a.njobs, b.njobs);
    ck_assert_int_eq(a.stats.rows, b.stats.rows);
    ck_assert_int_eq(a.stats.kept, b.stats.kept);
    ck_assert_int_eq(a.stats.skipped_zero_gpu, b.stats.skipped_zero_gpu);
    ck_assert_int_eq(a.stats.skipped_no_duration, b.stats.skipped_no_duration);
    ck_assert_int_eq(a.stats.skipped_no_tasks, b.stats.skipped_no_tasks);
    ck_assert_int_eq(a.stats.fractional, b.stats.fractional);
    ck_assert_double_eq(a.t0_epoch, b.t0_epoch);
    for (i = 0; i < a.njobs; i++) {
        const gs_trace_job *x = &a.jobs[i], *y = &b.jobs[i];
        ck_assert_str_eq(x->id, y->id);
        ck_assert_str_eq(x->user, y->user);
        ck_assert_str_eq(x->type, y->type);
        ck_assert_str_eq(x->state, y->state);
        ck_assert_double_eq(x->submit_epoch, y->submit_epoch);
        ck_assert_double_eq(x->duration, y->duration);
        ck_assert_double_eq(x->queue, y->queue);
        ck_assert_int_eq(x->gpu_num, y->gpu_num);
        ck_assert_double_eq(x->gpu_request, y->gpu_request);
        ck_assert_int_eq(x->node_num, y->node_num);
        ck_assert_int_eq(x->utc_offset_min, y->utc_offset_min);
    }
}

START_TEST(test_acme)
{
    const gs_trace_job *j;

    ck_assert_msg(load(&a, "acme/trace.csv", NULL, "all", NULL) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(a.format, "acme");
    ck_assert_str_eq(a.schema, "seren");
    ck_assert_ptr_nonnull(a.detected);
    ck_assert_msg(load(&b, "acme/trace_reordered.csv", NULL, "all", NULL) == GS_OK, "%s", err.msg);
    assert_same_jobs();
    j = find(&a, "5000001");
    ck_assert_str_eq(j->type, "Debug");
    ck_assert_str_eq(j->state, "FAILED");
    ck_assert_int_eq(j->utc_offset_min, 480);
    /* the format's default filter: SFT */
    ck_assert_msg(load(&b, "acme/trace.csv", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(b.job_type, "SFT");
    ck_assert_uint_lt(b.njobs, a.njobs);
    ck_assert_int_gt(b.stats.skipped_type, 0);
}
END_TEST

START_TEST(test_helios)
{
    const gs_trace_job *j;

    ck_assert_msg(load(&a, "helios/cluster_log.csv", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(a.format, "helios");
    ck_assert_str_eq(a.job_type, "all");
    ck_assert_msg(strstr(a.detected, "vc") != NULL, "%s", a.detected);
    ck_assert_int_eq(a.stats.rows, 40);
    ck_assert_int_gt(a.stats.skipped_zero_gpu, 0); /* CPU jobs */
    ck_assert_msg(load(&b, "helios/cluster_log_reordered.csv", "helios", NULL, NULL) == GS_OK, "%s",
                  err.msg);
    ck_assert_ptr_null(b.detected); /* forced */
    assert_same_jobs();
    /* the first row: 1 GPU, CANCELLED, 108,416 s, submitted 2020-06-09 00:00:59 (read as UTC) */
    j = find(&a, "1425511");
    ck_assert_int_eq(j->gpu_num, 1);
    ck_assert_str_eq(j->state, "CANCELLED");
    ck_assert_str_eq(j->user, "uXF9L");
    ck_assert_str_eq(j->type, "");
    ck_assert_double_eq(j->duration, 108416);
    ck_assert_double_eq(j->queue, 0);
    ck_assert_double_eq(j->submit_epoch, 1591660859.0);
    ck_assert_int_eq(j->utc_offset_min, 0);
    /* Helios has no job types: only 'all' */
    ck_assert_int_eq(load(&b, "helios/cluster_log.csv", NULL, "SFT", NULL), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "no job types") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_philly)
{
    const gs_trace_job *j;
    size_t i;

    ck_assert_msg(load(&a, "philly/cluster_job_log", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(a.format, "philly");
    ck_assert_int_eq(a.stats.rows, 40);
    ck_assert_int_eq(a.stats.skipped_no_duration, 1); /* a job without attempts, or running */
    /* keys in another order, one job per line */
    ck_assert_msg(load(&b, "philly/cluster_job_log_reordered.jsonl", NULL, NULL, NULL) == GS_OK,
                  "%s", err.msg);
    ck_assert_str_eq(b.format, "philly");
    assert_same_jobs();
    /* the first job: gpu2 and gpu3 on m463; submitted 01:00:37, run 01:15:52 - 01:26:35 */
    j = find(&a, "application_1506638472019_14001");
    ck_assert_int_eq(j->gpu_num, 2);
    ck_assert_int_eq(j->node_num, 1);
    ck_assert_str_eq(j->state, "COMPLETED");
    ck_assert_str_eq(j->user, "e41648");
    ck_assert_double_eq(j->duration, 643);
    ck_assert_double_eq(j->queue, 915);
    ck_assert_int_eq(j->line, 2);
    /* every status maps onto ACME's words */
    for (i = 0; i < a.njobs; i++)
        ck_assert_msg(!strcmp(a.jobs[i].state, "COMPLETED") ||
                          !strcmp(a.jobs[i].state, "CANCELLED") ||
                          !strcmp(a.jobs[i].state, "FAILED"),
                      "state '%s'", a.jobs[i].state);
    /* forcing a CSV format on it fails with a located error */
    ck_assert_int_ne(load(&b, "philly/cluster_job_log", "helios", NULL, NULL), GS_OK);
    ck_assert_msg(strstr(err.msg, "line 1") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_pai)
{
    const gs_trace_job *j;
    size_t i;
    long frac = 0;

    /* the folder, the headerless job table (columns from its .header file), the reordered copy
     * with header rows */
    ck_assert_msg(load(&a, "pai", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(a.format, "pai");
    ck_assert_msg(strstr(a.path, "pai_job_table.csv") != NULL, "%s", a.path);
    ck_assert_msg(a.aux_path && strstr(a.aux_path, "pai_task_table.csv"), "no task table");
    ck_assert_msg(load(&b, "pai/pai_job_table.csv", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    ck_assert_msg(strstr(b.detected, ".header") != NULL, "%s", b.detected);
    assert_same_jobs();
    ck_assert_msg(load(&b, "pai_reordered", "pai", NULL, NULL) == GS_OK, "%s", err.msg);
    assert_same_jobs();
    ck_assert_int_eq(a.stats.skipped_no_tasks, 2);
    ck_assert_int_gt(a.stats.skipped_zero_gpu, 0);
    ck_assert_int_gt(a.stats.skipped_no_duration, 0); /* Running and Waiting jobs */
    /* 2 workers x 25% of a GPU: half a GPU, run on one */
    j = find(&a, "7c2eba992a22f0c9a33151f8");
    ck_assert_double_eq_tol(j->gpu_request, 0.5, 1e-12);
    ck_assert_int_eq(j->gpu_num, 1);
    ck_assert_str_eq(j->type, "worker");
    ck_assert_str_eq(j->state, "COMPLETED");
    ck_assert_double_eq(j->submit_epoch, 1739034);
    ck_assert_double_eq(j->duration, 1743601.0 - 1739123.0); /* first task launch to the end */
    ck_assert_double_eq(j->queue, 1739123.0 - 1739034.0);
    ck_assert_int_eq(j->utc_offset_min, 480);
    /* 3 x 50% (worker) + ps 0% + evaluator 50%: 2 GPUs; the type is the largest task's */
    j = find(&a, "e07aa23913a8fa790db6fdef");
    ck_assert_double_eq_tol(j->gpu_request, 2.0, 1e-12);
    ck_assert_int_eq(j->gpu_num, 2);
    ck_assert_str_eq(j->type, "worker");
    for (i = 0; i < a.njobs; i++) {
        ck_assert_int_eq(a.jobs[i].gpu_num, (int)ceil(a.jobs[i].gpu_request - 1e-9));
        frac += a.jobs[i].gpu_request != a.jobs[i].gpu_num;
    }
    ck_assert_int_eq(frac, a.stats.fractional);
    ck_assert_int_gt(frac, 0);
    /* filtering by the main task's name */
    ck_assert_msg(load(&b, "pai", NULL, "worker", NULL) == GS_OK, "%s", err.msg);
    for (i = 0; i < b.njobs; i++)
        ck_assert_str_eq(b.jobs[i].type, "worker");
    ck_assert_uint_lt(b.njobs, a.njobs);
    /* an explicit task table; a missing one is an error naming it */
    ck_assert_msg(load(&b, "pai_reordered/pai_job_table.csv", NULL, NULL,
                       "pai_reordered/pai_task_table.csv") == GS_OK,
                  "%s", err.msg);
    assert_same_jobs();
    ck_assert_int_eq(load(&b, "pai/pai_job_table.csv", "pai", NULL, "pai/nonexistent.csv"), GS_EIO);
    ck_assert_msg(strstr(err.msg, "nonexistent.csv") != NULL, "%s", err.msg);
    /* the task table given as the trace: a hint */
    ck_assert_int_eq(load(&b, "pai_reordered/pai_task_table.csv", NULL, NULL, NULL), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "--task-table") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_pai_published_order)
{
    /* a headerless job table without its .header file: the published column order */
    char *dir = gs_test_tmpdir();
    gs_trace_opts o;

    ck_assert_int_eq(gs_test_sh("cp '%s/tests/data/traces/pai/pai_job_table.csv' "
                                "'%s/tests/data/traces/pai/pai_task_table.csv' '%s/'",
                                GS_SOURCE_DIR, GS_SOURCE_DIR, dir),
                     0);
    ck_assert_msg(load(&a, "pai", NULL, NULL, NULL) == GS_OK, "%s", err.msg);
    gs_trace_opts_init(&o);
    {
        char p[4200];
        snprintf(p, sizeof(p), "%s/pai_job_table.csv", dir);
        ck_assert_msg(gs_trace_load_opts(&b, p, &o, &err) == GS_OK, "%s", err.msg);
    }
    ck_assert_msg(strstr(b.detected, "published order") != NULL, "%s", b.detected);
    assert_same_jobs();
    ck_assert_int_eq(gs_test_sh("rm -rf '%s'", dir), 0);
    free(dir);
}
END_TEST

START_TEST(test_detection_and_names)
{
    size_t i;
    /* sia: Sia's workloads, tested in test_goodput.c */
    static const char *const names[] = {"acme", "helios", "philly", "pai", "sia"};

    ck_assert_uint_eq(gs_trace_format_count(), 5);
    for (i = 0; i < 5; i++) {
        ck_assert_str_eq(gs_trace_format_name(i), names[i]);
        ck_assert_ptr_nonnull(gs_trace_format_summary(i));
    }
    ck_assert_ptr_null(gs_trace_format_name(5));
    ck_assert_int_eq(load(&a, "helios/cluster_log.csv", "nosuch", NULL, NULL), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "nosuch") != NULL, "%s", err.msg);
    /* a folder that is not a PAI trace */
    ck_assert_int_eq(load(&a, "helios", NULL, NULL, NULL), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "pai_job_table.csv") != NULL, "%s", err.msg);
}
END_TEST

/* every format's state in ACME's words, and its end; --states filters on it */
START_TEST(test_end_states)
{
    static const char *const files[] = {"acme/trace.csv", "helios/cluster_log.csv",
                                        "philly/cluster_job_log", "pai"};
    size_t f, i;
    long completed = 0;
    char *path;

    for (f = 0; f < 4; f++) {
        ck_assert_msg(load(&a, files[f], NULL, "all", NULL) == GS_OK, "%s", err.msg);
        for (i = 0; i < a.njobs; i++) {
            const gs_trace_job *j = &a.jobs[i];
            int want = !strcmp(j->state, "CANCELLED")                 ? GS_END_CANCELLED
                       : !strcmp(j->state, "COMPLETED") || !*j->state ? GS_END_COMPLETED
                                                                      : GS_END_FAILED;
            ck_assert_msg(j->end == want, "%s: job %s state '%s' end %d", files[f], j->id, j->state,
                          j->end);
            completed += j->end == GS_END_COMPLETED;
        }
        /* only the completed ones */
        {
            gs_trace_opts o;
            gs_trace_release(&b);
            gs_trace_opts_init(&o);
            o.job_type = "all";
            o.states = "COMPLETED";
            ck_assert_msg(gs_trace_load_opts(&b, data(files[f]), &o, &err) == GS_OK, "%s", err.msg);
            for (i = 0; i < b.njobs; i++)
                ck_assert_int_eq(b.jobs[i].end, GS_END_COMPLETED);
            ck_assert_int_eq(b.stats.skipped_state, (long)(a.njobs - b.njobs));
        }
    }
    ck_assert_int_gt(completed, 0);
    /* Helios: SUSPENDED ends as failed; an unknown state is a located error */
    path = gs_test_tmpfile("job_id,vc,gpu_num,state,submit_time,duration\n"
                           "1,vcA,1,SUSPENDED,2020-06-09 00:00:00,10\n"
                           "2,vcA,1,PENDING,2020-06-09 00:00:01,10\n",
                           ".csv");
    gs_trace_release(&a);
    ck_assert_int_eq(gs_trace_load(&a, path, NULL, &err), GS_EPARSE);
    ck_assert_msg(strstr(err.msg, "line 3") && strstr(err.msg, "'state'") &&
                      strstr(err.msg, "PENDING"),
                  "%s", err.msg);
    remove(path);
    free(path);
    path = gs_test_tmpfile("job_id,vc,gpu_num,state,submit_time,duration\n"
                           "1,vcA,1,SUSPENDED,2020-06-09 00:00:00,10\n",
                           ".csv");
    ck_assert_msg(gs_trace_load(&a, path, NULL, &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(a.jobs[0].end, GS_END_FAILED);
    remove(path);
    free(path);
}
END_TEST

static Suite *trace_formats_suite(void)
{
    Suite *s = suite_create("trace_formats");
    TCase *tc = tcase_create("formats");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_acme);
    tcase_add_test(tc, test_helios);
    tcase_add_test(tc, test_philly);
    tcase_add_test(tc, test_pai);
    tcase_add_test(tc, test_pai_published_order);
    tcase_add_test(tc, test_detection_and_names);
    tcase_add_test(tc, test_end_states);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(trace_formats_suite());
}
