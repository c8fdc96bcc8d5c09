/* SPDX-License-Identifier: Apache-2.0 */
/* Queued jobs in groups kept incrementally, and walks over them in submission order
 * (jobgroups_int.h). */
#include "jobgroups_int.h"

#include <stdlib.h>
#include <string.h>

#include "gpusim/err.h"
#include "util_int.h"

int gs__jgroups_init(gs__jgroups *q, size_t njobs, int ncls)
{
    int c;

    memset(q, 0, sizeof(*q));
    q->njobs = njobs;
    q->ncls = ncls;
    q->jg = malloc((njobs ? njobs : 1) * sizeof(*q->jg));
    q->cls_first = malloc(((size_t)ncls + 1) * sizeof(*q->cls_first));
    if (!q->jg || !q->cls_first)
        return -1;
    memset(q->jg, 0xff, (njobs ? njobs : 1) * sizeof(*q->jg)); /* -1 */
    for (c = 0; c <= ncls; c++)
        q->cls_first[c] = -1;
    q->solo = GS__JG_NONE;
    q->prev = -2;
    return 0;
}

void gs__jgroups_release(gs__jgroups *q)
{
    size_t i;

    for (i = 0; i < q->ng; i++)
        free(q->g[i].v);
    free(q->g);
    free(q->cls_first);
    free(q->jg);
    free(q->active);
    free(q->heap);
    free(q->failed);
    memset(q, 0, sizeof(*q));
}

static int is_live(const gs__jgroups *q, int g, uint32_t j)
{
    return q->jg[j] == g;
}

static void deactivate(gs__jgroups *q, int g)
{
    long at = q->g[g].active_at;
    int last = q->active[--q->nactive];

    q->active[at] = last;
    q->g[last].active_at = at;
    q->g[g].active_at = -1;
}

void gs__jgroups_drop(gs__jgroups *q, uint32_t j)
{
    int g = q->jg[j];

    if (g < 0)
        return;
    q->jg[j] = -1;
    q->nlive--;
    if (--q->g[g].live == 0)
        deactivate(q, g);
}

void gs__jgroups_clear(gs__jgroups *q)
{
    size_t i, k;

    for (i = 0; i < q->ng; i++) {
        gs__jgroup *gp = &q->g[i];
        for (k = gp->head; k < gp->len; k++)
            if (q->jg[gp->v[k]] == (int)i)
                q->jg[gp->v[k]] = -1;
        gp->head = gp->len = gp->live = 0;
        gp->active_at = -1;
    }
    q->nactive = q->nlive = 0;
}

/* Drops the stale entries of group g. */
static void compact(gs__jgroups *q, int g)
{
    gs__jgroup *gp = &q->g[g];
    size_t i, k = 0;

    for (i = gp->head; i < gp->len; i++)
        if (is_live(q, g, gp->v[i]))
            gp->v[k++] = gp->v[i];
    gp->head = 0;
    gp->len = k;
}

static int find_group(gs__jgroups *q, int urgent, int cls, int g0, uint64_t mask)
{
    int g;
    gs__jgroup *gp;

    for (g = q->cls_first[cls]; g >= 0; g = q->g[g].next)
        if (q->g[g].urgent == urgent && q->g[g].g0 == g0 && q->g[g].mask == mask)
            return g;
    if (GS_GROW(q->g, q->capg, q->ng + 1) != GS_OK ||
        GS_GROW(q->active, q->capactive, q->ng + 1) != GS_OK)
        return -1;
    g = (int)q->ng++;
    gp = &q->g[g];
    memset(gp, 0, sizeof(*gp));
    gp->urgent = urgent;
    gp->cls = cls;
    gp->g0 = g0;
    gp->mask = mask;
    gp->active_at = -1;
    gp->next = q->cls_first[cls];
    q->cls_first[cls] = g;
    return g;
}

int gs__jgroups_put(gs__jgroups *q, uint32_t j, int urgent, int cls, int g0, uint64_t mask)
{
    int g = find_group(q, urgent, cls < 0 || cls >= q->ncls ? q->ncls : cls, g0, mask);
    gs__jgroup *gp;

    if (g < 0)
        return -1;
    if (q->jg[j] == g)
        return g;
    gs__jgroups_drop(q, j);
    gp = &q->g[g];
    if (gp->len - gp->head > 2 * gp->live + 32)
        compact(q, g);
    if (gp->len == gp->head || gp->v[gp->len - 1] < j) {
        if (GS_GROW(gp->v, gp->cap, gp->len + 1) != GS_OK)
            return -1;
        gp->v[gp->len++] = j;
    } else { /* out of order (a job back in the queue): its old entry, or a new one in place */
        size_t lo = gp->head, hi = gp->len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (gp->v[mid] < j)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == gp->len || gp->v[lo] != j) {
            if (GS_GROW(gp->v, gp->cap, gp->len + 1) != GS_OK)
                return -1;
            memmove(gp->v + lo + 1, gp->v + lo, (gp->len - lo) * sizeof(*gp->v));
            gp->v[lo] = j;
            gp->len++;
        }
    }
    q->jg[j] = g;
    q->nlive++;
    if (gp->live++ == 0) {
        gp->active_at = (long)q->nactive;
        q->active[q->nactive++] = g;
    }
    return g;
}

