/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: a result folder for `merge` and `report`: summary.json, then jobs.csv after
 * a "%%" line; the three tables and the HTML page are written to /dev/null. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "gpusim/htmlreport.h"
#include "gpusim/merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *tail;
    size_t head, tail_size;
    char dir[4352];
    gs_err err = {0};
    gs_merge *m;

    gs_fuzz_split(data, size, &head, &tail, &tail_size);
    snprintf(dir, sizeof(dir), "%s", gs_fuzz_path("run"));
    mkdir(dir, 0700);
    gs_fuzz_write("run/summary.json", data, head);
    gs_fuzz_write("run/jobs.csv", tail, tail_size);
    m = gs_merge_new(&err);
    if (m && gs_merge_add(m, dir, &err) == GS_OK) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            gs_merge_write_runs(m, null, &err);
            gs_merge_write_jobs(m, null, &err);
            gs_merge_write_cdf(m, "policy", null, &err);
            {
                const char *dirs[1] = {dir};
                gs_report_opts ro;
                gs_err e2 = {0};
                gs_report_opts_init(&ro);
                gs_report_html(dirs, 1, &ro, null, &e2);
            }
            fclose(null);
        }
    }
    gs_merge_free(m);
    return 0;
}
