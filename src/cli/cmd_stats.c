/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim stats` (means of run metrics per group, with bootstrap intervals over the runs) and
 * `gpusim paired` (two policies, or two values of any parameter, compared on the same traces). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "csv_int.h"
#include "gpusim/io.h"
#include "gpusim/merge.h"
#include "gpusim/stats.h"
#include "util_int.h"

#define MAXW 16 /* --where filters, --by and --metrics columns at most */

/* Options both commands share. The --where filters are kept as given ("COL=VAL"). */
typedef struct common {
    gs__params where;
    const char *where_col[MAXW], *where_val[MAXW];
    int nwhere, where_idx[MAXW];
    double level;
    int resamples;
    uint64_t seed;
    char *wbuf[MAXW]; /* the split copies of the filters */
} common;

static void common_init(common *c)
{
    memset(c, 0, sizeof(*c));
    c->level = GS_STATS_LEVEL;
    c->resamples = GS_STATS_RESAMPLES;
    c->seed = 1;
}

static void common_release(common *c)
{
    int i;

    for (i = 0; i < c->nwhere; i++)
        free(c->wbuf[i]);
    gs__params_release(&c->where);
}

/* Splits the --where filters into columns and values; GS_EXIT_OK or a usage error. */
static int common_split(const char *cmd, common *c)
{
    size_t i;

    if (c->where.n > MAXW)
        return gs__usage_error(cmd, "--where: at most %d filters", MAXW);
    for (i = 0; i < c->where.n; i++) {
        char *eq;
        if (!(c->wbuf[i] = gs__strdup(c->where.v[i])))
            return gs__usage_error(cmd, "out of memory");
        c->nwhere = (int)i + 1;
        eq = strchr(c->wbuf[i], '=');
        *eq = '\0';
        c->where_col[i] = c->wbuf[i];
        c->where_val[i] = eq + 1;
    }
    return GS_EXIT_OK;
}

#define COMMON_OPTS(T)                                                                             \
    OPT_CALL("where", 'w', T, co.where, gs__params, "COL=VAL", gs__opt_param,                      \
             "keep only runs whose column COL is VAL (repeatable: all must\n"                      \
             "hold; at most 16)"),                                                                 \
        OPT_DBL("level", 'l', T, co.level, "L", 0, 1, GS__OPT_OPEN_LO | GS__OPT_OPEN_HI,           \
                "confidence level, %r (default 0.95)"),                                            \
        OPT_INT("resamples", 'B', T, co.resamples, "N", 100, 10000000,                             \
                "bootstrap resamples, %r (default 10000)"),                                        \
        OPT_U64("seed", 's', T, co.seed, "N", "bootstrap seed, %r (default 1)")

/* The column of name, or an error listing the columns. */
static int need_col(const gs_runtab *t, const char *name, int *c, gs_err *err)
{
    gs__buf b = {0};
    size_t i;

    if ((*c = gs_runtab_col(t, name)) >= 0)
        return GS_OK;
    for (i = 0; i < gs_runtab_ncols(t) && i < 60; i++)
        gs__buf_printf(&b, "%s%s", i ? ", " : "", gs_runtab_colname(t, i));
    gs_errorf(err, GS_EINVAL, "the runs have no column '%s'; they have: %s%s", name,
              b.data ? b.data : "", gs_runtab_ncols(t) > 60 ? ", ..." : "");
    gs__buf_release(&b);
    return GS_EINVAL;
}

static int resolve_where(const gs_runtab *t, common *o, gs_err *err)
{
    int i, rc;

    for (i = 0; i < o->nwhere; i++)
        if ((rc = need_col(t, o->where_col[i], &o->where_idx[i], err)) != GS_OK)
            return rc;
    return GS_OK;
}

static int row_kept(const gs_runtab *t, const common *o, size_t r)
{
    int i;

    for (i = 0; i < o->nwhere; i++)
        if (strcmp(gs_runtab_cell(t, r, o->where_idx[i]), o->where_val[i]) != 0)
            return 0;
    return 1;
}

/* The number in row r, column c: 1 with *v, 0 for an empty cell, or an error. */
static int cell_number(const gs_runtab *t, size_t r, int c, double *v, gs_err *err)
{
    const char *s = gs_runtab_cell(t, r, c);

    if (!*s)
        return 0;
    if (gs__parse_double(s, strlen(s), v) != 0 || !isfinite(*v))
        return gs_errorf(err, GS_EPARSE, "run %zu ('%s'): column '%s' is not a number: '%s'", r + 1,
                         gs_runtab_cell(t, r, gs_runtab_col(t, "run")),
                         gs_runtab_colname(t, (size_t)c), s);
    return 1;
}

/* A seed for one interval, from the user's seed and what the interval is of (FNV-1a), so an
 * interval does not depend on which others are computed. */
static uint64_t sub_seed(uint64_t seed, const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    const char *p;

    for (p = a; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ^ seed;
}

/* ---- stats ---- */

typedef struct stats_args {
    common co;
    const char *out, *by_list, *metrics_list;
    const char *by[MAXW], *metrics[MAXW];
    int nby, nmetrics, markdown;
    char *bybuf, *mbuf;
} stats_args;

#define A stats_args
static const gs__opt stats_opts[] = {
    OPT_STR("by", 'b', A, by_list, "COLS",
            "columns that define a group (comma-separated; default\n"
            "policy)"),
    OPT_STR("metrics", 'm', A, metrics_list, "COLS",
            "columns to average (default jct_mean,jct_p50,jct_p90,jct_p99)"),
    COMMON_OPTS(A),
    OPT_FLAG("markdown", 0, A, markdown,
             "a Markdown table, one row per group: 'mean [lo, hi]' per metric"),
    OPT_STR("out", 'o', A, out, "FILE", "where to write, atomically (default: standard output)"),
    OPT_END,
};
#undef A

static const gs__optspec stats_spec = {
    "stats",
    "usage: gpusim stats [options] RUNS...\n\n"
    "The mean of run metrics over the runs of each group, with a bootstrap confidence interval\n"
    "over those runs: run each configuration on several independent traces and group by\n"
    "everything but the trace to see how much a result moves between samples. RUNS are runs\n"
    "tables (CSV, as `gpusim merge -o` writes them) or result folders (as `gpusim merge`\n"
    "finds them). Groups come in the order of their first run.\n\n",
    stats_opts,
    "\nCSV output: the --by columns, metric, n, mean, ci_lo, ci_hi, sd, min, max; one row per\n"
    "group and metric. Empty cells (a metric a run does not have) are left out of n. The same\n"
    "input and seed give the same bytes.\n",
    -1,
};

static void stats_args_release(stats_args *a)
{
    free(a->bybuf);
    free(a->mbuf);
    common_release(&a->co);
}

/* A comma-separated list into out[] (at most MAXW), splitting a copy kept in *buf. */
static int split_list(const char *s, char **buf, const char **out, int *n)
{
    char *tok, *save = NULL;

    *n = 0;
    if (!(*buf = gs__strdup(s)))
        return -1;
    for (tok = strtok_r(*buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == MAXW)
            return -1;
        out[(*n)++] = tok;
    }
    return *n > 0 ? 0 : -1;
}

static int stats_parse(int argc, char **argv, stats_args *a, int *first)
{
    static const char *const def_metrics[] = {"jct_mean", "jct_p50", "jct_p90", "jct_p99"};
    int status, k;

    if ((status = gs__opt_parse(&stats_spec, a, argc, argv, first)) != GS__OPT_GO)
        return status;
    if ((status = common_split("stats", &a->co)) != GS_EXIT_OK)
        return status;
    if (a->by_list && split_list(a->by_list, &a->bybuf, a->by, &a->nby) != 0)
        return gs__usage_error("stats", "--by needs 1 to %d columns", MAXW);
    if (a->metrics_list && split_list(a->metrics_list, &a->mbuf, a->metrics, &a->nmetrics) != 0)
        return gs__usage_error("stats", "--metrics needs 1 to %d columns", MAXW);
    if (!a->nby)
        a->by[a->nby++] = "policy";
    if (!a->nmetrics)
        for (k = 0; k < 4; k++)
            a->metrics[a->nmetrics++] = def_metrics[k];
    if (*first >= argc)
        return gs__usage_error("stats", "no runs table or result folder given");
    return GS__OPT_GO;
}

/* Decimals for a figure of this size: whole numbers from 100 up. */
static int decimals(double v)
{
    v = fabs(v);
    return v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
}

typedef struct group {
    size_t first; /* its first row */
    size_t *rows;
    size_t n;
} group;

static int same_group(const gs_runtab *t, const int *bc, int nby, size_t r, size_t s)
{
    int i;

    for (i = 0; i < nby; i++)
        if (strcmp(gs_runtab_cell(t, r, bc[i]), gs_runtab_cell(t, s, bc[i])) != 0)
            return 0;
    return 1;
}

/* The groups of the kept rows, in order of their first row. */
static int make_groups(const gs_runtab *t, const stats_args *a, const int *bc, group **gout,
                       size_t *ng, gs_err *err)
{
    size_t r, g, nr = gs_runtab_nrows(t);
    group *gs = calloc(nr ? nr : 1, sizeof(*gs));

    *ng = 0;
    if (!gs)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (r = 0; r < nr; r++) {
        if (!row_kept(t, &a->co, r))
            continue;
        for (g = 0; g < *ng && !same_group(t, bc, a->nby, gs[g].first, r); g++)
            ;
        if (g == *ng) {
            gs[g].first = r;
            if (!(gs[g].rows = malloc(nr * sizeof(size_t)))) {
                *gout = gs;
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            }
            (*ng)++;
        }
        gs[g].rows[gs[g].n++] = r;
    }
    *gout = gs;
    return GS_OK;
}

/* The interval of metric column mc over group g's runs; ci->n 0 when no run has a value. */
static int group_ci(const gs_runtab *t, const stats_args *a, const int *bc, const group *g, int mc,
                    double *v, gs_ci *ci, double *mn, double *mx, gs_err *err)
{
    gs__buf key = {0};
    size_t i, n = 0;
    int rc = GS_OK, k;

    memset(ci, 0, sizeof(*ci));
    for (i = 0; i < g->n; i++) {
        int got = cell_number(t, g->rows[i], mc, &v[n], err);
        if (got < 0)
            return got;
        n += (size_t)got;
    }
    if (n == 0)
        return GS_OK;
    *mn = *mx = v[0];
    for (i = 1; i < n; i++) {
        *mn = v[i] < *mn ? v[i] : *mn;
        *mx = v[i] > *mx ? v[i] : *mx;
    }
    for (k = 0; k < a->nby; k++)
        gs__buf_printf(&key, "%s%c", gs_runtab_cell(t, g->first, bc[k]), 0x1f);
    rc = gs_stats_mean_ci(
        v, n, a->co.level, (size_t)a->co.resamples,
        sub_seed(a->co.seed, key.data ? key.data : "", gs_runtab_colname(t, (size_t)mc)), ci, err);
    gs__buf_release(&key);
    return rc;
}

static void put_fixed(FILE *fp, double v, int dec)
{
    fprintf(fp, "%.*f", dec, v);
}

static int stats_write(FILE *fp, const gs_runtab *t, const stats_args *a, const int *bc,
                       const int *mc, const group *gs, size_t ng, gs_err *err)
{
    double *v = malloc((gs_runtab_nrows(t) + 1) * sizeof(*v));
    size_t g;
    int k, m, rc = GS_OK;

    if (!v)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (a->markdown) {
        fputs("|", fp);
        for (k = 0; k < a->nby; k++)
            fprintf(fp, " %s |", a->by[k]);
        fputs(" runs |", fp);
        for (m = 0; m < a->nmetrics; m++)
            fprintf(fp, " %s |", a->metrics[m]);
        fputs("\n|", fp);
        for (k = 0; k < a->nby; k++)
            fputs("---|", fp);
        for (m = 0; m <= a->nmetrics; m++)
            fputs("---:|", fp);
        fputc('\n', fp);
    } else {
        for (k = 0; k < a->nby; k++) {
            gs__csv_put(a->by[k], fp);
            fputc(',', fp);
        }
        fputs("metric,n,mean,ci_lo,ci_hi,sd,min,max\n", fp);
    }
    for (g = 0; g < ng && rc == GS_OK; g++) {
        if (a->markdown) {
            fputs("|", fp);
            for (k = 0; k < a->nby; k++)
                fprintf(fp, " %s |", gs_runtab_cell(t, gs[g].first, bc[k]));
            fprintf(fp, " %zu |", gs[g].n);
        }
        for (m = 0; m < a->nmetrics && rc == GS_OK; m++) {
            gs_ci ci;
            double mn = 0, mx = 0;
            int d;
            if ((rc = group_ci(t, a, bc, &gs[g], mc[m], v, &ci, &mn, &mx, err)) != GS_OK)
                break;
            d = decimals(ci.mean);
            if (a->markdown) {
                if (ci.n == 0) {
                    fputs(" - |", fp);
                    continue;
                }
                fprintf(fp, " %.*f [%.*f, %.*f] |", d, ci.mean, d, ci.lo, d, ci.hi);
                continue;
            }
            for (k = 0; k < a->nby; k++) {
                gs__csv_put(gs_runtab_cell(t, gs[g].first, bc[k]), fp);
                fputc(',', fp);
            }
            gs__csv_put(a->metrics[m], fp);
            fprintf(fp, ",%zu,", ci.n);
            if (ci.n) {
                put_fixed(fp, ci.mean, 6);
                fputc(',', fp);
                put_fixed(fp, ci.lo, 6);
                fputc(',', fp);
                put_fixed(fp, ci.hi, 6);
                fputc(',', fp);
                put_fixed(fp, ci.sd, 6);
                fputc(',', fp);
                put_fixed(fp, mn, 6);
                fputc(',', fp);
                put_fixed(fp, mx, 6);
            } else {
                fputs(",,,,,", fp);
            }
            fputc('\n', fp);
        }
        if (a->markdown)
            fputc('\n', fp);
    }
    free(v);
    return rc;
}

int gs__cmd_stats(int argc, char **argv)
{
    stats_args a;
    gs_runtab *t = NULL;
    gs_outfile of;
    gs_err err = {0};
    group *gs = NULL;
    size_t ng = 0, g;
    int bc[MAXW], mc[MAXW], k, rc, first;

    memset(&a, 0, sizeof(a));
    memset(&of, 0, sizeof(of));
    common_init(&a.co);
    a.out = "-";
    if ((rc = stats_parse(argc, argv, &a, &first)) != GS__OPT_GO) {
        stats_args_release(&a);
        return rc;
    }
    if (!(t = gs_runtab_load((const char *const *)argv + first, (size_t)(argc - first), &err))) {
        stats_args_release(&a);
        return gs__fail(&err);
    }
    rc = resolve_where(t, &a.co, &err);
    for (k = 0; k < a.nby && rc == GS_OK; k++)
        rc = need_col(t, a.by[k], &bc[k], &err);
    for (k = 0; k < a.nmetrics && rc == GS_OK; k++)
        rc = need_col(t, a.metrics[k], &mc[k], &err);
    if (rc == GS_OK)
        rc = make_groups(t, &a, bc, &gs, &ng, &err);
    if (rc == GS_OK && ng == 0)
        rc = gs_errorf(&err, GS_EINVAL, "no run is left after --where");
    if (rc == GS_OK && (rc = gs_outfile_open(&of, a.out, &err)) == GS_OK) {
        rc = stats_write(of.fp, t, &a, bc, mc, gs, ng, &err);
        if (rc == GS_OK)
            rc = gs_outfile_commit(&of, &err);
        else
            gs_outfile_abort(&of);
    }
    for (g = 0; gs && g < ng; g++)
        free(gs[g].rows);
    free(gs);
    gs_runtab_free(t);
    stats_args_release(&a);
    return rc == GS_OK ? gs__finish_stdout(GS_EXIT_OK) : gs__fail(&err);
}

/* ---- paired ---- */

typedef struct paired_args {
    common co;
    const char *metric, *by, *a, *b, *pair_on;
    int csv;
} paired_args;

#define A paired_args
static const gs__opt paired_opts[] = {
    OPT_STR("metric", 'm', A, metric, "COL", "the run metric to compare (jct_mean, jct_p99, ...)"),
    OPT_STR("a", 'a', A, a, "VALUE", "the first value of --by (e.g. a policy)"),
    OPT_STR("b", 'b', A, b, "VALUE", "the second value"),
    OPT_STR("by", 0, A, by, "COL", "the column that tells the two apart (default policy)"),
    OPT_STR("pair-on", 0, A, pair_on, "COL", "what pairs runs (default trace_sha256)"),
    COMMON_OPTS(A),
    OPT_FLAG("csv", 0, A, csv, "one CSV header and row instead of text"),
    OPT_END,
};
#undef A

static const gs__optspec paired_spec = {
    "paired",
    "usage: gpusim paired --metric COL --a VALUE --b VALUE [options] RUNS...\n\n"
    "Compares two policies (or two values of another column) on the same traces: the runs\n"
    "whose --by column is A are paired with those whose --by column is B by the --pair-on\n"
    "column (default: the trace's checksum), and the metric's paired differences are tested:\n"
    "mean difference a - b and geometric-mean ratio a / b with bootstrap intervals, a paired\n"
    "t test (Student t from GSL), the Wilcoxon signed-rank test (exact up to 200 pairs) and\n"
    "the sign test (binomial, GSL); all two-sided. RUNS are runs tables (CSV, as `gpusim\n"
    "merge -o` writes them) or result folders. A pair key that occurs twice on one side is an\n"
    "error: narrow the runs with --where (cluster, scaledb, param.<key>, ...).\n\n",
    paired_opts,
    "\nExit status: 0 (whatever the result), 1 bad runs or too few pairs, 2 a usage error.\n",
    -1,
};

