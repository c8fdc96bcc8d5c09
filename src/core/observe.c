/* SPDX-License-Identifier: Apache-2.0 */
/* Observing a scheduling run: timeline.csv (streamed), per-job GPU time, energy, cost and
 * contention, finish-time fairness, slowdown, users.csv, and their part of summary.json. */
#include "observe_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "gpusim/engine.h"
#include "json_int.h"
#include "rng_int.h"
#include "sim_int.h"
#include "util_int.h"

struct gs__obs {
    gs__acct *acct;
    size_t running;        /* jobs holding an allocation */
    long long run_demand;  /* their requested GPUs (trace gpu_num) */
    long long gone_demand; /* requested GPUs of finished and unschedulable jobs */
    long long arr_demand;  /* requested GPUs of submitted jobs */
    double contention_int; /* ∫ (queued + running jobs) dt since time 0 */
    /* timeline.csv */
    FILE *fp;
    double interval; /* 0: a row at every change */
    uint64_t next_k; /* sample mode: the next row is at next_k * interval */
    int closed;
    uint64_t rows;
    long *row, *last; /* the state as numbers (time excluded); last = last row written */
    size_t width;
    int have_last;
    char *line;
    size_t line_cap;
};

enum {
    C_RUNNING,
    C_QUEUED,
    C_QDEMAND,
    C_BUSY,
    C_FREE,
    C_FINISHED,
    C_REJECTED,
    C_RESTARTS,
    C_FAILURES,
    C_POOLS
};

static size_t queued_jobs(const gs_sim *sim)
{
    return sim->next_arrival - sim->obs->running - sim->ndone - sim->nrejected;
}

/* ---- the state as one row ---- */

static void fill_row(const gs_sim *sim, long *r)
{
    const gs__obs *o = sim->obs;
    size_t p, np = gs_cluster_npools(sim->cl);
    long busy = 0, total = gs_cluster_total_gpus(sim->cl);

    for (p = 0; p < np; p++) {
        long cap = gs_cluster_pool(sim->cl, p)->capacity;
        r[C_POOLS + 2 * p] = cap - sim->pool_free[p];
        r[C_POOLS + 2 * p + 1] = sim->pool_free[p];
        busy += cap - sim->pool_free[p];
    }
    r[C_RUNNING] = (long)o->running;
    r[C_QUEUED] = (long)queued_jobs(sim);
    r[C_QDEMAND] = (long)(o->arr_demand - o->run_demand - o->gone_demand);
    r[C_BUSY] = busy;
    r[C_FREE] = total - busy;
    r[C_FINISHED] = (long)sim->ndone;
    r[C_REJECTED] = (long)sim->nrejected;
    r[C_RESTARTS] = sim->nrestarts;
    r[C_FAILURES] = sim->nfailures;
}

