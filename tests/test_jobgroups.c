/* SPDX-License-Identifier: Apache-2.0 */
/* The job groups of the packing policies (policies/jobgroups.c) against a plain list: members in
 * order through any sequence of moves, and walks that skip a failed group until a change visit
 * exactly the jobs a pass over every job would. Tests a private module: includes
 * policies/jobgroups_int.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobgroups_int.h"
#include "testutil.h"

#define NJOBS 3000
#define NCLS  3

static uint64_t rng_state;

static uint32_t draw(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

typedef struct key {
    int in; /* in some group */
    int urgent, cls, g0;
    uint64_t mask;
} key;

static key ref[NJOBS];

static int same_key(const key *k, const gs__jgroup *g)
{
    return k->urgent == g->urgent && k->cls == g->cls && k->g0 == g->g0 && k->mask == g->mask;
}

static void random_key(key *k)
{
    k->in = 1;
    k->urgent = (int)draw(2);
    k->cls = (int)draw(NCLS);
    k->g0 = 1 << draw(3);
    k->mask = draw(4) == 0 ? draw(4) : 0;
}

static void random_moves(gs__jgroups *q, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        uint32_t j = draw(NJOBS);
        if (draw(3) == 0) {
            gs__jgroups_drop(q, j);
            ref[j].in = 0;
        } else {
            random_key(&ref[j]);
            ck_assert_int_ge(
                gs__jgroups_put(q, j, ref[j].urgent, ref[j].cls, ref[j].g0, ref[j].mask), 0);
        }
    }
}

/* Every group holds exactly the jobs with its key, and a walk over all groups visits every job
 * in a group once, in order. */
static void check_members(gs__jgroups *q)
{
    size_t i, live = 0;
    uint32_t j, prev = 0;
    int g, first = 1;

    for (j = 0; j < NJOBS; j++) {
        int gj = gs__jgroups_of(q, j);
        ck_assert_int_eq(gj >= 0, ref[j].in);
        if (gj >= 0)
            ck_assert(same_key(&ref[j], &q->g[gj]));
        live += ref[j].in;
    }
    ck_assert_uint_eq(q->nlive, live);
    for (i = 0; i < q->nactive; i++)
        ck_assert_uint_gt(q->g[q->active[i]].live, 0);
    ck_assert_int_eq(gs__jgroups_walk_begin(q, NULL, NULL, GS__JG_NONE), 0);
    for (i = 0; (j = gs__jgroups_walk_next(q, &g)) != GS__JG_NONE; i++) {
        ck_assert(ref[j].in);
        ck_assert_int_eq(g, gs__jgroups_of(q, j));
        ck_assert(first || j > prev);
        prev = j;
        first = 0;
    }
    ck_assert_uint_eq(i, live);
}

START_TEST(test_members_in_order)
{
    gs__jgroups q;
    int r;

    rng_state = 3;
    memset(ref, 0, sizeof(ref));
    ck_assert_int_eq(gs__jgroups_init(&q, NJOBS, NCLS), 0);
    for (r = 0; r < 8; r++) {
        random_moves(&q, 2000);
        check_members(&q);
    }
    gs__jgroups_clear(&q);
    memset(ref, 0, sizeof(ref));
    check_members(&q);
    gs__jgroups_release(&q);
}
END_TEST

/* A job "gets something" when its number and the state agree; otherwise it gets nothing and
 * leaves the state as it was (what the walks assume). */
static int outcome(uint32_t j, unsigned state)
{
    return (j * 2654435761u + state * 40503u) % 7 == 0;
}

START_TEST(test_walk_skips_failed_groups_until_a_change)
{
    gs__jgroups q;
    static uint32_t want[NJOBS], got[NJOBS];
    int r;

    rng_state = 11;
    memset(ref, 0, sizeof(ref));
    ck_assert_int_eq(gs__jgroups_init(&q, NJOBS, NCLS), 0);
    for (r = 0; r < 12; r++) {
        size_t nwant = 0, ngot = 0, i;
        unsigned state = (unsigned)r, state2 = (unsigned)r;
        /* failed[(urgent, cls, g0, mask)]: the reference keeps a list of failed keys */
        key failed[64];
        int nfailed = 0, g;
        uint32_t j, solo = draw(4) ? draw(NJOBS) : GS__JG_NONE;
        key save[NJOBS];

        random_moves(&q, 1500);
        if (solo != GS__JG_NONE && !ref[solo].in)
            solo = GS__JG_NONE;
        memcpy(save, ref, sizeof(ref));
        /* the reference: every job in order, skipping those of failed keys (never solo) */
        for (j = 0; j < NJOBS; j++) {
            int k, skip = 0;
            if (!ref[j].in)
                continue;
            for (k = 0; k < nfailed && j != solo; k++)
                if (!memcmp(&failed[k], &ref[j], sizeof(key)))
                    skip = 1;
            if (skip)
                continue;
            want[nwant++] = j;
            if (outcome(j, state)) {
                state++;
                nfailed = 0;
                ref[j].in = 0;
            } else if (j != solo) {
                ck_assert_int_lt(nfailed, 64);
                failed[nfailed++] = ref[j];
            }
        }
        /* the walk */
        memcpy(ref, save, sizeof(ref));
        ck_assert_int_eq(gs__jgroups_walk_begin(&q, NULL, NULL, solo), 0);
        while ((j = gs__jgroups_walk_next(&q, &g)) != GS__JG_NONE) {
            ck_assert_uint_lt(ngot, NJOBS);
            got[ngot++] = j;
            ck_assert_int_eq(g, j == solo ? -1 : gs__jgroups_of(&q, j));
            if (outcome(j, state2)) {
                state2++;
                gs__jgroups_drop(&q, j);
                ref[j].in = 0;
                gs__jgroups_walk_changed(&q);
            } else {
                gs__jgroups_walk_fail(&q, g);
            }
        }
        ck_assert_uint_eq(ngot, nwant);
        for (i = 0; i < nwant; i++)
            ck_assert_uint_eq(got[i], want[i]);
        check_members(&q);
    }
    gs__jgroups_release(&q);
}
END_TEST

/* Only the groups a walk picks are walked. */
static int pick_urgent(void *ctx, const gs__jgroup *g)
{
    (void)ctx;
    return g->urgent;
}

START_TEST(test_walk_picks_groups)
{
    gs__jgroups q;
    uint32_t j, n = 0, want = 0;
    int g;

    rng_state = 5;
    memset(ref, 0, sizeof(ref));
    ck_assert_int_eq(gs__jgroups_init(&q, NJOBS, NCLS), 0);
    random_moves(&q, 4000);
    for (j = 0; j < NJOBS; j++)
        want += ref[j].in && ref[j].urgent;
    ck_assert_int_eq(gs__jgroups_walk_begin(&q, pick_urgent, NULL, GS__JG_NONE), 0);
    while ((j = gs__jgroups_walk_next(&q, &g)) != GS__JG_NONE) {
        ck_assert(ref[j].urgent);
        n++;
    }
    ck_assert_uint_eq(n, want);
    ck_assert_uint_gt(n, 0);
    gs__jgroups_release(&q);
}
END_TEST

static Suite *jobgroups_suite(void)
{
    Suite *s = suite_create("jobgroups");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_members_in_order);
    tcase_add_test(tc, test_walk_skips_failed_groups_until_a_change);
    tcase_add_test(tc, test_walk_picks_groups);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(jobgroups_suite());
}
