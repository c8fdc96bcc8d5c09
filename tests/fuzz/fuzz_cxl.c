/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: CXL hardware configs, then the memory benchmarks on what loads. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "gpusim/cxl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = gs_fuzz_write("hw.json", data, size);
    gs_err err = {0};
    gs_cxl_hw *hw = gs_cxl_hw_load(path, &err);
    gs_cxl_membench_row *rows = NULL;
    gs_cxl_loaded_row *lrows = NULL;
    size_t n;
    static const double inject[] = {0, 0.5, 1};

    if (!hw)
        return 0;
    if (gs_cxl_membench(hw, 1 + (int)(size % 7), &rows, &n, &err) == GS_OK)
        free(rows);
    if (gs_cxl_loaded_latency(hw, inject, 3, &lrows, &n, &err) == GS_OK)
        free(lrows);
    gs_cxl_hw_free(hw);
    return 0;
}
