/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the scaling model's overhead constants (src/core/dbgen_fit.h) against Sia's
 * measured throughput profiles, and the comparison tables of configs/scaledb/README.md. A
 * developer tool (tools/fit_scaledb_main.c, scripts/calibrate_scaledb.sh); tests/test_dbfit.c
 * checks the committed constants with it. Sia's data is read from its artifact directory and
 * never copied: only the fitted constants are committed. */
#ifndef GPUSIM_FIT_SCALEDB_INT_H
#define GPUSIM_FIT_SCALEDB_INT_H

#include <stdio.h>

#include "dbmodel_int.h"
#include "gpusim/err.h"

/* Sia's GPU types and applications, in the order the tables use. */
#define GS__SIA_NTYPES 5
#define GS__SIA_NAPPS  6

typedef struct gs__sia_data gs__sia_data;

/* Reads dir/traces/<app>/placements-<type>.csv of Sia's artifact (dir is the folder that
 * holds traces/, e.g. ../shared/anchors/sia) into strong-scaling points: for every
 * application, type, placement with the same GPU count on each node, and global batch B
 * from the 1-GPU profile, the measured scaling efficiency B/step(r, B/r) / (r B/step(1, B)).
 * NULL with err filled (a missing file names it: GS_EIO; a malformed row: GS_EPARSE). */
gs__sia_data *gs__sia_load(const char *dir, gs_err *err);
void gs__sia_free(gs__sia_data *d);

/* Per-type fit error of constants fits[GS__SIA_NTYPES] (in Sia type order) with gradient bytes
 * app_bytes[GS__SIA_NAPPS]: RMS and largest absolute error of the model's efficiency against
 * the measured one, and the number of points. */
void gs__sia_errors(const gs__sia_data *d, const gs__dbm_fit *fits, const double *app_bytes,
                    double *rmse, double *max_err, int *points);

/* Fits the overhead constants of every type (latency per ring step inside and between nodes,
 * overlap, per-step overhead) and the gradient bytes of the applications whose model size
 * no source gives, by least squares on the efficiencies (GSL). fits and app_bytes receive
 * the result, errors included. Deterministic. Returns GS_OK or GS_ENOMEM / GS_EINVAL. */
int gs__sia_fit(const gs__sia_data *d, gs__dbm_fit *fits, double *app_bytes, gs_err *err);

/* The committed constants (src/core/dbgen_fit.h): fits in Sia type order, application bytes
 * in application order. */
const gs__dbm_fit *gs__sia_committed(double *app_bytes);

/* Writes the header src/core/dbgen_fit.h for fits and app_bytes. */
int gs__sia_write_header(FILE *fp, const gs__dbm_fit *fits, const double *app_bytes, gs_err *err);

/* Writes the Markdown tables of configs/scaledb/README.md (between its calibration markers):
 * the fit per GPU type (d may be NULL: then the committed errors are shown), the DB's scaling
 * efficiency at 8, 64 and 512 GPUs against the sources, and per-GPU tokens/s against
 * published figures. */
int gs__sia_report(FILE *fp, const gs__sia_data *d, gs_err *err);

#endif
