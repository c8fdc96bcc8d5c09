/* SPDX-License-Identifier: Apache-2.0 */
/* Base's internal API (src/base/internal/util_int.h, tested here as the helper it is): the one
 * array-growth helper every layer uses, and the byte buffer built on it; and base's result
 * folders (io.h) when the folder appears while a run writes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "gpusim/io.h"
#include "testutil.h"
#include "util_int.h"

typedef struct rec {
    double x;
    int k;
} rec;

START_TEST(grow_keeps_contents_and_doubles)
{
    rec *v = NULL;
    size_t cap = 0, n, lastcap = 0, reallocs = 0;

    for (n = 0; n < 1000; n++) {
        ck_assert_int_eq(GS_GROW(v, cap, n + 1), GS_OK);
        ck_assert_uint_ge(cap, n + 1);
        if (cap != lastcap) {
            reallocs++;
            lastcap = cap;
        }
        v[n].x = (double)n / 2;
        v[n].k = (int)n;
    }
    for (n = 0; n < 1000; n++)
        ck_assert(v[n].k == (int)n && v[n].x == (double)n / 2);
    /* geometric growth: a handful of reallocations, not one per element */
    ck_assert_uint_le(reallocs, 8);
    /* enough room: nothing changes */
    ck_assert_int_eq(GS_GROW(v, cap, 10), GS_OK);
    ck_assert_uint_eq(cap, lastcap);
    /* a jump straight to a large need */
    ck_assert_int_eq(GS_GROW(v, cap, 5000), GS_OK);
    ck_assert_uint_ge(cap, 5000);
    ck_assert_int_eq(v[999].k, 999);
    free(v);
}
END_TEST

START_TEST(grow_refuses_overflow_and_leaves_the_array)
{
    int *v = NULL;
    size_t cap = 0;

    ck_assert_int_eq(GS_GROW(v, cap, 4), GS_OK);
    v[3] = 7;
    ck_assert_int_eq(GS_GROW(v, cap, SIZE_MAX / 2), GS_ENOMEM);
    ck_assert_uint_eq(cap, 16);
    ck_assert_int_eq(v[3], 7);
    ck_assert_int_eq(GS_RESIZE(v, 0), GS_ENOMEM);
    ck_assert_int_eq(GS_RESIZE(v, 32), GS_OK);
    ck_assert_int_eq(v[3], 7);
    free(v);
    ck_assert_uint_eq(gs__grow_cap(0, 1), 16);
    ck_assert_uint_eq(gs__grow_cap(16, 17), 32);
    ck_assert_uint_eq(gs__grow_cap(16, 100), 100);
}
END_TEST

START_TEST(buffer_appends_and_formats)
{
    gs__buf b = {0};
    int i;

    for (i = 0; i < 200; i++)
        ck_assert_int_eq(gs__buf_printf(&b, "%d,", i), GS_OK);
    ck_assert_uint_eq(b.len, strlen(b.data));
    ck_assert(!strncmp(b.data, "0,1,2,", 6));
    ck_assert_int_eq(gs__buf_append(&b, "end", 3), GS_OK);
    ck_assert_str_eq(b.data + b.len - 5, "9,end");
    gs__buf_release(&b);
    ck_assert_int_eq(gs__buf_printf(&b, "%s", ""), GS_OK);
    ck_assert_str_eq(b.data, "");
    gs__buf_release(&b);
}
END_TEST

/* The output folder shows up while the results are being written (another run, a user): the
 * commit refuses, names the folder (it read "'(null)'" once: the name was freed first), and
 * leaves no temporary folder. */
START_TEST(outdir_that_appears_while_running)
{
    char *dir = gs_test_tmpdir(), out[600];
    gs_outdir od;
    gs_err err = {0};

    snprintf(out, sizeof(out), "%s/results", dir);
    ck_assert_int_eq(gs_outdir_begin(&od, out, 0, &err), GS_OK);
    ck_assert_int_eq(gs_outdir_write_text(&od, "summary.json", "{}", &err), GS_OK);
    ck_assert_int_eq(mkdir(out, 0755), 0);
    ck_assert_int_eq(gs_outdir_commit(&od, &err), GS_EIO);
    ck_assert_msg(strstr(err.msg, out) && strstr(err.msg, "appeared"), "%s", err.msg);
    ck_assert_int_eq(
        gs_test_sh("[ -z \"$(ls -A '%s/results')\" ] && [ \"$(ls -A '%s')\" = results ]", dir, dir),
        0);
    gs_rmtree(dir);
    free(dir);
}
END_TEST

