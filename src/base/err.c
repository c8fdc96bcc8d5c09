/* SPDX-License-Identifier: Apache-2.0 */
/* Error buffers and status-code names. */
#include "gpusim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gs_errorf(gs_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err || err->code != GS_OK)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

int gs_err_prefix(gs_err *err, const char *fmt, ...)
{
    char head[sizeof(err->msg)];
    char old[sizeof(err->msg)];
    va_list ap;

    if (!err || err->code == GS_OK)
        return GS_OK;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    {
        size_t h = strlen(head), o = strnlen(old, sizeof(old) - 1);
        if (h > sizeof(err->msg) - 1)
            h = sizeof(err->msg) - 1;
        if (o > sizeof(err->msg) - 1 - h)
            o = sizeof(err->msg) - 1 - h;
        memcpy(err->msg, head, h);
        memcpy(err->msg + h, old, o);
        err->msg[h + o] = '\0';
    }
    return err->code;
}

void gs_err_clear(gs_err *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

const char *gs_strerror(int code)
{
    switch (code) {
    case GS_OK:
        return "success";
#define GS_ERR_STR_(name, val, msg)                                                                \
    case GS_##name:                                                                                \
        return msg;
        GS_ERRNO_MAP(GS_ERR_STR_)
#undef GS_ERR_STR_
    }
    return "unknown error";
}

const char *gs_err_name(int code)
{
    switch (code) {
    case GS_OK:
        return "GS_OK";
#define GS_ERR_NAME_(name, val, msg)                                                               \
    case GS_##name:                                                                                \
        return "GS_" #name;
        GS_ERRNO_MAP(GS_ERR_NAME_)
#undef GS_ERR_NAME_
    }
    return "GS_UNKNOWN";
}
