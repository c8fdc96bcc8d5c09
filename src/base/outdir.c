/* SPDX-License-Identifier: Apache-2.0 */
/* Result folders and files written without ever clobbering: a regular file or folder is written
 * to a temporary sibling and renamed when complete; a device or FIFO is written in place; every
 * other kind of target is refused. Temporaries (and the parent folders made for them) are removed
 * on failure and, through gs_io_cleanup_on_signals(), on SIGINT, SIGTERM and SIGHUP. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "gpusim/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

/* ---- temporaries removed on signals ----
 * The one piece of process-wide state in the library: a signal handler can only reach what a
 * global names. Each unfinished output registers what it created (its temporary file or folder,
 * the files in that folder, the parent folders made for it) as precomputed paths, so that the
 * handler only calls async-signal-safe functions (unlink, rmdir, raise). Changes to the table
 * are made with the signals blocked. */

#define MAX_LIVE 64

struct gs__outreg {
    char *tmp;     /* temporary file, or folder when is_dir */
    int is_dir;    /* files below are the folder's */
    char **files;  /* full paths of files created in the temporary folder */
    size_t nfiles; /* set after the file exists (nfiles only grows) */
    size_t cap;
    char **made; /* parent folders created for the output, deepest first */
    size_t nmade;
};

static struct gs__outreg *volatile live[MAX_LIVE];
static volatile sig_atomic_t handlers_on;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void block(sigset_t *old)
{
    sigset_t set;
    size_t i;

    sigemptyset(&set);
    for (i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* Removes what r made: async-signal-safe (unlink and rmdir of precomputed paths). */
static void reg_remove(const struct gs__outreg *r)
{
    size_t i;

    if (r->is_dir) {
        for (i = 0; i < r->nfiles; i++)
            unlink(r->files[i]);
        rmdir(r->tmp);
    } else if (r->tmp) {
        unlink(r->tmp);
    }
    for (i = 0; i < r->nmade; i++) /* only empty folders go: rmdir fails on the others */
        rmdir(r->made[i]);
}

static void reg_free(struct gs__outreg *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    for (i = 0; i < r->nmade; i++)
        free(r->made[i]);
    free(r->files);
    free(r->made);
    free(r->tmp);
    free(r);
}

static void reg_add(struct gs__outreg *r)
{
    sigset_t old;
    size_t i;

    block(&old);
    for (i = 0; i < MAX_LIVE; i++) {
        if (!live[i]) {
            live[i] = r;
            break;
        }
    }
    unblock(&old);
}

static void reg_drop(struct gs__outreg *r)
{
    sigset_t old;
    size_t i;

    if (!r)
        return;
    block(&old);
    for (i = 0; i < MAX_LIVE; i++)
        if (live[i] == r)
            live[i] = NULL;
    unblock(&old);
}

/* Records a file about to be created in r's folder; its path must be known to the handler
 * before the file exists. Returns GS_OK or GS_ENOMEM. */
static int reg_file(struct gs__outreg *r, const char *path)
{
    char *copy;
    sigset_t old;

    if (r->nfiles == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        char **f = malloc(cap * sizeof(*f));
        if (!f)
            return GS_ENOMEM;
        if (r->nfiles)
            memcpy(f, r->files, r->nfiles * sizeof(*f));
        block(&old); /* the handler must never see a freed array */
        free(r->files);
        r->files = f;
        r->cap = cap;
        unblock(&old);
    }
    if (!(copy = gs__strdup(path)))
        return GS_ENOMEM;
    r->files[r->nfiles] = copy;
    block(&old);
    r->nfiles++;
    unblock(&old);
    return GS_OK;
}

static void on_signal(int sig)
{
    size_t i;

    for (i = 0; i < MAX_LIVE; i++)
        if (live[i])
            reg_remove(live[i]);
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the process ends as killed by sig */
}

static int held;
static sigset_t held_mask;

void gs_io_hold_signals(void)
{
    if (held++ == 0)
        block(&held_mask);
}

void gs_io_release_signals(void)
{
    if (held > 0 && --held == 0)
        unblock(&held_mask);
}

int gs_io_cleanup_on_signals(void)
{
    size_t i;

    if (handlers_on)
        return GS_OK;
    for (i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
        struct sigaction sa, old;
        if (sigaction(cleanup_signals[i], NULL, &old) != 0)
            return GS_EINVAL;
        if (old.sa_handler == SIG_IGN) /* nohup, or a background job's SIGINT: keep ignoring */
            continue;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask);
        if (sigaction(cleanup_signals[i], &sa, NULL) != 0)
            return GS_EINVAL;
    }
    handlers_on = 1;
    return GS_OK;
}

/* ---- paths ---- */

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

/* Creates every missing parent folder of path (mkdir -p of its dirname), recording those it made
 * in r->made, deepest first. Returns 0, or -1 with errno set. */
static int make_parents(const char *path, struct gs__outreg *r)
{
    char *copy = gs__strdup(path);
    char *p, *made;

    if (!copy) {
        errno = ENOMEM;
        return -1;
    }
    for (p = copy + 1; *p; p++) {
        char **m;
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0) {
            if (errno != EEXIST) {
                free(copy);
                return -1;
            }
            *p = '/';
            continue;
        }
        m = realloc(r->made, (r->nmade + 1) * sizeof(*m));
        if (m)
            r->made = m;
        if (!m || !(made = gs__strdup(copy))) {
            rmdir(copy);
            free(copy);
            errno = ENOMEM;
            return -1;
        }
        memmove(m + 1, m, r->nmade * sizeof(*m)); /* deepest first */
        m[0] = made;
        r->nmade++;
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

enum target {
    T_NONE,    /* nothing there: create it */
    T_FILE,    /* a regular file: replace it atomically */
    T_DIR,     /* a folder */
    T_INPLACE, /* a character device or FIFO: write in place */
    T_STDOUT,  /* standard output by name (/dev/stdout, /dev/fd/1, /proc/self/fd/1) */
    T_REFUSE   /* anything else: refused (why says what it is) */
};

/* What is at path, following symbolic links (*real, when not NULL, gets the resolved path of a
 * link to a regular file or folder, malloc'd; NULL otherwise). */
static enum target classify(const char *path, char **real, const char **why)
{
    struct stat st;
    int link = 0;

    *why = NULL;
    if (real)
        *real = NULL;
    if (!strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/fd/1") ||
        !strcmp(path, "/proc/self/fd/1"))
        return T_STDOUT;
    if (lstat(path, &st) != 0) /* a parent that is a file: check_ancestor says so */
        return errno == ENOENT || errno == ENOTDIR ? T_NONE : (*why = strerror(errno), T_REFUSE);
    if (S_ISLNK(st.st_mode)) {
        char target[64];
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        link = 1;
        /* /dev/stderr and kin name an open descriptor: whatever it is, it is written in place,
         * never replaced (it may be the very log this process writes to) */
        if (n > 0 && (target[n] = '\0',
                      !strncmp(target, "/proc/self/fd/", 14) || !strncmp(target, "/dev/fd/", 8)))
            return T_INPLACE;
        if (stat(path, &st) != 0) {
            *why = "a symbolic link to nothing (or a loop)";
            return T_REFUSE;
        }
    }
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
        if (link && real && !(*real = realpath(path, NULL))) {
            *why = "a symbolic link that cannot be resolved";
            return T_REFUSE;
        }
        return S_ISREG(st.st_mode) ? T_FILE : T_DIR;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return T_INPLACE;
    *why = S_ISBLK(st.st_mode)    ? "a block device"
           : S_ISSOCK(st.st_mode) ? "a socket"
                                  : "not a file, folder, character device or FIFO";
    return T_REFUSE;
}

/* For a path that does not exist yet: its nearest existing ancestor must be a folder we may
 * write into (checked before any work, so that a bad --out fails at once). */
static int check_ancestor(const char *path, const char *what, gs_err *err)
{
    char *copy = gs__strdup(path), *slash;
    struct stat st;
    int rc = GS_OK;

    if (!copy)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    while ((slash = strrchr(copy, '/')) != NULL) {
        if (slash == copy) {
            slash[1] = '\0';
            break;
        }
        *slash = '\0';
        if (stat(copy, &st) == 0 || errno != ENOENT)
            break;
    }
    if (!slash)
        strcpy(copy, ".");
    if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode))
        rc =
            gs_errorf(err, GS_EIO, "cannot create %s '%s': '%s' is not a folder", what, path, copy);
    else if (access(copy, W_OK | X_OK) != 0)
        rc = gs_errorf(err, GS_EIO, "cannot create %s '%s': cannot write into '%s': %s", what, path,
                       copy, strerror(errno));
    free(copy);
    return rc;
}

