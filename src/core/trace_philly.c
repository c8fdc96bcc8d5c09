/* SPDX-License-Identifier: Apache-2.0 */
/* Microsoft Philly traces (Jeon et al., ATC '19; msr-fiddle/philly-traces): cluster_job_log, a
 * JSON array of jobs with their scheduling attempts and the machines and GPUs of each; keys by
 * name, one job's tree at a time (cJSON over the mapped file). */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "trace_int.h"
#include "util_int.h"

typedef struct philly {
    gs__trace_ctx *cx;
    const char *path;
} philly;

/* "trace 'F' line N: field 'P': <msg> <value>" */
static int bad(const philly *ph, const gs__jitem *it, const char *jpath, const cJSON *v,
               const char *msg, gs_err *err)
{
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;
    int rc = gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: field '%s': %s%s%.60s%s", ph->path,
                       gs__jitem_line(it, jpath), *jpath ? jpath : "(job)", msg, v ? ", got " : "",
                       text ? text : "", text && strlen(text) > 60 ? "..." : "");
    free(text);
    return rc;
}

static int missing(const philly *ph, const gs__jitem *it, const char *parent, const char *key,
                   gs_err *err)
{
    return gs_errorf(err, GS_EPARSE, "trace '%s' line %ld: field '%s%s%s': missing", ph->path,
                     gs__jitem_line(it, parent), parent, *parent ? "." : "", key);
}

/* A time of the log: "YYYY-MM-DD hh:mm:ss" (read as UTC), or null / "None" / "" when not
 * recorded (the README's notes). *have says which. */
static int get_time(const philly *ph, const gs__jitem *it, const cJSON *obj, const char *objp,
                    const char *key, int required, double *t, int *have, gs_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char path[128];

    snprintf(path, sizeof(path), "%s%s%s", objp, *objp ? "." : "", key);
    *have = 0;
    if (!v) {
        if (required)
            return missing(ph, it, objp, key, err);
        return GS_OK;
    }
    if (cJSON_IsNull(v) ||
        (cJSON_IsString(v) && (!*v->valuestring || !strcmp(v->valuestring, "None")))) {
        if (required)
            return bad(ph, it, path, v, "no time recorded", err);
        return GS_OK;
    }
    if (!cJSON_IsString(v) || gs_parse_timestamp(v->valuestring, strlen(v->valuestring), t, NULL))
        return bad(ph, it, path, v, "expected a time 'YYYY-MM-DD hh:mm:ss'", err);
    *have = 1;
    return GS_OK;
}

static int get_str(const philly *ph, const gs__jitem *it, const cJSON *obj, const char *key,
                   int required, const char **out, gs_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    *out = "";
    if (!v)
        return required ? missing(ph, it, "", key, err) : GS_OK;
    if (!cJSON_IsString(v) || (required && !*v->valuestring))
        return bad(ph, it, key, v, "expected a non-empty string", err);
    *out = v->valuestring;
    return GS_OK;
}

/* GPUs and machines of one attempt: the lengths of detail[].gpus. */
static int attempt_size(const philly *ph, const gs__jitem *it, const cJSON *at, const char *atp,
                        int *gpus, int *nodes, gs_err *err)
{
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(at, "detail"), *d;
    char path[128];
    int k = 0;

    *gpus = *nodes = 0;
    if (!detail)
        return missing(ph, it, atp, "detail", err);
    snprintf(path, sizeof(path), "%s.detail", atp);
    if (!cJSON_IsArray(detail))
        return bad(ph, it, path, detail, "expected an array of machines", err);
    cJSON_ArrayForEach(d, detail)
    {
        const cJSON *g, *ip;
        char dp[128], gp[160];
        snprintf(dp, sizeof(dp), "%s.detail[%d]", atp, k++);
        if (!cJSON_IsObject(d))
            return bad(ph, it, dp, d, "expected an object {ip, gpus}", err);
        ip = cJSON_GetObjectItemCaseSensitive(d, "ip");
        if (ip && !cJSON_IsString(ip)) {
            snprintf(gp, sizeof(gp), "%s.ip", dp);
            return bad(ph, it, gp, ip, "expected a machine name", err);
        }
        g = cJSON_GetObjectItemCaseSensitive(d, "gpus");
        if (!g)
            return missing(ph, it, dp, "gpus", err);
        snprintf(gp, sizeof(gp), "%s.gpus", dp);
        if (!cJSON_IsArray(g))
            return bad(ph, it, gp, g, "expected an array of GPU names", err);
        {
            const cJSON *x;
            int i = 0;
            cJSON_ArrayForEach(x, g)
            {
                if (!cJSON_IsString(x)) {
                    char xp[180];
                    snprintf(xp, sizeof(xp), "%s[%d]", gp, i);
                    return bad(ph, it, xp, x, "expected a GPU name", err);
                }
                i++;
            }
            *gpus += i;
        }
        (*nodes)++;
    }
    return GS_OK;
}

