/* SPDX-License-Identifier: Apache-2.0 */
/* Engine: ordering by time then post order, cancellation, past posts, finalizers, stop. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/engine.h"
#include "testutil.h"

static gs_engine *eng;

/* The engine knows no module's events: a test declares its own. */
enum { EV_A = 0x01, EV_B = 0x02, EV_C = 0x03 };
static const gs_event_type_def test_types[] = {{EV_A, "a"}, {EV_B, "b"}, {EV_C, "c"}};

typedef struct trace_log {
    int order[64];
    double times[64];
    int n;
} trace_log;

static void setup(void)
{
    eng = gs_engine_new(NULL);
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(gs_engine_declare(eng, test_types, 3, NULL), GS_OK);
}

static void teardown(void)
{
    gs_engine_free(eng);
}

static int record(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    trace_log *t = ctx;

    (void)err;
    ck_assert_double_eq(gs_engine_now(e), ev->time);
    t->order[t->n] = (int)GS_EV_TO_U(ev->data);
    t->times[t->n] = ev->time;
    t->n++;
    return GS_OK;
}

START_TEST(test_time_order)
{
    trace_log t = {{0}, {0}, 0};
    static const double at[] = {5, 1, 3, 2, 4, 0.5};
    int i;

    ck_assert_int_eq(gs_engine_on(eng, EV_A, record, &t, NULL), GS_OK);
    for (i = 0; i < 6; i++)
        ck_assert_int_eq(gs_engine_post(eng, at[i], EV_A, GS_EV_FROM_U(i), NULL, NULL, NULL),
                         GS_OK);
    ck_assert_int_eq(gs_engine_pending(eng), 6);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, NULL), GS_OK);
    ck_assert_int_eq(t.n, 6);
    for (i = 1; i < 6; i++)
        ck_assert(t.times[i - 1] <= t.times[i]);
    ck_assert_int_eq(t.order[0], 5);
    ck_assert_int_eq(t.order[5], 0);
    ck_assert_uint_eq(gs_engine_fired(eng), 6);
}
END_TEST

START_TEST(test_ties_fire_in_post_order)
{
    trace_log t = {{0}, {0}, 0};
    int i;

    gs_engine_on(eng, EV_A, record, &t, NULL);
    gs_engine_on(eng, EV_B, record, &t, NULL);
    /* interleave two types and a later event posted first */
    gs_engine_post(eng, 2.0, EV_B, GS_EV_FROM_U(99), NULL, NULL, NULL);
    for (i = 0; i < 20; i++)
        gs_engine_post(eng, 1.0, i % 2 ? EV_B : EV_A, GS_EV_FROM_U(i), NULL, NULL, NULL);
    gs_engine_run(eng, INFINITY, NULL);
    ck_assert_int_eq(t.n, 21);
    for (i = 0; i < 20; i++)
        ck_assert_int_eq(t.order[i], i);
    ck_assert_int_eq(t.order[20], 99);
}
END_TEST

static int freed;
static void count_free(void *p)
{
    freed++;
    free(p);
}

START_TEST(test_cancel)
{
    trace_log t = {{0}, {0}, 0};
    gs_event_id a, b, c;

    freed = 0;
    gs_engine_on(eng, EV_A, record, &t, NULL);
    gs_engine_post(eng, 1, EV_A, GS_EV_FROM_U(1), NULL, &a, NULL);
    gs_engine_post(eng, 2, EV_A, malloc(8), count_free, &b, NULL);
    gs_engine_post(eng, 3, EV_A, GS_EV_FROM_U(3), NULL, &c, NULL);
    ck_assert_uint_ne(a, 0);
    ck_assert_int_eq(gs_engine_cancel(eng, b), GS_OK);
    ck_assert_int_eq(freed, 1); /* the finalizer runs at once */
    ck_assert_int_eq(gs_engine_cancel(eng, b), GS_ENOTFOUND);
    ck_assert_int_eq(gs_engine_cancel(eng, 0), GS_ENOTFOUND);
    ck_assert_int_eq(gs_engine_cancel(eng, 12345678), GS_ENOTFOUND);
    ck_assert_int_eq(gs_engine_pending(eng), 2);
    gs_engine_run(eng, INFINITY, NULL);
    ck_assert_int_eq(t.n, 2);
    ck_assert_int_eq(t.order[0], 1);
    ck_assert_int_eq(t.order[1], 3);
    /* fired events cannot be cancelled, and their ids are not reused by new posts */
    ck_assert_int_eq(gs_engine_cancel(eng, a), GS_ENOTFOUND);
    gs_engine_post(eng, 10, EV_A, GS_EV_FROM_U(4), NULL, &b, NULL);
    ck_assert_uint_ne(a, b);
    ck_assert_int_eq(gs_engine_cancel(eng, a), GS_ENOTFOUND);
    ck_assert_int_eq(gs_engine_cancel(eng, b), GS_OK);
}
END_TEST

