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
            "Gaussian-copula correlation of gpu_num and duration, %r\n"
            "(default 0: independent; see docs/traces.md)"),
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
    "gpu_num inside the box plot with fitted tails,\n"
    "duration and queue as mixtures of log-normals, states from the cluster summary, arrivals\n"
    "with a daily cycle, quieter weekends and day-to-day variation. The same options give\n"
    "the same bytes. Models, sources and assumptions: docs/traces.md. (The models are fitted\n"
    "by the developer tool tools/fit_tracegen: scripts/calibrate_traces.sh.)\n\n",
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

static char *sample_meta(const gs_trace *tr, const char *sha, const gs_sample_window *w, int count,
                         uint64_t seed, const char *prefix, const char *cmdline)
{
    cJSON *root = cJSON_CreateObject(), *win, *arr;
    char ts[40], buf[64], *text;
    int h, k;

    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "trace", tr->path);
    cJSON_AddStringToObject(root, "trace_sha256", sha);
    cJSON_AddStringToObject(root, "job_type", tr->job_type);
    cJSON_AddNumberToObject(root, "trace_jobs", (double)tr->njobs);
    win = cJSON_AddObjectToObject(root, "window");
    if (win) {
        gs_format_timestamp(ts, sizeof(ts), w->start_epoch, w->utc_offset_min);
        cJSON_AddStringToObject(win, "start", ts);
        gs_format_timestamp(ts, sizeof(ts), w->start_epoch + 3600.0 * w->hours, w->utc_offset_min);
        cJSON_AddStringToObject(win, "end", ts);
        cJSON_AddNumberToObject(win, "hours", w->hours);
        cJSON_AddNumberToObject(win, "jobs", (double)w->njobs);
        if ((arr = cJSON_AddArrayToObject(win, "hourly")) != NULL)
            for (h = 0; h < w->hours; h++)
                cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)w->hourly[h]));
    }
    cJSON_AddNumberToObject(root, "per_hour", w->per_hour);
    if ((arr = cJSON_AddArrayToObject(root, "hourly_target")) != NULL)
        for (h = 0; h < w->hours; h++)
            cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)w->target[h]));
    cJSON_AddStringToObject(root, "mode",
                            w->with_replacement ? "with replacement" : "without replacement");
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)seed);
    cJSON_AddRawToObject(root, "seed", buf);
    if ((arr = cJSON_AddArrayToObject(root, "files")) != NULL)
        for (k = 1; k <= count; k++) {
            snprintf(buf, sizeof(buf), "%s-%02d.csv", prefix, k);
            cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
        }
    cJSON_AddStringToObject(root, "command", cmdline ? cmdline : "");
    text = gs__jprint(root, 1, NULL); /* NULL also when the tree was built short */
    cJSON_Delete(root);
    return text;
}

