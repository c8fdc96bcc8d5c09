/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim sample`: the busiest window and the traces drawn from it. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/sample.h"
#include "gpusim/trace.h"
#include "gpusim/tracegen.h"
#include "testutil.h"

static char *gen_trace(double days, double rate, uint64_t seed)
{
    gs_tracegen_opts o;
    char *path = gs_test_tmpfile("", ".csv");
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    gs_tracegen_opts_init(&o);
    o.days = days;
    o.sft_per_hour = rate;
    o.seed = seed;
    ck_assert_int_eq(gs_tracegen_write(&o, fp, NULL, NULL), GS_OK);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

/* The busiest window found the slow way: every job as a start, count by brute force. */
static void brute_window(const gs_trace *t, double len, double *start, size_t *count)
{
    size_t i, j, best = 0;

    *start = 0;
    for (i = 0; i < t->njobs; i++) {
        size_t c = 0;
        for (j = i; j < t->njobs && t->jobs[j].submit_epoch < t->jobs[i].submit_epoch + len; j++)
            c++;
        if (c > best) {
            best = c;
            *start = t->jobs[i].submit_epoch;
        }
    }
    *count = best;
}

/* The job of the window w of t with this id (the window's jobs are t->jobs[first ..)). */
static const gs_trace_job *find_job(const gs_trace *t, const gs_sample_window *w, const char *id)
{
    size_t i;

    for (i = w->first; i < w->first + w->njobs; i++)
        if (!strcmp(t->jobs[i].id, id))
            return &t->jobs[i];
    return NULL;
}

/* Checks one sampled file against the source trace: rows, the window, the hourly plan, that
 * every row is a job of the window with its attributes, that a job is repeated only when its
 * hour holds too few (each hour's jobs all used before any repeats) and that repeats, and only
 * they, carry a new id. Returns the number of distinct window jobs in the file. */
static size_t check_sample(const char *file, const gs_trace *src, const gs_sample_window *w)
{
    gs_trace s;
    gs_err err = {0};
    size_t i, m, distinct = 0;
    long hourly[GS_SAMPLE_MAX_HOURS] = {0}, orig[GS_SAMPLE_MAX_HOURS] = {0};
    int h;

    ck_assert_msg(gs_trace_load(&s, file, "SFT", &err) == GS_OK, "%s", err.msg);
    ck_assert_uint_eq(s.njobs, 960);
    ck_assert_uint_eq(s.stats.rows, 960);
    for (i = 0; i < s.njobs; i++) {
        const gs_trace_job *j = &s.jobs[i], *o;
        char id[256], *dash;
        ck_assert_double_ge(j->submit_epoch, w->start_epoch);
        ck_assert_double_lt(j->submit_epoch, w->start_epoch + 86400);
        snprintf(id, sizeof(id), "%s", j->id);
        dash = strstr(id, "-s");
        if (dash)
            *dash = '\0';
        o = find_job(src, w, id);
        ck_assert_msg(o != NULL, "'%s' is not a job of the source's window", j->id);
        ck_assert_double_ge(o->submit_epoch, w->start_epoch);
        ck_assert_double_lt(o->submit_epoch, w->start_epoch + 86400);
        ck_assert_int_eq(j->gpu_num, o->gpu_num);
        ck_assert_double_eq(j->duration, o->duration);
        ck_assert_double_eq(j->queue, o->queue);
        ck_assert_str_eq(j->user, o->user);
        ck_assert_str_eq(j->state, o->state);
        ck_assert_int_eq(j->utc_offset_min, o->utc_offset_min);
        h = (int)floor((j->submit_epoch - w->start_epoch) / 3600);
        /* same hour of the window as the original */
        ck_assert_int_eq(h, (int)floor((o->submit_epoch - w->start_epoch) / 3600));
        hourly[h]++;
        if (!dash) { /* an original row: kept whole, and only once (submit times of one job
                      * are equal, so a repeated row would sit next to it or among its ties) */
            ck_assert_double_eq(j->submit_epoch, o->submit_epoch);
            for (m = i; m-- > 0 && s.jobs[m].submit_epoch == j->submit_epoch;)
                ck_assert_str_ne(s.jobs[m].id, j->id);
            orig[h]++;
            distinct++;
        }
    }
    /* a repeat's original is in the file too */
    for (i = 0; i < s.njobs; i++) {
        char id[256], *dash;
        int found = 0;
        snprintf(id, sizeof(id), "%s", s.jobs[i].id);
        if (!(dash = strstr(id, "-s")))
            continue;
        *dash = '\0';
        for (m = 0; m < s.njobs && !found; m++)
            found = !strcmp(s.jobs[m].id, id);
        ck_assert_msg(found, "'%s' is repeated but its original row is not in the trace",
                      s.jobs[i].id);
    }
    /* the window's hourly shape: each hour's share of 960 in proportion to its submissions, and
     * as many distinct jobs as the hour can give */
    for (h = 0; h < 24; h++) {
        ck_assert_int_eq(hourly[h], w->target[h]);
        ck_assert_double_eq_tol((double)hourly[h], 960.0 * w->hourly[h] / w->njobs, 1.0);
        ck_assert_int_eq(orig[h], w->target[h] < w->hourly[h] ? w->target[h] : w->hourly[h]);
    }
    gs_trace_release(&s);
    return distinct;
}

START_TEST(multiweek_trace_gives_ten_traces_of_960_from_the_busiest_window)
{
    char *trace = gen_trace(21, 15.2, 3), *dir = gs_test_tmpdir();
    char a[600], b[600], c[600];
    gs_trace src;
    gs_sample_window w;
    gs_err err = {0};
    double start;
    size_t count;
    int k, differ = 0;

    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(c, sizeof(c), "%s/c", dir);
    /* the window is too small: a warning per trace says how many rows reuse a job */
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --trace %s --out %s -q 2>%s.err && test "
                                "$(grep -c 'rows reuse a job' %s.err) -eq 10",
                                GS_BINARY_DIR, trace, a, a, a),
                     0);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample %s -o %s -q --seed 1", GS_BINARY_DIR, trace, b),
                     0);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample -t %s -o %s -q --seed 2", GS_BINARY_DIR, trace, c), 0);
    ck_assert_msg(gs_trace_load(&src, trace, "SFT", &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(gs_sample_find_window(&src, 24, 40, &w, &err), GS_OK);
    brute_window(&src, 86400, &start, &count);
    ck_assert_double_eq(w.start_epoch, start);
    ck_assert_uint_eq(w.njobs, count);
    /* three weeks at ACME's average rate: the busiest day is short of 960 jobs */
    ck_assert_int_eq(w.with_replacement, 1);
    for (k = 1; k <= 10; k++) {
        char fa[700], fb[700], fc[700], *ta, *tb, *tc;
        snprintf(fa, sizeof(fa), "%s/sample-%02d.csv", a, k);
        snprintf(fb, sizeof(fb), "%s/sample-%02d.csv", b, k);
        snprintf(fc, sizeof(fc), "%s/sample-%02d.csv", c, k);
        /* every job of the window is used, the rest are repeats */
        ck_assert_uint_eq(check_sample(fa, &src, &w), w.njobs);
        ta = gs_test_slurp(fa), tb = gs_test_slurp(fb), tc = gs_test_slurp(fc);
        ck_assert_ptr_nonnull(tc);
        ck_assert_msg(!strcmp(ta, tb), "sample %d differs for the same seed", k);
        differ += strcmp(ta, tc) != 0;
        free(ta), free(tb), free(tc);
    }
    ck_assert_int_eq(differ, 10);
    {
        char f11[700];
        snprintf(f11, sizeof(f11), "%s/sample-11.csv", a);
        ck_assert_int_ne(access(f11, F_OK), 0);
    }
    ck_assert_int_eq(gs_test_sh("grep -q '\"mode\":[[:space:]]*\"with reuse\"' %s/sample.json", a),
                     0);
    /* sample.json counts the distinct and reused jobs of every trace */
    ck_assert_int_eq(gs_test_sh("test $(grep -c '\"distinct_jobs\":[[:space:]]*%zu,' "
                                "%s/sample.json) -eq 10",
                                w.njobs, a),
                     0);
    ck_assert_int_eq(gs_test_sh("test $(grep -c '\"reused_jobs\":[[:space:]]*%zu' "
                                "%s/sample.json) -eq 10",
                                960 - w.njobs, a),
                     0);
    gs_trace_release(&src);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    remove(trace);
    free(trace);
    free(dir);
}
END_TEST

START_TEST(a_busy_window_is_subsampled_without_replacement)
{
    char *trace = gen_trace(3, 80, 4), *dir = gs_test_tmpdir(), out[600], f[700];
    gs_trace src, s;
    gs_sample_window w;
    gs_err err = {0};
    size_t i, j;

    snprintf(out, sizeof(out), "%s/s", dir);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample -t %s -o %s -q -k 2", GS_BINARY_DIR, trace, out),
                     0);
    ck_assert_msg(gs_trace_load(&src, trace, "SFT", &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(gs_sample_find_window(&src, 24, 40, &w, &err), GS_OK);
    ck_assert_int_eq(w.with_replacement, 0);
    ck_assert_uint_gt(w.njobs, 960);
    snprintf(f, sizeof(f), "%s/sample-01.csv", out);
    ck_assert_uint_eq(check_sample(f, &src, &w), 960);
    /* a subset: no job twice */
    ck_assert_int_eq(gs_trace_load(&s, f, "SFT", &err), GS_OK);
    for (i = 0; i < s.njobs; i++)
        for (j = i + 1; j < s.njobs; j++)
            ck_assert_str_ne(s.jobs[i].id, s.jobs[j].id);
    gs_trace_release(&s);
    snprintf(f, sizeof(f), "%s/sample-02.csv", out);
    ck_assert_uint_eq(check_sample(f, &src, &w), 960);
    ck_assert_int_eq(gs_test_sh("grep -q '\"mode\":[[:space:]]*\"without replacement\"' "
                                "%s/sample.json",
                                out),
                     0);
    gs_trace_release(&src);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    remove(trace);
    free(trace);
    free(dir);
}
END_TEST

START_TEST(several_sources_give_one_independent_trace_each)
{
    char *dir = gs_test_tmpdir(), *small = gen_trace(1, 15.2, 9);
    char g[600], h[600], f[600], src[3][600], e[600];
    int k;

    snprintf(g, sizeof(g), "%s/g", dir);
    snprintf(h, sizeof(h), "%s/h", dir);
    snprintf(f, sizeof(f), "%s/f", dir);
    snprintf(e, sizeof(e), "%s/err", dir);
    /* generated on the fly, twice: the same files */
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --generate-days 4 --seeds 1-3 --generate-rate 60 "
                                "-o %s -q 2>%s && ! test -s %s",
                                GS_BINARY_DIR, g, e, e),
                     0);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --generate-days 4 --seeds 1,2,3 "
                                "--generate-rate 60 -o %s -q",
                                GS_BINARY_DIR, h),
                     0);
    /* the same sources as files, given as a list and one more --from: the same files again */
    for (k = 0; k < 3; k++) {
        snprintf(src[k], sizeof(src[k]), "%s/src%d.csv", dir, k + 1);
        ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --days 4 --seed %d --rate 60 -o %s -q",
                                    GS_BINARY_DIR, k + 1, src[k]),
                         0);
    }
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --from %s,%s --from %s -o %s -q", GS_BINARY_DIR,
                                src[0], src[1], src[2], f),
                     0);
    ck_assert_int_eq(gs_test_sh("test ! -e %s/sample-04.csv", g), 0);
    for (k = 1; k <= 3; k++) {
        char fg[700], fh[700], ff[700], *tg, *th, *tf;
        gs_trace t;
        gs_sample_window w;
        gs_err err = {0};
        snprintf(fg, sizeof(fg), "%s/sample-%02d.csv", g, k);
        snprintf(fh, sizeof(fh), "%s/sample-%02d.csv", h, k);
        snprintf(ff, sizeof(ff), "%s/sample-%02d.csv", f, k);
        tg = gs_test_slurp(fg), th = gs_test_slurp(fh), tf = gs_test_slurp(ff);
        ck_assert_ptr_nonnull(tg);
        ck_assert_ptr_nonnull(th);
        ck_assert_ptr_nonnull(tf);
        ck_assert_msg(!strcmp(tg, th), "generated sources: trace %d differs between runs", k);
        ck_assert_msg(!strcmp(tg, tf), "trace %d differs between --generate and --from", k);
        free(tg), free(th), free(tf);
        /* trace k comes from source k's own busiest window, without a repeated job */
        ck_assert_msg(gs_trace_load(&t, src[k - 1], "SFT", &err) == GS_OK, "%s", err.msg);
        ck_assert_int_eq(gs_sample_find_window(&t, 24, 40, &w, &err), GS_OK);
        ck_assert_int_eq(w.with_replacement, 0);
        ck_assert_uint_eq(check_sample(fg, &t, &w), 960);
        gs_trace_release(&t);
    }
    ck_assert_int_eq(gs_test_sh("test $(grep -c '\"generated\":' %s/sample.json) -eq 3 && "
                                "test $(grep -c '\"trace_sha256\":' %s/sample.json) -eq 3",
                                g, f),
                     0);
    /* a source too small for 960 jobs: it is used whole, and the user is told how much repeats */
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --from %s,%s -o %s/r -q 2>%s", GS_BINARY_DIR,
                                src[0], small, dir, e),
                     0);
    ck_assert_int_eq(gs_test_sh("grep -q 'warning: sample-02.csv: .* rows reuse a job (.* "
                                "distinct)' %s && test $(wc -l <%s) -eq 1",
                                e, e),
                     0);
    ck_assert_int_eq(
        gs_test_sh("grep -q '\"mode\":[[:space:]]*\"with reuse\"' %s/r/sample.json", dir), 0);
    /* usage errors */
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --from %s --trace %s -o %s/x 2>/dev/null",
                                GS_BINARY_DIR, src[0], src[1], dir),
                     2);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample --seeds 1-3 -o %s/x 2>/dev/null", GS_BINARY_DIR, dir), 2);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample --generate-days 4 -o %s/x 2>/dev/null", GS_BINARY_DIR, dir),
        2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --generate-days 4 --seeds 5-1 -o %s/x "
                                "2>/dev/null",
                                GS_BINARY_DIR, dir),
                     2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample --from %s -k 2 -o %s/x 2>/dev/null",
                                GS_BINARY_DIR, src[0], dir),
                     2);
    ck_assert_int_eq(gs_test_sh("test ! -e %s/x", dir), 0);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    remove(small);
    free(small);
    free(dir);
}
END_TEST

START_TEST(the_window_honours_utc_offsets)
{
    /* 25 jobs written at +08:00 on 5 March 01:xx local = 4 March 17:xx UTC, 20 jobs written at
     * +00:00 on 4 March 20:xx UTC, 30 jobs at +00:00 on 6 March. Read by UTC, the first two
     * groups fall in one 4-hour window (45 jobs); read by local clock they would be 5 hours
     * apart and the 30 would win. */
    char text[16384], *p = text, *path;
    gs_trace t;
    gs_sample_window w;
    gs_err err = {0};
    int i;
    double want;

    p += sprintf(p, "job_id,gpu_num,type,submit_time,duration\n");
    for (i = 0; i < 25; i++)
        p += sprintf(p, "a%d,8,SFT,2023-03-05 01:%02d:00+08:00,100\n", i, 2 * i);
    for (i = 0; i < 20; i++)
        p += sprintf(p, "b%d,8,SFT,2023-03-04 20:%02d:00+00:00,100\n", i, 2 * i);
    for (i = 0; i < 30; i++)
        p += sprintf(p, "c%d,8,SFT,2023-03-06 09:%02d:00+00:00,100\n", i, i);
    path = gs_test_tmpfile(text, ".csv");
    ck_assert_msg(gs_trace_load(&t, path, "SFT", &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(gs_sample_find_window(&t, 4, 10, &w, &err), GS_OK);
    ck_assert_uint_eq(w.njobs, 45);
    gs_parse_timestamp("2023-03-04 17:00:00+00:00", 25, &want, NULL);
    ck_assert_double_eq(w.start_epoch, want);
    ck_assert_int_eq(w.utc_offset_min, 480);
    ck_assert_int_eq(w.hourly[0], 25);
    ck_assert_int_eq(w.hourly[3], 20);
    /* 40 jobs in 4 hours, apportioned 25:20 */
    ck_assert_int_eq(w.target[0] + w.target[1] + w.target[2] + w.target[3], 40);
    ck_assert_int_eq(w.target[0], 22);
    ck_assert_int_eq(w.target[3], 18);
    ck_assert_int_eq(w.with_replacement, 0); /* 45 jobs for 40 */
    ck_assert_int_eq(gs_sample_find_window(&t, 4, 12, &w, &err), GS_OK);
    ck_assert_int_eq(w.with_replacement, 1); /* 45 jobs for 48 */
    /* bad arguments */
    ck_assert_int_eq(gs_sample_find_window(&t, 0, 10, &w, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_sample_find_window(&t, 24, 0, &w, NULL), GS_EINVAL);
    gs_trace_release(&t);
    remove(path);
    free(path);
}
END_TEST

START_TEST(command_line_errors)
{
    char *trace = gen_trace(1, 15.2, 1), *dir = gs_test_tmpdir(), out[600];

    snprintf(out, sizeof(out), "%s/s", dir);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample --help | grep -q '^usage: gpusim sample'", GS_BINARY_DIR), 0);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample -t %s 2>/dev/null", GS_BINARY_DIR, trace), 2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample -o %s 2>/dev/null", GS_BINARY_DIR, out), 2);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample -t %s -o %s -k 0 2>/dev/null", GS_BINARY_DIR, trace, out), 2);
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample -t %s/none.csv -o %s 2>/dev/null", GS_BINARY_DIR, dir, out),
        1);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample -t %s -o %s -q", GS_BINARY_DIR, trace, out), 0);
    /* an existing folder is not replaced without --force */
    ck_assert_int_eq(
        gs_test_sh("%s/gpusim sample -t %s -o %s -q 2>/dev/null", GS_BINARY_DIR, trace, out), 1);
    ck_assert_int_eq(gs_test_sh("%s/gpusim sample -t %s -o %s -q -f", GS_BINARY_DIR, trace, out),
                     0);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    remove(trace);
    free(trace);
    free(dir);
}
END_TEST

/* The bundled traces are what scripts/make_traces.sh (the commands in traces/README.md) makes. */
START_TEST(bundled_traces_regenerate_byte_identically)
{
    char *dir = gs_test_tmpdir();
    static const char *const files[] = {"multiweek.csv", "default.csv"};
    size_t i;
    gs_trace t;
    gs_err err = {0};

    ck_assert_int_eq(
        gs_test_sh("%s %s/gpusim %s", gs_test_src("scripts/make_traces.sh"), GS_BINARY_DIR, dir),
        0);
    for (i = 0; i < 2; i++) {
        char made[700], *a, *b;
        snprintf(made, sizeof(made), "%s/%s", dir, files[i]);
        a = gs_test_slurp(made);
        b = gs_test_slurp(
            gs_test_src(files[i][0] == 'm' ? "traces/multiweek.csv" : "traces/default.csv"));
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        ck_assert_msg(!strcmp(a, b), "traces/%s differs from what scripts/make_traces.sh makes",
                      files[i]);
        free(a);
        free(b);
    }
    /* the default trace: 960 SFT jobs the simulator reads */
    ck_assert_msg(gs_trace_load(&t, gs_test_src("traces/default.csv"), "SFT", &err) == GS_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(t.njobs, 960);
    gs_trace_release(&t);
    ck_assert_int_eq(gs_test_sh("rm -rf %s", dir), 0);
    free(dir);
}
END_TEST

static Suite *sample_suite(void)
{
    Suite *s = suite_create("sample");
    TCase *tc = tcase_create("sample");

    tcase_add_test(tc, multiweek_trace_gives_ten_traces_of_960_from_the_busiest_window);
    tcase_add_test(tc, a_busy_window_is_subsampled_without_replacement);
    tcase_add_test(tc, several_sources_give_one_independent_trace_each);
    tcase_add_test(tc, the_window_honours_utc_offsets);
    tcase_add_test(tc, command_line_errors);
    tcase_add_test(tc, bundled_traces_regenerate_byte_identically);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(sample_suite());
}
