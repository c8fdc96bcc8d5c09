/* SPDX-License-Identifier: Apache-2.0 */
/* Fitted overhead constants of the scaling model (src/core/dbgen.c). GENERATED, do not
 * edit: made by build/tools/fit_scaledb (scripts/calibrate_scaledb.sh) from Sia's measured
 * throughput profiles (siasosp23/artifacts@aaf7a0d, traces/<app>/placements-<gpu>.csv),
 * which stay out of this repository. Per Sia GPU type: latency per ring step of a
 * collective inside and between nodes (s), the share of a step's collectives that can
 * hide behind the backward pass, the per-step overhead on more than one GPU (s), then
 * the fit's RMS and largest error of the scaling efficiency and its number of points
 * (tests/test_dbfit.c checks them when the profiles are there). Four significant digits.
 * Then the fp32 gradient bytes of Sia's applications (published model sizes; DeepSpeech2
 * and NCF fitted). configs/scaledb/README.md explains the fit. */
#ifndef GPUSIM_DBGEN_FIT_H
#define GPUSIM_DBGEN_FIT_H

#include "dbmodel_int.h"

/* clang-format off */
static const gs__dbm_fit gs__dbm_fitted[] = {
    /* DGX A100, 8 x A100-40GB */
    {"dgx-ext", 7.638e-06, 2.946e-07, 0.997, 3.679e-06, 0.06513, 0.26, 634},
    /* Azure ND40rs_v2, 8 x V100-32GB */
    {"azure", 0.003417, 2.68e-06, 0.442, 9.898e-06, 0.1252, 0.3517, 602},
    /* 8 x RTX 2080 Ti (PCIe) */
    {"rtx", 0.0005632, 0.0007919, 0.3653, 4.992e-05, 0.07472, 0.341, 389},
    /* AWS g4dn.12xlarge, 4 x T4 */
    {"aws", 0.0005757, 0.001928, 0.004648, 3.113e-05, 0.08511, 0.2932, 411},
    /* 4 x Quadro RTX 6000 (PCIe) */
    {"quad", 0.0004497, 0.000101, 0.003039, 0.0008551, 0.06842, 0.23, 135},
};

static const struct gs__dbm_sia_app {
    const char *app;
    double grad_bytes;
} gs__dbm_sia_apps[] = {
    {"bert", 4.4e+08},
    {"cifar10", 4.48e+07},
    {"deepspeech2", 3.96e+08}, /* fitted */
    {"imagenet", 1.024e+08},
    {"ncf", 82.2}, /* fitted */
    {"yolov3", 2.48e+08},
};
/* clang-format on */

#endif