START_TEST(test_past_post_is_error)
{
    trace_log t = {{0}, {0}, 0};
    gs_err err = {0};

    gs_engine_on(eng, EV_A, record, &t, NULL);
    gs_engine_post(eng, 5, EV_A, NULL, NULL, NULL, NULL);
    gs_engine_run(eng, INFINITY, NULL);
    ck_assert_double_eq(gs_engine_now(eng), 5);
    ck_assert_int_eq(gs_engine_post(eng, 4.999, EV_A, NULL, NULL, NULL, &err), GS_EINVAL);
    ck_assert_str_ne(err.msg, "");
    ck_assert_int_eq(gs_engine_post(eng, NAN, EV_A, NULL, NULL, NULL, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_engine_post(eng, INFINITY, EV_A, NULL, NULL, NULL, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_engine_post(eng, 1, GS_EV_TYPE_MAX, NULL, NULL, NULL, NULL), GS_EINVAL);
    /* now is fine */
    ck_assert_int_eq(gs_engine_post(eng, 5, EV_A, NULL, NULL, NULL, NULL), GS_OK);
}
END_TEST

START_TEST(test_finalizers_run)
{
    trace_log t = {{0}, {0}, 0};
    int i;

    freed = 0;
    gs_engine_on(eng, EV_A, record, &t, NULL);
    for (i = 0; i < 10; i++)
        gs_engine_post(eng, i, EV_A, malloc(16), count_free, NULL, NULL);
    gs_engine_run(eng, 4.5, NULL); /* fires 0..4 */
    ck_assert_int_eq(t.n, 5);
    ck_assert_int_eq(freed, 5);
    ck_assert_double_eq(gs_engine_now(eng), 4.5);
    gs_engine_free(eng); /* the other 5 are pending */
    eng = NULL;
    ck_assert_int_eq(freed, 10);
}
END_TEST

static int stopper(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    int *n = ctx;

    (void)ev;
    (void)err;
    if (++*n == 3)
        gs_engine_stop(e);
    return GS_OK;
}

static int failing(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    (void)e;
    (void)ev;
    (void)ctx;
    return gs_errorf(err, GS_EINFEASIBLE, "handler says no");
}

START_TEST(test_stop_and_handler_error)
{
    int n = 0, i;
    gs_err err = {0};

    gs_engine_on(eng, EV_A, stopper, &n, NULL);
    for (i = 0; i < 5; i++)
        gs_engine_post(eng, i, EV_A, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, NULL), GS_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(gs_engine_pending(eng), 2);
    gs_engine_on(eng, EV_B, failing, NULL, NULL);
    gs_engine_post(eng, 3, EV_B, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, &err), GS_EINFEASIBLE);
    ck_assert_str_eq(err.msg, "handler says no");
    /* an event type without a handler is an error, not a silent drop */
    gs_err_clear(&err);
    gs_engine_post(eng, 9, EV_C, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, &err), GS_EINVAL);
    ck_assert_int_eq(n, 5); /* the arrivals at 3 and 4 fired first */
    ck_assert_int_eq(gs_engine_pending(eng), 0);
}
END_TEST

static int chain(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    int *n = ctx;

    (*n)++;
    if (GS_EV_TO_U(ev->data) > 0)
        return gs_engine_post(e, ev->time + 1, ev->type, GS_EV_FROM_U(GS_EV_TO_U(ev->data) - 1),
                              NULL, NULL, err);
    return GS_OK;
}

