/* SPDX-License-Identifier: Apache-2.0 */
/* Results of a scheduling run: jobs.csv, jct_cdf.csv, allocations.csv and summary.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "gpusim/io.h"
#include "gpusim/sim.h"
#include "gpusim/version.h"
#include "json_int.h"
#include "observe_int.h"
#include "rng_int.h"
#include "sim_int.h"
#include "util_int.h"

static const char *status_name(const gs__job *jb)
{
    switch (jb->state) {
    case GS_JOB_DONE:
        return jb->end == GS_END_FAILED      ? "failed"
               : jb->end == GS_END_CANCELLED ? "cancelled"
                                             : "finished";
    case GS_JOB_REJECTED:
        return "unschedulable";
    default:
        return "unfinished";
    }
}

/* JCTs of the jobs that ended (with completed, only of those that completed), sorted; *n their
 * number; free with release_jcts. NULL on ENOMEM. After the run the arrays computed when it
 * ended are used. */
static double *sorted_jcts_of(const gs_sim *sim, int completed, size_t *n)
{
    double *v;
    size_t i, k = 0;

    if (sim->jct_sorted) {
        *n = completed ? sim->ncjct : sim->njct;
        return completed ? sim->cjct_sorted : sim->jct_sorted;
    }
    *n = 0;
    v = malloc((sim->njobs ? sim->njobs : 1) * sizeof(*v));
    if (!v)
        return NULL;
    for (i = 0; i < sim->njobs; i++)
        if (sim->jobs[i].state == GS_JOB_DONE &&
            (!completed || sim->jobs[i].end == GS_END_COMPLETED))
            v[k++] = sim->jobs[i].finish - sim->jobs[i].submit;
    if (k)
        gs__sort(v, k);
    *n = k;
    return v;
}

static double *sorted_jcts(const gs_sim *sim, size_t *n)
{
    return sorted_jcts_of(sim, 0, n);
}

static void release_jcts(const gs_sim *sim, double *v)
{
    if (v != sim->jct_sorted && v != sim->cjct_sorted)
        free(v);
}

void gs_sim_progress(const gs_sim *sim, size_t *done, size_t *total)
{
    *done = sim->ndone + sim->nrejected;
    *total = sim->njobs;
}

