/* SPDX-License-Identifier: Apache-2.0 */
/* Status codes and the error buffer every fallible gpusim call fills. */
#ifndef GPUSIM_ERR_H
#define GPUSIM_ERR_H

#include <stddef.h>

/* Status codes: GS_OK or negative, libuv style. The X-macro generates the enum, gs_strerror()
 * and gs_err_name(). */
#define GS_ERRNO_MAP(X)                                                                            \
    X(ENOMEM, -1, "out of memory")                                                                 \
    X(EINVAL, -2, "invalid argument")                                                              \
    X(EIO, -3, "i/o error")                                                                        \
    X(EPARSE, -4, "parse error")                                                                   \
    X(ENOTFOUND, -5, "not found")                                                                  \
    X(EINFEASIBLE, -6, "infeasible")

enum gs_status {
    GS_OK = 0,
#define GS_ERR_ENUM_(name, val, msg) GS_##name = (val),
    GS_ERRNO_MAP(GS_ERR_ENUM_)
#undef GS_ERR_ENUM_
};

/* The first error wins: gs_errorf() leaves an already-set error alone, so the root cause
 * survives while callers propagate the code. Initialise with {0}. */
typedef struct gs_err {
    int code;
    char msg[256];
} gs_err;

/* Fills err (if non-NULL and not yet set) with code and a printf-style message; returns code.
 * Messages are lowercase, quote their subject and have no final period. */
int gs_errorf(gs_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes context to an error already set ("trace 'x.csv': " + msg). Does nothing when err is
 * NULL or unset. Returns err->code (or GS_OK). */
int gs_err_prefix(gs_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clears err back to {0}. */
void gs_err_clear(gs_err *err);

/* Static description of a status code ("out of memory"); "unknown error" for others. */
const char *gs_strerror(int code);

/* Static name of a status code ("GS_ENOMEM"). */
const char *gs_err_name(int code);

#endif
