/* SPDX-License-Identifier: Apache-2.0 */
/* Trace loader: both ACME schemas, columns by name, UTC offsets, filters and every bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/trace.h"
#include "testutil.h"

#define SEREN_HDR                                                                                  \
    "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,"    \
    "queue,gpu_time\n"

static char *path;
static gs_trace tr;
static gs_err err;

static void teardown(void)
{
    gs_trace_release(&tr);
    if (path) {
        remove(path);
        free(path);
        path = NULL;
    }
}

static int load(const char *text, const char *type)
{
    if (path) {
        remove(path);
        free(path);
    }
    gs_trace_release(&tr);
    gs_err_clear(&err);
    path = gs_test_tmpfile(text, ".csv");
    return gs_trace_load(&tr, path, type, &err);
}

/* the message names the file, a line and a column */
static void assert_names(const char *line, const char *column)
{
    ck_assert_msg(strstr(err.msg, path) != NULL, "no file in '%s'", err.msg);
    ck_assert_msg(strstr(err.msg, line) != NULL, "no '%s' in '%s'", line, err.msg);
    if (column)
        ck_assert_msg(strstr(err.msg, column) != NULL, "no '%s' in '%s'", column, err.msg);
}

START_TEST(test_seren)
{
    ck_assert_int_eq(load(SEREN_HDR
                          "5778432,u5907,1,8,64,SFT,COMPLETED,2023-03-01 00:18:22+08:00,"
                          "2023-03-01 00:18:23+08:00,2023-03-01 00:28:23+08:00,600,1,4800.0\n"
                          "5778433,u5907,1,4,32,SFT,FAILED,2023-03-01 00:10:00+08:00,,,30,0,120\n"
                          "5778434,u1,1,2,16,Eval,COMPLETED,2023-03-01 00:11:00+08:00,,,30,0,60\n",
                          NULL),
                     GS_OK);
    ck_assert_str_eq(tr.schema, "seren");
    ck_assert_uint_eq(tr.njobs, 2);
    ck_assert_int_eq(tr.stats.rows, 3);
    ck_assert_int_eq(tr.stats.skipped_type, 1);
    /* sorted by submission and rebased to the first one */
    ck_assert_str_eq(tr.jobs[0].id, "5778433");
    ck_assert_double_eq(tr.jobs[0].submit, 0);
    ck_assert_double_eq_tol(tr.jobs[1].submit, 8 * 60 + 22, 1e-9);
    ck_assert_int_eq(tr.jobs[1].gpu_num, 8);
    ck_assert_double_eq(tr.jobs[1].duration, 600);
    ck_assert_str_eq(tr.jobs[1].user, "u5907");
    ck_assert_str_eq(tr.jobs[1].state, "COMPLETED");
    ck_assert_int_eq(tr.jobs[1].line, 2);
    ck_assert_int_eq(tr.jobs[1].utc_offset_min, 480);
    /* 2023-03-01 00:10:00+08:00 is 2023-02-28 16:10:00 UTC */
    ck_assert_double_eq(tr.t0_epoch, 1677600600.0);
}
END_TEST

START_TEST(test_kalos_reordered_extra_columns)
{
    ck_assert_int_eq(
        load("extra,queue,duration,type,gpu_num,submit_time,job_id,mem_per_pod_GB,user,note\n"
             "x,10.0,100,Pretrain,64,2023-05-01 10:00:00+00:00,dlctk696s0jbvitv,800,uf794,hi\n"
             "y,0.0,50,Eval,1,2023-05-01 09:00:00+00:00,dlcabc,100,uf794,\"a, b\"\n",
             "all"),
        GS_OK);
    ck_assert_str_eq(tr.schema, "kalos");
    ck_assert_uint_eq(tr.njobs, 2);
    ck_assert_str_eq(tr.jobs[0].id, "dlcabc");
    ck_assert_str_eq(tr.jobs[1].id, "dlctk696s0jbvitv");
    ck_assert_double_eq(tr.jobs[1].submit, 3600);
    ck_assert_double_eq(tr.jobs[1].queue, 10.0);
    ck_assert_str_eq(tr.jobs[1].type, "Pretrain");
    ck_assert_int_eq(tr.jobs[1].node_num, 0); /* absent column */
}
END_TEST

