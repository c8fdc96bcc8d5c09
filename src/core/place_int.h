/* SPDX-License-Identifier: Apache-2.0 */
/* The placement rule shared by the core and the planning scratchpad. */
#ifndef GPUSIM_PLACE_INT_H
#define GPUSIM_PLACE_INT_H

/* nf: free GPUs of each of the pool's nnodes nodes (gpn GPUs each). A request of gpus GPUs
 * takes gpus / gpn whole free nodes (lowest ids first) plus, for the remainder, the node with
 * the fewest free GPUs that still fit it (lowest id on ties). */
int gs__place_fits(const int *nf, int nnodes, int gpn, int gpus);

/* Takes the GPUs (0) or changes nothing (-1). When pairs is not NULL it receives
 * (local node index, GPUs) pairs, *npairs their number (at most gpus / gpn + 1). */
int gs__place_take(int *nf, int nnodes, int gpn, int gpus, int *pairs, int *npairs);

#endif