START_TEST(test_handlers_post_many)
{
    int n = 0;

    gs_engine_on(eng, EV_A, chain, &n, NULL);
    gs_engine_post(eng, 0, EV_A, GS_EV_FROM_U(10000), NULL, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, NULL), GS_OK);
    ck_assert_int_eq(n, 10001);
    ck_assert_double_eq(gs_engine_now(eng), 10000);
    ck_assert_int_eq(gs_engine_pending(eng), 0);
}
END_TEST

/* Ten years of simulated time is the limit; a time beyond it is refused, naming the event. */
START_TEST(test_time_limit)
{
    gs_err err = {0};

    ck_assert_int_eq(gs_engine_post(eng, GS_TIME_MAX, EV_A, NULL, NULL, NULL, NULL), GS_OK);
    ck_assert_int_eq(gs_engine_post(eng, GS_TIME_MAX * 1.000001, EV_A, NULL, NULL, NULL, &err),
                     GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "'a'") && strstr(err.msg, "ten years"), "%s", err.msg);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(gs_engine_post(eng, 1e300, EV_A, NULL, NULL, NULL, &err), GS_EINVAL);
}
END_TEST

static int repost_now(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    (void)ctx;
    return gs_engine_post(e, ev->time, ev->type, NULL, NULL, NULL, err);
}

static int count_event(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    (void)e;
    (void)ev;
    (void)err;
    ++*(long *)ctx;
    return GS_OK;
}

/* A handler that re-posts at the same instant for ever: the guard stops it with an error naming
 * the time and the event type (a hang before). */
START_TEST(test_livelock_guard)
{
    gs_err err = {0};

    gs_engine_on(eng, EV_B, repost_now, NULL, NULL);
    ck_assert_int_eq(gs_engine_post(eng, 126.006, EV_B, NULL, NULL, NULL, NULL), GS_OK);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, &err), GS_EINVAL);
    ck_assert_msg(strstr(err.msg, "stuck at t=126.006") && strstr(err.msg, "'b'"), "%s", err.msg);
    ck_assert_uint_le(gs_engine_fired(eng), GS_ENGINE_SAME_INSTANT + 64);
}
END_TEST

static int observe(gs_engine *e, const gs_event *ev, void *ctx, gs_err *err)
{
    long *seen = ctx;

    (void)e;
    if (ev->time > 2)
        return gs_errorf(err, GS_EINVAL, "observer stops at %g", ev->time);
    ++*seen;
    return GS_OK;
}

/* The observer sees every handled event after its handler; its error stops the run. */
START_TEST(test_observer)
{
    long n = 0, seen = 0;
    gs_err err = {0};
    int k;

    gs_engine_on(eng, EV_C, count_event, &n, NULL);
    gs_engine_observe(eng, observe, &seen);
    for (k = 1; k <= 4; k++)
        gs_engine_post(eng, k, EV_C, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, &err), GS_EINVAL);
    ck_assert_int_eq(n, 3); /* the third event's handler ran, then the observer stopped */
    ck_assert_int_eq(seen, 2);
    ck_assert_msg(strstr(err.msg, "observer stops at 3"), "%s", err.msg);
}
END_TEST