START_TEST(test_offsets_order_jobs)
{
    /* the later wall clock is the earlier instant once offsets are honoured */
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "a,1,SFT,2023-03-01 08:00:00+08:00,1\n"
                          "b,1,SFT,2023-03-01 01:00:00+00:00,1\n"
                          "c,1,SFT,2023-03-01T00:30:00Z,1\n",
                          NULL),
                     GS_OK);
    ck_assert_str_eq(tr.jobs[0].id, "a"); /* 00:00 UTC */
    ck_assert_str_eq(tr.jobs[1].id, "c"); /* 00:30 UTC */
    ck_assert_str_eq(tr.jobs[2].id, "b"); /* 01:00 UTC */
    ck_assert_double_eq(tr.jobs[2].submit, 3600);
}
END_TEST

START_TEST(test_timestamps)
{
    double t;
    int off;
    char buf[40];

    ck_assert_int_eq(gs_parse_timestamp("1970-01-01 00:00:00+00:00", 25, &t, &off), 0);
    ck_assert_double_eq(t, 0);
    ck_assert_int_eq(gs_parse_timestamp("2023-03-01 00:18:22+08:00", 25, &t, &off), 0);
    ck_assert_double_eq(t, 1677601102.0);
    ck_assert_int_eq(off, 480);
    ck_assert_int_eq(gs_parse_timestamp("2023-03-01T00:18:22.5-0130", 26, &t, &off), 0);
    ck_assert_double_eq(t, 1677635302.5);
    ck_assert_int_eq(off, -90);
    ck_assert_int_eq(gs_parse_timestamp("2024-02-29 12:00:00", 19, &t, NULL), 0);
    ck_assert_int_eq(gs_parse_timestamp("1677601102", 10, &t, NULL), 0);
    ck_assert_double_eq(t, 1677601102.0);
    ck_assert_int_eq(gs_parse_timestamp("2023-02-29 12:00:00", 19, &t, NULL), -1);
    ck_assert_int_eq(gs_parse_timestamp("2023-13-01 12:00:00", 19, &t, NULL), -1);
    ck_assert_int_eq(gs_parse_timestamp("2023-03-01 25:00:00", 19, &t, NULL), -1);
    ck_assert_int_eq(gs_parse_timestamp("2023-03-01 10:00:00+8", 21, &t, NULL), -1);
    ck_assert_int_eq(gs_parse_timestamp("yesterday", 9, &t, NULL), -1);
    ck_assert_int_eq(gs_parse_timestamp("", 0, &t, NULL), -1);
    gs_format_timestamp(buf, sizeof(buf), 1677601102.0, 480);
    ck_assert_str_eq(buf, "2023-03-01 00:18:22+08:00");
    gs_format_timestamp(buf, sizeof(buf), 1677601102.0, -90);
    ck_assert_str_eq(buf, "2023-02-28 14:48:22-01:30");
}
END_TEST

START_TEST(test_filters_and_zero_gpu)
{
    static const char *text = "job_id,gpu_num,type,submit_time,duration\n"
                              "1,0,SFT,2023-03-01 00:00:00+08:00,5\n"
                              "2,4,SFT,2023-03-01 00:00:01+08:00,5\n"
                              "3,4,Eval,2023-03-01 00:00:02+08:00,5\n"
                              "4,8,MLLM,2023-03-01 00:00:03+08:00,\n"
                              "5,8,MLLM,2023-03-01 00:00:04+08:00,7\n";

    ck_assert_int_eq(load(text, NULL), GS_OK);
    ck_assert_uint_eq(tr.njobs, 1);
    ck_assert_int_eq(tr.stats.skipped_zero_gpu, 1);
    ck_assert_double_eq(tr.jobs[0].submit, 0); /* rebased to the first kept job */
    ck_assert_int_eq(load(text, "all"), GS_OK);
    ck_assert_uint_eq(tr.njobs, 3);
    ck_assert_int_eq(tr.stats.skipped_no_duration, 1);
    ck_assert_int_eq(load(text, "Eval,MLLM"), GS_OK);
    ck_assert_uint_eq(tr.njobs, 2);
    ck_assert_int_eq(load(text, "Debug"), GS_EINVAL);
    assert_names("Debug", NULL);
}
END_TEST

