/* SPDX-License-Identifier: Apache-2.0 */
/* The synthetic ACME trace generator against the published ACME figures. */
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

/* A few headline numbers of the published SFT figures (Hu et al., NSDI '24, and the
 * InternLM/AcmeTrace release: from the ACME authors' figures; the figure files themselves are
 * third-party data that stay out of the repository, and tests/test_acme.c checks the model against
 * every point of them when they are present). */
#define PUB_SFT_JOBS     67100.0 /* section 2: ~67,100 SFT jobs */
#define PUB_ABOVE_16     945.0   /* section 4: jobs with more than 16 GPUs (about 1.4%) */
#define PUB_SFT_MAX_GPUS 512     /* section 4: the largest SFT job */
/* section 5: the duration percentiles p10, p50, p90 and p99 lie in (lo, hi] seconds */
static const struct {
    double q, lo, hi;
} pub_dur_pct[] = {{0.10, 8, 16}, {0.50, 128, 256}, {0.90, 1024, 2048}, {0.99, 8192, 16384}};
#define NPCT (sizeof(pub_dur_pct) / sizeof(pub_dur_pct[0]))

static char *gen_file(const gs_tracegen_opts *o)
{
    char *path = gs_test_tmpfile("", ".csv");
    FILE *fp = fopen(path, "w");
    gs_err err = {0};

    ck_assert_ptr_nonnull(fp);
    ck_assert_msg(gs_tracegen_write(o, fp, NULL, &err) == GS_OK, "%s", err.msg);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy's default percentile (linear between order statistics), as matplotlib's box plot */
static double pct(const double *v, size_t n, double q)
{
    double k = (double)(n - 1) * q;
    size_t f = (size_t)floor(k), c = f + 1 < n ? f + 1 : f;
    return v[f] + (v[c] - v[f]) * (k - (double)f);
}

START_TEST(sft_gpu_num_matches_the_box_plot_and_tail)
{
    gs_tracegen_opts o;
    gs_trace tr;
    gs_err err = {0};
    char *path;
    double *g, q1, med, q3, hi_fence, lo_fence, whisk_hi = 0, whisk_lo = 1e9;
    size_t i, n, above = 0, count[PUB_SFT_MAX_GPUS + 1] = {0};
    int v, mode = 0;

    gs_tracegen_opts_init(&o);
    o.jobs = 30000;
    o.seed = 5;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "SFT", &err) == GS_OK, "%s", err.msg);
    n = tr.njobs;
    ck_assert_uint_eq(n, 30000);
    g = malloc(n * sizeof(*g));
    for (i = 0; i < n; i++)
        g[i] = tr.jobs[i].gpu_num;
    qsort(g, n, sizeof(*g), by_double);
    q1 = pct(g, n, 0.25), med = pct(g, n, 0.5), q3 = pct(g, n, 0.75);
    /* the box plot exactly: Q1 2, median 8, Q3 8, whiskers 1 and 16 (1.5 x IQR) */
    ck_assert_double_eq(q1, 2);
    ck_assert_double_eq(med, 8);
    ck_assert_double_eq(q3, 8);
    hi_fence = q3 + 1.5 * (q3 - q1);
    lo_fence = q1 - 1.5 * (q3 - q1);
    for (i = 0; i < n; i++) {
        if (g[i] <= hi_fence && g[i] > whisk_hi)
            whisk_hi = g[i];
        if (g[i] >= lo_fence && g[i] < whisk_lo)
            whisk_lo = g[i];
        if (g[i] > 16) {
            /* the tail: whole nodes (multiples of 8) up to the largest published job */
            ck_assert_msg(fmod(g[i], 8) == 0 && g[i] <= PUB_SFT_MAX_GPUS, "gpu_num %.0f", g[i]);
            count[(int)g[i]]++;
            above++;
        }
    }
    ck_assert_double_eq(whisk_hi, 16);
    ck_assert_double_eq(whisk_lo, 1);
    /* the share above 16 GPUs: 945 of ~67,100 (1.41%), within 4 binomial standard deviations
     * (0.27 percentage points at 30,000 jobs) */
    {
        double p = PUB_ABOVE_16 / PUB_SFT_JOBS, got = (double)above / n;
        ck_assert_double_eq_tol(got, p, 4 * sqrt(p * (1 - p) / n));
    }
    /* 32 GPUs is the most common value of the tail, in the sample and in the model */
    for (v = 24; v <= PUB_SFT_MAX_GPUS; v += 8)
        if (count[v] > count[mode])
            mode = v;
    ck_assert_int_eq(mode, 32);
    {
        double tail = 0, total = 0;
        for (v = 1; v <= 2048; v++) {
            double p = gs_tracegen_sft_gpu_prob(v);
            total += p;
            if (v > 16) {
                tail += p;
                if (v != 32)
                    ck_assert_double_lt(p, gs_tracegen_sft_gpu_prob(32));
            }
            if (v > PUB_SFT_MAX_GPUS)
                ck_assert_double_eq(p, 0);
        }
        ck_assert_double_eq_tol(total, 1, 1e-9);
        /* the fitted tail probability is the published share, rounded to 4 digits */
        ck_assert_double_eq_tol(tail, PUB_ABOVE_16 / (0.149 * 450590), 1e-3 * tail);
    }
    /* the largest jobs (128 to 512 GPUs) are rare but present; the maximum is 512 */
    ck_assert_double_gt(gs_tracegen_sft_gpu_prob(128), 0);
    ck_assert_double_gt(gs_tracegen_sft_gpu_prob(256), 0);
    ck_assert_double_gt(gs_tracegen_sft_gpu_prob(512), 0);
    ck_assert_double_lt(gs_tracegen_sft_gpu_prob(128) + gs_tracegen_sft_gpu_prob(256) +
                            gs_tracegen_sft_gpu_prob(512),
                        gs_tracegen_sft_gpu_prob(64));
    ck_assert_double_eq(gs_tracegen_sft_gpu_prob(3), 0);
    ck_assert_double_eq(gs_tracegen_gpu_prob("SFT", 32), gs_tracegen_sft_gpu_prob(32));
    ck_assert_double_eq(gs_tracegen_gpu_prob("nope", 8), 0);
    free(g);
    gs_trace_release(&tr);
    remove(path);
    free(path);
}
END_TEST

