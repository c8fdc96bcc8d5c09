/* SPDX-License-Identifier: Apache-2.0 */
/* Small subcommands: `validate` and `cdf-compare`. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/cdf.h"
#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"
#include "util_int.h"

int gs__cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cluster", required_argument, NULL, 'c'}, {"db", required_argument, NULL, 'd'},
        {"trace", required_argument, NULL, 't'},   {"job-type", required_argument, NULL, 'j'},
        {"load-only", no_argument, NULL, 'L'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cluster = NULL, *dbarg = "default", *trace = NULL, *job_type = "SFT";
    char *dbp = NULL, *clp = NULL;
    gs_err err = {0};
    gs_scaledb *db = NULL;
    gs_cluster *cl = NULL;
    gs_trace tr;
    int c, status = GS_EXIT_FAIL;

    memset(&tr, 0, sizeof(tr));
    /* with a trace, validate is a run that writes nothing: the same loads, the same checks
     * (--load-only: the inputs alone, as fast as they load) */
    for (c = 1; c < argc; c++) {
        if (!strcmp(argv[c], "--") || !strcmp(argv[c], "--load-only"))
            break;
        if (!strcmp(argv[c], "-h") || !strcmp(argv[c], "--help"))
            break;
        if (!strcmp(argv[c], "-t") || !strcmp(argv[c], "--trace") ||
            !strncmp(argv[c], "--trace=", 8) || (!strncmp(argv[c], "-t", 2) && argv[c][2])) {
            int k;
            for (k = c + 1; k < argc && strcmp(argv[k], "--load-only"); k++)
                ;
            if (k == argc)
                return gs__cmd_run_check(argc, argv);
            break;
        }
    }
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:d:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cluster = optarg;
            break;
        case 'd':
            dbarg = optarg;
            break;
        case 't':
            trace = optarg;
            break;
        case 'j':
            job_type = optarg;
            break;
        case 'L':
            break;
        case 'h':
            printf("usage: gpusim validate [--db NAME|FILE] [--cluster NAME|FILE] [--trace FILE --load-only]\n"
                   "       gpusim validate --trace FILE [any `run` option]\n\n"
                   "Loads and checks each input; prints what it holds, or the first error with "
                   "its file, line and field.\nWith --trace it checks exactly what `gpusim run` "
                   "checks, with the same defaults (cluster\n'default', DB 'default', policy "
                   "fifo): it simulates the trace and fails as run would (a\njob no GPU type "
                   "can hold, a job no workload class can run, ...), but writes no result.\n"
                   "      --load-only   only load and check the files (no simulation)\n");
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("validate", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("validate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs__usage_error("validate", "unexpected argument '%s'", argv[optind]);
    if (!(dbp = gs__resolve_config("configs/scaledb", dbarg, ".json", &err)) ||
        !(db = gs_scaledb_load(dbp, &err)))
        goto out;
    {
        size_t ne;
        gs_scaledb_entries(db, &ne);
        printf("scaling DB '%s' (%s): %d GPU types, %d classes, %zu entries\n", gs_scaledb_name(db),
               dbp, gs_scaledb_ntypes(db), gs_scaledb_nclasses(db), ne);
    }
    if (cluster) {
        if (!(clp = gs__resolve_config("configs/clusters", cluster, ".json", &err)) ||
            !(cl = gs_cluster_load(clp, db, &err)))
            goto out;
        printf("cluster '%s' (%s): %d GPUs on %d nodes in %zu pools\n", gs_cluster_name(cl), clp,
               gs_cluster_total_gpus(cl), gs_cluster_total_nodes(cl), gs_cluster_npools(cl));
    }
    if (trace) {
        if (gs_trace_load(&tr, trace, job_type, &err) != GS_OK)
            goto out;
        printf("trace '%s' (%s schema): %ld rows, %zu jobs of type %s (%ld other types, %ld with "
               "0 GPUs, %ld without duration)\n",
               trace, tr.schema, tr.stats.rows, tr.njobs, job_type, tr.stats.skipped_type,
               tr.stats.skipped_zero_gpu, tr.stats.skipped_no_duration);
    }
    status = GS_EXIT_OK;
out:
    if (status != GS_EXIT_OK)
        gs__fail(&err);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    free(dbp);
    free(clp);
    return gs__finish_stdout(status);
}

int gs__cmd_cdf_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"max-ks", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double max_ks = -1, ks, at;
    gs_cdf a, b;
    gs_err err = {0};
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":k:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if (gs__opt_double(optarg, &max_ks) != 0 || max_ks < 0 || max_ks > 1)
                return gs__usage_error("cdf-compare",
                                       "--max-ks needs a number in [0, 1], got "
                                       "'%s'",
                                       optarg);
            break;
        case 'h':
            printf("usage: gpusim cdf-compare A.csv B.csv [--max-ks X]\n\n"
                   "Prints the Kolmogorov-Smirnov distance between two JCT CDFs (jct_cdf.csv, "
                   "or any CSV\nwith a 'jct' column such as jobs.csv).\n\n"
                   "Exit status: 0 when the distance is at most X (or no X is given), 1 when it "
                   "is over X,\n2 on bad input.\n");
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("cdf-compare", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("cdf-compare", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return gs__usage_error("cdf-compare", "expected two CDF files, got %d", argc - optind);
    /* a bad file is bad input (2); running out of memory is a run-time failure (1) */
    if (gs_cdf_load(&a, argv[optind], &err) != GS_OK) {
        gs__fail(&err);
        return err.code == GS_ENOMEM ? GS_EXIT_FAIL : GS_EXIT_USAGE;
    }
    if (gs_cdf_load(&b, argv[optind + 1], &err) != GS_OK) {
        gs_cdf_release(&a);
        gs__fail(&err);
        return err.code == GS_ENOMEM ? GS_EXIT_FAIL : GS_EXIT_USAGE;
    }
    ks = gs_cdf_ks(&a, &b, &at);
    if (isinf(at))
        printf("ks %.6f (in the share of finished jobs)\n", ks);
    else
        printf("ks %.6f at jct %.6f\n", ks, at);
    gs_cdf_release(&a);
    gs_cdf_release(&b);
    if (max_ks >= 0 && ks > max_ks) {
        fprintf(stderr, "gpusim: cdf-compare: distance %.6f exceeds --max-ks %.6f\n", ks, max_ks);
        return gs__finish_stdout(GS_EXIT_FAIL);
    }
    return gs__finish_stdout(GS_EXIT_OK);
}
