/* SPDX-License-Identifier: Apache-2.0 */
/* The scaling model's overhead constants against Sia's measured profiles (tools/fit_scaledb.c),
 * when Sia's artifact data is on this machine (GS_SIA_DIR, ../shared/anchors/sia next to the
 * checkout; it is not in the repository): the committed constants reproduce the fit error
 * configs/scaledb/README.md states for every GPU type, and the calibration run again gives
 * the committed constants. Exits 77 (ctest SKIP) when the data is absent. This suite tests a
 * private developer tool, so it includes tools/fit_scaledb_int.h. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fit_scaledb_int.h"
#include "testutil.h"

#ifndef GS_SIA_DIR
#define GS_SIA_DIR ""
#endif

static gs__sia_data *data;

static void setup(void)
{
    gs_err err = {0};

    data = gs__sia_load(GS_SIA_DIR, &err);
    ck_assert_msg(data != NULL, "%s", err.msg);
}

static void teardown(void)
{
    gs__sia_free(data);
    data = NULL;
}

START_TEST(committed_constants_match_the_stated_error)
{
    double bytes[GS__SIA_NAPPS], rmse[GS__SIA_NTYPES], mx[GS__SIA_NTYPES];
    const gs__dbm_fit *fits = gs__sia_committed(bytes);
    int pts[GS__SIA_NTYPES], t;

    gs__sia_errors(data, fits, bytes, rmse, mx, pts);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        /* the errors the README states (src/core/dbgen_fit.h, four digits) */
        ck_assert_int_eq(pts[t], fits[t].points);
        ck_assert_msg(rmse[t] <= fits[t].rmse * 1.001 + 1e-6,
                      "%s: RMS efficiency error %.4f, stated %.4f", fits[t].sia_type, rmse[t],
                      fits[t].rmse);
        ck_assert_double_le(mx[t], fits[t].max_err * 1.001 + 1e-6);
        /* and the fit is worth having: the model follows Sia's curves, where perfect linear
         * scaling (the DB before model v2) misses them by 0.56 or more on every type */
        ck_assert_double_lt(rmse[t], 0.15);
        ck_assert_int_gt(pts[t], 100);
    }
}
END_TEST

START_TEST(errors_grow_when_the_constants_are_wrong)
{
    double bytes[GS__SIA_NAPPS], rmse[GS__SIA_NTYPES], mx[GS__SIA_NTYPES], base[GS__SIA_NTYPES];
    gs__dbm_fit fits[GS__SIA_NTYPES];
    int pts[GS__SIA_NTYPES], t;

    memcpy(fits, gs__sia_committed(bytes), sizeof(fits));
    gs__sia_errors(data, fits, bytes, base, mx, pts);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        fits[t].lat_intra = fits[t].lat_intra * 10 + 1e-3;
        fits[t].step_overhead += 0.05;
    }
    gs__sia_errors(data, fits, bytes, rmse, mx, pts);
    for (t = 0; t < GS__SIA_NTYPES; t++)
        ck_assert_double_gt(rmse[t], base[t] + 0.01);
}
END_TEST

START_TEST(calibration_reproduces_the_committed_constants)
{
    gs__dbm_fit fits[GS__SIA_NTYPES];
    double bytes[GS__SIA_NAPPS], cb[GS__SIA_NAPPS];
    const gs__dbm_fit *c = gs__sia_committed(cb);
    gs_err err = {0};
    int t, a;

    ck_assert_int_eq(gs__sia_fit(data, fits, bytes, &err), GS_OK);
    for (t = 0; t < GS__SIA_NTYPES; t++) {
        /* four significant digits in the committed header */
        ck_assert_double_eq_tol(fits[t].lat_intra, c[t].lat_intra, 1e-3 * c[t].lat_intra);
        ck_assert_double_eq_tol(fits[t].lat_inter, c[t].lat_inter, 1e-3 * c[t].lat_inter);
        ck_assert_double_eq_tol(fits[t].overlap, c[t].overlap, 1e-3 * c[t].overlap + 1e-6);
        ck_assert_double_eq_tol(fits[t].step_overhead, c[t].step_overhead,
                                1e-3 * c[t].step_overhead);
        ck_assert_double_eq_tol(fits[t].rmse, c[t].rmse, 1e-3 * c[t].rmse);
    }
    for (a = 0; a < GS__SIA_NAPPS; a++)
        ck_assert_double_eq_tol(bytes[a], cb[a], 1e-3 * cb[a]);
}
END_TEST

int main(void)
{
    Suite *s;
    TCase *tc;
    char probe[1200];

    snprintf(probe, sizeof(probe), "%s/traces/bert/placements-dgx-ext.csv", GS_SIA_DIR);
    if (!*GS_SIA_DIR || access(probe, R_OK) != 0) {
        printf("dbfit: Sia's profiles not found in '%s': skipped\n", GS_SIA_DIR);
        return 77;
    }
    s = suite_create("dbfit");
    tc = tcase_create("sia");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, committed_constants_match_the_stated_error);
    tcase_add_test(tc, errors_grow_when_the_constants_are_wrong);
    tcase_add_test(tc, calibration_reproduces_the_committed_constants);
    suite_add_tcase(s, tc);
    return gs_test_run(s);
}
