/* SPDX-License-Identifier: Apache-2.0 */
/* The Sia allocation ILP on GLPK: build, solve exactly, read back. */
#include "lp_sia_int.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

double gs__sia_ilp_objective(const gs__sia_ilp *p, const int *choice)
{
    double obj = 0;
    int i;

    for (i = 0; i < p->njobs; i++)
        obj += choice[i] >= 0 ? p->col_a[choice[i]] : p->lambda_n;
    return obj;
}

static int check(const gs__sia_ilp *p, gs_err *err)
{
    int i;
    size_t k;

    if (p->njobs < 0 || p->npools < 1 || !(p->mip_gap >= 0) || !isfinite(p->lambda_n))
        return gs_errorf(err, GS_EINVAL, "sia ilp: malformed problem");
    for (i = 0; i < p->njobs; i++)
        if (p->col_start[i + 1] < p->col_start[i])
            return gs_errorf(err, GS_EINVAL, "sia ilp: columns of job %d out of order", i);
    for (k = 0; k < p->col_start[p->njobs]; k++) {
        if (p->col_pool[k] < 0 || p->col_pool[k] >= p->npools || p->col_gpus[k] < 1 ||
            !isfinite(p->col_a[k]))
            return gs_errorf(err, GS_EINVAL, "sia ilp: malformed column %zu", k);
    }
    return GS_OK;
}

/* Whether column k of a job improves the objective on its own (else it is 0 in some optimum). */
static int improves(const gs__sia_ilp *p, size_t k)
{
    double c = p->col_a[k] - p->lambda_n;

    return p->maximise ? c > 0 : c < 0;
}

/* Whether cost a is at least as good as cost b. */
static int as_good(const gs__sia_ilp *p, double a, double b)
{
    return p->maximise ? a >= b : a <= b;
}

/* Whether column k of job i is dominated by another of its columns: same pool, no more GPUs, a
 * cost at least as good (ties: the one with fewer GPUs, then the earlier one, stays). */
static int dominated(const gs__sia_ilp *p, int i, size_t k)
{
    size_t o;

    for (o = p->col_start[i]; o < p->col_start[i + 1]; o++) {
        if (o == k || p->col_pool[o] != p->col_pool[k] || p->col_gpus[o] > p->col_gpus[k] ||
            !improves(p, o) || !as_good(p, p->col_a[o], p->col_a[k]))
            continue;
        if (p->col_gpus[o] < p->col_gpus[k] || p->col_a[o] != p->col_a[k] || o < k)
            return 1;
    }
    return 0;
}

typedef struct hjob {
    uint64_t hash;
    int job;
} hjob;

typedef struct ilp_work {
    const gs__sia_ilp *p;
    const int *held;
    size_t *kstart; /* per job: its kept columns are kept[kstart[i] .. kstart[i+1]) */
    size_t *kept;
    uint64_t *hash; /* per job */
    hjob *order;    /* jobs by (hash, index) */
} ilp_work;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t dbits(double d)
{
    uint64_t u;

    d = d == 0 ? 0 : d; /* -0 and +0 alike */
    memcpy(&u, &d, sizeof(u));
    return u;
}

static int held_pool(const ilp_work *w, int i)
{
    return w->held && w->held[i] >= 0 ? w->p->col_pool[w->held[i]] : -1;
}

static int held_gpus(const ilp_work *w, int i)
{
    return w->held && w->held[i] >= 0 ? w->p->col_gpus[w->held[i]] : 0;
}

/* Whether jobs i and j can be merged: the same kept columns and the same held configuration. */
static int same_job(const ilp_work *w, int i, int j)
{
    const gs__sia_ilp *p = w->p;
    size_t n = w->kstart[i + 1] - w->kstart[i], t;

    if (w->hash[i] != w->hash[j] || n != w->kstart[j + 1] - w->kstart[j] ||
        held_pool(w, i) != held_pool(w, j) || held_gpus(w, i) != held_gpus(w, j))
        return 0;
    for (t = 0; t < n; t++) {
        size_t a = w->kept[w->kstart[i] + t], b = w->kept[w->kstart[j] + t];
        if (p->col_pool[a] != p->col_pool[b] || p->col_gpus[a] != p->col_gpus[b] ||
            p->col_a[a] != p->col_a[b])
            return 0;
    }
    return 1;
}

