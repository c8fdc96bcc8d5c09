/* SPDX-License-Identifier: Apache-2.0 */
/* JSON loading and validated access with file, line and field in every message. */
#include "json_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/io.h"
#include "util_int.h"

/* ---- allocation hooks ----
 * The one note gpusim keeps outside its objects besides the signal clean-up: whether a cJSON
 * allocation failed (per thread). */

static _Thread_local int json_oom;

static void *json_malloc(size_t n)
{
    void *p = malloc(n);

    if (!p)
        json_oom = 1;
    return p;
}

static void install_hooks(void)
{
    static int done;
    cJSON_Hooks h;

    if (done)
        return;
    h.malloc_fn = json_malloc;
    h.free_fn = free;
    cJSON_InitHooks(&h);
    done = 1;
}

#if defined(__GNUC__)
/* before any tree is built, whichever module builds it first */
__attribute__((constructor)) static void hooks_at_start(void)
{
    install_hooks();
}
#endif

int gs__json_oom(void)
{
    int was = json_oom;

    install_hooks();
    json_oom = 0;
    return was;
}

cJSON *gs__jpush(cJSON *arr, cJSON *item)
{
    if (arr && item && cJSON_AddItemToArray(arr, item))
        return item;
    cJSON_Delete(item);
    json_oom = 1;
    return NULL;
}

cJSON *gs__jput(cJSON *obj, const char *key, cJSON *item)
{
    if (obj && item && cJSON_AddItemToObject(obj, key, item))
        return item;
    cJSON_Delete(item);
    json_oom = 1;
    return NULL;
}

