/* SPDX-License-Identifier: Apache-2.0 */
/* gpusim's data directory (the bundled configs/ and traces/): found at run time, relative to
 * the installed library or program, so that an installed copy can be moved as a whole. */
#define _GNU_SOURCE /* dladdr */
#include "gpusim/io.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util_int.h"

/* Where the data directory lies relative to the folder of the installed library and of the
 * installed program (CMakeLists.txt derives both from the install folders). */
#ifndef GS_DATA_FROM_LIB
#define GS_DATA_FROM_LIB "../share/gpusim"
#endif
#ifndef GS_DATA_FROM_BIN
#define GS_DATA_FROM_BIN "../share/gpusim"
#endif
/* A library or program still in its build folder reads the data of its source checkout. */
#ifndef GS_BUILD_DIR
#define GS_BUILD_DIR ""
#endif
#ifndef GS_SOURCE_DIR
#define GS_SOURCE_DIR ""
#endif

/* Any object of this file: dladdr names the library or program that holds it. */
static const char anchor = 0;

static int is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether dir looks like a data directory: it has a configs/ folder (*oom set when memory ran
 * out telling). */
static int has_data(const char *dir, int *oom)
{
    char *p = gs__path_join(dir, "configs");
    int ok = p && is_dir(p);

    if (!p)
        *oom = 1;
    free(p);
    return ok;
}

/* gs__strdup that notes running out of memory in *oom. */
static char *dup_noting(const char *s, int *oom)
{
    char *p = gs__strdup(s);

    if (!p)
        *oom = 1;
    return p;
}

/* The canonical path of the file that holds gpusim's code (the shared library, or the program
 * it is linked into); NULL when it cannot be told. */
static char *code_file(void)
{
    Dl_info info;
    char *p = NULL;

    if (dladdr(&anchor, &info) && info.dli_fname && strchr(info.dli_fname, '/'))
        p = realpath(info.dli_fname, NULL);
    if (!p)
        p = realpath("/proc/self/exe", NULL);
    return p;
}

/* Whether path lies inside dir (both canonical after realpath). */
static int inside(const char *path, const char *dir)
{
    char *d;
    size_t n;
    int in;

    if (!*dir || !(d = realpath(dir, NULL)))
        return 0;
    n = strlen(d);
    in = !strncmp(path, d, n) && path[n] == '/';
    free(d);
    return in;
}

/* malloc'd path of the data directory, or NULL when there is none or (*oom set) when memory ran
 * out looking for it. */
static char *locate(int *oom)
{
    static const char *const rel[] = {GS_DATA_FROM_LIB, GS_DATA_FROM_BIN};
    const char *env = getenv("GPUSIM_DATA_DIR");
    char *file, *dir, *slash, *found = NULL;
    size_t i;

    *oom = 0;
    if (env && *env)
        return dup_noting(env, oom);
    if (!(file = code_file()))
        return NULL;
    if (inside(file, GS_BUILD_DIR)) {
        free(file);
        return has_data(GS_SOURCE_DIR, oom) ? dup_noting(GS_SOURCE_DIR, oom) : NULL;
    }
    dir = file;
    if ((slash = strrchr(dir, '/')) != NULL)
        *slash = '\0';
    for (i = 0; i < sizeof(rel) / sizeof(rel[0]) && !found; i++) {
        char *cand = gs__path_join(dir, rel[i]);
        if (!cand)
            *oom = 1;
        else if (has_data(cand, oom))
            found = realpath(cand, NULL);
        free(cand);
    }
    free(file);
    return found;
}

size_t gs_data_dir(char *buf, size_t size)
{
    int oom;
    char *d = locate(&oom);
    size_t n = d ? strlen(d) : 0;

    if (size > 0) {
        size_t k = n < size ? n : size - 1;
        if (k)
            memcpy(buf, d, k);
        buf[k] = '\0';
    }
    free(d);
    return n;
}

char *gs_data_resolve(const char *subdir, const char *name, const char *ext, gs_err *err)
{
    struct stat st;
    gs__buf b = {0};
    char *dir;
    int oom;

    if (stat(name, &st) == 0 || strchr(name, '/')) {
        char *p = gs__strdup(name);
        if (!p)
            gs_errorf(err, GS_ENOMEM, "out of memory");
        return p;
    }
    if (!(dir = locate(&oom))) {
        if (oom)
            return gs_errorf(err, GS_ENOMEM, "out of memory"), NULL;
        gs_errorf(err, GS_EIO,
                  "cannot find '%s' (not a file, and no gpusim data directory: set "
                  "GPUSIM_DATA_DIR)",
                  name);
        return NULL;
    }
    if (gs__buf_printf(&b, "%s/%s/%s", dir, subdir, name) != GS_OK)
        goto oom;
    if (stat(b.data, &st) == 0)
        goto found;
    if (ext && gs__buf_printf(&b, "%s", ext) != GS_OK)
        goto oom;
    if (stat(b.data, &st) == 0)
        goto found;
    gs_errorf(err, GS_EIO, "cannot find '%s' (not a file, nor a name in %s/%s)", name, dir, subdir);
    gs__buf_release(&b);
    free(dir);
    return NULL;
found:
    free(dir);
    return b.data;
oom:
    gs__buf_release(&b);
    free(dir);
    gs_errorf(err, GS_ENOMEM, "out of memory");
    return NULL;
}

char *gs__resolve_config(const char *subdir, const char *name, const char *ext, gs_err *err)
{
    return gs_data_resolve(subdir, name, ext, err);
}

char *gs__data_label(const char *path)
{
    int oom;
    char *dir = locate(&oom), *real = realpath(path, NULL), *d = dir ? realpath(dir, NULL) : NULL;
    char *label = NULL;
    size_t n = d ? strlen(d) : 0;

    if (oom) { /* the label would depend on memory: none (the caller says out of memory) */
        free(real);
        free(d);
        free(dir);
        return NULL;
    }

    /* a relative path stays as the user gave it; an absolute one to the bundled data (a bare
     * name resolved there, most often) would differ between installations */
    if (path[0] == '/' && real && d && !strncmp(real, d, n) && real[n] == '/' &&
        (!strncmp(real + n + 1, "configs/", 8) || !strncmp(real + n + 1, "traces/", 7))) {
        gs__buf b = {0};
        if (gs__buf_printf(&b, "data:%s", real + n + 1) == GS_OK)
            label = b.data;
    } else {
        label = gs__strdup(path);
    }
    free(real);
    free(d);
    free(dir);
    return label;
}

void gs_free(void *p)
{
    free(p);
}
