/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim cdf-compare`: the Kolmogorov-Smirnov distance and p-value of two distributions of a
 * result column, of two runs or of two sets of runs over several seeds (CI regression checks). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_int.h"
#include "gpusim/cdf.h"
#include "gpusim/merge.h"
#include "util_int.h"

typedef struct criteria {
    double max_ks; /* < 0: not given */
    double alpha;  /* < 0: not given */
} criteria;

/* jobs.csv of a result folder, or path itself; malloc'd. */
static char *input_file(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return gs__path_join(path, "jobs.csv");
    return gs__strdup(path);
}

static void print_p(double p, size_t n, size_t m)
{
    if (isnan(p))
        printf(", p unknown (sample sizes unknown: compare jobs.csv files)");
    else
        printf(", p %.6f (n %zu and %zu)", p, n, m);
}

/* 0 the same, 1 different (message on stderr), 2 the p-value the criteria need is unknown. */
static int judge(const criteria *cr, double ks, double p)
{
    int far = cr->max_ks >= 0 && ks > cr->max_ks, sig = cr->alpha >= 0 && p < cr->alpha;

    if (cr->alpha >= 0 && isnan(p)) {
        fprintf(stderr, "gpusim: error: cdf-compare: --alpha needs the p-value, and the sample "
                        "sizes are unknown (compare jobs.csv files)\n");
        return 2;
    }
    if (cr->max_ks >= 0 && cr->alpha >= 0 ? far && sig : far || sig) {
        if (far)
            fprintf(stderr, "gpusim: cdf-compare: distance %.6f exceeds --max-ks %.6f\n", ks,
                    cr->max_ks);
        if (sig)
            fprintf(stderr, "gpusim: cdf-compare: p-value %.6f is under --alpha %.6f\n", p,
                    cr->alpha);
        return 1;
    }
    return 0;
}

static int compare_two(const char *pa, const char *pb, const char *column, const criteria *cr)
{
    char *fa = input_file(pa), *fb = input_file(pb);
    gs_cdf a, b;
    gs_err err = {0};
    double ks, at, p;
    int rc;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if (!fa || !fb) {
        gs_errorf(&err, GS_ENOMEM, "out of memory");
        rc = 2;
    } else if (gs_cdf_load_column(&a, fa, column, &err) != GS_OK ||
               gs_cdf_load_column(&b, fb, column, &err) != GS_OK) {
        rc = 2;
    } else {
        ks = gs_cdf_ks(&a, &b, &at);
        p = a.nsamples && b.nsamples ? gs_ks_pvalue(ks, a.nsamples, b.nsamples) : NAN;
        if (isinf(at))
            printf("ks %.6f (in the share of finished jobs)", ks);
        else
            printf("ks %.6f at %s %.6f", ks, column, at);
        print_p(p, a.nsamples, b.nsamples);
        putchar('\n');
        rc = judge(cr, ks, p);
    }
    if (rc == 2 && err.code)
        gs__fail(&err);
    if (rc == 2 && err.code == GS_ENOMEM) /* not bad input: a run-time failure */
        rc = 1;
    gs_cdf_release(&a);
    gs_cdf_release(&b);
    free(fa);
    free(fb);
    return rc;
}

/* ---- --seeds ---- */

typedef struct run_set {
    const char *path;
    gs_merge *m;
    size_t n;
    double **v; /* the column of each run */
    size_t *nv;
    double *seed;
} run_set;

static void set_release(run_set *s)
{
    size_t i;

    for (i = 0; s->v && i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    free(s->nv);
    free(s->seed);
    gs_merge_free(s->m);
}

static int set_load(run_set *s, const char *path, const char *column, gs_err *err)
{
    size_t i, j;

    memset(s, 0, sizeof(*s));
    s->path = path;
    if (!(s->m = gs_merge_new(err)) || gs_merge_add(s->m, path, err) != GS_OK)
        return err->code;
    s->n = gs_merge_nruns(s->m);
    s->v = calloc(s->n, sizeof(*s->v));
    s->nv = calloc(s->n, sizeof(*s->nv));
    s->seed = calloc(s->n, sizeof(*s->seed));
    if (!s->v || !s->nv || !s->seed)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < s->n; i++) {
        const char *sd = gs_merge_value(s->m, i, "seed");
        char *f = gs__path_join(gs_merge_run_dir(s->m, i), "jobs.csv");
        int rc;
        if (!f)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        rc = gs_samples_load(f, column, &s->v[i], &s->nv[i], err);
        free(f);
        if (rc != GS_OK)
            return rc;
        if (!sd || gs__parse_double(sd, strlen(sd), &s->seed[i]) != 0)
            return gs_errorf(err, GS_EPARSE, "run '%s': no seed in its summary.json",
                             gs_merge_run_dir(s->m, i));
        for (j = 0; j < i; j++)
            if (s->seed[j] == s->seed[i])
                return gs_errorf(err, GS_EINVAL,
                                 "'%s' holds two runs with seed %s ('%s' and '%s'): --seeds "
                                 "compares one run per seed",
                                 path, sd, gs_merge_run_dir(s->m, j), gs_merge_run_dir(s->m, i));
    }
    return GS_OK;
}

static int cdf_of(gs_cdf *c, const run_set *s, size_t i, gs_err *err)
{
    return gs_cdf_from_samples(c, s->v[i], s->nv[i], err);
}

static int pooled(gs_cdf *c, const run_set *s, gs_err *err)
{
    size_t i, n = 0, k = 0;
    double *all;
    int rc;

    for (i = 0; i < s->n; i++)
        n += s->nv[i];
    if (!(all = malloc((n ? n : 1) * sizeof(*all))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < s->n; i++) {
        memcpy(all + k, s->v[i], s->nv[i] * sizeof(*all));
        k += s->nv[i];
    }
    rc = gs_cdf_from_samples(c, all, n, err);
    free(all);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The KS distances between the runs of one set, two by two. */
static int noise(const run_set *s, const char *name, gs_err *err)
{
    size_t i, j, k = 0, np = s->n * (s->n - 1) / 2;
    double *d;
    int rc = GS_OK;

    if (s->n < 2) {
        printf("seed-to-seed within %s: one run, no spread to compare with\n", name);
        return GS_OK;
    }
    if (!(d = malloc(np * sizeof(*d))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < s->n && rc == GS_OK; i++) {
        for (j = i + 1; j < s->n && rc == GS_OK; j++) {
            gs_cdf a, b;
            if ((rc = cdf_of(&a, s, i, err)) != GS_OK)
                break;
            if ((rc = cdf_of(&b, s, j, err)) == GS_OK) {
                d[k++] = gs_cdf_ks(&a, &b, NULL);
                gs_cdf_release(&b);
            }
            gs_cdf_release(&a);
        }
    }
    if (rc == GS_OK) {
        qsort(d, k, sizeof(*d), cmp_double);
        printf("seed-to-seed within %s (%zu pairs): ks median %.6f, max %.6f\n", name, k,
               k % 2 ? d[k / 2] : (d[k / 2 - 1] + d[k / 2]) / 2, d[k - 1]);
    }
    free(d);
    return rc;
}

static int compare_seeds(const char *pa, const char *pb, const char *column, const criteria *cr)
{
    run_set a, b;
    gs_cdf ca, cb;
    gs_err err = {0};
    size_t i, j, paired = 0;
    double ks = 0, at = 0, p = NAN;
    int rc = 2;

    memset(&ca, 0, sizeof(ca));
    memset(&cb, 0, sizeof(cb));
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if (set_load(&a, pa, column, &err) != GS_OK || set_load(&b, pb, column, &err) != GS_OK)
        goto out;
    for (i = 0; i < a.n; i++) {
        for (j = 0; j < b.n && b.seed[j] != a.seed[i]; j++)
            ;
        if (j == b.n)
            continue;
        if (cdf_of(&ca, &a, i, &err) != GS_OK || cdf_of(&cb, &b, j, &err) != GS_OK)
            goto out;
        ks = gs_cdf_ks(&ca, &cb, NULL);
        p = gs_ks_pvalue(ks, ca.nsamples, cb.nsamples);
        printf("seed %s: ks %.6f", gs_merge_value(a.m, i, "seed"), ks);
        print_p(p, ca.nsamples, cb.nsamples);
        putchar('\n');
        gs_cdf_release(&ca);
        gs_cdf_release(&cb);
        paired++;
    }
    if (paired == 0)
        printf("no seed is in both sets: pooled comparison only\n");
    if (pooled(&ca, &a, &err) != GS_OK || pooled(&cb, &b, &err) != GS_OK)
        goto out;
    ks = gs_cdf_ks(&ca, &cb, &at);
    p = gs_ks_pvalue(ks, ca.nsamples, cb.nsamples);
    printf("pooled (%zu runs in A, %zu in B): ks %.6f", a.n, b.n, ks);
    if (isinf(at))
        printf(" (in the share of finished jobs)");
    else
        printf(" at %s %.6f", column, at);
    print_p(p, ca.nsamples, cb.nsamples);
    putchar('\n');
    if (noise(&a, "A", &err) != GS_OK || noise(&b, "B", &err) != GS_OK)
        goto out;
    rc = judge(cr, ks, p);
out:
    if (rc == 2 && err.code)
        gs__fail(&err);
    if (rc == 2 && err.code == GS_ENOMEM) /* not bad input: a run-time failure */
        rc = 1;
    gs_cdf_release(&ca);
    gs_cdf_release(&cb);
    set_release(&a);
    set_release(&b);
    return rc;
}

/* ---- options ---- */

typedef struct compare_args {
    const char *column;
    criteria cr;
    int seeds;
} compare_args;

/* --column: a non-empty name. */
static int opt_column(const char *value, void *field, char *why, size_t n)
{
    if (!*value) {
        snprintf(why, n, "needs a column name");
        return -1;
    }
    memcpy(field, &value, sizeof(value));
    return 0;
}

static const gs__opt compare_opts[] = {
    OPT_CALL("column", 'c', compare_args, column, const char *, "NAME", opt_column,
             "the column: jct (default), queue_delay, ftf, slowdown,\n"
             "... (a jct_cdf.csv holds only jct; its sample size is\n"
             "inferred from its fractions)"),
    OPT_DBL("max-ks", 'k', compare_args, cr.max_ks, "X", 0, 1, 0,
            "fail when the distance is over X, %r"),
    OPT_DBL("alpha", 'a', compare_args, cr.alpha, "P", 0, 1, GS__OPT_OPEN_LO | GS__OPT_OPEN_HI,
            "fail when the p-value is under P, %r: a significant\n"
            "difference; with --max-ks, fail only when both hold (a\n"
            "difference that is both large and significant)"),
    OPT_FLAG("seeds", 's', compare_args, seeds,
             "A and B are sets of runs (result folders, or folders\n"
             "below which they lie, as `gpusim merge` finds them), one\n"
             "run per seed in each: prints the distance and p-value\n"
             "for each seed both have, for all runs of each pooled\n"
             "(which --max-ks and --alpha judge), and the seed-to-seed\n"
             "distances within each set (the noise a change must stand\n"
             "out from)"),
    OPT_END,
};

static const gs__optspec compare_spec = {
    "cdf-compare",
    "usage: gpusim cdf-compare A B [--column NAME] [--max-ks X] [--alpha P]\n"
    "       gpusim cdf-compare --seeds A B [--column NAME] [--max-ks X] [--alpha P]\n"
    "\n"
    "Compares two distributions of a result column: prints their Kolmogorov-Smirnov\n"
    "distance (the largest gap between the two CDFs) and the two-sample KS p-value (the\n"
    "chance of a distance at least this large if both were drawn from one distribution).\n"
    "A and B are CSV files (jct_cdf.csv, jobs.csv, or any CSV with the column; empty cells\n"
    "are unfinished jobs) or result folders (their jobs.csv).\n\n",
    compare_opts,
    "Exit status: 0 when the distributions match by the criteria given (or none is\n"
    "given), 1 when they differ, 2 on bad input.\n",
    -1,
};

int gs__cmd_cdf_compare(int argc, char **argv)
{
    compare_args a = {.column = "jct", .cr = {-1, -1}};
    int status, first;

    if ((status = gs__opt_parse(&compare_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (argc - first != 2)
        return gs__usage_error("cdf-compare", "expected two %s, got %d",
                               a.seeds ? "sets of runs" : "CDF files or result folders",
                               argc - first);
    if (a.seeds)
        return gs__finish_stdout(compare_seeds(argv[first], argv[first + 1], a.column, &a.cr));
    return gs__finish_stdout(compare_two(argv[first], argv[first + 1], a.column, &a.cr));
}
