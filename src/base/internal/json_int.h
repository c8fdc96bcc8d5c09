/* SPDX-License-Identifier: Apache-2.0 */
/* Base internal API (src/base/internal/README.md): JSON helpers over cJSON: load with
 * line-numbered syntax errors, typed and validated getters whose errors name the file, the line
 * and the field. cJSON types never reach include/gpusim/. */
#ifndef GPUSIM_JSON_INT_H
#define GPUSIM_JSON_INT_H

#include <cJSON.h>

#include "gpusim/err.h"

typedef struct gs__jdoc {
    char *path; /* file name used in messages */
    char *text;
    cJSON *root;
} gs__jdoc;

/* Limits of every JSON input (docs/limits.md): at most GS_READ_MAX bytes, nesting at most
 * GS_JSON_MAX_DEPTH deep, no NUL byte, no key twice in one object. */
#define GS_JSON_MAX_DEPTH 64

/* Reads and parses path. A syntax error names the line and column; a NUL byte, nesting deeper
 * than GS_JSON_MAX_DEPTH and a key given twice in one object are errors naming the line (a
 * duplicate key would otherwise let the first value win silently). */
int gs__jdoc_load(gs__jdoc *d, const char *path, gs_err *err);
/* Parses text (copied) under the display name name. */
int gs__jdoc_parse(gs__jdoc *d, const char *name, const char *text, gs_err *err);
void gs__jdoc_release(gs__jdoc *d);

/* 1-based line of the value at jpath ("groups[2].gpu_type"; "" = the root). When the path does
 * not exist, the line of the deepest part that does. */
int gs__jdoc_line(const gs__jdoc *d, const char *jpath);

/* The source text of the value at jpath (then, when key is not NULL, of its member key, taken
 * literally even when it holds '.' or '['): *len bytes from the returned pointer into d->text,
 * surrounding blanks excluded. NULL when there is no such value. Lets a number be copied exactly
 * as written (a 64-bit seed does not survive a trip through a double). */
const char *gs__jdoc_raw(const gs__jdoc *d, const char *jpath, const char *key, size_t *len);

/* Fills err with "file 'F' line N: field 'jpath': <message>" and returns code. */
int gs__jerr(const gs__jdoc *d, gs_err *err, int code, const char *jpath, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Joins a parent path and a key or an index into buf ("a.b", "a[3]"). Returns buf. */
char *gs__jpath(char *buf, size_t size, const char *parent, const char *key);
char *gs__jpath_idx(char *buf, size_t size, const char *parent, int idx);

/* Typed getters. obj is the object at path objp. A missing key gives def when required is 0,
 * an error otherwise; a value of the wrong type or out of [lo, hi] is an error. */
int gs__jnum(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             double def, double lo, double hi, double *out, gs_err *err);
int gs__jint(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             long def, long lo, long hi, long *out, gs_err *err);
int gs__jbool(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
              int def, int *out, gs_err *err);
/* *out borrows the string from the tree (valid until gs__jdoc_release). */
int gs__jstr(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             const char *def, const char **out, gs_err *err);
/* The array or object under key, or NULL: missing and optional (no error), or an error. */
const cJSON *gs__jarr(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                      int required, gs_err *err);
const cJSON *gs__jobj(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                      int required, gs_err *err);

/* Rejects keys of obj not in allowed (NULL-terminated): a misspelt key is an error, not a
 * silently ignored setting. */
int gs__jkeys(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *const *allowed,
              gs_err *err);

/* Checks root["schema_version"] is an integer in [1, max]. */
int gs__jschema(const gs__jdoc *d, int max, long *version, gs_err *err);

/* Adds a number printed in the fixed "%.6f" format (deterministic across runs and libcs). */
cJSON *gs__jadd_fixed(cJSON *obj, const char *key, double v);

/* cJSON says nothing about why it failed, nor does building a tree (cJSON_AddXToObject returns
 * NULL and the tree is silently short). gpusim installs cJSON allocation hooks that note a failed
 * allocation; gs__jprint() and gs__jdoc_parse() check that note, so that running out of memory is
 * reported as such, never as a malformed file or a truncated output. */

/* Prints root (formatted when formatted is 1) to a malloc'd string. Returns NULL with GS_ENOMEM
 * when printing, or building any tree since the last check, ran out of memory. Does not free
 * root. */
char *gs__jprint(const cJSON *root, int formatted, gs_err *err);

/* Whether a cJSON allocation failed since the last check; clears the note. */
int gs__json_oom(void);

/* Add item to the array arr, or to the object obj under key. When that cannot be done (arr or
 * obj NULL because building it failed, item NULL, out of memory) the item is deleted, so that
 * nothing leaks, and the failure is noted for gs__jprint(). Return item, or NULL. */
cJSON *gs__jpush(cJSON *arr, cJSON *item);
cJSON *gs__jput(cJSON *obj, const char *key, cJSON *item);

/* Prints root (formatted) to the atomic file path; "-" is stdout. */
int gs__jwrite(const cJSON *root, const char *path, gs_err *err);

/* ---- streams of JSON values (job logs too large for one tree) ---- */

/* One value of a stream: its source text (inside the caller's buffer, not NUL-terminated) and
 * where it starts. */
typedef struct gs__jitem {
    const char *name; /* file name for messages */
    const char *text;
    size_t len;
    long line;  /* 1-based line on which the value starts */
    long index; /* 0-based position in the stream */
} gs__jitem;

/* Called once per value; v is freed when it returns. A negative return stops the stream and is
 * returned by gs__json_stream. */
typedef int (*gs__jitem_fn)(void *ctx, const cJSON *v, const gs__jitem *it, gs_err *err);

/* Streams the file path: either one top-level array, each element in turn, or a sequence of
 * top-level values (JSON Lines). cJSON parses one value at a time from the mapped file, so
 * memory holds one value's tree, not the document's. A syntax error names the line and column;
 * a missing ',' or ']' between elements is an error too. Returns GS_OK, GS_EIO, GS_EPARSE,
 * GS_ENOMEM or the callback's code. */
int gs__json_stream(const char *path, gs__jitem_fn fn, void *ctx, gs_err *err);
/* The same over len bytes in memory (need not be NUL-terminated); name is used in messages. */
int gs__json_stream_mem(const char *name, const char *data, size_t len, gs__jitem_fn fn, void *ctx,
                        gs_err *err);

/* Line of the value at jpath ("attempts[1].detail[0].gpus"; "" = the item) inside the item, or
 * of the deepest part of jpath that exists. For error messages. */
long gs__jitem_line(const gs__jitem *it, const char *jpath);

#endif
