/* SPDX-License-Identifier: Apache-2.0 */
/* Workload classes of a simulation's jobs: each job's first matching rule of the class mapping
 * (or the DB's class mix), among the classes that can use its original configuration (viable
 * there, and within their data-parallel limit when some class of the rule is); one seeded draw
 * per job, so the classes do not depend on the policy. The job's work is what it did in its
 * recorded duration after the start-up of that configuration. A job whose trace names its class
 * (Sia's workloads) takes that class. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim/classmap.h"
#include "gpusim/goodput.h"
#include "sim_int.h"

/* Lazily filled tables: per GPU count, each class's throughput on the original configuration (0
 * when not viable; negative when viable but past its data-parallel limit there: no more
 * throughput than on one GPU fewer); per (rule, GPU count), the rule's weights. Counts above cap
 * share one slot each time (recomputed). */
typedef struct tabs {
    int nc, nr, cap;
    double **thr; /* [cap + 1] */
    double **w;   /* [(nr + 1) x (cap + 1)]; rule nr = the DB's class mix */
    double *tmp_thr, *tmp_w;
} tabs;

static void tabs_free(tabs *t)
{
    int i;

    if (t->thr)
        for (i = 0; i <= t->cap; i++)
            free(t->thr[i]);
    if (t->w)
        for (i = 0; i < (t->nr + 1) * (t->cap + 1); i++)
            free(t->w[i]);
    free(t->thr);
    free(t->w);
    free(t->tmp_thr);
    free(t->tmp_w);
}

static const double *thr_of(tabs *t, const gs_scaledb *db, int g)
{
    int ref = gs_scaledb_reference_type(db), c;
    double *v;

    if (g <= t->cap && t->thr[g])
        return t->thr[g];
    v = g <= t->cap ? malloc((size_t)t->nc * sizeof(*v)) : t->tmp_thr;
    if (!v)
        return NULL;
    for (c = 0; c < t->nc; c++) {
        int viable, v1;
        double below = 0;
        gs_scaledb_lookup(db, c, ref, g, 0, &v[c], &viable);
        if (g > 1)
            gs_scaledb_lookup(db, c, ref, g - 1, 0, &below, &v1);
        if (!viable || !(v[c] > 0))
            v[c] = 0;
        else if (g > 1 && !(v[c] > below))
            v[c] = -v[c];
    }
    if (g <= t->cap)
        t->thr[g] = v;
    return v;
}

/* Weights of rule r (nr: the DB's mix) at g: zero where the class is not viable there, and
 * where it is past its data-parallel limit when a class of the rule is not. *sum receives their
 * sum. NULL on ENOMEM or a mapping error (err filled). */
