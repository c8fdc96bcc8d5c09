/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: scaling DBs (JSON), then lookups over every class, type and count. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "gpusim/scaling_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = gs_fuzz_write("db.json", data, size);
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(path, &err);
    int c, t, g;

    if (!db)
        return 0;
    for (c = 0; c < gs_scaledb_nclasses(db); c++)
        for (t = 0; t < gs_scaledb_ntypes(db); t++)
            for (g = 1; g <= 64; g *= 2) {
                double thr;
                int viable;
                gs_scaledb_lookup(db, c, t, g, 0, &thr, &viable);
            }
    gs_scaledb_free(db);
    return 0;
}