static int paired_parse(int argc, char **argv, paired_args *a, int *first)
{
    int status;

    if ((status = gs__opt_parse(&paired_spec, a, argc, argv, first)) != GS__OPT_GO)
        return status;
    if ((status = common_split("paired", &a->co)) != GS_EXIT_OK)
        return status;
    if (!a->metric || !a->a || !a->b)
        return gs__usage_error("paired", "--metric, --a and --b are required");
    if (!strcmp(a->a, a->b))
        return gs__usage_error("paired", "--a and --b are the same value '%s'", a->a);
    if (*first >= argc)
        return gs__usage_error("paired", "no runs table or result folder given");
    return GS__OPT_GO;
}

/* Pairs the kept runs: va[i], vb[i] are the metric of the runs of A and B on the i-th key. */
static int make_pairs(const gs_runtab *t, const paired_args *a, double *va, double *vb, size_t *np,
                      size_t *unpaired, gs_err *err)
{
    int cb, cp, cm, rc;
    size_t r, s, nr = gs_runtab_nrows(t);

    *np = *unpaired = 0;
    if ((rc = need_col(t, a->by, &cb, err)) != GS_OK ||
        (rc = need_col(t, a->pair_on, &cp, err)) != GS_OK ||
        (rc = need_col(t, a->metric, &cm, err)) != GS_OK)
        return rc;
    for (r = 0; r < nr; r++) {
        size_t partner = nr;
        int got;
        if (!row_kept(t, &a->co, r) || strcmp(gs_runtab_cell(t, r, cb), a->a) != 0)
            continue;
        for (s = 0; s < nr; s++) {
            const char *v = gs_runtab_cell(t, s, cb);
            if (s == r || !row_kept(t, &a->co, s) ||
                strcmp(gs_runtab_cell(t, s, cp), gs_runtab_cell(t, r, cp)) != 0)
                continue;
            if (!strcmp(v, a->a) || (!strcmp(v, a->b) && partner < nr))
                return gs_errorf(err, GS_EINVAL,
                                 "two runs of %s '%s' on %s '%s': narrow the runs with --where "
                                 "(cluster, scaledb, param.<key>, ...)",
                                 a->by, v, a->pair_on, gs_runtab_cell(t, r, cp));
            if (!strcmp(v, a->b))
                partner = s;
        }
        if (partner == nr) {
            (*unpaired)++;
            continue;
        }
        if ((got = cell_number(t, r, cm, &va[*np], err)) < 0 ||
            (got && (got = cell_number(t, partner, cm, &vb[*np], err)) < 0))
            return got;
        if (!got) {
            (*unpaired)++;
            continue;
        }
        (*np)++;
    }
    return GS_OK;
}