static int by_hash(const void *a, const void *b)
{
    const hjob *x = a, *y = b;

    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->job > y->job) - (x->job < y->job);
}

/* v in units of 1/scale, rounded when scale > 1. */
static double scaled(double v, double scale)
{
    return scale > 1 ? floor(v * scale + 0.5) : v;
}

/* 100 when every objective coefficient (and the constant) is a whole number of hundredths, to
 * within rounding; else 1. */
static double integral_scale(const gs__sia_ilp *p, const ilp_work *w)
{
    size_t t;
    double v = p->lambda_n * p->njobs * 100;

    if (!(fabs(v - floor(v + 0.5)) <= 1e-9 * fmax(1, fabs(v))))
        return 1;
    for (t = 0; t < w->kstart[p->njobs]; t++) {
        v = (p->col_a[w->kept[t]] - p->lambda_n) * 100;
        if (!(fabs(v - floor(v + 0.5)) <= 1e-9 * fmax(1, fabs(v))))
            return 1;
    }
    return 100;
}

/* The profit of kept column kk in the scaled units: what it saves over no allocation. */
static double profit(const gs__sia_ilp *p, size_t kk, double scale)
{
    double c = scaled(p->col_a[kk] - p->lambda_n, scale);

    return p->maximise ? c : -c;
}

/* The smallest GPU count among job i's kept columns. */
static int min_gpus(const gs__sia_ilp *p, const ilp_work *w, int i)
{
    int gmin = INT_MAX;
    size_t t;

    for (t = w->kstart[i]; t < w->kstart[i + 1]; t++)
        if (p->col_gpus[w->kept[t]] < gmin)
            gmin = p->col_gpus[w->kept[t]];
    return gmin;
}

/* One pool: exact by dynamic programming over the GPUs used, f[c] the best profit of the jobs
 * so far within c GPUs, in stages: one job of a group at a time (a multiple-choice step), or,
 * for a group with at least as many jobs as its smallest configuration fits in the pool, the
 * whole group at once (an unbounded step: its jobs can never run out). O(stages x columns x
 * capacity). Ties keep the earlier choice (no allocation first). Writes the count of each kept
 * column. */
