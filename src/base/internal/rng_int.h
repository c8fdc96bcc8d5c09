/* SPDX-License-Identifier: Apache-2.0 */
/* Base internal API (src/base/internal/README.md): seeded random streams and sample statistics
 * (GSL behind a small interface, so that GSL types never reach another layer). */
#ifndef GPUSIM_RNG_INT_H
#define GPUSIM_RNG_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct gs__rng gs__rng;

/* A Mersenne-Twister stream seeded from seed (any 64-bit value). NULL on ENOMEM. */
gs__rng *gs__rng_new(uint64_t seed);
void gs__rng_free(gs__rng *r);
/* Uniform in [0, 1). */
double gs__rng_uniform(gs__rng *r);
/* Uniform in (0, 1). */
double gs__rng_uniform_pos(gs__rng *r);
/* Standard normal. */
double gs__rng_gaussian(gs__rng *r, double sigma);
/* Uniform integer in [0, n). */
unsigned long gs__rng_int(gs__rng *r, unsigned long n);
/* Exponential with the given mean. */
double gs__rng_exponential(gs__rng *r, double mean);
/* Poisson with the given mean. */
unsigned int gs__rng_poisson(gs__rng *r, double mean);
/* The standard normal CDF at z. */
double gs__normal_cdf(double z);

/* A discrete distribution over 0..n-1 with weights w (>= 0, not all 0), drawn in O(1)
 * (Walker's alias method). NULL on ENOMEM or bad weights. */
typedef struct gs__discrete gs__discrete;
gs__discrete *gs__discrete_new(const double *w, size_t n);
size_t gs__discrete_draw(gs__rng *r, const gs__discrete *d);
void gs__discrete_free(gs__discrete *d);

/* k distinct elements of src (n of size bytes) into dest, in their order in src; k <= n. */
void gs__rng_choose(gs__rng *r, void *dest, size_t k, void *src, size_t n, size_t size);
/* k elements of src drawn with replacement into dest. */
void gs__rng_sample(gs__rng *r, void *dest, size_t k, void *src, size_t n, size_t size);
/* Lognormal: exp(N(zeta, sigma^2)). */
double gs__rng_lognormal(gs__rng *r, double zeta, double sigma);
/* Pareto with shape a and scale b (support x >= b). */
double gs__rng_pareto(gs__rng *r, double a, double b);

/* splitmix64 finaliser, to derive independent seeds from one. */
uint64_t gs__seed_mix(uint64_t x);

/* Sorts v (n values) in place and returns the quantile q in [0, 1] (linear interpolation
 * between order statistics, as numpy's default). n must be > 0. */
void gs__sort(double *v, size_t n);
double gs__quantile_sorted(const double *v, size_t n, double q);
double gs__mean(const double *v, size_t n);
/* Sample standard deviation (n - 1 in the denominator); 0 when n < 2. */
double gs__sd(const double *v, size_t n);

#endif
