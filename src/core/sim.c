/* SPDX-License-Identifier: Apache-2.0 */
/* The scheduling simulation: arrivals, allocations, restarts, failures and plans on the engine. */
#include "gpusim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpusim/engine.h"
#include "gpusim/limits.h"
#include "invariants_int.h"
#include "observe_int.h"
#include "place_int.h"
#include "rng_int.h"
#include "sim_int.h"
#include "util_int.h"

void gs_sim_opts_init(gs_sim_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->policy = "fifo";
    o->seed = 1;
    o->restart_delay = -1;
    o->fail_delay = -1;
    o->checkpoint_interval = -1;
    o->graceful = -1;
    o->round_length = 60;
    o->until = INFINITY;
    o->max_failures = 8;
    o->log_level = GS_LOG_WARN;
}

void gs_sim_log(const gs_sim *sim, int level, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!sim->opts.log || level > sim->opts.log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sim->opts.log(sim->opts.log_ctx, level, sim->eng ? gs_engine_now(sim->eng) : 0, msg);
}

/* ---- the policy view ---- */

gs_time gs_sim_now(const gs_sim *sim)
{
    return gs_engine_now(sim->eng);
}

const gs_cluster *gs_sim_cluster(const gs_sim *sim)
{
    return sim->cl;
}

const gs_scaledb *gs_sim_knowledge(const gs_sim *sim)
{
    return sim->know;
}

const gs_sim_opts *gs_sim_options(const gs_sim *sim)
{
    return &sim->opts;
}

size_t gs_sim_njobs(const gs_sim *sim)
{
    return sim->njobs;
}

const gs__job *gs__sim_job(const gs_sim *sim, uint32_t j)
{
    return j < sim->njobs ? &sim->jobs[j] : NULL;
}

const gs_job *gs_sim_job(const gs_sim *sim, uint32_t j)
{
    return j < sim->njobs ? &sim->jobs[j].pub : NULL;
}

size_t gs_sim_queue_len(const gs_sim *sim)
{
    return sim->queue.count;
}

uint32_t gs_sim_queue_first(const gs_sim *sim)
{
    return gs__idset_next(&sim->queue, 0);
}

uint32_t gs_sim_queue_next(const gs_sim *sim, uint32_t j)
{
    return j >= GS_JOB_NONE - 1 ? GS_JOB_NONE : gs__idset_next(&sim->queue, j + 1);
}

size_t gs_sim_running_len(const gs_sim *sim)
{
    return sim->running.count;
}

uint32_t gs_sim_running_first(const gs_sim *sim)
{
    return gs__idset_next(&sim->running, 0);
}

uint32_t gs_sim_running_next(const gs_sim *sim, uint32_t j)
{
    return j >= GS_JOB_NONE - 1 ? GS_JOB_NONE : gs__idset_next(&sim->running, j + 1);
}

int gs_sim_pool_free(const gs_sim *sim, int pool)
{
    return pool >= 0 && (size_t)pool < gs_cluster_npools(sim->cl) ? sim->pool_free[pool] : 0;
}

const int *gs_sim_node_free(const gs_sim *sim, size_t *n)
{
    *n = (size_t)gs_cluster_total_nodes(sim->cl);
    return sim->node_free;
}

static double progress_at(const gs__job *jb, gs_time t)
{
    gs_time from;
    double d;

    if (jb->state != GS_JOB_RUNNING || jb->doomed)
        return jb->done;
    from = jb->t_upd > jb->run_from ? jb->t_upd : jb->run_from;
    d = jb->done + (t > from ? jb->rate * (t - from) : 0);
    return d < jb->work ? d : jb->work;
}

double gs_sim_job_done(const gs_sim *sim, uint32_t j)
{
    return j < sim->njobs ? progress_at(&sim->jobs[j], gs_sim_now(sim)) : 0;
}

double gs_sim_job_rate(const gs_sim *sim, uint32_t j)
{
    const gs__job *jb = gs__sim_job(sim, j);

    if (!jb || jb->state != GS_JOB_RUNNING || jb->doomed || gs_sim_now(sim) < jb->run_from)
        return 0;
    return jb->rate;
}

int gs_sim_job_restarting(const gs_sim *sim, uint32_t j)
{
    const gs__job *jb = gs__sim_job(sim, j);

    return jb && jb->state == GS_JOB_RUNNING && gs_sim_now(sim) < jb->run_from;
}

double gs_sim_job_progress(const gs_sim *sim, uint32_t j)
{
    const gs__job *jb = gs__sim_job(sim, j);

    if (!jb)
        return 0;
    return jb->work > 0 ? progress_at(jb, gs_sim_now(sim)) / jb->work : 1;
}

gs_time gs_sim_job_ready_at(const gs_sim *sim, uint32_t j)
{
    const gs__job *jb = gs__sim_job(sim, j);

    return jb && jb->first_start >= 0 ? jb->run_from : -1;
}

double gs_sim_param(const gs_sim *sim, const char *key, double def)
{
    size_t i, n = strlen(key);

    for (i = 0; i < sim->opts.nparams; i++) {
        const char *p = sim->opts.params[i];
        double v;
        if (!strncmp(p, key, n) && p[n] == '=' &&
            gs__parse_double(p + n + 1, strlen(p + n + 1), &v) == 0)
            return v;
    }
    return def;
}

int gs_sim_param_get(const gs_sim *sim, const char *key, double def, double *value, gs_err *err)
{
    size_t i, n = strlen(key);

    *value = def;
    for (i = 0; i < sim->opts.nparams; i++) {
        const char *p = sim->opts.params[i];
        if (strncmp(p, key, n) || p[n] != '=')
            continue;
        if (gs__parse_double(p + n + 1, strlen(p + n + 1), value) != 0)
            return gs_errorf(err, GS_EINVAL, "--param %s: '%s' is not a number", key, p + n + 1);
        return GS_OK;
    }
    return GS_OK;
}

