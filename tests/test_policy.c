/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry and the planning scratchpad every policy relies on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/cluster.h"
#include "gpusim/policy.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "testutil.h"

START_TEST(test_registry)
{
    size_t i, j, n = gs_policy_count();

    ck_assert_uint_ge(n, 1);
    ck_assert_ptr_null(gs_policy_at(n));
    ck_assert_ptr_null(gs_policy_find("no-such-policy"));
    for (i = 0; i < n; i++) {
        const gs_policy_ops *p = gs_policy_at(i);
        const char *c;
        ck_assert_int_eq(p->abi, GS_POLICY_ABI);
        ck_assert_ptr_nonnull(p->name);
        ck_assert_ptr_nonnull(p->summary);
        ck_assert_ptr_nonnull(p->knowledge);
        ck_assert(p->init != NULL);
        ck_assert(p->schedule != NULL);
        ck_assert(p->destroy != NULL);
        ck_assert_uint_gt(strlen(p->summary), 10);
        for (c = p->name; *c; c++) /* CLI names are lowercase words joined by dashes */
            ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-',
                          "bad policy name '%s'", p->name);
        ck_assert_ptr_eq(gs_policy_find(p->name), p);
        for (j = 0; j < i; j++)
            ck_assert_str_ne(gs_policy_at(j)->name, p->name);
    }
    ck_assert_ptr_nonnull(gs_policy_find("fifo"));
}
END_TEST

START_TEST(test_plan_growth)
{
    gs_plan p;
    uint32_t i;

    gs_plan_init(&p);
    for (i = 0; i < 1000; i++)
        ck_assert_int_eq(gs_plan_start(&p, i, 0, 1, NULL), GS_OK);
    ck_assert_uint_eq(p.n, 1000);
    ck_assert_int_eq(p.acts[999].job, 999);
    gs_plan_clear(&p);
    ck_assert_uint_eq(p.n, 0);
    gs_plan_reject(&p, 3, GS_REJECT_TOO_LARGE, NULL);
    ck_assert_int_eq(p.acts[0].kind, GS_ACT_REJECT);
    ck_assert_int_eq(p.acts[0].gpus, GS_REJECT_TOO_LARGE);
    gs_plan_release(&p);
}
END_TEST

/* A pool of 3 nodes x 4 GPUs: fragmentation decides what fits. */
START_TEST(test_freemap_placement_rule)
{
    gs_err err = {0};
    gs_scaledb *db = gs_scaledb_load(gs_test_src("tests/data/tiny_db.json"), &err);
    gs_pool pools[1] = {{NULL, 1, 4, 3, 0, 0, 100, 0, 0, 0, GS_POWER_NONE}};
    gs_cluster *cl;
    char *tp = gs_test_tmpfile("job_id,gpu_num,type,submit_time,duration\n"
                               "a,1,SFT,2023-03-01 00:00:00+08:00,5\n",
                               ".csv");
    gs_trace tr;
    gs_sim *sim;
    gs_freemap fm;

    ck_assert_ptr_nonnull(db);
    cl = gs_cluster_new("three", db, pools, 1, &err);
    ck_assert_ptr_nonnull(cl);
    ck_assert_int_eq(gs_trace_load(&tr, tp, NULL, &err), GS_OK);
    sim = gs_sim_new_named(&tr, cl, db, NULL, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_freemap_init(&fm, sim, &err), GS_OK);
    ck_assert_int_eq(gs_freemap_pool_free(&fm, 0), 12);
    ck_assert(gs_freemap_fits(&fm, 0, 12));
    ck_assert(!gs_freemap_fits(&fm, 0, 13));
    ck_assert(!gs_freemap_fits(&fm, 1, 1));          /* no such pool */
    ck_assert_int_eq(gs_freemap_take(&fm, 0, 1), 0); /* node 0: 3 free */
    ck_assert_int_eq(gs_freemap_take(&fm, 0, 2), 0); /* best fit: node 0, 1 free */
    ck_assert_int_eq(fm.node_free[0], 1);
    /* 6 = one whole node + 2: the remainder takes the best fit (node 1, the first of the
     * equally free nodes), the whole node is the first other free one (node 2) */
    ck_assert_int_eq(gs_freemap_take(&fm, 0, 6), 0);
    ck_assert_int_eq(fm.node_free[1], 2);
    ck_assert_int_eq(fm.node_free[2], 0);
    /* 3 GPUs are free in total (1 + 2) but no node has 3 */
    ck_assert_int_eq(gs_freemap_pool_free(&fm, 0), 3);
    ck_assert(!gs_freemap_fits(&fm, 0, 3));
    ck_assert_int_eq(gs_freemap_take(&fm, 0, 3), -1);
    ck_assert_int_eq(gs_freemap_pool_free(&fm, 0), 3); /* unchanged */
    ck_assert(gs_freemap_fits(&fm, 0, 2));
    gs_freemap_release(&fm);
    gs_sim_free(sim);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    remove(tp);
    free(tp);
}
END_TEST

