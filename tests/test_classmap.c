/* SPDX-License-Identifier: Apache-2.0 */
/* Job types to workload classes: mapping files (validation, every error located), rule matching,
 * class assignment in a simulation (rules, fall-through, the DB's mix, the same classes as
 * before mappings for fine-tuning), classes that are not elastic (policies keep their GPU count,
 * the core refuses plans that change it), and per-type statistics in summary.json. The class
 * assignment's work is read from the core's private job record (src/core/job_int.h). */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/classmap.h"
#include "gpusim/cluster.h"
#include "gpusim/policy.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "job_int.h"
#include "testutil.h"

static gs_classmap *m;
static gs_scaledb *db;
static gs_cluster *cl;
static gs_trace tr;
static gs_sim *sim;
static gs_err err;
static char *tmp;

static void teardown(void)
{
    gs_sim_free(sim);
    gs_trace_release(&tr);
    gs_cluster_free(cl);
    gs_scaledb_free(db);
    gs_classmap_free(m);
    if (tmp) {
        remove(tmp);
        free(tmp);
    }
    sim = NULL;
    cl = NULL;
    db = NULL;
    m = NULL;
    tmp = NULL;
}

static gs_classmap *load_text(const char *text)
{
    if (tmp) {
        remove(tmp);
        free(tmp);
    }
    gs_classmap_free(m);
    gs_err_clear(&err);
    tmp = gs_test_tmpfile(text, ".json");
    return m = gs_classmap_load(tmp, &err);
}

#define RULES(x) "{\"schema_version\": 1, \"name\": \"t\",\n \"rules\": [\n" x "\n]}\n"

static void assert_err(const char *line, const char *what)
{
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, tmp) != NULL, "no file in '%s'", err.msg);
    ck_assert_msg(strstr(err.msg, line) != NULL, "no '%s' in '%s'", line, err.msg);
    ck_assert_msg(strstr(err.msg, what) != NULL, "no '%s' in '%s'", what, err.msg);
}

START_TEST(test_load_errors)
{
    ck_assert_ptr_nonnull(load_text(RULES("{\"classes\": \"db-mix\"}")));
    ck_assert_uint_eq(gs_classmap_nrules(m), 1);
    load_text(RULES("{\"classes\": \"db-mix\"},\n{\"clases\": {\"a\": 1}}"));
    assert_err("line 4", "clases");
    load_text(RULES("{\"type\": \"Eval\",\n \"classes\": {\"a\": -1}}"));
    assert_err("line 4", "rules[0].classes.a");
    load_text(RULES("{\"classes\": {\"a\": 0, \"b\": 0}}"));
    assert_err("line 3", "sum to 0");
    load_text(RULES("{\"classes\": \"mix\"}"));
    assert_err("line 3", "db-mix");
    load_text(RULES("{\"min_gpus\": 8, \"max_gpus\": 4, \"classes\": \"db-mix\"}"));
    assert_err("line 3", "min_gpus");
    load_text(RULES("{\"max_gpus\": 0, \"classes\": \"db-mix\"}"));
    assert_err("line 3", "max_gpus");
    load_text(RULES("{\"format\": [], \"classes\": \"db-mix\"}"));
    assert_err("line 3", "format");
    load_text(RULES("{\"type\": 3, \"classes\": \"db-mix\"}"));
    assert_err("line 3", "type");
    load_text(RULES("{\"max_duration\": \"long\", \"classes\": \"db-mix\"}"));
    assert_err("line 3", "max_duration");
    load_text("{\"schema_version\": 2, \"name\": \"t\", \"rules\": []}");
    assert_err("line 1", "schema_version");
    load_text("{\"schema_version\": 1, \"name\": \"t\"}");
    assert_err("line 1", "rules");
}
END_TEST

START_TEST(test_match)
{
    ck_assert_ptr_nonnull(load_text(RULES(
        "{\"format\": \"acme\", \"type\": \"Eval\", \"max_gpus\": 2, \"classes\": {\"x\": 1}},\n"
        "{\"format\": \"acme\", \"type\": [\"Eval\", \"Debug\"], \"classes\": {\"y\": 1}},\n"
        "{\"type\": \"\", \"min_duration\": 100, \"classes\": {\"z\": 1}},\n"
        "{\"format\": [\"pai\", \"philly\"], \"type\": \"*\", \"classes\": \"db-mix\"}")));
    ck_assert_int_eq(gs_classmap_match(m, 0, "acme", "Eval", 1, 5), 0);
    ck_assert_int_eq(gs_classmap_match(m, 0, "acme", "Eval", 4, 5), 1);
    ck_assert_int_eq(gs_classmap_match(m, 1, "acme", "Eval", 1, 5), 1); /* from rule 1 on */
    ck_assert_int_eq(gs_classmap_match(m, 0, "acme", "Debug", 1, 5), 1);
    ck_assert_int_eq(gs_classmap_match(m, 0, "acme", "SFT", 1, 5), -1);
    ck_assert_int_eq(gs_classmap_match(m, 0, "helios", "", 1, 100), 2);
    ck_assert_int_eq(gs_classmap_match(m, 0, "helios", "", 1, 99), -1);
    ck_assert_int_eq(gs_classmap_match(m, 0, "pai", "worker", 1, 1), 3);
    ck_assert_int_eq(gs_classmap_match(m, 0, "philly", "", 1, 1), 3);
    ck_assert_int_eq(gs_classmap_match(m, 0, "philly", "", 1, 500), 2);
}
END_TEST