char *gs__jprint(const cJSON *root, int formatted, gs_err *err)
{
    char *text;

    install_hooks();
    text = formatted ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    if (gs__json_oom() || !text) {
        free(text);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    return text;
}

static int line_col(const char *text, const char *at, int *col)
{
    int line = 1;
    const char *p, *bol = text;

    for (p = text; p < at && *p; p++) {
        if (*p == '\n') {
            line++;
            bol = p + 1;
        }
    }
    if (col)
        *col = (int)(at - bol) + 1;
    return line;
}

/* Nesting depth check before cJSON recurses: brackets outside strings. */
static int check_depth(const char *text, const char *name, gs_err *err)
{
    const char *p;
    int depth = 0, in_str = 0;

    for (p = text; *p; p++) {
        if (in_str) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_str = 0;
        } else if (*p == '"') {
            in_str = 1;
        } else if (*p == '{' || *p == '[') {
            if (++depth > GS_JSON_MAX_DEPTH)
                return gs_errorf(err, GS_EPARSE, "'%s' line %d: nested deeper than the limit of %d",
                                 name, line_col(text, p, NULL), GS_JSON_MAX_DEPTH);
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    return GS_OK;
}

static int cmp_key(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

static int find_key_nth(const char **pp, const char *key, size_t klen, int nth);

/* Rejects an object that names a key twice, anywhere in the tree. */
static int check_dups(const gs__jdoc *d, const cJSON *node, const char *path, gs_err *err)
{
    const cJSON *it;
    const cJSON **keys = NULL;
    size_t n = 0, i;
    int idx = 0, rc = GS_OK;

    if (cJSON_IsObject(node)) {
        for (it = node->child; it; it = it->next)
            n++;
        if (n > 1 && !(keys = malloc(n * sizeof(*keys))))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        n = 0;
        for (it = node->child; it && keys; it = it->next)
            keys[n++] = it;
        if (keys)
            qsort(keys, n, sizeof(*keys), cmp_key);
        for (i = 1; i < n && rc == GS_OK; i++) {
            if (!strcmp(keys[i - 1]->string, keys[i]->string)) {
                char kp[256];
                size_t len;
                const char *p = *path ? gs__jdoc_raw(d, path, NULL, &len) : d->text;
                int line = gs__jdoc_line(d, path);
                gs__jpath(kp, sizeof(kp), path, keys[i]->string);
                /* the line of the second occurrence, when the text can be followed there */
                if (p && find_key_nth(&p, keys[i]->string, strlen(keys[i]->string), 2))
                    line = line_col(d->text, p, NULL);
                rc = gs_errorf(err, GS_EPARSE, "'%s' line %d: field '%s': given twice", d->path,
                               line, kp);
            }
        }
        free(keys);
    }
    for (it = node->child; it && rc == GS_OK; it = it->next, idx++) {
        char cp[256];
        if (!it->child)
            continue;
        if (cJSON_IsObject(node))
            gs__jpath(cp, sizeof(cp), path, it->string);
        else
            gs__jpath_idx(cp, sizeof(cp), path, idx);
        rc = check_dups(d, it, cp, err);
    }
    return rc;
}

int gs__jdoc_parse(gs__jdoc *d, const char *name, const char *text, gs_err *err)
{
    const char *end = NULL;

    memset(d, 0, sizeof(*d));
    if (check_depth(text, name, err) != GS_OK)
        return GS_EPARSE;
    d->path = gs__strdup(name);
    d->text = gs__strdup(text);
    if (!d->path || !d->text) {
        gs__jdoc_release(d);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    gs__json_oom();
    d->root = cJSON_ParseWithOpts(d->text, &end, 1);
    if (gs__json_oom()) { /* cJSON ran out of memory: not a malformed file */
        gs__jdoc_release(d);
        return gs_errorf(err, GS_ENOMEM, "out of memory reading '%s'", name);
    }
    if (!d->root) {
        const char *at = cJSON_GetErrorPtr();
        int line, col;
        if (!end || end < d->text || end > d->text + strlen(d->text))
            end = at;
        if (!end || end < d->text || end > d->text + strlen(d->text))
            end = d->text + strlen(d->text);
        line = line_col(d->text, end, &col);
        gs_errorf(err, GS_EPARSE, "'%s' line %d column %d: malformed JSON%s", name, line, col,
                  *d->text ? "" : " (empty file)");
        gs__jdoc_release(d);
        return GS_EPARSE;
    }
    if (check_dups(d, d->root, "", err) != GS_OK) {
        gs__jdoc_release(d);
        return err ? err->code : GS_EPARSE;
    }
    return GS_OK;
}

int gs__jdoc_load(gs__jdoc *d, const char *path, gs_err *err)
{
    char *text, *nul;
    size_t len;
    int rc;

    memset(d, 0, sizeof(*d));
    rc = gs__read_file(path, &text, &len, err);
    if (rc != GS_OK)
        return rc;
    if ((nul = memchr(text, '\0', len)) != NULL) {
        rc = gs_errorf(err, GS_EPARSE, "'%s' line %d: NUL byte in the file", path,
                       line_col(text, nul, NULL));
        free(text);
        return rc;
    }
    rc = gs__jdoc_parse(d, path, text, err);
    free(text);
    return rc;
}

void gs__jdoc_release(gs__jdoc *d)
{
    cJSON_Delete(d->root);
    free(d->text);
    free(d->path);
    memset(d, 0, sizeof(*d));
}

/* ---- locating a path in the source text (only used to word error messages) ---- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *skip_string(const char *p)
{
    if (*p != '"')
        return p;
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p ? p + 1 : p;
}

static const char *skip_value(const char *p)
{
    int depth = 0;

    p = skip_ws(p);
    do {
        if (!*p)
            return p;
        if (*p == '"') {
            p = skip_string(p);
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        else if (depth == 0) {
            while (*p && *p != ',' && *p != '}' && *p != ']')
                p++;
            return p;
        }
        p++;
    } while (depth > 0);
    return p;
}

/* Moves *pp (at a value) to the member key of an object; 0 when not found. */
static int find_key(const char **pp, const char *key, size_t klen)
{
    const char *p = skip_ws(*pp);

    if (*p != '{')
        return 0;
    p = skip_ws(p + 1);
    while (*p == '"') {
        const char *k = p + 1, *kend = skip_string(p) - 1;
        p = skip_ws(kend + 1);
        if (*p != ':')
            return 0;
        p = skip_ws(p + 1);
        if ((size_t)(kend - k) == klen && !strncmp(k, key, klen)) {
            *pp = p;
            return 1;
        }
        p = skip_ws(skip_value(p));
        if (*p != ',')
            return 0;
        p = skip_ws(p + 1);
    }
    return 0;
}

/* Like find_key, for the nth (1-based) occurrence of key among the members. */
static int find_key_nth(const char **pp, const char *key, size_t klen, int nth)
{
    const char *p = skip_ws(*pp);

    if (*p != '{')
        return 0;
    p = skip_ws(p + 1);
    while (*p == '"') {
        const char *k = p + 1, *kend = skip_string(p) - 1;
        const char *at = p;
        p = skip_ws(kend + 1);
        if (*p != ':')
            return 0;
        p = skip_ws(p + 1);
        if ((size_t)(kend - k) == klen && !strncmp(k, key, klen) && --nth == 0) {
            *pp = at;
            return 1;
        }
        p = skip_ws(skip_value(p));
        if (*p != ',')
            return 0;
        p = skip_ws(p + 1);
    }
    return 0;
}

static int find_index(const char **pp, long idx)
{
    const char *p = skip_ws(*pp);
    long i;

    if (*p != '[')
        return 0;
    p = skip_ws(p + 1);
    for (i = 0; i < idx; i++) {
        p = skip_ws(skip_value(p));
        if (*p != ',')
            return 0;
        p = skip_ws(p + 1);
    }
    if (*p == ']' || !*p)
        return 0;
    *pp = p;
    return 1;
}

/* The deepest part of jpath that exists in text (NUL-terminated). */
static const char *locate(const char *text, const char *jpath)
{
    const char *p, *s = jpath;

    p = skip_ws(text);
    while (s && *s) {
        if (*s == '.') {
            s++;
            continue;
        }
        if (*s == '[') {
            char *end;
            long idx = strtol(s + 1, &end, 10);
            if (*end != ']' || !find_index(&p, idx))
                break;
            s = end + 1;
        } else {
            size_t n = strcspn(s, ".[");
            if (!find_key(&p, s, n))
                break;
            s += n;
        }
    }
    return p;
}

int gs__jdoc_line(const gs__jdoc *d, const char *jpath)
{
    if (!d->text)
        return 0;
    return line_col(d->text, locate(d->text, jpath), NULL);
}

int gs__jerr(const gs__jdoc *d, gs_err *err, int code, const char *jpath, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return gs_errorf(err, code, "'%s' line %d: field '%s': %s", d->path, gs__jdoc_line(d, jpath),
                     jpath && *jpath ? jpath : "(root)", msg);
}

char *gs__jpath(char *buf, size_t size, const char *parent, const char *key)
{
    if (parent && *parent)
        snprintf(buf, size, "%s.%s", parent, key);
    else
        snprintf(buf, size, "%s", key);
    return buf;
}

char *gs__jpath_idx(char *buf, size_t size, const char *parent, int idx)
{
    snprintf(buf, size, "%s[%d]", parent ? parent : "", idx);
    return buf;
}

int gs__jnum(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             double def, double lo, double hi, double *out, gs_err *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char path[256];

    gs__jpath(path, sizeof(path), objp, key);
    if (!it) {
        if (required)
            return gs__jerr(d, err, GS_EINVAL, objp, "missing required field '%s'", key);
        *out = def;
        return GS_OK;
    }
    if (!cJSON_IsNumber(it))
        return gs__jerr(d, err, GS_EINVAL, path, "expected a number");
    if (!(it->valuedouble >= lo && it->valuedouble <= hi))
        return gs__jerr(d, err, GS_EINVAL, path, "value %g out of range [%g, %g]", it->valuedouble,
                        lo, hi);
    *out = it->valuedouble;
    return GS_OK;
}

int gs__jint(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             long def, long lo, long hi, long *out, gs_err *err)
{
    double v = 0;
    char path[256];
    int rc = gs__jnum(d, obj, objp, key, required, (double)def, (double)lo, (double)hi, &v, err);

    if (rc != GS_OK)
        return rc;
    if (v != floor(v))
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, key),
                        "expected an integer, got %g", v);
    *out = (long)v;
    return GS_OK;
}

int gs__jbool(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
              int def, int *out, gs_err *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char path[256];

    if (!it) {
        if (required)
            return gs__jerr(d, err, GS_EINVAL, objp, "missing required field '%s'", key);
        *out = def;
        return GS_OK;
    }
    if (!cJSON_IsBool(it))
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, key),
                        "expected true or false");
    *out = cJSON_IsTrue(it);
    return GS_OK;
}