/* Philly's status words in ACME's (the README: Pass, Killed or Failed). */
static const char *state_of(const char *status, int *end)
{
    if (!strcmp(status, "Pass"))
        return *end = GS_END_COMPLETED, "COMPLETED";
    if (!strcmp(status, "Killed"))
        return *end = GS_END_CANCELLED, "CANCELLED";
    if (!strcmp(status, "Failed"))
        return *end = GS_END_FAILED, "FAILED";
    return NULL;
}

static int on_job(void *ctx, const cJSON *job, const gs__jitem *it, gs_err *err)
{
    philly *ph = ctx;
    gs__trace_rec r;
    const cJSON *attempts, *at, *st;
    double first_start = 0, last_end = 0;
    int have_start = 0, have_end = 0, n = 0, rc;

    if (!cJSON_IsObject(job))
        return bad(ph, it, "", job, "expected a job object", err);
    memset(&r, 0, sizeof(r));
    r.line = it->line;
    r.queue = -1;
    r.duration = -1;
    if ((rc = get_str(ph, it, job, "jobid", 1, &r.id, err)) != GS_OK ||
        (rc = get_str(ph, it, job, "user", 0, &r.user, err)) != GS_OK)
        return rc;
    st = cJSON_GetObjectItemCaseSensitive(job, "status");
    r.state = "";
    if (st) {
        if (!cJSON_IsString(st) || !(r.state = state_of(st->valuestring, &r.end)))
            return bad(ph, it, "status", st, "expected \"Pass\", \"Killed\" or \"Failed\"", err);
    }
    if ((rc = get_time(ph, it, job, "", "submitted_time", 1, &r.submit_epoch, &have_start, err)) !=
        GS_OK)
        return rc;
    r.utc_offset_min = 0;
    attempts = cJSON_GetObjectItemCaseSensitive(job, "attempts");
    if (!attempts)
        return missing(ph, it, "", "attempts", err);
    if (!cJSON_IsArray(attempts))
        return bad(ph, it, "attempts", attempts, "expected an array of attempts", err);
    have_start = 0;
    cJSON_ArrayForEach(at, attempts)
    {
        char ap[64];
        double s = 0, e = 0;
        int hs, he, g, nodes;
        snprintf(ap, sizeof(ap), "attempts[%d]", n);
        if (!cJSON_IsObject(at))
            return bad(ph, it, ap, at, "expected an attempt object", err);
        if ((rc = get_time(ph, it, at, ap, "start_time", 0, &s, &hs, err)) != GS_OK ||
            (rc = get_time(ph, it, at, ap, "end_time", 0, &e, &he, err)) != GS_OK ||
            (rc = attempt_size(ph, it, at, ap, &g, &nodes, err)) != GS_OK)
            return rc;
        if (hs && he && e < s) {
            char ep[80];
            snprintf(ep, sizeof(ep), "%s.end_time", ap);
            return bad(ph, it, ep, cJSON_GetObjectItemCaseSensitive(at, "end_time"),
                       "ends before its start_time", err);
        }
        if (n == 0) {
            /* the job's size is its first attempt's, as in the trace's own analysis notebook */
            r.gpus = g;
            r.node_num = nodes;
            have_start = hs;
            first_start = s;
        }
        have_end = he;
        last_end = e;
        n++;
    }
    if (n == 0) {
        /* never scheduled: the size is unknown; counted as a job that never ran */
        r.gpus = 1;
    } else if (have_start && have_end) {
        if (last_end < first_start) {
            char ep[80];
            snprintf(ep, sizeof(ep), "attempts[%d].end_time", n - 1);
            return bad(ph, it, ep, NULL, "the last attempt ends before the first one starts", err);
        }
        /* first attempt's start to last attempt's end, as the notebook's run time */
        r.duration = last_end - first_start;
        if (first_start >= r.submit_epoch)
            r.queue = first_start - r.submit_epoch;
    }
    r.type = "";
    return gs__trace_push(ph->cx, &r, err);
}

static int philly_load(gs__trace_ctx *cx, const char *path, const gs_trace_opts *o, gs_err *err)
{
    philly ph;

    (void)o;
    ph.cx = cx;
    ph.path = path;
    return gs__json_stream(path, on_job, &ph, err);
}

static int philly_detect(const gs__trace_head *h, const char **why)
{
    if (!h->json)
        return 0;
    if (strstr(h->bytes, "\"attempts\"") || strstr(h->bytes, "\"jobid\"")) {
        *why = "a JSON job log with 'jobid' and 'attempts'";
        return 100;
    }
    *why = "a JSON document (the only JSON format)";
    return 60;
}

const gs__trace_format gs__trace_philly = {
    .name = "philly",
    .summary = "Microsoft Philly (msr-fiddle/philly-traces, ATC'19): cluster_job_log, JSON jobs "
               "with attempts and the GPUs of each; no job types",
    .has_types = 0,
    .default_filter = "all",
    .detect = philly_detect,
    .load = philly_load,
};
