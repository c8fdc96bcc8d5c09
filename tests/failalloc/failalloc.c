/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation-failure injection for the gpusim program (the test build gpusim_failalloc).
 *
 * The program is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup, so
 * that every allocation gpusim's own code makes (and cJSON's, through the hooks gpusim installs)
 * comes here,
 * without a change to the code under test. This file also holds the driver: for every N from 1
 * to the number of allocations a command makes, it runs the command (gpusim's main, called in
 * this process) with the N-th allocation failing, and checks what it did:
 *   - it returned exit status 1 (a crash ends the driver, which fails the test),
 *   - its standard error is one line, "gpusim: error: ...out of memory...",
 *   - the outputs named with --absent do not exist and no temporary is left next to them,
 *   - and, under AddressSanitizer, it leaked nothing (a LeakSanitizer check after every
 *     LEAK_EVERY runs and after the last: a leak is found in the batch where it happened, and
 *     the report's stack names the allocation; --leak-every 1 checks after every run).
 * Running in-process costs far less than starting a sanitized program per N, so every N is
 * tried.
 *
 *   gpusim_failalloc [--absent PATH]... [--quiet] [--trap N] [--leak-every K] -- gpusim ARGS...
 * (--trap N stops at the N-th allocation, for a debugger to show where it comes from.)
 * Exit status: 0 when every N behaved, 1 otherwise (each failure is described on stderr). */
#undef main /* the build renames gpusim's main to gs__cli_main; this file's main is the driver */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gpusim/io.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

int gs__cli_main(int argc, char **argv); /* src/cli/main.c's main, renamed in this build */

static unsigned long count;   /* allocations so far */
static unsigned long fail_at; /* the allocation that fails (1-based); 0 = none */
static unsigned long trap_at; /* --trap N: stop there (SIGTRAP) to see who allocates */

static int failing(void)
{
    if (++count == trap_at && fail_at == trap_at)
        __builtin_trap();
    if (count != fail_at)
        return 0;
    errno = ENOMEM; /* as the C library's allocators do */
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return failing() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return failing() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return failing() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return failing() ? NULL : __real_strdup(s);
}

/* ---- the driver ---- */

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define MAX_ABSENT 8
#define MAX_ARGS   64

typedef struct run {
    int status;
    int leaked;
    unsigned long allocs;
    char err[4096];
} run;

/* A leak check scans the whole heap: once per batch of runs keeps every N affordable. */
static unsigned long leak_every = 64;

/* Runs the command in this process with allocation n failing (0: none), its standard error going
 * to errfd and its standard output to /dev/null; fills r. The leak check runs when check is 1. */
static void run_once(unsigned long n, int argc, char **argv, int errfd, int check, run *r)
{
    char *av[MAX_ARGS + 1];
    ssize_t len;
    int i;

    for (i = 0; i < argc; i++) /* getopt permutes its argv: a fresh copy for every run */
        av[i] = argv[i];
    av[argc] = NULL;
    if (ftruncate(errfd, 0) != 0 || lseek(errfd, 0, SEEK_SET) != 0)
        abort();
    count = 0;
    fail_at = n;
    r->status = gs__cli_main(argc, av);
    r->allocs = count;
    fail_at = 0;
    fflush(stdout);
    r->leaked = 0;
#ifdef HAVE_LSAN
    if (check)
        r->leaked = __lsan_do_recoverable_leak_check();
#else
    (void)check;
#endif
    len = pread(errfd, r->err, sizeof(r->err) - 1, 0);
    r->err[len > 0 ? len : 0] = '\0';
}

/* A missing path's own existence, or a temporary ".NAME.tmp-*" next to it. */
static const char *leftover(const char *path)
{
    static char what[8448];
    char dir[4096], *slash;
    const char *base;
    struct stat st;
    DIR *d;
    struct dirent *e;
    size_t blen;

    if (lstat(path, &st) == 0) {
        snprintf(what, sizeof(what), "'%s' exists", path);
        return what;
    }
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    base = slash ? path + (slash - dir) + 1 : path;
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    blen = strlen(base);
    if (!(d = opendir(dir)))
        return NULL; /* the parent folder is gone too: nothing left there */
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !strncmp(e->d_name + 1, base, blen) &&
            !strncmp(e->d_name + 1 + blen, ".tmp-", 5)) {
            snprintf(what, sizeof(what), "temporary '%s/%s' left", dir, e->d_name);
            closedir(d);
            return what;
        }
    }
    closedir(d);
    return NULL;
}