int gs__jstr(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key, int required,
             const char *def, const char **out, gs_err *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char path[256];

    if (!it) {
        if (required)
            return gs__jerr(d, err, GS_EINVAL, objp, "missing required field '%s'", key);
        *out = def;
        return GS_OK;
    }
    if (!cJSON_IsString(it) || !it->valuestring)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, key),
                        "expected a string");
    if (!*it->valuestring)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, key),
                        "empty string");
    *out = it->valuestring;
    return GS_OK;
}

static const cJSON *get_container(const gs__jdoc *d, const cJSON *obj, const char *objp,
                                  const char *key, int required, int want_array, gs_err *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char path[256];

    if (!it) {
        if (required)
            gs__jerr(d, err, GS_EINVAL, objp, "missing required field '%s'", key);
        return NULL;
    }
    if (want_array ? !cJSON_IsArray(it) : !cJSON_IsObject(it)) {
        gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, key),
                 want_array ? "expected an array" : "expected an object");
        return NULL;
    }
    return it;
}

const cJSON *gs__jarr(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                      int required, gs_err *err)
{
    return get_container(d, obj, objp, key, required, 1, err);
}

const cJSON *gs__jobj(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                      int required, gs_err *err)
{
    return get_container(d, obj, objp, key, required, 0, err);
}

