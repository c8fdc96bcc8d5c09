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
#include "gpusim/sample.h"
#include "gpusim/trace.h"
#include "gpusim/tracegen.h"
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
           "with the published\noutliers, duration and queue as mixtures of log-normals, "
           "gpu_num and duration coupled\nso that each type holds its share of GPU time, states "
           "drawn with the duration, arrivals\nwith a daily cycle, quieter weekends and "
           "day-to-day variation. The same options give\nthe same bytes. Models, sources and "
           "assumptions: docs/traces.md.\n\n"
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
           "      --corr RHO       one Gaussian-copula correlation of gpu_num and duration in\n"
           "                       (-1, 1) for every type (default: each type's own, fitted to\n"
           "                       the published GPU-time shares; 0: independent draws)\n"
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
            if (gs__opt_double(optarg, &v) != 0 || !(v > 0 && v <= 36500))
                return gs__usage_error("gen-trace", "--days needs a number in (0, 36500], got '%s'",
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
            if (gs_parse_timestamp(optarg, strlen(optarg), &o.start_epoch, &o.utc_offset_min) != 0)
                return gs__usage_error(
                    "gen-trace", "--start needs 'YYYY-MM-DD hh:mm:ss+hh:mm', got '%s'", optarg);
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
    if (gs_outfile_open(&of, out, &err) != GS_OK)
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

#define SAMPLE_MAX_SOURCES 99

typedef struct sample_args {
    const char *trace, *out, *job_type, *prefix;
    const char *from[SAMPLE_MAX_SOURCES];
    int nfrom;
    uint64_t seeds[SAMPLE_MAX_SOURCES];
    int nseeds;
    double gen_days, gen_rate; /* gen_days 0: no generated sources */
    int count, have_count, per_hour, hours, force, quiet;
    uint64_t seed;
} sample_args;

static void sample_usage(void)
{
    printf("usage: gpusim sample --trace FILE --out DIR [--count K] [options]\n"
           "       gpusim sample --from FILE [--from FILE ...] --out DIR [options]\n"
           "       gpusim sample --generate-days D --seeds LIST --out DIR [options]\n\n"
           "Finds the busiest window (default 24 h) of submissions in an ACME-schema trace, by "
           "UTC\ntime, and writes traces of N jobs per hour (default 40, so 960 jobs) drawn from "
           "it, each\nhour of the window contributing in proportion to its own submissions. With "
           "--trace, K\ntraces (default 10) come from its one window, so they share its jobs. For "
           "independent\ntraces give one source per trace: files (--from), or traces generated on "
           "the fly as\n`gpusim gen-trace --days D --seed S --rate R` makes them (--generate-days, "
           "one per seed\nof --seeds); each gives one trace from its own busiest window.\n"
           "Jobs are drawn without replacement whenever the window holds enough; otherwise every "
           "job\nof the window is used, some more than once (a warning says how many rows repeat "
           "a job),\nthe repeats getting new ids ('<id>-s<k>-<n>') and submit times within their "
           "hour.\nOutput (atomically into DIR): PREFIX-01.csv ... in the Seren schema, and "
           "sample.json\n(per source: the window, its hourly counts, the plan; per trace: distinct "
           "and reused jobs;\nthe seed, the command). The same inputs and seeds give the same "
           "files.\n\n"
           "  -t, --trace FILE          one source trace (any ACME schema; columns by name)\n"
           "  -k, --count K             traces to draw from it (default 10)\n"
           "      --from FILE           a source trace giving one trace; repeat it, or give a\n"
           "                            comma-separated list (at most %d sources)\n"
           "      --generate-days D     generated sources of D days (0 < D <= 3660) ...\n"
           "      --seeds LIST          ... one per generator seed: '1-10', '1,4,9', '1-3,7'\n"
           "      --generate-rate R     their mean SFT jobs per hour (default 15.2, ACME's "
           "average)\n"
           "  -o, --out DIR             output folder\n"
           "  -r, --per-hour N          jobs per hour in each trace (default 40)\n"
           "  -s, --seed N              seed of the drawing (default 1)\n"
           "  -H, --hours H             window length in hours (default 24)\n"
           "  -j, --job-type T          job types to sample: SFT (default), all, or a list\n"
           "  -p, --prefix NAME         file name prefix (default 'sample')\n"
           "  -f, --force               replace an existing DIR\n"
           "  -q, --quiet               print nothing on success (warnings still go to stderr)\n"
           "  -h, --help                show this help\n",
           SAMPLE_MAX_SOURCES);
}

/* "1-10", "3,5", "1-3,7" into a->seeds; 0 or -1 (too many, or malformed). */
static int parse_seed_list(const char *s, sample_args *a)
{
    char buf[512], *tok, *save = NULL;

    if (strlen(s) >= sizeof(buf) || !*s)
        return -1;
    strcpy(buf, s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        unsigned long long lo, hi, v;
        if (dash)
            *dash = '\0';
        if (gs__opt_u64(tok, &lo) != 0 || (dash && gs__opt_u64(dash + 1, &hi) != 0))
            return -1;
        if (!dash)
            hi = lo;
        if (hi < lo || hi - lo >= SAMPLE_MAX_SOURCES)
            return -1;
        for (v = lo; v <= hi; v++) {
            if (a->nseeds == SAMPLE_MAX_SOURCES)
                return -1;
            a->seeds[a->nseeds++] = v;
        }
    }
    return a->nseeds > 0 ? 0 : -1;
}

static int add_from(char *list, sample_args *a)
{
    char *tok, *save = NULL;

    for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (a->nfrom == SAMPLE_MAX_SOURCES)
            return -1;
        a->from[a->nfrom++] = tok;
    }
    return 0;
}

