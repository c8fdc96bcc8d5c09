/* SPDX-License-Identifier: Apache-2.0 */
/* One self-contained HTML page about a run or a sweep of runs: the summary, JCT CDFs, the
 * cluster's timeline, Gantt charts, fairness, energy and cost, drawn as inline SVG. */
#ifndef GPUSIM_HTMLREPORT_H
#define GPUSIM_HTMLREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "gpusim/err.h"

typedef struct gs_report_opts {
    const char *by;         /* the parameter column that groups runs (default "policy") */
    const char *title;      /* the page's title (default "gpusim report") */
    size_t gantt_rows;      /* at most this many jobs per Gantt chart, every k-th (default 400) */
    size_t timeline_points; /* time bins per timeline line (default 240) */
} gs_report_opts;

void gs_report_opts_init(gs_report_opts *o);

/* Writes the report of the result folders at or under paths[0..npaths) (as gs_merge_add finds
 * them) to fp. Runs are grouped by the value of opts->by (groups in byte order of that value);
 * distributions (JCT, FTF) pool the jobs of a group's runs, summary numbers are means over its
 * runs, and the timeline, Gantt chart and worst-treated users are those of each group's first run
 * (in gs_merge order). Needs each run's summary.json and jobs.csv; timeline.csv, allocations.csv
 * and users.csv when present (a section says when one is missing). The page has no script and
 * loads nothing: styles and figures are inline. Returns GS_OK, GS_ENOTFOUND (no run), GS_EINVAL
 * (opts->by is not a parameter column), GS_EPARSE or GS_EIO (a broken result file, named),
 * GS_ENOMEM. Output is deterministic: the same folders give the same bytes. */
int gs_report_html(const char *const *paths, size_t npaths, const gs_report_opts *opts, FILE *fp,
                   gs_err *err);

#endif
