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

/* Limits that keep hostile input from taking unbounded memory (docs/limits.md): a record (one
 * line, or several when a quoted field holds newlines) of at most GS_CSV_MAX_RECORD bytes and
 * GS_CSV_MAX_FIELDS fields, a field of at most GS_CSV_MAX_FIELD bytes. */
#define GS_CSV_MAX_RECORD (1u << 20)
#define GS_CSV_MAX_FIELD  (1u << 16)
#define GS_CSV_MAX_FIELDS 4096

/* Streams the CSV file path (RFC 4180: quotes, embedded commas and newlines, CRLF; a UTF-8
 * BOM is skipped). Malformed quoting, an unterminated quote, a NUL byte and a record, field or
 * field count over the limits above are errors naming the line. Returns GS_OK, GS_EIO,
 * GS_EPARSE or the callback's code. */
int gs__csv_read(const char *path, gs__csv_row_fn fn, void *ctx, gs_err *err);

/* The same over a buffer in memory; name is used in messages. */
int gs__csv_read_mem(const char *name, const char *data, size_t len, gs__csv_row_fn fn, void *ctx,
                     gs_err *err);

/* Writes s as one CSV field (quoted only when it has to be). */
void gs__csv_put(const char *s, void *fp);

#endif
