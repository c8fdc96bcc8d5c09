/* SPDX-License-Identifier: Apache-2.0 */
/* fit_tracegen: the developer tool that refits the trace generator's models to the published ACME
 * figures and writes src/core/tracegen_params.h (scripts/calibrate_traces.sh runs it). Built from
 * tools/, never part of the gpusim program or its library. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "gpusim/io.h"
#include "tracegen_int.h"

static void usage(FILE *fp)
{
    fprintf(fp, "usage: fit_tracegen [--out FILE] [--quiet] DIR\n\n"
                "Fits the trace generator's models (docs/traces.md) to the ACME figure files in "
                "DIR (or\nDIR/from_figures) and writes their parameters as C, atomically, to "
                "FILE (default '-':\nstdout): src/core/tracegen_params.h. A line per job type "
                "on stderr tells the fit error.\n\n"
                "  -o, --out FILE  where to write (default '-': stdout)\n"
                "  -q, --quiet     no fit summary on stderr\n"
                "  -h, --help      show this help\n");
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "fit_tracegen: %s '%s'\nTry 'fit_tracegen --help'.\n", what, arg);
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "-";
    int c, quiet = 0;
    gs_outfile of;
    gs_err err = {0};

    memset(&of, 0, sizeof(of));
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return fflush(stdout) == 0 ? 0 : 1;
        case ':':
            return usage_error("option needs a value:", argv[optind - 1]);
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return usage_error("expected one folder of ACME figure files, got",
                           optind < argc ? argv[argc - 1] : "");
    if (gs_outfile_open(&of, out, &err) != GS_OK ||
        gs__tracegen_calibrate(argv[optind], of.fp, quiet ? NULL : stderr, &err) != GS_OK) {
        if (of.fp)
            gs_outfile_abort(&of);
        fprintf(stderr, "fit_tracegen: error: %s\n", err.msg);
        return 1;
    }
    if (gs_outfile_commit(&of, &err) != GS_OK) {
        fprintf(stderr, "fit_tracegen: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
