/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim gen-trace` (synthetic ACME traces) and `gpusim sample` (experiment traces from the
 * busiest window of a trace). */
#include <cJSON.h>
#include <getopt.h>
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
#include "tracegen_int.h"
#include "util_int.h"

enum {
    OPT_DAYS = 256,
    OPT_TYPES,
    OPT_START,
    OPT_DIURNAL,
    OPT_WEEKEND,
    OPT_DAY_SIGMA,
    OPT_CORR,
    OPT_DESCRIBE,
    OPT_CALIBRATE
};

static void gen_usage(void)
{
    printf("usage: gpusim gen-trace [--out FILE] [--jobs N | --days D] [--seed N] [options]\n\n"
           "Writes a synthetic trace in the exact ACME Seren schema (job_id,user,node_num,gpu_num,"
           "\ncpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time) "
           "from models\nfitted to the published ACME figures: gpu_num inside the box plot "
           "with fitted tails,\nduration and queue as mixtures of log-normals, states from the "
           "cluster summary, arrivals\nwith a daily cycle, quieter weekends and day-to-day "
           "variation. The same options give\nthe same bytes. Models, sources and assumptions: "
           "docs/traces.md.\n\n"
           "  -o, --out FILE       where to write, atomically (default '-': stdout)\n"
           "  -n, --jobs N         exactly N jobs (default: as many as --days give)\n"
           "      --days D         days of submissions when --jobs is not given (default 28)\n"
           "  -s, --seed N         seed (default 1)\n"
           "  -r, --rate R         mean SFT jobs per hour (default 15.2, ACME's average)\n"
           "      --types sft|all  only SFT (default), or every GPU job type in its published "
           "share\n"
           "      --start TIME     first hour, 'YYYY-MM-DD hh:mm:ss+hh:mm' (default "
           "'2023-03-01 00:00:00+08:00');\n"
           "                       its UTC offset is written and sets the local time of day\n"
           "      --diurnal A      amplitude of the daily cycle in [0, 1) (default 0.5)\n"
           "      --weekend F      weekend rate relative to weekdays (default 0.7)\n"
           "      --day-sigma S    log-normal day-to-day variation (default 0.35)\n"
           "      --corr RHO       Gaussian-copula correlation of gpu_num and duration in "
           "(-1, 1)\n"
           "                       (default 0: independent; see docs/traces.md)\n"
           "      --describe       print the fitted distributions and exit\n"
           "      --calibrate DIR  fit the models to the ACME figure files in DIR (or\n"
           "                       DIR/from_figures) and write their parameters as C to --out\n"
           "                       (src/core/tracegen_params.h; scripts/calibrate_traces.sh)\n"
           "  -q, --quiet          no summary on stderr\n"
           "  -h, --help           show this help\n");
}

int gs__cmd_gen_trace(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, OPT_DAYS},
        {"seed", required_argument, NULL, 's'},
        {"rate", required_argument, NULL, 'r'},
        {"types", required_argument, NULL, OPT_TYPES},
        {"start", required_argument, NULL, OPT_START},
        {"diurnal", required_argument, NULL, OPT_DIURNAL},
        {"weekend", required_argument, NULL, OPT_WEEKEND},
        {"day-sigma", required_argument, NULL, OPT_DAY_SIGMA},
        {"corr", required_argument, NULL, OPT_CORR},
        {"describe", no_argument, NULL, OPT_DESCRIBE},
        {"calibrate", required_argument, NULL, OPT_CALIBRATE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "-", *calibrate = NULL;
    gs_tracegen_opts o;
    gs_tracegen_stats st;
    gs_outfile of;
    gs_err err = {0};
    int c, quiet = 0, have_days = 0;
    unsigned long long u;
    double v;

    gs_tracegen_opts_init(&o);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:n:s:r:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            if (gs__opt_u64(optarg, &u) != 0 || u < 1 || u > 100000000ull)
                return gs__usage_error("gen-trace", "--jobs needs an integer in [1, 1e8], got '%s'",
                                       optarg);
            o.jobs = (long)u;
            break;
        case OPT_DAYS:
            if (gs__opt_double(optarg, &v) != 0 || !(v > 0 && v <= GS_TIME_MAX / 86400))
                return gs__usage_error("gen-trace",
                                       "--days needs a number in (0, 3652.5] (ten years), got '%s'",
                                       optarg);
            o.days = v;
            have_days = 1;
            break;
        case 's':
            if (gs__opt_u64(optarg, &u) != 0)
                return gs__usage_error("gen-trace", "--seed needs a non-negative integer, got '%s'",
                                       optarg);
            o.seed = u;
            break;
        case 'r':
            if (gs__opt_double(optarg, &v) != 0 || !(v > 0 && v <= 1e6))
                return gs__usage_error("gen-trace", "--rate needs a number in (0, 1e6], got '%s'",
                                       optarg);
            o.sft_per_hour = v;
            break;
        case OPT_TYPES:
            if (!strcmp(optarg, "sft") || !strcmp(optarg, "SFT"))
                o.all_types = 0;
            else if (!strcmp(optarg, "all"))
                o.all_types = 1;
            else
                return gs__usage_error("gen-trace", "--types needs 'sft' or 'all', got '%s'",
                                       optarg);
            break;
        case OPT_START:
            /* the same range the trace loader accepts, so that what is written loads */
            if (gs_parse_timestamp(optarg, strlen(optarg), &o.start_epoch, &o.utc_offset_min) !=
                    0 ||
                !(o.start_epoch >= GS_EPOCH_MIN && o.start_epoch <= GS_EPOCH_MAX - GS_TIME_MAX))
                return gs__usage_error("gen-trace",
                                       "--start needs 'YYYY-MM-DD hh:mm:ss+hh:mm' from 1970 to "
                                       "2089, got '%s'",
                                       optarg);
            break;
        case OPT_DIURNAL:
            if (gs__opt_double(optarg, &v) != 0 || !(v >= 0 && v < 1))
                return gs__usage_error("gen-trace", "--diurnal needs a number in [0, 1), got '%s'",
                                       optarg);
            o.diurnal = v;
            break;
        case OPT_WEEKEND:
            if (gs__opt_double(optarg, &v) != 0 || !(v > 0 && v <= 10))
                return gs__usage_error("gen-trace", "--weekend needs a number in (0, 10], got '%s'",
                                       optarg);
            o.weekend = v;
            break;
        case OPT_DAY_SIGMA:
            if (gs__opt_double(optarg, &v) != 0 || !(v >= 0 && v <= 3))
                return gs__usage_error("gen-trace",
                                       "--day-sigma needs a number in [0, 3], got '%s'", optarg);
            o.day_sigma = v;
            break;
        case OPT_CORR:
            if (gs__opt_double(optarg, &v) != 0 || !(v > -1 && v < 1))
                return gs__usage_error("gen-trace", "--corr needs a number in (-1, 1), got '%s'",
                                       optarg);
            o.corr = v;
            break;
        case OPT_DESCRIBE:
            gs_tracegen_describe(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case OPT_CALIBRATE:
            calibrate = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            gen_usage();
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("gen-trace", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("gen-trace", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs__usage_error("gen-trace", "unexpected argument '%s'", argv[optind]);
    if (o.jobs && have_days)
        return gs__usage_error("gen-trace", "give --jobs or --days, not both");
    if (gs_outfile_check(out, &err) != GS_OK || gs_outfile_open(&of, out, &err) != GS_OK)
        return gs__fail(&err);
    if (calibrate) {
        if (gs__tracegen_calibrate(calibrate, of.fp, quiet ? NULL : stderr, &err) != GS_OK) {
            gs_outfile_abort(&of);
            return gs__fail(&err);
        }
        if (gs_outfile_commit(&of, &err) != GS_OK)
            return gs__fail(&err);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (gs_tracegen_write(&o, of.fp, &st, &err) != GS_OK) {
        gs_outfile_abort(&of);
        return gs__fail(&err);
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__fail(&err);
    if (!quiet) {
        char a[40], b[40];
        gs_format_timestamp(a, sizeof(a), st.first_submit, o.utc_offset_min);
        gs_format_timestamp(b, sizeof(b), st.last_submit, o.utc_offset_min);
        fprintf(stderr, "gpusim: gen-trace: %ld jobs (%ld SFT) submitted %s .. %s\n", st.jobs,
                st.sft, a, b);
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

int gs__cmd_sample(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"trace", required_argument, NULL, 't'},    {"out", required_argument, NULL, 'o'},
        {"count", required_argument, NULL, 'k'},    {"per-hour", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},     {"hours", required_argument, NULL, 'H'},
        {"job-type", required_argument, NULL, 'j'}, {"prefix", required_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'f'},          {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    const char *trace = NULL, *out = NULL, *job_type = "SFT", *prefix = "sample";
    int count = 10, per_hour = 40, hours = 24, force = 0, quiet = 0, c, k;
    unsigned long long u;
    uint64_t seed = 1;
    gs_err err = {0};
    gs_trace tr;
    gs_sample_window w;
    gs_outdir od;
    char sha[65], *meta = NULL, *cmdline = NULL;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:o:k:r:s:H:j:p:fqh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            trace = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'k':
            if (gs__opt_int(optarg, &count) != 0 || count < 1 || count > 99)
                return gs__usage_error("sample", "--count needs an integer in [1, 99], got '%s'",
                                       optarg);
            break;
        case 'r':
            if (gs__opt_int(optarg, &per_hour) != 0 || per_hour < 1 || per_hour > 1000000)
                return gs__usage_error("sample", "--per-hour needs an integer >= 1, got '%s'",
                                       optarg);
            break;
        case 's':
            if (gs__opt_u64(optarg, &u) != 0)
                return gs__usage_error("sample", "--seed needs a non-negative integer, got '%s'",
                                       optarg);
            seed = u;
            break;
        case 'H':
            if (gs__opt_int(optarg, &hours) != 0 || hours < 1 || hours > GS_SAMPLE_MAX_HOURS)
                return gs__usage_error("sample", "--hours needs an integer in [1, %d], got '%s'",
                                       GS_SAMPLE_MAX_HOURS, optarg);
            break;
        case 'j':
            job_type = optarg;
            break;
        case 'p':
            if (!*optarg || strchr(optarg, '/'))
                return gs__usage_error("sample", "--prefix needs a file name prefix, got '%s'",
                                       optarg);
            prefix = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            printf("usage: gpusim sample --trace FILE --out DIR [--count K] [--per-hour N] "
                   "[--seed N] [options]\n\n"
                   "Finds the busiest window (default 24 h) of submissions in an ACME-schema "
                   "trace, by UTC\ntime, and writes K traces (default 10) of N jobs per hour "
                   "(default 40, so 960 jobs) drawn\nfrom it, each hour of the window "
                   "contributing in proportion to its own submissions.\nWhen the window holds "
                   "enough jobs, each trace is a random subset of its rows; otherwise\njobs are "
                   "drawn with replacement and get new ids ('<id>-s<k>-<n>') and submit times "
                   "within\ntheir hour. Output (atomically into DIR): PREFIX-01.csv ... in the "
                   "Seren schema, and\nsample.json (the window, its hourly counts, the plan, "
                   "the seed). The same inputs and\nseed give the same files.\n\n"
                   "  -t, --trace FILE      input trace (any ACME schema; columns by name)\n"
                   "  -o, --out DIR         output folder\n"
                   "  -k, --count K         traces to write (default 10)\n"
                   "  -r, --per-hour N      jobs per hour in each trace (default 40)\n"
                   "  -s, --seed N          seed (default 1)\n"
                   "  -H, --hours H         window length in hours (default 24)\n"
                   "  -j, --job-type T      job types to sample: SFT (default), all, or a list\n"
                   "  -p, --prefix NAME     file name prefix (default 'sample')\n"
                   "  -f, --force           replace an existing DIR\n"
                   "  -q, --quiet           print nothing on success\n"
                   "  -h, --help            show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("sample", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("sample", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!trace && optind < argc)
        trace = argv[optind++];
    if (optind < argc)
        return gs__usage_error("sample", "unexpected argument '%s'", argv[optind]);
    if (!trace)
        return gs__usage_error("sample", "--trace FILE is required");
    if (!out)
        return gs__usage_error("sample", "--out DIR is required");
    if (gs_outdir_check(out, force, &err) != GS_OK ||
        gs_trace_load(&tr, trace, job_type, &err) != GS_OK)
        return gs__fail(&err);
    if (gs_sha256_file(trace, sha, &err) != GS_OK ||
        gs_sample_find_window(&tr, hours, per_hour, &w, &err) != GS_OK ||
        gs_outdir_begin(&od, out, force, &err) != GS_OK) {
        gs_trace_release(&tr);
        return gs__fail(&err);
    }
    for (k = 1; k <= count; k++) {
        char name[300];
        FILE *fp;
        int rc;
        snprintf(name, sizeof(name), "%s-%02d.csv", prefix, k);
        if (!(fp = gs_outdir_fopen(&od, name, &err)))
            goto fail;
        rc = gs_sample_write(&tr, &w, k, seed, fp, &err);
        if (fclose(fp) != 0 && rc == GS_OK)
            rc = gs_errorf(&err, GS_EIO, "cannot write '%s/%s'", out, name);
        if (rc != GS_OK)
            goto fail;
    }
    cmdline = gs__command_line(argc, argv, "gpusim sample");
    meta = cmdline ? sample_meta(&tr, sha, &w, count, seed, prefix, cmdline) : NULL;
    {
        FILE *fp = meta ? gs_outdir_fopen(&od, "sample.json", &err) : NULL;
        if (!fp) {
            if (!meta)
                gs_errorf(&err, GS_ENOMEM, "out of memory");
            goto fail;
        }
        fputs(meta, fp);
        fputc('\n', fp);
        if (fclose(fp) != 0) {
            gs_errorf(&err, GS_EIO, "cannot write '%s/sample.json'", out);
            goto fail;
        }
    }
    if (gs_outdir_commit(&od, &err) != GS_OK) {
        free(meta);
        free(cmdline);
        gs_trace_release(&tr);
        return gs__fail(&err);
    }
    if (!quiet) {
        char a[40];
        gs_format_timestamp(a, sizeof(a), w.start_epoch, w.utc_offset_min);
        printf("busiest %d h from %s: %zu %s jobs (%.1f per hour; trace average %.1f); %d "
               "traces of %ld jobs %s into %s/\n",
               w.hours, a, w.njobs, job_type, (double)w.njobs / w.hours,
               tr.njobs > 1 && tr.jobs[tr.njobs - 1].submit > 0
                   ? 3600.0 * (double)tr.njobs / tr.jobs[tr.njobs - 1].submit
                   : (double)tr.njobs,
               count, (long)per_hour * w.hours,
               w.with_replacement ? "drawn with replacement" : "drawn without replacement", out);
    }
    free(meta);
    free(cmdline);
    gs_trace_release(&tr);
    return gs__finish_stdout(GS_EXIT_OK);
fail:
    gs_outdir_abort(&od);
    free(meta);
    free(cmdline);
    gs_trace_release(&tr);
    return gs__fail(&err);
}