START_TEST(test_type_names)
{
    static const gs_event_type_def again[] = {{EV_A, "a"}, {0x2ff, "last"}};
    static const gs_event_type_def clash[] = {{EV_B, "not-b"}};
    static const gs_event_type_def out[] = {{GS_EV_TYPE_MAX, "too-far"}};
    trace_log t = {0};
    gs_err err = {0};

    ck_assert_str_eq(gs_engine_type_name(eng, EV_A), "a");
    ck_assert_str_eq(gs_engine_type_name(eng, EV_C), "c");
    ck_assert_str_eq(gs_engine_type_name(eng, 0x2ff), "unknown");
    ck_assert_str_eq(gs_engine_type_name(eng, GS_EV_TYPE_MAX), "unknown");
    /* declaring a type again under its name is fine; a new one gets its name */
    ck_assert_int_eq(gs_engine_declare(eng, again, 2, NULL), GS_OK);
    ck_assert_str_eq(gs_engine_type_name(eng, 0x2ff), "last");
    /* two modules claiming one number, or a number out of range, are refused */
    ck_assert_int_eq(gs_engine_declare(eng, clash, 1, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "not-b"));
    ck_assert_str_eq(gs_engine_type_name(eng, EV_B), "b");
    ck_assert_int_eq(gs_engine_declare(eng, out, 1, NULL), GS_EINVAL);
    /* an undeclared type can be neither handled nor posted */
    gs_err_clear(&err);
    ck_assert_int_eq(gs_engine_on(eng, 0x10, record, &t, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "not declared"));
    ck_assert_int_eq(gs_engine_post(eng, 1, 0x10, NULL, NULL, NULL, NULL), GS_EINVAL);
    ck_assert_int_eq(gs_engine_pending(eng), 0);
    /* messages use the declared names */
    gs_err_clear(&err);
    ck_assert_int_eq(gs_engine_post(eng, NAN, EV_C, NULL, NULL, NULL, &err), GS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'c'"));
}
END_TEST

/* The time observer: once per distinct time, with the time left and the next, after every event
 * of the time left; not for cancelled events; its error stops the run. */
typedef struct adv_log {
    double from[16], to[16];
    int n, fired_at_call[16], fail_at;
    trace_log *events;
} adv_log;

static int advance(void *ctx, gs_time from, gs_time to, gs_err *err)
{
    adv_log *a = ctx;

    if (a->n == a->fail_at)
        return gs_errorf(err, GS_EIO, "observer failed");
    a->from[a->n] = from;
    a->to[a->n] = to;
    a->fired_at_call[a->n] = a->events->n;
    a->n++;
    return GS_OK;
}

START_TEST(test_advance_observer)
{
    trace_log t = {{0}, {0}, 0};
    adv_log a;
    static const double at[] = {0, 2, 2, 5, 7};
    gs_event_id id;
    gs_err e = {0};
    int i;

    memset(&a, 0, sizeof(a));
    a.events = &t;
    a.fail_at = -1;
    gs_engine_on_advance(eng, advance, &a);
    ck_assert_int_eq(gs_engine_on(eng, EV_A, record, &t, NULL), GS_OK);
    for (i = 0; i < 5; i++)
        ck_assert_int_eq(
            gs_engine_post(eng, at[i], EV_A, GS_EV_FROM_U(i), NULL, i == 4 ? &id : NULL, NULL),
            GS_OK);
    ck_assert_int_eq(gs_engine_cancel(eng, id), GS_OK); /* 7 never comes */
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, NULL), GS_OK);
    ck_assert_int_eq(a.n, 2); /* 0 -> 2, 2 -> 5 */
    ck_assert_double_eq(a.from[0], 0);
    ck_assert_double_eq(a.to[0], 2);
    ck_assert_int_eq(a.fired_at_call[0], 1);
    ck_assert_double_eq(a.from[1], 2);
    ck_assert_double_eq(a.to[1], 5);
    ck_assert_int_eq(a.fired_at_call[1], 3); /* both events at 2 fired before */
    /* an error of the observer stops the run; the event it preceded stays queued */
    memset(&a, 0, sizeof(a));
    a.events = &t;
    a.fail_at = 0;
    ck_assert_int_eq(gs_engine_post(eng, 9, EV_A, GS_EV_FROM_U(9), NULL, NULL, NULL), GS_OK);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, &e), GS_EIO);
    ck_assert_str_eq(e.msg, "observer failed");
    ck_assert_uint_eq(gs_engine_pending(eng), 1);
    gs_engine_on_advance(eng, NULL, NULL);
    ck_assert_int_eq(gs_engine_run(eng, INFINITY, NULL), GS_OK);
    ck_assert_uint_eq(gs_engine_pending(eng), 0);
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_time_order);
    tcase_add_test(tc, test_ties_fire_in_post_order);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_past_post_is_error);
    tcase_add_test(tc, test_finalizers_run);
    tcase_add_test(tc, test_stop_and_handler_error);
    tcase_add_test(tc, test_handlers_post_many);
    tcase_add_test(tc, test_type_names);
    tcase_add_test(tc, test_time_limit);
    tcase_add_test(tc, test_livelock_guard);
    tcase_add_test(tc, test_observer);
    tcase_add_test(tc, test_advance_observer);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(engine_suite());
}