static const double *w_of(tabs *t, const gs_classmap *m, const gs_scaledb *db, int r, int g,
                          const double *thr, double *sum, gs_err *err)
{
    size_t slot = (size_t)r * (size_t)(t->cap + 1) + (size_t)g;
    double *v;
    int c;

    if (g <= t->cap && t->w[slot]) {
        v = t->w[slot];
    } else {
        v = g <= t->cap ? malloc((size_t)t->nc * sizeof(*v)) : t->tmp_w;
        if (!v) {
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        if (r == t->nr) {
            gs_scaledb_mix(db, g, v);
        } else if (gs_classmap_weights(m, (size_t)r, db, g, v, err) != GS_OK) {
            if (g <= t->cap)
                free(v);
            return NULL;
        }
        {
            double useful = 0;
            for (c = 0; c < t->nc; c++) {
                if (thr[c] == 0)
                    v[c] = 0;
                else if (thr[c] > 0)
                    useful += v[c];
            }
            for (c = 0; c < t->nc && useful > 0; c++)
                if (thr[c] < 0)
                    v[c] = 0;
        }
        if (r == t->nr) {
            /* the mix gives no weight to a viable class: uniform over the viable ones (as
             * before class mappings) */
            double s = 0;
            for (c = 0; c < t->nc; c++)
                s += v[c];
            if (!(s > 0))
                for (c = 0; c < t->nc; c++)
                    v[c] = thr[c] != 0 ? 1 : 0;
        }
        if (g <= t->cap)
            t->w[slot] = v;
    }
    *sum = 0;
    for (c = 0; c < t->nc; c++)
        *sum += v[c];
    return v;
}

/* A job whose trace names its class (Sia's workloads) takes that class, without the mapping and
 * without a draw. Its work: the whole training of an adaptive-batch class (samples to
 * convergence, from the class's goodput model), else what it did in its recorded duration after
 * the start-up of its original configuration. */
static int named_class(gs_sim *sim, gs__job *jb, gs_err *err)
{
    const gs_scaledb *db = sim->truth;
    const gs_goodput *m;
    int ref = gs_scaledb_reference_type(db), gpn = gs_scaledb_type_gpus_per_node(db, ref);
    int g = jb->tj->gpu_num, viable;
    double thr, su;

    jb->cls = gs_scaledb_class_find(db, jb->tj->cls);
    if (jb->cls < 0)
        return gs_errorf(err, GS_EINVAL,
                         "trace '%s' line %ld: field 'application': scaling DB '%s' has no "
                         "workload class '%s' (Sia's workloads need Sia's DB: --db sia:DIR)",
                         sim->trace->path, jb->tj->line, gs_scaledb_name(db), jb->tj->cls);
    jb->fixed_gpus = gs_scaledb_class_elastic(db, jb->cls) ? 0 : g;
    if ((m = gs_scaledb_class_goodput(db, jb->cls))) {
        jb->work = gs_goodput_phase_end(m, gs_goodput_nphases(m) - 1);
        return GS_OK;
    }
    gs_scaledb_lookup(db, jb->cls, ref, g, 0, &thr, &viable);
    su = gs__sim_startup_time(sim, jb, (g + gpn - 1) / gpn, 0);
    jb->work = (jb->tj->duration > su ? jb->tj->duration - su : 0) * thr;
    return GS_OK;
}

int gs__sim_assign_classes(gs_sim *sim, gs_err *err)
{
    const gs_scaledb *db = sim->truth;
    const gs_classmap *m = sim->opts.classes;
    const char *format = sim->trace->format ? sim->trace->format : "acme";
    int gpn_ref = gs_scaledb_type_gpus_per_node(db, gs_scaledb_reference_type(db));
    gs__rng *rng = gs__rng_new(sim->opts.seed);
    tabs t;
    size_t i;
    int rc = GS_OK;

    memset(&t, 0, sizeof(t));
    t.nc = gs_scaledb_nclasses(db);
    t.nr = m ? (int)gs_classmap_nrules(m) : 0;
    t.cap = 0;
    for (i = 0; i < sim->njobs; i++)
        if (sim->jobs[i].tj->gpu_num > t.cap)
            t.cap = sim->jobs[i].tj->gpu_num;
    if (t.cap > 4096)
        t.cap = 4096;
    t.thr = calloc((size_t)t.cap + 1, sizeof(*t.thr));
    t.w = calloc((size_t)(t.nr + 1) * (size_t)(t.cap + 1), sizeof(*t.w));
    t.tmp_thr = malloc((size_t)t.nc * sizeof(double));
    t.tmp_w = malloc((size_t)t.nc * sizeof(double));
    free(sim->rule_jobs);
    sim->rule_jobs = calloc((size_t)t.nr + 1, sizeof(*sim->rule_jobs));
    sim->nrule_jobs = (size_t)t.nr + 1;
    if (!rng || !t.thr || !t.w || !t.tmp_thr || !t.tmp_w || !sim->rule_jobs) {
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < sim->njobs; i++) {
        gs__job *jb = &sim->jobs[i];
        const gs_trace_job *tj = jb->tj;
        int g = tj->gpu_num, r = -1, c;
        const double *thr, *w = NULL;
        double sum = 0, u, su;
        if (tj->cls && *tj->cls) {
            if ((rc = named_class(sim, jb, err)) != GS_OK)
                goto out;
            continue;
        }
        if (!(thr = thr_of(&t, db, g))) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            goto out;
        }
        /* the first matching rule with a class viable here; then the DB's mix */
        while (m && (r = gs_classmap_match(m, (size_t)(r + 1), format, tj->type, g,
                                           tj->duration)) >= 0) {
            if (!(w = w_of(&t, m, db, r, g, thr, &sum, err))) {
                if (err && err->code != GS_ENOMEM)
                    gs_err_prefix(err, "trace '%s' line %ld (job '%s', type '%s', %d GPUs): ",
                                  sim->trace->path, tj->line, tj->id, tj->type, g);
                rc = err ? err->code : GS_EINVAL;
                goto out;
            }
            if (sum > 0)
                break;
        }
        if (r < 0) {
            r = t.nr;
            if (!(w = w_of(&t, m, db, r, g, thr, &sum, err))) {
                rc = err ? err->code : GS_ENOMEM;
                goto out;
            }
        }
        u = gs__rng_uniform(rng) * sum;
        if (!(sum > 0)) {
            rc = gs_errorf(err, GS_EINFEASIBLE,
                           "scaling DB '%s': no workload class is viable on %d x %s, the "
                           "original configuration of job '%s' (trace '%s' line %ld, field "
                           "'gpu_num'); the DB needs a viable entry there, or the job fewer "
                           "GPUs",
                           gs_scaledb_path(db), g,
                           gs_scaledb_type_name(db, gs_scaledb_reference_type(db)), tj->id,
                           sim->trace->path, tj->line);
            goto out;
        }
        for (c = 0; c < t.nc - 1; c++) {
            if (u < w[c])
                break;
            u -= w[c];
        }
        while (c > 0 && w[c] == 0) /* rounding fell past the last weighted class */
            c--;
        jb->cls = c;
        su = gs__sim_startup_time(sim, jb, (g + gpn_ref - 1) / gpn_ref, 0);
        jb->work = (tj->duration > su ? tj->duration - su : 0) * fabs(thr[c]);
        jb->fixed_gpus = gs_scaledb_class_elastic(db, c) ? 0 : g;
        sim->rule_jobs[r]++;
    }
out:
    tabs_free(&t);
    gs__rng_free(rng);
    return rc;
}
