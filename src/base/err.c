/* SPDX-License-Identifier: Apache-2.0 */
/* Error buffers and status-code names. */
#include "gpusim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util_int.h"

void gs__one_line(char *dst, size_t size, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    const unsigned char *p;

    for (p = (const unsigned char *)src; *p; p++) {
        char esc[4];
        size_t n = 1;
        esc[0] = (char)*p;
        if (*p < 0x20 || *p == 0x7f) {
            esc[0] = '\\';
            esc[1] = *p == '\n' ? 'n' : *p == '\t' ? 't' : *p == '\r' ? 'r' : 'x';
            n = 2;
            if (esc[1] == 'x') {
                esc[2] = hex[*p >> 4];
                esc[3] = hex[*p & 15];
                n = 4;
            }
        }
        if (o + n + 1 > size) {
            o = o < size - 4 ? o : size - 4;
            memcpy(dst + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(dst + o, esc, n);
        o += n;
    }
    dst[o] = '\0';
}

int gs_errorf(gs_err *err, int code, const char *fmt, ...)
{
    char raw[1024];
    va_list ap;

    if (!err || err->code != GS_OK)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    gs__one_line(err->msg, sizeof(err->msg), raw);
    return code;
}

int gs_err_prefix(gs_err *err, const char *fmt, ...)
{
    char head[sizeof(err->msg)];
    char old[sizeof(err->msg)];
    char raw[1024];
    va_list ap;

    if (!err || err->code == GS_OK)
        return GS_OK;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    gs__one_line(head, sizeof(head), raw);
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
