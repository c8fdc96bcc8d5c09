/* SPDX-License-Identifier: Apache-2.0 */
/* fit_scaledb: the scaling model's calibration against Sia's measured profiles (a developer
 * tool, run by scripts/calibrate_scaledb.sh; tools/fit_scaledb_int.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_scaledb_int.h"
#include "gpusim/io.h"

static void usage(FILE *fp)
{
    fputs("usage: fit_scaledb [--sia DIR] [--header FILE] [--report FILE] [--check]\n\n"
          "Calibrates the scaling model's overhead constants against Sia's measured profiles\n"
          "(configs/scaledb/README.md).\n\n"
          "  --sia DIR      Sia's artifact data, the folder holding traces/ (default\n"
          "                 ../shared/anchors/sia)\n"
          "  --header FILE  fit, and write the constants header (src/core/dbgen_fit.h)\n"
          "  --report FILE  write the README tables of the committed constants ('-': stdout)\n"
          "  --check        print the fit error of the committed constants per GPU type\n"
          "  -h, --help     show this help\n",
          fp);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"sia", required_argument, NULL, 's'},    {"header", required_argument, NULL, 'H'},
        {"report", required_argument, NULL, 'r'}, {"check", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *sia = "../shared/anchors/sia", *header = NULL, *report = NULL;
    int check = 0, o, rc = GS_OK;
    gs__sia_data *d = NULL;
    gs_err err = {0};

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            sia = optarg;
            break;
        case 'H':
            header = optarg;
            break;
        case 'r':
            report = optarg;
            break;
        case 'c':
            check = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            fputs("Try 'fit_scaledb --help'\n", stderr);
            return 2;
        }
    }
    if (optind < argc || (!header && !report && !check)) {
        fputs("fit_scaledb: give --header, --report or --check\nTry 'fit_scaledb --help'\n",
              stderr);
        return 2;
    }
    if ((header || check || report) && !(d = gs__sia_load(sia, &err))) {
        if (header || check) {
            fprintf(stderr, "fit_scaledb: error: %s\n", err.msg);
            return 1;
        }
        fprintf(stderr, "fit_scaledb: %s: the report shows the committed fit errors\n", err.msg);
        memset(&err, 0, sizeof(err));
    }
    if (header) {
        gs__dbm_fit fits[GS__SIA_NTYPES];
        double bytes[GS__SIA_NAPPS];
        gs_outfile of;
        if ((rc = gs__sia_fit(d, fits, bytes, &err)) == GS_OK &&
            (rc = gs_outfile_open(&of, header, &err)) == GS_OK) {
            rc = gs__sia_write_header(of.fp, fits, bytes, &err);
            if (rc == GS_OK)
                rc = gs_outfile_commit(&of, &err);
            else
                gs_outfile_abort(&of);
        }
    }
    if (rc == GS_OK && check) {
        double bytes[GS__SIA_NAPPS], rmse[GS__SIA_NTYPES], mx[GS__SIA_NTYPES];
        const gs__dbm_fit *fits = gs__sia_committed(bytes);
        int pts[GS__SIA_NTYPES], t;
        gs__sia_errors(d, fits, bytes, rmse, mx, pts);
        for (t = 0; t < GS__SIA_NTYPES; t++)
            printf("%s points %d rmse %.4f (committed %.4f) max %.4f\n", fits[t].sia_type, pts[t],
                   rmse[t], fits[t].rmse, mx[t]);
    }
    if (rc == GS_OK && report) {
        gs_outfile of;
        if ((rc = gs_outfile_open(&of, report, &err)) == GS_OK) {
            rc = gs__sia_report(of.fp, d, &err);
            if (rc == GS_OK)
                rc = gs_outfile_commit(&of, &err);
            else
                gs_outfile_abort(&of);
        }
    }
    gs__sia_free(d);
    if (rc != GS_OK) {
        fprintf(stderr, "fit_scaledb: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
