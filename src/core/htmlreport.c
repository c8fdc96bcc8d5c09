/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim report`: one self-contained HTML page about a run or a sweep, figures as inline SVG. */
#include "gpusim/htmlreport.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "gpusim/merge.h"
#include "gpusim/version.h"
#include "json_int.h"
#include "rng_int.h"
#include "svg_int.h"
#include "util_int.h"

void gs_report_opts_init(gs_report_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->by = "policy";
    o->title = "gpusim report";
    o->gantt_rows = 400;
    o->timeline_points = 240;
}

/* ---- small containers ---- */

typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

static int dpush(dvec *d, double x)
{
    if (GS_GROW(d->v, d->cap, d->n + 1) != GS_OK)
        return GS_ENOMEM;
    d->v[d->n++] = x;
    return GS_OK;
}

static void dfree(dvec *d)
{
    free(d->v);
    memset(d, 0, sizeof(*d));
}

/* ---- reading CSV files by column name ---- */

#define MAXCOLS 16

typedef int (*cols_fn)(void *ctx, const char *const *v, long line, gs_err *err);

typedef struct cols {
    const char *path;
    const char *const *names;
    size_t n;
    unsigned required; /* bit k: names[k] must be there */
    int idx[MAXCOLS];
    int header;
    const char *vals[MAXCOLS];
    cols_fn fn;
    void *ctx;
} cols;

static int cols_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    cols *c = ctx;
    size_t k, i;

    if (!c->header) {
        for (k = 0; k < c->n; k++) {
            c->idx[k] = -1;
            for (i = 0; i < n; i++)
                if (!strcmp(f[i].s, c->names[k]))
                    c->idx[k] = (int)i;
            if (c->idx[k] < 0 && (c->required >> k & 1u))
                return gs_errorf(err, GS_EPARSE, "'%s' line %ld: missing column '%s'", c->path,
                                 line, c->names[k]);
        }
        c->header = 1;
        return GS_OK;
    }
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    for (k = 0; k < c->n; k++)
        c->vals[k] = c->idx[k] >= 0 && (size_t)c->idx[k] < n ? f[c->idx[k]].s : NULL;
    return c->fn(c->ctx, c->vals, line, err);
}

static int read_cols(const char *path, const char *const *names, size_t n, unsigned required,
                     cols_fn fn, void *ctx, gs_err *err)
{
    cols c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.path = path;
    c.names = names;
    c.n = n;
    c.required = required;
    c.fn = fn;
    c.ctx = ctx;
    rc = gs__csv_read(path, cols_row, &c, err);
    if (rc == GS_OK && !c.header)
        rc = gs_errorf(err, GS_EPARSE, "'%s' line 1: empty file", path);
    return rc;
}

/* A number of a result file: empty (or absent) is NAN, anything else must parse. */
static int field_num(const char *path, long line, const char *col, const char *s, double *out,
                     gs_err *err)
{
    *out = NAN;
    if (!s || !*s)
        return GS_OK;
    if (gs__parse_double(s, strlen(s), out) != 0)
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld: column '%s': not a number '%s'", path,
                         line, col, s);
    return GS_OK;
}

/* A value of the runs table as a number (NAN when absent or empty). */
static double mval(const gs_merge *m, size_t run, const char *col)
{
    const char *s = gs_merge_value(m, run, col);
    double v;

    if (!s || !*s || gs__parse_double(s, strlen(s), &v) != 0)
        return NAN;
    return v;
}

/* ---- the data of the report ---- */

typedef struct group {
    const char *label; /* borrowed from the merge */
    size_t *runs;
    size_t nruns;
    dvec jct, queue, ftf, slow; /* pooled over the runs; sorted */
    size_t njobs;
} group;

typedef struct report {
    const gs_report_opts *o;
    gs_merge *m;
    group *g;
    size_t ng;
    char **types; /* GPU types of every run's cluster, in order of first appearance */
    size_t ntypes, captypes;
    FILE *fp;
    int oom; /* a figure could not be drawn for want of memory: the page fails, not shrinks */
} report;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int make_groups(report *r, gs_err *err)
{
    size_t n = gs_merge_nruns(r->m), i, j;
    const char **labels = malloc(n * sizeof(*labels));

    if (!labels)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        labels[i] = gs_merge_value(r->m, i, r->o->by);
        if (!labels[i]) {
            free(labels);
            return gs_errorf(err, GS_EINVAL,
                             "'%s' is not a column of the runs (try policy, seed, trace, "
                             "knowledge_error, param.<key>, run)",
                             r->o->by);
        }
    }
    qsort(labels, n, sizeof(*labels), cmp_str);
    r->g = calloc(n, sizeof(*r->g));
    if (!r->g) {
        free(labels);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++)
        if (i == 0 || strcmp(labels[i], labels[i - 1]))
            r->g[r->ng++].label = labels[i];
    free(labels);
    for (j = 0; j < r->ng; j++) {
        group *g = &r->g[j];
        g->runs = malloc(n * sizeof(*g->runs));
        if (!g->runs)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        for (i = 0; i < n; i++)
            if (!strcmp(gs_merge_value(r->m, i, r->o->by), g->label))
                g->runs[g->nruns++] = i;
    }
    return GS_OK;
}

typedef struct jobs_ctx {
    group *g;
    const char *path;
} jobs_ctx;

static int jobs_row(void *ctx, const char *const *v, long line, gs_err *err)
{
    static const char *const names[] = {"jct", "queue_delay", "ftf", "slowdown"};
    jobs_ctx *c = ctx;
    dvec *dst[4];
    double x;
    int k, rc;

    dst[0] = &c->g->jct;
    dst[1] = &c->g->queue;
    dst[2] = &c->g->ftf;
    dst[3] = &c->g->slow;
    c->g->njobs++;
    for (k = 0; k < 4; k++) {
        if ((rc = field_num(c->path, line, names[k], v[k], &x, err)) != GS_OK)
            return rc;
        if (!isnan(x) && dpush(dst[k], x) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    return GS_OK;
}

static int load_jobs(report *r, group *g, gs_err *err)
{
    static const char *const names[] = {"jct", "queue_delay", "ftf", "slowdown"};
    size_t i;
    int rc;

    for (i = 0; i < g->nruns; i++) {
        char *path = gs__path_join(gs_merge_run_dir(r->m, g->runs[i]), "jobs.csv");
        jobs_ctx c;
        if (!path)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        c.g = g;
        c.path = path;
        /* ftf and slowdown are absent from results of older versions: empty columns */
        rc = read_cols(path, names, 4, 0x3, jobs_row, &c, err);
        free(path);
        if (rc != GS_OK)
            return rc;
    }
    if (g->jct.n)
        gs__sort(g->jct.v, g->jct.n);
    if (g->queue.n)
        gs__sort(g->queue.v, g->queue.n);
    if (g->ftf.n)
        gs__sort(g->ftf.v, g->ftf.n);
    if (g->slow.n)
        gs__sort(g->slow.v, g->slow.n);
    return GS_OK;
}

/* The GPU types of run i's cluster (summary.json cluster.pools[].gpu_type), added to r->types. */
static int load_types(report *r, size_t run, gs_err *err)
{
    char *path = gs__path_join(gs_merge_run_dir(r->m, run), "summary.json");
    const cJSON *pools, *p;
    gs__jdoc d;
    size_t i;
    int rc;

    if (!path)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    rc = gs__jdoc_load(&d, path, err);
    free(path);
    if (rc != GS_OK)
        return rc;
    pools = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d.root, "cluster"),
                                             "pools");
    cJSON_ArrayForEach(p, pools)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "gpu_type");
        if (!cJSON_IsString(t))
            continue;
        for (i = 0; i < r->ntypes && strcmp(r->types[i], t->valuestring); i++)
            ;
        if (i < r->ntypes)
            continue;
        if (GS_GROW(r->types, r->captypes, r->ntypes + 1) != GS_OK ||
            !(r->types[r->ntypes] = gs__strdup(t->valuestring))) {
            gs__jdoc_release(&d);
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        }
        r->ntypes++;
    }
    gs__jdoc_release(&d);
    return GS_OK;
}

/* ---- formatting ---- */

static void num(FILE *fp, double v, int decimals)
{
    if (isnan(v))
        fputs("&ndash;", fp);
    else
        fprintf(fp, "%.*f", decimals, v);
}

static double q(const dvec *d, double p)
{
    return d->n ? gs__quantile_sorted(d->v, d->n, p) : NAN;
}

static double mean(const dvec *d)
{
    return d->n ? gs__mean(d->v, d->n) : NAN;
}

/* The mean over a group's runs of a runs-table column (NAN when no run has it). */
static double gmean(const report *r, const group *g, const char *col)
{
    double s = 0;
    size_t i, k = 0;

    for (i = 0; i < g->nruns; i++) {
        double v = mval(r->m, g->runs[i], col);
        if (!isnan(v)) {
            s += v;
            k++;
        }
    }
    return k ? s / (double)k : NAN;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- sections ---- */

static void page_head(report *r)
{
    FILE *fp = r->fp;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
    gs__html_esc(fp, r->o->title);
    fputs("</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px auto;"
          "max-width:1100px;color:#222;line-height:1.4}\n"
          "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:2em}"
          "h3{font-size:1.05em}\n"
          "table{border-collapse:collapse;margin:8px 0;font-size:.9em}"
          "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}"
          "th{background:#f3f3f3}td.l,th.l{text-align:left}\n"
          ".note{color:#555;font-size:.9em}figure{margin:12px 0}"
          "figcaption{color:#555;font-size:.85em}\n"
          "svg{display:block;max-width:100%;height:auto;background:#fff}"
          "svg text{font-size:12px;fill:#222}\n"
          "svg .tx{text-anchor:middle}svg .ty{text-anchor:end}svg .tl{text-anchor:start}\n"
          "svg .grid{stroke:#e5e5e5;stroke-width:1}"
          "svg .frame{fill:none;stroke:#888;stroke-width:1}"
          "svg .lbox{fill:#fff;fill-opacity:.85;stroke:#ccc}\n"
          "nav a{margin-right:12px}code{background:#f3f3f3;padding:0 3px}\n"
          "</style>\n</head>\n<body>\n<h1>",
          fp);
    gs__html_esc(fp, r->o->title);
    fprintf(fp, "</h1>\n<p class=\"note\">%zu run%s in %zu group%s by <code>", gs_merge_nruns(r->m),
            gs_merge_nruns(r->m) == 1 ? "" : "s", r->ng, r->ng == 1 ? "" : "s");
    gs__html_esc(fp, r->o->by);
    fputs("</code>; written by gpusim " GS_VERSION_STRING
          " (<code>gpusim report</code>). Distributions pool the jobs of a group's runs; other "
          "numbers are means over its runs; the timeline, Gantt chart and users are those of "
          "the group's first run.</p>\n<nav><a href=\"#summary\">Summary</a>"
          "<a href=\"#jct-cdf\">JCT CDF</a><a href=\"#timeline\">Timeline</a>"
          "<a href=\"#gantt\">Gantt</a><a href=\"#fairness\">Fairness</a>"
          "<a href=\"#energy\">Energy and cost</a></nav>\n",
          fp);
}

static void sec_summary(report *r)
{
    FILE *fp = r->fp;
    size_t j, i;

    fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr><th class=\"l\">", fp);
    gs__html_esc(fp, r->o->by);
    fputs("</th><th>runs</th><th>jobs</th><th>finished</th><th>unschedulable</th>"
          "<th>mean JCT s</th><th>p50</th><th>p90</th><th>p99</th><th>mean queue s</th>"
          "<th>restarts</th><th>failed starts</th><th>GPU-hours</th></tr>\n",
          fp);
    for (j = 0; j < r->ng; j++) {
        group *g = &r->g[j];
        fputs("<tr><td class=\"l\">", fp);
        gs__html_esc(fp, g->label);
        fprintf(fp, "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>", g->nruns, g->njobs, g->jct.n);
        num(fp, gmean(r, g, "unschedulable") * (double)g->nruns, 0);
        fputs("</td><td>", fp);
        num(fp, mean(&g->jct), 1);
        fputs("</td><td>", fp);
        num(fp, q(&g->jct, 0.5), 1);
        fputs("</td><td>", fp);
        num(fp, q(&g->jct, 0.9), 1);
        fputs("</td><td>", fp);
        num(fp, q(&g->jct, 0.99), 1);
        fputs("</td><td>", fp);
        num(fp, mean(&g->queue), 1);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "restarts"), 1);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "failures"), 1);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "gpu_hours"), 1);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n<p class=\"note\">JCT percentiles over the finished jobs of a group's runs; "
          "restarts, failed starts and GPU-hours are means per run.</p>\n",
          fp);
    if (gs_merge_nruns(r->m) > 1) {
        fprintf(fp,
                "<details><summary>Every run (%zu)</summary>\n<table>\n<tr><th class=\"l\">"
                "run</th><th class=\"l\">",
                gs_merge_nruns(r->m));
        gs__html_esc(fp, r->o->by);
        fputs("</th><th class=\"l\">trace</th><th>seed</th><th>jobs</th><th>finished</th>"
              "<th>mean JCT s</th><th>p99 JCT s</th><th>mean FTF</th><th>energy kWh</th>"
              "<th>cost USD</th></tr>\n",
              fp);
        for (i = 0; i < gs_merge_nruns(r->m); i++) {
            const char *tr = gs_merge_value(r->m, i, "trace");
            fputs("<tr><td class=\"l\">", fp);
            gs__html_esc(fp, gs_merge_run_dir(r->m, i));
            fputs("</td><td class=\"l\">", fp);
            gs__html_esc(fp, gs_merge_value(r->m, i, r->o->by));
            fputs("</td><td class=\"l\">", fp);
            gs__html_esc(fp, tr ? base_name(tr) : "");
            fputs("</td><td>", fp);
            gs__html_esc(fp, gs_merge_value(r->m, i, "seed"));
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "jobs"), 0);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "finished"), 0);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "jct_mean"), 1);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "jct_p99"), 1);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "fairness.ftf_mean"), 3);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "energy_kwh.total"), 1);
            fputs("</td><td>", fp);
            num(fp, mval(r->m, i, "cost_usd.used"), 2);
            fputs("</td></tr>\n", fp);
        }
        fputs("</table>\n</details>\n", fp);
    }
    fputs("</section>\n", fp);
}

/* CDFs of a value, one line per group, x on a log scale: each line drawn at up to 200
 * log-spaced points (F(x) = the share of the group's jobs at or below x). */
static void cdf_chart(report *r, const dvec *const *v, const size_t *total, const char *what,
                      const char *xlabel)
{
    FILE *fp = r->fp;
    double lo = INFINITY, hi = 0, xs[202], ys[202];
    const char **labels = malloc(r->ng * sizeof(*labels)), **colors;
    size_t j, k, n = 200;
    gs__plot p;

    colors = malloc(r->ng * sizeof(*colors));
    for (j = 0; j < r->ng; j++) {
        size_t a;
        for (a = 0; a < v[j]->n && !(v[j]->v[a] > 0); a++)
            ;
        if (a < v[j]->n && v[j]->v[a] < lo)
            lo = v[j]->v[a];
        if (v[j]->n && v[j]->v[v[j]->n - 1] > hi)
            hi = v[j]->v[v[j]->n - 1];
    }
    if (!labels || !colors || !(hi > 0) || isinf(lo)) {
        if (!labels || !colors)
            r->oom = 1;
        else
            fprintf(fp, "<p class=\"note\">No positive %s to draw.</p>\n", what);
        free(labels);
        free(colors);
        return;
    }
    lo = pow(10, floor(log10(lo)));
    hi = pow(10, ceil(log10(hi)));
    if (hi <= lo)
        hi = lo * 10;
    gs__plot_begin(&p, fp, 900, 380, what);
    p.logx = 1;
    p.x0 = lo;
    p.x1 = hi;
    p.y0 = 0;
    p.y1 = 1;
    gs__plot_axes(&p, xlabel, "fraction of jobs", 1);
    for (j = 0; j < r->ng; j++) {
        const dvec *d = v[j];
        size_t at = 0;
        for (k = 0; k <= n; k++) {
            double x = pow(10, log10(lo) + (log10(hi) - log10(lo)) * (double)k / (double)n);
            while (at < d->n && d->v[at] <= x)
                at++;
            xs[k] = x;
            ys[k] = total[j] ? (double)at / (double)total[j] : NAN;
        }
        gs__plot_line(&p, xs, ys, n + 1, gs__svg_color(j), 0);
        labels[j] = r->g[j].label;
        colors[j] = gs__svg_color(j);
    }
    gs__plot_legend(&p, labels, colors, r->ng);
    gs__plot_end(&p);
    free(labels);
    free(colors);
}

static void sec_cdf(report *r)
{
    const dvec **v = malloc(r->ng * sizeof(*v));
    size_t *tot = malloc(r->ng * sizeof(*tot)), j;

    fputs("<section id=\"jct-cdf\">\n<h2>JCT CDF</h2>\n<figure>\n", r->fp);
    if (v && tot) {
        for (j = 0; j < r->ng; j++) {
            v[j] = &r->g[j].jct;
            tot[j] = r->g[j].njobs;
        }
        cdf_chart(r, v, tot, "JCT CDF per group", "job completion time (s, log scale)");
    } else {
        r->oom = 1;
    }
    fputs("<figcaption>The share of all jobs finished within a given JCT, one line per group "
          "(its runs' jobs pooled). A line that ends below 1 has jobs that never finished or "
          "could not be scheduled.</figcaption>\n</figure>\n</section>\n",
          r->fp);
    free(v);
    free(tot);
}

/* ---- timeline ---- */

typedef struct tl_ctx {
    const char *path;
    int *busy, *free_; /* columns per report type, -1 if absent */
    size_t ntypes, bins;
    double end, w;
    double *acc; /* ntypes x bins: utilisation x seconds */
    double *qmax;
    double *row; /* the previous row's utilisation per type, then its queue */
    double tprev;
    int have;
} tl_ctx;

static void tl_add(tl_ctx *c, double a, double z)
{
    size_t i, k;

    for (i = (size_t)(a / c->w); i < c->bins && (double)i * c->w < z; i++) {
        double lo = a > (double)i * c->w ? a : (double)i * c->w;
        double hi = z < (double)(i + 1) * c->w ? z : (double)(i + 1) * c->w;
        for (k = 0; k < c->ntypes; k++)
            if (!isnan(c->row[k]))
                c->acc[k * c->bins + i] += c->row[k] * (hi > lo ? hi - lo : 0);
        if (c->row[c->ntypes] > c->qmax[i])
            c->qmax[i] = c->row[c->ntypes];
    }
}

/* The raw CSV row: time, queued_jobs, then busy/free pairs by report type (fields by index). */
static int tl_row(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    tl_ctx *c = ctx;
    double t, v, b, fr;
    size_t k;
    int rc;

    if (line == 1)
        return GS_OK;
    if (n == 1 && f[0].len == 0)
        return GS_OK;
    if ((rc = field_num(c->path, line, "time", f[0].s, &t, err)) != GS_OK)
        return rc;
    if (c->have)
        tl_add(c, c->tprev, t);
    for (k = 0; k < c->ntypes; k++) {
        c->row[k] = NAN;
        if (c->busy[k] < 0 || (size_t)c->busy[k] >= n || (size_t)c->free_[k] >= n)
            continue;
        if ((rc = field_num(c->path, line, "busy", f[c->busy[k]].s, &b, err)) != GS_OK ||
            (rc = field_num(c->path, line, "free", f[c->free_[k]].s, &fr, err)) != GS_OK)
            return rc;
        c->row[k] = b + fr > 0 ? 100 * b / (b + fr) : 0;
    }
    v = NAN;
    if (c->busy[c->ntypes] >= 0 && (size_t)c->busy[c->ntypes] < n &&
        (rc = field_num(c->path, line, "queued_jobs", f[c->busy[c->ntypes]].s, &v, err)) != GS_OK)
        return rc;
    c->row[c->ntypes] = isnan(v) ? 0 : v;
    c->tprev = t;
    c->have = 1;
    return GS_OK;
}

typedef struct tl_head {
    tl_ctx *c;
    char **types;
    double end;
    int found;
} tl_head;

/* First pass: the header's columns and the last time. */
static int tl_scan(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    tl_head *h = ctx;
    size_t i, k;
    char col[192];

    (void)err;
    if (line == 1) {
        for (k = 0; k <= h->c->ntypes; k++)
            h->c->busy[k] = h->c->free_[k] = -1;
        for (i = 0; i < n; i++) {
            for (k = 0; k < h->c->ntypes; k++) {
                snprintf(col, sizeof(col), "busy_%s", h->types[k]);
                if (!strcmp(f[i].s, col))
                    h->c->busy[k] = (int)i;
                snprintf(col, sizeof(col), "free_%s", h->types[k]);
                if (!strcmp(f[i].s, col))
                    h->c->free_[k] = (int)i;
            }
            if (!strcmp(f[i].s, "queued_jobs"))
                h->c->busy[h->c->ntypes] = (int)i;
        }
        h->found = 1;
        return GS_OK;
    }
    if (n >= 1 && f[0].len > 0 && gs__parse_double(f[0].s, f[0].len, &h->end) != 0)
        h->end = NAN;
    return GS_OK;
}

typedef struct series {
    double *util; /* ntypes x bins, % (NAN: the run has no such type) */
    double *queue;
    size_t bins;
    double w, end;
    int missing; /* no timeline.csv */
} series;

static int load_timeline(report *r, size_t run, series *s, gs_err *err)
{
    char *path = gs__path_join(gs_merge_run_dir(r->m, run), "timeline.csv");
    size_t nt = r->ntypes, bins = r->o->timeline_points, k, i;
    tl_ctx c;
    tl_head h;
    FILE *probe;
    int rc = GS_OK;

    memset(s, 0, sizeof(*s));
    memset(&c, 0, sizeof(c));
    if (!path)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (!(probe = fopen(path, "r"))) {
        s->missing = 1;
        free(path);
        return GS_OK;
    }
    fclose(probe);
    c.path = path;
    c.ntypes = nt;
    c.bins = bins;
    c.busy = malloc((nt + 1) * sizeof(int));
    c.free_ = malloc((nt + 1) * sizeof(int));
    c.acc = calloc(nt * bins + 1, sizeof(double));
    c.qmax = calloc(bins, sizeof(double));
    c.row = calloc(nt + 1, sizeof(double));
    if (!c.busy || !c.free_ || !c.acc || !c.qmax || !c.row) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    memset(&h, 0, sizeof(h));
    h.c = &c;
    h.types = r->types;
    h.end = 0;
    if ((rc = gs__csv_read(path, tl_scan, &h, err)) != GS_OK)
        goto out;
    if (!h.found || isnan(h.end)) {
        rc = gs_errorf(err, GS_EPARSE, "'%s': no timeline rows", path);
        goto out;
    }
    c.end = h.end > 0 ? h.end : 1;
    c.w = c.end / (double)bins;
    if ((rc = gs__csv_read(path, tl_row, &c, err)) != GS_OK)
        goto out;
    s->bins = bins;
    s->w = c.w;
    s->end = c.end;
    s->util = malloc(nt * bins * sizeof(double) + 1);
    s->queue = malloc(bins * sizeof(double));
    if (!s->util || !s->queue) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (k = 0; k < nt; k++)
        for (i = 0; i < bins; i++)
            s->util[k * bins + i] = c.busy[k] < 0 ? NAN : c.acc[k * bins + i] / c.w;
    memcpy(s->queue, c.qmax, bins * sizeof(double));
out:
    free(c.busy);
    free(c.free_);
    free(c.acc);
    free(c.qmax);
    free(c.row);
    free(path);
    return rc;
}

/* What the timeline's panels share: every group's series, the axes' ends, the legend. */
typedef struct tl_panels {
    series *s;
    double end, qmax;
    const char **labels, **colors;
    size_t shown;
    double *xs; /* timeline_points + 1 */
} tl_panels;

/* Loads each group's first timeline into t (a note for each missing one). */
static int timeline_load(report *r, tl_panels *t, gs_err *err)
{
    FILE *fp = r->fp;
    size_t j, i;
    int rc;

    for (j = 0; j < r->ng; j++) {
        series *sj = &t->s[j];
        if ((rc = load_timeline(r, r->g[j].runs[0], sj, err)) != GS_OK)
            return rc;
        if (sj->missing) {
            fputs("<p class=\"note\">No timeline.csv in ", fp);
            gs__html_esc(fp, gs_merge_run_dir(r->m, r->g[j].runs[0]));
            fputs(" (run without --no-timeline to have one).</p>\n", fp);
            continue;
        }
        if (sj->end > t->end)
            t->end = sj->end;
        for (i = 0; i < sj->bins; i++)
            if (sj->queue[i] > t->qmax)
                t->qmax = sj->queue[i];
    }
    for (j = 0; j < r->ng; j++) {
        if (t->s[j].missing)
            continue;
        t->labels[t->shown] = r->g[j].label;
        t->colors[t->shown++] = gs__svg_color(j);
    }
    return GS_OK;
}

/* Group j's line in panel k (a GPU type's utilisation, or the queue when k == ntypes). */
static void timeline_line(report *r, const tl_panels *t, gs__plot *p, size_t j, size_t k)
{
    const series *sj = &t->s[j];
    const double *y;
    double *yy;
    size_t i;

    if (sj->missing)
        return;
    y = k < r->ntypes ? sj->util + k * sj->bins : sj->queue;
    if (k < r->ntypes && isnan(y[0]))
        return;
    yy = malloc((sj->bins + 1) * sizeof(*yy));
    if (!yy) {
        r->oom = 1;
        return;
    }
    for (i = 0; i < sj->bins; i++) {
        t->xs[i] = (double)i * sj->w / 3600;
        yy[i] = y[i];
    }
    t->xs[sj->bins] = sj->end / 3600;
    yy[sj->bins] = y[sj->bins - 1];
    gs__plot_line(p, t->xs, yy, sj->bins + 1, gs__svg_color(j), 1);
    free(yy);
}

/* Panel k: a GPU type's utilisation (k < ntypes) or the queue. */
static void timeline_panel(report *r, const tl_panels *t, size_t k)
{
    FILE *fp = r->fp;
    gs__plot p;
    char title[256];
    size_t j;

    if (k < r->ntypes)
        snprintf(title, sizeof(title), "%s busy (%%)", r->types[k]);
    else
        snprintf(title, sizeof(title), "queued jobs");
    fprintf(fp, "<figure>\n<h3>");
    gs__html_esc(fp, title);
    fputs("</h3>\n", fp);
    gs__plot_begin(&p, fp, 900, k < r->ntypes ? 200 : 240, title);
    p.x0 = 0;
    p.x1 = gs__nice_ceil(t->end / 3600);
    p.y0 = 0;
    p.y1 = k < r->ntypes ? 100 : gs__nice_ceil(t->qmax > 0 ? t->qmax : 1);
    gs__plot_axes(&p, "hours since the first submission", title, 0);
    for (j = 0; j < r->ng; j++)
        timeline_line(r, t, &p, j, k);
    if (k == 0)
        gs__plot_legend(&p, t->labels, t->colors, t->shown);
    gs__plot_end(&p);
    fputs("</figure>\n", fp);
}

static void sec_timeline(report *r, gs_err *err)
{
    FILE *fp = r->fp;
    tl_panels t;
    size_t j, k;

    memset(&t, 0, sizeof(t));
    fputs("<section id=\"timeline\">\n<h2>Timeline</h2>\n", fp);
    t.s = calloc(r->ng, sizeof(*t.s));
    t.labels = malloc(r->ng * sizeof(*t.labels));
    t.colors = malloc(r->ng * sizeof(*t.colors));
    t.xs = malloc((r->o->timeline_points + 1) * sizeof(*t.xs));
    if (!t.s || !t.labels || !t.colors || !t.xs)
        gs_errorf(err, GS_ENOMEM, "out of memory");
    else if (timeline_load(r, &t, err) == GS_OK && t.shown) {
        for (k = 0; k <= r->ntypes; k++)
            timeline_panel(r, &t, k);
        fprintf(fp,
                "<p class=\"note\">Each group's first run (timeline.csv), over %zu time bins: the "
                "time-weighted mean share of each GPU type's GPUs allocated to jobs (restart "
                "delays and failed starts count as busy), and the largest number of queued jobs "
                "in the bin.</p>\n",
                r->o->timeline_points);
    }
    fputs("</section>\n", fp);
    for (j = 0; t.s && j < r->ng; j++) {
        free(t.s[j].util);
        free(t.s[j].queue);
    }
    free(t.s);
    free(t.labels);
    free(t.colors);
    free(t.xs);
}

/* ---- Gantt ---- */

typedef struct gantt {
    const char *path;
    size_t step, rows, njobs;
    char **ids; /* open addressing: job id -> row */
    size_t *row;
    size_t cap;
    dvec submit, start; /* per drawn row (hours; start NAN if never) */
    gs__buf *paths;     /* per report type, then failed starts */
    size_t ntypes;
    char *const *types;
    double x1, pitch, ml, mt, plotw;
    int err_code;
} gantt;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int gantt_count(void *ctx, const char *const *v, long line, gs_err *err)
{
    (void)v;
    (void)line;
    (void)err;
    ((gantt *)ctx)->njobs++;
    return GS_OK;
}

static int gantt_job(void *ctx, const char *const *v, long line, gs_err *err)
{
    gantt *g = ctx;
    size_t i = g->njobs++, h;
    double sub, st;
    int rc;

    if (i % g->step)
        return GS_OK;
    if ((rc = field_num(g->path, line, "submit_time", v[1], &sub, err)) != GS_OK ||
        (rc = field_num(g->path, line, "start_time", v[2], &st, err)) != GS_OK)
        return rc;
    h = (size_t)(fnv(v[0] ? v[0] : "") & (g->cap - 1));
    while (g->ids[h])
        h = (h + 1) & (g->cap - 1);
    if (!(g->ids[h] = gs__strdup(v[0] ? v[0] : "")))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    g->row[h] = g->rows++;
    if (dpush(&g->submit, sub / 3600) != GS_OK || dpush(&g->start, st / 3600) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}

static double gx(const gantt *g, double hours)
{
    double f = g->x1 > 0 ? hours / g->x1 : 0;
    return g->ml + (f < 0 ? 0 : f > 1 ? 1 : f) * g->plotw;
}

static int gantt_alloc(void *ctx, const char *const *v, long line, gs_err *err)
{
    gantt *g = ctx;
    size_t h = (size_t)(fnv(v[0] ? v[0] : "") & (g->cap - 1)), k;
    double s, e, y;
    int rc;

    while (g->ids[h] && strcmp(g->ids[h], v[0] ? v[0] : ""))
        h = (h + 1) & (g->cap - 1);
    if (!g->ids[h])
        return GS_OK; /* a job not drawn */
    if ((rc = field_num(g->path, line, "start", v[2], &s, err)) != GS_OK ||
        (rc = field_num(g->path, line, "end", v[3], &e, err)) != GS_OK)
        return rc;
    if (v[4] && !strcmp(v[4], "failed"))
        k = g->ntypes;
    else
        for (k = 0; k < g->ntypes && strcmp(g->types[k], v[1] ? v[1] : ""); k++)
            ;
    if (k > g->ntypes)
        k = g->ntypes;
    y = g->mt + ((double)g->row[h] + 0.5) * g->pitch;
    {
        double a = gx(g, s / 3600), b = gx(g, e / 3600);
        if (gs__buf_printf(&g->paths[k], "M%.1f %.1fh%.1f", a, y, b - a > 0.6 ? b - a : 0.6) != 0)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    return GS_OK;
}

/* The legend of the GPU types' colours, then nextra more entries. */
static void type_legend(report *r, gs__plot *p, const char *const *xlabels,
                        const char *const *xcolors, size_t nextra)
{
    const char **labels = malloc((r->ntypes + nextra + 1) * sizeof(*labels));
    const char **colors = malloc((r->ntypes + nextra + 1) * sizeof(*colors));
    size_t k;

    if (labels && colors) {
        for (k = 0; k < r->ntypes; k++) {
            labels[k] = r->types[k];
            colors[k] = gs__svg_color(k);
        }
        for (k = 0; k < nextra; k++) {
            labels[r->ntypes + k] = xlabels[k];
            colors[r->ntypes + k] = xcolors[k];
        }
        gs__plot_legend(p, labels, colors, r->ntypes + nextra);
    } else {
        r->oom = 1;
    }
    free(labels);
    free(colors);
}

/* Reads jobs.csv at jp into g: which jobs are drawn (every g->step-th) and their times. */
static int gantt_read_jobs(report *r, gantt *g, const char *jp, gs_err *err)
{
    static const char *const jcols[] = {"job_id", "submit_time", "start_time"};
    int rc;

    g->path = jp;
    if ((rc = read_cols(jp, jcols, 3, 0x7, gantt_count, g, err)) != GS_OK)
        return rc;
    g->step = (g->njobs + r->o->gantt_rows - 1) / r->o->gantt_rows;
    if (g->step < 1)
        g->step = 1;
    for (g->cap = 64; g->cap < 2 * (g->njobs / g->step + 1); g->cap *= 2)
        ;
    g->ids = calloc(g->cap, sizeof(*g->ids));
    g->row = calloc(g->cap, sizeof(*g->row));
    g->ntypes = r->ntypes;
    g->types = r->types;
    g->paths = calloc(r->ntypes + 1, sizeof(*g->paths));
    if (!g->ids || !g->row || !g->paths)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    g->njobs = 0;
    return read_cols(jp, jcols, 3, 0x7, gantt_job, g, err);
}

/* The grey lines of the rows' waits: from submission to the first start (or the end). */
static int gantt_waits(const gantt *g, gs__buf *wait, gs_err *err)
{
    size_t i;

    for (i = 0; i < g->rows; i++) {
        double y = g->mt + ((double)i + 0.5) * g->pitch, a = gx(g, g->submit.v[i]);
        double b = isnan(g->start.v[i]) ? gx(g, g->x1) : gx(g, g->start.v[i]);
        if (b - a >= 0.1 && gs__buf_printf(wait, "M%.1f %.1fh%.1f", a, y, b - a) != 0)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    return GS_OK;
}

/* The axes, waits, bars and legend of the chart begun in p. */
static void gantt_draw(report *r, const gantt *g, gs__plot *p, const gs__buf *wait)
{
    static const char *const xlabels[] = {"failed start", "waiting"};
    static const char *const xcolors[] = {"#000", "#bbb"};
    FILE *fp = r->fp;
    char yl[64];
    size_t k;

    p->y1 = (double)g->njobs;
    snprintf(yl, sizeof(yl), "jobs in submission order%s", g->step > 1 ? " (sampled)" : "");
    /* rows grow downwards: the axis counts jobs from the top */
    gs__plot_axes(p, "hours since the first submission", yl, 0);
    if (wait->len)
        fprintf(fp, "<path fill=\"none\" stroke=\"#bbb\" stroke-width=\"%.1f\" d=\"%s\"/>\n",
                g->pitch * 0.35 > 0.6 ? g->pitch * 0.35 : 0.6, wait->data);
    for (k = 0; k <= r->ntypes; k++)
        if (g->paths[k].len)
            fprintf(fp, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" d=\"%s\"/>\n",
                    k < r->ntypes ? gs__svg_color(k) : "#000",
                    g->pitch * 0.8 > 1 ? g->pitch * 0.8 : 1, g->paths[k].data);
    type_legend(r, p, xlabels, xcolors, 2);
}

static void gantt_caption(FILE *fp, const gantt *g, const char *dir)
{
    fprintf(fp, "<figcaption>");
    gs__html_esc(fp, dir);
    if (g->step > 1)
        fprintf(fp, ": %zu of %zu jobs drawn (every %zuth, in submission order).", g->rows,
                g->njobs, g->step);
    else
        fprintf(fp, ": all %zu jobs, in submission order.", g->rows);
    fputs("</figcaption>\n", fp);
}

static void gantt_release(gantt *g, size_t ntypes)
{
    size_t i;

    for (i = 0; g->ids && i < g->cap; i++)
        free(g->ids[i]);
    free(g->ids);
    free(g->row);
    for (i = 0; g->paths && i <= ntypes; i++)
        gs__buf_release(&g->paths[i]);
    free(g->paths);
    dfree(&g->submit);
    dfree(&g->start);
}

/* The plot of g (jobs read), its bars read from allocations.csv at ap. */
static int gantt_plot(report *r, gantt *g, const char *ap, double makespan, gs_err *err)
{
    static const char *const acols[] = {"job_id", "gpu_type", "start", "end", "outcome"};
    gs__plot p;
    gs__buf wait = {0};
    int rc;

    g->pitch = g->rows ? 640.0 / (double)g->rows : 1;
    if (g->pitch > 14)
        g->pitch = 14;
    if (g->pitch < 1.5)
        g->pitch = 1.5;
    gs__plot_begin(&p, r->fp, 900, 12 + 44 + g->pitch * (double)g->rows, "Gantt chart");
    p.x0 = 0;
    g->x1 = p.x1 = gs__nice_ceil(isnan(makespan) || makespan <= 0 ? 1 : makespan / 3600);
    p.y0 = 0;
    p.y1 = (double)g->rows;
    p.flipy = 1;
    g->ml = p.ml;
    g->mt = p.mt;
    g->plotw = p.w - p.ml - p.mr;
    g->path = ap;
    if ((rc = read_cols(ap, acols, 5, 0x1f, gantt_alloc, g, err)) == GS_OK &&
        (rc = gantt_waits(g, &wait, err)) == GS_OK)
        gantt_draw(r, g, &p, &wait);
    gs__plot_end(&p);
    gs__buf_release(&wait);
    return rc;
}

static int gantt_chart(report *r, size_t run, gs_err *err)
{
    const char *dir = gs_merge_run_dir(r->m, run);
    char *jp = gs__path_join(dir, "jobs.csv"), *ap = gs__path_join(dir, "allocations.csv");
    FILE *fp = r->fp, *probe;
    gantt g;
    int rc = GS_OK;

    memset(&g, 0, sizeof(g));
    if (!jp || !ap) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
    } else if (!(probe = fopen(ap, "r"))) {
        fputs("<p class=\"note\">No allocations.csv in ", fp);
        gs__html_esc(fp, dir);
        fputs(".</p>\n", fp);
    } else {
        fclose(probe);
        if ((rc = gantt_read_jobs(r, &g, jp, err)) == GS_OK &&
            (rc = gantt_plot(r, &g, ap, mval(r->m, run, "makespan"), err)) == GS_OK)
            gantt_caption(fp, &g, dir);
    }
    gantt_release(&g, r->ntypes);
    free(jp);
    free(ap);
    return rc;
}

static int sec_gantt(report *r, gs_err *err)
{
    size_t j;
    int rc;

    fputs(
        "<section id=\"gantt\">\n<h2>Gantt charts</h2>\n<p class=\"note\">One row per job "
        "(the first at the top): a grey line while it waits, then a bar per allocation it "
        "held, coloured by GPU type; black: a start on a configuration that was not viable.</p>\n",
        r->fp);
    for (j = 0; j < r->ng; j++) {
        fputs("<figure>\n<h3>", r->fp);
        gs__html_esc(r->fp, r->g[j].label);
        fputs("</h3>\n", r->fp);
        if ((rc = gantt_chart(r, r->g[j].runs[0], err)) != GS_OK)
            return rc;
        fputs("</figure>\n", r->fp);
    }
    fputs("</section>\n", r->fp);
    return GS_OK;
}

/* ---- fairness ---- */

typedef struct urow {
    char *user;
    double jobs, slow, ftf, jct, gpuh;
} urow;

typedef struct users_ctx {
    const char *path;
    urow *v;
    size_t n, cap;
} users_ctx;

static int users_row(void *ctx, const char *const *v, long line, gs_err *err)
{
    static const char *const names[] = {"user",     "jobs",     "mean_slowdown",
                                        "mean_ftf", "mean_jct", "gpu_hours"};
    users_ctx *c = ctx;
    urow u;
    int rc;

    if ((rc = field_num(c->path, line, names[1], v[1], &u.jobs, err)) != GS_OK ||
        (rc = field_num(c->path, line, names[2], v[2], &u.slow, err)) != GS_OK ||
        (rc = field_num(c->path, line, names[3], v[3], &u.ftf, err)) != GS_OK ||
        (rc = field_num(c->path, line, names[4], v[4], &u.jct, err)) != GS_OK ||
        (rc = field_num(c->path, line, names[5], v[5], &u.gpuh, err)) != GS_OK)
        return rc;
    if (isnan(u.slow))
        return GS_OK;
    if (GS_GROW(c->v, c->cap, c->n + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (!(u.user = gs__strdup(v[0] ? v[0] : "")))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    c->v[c->n++] = u;
    return GS_OK;
}

static int cmp_urow(const void *a, const void *b)
{
    const urow *x = a, *y = b;

    if (x->slow != y->slow)
        return x->slow < y->slow ? 1 : -1;
    return strcmp(x->user, y->user);
}

static int worst_users(report *r, size_t run, gs_err *err)
{
    static const char *const names[] = {"user",     "jobs",     "mean_slowdown",
                                        "mean_ftf", "mean_jct", "gpu_hours"};
    char *path = gs__path_join(gs_merge_run_dir(r->m, run), "users.csv");
    FILE *fp = r->fp, *probe;
    users_ctx c;
    size_t i;
    int rc = GS_OK;

    memset(&c, 0, sizeof(c));
    if (!path)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (!(probe = fopen(path, "r"))) {
        fputs("<p class=\"note\">No users.csv in this run.</p>\n", fp);
        free(path);
        return GS_OK;
    }
    fclose(probe);
    c.path = path;
    if ((rc = read_cols(path, names, 6, 0x3f, users_row, &c, err)) != GS_OK)
        goto out;
    if (c.n)
        qsort(c.v, c.n, sizeof(*c.v), cmp_urow);
    fputs("<table>\n<tr><th class=\"l\">user</th><th>jobs</th><th>mean slowdown</th>"
          "<th>mean FTF</th><th>mean JCT s</th><th>GPU-hours</th></tr>\n",
          fp);
    for (i = 0; i < c.n && i < 5; i++) {
        fputs("<tr><td class=\"l\">", fp);
        gs__html_esc(fp, c.v[i].user);
        fputs("</td><td>", fp);
        num(fp, c.v[i].jobs, 0);
        fputs("</td><td>", fp);
        num(fp, c.v[i].slow, 2);
        fputs("</td><td>", fp);
        num(fp, c.v[i].ftf, 2);
        fputs("</td><td>", fp);
        num(fp, c.v[i].jct, 1);
        fputs("</td><td>", fp);
        num(fp, c.v[i].gpuh, 2);
        fputs("</td></tr>\n", fp);
    }
    fprintf(fp,
            "</table>\n<p class=\"note\">The 5 users (of %zu with a finished job) whose jobs "
            "had the highest mean slowdown, in ",
            c.n);
    gs__html_esc(fp, gs_merge_run_dir(r->m, run));
    fputs(".</p>\n", fp);
out:
    for (i = 0; i < c.n; i++)
        free(c.v[i].user);
    free(c.v);
    free(path);
    return rc;
}

static int sec_fairness(report *r, gs_err *err)
{
    FILE *fp = r->fp;
    const dvec **v = malloc(r->ng * sizeof(*v));
    size_t *tot = malloc(r->ng * sizeof(*tot)), j, i;
    int rc = GS_OK;

    fputs("<section id=\"fairness\">\n<h2>Fairness</h2>\n<table>\n<tr><th class=\"l\">", fp);
    gs__html_esc(fp, r->o->by);
    fputs("</th><th>jobs with FTF</th><th>mean FTF</th><th>p50</th><th>p99</th><th>max</th>"
          "<th>FTF &gt; 1</th><th>mean slowdown</th><th>p99 slowdown</th>"
          "<th>Jain's index (users)</th><th>users</th></tr>\n",
          fp);
    for (j = 0; j < r->ng; j++) {
        group *g = &r->g[j];
        size_t over = 0;
        for (i = 0; i < g->ftf.n; i++)
            if (g->ftf.v[i] > 1 + 1e-9)
                over++;
        fputs("<tr><td class=\"l\">", fp);
        gs__html_esc(fp, g->label);
        fprintf(fp, "</td><td>%zu</td><td>", g->ftf.n);
        num(fp, mean(&g->ftf), 3);
        fputs("</td><td>", fp);
        num(fp, q(&g->ftf, 0.5), 3);
        fputs("</td><td>", fp);
        num(fp, q(&g->ftf, 0.99), 3);
        fputs("</td><td>", fp);
        num(fp, g->ftf.n ? g->ftf.v[g->ftf.n - 1] : NAN, 3);
        fputs("</td><td>", fp);
        num(fp, g->ftf.n ? 100.0 * (double)over / (double)g->ftf.n : NAN, 1);
        fputs("%</td><td>", fp);
        num(fp, mean(&g->slow), 3);
        fputs("</td><td>", fp);
        num(fp, q(&g->slow, 0.99), 3);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "fairness.jain_users_slowdown"), 3);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "fairness.users"), 0);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n<p class=\"note\">Finish-time fairness (FTF, Themis and Gavel): a job's JCT "
          "over the time it would take alone on its fair share of the cluster (its GPUs over "
          "the mean number of jobs contending during its life); above 1 the job did worse than "
          "its share, below 1 better (docs/fairness.md). Slowdown: JCT over the trace's "
          "duration. Jain's index of the users' mean slowdown: 1 when all users are slowed "
          "alike, 1/n when one user bears it all (mean over runs).</p>\n<figure>\n",
          fp);
    if (v && tot) {
        for (j = 0; j < r->ng; j++) {
            v[j] = &r->g[j].ftf;
            tot[j] = r->g[j].ftf.n;
        }
        cdf_chart(r, v, tot, "FTF CDF per group", "finish-time fairness (log scale)");
    } else {
        r->oom = 1;
    }
    fputs("<figcaption>The distribution of FTF over the finished jobs of each group.</figcaption>"
          "\n</figure>\n",
          fp);
    for (j = 0; j < r->ng && rc == GS_OK; j++) {
        fputs("<h3>Worst-treated users: ", fp);
        gs__html_esc(fp, r->g[j].label);
        fputs("</h3>\n", fp);
        rc = worst_users(r, r->g[j].runs[0], err);
    }
    fputs("</section>\n", fp);
    free(v);
    free(tot);
    return rc;
}

/* ---- energy and cost ---- */

/* The table of energy and cost per group; the largest energy of a group. */
static double energy_table(report *r)
{
    FILE *fp = r->fp;
    double maxe = 0;
    size_t j;

    fputs("<table>\n<tr><th class=\"l\">", fp);
    gs__html_esc(fp, r->o->by);
    fputs("</th><th>energy kWh</th><th>busy kWh</th><th>idle kWh</th><th>kWh per finished "
          "job</th><th>cost used USD</th><th>cost provisioned USD</th><th>USD per finished "
          "job</th><th>GPU-hours</th></tr>\n",
          fp);
    for (j = 0; j < r->ng; j++) {
        group *g = &r->g[j];
        double e = gmean(r, g, "energy_kwh.total"), c = gmean(r, g, "cost_usd.used");
        double fin = gmean(r, g, "finished");
        if (e > maxe)
            maxe = e;
        fputs("<tr><td class=\"l\">", fp);
        gs__html_esc(fp, g->label);
        fputs("</td><td>", fp);
        num(fp, e, 1);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "energy_kwh.busy"), 1);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "energy_kwh.idle"), 1);
        fputs("</td><td>", fp);
        num(fp, fin > 0 ? e / fin : NAN, 3);
        fputs("</td><td>", fp);
        num(fp, c, 2);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "cost_usd.provisioned"), 2);
        fputs("</td><td>", fp);
        num(fp, fin > 0 ? c / fin : NAN, 3);
        fputs("</td><td>", fp);
        num(fp, gmean(r, g, "gpu_hours"), 1);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
    return maxe;
}

#define ENERGY_BAR_PITCH 22.0 /* pixels per group's bar, gap included */

/* Group j's bar of energy per GPU type, at height y of p. */
static void energy_bar(report *r, gs__plot *p, size_t j, double y)
{
    FILE *fp = r->fp;
    double x = 0;
    char col[192];
    size_t k;

    for (k = 0; k < r->ntypes; k++) {
        double e;
        snprintf(col, sizeof(col), "energy_kwh_type.%s", r->types[k]);
        e = gmean(r, &r->g[j], col);
        if (!(e > 0))
            continue;
        fprintf(fp,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                gs__plot_px(p, x), y, gs__plot_px(p, x + e) - gs__plot_px(p, x),
                ENERGY_BAR_PITCH - 6, gs__svg_color(k));
        gs__html_esc(fp, r->types[k]);
        fprintf(fp, ": %.1f kWh</title></rect>\n", e);
        x += e;
    }
}

/* Stacked bars of energy per GPU type, a bar per group. */
static void energy_bars(report *r, double maxe)
{
    FILE *fp = r->fp;
    double bh = ENERGY_BAR_PITCH, top = 12;
    gs__plot p;
    size_t j;

    gs__plot_begin(&p, fp, 900, top + 44 + bh * (double)r->ng + 8, "energy per GPU type");
    p.ml = 150;
    p.x0 = 0;
    p.x1 = gs__nice_ceil(maxe * 1.3); /* room for the legend */
    p.y0 = 0;
    p.y1 = (double)r->ng;
    p.mt = top;
    gs__plot_axes(&p, "energy per run (kWh): busy and idle GPUs of each type", "", -1);
    for (j = 0; j < r->ng; j++) {
        double y = top + bh * (double)j + 4;
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"ty\">", p.ml - 6, y + 12);
        gs__html_esc(fp, r->g[j].label);
        fputs("</text>\n", fp);
        energy_bar(r, &p, j, y);
    }
    type_legend(r, &p, NULL, NULL, 0);
    gs__plot_end(&p);
}

static void sec_energy(report *r)
{
    FILE *fp = r->fp;
    double maxe;

    fputs("<section id=\"energy\">\n<h2>Energy and cost</h2>\n", fp);
    maxe = energy_table(r);
    fputs("<figure>\n", fp);
    if (maxe > 0)
        energy_bars(r, maxe);
    else
        fputs("<p class=\"note\">No energy recorded (results of a gpusim without energy, or "
              "GPU types without a power model).</p>\n",
              fp);
    fputs("<figcaption>Means per run. Busy: GPUs allocated to jobs at the type's busy power; "
          "idle: the others, from the first submission to the end of the run, at its idle "
          "power. Cost used: allocated GPU-hours at the type's price; provisioned: every GPU "
          "for the run's span. Watts and prices come from the cluster config "
          "(docs/energy.md).</figcaption>\n</figure>\n</section>\n",
          fp);
}

/* ---- the page ---- */

static void report_release(report *r)
{
    size_t j;

    for (j = 0; r->g && j < r->ng; j++) {
        free(r->g[j].runs);
        dfree(&r->g[j].jct);
        dfree(&r->g[j].queue);
        dfree(&r->g[j].ftf);
        dfree(&r->g[j].slow);
    }
    free(r->g);
    for (j = 0; j < r->ntypes; j++)
        free(r->types[j]);
    free(r->types);
    gs_merge_free(r->m);
}

int gs_report_html(const char *const *paths, size_t npaths, const gs_report_opts *opts, FILE *fp,
                   gs_err *err)
{
    gs_report_opts def;
    report r;
    size_t i;
    int rc = GS_OK;

    if (!opts) {
        gs_report_opts_init(&def);
        opts = &def;
    }
    memset(&r, 0, sizeof(r));
    r.o = opts;
    r.fp = fp;
    if (!opts->by || !opts->title || opts->gantt_rows < 1 || opts->timeline_points < 1)
        return gs_errorf(err, GS_EINVAL, "invalid report options");
    if (!(r.m = gs_merge_new(err)))
        return GS_ENOMEM;
    for (i = 0; i < npaths && rc == GS_OK; i++)
        rc = gs_merge_add(r.m, paths[i], err);
    if (rc == GS_OK && gs_merge_nruns(r.m) == 0)
        rc = gs_errorf(err, GS_ENOTFOUND, "no result folder given");
    if (rc == GS_OK)
        rc = make_groups(&r, err);
    for (i = 0; rc == GS_OK && i < r.ng; i++)
        rc = load_jobs(&r, &r.g[i], err);
    for (i = 0; rc == GS_OK && i < gs_merge_nruns(r.m); i++)
        rc = load_types(&r, i, err);
    if (rc == GS_OK) {
        page_head(&r);
        sec_summary(&r);
        sec_cdf(&r);
        sec_timeline(&r, err);
        rc = err && err->code ? err->code : GS_OK;
    }
    if (rc == GS_OK)
        rc = sec_gantt(&r, err);
    if (rc == GS_OK)
        rc = sec_fairness(&r, err);
    if (rc == GS_OK) {
        sec_energy(&r);
        fputs("</body>\n</html>\n", fp);
        if (ferror(fp))
            rc = gs_errorf(err, GS_EIO, "cannot write the report");
    }
    if (rc == GS_OK && r.oom)
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
    report_release(&r);
    return rc;
}
