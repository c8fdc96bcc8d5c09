/* SPDX-License-Identifier: Apache-2.0 */
/* Small subcommands: `validate`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/classmap.h"
#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"
#include "util_int.h"

/* ---- validate ---- */

typedef struct validate_args {
    const char *cluster, *db, *trace, *job_type, *format, *task_table, *classes;
    int load_only;
} validate_args;

static const gs__opt validate_opts[] = {
    OPT_STR("db", 'd', validate_args, db, "NAME|FILE", "scaling DB (default 'default')"),
    OPT_STR("cluster", 'c', validate_args, cluster, "NAME|FILE", "a cluster config"),
    OPT_STR("trace", 't', validate_args, trace, "FILE", "a trace (a file or a bundled name)"),
    OPT_STR("job-type", 'j', validate_args, job_type, "T",
            "the trace's job types to keep: all, a list, or the format's\n"
            "default (ACME: SFT; the others: all)"),
    OPT_CALL("format", 0, validate_args, format, const char *, "NAME", gs__opt_trace_format,
             "trace format: auto (default), acme, helios, philly, pai or sia"),
    OPT_STR("task-table", 0, validate_args, task_table, "FILE",
            "PAI: pai_task_table.csv (default: next to the job table)"),
    OPT_STR("classes", 0, validate_args, classes, "NAME|FILE",
            "a class mapping, checked against the DB (configs/classes)"),
    OPT_FLAG("load-only", 0, validate_args, load_only,
             "with --trace: only load and check the files (no simulation)"),
    OPT_END,
};

static const gs__optspec validate_spec = {
    "validate",
    "usage: gpusim validate [--db NAME|FILE] [--cluster NAME|FILE] [--classes NAME|FILE]\n"
    "       gpusim validate --trace FILE [--format NAME] [--task-table FILE] [any `run` option]\n"
    "       gpusim validate --load-only --trace FILE [--db ...] [--cluster ...] [--job-type T]\n\n"
    "Loads and checks each input; prints what it holds, or the first error with its file, line "
    "and\nfield. With --trace it checks exactly what `gpusim run` checks, with the same defaults "
    "(cluster\n'default', DB 'default', policy fifo): it simulates the trace and fails where run "
    "would (a\njob no GPU type can hold, a job no workload class can run, ...), but writes no "
    "result.\n\n",
    validate_opts,
    NULL,
    0,
};

typedef struct validate_state {
    char *dbp, *clp, *trp, *cmp;
    gs_scaledb *db;
    gs_cluster *cl;
    gs_classmap *cm;
    gs_trace tr;
} validate_state;

static int validate_trace(const validate_args *a, validate_state *v, gs_err *err)
{
    const gs_trace *t = &v->tr;
    gs_trace_opts to;

    gs_trace_opts_init(&to);
    to.format = a->format;
    to.job_type = a->job_type;
    to.task_table = a->task_table;
    if (!(v->trp = gs__trace_path(a->trace)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    if (gs_trace_load_opts(&v->tr, v->trp, &to, err) != GS_OK)
        return err->code;
    printf("trace '%s' (format %s%s%s, %s schema): %ld rows, %zu jobs of type %s (%ld other "
           "types, %ld with 0 GPUs, %ld without duration",
           a->trace, t->format, t->detected ? ", detected: " : "", t->detected ? t->detected : "",
           t->schema, t->stats.rows, t->njobs, t->job_type, t->stats.skipped_type,
           t->stats.skipped_zero_gpu, t->stats.skipped_no_duration);
    if (t->aux_path)
        printf(", %ld without tasks in '%s'", t->stats.skipped_no_tasks, t->aux_path);
    if (t->stats.fractional)
        printf("; %ld fractional GPU requests rounded up", t->stats.fractional);
    printf(")\n");
    return GS_OK;
}

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
    if (a->classes && strcmp(a->classes, "db-mix") != 0) {
        if (!(v->cmp = gs__resolve_config("configs/classes", a->classes, ".json", err)) ||
            !(v->cm = gs_classmap_load(v->cmp, err)) || gs_classmap_check(v->cm, v->db, err))
            return err->code;
        printf("class mapping '%s' (%s): %zu rules\n", gs_classmap_name(v->cm), v->cmp,
               gs_classmap_nrules(v->cm));
    }
    return a->trace ? validate_trace(a, v, err) : GS_OK;
}

int gs__cmd_validate(int argc, char **argv)
{
    validate_args a = {.db = "default"};
    validate_state v;
    gs_err err = {0};
    int status, first;

    memset(&v, 0, sizeof(v));
    /* with a trace, validate is a run that writes nothing: the same loads, the same checks */
    for (first = 1; first < argc && strcmp(argv[first], "--"); first++) {
        const char *s = argv[first];
        if (!strcmp(s, "--load-only") || !strcmp(s, "-h") || !strcmp(s, "--help"))
            break;
        if (!strcmp(s, "-t") || !strcmp(s, "--trace") || !strncmp(s, "--trace=", 8) ||
            (!strncmp(s, "-t", 2) && s[2])) {
            int k;
            for (k = first + 1; k < argc && strcmp(argv[k], "--load-only"); k++)
                ;
            if (k == argc)
                return gs__cmd_run_check(argc, argv);
            break;
        }
    }
    if ((status = gs__opt_parse(&validate_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    status = validate_inputs(&a, &v, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    gs_trace_release(&v.tr);
    gs_cluster_free(v.cl);
    gs_scaledb_free(v.db);
    gs_classmap_free(v.cm);
    free(v.dbp);
    free(v.clp);
    free(v.trp);
    free(v.cmp);
    return gs__finish_stdout(status);
}