uint32_t gs__jgroups_head(gs__jgroups *q, int g)
{
    gs__jgroup *gp = &q->g[g];

    while (gp->head < gp->len && !is_live(q, g, gp->v[gp->head]))
        gp->head++;
    return gp->head < gp->len ? gp->v[gp->head] : GS__JG_NONE;
}

/* ---- walks ---- */

static int entry_before(const gs__jg_entry *a, const gs__jg_entry *b)
{
    return a->job < b->job;
}

static void heap_push(gs__jgroups *q, uint32_t job, int grp)
{
    size_t i = q->nheap++;
    gs__jg_entry e;

    e.job = job;
    e.grp = grp;
    while (i > 0 && entry_before(&e, &q->heap[(i - 1) / 2])) {
        q->heap[i] = q->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->heap[i] = e;
}

static gs__jg_entry heap_pop(gs__jgroups *q)
{
    gs__jg_entry top = q->heap[0], last = q->heap[--q->nheap];
    size_t i = 0;

    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= q->nheap)
            break;
        if (l + 1 < q->nheap && entry_before(&q->heap[l + 1], &q->heap[l]))
            m = l + 1;
        if (!entry_before(&q->heap[m], &last))
            break;
        q->heap[i] = q->heap[m];
        i = m;
    }
    if (q->nheap > 0)
        q->heap[i] = last;
    return top;
}

/* Moves group g's cursor to its first live member after job `after` (all when GS__JG_NONE) that
 * is not the solo job, and pushes it. */
static void push_next(gs__jgroups *q, int g, uint32_t after)
{
    gs__jgroup *gp = &q->g[g];

    while (gp->cur < gp->len && ((after != GS__JG_NONE && gp->v[gp->cur] <= after) ||
                                 !is_live(q, g, gp->v[gp->cur]) || gp->v[gp->cur] == q->solo))
        gp->cur++;
    if (gp->cur < gp->len)
        heap_push(q, gp->v[gp->cur], g);
}

int gs__jgroups_walk_begin(gs__jgroups *q, int (*pick)(void *ctx, const gs__jgroup *g), void *ctx,
                           uint32_t solo)
{
    size_t i;

    if (GS_GROW(q->heap, q->capheap, q->nactive + 2) != GS_OK ||
        GS_GROW(q->failed, q->capfailed, q->nactive + 1) != GS_OK)
        return -1;
    q->nheap = q->nfailed = 0;
    q->solo = solo;
    q->prev = -2;
    q->last = GS__JG_NONE;
    for (i = 0; i < q->nactive; i++) {
        int g = q->active[i];
        gs__jgroup *gp = &q->g[g];
        gp->failed = 0;
        if (pick && !pick(ctx, gp))
            continue;
        gs__jgroups_head(q, g);
        if (gp->len - gp->head > 2 * gp->live + 32)
            compact(q, g);
        gp->cur = gp->head;
        push_next(q, g, GS__JG_NONE);
    }
    if (solo != GS__JG_NONE && solo < q->njobs && q->jg[solo] >= 0)
        heap_push(q, solo, -1);
    return 0;
}

uint32_t gs__jgroups_walk_next(gs__jgroups *q, int *grp)
{
    gs__jg_entry e;

    if (q->prev >= 0 && !q->g[q->prev].failed)
        push_next(q, q->prev, q->last);
    q->prev = -2;
    for (;;) {
        if (q->nheap == 0)
            return GS__JG_NONE;
        e = heap_pop(q);
        if (e.grp >= 0 && !is_live(q, e.grp, e.job)) { /* dropped since it was pushed */
            push_next(q, e.grp, e.job);
            continue;
        }
        break;
    }
    q->last = e.job;
    q->prev = e.grp;
    *grp = e.grp;
    return e.job;
}

void gs__jgroups_walk_fail(gs__jgroups *q, int grp)
{
    if (grp < 0 || grp != q->prev || q->g[grp].failed)
        return;
    q->g[grp].failed = 1;
    q->failed[q->nfailed++] = grp;
}

void gs__jgroups_walk_changed(gs__jgroups *q)
{
    size_t i;

    for (i = 0; i < q->nfailed; i++) {
        int g = q->failed[i];
        q->g[g].failed = 0;
        push_next(q, g, q->last);
    }
    q->nfailed = 0;
}