/* A trace of every ACME type, in the ACME schema. */
static const char *types_trace =
    "job_id,gpu_num,type,submit_time,duration\n"
    "s1,4,SFT,2023-03-01 00:00:00+08:00,600\n"
    "e1,2,Eval,2023-03-01 00:00:10+08:00,100\n"
    "e2,8,Eval,2023-03-01 00:00:20+08:00,100\n"
    "p1,16,Pretrain,2023-03-01 00:00:30+08:00,3000\n"
    "p2,8,Pretrain,2023-03-01 00:00:40+08:00,3000\n" /* below the rule's 16: the DB's mix */
    "m1,2,MLLM,2023-03-01 00:00:50+08:00,600\n"
    "m2,2,MLLM,2023-03-01 00:01:00+08:00,7200\n" /* longer than the rule's hour */
    "o1,1,Other,2023-03-01 00:01:10+08:00,60\n";

static const char *cluster_text =
    "{\"schema_version\": 1, \"name\": \"c\", \"node_groups\": [\n"
    " {\"gpu_type\": \"V100-32GB\", \"nodes\": 2}, {\"gpu_type\": \"A100-80GB\", \"nodes\": 2}]}\n";

static void world(const char *trace_text, const char *policy, int with_map)
{
    char *tp = gs_test_tmpfile(trace_text, ".csv"), *cp = gs_test_tmpfile(cluster_text, ".json");
    gs_sim_opts o;

    gs_err_clear(&err);
    ck_assert_msg((db = gs_scaledb_load(gs_test_src("tests/data/types_db.json"), &err)) != NULL,
                  "%s", err.msg);
    ck_assert_msg((cl = gs_cluster_load(cp, db, &err)) != NULL, "%s", err.msg);
    ck_assert_msg(gs_trace_load(&tr, tp, "all", &err) == GS_OK, "%s", err.msg);
    remove(tp);
    remove(cp);
    free(tp);
    free(cp);
    if (with_map)
        ck_assert_msg((m = gs_classmap_load(gs_test_src("tests/data/types_classes.json"), &err)) !=
                          NULL,
                      "%s", err.msg);
    gs_sim_opts_init(&o);
    o.policy = policy;
    o.classes = m;
    sim = gs_sim_new_named(&tr, cl, db, &o, &err);
}

static const gs__job *job(const char *id)
{
    size_t i;

    for (i = 0; i < gs_sim_njobs(sim); i++)
        if (!strcmp(gs_sim_job(sim, (uint32_t)i)->tj->id, id))
            return gs__sim_job(sim, (uint32_t)i);
    ck_abort_msg("no job %s", id);
    return NULL;
}

static const char *cls(const char *id)
{
    return gs_scaledb_class_name(db, job(id)->cls);
}

START_TEST(test_assign)
{
    world(types_trace, "fifo", 1);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_str_eq(cls("s1"), "ft"); /* db-mix: the DB's mix is all ft */
    ck_assert_str_eq(cls("e1"), "eval");
    ck_assert_str_eq(cls("e2"), "eval");
    ck_assert_str_eq(cls("p1"), "pretrain");
    ck_assert_str_eq(cls("p2"), "ft");
    ck_assert_str_eq(cls("m1"), "mllm");
    ck_assert_str_eq(cls("m2"), "ft");
    ck_assert_str_eq(cls("o1"), "ft"); /* no rule: the DB's mix */
    ck_assert_int_eq(job("e1")->fixed_gpus, 2);
    ck_assert_int_eq(job("e2")->fixed_gpus, 8);
    ck_assert_int_eq(job("p1")->fixed_gpus, 0);
    ck_assert_int_eq(gs_scaledb_class_elastic(db, gs_scaledb_class_find(db, "eval")), 0);
    ck_assert_int_eq(gs_scaledb_class_elastic(db, gs_scaledb_class_find(db, "ft")), 1);
    /* work = (duration - start-up there) x throughput of the class on the original
     * configuration (2 A100s, pool 1) */
    ck_assert_double_eq_tol(job("e1")->work,
                            (100 - gs_sim_start_cost(sim, job("e1")->index, 1, 2)) * 2.0 * 2 * 0.9,
                            1e-9);
    ck_assert_double_lt(job("e1")->work, 100 * 2.0 * 2 * 0.9);
}
END_TEST

