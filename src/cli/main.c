/* SPDX-License-Identifier: Apache-2.0 */
/* gpusim's entry point: a git-style table of subcommands; plain flags mean `run`. */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/io.h"
#include "gpusim/version.h"

typedef struct cmd {
    const char *name;
    gs__cmd_fn fn;
    const char *summary;
} cmd;

static const cmd commands[] = {
    {"run", gs__cmd_run, "simulate a trace on a cluster under a policy (the default)"},
    {"policies", gs__cmd_policies, "list the scheduling policies"},
    {"validate", gs__cmd_validate, "check a cluster, scaling DB or trace file"},
    {"cdf-compare", gs__cmd_cdf_compare,
     "KS distance and p-value of two runs' JCTs (or another column), or over seeds"},
    {"merge", gs__cmd_merge, "gather the result folders of a sweep into CSV tables"},
    {"stats", gs__cmd_stats, "means of run metrics per group, with bootstrap intervals"},
    {"paired", gs__cmd_paired, "two policies compared on the same traces (paired tests)"},
    {"report", gs__cmd_report, "one self-contained HTML page about a run or a sweep"},
    {"arrivals", gs__cmd_arrivals, "a trace's job submissions per hour (for plots)"},
    {"db", gs__cmd_db, "scaling DB: generate, validate, show, query, import, export"},
    {"gen-trace", gs__cmd_gen_trace, "write a synthetic ACME-schema trace fitted to ACME"},
    {"sample", gs__cmd_sample, "K traces of N jobs/hour from a trace's busiest 24 hours"},
    {"cxl", gs__cmd_cxl, "LLM inference offloaded to DRAM and CXL memory tiers"},
    {"game", gs__cmd_game, "game offload: redeploy a virtual world across device, edge, cloud"},
};

static void usage(FILE *fp)
{
    size_t i;

    fprintf(fp, "usage: gpusim [run] --trace FILE [--policy NAME] [options]\n"
                "       gpusim <command> [options]\n"
                "\n"
                "gpusim simulates the scheduling of AI jobs on heterogeneous GPU clusters.\n"
                "\n"
                "commands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n"
                "`gpusim run --help` lists the simulation options; every command takes --help.\n"
                "  -h, --help     show this help\n"
                "      --version  show the version\n");
}

int main(int argc, char **argv)
{
    size_t i;

    /* an interrupted command leaves no temporary file or folder behind */
    gs_io_cleanup_on_signals();
    if (argc < 2)
        return gs__usage_error(NULL, "no command or option given");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("gpusim %s\n", GS_VERSION_STRING);
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (argv[1][0] == '-') /* the form users type: gpusim --trace T --policy P */
        return gs__cmd_run(argc, argv);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    return gs__usage_error(NULL, "unknown command '%s'", argv[1]);
}
