/* SPDX-License-Identifier: Apache-2.0 */
/* The invariant checkers (--check-invariants): on for every registered scheduling policy over the
 * test trace and every game policy over a scenario, and proven able to fail. This suite reads the
 * private state of the simulation (sim_int.h) and of the game (game_int.h) to break invariants on
 * purpose, through a policy that corrupts what it must not touch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_int.h"
#include "gpusim/cluster.h"
#include "gpusim/engine.h"
#include "gpusim/game.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"
#include "invariants_int.h"
#include "sim_int.h"
#include "testutil.h"

typedef struct world {
    gs_scaledb *db;
    gs_cluster *cl;
    gs_trace tr;
    gs_err err;
} world;

static world W;

static void setup(void)
{
    memset(&W, 0, sizeof(W));
    W.db = gs_scaledb_load(gs_test_src("tests/data/tiny_db.json"), &W.err);
    ck_assert_msg(W.db != NULL, "%s", W.err.msg);
    W.cl = gs_cluster_load(gs_test_src("tests/data/tiny_cluster.json"), W.db, &W.err);
    ck_assert_msg(W.cl != NULL, "%s", W.err.msg);
    ck_assert_int_eq(gs_trace_load(&W.tr, gs_test_src("tests/data/small_trace.csv"), "all", &W.err),
                     GS_OK);
}

static void teardown(void)
{
    gs_trace_release(&W.tr);
    gs_cluster_free(W.cl);
    gs_scaledb_free(W.db);
}

/* Every registered policy runs the test trace under the checker, which checks every event, with
 * graceful and with abrupt preemptions (which roll jobs back to their last checkpoint). */
START_TEST(test_every_policy)
{
    const gs_policy_ops *p = gs_policy_at((size_t)_i / 2);
    gs_sim_opts o;
    gs_sim *sim;
    gs_err err = {0};

    gs_sim_opts_init(&o);
    o.policy_ops = p;
    o.check_invariants = 1;
    o.knowledge_error = 0.3; /* believed and true throughputs differ: failed starts, resizes */
    o.viability_error = 0.2;
    o.graceful = _i % 2;
    sim = gs_sim_new(&W.tr, W.cl, W.db, &o, &err);
    ck_assert_msg(sim != NULL, "%s: %s", p->name, err.msg);
    ck_assert_msg(gs_sim_run(sim, &err) == GS_OK, "%s: %s", p->name, err.msg);
    ck_assert_ptr_nonnull(sim->inv);
    ck_assert_uint_eq(gs_engine_fired(sim->eng), gs__inv_checked(sim->inv));
    gs_sim_free(sim);
}
END_TEST

/* ---- a policy that breaks one invariant on its k-th call ---- */

enum breakage { BREAK_NODE, BREAK_POOL, BREAK_STATE, BREAK_PROGRESS, BREAK_PLACE };

typedef struct rogue {
    const gs_policy_ops *fifo;
    void *inner;
    int calls;
} rogue;

static enum breakage how;

static int rogue_init(void **state, const gs_sim *sim, gs_err *err)
{
    rogue *r = calloc(1, sizeof(*r));

    if (!r)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    r->fifo = gs_policy_find("fifo");
    *state = r;
    return r->fifo->init(&r->inner, sim, err);
}

static void rogue_destroy(void *state)
{
    rogue *r = state;

    r->fifo->destroy(r->inner);
    free(r);
}

static int rogue_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err)
{
    rogue *r = state;
    size_t j;
    int rc = r->fifo->schedule(r->inner, sim, out, err);

    if (++r->calls != 6)
        return rc;
    switch (how) {
    case BREAK_NODE: /* a GPU vanishes from a node */
        sim->node_free[0]--;
        sim->pool_free[0]--;
        break;
    case BREAK_POOL: /* a GPU type counts a GPU it does not have */
        sim->pool_free[1]++;
        break;
    case BREAK_STATE: /* a finished job comes back */
        for (j = 0; j < sim->njobs; j++)
            if (sim->jobs[j].state == GS_JOB_DONE) {
                sim->jobs[j].state = GS_JOB_QUEUED;
                break;
            }
        break;
    case BREAK_PROGRESS: /* a running job forgets work it did */
        for (j = 0; j < sim->njobs; j++)
            if (sim->jobs[j].state == GS_JOB_RUNNING) {
                sim->jobs[j].done -= sim->jobs[j].work;
                break;
            }
        break;
    case BREAK_PLACE: /* a running job claims a GPU on a node of another type */
        for (j = 0; j < sim->njobs; j++)
            if (sim->jobs[j].state == GS_JOB_RUNNING) {
                const gs_pool *pl = gs_cluster_pool(sim->cl, (size_t)sim->jobs[j].alloc.pool);
                sim->jobs[j].place[0] = pl->node_base == 0 ? pl->nodes : 0;
                break;
            }
        break;
    }
    return rc;
}

static const gs_policy_ops rogue_ops = {
    .abi = GS_POLICY_ABI,
    .name = "rogue",
    .summary = "fifo that breaks an invariant on its sixth call",
    .init = rogue_init,
    .schedule = rogue_schedule,
    .destroy = rogue_destroy,
};