static void paired_print(const paired_args *a, const gs_paired *p, size_t unpaired)
{
    double pc = 100 * a->co.level;

    if (a->csv) {
        printf("metric,by,a,b,n,unpaired,mean_a,mean_b,diff,diff_lo,diff_hi,ratio,ratio_lo,"
               "ratio_hi,a_lower,a_higher,ties,t,t_p,wilcoxon_w,wilcoxon_p,sign_p\n");
        printf("%s,%s,%s,%s,%zu,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%zu,%zu,%zu,%.6f,%.6g,"
               "%.1f,%.6g,%.6g\n",
               a->metric, a->by, a->a, a->b, p->n, unpaired, p->mean_a, p->mean_b, p->diff.mean,
               p->diff.lo, p->diff.hi, exp(p->log_ratio.mean), exp(p->log_ratio.lo),
               exp(p->log_ratio.hi), p->a_lower, p->a_higher, p->ties, p->t, p->t_p, p->wilcoxon_w,
               p->wilcoxon_p, p->sign_p);
        return;
    }
    printf("%s: %s '%s' (a) vs '%s' (b), %zu pairs on %s", a->metric, a->by, a->a, a->b, p->n,
           a->pair_on);
    if (unpaired)
        printf(" (%zu runs of a without a partner left out)", unpaired);
    printf("\n  mean a %.*f, mean b %.*f\n", decimals(p->mean_a), p->mean_a, decimals(p->mean_b),
           p->mean_b);
    printf("  a - b: %.*f, %g%% CI [%.*f, %.*f] (bootstrap, %d resamples)\n",
           decimals(p->diff.mean), p->diff.mean, pc, decimals(p->diff.mean), p->diff.lo,
           decimals(p->diff.mean), p->diff.hi, a->co.resamples);
    if (isfinite(p->log_ratio.mean))
        printf("  a / b: geometric mean %.3f, %g%% CI [%.3f, %.3f]\n", exp(p->log_ratio.mean), pc,
               exp(p->log_ratio.lo), exp(p->log_ratio.hi));
    printf("  a lower in %zu pairs, higher in %zu, equal in %zu: sign test p = %.4g\n", p->a_lower,
           p->a_higher, p->ties, p->sign_p);
    printf("  paired t = %.3f (%zu df), p = %.4g; Wilcoxon signed-rank W+ = %.1f, p = %.4g\n", p->t,
           p->n - 1, p->t_p, p->wilcoxon_w, p->wilcoxon_p);
}

