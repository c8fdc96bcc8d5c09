/* SPDX-License-Identifier: Apache-2.0 */
/* One way to parse options: a command's table of options (cli_int.h) drives getopt_long, the
 * checks of every value against its type and range, the usage errors and the --help text. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

#define MAXOPTS 96 /* options of one command, at most */

/* getopt_long's code of entry i: its short letter, or a number past every character */
static int code_of(const gs__opt *o, size_t i)
{
    return o->key ? o->key : 256 + (int)i;
}

static int takes_value(const gs__opt *o)
{
    return o->type != GS__OPT_FLAG && o->type != GS__OPT_COUNT && o->type != GS__OPT_GROUP;
}

static void num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.10g", v);
}

void gs__opt_range(const gs__opt *o, char *buf, size_t n)
{
    char lo[32], hi[32];

    num(lo, sizeof(lo), o->lo);
    num(hi, sizeof(hi), o->hi);
    if (o->type == GS__OPT_U64 && o->hi == 0)
        snprintf(buf, n, "[%s, 2^64)", lo);
    else
        snprintf(buf, n, "%c%s, %s%c", o->flags & GS__OPT_OPEN_LO ? '(' : '[', lo, hi,
                 o->flags & GS__OPT_OPEN_HI ? ')' : ']');
}

/* What a value of o must be, for messages ("an integer in [1, 99]"). */
static void need(const gs__opt *o, char *buf, size_t n)
{
    char r[80];

    gs__opt_range(o, r, sizeof(r));
    switch (o->type) {
    case GS__OPT_INT:
        snprintf(buf, n, "an integer in %s", r);
        break;
    case GS__OPT_U64:
        snprintf(buf, n, "an integer in %s", r);
        break;
    case GS__OPT_DOUBLE:
        snprintf(buf, n, "a number in %s", r);
        break;
    case GS__OPT_CHOICE: {
        const char *p = o->choices;
        size_t len = 0;
        buf[0] = '\0';
        while (*p && len + 1 < n) { /* "a|b|c" -> "one of a, b, c" */
            size_t k = strcspn(p, "|");
            len +=
                (size_t)snprintf(buf + len, n - len, "%s%.*s", len ? ", " : "one of ", (int)k, p);
            p += k + (p[k] == '|');
            if (len >= n)
                break;
        }
        break;
    }
    default:
        snprintf(buf, n, "a value");
    }
}

static int in_range(const gs__opt *o, double v)
{
    if (o->flags & GS__OPT_OPEN_LO ? !(v > o->lo) : !(v >= o->lo))
        return 0;
    if (o->type == GS__OPT_U64 && o->hi == 0)
        return 1;
    return o->flags & GS__OPT_OPEN_HI ? v < o->hi : v <= o->hi;
}

/* Stores value into the field of o; 0, or -1 with why filled. */
static int store(const gs__opt *o, char *field, const char *value, char *why, size_t n)
{
    switch (o->type) {
    case GS__OPT_STR:
        memcpy(field, &value, sizeof(value));
        return 0;
    case GS__OPT_INT: {
        int v;
        if (gs__opt_int(value, &v) != 0 || !in_range(o, v))
            break;
        memcpy(field, &v, sizeof(v));
        return 0;
    }
    case GS__OPT_U64: {
        unsigned long long u;
        uint64_t v;
        if (gs__opt_u64(value, &u) != 0 || !in_range(o, (double)u) ||
            (o->hi != 0 && u > (unsigned long long)o->hi))
            break;
        v = (uint64_t)u;
        memcpy(field, &v, sizeof(v));
        return 0;
    }
    case GS__OPT_DOUBLE: {
        double v;
        if (gs__opt_double(value, &v) != 0 || !in_range(o, v))
            break;
        memcpy(field, &v, sizeof(v));
        return 0;
    }
    case GS__OPT_CHOICE: {
        const char *p = o->choices;
        int i;
        for (i = 0; *p; i++) {
            size_t k = strcspn(p, "|");
            if (strlen(value) == k && !strncmp(p, value, k)) {
                memcpy(field, &i, sizeof(i));
                return 0;
            }
            p += k + (p[k] == '|');
        }
        break;
    }
    case GS__OPT_CALL:
        why[0] = '\0';
        if (o->fn(value, field, why, n) == 0)
            return 0;
        if (why[0])
            return -1;
        break;
    default:
        break;
    }
    {
        char w[200];
        need(o, w, sizeof(w));
        snprintf(why, n, "needs %s", w);
    }
    return -1;
}

static const gs__opt *find_code(const gs__opt *opts, int code)
{
    size_t i;

    for (i = 0; opts[i].type != GS__OPT_END; i++)
        if (opts[i].type != GS__OPT_GROUP && code_of(&opts[i], i) == code)
            return &opts[i];
    return NULL;
}