void gs_sim_stats_get(const gs_sim *sim, gs_sim_stats *st)
{
    size_t i, n, nq = 0;
    double *v = sorted_jcts(sim, &n), qsum = 0;

    memset(st, 0, sizeof(*st));
    /* statistics over no job are unknown (null in summary.json), not 0 */
    st->c_mean_jct = st->c_p50_jct = st->c_p90_jct = st->c_p95_jct = st->c_p99_jct = st->c_max_jct =
        NAN;
    {
        size_t cn;
        double *cv = sorted_jcts_of(sim, 1, &cn);
        if (cv && cn) {
            st->c_mean_jct = gs__mean(cv, cn);
            st->c_p50_jct = gs__quantile_sorted(cv, cn, 0.50);
            st->c_p90_jct = gs__quantile_sorted(cv, cn, 0.90);
            st->c_p95_jct = gs__quantile_sorted(cv, cn, 0.95);
            st->c_p99_jct = gs__quantile_sorted(cv, cn, 0.99);
            st->c_max_jct = cv[cn - 1];
        }
        release_jcts(sim, cv);
    }
    st->jobs = sim->njobs;
    st->finished = sim->ndone;
    st->rejected = sim->nrejected;
    st->unfinished = sim->njobs - sim->ndone - sim->nrejected;
    /* statistics over no job are unknown (null in summary.json), not 0 */
    st->mean_jct = st->p10_jct = st->p25_jct = st->p50_jct = st->p75_jct = st->p90_jct =
        st->p95_jct = st->p99_jct = st->max_jct = NAN;
    if (v && n) {
        st->mean_jct = gs__mean(v, n);
        st->p10_jct = gs__quantile_sorted(v, n, 0.10);
        st->p25_jct = gs__quantile_sorted(v, n, 0.25);
        st->p50_jct = gs__quantile_sorted(v, n, 0.50);
        st->p75_jct = gs__quantile_sorted(v, n, 0.75);
        st->p90_jct = gs__quantile_sorted(v, n, 0.90);
        st->p95_jct = gs__quantile_sorted(v, n, 0.95);
        st->p99_jct = gs__quantile_sorted(v, n, 0.99);
        st->max_jct = v[n - 1];
    }
    release_jcts(sim, v);
    for (i = 0; i < sim->njobs; i++) {
        const gs__job *jb = &sim->jobs[i];
        if (jb->state == GS_JOB_DONE && jb->finish > st->makespan)
            st->makespan = jb->finish;
        if (jb->first_start >= 0) {
            qsum += jb->first_start - jb->submit;
            nq++;
        }
        st->restarts += jb->restarts;
        st->failures += jb->failures;
        st->demand_gpu_hours += jb->tj->gpu_num * jb->tj->duration / 3600.0;
        if (jb->submit > st->arrival_span)
            st->arrival_span = jb->submit; /* submissions are rebased to the first one */
        st->checkpoint_saves += jb->ckpt_saves;
        if (jb->state == GS_JOB_DONE && jb->end >= 0 && jb->end < GS_END_COUNT)
            st->ended[jb->end]++;
    }
    st->capacity_gpu_hours = gs_cluster_total_gpus(sim->cl) * st->arrival_span / 3600.0;
    st->load = st->capacity_gpu_hours > 0 ? st->demand_gpu_hours / st->capacity_gpu_hours : NAN;
    st->mean_queue = nq ? qsum / (double)nq : NAN;
    if (st->finished == 0)
        st->makespan = NAN;
    for (i = 0; i < gs_cluster_npools(sim->cl); i++)
        st->gpu_hours += sim->pool_busy[i] / 3600.0;
    st->wasted_gpu_hours = sim->wasted_gpu_s / 3600.0;
    st->startup_gpu_hours = sim->startup_gpu_s / 3600.0;
    st->lost_gpu_hours = sim->lost_gpu_s / 3600.0;
    st->events = sim->eng ? gs_engine_fired(sim->eng) : 0;
    st->plans = sim->plans;
    st->actions = sim->actions;
}

static void put_time(FILE *fp, double t, int present)
{
    char buf[64];

    if (present) {
        gs__fmt_double(buf, sizeof(buf), t);
        fputs(buf, fp);
    }
}

