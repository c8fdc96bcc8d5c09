/* SPDX-License-Identifier: Apache-2.0 */
/* Base internal API (src/base/internal/README.md): CSV reading over libcsv, records with their
 * physical line numbers. */
#ifndef GPUSIM_CSV_INT_H
#define GPUSIM_CSV_INT_H

#include <stddef.h>

#include "gpusim/err.h"

typedef struct gs__csv_field {
    const char *s; /* NUL-terminated copy, valid during the callback */
    size_t len;
} gs__csv_field;

/* Called once per record (the header included). line is the 1-based physical line on which
 * the record starts. A negative return stops reading and is returned by gs__csv_read. */
typedef int (*gs__csv_row_fn)(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err);

/* Streams the CSV file path (RFC 4180: quotes, embedded commas and newlines, CRLF; a UTF-8
 * BOM is skipped). Malformed quoting and an unterminated quote are errors naming the line.
 * Returns GS_OK, GS_EIO, GS_EPARSE or the callback's code. */
int gs__csv_read(const char *path, gs__csv_row_fn fn, void *ctx, gs_err *err);

/* The same over a buffer in memory; name is used in messages. */
int gs__csv_read_mem(const char *name, const char *data, size_t len, gs__csv_row_fn fn, void *ctx,
                     gs_err *err);

/* Writes s as one CSV field (quoted only when it has to be). */
void gs__csv_put(const char *s, void *fp);

#endif