START_TEST(sft_duration_percentiles_in_the_published_brackets)
{
    gs_tracegen_opts o;
    gs_trace tr;
    gs_err err = {0};
    char *path;
    double *d;
    size_t i, k, n;

    gs_tracegen_opts_init(&o);
    o.jobs = 30000;
    o.seed = 6;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "SFT", &err) == GS_OK, "%s", err.msg);
    n = tr.njobs;
    d = malloc(n * sizeof(*d));
    for (i = 0; i < n; i++) {
        d[i] = tr.jobs[i].duration;
        ck_assert_double_ge(d[i], 1);
        ck_assert_double_eq(d[i], floor(d[i])); /* whole seconds, as ACME */
    }
    qsort(d, n, sizeof(*d), by_double);
    for (k = 0; k < NPCT; k++) {
        double q = pub_dur_pct[k].q, lo = pub_dur_pct[k].lo, hi = pub_dur_pct[k].hi;
        /* the model: F(lo) < q <= F(hi) */
        ck_assert_msg(gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, lo) < q &&
                          gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, hi) >= q,
                      "model p%.0f outside (%.0f, %.0f] s: F = %.4f, %.4f", 100 * q, lo, hi,
                      gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, lo),
                      gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, hi));
        /* the sample (30,000 jobs: the binomial noise at the brackets' ends is 0.05 to 0.2
         * percentage points, less than the model's distance to q) */
        ck_assert_msg(pct(d, n, q) > lo && pct(d, n, q) <= hi,
                      "p%.0f = %.0f s, not in (%.0f, %.0f]", 100 * q, pct(d, n, q), lo, hi);
    }
    /* the inverse CDF and the CDF agree */
    ck_assert_double_eq_tol(
        gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, gs_tracegen_sft_duration_at(0.5)), 0.5, 1e-3);
    ck_assert_double_eq_tol(
        gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, gs_tracegen_sft_duration_at(0.9)), 0.9, 1e-3);
    ck_assert_double_eq(gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, 0.5), 0);
    ck_assert_double_eq(gs_tracegen_cdf("SFT", GS_TRACEGEN_DURATION, 1e9), 1);
    ck_assert_double_eq(gs_tracegen_cdf("nope", GS_TRACEGEN_DURATION, 10), -1);
    free(d);
    gs_trace_release(&tr);
    remove(path);
    free(path);
}
END_TEST