double gs_sim_uniform(gs_sim *sim)
{
    return gs__rng_uniform(sim->rng_policy);
}

int gs_sim_stat_set(gs_sim *sim, const char *key, double value)
{
    size_t i;

    for (i = 0; i < sim->nstats; i++) {
        if (!strcmp(sim->stat_keys[i], key)) {
            sim->stat_vals[i] = value;
            return GS_OK;
        }
    }
    if (sim->nstats == sim->capstats) { /* keys and values share one capacity */
        size_t cap = gs__grow_cap(sim->capstats, sim->nstats + 1);
        if (GS_RESIZE(sim->stat_keys, cap) != GS_OK || GS_RESIZE(sim->stat_vals, cap) != GS_OK)
            return GS_ENOMEM;
        sim->capstats = cap;
    }
    if (!(sim->stat_keys[sim->nstats] = gs__strdup(key)))
        return GS_ENOMEM;
    sim->stat_vals[sim->nstats++] = value;
    return GS_OK;
}

int gs_sim_time_add(gs_sim *sim, const char *key, double seconds)
{
    struct gs__timeset *ts = NULL;
    size_t i;

    if (!sim->opts.timing)
        return GS_OK;
    for (i = 0; i < sim->ntsets && !ts; i++)
        if (!strcmp(sim->tsets[i].key, key))
            ts = &sim->tsets[i];
    if (!ts) {
        if (GS_GROW(sim->tsets, sim->captsets, sim->ntsets + 1) != GS_OK)
            return GS_ENOMEM;
        ts = &sim->tsets[sim->ntsets];
        memset(ts, 0, sizeof(*ts));
        if (!(ts->key = gs__strdup(key)))
            return GS_ENOMEM;
        sim->ntsets++;
    }
    if (GS_GROW(ts->v, ts->cap, ts->n + 1) != GS_OK)
        return GS_ENOMEM;
    ts->v[ts->n++] = seconds;
    return GS_OK;
}

double gs_sim_pool_busy(const gs_sim *sim, int pool)
{
    return sim->pool_busy[pool];
}

/* ---- the lifecycle: start-ups, checkpoints ---- */

static int nodes_for(const gs_sim *sim, int pool, int gpus)
{
    int gpn = gs_cluster_pool(sim->cl, (size_t)pool)->gpus_per_node;

    return (gpus + gpn - 1) / gpn;
}

/* Modelled start-up of job jb on nodes nodes: scheduling and container, the framework's
 * initialisation (growing with every doubling of the nodes), reading the pretrained weights
 * (every node) and, when it resumes from a checkpoint, each node's share of the optimizer
 * state; a class's fixed start-up replaces it. */
double gs__sim_startup_time(const gs_sim *sim, const gs__job *jb, int nodes, int restore)
{
    const gs_lifecycle *lc = &sim->life;
    const gs_scaledb_lifecycle *cl = gs_scaledb_class_lifecycle(sim->truth, jb->cls);
    double gb;

    if (!restore && cl->startup_s >= 0)
        return cl->startup_s;
    gb = restore ? cl->load_gb + (cl->restore_gb - cl->load_gb) / nodes : cl->load_gb;
    return lc->schedule_s + lc->init_s + lc->init_per_doubling_s * log2((double)nodes) +
           gb / lc->read_GBps;
}

/* A checkpoint save from nodes nodes: each writes its share. */
static double save_time(const gs_sim *sim, const gs__job *jb, int nodes)
{
    const gs_scaledb_lifecycle *cl = gs_scaledb_class_lifecycle(sim->truth, jb->cls);

    return cl->checkpoint_gb / nodes / sim->life.write_GBps;
}

/* What a start of jb on (pool, gpus) costs before useful work, given save_due still to pay. */
static double start_cost(const gs_sim *sim, const gs__job *jb, int pool, int gpus, double save_due)
{
    const gs_scaledb_lifecycle *cl = gs_scaledb_class_lifecycle(sim->truth, jb->cls);
    int restore = jb->ckpt_done > 0;

    if (jb->has_run && sim->opts.restart_delay >= 0)
        return sim->opts.restart_delay;
    if (jb->has_run && cl->restart_s >= 0)
        return cl->restart_s;
    return save_due + gs__sim_startup_time(sim, jb, nodes_for(sim, pool, gpus), restore);
}

double gs_sim_start_cost(const gs_sim *sim, uint32_t j, int pool, int gpus)
{
    const gs__job *jb = gs__sim_job(sim, j);

    if (!jb || pool < 0 || (size_t)pool >= gs_cluster_npools(sim->cl) || gpus < 1)
        return 0;
    return start_cost(sim, jb, pool, gpus, jb->save_due);
}

double gs_sim_restart_cost(const gs_sim *sim, uint32_t j, int pool, int gpus)
{
    const gs__job *jb = gs__sim_job(sim, j);
    gs__job moved;
    double done;

    if (!jb || pool < 0 || (size_t)pool >= gs_cluster_npools(sim->cl) || gpus < 1)
        return 0;
    /* as if it had run and were stopped now: a graceful move saves the progress since its
     * checkpoint */
    moved = *jb;
    moved.has_run = 1;
    done = jb->state == GS_JOB_RUNNING ? gs_sim_job_done(sim, j) : jb->done;
    if (jb->state == GS_JOB_RUNNING && done > jb->ckpt_done) {
        moved.ckpt_done = done;
        return start_cost(sim, &moved, pool, gpus,
                          sim->life.graceful ? save_time(sim, jb, jb->alloc.nodes) : 0);
    }
    return start_cost(sim, &moved, pool, gpus, jb->save_due);
}

