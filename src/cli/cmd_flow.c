/* SPDX-License-Identifier: Apache-2.0 */
/* Research workflow subcommands: `merge` (a sweep's result folders into tables) and `arrivals`
 * (a trace's submissions per time bin, for plots). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/io.h"
#include "gpusim/limits.h"
#include "gpusim/merge.h"
#include "gpusim/trace.h"
#include "util_int.h"

/* ---- merge ---- */

typedef struct merge_args {
    const char *out, *jobs, *cdf, *band, *by;
} merge_args;

static const gs__opt merge_opts[] = {
    OPT_STR("out", 'o', merge_args, out, "FILE",
            "the runs table: one row per run, its parameters then its\n"
            "metrics as columns (default: standard output)"),
    OPT_STR("jobs", 'j', merge_args, jobs, "FILE",
            "every run's jobs.csv rows, the run's parameters prepended"),
    OPT_STR("cdf", 'c', merge_args, cdf, "FILE",
            "JCT CDF of the pooled jobs of each group of runs: <by>,jct,fraction"),
    OPT_STR("cdf-band", 0, merge_args, band, "FILE",
            "the spread of the runs' CDFs in each group: <by>,jct,mean,lo,hi,runs\n"
            "(200 JCTs on a log scale; the mean fraction of a run's jobs done by\n"
            "then, with its 95% bootstrap interval over the group's runs)"),
    OPT_STR("by", 'b', merge_args, by, "COLUMN",
            "the parameter column that groups runs for --cdf and --cdf-band\n"
            "(default policy; e.g. knowledge_error, trace, seed, param.<key>, run)"),
    OPT_END,
};

static const gs__optspec merge_spec = {
    "merge",
    "usage: gpusim merge [-o FILE] [--jobs FILE] [--cdf FILE] [--cdf-band FILE] [--by COLUMN]\n"
    "                    DIR...\n"
    "\n"
    "Gathers the result folders of a sweep into tables ready for pandas or R. Each DIR is\n"
    "a result folder or a folder searched for them (folders holding summary.json; names\n"
    "starting with '.', the temporary folders of unfinished runs, are skipped).\n\n",
    merge_opts,
    "Files are written atomically. Column order is fixed (docs/workflow.md lists it); numbers\n"
    "are copied as written in summary.json.\n"
    "\n"
    "Exit status: 0 success, 1 a missing or broken result folder (file and line named), 2 a\n"
    "usage error.\n",
    -1,
};

/* The four tables, each written in full before any takes its name. */
static int merge_write(const merge_args *a, gs_merge *m, gs_outfile *f, gs_err *err)
{
    int i;

    if (gs_outfile_open(&f[0], a->out, err) != GS_OK || gs_merge_write_runs(m, f[0].fp, err))
        return err->code;
    if (a->jobs &&
        (gs_outfile_open(&f[1], a->jobs, err) != GS_OK || gs_merge_write_jobs(m, f[1].fp, err)))
        return err->code;
    if (a->cdf && (gs_outfile_open(&f[2], a->cdf, err) != GS_OK ||
                   gs_merge_write_cdf(m, a->by, f[2].fp, err) != GS_OK))
        return err->code;
    if (a->band && (gs_outfile_open(&f[3], a->band, err) != GS_OK ||
                    gs_merge_write_cdf_band(m, a->by, 200, 0.95, f[3].fp, err) != GS_OK))
        return err->code;
    /* ... and then they take their names as one step: an interrupt lands before or after all */
    gs_io_hold_signals();
    for (i = 0; i < 4; i++)
        if (f[i].fp && gs_outfile_commit(&f[i], err) != GS_OK) {
            gs_io_release_signals();
            return err->code;
        }
    gs_io_release_signals();
    return GS_OK;
}