START_TEST(test_unknown_class_located)
{
    char text[512];

    snprintf(text, sizeof(text), "%sb1,1,Bogus,2023-03-01 00:02:00+08:00,60\n", types_trace);
    world(text, "fifo", 1);
    ck_assert_ptr_null(sim);
    /* the job's trace line and the mapping's line and field */
    ck_assert_msg(strstr(err.msg, "line 10") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "types_classes.json' line 42") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "rules[4].classes.nosuch") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_db_mix_is_the_old_assignment)
{
    /* the default DB and mapping: fine-tuning jobs draw the same classes, from the same random
     * numbers, as without a mapping (every job from the DB's mix) */
    char *tp = gs_test_tmpfile("job_id,gpu_num,type,submit_time,duration\n"
                               "a,1,SFT,2023-03-01 00:00:00+08:00,10\n"
                               "b,2,SFT,2023-03-01 00:00:01+08:00,10\n"
                               "c,8,SFT,2023-03-01 00:00:02+08:00,10\n"
                               "d,8,SFT,2023-03-01 00:00:03+08:00,10\n"
                               "e,16,SFT,2023-03-01 00:00:04+08:00,10\n"
                               "f,64,SFT,2023-03-01 00:00:05+08:00,10\n"
                               "g,4,SFT,2023-03-01 00:00:06+08:00,10\n",
                               ".csv");
    gs_sim_opts o;
    int classes[7], i, seed, differ = 0;

    db = gs_scaledb_load(gs_test_src("configs/scaledb/default.json"), &err);
    cl = gs_cluster_load(gs_test_src("configs/clusters/default.json"), db, &err);
    ck_assert_int_eq(gs_trace_load(&tr, tp, NULL, &err), GS_OK);
    m = gs_classmap_load(gs_test_src("configs/classes/default.json"), &err);
    ck_assert_msg(db && cl && m, "%s", err.msg);
    remove(tp);
    free(tp);
    for (seed = 1; seed <= 3; seed++) {
        gs_sim_opts_init(&o);
        o.seed = (uint64_t)seed;
        ck_assert_msg((sim = gs_sim_new_named(&tr, cl, db, &o, &err)) != NULL, "%s", err.msg);
        for (i = 0; i < 7; i++) {
            classes[i] = gs_sim_job(sim, (uint32_t)i)->cls;
            differ += classes[i] != classes[0];
        }
        gs_sim_free(sim);
        o.classes = m;
        ck_assert_msg((sim = gs_sim_new_named(&tr, cl, db, &o, &err)) != NULL, "%s", err.msg);
        for (i = 0; i < 7; i++)
            ck_assert_int_eq(gs_sim_job(sim, (uint32_t)i)->cls, classes[i]);
        gs_sim_free(sim);
        sim = NULL;
    }
    ck_assert_int_gt(differ, 0); /* the mix does draw several classes */
}
END_TEST

/* every policy keeps the not-elastic jobs on their own GPU count */
START_TEST(test_not_elastic_policies)
{
    static const char *const pols[] = {"fifo",          "db-fifo",     "db-flat",
                                       "db-flat-scale", "sia-unaware", "sia-aware"};
    size_t p, i;

    for (p = 0; p < sizeof(pols) / sizeof(pols[0]); p++) {
        world(types_trace, pols[p], 1);
        ck_assert_msg(sim != NULL, "%s: %s", pols[p], err.msg);
        ck_assert_msg(gs_sim_run(sim, &err) == GS_OK, "%s: %s", pols[p], err.msg);
        for (i = 0; i < gs_sim_njobs(sim); i++) {
            const gs_job *jb = gs_sim_job(sim, (uint32_t)i);
            ck_assert_int_eq(jb->state, GS_JOB_DONE);
            if (jb->fixed_gpus)
                ck_assert_msg(jb->alloc.gpus == jb->fixed_gpus && jb->restarts == 0,
                              "%s: job %s ran on %d GPUs", pols[p], jb->tj->id, jb->alloc.gpus);
        }
        /* elastic jobs do get other counts from the scaling policies */
        if (!strcmp(pols[p], "db-flat-scale") || !strcmp(pols[p], "sia-aware")) {
            int scaled = 0;
            for (i = 0; i < gs_sim_njobs(sim); i++) {
                const gs_job *jb = gs_sim_job(sim, (uint32_t)i);
                scaled += !jb->fixed_gpus && jb->alloc.gpus != jb->tj->gpu_num;
            }
            ck_assert_msg(scaled > 0, "%s scaled no job", pols[p]);
        }
        teardown();
    }
}
END_TEST

