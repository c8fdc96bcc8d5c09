/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: JCT CDF files (jct_cdf.csv or any CSV with a jct column). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "gpusim/cdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = gs_fuzz_write("cdf.csv", data, size);
    gs_err err = {0};
    gs_cdf c;

    if (gs_cdf_load(&c, path, &err) == GS_OK) {
        double at;
        gs_cdf_ks(&c, &c, &at);
        gs_cdf_eval(&c, 100);
        gs_cdf_release(&c);
    }
    return 0;
}