static char *put_long(char *p, long v)
{
    char tmp[24];
    int n = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

    if (v < 0)
        *p++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static int write_row(gs__obs *o, double t, gs_err *err)
{
    char *p = o->line;
    size_t i;

    p += gs__fmt_double(p, 400, t); /* %.6f of any double fits: line_cap leaves 400 */
    for (i = 0; i < o->width; i++) {
        *p++ = ',';
        p = put_long(p, o->row[i]);
    }
    *p++ = '\n';
    if (fwrite(o->line, 1, (size_t)(p - o->line), o->fp) != (size_t)(p - o->line))
        return gs_errorf(err, GS_EIO, "cannot write timeline.csv");
    memcpy(o->last, o->row, o->width * sizeof(*o->row));
    o->have_last = 1;
    o->rows++;
    return GS_OK;
}

/* Rows for the state that holds on [from, to) (to = INFINITY: the end, from included). */
static int timeline_rows(gs_sim *sim, double from, double to, gs_err *err)
{
    gs__obs *o = sim->obs;
    int rc;

    fill_row(sim, o->row);
    if (o->interval <= 0) {
        if (o->have_last && !memcmp(o->row, o->last, o->width * sizeof(*o->row)))
            return GS_OK;
        return write_row(o, from, err);
    }
    for (;;) {
        double t = (double)o->next_k * o->interval;
        if (isinf(to) ? t > from : t >= to)
            return GS_OK;
        if ((rc = write_row(o, t, err)) != GS_OK)
            return rc;
        o->next_k++;
    }
}

static int on_advance(void *ctx, gs_time from, gs_time to, gs_err *err)
{
    gs_sim *sim = ctx;
    gs__obs *o = sim->obs;

    o->contention_int += (double)(queued_jobs(sim) + o->running) * (to - from);
    if (o->fp && !o->closed)
        return timeline_rows(sim, from, to, err);
    return GS_OK;
}

/* ---- set-up and hooks ---- */

int gs__obs_init(gs_sim *sim, gs_err *err)
{
    gs__obs *o = calloc(1, sizeof(*o));

    if (!o || !(o->acct = calloc(sim->njobs ? sim->njobs : 1, sizeof(*o->acct)))) {
        free(o);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    sim->obs = o;
    gs_engine_on_advance(sim->eng, on_advance, sim);
    return GS_OK;
}

void gs__obs_free(gs__obs *o)
{
    if (!o)
        return;
    free(o->acct);
    free(o->row);
    free(o->last);
    free(o->line);
    free(o);
}

int gs_sim_timeline(gs_sim *sim, FILE *fp, double sample_interval, gs_err *err)
{
    gs__obs *o = sim->obs;
    size_t p, np = gs_cluster_npools(sim->cl);

    if (!(sample_interval == 0 || (sample_interval >= 1e-3 && sample_interval <= 1e9)))
        return gs_errorf(err, GS_EINVAL, "sample interval %g s is neither 0 nor in [0.001, 1e9]",
                         sample_interval);
    if (o->fp)
        return gs_errorf(err, GS_EINVAL, "the run already writes a timeline");
    o->width = C_POOLS + 2 * np;
    o->row = calloc(o->width, sizeof(*o->row));
    o->last = calloc(o->width, sizeof(*o->last));
    /* a time, then width numbers of at most 20 characters and their commas */
    o->line_cap = 400 + 22 * o->width + 2;
    o->line = malloc(o->line_cap);
    if (!o->row || !o->last || !o->line)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    fputs("time,running_jobs,queued_jobs,queued_gpu_demand,busy_gpus,free_gpus,finished_jobs,"
          "unschedulable_jobs,restarts,failed_starts",
          fp);
    for (p = 0; p < np; p++) {
        const char *name = gs_cluster_pool(sim->cl, p)->name;
        char col[160];
        snprintf(col, sizeof(col), "busy_%s", name);
        fputc(',', fp);
        gs__csv_put(col, fp);
        snprintf(col, sizeof(col), "free_%s", name);
        fputc(',', fp);
        gs__csv_put(col, fp);
    }
    fputc('\n', fp);
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write timeline.csv");
    o->fp = fp;
    o->interval = sample_interval;
    return GS_OK;
}

void gs__obs_arrive(gs_sim *sim, uint32_t j)
{
    gs__obs *o = sim->obs;

    o->acct[j].contention = o->contention_int;
    o->arr_demand += sim->jobs[j].tj->gpu_num;
}

void gs__obs_start(gs_sim *sim, uint32_t j)
{
    sim->obs->running++;
    sim->obs->run_demand += sim->jobs[j].tj->gpu_num;
}

void gs__obs_stop(gs_sim *sim, uint32_t j)
{
    gs__obs *o = sim->obs;
    const gs__job *jb = &sim->jobs[j];
    const gs_pool *pl = gs_cluster_pool(sim->cl, (size_t)jb->alloc.pool);
    gs__acct *a = &o->acct[j];
    gs_time now = gs_sim_now(sim);
    double gs_ = jb->alloc.gpus * (now - jb->start);

    o->running--;
    o->run_demand -= jb->tj->gpu_num;
    a->gpu_s += gs_;
    a->energy_j += gs_ * pl->busy_watts;
    a->cost += gs_ / 3600.0 * pl->price_per_gpu_hour;
    if (!jb->doomed && now > jb->run_from) {
        a->prod_s += now - jb->run_from;
        a->prod_gpu_s += jb->alloc.gpus * (now - jb->run_from);
    }
}

void gs__obs_finish(gs_sim *sim, uint32_t j)
{
    gs__obs *o = sim->obs;
    const gs__job *jb = &sim->jobs[j];
    gs__acct *a = &o->acct[j];
    double life = jb->finish - jb->submit, n = 1;

    /* Themis' N: the mean number of jobs contending (queued or running, this one included)
     * over the job's life; the integral is complete up to now (the engine observed the
     * advance to now before this event fired) */
    if (life > 0)
        n = (o->contention_int - a->contention) / life;
    a->contention = n > 1 ? n : 1;
    o->gone_demand += jb->tj->gpu_num;
}

void gs__obs_reject(gs_sim *sim, uint32_t j)
{
    sim->obs->gone_demand += sim->jobs[j].tj->gpu_num;
}

int gs__obs_end(gs_sim *sim, gs_err *err)
{
    gs__obs *o = sim->obs;
    int rc = GS_OK;

    if (o->fp && !o->closed) {
        rc = timeline_rows(sim, gs_sim_now(sim), INFINITY, err);
        o->closed = 1;
        if (rc == GS_OK && (fflush(o->fp) != 0 || ferror(o->fp)))
            rc = gs_errorf(err, GS_EIO, "cannot write timeline.csv");
    }
    return rc;
}

const gs__acct *gs__obs_acct(const gs_sim *sim, uint32_t j)
{
    return &sim->obs->acct[j];
}

/* ---- per-job metrics ---- */

void gs__obs_job(const gs_sim *sim, uint32_t j, gs__jobm *m)
{
    const gs__job *jb = &sim->jobs[j];
    const gs__acct *a = &sim->obs->acct[j];

    m->ftf = m->slowdown = NAN;
    m->gpu_hours = a->gpu_s / 3600.0;
    m->energy_kwh = a->energy_j / 3.6e6;
    m->cost = a->cost;
    if (jb->state != GS_JOB_DONE)
        return;
    if (jb->tj->duration > 0)
        m->slowdown = (jb->finish - jb->submit) / jb->tj->duration;
    if (a->prod_s > 0) {
        /* Finish-time fairness (Themis, Mahajan et al., NSDI'20; Gavel, Narayanan et al.,
         * OSDI'20): rho = T_shared / T_ideal. T_shared is the JCT. T_ideal is the time the job
         * takes alone on its fair share of the cluster, G / N GPUs (G: the cluster's GPUs, N:
         * the mean contention over its life, as Themis and Sia's FTF tool take it): the
         * start-up of its first viable start (which any run of it pays) and its own progress
         * time, on the configuration(s) it ran on, from its submission, without waiting,
         * restarts or failed starts; the progress stretched by ḡ / (G / N) when its mean GPU
         * count ḡ exceeds that share (time-sliced down to it). A lone job run at once is at 1. */
        double share = gs_cluster_total_gpus(sim->cl) / a->contention;
        double g = a->prod_gpu_s / a->prod_s;
        double ideal = (jb->first_startup > 0 ? jb->first_startup : 0) +
                       a->prod_s * (g > share ? g / share : 1);
        m->ftf = (jb->finish - jb->submit) / ideal;
    }
}

static void put_num(FILE *fp, double v)
{
    char buf[64];

    fputc(',', fp);
    if (!isnan(v)) {
        gs__fmt_double(buf, sizeof(buf), v);
        fputs(buf, fp);
    }
}

void gs__obs_put_job(const gs_sim *sim, uint32_t j, FILE *fp)
{
    gs__jobm m;

    gs__obs_job(sim, j, &m);
    fputc(',', fp);
    gs__csv_put(sim->jobs[j].tj->user ? sim->jobs[j].tj->user : "", fp);
    put_num(fp, m.ftf);
    put_num(fp, m.slowdown);
    put_num(fp, m.gpu_hours);
    put_num(fp, m.energy_kwh);
    put_num(fp, m.cost);
}

/* ---- energy and cost ---- */

void gs_sim_energy_get(const gs_sim *sim, gs_sim_energy *e)
{
    size_t p, np = gs_cluster_npools(sim->cl);
    double span = sim->end_time > 0 ? sim->end_time : gs_sim_now(sim);

    memset(e, 0, sizeof(*e));
    for (p = 0; p < np; p++) {
        const gs_pool *pl = gs_cluster_pool(sim->cl, p);
        double busy = sim->pool_busy[p], idle = (double)pl->capacity * span - busy;
        if (idle < 0)
            idle = 0;
        e->busy_kwh += busy * pl->busy_watts / 3.6e6;
        e->idle_kwh += idle * pl->idle_watts / 3.6e6;
        e->cost_used += busy / 3600.0 * pl->price_per_gpu_hour;
        e->cost_provisioned += (double)pl->capacity * span / 3600.0 * pl->price_per_gpu_hour;
    }
    e->total_kwh = e->busy_kwh + e->idle_kwh;
}

/* ---- users ---- */

typedef struct user_agg {
    const char *name;
    size_t jobs, finished, unfinished, rejected, started, nftf, nslow;
    double gpu_hours, energy_kwh, cost, jct, queue, slow, slow_max, ftf, ftf_max;
} user_agg;

typedef struct users {
    user_agg *v;
    size_t n;
} users;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int cmp_user(const void *a, const void *b)
{
    return strcmp(((const user_agg *)a)->name, ((const user_agg *)b)->name);
}

/* One aggregate per distinct user, sorted by name (bytes). GS_OK or GS_ENOMEM. */
static int users_build(const gs_sim *sim, users *u, gs_err *err)
{
    size_t cap = 64, vcap = 64, i, *slot;
    user_agg *v;

    memset(u, 0, sizeof(*u));
    while (cap < 2 * sim->njobs + 2)
        cap *= 2;
    slot = calloc(cap, sizeof(*slot)); /* open addressing: index + 1 into v, 0 = empty */
    v = malloc(vcap * sizeof(*v));
    if (!slot || !v) {
        free(slot);
        free(v);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (i = 0; i < sim->njobs; i++) {
        const gs__job *jb = &sim->jobs[i];
        const char *name = jb->tj->user ? jb->tj->user : "";
        size_t h = (size_t)(fnv1a(name) & (cap - 1));
        user_agg *a;
        gs__jobm m;
        while (slot[h] && strcmp(v[slot[h] - 1].name, name))
            h = (h + 1) & (cap - 1);
        if (!slot[h]) {
            if (GS_GROW(v, vcap, u->n + 1) != GS_OK) {
                free(slot);
                free(v);
                return gs_errorf(err, GS_ENOMEM, "out of memory");
            }
            memset(&v[u->n], 0, sizeof(v[u->n]));
            v[u->n].name = name;
            slot[h] = ++u->n;
        }
        a = &v[slot[h] - 1];
        gs__obs_job(sim, (uint32_t)i, &m);
        a->jobs++;
        a->gpu_hours += m.gpu_hours;
        a->energy_kwh += m.energy_kwh;
        a->cost += m.cost;
        if (jb->first_start >= 0) {
            a->started++;
            a->queue += jb->first_start - jb->submit;
        }
        if (jb->state == GS_JOB_DONE) {
            a->finished++;
            a->jct += jb->finish - jb->submit;
        } else if (jb->state == GS_JOB_REJECTED) {
            a->rejected++;
        } else {
            a->unfinished++;
        }
        if (!isnan(m.slowdown)) {
            a->nslow++;
            a->slow += m.slowdown;
            if (m.slowdown > a->slow_max)
                a->slow_max = m.slowdown;
        }
        if (!isnan(m.ftf)) {
            a->nftf++;
            a->ftf += m.ftf;
            if (m.ftf > a->ftf_max)
                a->ftf_max = m.ftf;
        }
    }
    free(slot);
    if (u->n)
        qsort(v, u->n, sizeof(*v), cmp_user);
    u->v = v;
    return GS_OK;
}

/* Jain's fairness index (Jain, Chiu and Hawe, DEC-TR-301, 1984) of the users' mean slowdown:
 * (sum x)^2 / (n sum x^2) over the users with a finished job; 1 = all equal, 1/n = one user
 * takes it all. NAN without such users. */
static double jain(const users *u, size_t *n_out)
{
    double s = 0, s2 = 0;
    size_t i, n = 0;

    for (i = 0; i < u->n; i++) {
        double x;
        if (!u->v[i].nslow)
            continue;
        x = u->v[i].slow / (double)u->v[i].nslow;
        s += x;
        s2 += x * x;
        n++;
    }
    *n_out = n;
    return n && s2 > 0 ? s * s / ((double)n * s2) : NAN;
}

int gs_sim_write_users(const gs_sim *sim, FILE *fp, gs_err *err)
{
    users u;
    size_t i;
    int rc;

    if ((rc = users_build(sim, &u, err)) != GS_OK)
        return rc;
    fputs("user,jobs,finished,unfinished,unschedulable,gpu_hours,energy_kwh,cost,mean_jct,"
          "mean_queue_delay,mean_slowdown,max_slowdown,mean_ftf,max_ftf\n",
          fp);
    for (i = 0; i < u.n; i++) {
        const user_agg *a = &u.v[i];
        gs__csv_put(a->name, fp);
        fprintf(fp, ",%zu,%zu,%zu,%zu", a->jobs, a->finished, a->unfinished, a->rejected);
        put_num(fp, a->gpu_hours);
        put_num(fp, a->energy_kwh);
        put_num(fp, a->cost);
        put_num(fp, a->finished ? a->jct / (double)a->finished : NAN);
        put_num(fp, a->started ? a->queue / (double)a->started : NAN);
        put_num(fp, a->nslow ? a->slow / (double)a->nslow : NAN);
        put_num(fp, a->nslow ? a->slow_max : NAN);
        put_num(fp, a->nftf ? a->ftf / (double)a->nftf : NAN);
        put_num(fp, a->nftf ? a->ftf_max : NAN);
        fputc('\n', fp);
    }
    free(u.v);
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write users.csv");
    return GS_OK;
}

/* ---- summary.json ---- */

static void add_num(cJSON *o, const char *key, double v)
{
    if (isnan(v))
        cJSON_AddNullToObject(o, key);
    else
        gs__jadd_fixed(o, key, v);
}

static int add_fairness(const gs_sim *sim, cJSON *root, gs_err *err)
{
    double *ftf = malloc((sim->njobs ? sim->njobs : 1) * sizeof(double));
    double *slow = malloc((sim->njobs ? sim->njobs : 1) * sizeof(double));
    size_t i, nf = 0, ns = 0, over = 0, nj;
    cJSON *o;
    users u;
    int rc;

    if (!ftf || !slow) {
        free(ftf);
        free(slow);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (i = 0; i < sim->njobs; i++) {
        gs__jobm m;
        gs__obs_job(sim, (uint32_t)i, &m);
        if (!isnan(m.ftf)) {
            ftf[nf++] = m.ftf;
            /* a tolerance for the rounding of the contention integral: a lone job is at 1 */
            if (m.ftf > 1 + 1e-9)
                over++;
        }
        if (!isnan(m.slowdown))
            slow[ns++] = m.slowdown;
    }
    if (nf)
        gs__sort(ftf, nf);
    if (ns)
        gs__sort(slow, ns);
    o = cJSON_AddObjectToObject(root, "fairness");
    cJSON_AddNumberToObject(o, "jobs_with_ftf", (double)nf);
    add_num(o, "ftf_mean", nf ? gs__mean(ftf, nf) : NAN);
    add_num(o, "ftf_p50", nf ? gs__quantile_sorted(ftf, nf, 0.50) : NAN);
    add_num(o, "ftf_p99", nf ? gs__quantile_sorted(ftf, nf, 0.99) : NAN);
    add_num(o, "ftf_max", nf ? ftf[nf - 1] : NAN);
    add_num(o, "ftf_over_1", nf ? (double)over / (double)nf : NAN);
    add_num(o, "slowdown_mean", ns ? gs__mean(slow, ns) : NAN);
    add_num(o, "slowdown_p50", ns ? gs__quantile_sorted(slow, ns, 0.50) : NAN);
    add_num(o, "slowdown_p99", ns ? gs__quantile_sorted(slow, ns, 0.99) : NAN);
    free(ftf);
    free(slow);
    if ((rc = users_build(sim, &u, err)) != GS_OK)
        return rc;
    cJSON_AddNumberToObject(o, "users", (double)u.n);
    add_num(o, "jain_users_slowdown", jain(&u, &nj));
    cJSON_AddNumberToObject(o, "users_with_finished_jobs", (double)nj);
    free(u.v);
    return GS_OK;
}

int gs__obs_summary(const gs_sim *sim, cJSON *root, gs_err *err)
{
    size_t p, np = gs_cluster_npools(sim->cl);
    double span = sim->end_time > 0 ? sim->end_time : gs_sim_now(sim);
    gs_sim_energy e;
    cJSON *o, *t, *c, *ct;
    int rc;

    if ((rc = add_fairness(sim, root, err)) != GS_OK)
        return rc;
    gs_sim_energy_get(sim, &e);
    o = cJSON_AddObjectToObject(root, "energy_kwh");
    gs__jadd_fixed(o, "total", e.total_kwh);
    gs__jadd_fixed(o, "busy", e.busy_kwh);
    gs__jadd_fixed(o, "idle", e.idle_kwh);
    t = cJSON_AddObjectToObject(root, "energy_kwh_per_type");
    c = cJSON_AddObjectToObject(root, "cost_usd");
    gs__jadd_fixed(c, "used", e.cost_used);
    gs__jadd_fixed(c, "provisioned", e.cost_provisioned);
    ct = cJSON_AddObjectToObject(root, "cost_usd_per_type");
    for (p = 0; p < np; p++) {
        const gs_pool *pl = gs_cluster_pool(sim->cl, p);
        double busy = sim->pool_busy[p], idle = (double)pl->capacity * span - busy;
        if (idle < 0)
            idle = 0;
        gs__jadd_fixed(t, pl->name, (busy * pl->busy_watts + idle * pl->idle_watts) / 3.6e6);
        gs__jadd_fixed(ct, pl->name, busy / 3600.0 * pl->price_per_gpu_hour);
    }
    if (sim->obs->fp) {
        o = cJSON_AddObjectToObject(root, "timeline");
        gs__jadd_fixed(o, "sample_interval", sim->obs->interval);
        cJSON_AddNumberToObject(o, "rows", (double)sim->obs->rows);
    }
    if (!o || !t || !c || !ct)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}
