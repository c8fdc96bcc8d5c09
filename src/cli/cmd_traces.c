/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim gen-trace` (synthetic ACME traces) and `gpusim sample` (experiment traces from the
 * busiest window of a trace). */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/io.h"
#include "gpusim/limits.h"
#include "gpusim/sample.h"
#include "gpusim/trace.h"
#include "gpusim/tracegen.h"
#include "json_int.h"
#include "util_int.h"

/* ---- gen-trace ---- */

typedef struct gen_args {
    const char *out, *types;
    gs_tracegen_opts o;
    int jobs, cluster, describe, quiet;
    double days, rate;
} gen_args;

static int parse_start(const char *v, void *field, char *why, size_t n)
{
    gs_tracegen_opts *o = field;

    /* the range the trace loader accepts, so that what is written loads */
    if (gs_parse_timestamp(v, strlen(v), &o->start_epoch, &o->utc_offset_min) == 0 &&
        o->start_epoch >= GS_EPOCH_MIN && o->start_epoch <= GS_EPOCH_MAX - GS_TIME_MAX)
        return 0;
    snprintf(why, n, "needs 'YYYY-MM-DD hh:mm:ss+hh:mm' from 1970 to 2089");
    return -1;
}

#define A gen_args
static const gs__opt gen_opts[] = {
    OPT_STR("out", 'o', A, out, "FILE", "where to write, atomically (default '-': stdout)"),
    OPT_INT("jobs", 'n', A, jobs, "N", 1, 100000000,
            "exactly N jobs, %r (default: as many as --days give)"),
    OPT_DBL("days", 0, A, days, "D", 0, GS_TIME_MAX / 86400, GS__OPT_OPEN_LO,
            "days of submissions when --jobs is not given, %r\n(default 28)"),
    OPT_U64("seed", 's', A, o.seed, "N", "seed, %r (default 1)"),
    OPT_CHOICE("cluster", 0, A, cluster, "NAME", "seren|kalos",
               "seren (default) or kalos: whose fitted models, type shares,\n"
               "states and columns"),
    OPT_DBL("rate", 'r', A, rate, "R", 0, 1e6, GS__OPT_OPEN_LO,
            "Seren: mean SFT jobs per hour, %r (default 15.2, ACME's\n"
            "average; the other types in proportion); Kalos: mean GPU jobs\n"
            "per hour (default 6.74)"),
    OPT_STR("types", 0, A, types, "T",
            "sft (Seren's default), all (Kalos's default), or a list such as\n"
            "'Eval,Pretrain', each type in its published share"),
    OPT_CALL("start", 0, A, o, gs_tracegen_opts, "TIME", parse_start,
             "first hour, 'YYYY-MM-DD hh:mm:ss+hh:mm' (default\n"
             "'2023-03-01 00:00:00+08:00'; Kalos: '2023-05-01 00:00:00+00:00');\n"
             "its UTC offset is written and sets the local time of day"),
    OPT_DBL("diurnal", 0, A, o.diurnal, "A", 0, 1, GS__OPT_OPEN_HI,
            "amplitude of the daily cycle, %r (default 0.5)"),
    OPT_DBL("weekend", 0, A, o.weekend, "F", 0, 10, GS__OPT_OPEN_LO,
            "weekend rate relative to weekdays, %r (default 0.7)"),
    OPT_DBL("day-sigma", 0, A, o.day_sigma, "S", 0, 3, 0,
            "log-normal day-to-day variation, %r (default 0.35)"),
    OPT_DBL("corr", 0, A, o.corr, "RHO", -1, 1, GS__OPT_OPEN_LO | GS__OPT_OPEN_HI,
            "one Gaussian-copula correlation of gpu_num and duration for every\n"
            "type, %r (default: each type's own, fitted to the published GPU-time\n"
            "shares; 0: independent draws; docs/traces.md)"),
    OPT_FLAG("describe", 0, A, describe, "print the fitted distributions and exit"),
    OPT_FLAG("quiet", 'q', A, quiet, "no summary on stderr"),
    OPT_END,
};
#undef A

static const gs__optspec gen_spec = {
    "gen-trace",
    "usage: gpusim gen-trace [--out FILE] [--jobs N | --days D] [--seed N] [options]\n\n"
    "Writes a synthetic trace in the exact ACME Seren schema (job_id,user,node_num,gpu_num,\n"
    "cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time), or Kalos's\n"
    "(--cluster kalos), from models fitted to the published ACME figures of that cluster:\n"
    "gpu_num inside the box plot with the published outliers, duration and queue as mixtures\n"
    "of log-normals, gpu_num and duration coupled so that each type holds its published share\n"
    "of GPU time, states drawn with the duration so that they hold theirs, arrivals with a\n"
    "daily cycle, quieter weekends and day-to-day variation. The same options give the same\n"
    "bytes. Models, sources and assumptions: docs/traces.md. (The models are fitted by the\n"
    "developer tool tools/fit_tracegen: scripts/calibrate_traces.sh.)\n\n",
    gen_opts,
    NULL,
    0,
};

/* The options' defaults that depend on the cluster, and the type choice; a usage error's exit
 * status, or GS__OPT_GO. */
static int gen_settle(gen_args *a, gs_err *err)
{
    if (a->jobs && a->days > 0)
        return gs__usage_error("gen-trace", "give --jobs or --days, not both");
    a->o.jobs = a->jobs;
    if (a->days > 0)
        a->o.days = a->days;
    a->o.cluster = a->cluster == 1 ? GS_TRACEGEN_KALOS : GS_TRACEGEN_SEREN;
    if (isnan(a->o.start_epoch)) /* Seren's README writes +08:00, Kalos's +00:00 */
        gs_parse_timestamp(a->o.cluster == GS_TRACEGEN_KALOS ? "2023-05-01 00:00:00+00:00"
                                                             : "2023-03-01 00:00:00+08:00",
                           25, &a->o.start_epoch, &a->o.utc_offset_min);
    if (a->rate > 0)
        a->o.sft_per_hour = a->o.kalos_per_hour = a->rate;
    if (a->types && (!strcmp(a->types, "sft") || !strcmp(a->types, "SFT")))
        a->o.types = "SFT";
    else if (a->types && !strcmp(a->types, "all"))
        a->o.all_types = 1;
    else
        a->o.types = a->types;
    /* every name of a list must be one of the cluster's types: a usage error */
    if (gs_tracegen_check(&a->o, err) != GS_OK)
        return gs__usage_error("gen-trace", "%s", err->msg);
    return GS__OPT_GO;
}

int gs__cmd_gen_trace(int argc, char **argv)
{
    gen_args a = {.out = "-"};
    gs_tracegen_stats st;
    gs_outfile of;
    gs_err err = {0};
    int status, first;

    gs_tracegen_opts_init(&a.o);
    a.o.start_epoch = NAN; /* set by --start, else by the cluster */
    if ((status = gs__opt_parse(&gen_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (a.describe) {
        gs_tracegen_describe(stdout);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if ((status = gen_settle(&a, &err)) != GS__OPT_GO)
        return status;
    if (gs_outfile_check(a.out, &err) != GS_OK || gs_outfile_open(&of, a.out, &err) != GS_OK)
        return gs__fail(&err);
    if (gs_tracegen_write(&a.o, of.fp, &st, &err) != GS_OK) {
        gs_outfile_abort(&of);
        return gs__fail(&err);
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__fail(&err);
    if (!a.quiet) {
        char t0[40], t1[40];
        gs_format_timestamp(t0, sizeof(t0), st.first_submit, a.o.utc_offset_min);
        gs_format_timestamp(t1, sizeof(t1), st.last_submit, a.o.utc_offset_min);
        if (a.o.cluster == GS_TRACEGEN_KALOS)
            fprintf(stderr, "gpusim: gen-trace: %ld Kalos jobs submitted %s .. %s\n", st.jobs, t0,
                    t1);
        else
            fprintf(stderr, "gpusim: gen-trace: %ld jobs (%ld SFT) submitted %s .. %s\n", st.jobs,
                    st.sft, t0, t1);
    }
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- sample ---- */

#define SAMPLE_MAX_SOURCES 99

/* The sources of --from (repeatable, or comma-separated) and the seeds of --seeds. */
typedef struct sample_files {
    const char *v[SAMPLE_MAX_SOURCES];
    int n;
} sample_files;

typedef struct sample_seeds {
    uint64_t v[SAMPLE_MAX_SOURCES];
    int n;
} sample_seeds;

typedef struct sample_args {
    const char *trace, *out, *job_type, *prefix, *format, *task_table;
    sample_files from;
    sample_seeds seeds;
    double gen_days, gen_rate; /* gen_days 0: no generated sources */
    int count, per_hour, hours, force, quiet;
    uint64_t seed;
} sample_args;

static int parse_prefix(const char *v, void *field, char *why, size_t n)
{
    if (!*v || strchr(v, '/')) {
        snprintf(why, n, "needs a file name prefix");
        return -1;
    }
    memcpy(field, &v, sizeof(v));
    return 0;
}

/* Appends the comma-separated files of v (kept as given: argv outlives the command). */
static int parse_from(const char *v, void *field, char *why, size_t n)
{
    sample_files *f = field;
    const char *p = v;

    if (!*v) {
        snprintf(why, n, "needs a file");
        return -1;
    }
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        char *copy;
        if (len == 0 || f->n == SAMPLE_MAX_SOURCES || !(copy = malloc(len + 1))) {
            snprintf(why, n, "needs files, at most %d in all, got '%s'", SAMPLE_MAX_SOURCES, v);
            return -1;
        }
        memcpy(copy, p, len);
        copy[len] = '\0';
        f->v[f->n++] = copy; /* freed by sample_args_release */
        if (!c)
            return 0;
        p = c + 1;
    }
}

/* "1-10", "3,5", "1-3,7" */
static int parse_seeds(const char *v, void *field, char *why, size_t n)
{
    sample_seeds *sd = field;
    char buf[512], *tok, *save = NULL;

    sd->n = 0;
    if (strlen(v) >= sizeof(buf) || !*v)
        goto bad;
    strcpy(buf, v);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        unsigned long long lo, hi, s;
        if (dash)
            *dash = '\0';
        if (gs__opt_u64(tok, &lo) != 0 || (dash && gs__opt_u64(dash + 1, &hi) != 0))
            goto bad;
        if (!dash)
            hi = lo;
        if (hi < lo || hi - lo >= SAMPLE_MAX_SOURCES)
            goto bad;
        for (s = lo; s <= hi; s++) {
            if (sd->n == SAMPLE_MAX_SOURCES)
                goto bad;
            sd->v[sd->n++] = s;
        }
    }
    if (sd->n > 0)
        return 0;
bad:
    snprintf(why, n, "needs seeds or ranges like '1-10' or '1,4,9' (at most %d), got '%s'",
             SAMPLE_MAX_SOURCES, v);
    return -1;
}

#define A sample_args
static const gs__opt sample_opts[] = {
    OPT_GROUP("sources (one of)"),
    OPT_STR("trace", 't', A, trace, "FILE",
            "one source trace (any ACME schema; columns by name): --count\n"
            "traces from its one window, which share its jobs"),
    OPT_CALL("from", 0, A, from, sample_files, "FILE", parse_from,
             "a source giving one trace; repeat it, or give a comma-separated\n"
             "list (at most 99 sources): independent traces"),
    OPT_DBL("generate-days", 0, A, gen_days, "D", 0, 3660, GS__OPT_OPEN_LO,
            "generated sources of D days, %r, one per seed of --seeds:\n"
            "independent traces"),
    OPT_CALL("seeds", 0, A, seeds, sample_seeds, "LIST", parse_seeds,
             "their generator seeds: '1-10', '1,4,9', '1-3,7'"),
    OPT_DBL("generate-rate", 0, A, gen_rate, "R", 0, 10000, GS__OPT_OPEN_LO,
            "their mean SFT jobs per hour, %r (default 15.2, ACME's average)"),
    OPT_CALL("format", 0, A, format, const char *, "NAME", gs__opt_trace_format,
             "format of --trace and --from: auto (default), acme, helios,\n"
             "philly, pai or sia (docs/traces.md)"),
    OPT_STR("task-table", 0, A, task_table, "FILE",
            "PAI: pai_task_table.csv (default: next to the job table)"),
    OPT_GROUP("sampling and output"),
    OPT_STR("out", 'o', A, out, "DIR", "output folder (required)"),
    OPT_INT("count", 'k', A, count, "K", 1, 99, "traces to draw from --trace, %r (default 10)"),
    OPT_INT("per-hour", 'r', A, per_hour, "N", 1, 1000000,
            "jobs per hour in each trace, %r (default 40)"),
    OPT_U64("seed", 's', A, seed, "N", "seed of the drawing, %r (default 1)"),
    OPT_INT("hours", 'H', A, hours, "H", 1, GS_SAMPLE_MAX_HOURS,
            "window length in hours, %r (default 24)"),
    OPT_STR("job-type", 'j', A, job_type, "T",
            "job types to sample: all, a list, or the format's default\n"
            "(ACME and generated sources: SFT; the others: all)"),
    OPT_CALL("prefix", 'p', A, prefix, const char *, "NAME", parse_prefix,
             "file name prefix (default 'sample')"),
    OPT_FLAG("force", 'f', A, force, "replace an existing DIR"),
    OPT_FLAG("quiet", 'q', A, quiet, "print nothing on success (warnings still go to stderr)"),
    OPT_END,
};
#undef A

static const gs__optspec sample_spec = {
    "sample",
    "usage: gpusim sample --trace FILE --out DIR [--count K] [options]\n"
    "       gpusim sample --from FILE [--from FILE ...] --out DIR [options]\n"
    "       gpusim sample --generate-days D --seeds LIST [--generate-rate R] --out DIR [options]\n"
    "\n"
    "Finds the busiest window (default 24 h) of submissions in a trace (any format), by UTC\n"
    "time, and writes traces of N jobs per hour (default 40, so 960 jobs) drawn from it, each\n"
    "hour of the window contributing in proportion to its own submissions. With --trace, K\n"
    "traces (default 10) come from its one window, so they share its jobs. For independent\n"
    "traces give one source per trace: files (--from), or traces generated on the fly as\n"
    "`gpusim gen-trace --days D --seed S --rate R` makes them (--generate-days, one per seed\n"
    "of --seeds); each gives one trace from its own busiest window.\n"
    "Jobs are drawn without replacement whenever the window holds enough; otherwise every job\n"
    "of the window is used, some more than once (a warning says how many rows repeat a job),\n"
    "the repeats getting new ids ('<id>-s<k>-<n>') and submit times within their hour.\n"
    "Output (atomically into DIR): PREFIX-01.csv ... in the Seren schema, and sample.json\n"
    "(per source: the window, its hourly counts, the plan; per trace: distinct and reused\n"
    "jobs; the seed, the command). The same inputs and seeds give the same files.\n\n",
    sample_opts,
    NULL,
    1,
};

static void sample_args_release(sample_args *a)
{
    int i;

    for (i = 0; i < a->from.n; i++)
        free((char *)a->from.v[i]);
    a->from.n = 0;
}

/* The checks across options; GS_EXIT_OK or a usage error. */
static int sample_check(sample_args *a, int argc, char **argv, int first)
{
    if (!a->trace && !a->from.n && !(a->gen_days > 0) && first < argc)
        a->trace = argv[first++];
    if (first < argc)
        return gs__usage_error("sample", "unexpected argument '%s'", argv[first]);
    if (!!a->trace + !!a->from.n + !!(a->gen_days > 0) != 1)
        return gs__usage_error("sample", "give one of --trace FILE, --from FILE... or "
                                         "--generate-days D --seeds LIST");
    if ((a->gen_days > 0) != (a->seeds.n > 0))
        return gs__usage_error("sample", "--generate-days and --seeds go together");
    if (a->gen_rate > 0 && !(a->gen_days > 0))
        return gs__usage_error("sample", "--generate-rate needs --generate-days");
    if (a->count && !a->trace)
        return gs__usage_error("sample", "--count goes with --trace; with several sources each "
                                         "gives one trace");
    if (!a->out)
        return gs__usage_error("sample", "--out DIR is required");
    if (!a->count)
        a->count = 10;
    return GS_EXIT_OK;
}

/* One source trace, in --format (a generated one: ACME), its note said unless --quiet. */
static int sample_load(const sample_args *a, const char *path, gs_trace *tr, gs_err *err)
{
    gs_trace_opts to;
    int rc;

    gs_trace_opts_init(&to);
    to.format = a->gen_days > 0 ? NULL : a->format;
    to.job_type = a->job_type;
    to.task_table = a->gen_days > 0 ? NULL : a->task_table;
    if ((rc = gs_trace_load_opts(tr, path, &to, err)) == GS_OK)
        gs__trace_note(tr, a->quiet);
    return rc;
}

/* Source i generated into a temporary file of the output folder, loaded, and removed. */
static int sample_generate(const sample_args *a, int i, const gs_outdir *od, gs_trace *tr,
                           gs_err *err)
{
    char name[64], *path;
    gs_tracegen_opts o;
    FILE *fp;
    int rc;

    snprintf(name, sizeof(name), ".source-%02d.csv", i + 1);
    if (!(path = gs_outdir_path(od, name)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    gs_tracegen_opts_init(&o);
    o.days = a->gen_days;
    o.seed = a->seeds.v[i];
    if (a->gen_rate > 0)
        o.sft_per_hour = a->gen_rate;
    if (!(fp = fopen(path, "w"))) {
        rc = gs_errorf(err, GS_EIO, "cannot write '%s'", path);
        free(path);
        return rc;
    }
    rc = gs_tracegen_write(&o, fp, NULL, err);
    if (fclose(fp) != 0 && rc == GS_OK)
        rc = gs_errorf(err, GS_EIO, "cannot write '%s'", path);
    if (rc == GS_OK)
        rc = sample_load(a, path, tr, err);
    remove(path);
    free(path);
    return rc;
}

/* One source: its trace loaded, its checksum (files), and its window. */
static int sample_load_source(const sample_args *a, int i, const gs_outdir *od, gs_trace *tr,
                              char sha[65], gs_sample_window *w, gs_err *err)
{
    int rc;

    sha[0] = '\0';
    if (a->gen_days > 0) {
        rc = sample_generate(a, i, od, tr, err);
    } else {
        const char *path = a->trace ? a->trace : a->from.v[i];
        rc = sample_load(a, path, tr, err);
        if (rc == GS_OK && (rc = gs_sha256_file(tr->path, sha, err)) != GS_OK)
            gs_trace_release(tr);
    }
    if (rc != GS_OK)
        return rc;
    if ((rc = gs_sample_find_window(tr, a->hours, a->per_hour, w, err)) != GS_OK)
        gs_trace_release(tr);
    return rc;
}

static cJSON *window_json(const gs_sample_window *w)
{
    cJSON *win = cJSON_CreateObject(), *arr;
    char ts[40];
    int h;

    if (!win)
        return NULL;
    gs_format_timestamp(ts, sizeof(ts), w->start_epoch, w->utc_offset_min);
    cJSON_AddStringToObject(win, "start", ts);
    gs_format_timestamp(ts, sizeof(ts), w->start_epoch + 3600.0 * w->hours, w->utc_offset_min);
    cJSON_AddStringToObject(win, "end", ts);
    cJSON_AddNumberToObject(win, "hours", w->hours);
    cJSON_AddNumberToObject(win, "jobs", (double)w->njobs);
    if ((arr = cJSON_AddArrayToObject(win, "hourly")) != NULL)
        for (h = 0; h < w->hours; h++)
            gs__jpush(arr, cJSON_CreateNumber((double)w->hourly[h]));
    if ((arr = cJSON_AddArrayToObject(win, "hourly_target")) != NULL)
        for (h = 0; h < w->hours; h++)
            gs__jpush(arr, cJSON_CreateNumber((double)w->target[h]));
    cJSON_AddStringToObject(win, "mode",
                            w->with_replacement ? "with reuse" : "without replacement");
    return win;
}

static void source_json(cJSON *sources, const sample_args *a, int i, const gs_trace *tr,
                        const char *sha, const gs_sample_window *w)
{
    cJSON *o = gs__jpush(sources, cJSON_CreateObject()), *gen;
    char buf[64];

    if (!o) /* noted: sample.json is not written */
        return;
    if (a->gen_days > 0) {
        gs_tracegen_opts g;
        gs_tracegen_opts_init(&g);
        if ((gen = cJSON_AddObjectToObject(o, "generated")) != NULL) {
            cJSON_AddNumberToObject(gen, "days", a->gen_days);
            snprintf(buf, sizeof(buf), "%llu", (unsigned long long)a->seeds.v[i]);
            cJSON_AddRawToObject(gen, "seed", buf);
            cJSON_AddNumberToObject(gen, "rate", a->gen_rate > 0 ? a->gen_rate : g.sft_per_hour);
        }
    } else {
        cJSON_AddStringToObject(o, "trace", tr->path);
        cJSON_AddStringToObject(o, "trace_sha256", sha);
    }
    cJSON_AddNumberToObject(o, "trace_jobs", (double)tr->njobs);
    gs__jput(o, "window", window_json(w));
}

/* The state of one `gpusim sample`: the folder, sample.json as it grows, what to say. */
typedef struct sample_run {
    gs_outdir od;
    cJSON *root, *sources, *traces, *files;
    gs__buf notes; /* warnings, printed once the folder is written */
    gs__buf said;  /* the summary, likewise */
    int reuse;
} sample_run;

static void trace_json(sample_run *s, const char *name, int source, const gs_sample_info *info)
{
    cJSON *o = gs__jpush(s->traces, cJSON_CreateObject());

    gs__jpush(s->files, cJSON_CreateString(name));
    if (!o) /* noted: sample.json is not written */
        return;
    cJSON_AddStringToObject(o, "file", name);
    cJSON_AddNumberToObject(o, "source", source);
    cJSON_AddNumberToObject(o, "jobs", (double)info->jobs);
    cJSON_AddNumberToObject(o, "distinct_jobs", (double)info->distinct);
    cJSON_AddNumberToObject(o, "reused_jobs", (double)info->reused);
}

/* Trace k from the window w of source i: the file, its record and what to say about it. */
static int sample_one(sample_run *s, const sample_args *a, int i, int k, const gs_trace *tr,
                      const gs_sample_window *w, gs_err *err)
{
    char name[300], ts[40];
    gs_sample_info info;
    FILE *fp;
    int rc;

    snprintf(name, sizeof(name), "%s-%02d.csv", a->prefix, k);
    if (!(fp = gs_outdir_fopen(&s->od, name, err)))
        return err->code;
    rc = gs_sample_write(tr, w, k, a->seed, fp, &info, err);
    if (fclose(fp) != 0 && rc == GS_OK)
        rc = gs_errorf(err, GS_EIO, "cannot write '%s/%s'", a->out, name);
    if (rc != GS_OK)
        return rc;
    trace_json(s, name, i + 1, &info);
    gs_format_timestamp(ts, sizeof(ts), w->start_epoch, w->utc_offset_min);
    if (gs__buf_printf(&s->said,
                       "%s: %zu jobs from the busiest %d h (from %s, %zu jobs), %zu distinct%s\n",
                       name, info.jobs, w->hours, ts, w->njobs, info.distinct,
                       info.reused ? "" : ", drawn without replacement") != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (info.reused) {
        s->reuse = 1;
        return gs__buf_printf(
                   &s->notes,
                   "gpusim: warning: %s: the busiest %d h of source %d hold %zu jobs for %zu: "
                   "%zu rows reuse a job (%zu distinct); use a longer or busier source, or "
                   "fewer jobs per hour\n",
                   name, w->hours, i + 1, w->njobs, info.jobs, info.reused, info.distinct) == GS_OK
                   ? GS_OK
                   : gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    return GS_OK;
}

/* The traces of source i (ntr of them, numbered from k0) into the folder. */
static int sample_source(sample_run *s, const sample_args *a, int i, int k0, int ntr, gs_err *err)
{
    gs_trace tr;
    gs_sample_window w;
    char sha[65];
    int k, rc;

    memset(&tr, 0, sizeof(tr));
    if ((rc = sample_load_source(a, i, &s->od, &tr, sha, &w, err)) != GS_OK)
        return rc;
    source_json(s->sources, a, i, &tr, sha, &w);
    if (i == 0) {
        /* the job types sampled: --job-type, or the first source's format's default; replaced in
         * place (the key keeps its position); a failure was an allocation's, already noted */
        cJSON *jt = cJSON_CreateString(tr.job_type);
        if (jt && !cJSON_ReplaceItemInObject(s->root, "job_type", jt))
            cJSON_Delete(jt);
    }
    for (k = k0; k < k0 + ntr && rc == GS_OK; k++)
        rc = sample_one(s, a, i, k, &tr, &w, err);
    gs_trace_release(&tr);
    return rc;
}

static int sample_finish(sample_run *s, const sample_args *a, int argc, char **argv, gs_err *err)
{
    char buf[32], *cmdline, *text;
    int rc;

    cJSON_AddStringToObject(s->root, "mode", s->reuse ? "with reuse" : "without replacement");
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)a->seed);
    cJSON_AddRawToObject(s->root, "seed", buf);
    if (!(cmdline = gs__command_line(argc, argv, "gpusim sample"))) {
        gs_outdir_abort(&s->od);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    cJSON_AddStringToObject(s->root, "command", cmdline);
    free(cmdline);
    if (!(text = gs__jprint(s->root, 1, err))) { /* NULL also when the tree was built short */
        gs_outdir_abort(&s->od);
        return err->code ? err->code : gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    rc = gs_outdir_write_text(&s->od, "sample.json", text, err);
    free(text);
    if (rc == GS_OK)
        rc = gs_outdir_commit(&s->od, err); /* commit cleans up when it fails */
    else
        gs_outdir_abort(&s->od);
    return rc;
}

/* Every source's traces and sample.json, into a->out. */
static int sample_all(sample_run *s, const sample_args *a, int argc, char **argv, gs_err *err)
{
    int i, k = 1, rc, nsrc = a->trace ? 1 : a->from.n ? a->from.n : a->seeds.n;

    if ((rc = gs_outdir_begin(&s->od, a->out, a->force, err)) != GS_OK)
        return rc;
    if ((s->root = cJSON_CreateObject()) != NULL) {
        cJSON_AddStringToObject(s->root, "job_type", a->job_type ? a->job_type : "");
        cJSON_AddNumberToObject(s->root, "per_hour", a->per_hour);
        cJSON_AddNumberToObject(s->root, "hours", a->hours);
        s->sources = cJSON_AddArrayToObject(s->root, "sources");
        s->traces = cJSON_AddArrayToObject(s->root, "traces");
        s->files = cJSON_AddArrayToObject(s->root, "files");
    }
    rc = s->sources && s->traces && s->files ? GS_OK : gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < nsrc && rc == GS_OK; i++) {
        int ntr = a->trace ? a->count : 1;
        rc = sample_source(s, a, i, k, ntr, err);
        k += ntr;
    }
    if (rc != GS_OK) {
        gs_outdir_abort(&s->od);
        return rc;
    }
    return sample_finish(s, a, argc, argv, err);
}

int gs__cmd_sample(int argc, char **argv)
{
    sample_args a = {.prefix = "sample", .per_hour = 40, .hours = 24, .seed = 1};
    sample_run s;
    gs_err err = {0};
    int status, first;

    memset(&s, 0, sizeof(s));
    if ((status = gs__opt_parse(&sample_spec, &a, argc, argv, &first)) != GS__OPT_GO ||
        (status = sample_check(&a, argc, argv, first)) != GS_EXIT_OK) {
        sample_args_release(&a);
        return status;
    }
    status = sample_all(&s, &a, argc, argv, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    if (status == GS_EXIT_OK) {
        if (s.notes.data)
            fputs(s.notes.data, stderr);
        if (!a.quiet && s.said.data)
            printf("%s%d trace(s) of %ld jobs into %s/\n", s.said.data,
                   a.trace    ? a.count
                   : a.from.n ? a.from.n
                              : a.seeds.n,
                   (long)a.per_hour * a.hours, a.out);
    }
    cJSON_Delete(s.root);
    gs__buf_release(&s.notes);
    gs__buf_release(&s.said);
    sample_args_release(&a);
    return gs__finish_stdout(status);
}
