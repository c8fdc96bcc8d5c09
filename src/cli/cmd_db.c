/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim db`: generate, validate, show, query, import and export scaling-knowledge DBs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/dbgen.h"
#include "gpusim/io.h"
#include "gpusim/limits.h"
#include "gpusim/scaling_db.h"
#include "util_int.h"

typedef struct verb {
    const char *name;
    gs__cmd_fn fn;
    const char *summary;
} verb;

static int db_generate(int argc, char **argv);
static int db_validate(int argc, char **argv);
static int db_show(int argc, char **argv);
static int db_query(int argc, char **argv);
static int db_import(int argc, char **argv);
static int db_export(int argc, char **argv);

static const verb verbs[] = {
    {"generate", db_generate, "write the analytic model's DB (configs/scaledb/default.json)"},
    {"validate", db_validate, "check a DB: what it holds, or its first error"},
    {"show", db_show, "a table per class: GPU counts by GPU types, non-viable marked"},
    {"query", db_query, "throughput and viability of one class, GPU type and count"},
    {"import", db_import, "replace modelled entries by measured throughputs from a CSV"},
    {"export", db_export, "write a DB's entries as CSV (the format import reads)"},
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static void db_usage(FILE *fp)
{
    size_t i;

    fprintf(fp, "usage: gpusim db <command> [options]\n\n"
                "Scaling-knowledge DBs: throughput and viability of each workload class on each "
                "GPU type\nand count (configs/scaledb/README.md).\n\ncommands:\n");
    for (i = 0; i < NVERBS; i++)
        fprintf(fp, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(fp, "\nA DB is given as a file or a name in configs/scaledb/ (default 'default').\n"
                "`gpusim db <command> --help` describes each command.\n");
}

int gs__cmd_db(int argc, char **argv)
{
    size_t i;

    if (argc < 2)
        return gs__usage_error("db", "no command given");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        db_usage(stdout);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    for (i = 0; i < NVERBS; i++)
        if (!strcmp(argv[1], verbs[i].name))
            return verbs[i].fn(argc - 1, argv + 1);
    return gs__usage_error("db", "unknown command '%s'", argv[1]);
}

/* Option parsing shared by the verbs: the DB the commands act on. */
static gs_scaledb *open_db(const char *arg, gs_err *err)
{
    char *path = gs__resolve_config("configs/scaledb", arg, ".json", err);
    gs_scaledb *db = path ? gs_scaledb_load(path, err) : NULL;

    free(path);
    return db;
}

/* The DB named by the only positional argument, or by "default". */
static const char *db_arg(int argc, char **argv, int first)
{
    return first < argc ? argv[first] : "default";
}

/* ---- generate ---- */

typedef struct generate_args {
    const char *out, *check;
} generate_args;

static const gs__opt generate_opts[] = {
    OPT_STR("out", 'o', generate_args, out, "FILE", "where to write (default '-': stdout)"),
    OPT_STR("check", 'c', generate_args, check, "FILE",
            "write nothing; exit 1 unless FILE is exactly what would be written"),
    OPT_END,
};

static const gs__optspec generate_spec = {
    "db generate",
    "usage: gpusim db generate [--out FILE] [--check FILE]\n\n"
    "Writes the scaling DB of gpusim's analytic model of LLM fine-tuning (the committed\n"
    "configs/scaledb/default.json) to FILE, atomically, or to stdout (the default or '-').\n"
    "The output is the same, byte for byte, on every run. The model and the source of\n"
    "every constant: configs/scaledb/README.md.\n\n",
    generate_opts,
    NULL,
    0,
};

/* --check FILE: whether FILE is what the model writes; exit status. */
static int generate_check(const char *check)
{
    gs_err err = {0};
    char *want = gs_dbgen_json(&err), *have = NULL;
    size_t len = 0;
    int same;

    if (!want || gs__read_file(check, &have, &len, &err) != GS_OK) {
        free(want);
        return gs__fail(&err);
    }
    same = len == strlen(want) && !memcmp(have, want, len);
    free(want);
    free(have);
    if (!same) {
        gs_errorf(&err, GS_EINVAL,
                  "'%s' differs from the model's output; regenerate it with 'gpusim db generate "
                  "--out %s'",
                  check, check);
        return gs__fail(&err);
    }
    printf("'%s' is up to date\n", check);
    return GS_EXIT_OK;
}

static int db_generate(int argc, char **argv)
{
    generate_args a = {.out = "-"};
    gs_err err = {0};
    int status, first;

    if ((status = gs__opt_parse(&generate_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (a.check)
        status = generate_check(a.check);
    else
        status = gs_outfile_check(a.out, &err) == GS_OK && gs_dbgen_write(a.out, &err) == GS_OK
                     ? GS_EXIT_OK
                     : gs__fail(&err);
    return gs__finish_stdout(status);
}

/* ---- validate ---- */

typedef struct no_args {
    int unused;
} no_args;

static const gs__opt no_opts[] = {OPT_END};

static const gs__optspec validate_spec = {
    "db validate",
    "usage: gpusim db validate [NAME|FILE]\n\n"
    "Loads and checks a scaling DB (default 'default'); prints what it holds, or the first error\n"
    "with its file, line and field (exit status 1).\n\n",
    no_opts,
    NULL,
    1,
};

static int db_validate(int argc, char **argv)
{
    no_args a = {0};
    gs_err err = {0};
    gs_scaledb *db;
    size_t ne, i, nviable = 0;
    const gs_scaledb_entry *e;
    int status, first;

    if ((status = gs__opt_parse(&validate_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!(db = open_db(db_arg(argc, argv, first), &err)))
        return gs__fail(&err);
    e = gs_scaledb_entries(db, &ne);
    for (i = 0; i < ne; i++)
        nviable += e[i].viable != 0;
    printf("scaling DB '%s' (%s): %d GPU types, %d classes, %zu entries (%zu viable), throughput "
           "in %s, reference GPU type %s\n",
           gs_scaledb_name(db), gs_scaledb_path(db), gs_scaledb_ntypes(db), gs_scaledb_nclasses(db),
           ne, nviable,
           *gs_scaledb_throughput_unit(db) ? gs_scaledb_throughput_unit(db) : "unnamed units",
           gs_scaledb_type_name(db, gs_scaledb_reference_type(db)));
    gs_scaledb_free(db);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- show ---- */

static void fmt_thr(char *buf, size_t size, double v)
{
    if (v >= 1000)
        snprintf(buf, size, "%.0f", v);
    else if (v >= 10)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.3f", v);
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int show_class(const gs_scaledb *db, int cls, int per_gpu)
{
    size_t ne, i, nc = 0;
    const gs_scaledb_entry *e = gs_scaledb_entries(db, &ne);
    int nt = gs_scaledb_ntypes(db), t, *counts = malloc((ne + 1) * sizeof(int));

    if (!counts)
        return GS_ENOMEM;
    for (i = 0; i < ne; i++)
        if (e[i].cls == cls)
            counts[nc++] = e[i].gpus;
    qsort(counts, nc, sizeof(int), by_int);
    printf("%s\n", gs_scaledb_class_name(db, cls));
    printf("%6s", "gpus");
    for (t = 0; t < nt; t++)
        printf(" %12s", gs_scaledb_type_name(db, t));
    printf("\n");
    for (i = 0; i < nc; i++) {
        size_t k;
        if (i > 0 && counts[i] == counts[i - 1])
            continue;
        printf("%6d", counts[i]);
        for (t = 0; t < nt; t++) {
            const gs_scaledb_entry *hit = NULL;
            int gpn = gs_scaledb_type_gpus_per_node(db, t);
            char cell[48], num[40];
            /* whole-node layout first; another listed layout otherwise */
            for (k = 0; k < ne; k++) {
                if (e[k].cls != cls || e[k].type != t || e[k].gpus != counts[i])
                    continue;
                if (!hit || e[k].nodes == (counts[i] + gpn - 1) / gpn)
                    hit = &e[k];
            }
            if (!hit) {
                printf(" %12s", "");
                continue;
            }
            fmt_thr(num, sizeof(num), per_gpu ? hit->throughput / hit->gpus : hit->throughput);
            snprintf(cell, sizeof(cell), hit->viable ? "%s " : "(%s)", num);
            printf(" %12s", cell);
        }
        printf("\n");
    }
    printf("\n");
    free(counts);
    return GS_OK;
}

typedef struct show_args {
    const char *cls;
    int per_gpu;
} show_args;

static const gs__opt show_opts[] = {
    OPT_STR("class", 'c', show_args, cls, "NAME", "only this class"),
    OPT_FLAG("per-gpu", 'g', show_args, per_gpu, "throughput per GPU instead of per job"),
    OPT_END,
};

static const gs__optspec show_spec = {
    "db show",
    "usage: gpusim db show [NAME|FILE] [--class NAME] [--per-gpu]\n\n"
    "Prints one table per workload class: a row per GPU count, a column per GPU type, the\n"
    "throughput of the listed entry in each cell (whole-node layouts). A value in parentheses\n"
    "is not viable (does not fit in memory; the value is what it would be if it did); an\n"
    "empty cell is not listed (lookups interpolate).\n\n",
    show_opts,
    NULL,
    1,
};

static int db_show(int argc, char **argv)
{
    show_args a = {0};
    gs_err err = {0};
    gs_scaledb *db;
    int status, first, cls;

    if ((status = gs__opt_parse(&show_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!(db = open_db(db_arg(argc, argv, first), &err)))
        return gs__fail(&err);
    if (a.cls && gs_scaledb_class_find(db, a.cls) < 0) {
        gs_errorf(&err, GS_ENOTFOUND, "scaling DB '%s': unknown workload class '%s'",
                  gs_scaledb_path(db), a.cls);
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    printf("scaling DB '%s' (%s): throughput in %s%s; (x) = not viable\n\n", gs_scaledb_name(db),
           gs_scaledb_path(db),
           *gs_scaledb_throughput_unit(db) ? gs_scaledb_throughput_unit(db) : "the DB's units",
           a.per_gpu ? " per GPU" : " per job");
    for (cls = 0; cls < gs_scaledb_nclasses(db); cls++)
        if ((!a.cls || !strcmp(a.cls, gs_scaledb_class_name(db, cls))) &&
            show_class(db, cls, a.per_gpu) != GS_OK) {
            gs_scaledb_free(db);
            return gs__fail_with(&err, GS_ENOMEM, "out of memory");
        }
    gs_scaledb_free(db);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- query ---- */

typedef struct query_args {
    const char *cls, *type;
    int gpus, nodes;
} query_args;

static const gs__opt query_opts[] = {
    OPT_STR("class", 'c', query_args, cls, "NAME", "workload class (see 'gpusim db show')"),
    OPT_STR("gpu-type", 't', query_args, type, "TYPE", "GPU type"),
    OPT_INT("gpus", 'g', query_args, gpus, "N", 1, GS_MAX_GPUS, "GPU count, %r"),
    OPT_INT("nodes", 'n', query_args, nodes, "K", 1, GS_MAX_GPUS,
            "node count, %r (default: whole nodes of the type)"),
    OPT_END,
};

static const gs__optspec query_spec = {
    "db query",
    "usage: gpusim db query [NAME|FILE] --class NAME --gpu-type TYPE --gpus N [--nodes K]\n\n"
    "Prints what the simulator looks up for one configuration, one 'key value' per line:\n"
    "throughput (per job and per GPU), viability, and whether the count is listed,\n"
    "interpolated between listed counts or beyond the largest one.\n\n",
    query_opts,
    NULL,
    1,
};

/* Looks the configuration up and prints it; exit status. */
static int query_print(const gs_scaledb *db, query_args *a, gs_err *err)
{
    const char *how = "interpolated";
    int cls = gs_scaledb_class_find(db, a->cls), type = gs_scaledb_type_find(db, a->type), viable;
    const gs_scaledb_entry *e;
    size_t ne, i;
    double thr;

    if (cls < 0)
        return gs__fail_with(err, GS_ENOTFOUND, "scaling DB '%s': unknown workload class '%s'",
                             gs_scaledb_path(db), a->cls);
    if (type < 0)
        return gs__fail_with(err, GS_ENOTFOUND, "scaling DB '%s': unknown GPU type '%s'",
                             gs_scaledb_path(db), a->type);
    if (gs_scaledb_lookup(db, cls, type, a->gpus, a->nodes, &thr, &viable) != GS_OK)
        return gs__fail_with(err, GS_ENOTFOUND,
                             "scaling DB '%s' has no entry for %s on %s at or below %d GPUs",
                             gs_scaledb_path(db), a->cls, a->type, a->gpus);
    if (!a->nodes) {
        int gpn = gs_scaledb_type_gpus_per_node(db, type);
        a->nodes = (a->gpus + gpn - 1) / gpn;
    }
    e = gs_scaledb_entries(db, &ne);
    if (a->gpus > gs_scaledb_max_gpus(db, cls, type))
        how = "extrapolated (per-GPU throughput of the largest listed count)";
    for (i = 0; i < ne; i++)
        if (e[i].cls == cls && e[i].type == type && e[i].gpus == a->gpus && e[i].nodes == a->nodes)
            how = "listed";
    printf("class %s\ngpu_type %s\ngpus %d\nnodes %d\nthroughput %.6g\nper_gpu %.6g\nunit %s\n"
           "viable %s\nsource %s\n",
           a->cls, a->type, a->gpus, a->nodes, thr, thr / a->gpus,
           *gs_scaledb_throughput_unit(db) ? gs_scaledb_throughput_unit(db) : "-",
           viable ? "yes" : "no", how);
    return GS_EXIT_OK;
}

static int db_query(int argc, char **argv)
{
    query_args a = {0};
    gs_err err = {0};
    gs_scaledb *db;
    int status, first;

    if ((status = gs__opt_parse(&query_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!a.cls || !a.type || !a.gpus)
        return gs__usage_error("db query", "--class, --gpu-type and --gpus are required");
    if (!(db = open_db(db_arg(argc, argv, first), &err)))
        return gs__fail(&err);
    status = query_print(db, &a, &err);
    gs_scaledb_free(db);
    return gs__finish_stdout(status);
}

/* ---- import / export ---- */

typedef struct import_args {
    const char *base, *out, *name;
    int merge;
} import_args;

static const gs__opt import_opts[] = {
    OPT_STR("out", 'o', import_args, out, "FILE",
            "where to write the new DB, atomically ('-': stdout)"),
    OPT_STR("base", 'b', import_args, base, "DB", "the DB to start from (default 'default')"),
    OPT_FLAG("merge", 'm', import_args, merge,
             "replace only entries with the same class, gpu_type, gpus and nodes"),
    OPT_STR("name", 'n', import_args, name, "NAME", "name of the new DB"),
    OPT_END,
};

static const gs__optspec import_spec = {
    "db import",
    "usage: gpusim db import PROFILE.csv --out FILE [--base NAME|FILE] [--merge] [--name NAME]\n\n"
    "Writes a copy of the base DB (default 'default') in which measured throughputs replace\n"
    "modelled ones. PROFILE.csv has the header\n"
    "  class,gpu_type,gpus,nodes,throughput,viable\n"
    "(columns in any order; nodes may be empty or absent for whole nodes; an optional note\n"
    "column is kept), one measurement per row, viable true/false. Classes and GPU types must\n"
    "exist in the base DB. Every modelled entry of a measured (class, gpu_type) pair is\n"
    "dropped, so lookups interpolate between measurements only, unless --merge is given.\n\n",
    import_opts,
    NULL,
    -1,
};

static int db_import(int argc, char **argv)
{
    import_args a = {.base = "default"};
    char *base_path;
    gs_scaledb_import_stats st;
    gs_err err = {0};
    int status, first, rc;

    if ((status = gs__opt_parse(&import_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (argc - first != 1)
        return gs__usage_error("db import", "expected one PROFILE.csv, got %d arguments",
                               argc - first);
    if (!a.out)
        return gs__usage_error("db import", "--out FILE is required");
    if (gs_outfile_check(a.out, &err) != GS_OK ||
        !(base_path = gs__resolve_config("configs/scaledb", a.base, ".json", &err)))
        return gs__fail(&err);
    rc = gs_scaledb_import(base_path, argv[first], a.merge, a.name, a.out, &st, &err);
    free(base_path);
    if (rc != GS_OK)
        return gs__fail(&err);
    fprintf(stderr, "gpusim: db import: %ld measurements written, %ld modelled entries replaced\n",
            st.rows, st.replaced);
    return gs__finish_stdout(GS_EXIT_OK);
}

typedef struct export_args {
    const char *out;
} export_args;

static const gs__opt export_opts[] = {
    OPT_STR("out", 'o', export_args, out, "FILE", "where to write (default '-': stdout)"),
    OPT_END,
};

static const gs__optspec export_spec = {
    "db export",
    "usage: gpusim db export [NAME|FILE] [--out FILE]\n\n"
    "Writes the DB's entries as CSV (class,gpu_type,gpus,nodes,throughput,viable), the format\n"
    "'gpusim db import' reads, to stdout or atomically to FILE.\n\n",
    export_opts,
    NULL,
    1,
};

static int db_export(int argc, char **argv)
{
    export_args a = {.out = "-"};
    gs_err err = {0};
    gs_scaledb *db;
    gs_outfile of;
    int status, first;

    memset(&of, 0, sizeof(of));
    if ((status = gs__opt_parse(&export_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (gs_outfile_check(a.out, &err) != GS_OK || !(db = open_db(db_arg(argc, argv, first), &err)))
        return gs__fail(&err);
    if (gs_outfile_open(&of, a.out, &err) == GS_OK &&
        gs_scaledb_export_csv(db, of.fp, &err) == GS_OK && gs_outfile_commit(&of, &err) == GS_OK) {
        status = GS_EXIT_OK;
    } else {
        if (of.fp)
            gs_outfile_abort(&of);
        status = gs__fail(&err);
    }
    gs_scaledb_free(db);
    return gs__finish_stdout(status);
}