/* Names become policies in the registry only: the core takes ops and refuses to run without. */
START_TEST(test_resolve_and_the_core_without_names)
{
    gs_err err = {0};
    const gs_policy_ops *ops = NULL;
    gs_scaledb *db = gs_scaledb_load(gs_test_src("tests/data/tiny_db.json"), &err);
    gs_pool pools[1] = {{NULL, 1, 4, 3, 0, 0, 100, 0, 0, 0, GS_POWER_NONE}};
    gs_cluster *cl;
    char *tp = gs_test_tmpfile("job_id,gpu_num,type,submit_time,duration\n"
                               "a,1,SFT,2023-03-01 00:00:00+08:00,5\n",
                               ".csv");
    gs_trace tr;
    gs_sim_opts o;
    gs_sim *sim;

    ck_assert_int_eq(gs_policy_resolve("db-flat", &ops, &err), GS_OK);
    ck_assert_ptr_eq(ops, gs_policy_find("db-flat"));
    ck_assert_int_eq(gs_policy_resolve("warp-drive", &ops, &err), GS_ENOTFOUND);
    ck_assert_ptr_null(ops);
    ck_assert_msg(strstr(err.msg, "'warp-drive'") && strstr(err.msg, "fifo") &&
                      strstr(err.msg, "sia-aware"),
                  "%s", err.msg);
    ck_assert_ptr_nonnull(db);
    cl = gs_cluster_new("three", db, pools, 1, &err);
    ck_assert_ptr_nonnull(cl);
    ck_assert_int_eq(gs_trace_load(&tr, tp, NULL, &err), GS_OK);
    /* a name alone means nothing to the core */
    gs_sim_opts_init(&o);
    o.policy = "fifo";
    gs_err_clear(&err);
    ck_assert_ptr_null(gs_sim_new(&tr, cl, db, &o, &err));
    ck_assert_int_eq(err.code, GS_EINVAL);
    /* ops given: the recorded name is the policy's */
    o.policy_ops = gs_policy_find("db-fifo");
    sim = gs_sim_new(&tr, cl, db, &o, &err);
    ck_assert_ptr_nonnull(sim);
    ck_assert_str_eq(gs_sim_options(sim)->policy, "db-fifo");
    gs_sim_free(sim);
    /* the named form resolves; an unknown name is refused there */
    o.policy_ops = NULL;
    o.policy = "warp-drive";
    gs_err_clear(&err);
    ck_assert_ptr_null(gs_sim_new_named(&tr, cl, db, &o, &err));
    ck_assert_int_eq(err.code, GS_ENOTFOUND);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    remove(tp);
    free(tp);
}
END_TEST

static Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("registry");

    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_plan_growth);
    tcase_add_test(tc, test_freemap_placement_rule);
    tcase_add_test(tc, test_resolve_and_the_core_without_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(policy_suite());
}
