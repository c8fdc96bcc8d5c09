/* SPDX-License-Identifier: Apache-2.0 */
/* Small subcommands: `validate`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"
#include "util_int.h"

/* ---- validate ---- */

typedef struct validate_args {
    const char *cluster, *db, *trace, *job_type;
} validate_args;

static const gs__opt validate_opts[] = {
    OPT_STR("db", 'd', validate_args, db, "NAME|FILE", "scaling DB (default 'default')"),
    OPT_STR("cluster", 'c', validate_args, cluster, "NAME|FILE", "a cluster config"),
    OPT_STR("trace", 't', validate_args, trace, "FILE", "a trace (a file or a bundled name)"),
    OPT_STR("job-type", 'j', validate_args, job_type, "T",
            "the trace's job types to keep: SFT (default), all, or a list"),
    OPT_END,
};

static const gs__optspec validate_spec = {
    "validate",
    "usage: gpusim validate [--db NAME|FILE] [--cluster NAME|FILE] [--trace FILE [--job-type "
    "T]]\n\n"
    "Loads and checks each input; prints what it holds, or the first error with its file, line "
    "and\nfield.\n\n",
    validate_opts,
    NULL,
    0,
};

typedef struct validate_state {
    char *dbp, *clp, *trp;
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
} validate_state;

static int validate_inputs(const validate_args *a, validate_state *v, gs_err *err)
{
    size_t ne;

    if (!(v->dbp = gs__resolve_config("configs/scaledb", a->db, ".json", err)) ||
        !(v->db = gs_scaledb_load(v->dbp, err)))
        return err->code;
    gs_scaledb_entries(v->db, &ne);
    printf("scaling DB '%s' (%s): %d GPU types, %d classes, %zu entries\n", gs_scaledb_name(v->db),
           v->dbp, gs_scaledb_ntypes(v->db), gs_scaledb_nclasses(v->db), ne);
    if (a->cluster) {
        if (!(v->clp = gs__resolve_config("configs/clusters", a->cluster, ".json", err)) ||
            !(v->cl = gs_cluster_load(v->clp, v->db, err)))
            return err->code;
        printf("cluster '%s' (%s): %d GPUs on %d nodes in %zu pools\n", gs_cluster_name(v->cl),
               v->clp, gs_cluster_total_gpus(v->cl), gs_cluster_total_nodes(v->cl),
               gs_cluster_npools(v->cl));
    }
    if (a->trace) {
        const gs_trace *t = &v->tr;
        if (!(v->trp = gs__trace_path(a->trace)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        if (gs_trace_load(&v->tr, v->trp, a->job_type, err) != GS_OK)
            return err->code;
        printf("trace '%s' (%s schema): %ld rows, %zu jobs of type %s (%ld other types, %ld with "
               "0 GPUs, %ld without duration)\n",
               a->trace, t->schema, t->stats.rows, t->njobs, a->job_type, t->stats.skipped_type,
               t->stats.skipped_zero_gpu, t->stats.skipped_no_duration);
    }
    return GS_OK;
}

int gs__cmd_validate(int argc, char **argv)
{
    validate_args a = {.db = "default", .job_type = "SFT"};
    validate_state v;
    gs_err err = {0};
    int status, first;

    memset(&v, 0, sizeof(v));
    if ((status = gs__opt_parse(&validate_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    status = validate_inputs(&a, &v, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    gs_trace_release(&v.tr);
    gs_cluster_free(v.cl);
    gs_scaledb_free(v.db);
    free(v.dbp);
    free(v.clp);
    free(v.trp);
    return gs__finish_stdout(status);
}
