/* SPDX-License-Identifier: Apache-2.0 */
/* A run's result folder, written as `gpusim run --out DIR` writes it (the program and the Python
 * package share this code, so their folders are the same byte for byte). */
#include <stdio.h>
#include <stdlib.h>

#include "gpusim/io.h"
#include "gpusim/sim.h"

struct gs_results {
    gs_sim *sim;
    gs_outdir od;
    FILE *timeline;
};

gs_results *gs_results_begin(gs_sim *sim, const char *dir, int force, int timeline,
                             double sample_interval, gs_err *err)
{
    gs_results *r = calloc(1, sizeof(*r));

    if (!r) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    r->sim = sim;
    if (gs_outdir_begin(&r->od, dir, force, err) != GS_OK) {
        free(r);
        return NULL;
    }
    if (timeline && (!(r->timeline = gs_outdir_fopen(&r->od, "timeline.csv", err)) ||
                     gs_sim_timeline(sim, r->timeline, sample_interval, err) != GS_OK)) {
        if (!err || !err->code)
            gs_errorf(err, GS_EIO, "cannot write timeline.csv into '%s'", dir);
        gs_results_abort(r);
        return NULL;
    }
    return r;
}

static int put_jobs(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_jobs(sim, fp, err);
}

static int put_cdf(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_cdf(sim, fp, err);
}

static int put_allocations(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_allocations(sim, fp, err);
}

static int put_users(const void *sim, FILE *fp, gs_err *err)
{
    return gs_sim_write_users(sim, fp, err);
}

int gs_results_commit(gs_results *r, const gs_run_meta *meta, gs_err *err)
{
    char *summary = NULL;
    const char *dir = r->od.final;
    int rc = GS_OK;

    if (r->timeline) {
        if (fclose(r->timeline) != 0)
            rc = gs_errorf(err, GS_EIO, "cannot write timeline.csv into '%s'", dir);
        r->timeline = NULL;
    }
    if (rc == GS_OK && !(summary = gs_sim_summary_json(r->sim, meta, err)))
        rc = err && err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK && (rc = gs_outdir_write(&r->od, "jobs.csv", put_jobs, r->sim, err)) == GS_OK &&
        (rc = gs_outdir_write(&r->od, "jct_cdf.csv", put_cdf, r->sim, err)) == GS_OK &&
        (rc = gs_outdir_write(&r->od, "allocations.csv", put_allocations, r->sim, err)) == GS_OK &&
        (rc = gs_outdir_write(&r->od, "users.csv", put_users, r->sim, err)) == GS_OK)
        rc = gs_outdir_write_text(&r->od, "summary.json", summary, err);
    free(summary);
    if (rc != GS_OK) {
        if (!err || !err->code)
            gs_errorf(err, rc, "cannot write the results into '%s'", dir);
        gs_results_abort(r);
        return rc;
    }
    rc = gs_outdir_commit(&r->od, err); /* it cleans up when it fails */
    free(r);
    return rc;
}

void gs_results_abort(gs_results *r)
{
    if (!r)
        return;
    if (r->timeline)
        fclose(r->timeline);
    gs_outdir_abort(&r->od);
    free(r);
}