typedef struct sample_args {
    const char *trace, *out, *job_type, *prefix, *format, *task_table;
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

#define A sample_args
static const gs__opt sample_opts[] = {
    OPT_STR("trace", 't', A, trace, "FILE",
            "input trace (ACME, Helios, Philly or PAI; docs/traces.md)"),
    OPT_CALL("format", 0, A, format, const char *, "NAME", gs__opt_trace_format,
             "trace format: auto (default), acme, helios, philly, pai or sia"),
    OPT_STR("task-table", 0, A, task_table, "FILE",
            "PAI: pai_task_table.csv (default: next to the job table)"),
    OPT_STR("out", 'o', A, out, "DIR", "output folder"),
    OPT_INT("count", 'k', A, count, "K", 1, 99, "traces to write, %r (default 10)"),
    OPT_INT("per-hour", 'r', A, per_hour, "N", 1, 1000000,
            "jobs per hour in each trace, %r (default 40)"),
    OPT_U64("seed", 's', A, seed, "N", "seed, %r (default 1)"),
    OPT_INT("hours", 'H', A, hours, "H", 1, GS_SAMPLE_MAX_HOURS,
            "window length in hours, %r (default 24)"),
    OPT_STR("job-type", 'j', A, job_type, "T",
            "job types to sample: all, a list, or the format's default\n"
            "(ACME: SFT; the others: all)"),
    OPT_CALL("prefix", 'p', A, prefix, const char *, "NAME", parse_prefix,
             "file name prefix (default 'sample')"),
    OPT_FLAG("force", 'f', A, force, "replace an existing DIR"),
    OPT_FLAG("quiet", 'q', A, quiet, "print nothing on success"),
    OPT_END,
};
#undef A

static const gs__optspec sample_spec = {
    "sample",
    "usage: gpusim sample --trace FILE --out DIR [--count K] [--per-hour N] [--seed N] "
    "[options]\n\n"
    "Finds the busiest window (default 24 h) of submissions in a trace (any format), by UTC\n"
    "time, and writes K traces (default 10) of N jobs per hour (default 40, so 960 jobs) drawn\n"
    "from it, each hour of the window contributing in proportion to its own submissions.\n"
    "When the window holds enough jobs, each trace is a random subset of its rows; otherwise\n"
    "jobs are drawn with replacement and get new ids ('<id>-s<k>-<n>') and submit times within\n"
    "their hour. Output (atomically into DIR): PREFIX-01.csv ... in the Seren schema, and\n"
    "sample.json (the window, its hourly counts, the plan, the seed). The same inputs and\n"
    "seed give the same files.\n\n",
    sample_opts,
    NULL,
    1,
};

/* The K traces and sample.json into the open folder od. */
static int sample_write(const sample_args *a, const gs_trace *tr, const char *sha,
                        const gs_sample_window *w, gs_outdir *od, const char *cmdline, gs_err *err)
{
    char name[300], *meta;
    FILE *fp;
    int k, rc;

    for (k = 1; k <= a->count; k++) {
        snprintf(name, sizeof(name), "%s-%02d.csv", a->prefix, k);
        if (!(fp = gs_outdir_fopen(od, name, err)))
            return err->code;
        rc = gs_sample_write(tr, w, k, a->seed, fp, err);
        if (fclose(fp) != 0 && rc == GS_OK)
            rc = gs_errorf(err, GS_EIO, "cannot write '%s/%s'", a->out, name);
        if (rc != GS_OK)
            return rc;
    }
    if (!(meta = sample_meta(tr, sha, w, a->count, a->seed, a->prefix, cmdline)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    rc = gs_outdir_write_text(od, "sample.json", meta, err);
    free(meta);
    return rc;
}

static void sample_report(const sample_args *a, const gs_trace *tr, const gs_sample_window *w)
{
    char t0[40];

    gs_format_timestamp(t0, sizeof(t0), w->start_epoch, w->utc_offset_min);
    printf("busiest %d h from %s: %zu %s jobs (%.1f per hour; trace average %.1f); %d traces of "
           "%ld jobs %s into %s/\n",
           w->hours, t0, w->njobs, tr->job_type, (double)w->njobs / w->hours,
           tr->njobs > 1 && tr->jobs[tr->njobs - 1].submit > 0
               ? 3600.0 * (double)tr->njobs / tr->jobs[tr->njobs - 1].submit
               : (double)tr->njobs,
           a->count, (long)a->per_hour * w->hours,
           w->with_replacement ? "drawn with replacement" : "drawn without replacement", a->out);
}

int gs__cmd_sample(int argc, char **argv)
{
    sample_args a = {.prefix = "sample", .count = 10, .per_hour = 40, .hours = 24, .seed = 1};
    gs_trace_opts to;
    gs_err err = {0};
    gs_trace tr;
    gs_sample_window w;
    gs_outdir od;
    char sha[65], *cmdline = NULL;
    int status, first;

    memset(&tr, 0, sizeof(tr));
    if ((status = gs__opt_parse(&sample_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!a.trace && first < argc)
        a.trace = argv[first++];
    if (first < argc)
        return gs__usage_error("sample", "unexpected argument '%s'", argv[first]);
    if (!a.trace)
        return gs__usage_error("sample", "--trace FILE is required");
    if (!a.out)
        return gs__usage_error("sample", "--out DIR is required");
    gs_trace_opts_init(&to);
    to.format = a.format;
    to.job_type = a.job_type;
    to.task_table = a.task_table;
    if (!(cmdline = gs__command_line(argc, argv, "gpusim sample")) ||
        gs_outdir_check(a.out, a.force, &err) != GS_OK ||
        gs_trace_load_opts(&tr, a.trace, &to, &err) != GS_OK ||
        (gs__trace_note(&tr, a.quiet), gs_sha256_file(tr.path, sha, &err)) != GS_OK ||
        gs_sample_find_window(&tr, a.hours, a.per_hour, &w, &err) != GS_OK ||
        gs_outdir_begin(&od, a.out, a.force, &err) != GS_OK) {
        if (!cmdline)
            gs_errorf(&err, GS_ENOMEM, "out of memory");
        status = gs__fail(&err);
    } else if (sample_write(&a, &tr, sha, &w, &od, cmdline, &err) != GS_OK) {
        gs_outdir_abort(&od);
        status = gs__fail(&err);
    } else if (gs_outdir_commit(&od, &err) != GS_OK) { /* commit cleans up when it fails */
        status = gs__fail(&err);
    } else {
        if (!a.quiet)
            sample_report(&a, &tr, &w);
        status = GS_EXIT_OK;
    }
    free(cmdline);
    gs_trace_release(&tr);
    return gs__finish_stdout(status);
}
