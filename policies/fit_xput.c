/* SPDX-License-Identifier: Apache-2.0 */
/* Online throughput model of a job on one GPU type, fitted with gsl_multifit_nlinear. */
#include "fit_xput_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P_AC, P_BC, P_AR, P_BR, P_AN, P_BN, P_GAMMA, NP };

/* Sia's priors (Sia's artifact: goodput.py): 1e-3 (gamma - 1)^2 + 1e-2 ((beta_n/alpha_n)^2 +
 * (beta_r/alpha_r)^2), added as residuals sqrt(w) * term. Sia adds them to the RMSE of the
 * fit; in a sum of squares the same balance is a weight of lambda * K * RMSE (K points), which
 * shrinks as the fit improves. We scale Sia's weights by 1e-4 so that the priors only settle
 * the directions the data leave free: with full weight they pull a noise-free fit off the
 * truth by ~1% (tests/test_fit_xput.c checks exact recovery). */
#define W_GAMMA (1e-3 * 1e-4)
#define W_BETA  (1e-2 * 1e-4)

static double step_time(const double *v, int gpus, int nodes)
{
    double tc = v[P_AC] + v[P_BC] / gpus, tn, g = v[P_GAMMA];
    double m = gpus > 2 ? gpus - 2 : 0;

    if (gpus <= 1)
        return tc;
    tn = nodes > 1 ? v[P_AN] + v[P_BN] * m : v[P_AR] + v[P_BR] * m;
    if (g == 1)
        return tc + tn;
    /* (tc^g + tn^g)^(1/g), scaled by the larger term so that it cannot overflow */
    {
        double hi = tc > tn ? tc : tn, lo = tc > tn ? tn : tc;
        return hi * pow(1 + pow(lo / hi, g), 1 / g);
    }
}

static void model_to_vec(const gs__xput_model *m, double *v)
{
    v[P_AC] = m->alpha_c, v[P_BC] = m->beta_c, v[P_AR] = m->alpha_r, v[P_BR] = m->beta_r;
    v[P_AN] = m->alpha_n, v[P_BN] = m->beta_n, v[P_GAMMA] = m->gamma;
}

double gs__xput_predict(const gs__xput_model *m, int gpus, int nodes)
{
    double v[NP];

    model_to_vec(m, v);
    return 1 / step_time(v, gpus < 1 ? 1 : gpus, nodes < 1 ? 1 : nodes);
}

typedef struct fit_ctx {
    const gs__xput_obs *obs;
    size_t n;
    double base[NP]; /* pinned values (and start values of the free ones) */
    int idx[NP];     /* free parameter k is base[idx[k]] */
    int nfree;
    int reg_gamma, reg_r, reg_n; /* which prior residuals follow the data residuals */
} fit_ctx;

/* Free parameters travel as logs (positivity) and gamma as 1 + 9 sigmoid(x) (range [1, 10]);
 * the clamp keeps every value finite whatever step the solver tries. */
static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static void unpack(const fit_ctx *c, const gsl_vector *x, double *v)
{
    int k;

    memcpy(v, c->base, sizeof(c->base));
    for (k = 0; k < c->nfree; k++) {
        double xk = clampd(gsl_vector_get(x, (size_t)k), -60, 60);
        if (c->idx[k] == P_GAMMA)
            v[P_GAMMA] = 1 + 9 / (1 + exp(-xk));
        else
            v[c->idx[k]] = exp(xk);
    }
}

static int residuals(const gsl_vector *x, void *params, gsl_vector *f)
{
    const fit_ctx *c = params;
    double v[NP];
    size_t i, r;

    unpack(c, x, v);
    for (i = 0; i < c->n; i++)
        gsl_vector_set(f, i,
                       log(step_time(v, c->obs[i].gpus, c->obs[i].nodes)) + log(c->obs[i].thr));
    r = c->n;
    if (c->reg_gamma)
        gsl_vector_set(f, r++, sqrt(W_GAMMA) * (v[P_GAMMA] - 1));
    if (c->reg_r)
        gsl_vector_set(f, r++, sqrt(W_BETA) * v[P_BR] / v[P_AR]);
    if (c->reg_n)
        gsl_vector_set(f, r++, sqrt(W_BETA) * v[P_BN] / v[P_AN]);
    return GSL_SUCCESS;
}

