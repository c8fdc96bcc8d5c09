/* SPDX-License-Identifier: Apache-2.0 */
/* Private helpers: buffers, strict number parsing, file reading, config paths. */
#include "util_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

size_t gs__grow_cap(size_t cap, size_t need)
{
    size_t c = cap < 8 ? 16 : cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap;

    return c < need ? need : c;
}

int gs__resize(void *arrp, size_t n, size_t elem)
{
    void *old, *p;

    if (n == 0 || elem == 0 || n > SIZE_MAX / elem)
        return GS_ENOMEM;
    /* the pointer is copied in and out with memcpy: arrp points at a T *, not at a void * */
    memcpy(&old, arrp, sizeof(old));
    if (!(p = realloc(old, n * elem)))
        return GS_ENOMEM;
    memcpy(arrp, &p, sizeof(p));
    return GS_OK;
}

int gs__grow(void *arrp, size_t *cap, size_t need, size_t elem)
{
    size_t c;

    if (need <= *cap)
        return GS_OK;
    c = gs__grow_cap(*cap, need);
    if (c > SIZE_MAX / elem) /* doubling overflows: try exactly what is needed */
        c = need;
    if (gs__resize(arrp, c, elem) != GS_OK)
        return GS_ENOMEM;
    *cap = c;
    return GS_OK;
}

int gs__buf_append(gs__buf *b, const void *p, size_t n)
{
    if (n > SIZE_MAX - b->len - 1 || GS_GROW(b->data, b->cap, b->len + n + 1) != GS_OK)
        return GS_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return GS_OK;
}

int gs__buf_printf(gs__buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return GS_EINVAL;
    if (GS_GROW(b->data, b->cap, b->len + (size_t)n + 1) != GS_OK)
        return GS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return GS_OK;
}

void gs__buf_release(gs__buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

char *gs__strdup(const char *s)
{
    size_t n;
    char *d;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *gs__path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);

    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

int gs__fmap_open(gs__fmap *m, const char *path, gs_err *err)
{
    struct stat sb;
    int fd;
    size_t len;
    int rc;

    memset(m, 0, sizeof(*m));
    m->data = "";
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return gs_errorf(err, GS_EIO, "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        return gs_errorf(err, GS_EIO, "cannot read '%s': it is a folder", path);
    }
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        void *p;
        if (sb.st_size == 0) {
            close(fd);
            return GS_OK;
        }
        p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (p == MAP_FAILED)
            return gs_errorf(err, GS_EIO, "cannot map '%s': %s", path, strerror(errno));
        m->data = p;
        m->len = (size_t)sb.st_size;
        m->mapped = 1;
        return GS_OK;
    }
    close(fd);
    rc = gs__read_file(path, &m->owned, &len, err);
    if (rc != GS_OK)
        return rc;
    m->data = m->owned;
    m->len = len;
    return GS_OK;
}

void gs__fmap_close(gs__fmap *m)
{
    if (m->mapped)
        munmap((void *)(uintptr_t)m->data, m->len);
    free(m->owned);
    memset(m, 0, sizeof(*m));
}

int gs__read_file(const char *path, char **out, size_t *len_out, gs_err *err)
{
    FILE *fp = fopen(path, "rb");
    gs__buf b = {0};
    char chunk[1 << 16];
    size_t n;

    *out = NULL;
    if (!fp)
        return gs_errorf(err, GS_EIO, "cannot open '%s': %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (b.len + n > GS_READ_MAX) {
            fclose(fp);
            gs__buf_release(&b);
            return gs_errorf(err, GS_EPARSE, "'%s' is larger than the limit of %zu MiB", path,
                             GS_READ_MAX >> 20);
        }
        if (gs__buf_append(&b, chunk, n) != GS_OK) {
            fclose(fp);
            gs__buf_release(&b);
            return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", path);
        }
    }
    if (ferror(fp)) {
        fclose(fp);
        gs__buf_release(&b);
        return gs_errorf(err, GS_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    fclose(fp);
    if (gs__buf_append(&b, "", 0) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", path);
    *out = b.data;
    if (len_out)
        *len_out = b.len;
    return GS_OK;
}

/* Copies the trimmed field into buf; returns its length or -1 when empty or too long. */
static int trimmed(const char *s, size_t len, char *buf, size_t size)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len == 0 || len >= size)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return (int)len;
}

int gs__parse_double(const char *s, size_t len, double *out)
{
    char buf[64], *end;
    double v;

    if (trimmed(s, len, buf, sizeof(buf)) < 0)
        return -1;
    errno = 0;
    v = strtod(buf, &end);
    if (*end != '\0' || errno == ERANGE || isnan(v) || isinf(v))
        return -1;
    *out = v;
    return 0;
}

int gs__parse_int64(const char *s, size_t len, int64_t *out)
{
    char buf[64], *end;
    long long v;
    double d;

    if (trimmed(s, len, buf, sizeof(buf)) < 0)
        return -1;
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (*end == '\0' && errno == 0) {
        *out = v;
        return 0;
    }
    /* "8.0" is an integer written as a float (pandas writes counts that way) */
    if (gs__parse_double(buf, strlen(buf), &d) == 0 && d == floor(d) && fabs(d) < 9.0e15) {
        *out = (int64_t)d;
        return 0;
    }
    return -1;
}

int gs__fmt_double(char *buf, size_t size, double v)
{
    char tmp[32], *p = tmp + sizeof(tmp);
    long long u;
    int neg, i, n;

    if (v == 0.0 || fabs(v) < 5e-7)
        v = 0.0;
    if (!(fabs(v) < 1e9) || size < 32) /* big, NaN or a small buffer: the C library's way */
        return snprintf(buf, size, "%.6f", v);
    /* micro-units as an integer: fast, and exact to the printed digits for |v| < 1e9 */
    neg = v < 0;
    u = llround(fabs(v) * 1e6);
    *--p = '\0';
    for (i = 0; i < 6; i++, u /= 10)
        *--p = (char)('0' + u % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (neg && strcmp(p, "0.000000") != 0)
        *--p = '-';
    n = (int)(tmp + sizeof(tmp) - 1 - p);
    memcpy(buf, p, (size_t)n + 1);
    return n;
}