int gs_sim_write_jobs(const gs_sim *sim, FILE *fp, gs_err *err)
{
    size_t i;

    fputs("job_id,class,submit_time,start_time,finish_time,jct,queue_delay,gpu_type,gpus,"
          "restarts,failures,status,nodes,alloc_start,orig_gpus,trace_line" GS__OBS_JOB_HEADER
          ",startup_s,job_type\n",
          fp);
    for (i = 0; i < sim->njobs; i++) {
        const gs__job *jb = &sim->jobs[i];
        int started = jb->first_start >= 0, done = jb->state == GS_JOB_DONE;
        int has_alloc = jb->alloc.pool >= 0;
        gs__csv_put(jb->tj->id, fp);
        fputc(',', fp);
        gs__csv_put(gs_scaledb_class_name(sim->truth, jb->cls), fp);
        fputc(',', fp);
        put_time(fp, jb->submit, 1);
        fputc(',', fp);
        put_time(fp, jb->first_start, started);
        fputc(',', fp);
        put_time(fp, jb->finish, done);
        fputc(',', fp);
        put_time(fp, jb->finish - jb->submit, done);
        fputc(',', fp);
        put_time(fp, jb->first_start - jb->submit, started);
        fputc(',', fp);
        if (has_alloc)
            gs__csv_put(gs_cluster_pool(sim->cl, (size_t)jb->alloc.pool)->name, fp);
        fputc(',', fp);
        if (has_alloc)
            fprintf(fp, "%d", jb->alloc.gpus);
        fprintf(fp, ",%d,%d,%s,", jb->restarts, jb->failures, status_name(jb));
        if (has_alloc)
            fprintf(fp, "%d", jb->alloc.nodes);
        fputc(',', fp);
        put_time(fp, jb->start, has_alloc);
        fprintf(fp, ",%d,%ld", jb->tj->gpu_num, jb->tj->line);
        gs__obs_put_job(sim, (uint32_t)i, fp);
        fputc(',', fp);
        put_time(fp, jb->startup_total, 1);
        fputc(',', fp);
        gs__csv_put(jb->tj->type, fp);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write jobs.csv");
    return GS_OK;
}

int gs_sim_write_cdf(const gs_sim *sim, FILE *fp, gs_err *err)
{
    size_t n, i;
    double *v = sorted_jcts(sim, &n);
    char a[64], b[64];

    if (!v)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    fputs("jct,fraction\n", fp);
    for (i = 0; i < n; i++) {
        if (i + 1 < n && v[i + 1] == v[i])
            continue; /* one point per distinct JCT: the step's top */
        gs__fmt_double(a, sizeof(a), v[i]);
        gs__fmt_double(b, sizeof(b), (double)(i + 1) / (double)sim->njobs);
        fprintf(fp, "%s,%s\n", a, b);
    }
    release_jcts(sim, v);
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write jct_cdf.csv");
    return GS_OK;
}

int gs_sim_write_allocations(const gs_sim *sim, FILE *fp, gs_err *err)
{
    static const char *const outcome[] = {"finished", "resized", "preempted", "failed",
                                          "unfinished"};
    size_t i;

    fputs("job_id,gpu_type,gpus,nodes,start,end,outcome\n", fp);
    for (i = 0; i < sim->nsegs; i++) {
        const gs__seg *s = &sim->segs[i];
        gs__csv_put(sim->jobs[s->job].tj->id, fp);
        fputc(',', fp);
        gs__csv_put(gs_cluster_pool(sim->cl, (size_t)s->pool)->name, fp);
        fprintf(fp, ",%d,%d,", s->gpus, s->nodes);
        put_time(fp, s->start, 1);
        fputc(',', fp);
        put_time(fp, s->end, 1);
        fprintf(fp, ",%s\n", outcome[s->outcome]);
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write allocations.csv");
    return GS_OK;
}

static cJSON *add_obj(cJSON *parent, const char *key)
{
    return cJSON_AddObjectToObject(parent, key);
}

char *gs_sim_summary_json(const gs_sim *sim, const gs_run_meta *meta, gs_err *err)
{
    gs_sim_stats st;
    cJSON *root = cJSON_CreateObject(), *o, *pools, *util, *in, *params;
    size_t i;
    char *text;

    if (!root) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    gs_sim_stats_get(sim, &st);
    cJSON_AddStringToObject(root, "gpusim_version", GS_VERSION_STRING);
    cJSON_AddStringToObject(root, "command", meta && meta->command ? meta->command : "");
    cJSON_AddStringToObject(root, "policy", sim->pol->name);
    cJSON_AddStringToObject(root, "policy_knowledge",
                            sim->pol->knowledge ? sim->pol->knowledge : "");
    {
        char seed[32];
        snprintf(seed, sizeof(seed), "%llu", (unsigned long long)sim->opts.seed);
        cJSON_AddRawToObject(root, "seed", seed);
    }
    cJSON_AddNumberToObject(root, "jobs", (double)st.jobs);
    cJSON_AddNumberToObject(root, "finished", (double)st.finished);
    cJSON_AddNumberToObject(root, "unfinished", (double)st.unfinished);
    cJSON_AddNumberToObject(root, "unschedulable", (double)st.rejected);
    cJSON_AddNumberToObject(root, "completed", (double)st.ended[GS_END_COMPLETED]);
    cJSON_AddNumberToObject(root, "failed", (double)st.ended[GS_END_FAILED]);
    cJSON_AddNumberToObject(root, "cancelled", (double)st.ended[GS_END_CANCELLED]);
    /* every job that ended (as the cluster saw them), then the completed ones */
    o = add_obj(root, "jct");
    gs__jadd_fixed(o, "mean", st.mean_jct);
    gs__jadd_fixed(o, "p10", st.p10_jct);
    gs__jadd_fixed(o, "p25", st.p25_jct);
    gs__jadd_fixed(o, "p50", st.p50_jct);
    gs__jadd_fixed(o, "p75", st.p75_jct);
    gs__jadd_fixed(o, "p90", st.p90_jct);
    gs__jadd_fixed(o, "p95", st.p95_jct);
    gs__jadd_fixed(o, "p99", st.p99_jct);
    gs__jadd_fixed(o, "max", st.max_jct);
    o = add_obj(root, "jct_completed");
    gs__jadd_fixed(o, "mean", st.c_mean_jct);
    gs__jadd_fixed(o, "p50", st.c_p50_jct);
    gs__jadd_fixed(o, "p90", st.c_p90_jct);
    gs__jadd_fixed(o, "p95", st.c_p95_jct);
    gs__jadd_fixed(o, "p99", st.c_p99_jct);
    gs__jadd_fixed(o, "max", st.c_max_jct);
    gs__jadd_fixed(root, "mean_queue_delay", st.mean_queue);
    gs__jadd_fixed(root, "makespan", st.makespan);
    gs__jadd_fixed(root, "gpu_hours", st.gpu_hours);
    gs__jadd_fixed(root, "wasted_gpu_hours", st.wasted_gpu_hours);
    o = add_obj(root, "load");
    gs__jadd_fixed(o, "demand_gpu_hours", st.demand_gpu_hours);
    gs__jadd_fixed(o, "capacity_gpu_hours", st.capacity_gpu_hours);
    gs__jadd_fixed(o, "arrival_span", st.arrival_span);
    if (isnan(st.load))
        cJSON_AddNullToObject(o, "ratio");
    else
        gs__jadd_fixed(o, "ratio", st.load);
    gs__jadd_fixed(root, "startup_gpu_hours", st.startup_gpu_hours);
    gs__jadd_fixed(root, "lost_gpu_hours", st.lost_gpu_hours);
    cJSON_AddNumberToObject(root, "checkpoint_saves", (double)st.checkpoint_saves);
    cJSON_AddNumberToObject(root, "restarts", (double)st.restarts);
    cJSON_AddNumberToObject(root, "failures", (double)st.failures);
    util = add_obj(root, "utilization");
    for (i = 0; i < gs_cluster_npools(sim->cl); i++) {
        const gs_pool *pl = gs_cluster_pool(sim->cl, i);
        double span = sim->end_time;
        gs__jadd_fixed(util, pl->name,
                       span > 0 ? sim->pool_busy[i] / ((double)pl->capacity * span) : 0);
    }
    if (gs__obs_summary(sim, root, err) != GS_OK) {
        cJSON_Delete(root);
        return NULL;
    }
    o = add_obj(root, "trace");
    cJSON_AddStringToObject(o, "format", sim->trace->format ? sim->trace->format : "");
    cJSON_AddStringToObject(o, "schema", sim->trace->schema);
    cJSON_AddStringToObject(o, "job_type", sim->trace->job_type ? sim->trace->job_type : "");
    cJSON_AddNumberToObject(o, "rows", (double)sim->trace->stats.rows);
    cJSON_AddNumberToObject(o, "kept", (double)sim->trace->stats.kept);
    cJSON_AddNumberToObject(o, "skipped_other_type", (double)sim->trace->stats.skipped_type);
    cJSON_AddNumberToObject(o, "skipped_zero_gpu", (double)sim->trace->stats.skipped_zero_gpu);
    cJSON_AddNumberToObject(o, "skipped_no_duration",
                            (double)sim->trace->stats.skipped_no_duration);
    cJSON_AddStringToObject(o, "states", sim->trace->states ? sim->trace->states : "all");
    cJSON_AddNumberToObject(o, "skipped_state", (double)sim->trace->stats.skipped_state);
    if (sim->trace->aux_path)
        cJSON_AddNumberToObject(o, "skipped_no_tasks", (double)sim->trace->stats.skipped_no_tasks);
    cJSON_AddNumberToObject(o, "fractional_gpu_requests", (double)sim->trace->stats.fractional);
    if (gs__summary_groups(sim, root) != GS_OK) {
        cJSON_Delete(root);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    o = add_obj(root, "cluster");
    cJSON_AddStringToObject(o, "name", gs_cluster_name(sim->cl));
    cJSON_AddNumberToObject(o, "gpus", gs_cluster_total_gpus(sim->cl));
    pools = cJSON_AddArrayToObject(o, "pools");
    for (i = 0; i < gs_cluster_npools(sim->cl); i++) {
        const gs_pool *pl = gs_cluster_pool(sim->cl, i);
        cJSON *po = gs__jpush(pools, cJSON_CreateObject());
        cJSON_AddStringToObject(po, "gpu_type", pl->name);
        cJSON_AddNumberToObject(po, "gpus_per_node", pl->gpus_per_node);
        cJSON_AddNumberToObject(po, "nodes", pl->nodes);
        gs__jadd_fixed(po, "busy_watts", pl->busy_watts);
        gs__jadd_fixed(po, "idle_watts", pl->idle_watts);
        gs__jadd_fixed(po, "price_per_gpu_hour", pl->price_per_gpu_hour);
        cJSON_AddStringToObject(po, "power_from",
                                pl->power_from == GS_POWER_CONFIG    ? "config"
                                : pl->power_from == GS_POWER_DEFAULT ? "default"
                                                                     : "none");
    }
    cJSON_AddStringToObject(root, "scaledb", gs_scaledb_name(sim->truth));
    o = add_obj(root, "options");
    /* -1: modelled (the lifecycle below) */
    gs__jadd_fixed(o, "restart_delay", sim->opts.restart_delay < 0 ? -1 : sim->opts.restart_delay);
    gs__jadd_fixed(o, "fail_delay", sim->opts.fail_delay < 0 ? -1 : sim->opts.fail_delay);
    gs__jadd_fixed(o, "round_length", sim->opts.round_length);
    gs__jadd_fixed(o, "until", sim->opts.until);
    cJSON_AddNumberToObject(o, "max_failures", sim->opts.max_failures);
    gs__jadd_fixed(o, "knowledge_error", sim->opts.knowledge_error);
    gs__jadd_fixed(o, "viability_error", sim->opts.viability_error);
    {
        char seed[32];
        snprintf(seed, sizeof(seed), "%llu", (unsigned long long)sim->opts.knowledge_seed);
        cJSON_AddRawToObject(o, "knowledge_seed", seed);
    }
    params = add_obj(o, "params");
    for (i = 0; i < sim->opts.nparams; i++) {
        const char *p = sim->opts.params[i], *eq = strchr(p, '=');
        char key[128];
        size_t n = eq ? (size_t)(eq - p) : strlen(p);
        if (n >= sizeof(key))
            n = sizeof(key) - 1;
        memcpy(key, p, n);
        key[n] = '\0';
        cJSON_AddStringToObject(params, key, eq ? eq + 1 : "");
    }
    o = add_obj(root, "lifecycle");
    gs__jadd_fixed(o, "schedule_s", sim->life.schedule_s);
    gs__jadd_fixed(o, "init_s", sim->life.init_s);
    gs__jadd_fixed(o, "init_per_doubling_s", sim->life.init_per_doubling_s);
    gs__jadd_fixed(o, "storage_read_GBps_per_node", sim->life.read_GBps);
    gs__jadd_fixed(o, "storage_write_GBps_per_node", sim->life.write_GBps);
    gs__jadd_fixed(o, "checkpoint_interval_s", sim->life.checkpoint_interval_s);
    cJSON_AddStringToObject(o, "preemption", sim->life.graceful ? "graceful" : "abrupt");
    o = add_obj(root, "engine");
    cJSON_AddNumberToObject(o, "events", (double)st.events);
    cJSON_AddNumberToObject(o, "plans", (double)st.plans);
    cJSON_AddNumberToObject(o, "actions", (double)st.actions);
    o = add_obj(root, "policy_stats");
    for (i = 0; i < sim->nstats; i++)
        gs__jadd_fixed(o, sim->stat_keys[i], sim->stat_vals[i]);
    for (i = 0; i < sim->ntsets; i++) {
        const struct gs__timeset *ts = &sim->tsets[i];
        static const char *const what[] = {"mean", "p50", "p95", "max"};
        double *t, val[4];
        char key[160];
        int w;
        if (ts->n == 0)
            continue;
        if (!(t = malloc(ts->n * sizeof(*t)))) {
            cJSON_Delete(root);
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        memcpy(t, ts->v, ts->n * sizeof(*t));
        gs__sort(t, ts->n);
        val[0] = gs__mean(t, ts->n);
        val[1] = gs__quantile_sorted(t, ts->n, 0.5);
        val[2] = gs__quantile_sorted(t, ts->n, 0.95);
        val[3] = t[ts->n - 1];
        free(t);
        for (w = 0; w < 4; w++) {
            snprintf(key, sizeof(key), "%s_ms_%s", ts->key, what[w]);
            gs__jadd_fixed(o, key, 1e3 * val[w]);
        }
    }
    if (sim->opts.timing && sim->nptime > 0) {
        double *t = malloc(sim->nptime * sizeof(*t));
        if (!t) {
            cJSON_Delete(root);
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        memcpy(t, sim->ptime, sim->nptime * sizeof(*t));
        gs__sort(t, sim->nptime);
        o = add_obj(root, "policy_time");
        cJSON_AddNumberToObject(o, "calls", (double)sim->nptime);
        gs__jadd_fixed(o, "mean_ms", 1e3 * gs__mean(t, sim->nptime));
        gs__jadd_fixed(o, "p50_ms", 1e3 * gs__quantile_sorted(t, sim->nptime, 0.5));
        gs__jadd_fixed(o, "p95_ms", 1e3 * gs__quantile_sorted(t, sim->nptime, 0.95));
        gs__jadd_fixed(o, "max_ms", 1e3 * t[sim->nptime - 1]);
        gs__jadd_fixed(o, "total_s", gs__mean(t, sim->nptime) * (double)sim->nptime);
        free(t);
    }
    in = add_obj(root, "inputs");
    for (i = 0; meta && i < meta->ninputs; i++) {
        char hex[65];
        cJSON *io = add_obj(in, meta->input_names[i]);
        char *label = gs__data_label(meta->input_paths[i]);
        if (!label) {
            cJSON_Delete(root);
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        cJSON_AddStringToObject(io, "path", label);
        free(label);
        if (!strncmp(meta->input_paths[i], "sia:", 4))
            continue; /* a folder of Sia's data (gs_scaledb_load_sia): no one file to hash */
        if (gs_sha256_file(meta->input_paths[i], hex, err) != GS_OK) {
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddStringToObject(io, "sha256", hex);
    }
    text = gs__jprint(root, 1, err); /* NULL also when the tree was built short */
    cJSON_Delete(root);
    return text;
}
