/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: cluster configs against the test scaling DB. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "gpusim/cluster.h"
#include "gpusim/scaling_db.h"

static gs_scaledb *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = gs_fuzz_write("cluster.json", data, size);
    gs_err err = {0};
    gs_cluster *cl;

    if (!db && !(db = gs_scaledb_load(gs_fuzz_source("tests/data/tiny_db.json"), &err)))
        __builtin_trap();
    cl = gs_cluster_load(path, db, &err);
    if (cl) {
        size_t p;
        int cfg[64];
        for (p = 0; p < gs_cluster_npools(cl); p++)
            gs_cluster_configs(cl, p, cfg, 64);
        gs_cluster_free(cl);
    }
    return 0;
}