enum { OPT_FROM = 300, OPT_GEN_DAYS, OPT_SEEDS, OPT_GEN_RATE };

/* Parses argv into a; GS_EXIT_OK to go on, else the exit status to return (help or usage). */
static int sample_parse(int argc, char **argv, sample_args *a, int *done)
{
    static const struct option longopts[] = {
        {"trace", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
        {"count", required_argument, NULL, 'k'},
        {"per-hour", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"hours", required_argument, NULL, 'H'},
        {"job-type", required_argument, NULL, 'j'},
        {"prefix", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, OPT_FROM},
        {"generate-days", required_argument, NULL, OPT_GEN_DAYS},
        {"seeds", required_argument, NULL, OPT_SEEDS},
        {"generate-rate", required_argument, NULL, OPT_GEN_RATE},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long long u;
    int c;

    *done = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:o:k:r:s:H:j:p:fqh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            a->trace = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'k':
            if (gs__opt_int(optarg, &a->count) != 0 || a->count < 1 || a->count > 99)
                return gs__usage_error("sample", "--count needs an integer in [1, 99], got '%s'",
                                       optarg);
            a->have_count = 1;
            break;
        case 'r':
            if (gs__opt_int(optarg, &a->per_hour) != 0 || a->per_hour < 1 || a->per_hour > 1000000)
                return gs__usage_error("sample",
                                       "--per-hour needs an integer in [1, 1e6], got '%s'", optarg);
            break;
        case 's':
            if (gs__opt_u64(optarg, &u) != 0)
                return gs__usage_error("sample", "--seed needs a non-negative integer, got '%s'",
                                       optarg);
            a->seed = u;
            break;
        case 'H':
            if (gs__opt_int(optarg, &a->hours) != 0 || a->hours < 1 ||
                a->hours > GS_SAMPLE_MAX_HOURS)
                return gs__usage_error("sample", "--hours needs an integer in [1, %d], got '%s'",
                                       GS_SAMPLE_MAX_HOURS, optarg);
            break;
        case 'j':
            a->job_type = optarg;
            break;
        case 'p':
            if (!*optarg || strchr(optarg, '/'))
                return gs__usage_error("sample", "--prefix needs a file name prefix, got '%s'",
                                       optarg);
            a->prefix = optarg;
            break;
        case OPT_FROM:
            if (!*optarg || add_from(optarg, a) != 0)
                return gs__usage_error("sample", "--from needs files, at most %d in all, got '%s'",
                                       SAMPLE_MAX_SOURCES, optarg);
            break;
        case OPT_GEN_DAYS:
            if (gs__opt_double(optarg, &a->gen_days) != 0 ||
                !(a->gen_days > 0 && a->gen_days <= 3660))
                return gs__usage_error(
                    "sample", "--generate-days needs a number in (0, 3660], got '%s'", optarg);
            break;
        case OPT_SEEDS:
            a->nseeds = 0;
            if (parse_seed_list(optarg, a) != 0)
                return gs__usage_error("sample",
                                       "--seeds needs seeds or ranges like '1-10' or '1,4,9' (at "
                                       "most %d), got '%s'",
                                       SAMPLE_MAX_SOURCES, optarg);
            break;
        case OPT_GEN_RATE:
            if (gs__opt_double(optarg, &a->gen_rate) != 0 ||
                !(a->gen_rate > 0 && a->gen_rate <= 1e4))
                return gs__usage_error(
                    "sample", "--generate-rate needs a number in (0, 1e4], got '%s'", optarg);
            break;
        case 'f':
            a->force = 1;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'h':
            sample_usage();
            *done = 1;
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("sample", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("sample", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!a->trace && !a->nfrom && !a->gen_days && optind < argc)
        a->trace = argv[optind++];
    if (optind < argc)
        return gs__usage_error("sample", "unexpected argument '%s'", argv[optind]);
    if (!!a->trace + !!a->nfrom + !!(a->gen_days > 0) != 1)
        return gs__usage_error("sample", "give one of --trace FILE, --from FILE... or "
                                         "--generate-days D --seeds LIST");
    if ((a->gen_days > 0) != (a->nseeds > 0))
        return gs__usage_error("sample", "--generate-days and --seeds go together");
    if (a->gen_rate > 0 && !(a->gen_days > 0))
        return gs__usage_error("sample", "--generate-rate needs --generate-days");
    if (a->have_count && !a->trace)
        return gs__usage_error("sample", "--count goes with --trace; with several sources each "
                                         "gives one trace");
    if (!a->out)
        return gs__usage_error("sample", "--out DIR is required");
    return GS_EXIT_OK;
}

/* One source: its trace loaded (and, when generated, written to a temporary file of the output
 * folder first and removed after loading), its checksum or generator, and its window. */
static int sample_load_source(const sample_args *a, int i, const gs_outdir *od, gs_trace *tr,
                              char sha[65], gs_sample_window *w, gs_err *err)
{
    int rc;

    sha[0] = '\0';
    if (a->gen_days > 0) {
        char name[64], *path;
        gs_tracegen_opts o;
        FILE *fp;
        snprintf(name, sizeof(name), ".source-%02d.csv", i + 1);
        if (!(path = gs_outdir_path(od, name)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        gs_tracegen_opts_init(&o);
        o.days = a->gen_days;
        o.seed = a->seeds[i];
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
            rc = gs_trace_load(tr, path, a->job_type, err);
        remove(path);
        free(path);
    } else {
        const char *path = a->trace ? a->trace : a->from[i];
        rc = gs_trace_load(tr, path, a->job_type, err);
        if (rc == GS_OK && (rc = gs_sha256_file(path, sha, err)) != GS_OK)
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
            cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)w->hourly[h]));
    if ((arr = cJSON_AddArrayToObject(win, "hourly_target")) != NULL)
        for (h = 0; h < w->hours; h++)
            cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)w->target[h]));
    cJSON_AddStringToObject(win, "mode",
                            w->with_replacement ? "with reuse" : "without replacement");
    return win;
}

