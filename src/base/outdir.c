/* SPDX-License-Identifier: Apache-2.0 */
/* Atomic result folders and files: write to a temporary sibling, rename when complete. */
#include "gpusim/io.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_int.h"

int gs_rmtree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char *sub;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        sub = gs__path_join(path, e->d_name);
        if (!sub || gs_rmtree(sub) != 0)
            rc = -1;
        free(sub);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

/* "dir/.name.<tag>-XXXXXX" next to path. */
static char *sibling_template(const char *path, const char *tag)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    gs__buf b = {0};

    if (gs__buf_append(&b, path, dirlen) || gs__buf_printf(&b, ".%s.%s-XXXXXX", base, tag)) {
        gs__buf_release(&b);
        return NULL;
    }
    return b.data;
}

/* Creates every missing parent folder of path (mkdir -p of its dirname). */
static int make_parents(const char *path)
{
    char *copy = gs__strdup(path);
    char *p;

    if (!copy)
        return -1;
    for (p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    free(copy);
    return 0;
}

static char *strip_slashes(const char *path)
{
    char *s = gs__strdup(path);
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

int gs_outdir_begin(gs_outdir *od, const char *final, int force, gs_err *err)
{
    struct stat st;

    memset(od, 0, sizeof(*od));
    if (!final || !*final)
        return gs_errorf(err, GS_EINVAL, "empty output folder name");
    od->final = strip_slashes(final);
    if (!od->final)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    od->force = force;
    if (!force && stat(od->final, &st) == 0) {
        gs_outdir_abort(od);
        return gs_errorf(err, GS_EIO, "output folder '%s' exists (use --force to replace it)",
                         final);
    }
    if (make_parents(od->final) != 0) {
        int e = errno;
        gs_outdir_abort(od);
        return gs_errorf(err, GS_EIO, "cannot create the parent folders of '%s': %s", final,
                         strerror(e));
    }
    od->tmp = sibling_template(od->final, "tmp");
    if (!od->tmp) {
        gs_outdir_abort(od);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if (!mkdtemp(od->tmp)) {
        int e = errno;
        free(od->tmp);
        od->tmp = NULL;
        gs_outdir_abort(od);
        return gs_errorf(err, GS_EIO, "cannot create a folder next to '%s': %s", final,
                         strerror(e));
    }
    /* mkdtemp makes the folder 0700; results are ordinary folders */
    (void)chmod(od->tmp, 0755);
    return GS_OK;
}

char *gs_outdir_path(const gs_outdir *od, const char *name)
{
    return gs__path_join(od->tmp, name);
}

FILE *gs_outdir_fopen(const gs_outdir *od, const char *name, gs_err *err)
{
    char *p = gs_outdir_path(od, name);
    FILE *fp;

    if (!p) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    fp = fopen(p, "w");
    if (!fp)
        gs_errorf(err, GS_EIO, "cannot write '%s/%s': %s", od->final, name, strerror(errno));
    free(p);
    return fp;
}

int gs_outdir_write(const gs_outdir *od, const char *name, gs_outdir_fn fn, const void *ctx,
                    gs_err *err)
{
    FILE *fp = gs_outdir_fopen(od, name, err);
    int rc;

    if (!fp)
        return GS_EIO;
    rc = fn(ctx, fp, err);
    if (ferror(fp) && rc == GS_OK)
        rc = gs_errorf(err, GS_EIO, "cannot write '%s/%s'", od->final, name);
    if (fclose(fp) != 0 && rc == GS_OK)
        rc = gs_errorf(err, GS_EIO, "cannot write '%s/%s'", od->final, name);
    return rc;
}

static int put_text(const void *text, FILE *fp, gs_err *err)
{
    (void)err;
    fputs(text, fp);
    fputc('\n', fp);
    return GS_OK;
}

int gs_outdir_write_text(const gs_outdir *od, const char *name, const char *text, gs_err *err)
{
    return gs_outdir_write(od, name, put_text, text, err);
}

int gs_outdir_commit(gs_outdir *od, gs_err *err)
{
    struct stat st;
    char *old = NULL;

    if (stat(od->final, &st) == 0) {
        if (!od->force) { /* the message first: abort frees od->final */
            gs_errorf(err, GS_EIO, "output folder '%s' appeared while running", od->final);
            gs_outdir_abort(od);
            return GS_EIO;
        }
        old = sibling_template(od->final, "old");
        if (!old || !mkdtemp(old) || rmdir(old) != 0 || rename(od->final, old) != 0) {
            gs_errorf(err, GS_EIO, "cannot replace '%s': %s", od->final, strerror(errno));
            free(old);
            gs_outdir_abort(od);
            return GS_EIO;
        }
    }
    if (rename(od->tmp, od->final) != 0) {
        int e = errno;
        if (old)
            (void)rename(old, od->final);
        free(old);
        gs_errorf(err, GS_EIO, "cannot rename the result to '%s': %s", od->final, strerror(e));
        gs_outdir_abort(od);
        return GS_EIO;
    }
    if (old) {
        gs_rmtree(old);
        free(old);
    }
    free(od->tmp);
    free(od->final);
    memset(od, 0, sizeof(*od));
    return GS_OK;
}

void gs_outdir_abort(gs_outdir *od)
{
    if (od->tmp)
        gs_rmtree(od->tmp);
    free(od->tmp);
    free(od->final);
    memset(od, 0, sizeof(*od));
}

int gs_outfile_open(gs_outfile *of, const char *path, gs_err *err)
{
    int fd;

    memset(of, 0, sizeof(*of));
    if (!strcmp(path, "-")) {
        of->fp = stdout;
        return GS_OK;
    }
    if (make_parents(path) != 0)
        return gs_errorf(err, GS_EIO, "cannot create the parent folders of '%s': %s", path,
                         strerror(errno));
    of->final = gs__strdup(path);
    of->tmp = sibling_template(path, "tmp");
    if (!of->final || !of->tmp) {
        gs_outfile_abort(of);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    fd = mkstemp(of->tmp);
    if (fd < 0 || !(of->fp = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(of->tmp);
        }
        free(of->tmp);
        of->tmp = NULL;
        gs_outfile_abort(of);
        return gs_errorf(err, GS_EIO, "cannot write next to '%s': %s", path, strerror(e));
    }
    return GS_OK;
}

int gs_outfile_commit(gs_outfile *of, gs_err *err)
{
    int bad;

    if (!of->tmp) {
        bad = fflush(of->fp) != 0 || ferror(of->fp);
        memset(of, 0, sizeof(*of));
        return bad ? gs_errorf(err, GS_EIO, "cannot write to standard output") : GS_OK;
    }
    bad = ferror(of->fp);
    if (fclose(of->fp) != 0)
        bad = 1;
    of->fp = NULL;
    /* mkstemp makes the file 0600; results are ordinary files */
    if (!bad)
        (void)chmod(of->tmp, 0644);
    if (bad || rename(of->tmp, of->final) != 0) {
        int e = errno;
        gs_errorf(err, GS_EIO, "cannot write '%s': %s", of->final,
                  bad ? "write error" : strerror(e));
        gs_outfile_abort(of);
        return GS_EIO;
    }
    free(of->tmp);
    free(of->final);
    memset(of, 0, sizeof(*of));
    return GS_OK;
}

void gs_outfile_abort(gs_outfile *of)
{
    if (of->tmp) {
        if (of->fp)
            fclose(of->fp);
        unlink(of->tmp);
    }
    free(of->tmp);
    free(of->final);
    memset(of, 0, sizeof(*of));
}
