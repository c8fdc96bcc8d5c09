/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the libFuzzer harnesses: inputs go through real files, since every loader takes a
 * path, in a private folder removed at exit. */
#ifndef GPUSIM_FUZZ_UTIL_H
#define GPUSIM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Path of name in the harness's private folder (created on first use under $TMPDIR, removed at
 * exit). The returned string is static: valid until the next call. */
const char *gs_fuzz_path(const char *name);

/* Writes size bytes of data to name in the private folder; returns its path (as gs_fuzz_path). */
const char *gs_fuzz_write(const char *name, const uint8_t *data, size_t size);

/* Splits data at the first line "%%" into a head and a tail (the tail is empty when there is
 * none). Lets one input hold two files (a scenario and its link trace, summary.json and
 * jobs.csv). */
void gs_fuzz_split(const uint8_t *data, size_t size, size_t *head, const uint8_t **tail,
                   size_t *tail_size);

/* A committed test input, by its path relative to the source tree. */
const char *gs_fuzz_source(const char *rel);

#endif