/* Work of jb in its latest checkpoint at time now while it runs: the periodic ones fall every
 * checkpoint interval of running time after its start-up. */
static double checkpointed(const gs_sim *sim, const gs__job *jb, gs_time now)
{
    double k;

    if (jb->doomed || now <= jb->run_from)
        return jb->ckpt_done;
    k = floor((now - jb->run_from) / sim->life.checkpoint_interval_s);
    if (k < 1)
        return jb->ckpt_done;
    /* before its last change of rate (an adaptive job's new phase), which kept the checkpoint of
     * that moment in ckpt_done */
    if (jb->run_from + k * sim->life.checkpoint_interval_s < jb->t_upd)
        return jb->ckpt_done;
    return progress_at(jb, jb->run_from + k * sim->life.checkpoint_interval_s);
}

/* ---- allocations ---- */

static int seg_add(gs_sim *sim, uint32_t j, int outcome)
{
    const gs__job *jb = &sim->jobs[j];
    gs__seg *s;

    if (GS_GROW(sim->segs, sim->segcap, sim->nsegs + 1) != GS_OK)
        return GS_ENOMEM;
    s = &sim->segs[sim->nsegs++];
    s->job = j;
    s->pool = jb->alloc.pool;
    s->gpus = jb->alloc.gpus;
    s->nodes = jb->alloc.nodes;
    s->start = jb->start;
    s->end = gs_sim_now(sim);
    s->outcome = outcome;
    return GS_OK;
}

static void request_schedule(gs_sim *sim, gs_err *err)
{
    if (sim->pol->flags & GS_POLICY_ROUNDS || sim->sched_pending)
        return;
    if (gs_engine_post(sim->eng, gs_sim_now(sim), GS_EV_SCHEDULE, NULL, NULL, NULL, err) == GS_OK)
        sim->sched_pending = 1;
}

/* Posts the running job's next event from time from on: the end of its phase when it is of an
 * adaptive-batch class and more phases follow (its rate changes there), else its finish. */
static int post_progress(gs_sim *sim, uint32_t j, gs_time from, gs_err *err)
{
    gs__job *jb = &sim->jobs[j];
    const gs_goodput *m = sim->curve ? gs_scaledb_class_goodput(sim->truth, jb->cls) : NULL;

    if (m && (size_t)jb->phase + 1 < gs_goodput_nphases(m)) {
        double end = gs_goodput_phase_end(m, (size_t)jb->phase);
        if (end < jb->work)
            return gs_engine_post(sim->eng, from + (end - jb->done) / jb->rate, GS_EV_PHASE,
                                  GS_EV_FROM_U(j), NULL, &jb->ev, err);
    }
    return gs_engine_post(sim->eng, from + (jb->work - jb->done) / jb->rate, GS_EV_FINISH,
                          GS_EV_FROM_U(j), NULL, &jb->ev, err);
}

/* Takes the job's GPUs (the plan was validated, so the placement succeeds) and starts it. */
static int alloc_start(gs_sim *sim, uint32_t j, int pool, int gpus, gs_err *err)
{
    gs__job *jb = &sim->jobs[j];
    const gs_pool *pl = gs_cluster_pool(sim->cl, (size_t)pool);
    gs_time now = gs_sim_now(sim);
    double thr, cost;
    int viable, npairs, i;

    if (gs__place_take(sim->node_free + pl->node_base, pl->nodes, pl->gpus_per_node, gpus,
                       sim->pairs, &npairs) != 0)
        return gs_errorf(err, GS_EINVAL, "internal error: validated placement failed");
    jb->place = malloc(2 * (size_t)npairs * sizeof(int));
    if (!jb->place)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < npairs; i++) {
        jb->place[2 * i] = pl->node_base + sim->pairs[2 * i];
        jb->place[2 * i + 1] = sim->pairs[2 * i + 1];
    }
    sim->pool_free[pool] -= gpus;
    jb->alloc.pool = pool;
    jb->alloc.gpus = gpus;
    jb->alloc.nodes = npairs;
    jb->state = GS_JOB_RUNNING;
    jb->start = now;
    jb->t_upd = now;
    gs__idset_del(&sim->queue, j);
    gs__idset_add(&sim->running, j);
    if (jb->first_start < 0)
        jb->first_start = now;
    gs__obs_start(sim, j);
    gs_scaledb_lookup(sim->truth, jb->cls, pl->type, gpus, npairs, &thr, &viable);
    if (sim->curve && gs_scaledb_class_goodput(sim->truth, jb->cls)) {
        const gs_goodput *m = gs_scaledb_class_goodput(sim->truth, jb->cls);
        gs_goodput_pt *c = malloc(gs_goodput_nphases(m) * sizeof(*c));
        if (!c)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        free(sim->curve[j]);
        sim->curve[j] = c;
        if (gs_goodput_curve(m, pl->type, npairs, gpus, 0, c, err) != GS_OK)
            return err && err->code ? err->code : GS_EINVAL;
        /* its goodput in the phase it is in, at the batch best there (0: none runs) */
        jb->phase = (int)gs_goodput_phase_at(m, jb->done);
        thr = c[jb->phase].goodput;
        jb->batch = c[jb->phase].batch;
    }
    /* every start pays its start-up (and a graceful move's checkpoint save) before useful
     * work; a non-viable one runs out of memory once loading ends */
    cost = start_cost(sim, jb, pool, gpus, jb->save_due);
    jb->save_due = 0;
    if (!viable || !(thr > 0)) {
        /* to policies it looks like any start (gs_sim_job_ready_at) until it fails */
        jb->run_from = now + cost;
        if (sim->opts.fail_delay >= 0)
            cost = sim->opts.fail_delay;
        jb->doomed = 1;
        jb->rate = 0;
        jb->startup_total += cost;
        return gs_engine_post(sim->eng, now + cost, GS_EV_FAIL, GS_EV_FROM_U(j), NULL, &jb->ev,
                              err);
    }
    jb->doomed = 0;
    jb->rate = thr;
    if (jb->has_run) {
        jb->restarts++;
        sim->nrestarts++;
    }
    jb->run_from = now + cost;
    jb->startup_total += cost;
    if (jb->first_startup < 0)
        jb->first_startup = cost;
    jb->ckpt_done = jb->done; /* what it resumes from */
    jb->has_run = 1;
    if (!(jb->run_from + (jb->work - jb->done) / thr <= GS_TIME_MAX))
        return gs_errorf(err, GS_EINVAL,
                         "scaling DB '%s': class '%s' on %d x %s runs at %g, so job '%s' (trace "
                         "'%s' line %ld) would end at t=%.6g s, beyond ten years of simulated "
                         "time",
                         gs_scaledb_path(sim->truth), gs_scaledb_class_name(sim->truth, jb->cls),
                         gpus, pl->name, thr, jb->tj->id, sim->trace->path, jb->tj->line,
                         jb->run_from + (jb->work - jb->done) / thr);
    return post_progress(sim, j, jb->run_from, err);
}