/* Splits a CSV line without quotes into at most 16 fields. */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;

    f[n++] = p;
    while ((p = strchr(p, ',')) && n < 16) {
        *p++ = '\0';
        f[n++] = p;
    }
    return n;
}

START_TEST(rows_are_exact_seren_schema_and_consistent)
{
    gs_tracegen_opts o;
    char *path, *text, *line, *save = NULL;
    long rows = 0;

    gs_tracegen_opts_init(&o);
    o.jobs = 3000;
    o.all_types = 1;
    path = gen_file(&o);
    text = gs_test_slurp(path);
    line = strtok_r(text, "\n", &save);
    ck_assert_str_eq(line, "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,"
                           "start_time,end_time,duration,queue,gpu_time");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[16];
        double sub, start, end, dur, queue, gt;
        int off, gpus;
        ck_assert_int_eq(split(line, f), 13);
        ck_assert_int_eq(gs_parse_timestamp(f[7], strlen(f[7]), &sub, &off), 0);
        ck_assert_int_eq(off, 480);
        ck_assert_int_eq(gs_parse_timestamp(f[8], strlen(f[8]), &start, &off), 0);
        ck_assert_int_eq(gs_parse_timestamp(f[9], strlen(f[9]), &end, &off), 0);
        ck_assert_msg(strstr(f[7], "+08:00") != NULL, "%s", f[7]);
        gpus = atoi(f[3]);
        dur = atof(f[10]);
        queue = atof(f[11]);
        gt = atof(f[12]);
        ck_assert_double_eq(start - sub, queue);
        ck_assert_double_eq(end - start, dur);
        ck_assert_double_eq(gt, dur * gpus);
        ck_assert_int_eq(atoi(f[2]), (gpus + 7) / 8);
        ck_assert(f[1][0] == 'u' && strlen(f[1]) == 5);
        ck_assert(!strcmp(f[6], "COMPLETED") || !strcmp(f[6], "CANCELLED") ||
                  !strcmp(f[6], "FAILED"));
        rows++;
    }
    ck_assert_int_eq(rows, 3000);
    free(text);
    remove(path);
    free(path);
}
END_TEST

START_TEST(same_seed_same_bytes)
{
    gs_tracegen_opts o;
    char *a, *b, *c, *ta, *tb, *tc;

    gs_tracegen_opts_init(&o);
    o.days = 2;
    a = gen_file(&o);
    b = gen_file(&o);
    o.seed = 2;
    c = gen_file(&o);
    ta = gs_test_slurp(a), tb = gs_test_slurp(b), tc = gs_test_slurp(c);
    ck_assert_str_eq(ta, tb);
    ck_assert_str_ne(ta, tc);
    /* and through the command line */
    ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --days 2 -q --out %s", GS_BINARY_DIR, c), 0);
    free(tc);
    tc = gs_test_slurp(c);
    ck_assert_str_eq(ta, tc);
    free(ta), free(tb), free(tc);
    remove(a), remove(b), remove(c);
    free(a), free(b), free(c);
}
END_TEST

