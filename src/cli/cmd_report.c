/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim report`: one self-contained HTML page about a run or a sweep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/htmlreport.h"
#include "gpusim/io.h"

typedef struct report_args {
    const char *out, *by, *title;
    int gantt_rows, timeline_points;
} report_args;

static const gs__opt report_opts[] = {
    OPT_STR("out", 'o', report_args, out, "FILE",
            "the page (written atomically; '-' for standard output)"),
    OPT_STR("by", 'b', report_args, by, "COLUMN",
            "what a group is: policy (default), seed, trace,\n"
            "knowledge_error, param.<key>, run, ... (a parameter\n"
            "column of gpusim merge)"),
    OPT_STR("title", 't', report_args, title, "TEXT", "the page's title (default 'gpusim report')"),
    OPT_INT("gantt-rows", 0, report_args, gantt_rows, "N", 1, 100000,
            "at most N jobs per Gantt chart, every k-th, %r\n(default 400)"),
    OPT_INT("timeline-points", 0, report_args, timeline_points, "N", 1, 100000,
            "time bins per timeline line, %r (default 240)"),
    OPT_END,
};

static const gs__optspec report_spec = {
    "report",
    "usage: gpusim report DIR... -o report.html [options]\n"
    "\n"
    "Writes one self-contained HTML page (inline SVG figures, no script, nothing loaded\n"
    "from the network) about the result folders in DIR... (result folders, or folders\n"
    "below which they lie, as `gpusim merge` finds them): a summary table, JCT CDFs per\n"
    "group, the cluster's timeline, Gantt charts, fairness (FTF, slowdown, Jain's index,\n"
    "the worst-treated users), energy and cost.\n\n",
    report_opts,
    "Exit status: 0 success, 1 a missing or broken result folder (file and line named), 2\n"
    "a usage error.\n",
    -1,
};

/* Writes the page about dirs[0..n-1] into out; the exit status. */
static int write_report(const char *out, const char *const *dirs, size_t n, const gs_report_opts *o)
{
    gs_outfile of;
    gs_err err = {0};

    if (gs_outfile_check(out, &err) != GS_OK || gs_outfile_open(&of, out, &err) != GS_OK)
        return gs__fail(&err);
    if (gs_report_html(dirs, n, o, of.fp, &err) != GS_OK) {
        gs_outfile_abort(&of);
        return gs__fail(&err);
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__fail(&err);
    return GS_EXIT_OK;
}

int gs__cmd_report(int argc, char **argv)
{
    gs_report_opts o;
    report_args a;
    int status, first;

    gs_report_opts_init(&o);
    a.out = NULL;
    a.by = o.by;
    a.title = o.title;
    a.gantt_rows = (int)o.gantt_rows;
    a.timeline_points = (int)o.timeline_points;
    if ((status = gs__opt_parse(&report_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (first >= argc)
        return gs__usage_error("report", "no result folder given");
    if (!a.out)
        return gs__usage_error("report", "missing -o FILE");
    o.by = a.by;
    o.title = a.title;
    o.gantt_rows = (size_t)a.gantt_rows;
    o.timeline_points = (size_t)a.timeline_points;
    return gs__finish_stdout(
        write_report(a.out, (const char *const *)argv + first, (size_t)(argc - first), &o));
}