/* getopt_long's tables for opts (plus -h/--help); returns -1 when they do not fit. */
static int build(const gs__opt *opts, struct option *lo, char *so, size_t sosize)
{
    size_t i, n = 0, s = 0;

    so[s++] = ':'; /* report a missing value as ':' */
    for (i = 0; opts[i].type != GS__OPT_END; i++) {
        const gs__opt *o = &opts[i];
        if (o->type == GS__OPT_GROUP)
            continue;
        if (n + 2 >= MAXOPTS || s + 3 >= sosize)
            return -1;
        lo[n].name = o->name;
        lo[n].has_arg = takes_value(o) ? required_argument : no_argument;
        lo[n].flag = NULL;
        lo[n].val = code_of(o, i);
        n++;
        if (o->key) {
            so[s++] = (char)o->key;
            if (takes_value(o))
                so[s++] = ':';
        }
    }
    lo[n].name = "help";
    lo[n].has_arg = no_argument;
    lo[n].flag = NULL;
    lo[n].val = 'h';
    memset(&lo[n + 1], 0, sizeof(lo[n + 1]));
    so[s++] = 'h';
    so[s] = '\0';
    return 0;
}

static int apply(const gs__optspec *spec, const gs__opt *o, char *base, const char *value)
{
    char *field = base + o->off, why[400];
    int v;

    switch (o->type) {
    case GS__OPT_FLAG:
        v = o->set_to ? o->set_to : 1;
        memcpy(field, &v, sizeof(v));
        return 0;
    case GS__OPT_COUNT:
        memcpy(&v, field, sizeof(v));
        v++;
        memcpy(field, &v, sizeof(v));
        return 0;
    default:
        if (store(o, field, value, why, sizeof(why)) == 0)
            return 0;
        return gs__usage_error(spec->cmd, "--%s %s, got '%s'", o->name, why, value);
    }
}

int gs__opt_parse(const gs__optspec *spec, void *args, int argc, char **argv, int *first)
{
    struct option lo[MAXOPTS];
    char so[3 * MAXOPTS + 4];
    int c, rc;

    if (build(spec->opts, lo, so, sizeof(so)) != 0)
        return gs__usage_error(spec->cmd, "too many options in the command's table");
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        const gs__opt *o;
        if (c == 'h' && !find_code(spec->opts, 'h')) {
            gs__opt_help(spec, stdout);
            return gs__finish_stdout(GS_EXIT_OK);
        }
        if (c == ':') {
            o = find_code(spec->opts, optopt);
            if (o)
                return gs__usage_error(spec->cmd, "option '--%s' needs a value", o->name);
            return gs__usage_error(spec->cmd, "option '%s' needs a value", argv[optind - 1]);
        }
        if (c == '?') {
            if (optopt && optopt < 256)
                return gs__usage_error(spec->cmd, "unknown option '-%c'", optopt);
            return gs__usage_error(spec->cmd, "unknown option '%s'", argv[optind - 1]);
        }
        o = find_code(spec->opts, c);
        if (!o)
            return gs__usage_error(spec->cmd, "unknown option '%s'", argv[optind - 1]);
        if ((rc = apply(spec, o, args, optarg)) != 0)
            return rc;
    }
    if (spec->maxpos >= 0 && argc - optind > spec->maxpos)
        return gs__usage_error(spec->cmd, "unexpected argument '%s'", argv[optind + spec->maxpos]);
    *first = optind;
    return GS__OPT_GO;
}

/* One option's line (or lines) of --help. */
static void help_line(const gs__opt *o, FILE *fp)
{
    char left[80], range[80];
    const char *h = o->help ? o->help : "", *p;
    int col;

    if (o->type == GS__OPT_GROUP) {
        fprintf(fp, "\n%s\n", o->name);
        return;
    }
    if (o->key)
        col = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
                       o->arg ? o->arg : "");
    else
        col = snprintf(left, sizeof(left), "      --%s%s%s", o->name, o->arg ? " " : "",
                       o->arg ? o->arg : "");
    fputs(left, fp);
    if (col > 27) {
        fputc('\n', fp);
        col = 0;
    }
    fprintf(fp, "%*s", 28 - col, "");
    range[0] = '\0';
    if (o->type == GS__OPT_INT || o->type == GS__OPT_U64 || o->type == GS__OPT_DOUBLE)
        gs__opt_range(o, range, sizeof(range));
    for (p = h; *p; p++) {
        if (p[0] == '%' && p[1] == 'r') {
            fputs(range, fp);
            range[0] = '\0'; /* shown */
            p++;
        } else if (*p == '\n') {
            fprintf(fp, "\n%28s", "");
        } else {
            fputc(*p, fp);
        }
    }
    if (range[0])
        fprintf(fp, " %s", range);
    fputc('\n', fp);
}

void gs__opt_help(const gs__optspec *spec, FILE *fp)
{
    size_t i;

    fputs(spec->intro, fp);
    for (i = 0; spec->opts[i].type != GS__OPT_END; i++)
        help_line(&spec->opts[i], fp);
    if (!find_code(spec->opts, 'h'))
        fprintf(fp, "  -h, --help                show this help\n");
    if (spec->outro)
        fprintf(fp, "\n%s", spec->outro);
}