START_TEST(arrivals_have_a_daily_cycle_and_a_busiest_day)
{
    gs_tracegen_opts o;
    gs_trace tr;
    gs_sample_window w;
    gs_err err = {0};
    char *path;
    long by_hour[24] = {0};
    size_t i;
    double hours, avg;

    gs_tracegen_opts_init(&o);
    o.days = 21;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "SFT", &err) == GS_OK, "%s", err.msg);
    hours = 21 * 24;
    avg = (double)tr.njobs / hours;
    /* ACME's average: ~67,100 SFT jobs in 184 days, 15.2 per hour (Hu et al., NSDI '24) */
    ck_assert_double_eq_tol(avg, 15.2, 0.2 * 15.2);
    ck_assert_double_lt(tr.jobs[tr.njobs - 1].submit_epoch, o.start_epoch + 21 * 86400.0);
    for (i = 0; i < tr.njobs; i++) {
        double local = tr.jobs[i].submit_epoch + 60.0 * tr.jobs[i].utc_offset_min;
        by_hour[(long)floor(fmod(local, 86400.0) / 3600)]++;
    }
    /* afternoons are busier than nights */
    ck_assert_int_gt(by_hour[14] + by_hour[15] + by_hour[16],
                     2 * (by_hour[2] + by_hour[3] + by_hour[4]));
    /* the busiest 24 h stands out from the average */
    ck_assert_int_eq(gs_sample_find_window(&tr, 24, 40, &w, &err), GS_OK);
    ck_assert_double_gt((double)w.njobs, 1.4 * 24 * avg);
    gs_trace_release(&tr);
    remove(path);
    free(path);
}
END_TEST

START_TEST(all_types_in_their_published_shares)
{
    /* shares of Seren GPU jobs by type (the authors' treemap, Hu et al., NSDI '24); the box
     * plots of each type are checked against the figure files in tests/test_acme.c */
    static const struct {
        const char *type;
        double share;
    } want[] = {{"Eval", 64.9}, {"SFT", 14.9},   {"MLLM", 2.9},
                {"Debug", 1.9}, {"Other", 14.6}, {"Pretrain", 0.9}};
    gs_tracegen_opts o;
    gs_trace tr;
    gs_err err = {0};
    char *path;
    size_t i, k, n;

    gs_tracegen_opts_init(&o);
    o.jobs = 40000;
    o.all_types = 1;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "all", &err) == GS_OK, "%s", err.msg);
    n = tr.njobs;
    for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        size_t m = 0;
        double p = want[k].share / 100.1, total = 0; /* the published shares add up to 100.1% */
        int v;
        for (i = 0; i < n; i++)
            m += !strcmp(tr.jobs[i].type, want[k].type);
        ck_assert_double_eq_tol((double)m / n, p, 4 * sqrt(p * (1 - p) / n));
        for (v = 1; v <= 2048; v++)
            total += gs_tracegen_gpu_prob(want[k].type, v);
        ck_assert_double_eq_tol(total, 1, 1e-9);
        ck_assert_double_ge(gs_tracegen_cdf(want[k].type, GS_TRACEGEN_QUEUE, 1), 0.4);
    }
    gs_trace_release(&tr);
    remove(path);
    free(path);
}
END_TEST

/* Kalos: its columns, its four types in its published shares (the ACME figures: Eval 92.8%,
 * Pretrain 3.2%, Debug 2.7%, Other 1.3%), its states (cluster_summary.csv: 54.1/6.2/39.7%), +00:00,
 * and the loader reads it as the Kalos schema; a --types list draws only those types, in their
 * relative shares. */