/* Gives the job's GPUs back, bringing its progress up to now. */
static int alloc_stop(gs_sim *sim, uint32_t j, int outcome, gs_err *err)
{
    gs__job *jb = &sim->jobs[j];
    gs_time now = gs_sim_now(sim);
    double kept = checkpointed(sim, jb, now); /* before progress is brought up to now */
    int i;

    gs__obs_stop(sim, j);
    jb->done = progress_at(jb, now);
    jb->t_upd = now;
    if ((outcome == SEG_RESIZED || outcome == SEG_PREEMPTED) && !jb->doomed &&
        jb->done > jb->ckpt_done) {
        if (sim->life.graceful) {
            /* it checkpoints before it lets go; the save is paid with the next start-up (the
             * GPUs are free at once, so that plans stay valid) */
            jb->save_due = save_time(sim, jb, jb->alloc.nodes);
            jb->ckpt_done = jb->done;
            jb->ckpt_saves++;
        } else {
            double lost = jb->done - kept;
            jb->lost += lost;
            double gs = jb->alloc.gpus * (jb->rate > 0 ? lost / jb->rate : 0);
            sim->lost_gpu_s += gs;
            sim->wasted_gpu_s += gs;
            jb->done = kept;
            jb->ckpt_done = kept;
        }
    }
    if (outcome == SEG_RESIZED || outcome == SEG_PREEMPTED || outcome == SEG_UNFINISHED)
        gs_engine_cancel(sim->eng, jb->ev);
    jb->ev = 0;
    for (i = 0; i < jb->alloc.nodes; i++)
        sim->node_free[jb->place[2 * i]] += jb->place[2 * i + 1];
    free(jb->place);
    jb->place = NULL;
    sim->pool_free[jb->alloc.pool] += jb->alloc.gpus;
    sim->pool_busy[jb->alloc.pool] += jb->alloc.gpus * (now - jb->start);
    {
        double su = (jb->doomed || now < jb->run_from ? now : jb->run_from) - jb->start;
        sim->startup_gpu_s += jb->alloc.gpus * su;
        sim->wasted_gpu_s += jb->alloc.gpus * su;
    }
    if (seg_add(sim, j, outcome) != GS_OK)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    jb->doomed = 0;
    jb->rate = 0;
    jb->batch = 0;
    if (sim->curve) {
        free(sim->curve[j]);
        sim->curve[j] = NULL;
    }
    jb->state = GS_JOB_QUEUED; /* callers set the final state */
    gs__idset_del(&sim->running, j);
    return GS_OK;
}

static void enqueue(gs_sim *sim, uint32_t j)
{
    sim->jobs[j].state = GS_JOB_QUEUED;
    gs__idset_add(&sim->queue, j);
}

static void reject(gs_sim *sim, uint32_t j, int reason)
{
    static const char *const why[] = {"", "more GPUs than any usable GPU type has",
                                      "no viable configuration known to the policy",
                                      "too many failed starts"};
    gs__job *jb = &sim->jobs[j];

    jb->state = GS_JOB_REJECTED;
    gs__obs_reject(sim, j);
    jb->reject_reason = reason >= 0 && reason <= GS_REJECT_TOO_MANY_FAILURES ? reason : 0;
    gs__idset_del(&sim->queue, j);
    sim->nrejected++;
    gs_sim_log(sim, GS_LOG_WARN,
               "trace '%s' line %ld: field 'gpu_num': job '%s' (%d GPUs, class '%s') is "
               "unschedulable: %s",
               sim->trace->path, jb->tj->line, jb->tj->id, jb->tj->gpu_num,
               gs_scaledb_class_name(sim->truth, jb->cls), why[jb->reject_reason]);
}

/* ---- plans ---- */

static const char *act_name(int kind)
{
    switch (kind) {
    case GS_ACT_START:
        return "start";
    case GS_ACT_RESIZE:
        return "resize";
    case GS_ACT_PREEMPT:
        return "preempt";
    case GS_ACT_REJECT:
        return "reject";
    }
    return "unknown action";
}

