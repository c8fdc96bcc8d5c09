/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia core shared by sia-unaware and sia-aware (policies/sia.c): Sia's conventions, and
 * the policy hooks both ops objects point to. Private to the library and its tests. */
#ifndef GPUSIM_SIA_INT_H
#define GPUSIM_SIA_INT_H

#include <stddef.h>

#include "gpusim/event.h"
#include "gpusim/policy.h"

enum gs__sia_mode {
    GS__SIA_UNAWARE = 0, /* no viability knowledge: may try configurations that fail */
    GS__SIA_AWARE        /* only configurations the knowledge DB says are viable */
};

/* Sia's constants (Sia's artifact: sia.py optimize_mip). */
#define GS__SIA_P         (-0.5) /* fairness power, all paper experiments */
#define GS__SIA_LAMBDA_N  1.1    /* no-allocation penalty */
#define GS__SIA_CLIP      3000.0 /* sia_goodput_clip_val */
#define GS__SIA_ZERO_GAIN 1e-4   /* ZERO_ALLOC_GAIN: the floor of any goodput entry */
#define GS__SIA_MAX_GPUS  64     /* max GPUs per job */
#define GS__SIA_MIP_GAP   1e-4   /* CBC allowablePercentageGap 0.01 % */

/* The --param settings both Sia policies take (name NULL at the end). */
extern const gs_policy_param gs__sia_params[];

/* Sia's restart factor (Sia's artifact: sia.py optimize_mip, sia_use_pollux_realloc_factor): for a
 * job of age age = now - submission (queueing included) that restarted restarts times, with penalty
 * S: 1 when age < S, else max(age - restarts * S, 0) / (age + S). */
double gs__sia_restart_factor(double age, int restarts, double penalty);

/* Sia's entry A for a normalised goodput G (Sia's artifact: sia.py optimize_mip): G is floored at
 * 1e-4, raised to p, rounded to 2 decimals (half to even, as numpy's round) and clipped at clip. */
double gs__sia_cost(double goodput, double p, double clip);

/* Row normalisation (Sia's artifact: sia.py optimize_mip): divides the n entries by the smallest of
 * those above 1e-4, so that the worst valid configuration is 1; entries at or below 1e-4 stay at
 * 1e-4. Returns the divisor, or 0 when no entry is valid (then the row is left unchanged). */
double gs__sia_normalise(double *g, size_t n);

/* Checks Sia's sign conventions (Sia's artifact: sia.py): p < 0 minimises and needs
 * lambda_n > 1 (above any A on a valid configuration); p > 0 maximises and needs
 * lambda_n < 0; p = 0 is meaningless. Returns GS_OK or GS_EINVAL with the reason. */
int gs__sia_check_conventions(double p, double lambda_n, gs_err *err);

/* The hooks (mode is fixed at init). */
int gs__sia_init(void **state, const gs_sim *sim, int mode, gs_err *err);
int gs__sia_on_event(void *state, gs_sim *sim, const gs_event *ev, gs_err *err);
int gs__sia_schedule(void *state, gs_sim *sim, gs_plan *out, gs_err *err);
void gs__sia_destroy(void *state);

#endif