START_TEST(kalos_and_type_lists)
{
    static const struct {
        const char *type;
        double share;
        double time; /* % of Kalos GPU time (the ACME figures) */
    } want[] = {
        {"Eval", 92.8, 0.4}, {"Pretrain", 3.2, 95.5}, {"Debug", 2.7, 1.6}, {"Other", 1.3, 2.5}};
    double total = 0, p1024;
    gs_tracegen_opts o;
    gs_trace tr;
    gs_err err = {0};
    char *path, *text, first[512];
    size_t i, k, n, failed = 0, fail_times = 0;
    FILE *fp;

    gs_tracegen_opts_init(&o);
    o.jobs = 20000;
    o.cluster = GS_TRACEGEN_KALOS;
    gs_parse_timestamp("2023-05-01 00:00:00+00:00", 25, &o.start_epoch, &o.utc_offset_min);
    path = gen_file(&o);
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(first, sizeof(first), fp));
    fclose(fp);
    ck_assert_str_eq(first, GS_TRACE_KALOS_HEADER "\n");
    ck_assert_msg(gs_trace_load(&tr, path, "all", &err) == GS_OK, "%s", err.msg);
    ck_assert_str_eq(tr.schema, "kalos");
    n = tr.njobs;
    ck_assert_uint_eq(n, 20000);
    for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        size_t m = 0;
        double p = want[k].share / 100;
        for (i = 0; i < n; i++)
            m += !strcmp(tr.jobs[i].type, want[k].type);
        ck_assert_double_eq_tol((double)m / n, p, 4 * sqrt(p * (1 - p) / n));
    }
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(tr.jobs[i].utc_offset_min, 0);
        ck_assert_str_ne(tr.jobs[i].type, "SFT");
        failed += !strcmp(tr.jobs[i].state, "FAILED");
    }
    ck_assert_double_eq_tol((double)failed / n, 0.397, 4 * sqrt(0.397 * 0.603 / n));
    /* the same layout as Seren's: each type's published share of GPU time (the fitted copula),
     * the published outliers (Pretrain: 127 jobs of 1,024 GPUs among 637), states drawn with
     * the duration (longer jobs more often cancelled) */
    for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
        total += want[k].share * gs_tracegen_cluster_gpu_time_mean(GS_TRACEGEN_KALOS, want[k].type);
    for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        double share = 100 * want[k].share *
                       gs_tracegen_cluster_gpu_time_mean(GS_TRACEGEN_KALOS, want[k].type) / total;
        ck_assert_msg(fabs(share - want[k].time) < 0.06, "Kalos %s: %.3f%% of GPU time",
                      want[k].type, share);
    }
    p1024 = gs_tracegen_cluster_gpu_prob(GS_TRACEGEN_KALOS, "Pretrain", 1024);
    ck_assert_double_eq_tol(p1024, 127 / (0.032 * 19907), 1e-3);
    for (i = 0, k = 0; i < n; i++)
        k += !strcmp(tr.jobs[i].type, "Pretrain") && tr.jobs[i].gpu_num == 1024;
    ck_assert_double_eq_tol((double)k, n * 0.032 * p1024, 4 * sqrt(n * 0.032 * p1024) + 1);
    ck_assert_double_gt(gs_tracegen_cluster_state_prob(GS_TRACEGEN_KALOS, "CANCELLED", 1e5),
                        gs_tracegen_cluster_state_prob(GS_TRACEGEN_KALOS, "CANCELLED", 100));
    /* fail_time is the end of the FAILED jobs and empty otherwise */
    text = gs_test_slurp(path);
    for (i = 0; text[i]; i++)
        fail_times += text[i] == '\n';
    free(text);
    gs_trace_release(&tr);
    ck_assert_int_eq(
        gs_test_sh("awk -F, 'NR>1 && (($9==\"FAILED\") != ($13!=\"\"))' '%s' | grep -q .", path),
        1);
    ck_assert_uint_eq(fail_times, n + 1);
    remove(path);
    free(path);
    /* a list of Seren types: only those, in their relative shares */
    gs_tracegen_opts_init(&o);
    o.jobs = 20000;
    o.types = "MLLM,Eval";
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "all", &err) == GS_OK, "%s", err.msg);
    for (i = 0, k = 0; i < tr.njobs; i++) {
        ck_assert_msg(!strcmp(tr.jobs[i].type, "Eval") || !strcmp(tr.jobs[i].type, "MLLM"), "%s",
                      tr.jobs[i].type);
        k += !strcmp(tr.jobs[i].type, "MLLM");
    }
    ck_assert_double_eq_tol((double)k / tr.njobs, 2.9 / 67.8, 4 * sqrt(0.043 * 0.957 / 20000));
    gs_trace_release(&tr);
    remove(path);
    free(path);
    /* a Kalos list with a Seren-only type is refused, naming it */
    gs_tracegen_opts_init(&o);
    o.cluster = GS_TRACEGEN_KALOS;
    o.types = "Eval,SFT";
    ck_assert_int_eq(gs_tracegen_check(&o, &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "'SFT'") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(bad_options_are_rejected)
{
    gs_tracegen_opts o;
    gs_err err = {0};

    gs_tracegen_opts_init(&o);
    o.days = 0;
    ck_assert_int_eq(gs_tracegen_write(&o, stdout, NULL, &err), GS_EINVAL);
    gs_tracegen_opts_init(&o);
    o.sft_per_hour = 0;
    ck_assert_int_eq(gs_tracegen_write(&o, stdout, NULL, NULL), GS_EINVAL);
    gs_tracegen_opts_init(&o);
    o.diurnal = 1;
    ck_assert_int_eq(gs_tracegen_write(&o, stdout, NULL, NULL), GS_EINVAL);
    gs_tracegen_opts_init(&o);
    o.jobs = -1;
    ck_assert_int_eq(gs_tracegen_write(&o, stdout, NULL, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --help | grep -q '^usage: gpusim gen-trace'",
                                GS_BINARY_DIR),
                     0);
    ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --jobs 5 --days 2 2>/dev/null", GS_BINARY_DIR),
                     2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --rate -3 2>/dev/null", GS_BINARY_DIR), 2);
    ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --start yesterday 2>/dev/null", GS_BINARY_DIR),
                     2);
    {
        /* a path under a regular file cannot be written */
        char *file = gs_test_tmpfile("x", ".txt");
        ck_assert_int_eq(gs_test_sh("%s/gpusim gen-trace --jobs 5 -q --out %s/x.csv 2>/dev/null",
                                    GS_BINARY_DIR, file),
                         1);
        remove(file);
        free(file);
    }
}
END_TEST