START_TEST(test_quotes_bom_crlf)
{
    ck_assert_int_eq(load("\xEF\xBB\xBFjob_id,gpu_num,type,submit_time,duration\r\n"
                          "\"a,1\",1,SFT,2023-03-01 00:00:00+08:00,5\r\n"
                          "\"multi\nline\",2,SFT,2023-03-01 00:00:01+08:00,5\r\n"
                          "c,x,SFT,2023-03-01 00:00:02+08:00,5\r\n",
                          NULL),
                     GS_EPARSE);
    /* the bad row starts on physical line 5: the quoted newline counts */
    assert_names("line 5", "gpu_num");
    ck_assert_int_eq(load("\xEF\xBB\xBFjob_id,gpu_num,type,submit_time,duration\r\n"
                          "\"a,1\",1,SFT,2023-03-01 00:00:00+08:00,5\r\n"
                          "\"multi\nline\",2,SFT,2023-03-01 00:00:01+08:00,5\r\n",
                          NULL),
                     GS_OK);
    ck_assert_str_eq(tr.jobs[0].id, "a,1");
    ck_assert_str_eq(tr.jobs[1].id, "multi\nline");
}
END_TEST

START_TEST(test_bad_inputs)
{
    ck_assert_int_eq(load("", NULL), GS_EPARSE);
    assert_names("line 1", "empty");
    ck_assert_int_eq(
        load("job_id,type,submit_time,duration\n1,SFT,2023-03-01 00:00:00+08:00,5\n", NULL),
        GS_EINVAL);
    assert_names("line 1", "gpu_num");
    ck_assert_int_eq(load("job_id,gpu_num,submit_time,duration\n1,1,2023-03-01 00:00:00,5\n", NULL),
                     GS_EINVAL);
    assert_names("line 1", "'type'");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00,5\n"
                          "2,-4,SFT,2023-03-01 00:00:00+08:00,5\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 3", "gpu_num");
    ck_assert_msg(strstr(err.msg, "-4") != NULL, "%s", err.msg);
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,eight,SFT,2023-03-01 00:00:00+08:00,5\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 2", "eight");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00,-5\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 2", "duration");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00,5s\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 2", "duration");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00,5\n"
                          "2,1,SFT,01/03/2023 00:00,5\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 3", "submit_time");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00,5\n"
                          "\"2,1,SFT,2023-03-01 00:00:00+08:00,5\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 3", "unterminated");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,SFT,2023-03-01 00:00:00+08:00\n",
                          NULL),
                     GS_EPARSE);
    assert_names("line 2", "fields");
    ck_assert_int_eq(load("job_id,gpu_num,type,submit_time,duration\n"
                          "1,1,Eval,2023-03-01 00:00:00+08:00,5\n",
                          NULL),
                     GS_EINVAL);
    assert_names("SFT", NULL);
    ck_assert_int_eq(load("job_id,gpu_num,gpu_num,type,submit_time,duration\n", NULL), GS_EPARSE);
    assert_names("line 1", "twice");
    ck_assert_int_eq(gs_trace_load(&tr, "/nonexistent/trace.csv", NULL, &err), GS_EIO);
}
END_TEST