static int plan_error(gs_sim *sim, gs_err *err, const gs_action *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int plan_error(gs_sim *sim, gs_err *err, const gs_action *a, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    const gs__job *jb = a->job < sim->njobs ? &sim->jobs[a->job] : NULL;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return gs_errorf(err, GS_EINVAL, "policy '%s' at t=%.6f: invalid plan: %s job '%s': %s",
                     sim->pol->name, gs_sim_now(sim), act_name(a->kind), jb ? jb->tj->id : "?",
                     msg);
}

/* Checks the whole plan against the current state, placing every allocation on a copy of the
 * free-GPU map in the order the plan will be applied. Nothing changes unless it all holds. */
static int plan_validate(gs_sim *sim, const gs_plan *p, gs_err *err)
{
    size_t i, npools = gs_cluster_npools(sim->cl);
    int pass;

    if (++sim->plan_no == 0) {
        memset(sim->plan_mark, 0, sim->njobs * sizeof(*sim->plan_mark));
        sim->plan_no = 1;
    }
    memcpy(sim->scratch, sim->node_free,
           (size_t)gs_cluster_total_nodes(sim->cl) * sizeof(*sim->scratch));
    for (i = 0; i < p->n; i++) {
        const gs_action *a = &p->acts[i];
        const gs__job *jb;
        if (a->job >= sim->njobs)
            return gs_errorf(err, GS_EINVAL, "policy '%s': invalid plan: no job %u", sim->pol->name,
                             a->job);
        jb = &sim->jobs[a->job];
        if (sim->plan_mark[a->job] == sim->plan_no)
            return plan_error(sim, err, a, "the job appears twice in one plan");
        sim->plan_mark[a->job] = sim->plan_no;
        switch (a->kind) {
        case GS_ACT_START:
        case GS_ACT_REJECT:
            if (jb->state != GS_JOB_QUEUED)
                return plan_error(sim, err, a, "the job is not queued");
            break;
        case GS_ACT_RESIZE:
        case GS_ACT_PREEMPT:
            if (jb->state != GS_JOB_RUNNING)
                return plan_error(sim, err, a, "the job is not running");
            break;
        default:
            return plan_error(sim, err, a, "unknown action kind %d", a->kind);
        }
        if (a->kind == GS_ACT_START || a->kind == GS_ACT_RESIZE) {
            if (a->pool < 0 || (size_t)a->pool >= npools)
                return plan_error(sim, err, a, "no pool %d", a->pool);
            if (a->gpus < 1 || a->gpus > gs_cluster_pool(sim->cl, (size_t)a->pool)->capacity)
                return plan_error(sim, err, a, "%d GPUs do not fit pool '%s' (%d GPUs)", a->gpus,
                                  gs_cluster_pool(sim->cl, (size_t)a->pool)->name,
                                  gs_cluster_pool(sim->cl, (size_t)a->pool)->capacity);
            if (jb->fixed_gpus > 0 && a->gpus != jb->fixed_gpus)
                return plan_error(
                    sim, err, a, "class '%s' is not elastic: the job runs on its %d GPUs, not %d",
                    gs_scaledb_class_name(sim->truth, jb->cls), jb->fixed_gpus, a->gpus);
        }
    }
    /* pass 0 frees what preemptions and resizes give back; pass 1 places */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < p->n; i++) {
            const gs_action *a = &p->acts[i];
            const gs__job *jb = &sim->jobs[a->job];
            const gs_pool *pl;
            int k;
            if (pass == 0 && (a->kind == GS_ACT_PREEMPT || a->kind == GS_ACT_RESIZE)) {
                for (k = 0; k < jb->alloc.nodes; k++)
                    sim->scratch[jb->place[2 * k]] += jb->place[2 * k + 1];
            }
            if (pass == 1 && (a->kind == GS_ACT_START || a->kind == GS_ACT_RESIZE)) {
                pl = gs_cluster_pool(sim->cl, (size_t)a->pool);
                if (gs__place_take(sim->scratch + pl->node_base, pl->nodes, pl->gpus_per_node,
                                   a->gpus, NULL, NULL) != 0)
                    return plan_error(sim, err, a,
                                      "%d GPUs of '%s' cannot be placed (GPUs already given out "
                                      "or too fragmented)",
                                      a->gpus, pl->name);
            }
        }
    }
    return GS_OK;
}

