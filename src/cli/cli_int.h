/* SPDX-License-Identifier: Apache-2.0 */
/* The command-line front end: one function per subcommand, shared helpers for errors. */
#ifndef GPUSIM_CLI_INT_H
#define GPUSIM_CLI_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"

enum gs_exit { GS_EXIT_OK = 0, GS_EXIT_FAIL = 1, GS_EXIT_USAGE = 2 };

/* A subcommand: argv[0] is its name; returns an exit status. */
typedef int (*gs__cmd_fn)(int argc, char **argv);

int gs__cmd_run(int argc, char **argv);
/* `run` that checks everything a run checks (it simulates) but writes no result: what
 * `validate --trace` does, so that validate passes exactly what run passes. */
int gs__cmd_run_check(int argc, char **argv);
int gs__cmd_policies(int argc, char **argv);
int gs__cmd_validate(int argc, char **argv);
int gs__cmd_cdf_compare(int argc, char **argv);
int gs__cmd_merge(int argc, char **argv);
int gs__cmd_stats(int argc, char **argv);
int gs__cmd_paired(int argc, char **argv);
int gs__cmd_report(int argc, char **argv);
int gs__cmd_arrivals(int argc, char **argv);
int gs__cmd_db(int argc, char **argv);
int gs__cmd_gen_trace(int argc, char **argv);
int gs__cmd_sample(int argc, char **argv);
int gs__cmd_cxl(int argc, char **argv);
int gs__cmd_game(int argc, char **argv);