static void source_json(cJSON *sources, const sample_args *a, int i, const gs_trace *tr,
                        const char *sha, const gs_sample_window *w)
{
    cJSON *o = cJSON_CreateObject();
    char buf[64];

    if (!o)
        return;
    if (a->gen_days > 0) {
        gs_tracegen_opts g;
        cJSON *gen = cJSON_AddObjectToObject(o, "generated");
        gs_tracegen_opts_init(&g);
        if (gen) {
            cJSON_AddNumberToObject(gen, "days", a->gen_days);
            snprintf(buf, sizeof(buf), "%llu", (unsigned long long)a->seeds[i]);
            cJSON_AddRawToObject(gen, "seed", buf);
            cJSON_AddNumberToObject(gen, "rate", a->gen_rate > 0 ? a->gen_rate : g.sft_per_hour);
        }
    } else {
        cJSON_AddStringToObject(o, "trace", tr->path);
        cJSON_AddStringToObject(o, "trace_sha256", sha);
    }
    cJSON_AddNumberToObject(o, "trace_jobs", (double)tr->njobs);
    cJSON_AddItemToObject(o, "window", window_json(w));
    cJSON_AddItemToArray(sources, o);
}

typedef struct sample_run {
    gs_outdir od;
    cJSON *root, *sources, *traces, *files;
    gs__buf notes; /* warnings, printed once the folder is written */
    gs__buf said;  /* the summary, likewise */
    int mode_reuse;
} sample_run;