/* Spearman rank correlation (ties get their mean rank). */
typedef struct pair {
    double v;
    size_t i;
} pair;

static int by_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return (x->v > y->v) - (x->v < y->v);
}

static void ranks(const double *v, size_t n, double *r)
{
    pair *p = malloc(n * sizeof(*p));
    size_t i = 0, j, k;

    for (k = 0; k < n; k++)
        p[k].v = v[k], p[k].i = k;
    qsort(p, n, sizeof(*p), by_pair);
    while (i < n) {
        for (j = i; j < n && p[j].v == p[i].v; j++)
            ;
        for (k = i; k < j; k++)
            r[p[k].i] = (double)(i + j - 1) / 2;
        i = j;
    }
    free(p);
}

static double spearman(const gs_trace *t)
{
    size_t n = t->njobs, i;
    double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
    double *ra = malloc(n * sizeof(double)), *rb = malloc(n * sizeof(double));
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

    ck_assert(n > 0 && a && b && ra && rb);
    for (i = 0; i < n; i++) {
        a[i] = t->jobs[i].gpu_num;
        b[i] = t->jobs[i].duration;
    }
    ranks(a, n, ra);
    ranks(b, n, rb);
    for (i = 0; i < n; i++)
        ma += ra[i] / n, mb += rb[i] / n;
    for (i = 0; i < n; i++) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    free(a), free(b), free(ra), free(rb);
    return sab / sqrt(saa * sbb);
}

START_TEST(the_copula_correlates_size_and_length_keeping_the_marginals)
{
    gs_tracegen_opts o;
    gs_trace t0, t5;
    gs_err err = {0};
    char *p0, *p5;
    double *g, *d;
    size_t i, n;

    gs_tracegen_opts_init(&o);
    o.jobs = 20000;
    o.corr = 0;
    p0 = gen_file(&o);
    o.corr = 0.5;
    p5 = gen_file(&o);
    ck_assert_int_eq(gs_trace_load(&t0, p0, "SFT", &err), GS_OK);
    ck_assert_int_eq(gs_trace_load(&t5, p5, "SFT", &err), GS_OK);
    ck_assert_double_lt(fabs(spearman(&t0)), 0.03);
    ck_assert_double_gt(spearman(&t5), 0.3);
    gs_trace_release(&t0);
    remove(p0);
    free(p0);
    /* the default: SFT's fitted correlation (0.27), between the two */
    o.corr = NAN;
    p0 = gen_file(&o);
    ck_assert_int_eq(gs_trace_load(&t0, p0, "SFT", &err), GS_OK);
    ck_assert_double_gt(spearman(&t0), 0.1);
    ck_assert_double_lt(spearman(&t0), spearman(&t5));
    n = t5.njobs;
    g = malloc(n * sizeof(*g));
    d = malloc(n * sizeof(*d));
    for (i = 0; i < n; i++)
        g[i] = t5.jobs[i].gpu_num, d[i] = t5.jobs[i].duration;
    qsort(g, n, sizeof(*g), by_double);
    qsort(d, n, sizeof(*d), by_double);
    ck_assert(pct(g, n, 0.25) == 2 && pct(g, n, 0.5) == 8 && pct(g, n, 0.75) == 8);
    ck_assert(pct(d, n, 0.50) > 128 && pct(d, n, 0.50) <= 256);
    ck_assert(pct(d, n, 0.90) > 1024 && pct(d, n, 0.90) <= 2048);
    o.corr = 1;
    ck_assert_int_eq(gs_tracegen_write(&o, stdout, NULL, NULL), GS_EINVAL);
    free(g), free(d);
    gs_trace_release(&t0);
    gs_trace_release(&t5);
    remove(p0), remove(p5);
    free(p0), free(p5);
}
END_TEST