static int remove_all(const char *const *paths, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (gs_rmtree(paths[i]) != 0)
            return -1;
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: gpusim_failalloc [--absent PATH]... [--quiet] [--trap N] [--leak-every K] "
            "-- gpusim ARGS...\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *absent[MAX_ABSENT];
    char errpath[] = "/tmp/gs-failalloc-XXXXXX";
    int nabsent = 0, quiet = 0, i, cmd, bad = 0, errfd, saved, null;
    unsigned long n, total;
    run r;

    for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "--absent") && i + 1 < argc && nabsent < MAX_ABSENT)
            absent[nabsent++] = argv[++i];
        else if (!strcmp(argv[i], "--quiet"))
            quiet = 1;
        else if (!strcmp(argv[i], "--trap") && i + 1 < argc)
            trap_at = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--leak-every") && i + 1 < argc && atol(argv[i + 1]) > 0)
            leak_every = strtoul(argv[++i], NULL, 10);
        else
            return usage();
    }
    if (i + 1 >= argc || argc - (i + 1) > MAX_ARGS)
        return usage();
    cmd = i + 1;
    errfd = mkstemp(errpath);
    saved = dup(2);
    null = open("/dev/null", O_WRONLY);
    if (errfd < 0 || saved < 0 || null < 0) {
        perror("gpusim_failalloc");
        return 1;
    }
    unlink(errpath);
    fflush(stdout);
    dup2(null, 1);
    dup2(errfd, 2);
    /* the command as it runs without a failure: how many allocations it makes (the second run
     * counts: the first one also makes what is made once per process) */
    run_once(0, argc - cmd, argv + cmd, errfd, 1, &r);
    if (r.status == 0 && !r.leaked) {
        if (remove_all(absent, nabsent) != 0)
            return 1;
        run_once(0, argc - cmd, argv + cmd, errfd, 1, &r);
    }
    total = r.allocs;
    if (r.status != 0 || r.leaked) {
        dup2(saved, 2);
        fprintf(stderr,
                "failalloc: without an injected failure the command fails (status %d) or leaks "
                "(%d):\n%s",
                r.status, r.leaked, r.err);
        return 1;
    }
    if (remove_all(absent, nabsent) != 0)
        return 1;
    for (n = 1; n <= total; n++) {
        const char *nl, *left = NULL;
        run_once(n, argc - cmd, argv + cmd, errfd, n % leak_every == 0 || n == total, &r);
        nl = strchr(r.err, '\n');
        for (i = 0; i < nabsent && !left; i++)
            left = leftover(absent[i]);
        if (r.status != 1 || r.leaked || strncmp(r.err, "gpusim: error: ", 15) ||
            !strstr(r.err, "out of memory") || !nl || nl[1] || left) {
            if (bad++ < 20)
                dprintf(saved,
                        "failalloc: allocation %lu of %lu (this run made %lu): status %d%s%s%s; "
                        "stderr: %.3000s\n",
                        n, total, r.allocs, r.status,
                        r.leaked ? ", leaked (in this run or one of the previous batch)" : "",
                        left ? "; " : "", left ? left : "", r.err);
            if (remove_all(absent, nabsent) != 0)
                return 1;
            if (r.leaked)
                break; /* a leak is reported again by every later check */
        }
    }
    dup2(saved, 2);
    if (!quiet || bad)
        fprintf(stderr, "failalloc: %lu allocations, %d misbehaved: gpusim", total, bad);
    for (i = cmd + 1; (!quiet || bad) && i < argc; i++)
        fprintf(stderr, " %s", argv[i]);
    if (!quiet || bad)
        fputc('\n', stderr);
    return bad ? 1 : 0;
}