/* A failed output takes the parent folders made for it along; folders that were there stay. */
START_TEST(outputs_remove_the_parents_they_made)
{
    char *dir = gs_test_tmpdir(), out[600];
    gs_outdir od;
    gs_outfile of;
    gs_err err = {0};

    snprintf(out, sizeof(out), "%s/a/b/c/results", dir);
    ck_assert_int_eq(gs_outdir_begin(&od, out, 0, &err), GS_OK);
    ck_assert_int_eq(gs_outdir_write_text(&od, "summary.json", "{}", &err), GS_OK);
    gs_outdir_abort(&od);
    ck_assert_int_eq(gs_test_sh("[ -z \"$(ls -A '%s')\" ]", dir), 0);
    snprintf(out, sizeof(out), "%s/keep", dir);
    ck_assert_int_eq(mkdir(out, 0755), 0);
    snprintf(out, sizeof(out), "%s/keep/x/y.csv", dir);
    ck_assert_int_eq(gs_outfile_open(&of, out, &err), GS_OK);
    fputs("data\n", of.fp);
    gs_outfile_abort(&of);
    ck_assert_int_eq(
        gs_test_sh("[ \"$(ls -A '%s')\" = keep ] && [ -z \"$(ls -A '%s/keep')\" ]", dir, dir), 0);
    gs_rmtree(dir);
    free(dir);
}
END_TEST

/* What a target is decides how it is written: checked before any work, never replaced. */
START_TEST(outputs_check_their_target)
{
    char *dir = gs_test_tmpdir(), p[600];
    gs_err err = {0};

    snprintf(p, sizeof(p), "%s/new/file.csv", dir);
    ck_assert_int_eq(gs_outfile_check(p, &err), GS_OK);
    ck_assert_int_eq(gs_outfile_check("-", &err), GS_OK);
    ck_assert_int_eq(gs_outfile_check(dir, &err), GS_EIO); /* a folder */
    ck_assert_msg(strstr(err.msg, "is a folder"), "%s", err.msg);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_outdir_check(dir, 0, &err), GS_EIO); /* exists, no --force */
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_outdir_check(dir, 1, &err), GS_OK);
    snprintf(p, sizeof(p), "%s/f", dir);
    ck_assert_int_eq(gs_test_sh("echo x > '%s'", p), 0);
    ck_assert_int_eq(gs_outdir_check(p, 1, &err), GS_EIO); /* a file is no result folder */
    ck_assert_msg(strstr(err.msg, "not a folder"), "%s", err.msg);
    memset(&err, 0, sizeof(err));
    snprintf(p, sizeof(p), "%s/f/under", dir);
    ck_assert_int_eq(gs_outfile_check(p, &err), GS_EIO); /* its parent is a file */
    memset(&err, 0, sizeof(err));
    snprintf(p, sizeof(p), "%s/dangling", dir);
    ck_assert_int_eq(gs_test_sh("ln -s nowhere '%s'", p), 0);
    ck_assert_int_eq(gs_outfile_check(p, &err), GS_EIO);
    ck_assert_msg(strstr(err.msg, "link to nothing"), "%s", err.msg);
    gs_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("grow");

    tcase_add_test(tc, grow_keeps_contents_and_doubles);
    tcase_add_test(tc, grow_refuses_overflow_and_leaves_the_array);
    tcase_add_test(tc, buffer_appends_and_formats);
    tcase_add_test(tc, outdir_that_appears_while_running);
    tcase_add_test(tc, outputs_remove_the_parents_they_made);
    tcase_add_test(tc, outputs_check_their_target);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(util_suite());
}
