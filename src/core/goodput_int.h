/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the core: the goodput model's layout (goodput.c), shared between scaling DBs and
 * their clones by reference counting (scaledb.c). */
#ifndef GPUSIM_GOODPUT_INT_H
#define GPUSIM_GOODPUT_INT_H

#include "gpusim/goodput.h"

/* One profiled (nodes, replicas) group of a GPU type: points sorted by per-GPU batch. */
typedef struct gs__gp_group {
    int nodes, replicas;
    size_t n;
    double *local, *step, *sync;
} gs__gp_group;

typedef struct gs__gp_type {
    gs__gp_group *g;
    size_t n, cap;
    double min_local; /* smallest profiled per-GPU batch of the type (Sia: min_local_bsz) */
    int max_nodes;
} gs__gp_type;

struct gs_goodput {
    int refs; /* scaling DBs holding it (gs_goodput_free drops one); not thread-safe */
    gs_goodput_spec spec;
    int ntypes;
    gs__gp_type *types;
    size_t nphases, nbatch;
    double *work_end;  /* nphases */
    double *bs;        /* nbatch */
    double *sqr, *var; /* nphases x nbatch */
};

/* Takes one more reference (a DB clone shares the model). */
gs_goodput *gs__goodput_ref(gs_goodput *m);

#endif
