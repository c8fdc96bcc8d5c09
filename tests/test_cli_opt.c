/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's option helper (src/cli/cli_opt.c, a private helper of the CLI layer tested here as
 * such): values and ranges of every type, usage errors naming the option (exit 2), positional
 * arguments, repeated options, and --help generated from the table with every range shown. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "testutil.h"

typedef struct targs {
    const char *name;
    int n, flag, count, mode, choice;
    uint64_t seed;
    double x, p;
    gs__params params;
    int even;
} targs;

static int parse_even(const char *v, void *field, char *why, size_t n)
{
    int k;

    if (gs__opt_int(v, &k) != 0 || k % 2) {
        snprintf(why, n, "needs an even number");
        return -1;
    }
    memcpy(field, &k, sizeof(k));
    return 0;
}

#define T targs
static const gs__opt topts[] = {
    OPT_GROUP("things:"),
    OPT_STR("name", 'N', T, name, "S", "a name"),
    OPT_INT("count-to", 'n', T, n, "N", 1, 99, "how far, %r (default 5)"),
    OPT_U64("seed", 's', T, seed, "N", "a seed"),
    OPT_DBL("delay", 0, T, x, "S", 0, 10, GS__OPT_OPEN_LO, "seconds, %r"),
    OPT_DBL("prob", 0, T, p, "P", 0, 1, GS__OPT_OPEN_HI, "a probability"),
    OPT_FLAG("flag", 'f', T, flag, "a flag"),
    OPT_COUNT("verbose", 'v', T, count, "more"),
    OPT_SET("on", 0, T, mode, 1, "mode on"),
    OPT_SET("off", 0, T, mode, 2, "mode off"),
    OPT_CHOICE("format", 0, T, choice, "F", "json|csv|tsv", "output format"),
    OPT_CALL("param", 0, T, params, gs__params, "KEY=VALUE", gs__opt_param, "a parameter"),
    OPT_CALL("even", 0, T, even, int, "N", parse_even, "an even number"),
    OPT_END,
};
#undef T

static const gs__optspec tspec = {"test cmd", "usage: gpusim test\n", topts, "the end\n", 2};

static targs a;
static char *errtext;

/* Parses the NULL-terminated arguments; stderr goes to errtext. Returns gs__opt_parse's result. */
static int parse(int *first, ...)
{
    char *argv[32];
    int argc = 0, rc, fd, saved;
    va_list ap;
    char *path = gs_test_tmpfile("", ".err");

    static char prog[] = "test";

    argv[argc++] = prog;
    va_start(ap, first);
    while ((argv[argc] = va_arg(ap, char *)) != NULL)
        argc++;
    va_end(ap);
    memset(&a, 0, sizeof(a));
    a.n = 5;
    fflush(stderr);
    saved = dup(2);
    fd = open(path, O_WRONLY | O_TRUNC);
    dup2(fd, 2);
    rc = gs__opt_parse(&tspec, &a, argc, argv, first);
    fflush(stderr);
    dup2(saved, 2);
    close(fd);
    close(saved);
    free(errtext);
    errtext = gs_test_slurp(path);
    remove(path);
    free(path);
    return rc;
}

START_TEST(values_of_every_type)
{
    int first;

    ck_assert_int_eq(parse(&first, "--name", "x", "-n", "7", "--seed=18446744073709551615",
                           "--delay", "10", "--prob", "0", "-f", "-vv", "--verbose", "--on",
                           "--off", "--format", "csv", "--param", "a=1", "--param", "b=2", "--even",
                           "4", "pos1", NULL),
                     GS__OPT_GO);
    ck_assert_str_eq(a.name, "x");
    ck_assert_int_eq(a.n, 7);
    ck_assert(a.seed == UINT64_MAX);
    ck_assert(a.x == 10 && a.p == 0);
    ck_assert_int_eq(a.flag, 1);
    ck_assert_int_eq(a.count, 3);
    ck_assert_int_eq(a.mode, 2); /* the last one wins */
    ck_assert_int_eq(a.choice, 1);
    ck_assert_uint_eq(a.params.n, 2);
    ck_assert_str_eq(a.params.v[1], "b=2");
    ck_assert_int_eq(a.even, 4);
    ck_assert_int_eq(first, 23); /* argv[23] is pos1 */
    gs__params_release(&a.params);
}
END_TEST