static int solve_one_pool(const gs__sia_ilp *p, const ilp_work *w, const int *gsize, int pool,
                          double scale, int *cnt, gs__sia_ilp_info *info, gs_err *err)
{
    int cap = p->cap[pool] > 0 ? p->cap[pool] : 0, i, c, maxn = 0;
    size_t nst = 0, x, t, width;
    double *f = NULL, demand = 0;
    unsigned char *dec = NULL;
    int *stage_of = NULL, *unbounded = NULL;

    /* no solution uses more GPUs than the jobs could take at most (each its largest column, as
     * many of a group as its smallest fits): below the capacity, that is the capacity */
    for (i = 0; i < p->njobs; i++) {
        int gmin, gmax = 0;
        if (!gsize[i] || (gmin = min_gpus(p, w, i)) > cap)
            continue;
        for (t = w->kstart[i]; t < w->kstart[i + 1]; t++)
            if (p->col_gpus[w->kept[t]] > gmax)
                gmax = p->col_gpus[w->kept[t]];
        demand += (double)(gsize[i] < cap / gmin ? gsize[i] : cap / gmin) * gmax;
    }
    if (demand < cap)
        cap = (int)demand;
    width = (size_t)cap + 1;
    for (i = 0; i < p->njobs; i++) {
        int gmin, n = (int)(w->kstart[i + 1] - w->kstart[i]);
        if (!gsize[i])
            continue;
        gmin = min_gpus(p, w, i);
        if (gmin <= cap)
            nst += gsize[i] >= cap / gmin ? 1 : (size_t)gsize[i];
        if (n > maxn)
            maxn = n;
        info->vars += n;
    }
    info->cons = 1;
    if (nst == 0)
        return GS_OK;
    if (maxn > 254)
        return gs_errorf(err, GS_EINVAL, "sia ilp: %d configurations for one job", maxn);
    f = calloc(width, sizeof(*f));
    dec = malloc(nst * width);
    stage_of = malloc(nst * sizeof(*stage_of));
    unbounded = malloc(nst * sizeof(*unbounded));
    if (!f || !dec || !stage_of || !unbounded) {
        free(f);
        free(dec);
        free(stage_of);
        free(unbounded);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    x = 0;
    for (i = 0; i < p->njobs; i++) {
        int gmin, m;
        if (!gsize[i] || (gmin = min_gpus(p, w, i)) > cap)
            continue;
        m = gsize[i] >= cap / gmin ? 1 : gsize[i];
        for (; m > 0; m--, x++) {
            unsigned char *d = dec + x * width;
            int unb = gsize[i] >= cap / gmin;
            stage_of[x] = i;
            unbounded[x] = unb;
            /* multiple-choice: downwards, so f[c - g] is still the value before this job;
             * unbounded: upwards, so f[c - g] may already hold more jobs of the group */
            for (int s = 0; s <= cap; s++) {
                double best;
                unsigned char bd = 0;
                c = unb ? s : cap - s;
                best = f[c];
                for (t = w->kstart[i]; t < w->kstart[i + 1]; t++) {
                    int g = p->col_gpus[w->kept[t]];
                    double v;
                    if (g > c)
                        continue;
                    v = f[c - g] + profit(p, w->kept[t], scale);
                    if (v > best) {
                        best = v;
                        bd = (unsigned char)(t - w->kstart[i] + 1);
                    }
                }
                f[c] = best;
                d[c] = bd;
            }
        }
    }
    c = cap;
    for (x = nst; x-- > 0;) {
        int d;
        do {
            d = dec[x * width + (size_t)c];
            if (d) {
                size_t kt = w->kstart[stage_of[x]] + (size_t)(d - 1);
                cnt[kt]++;
                c -= p->col_gpus[w->kept[kt]];
            }
        } while (d && unbounded[x]);
    }
    free(f);
    free(dec);
    free(stage_of);
    free(unbounded);
    return GS_OK;
}

/* Several pools: GLPK's branch and bound on the merged model. */
static int solve_glpk(const gs__sia_ilp *p, const ilp_work *w, const int *gsize, double scale,
                      int *cnt, gs__sia_ilp_info *info, gs_err *err)
{
    size_t nkept = w->kstart[p->njobs], t, nz = 0;
    int i, ret, rc = GS_OK, pool;
    int *ia = malloc((2 * nkept + 1) * sizeof(*ia)), *ja = malloc((2 * nkept + 1) * sizeof(*ja));
    int *poolrow = calloc((size_t)p->npools, sizeof(*poolrow));
    int *col = malloc((nkept + 1) * sizeof(*col));
    double *ar = malloc((2 * nkept + 1) * sizeof(*ar));
    glp_prob *lp = NULL;
    glp_iocp parm;

    if (!ia || !ja || !poolrow || !col || !ar) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    lp = glp_create_prob();
    glp_set_obj_dir(lp, p->maximise ? GLP_MAX : GLP_MIN);
    /* the constant too: the relative MIP gap is measured on the whole objective */
    glp_set_obj_coef(lp, 0, scaled(p->lambda_n * p->njobs, scale));
    for (i = 0; i < p->njobs; i++) {
        int m = gsize[i], jobrow = 0;
        size_t n = w->kstart[i + 1] - w->kstart[i];
        if (!m)
            continue;
        if (n > 1) { /* at most m of its configurations (one per job) */
            jobrow = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, jobrow, GLP_UP, 0, m);
            info->cons++;
        }
        for (t = w->kstart[i]; t < w->kstart[i + 1]; t++) {
            size_t kk = w->kept[t];
            int c = col[t] = glp_add_cols(lp, 1);
            if (m == 1) {
                glp_set_col_kind(lp, c, GLP_BV);
            } else {
                glp_set_col_kind(lp, c, GLP_IV);
                glp_set_col_bnds(lp, c, GLP_DB, 0, m);
            }
            glp_set_obj_coef(lp, c, scaled(p->col_a[kk] - p->lambda_n, scale));
            info->vars++;
            if (jobrow) {
                nz++;
                ia[nz] = jobrow, ja[nz] = c, ar[nz] = 1;
            }
            pool = p->col_pool[kk];
            if (!poolrow[pool]) {
                poolrow[pool] = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, poolrow[pool], GLP_UP, 0, p->cap[pool] > 0 ? p->cap[pool] : 0);
                info->cons++;
            }
            nz++;
            ia[nz] = poolrow[pool], ja[nz] = c, ar[nz] = p->col_gpus[kk];
        }
    }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    glp_init_iocp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;    /* no separate LP solve needed */
    parm.br_tech = GLP_BR_DTH; /* fixed (default) branching and backtracking: GLPK is */
    parm.bt_tech = GLP_BT_BLB; /* deterministic for a given problem and options */
    parm.mip_gap = p->mip_gap; /* Sia: allowablePercentageGap 0.01 % (Sia's artifact: sia.py
                                  optimize_mip) */
    parm.tm_lim = INT_MAX;     /* exact: no time limit, which would depend on the machine */
    ret = glp_intopt(lp, &parm);
    if ((ret != 0 && ret != GLP_EMIPGAP) ||
        (glp_mip_status(lp) != GLP_OPT && glp_mip_status(lp) != GLP_FEAS)) {
        rc = gs_errorf(err, GS_EINFEASIBLE,
                       "sia ilp: GLPK failed (glp_intopt returned %d, status %d) on %d "
                       "variables and %d constraints",
                       ret, glp_mip_status(lp), info->vars, info->cons);
        goto out;
    }
    for (i = 0; i < p->njobs; i++)
        if (gsize[i])
            for (t = w->kstart[i]; t < w->kstart[i + 1]; t++)
                cnt[t] = (int)floor(glp_mip_col_val(lp, col[t]) + 0.5);
