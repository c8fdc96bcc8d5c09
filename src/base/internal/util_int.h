/* SPDX-License-Identifier: Apache-2.0 */
/* Base internal API (src/base/internal/README.md): buffers, array growth, strict number parsing,
 * paths, small statistics. */
#ifndef GPUSIM_UTIL_INT_H
#define GPUSIM_UTIL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/err.h"

/* A growable byte buffer; data is NUL-terminated after every append. {0} is empty. */
typedef struct gs__buf {
    char *data;
    size_t len, cap;
} gs__buf;

/* ---- array growth: the one way gpusim grows an array (git's ALLOC_GROW) ----
 * GS_GROW(arr, cap, need) makes room for need elements in arr (any T *, capacity cap elements, a
 * size_t lvalue): when need > cap the array is reallocated to gs__grow_cap(cap, need) elements.
 * On failure (out of memory, or a size that overflows) arr and cap are unchanged. Evaluates to
 * GS_OK or GS_ENOMEM. arr must be an lvalue of pointer type; arr and cap are evaluated more than
 * once. */
#define GS_GROW(arr, cap, need)                                                                    \
    ((size_t)(need) <= (cap) ? GS_OK : gs__grow(&(arr), &(cap), (size_t)(need), sizeof(*(arr))))
/* The capacity an array of capacity cap grows to so that it holds need elements: twice cap, at
 * least 16, at least need. */
size_t gs__grow_cap(size_t cap, size_t need);
/* What GS_GROW calls: arrp is the address of the array pointer (a T **). */
int gs__grow(void *arrp, size_t *cap, size_t need, size_t elem);
/* Reallocates the array at arrp (a T **) to exactly n elements of elem bytes (n > 0): for arrays
 * that share one capacity (grown together with gs__grow_cap). Unchanged on failure. Returns
 * GS_OK or GS_ENOMEM. */
int gs__resize(void *arrp, size_t n, size_t elem);
#define GS_RESIZE(arr, n) gs__resize(&(arr), (size_t)(n), sizeof(*(arr)))

int gs__buf_append(gs__buf *b, const void *p, size_t n);
int gs__buf_printf(gs__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void gs__buf_release(gs__buf *b);

/* malloc'd copy of s (NULL on ENOMEM or when s is NULL). */
char *gs__strdup(const char *s);
/* malloc'd "dir/name". */
char *gs__path_join(const char *dir, const char *name);

/* The largest file gs__read_file() reads: whole-file inputs (JSON configs and DBs) are far
 * smaller, and a stream without end (/dev/zero) must not take unbounded memory. */
#define GS_READ_MAX ((size_t)64 << 20)

/* Reads a whole file into a malloc'd NUL-terminated buffer; a file over GS_READ_MAX bytes is an
 * error (GS_EPARSE). */
int gs__read_file(const char *path, char **out, size_t *len_out, gs_err *err);

/* Strict parsers over a field of len bytes (not NUL-terminated): the whole field must be the
 * number, surrounding blanks allowed. Return 0 on success, -1 otherwise. */
int gs__parse_double(const char *s, size_t len, double *out);
int gs__parse_int64(const char *s, size_t len, int64_t *out);

/* gs_data_resolve (io.h): a config or trace given as a path or as a bare name in gpusim's data
 * directory. */
char *gs__resolve_config(const char *subdir, const char *name, const char *ext, gs_err *err);
/* How summaries record an input: "data:<path inside the data directory>" for an absolute path
 * to the bundled configs/ or traces/ of gpusim's data directory (a bare name resolved there: so
 * that results do not depend on where gpusim is installed or checked out), path itself otherwise (a
 * relative path stays as the user gave it). malloc'd; NULL on ENOMEM. */
char *gs__data_label(const char *path);

/* Copies src into dst (size >= 8 bytes) as one printable line: control bytes and DEL become \n,
 * \t, \r or \xNN, so a value echoed from a hostile input (a quoted CSV field holding a newline,
 * a terminal escape sequence) can neither split a message nor drive the terminal. A line cut
 * short ends in "...". gs_errorf() passes every message through it. */
void gs__one_line(char *dst, size_t size, const char *src);

/* Prints a double in the fixed output format ("%.6f", "-0.000000" written as "0.000000"). */
int gs__fmt_double(char *buf, size_t size, double v);

/* A read-only view of a whole file: mapped when it is a regular file, read into memory
 * otherwise. data is not NUL-terminated; an empty file gives len 0. */
typedef struct gs__fmap {
    const char *data;
    size_t len;
    int mapped;
    char *owned;
} gs__fmap;

int gs__fmap_open(gs__fmap *m, const char *path, gs_err *err);
void gs__fmap_close(gs__fmap *m);

#endif