/* bad values: exit 2, the option named (not the value), a hint */
static void bad(const char *opt, const char *val, const char *want)
{
    int first;

    ck_assert_int_eq(parse(&first, opt, val, NULL), GS_EXIT_USAGE);
    ck_assert_msg(strstr(errtext, want), "'%s' not in '%s'", want, errtext);
    ck_assert_msg(strstr(errtext, "Try 'gpusim test cmd --help'."), "no hint: %s", errtext);
}

START_TEST(bad_values_name_the_option)
{
    bad("-n", "0", "--count-to needs an integer in [1, 99], got '0'");
    bad("--count-to", "100", "--count-to needs an integer in [1, 99]");
    bad("--count-to", "5x", "--count-to needs");
    bad("--seed", "-1", "--seed needs an integer in [0, 2^64), got '-1'");
    bad("--delay", "0", "--delay needs a number in (0, 10], got '0'");
    bad("--delay", "-1", "--delay needs");
    bad("--delay", "nan", "--delay needs");
    bad("--delay", "1e400", "--delay needs");
    bad("--prob", "1", "--prob needs a number in [0, 1), got '1'");
    bad("--format", "xml", "--format needs one of json, csv, tsv, got 'xml'");
    bad("--param", "novalue", "--param needs KEY=VALUE, got 'novalue'");
    bad("--even", "3", "--even needs an even number, got '3'");
}
END_TEST

START_TEST(usage_errors)
{
    int first;

    ck_assert_int_eq(parse(&first, "--bogus", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "unknown option '--bogus'"));
    ck_assert_int_eq(parse(&first, "-z", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "unknown option '-z'"));
    ck_assert_int_eq(parse(&first, "--name", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "option '--name' needs a value"));
    ck_assert_int_eq(parse(&first, "-N", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "option '--name' needs a value"));
    /* two positional arguments are allowed, not three */
    ck_assert_int_eq(parse(&first, "a", "b", NULL), GS__OPT_GO);
    ck_assert_int_eq(parse(&first, "a", "b", "c", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "unexpected argument 'c'"));
    /* a negative number is a value, not an option */
    ck_assert_int_eq(parse(&first, "--delay", "-0.5", NULL), GS_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(errtext, "--delay needs a number in (0, 10], got '-0.5'"));
}
END_TEST

START_TEST(help_shows_every_range)
{
    char *path = gs_test_tmpfile("", ".txt"), *text;
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    gs__opt_help(&tspec, fp);
    fclose(fp);
    text = gs_test_slurp(path);
    ck_assert_ptr_nonnull(text);
    ck_assert(!strncmp(text, "usage: gpusim test\n", 19));
    ck_assert_ptr_nonnull(strstr(text, "\nthings:\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "  -n, --count-to N          how far, [1, 99] (default 5)\n"));
    ck_assert_ptr_nonnull(strstr(text, "--seed N              a seed [0, 2^64)\n"));
    ck_assert_ptr_nonnull(strstr(text, "seconds, (0, 10]\n"));
    ck_assert_ptr_nonnull(strstr(text, "a probability [0, 1)\n"));
    ck_assert_ptr_nonnull(strstr(text, "  -h, --help"));
    ck_assert_ptr_nonnull(strstr(text, "\nthe end\n"));
    free(text);
    remove(path);
    free(path);
}
END_TEST

static void teardown(void)
{
    free(errtext);
    errtext = NULL;
}

static Suite *cli_opt_suite(void)
{
    Suite *s = suite_create("cli_opt");
    TCase *tc = tcase_create("parse");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, values_of_every_type);
    tcase_add_test(tc, bad_values_name_the_option);
    tcase_add_test(tc, usage_errors);
    tcase_add_test(tc, help_shows_every_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(cli_opt_suite());
}
