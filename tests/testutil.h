/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the Check suites: temporary files and the suite runner. */
#ifndef GPUSIM_TESTUTIL_H
#define GPUSIM_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "gpusim/cluster.h"
#include "gpusim/sim.h"

/* Runs suite s; returns EXIT_SUCCESS when every test passed. */
int gs_test_run(Suite *s);

/* Writes text to a fresh temporary file and returns its malloc'd path (aborts the test on
 * failure). suffix like ".csv". */
char *gs_test_tmpfile(const char *text, const char *suffix);

/* A fresh temporary folder; malloc'd path. */
char *gs_test_tmpdir(void);

/* Reads a whole file (NUL-terminated, malloc'd); NULL when it cannot. */
char *gs_test_slurp(const char *path);

/* Path under the source tree (GS_SOURCE_DIR/rel); static buffer, valid until the next call. */
const char *gs_test_src(const char *rel);

/* The job lifecycle of gpusim before start-up and checkpoint costs, which the hand-computed
 * scenarios of the older suites assume: starts cost nothing (cl's lifecycle all zero), every
 * restart costs 60 s and a failed start holds its GPUs 60 s (o; either may be NULL). */
void gs_test_legacy_lifecycle(gs_cluster *cl, gs_sim_opts *o);

/* Runs a shell command; returns its exit status (or -1). */
int gs_test_sh(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
