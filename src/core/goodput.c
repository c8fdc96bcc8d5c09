/* SPDX-License-Identifier: Apache-2.0 */
/* Adaptive-batch classes: Pollux's statistical efficiency and goodput-optimal batch sizes over
 * measured throughput profiles (docs/goodput.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "goodput_int.h"
#include "util_int.h"

/* Pollux's candidate batches per configuration (its artifact: goodput.py, np.geomspace's
 * default of 50 points) and its tolerance for floor and ceiling. */
#define NCAND 50
#define EPS   1e-8

double gs_goodput_efficiency(double batch, double init_batch, double grad_sqr, double grad_var)
{
    double scale = batch / init_batch, denom = grad_var / scale + grad_sqr;
    double gain = denom > 0 ? (grad_var + grad_sqr) / denom : 1.0;

    return gain / scale;
}

gs_goodput *gs_goodput_new(const gs_goodput_spec *spec, int ntypes, gs_err *err)
{
    gs_goodput *m;

    if (!spec || !(spec->init_batch > 0 && spec->init_batch <= 1e9) ||
        !(spec->max_batch >= spec->init_batch && spec->max_batch <= 1e9) ||
        !(spec->slowdown >= 1 && spec->slowdown <= 100) || ntypes < 1 || ntypes > 1024) {
        gs_errorf(err, GS_EINVAL,
                  "goodput model: init_batch must be in (0, 1e9], max_batch in [init_batch, 1e9], "
                  "slowdown in [1, 100] and the GPU types 1..1024");
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (m)
        m->types = calloc((size_t)ntypes, sizeof(*m->types));
    if (!m || !m->types) {
        free(m);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    m->refs = 1;
    m->spec = *spec;
    m->ntypes = ntypes;
    return m;
}

gs_goodput *gs__goodput_ref(gs_goodput *m)
{
    if (m)
        m->refs++;
    return m;
}

void gs_goodput_free(gs_goodput *m)
{
    int t;
    size_t i;

    if (!m || --m->refs > 0)
        return;
    for (t = 0; t < m->ntypes; t++) {
        for (i = 0; i < m->types[t].n; i++) {
            free(m->types[t].g[i].local);
            free(m->types[t].g[i].step);
            free(m->types[t].g[i].sync);
        }
        free(m->types[t].g);
    }
    free(m->types);
    free(m->work_end);
    free(m->bs);
    free(m->sqr);
    free(m->var);
    free(m);
}

int gs_goodput_set_phases(gs_goodput *m, size_t nphases, const double *work_end, size_t nbatch,
                          const double *bs, const double *sqr, const double *var, gs_err *err)
{
    size_t k, i, nv;

    if (nphases < 1 || nphases > 100000 || nbatch < 1 || nbatch > 64)
        return gs_errorf(err, GS_EINVAL,
                         "goodput model: 1..100000 phases and 1..64 batch sizes, got %zu and %zu",
                         nphases, nbatch);
    for (k = 0; k < nphases; k++)
        if (!(work_end[k] > (k ? work_end[k - 1] : 0)) || !isfinite(work_end[k]))
            return gs_errorf(err, GS_EINVAL,
                             "goodput model: the work at the end of phase %zu must be finite and "
                             "above the one before, got %g",
                             k, work_end[k]);
    for (i = 0; i < nbatch; i++)
        if (!(bs[i] > (i ? bs[i - 1] : 0)) || !isfinite(bs[i]))
            return gs_errorf(err, GS_EINVAL,
                             "goodput model: the batch sizes of the gradient statistics must "
                             "increase, got %g",
                             bs[i]);
    nv = nphases * nbatch;
    for (i = 0; i < nv; i++)
        if (!(sqr[i] >= 0) || !(var[i] >= 0) || !isfinite(sqr[i]) || !isfinite(var[i]))
            return gs_errorf(err, GS_EINVAL,
                             "goodput model: phase %zu: gradient statistics must be finite and "
                             ">= 0, got sqr %g var %g",
                             i / nbatch, sqr[i], var[i]);
    free(m->work_end);
    free(m->bs);
    free(m->sqr);
    free(m->var);
    m->work_end = malloc(nphases * sizeof(double));
    m->bs = malloc(nbatch * sizeof(double));
    m->sqr = malloc(nv * sizeof(double));
    m->var = malloc(nv * sizeof(double));
    m->nphases = m->nbatch = 0;
    if (!m->work_end || !m->bs || !m->sqr || !m->var)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    memcpy(m->work_end, work_end, nphases * sizeof(double));
    memcpy(m->bs, bs, nbatch * sizeof(double));
    memcpy(m->sqr, sqr, nv * sizeof(double));
    memcpy(m->var, var, nv * sizeof(double));
    m->nphases = nphases;
    m->nbatch = nbatch;
    return GS_OK;
}

static gs__gp_group *find_group(const gs__gp_type *ty, int nodes, int replicas)
{
    size_t i;

    for (i = 0; i < ty->n; i++)
        if (ty->g[i].nodes == nodes && ty->g[i].replicas == replicas)
            return &ty->g[i];
    return NULL;
}

int gs_goodput_add_group(gs_goodput *m, int type, int nodes, int replicas, size_t n,
                         const double *local, const double *step, const double *sync, gs_err *err)
{
    gs__gp_type *ty;
    gs__gp_group *g;
    size_t i, j, k;
    size_t *ord;

    if (type < 0 || type >= m->ntypes || nodes < 1 || replicas < nodes || replicas > 100000 ||
        n < 1 || n > 1000000)
        return gs_errorf(err, GS_EINVAL,
                         "goodput profile: bad group (type %d, %d nodes, %d GPUs, %zu points)",
                         type, nodes, replicas, n);
    ty = &m->types[type];
    if (find_group(ty, nodes, replicas))
        return gs_errorf(err, GS_EINVAL, "goodput profile: type %d: %d nodes x %d GPUs twice", type,
                         nodes, replicas);
    for (i = 0; i < n; i++)
        if (!(local[i] > 0) || !(step[i] > 0) || !(sync[i] >= 0) || !(sync[i] < step[i]) ||
            !isfinite(local[i]) || !isfinite(step[i]))
            return gs_errorf(err, GS_EINVAL,
                             "goodput profile: type %d, %d nodes x %d GPUs: per-GPU batch %g, "
                             "step %g s, sync %g s (need batch > 0, 0 <= sync < step)",
                             type, nodes, replicas, local[i], step[i], sync[i]);
    if (GS_GROW(ty->g, ty->cap, ty->n + 1) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    g = &ty->g[ty->n];
    memset(g, 0, sizeof(*g));
    ord = malloc(n * sizeof(*ord));
    g->local = malloc(n * sizeof(double));
    g->step = malloc(n * sizeof(double));
    g->sync = malloc(n * sizeof(double));
    if (!ord || !g->local || !g->step || !g->sync) {
        free(ord);
        free(g->local);
        free(g->step);
        free(g->sync);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    /* insertion order by batch (profiles are short), equal batches averaged */
    for (i = 0; i < n; i++) {
        for (j = i; j > 0 && local[ord[j - 1]] > local[i]; j--)
            ord[j] = ord[j - 1];
        ord[j] = i;
    }
    for (i = 0, k = 0; i < n; k++) {
        double s = 0, y = 0, b = local[ord[i]];
        size_t c = 0;
        for (; i < n && local[ord[i]] == b; i++, c++)
            s += step[ord[i]], y += sync[ord[i]];
        g->local[k] = b;
        g->step[k] = s / (double)c;
        g->sync[k] = y / (double)c;
    }
    free(ord);
    g->n = k;
    g->nodes = nodes;
    g->replicas = replicas;
    if (ty->n == 0 || g->local[0] < ty->min_local)
        ty->min_local = g->local[0];
    if (nodes > ty->max_nodes)
        ty->max_nodes = nodes;
    ty->n++;
    return GS_OK;
}

const gs_goodput_spec *gs_goodput_spec_of(const gs_goodput *m)
{
    return &m->spec;
}

size_t gs_goodput_nphases(const gs_goodput *m)
{
    return m->nphases;
}

double gs_goodput_phase_end(const gs_goodput *m, size_t k)
{
    return k < m->nphases ? m->work_end[k] : m->nphases ? m->work_end[m->nphases - 1] : 0;
}

size_t gs_goodput_phase_at(const gs_goodput *m, double done)
{
    size_t lo = 0, hi = m->nphases ? m->nphases - 1 : 0;

    while (lo < hi) { /* the first phase whose end is above done */
        size_t mid = (lo + hi) / 2;
        if (m->work_end[mid] > done)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int gs_goodput_has_type(const gs_goodput *m, int type)
{
    return type >= 0 && type < m->ntypes && m->types[type].n > 0;
}

int gs_goodput_max_nodes(const gs_goodput *m, int type)
{
    return gs_goodput_has_type(m, type) ? m->types[type].max_nodes : 0;
}

/* ---- profiles ---- */

/* Step and sync time of group g at per-GPU batch b: linear between profiled batches; 0 outside
 * them. */
static int group_times(const gs__gp_group *g, double b, double *step, double *sync)
{
    size_t lo = 0, hi = g->n - 1;
    double w;

    if (b < g->local[0] - EPS || b > g->local[g->n - 1] + EPS)
        return 0;
    if (g->n == 1 || b <= g->local[0]) {
        *step = g->step[0], *sync = g->sync[0];
        return 1;
    }
    if (b >= g->local[hi]) {
        *step = g->step[hi], *sync = g->sync[hi];
        return 1;
    }
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (g->local[mid] <= b)
            lo = mid;
        else
            hi = mid;
    }
    w = (b - g->local[lo]) / (g->local[hi] - g->local[lo]);
    *step = g->step[lo] + w * (g->step[hi] - g->step[lo]);
    *sync = g->sync[lo] + w * (g->sync[hi] - g->sync[lo]);
    return 1;
}

/* Where the times of (nodes, replicas) come from: the group itself, or two groups with the same
 * GPUs per node around it (weight w on hi), or the nearest one outside them. */
typedef struct source {
    const gs__gp_group *lo, *hi;
    double w;
    double max_local;
} source;

static int find_source(const gs__gp_type *ty, int nodes, int replicas, source *s)
{
    const gs__gp_group *lo = NULL, *hi = NULL;
    size_t i;

    memset(s, 0, sizeof(*s));
    if ((s->lo = find_group(ty, nodes, replicas))) {
        s->max_local = s->lo->local[s->lo->n - 1];
        return 1;
    }
    /* same density: replicas / nodes GPUs on each node, profiled at other node counts */
    for (i = 0; i < ty->n; i++) {
        const gs__gp_group *g = &ty->g[i];
        if ((long)g->replicas * nodes != (long)replicas * g->nodes)
            continue;
        if (g->nodes < nodes && (!lo || g->nodes > lo->nodes))
            lo = g;
        if (g->nodes > nodes && (!hi || g->nodes < hi->nodes))
            hi = g;
    }
    if (!lo && !hi)
        return 0;
    if (lo && hi) {
        s->lo = lo;
        s->hi = hi;
        s->w = (double)(nodes - lo->nodes) / (double)(hi->nodes - lo->nodes);
        s->max_local = fmin(lo->local[lo->n - 1], hi->local[hi->n - 1]);
    } else {
        s->lo = lo ? lo : hi;
        s->max_local = s->lo->local[s->lo->n - 1];
    }
    return 1;
}

static int source_times(const source *s, double b, double *step, double *sync)
{
    double s2, y2;

    if (!group_times(s->lo, b, step, sync))
        return 0;
    if (!s->hi)
        return 1;
    if (!group_times(s->hi, b, &s2, &y2))
        return 0;
    *step += s->w * (s2 - *step);
    *sync += s->w * (y2 - *sync);
    return 1;
}

double gs_goodput_xput1(const gs_goodput *m, int type)
{
    const gs__gp_group *g;

    if (!gs_goodput_has_type(m, type) || !(g = find_group(&m->types[type], 1, 1)))
        return 0;
    return g->local[g->n - 1] / g->step[g->n - 1] / m->spec.slowdown;
}

/* ---- the batch size ---- */

/* Gradient statistics of phase k at total batch b. */
static void stats_at(const gs_goodput *m, size_t k, double b, double *sqr, double *var)
{
    const double *sq = m->sqr + k * m->nbatch, *va = m->var + k * m->nbatch;
    size_t i = 0;
    double w;

    if (b <= m->bs[0] || m->nbatch == 1) {
        *sqr = sq[0], *var = va[0];
        return;
    }
    if (b >= m->bs[m->nbatch - 1]) {
        *sqr = sq[m->nbatch - 1], *var = va[m->nbatch - 1];
        return;
    }
    while (m->bs[i + 1] < b)
        i++;
    w = (b - m->bs[i]) / (m->bs[i + 1] - m->bs[i]);
    *sqr = sq[i] + w * (sq[i + 1] - sq[i]);
    *var = va[i] + w * (va[i + 1] - va[i]);
}

typedef struct cand {
    double batch, xput; /* total batch, samples/s after the slowdown */
    int atomic, accum;
} cand;

/* Pollux's candidates on (nodes, gpus) of type: the valid ones go to c; returns how many. */
static int candidates(const gs_goodput *m, int type, int nodes, int gpus, double max_batch, cand *c)
{
    const gs__gp_type *ty = &m->types[type];
    double b0 = m->spec.init_batch, bmax = m->spec.max_batch, bmin;
    source src;
    int i, n = 0;

    if (max_batch > 0 && max_batch < bmax)
        bmax = max_batch;
    if (!find_source(ty, nodes, gpus, &src))
        return 0;
    bmin = fmax(b0, ty->min_local * gpus);
    if (bmin > bmax * (1 + EPS))
        return 0;
    for (i = 0; i < NCAND; i++) {
        double b = bmin * pow(bmax / bmin, (double)i / (NCAND - 1));
        double local = b / gpus, step, sync, atomic, iter;
        int accum = (int)ceil(local / src.max_local - EPS) - 1;
        if (accum < 0)
            accum = 0;
        if (gpus == 1 && local > b0 + EPS && accum < 1)
            accum = 1; /* one micro-batch cannot measure the gradient noise (Pollux) */
        atomic = ceil(local / (accum + 1) - EPS);
        if (atomic < ty->min_local - EPS || atomic > src.max_local + EPS)
            continue;
        /* the batch never exceeds the recipe's largest (Sia's artifact: job.py) */
        atomic = fmin(atomic, floor(m->spec.max_batch / ((double)gpus * (accum + 1))));
        if (!source_times(&src, atomic, &step, &sync))
            continue;
        iter = step + (step - sync) * accum;
        c[n].batch = (double)gpus * atomic * (accum + 1);
        c[n].xput = c[n].batch / iter / m->spec.slowdown;
        c[n].atomic = (int)atomic;
        c[n].accum = accum;
        n++;
    }
    return n;
}

static void best_of(const gs_goodput *m, const cand *c, int n, size_t k, gs_goodput_pt *out)
{
    int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++) {
        double sqr, var, eff, gp;
        stats_at(m, k, c[i].batch, &sqr, &var);
        eff = gs_goodput_efficiency(c[i].batch, m->spec.init_batch, sqr, var);
        gp = c[i].xput * eff;
        if (gp > out->goodput) {
            out->goodput = gp;
            out->throughput = c[i].xput;
            out->efficiency = eff;
            out->batch = c[i].batch;
            out->atomic = c[i].atomic;
            out->accum = c[i].accum;
        }
    }
}

static int check_args(const gs_goodput *m, int type, int nodes, int gpus, gs_err *err)
{
    if (type < 0 || type >= m->ntypes || nodes < 1 || gpus < nodes || m->nphases == 0)
        return gs_errorf(err, GS_EINVAL,
                         "goodput model: no configuration %d GPUs over %d nodes of type %d", gpus,
                         nodes, type);
    return GS_OK;
}

int gs_goodput_curve(const gs_goodput *m, int type, int nodes, int gpus, double max_batch,
                     gs_goodput_pt *out, gs_err *err)
{
    cand c[NCAND];
    int n;
    size_t k;

    if (check_args(m, type, nodes, gpus, err) != GS_OK)
        return GS_EINVAL;
    n = candidates(m, type, nodes, gpus, max_batch, c);
    for (k = 0; k < m->nphases; k++)
        best_of(m, c, n, k, &out[k]);
    return GS_OK;
}

int gs_goodput_eval(const gs_goodput *m, int type, int nodes, int gpus, size_t phase,
                    double max_batch, gs_goodput_pt *out, gs_err *err)
{
    cand c[NCAND];
    int n;

    if (check_args(m, type, nodes, gpus, err) != GS_OK)
        return GS_EINVAL;
    n = candidates(m, type, nodes, gpus, max_batch, c);
    best_of(m, c, n, phase < m->nphases ? phase : m->nphases - 1, out);
    return GS_OK;
}
