/* SPDX-License-Identifier: Apache-2.0 */
/* Research workflow subcommands: `merge` (a sweep's result folders into tables) and `arrivals`
 * (a trace's submissions per time bin, for plots). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/io.h"
#include "gpusim/merge.h"
#include "gpusim/trace.h"
#include "util_int.h"

static void merge_usage(FILE *fp)
{
    fprintf(fp,
            "usage: gpusim merge [-o FILE] [--jobs FILE] [--cdf FILE [--by COLUMN]] DIR...\n"
            "\n"
            "Gathers the result folders of a sweep into tables ready for pandas or R. Each DIR is\n"
            "a result folder or a folder searched for them (folders holding summary.json; names\n"
            "starting with '.', the temporary folders of unfinished runs, are skipped).\n"
            "\n"
            "  -o, --out FILE     the runs table: one row per run, its parameters then its\n"
            "                     metrics as columns (default: standard output)\n"
            "  -j, --jobs FILE    every run's jobs.csv rows, the run's parameters prepended\n"
            "  -c, --cdf FILE     JCT CDF of the pooled jobs of each group of runs: "
            "<by>,jct,fraction\n"
            "  -b, --by COLUMN    the parameter column that groups runs for --cdf (default "
            "policy;\n"
            "                     e.g. knowledge_error, trace, seed, param.<key>, run)\n"
            "  -h, --help         show this help\n"
            "\n"
            "Files are written atomically. Column order is fixed (docs/workflow.md lists it); "
            "numbers\n"
            "are copied as written in summary.json.\n"
            "\n"
            "Exit status: 0 success, 1 a missing or broken result folder (file and line named), "
            "2 a\n"
            "usage error.\n");
}

int gs__cmd_merge(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"cdf", required_argument, NULL, 'c'}, {"by", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    const char *out = "-", *jobs = NULL, *cdf = NULL, *by = NULL;
    gs_outfile fo, fj, fc;
    gs_merge *m = NULL;
    gs_err err = {0};
    int c, i, status = GS_EXIT_FAIL;

    memset(&fo, 0, sizeof(fo));
    memset(&fj, 0, sizeof(fj));
    memset(&fc, 0, sizeof(fc));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:c:b:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'j':
            jobs = optarg;
            break;
        case 'c':
            cdf = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'h':
            merge_usage(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("merge", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("merge", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return gs__usage_error("merge", "no result folder given");
    if (by && !cdf)
        return gs__usage_error("merge", "--by groups the runs of --cdf; give --cdf FILE too");
    if (!strcmp(out, "-") + (jobs && !strcmp(jobs, "-")) + (cdf && !strcmp(cdf, "-")) > 1)
        return gs__usage_error("merge", "only one table can go to standard output; name the "
                                        "others' files (-o, --jobs, --cdf)");
    if (!by)
        by = "policy";
    if (gs_outfile_check(out, &err) != GS_OK || (jobs && gs_outfile_check(jobs, &err)) ||
        (cdf && gs_outfile_check(cdf, &err)))
        goto out;
    if (!(m = gs_merge_new(&err)))
        goto out;
    for (i = optind; i < argc; i++)
        if (gs_merge_add(m, argv[i], &err) != GS_OK)
            goto out;
    if (gs_outfile_open(&fo, out, &err) != GS_OK || gs_merge_write_runs(m, fo.fp, &err) != GS_OK)
        goto out;
    if (jobs &&
        (gs_outfile_open(&fj, jobs, &err) != GS_OK || gs_merge_write_jobs(m, fj.fp, &err) != GS_OK))
        goto out;
    if (cdf && (gs_outfile_open(&fc, cdf, &err) != GS_OK ||
                gs_merge_write_cdf(m, by, fc.fp, &err) != GS_OK))
        goto out;
    /* every table was written in full: only now do they take their names, as one step */
    gs_io_hold_signals();
    if (gs_outfile_commit(&fo, &err) != GS_OK || (fj.fp && gs_outfile_commit(&fj, &err)) ||
        (fc.fp && gs_outfile_commit(&fc, &err))) {
        gs_io_release_signals();
        goto out;
    }
    gs_io_release_signals();
    status = GS_EXIT_OK;
