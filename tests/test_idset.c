/* SPDX-License-Identifier: Apache-2.0 */
/* The ordered id set behind the core's queue and running sets, against a plain array of flags.
 * Tests a private module: includes src/base/idset_int.h. */
#include <stdint.h>
#include <stdlib.h>

#include "idset_int.h"
#include "testutil.h"

static uint64_t rng_state;

static uint32_t draw(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

/* The smallest member >= from of the reference, or GS__IDSET_NONE. */
static uint32_t ref_next(const unsigned char *ref, uint32_t n, uint32_t from)
{
    for (; from < n; from++)
        if (ref[from])
            return from;
    return GS__IDSET_NONE;
}

static void check_same(const gs__idset *s, const unsigned char *ref, uint32_t n)
{
    uint32_t i, j, k = 0;
    size_t count = 0;

    for (i = 0; i < n; i++)
        count += ref[i];
    ck_assert_uint_eq(s->count, count);
    /* the whole walk, in order */
    for (j = gs__idset_next(s, 0); j != GS__IDSET_NONE; j = gs__idset_next(s, j + 1)) {
        ck_assert_uint_lt(j, n);
        ck_assert_msg(ref[j], "walk returned %u, not a member", j);
        ck_assert_uint_eq(j, ref_next(ref, n, k));
        k = j + 1;
    }
    ck_assert_uint_eq(ref_next(ref, n, k), GS__IDSET_NONE);
    /* next from a few random places, membership */
    for (i = 0; i < 8 && n > 0; i++) {
        uint32_t from = draw(n + 2);
        ck_assert_uint_eq(gs__idset_next(s, from), ref_next(ref, n, from));
        from = draw(n);
        ck_assert_int_eq(gs__idset_has(s, from), ref[from]);
    }
}

/* Random adds and removes, dense and sparse, over sizes around the word and level edges. */
START_TEST(test_against_reference)
{
    static const uint32_t sizes[] = {1, 2, 63, 64, 65, 4095, 4096, 4097, 262145};
    size_t si;

    rng_state = 7;
    for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        uint32_t n = sizes[si], i;
        unsigned char *ref = calloc(n, 1);
        gs__idset s;
        int round;
        ck_assert_int_eq(gs__idset_init(&s, n), 0);
        check_same(&s, ref, n);
        for (round = 0; round < 6; round++) {
            /* dense phases add most ids, sparse phases remove most */
            uint32_t ops = n < 5000 ? 3 * n : 5000, keep = round % 2 ? 10 : 90;
            for (i = 0; i < ops; i++) {
                uint32_t x = draw(n);
                if (draw(100) < keep) {
                    gs__idset_add(&s, x);
                    ref[x] = 1;
                } else {
                    gs__idset_del(&s, x);
                    ref[x] = 0;
                }
            }
            check_same(&s, ref, n);
        }
        /* the extremes: the last id alone, then nothing */
        for (i = 0; i < n; i++) {
            gs__idset_del(&s, i);
            ref[i] = 0;
        }
        gs__idset_add(&s, n - 1);
        ref[n - 1] = 1;
        check_same(&s, ref, n);
        ck_assert_uint_eq(gs__idset_next(&s, 0), n - 1);
        gs__idset_del(&s, n - 1);
        ref[n - 1] = 0;
        check_same(&s, ref, n);
        ck_assert_uint_eq(gs__idset_next(&s, 0), GS__IDSET_NONE);
        gs__idset_release(&s);
        free(ref);
    }
}
END_TEST

START_TEST(test_empty_and_repeats)
{
    gs__idset s;

    ck_assert_int_eq(gs__idset_init(&s, 0), 0);
    ck_assert_uint_eq(gs__idset_next(&s, 0), GS__IDSET_NONE);
    gs__idset_release(&s);
    ck_assert_int_eq(gs__idset_init(&s, 100), 0);
    gs__idset_add(&s, 5);
    gs__idset_add(&s, 5); /* no double count */
    ck_assert_uint_eq(s.count, 1);
    gs__idset_del(&s, 6); /* not a member: nothing */
    ck_assert_uint_eq(s.count, 1);
    ck_assert_uint_eq(gs__idset_next(&s, 5), 5);
    ck_assert_uint_eq(gs__idset_next(&s, 6), GS__IDSET_NONE);
    ck_assert_uint_eq(gs__idset_next(&s, 1000), GS__IDSET_NONE);
    gs__idset_release(&s);
}
END_TEST

static Suite *idset_suite(void)
{
    Suite *s = suite_create("idset");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_against_reference);
    tcase_add_test(tc, test_empty_and_repeats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return gs_test_run(idset_suite());
}
