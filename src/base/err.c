/* SPDX-License-Identifier: Apache-2.0 */
/* Error buffers and status-code names. */
#include "gpusim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util_int.h"

/* The bytes src[i] stands for in a message: itself, or \n, \t, \r, \xNN for a control byte. */
static size_t unit(unsigned char c, char esc[4])
{
    static const char hex[] = "0123456789abcdef";

    esc[0] = (char)c;
    if (c >= 0x20 && c != 0x7f)
        return 1;
    esc[0] = '\\';
    esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : 'x';
    if (esc[1] != 'x')
        return 2;
    esc[2] = hex[c >> 4];
    esc[3] = hex[c & 15];
    return 4;
}

void gs__one_line(char *dst, size_t size, const char *src)
{
    const unsigned char *p;
    size_t o = 0, total = 0;
    char esc[4];

    for (p = (const unsigned char *)src; *p; p++)
        total += unit(*p, esc);
    /* a line cut short keeps whole escapes and whole UTF-8 characters, then "..." */
    for (p = (const unsigned char *)src; *p; p++) {
        size_t n = unit(*p, esc);
        if (total >= size && o + n + 4 > size) {
            if ((*p & 0xc0) == 0x80) { /* inside a UTF-8 character: drop its first bytes */
                while (o > 0 && ((unsigned char)dst[o - 1] & 0xc0) == 0x80)
                    o--;
                if (o > 0 && (unsigned char)dst[o - 1] >= 0xc0)
                    o--;
            }
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