/* Published GPU-time shares by type (the ACME authors' treemap of job types, InternLM/AcmeTrace)
 * and the states' shares of Seren GPU jobs and of GPU time (the authors' cluster_summary.csv). */
static const struct {
    const char *type;
    double jobs, time; /* % of GPU jobs, % of GPU time */
} pub_type[] = {{"Eval", 64.9, 6.2}, {"Pretrain", 0.9, 69.5}, {"SFT", 14.9, 6.4},
                {"MLLM", 2.9, 8.6},  {"Debug", 1.9, 1.7},     {"Other", 14.6, 7.6}};
static const struct {
    const char *state;
    double jobs, time;
} pub_state[] = {{"COMPLETED", 49.7, 21.2}, {"CANCELLED", 7.5, 66.4}, {"FAILED", 42.9, 12.4}};
/* SFT jobs outside the box plot's whiskers, by gpu_num, per ~67,100 SFT jobs (the authors' box
 * plot of gpu_num, one marker per job) */
static const struct {
    int gpus;
    double jobs;
} pub_tail[] = {{24, 1}, {32, 725}, {56, 2}, {64, 120}, {128, 58}, {192, 30}, {256, 5}, {512, 4}};

START_TEST(gpu_time_shares_tail_counts_and_states)
{
    gs_tracegen_opts o;
    gs_trace tr;
    gs_err err = {0};
    char *path;
    double total = 0, sum = 0, sum2 = 0, mean, se, sft_jobs = 0.149 * 450590;
    size_t i, k, n, count[513] = {0}, st[3] = {0};

    /* the model: every type holds its published share of GPU time (to the 0.05 percentage
     * points the published shares are rounded to, plus the 4-digit rounding of the model) */
    for (k = 0; k < 6; k++)
        total += pub_type[k].jobs * gs_tracegen_gpu_time_mean(pub_type[k].type);
    for (k = 0; k < 6; k++) {
        double share = 100 * pub_type[k].jobs * gs_tracegen_gpu_time_mean(pub_type[k].type) / total;
        ck_assert_msg(fabs(share - pub_type[k].time) < 0.06,
                      "%s: %.3f%% of GPU time, published %.1f%%", pub_type[k].type, share,
                      pub_type[k].time);
    }
    /* the generator: 200,000 SFT jobs. Their mean GPU time is the model's (13,930 GPU-s, where
     * independent draws gave 8,100) within 4 standard errors, and every published tail value
     * comes in its published proportion within 4 Poisson standard deviations (for 192 GPUs:
     * 30 per 67,100, so 89 +- 38 here; the fitted octave model of earlier versions gave ~0) */
    gs_tracegen_opts_init(&o);
    o.jobs = 200000;
    o.seed = 11;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "SFT", &err) == GS_OK, "%s", err.msg);
    n = tr.njobs;
    for (i = 0; i < n; i++) {
        double g = tr.jobs[i].gpu_num * tr.jobs[i].duration;
        sum += g, sum2 += g * g;
        ck_assert_int_le(tr.jobs[i].gpu_num, 512);
        count[tr.jobs[i].gpu_num]++;
    }
    mean = sum / n;
    se = sqrt((sum2 / n - mean * mean) / n);
    ck_assert_msg(fabs(mean - gs_tracegen_gpu_time_mean("SFT")) < 4 * se,
                  "mean SFT GPU time %.0f, model %.0f (se %.0f)", mean,
                  gs_tracegen_gpu_time_mean("SFT"), se);
    ck_assert_double_gt(gs_tracegen_gpu_time_mean("SFT"), 1.5 * 8100);
    for (k = 0; k < sizeof(pub_tail) / sizeof(pub_tail[0]); k++) {
        double want = n * pub_tail[k].jobs / sft_jobs;
        ck_assert_msg(fabs(count[pub_tail[k].gpus] - want) <= 4 * sqrt(want) + 1,
                      "%d GPUs: %zu jobs, %.1f expected", pub_tail[k].gpus, count[pub_tail[k].gpus],
                      want);
        ck_assert_double_eq_tol(gs_tracegen_sft_gpu_prob(pub_tail[k].gpus),
                                pub_tail[k].jobs / sft_jobs, 1e-3 * pub_tail[k].jobs / sft_jobs);
    }
    ck_assert_double_eq(gs_tracegen_sft_gpu_prob(48), 0); /* no SFT job of 48 was published */
    /* longer jobs are more often cancelled, and less often failed */
    ck_assert_double_gt(gs_tracegen_state_prob("CANCELLED", 1e5), 0.5);
    ck_assert_double_lt(gs_tracegen_state_prob("CANCELLED", 100), 0.1);
    ck_assert_double_gt(gs_tracegen_state_prob("FAILED", 10),
                        gs_tracegen_state_prob("FAILED", 1e5));
    ck_assert_double_eq(gs_tracegen_state_prob("TIMEOUT", 10), -1);
    gs_trace_release(&tr);
    remove(path);
    free(path);
    /* all types: the states' shares of jobs within 4 binomial standard deviations of the
     * published ones (which add up to 100.1%); of GPU time, cancelled jobs hold most and
     * failed ones little (a sample's GPU time is dominated by rare long Pretrain jobs, so only
     * coarsely: published 66.4% and 12.4%) */
    o.all_types = 1;
    o.jobs = 100000;
    path = gen_file(&o);
    ck_assert_msg(gs_trace_load(&tr, path, "all", &err) == GS_OK, "%s", err.msg);
    {
        double tt[3] = {0, 0, 0}, all = 0;
        for (i = 0; i < tr.njobs; i++)
            for (k = 0; k < 3; k++)
                if (!strcmp(tr.jobs[i].state, pub_state[k].state)) {
                    st[k]++;
                    tt[k] += tr.jobs[i].gpu_num * tr.jobs[i].duration;
                    all += tr.jobs[i].gpu_num * tr.jobs[i].duration;
                }
        for (k = 0; k < 3; k++) {
            double p = pub_state[k].jobs / 100.1;
            ck_assert_double_eq_tol((double)st[k] / tr.njobs, p, 4 * sqrt(p * (1 - p) / tr.njobs));
        }
        ck_assert_double_gt(tt[1] / all, 0.5);
        ck_assert_double_lt(tt[2] / all, 0.2);
    }
    gs_trace_release(&tr);
    remove(path);
    free(path);
}
END_TEST

static Suite *tracegen_suite(void)
{
    Suite *s = suite_create("tracegen");
    TCase *tc = tcase_create("fit");
    TCase *tf = tcase_create("format");

    tcase_add_test(tc, sft_gpu_num_matches_the_box_plot_and_tail);
    tcase_add_test(tc, sft_duration_percentiles_in_the_published_brackets);
    tcase_add_test(tc, arrivals_have_a_daily_cycle_and_a_busiest_day);
    tcase_add_test(tc, all_types_in_their_published_shares);
    tcase_add_test(tc, kalos_and_type_lists);
    tcase_add_test(tc, the_copula_correlates_size_and_length_keeping_the_marginals);
    tcase_add_test(tc, gpu_time_shares_tail_counts_and_states);
    tcase_add_test(tf, rows_are_exact_seren_schema_and_consistent);
    tcase_add_test(tf, same_seed_same_bytes);
    tcase_add_test(tf, bad_options_are_rejected);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tf);
    return s;
}

int main(void)
{
    return gs_test_run(tracegen_suite());
}