int gs__cmd_paired(int argc, char **argv)
{
    paired_args a;
    gs_runtab *t = NULL;
    gs_paired p;
    gs_err err = {0};
    double *va = NULL, *vb = NULL;
    size_t np = 0, unpaired = 0;
    int rc, first;

    memset(&a, 0, sizeof(a));
    common_init(&a.co);
    a.by = "policy";
    a.pair_on = "trace_sha256";
    if ((rc = paired_parse(argc, argv, &a, &first)) != GS__OPT_GO) {
        common_release(&a.co);
        return rc;
    }
    if (!(t = gs_runtab_load((const char *const *)argv + first, (size_t)(argc - first), &err))) {
        common_release(&a.co);
        return gs__fail(&err);
    }
    va = malloc((gs_runtab_nrows(t) + 1) * sizeof(*va));
    vb = malloc((gs_runtab_nrows(t) + 1) * sizeof(*vb));
    rc = va && vb ? resolve_where(t, &a.co, &err) : gs_errorf(&err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK)
        rc = make_pairs(t, &a, va, vb, &np, &unpaired, &err);
    if (rc == GS_OK && np < 2)
        rc = gs_errorf(&err, GS_EINVAL,
                       "%zu pair(s) of %s '%s' and '%s' on the same %s: at least 2 are needed", np,
                       a.by, a.a, a.b, a.pair_on);
    if (rc == GS_OK)
        rc = gs_stats_paired(va, vb, np, a.co.level, (size_t)a.co.resamples,
                             sub_seed(a.co.seed, a.a, a.b), &p, &err);
    if (rc == GS_OK)
        paired_print(&a, &p, unpaired);
    free(va);
    free(vb);
    gs_runtab_free(t);
    common_release(&a.co);
    return rc == GS_OK ? gs__finish_stdout(GS_EXIT_OK) : gs__fail(&err);
}