int gs__jkeys(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *const *allowed,
              gs_err *err)
{
    const cJSON *it;
    char path[256];

    if (!cJSON_IsObject(obj))
        return gs__jerr(d, err, GS_EINVAL, objp, "expected an object");
    cJSON_ArrayForEach(it, obj)
    {
        const char *const *a;
        for (a = allowed; *a; a++)
            if (it->string && !strcmp(*a, it->string))
                break;
        if (!*a)
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(path, sizeof(path), objp, it->string),
                            "unknown field '%s'", it->string);
    }
    return GS_OK;
}

int gs__jschema(const gs__jdoc *d, int max, long *version, gs_err *err)
{
    long v;
    int rc;

    if (!cJSON_IsObject(d->root))
        return gs__jerr(d, err, GS_EINVAL, "", "expected a JSON object at the top level");
    rc = gs__jint(d, d->root, "", "schema_version", 1, 0, 1, 1000000, &v, err);
    if (rc != GS_OK)
        return rc;
    if (v > max)
        return gs__jerr(d, err, GS_EINVAL, "schema_version",
                        "schema_version %ld is newer than this gpusim understands (%d)", v, max);
    if (version)
        *version = v;
    return GS_OK;
}

cJSON *gs__jadd_fixed(cJSON *obj, const char *key, double v)
{
    char buf[64];

    if (isnan(v) || isinf(v))
        return cJSON_AddNullToObject(obj, key);
    gs__fmt_double(buf, sizeof(buf), v);
    return cJSON_AddRawToObject(obj, key, buf);
}

int gs__jwrite(const cJSON *root, const char *path, gs_err *err)
{
    gs_outfile of;
    char *text = gs__jprint(root, 1, err);
    int rc;

    if (!text)
        return GS_ENOMEM;
    rc = gs_outfile_open(&of, path, err);
    if (rc != GS_OK) {
        free(text);
        return rc;
    }
    fputs(text, of.fp);
    fputc('\n', of.fp);
    free(text);
    return gs_outfile_commit(&of, err);
}

const char *gs__jdoc_raw(const gs__jdoc *d, const char *jpath, const char *key, size_t *len)
{
    const char *p, *s = jpath, *end;

    if (!d->text)
        return NULL;
    p = skip_ws(d->text);
    while (s && *s) {
        if (*s == '.') {
            s++;
            continue;
        }
        if (*s == '[') {
            char *e;
            long idx = strtol(s + 1, &e, 10);
            if (*e != ']' || !find_index(&p, idx))
                return NULL;
            s = e + 1;
        } else {
            size_t n = strcspn(s, ".[");
            if (!find_key(&p, s, n))
                return NULL;
            s += n;
        }
    }
    if (key && !find_key(&p, key, strlen(key)))
        return NULL;
    p = skip_ws(p);
    end = skip_value(p);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end == p)
        return NULL;
    *len = (size_t)(end - p);
    return p;
}

