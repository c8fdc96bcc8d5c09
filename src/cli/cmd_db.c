/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim db`: generate, validate, show, query, import and export scaling-knowledge DBs. */
#include <getopt.h>
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

/* Option parsing shared by the verbs: the usual errors, and at most one positional DB. */
static int bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return gs__usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return gs__usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

static gs_scaledb *open_db(const char *arg, gs_err *err)
{
    char *path = gs__resolve_config("configs/scaledb", arg, ".json", err);
    gs_scaledb *db = path ? gs_scaledb_load(path, err) : NULL;

    free(path);
    return db;
}

static int one_db_arg(const char *cmd, int argc, char **argv, const char **out)
{
    if (argc - optind > 1)
        return gs__usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    if (optind < argc)
        *out = argv[optind];
    return 0;
}

/* ---- generate ---- */

static int db_generate(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, NULL, 'o'},
                                             {"check", required_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *out = "-", *check = NULL;
    gs_err err = {0};
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'c':
            check = optarg;
            break;
        case 'h':
            printf("usage: gpusim db generate [--out FILE] [--check FILE]\n\n"
                   "Writes the scaling DB of gpusim's analytic model of LLM fine-tuning (the "
                   "committed\nconfigs/scaledb/default.json) to FILE, atomically, or to stdout "
                   "(the default or '-').\nThe output is the same, byte for byte, on every run. "
                   "The model and the source of\nevery constant: configs/scaledb/README.md.\n\n"
                   "  -o, --out FILE    where to write (default '-': stdout)\n"
                   "  -c, --check FILE  write nothing; exit 1 unless FILE is exactly what "
                   "would be written\n"
                   "  -h, --help        show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("db generate", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("db generate", "unexpected argument '%s'", argv[optind]);
    if (!check && gs_outfile_check(out, &err) != GS_OK)
        return gs__fail(&err);
    if (check) {
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
                      "'%s' differs from the model's output; regenerate it with 'gpusim db "
                      "generate --out %s'",
                      check, check);
            return gs__fail(&err);
        }
        printf("'%s' is up to date\n", check);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (gs_dbgen_write(out, &err) != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- validate ---- */

static int db_validate(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *arg = "default";
    gs_err err = {0};
    gs_scaledb *db;
    size_t ne, i, nviable = 0;
    const gs_scaledb_entry *e;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c != 'h')
            return bad_option("db validate", c, argv);
        printf("usage: gpusim db validate [NAME|FILE]\n\n"
               "Loads and checks a scaling DB (default 'default'); prints what it holds, or the "
               "first error\nwith its file, line and field (exit status 1).\n");
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if ((c = one_db_arg("db validate", argc, argv, &arg)) != 0)
        return c;
    if (!(db = open_db(arg, &err)))
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

static int db_show(int argc, char **argv)
{
    static const struct option longopts[] = {{"class", required_argument, NULL, 'c'},
                                             {"per-gpu", no_argument, NULL, 'g'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *arg = "default", *cls_name = NULL;
    gs_err err = {0};
    gs_scaledb *db;
    int c, per_gpu = 0, cls;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:gh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cls_name = optarg;
            break;
        case 'g':
            per_gpu = 1;
            break;
        case 'h':
            printf("usage: gpusim db show [NAME|FILE] [--class NAME] [--per-gpu]\n\n"
                   "Prints one table per workload class: a row per GPU count, a column per GPU "
                   "type, the\nthroughput of the listed entry in each cell (whole-node layouts). "
                   "A value in parentheses\nis not viable (does not fit in memory; the value is "
                   "what it would be if it did); an\nempty cell is not listed (lookups "
                   "interpolate).\n\n"
                   "  -c, --class NAME  only this class\n"
                   "  -g, --per-gpu     throughput per GPU instead of per job\n"
                   "  -h, --help        show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("db show", c, argv);
        }
    }
    if ((c = one_db_arg("db show", argc, argv, &arg)) != 0)
        return c;
    if (!(db = open_db(arg, &err)))
        return gs__fail(&err);
    if (cls_name && gs_scaledb_class_find(db, cls_name) < 0) {
        gs_errorf(&err, GS_ENOTFOUND, "scaling DB '%s': unknown workload class '%s'",
                  gs_scaledb_path(db), cls_name);
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    printf("scaling DB '%s' (%s): throughput in %s%s; (x) = not viable\n\n", gs_scaledb_name(db),
           gs_scaledb_path(db),
           *gs_scaledb_throughput_unit(db) ? gs_scaledb_throughput_unit(db) : "the DB's units",
           per_gpu ? " per GPU" : " per job");
    for (cls = 0; cls < gs_scaledb_nclasses(db); cls++)
        if ((!cls_name || !strcmp(cls_name, gs_scaledb_class_name(db, cls))) &&
            show_class(db, cls, per_gpu) != GS_OK) {
            gs_scaledb_free(db);
            gs_errorf(&err, GS_ENOMEM, "out of memory");
            return gs__fail(&err);
        }
    gs_scaledb_free(db);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- query ---- */

static int db_query(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"class", required_argument, NULL, 'c'}, {"gpu-type", required_argument, NULL, 't'},
        {"gpus", required_argument, NULL, 'g'},  {"nodes", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *arg = "default", *cls_name = NULL, *type_name = NULL, *how = "interpolated";
    gs_err err = {0};
    gs_scaledb *db;
    int c, gpus = 0, nodes = 0, cls, type, viable, rc;
    double thr;
    size_t ne, i;
    const gs_scaledb_entry *e;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:t:g:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cls_name = optarg;
            break;
        case 't':
            type_name = optarg;
            break;
        case 'g':
            if (gs__opt_int(optarg, &gpus) != 0 || gpus < 1 || gpus > GS_MAX_GPUS)
                return gs__usage_error("db query",
                                       "--gpus needs an integer in [1, 1000000], got '%s'", optarg);
            break;
        case 'n':
            if (gs__opt_int(optarg, &nodes) != 0 || nodes < 1 || nodes > GS_MAX_GPUS)
                return gs__usage_error("db query",
                                       "--nodes needs an integer in [1, 1000000], got '%s'",
                                       optarg);
            break;
        case 'h':
            printf("usage: gpusim db query [NAME|FILE] --class NAME --gpu-type TYPE --gpus N "
                   "[--nodes K]\n\n"
                   "Prints what the simulator looks up for one configuration, one 'key value' "
                   "per line:\nthroughput (per job and per GPU), viability, and whether the "
                   "count is listed,\ninterpolated between listed counts or beyond the largest "
                   "one.\n\n"
                   "  -c, --class NAME     workload class (see 'gpusim db show')\n"
                   "  -t, --gpu-type TYPE  GPU type\n"
                   "  -g, --gpus N         GPU count\n"
                   "  -n, --nodes K        node count (default: whole nodes of the type)\n"
                   "  -h, --help           show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("db query", c, argv);
        }
    }
    if ((c = one_db_arg("db query", argc, argv, &arg)) != 0)
        return c;
    if (!cls_name || !type_name || !gpus)
        return gs__usage_error("db query", "--class, --gpu-type and --gpus are required");
    if (!(db = open_db(arg, &err)))
        return gs__fail(&err);
    cls = gs_scaledb_class_find(db, cls_name);
    type = gs_scaledb_type_find(db, type_name);
    if (cls < 0 || type < 0) {
        if (cls < 0)
            gs_errorf(&err, GS_ENOTFOUND, "scaling DB '%s': unknown workload class '%s'",
                      gs_scaledb_path(db), cls_name);
        else
            gs_errorf(&err, GS_ENOTFOUND, "scaling DB '%s': unknown GPU type '%s'",
                      gs_scaledb_path(db), type_name);
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    rc = gs_scaledb_lookup(db, cls, type, gpus, nodes, &thr, &viable);
    if (rc != GS_OK) {
        gs_errorf(&err, rc, "scaling DB '%s' has no entry for %s on %s at or below %d GPUs",
                  gs_scaledb_path(db), cls_name, type_name, gpus);
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    if (!nodes) {
        int gpn = gs_scaledb_type_gpus_per_node(db, type);
        nodes = (gpus + gpn - 1) / gpn;
    }
    e = gs_scaledb_entries(db, &ne);
    if (gpus > gs_scaledb_max_gpus(db, cls, type))
        how = "extrapolated (per-GPU throughput of the largest listed count)";
    for (i = 0; i < ne; i++)
        if (e[i].cls == cls && e[i].type == type && e[i].gpus == gpus && e[i].nodes == nodes)
            how = "listed";
    printf("class %s\ngpu_type %s\ngpus %d\nnodes %d\nthroughput %.6g\nper_gpu %.6g\nunit %s\n"
           "viable %s\nsource %s\n",
           cls_name, type_name, gpus, nodes, thr, thr / gpus,
           *gs_scaledb_throughput_unit(db) ? gs_scaledb_throughput_unit(db) : "-",
           viable ? "yes" : "no", how);
    gs_scaledb_free(db);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- import / export ---- */

static int db_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"base", required_argument, NULL, 'b'}, {"out", required_argument, NULL, 'o'},
        {"merge", no_argument, NULL, 'm'},      {"name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *base = "default", *out = NULL, *name = NULL;
    char *base_path;
    gs_scaledb_import_stats st;
    gs_err err = {0};
    int c, merge = 0, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":b:o:mn:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            base = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'm':
            merge = 1;
            break;
        case 'n':
            name = optarg;
            break;
        case 'h':
            printf("usage: gpusim db import PROFILE.csv --out FILE [--base NAME|FILE] [--merge] "
                   "[--name NAME]\n\n"
                   "Writes a copy of the base DB (default 'default') in which measured "
                   "throughputs replace\nmodelled ones. PROFILE.csv has the header\n"
                   "  class,gpu_type,gpus,nodes,throughput,viable\n"
                   "(columns in any order; nodes may be empty or absent for whole nodes; an "
                   "optional note\ncolumn is kept), one measurement per row, viable "
                   "true/false. Classes and GPU types must\nexist in the base DB. Every "
                   "modelled entry of a measured (class, gpu_type) pair is\ndropped, so "
                   "lookups interpolate between measurements only, unless --merge is given.\n\n"
                   "  -o, --out FILE   where to write the new DB, atomically ('-': stdout)\n"
                   "  -b, --base DB    the DB to start from (default 'default')\n"
                   "  -m, --merge      replace only entries with the same class, gpu_type, "
                   "gpus and nodes\n"
                   "  -n, --name NAME  name of the new DB\n"
                   "  -h, --help       show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("db import", c, argv);
        }
    }
    if (argc - optind != 1)
        return gs__usage_error("db import", "expected one PROFILE.csv, got %d arguments",
                               argc - optind);
    if (!out)
        return gs__usage_error("db import", "--out FILE is required");
    if (gs_outfile_check(out, &err) != GS_OK || !(base_path = gs__resolve_config("configs/scaledb", base, ".json", &err)))
        return gs__fail(&err);
    rc = gs_scaledb_import(base_path, argv[optind], merge, name, out, &st, &err);
    free(base_path);
    if (rc != GS_OK)
        return gs__fail(&err);
    fprintf(stderr, "gpusim: db import: %ld measurements written, %ld modelled entries replaced\n",
            st.rows, st.replaced);
    return gs__finish_stdout(GS_EXIT_OK);
}

static int db_export(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *arg = "default", *out = "-";
    gs_err err = {0};
    gs_scaledb *db;
    gs_outfile of;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("usage: gpusim db export [NAME|FILE] [--out FILE]\n\n"
                   "Writes the DB's entries as CSV (class,gpu_type,gpus,nodes,throughput,"
                   "viable), the format\n'gpusim db import' reads, to stdout or atomically to "
                   "FILE.\n\n"
                   "  -o, --out FILE  where to write (default '-': stdout)\n"
                   "  -h, --help      show this help\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("db export", c, argv);
        }
    }
    if ((c = one_db_arg("db export", argc, argv, &arg)) != 0)
        return c;
    if (gs_outfile_check(out, &err) != GS_OK || !(db = open_db(arg, &err)))
        return gs__fail(&err);
    if (gs_outfile_open(&of, out, &err) != GS_OK) {
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    if (gs_scaledb_export_csv(db, of.fp, &err) != GS_OK) {
        gs_outfile_abort(&of);
        gs_scaledb_free(db);
        return gs__fail(&err);
    }
    gs_scaledb_free(db);
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}