/* a policy that starts every job on 1 GPU: the core refuses it for a not-elastic job */
static int one_init(void **state, const gs_sim *s, gs_err *e)
{
    (void)s;
    (void)e;
    *state = NULL;
    return GS_OK;
}

static int one_schedule(void *state, gs_sim *s, gs_plan *out, gs_err *e)
{
    uint32_t j;

    (void)state;
    for (j = gs_sim_queue_first(s); j != GS_JOB_NONE; j = gs_sim_queue_next(s, j))
        if (gs_plan_start(out, j, 1, 1, e) != GS_OK)
            return e->code;
    return GS_OK;
}

static void one_destroy(void *state)
{
    (void)state;
}

START_TEST(test_not_elastic_core)
{
    static const gs_policy_ops one = {.abi = GS_POLICY_ABI,
                                      .name = "one-gpu",
                                      .summary = "every job on 1 GPU",
                                      .init = one_init,
                                      .schedule = one_schedule,
                                      .destroy = one_destroy};
    char *tp = gs_test_tmpfile("job_id,gpu_num,type,submit_time,duration\n"
                               "e1,2,Eval,2023-03-01 00:00:10+08:00,100\n",
                               ".csv");
    char *cp = gs_test_tmpfile(cluster_text, ".json");
    gs_sim_opts o;

    db = gs_scaledb_load(gs_test_src("tests/data/types_db.json"), &err);
    cl = gs_cluster_load(cp, db, &err);
    ck_assert_int_eq(gs_trace_load(&tr, tp, "all", &err), GS_OK);
    m = gs_classmap_load(gs_test_src("tests/data/types_classes.json"), &err);
    remove(tp);
    remove(cp);
    free(tp);
    free(cp);
    gs_sim_opts_init(&o);
    o.policy_ops = &one;
    o.classes = m;
    ck_assert_msg((sim = gs_sim_new(&tr, cl, db, &o, &err)) != NULL, "%s", err.msg);
    ck_assert_int_ne(gs_sim_run(sim, &err), GS_OK);
    ck_assert_msg(strstr(err.msg, "not elastic") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_summary_by_type)
{
    char *js;
    cJSON *root, *bt, *e;

    world(types_trace, "db-fifo", 1);
    ck_assert_msg(sim != NULL && gs_sim_run(sim, &err) == GS_OK, "%s", err.msg);
    js = gs_sim_summary_json(sim, NULL, &err);
    ck_assert_ptr_nonnull(js);
    root = cJSON_Parse(js);
    bt = cJSON_GetObjectItem(root, "by_type");
    ck_assert_int_eq(cJSON_GetArraySize(bt), 5); /* Eval MLLM Other Pretrain SFT */
    e = cJSON_GetObjectItem(bt, "Eval");
    ck_assert_int_eq(cJSON_GetObjectItem(e, "jobs")->valueint, 2);
    ck_assert_int_eq(cJSON_GetObjectItem(e, "finished")->valueint, 2);
    ck_assert(cJSON_GetObjectItem(e, "mean_jct")->valuedouble > 0);
    ck_assert_int_eq(cJSON_GetObjectItem(
                         cJSON_GetObjectItem(cJSON_GetObjectItem(root, "by_class"), "eval"), "jobs")
                         ->valueint,
                     2);
    e = cJSON_GetObjectItem(root, "class_mapping");
    ck_assert_str_eq(cJSON_GetObjectItem(e, "name")->valuestring, "types");
    ck_assert_int_eq(cJSON_GetObjectItem(e, "db_mix_jobs")->valueint, 3); /* p2 m2 o1 */
    ck_assert_int_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "rules"), 1), "jobs")
            ->valueint,
        2);
    cJSON_Delete(root);
    free(js);
}
END_TEST

static Suite *classmap_suite(void)
{
    Suite *s = suite_create("classmap");
    TCase *tc = tcase_create("classmap");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_match);
    tcase_add_test(tc, test_assign);
    tcase_add_test(tc, test_unknown_class_located);
    tcase_add_test(tc, test_db_mix_is_the_old_assignment);
    tcase_add_test(tc, test_not_elastic_policies);
    tcase_add_test(tc, test_not_elastic_core);
    tcase_add_test(tc, test_summary_by_type);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(classmap_suite());
}
