/* SPDX-License-Identifier: Apache-2.0 */
/* Random streams and sample statistics on GSL. */
#include "rng_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

struct gs__rng {
    gsl_rng *r;
};

uint64_t gs__seed_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

gs__rng *gs__rng_new(uint64_t seed)
{
    gs__rng *r = malloc(sizeof(*r));

    if (!r)
        return NULL;
    r->r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r->r) {
        free(r);
        return NULL;
    }
    /* MT19937 takes an unsigned long seed; fold the 64 bits so every bit matters */
    gsl_rng_set(r->r, (unsigned long)(gs__seed_mix(seed) ^ (gs__seed_mix(seed) >> 32)));
    return r;
}

void gs__rng_free(gs__rng *r)
{
    if (!r)
        return;
    gsl_rng_free(r->r);
    free(r);
}

double gs__rng_uniform(gs__rng *r)
{
    return gsl_rng_uniform(r->r);
}

double gs__rng_uniform_pos(gs__rng *r)
{
    return gsl_rng_uniform_pos(r->r);
}

double gs__rng_gaussian(gs__rng *r, double sigma)
{
    return gsl_ran_gaussian_ziggurat(r->r, sigma);
}

unsigned long gs__rng_int(gs__rng *r, unsigned long n)
{
    return gsl_rng_uniform_int(r->r, n);
}

double gs__rng_exponential(gs__rng *r, double mean)
{
    return gsl_ran_exponential(r->r, mean);
}

unsigned int gs__rng_poisson(gs__rng *r, double mean)
{
    return gsl_ran_poisson(r->r, mean);
}

struct gs__discrete {
    gsl_ran_discrete_t *t;
};

gs__discrete *gs__discrete_new(const double *w, size_t n)
{
    gs__discrete *d = malloc(sizeof(*d));
    double sum = 0;
    size_t i;

    if (!d || n == 0) {
        free(d);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!(w[i] >= 0)) {
            free(d);
            return NULL;
        }
        sum += w[i];
    }
    d->t = sum > 0 ? gsl_ran_discrete_preproc(n, w) : NULL;
    if (!d->t) {
        free(d);
        return NULL;
    }
    return d;
}

size_t gs__discrete_draw(gs__rng *r, const gs__discrete *d)
{
    return gsl_ran_discrete(r->r, d->t);
}

void gs__discrete_free(gs__discrete *d)
{
    if (!d)
        return;
    gsl_ran_discrete_free(d->t);
    free(d);
}

void gs__rng_choose(gs__rng *r, void *dest, size_t k, void *src, size_t n, size_t size)
{
    if (k > 0)
        gsl_ran_choose(r->r, dest, k, src, n, size);
}

void gs__rng_sample(gs__rng *r, void *dest, size_t k, void *src, size_t n, size_t size)
{
    if (k > 0)
        gsl_ran_sample(r->r, dest, k, src, n, size);
}

double gs__normal_cdf(double z)
{
    return gsl_cdf_ugaussian_P(z);
}

double gs__rng_lognormal(gs__rng *r, double zeta, double sigma)
{
    return gsl_ran_lognormal(r->r, zeta, sigma);
}

double gs__rng_pareto(gs__rng *r, double a, double b)
{
    return gsl_ran_pareto(r->r, a, b);
}

void gs__sort(double *v, size_t n)
{
    gsl_sort(v, 1, n);
}

double gs__quantile_sorted(const double *v, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

double gs__mean(const double *v, size_t n)
{
    return gsl_stats_mean(v, 1, n);
}

double gs__sd(const double *v, size_t n)
{
    return n < 2 ? 0.0 : gsl_stats_sd(v, 1, n);
}
