/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim report`: one self-contained HTML page about a run or a sweep. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/htmlreport.h"
#include "gpusim/io.h"

static void report_usage(FILE *fp)
{
    fprintf(fp,
            "usage: gpusim report DIR... -o report.html [options]\n"
            "\n"
            "Writes one self-contained HTML page (inline SVG figures, no script, nothing loaded\n"
            "from the network) about the result folders in DIR... (result folders, or folders\n"
            "below which they lie, as `gpusim merge` finds them): a summary table, JCT CDFs per\n"
            "group, the cluster's timeline, Gantt charts, fairness (FTF, slowdown, Jain's index,\n"
            "the worst-treated users), energy and cost.\n"
            "\n"
            "  -o, --out FILE        the page (written atomically; '-' for standard output)\n"
            "  -b, --by COLUMN       what a group is: policy (default), seed, trace,\n"
            "                        knowledge_error, param.<key>, run, ... (a parameter column\n"
            "                        of gpusim merge)\n"
            "  -t, --title TEXT      the page's title (default 'gpusim report')\n"
            "      --gantt-rows N    at most N jobs per Gantt chart, every k-th (default 400)\n"
            "      --timeline-points N  time bins per timeline line (default 240)\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 success, 1 a missing or broken result folder (file and line named), 2\n"
            "a usage error.\n");
}

enum { OPT_GANTT = 256, OPT_POINTS };

int gs__cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"by", required_argument, NULL, 'b'},
        {"title", required_argument, NULL, 't'},
        {"gantt-rows", required_argument, NULL, OPT_GANTT},
        {"timeline-points", required_argument, NULL, OPT_POINTS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    gs_report_opts o;
    const char *out = NULL;
    gs_outfile of;
    gs_err err = {0};
    int c, v;

    gs_report_opts_init(&o);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:b:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'b':
            o.by = optarg;
            break;
        case 't':
            o.title = optarg;
            break;
        case OPT_GANTT:
        case OPT_POINTS:
            if (gs__opt_int(optarg, &v) != 0 || v < 1 || v > 100000)
                return gs__usage_error("report",
                                       "option '%s' needs an integer in [1, 100000], "
                                       "got '%s'",
                                       argv[optind - 1], optarg);
            if (c == OPT_GANTT)
                o.gantt_rows = (size_t)v;
            else
                o.timeline_points = (size_t)v;
            break;
        case 'h':
            report_usage(stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        case ':':
            return gs__usage_error("report", "option '%s' needs a value", argv[optind - 1]);
        default:
            return gs__usage_error("report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return gs__usage_error("report", "no result folder given");
    if (!out)
        return gs__usage_error("report", "missing -o FILE");
    if (gs_outfile_open(&of, out, &err) != GS_OK)
        return gs__fail(&err);
    if (gs_report_html((const char *const *)argv + optind, (size_t)(argc - optind), &o, of.fp,
                       &err) != GS_OK) {
        gs_outfile_abort(&of);
        return gs__finish_stdout(gs__fail(&err));
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__finish_stdout(gs__fail(&err));
    return gs__finish_stdout(GS_EXIT_OK);
}