/* "gpusim: <cmd>: <message>" + "Try 'gpusim <cmd> --help'." on stderr; returns GS_EXIT_USAGE. */
int gs__usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "gpusim: error: <err->msg>" on stderr; returns GS_EXIT_FAIL. */
int gs__fail(const gs_err *err);
/* Fills err (code, printf-style message) and reports it as gs__fail does; returns GS_EXIT_FAIL. */
int gs__fail_with(gs_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Strict numeric values; 0 on success. */
int gs__opt_double(const char *s, double *out);
int gs__opt_u64(const char *s, unsigned long long *out);
int gs__opt_int(const char *s, int *out);

/* ---- one way to parse options (cli_opt.c) ----
 * A command describes its options in a static table: each entry names the option, where its
 * value goes (an offset into the command's own struct of arguments), its type and valid range,
 * and its line of --help. gs__opt_parse parses argv against the table, prints --help (generated
 * from the table, so that every range is documented), and turns every bad option or value into
 * one usage error naming the option (exit 2). */
enum gs__opt_type {
    GS__OPT_END = 0, /* ends a table */
    GS__OPT_GROUP,   /* no option: a heading in --help ("inputs:") */
    GS__OPT_FLAG,    /* no value: the int field is set to set_to (default 1) */
    GS__OPT_COUNT,   /* no value: the int field counts how often it is given (-v -v) */
    GS__OPT_STR,     /* const char *: the value as given */
    GS__OPT_INT,     /* int in [lo, hi] */
    GS__OPT_U64,     /* uint64_t in [lo, hi]; hi 0 means no upper bound (seeds) */
    GS__OPT_DOUBLE,  /* finite double in [lo, hi]; GS__OPT_OPEN_LO/HI exclude a bound */
    GS__OPT_CHOICE,  /* int: the index of the value in choices ("json|csv") */
    GS__OPT_CALL     /* fn(value, field, why, n) parses it; 0 or -1 with why filled */
};

enum { GS__OPT_OPEN_LO = 1u << 0, GS__OPT_OPEN_HI = 1u << 1 };

/* Parses one value into field; returns 0, or -1 with why (the message after "--NAME ") filled. */
typedef int (*gs__opt_fn)(const char *value, void *field, char *why, size_t n);

typedef struct gs__opt {
    int type;         /* enum gs__opt_type */
    const char *name; /* long name without the dashes ("restart-delay"); the heading of a GROUP */
    int key;          /* short option letter, or 0 */
    size_t off;       /* offset of the field in the command's argument struct (GS__OFF) */
    const char *arg;  /* the value's name in --help ("S", "FILE") */
    const char *help; /* its line in --help; "%r" there is replaced by the valid range */
    double lo, hi;    /* valid range of INT, U64, DOUBLE */
    unsigned flags;   /* GS__OPT_OPEN_LO, GS__OPT_OPEN_HI */
    const char *choices; /* CHOICE: the words, '|'-separated */
    gs__opt_fn fn;       /* CALL */
    int set_to;          /* FLAG: the value it sets (0 means 1) */
} gs__opt;

/* offsetof(T, f), compiled only when f has type ctype (a type-checked field reference). */
#define GS__OFF(T, f, ctype) _Generic((((T *)0)->f), ctype : offsetof(T, f))

/* Table entries. T is the command's argument struct, f a field of it, a the value's name in
 * --help, h the help line. */
#define GS__OPT_(t, n, k, off_, a, h)                                                              \
    .type = t, .name = n, .key = k, .off = off_, .arg = a, .help = h
#define OPT_GROUP(heading)                                                                         \
    {                                                                                              \
        .type = GS__OPT_GROUP, .name = heading                                                     \
    }
#define OPT_FLAG(n, k, T, f, h)                                                                    \
    {                                                                                              \
        GS__OPT_(GS__OPT_FLAG, n, k, GS__OFF(T, f, int), NULL, h)                                  \
    }
#define OPT_SET(n, k, T, f, v, h)                                                                  \
    {                                                                                              \
        GS__OPT_(GS__OPT_FLAG, n, k, GS__OFF(T, f, int), NULL, h), .set_to = v                     \
    }
#define OPT_COUNT(n, k, T, f, h)                                                                   \
    {                                                                                              \
        GS__OPT_(GS__OPT_COUNT, n, k, GS__OFF(T, f, int), NULL, h)                                 \
    }
#define OPT_STR(n, k, T, f, a, h)                                                                  \
    {                                                                                              \
        GS__OPT_(GS__OPT_STR, n, k, GS__OFF(T, f, const char *), a, h)                             \
    }
#define OPT_INT(n, k, T, f, a, lo_, hi_, h)                                                        \
    {                                                                                              \
        GS__OPT_(GS__OPT_INT, n, k, GS__OFF(T, f, int), a, h), .lo = lo_, .hi = hi_                \
    }
#define OPT_U64(n, k, T, f, a, h)                                                                  \
    {                                                                                              \
        GS__OPT_(GS__OPT_U64, n, k, GS__OFF(T, f, uint64_t), a, h)                                 \
    }
#define OPT_DBL(n, k, T, f, a, lo_, hi_, fl, h)                                                    \
    {                                                                                              \
        GS__OPT_(GS__OPT_DOUBLE, n, k, GS__OFF(T, f, double), a, h), .lo = lo_, .hi = hi_,         \
                                                                     .flags = fl                   \
    }
#define OPT_CHOICE(n, k, T, f, a, ch, h)                                                           \
    {                                                                                              \
        GS__OPT_(GS__OPT_CHOICE, n, k, GS__OFF(T, f, int), a, h), .choices = ch                    \
    }
#define OPT_CALL(n, k, T, f, ftype, a, fn_, h)                                                     \
    {                                                                                              \
        GS__OPT_(GS__OPT_CALL, n, k, GS__OFF(T, f, ftype), a, h), .fn = fn_                        \
    }
#define OPT_END                                                                                    \
    {                                                                                              \
        .type = GS__OPT_END                                                                        \
    }

/* A command's options and help. */
typedef struct gs__optspec {
    const char *cmd;     /* "cxl infer": in messages and in the hint */
    const char *intro;   /* --help text before the options ("usage: ...\n\n...\n") */
    const gs__opt *opts; /* ended by OPT_END; -h/--help is implicit */
    const char *outro;   /* --help text after the options, or NULL */
    int maxpos;          /* positional arguments allowed (-1: any number) */
} gs__optspec;

/* What gs__opt_parse returns when the command is to go on. */
#define GS__OPT_GO (-1)

/* Parses argv[1..argc-1] into args (the command's argument struct, holding its defaults).
 * Returns GS__OPT_GO with *first the index of the first positional argument (they are
 * argv[*first..argc-1], at most spec->maxpos of them), or the exit status to return now:
 * GS_EXIT_OK after printing --help on stdout, GS_EXIT_USAGE after printing one usage error
 * naming the option and a hint on stderr (unknown option, missing or bad value, an argument too
 * many). Repeated options: the last one wins (CALL options see every one). */
int gs__opt_parse(const gs__optspec *spec, void *args, int argc, char **argv, int *first);
/* Prints spec's --help (intro, the options with their ranges, outro) to fp. */
void gs__opt_help(const gs__optspec *spec, FILE *fp);
/* The range of an INT, U64 or DOUBLE option as --help shows it ("0 to 1e+06", "> 0"). */
void gs__opt_range(const gs__opt *o, char *buf, size_t n);
/* Repeated KEY=VALUE options (--param): the CALL parser gs__opt_param appends to the list. */
typedef struct gs__params {
    const char **v;
    size_t n, cap;
} gs__params;
int gs__opt_param(const char *value, void *field, char *why, size_t n);
void gs__params_release(gs__params *p);
/* The command line as a shell would re-run it ("gpusim" + quoted args); malloc'd, NULL when out
 * of memory. */
char *gs__command_line(int argc, char **argv, const char *prog);
/* A --trace argument: a file, or the name of a bundled trace (traces/<name>.csv of the data
 * directory, gs_data_resolve) when no file has that name. malloc'd; NULL on ENOMEM. A name found
 * nowhere comes back as it is, for the trace loader to report. */
char *gs__trace_path(const char *arg);
/* --format NAME of the commands that read traces (a CALL parser; field is a const char *):
 * "auto" or one of the trace formats, else -1 with why listing them. */
int gs__opt_trace_format(const char *value, void *field, char *why, size_t n);
struct gs_trace;
/* "gpusim: trace 'PATH': format F (detected: WHY)" on stderr when the format was detected and
 * quiet is 0. */
void gs__trace_note(const struct gs_trace *tr, int quiet);

struct gs_scaledb;
/* Opens a scaling DB given as a name in configs/scaledb/, a file, or sia:DIR (Sia's artifact data
 * read at run time, gs_scaledb_load_sia). *path (may be NULL) receives what summary.json records
 * (malloc'd). NULL with err filled. */
struct gs_scaledb *gs__open_scaledb(const char *arg, char **path, gs_err *err);

/* The folder of Sia's artifact data a Sia workload came with: the nearest folder above the
 * trace's own (up to four levels) holding traces/cifar10/ (the artifact's sia-simulator/ layout:
 * workloads/saturn/workload-1.csv next to traces/), as "sia:DIR" (malloc'd); NULL when none. */
char *gs__sia_data_near(const char *trace_path);
/* Flushes stdout and turns a write error into exit status 1 (git's run_builtin). */
int gs__finish_stdout(int status);

#endif