out:
    if (status != GS_EXIT_OK) {
        if (fo.fp)
            gs_outfile_abort(&fo);
        if (fj.fp)
            gs_outfile_abort(&fj);
        if (fc.fp)
            gs_outfile_abort(&fc);
        gs__fail(&err);
    }
    gs_merge_free(m);
    return gs__finish_stdout(status);
}

int gs__cmd_arrivals(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"trace", required_argument, NULL, 't'}, {"job-type", required_argument, NULL, 'j'},
        {"bin", required_argument, NULL, 'b'},   {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *trace = NULL, *job_type = "SFT", *out = "-";
    double bin = 3600;
    gs_trace tr;
    gs_outfile of;
    gs_err err = {0};
    long *count = NULL;
    size_t nb, i;
    int c, status = GS_EXIT_FAIL;

    memset(&tr, 0, sizeof(tr));
    memset(&of, 0, sizeof(of));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:j:b:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            trace = optarg;
            break;
        case 'j':
            job_type = optarg;
            break;
        case 'b':
            if (gs__opt_double(optarg, &bin) != 0 || !(bin >= 1))
                return gs__usage_error("arrivals", "--bin needs a number of seconds >= 1, got '%s'",
                                       optarg);
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("usage: gpusim arrivals --trace FILE [--job-type T] [--bin SECONDS] [-o FILE]"
                   "\n\n"
                   "Counts the submissions of a trace's jobs (type SFT by default, as `run` keeps"
                   ")\nper time bin (default 3600 s) from the first one, empty bins included, as "
                   "CSV:\n"
                   "  hour     start of the bin, hours since the first submission\n"
                   "  start    start of the bin as a timestamp, at the first job's UTC offset\n"
                   "  jobs     submissions in the bin\n"
                   "scripts/plot_arrivals.sh draws it.\n");
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("arrivals", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("arrivals", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs__usage_error("arrivals", "unexpected argument '%s'", argv[optind]);
    if (!trace)
        return gs__usage_error("arrivals", "missing --trace FILE");
    if (gs_outfile_check(out, &err) != GS_OK || gs_trace_load(&tr, trace, job_type, &err) != GS_OK)
        goto out;
    if (tr.jobs[tr.njobs - 1].submit / bin >= 1e7) { /* memory and output stay bounded */
        gs_errorf(&err, GS_EINVAL,
                  "trace '%s' spans %.0f s: more than 10^7 bins of %g s; give a larger --bin",
                  trace, tr.jobs[tr.njobs - 1].submit, bin);
        goto out;
    }
    nb = (size_t)floor(tr.jobs[tr.njobs - 1].submit / bin) + 1;
    count = calloc(nb, sizeof(*count));
    if (!count) {
        gs_errorf(&err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < tr.njobs; i++) {
        size_t b = (size_t)floor(tr.jobs[i].submit / bin);
        count[b < nb ? b : nb - 1]++;
    }
    if (gs_outfile_open(&of, out, &err) != GS_OK)
        goto out;
    fputs("hour,start,jobs\n", of.fp);
    for (i = 0; i < nb; i++) {
        char h[64], ts[40];
        gs__fmt_double(h, sizeof(h), (double)i * bin / 3600.0);
        gs_format_timestamp(ts, sizeof(ts), tr.t0_epoch + (double)i * bin,
                            tr.jobs[0].utc_offset_min);
        fprintf(of.fp, "%s,%s,%ld\n", h, ts, count[i]);
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        goto out;
    status = GS_EXIT_OK;
out:
    if (status != GS_EXIT_OK) {
        if (of.fp)
            gs_outfile_abort(&of);
        gs__fail(&err);
    }
    free(count);
    gs_trace_release(&tr);
    return gs__finish_stdout(status);
}