static int plan_apply(gs_sim *sim, const gs_plan *p, gs_err *err)
{
    size_t i;
    int rc;

    if (p->n == 0)
        return GS_OK;
    if ((rc = plan_validate(sim, p, err)) != GS_OK)
        return rc;
    sim->plans++;
    sim->actions += p->n;
    for (i = 0; i < p->n; i++) {
        const gs_action *a = &p->acts[i];
        if (a->kind == GS_ACT_PREEMPT) {
            if ((rc = alloc_stop(sim, a->job, SEG_PREEMPTED, err)) != GS_OK)
                return rc;
            enqueue(sim, a->job);
        } else if (a->kind == GS_ACT_RESIZE) {
            if ((rc = alloc_stop(sim, a->job, SEG_RESIZED, err)) != GS_OK)
                return rc;
        } else if (a->kind == GS_ACT_REJECT) {
            reject(sim, a->job, a->gpus ? a->gpus : GS_REJECT_NO_VIABLE);
        }
    }
    for (i = 0; i < p->n; i++) {
        const gs_action *a = &p->acts[i];
        if (a->kind != GS_ACT_START && a->kind != GS_ACT_RESIZE)
            continue;
        if ((rc = alloc_start(sim, a->job, a->pool, a->gpus, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int run_policy(gs_sim *sim, gs_err *err)
{
    int rc;

    gs_plan_clear(&sim->plan);
    if (sim->opts.timing) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        rc = sim->pol->schedule(sim->pstate, sim, &sim->plan, err);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (GS_GROW(sim->ptime, sim->ptime_cap, sim->nptime + 1) != GS_OK)
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        sim->ptime[sim->nptime++] =
            (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
    } else {
        rc = sim->pol->schedule(sim->pstate, sim, &sim->plan, err);
    }
    sim->last_plan_n = sim->plan.n;
    if (rc < 0)
        return gs_err_prefix(err, "policy '%s' at t=%.6f: ", sim->pol->name, gs_sim_now(sim));
    return plan_apply(sim, &sim->plan, err);
}

static int tell_policy(gs_sim *sim, unsigned type, uint32_t j, gs_err *err)
{
    gs_event ev;
    int rc;

    if (!sim->pol->on_event)
        return GS_OK;
    ev.id = 0;
    ev.time = gs_sim_now(sim);
    ev.type = type;
    ev.data = GS_EV_FROM_U(j);
    rc = sim->pol->on_event(sim->pstate, sim, &ev, err);
    if (rc < 0)
        return gs_err_prefix(err, "policy '%s' at t=%.6f: ", sim->pol->name, gs_sim_now(sim));
    return GS_OK;
}

/* ---- event handlers ---- */

static int post_round(gs_sim *sim, gs_err *err);

static int on_arrival(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    size_t i = GS_EV_TO_U(ev->data);
    int rc;

    (void)eng;
    for (; i < sim->njobs && sim->jobs[i].submit <= ev->time; i++) {
        gs__obs_arrive(sim, (uint32_t)i);
        enqueue(sim, (uint32_t)i);
        if ((rc = tell_policy(sim, GS_EV_ARRIVAL, (uint32_t)i, err)) != GS_OK)
            return rc;
    }
    sim->next_arrival = i;
    if (i < sim->njobs && (rc = gs_engine_post(sim->eng, sim->jobs[i].submit, GS_EV_ARRIVAL,
                                               GS_EV_FROM_U(i), NULL, NULL, err)) != GS_OK)
        return rc;
    if ((sim->pol->flags & GS_POLICY_ROUNDS) && !sim->round_pending)
        return post_round(sim, err);
    request_schedule(sim, err);
    return err && err->code ? err->code : GS_OK;
}

static int on_finish(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    uint32_t j = (uint32_t)GS_EV_TO_U(ev->data);
    gs__job *jb = &sim->jobs[j];
    int rc;

    (void)eng;
    if ((rc = tell_policy(sim, GS_EV_FINISH, j, err)) != GS_OK ||
        (rc = alloc_stop(sim, j, SEG_FINISHED, err)) != GS_OK)
        return rc;
    jb->done = jb->work;
    jb->state = GS_JOB_DONE;
    jb->finish = ev->time;
    sim->ndone++;
    gs__obs_finish(sim, j);
    if (sim->opts.progress)
        sim->opts.progress(sim->opts.progress_ctx, sim);
    request_schedule(sim, err);
    return err && err->code ? err->code : GS_OK;
}

static int on_fail(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    uint32_t j = (uint32_t)GS_EV_TO_U(ev->data);
    gs__job *jb = &sim->jobs[j];
    int rc, pool = jb->alloc.pool;

    (void)eng;
    if ((rc = tell_policy(sim, GS_EV_FAIL, j, err)) != GS_OK ||
        (rc = alloc_stop(sim, j, SEG_FAILED, err)) != GS_OK)
        return rc;
    jb->failures++;
    sim->nfailures++;
    if (pool < 64)
        jb->failed_pools |= (uint64_t)1 << pool;
    gs_sim_log(sim, GS_LOG_INFO, "job '%s' failed to start on %d x %s (not viable)", jb->tj->id,
               jb->alloc.gpus, gs_cluster_pool(sim->cl, (size_t)pool)->name);
    if (jb->failures >= sim->opts.max_failures)
        reject(sim, j, GS_REJECT_TOO_MANY_FAILURES);
    else
        enqueue(sim, j);
    request_schedule(sim, err);
    return err && err->code ? err->code : GS_OK;
}

/* An adaptive-batch job reached the end of a phase: its gradient statistics change, and with
 * them its best batch and goodput on the allocation it holds. */
static int on_phase(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    uint32_t j = (uint32_t)GS_EV_TO_U(ev->data);
    gs__job *jb = &sim->jobs[j];
    const gs_goodput *m = gs_scaledb_class_goodput(sim->truth, jb->cls);
    const gs_goodput_pt *c = sim->curve[j];
    double end = gs_goodput_phase_end(m, (size_t)jb->phase);

    (void)eng;
    jb->ckpt_done = checkpointed(sim, jb, ev->time); /* at the old rate */
    jb->done = end < jb->work ? end : jb->work;
    jb->t_upd = ev->time;
    jb->phase++;
    if (c[jb->phase].goodput > 0) { /* the batches are the same in every phase: always */
        jb->rate = c[jb->phase].goodput;
        jb->batch = c[jb->phase].batch;
    }
    return post_progress(sim, j, ev->time, err);
}

static int on_schedule(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;

    (void)eng;
    (void)ev;
    sim->sched_pending = 0;
    return run_policy(sim, err);
}

/* Rounds fall on multiples of the round length. The next one comes one round on while jobs
 * are queued or running, else at the first boundary after the next arrival. None is posted
 * when nothing can change any more: nothing runs, nothing will arrive and the last round
 * changed nothing. */
static int post_round(gs_sim *sim, gs_err *err)
{
    gs_time now = gs_sim_now(sim), at;
    double len = sim->opts.round_length;
    size_t nq = gs_sim_queue_len(sim), nr = gs_sim_running_len(sim);

    if (nr == 0 && nq > 0 && sim->next_arrival >= sim->njobs && sim->last_plan_n == 0 &&
        sim->rounds > 0) {
        gs_sim_log(sim, GS_LOG_WARN,
                   "%zu queued jobs can never start: nothing runs, nothing arrives and the "
                   "policy starts nothing",
                   nq);
        return GS_OK;
    }
    if (nr > 0 || nq > 0)
        at = (floor(now / len) + 1) * len;
    else if (sim->next_arrival < sim->njobs)
        at = (floor(sim->jobs[sim->next_arrival].submit / len) + 1) * len;
    else
        return GS_OK;
    sim->round_pending = 1;
    return gs_engine_post(sim->eng, at, GS_EV_ROUND, NULL, NULL, NULL, err);
}

static int on_round(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    gs_sim *sim = ctx;
    int rc;

    (void)eng;
    (void)ev;
    sim->round_pending = 0;
    sim->rounds++;
    if ((rc = run_policy(sim, err)) != GS_OK)
        return rc;
    return post_round(sim, err);
}

static int on_horizon(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    (void)ev;
    (void)ctx;
    (void)err;
    gs_engine_stop(eng);
    return GS_OK;
}

/* ---- set-up ---- */

/* The core's event types, declared to its engine (the engine knows no module's events). */
static const gs_event_type_def sched_events[] = {
#define GS_EV_DEF_(name, val, str) {GS_EV_##name, str},
    GS_EVENT_SCHED_LIST(GS_EV_DEF_)
#undef GS_EV_DEF_
};

gs_sim *gs_sim_new(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                   const gs_sim_opts *opts, gs_err *err)
{
    gs_sim *sim = calloc(1, sizeof(*sim));
    size_t i, npools = gs_cluster_npools(cluster);
    int nnodes = gs_cluster_total_nodes(cluster), maxpairs = 2;

    if (!sim) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    if (opts)
        sim->opts = *opts;
    else
        gs_sim_opts_init(&sim->opts);
    sim->trace = trace;
    sim->cl = cluster;
    sim->truth = db;
    sim->know = db;
    sim->life = *gs_cluster_lifecycle(cluster);
    if (opts && opts->checkpoint_interval > 0)
        sim->life.checkpoint_interval_s = opts->checkpoint_interval;
    if (opts && opts->graceful >= 0)
        sim->life.graceful = opts->graceful != 0;
    sim->njobs = trace->njobs;
    gs_plan_init(&sim->plan);
    /* the core never looks a policy up by name: the layer above resolves it (registry.h) */
    sim->pol = sim->opts.policy_ops;
    if (!sim->pol) {
        gs_errorf(err, GS_EINVAL,
                  "no policy given (gs_sim_opts.policy_ops; gs_sim_new_named resolves a name)");
        goto fail;
    }
    if (sim->pol->abi != GS_POLICY_ABI || !sim->pol->init || !sim->pol->schedule ||
        !sim->pol->destroy || !sim->pol->name) {
        gs_errorf(err, GS_EINVAL, "policy '%s' does not implement policy ABI %d",
                  sim->pol->name ? sim->pol->name : "?", GS_POLICY_ABI);
        goto fail;
    }
    sim->opts.policy = sim->pol->name;
    if (gs_policy_check_params(sim->pol, sim->opts.params, sim->opts.nparams, err) != GS_OK)
        goto fail;
    if (isnan(sim->opts.restart_delay) || isnan(sim->opts.fail_delay) ||
        isnan(sim->opts.checkpoint_interval) || !(sim->opts.round_length > 0) ||
        sim->opts.max_failures < 1 || sim->opts.graceful > 1 || !(sim->opts.knowledge_error >= 0) ||
        !(sim->opts.viability_error >= 0 && sim->opts.viability_error <= 1)) {
        gs_errorf(err, GS_EINVAL, "invalid simulation options");
        goto fail;
    }
    for (i = 0; i < npools; i++) {
        const gs_pool *pl = gs_cluster_pool(cluster, i);
        if (pl->capacity / pl->gpus_per_node + 1 > maxpairs)
            maxpairs = pl->capacity / pl->gpus_per_node + 1;
    }
    sim->jobs = calloc(sim->njobs, sizeof(*sim->jobs));
    sim->plan_mark = calloc(sim->njobs, sizeof(*sim->plan_mark));
    sim->node_free = malloc((size_t)nnodes * sizeof(int));
    sim->scratch = malloc((size_t)nnodes * sizeof(int));
    sim->pairs = malloc(2 * (size_t)maxpairs * sizeof(int));
    sim->pool_free = calloc(npools, sizeof(int));
    sim->pool_busy = calloc(npools, sizeof(double));
    sim->rng_policy = gs__rng_new(sim->opts.seed ^ 0x706f6c696379ull);
    sim->eng = gs_engine_new(err);
    if (sim->eng && gs__obs_init(sim, err) != GS_OK)
        goto fail;
    if (sim->njobs >= GS_JOB_NONE) {
        gs_errorf(err, GS_EINVAL, "trace '%s': too many jobs (%zu)", trace->path, sim->njobs);
        goto fail;
    }
    if (gs__idset_init(&sim->queue, (uint32_t)sim->njobs) != 0 ||
        gs__idset_init(&sim->running, (uint32_t)sim->njobs) != 0) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    if (!sim->jobs || !sim->plan_mark || !sim->node_free || !sim->scratch || !sim->pairs ||
        !sim->pool_free || !sim->pool_busy || !sim->rng_policy || !sim->eng) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < npools; i++) {
        const gs_pool *pl = gs_cluster_pool(cluster, i);
        int k;
        for (k = 0; k < pl->nodes; k++)
            sim->node_free[pl->node_base + k] = pl->gpus_per_node;
        sim->pool_free[i] = pl->capacity;
    }
    for (i = 0; i < sim->njobs; i++) {
        gs__job *jb = &sim->jobs[i];
        jb->tj = &trace->jobs[i];
        jb->index = (uint32_t)i;
        jb->submit = trace->jobs[i].submit;
        jb->alloc.pool = -1;
        jb->first_start = -1;
        jb->finish = -1;
        jb->first_startup = -1;
        jb->end = trace->jobs[i].end;
    }
    for (i = 0; i < (size_t)gs_scaledb_nclasses(db) && !sim->curve; i++)
        if (gs_scaledb_class_goodput(db, (int)i) &&
            !(sim->curve = calloc(sim->njobs ? sim->njobs : 1, sizeof(*sim->curve)))) {
            gs_errorf(err, GS_ENOMEM, "out of memory");
            goto fail;
        }
    if (gs__sim_assign_classes(sim, err) != GS_OK)
        goto fail;
    /* 0 means "derived from --seed": resolved here so that summary.json records the seed used */
    if (sim->opts.knowledge_seed == 0)
        sim->opts.knowledge_seed = sim->opts.seed ^ 0x6b6e6f77ull;
    if (sim->opts.knowledge_error > 0 || sim->opts.viability_error > 0) {
        sim->know_owned = gs_scaledb_clone(db, err);
        if (!sim->know_owned ||
            gs_scaledb_perturb(sim->know_owned, sim->opts.knowledge_error,
                               sim->opts.viability_error, sim->opts.knowledge_seed, err) != GS_OK)
            goto fail;
        sim->know = sim->know_owned;
    }
    if (gs_engine_declare(sim->eng, sched_events, sizeof(sched_events) / sizeof(sched_events[0]),
                          err) ||
        gs_engine_on(sim->eng, GS_EV_ARRIVAL, on_arrival, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_FINISH, on_finish, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_FAIL, on_fail, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_SCHEDULE, on_schedule, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_ROUND, on_round, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_HORIZON, on_horizon, sim, err) ||
        gs_engine_on(sim->eng, GS_EV_PHASE, on_phase, sim, err))
        goto fail;
    if (sim->opts.check_invariants) {
        if (!(sim->inv = gs__inv_new(sim, err)))
            goto fail;
        gs_engine_observe(sim->eng, gs__inv_observe, sim);
    }
    if (sim->pol->init(&sim->pstate, sim, err) != GS_OK) {
        gs_err_prefix(err, "policy '%s': ", sim->pol->name);
        sim->pstate = NULL;
        goto fail;
    }
    return sim;
fail:
    gs_sim_free(sim);
    return NULL;
}

void gs_sim_free(gs_sim *sim)
{
    size_t i;

    if (!sim)
        return;
    if (sim->pol && sim->pstate)
        sim->pol->destroy(sim->pstate);
    if (sim->jobs)
        for (i = 0; i < sim->njobs; i++)
            free(sim->jobs[i].place);
    if (sim->curve)
        for (i = 0; i < sim->njobs; i++)
            free(sim->curve[i]);
    free(sim->curve);
    gs_engine_free(sim->eng);
    gs__inv_free(sim->inv);
    gs__obs_free(sim->obs);
    gs_scaledb_free(sim->know_owned);
    gs_plan_release(&sim->plan);
    gs__rng_free(sim->rng_policy);
    free(sim->jobs);
    free(sim->plan_mark);
    free(sim->node_free);
    free(sim->scratch);
    free(sim->pairs);
    free(sim->pool_free);
    free(sim->pool_busy);
    gs__idset_release(&sim->queue);
    gs__idset_release(&sim->running);
    free(sim->segs);
    for (i = 0; i < sim->nstats; i++)
        free(sim->stat_keys[i]);
    free(sim->stat_keys);
    free(sim->stat_vals);
    free(sim->ptime);
    for (i = 0; i < sim->ntsets; i++) {
        free(sim->tsets[i].key);
        free(sim->tsets[i].v);
    }
    free(sim->tsets);
    free(sim->jct_sorted);
    free(sim->rule_jobs);
    free(sim->cjct_sorted);
    free(sim);
}

int gs_sim_run(gs_sim *sim, gs_err *err)
{
    size_t i;
    int rc;

    if (sim->njobs > 0 && (rc = gs_engine_post(sim->eng, sim->jobs[0].submit, GS_EV_ARRIVAL,
                                               GS_EV_FROM_U(0), NULL, NULL, err)) != GS_OK)
        return rc;
    if (!isinf(sim->opts.until) && (rc = gs_engine_post(sim->eng, sim->opts.until, GS_EV_HORIZON,
                                                        NULL, NULL, NULL, err)) != GS_OK)
        return rc;
    rc = gs_engine_run(sim->eng, INFINITY, err);
    if (rc != GS_OK || (rc = gs__obs_end(sim, err)) != GS_OK)
        return rc;
    sim->end_time = gs_sim_now(sim);
    sim->jct_sorted = malloc((sim->njobs ? sim->njobs : 1) * sizeof(double));
    sim->cjct_sorted = malloc((sim->njobs ? sim->njobs : 1) * sizeof(double));
    if (!sim->jct_sorted || !sim->cjct_sorted)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    for (i = 0; i < sim->njobs; i++) {
        if (sim->jobs[i].state != GS_JOB_DONE)
            continue;
        sim->jct_sorted[sim->njct++] = sim->jobs[i].finish - sim->jobs[i].submit;
        if (sim->jobs[i].end == GS_END_COMPLETED)
            sim->cjct_sorted[sim->ncjct++] = sim->jobs[i].finish - sim->jobs[i].submit;
    }
    if (sim->njct)
        gs__sort(sim->jct_sorted, sim->njct);
    if (sim->ncjct)
        gs__sort(sim->cjct_sorted, sim->ncjct);
    /* what still runs is unfinished: account for it up to the end */
    for (i = 0; i < sim->njobs; i++) {
        if (sim->jobs[i].state == GS_JOB_RUNNING) {
            if ((rc = alloc_stop(sim, (uint32_t)i, SEG_UNFINISHED, err)) != GS_OK)
                return rc;
            sim->jobs[i].state = GS_JOB_RUNNING; /* keep reporting it as running at the end */
            gs__idset_add(&sim->running, (uint32_t)i);
        }
    }
    return GS_OK;
}
