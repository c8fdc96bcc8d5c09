/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic placement of a GPU request onto the nodes of one pool. */
#include "place_int.h"

int gs__place_fits(const int *nf, int nnodes, int gpn, int gpus)
{
    int full = gpus / gpn, rem = gpus % gpn, whole = 0, partial = 0, i;

    if (gpus < 1)
        return 0;
    for (i = 0; i < nnodes; i++) {
        if (nf[i] == gpn)
            whole++;
        else if (rem && nf[i] >= rem)
            partial = 1;
    }
    if (whole < full)
        return 0;
    return rem == 0 || partial || whole > full;
}

int gs__place_take(int *nf, int nnodes, int gpn, int gpus, int *pairs, int *npairs)
{
    int full = gpus / gpn, rem = gpus % gpn, best = -1, whole = 0, i, n = 0;

    if (gpus < 1)
        return -1;
    /* one pass: count whole free nodes and find the best fit for the remainder */
    for (i = 0; i < nnodes; i++) {
        if (nf[i] == gpn)
            whole++;
        if (rem && nf[i] >= rem && (best < 0 || nf[i] < nf[best])) {
            best = i;
            if (nf[i] == rem && full == 0)
                break; /* a perfect fit on the lowest id: nothing can beat it */
        }
        if (!rem && whole >= full)
            break;
    }
    if (whole < full || (rem && (best < 0 || (nf[best] == gpn && whole < full + 1))))
        return -1;
    for (i = 0; i < nnodes && full > 0; i++) {
        if (i == best || nf[i] != gpn)
            continue;
        nf[i] = 0;
        full--;
        if (pairs) {
            pairs[2 * n] = i;
            pairs[2 * n + 1] = gpn;
        }
        n++;
    }
    if (best >= 0) {
        nf[best] -= rem;
        if (pairs) {
            pairs[2 * n] = best;
            pairs[2 * n + 1] = rem;
        }
        n++;
    }
    if (npairs)
        *npairs = n;
    return 0;
}
