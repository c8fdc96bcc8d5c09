/* SPDX-License-Identifier: Apache-2.0 */
/* Checks against the real ACME data, when it is on this machine (it is not in the repo):
 * the published figure files the generator was fitted to (GS_ACME_DIR/from_figures/), and the
 * Seren trace itself ($GPUSIM_ACME_TRACE or GS_ACME_DIR/trace_seren.csv). Exits 77 (ctest
 * SKIP) when neither is there. */
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

#ifndef GS_ACME_DIR
#define GS_ACME_DIR ""
#endif

static char figures[1024], trace[1024];

static int exists(const char *p)
{
    return p && *p && access(p, R_OK) == 0;
}

START_TEST(generator_tables_match_the_figure_files)
{
    char path[1200], line[256];
    FILE *fp;
    int rows = 0;
    double prev = -1;

    /* SFT duration CDF: the generator's inverse CDF passes through every published point */
    snprintf(path, sizeof(path), "%s/cdf_duration_queue_by_type.csv", figures);
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    while (fgets(line, sizeof(line), fp)) {
        char cl[32], metric[32], type[32];
        double x, p;
        if (sscanf(line, "%31[^,],%31[^,],%31[^,],%lf,%lf", cl, metric, type, &x, &p) != 5 ||
            strcmp(cl, "Seren") || strcmp(metric, "duration") || strcmp(type, "SFT"))
            continue;
        if (p > prev && p < 100)
            ck_assert_msg(fabs(gs_tracegen_sft_duration_at(p / 100) - x) <= 1e-6 * x,
                          "duration CDF %.2f%% at %.0f s: generator gives %.3f s", p, x,
                          gs_tracegen_sft_duration_at(p / 100));
        prev = p;
        rows++;
    }
    fclose(fp);
    ck_assert_int_eq(rows, 22);
    /* SFT outliers: exact counts out of 14.9% of Seren's 450,590 GPU jobs */
    snprintf(path, sizeof(path), "%s/gpu_num_outliers_by_type.csv", figures);
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    rows = 0;
    while (fgets(line, sizeof(line), fp)) {
        char cl[32], type[32];
        int g, jobs;
        if (sscanf(line, "%31[^,],%31[^,],%d,%d", cl, type, &g, &jobs) != 4 ||
            strcmp(cl, "Seren") || strcmp(type, "SFT"))
            continue;
        ck_assert_double_eq_tol(gs_tracegen_sft_gpu_prob(g) * 0.149 * 450590, jobs, 1e-6);
        rows++;
    }
    fclose(fp);
    ck_assert_int_eq(rows, 8);
}
END_TEST

START_TEST(real_trace_loads_and_samples)
{
    gs_trace t, s;
    gs_sample_window w;
    gs_err err = {0};
    char *out = gs_test_tmpfile("", ".csv");
    FILE *fp;
    char start[40];

    ck_assert_msg(gs_trace_load(&t, trace, "SFT", &err) == GS_OK, "%s", err.msg);
    /* ~67,100 SFT GPU jobs (STATS.md section 2), fewer the ones that never ran */
    ck_assert_uint_gt(t.njobs, 50000);
    ck_assert_uint_lt(t.njobs, 70000);
    ck_assert_int_eq(gs_sample_find_window(&t, 24, 40, &w, &err), GS_OK);
    gs_format_timestamp(start, sizeof(start), w.start_epoch, w.utc_offset_min);
    printf("ACME Seren: %zu SFT jobs; busiest 24 h from %s: %zu jobs (%s)\n", t.njobs, start,
           w.njobs, w.with_replacement ? "sampled with replacement" : "subsampled");
    fp = fopen(out, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(gs_sample_write(&t, &w, 1, 1, fp, &err), GS_OK);
    fclose(fp);
    ck_assert_msg(gs_trace_load(&s, out, "SFT", &err) == GS_OK, "%s", err.msg);
    ck_assert_uint_eq(s.njobs, 960);
    ck_assert_double_ge(s.jobs[0].submit_epoch, w.start_epoch);
    ck_assert_double_lt(s.jobs[959].submit_epoch, w.start_epoch + 86400);
    gs_trace_release(&s);
    gs_trace_release(&t);
    remove(out);
    free(out);
}
END_TEST

int main(void)
{
    const char *env = getenv("GPUSIM_ACME_TRACE");
    char probe[1200];
    int have_figures, have_trace;
    Suite *s;
    TCase *tc;

    snprintf(figures, sizeof(figures), "%s/from_figures", GS_ACME_DIR);
    snprintf(trace, sizeof(trace), "%s", env && *env ? env : GS_ACME_DIR "/trace_seren.csv");
    snprintf(probe, sizeof(probe), "%s/cdf_duration_queue_by_type.csv", figures);
    have_figures = exists(probe);
    have_trace = exists(trace);
    if (!have_figures)
        printf("acme: figure files not found in '%s': skipping that check\n", figures);
    if (!have_trace)
        printf("acme: trace '%s' not found (set GPUSIM_ACME_TRACE): skipping the real-trace "
               "check\n",
               trace);
    if (!have_figures && !have_trace) {
        printf("acme: SKIP (no ACME data on this machine)\n");
        return 77;
    }
    s = suite_create("acme");
    tc = tcase_create("acme");
    tcase_set_timeout(tc, 600);
    if (have_figures)
        tcase_add_test(tc, generator_tables_match_the_figure_files);
    if (have_trace)
        tcase_add_test(tc, real_trace_loads_and_samples);
    suite_add_tcase(s, tc);
    return gs_test_run(s);
}
