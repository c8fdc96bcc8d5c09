/* SPDX-License-Identifier: Apache-2.0 */
/* An ordered set of the integers 0 .. n-1 (job indices): a tree of 64-bit words, one bit per
 * member at the bottom and one bit per non-empty word above it, so that adding, removing and
 * finding the next member all cost O(log64 n) (at most 4 word steps for n = 10^6) and walking
 * k members in order costs O(k) plus the empty stretches skipped, each in O(log64 n). */
#ifndef GPUSIM_IDSET_INT_H
#define GPUSIM_IDSET_INT_H

#include <stddef.h>
#include <stdint.h>

#define GS__IDSET_NONE   UINT32_MAX
#define GS__IDSET_LEVELS 6 /* 64^6 > 2^32 */

typedef struct gs__idset {
    uint64_t *w;                     /* every level's words, the bottom level first */
    size_t off[GS__IDSET_LEVELS];    /* first word of each level in w */
    size_t nwords[GS__IDSET_LEVELS]; /* words of each level */
    int levels;
    uint32_t n;   /* universe: members are < n */
    size_t count; /* members */
} gs__idset;

/* An empty set over 0 .. n-1 (n may be 0). Returns 0, or -1 when out of memory (then the set
 * is empty and release is still safe). */
int gs__idset_init(gs__idset *s, uint32_t n);
void gs__idset_release(gs__idset *s);

static inline int gs__idset_has(const gs__idset *s, uint32_t i)
{
    return i < s->n && (s->w[i >> 6] >> (i & 63) & 1);
}

/* Adding a member or removing a non-member does nothing. i < n. */
void gs__idset_add(gs__idset *s, uint32_t i);
void gs__idset_del(gs__idset *s, uint32_t i);

/* The smallest member >= from, or GS__IDSET_NONE. */
uint32_t gs__idset_next(const gs__idset *s, uint32_t from);

#endif
