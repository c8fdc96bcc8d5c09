/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim sample`: the busiest window of a trace and the traces drawn from it. */
#include "gpusim/sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h"
#include "rng_int.h"

int gs_sample_find_window(const gs_trace *t, int hours, int per_hour, gs_sample_window *w,
                          gs_err *err)
{
    double len = 3600.0 * hours;
    size_t i, j = 0, best = 0, bestn = 0, total;
    long rem_sum = 0;
    double frac[GS_SAMPLE_MAX_HOURS];
    int h;

    memset(w, 0, sizeof(*w));
    if (hours < 1 || hours > GS_SAMPLE_MAX_HOURS)
        return gs_errorf(err, GS_EINVAL, "window must be 1 to %d hours, got %d",
                         GS_SAMPLE_MAX_HOURS, hours);
    if (per_hour < 1 || per_hour > 1000000)
        return gs_errorf(err, GS_EINVAL, "jobs per hour must be 1 to 1000000, got %d", per_hour);
    if (t->njobs == 0)
        return gs_errorf(err, GS_EINVAL, "trace '%s' holds no job", t->path ? t->path : "");
    /* jobs are sorted by absolute submission time: slide a window starting at each job */
    for (i = 0; i < t->njobs; i++) {
        if (j < i)
            j = i;
        while (j < t->njobs && t->jobs[j].submit_epoch < t->jobs[i].submit_epoch + len)
            j++;
        if (j - i > bestn) {
            bestn = j - i;
            best = i;
        }
    }
    w->hours = hours;
    w->per_hour = per_hour;
    w->start_epoch = t->jobs[best].submit_epoch;
    w->utc_offset_min = t->jobs[best].utc_offset_min;
    w->first = best;
    w->njobs = bestn;
    for (i = best; i < best + bestn; i++) {
        h = (int)floor((t->jobs[i].submit_epoch - w->start_epoch) / 3600);
        w->hourly[h < hours ? h : hours - 1]++;
    }
    /* apportion per_hour * hours jobs to the hours by their submissions (largest remainders) */
    total = (size_t)per_hour * (size_t)hours;
    for (h = 0; h < hours; h++) {
        double q = (double)total * (double)w->hourly[h] / (double)bestn;
        w->target[h] = (long)floor(q);
        frac[h] = q - floor(q);
        rem_sum += w->target[h];
    }
    while ((size_t)rem_sum < total) {
        int b = 0;
        for (h = 1; h < hours; h++)
            if (frac[h] > frac[b])
                b = h;
        w->target[b]++;
        frac[b] = -1;
        rem_sum++;
    }
    w->with_replacement = bestn < total;
    return GS_OK;
}

typedef struct pick {
    const gs_trace_job *j;
    double submit; /* UTC seconds */
    size_t order;  /* tie-break */
    int copy;      /* a repeat of a job already drawn: new id and submit time */
} pick;

static int by_pick(const void *a, const void *b)
{
    const pick *x = a, *y = b;

    if (x->submit != y->submit)
        return x->submit < y->submit ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static void put_num(FILE *fp, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        fprintf(fp, "%.0f", v);
    else
        fprintf(fp, "%.15g", v);
}

static void write_row(FILE *fp, const pick *p, int k, size_t n)
{
    const gs_trace_job *j = p->j;
    char ts[40];

    if (p->copy) {
        char id[256];
        snprintf(id, sizeof(id), "%.200s-s%d-%zu", j->id, k, n);
        gs__csv_put(id, fp);
    } else {
        gs__csv_put(j->id, fp);
    }
    fputc(',', fp);
    gs__csv_put(j->user, fp);
    fputc(',', fp);
    if (j->node_num > 0)
        fprintf(fp, "%d", j->node_num);
    fprintf(fp, ",%d,", j->gpu_num);
    if (j->cpu_num > 0)
        fprintf(fp, "%d", j->cpu_num);
    fputc(',', fp);
    gs__csv_put(j->type, fp);
    fputc(',', fp);
    gs__csv_put(j->state, fp);
    gs_format_timestamp(ts, sizeof(ts), p->submit, j->utc_offset_min);
    fprintf(fp, ",%s,", ts);
    if (j->queue >= 0) {
        gs_format_timestamp(ts, sizeof(ts), p->submit + j->queue, j->utc_offset_min);
        fprintf(fp, "%s,", ts);
        gs_format_timestamp(ts, sizeof(ts), p->submit + j->queue + j->duration, j->utc_offset_min);
        fprintf(fp, "%s", ts);
    } else {
        fputc(',', fp);
    }
    fputc(',', fp);
    put_num(fp, j->duration);
    fputc(',', fp);
    if (j->queue >= 0)
        put_num(fp, j->queue);
    fprintf(fp, ",%.1f\n", j->duration * j->gpu_num);
}

/* Appends the jobs of one hour to picks: want of the c jobs pool[0..c). Without reuse (want <= c)
 * a uniform random subset keeps its rows. Otherwise every job is taken once (its row kept), then
 * want / c - 1 more times, then a random subset of want % c once more: as many distinct jobs as
 * the hour holds, each reused as evenly as possible; each repeat gets a submit time uniform in
 * the hour and is written under a new id. */
static size_t draw_hour(gs__rng *rng, pick *picks, size_t n, pick *pool, size_t c, size_t want,
                        double h0, size_t copy_base)
{
    size_t i, r, full, rem, at = n;

    if (want <= c) {
        gs__rng_choose(rng, picks + at, want, pool, c, sizeof(*pool));
        return at + want;
    }
    full = want / c;
    rem = want % c;
    memcpy(picks + at, pool, c * sizeof(*pool));
    at += c;
    for (r = 1; r < full; r++) {
        memcpy(picks + at, pool, c * sizeof(*pool));
        at += c;
    }
    gs__rng_choose(rng, picks + at, rem, pool, c, sizeof(*pool));
    at += rem;
    for (i = n + c; i < at; i++) {
        picks[i].submit = floor(h0 + 3600 * gs__rng_uniform(rng));
        picks[i].order = copy_base + i; /* after every source row: no tie */
        picks[i].copy = 1;
    }
    return at;
}

int gs_sample_write(const gs_trace *t, const gs_sample_window *w, int k, uint64_t seed, FILE *fp,
                    gs_sample_info *info, gs_err *err)
{
    size_t total = 0, n = 0, i, from = w->first, maxh = 0, distinct = 0;
    pick *picks, *pool;
    gs__rng *rng;
    int h;

    for (h = 0; h < w->hours; h++) {
        total += (size_t)w->target[h];
        if ((size_t)w->hourly[h] > maxh)
            maxh = (size_t)w->hourly[h];
    }
    picks = malloc((total ? total : 1) * sizeof(*picks));
    pool = malloc((maxh ? maxh : 1) * sizeof(*pool));
    /* an independent stream per trace: the k-th trace does not depend on how many are drawn */
    rng = gs__rng_new(gs__seed_mix(seed) ^ gs__seed_mix(0x73616d706c65ull + (uint64_t)k));
    if (!picks || !pool || !rng) {
        free(picks);
        free(pool);
        gs__rng_free(rng);
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    for (h = 0; h < w->hours; h++) {
        size_t c = (size_t)w->hourly[h], want = (size_t)w->target[h];
        for (i = 0; i < c; i++) {
            pool[i].j = &t->jobs[from + i];
            pool[i].submit = t->jobs[from + i].submit_epoch;
            pool[i].order = from + i;
            pool[i].copy = 0;
        }
        from += c;
        if (want == 0 || c == 0)
            continue;
        n = draw_hour(rng, picks, n, pool, c, want, w->start_epoch + 3600.0 * h, t->njobs);
        distinct += want < c ? want : c;
    }
    qsort(picks, n, sizeof(*picks), by_pick);
    fputs(GS_TRACE_SEREN_HEADER "\n", fp);
    for (i = 0; i < n; i++)
        write_row(fp, &picks[i], k, i + 1);
    free(picks);
    free(pool);
    gs__rng_free(rng);
    if (info) {
        info->jobs = n;
        info->distinct = distinct;
        info->reused = n - distinct;
    }
    if (ferror(fp))
        return gs_errorf(err, GS_EIO, "cannot write sampled trace %d", k);
    return GS_OK;
}
