/* SPDX-License-Identifier: Apache-2.0 */
/* Small subcommands: `validate`. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"
#include "util_int.h"

int gs__cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cluster", required_argument, NULL, 'c'}, {"db", required_argument, NULL, 'd'},
        {"trace", required_argument, NULL, 't'},   {"job-type", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *cluster = NULL, *dbarg = "default", *trace = NULL, *job_type = "SFT";
    char *dbp = NULL, *clp = NULL;
    gs_err err = {0};
    gs_scaledb *db = NULL;
    gs_cluster *cl = NULL;
    gs_trace tr;
    int c, status = GS_EXIT_FAIL;

    memset(&tr, 0, sizeof(tr));
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
        case 'h':
            printf("usage: gpusim validate [--db NAME|FILE] [--cluster NAME|FILE] [--trace FILE "
                   "[--job-type T]]\n\n"
                   "Loads and checks each input; prints what it holds, or the first error with "
                   "its file, line and field.\n");
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
