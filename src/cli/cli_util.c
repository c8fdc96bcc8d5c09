/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the subcommands: usage errors, option values, the recorded command line. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli_int.h"
#include "gpusim/io.h"
#include "gpusim/scaling_db.h"
#include "gpusim/trace.h"
#include "util_int.h"

int gs__usage_error(const char *cmd, const char *fmt, ...)
{
    char raw[1024], line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    gs__one_line(line, sizeof(line), raw); /* an argument may hold a newline or an escape */
    fprintf(stderr, "gpusim: %s%s%s\nTry 'gpusim %s%s--help'.\n", cmd ? cmd : "", cmd ? ": " : "",
            line, cmd ? cmd : "", cmd ? " " : "");
    return GS_EXIT_USAGE;
}

int gs__fail(const gs_err *err)
{
    fprintf(stderr, "gpusim: error: %s\n", err && err->code ? err->msg : "unknown error");
    return GS_EXIT_FAIL;
}

int gs__fail_with(gs_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof(err->msg)];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gs_errorf(err, code, "%s", msg);
    return gs__fail(err);
}

int gs__opt_double(const char *s, double *out)
{
    return gs__parse_double(s, strlen(s), out);
}

int gs__opt_u64(const char *s, unsigned long long *out)
{
    char *end;

    if (!*s || *s == '-')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return *end || errno ? -1 : 0;
}

int gs__opt_int(const char *s, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < -2147483647L || v > 2147483647L)
        return -1;
    *out = (int)v;
    return 0;
}

char *gs__command_line(int argc, char **argv, const char *prog)
{
    gs__buf b = {0};
    int i, rc;

    rc = gs__buf_printf(&b, "%s", prog);
    for (i = 1; i < argc && rc == GS_OK; i++) {
        const char *a = argv[i], *p;
        int plain = *a != '\0';
        for (p = a; *p && plain; p++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%",
                        *p))
                plain = 0;
        if (plain) {
            rc = gs__buf_printf(&b, " %s", a);
            continue;
        }
        rc = gs__buf_append(&b, " '", 2);
        for (p = a; *p && rc == GS_OK; p++) {
            if (*p == '\'')
                rc = gs__buf_append(&b, "'\\''", 4);
            else
                rc = gs__buf_append(&b, p, 1);
        }
        if (rc == GS_OK)
            rc = gs__buf_append(&b, "'", 1);
    }
    if (rc != GS_OK) {
        gs__buf_release(&b);
        return NULL;
    }
    return b.data;
}

int gs__finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gpusim: error: cannot write to standard output\n");
        return GS_EXIT_FAIL;
    }
    return status;
}

int gs__opt_param(const char *value, void *field, char *why, size_t n)
{
    gs__params *p = field;

    if (!strchr(value, '=') || value[0] == '=') {
        snprintf(why, n, "needs KEY=VALUE");
        return -1;
    }
    if (GS_GROW(p->v, p->cap, p->n + 1) != GS_OK) {
        snprintf(why, n, "cannot be stored (out of memory)");
        return -1;
    }
    p->v[p->n++] = value;
    return 0;
}

void gs__params_release(gs__params *p)
{
    free(p->v);
    memset(p, 0, sizeof(*p));
}

char *gs__trace_path(const char *arg)
{
    gs_err err = {0};
    char *p = gs_data_resolve("traces", arg, ".csv", &err);

    /* out of memory is an error; not found leaves the name for the loader to report */
    return p || err.code == GS_ENOMEM ? p : gs__strdup(arg);
}

struct gs_scaledb *gs__open_scaledb(const char *arg, char **path, gs_err *err)
{
    char *p;
    gs_scaledb *db;

    if (path)
        *path = NULL;
    if (arg && !strncmp(arg, "sia:", 4)) {
        if (!(db = gs_scaledb_load_sia(arg + 4, err)))
            return NULL;
        p = gs__strdup(arg);
    } else {
        if (!(p = gs__resolve_config("configs/scaledb", arg ? arg : "default", ".json", err)))
            return NULL;
        if (!(db = gs_scaledb_load(p, err))) {
            free(p);
            return NULL;
        }
    }
    if (!p) {
        gs_scaledb_free(db);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (path)
        *path = p;
    else
        free(p);
    return db;
}

char *gs__sia_data_near(const char *trace_path)
{
    char *dir = realpath(trace_path, NULL), probe[4200];
    struct stat st;
    int up;

    for (up = 0; dir && up <= 4; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = 0;
        if (snprintf(probe, sizeof(probe), "%s/traces/cifar10", dir) < (int)sizeof(probe) &&
            stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
            gs__buf b = {0};
            int rc = gs__buf_printf(&b, "sia:%s", dir);
            free(dir);
            if (rc != GS_OK) {
                gs__buf_release(&b);
                return NULL;
            }
            return b.data;
        }
    }
    free(dir);
    return NULL;
}

int gs__opt_trace_format(const char *value, void *field, char *why, size_t n)
{
    size_t i, k;

    for (i = 0; i < gs_trace_format_count(); i++)
        if (!strcmp(value, gs_trace_format_name(i)))
            break;
    if (strcmp(value, "auto") != 0 && i == gs_trace_format_count()) {
        k = (size_t)snprintf(why, n, "needs auto");
        for (i = 0; i < gs_trace_format_count() && k < n; i++)
            k += (size_t)snprintf(why + k, n - k, ", %s", gs_trace_format_name(i));
        if (k < n)
            snprintf(why + k, n - k, ", got '%s'", value);
        return -1;
    }
    *(const char **)field = value;
    return 0;
}

void gs__trace_note(const gs_trace *tr, int quiet)
{
    if (quiet || !tr->detected)
        return;
    fprintf(stderr, "gpusim: trace '%s': format %s (detected: %s)\n", tr->path, tr->format,
            tr->detected);
}