START_TEST(test_broken_invariant_stops_the_run)
{
    static const struct {
        enum breakage how;
        const char *want;
    } cases[] = {
        {BREAK_NODE, "do not make its"},      {BREAK_POOL, "counts"},
        {BREAK_STATE, "from done to queued"}, {BREAK_PROGRESS, "lost progress"},
        {BREAK_PLACE, "outside pool"},
    };
    gs_sim_opts o;
    gs_sim *sim;
    gs_err err = {0};

    how = cases[_i].how;
    gs_sim_opts_init(&o);
    o.policy_ops = &rogue_ops;
    o.check_invariants = 1;
    sim = gs_sim_new(&W.tr, W.cl, W.db, &o, &err);
    ck_assert_msg(sim != NULL, "%s", err.msg);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "invariant broken after event") &&
                      strstr(err.msg, cases[_i].want),
                  "case %d: %s", _i, err.msg);
    gs_sim_free(sim);
    /* without the checker the same corruption goes unnoticed: the checker is what caught it */
    o.check_invariants = 0;
    memset(&err, 0, sizeof(err));
    sim = gs_sim_new(&W.tr, W.cl, W.db, &o, &err);
    ck_assert_ptr_nonnull(sim);
    if (cases[_i].how != BREAK_PLACE) /* a bad placement may crash the unchecked run */
        gs_sim_run(sim, &err);
    ck_assert_msg(!strstr(err.msg, "invariant"), "%s", err.msg);
    gs_sim_free(sim);
}
END_TEST

/* Time that goes back is caught (the engine cannot produce it: the observer is called here with
 * an event from the past). */
START_TEST(test_time_back)
{
    gs_sim_opts o;
    gs_sim *sim;
    gs_err err = {0};
    gs_event ev;

    gs_sim_opts_init(&o);
    o.policy_ops = gs_policy_find("fifo");
    o.check_invariants = 1;
    sim = gs_sim_new(&W.tr, W.cl, W.db, &o, &err);
    ck_assert_ptr_nonnull(sim);
    ck_assert_int_eq(gs_sim_run(sim, &err), GS_OK);
    memset(&ev, 0, sizeof(ev));
    ev.type = GS_EV_SCHEDULE;
    ev.time = gs_engine_now(sim->eng) - 1;
    ck_assert_int_eq(gs__inv_observe(sim->eng, &ev, sim, &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "time went back"), "%s", err.msg);
    gs_sim_free(sim);
}
END_TEST

START_TEST(test_legal_transitions)
{
    ck_assert(gs__inv_legal(GS_JOB_FUTURE, GS_JOB_QUEUED));
    ck_assert(gs__inv_legal(GS_JOB_QUEUED, GS_JOB_RUNNING));
    ck_assert(gs__inv_legal(GS_JOB_QUEUED, GS_JOB_REJECTED));
    ck_assert(gs__inv_legal(GS_JOB_RUNNING, GS_JOB_QUEUED));
    ck_assert(gs__inv_legal(GS_JOB_RUNNING, GS_JOB_DONE));
    ck_assert(gs__inv_legal(GS_JOB_RUNNING, GS_JOB_RUNNING));
    ck_assert(!gs__inv_legal(GS_JOB_FUTURE, GS_JOB_RUNNING));
    ck_assert(!gs__inv_legal(GS_JOB_DONE, GS_JOB_RUNNING));
    ck_assert(!gs__inv_legal(GS_JOB_DONE, GS_JOB_QUEUED));
    ck_assert(!gs__inv_legal(GS_JOB_REJECTED, GS_JOB_QUEUED));
    ck_assert(!gs__inv_legal(GS_JOB_QUEUED, GS_JOB_DONE));
}
END_TEST

/* The game module's checker: on for every game policy over a scenario, and able to fail. */
START_TEST(test_game_every_policy)
{
    gs_err err = {0};
    gs_game_scenario *sc = gs_game_scenario_load(gs_test_src("configs/game/trip.json"), &err);
    gs_game_opts o;
    gs_game *g;

    ck_assert_msg(sc != NULL, "%s", err.msg);
    gs_game_opts_init(&o);
    o.policy = gs_game_policy_at((size_t)_i)->name;
    o.check_invariants = 1;
    o.duration = 300;
    g = gs_game_new(sc, &o, &err);
    ck_assert_msg(g != NULL, "%s: %s", o.policy, err.msg);
    ck_assert_msg(gs_game_run(g, &err) == GS_OK, "%s: %s", o.policy, err.msg);
    ck_assert_uint_eq(g->inv.checked, gs_engine_fired(g->eng));
    /* a counter that goes down and a battery beyond 100 % are caught */
    g->frames_shown -= 1;
    ck_assert_int_eq(gs__game_inv_observe(
                         g->eng, &(gs_event){.time = gs_engine_now(g->eng), .type = 0}, g, &err),
                     GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "frames shown went down"), "%s", err.msg);
    g->frames_shown += 1;
    g->battery_pct = 150;
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs__game_inv_observe(
                         g->eng, &(gs_event){.time = gs_engine_now(g->eng), .type = 0}, g, &err),
                     GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "battery at 150"), "%s", err.msg);
    gs_game_free(g);
    gs_game_scenario_free(sc);
}
END_TEST

static Suite *invariants_suite(void)
{
    Suite *s = suite_create("invariants");
    TCase *tc = tcase_create("checker");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_every_policy, 0, 2 * (int)gs_policy_count());
    tcase_add_loop_test(tc, test_broken_invariant_stops_the_run, 0, 5);
    tcase_add_test(tc, test_time_back);
    tcase_add_test(tc, test_legal_transitions);
    suite_add_tcase(s, tc);
    tc = tcase_create("game");
    tcase_add_loop_test(tc, test_game_every_policy, 0, (int)gs_game_policy_count());
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(invariants_suite());
}