/* ---- folders ---- */

int gs_outdir_check(const char *final, int force, gs_err *err)
{
    const char *why;

    if (!final || !*final)
        return gs_errorf(err, GS_EINVAL, "empty output folder name");
    if (!strcmp(final, "-"))
        return GS_OK;
    switch (classify(final, NULL, &why)) {
    case T_NONE:
        return check_ancestor(final, "output folder", err);
    case T_DIR:
        if (force)
            return GS_OK;
        return gs_errorf(err, GS_EIO, "output folder '%s' exists (use --force to replace it)",
                         final);
    case T_REFUSE:
        return gs_errorf(err, GS_EIO, "output folder '%s' is %s: refused", final, why);
    default:
        return gs_errorf(err, GS_EIO,
                         "output folder '%s' exists and is not a folder: refused (results "
                         "are a folder of files; give a new name)",
                         final);
    }
}

int gs_outdir_begin(gs_outdir *od, const char *final, int force, gs_err *err)
{
    const char *why;
    char *real = NULL;
    enum target t;

    memset(od, 0, sizeof(*od));
    if (gs_outdir_check(final, force, err) != GS_OK)
        return err ? err->code : GS_EIO;
    t = classify(final, &real, &why);
    od->final = real ? real : strip_slashes(final); /* a link to a folder: write its target */
    od->reg = calloc(1, sizeof(*od->reg));
    if (!od->final || !od->reg) {
        gs_outdir_abort(od);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    od->reg->is_dir = 1;
    od->force = force;
    if (t == T_NONE && make_parents(od->final, od->reg) != 0) {
        int e = errno;
        gs_outdir_abort(od);
        if (e == ENOMEM)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        return gs_errorf(err, GS_EIO, "cannot create the parent folders of '%s': %s", final,
                         strerror(e));
    }
    /* mkdtemp fills in the very name the signal handler reads */
    if (!(od->reg->tmp = sibling_template(od->final, "tmp"))) {
        gs_outdir_abort(od);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    reg_add(od->reg);
    if (!mkdtemp(od->reg->tmp)) {
        int e = errno;
        free(od->reg->tmp); /* nothing was created */
        od->reg->tmp = NULL;
        gs_outdir_abort(od);
        return gs_errorf(err, GS_EIO, "cannot create a folder next to '%s': %s", final,
                         strerror(e));
    }
    if (!(od->tmp = gs__strdup(od->reg->tmp))) {
        gs_outdir_abort(od);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
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

    if (!p || reg_file(od->reg, p) != GS_OK) {
        free(p);
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
        return err && err->code ? err->code : GS_EIO;
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
    sigset_t mask;
    int rc = GS_OK;

    /* no signal between moving the old result aside and putting the new one in its place */
    block(&mask);
    if (lstat(od->final, &st) == 0) {
        if (!od->force || !S_ISDIR(st.st_mode)) {
            unblock(&mask);
            gs_errorf(err, GS_EIO, "output folder '%s' appeared while running", od->final);
            gs_outdir_abort(od);
            return GS_EIO;
        }
        old = sibling_template(od->final, "old");
        if (!old || !mkdtemp(old) || rmdir(old) != 0 || rename(od->final, old) != 0) {
            rc = gs_errorf(err, old ? GS_EIO : GS_ENOMEM, "cannot replace '%s': %s", od->final,
                           old ? strerror(errno) : "out of memory");
            free(old);
            old = NULL;
        }
    }
    if (rc == GS_OK && rename(od->tmp, od->final) != 0) {
        int e = errno;
        if (old)
            (void)rename(old, od->final);
        free(old);
        old = NULL;
        rc = gs_errorf(err, GS_EIO, "cannot rename the result to '%s': %s", od->final, strerror(e));
    }
    if (rc != GS_OK) {
        unblock(&mask);
        gs_outdir_abort(od);
        return rc;
    }
    reg_drop(od->reg);
    if (old) {
        gs_rmtree(old);
        free(old);
    }
    unblock(&mask);
    reg_free(od->reg);
    free(od->tmp);
    free(od->final);
    memset(od, 0, sizeof(*od));
    return GS_OK;
}

void gs_outdir_abort(gs_outdir *od)
{
    sigset_t mask;

    block(&mask); /* a signal now would find half a folder */
    if (od->reg) {
        if (od->reg->tmp)
            gs_rmtree(od->reg->tmp);
        od->reg->is_dir = 0;
        free(od->reg->tmp);
        od->reg->tmp = NULL;
        reg_remove(od->reg); /* the parent folders made for it */
        reg_drop(od->reg);
    }
    unblock(&mask);
    reg_free(od->reg);
    free(od->tmp);
    free(od->final);
    memset(od, 0, sizeof(*od));
}

/* ---- single files ---- */

int gs_outfile_check(const char *path, gs_err *err)
{
    const char *why;

    if (!path || !*path)
        return gs_errorf(err, GS_EINVAL, "empty output file name");
    if (!strcmp(path, "-"))
        return GS_OK;
    switch (classify(path, NULL, &why)) {
    case T_NONE:
        return check_ancestor(path, "output file", err);
    case T_DIR:
        return gs_errorf(err, GS_EIO, "output file '%s' is a folder: refused", path);
    case T_REFUSE:
        return gs_errorf(err, GS_EIO, "output file '%s' is %s: refused", path, why);
    default:
        return GS_OK;
    }
}

int gs_outfile_open(gs_outfile *of, const char *path, gs_err *err)
{
    const char *why;
    char *real = NULL;
    enum target t;
    int fd;

    memset(of, 0, sizeof(*of));
    if (gs_outfile_check(path, err) != GS_OK)
        return err ? err->code : GS_EIO;
    t = !strcmp(path, "-") ? T_STDOUT : classify(path, &real, &why);
    if (t == T_STDOUT) {
        of->fp = stdout;
        return GS_OK;
    }
    if (t == T_INPLACE) {
        /* a device or FIFO is written as it is (O_APPEND leaves a terminal's position alone) */
        fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY);
        if (fd < 0 || !(of->fp = fdopen(fd, "a"))) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            return gs_errorf(err, GS_EIO, "cannot write '%s': %s", path, strerror(e));
        }
        of->inplace = 1;
        return GS_OK;
    }
    of->final = real ? real : gs__strdup(path); /* a link to a file: replace its target */
    of->reg = calloc(1, sizeof(*of->reg));
    if (!of->final || !of->reg) {
        gs_outfile_abort(of);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if (t == T_NONE && make_parents(of->final, of->reg) != 0) {
        int e = errno;
        gs_outfile_abort(of);
        if (e == ENOMEM)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        return gs_errorf(err, GS_EIO, "cannot create the parent folders of '%s': %s", path,
                         strerror(e));
    }
    /* mkstemp fills in the very name the signal handler reads */
    if (!(of->reg->tmp = sibling_template(of->final, "tmp"))) {
        gs_outfile_abort(of);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    reg_add(of->reg);
    fd = mkstemp(of->reg->tmp);
    if (fd < 0) {
        int e = errno;
        free(of->reg->tmp); /* nothing was created */
        of->reg->tmp = NULL;
        gs_outfile_abort(of);
        return gs_errorf(err, GS_EIO, "cannot write next to '%s': %s", path, strerror(e));
    }
    if (!(of->tmp = gs__strdup(of->reg->tmp)) || !(of->fp = fdopen(fd, "w"))) {
        int e = of->tmp ? errno : ENOMEM;
        close(fd);
        gs_outfile_abort(of);
        if (e == ENOMEM)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        return gs_errorf(err, GS_EIO, "cannot write next to '%s': %s", path, strerror(e));
    }
    return GS_OK;
}

int gs_outfile_commit(gs_outfile *of, gs_err *err)
{
    sigset_t mask;
    int bad, e = 0;

    if (!of->tmp) { /* standard output, or a device or FIFO written in place */
        int inplace = of->inplace;
        bad = fflush(of->fp) != 0 || ferror(of->fp);
        if (inplace && fclose(of->fp) != 0)
            bad = 1;
        memset(of, 0, sizeof(*of));
        return bad ? gs_errorf(err, GS_EIO, "cannot write to %s",
                               inplace ? "the output device" : "standard output")
                   : GS_OK;
    }
    bad = ferror(of->fp);
    if (fclose(of->fp) != 0)
        bad = 1;
    of->fp = NULL;
    /* mkstemp makes the file 0600; results are ordinary files */
    if (!bad)
        (void)chmod(of->tmp, 0644);
    block(&mask);
    if (!bad && rename(of->tmp, of->final) != 0)
        e = errno;
    if (!bad && !e)
        reg_drop(of->reg);
    unblock(&mask);
    if (bad || e) {
        gs_errorf(err, GS_EIO, "cannot write '%s': %s", of->final,
                  bad ? "write error" : strerror(e));
        gs_outfile_abort(of);
        return GS_EIO;
    }
    reg_free(of->reg);
    free(of->tmp);
    free(of->final);
    memset(of, 0, sizeof(*of));
    return GS_OK;
}

void gs_outfile_abort(gs_outfile *of)
{
    if (of->inplace) {
        if (of->fp)
            fclose(of->fp);
        memset(of, 0, sizeof(*of));
        return;
    }
    if (of->fp && of->tmp)
        fclose(of->fp);
    if (of->reg) {
        sigset_t mask;
        block(&mask);
        reg_remove(of->reg); /* the temporary file and the parent folders made for it */
        reg_drop(of->reg);
        unblock(&mask);
    }
    reg_free(of->reg);
    free(of->tmp);
    free(of->final);
    memset(of, 0, sizeof(*of));
}