out:
    if (lp)
        glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(poolrow);
    free(col);
    free(ar);
    return rc;
}

int gs__sia_ilp_solve(const gs__sia_ilp *p, int *choice, gs__sia_ilp_info *info, gs_err *err)
{
    return gs__sia_ilp_solve_held(p, NULL, choice, info, err);
}

int gs__sia_ilp_solve_held(const gs__sia_ilp *p, const int *held, int *choice,
                           gs__sia_ilp_info *info, gs_err *err)
{
    size_t ncols_all, k, nkept = 0, t;
    double scale;
    int i, rc, ngroups = 0, pool1 = -1;
    int *gfirst = NULL, *gsize = NULL, *next = NULL, *cnt = NULL;
    unsigned char *pool_seen = NULL;
    gs__sia_ilp_info dummy;
    ilp_work w;

    if (!info)
        info = &dummy;
    memset(info, 0, sizeof(*info));
    memset(&w, 0, sizeof(w));
    w.p = p;
    w.held = held;
    if ((rc = check(p, err)) != GS_OK)
        return rc;
    for (i = 0; i < p->njobs; i++)
        choice[i] = -1;
    ncols_all = p->col_start[p->njobs];
    if (!(pool_seen = calloc((size_t)p->npools, 1)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    /* the plain model's size, for the record: a row per job with two columns or more, one per
     * pool some column uses */
    for (i = 0; i < p->njobs; i++) {
        int used = 0;
        for (k = p->col_start[i]; k < p->col_start[i + 1]; k++) {
            if (!improves(p, k))
                continue;
            used++;
            if (!pool_seen[p->col_pool[k]]) {
                pool_seen[p->col_pool[k]] = 1;
                info->rows++;
            }
        }
        info->cols += used;
        info->rows += used > 1;
    }
    w.kstart = malloc(((size_t)p->njobs + 1) * sizeof(*w.kstart));
    w.kept = malloc((ncols_all + 1) * sizeof(*w.kept));
    w.hash = malloc(((size_t)p->njobs + 1) * sizeof(*w.hash));
    w.order = malloc(((size_t)p->njobs + 1) * sizeof(*w.order));
    gfirst = malloc(((size_t)p->njobs + 1) * sizeof(*gfirst));
    gsize = malloc(((size_t)p->njobs + 1) * sizeof(*gsize));
    next = malloc(((size_t)p->njobs + 1) * sizeof(*next));
    cnt = malloc((ncols_all + 1) * sizeof(*cnt));
    if (!w.kstart || !w.kept || !w.hash || !w.order || !gfirst || !gsize || !next || !cnt) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    /* the columns that matter, per job */
    for (i = 0; i < p->njobs; i++) {
        uint64_t h = 0x6a09e667f3bcc908ull;
        w.kstart[i] = nkept;
        for (k = p->col_start[i]; k < p->col_start[i + 1]; k++) {
            if (!improves(p, k) || dominated(p, i, k))
                continue;
            w.kept[nkept++] = k;
            h = mix(mix(mix(h, (uint64_t)p->col_pool[k]), (uint64_t)p->col_gpus[k]),
                    dbits(p->col_a[k]));
        }
        w.hash[i] = mix(mix(h, (uint64_t)(held_pool(&w, i) + 1)), (uint64_t)held_gpus(&w, i));
        w.order[i].hash = w.hash[i];
        w.order[i].job = i;
    }
    w.kstart[p->njobs] = nkept;
    /* merge identical jobs: groups listed by their first job, members in job order */
    qsort(w.order, (size_t)p->njobs, sizeof(*w.order), by_hash);
    for (i = 0; i < p->njobs; i++)
        gfirst[i] = -1, next[i] = -1;
    {
        int a = 0;
        while (a < p->njobs) {
            int b = a + 1;
            /* within a run of equal hashes, jobs are in index order; split it into classes */
            while (b < p->njobs && w.order[b].hash == w.order[a].hash)
                b++;
            for (int x = a; x < b; x++) {
                int j = w.order[x].job, y, tail;
                if (gfirst[j] >= 0)
                    continue; /* already placed in a group */
                gfirst[j] = j;
                tail = j;
                for (y = x + 1; y < b; y++) {
                    int o = w.order[y].job;
                    if (gfirst[o] < 0 && same_job(&w, j, o)) {
                        gfirst[o] = j;
                        next[tail] = o;
                        tail = o;
                    }
                }
            }
            a = b;
        }
    }
    for (i = 0; i < p->njobs; i++) {
        int j, m = 0;
        gsize[i] = 0;
        if (gfirst[i] != i || w.kstart[i + 1] == w.kstart[i])
            continue;
        for (j = i; j >= 0; j = next[j])
            m++;
        gsize[i] = m;
        ngroups++;
        for (t = w.kstart[i]; t < w.kstart[i + 1]; t++)
            if (pool1 == -1 || pool1 == p->col_pool[w.kept[t]])
                pool1 = p->col_pool[w.kept[t]];
            else
                pool1 = -2; /* more than one */
    }
    info->groups = ngroups;
    if (ngroups == 0)
        goto done;
    /* Sia's costs have two decimals (Sia's artifact: sia.py optimize_mip), and so has lambda_n: in
     * hundredths the objective is integral (solved in whole numbers, so exactly). */
    scale = integral_scale(p, &w);
    for (t = 0; t < nkept; t++)
        cnt[t] = 0;
    if (pool1 >= 0)
        rc = solve_one_pool(p, &w, gsize, pool1, scale, cnt, info, err);
    else
        rc = solve_glpk(p, &w, gsize, 1, cnt, info, err);
    if (rc != GS_OK)
        goto out;
    /* hand each group's counts to its jobs in job order: first what they hold, then the
     * columns in order */
    for (i = 0; i < p->njobs; i++) {
        size_t n = w.kstart[i + 1] - w.kstart[i];
        int j, hold = -1, *c = cnt + w.kstart[i];
        if (!gsize[i])
            continue;
        for (t = 0; t < n; t++) {
            size_t kk = w.kept[w.kstart[i] + t];
            if (held_pool(&w, i) == p->col_pool[kk] && held_gpus(&w, i) == p->col_gpus[kk])
                hold = (int)t;
        }
        for (j = i; j >= 0; j = next[j]) {
            int pick = -1;
            if (hold >= 0 && c[hold] > 0) {
                pick = hold;
            } else {
                for (t = 0; t < n && pick < 0; t++)
                    if (c[t] > 0)
                        pick = (int)t;
            }
            if (pick < 0)
                break;
            c[pick]--;
            /* job j's own column at the same position */
            choice[j] = (int)w.kept[w.kstart[j] + (size_t)pick];
        }
    }
done:
    info->objective = gs__sia_ilp_objective(p, choice);
    rc = GS_OK;
out:
    free(pool_seen);
    free(w.kstart);
    free(w.kept);
    free(w.hash);
    free(w.order);
    free(gfirst);
    free(gsize);
    free(next);
    free(cnt);
    return rc;
}
