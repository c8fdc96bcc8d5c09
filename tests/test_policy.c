/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry and the planning scratchpad every policy relies on. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int level(const gs_policy_ops *p)
{
    static const char *const levels[] = {"uninformed", "offline-informed", "online-informed",
                                         "hybrid"};
    int i;

    for (i = 0; i < 4; i++)
        if (!strcmp(p->knowledge, levels[i]))
            return i;
    return -1;
}

/* Listed by knowledge level, then by name; every level is one of the CLOUDSTARS D2.1 report's. */
START_TEST(test_registry_order_and_levels)
{
    size_t i, n = gs_policy_count();

    for (i = 0; i < n; i++) {
        const gs_policy_ops *p = gs_policy_at(i);
        ck_assert_msg(level(p) >= 0, "policy '%s': unknown knowledge level '%s'", p->name,
                      p->knowledge);
        if (i > 0) {
            const gs_policy_ops *q = gs_policy_at(i - 1);
            ck_assert(level(q) < level(p) ||
                      (level(q) == level(p) && strcmp(q->name, p->name) < 0));
        }
    }
    ck_assert_str_eq(gs_policy_at(0)->name, "fifo");
}
END_TEST

/* The registry derives from the files: every policies/<name>.c that defines
 * gs_policy_<name> is registered under <name> with dashes, and nothing else is. */
START_TEST(test_registry_is_the_files)
{
    DIR *d = opendir(gs_test_src("policies"));
    struct dirent *de;
    size_t found = 0;

    ck_assert_ptr_nonnull(d);
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name), k;
        char path[600], name[256], sym[300], *text;
        if (len < 3 || strcmp(de->d_name + len - 2, ".c") || len - 2 >= sizeof(name))
            continue;
        memcpy(name, de->d_name, len - 2);
        name[len - 2] = '\0';
        snprintf(path, sizeof(path), "policies/%s", de->d_name);
        text = gs_test_slurp(gs_test_src(path));
        snprintf(sym, sizeof(sym), "\nconst gs_policy_ops gs_policy_%s = ", name);
        if (strstr(text, sym)) {
            for (k = 0; name[k]; k++)
                if (name[k] == '_')
                    name[k] = '-';
            ck_assert_msg(gs_policy_find(name) != NULL, "%s is not registered as '%s'", path, name);
            found++;
        }
        free(text);
    }
    closedir(d);
    ck_assert_uint_eq(found, gs_policy_count());
}
END_TEST

START_TEST(test_plugin_names)
{
    gs_err err = {0};
    char *p;
    const gs_policy_ops *ops;
    char *dir = gs_test_tmpdir(), so[512], path[1100];

    ck_assert(gs_policy_is_path("./x.so"));
    ck_assert(gs_policy_is_path("x.so"));
    ck_assert(gs_policy_is_path("lib/x"));
    ck_assert(!gs_policy_is_path("first-fit"));
    ck_assert(!gs_policy_is_path(".so"));
    /* a path is itself; a name is NAME.so of the first folder of GPUSIM_POLICY_PATH holding it */
    p = gs_policy_plugin_find("./x.so", &err);
    ck_assert_str_eq(p, "./x.so");
    free(p);
    snprintf(so, sizeof(so), "%s/mine.so", dir);
    fclose(fopen(so, "w"));
    snprintf(path, sizeof(path), "/no/such:%s::%s", dir, dir);
    setenv("GPUSIM_POLICY_PATH", path, 1);
    p = gs_policy_plugin_find("mine", &err);
    ck_assert_str_eq(p, so);
    free(p);
    ck_assert_ptr_null(gs_policy_plugin_find("theirs", &err));
    ck_assert_int_eq(err.code, GS_ENOTFOUND);
    gs_err_clear(&err);
    /* an empty file is no shared object: the dynamic loader's reason, naming the file */
    ck_assert_int_eq(gs_policy_resolve("mine", &ops, &err), GS_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot load policy plug-in"));
    ck_assert_ptr_nonnull(strstr(err.msg, "mine.so"));
    gs_err_clear(&err);
    ck_assert_int_eq(gs_policy_resolve("theirs", &ops, &err), GS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown policy 'theirs' (valid policies: fifo, "));
    ck_assert_int_eq(gs_policy_resolve("fifo", &ops, &err), GS_OK);
    unsetenv("GPUSIM_POLICY_PATH");
    remove(so);
    rmdir(dir);
    free(dir);
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
    tcase_add_test(tc, test_registry_order_and_levels);
    tcase_add_test(tc, test_registry_is_the_files);
    tcase_add_test(tc, test_plugin_names);
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