/* ---- streams ---- */

static size_t skip_ws_n(const char *p, size_t i, size_t len)
{
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i;
}

/* Lines started between data[from] and data[to]. */
static long count_lines(const char *data, size_t from, size_t to)
{
    long n = 0;
    const char *p = data + from, *end = data + to;

    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static int stream_syntax(const char *name, const char *data, size_t len, size_t at, long line,
                         size_t line_start, const char *what, gs_err *err)
{
    line += count_lines(data, line_start, at);
    {
        size_t bol = at;
        while (bol > 0 && data[bol - 1] != '\n')
            bol--;
        return gs_errorf(err, GS_EPARSE, "'%s' line %ld column %zu: %s", name, line, at - bol + 1,
                         at >= len ? "unexpected end of file" : what);
    }
}

int gs__json_stream_mem(const char *name, const char *data, size_t len, gs__jitem_fn fn, void *ctx,
                        gs_err *err)
{
    size_t i = 0, mark = 0;
    long line = 1, index = 0;
    int array = 0, rc;

    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    i = skip_ws_n(data, i, len);
    if (i < len && data[i] == '[') {
        array = 1;
        i = skip_ws_n(data, i + 1, len);
        if (i < len && data[i] == ']') {
            i = skip_ws_n(data, i + 1, len);
            if (i < len)
                return stream_syntax(name, data, len, i, line, mark, "text after the array", err);
            return GS_OK;
        }
    }
    while (i < len) {
        const char *end = NULL;
        cJSON *v;
        gs__jitem it;

        line += count_lines(data, mark, i);
        mark = i;
        v = cJSON_ParseWithLengthOpts(data + i, len - i, &end, 0);
        if (!v) {
            size_t at = end && end >= data + i && end <= data + len ? (size_t)(end - data) : i;
            return stream_syntax(name, data, len, at, line, mark, "malformed JSON", err);
        }
        it.name = name;
        it.text = data + i;
        it.len = (size_t)(end - (data + i));
        it.line = line;
        it.index = index++;
        rc = fn(ctx, v, &it, err);
        cJSON_Delete(v);
        if (rc < 0)
            return rc;
        i = skip_ws_n(data, (size_t)(end - data), len);
        if (!array)
            continue;
        if (i < len && data[i] == ',') {
            i = skip_ws_n(data, i + 1, len);
            if (i >= len || data[i] == ']')
                return stream_syntax(name, data, len, i, line, mark, "expected a value after ','",
                                     err);
            continue;
        }
        if (i < len && data[i] == ']') {
            i = skip_ws_n(data, i + 1, len);
            if (i < len)
                return stream_syntax(name, data, len, i, line, mark, "text after the array", err);
            return GS_OK;
        }
        return stream_syntax(name, data, len, i, line, mark, "expected ',' or ']'", err);
    }
    if (array)
        return stream_syntax(name, data, len, len, line, mark, "unterminated array", err);
    return GS_OK;
}

int gs__json_stream(const char *path, gs__jitem_fn fn, void *ctx, gs_err *err)
{
    gs__fmap m;
    int rc = gs__fmap_open(&m, path, err);

    if (rc != GS_OK)
        return rc;
    rc = gs__json_stream_mem(path, m.data, m.len, fn, ctx, err);
    gs__fmap_close(&m);
    return rc;
}

long gs__jitem_line(const gs__jitem *it, const char *jpath)
{
    char *copy = malloc(it->len + 1);
    long line;

    if (!copy)
        return it->line;
    memcpy(copy, it->text, it->len);
    copy[it->len] = '\0';
    line = it->line - 1 + line_col(copy, locate(copy, jpath ? jpath : ""), NULL);
    free(copy);
    return line;
}
