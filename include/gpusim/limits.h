/* SPDX-License-Identifier: Apache-2.0 */
/* The bounds on numbers that enter gpusim, shared by every loader and model (docs/limits.md
 * lists each input field with its valid range). */
#ifndef GPUSIM_LIMITS_H
#define GPUSIM_LIMITS_H

/* The latest simulated time any event may be posted at, and the longest duration, queue time or
 * trace span that loads: ten Julian years, in seconds. Every model's horizon lies far below it (a
 * replayed trace spans weeks, a game session minutes); a time beyond it means an input or a model
 * ran away (a throughput of 1e-300, a duration of 1e300), and is reported instead of simulated
 * for ever. */
#define GS_TIME_MAX 315576000.0

/* The most GPUs of a cluster (all its node groups together), of a job and of a DB entry, and the
 * most nodes of a cluster. Counts below it fit an int with room for sums of two. */
#define GS_MAX_GPUS 1000000

/* Absolute times (trace timestamps, gen-trace --start): 1970-01-01 00:00:00 UTC to 2100-01-01
 * 00:00:00 UTC, in seconds since 1970. */
#define GS_EPOCH_MIN 0.0
#define GS_EPOCH_MAX 4102444800.0

#endif
