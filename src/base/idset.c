/* SPDX-License-Identifier: Apache-2.0 */
/* An ordered set of small integers as a 64-ary tree of bit words (idset_int.h). */
#include "idset_int.h"

#include <stdlib.h>
#include <string.h>

int gs__idset_init(gs__idset *s, uint32_t n)
{
    size_t total = 0, words = ((size_t)n + 63) / 64;
    int l = 0;

    memset(s, 0, sizeof(*s));
    if (words == 0)
        words = 1;
    for (;;) {
        s->off[l] = total;
        s->nwords[l] = words;
        total += words;
        l++;
        if (words == 1)
            break;
        words = (words + 63) / 64;
    }
    s->levels = l;
    s->w = calloc(total, sizeof(*s->w));
    if (!s->w) {
        s->levels = 0;
        return -1;
    }
    s->n = n;
    return 0;
}

void gs__idset_release(gs__idset *s)
{
    free(s->w);
    memset(s, 0, sizeof(*s));
}

void gs__idset_add(gs__idset *s, uint32_t i)
{
    size_t idx = i;
    int l;

    if (gs__idset_has(s, i))
        return;
    s->count++;
    for (l = 0; l < s->levels; l++) {
        uint64_t *w = &s->w[s->off[l] + (idx >> 6)];
        int was_empty = *w == 0;
        *w |= (uint64_t)1 << (idx & 63);
        if (!was_empty)
            break;
        idx >>= 6;
    }
}

void gs__idset_del(gs__idset *s, uint32_t i)
{
    size_t idx = i;
    int l;

    if (!gs__idset_has(s, i))
        return;
    s->count--;
    for (l = 0; l < s->levels; l++) {
        uint64_t *w = &s->w[s->off[l] + (idx >> 6)];
        *w &= ~((uint64_t)1 << (idx & 63));
        if (*w != 0)
            break;
        idx >>= 6;
    }
}

uint32_t gs__idset_next(const gs__idset *s, uint32_t from)
{
    size_t idx = from;
    int l = 0;

    if (from >= s->n)
        return GS__IDSET_NONE;
    /* up: the first level whose word holds a member at or after the position */
    for (;;) {
        size_t wi = idx >> 6;
        uint64_t m;
        if (wi >= s->nwords[l])
            return GS__IDSET_NONE;
        m = s->w[s->off[l] + wi] & (~(uint64_t)0 << (idx & 63));
        if (m) {
            idx = (wi << 6) | (size_t)__builtin_ctzll(m);
            break;
        }
        if (++l == s->levels)
            return GS__IDSET_NONE;
        idx = wi + 1; /* the next word of the level below, as a bit of this level */
    }
    /* down: the first member under that bit */
    while (l > 0) {
        l--;
        idx = (idx << 6) | (size_t)__builtin_ctzll(s->w[s->off[l] + idx]);
    }
    return (uint32_t)idx;
}
