/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: measured throughputs imported from CSV into the test scaling DB. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "gpusim/scaling_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *csv = gs_fuzz_write("measured.csv", data, size);
    char csvp[4352];
    gs_err err = {0};
    gs_scaledb_import_stats st;

    snprintf(csvp, sizeof(csvp), "%s", csv);
    /* the merged DB is validated as a load would, then written to a device in place */
    gs_scaledb_import(gs_fuzz_source("tests/data/tiny_db.json"), csvp, size && (data[0] & 1), NULL,
                      "/dev/null", &st, &err);
    return 0;
}
