/* SPDX-License-Identifier: Apache-2.0 */
/* Queued jobs grouped by what a packing policy decides on (policies/pack.c), kept up to date one
 * job at a time, so that a scheduling pass costs O(groups) rather than O(queue).
 *
 * A group holds the jobs of one key (urgent or not, workload class, submitted GPU count, set of
 * failed pools) in submission order. Jobs that leave a group (moved to another one, started or
 * rejected) are dropped lazily: their entries stay until the group is next compacted or walked
 * past, which keeps every change O(1) amortised (O(log size) for a job that comes back out of
 * order, e.g. after a failed start).
 *
 * A walk visits the members of several groups merged in submission order (a heap of group
 * heads). A policy whose decision for a job depends only on the job's group and on its own
 * planning state can mark a group failed when one member gets nothing: the group's later members
 * are skipped until the policy reports that its state changed, after which they are walked again
 * from the position reached. So a pass that starts s jobs looks at O((s + 1) x groups) jobs.
 * Private to policies/. */
#ifndef GPUSIM_POLICIES_JOBGROUPS_INT_H
#define GPUSIM_POLICIES_JOBGROUPS_INT_H

#include <stddef.h>
#include <stdint.h>

#define GS__JG_NONE UINT32_MAX

typedef struct gs__jgroup {
    int urgent, cls, g0;
    uint64_t mask;
    uint32_t *v; /* members in ascending job order, from v[head]; some may be stale */
    size_t head, len, cap;
    size_t live;    /* members that are not stale */
    int next;       /* next group of the same class */
    long active_at; /* index in the active list, -1 while the group is empty */
    size_t cur;     /* walk: position of the next member */
    int failed;     /* walk: skipped until the next change */
} gs__jgroup;

typedef struct gs__jg_entry {
    uint32_t job;
    int grp; /* -1: the walk's solo job */
} gs__jg_entry;

typedef struct gs__jgroups {
    gs__jgroup *g;
    size_t ng, capg;
    int *cls_first; /* per class: first group, -1 */
    int ncls;
    int32_t *jg; /* per job: its group, -1 */
    size_t njobs;
    int *active; /* groups with live members, in no particular order */
    size_t nactive, capactive, nlive;
    /* the walk */
    gs__jg_entry *heap;
    size_t nheap, capheap;
    int *failed;
    size_t nfailed, capfailed;
    uint32_t last, solo;
    int prev; /* group of the job returned last, -2 before the first */
} gs__jgroups;

/* Empty groups for jobs 0 .. njobs-1 of classes 0 .. ncls-1. Returns 0 or -1 (ENOMEM; release is
 * still safe). */
int gs__jgroups_init(gs__jgroups *q, size_t njobs, int ncls);
void gs__jgroups_release(gs__jgroups *q);
/* Puts job j into the group of key (urgent, cls, g0, mask), creating it, and out of the group it
 * was in. Must not be called during a walk. Returns the group, or -1 on ENOMEM. */
int gs__jgroups_put(gs__jgroups *q, uint32_t j, int urgent, int cls, int g0, uint64_t mask);
/* Takes job j out of its group (it was started or rejected); nothing when it is in none. Allowed
 * during a walk. */
void gs__jgroups_drop(gs__jgroups *q, uint32_t j);
/* Empties every group. */
void gs__jgroups_clear(gs__jgroups *q);
/* The first live member of group g, or GS__JG_NONE. */
uint32_t gs__jgroups_head(gs__jgroups *q, int g);
/* Job j's group, -1 when in none. */
static inline int gs__jgroups_of(const gs__jgroups *q, uint32_t j)
{
    return q->jg[j];
}

/* Starts a walk over the live members of the active groups g for which pick(ctx, group) is
 * non-zero, plus the job solo (GS__JG_NONE for none) on its own: solo is visited at its place
 * even when its group is skipped, and never as a member of its group. Returns 0 or -1 (ENOMEM). */
int gs__jgroups_walk_begin(gs__jgroups *q, int (*pick)(void *ctx, const gs__jgroup *g), void *ctx,
                           uint32_t solo);
/* The next job in submission order, *grp its group (-1 for solo); GS__JG_NONE at the end. */
uint32_t gs__jgroups_walk_next(gs__jgroups *q, int *grp);
/* The job just returned (of group grp) got nothing and the state did not change: skip the rest
 * of its group until gs__jgroups_walk_changed. Ignored for any other group. */
void gs__jgroups_walk_fail(gs__jgroups *q, int grp);
/* The planning state changed: groups skipped so far are walked again from after the job just
 * returned. */
void gs__jgroups_walk_changed(gs__jgroups *q);

#endif