/* Draws the traces of source i (ntr of them, numbered from k0) into the folder. */
static int sample_source(sample_run *s, const sample_args *a, int i, int k0, int ntr, gs_err *err)
{
    gs_trace tr;
    gs_sample_window w;
    char sha[65], ts[40];
    int k, rc;

    memset(&tr, 0, sizeof(tr));
    if ((rc = sample_load_source(a, i, &s->od, &tr, sha, &w, err)) != GS_OK)
        return rc;
    source_json(s->sources, a, i, &tr, sha, &w);
    gs_format_timestamp(ts, sizeof(ts), w.start_epoch, w.utc_offset_min);
    for (k = k0; k < k0 + ntr && rc == GS_OK; k++) {
        char name[300];
        gs_sample_info info;
        cJSON *o;
        FILE *fp;
        snprintf(name, sizeof(name), "%s-%02d.csv", a->prefix, k);
        if (!(fp = gs_outdir_fopen(&s->od, name, err))) {
            rc = err->code;
            break;
        }
        rc = gs_sample_write(&tr, &w, k, a->seed, fp, &info, err);
        if (fclose(fp) != 0 && rc == GS_OK)
            rc = gs_errorf(err, GS_EIO, "cannot write '%s/%s'", a->out, name);
        if (rc != GS_OK)
            break;
        cJSON_AddItemToArray(s->files, cJSON_CreateString(name));
        if ((o = cJSON_CreateObject()) != NULL) {
            cJSON_AddStringToObject(o, "file", name);
            cJSON_AddNumberToObject(o, "source", i + 1);
            cJSON_AddNumberToObject(o, "jobs", (double)info.jobs);
            cJSON_AddNumberToObject(o, "distinct_jobs", (double)info.distinct);
            cJSON_AddNumberToObject(o, "reused_jobs", (double)info.reused);
            cJSON_AddItemToArray(s->traces, o);
        }
        gs__buf_printf(&s->said,
                       "%s: %zu jobs from the busiest %d h (from %s, %zu jobs), %zu "
                       "distinct%s\n",
                       name, info.jobs, w.hours, ts, w.njobs, info.distinct,
                       info.reused ? "" : ", drawn without replacement");
        if (info.reused) {
            s->mode_reuse = 1;
            gs__buf_printf(&s->notes,
                           "gpusim: warning: %s: the busiest %d h of source %d hold %zu jobs for "
                           "%zu: %zu rows reuse a job (%zu distinct); use a longer or busier "
                           "source, or fewer jobs per hour\n",
                           name, w.hours, i + 1, w.njobs, info.jobs, info.reused, info.distinct);
        }
    }
    gs_trace_release(&tr);
    return rc;
}

static int sample_finish(sample_run *s, const sample_args *a, int argc, char **argv, gs_err *err)
{
    char buf[32], *cmdline, *text;
    int rc;

    cJSON_AddStringToObject(s->root, "mode", s->mode_reuse ? "with reuse" : "without replacement");
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)a->seed);
    cJSON_AddRawToObject(s->root, "seed", buf);
    cmdline = gs__command_line(argc, argv, "gpusim sample");
    cJSON_AddStringToObject(s->root, "command", cmdline ? cmdline : "");
    free(cmdline);
    if (!(text = cJSON_Print(s->root)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    rc = gs_outdir_write_text(&s->od, "sample.json", text, err);
    free(text);
    if (rc == GS_OK)
        rc = gs_outdir_commit(&s->od, err);
    return rc;
}

int gs__cmd_sample(int argc, char **argv)
{
    sample_args a;
    sample_run s;
    gs_err err = {0};
    int rc, done, i, nsrc, k = 1;

    memset(&a, 0, sizeof(a));
    a.job_type = "SFT";
    a.prefix = "sample";
    a.count = 10;
    a.per_hour = 40;
    a.hours = 24;
    a.seed = 1;
    if ((rc = sample_parse(argc, argv, &a, &done)) != GS_EXIT_OK || done)
        return rc;
    memset(&s, 0, sizeof(s));
    nsrc = a.trace ? 1 : a.nfrom ? a.nfrom : a.nseeds;
    if (gs_outdir_begin(&s.od, a.out, a.force, &err) != GS_OK)
        return gs__fail(&err);
    s.root = cJSON_CreateObject();
    if (s.root) {
        cJSON_AddStringToObject(s.root, "job_type", a.job_type);
        cJSON_AddNumberToObject(s.root, "per_hour", a.per_hour);
        cJSON_AddNumberToObject(s.root, "hours", a.hours);
        s.sources = cJSON_AddArrayToObject(s.root, "sources");
        s.traces = cJSON_AddArrayToObject(s.root, "traces");
        s.files = cJSON_AddArrayToObject(s.root, "files");
    }
    rc = s.root && s.sources && s.traces && s.files ? GS_OK
                                                    : gs_errorf(&err, GS_ENOMEM, "out of memory");
    for (i = 0; i < nsrc && rc == GS_OK; i++) {
        int ntr = a.trace ? a.count : 1;
        rc = sample_source(&s, &a, i, k, ntr, &err);
        k += ntr;
    }
    if (rc == GS_OK)
        rc = sample_finish(&s, &a, argc, argv, &err);
    else
        gs_outdir_abort(&s.od);
    cJSON_Delete(s.root);
    if (rc == GS_OK) {
        if (s.notes.data)
            fputs(s.notes.data, stderr);
        if (!a.quiet && s.said.data)
            printf("%s%d trace(s) of %ld jobs into %s/\n", s.said.data, k - 1,
                   (long)a.per_hour * a.hours, a.out);
    }
    gs__buf_release(&s.notes);
    gs__buf_release(&s.said);
    return rc == GS_OK ? gs__finish_stdout(GS_EXIT_OK) : gs__fail(&err);
}