int gs__cmd_merge(int argc, char **argv)
{
    merge_args a = {.out = "-"};
    gs_outfile f[4];
    gs_merge *m = NULL;
    gs_err err = {0};
    int i, status, first;

    memset(f, 0, sizeof(f));
    if ((status = gs__opt_parse(&merge_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (first >= argc)
        return gs__usage_error("merge", "no result folder given");
    if (a.by && !a.cdf && !a.band)
        return gs__usage_error("merge", "--by groups the runs of --cdf or --cdf-band; give one");
    if (!strcmp(a.out, "-") + (a.jobs && !strcmp(a.jobs, "-")) + (a.cdf && !strcmp(a.cdf, "-")) +
            (a.band && !strcmp(a.band, "-")) >
        1)
        return gs__usage_error("merge", "only one table can go to standard output; name the "
                                        "others' files (-o, --jobs, --cdf, --cdf-band)");
    if (!a.by)
        a.by = "policy";
    status = GS_EXIT_FAIL;
    /* the outputs are checked before any folder is read */
    if (gs_outfile_check(a.out, &err) == GS_OK && (!a.jobs || !gs_outfile_check(a.jobs, &err)) &&
        (!a.cdf || !gs_outfile_check(a.cdf, &err)) && (m = gs_merge_new(&err)) != NULL) {
        for (i = first; i < argc && gs_merge_add(m, argv[i], &err) == GS_OK; i++)
            ;
        if (i == argc && merge_write(&a, m, f, &err) == GS_OK)
            status = GS_EXIT_OK;
    }
    if (status != GS_EXIT_OK) {
        for (i = 0; i < 4; i++)
            if (f[i].fp)
                gs_outfile_abort(&f[i]);
        gs__fail(&err);
    }
    gs_merge_free(m);
    return gs__finish_stdout(status);
}

/* ---- arrivals ---- */

typedef struct arrivals_args {
    const char *trace, *job_type, *out, *format, *task_table;
    double bin;
    int quiet;
} arrivals_args;

static const gs__opt arrivals_opts[] = {
    OPT_STR("trace", 't', arrivals_args, trace, "FILE", "the trace (required)"),
    OPT_STR("job-type", 'j', arrivals_args, job_type, "T",
            "job types to count: all, a list, or the format's default\n"
            "(ACME: SFT; the others: all)"),
    OPT_CALL("format", 0, arrivals_args, format, const char *, "NAME", gs__opt_trace_format,
             "trace format: auto (default), acme, helios, philly, pai or sia"),
    OPT_STR("task-table", 0, arrivals_args, task_table, "FILE",
            "PAI: pai_task_table.csv (default: next to the job table)"),
    OPT_FLAG("quiet", 'q', arrivals_args, quiet, "no note of the detected format on stderr"),
    OPT_DBL("bin", 'b', arrivals_args, bin, "SECONDS", 1, GS_TIME_MAX, 0,
            "width of a bin, %r (default 3600)"),
    OPT_STR("out", 'o', arrivals_args, out, "FILE", "write atomically to FILE (default: stdout)"),
    OPT_END,
};

static const gs__optspec arrivals_spec = {
    "arrivals",
    "usage: gpusim arrivals --trace FILE [--job-type T] [--bin SECONDS] [-o FILE]\n\n"
    "Counts the submissions of a trace's jobs (those `run` keeps: ACME's SFT, every job of\n"
    "the other formats)\n"
    "per time bin (default 3600 s) from the first one, empty bins included, as CSV:\n"
    "  hour     start of the bin, hours since the first submission\n"
    "  start    start of the bin as a timestamp, at the first job's UTC offset\n"
    "  jobs     submissions in the bin\n"
    "scripts/plot_arrivals.sh draws it.\n\n",
    arrivals_opts,
    NULL,
    0,
};

/* The table of a loaded trace into of. */
static int arrivals_write(const gs_trace *tr, double bin, gs_outfile *of, gs_err *err)
{
    size_t nb, i;
    long *count;

    if (tr->jobs[tr->njobs - 1].submit / bin >= 1e7) /* memory and output stay bounded */
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' spans %.0f s: more than 10^7 bins of %g s; give a larger "
                         "--bin",
                         tr->path, tr->jobs[tr->njobs - 1].submit, bin);
    nb = (size_t)floor(tr->jobs[tr->njobs - 1].submit / bin) + 1;
    if (!(count = calloc(nb, sizeof(*count))))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < tr->njobs; i++) {
        size_t b = (size_t)floor(tr->jobs[i].submit / bin);
        count[b < nb ? b : nb - 1]++;
    }
    fputs("hour,start,jobs\n", of->fp);
    for (i = 0; i < nb; i++) {
        char h[64], ts[40];
        gs__fmt_double(h, sizeof(h), (double)i * bin / 3600.0);
        gs_format_timestamp(ts, sizeof(ts), tr->t0_epoch + (double)i * bin,
                            tr->jobs[0].utc_offset_min);
        fprintf(of->fp, "%s,%s,%ld\n", h, ts, count[i]);
    }
    free(count);
    return GS_OK;
}

int gs__cmd_arrivals(int argc, char **argv)
{
    arrivals_args a = {.out = "-", .bin = 3600};
    gs_trace_opts to;
    gs_trace tr;
    gs_outfile of;
    gs_err err = {0};
    int status, first;

    memset(&tr, 0, sizeof(tr));
    memset(&of, 0, sizeof(of));
    if ((status = gs__opt_parse(&arrivals_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!a.trace)
        return gs__usage_error("arrivals", "missing --trace FILE");
    gs_trace_opts_init(&to);
    to.format = a.format;
    to.job_type = a.job_type;
    to.task_table = a.task_table;
    if (gs_outfile_check(a.out, &err) == GS_OK &&
        gs_trace_load_opts(&tr, a.trace, &to, &err) == GS_OK &&
        (gs__trace_note(&tr, a.quiet), gs_outfile_open(&of, a.out, &err)) == GS_OK &&
        arrivals_write(&tr, a.bin, &of, &err) == GS_OK && gs_outfile_commit(&of, &err) == GS_OK) {
        status = GS_EXIT_OK;
    } else {
        if (of.fp)
            gs_outfile_abort(&of);
        status = gs__fail(&err);
    }
    gs_trace_release(&tr);
    return gs__finish_stdout(status);
}