/* every number of a trace row has a range: its bounds load, one past them is a located error */
START_TEST(test_ranges)
{
#define HDR "job_id,gpu_num,type,submit_time,duration,queue\n"
    static const struct {
        const char *row, *column; /* column NULL: the row loads */
    } cases[] = {
        {"1,1000000,SFT,0,0,0", NULL},
        {"1,1000001,SFT,0,5,", "gpu_num"},
        {"1,9223372036854775807,SFT,0,5,", "gpu_num"},
        {"1,99999999999999999999,SFT,0,5,", "gpu_num"},
        {"1,-1,SFT,0,5,", "gpu_num"},
        {"1,1,SFT,0,315576000,315576000", NULL},
        {"1,1,SFT,0,315576000.5,", "duration"},
        {"1,1,SFT,0,1e300,", "duration"},
        {"1,1,SFT,0,nan,", "duration"},
        {"1,1,SFT,0,inf,", "duration"},
        {"1,1,SFT,0,1e400,", "duration"},
        {"1,1,SFT,0,-0.5,", "duration"},
        {"1,1,SFT,0,5,315576001", "queue"},
        {"1,1,SFT,0,5,-1", "queue"},
        {"1,1,SFT,0,5,nan", "queue"},
        {"1,1,SFT,4102444800,5,", NULL},
        {"1,1,SFT,2100-01-01 00:00:00+00:00,5,", NULL},
        {"1,1,SFT,4102444800.5,5,", "submit_time"},
        {"1,1,SFT,2100-01-01 07:59:59+08:00,5,", NULL},
        {"1,1,SFT,2100-01-01 08:00:01+08:00,5,", "submit_time"},
        {"1,1,SFT,1969-12-31 23:59:59+00:00,5,", "submit_time"},
        {"1,1,SFT,-1,5,", "submit_time"},
        {"1,1,SFT,1e300,5,", "submit_time"},
        {"1,1,SFT,-1e300,5,", "submit_time"},
        {"1,1,SFT,1.7e308,5,", "submit_time"},
        {"1,1,SFT,nan,5,", "submit_time"},
        {"1,1,SFT,-inf,5,", "submit_time"},
    };
    char text[256];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc;
        snprintf(text, sizeof(text), HDR "%s\n", cases[i].row);
        rc = load(text, NULL);
        if (!cases[i].column) {
            ck_assert_msg(rc == GS_OK, "'%s' refused: %s", cases[i].row, err.msg);
            ck_assert_int_eq((int)tr.njobs, 1);
            continue;
        }
        ck_assert_msg(rc == GS_EPARSE, "'%s' gave %d: %s", cases[i].row, rc, err.msg);
        assert_names("line 2", cases[i].column);
        ck_assert_ptr_null(strchr(err.msg, '\n'));
    }
    /* the span from the first submission: ten years exactly, then one second more */
    ck_assert_int_eq(load(HDR "1,1,SFT,1000,5,\n2,1,SFT,315577000,5,\n", NULL), GS_OK);
    ck_assert_double_eq(tr.jobs[1].submit, 315576000.0);
    ck_assert_int_eq(load(HDR "1,1,SFT,1000,5,\n2,1,SFT,315577001,5,\n", NULL), GS_EINVAL);
    assert_names("line 3", "more than ten years");
#undef HDR
}
END_TEST

/* a time that no four-digit year holds, or a bad offset, is formatted as "invalid" (it used to be
 * converted to an integer: undefined behaviour) */
START_TEST(test_format_out_of_range)
{
    static const double bad[] = {1e300, -1e300, 1.7e308, 253402300800.0, -62167219201.0};
    char buf[40];
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        gs_format_timestamp(buf, sizeof(buf), bad[i], 0);
        ck_assert_str_eq(buf, "invalid");
    }
    gs_format_timestamp(buf, sizeof(buf), NAN, 0);
    ck_assert_str_eq(buf, "invalid");
    gs_format_timestamp(buf, sizeof(buf), INFINITY, 0);
    ck_assert_str_eq(buf, "invalid");
    gs_format_timestamp(buf, sizeof(buf), 0, 1440);
    ck_assert_str_eq(buf, "invalid");
    gs_format_timestamp(buf, sizeof(buf), 0, -1440);
    ck_assert_str_eq(buf, "invalid");
    gs_format_timestamp(buf, sizeof(buf), 253402300799.0, 0);
    ck_assert_str_eq(buf, "9999-12-31 23:59:59+00:00");
    gs_format_timestamp(buf, sizeof(buf), 4102444800.0, 1439);
    ck_assert_str_eq(buf, "2100-01-01 23:59:00+23:59");
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("load");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_seren);
    tcase_add_test(tc, test_kalos_reordered_extra_columns);
    tcase_add_test(tc, test_offsets_order_jobs);
    tcase_add_test(tc, test_timestamps);
    tcase_add_test(tc, test_filters_and_zero_gpu);
    tcase_add_test(tc, test_quotes_bom_crlf);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_format_out_of_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(trace_suite());
}
