/* SPDX-License-Identifier: Apache-2.0 */
/* The command-line front end: one function per subcommand, shared helpers for errors. */
#ifndef GPUSIM_CLI_INT_H
#define GPUSIM_CLI_INT_H

#include "gpusim/err.h"

enum gs_exit { GS_EXIT_OK = 0, GS_EXIT_FAIL = 1, GS_EXIT_USAGE = 2 };

/* The program's entry point (main.c). Declared so that the allocation-failure test build, which
 * renames it (-Dmain=gs__cli_main, tests/failalloc), has its prototype. */
int main(int argc, char **argv);

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
/* Strict numeric option values; 0 on success (usage error printed by the caller). */
int gs__opt_double(const char *s, double *out);
int gs__opt_u64(const char *s, unsigned long long *out);
int gs__opt_int(const char *s, int *out);
/* The command line as a shell would re-run it ("gpusim" + quoted args); malloc'd, NULL when out
 * of memory. */
char *gs__command_line(int argc, char **argv, const char *prog);
/* Flushes stdout and turns a write error into exit status 1 (git's run_builtin). */
int gs__finish_stdout(int status);

#endif
