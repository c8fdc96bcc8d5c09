/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the Check suites. */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int gs_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

char *gs_test_tmpfile(const char *text, const char *suffix)
{
    char tmpl[] = "/tmp/gpusim-test-XXXXXX";
    int fd = mkstemp(tmpl);
    FILE *fp;
    char *path;

    ck_assert_int_ge(fd, 0);
    fp = fdopen(fd, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    path = malloc(strlen(tmpl) + strlen(suffix) + 1);
    ck_assert_ptr_nonnull(path);
    sprintf(path, "%s%s", tmpl, suffix);
    ck_assert_int_eq(rename(tmpl, path), 0);
    return path;
}

char *gs_test_tmpdir(void)
{
    char tmpl[] = "/tmp/gpusim-test-XXXXXX";
    char *p = mkdtemp(tmpl);

    ck_assert_ptr_nonnull(p);
    return strdup(p);
}

char *gs_test_slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(fp);
    return buf;
}

const char *gs_test_src(const char *rel)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/%s", GS_SOURCE_DIR, rel);
    return buf;
}

int gs_test_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

void gs_test_legacy_lifecycle(gs_cluster *cl, gs_sim_opts *o)
{
    if (cl) {
        gs_lifecycle lc;
        gs_lifecycle_init(&lc);
        lc.schedule_s = lc.init_s = lc.init_per_doubling_s = 0;
        gs_cluster_set_lifecycle(cl, &lc);
    }
    if (o) {
        o->restart_delay = 60;
        o->fail_delay = 60;
    }
}