int gs__xput_fit(const gs__xput_obs *obs, size_t n, gs__xput_model *m, gs_err *err)
{
    fit_ctx c;
    size_t i, nres;
    int g0 = 0, multi_gpu_node = 0, multi_node = 0, wide_node = 0, wide_multi = 0, distinct = 0;
    int want[NP], k, rc = GS_OK;
    double t0 = 0, v[NP] = {0};
    gsl_multifit_nlinear_parameters prm;
    gsl_multifit_nlinear_workspace *w = NULL;
    gsl_multifit_nlinear_fdf fdf;
    gsl_vector *x0 = NULL;
    gsl_error_handler_t *old;

    if (n == 0)
        return gs_errorf(err, GS_EINVAL, "throughput fit: no observation");
    for (i = 0; i < n; i++) {
        size_t j;
        if (obs[i].gpus < 1 || obs[i].nodes < 1 || obs[i].nodes > obs[i].gpus ||
            !(obs[i].thr > 0) || !isfinite(obs[i].thr))
            return gs_errorf(err, GS_EINVAL,
                             "throughput fit: bad observation %zu (%d GPUs, %d nodes, %g/s)", i,
                             obs[i].gpus, obs[i].nodes, obs[i].thr);
        for (j = 0; j < i; j++)
            if (obs[j].gpus == obs[i].gpus && obs[j].nodes == obs[i].nodes)
                return gs_errorf(err, GS_EINVAL,
                                 "throughput fit: configuration %d GPUs on %d nodes twice",
                                 obs[i].gpus, obs[i].nodes);
        for (j = 0; j < i && obs[j].gpus != obs[i].gpus; j++)
            ;
        distinct += j == i;
        if (g0 == 0 || obs[i].gpus < g0)
            g0 = obs[i].gpus, t0 = 1 / obs[i].thr;
        if (obs[i].nodes == 1 && obs[i].gpus > 1)
            multi_gpu_node = 1;
        if (obs[i].nodes == 1 && obs[i].gpus > 2)
            wide_node = 1;
        if (obs[i].nodes > 1)
            multi_node = 1;
        if (obs[i].nodes > 1 && obs[i].gpus > 2)
            wide_multi = 1;
    }
    /* Which parameters the data can identify, and as many as there are points, in this order
     * (the compute terms first: they carry most of the step time). */
    want[P_BC] = 1;
    want[P_AC] = distinct >= 2;
    want[P_AR] = multi_gpu_node;
    want[P_AN] = multi_node;
    want[P_BR] = wide_node;
    want[P_BN] = wide_multi;
    want[P_GAMMA] = multi_gpu_node || multi_node;
    {
        static const int order[NP] = {P_BC, P_AC, P_AR, P_AN, P_BR, P_BN, P_GAMMA};
        memset(&c, 0, sizeof(c));
        for (k = 0; k < NP; k++)
            if (want[order[k]] && (size_t)c.nfree < n)
                c.idx[c.nfree++] = order[k];
    }
    /* pinned values, and the start of the free ones, from the smallest configuration seen */
    c.base[P_AC] = t0 / 2; /* Sia: alpha_c = mean compute time / 2 when not identifiable */
    c.base[P_BC] = t0 * g0 / 2;
    c.base[P_AR] = c.base[P_BR] = c.base[P_AN] = c.base[P_BN] = GS__XPUT_LB;
    c.base[P_GAMMA] = 1;
    c.obs = obs;
    c.n = n;
    x0 = gsl_vector_alloc((size_t)c.nfree);
    if (!x0)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (k = 0; k < c.nfree; k++) {
        double s;
        switch (c.idx[k]) {
        case P_AC:
            s = t0 / 4;
            break;
        case P_BC:
            s = t0 * g0 / 2;
            break;
        case P_AR:
        case P_AN:
            s = t0 / 10;
            break;
        case P_BR:
        case P_BN:
            s = t0 / 100;
            break;
        default: /* gamma 1.5 */
            s = log(0.5 / 8.5);
            break;
        }
        gsl_vector_set(x0, (size_t)k, c.idx[k] == P_GAMMA ? s : log(s));
        if (c.idx[k] == P_GAMMA)
            c.reg_gamma = 1;
        if (c.idx[k] == P_BR)
            c.reg_r = 1;
        if (c.idx[k] == P_BN)
            c.reg_n = 1;
    }
    nres = n + (size_t)(c.reg_gamma + c.reg_r + c.reg_n);
    fdf.f = residuals;
    fdf.df = NULL; /* forward differences: exact enough, and deterministic */
    fdf.fvv = NULL;
    fdf.n = nres;
    fdf.p = (size_t)c.nfree;
    fdf.params = &c;
    prm = gsl_multifit_nlinear_default_parameters(); /* Levenberg-Marquardt, QR */
    /* GSL's default error handler aborts; the library must return codes instead */
    old = gsl_set_error_handler_off();
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, nres, (size_t)c.nfree);
    if (!w) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
    } else {
        int info, st;
        double best[NP], bestcost, cost;
        gsl_vector *f;
        unpack(&c, x0, best);
        st = gsl_multifit_nlinear_init(x0, &fdf, w);
        f = gsl_multifit_nlinear_residual(w);
        gsl_blas_ddot(f, f, &bestcost);
        if (st == GSL_SUCCESS) {
            /* the result is used whatever the stop reason (maximum iterations, no progress):
             * it is the best point the solver found */
            gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 0, NULL, NULL, &info, w);
            f = gsl_multifit_nlinear_residual(w);
            gsl_blas_ddot(f, f, &cost);
            if (isfinite(cost) && cost <= bestcost)
                unpack(&c, gsl_multifit_nlinear_position(w), best);
        }
        memcpy(v, best, sizeof(v));
    }
    gsl_set_error_handler(old);
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x0);
    if (rc != GS_OK)
        return rc;
    if (!multi_node) { /* Sia: crossing nodes is at least 10% dearer than staying inside one */
        if (v[P_AN] < 1.1 * v[P_AR])
            v[P_AN] = 1.1 * v[P_AR];
        if (v[P_BN] < 1.1 * v[P_BR])
            v[P_BN] = 1.1 * v[P_BR];
    }
    m->alpha_c = v[P_AC], m->beta_c = v[P_BC], m->alpha_r = v[P_AR], m->beta_r = v[P_BR];
    m->alpha_n = v[P_AN], m->beta_n = v[P_BN], m->gamma = v[P_GAMMA];
    m->nparams_free = c.nfree;
    return GS_OK;
}
