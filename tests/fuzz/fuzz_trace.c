/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: traces of every format detection reads from one file (ACME Seren and Kalos,
 * Helios CSV, Philly JSON), with the format's default job-type filter or all types, then a short
 * fifo run of what loads on the test cluster with the invariant checker on. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "gpusim/cluster.h"
#include "gpusim/registry.h"
#include "gpusim/scaling_db.h"
#include "gpusim/sim.h"
#include "gpusim/trace.h"

static gs_scaledb *db;
static gs_cluster *cl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = gs_fuzz_write("trace.csv", data, size);
    gs_err err = {0};
    gs_trace tr;

    if (!db) {
        db = gs_scaledb_load(gs_fuzz_source("tests/data/tiny_db.json"), &err);
        cl = db ? gs_cluster_load(gs_fuzz_source("tests/data/tiny_cluster.json"), db, &err) : NULL;
        if (!cl)
            __builtin_trap();
    }
    if (gs_trace_load(&tr, path, size && (data[0] & 1) ? "all" : NULL, &err) == GS_OK) {
        char ts[64];
        gs_format_timestamp(ts, sizeof(ts), tr.t0_epoch, tr.jobs[0].utc_offset_min);
        if (tr.njobs <= 64) {
            gs_sim_opts o;
            gs_sim *sim;
            gs_err e2 = {0};
            gs_sim_opts_init(&o);
            o.policy_ops = gs_policy_find("fifo");
            o.check_invariants = 1;
            sim = gs_sim_new(&tr, cl, db, &o, &e2);
            if (sim && gs_sim_run(sim, &e2) == GS_OK) {
                gs_sim_stats st;
                gs_sim_stats_get(sim, &st);
            }
            gs_sim_free(sim);
        }
        gs_trace_release(&tr);
    }
    return 0;
}
