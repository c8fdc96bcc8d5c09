/* SPDX-License-Identifier: Apache-2.0 */
/* Merging many result folders (a sweep) into tables: one row per run, jobs of every run, and
 * JCT CDFs pooled over the runs that share a parameter. */
#ifndef GPUSIM_MERGE_H
#define GPUSIM_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "gpusim/err.h"

typedef struct gs_merge gs_merge;

/* An empty set of runs. NULL with err filled on ENOMEM. */
gs_merge *gs_merge_new(gs_err *err);
/* Frees m and everything it read. gs_merge_free(NULL) does nothing. */
void gs_merge_free(gs_merge *m);

/* Adds the result folders at or under path: path itself when it holds summary.json (path may
 * also name a summary.json file), otherwise every folder below it that does, in byte order of
 * their names. Folders whose name starts with '.' are not searched: they are the temporary
 * folders of unfinished runs. A folder added before is not added again. Every summary.json is
 * read and checked now. Returns GS_OK; GS_ENOTFOUND when path does not exist or holds no result
 * folder; GS_EPARSE for malformed JSON (file, line and column named) or a missing or mistyped
 * field (file, line and field named); GS_EIO; GS_ENOMEM. On error m is unchanged. */
int gs_merge_add(gs_merge *m, const char *path, gs_err *err);

/* Number of runs added, and the folder of run i (valid until m is freed). */
size_t gs_merge_nruns(const gs_merge *m);
const char *gs_merge_run_dir(const gs_merge *m, size_t i);

/* The value of column name for run i ("" when the run has none), or NULL when no run has that
 * column. Valid until m is freed or a run is added. Column names are those of the runs table. */
const char *gs_merge_value(const gs_merge *m, size_t i, const char *name);

/* Writes the runs table as CSV: a header, then one row per run in the order they were added.
 * Columns, in this order: run (the folder); the run's parameters (policy, policy_knowledge,
 * trace, trace_sha256, job_type, cluster, cluster_path, cluster_sha256, scaledb, scaledb_path,
 * scaledb_sha256, seed, restart_delay, fail_delay, round_length, until, max_failures,
 * knowledge_error, viability_error, knowledge_seed, gpusim_version, then param.<key> for every
 * --param key any run has); its metrics (jobs, finished, unfinished, unschedulable, jct_mean,
 * jct_p10, jct_p25, jct_p50, jct_p75, jct_p90, jct_p95, jct_p99, jct_max, mean_queue_delay,
 * makespan, gpu_hours, wasted_gpu_hours, load, demand_gpu_hours, capacity_gpu_hours, restarts,
 * failures, trace_rows, trace_kept, cluster_gpus, events, plans, actions, then util.<gpu type>,
 * policy_stats.<key>, policy_time.<key>, fairness.<key>, energy_kwh.<key>,
 * energy_kwh_type.<gpu type>, cost_usd.<key> and cost_usd_type.<gpu type> for every key any run
 * has); and command. Keys of each group are in byte order; a run without one has an empty cell,
 * as has a null value (an infinite --until); so have jct_p10, jct_p25, jct_p75, load,
 * demand_gpu_hours and capacity_gpu_hours for summaries of gpusim versions that lacked them.
 * Numbers are copied as written in summary.json. Returns GS_OK or GS_EIO. */
int gs_merge_write_runs(const gs_merge *m, FILE *fp, gs_err *err);

/* Writes every run's jobs.csv as one CSV: the run's parameter columns (run to param.<key>, as
 * above), then the jobs.csv columns, one row per job, runs in order. Every jobs.csv must have the
 * same header. Returns GS_OK, GS_EIO (a jobs.csv missing or unreadable), GS_EPARSE (a malformed
 * jobs.csv, a header unlike the first one's, a row with the wrong number of fields: file and line
 * named) or GS_ENOMEM. */
int gs_merge_write_jobs(const gs_merge *m, FILE *fp, gs_err *err);

/* Writes the JCT CDF of the jobs of each group of runs that share the value of the parameter
 * column by ("policy", "knowledge_error", "param.x", "run", ...): a CSV "<by>,jct,fraction"
 * with, for each group in byte order of its value, one row per distinct JCT (the top of the
 * step). fraction counts every job of the group's runs, so unfinished and unschedulable jobs keep
 * it below 1. Returns GS_OK, GS_EINVAL (by is not a parameter column), or the errors of reading
 * jobs.csv as gs_merge_write_jobs. */
int gs_merge_write_cdf(const gs_merge *m, const char *by, FILE *fp, gs_err *err);

/* Writes the spread of the runs' JCT CDFs per group of runs sharing the value of column by: a
 * CSV "<by>,jct,mean,lo,hi,runs" with, for each group in byte order of its value, `points`
 * JCTs spaced evenly on a log scale from the smallest positive JCT of all runs to the largest,
 * and at each the mean over the group's runs of the fraction of a run's jobs finished by then
 * (unfinished jobs count, as in jct_cdf.csv) with its bootstrap interval at level (2,000
 * resamples, seeded: the same runs give the same bytes). For figures with a band: with runs on
 * independent traces, the band shows how much the CDF moves between samples. Returns GS_OK,
 * GS_EINVAL (by not a parameter column, points outside 2..100000, level outside (0, 1)), or the
 * errors of reading jobs.csv. */
int gs_merge_write_cdf_band(const gs_merge *m, const char *by, size_t points, double level,
                            FILE *fp, gs_err *err);

/* A runs table read back: named columns and rows of text cells, as gs_merge_write_runs writes
 * them (one row per run), for statistics over runs (`gpusim stats`, `gpusim paired`). */
typedef struct gs_runtab gs_runtab;

/* Reads the runs at paths[0..n): each is a CSV file with a header (a runs table written by
 * `gpusim merge -o`, or any CSV table), or a result folder or a folder searched for them (as
 * gs_merge_add finds them; all such paths are merged together into one runs table). Columns are
 * the union over the sources, by name; a row has "" in the columns its source lacks. Rows keep
 * the order of their sources. Returns the table, or NULL with err filled: GS_ENOTFOUND, GS_EPARSE
 * (file and line named: a row whose field count differs from its header, a header naming a
 * column twice), GS_EIO, GS_EINVAL (n is 0) or GS_ENOMEM. */
gs_runtab *gs_runtab_load(const char *const *paths, size_t n, gs_err *err);
void gs_runtab_free(gs_runtab *t);
size_t gs_runtab_nrows(const gs_runtab *t);
size_t gs_runtab_ncols(const gs_runtab *t);
/* The name of column c; the index of column name, or -1. */
const char *gs_runtab_colname(const gs_runtab *t, size_t c);
int gs_runtab_col(const gs_runtab *t, const char *name);
/* The cell of row r, column c ("" when the row's source lacks it or c is -1). Valid until t is
 * freed. */
const char *gs_runtab_cell(const gs_runtab *t, size_t r, int c);

#endif
