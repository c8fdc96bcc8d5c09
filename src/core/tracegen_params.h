/* SPDX-License-Identifier: Apache-2.0 */
/* Fitted parameters of the synthetic ACME trace generator (src/core/tracegen.c; the models are
 * in src/core/tracegen_int.h and docs/traces.md). GENERATED, do not edit: made by
 *     build/tools/fit_tracegen DIR            (scripts/calibrate_traces.sh)
 * from the Seren rows (gs__tg_fitted, gs__tg_state_model) and the Kalos rows
 * (gs__tg_fitted_kalos, gs__tg_state_model_kalos) of DIR's job_type_share.csv,
 * gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and
 * cdf_duration_queue_by_type.csv (the values decoded
 * from the figures of Q. Hu et al., "Characterization of Large Language Model
 * Development in the Datacenter", NSDI '24, InternLM/AcmeTrace@6d6ac9c, CC BY 4.0) and
 * of the authors' cluster_summary.csv, which stay out of this repository. Least-squares
 * fits and root finding (GSL), rounded to 4 significant digits; tests/test_acme.c checks
 * that the calibration still gives these values when the figure files are there.
 * Per type: name, share (% of GPU jobs, as published), gpu_num between the whiskers
 * (count, values, probabilities) and outside them (count, values, probabilities), then
 * duration and queue {p1, lo, cap, k, weights, mu, sigma} (mu and sigma of ln seconds),
 * the gpu_num-duration copula correlation and the resulting mean GPU time per job
 * (GPU-seconds). Then the state model. */
#ifndef GPUSIM_TRACEGEN_PARAMS_H
#define GPUSIM_TRACEGEN_PARAMS_H

#include "tracegen_int.h"

/* clang-format off */
static const gs__tg_type gs__tg_fitted[] = {
/* Eval: 64.9% of Seren GPU jobs (job_type_share.csv) */
{"Eval", 64.9,
 /* gpu_num from 1 to 8 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 4, {1, 2, 4, 8},
 {0.5833, 0.08333, 0.2078, 0.1244},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 6, {12, 16, 24, 32, 64, 128},
 {3.42e-06, 0.0007147, 6.839e-06, 0.0003146, 8.549e-05, 3.762e-05},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.39 percentage points (at 64 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.1889, 0.3678, 0.2066, 0.2367},
  {2.451, 4.401, 5.088, 6.06},
  {0.3933, 2.749, 0.5404, 1.067}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.34 percentage points (at 64 s) of 16 published points */
 {0.4763, 1, 262144, 3,
  {0.7907, 0.02276, 0.1866},
  {-1.917, 2.723, 4.815},
  {1.644, 0.2055, 1.861}},
 /* copula correlation: 6.2% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 3099 GPU-s per job (independent draws:
  * 3408) */
 -0.04892, 3099},
/* Pretrain: 0.9% of Seren GPU jobs (job_type_share.csv) */
{"Pretrain", 0.9,
 /* gpu_num from 40 to 512 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {40, 64, 128, 256, 512},
 {0.125, 0.25, 0.25, 0.1886, 0.0636},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 13, {640, 720, 768, 896, 920, 928, 960, 968, 976, 992, 1000, 1008, 1024},
 {0.002466, 0.0009864, 0.06313, 0.0007398, 0.0002466, 0.003699, 0.0106, 0.0002466, 0.0002466, 0.0002466, 0.0002466, 0.0007398, 0.03921},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.81 percentage points (at 4 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.1953, 0.5604, 0.1138, 0.1305},
  {1.619, 5.722, 6.035, 10.91},
  {1.99, 1.608, 0.5574, 1.162}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.31 percentage points (at 64 s) of 16 published points */
 {0.7198, 1, 262144, 3,
  {0.3561, 0.5453, 0.09863},
  {-0.2151, 1.138, 3.126},
  {0.183, 3.14, 0.45}},
 /* copula correlation: 69.5% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 2.505e+06 GPU-s per job (independent draws:
  * 3.465e+06) */
 -0.156, 2.505e+06},
/* SFT: 14.9% of Seren GPU jobs (job_type_share.csv) */
{"SFT", 14.9,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.125, 0.2083, 0.08333, 0.4513, 0.118},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 8, {24, 32, 56, 64, 128, 192, 256, 512},
 {1.489e-05, 0.0108, 2.979e-05, 0.001787, 0.0008639, 0.0004468, 7.447e-05, 5.958e-05},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.61 percentage points (at 32 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.1822, 0.2593, 0.486, 0.07251},
  {3.011, 4.74, 5.577, 7.185},
  {0.8396, 2.658, 0.6279, 0.6776}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.47 percentage points (at 128 s) of 16 published points */
 {0.6053, 1, 262144, 3,
  {0.5239, 0.06599, 0.4102},
  {0.1243, 2.783, 5.039},
  {0.6752, 0.1124, 1.568}},
 /* copula correlation: 6.4% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 1.393e+04 GPU-s per job (independent draws:
  * 8108) */
 0.2651, 1.393e+04},
/* MLLM: 2.9% of Seren GPU jobs (job_type_share.csv) */
{"MLLM", 2.9,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.375, 0.2083, 0.08333, 0.1767, 0.09332},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 13, {32, 40, 48, 64, 72, 80, 88, 96, 104, 112, 120, 128, 256},
 {0.02663, 7.653e-05, 7.653e-05, 0.0137, 7.653e-05, 7.653e-05, 7.653e-05, 7.653e-05, 7.653e-05, 0.0002296, 7.653e-05, 0.01875, 0.003444},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.89 percentage points (at 8 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.113, 0.6071, 0.2393, 0.04065},
  {3.041, 5.048, 6.057, 10.34},
  {0.3341, 2.747, 0.552, 0.1034}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.41 percentage points (at 32 s) of 16 published points */
 {0.7273, 1, 262144, 3,
  {0.3794, 0.5374, 0.08326},
  {0.6367, 1.756, 8.695},
  {0.1361, 2.859, 1.143}},
 /* copula correlation: 8.6% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 9.619e+04 GPU-s per job (independent draws:
  * 4.124e+04) */
 0.2593, 9.62e+04},
/* Debug: 1.9% of Seren GPU jobs (job_type_share.csv) */
{"Debug", 1.9,
 /* gpu_num from 8 to 8 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 1, {8},
 {0.5426},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 25, {1, 2, 4, 12, 16, 24, 32, 40, 48, 64, 96, 112, 120, 128, 160, 224, 256, 280, 320, 512, 640, 768, 960, 1016, 1024},
 {0.1728, 0.01145, 0.05513, 0.0003504, 0.08936, 0.002687, 0.05992, 0.0004672, 0.001051, 0.01226, 0.0004672, 0.0001168, 0.0002336, 0.006541, 0.0002336, 0.000584, 0.01308, 0.0007008, 0.003387, 0.01226, 0.005957, 0.002103, 0.002336, 0.0001168, 0.003855},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.52 percentage points (at 32 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.04128, 0.2685, 0.6138, 0.07633},
  {-0.1675, 2.664, 5.349, 7.105},
  {0.1459, 0.9152, 1.117, 2.556}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.03 percentage points (at 64 s) of 16 published points */
 {0.8478, 1, 262144, 3,
  {0.6535, 0.2662, 0.08025},
  {0.3648, 2.228, 2.765},
  {0.6095, 2.509, 0.1215}},
 /* copula correlation: 1.7% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 2.902e+04 GPU-s per job (independent draws:
  * 5.925e+04) */
 -0.145, 2.902e+04},
/* Other: 14.6% of Seren GPU jobs (job_type_share.csv) */
{"Other", 14.6,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.5625, 0.0625, 0.0625, 0.1677, 0.1052},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 2, {24, 32},
 {0.002827, 0.03686},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 1.14 percentage points (at 4096 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.1482, 0.07128, 0.2335, 0.547},
  {1.456, 2.804, 4.902, 5.079},
  {0.1165, 0.09429, 0.8985, 2.845}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.57 percentage points (at 32 s) of 16 published points */
 {0.7272, 1, 262144, 3,
  {0.3672, 0.4076, 0.2252},
  {0.6149, 2.701, 12.48},
  {0.1223, 1.217, 2.282}},
 /* copula correlation: 7.6% of GPU time (job_type_share.csv) at 32405 GPU-s
  * per GPU job (cluster_summary.csv) needs 1.689e+04 GPU-s per job (independent draws:
  * 1.824e+04) */
 -0.0269, 1.688e+04}
};

/* The state given the duration d: P(s) ~ exp(a + b ln d). Fitted to the states' shares
 * of Seren GPU jobs and GPU time (cluster_summary.csv), all types in their shares:
 * jobs 49.65/7.49/42.86% (published 49.65/7.49/42.86%), GPU time 21.21/66.35/12.44%
 * (published 21.20/66.36/12.44%) for COMPLETED/CANCELLED/FAILED. */
static const gs__tg_states gs__tg_state_model = {
 {"COMPLETED", "CANCELLED", "FAILED"},
 {0, -4.838, 0.14},
 {0, 0.5185, -0.06397}};

static const gs__tg_type gs__tg_fitted_kalos[] = {
/* Eval: 92.8% of Kalos GPU jobs (job_type_share.csv) */
{"Eval", 92.8,
 /* gpu_num from 1 to 1 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 1, {1},
 {0.927},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 2, {2, 8},
 {0.01992, 0.0531},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.12 percentage points (at 16384 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.4218, 0.1034, 0.2436, 0.2313},
  {3.504, 4.531, 5.502, 7.063},
  {0.4073, 0.1003, 0.0648, 0.9146}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 2.17 percentage points (at 128 s) of 16 published points */
 {3.243e-09, 1, 262144, 3,
  {0.6071, 0.3403, 0.05262},
  {2.548, 4.52, 7.661},
  {0.3419, 1.113, 0.6621}},
 /* copula correlation: 0.4% of GPU time (job_type_share.csv) at 267905 GPU-s
  * per GPU job (cluster_summary.csv) needs 1155 GPU-s per job (independent draws:
  * 689.7) */
 0.4788, 1155},
/* Pretrain: 3.2% of Kalos GPU jobs (job_type_share.csv) */
{"Pretrain", 3.2,
 /* gpu_num from 96 to 512 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 4, {96, 128, 256, 512},
 {0.08333, 0.08333, 0.2083, 0.4193},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 2, {1016, 1024},
 {0.006279, 0.1994},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.36 percentage points (at 256 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.08959, 0.3827, 0.3216, 0.2061},
  {3.484, 5.822, 7.351, 10.57},
  {0.1498, 0.7402, 1.482, 1.171}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 0.47 percentage points (at 128 s) of 16 published points */
 {3.004e-05, 1, 262144, 3,
  {0.5802, 0.3203, 0.09949},
  {2.583, 3.239, 5.466},
  {0.05001, 0.8077, 1.632}},
 /* copula correlation: 95.5% of GPU time (job_type_share.csv) at 267905 GPU-s
  * per GPU job (cluster_summary.csv) needs 7.995e+06 GPU-s per job (independent draws:
  * 8.656e+06) */
 -0.07234, 7.995e+06},
/* Debug: 2.7% of Kalos GPU jobs (job_type_share.csv) */
{"Debug", 2.7,
 /* gpu_num from 1 to 1024 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 11, {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024},
 {0.04167, 0.04167, 0.04167, 0.04167, 0.04167, 0.125, 0.08333, 0.1667, 0.08333, 0.2083, 0.125},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 0, {0},
 {0},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.46 percentage points (at 128 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.2002, 0.6732, 0.121, 0.005589},
  {3.607, 6.051, 6.095, 9.34},
  {0.561, 0.8704, 0.09319, 0.6261}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 2.41 percentage points (at 64 s) of 16 published points */
 {1.797e-09, 1, 262144, 3,
  {8.388e-09, 0.755, 0.245},
  {1.742, 2.458, 4.861},
  {0.05001, 0.2814, 1.109}},
 /* copula correlation: 1.6% of GPU time (job_type_share.csv) at 267905 GPU-s
  * per GPU job (cluster_summary.csv) needs 1.588e+05 GPU-s per job (independent draws:
  * 1.606e+05) */
 -0.009438, 1.588e+05},
/* Other: 1.3% of Kalos GPU jobs (job_type_share.csv) */
{"Other", 1.3,
 /* gpu_num from 1 to 64 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 7, {1, 2, 4, 8, 16, 32, 64},
 {0.125, 0.2083, 0.08333, 0.1667, 0.08333, 0.2083, 0.125},
 /* outside the whiskers: the published jobs at each value over the type's
  * jobs (gpu_num_outliers_by_type.csv) */
 0, {0},
 {0},
 /* duration: 4 log-normals on (0 s, 2^21 s] (cdf_duration_queue_by_type.csv);
  * worst error 0.83 percentage points (at 128 s) of 22 published points */
 {0, 0, 2097152, 4,
  {0.2886, 0.5036, 0.05176, 0.156},
  {3.282, 5.819, 8.024, 10.92},
  {0.3442, 0.7853, 0.2795, 1.302}},
 /* queue: P(<= 1 s) then 3 log-normals on (1 s, 2^18 s] (same file);
  * worst error 1.44 percentage points (at 32 s) of 16 published points */
 {2.83e-12, 1, 262144, 3,
  {0.728, 0.2428, 0.02917},
  {2.133, 3.581, 7.42},
  {0.05003, 0.8943, 1.9}},
 /* copula correlation: 2.5% of GPU time (job_type_share.csv) at 267905 GPU-s
  * per GPU job (cluster_summary.csv) needs 5.152e+05 GPU-s per job (independent draws:
  * 3.49e+05) */
 0.2051, 5.152e+05}
};

/* The state given the duration d: P(s) ~ exp(a + b ln d). Fitted to the states' shares
 * of Kalos GPU jobs and GPU time (cluster_summary.csv), all types in their shares:
 * jobs 54.10/6.20/39.70% (published 54.10/6.20/39.70%), GPU time 31.27/60.74/7.99%
 * (published 31.27/60.74/7.99%) for COMPLETED/CANCELLED/FAILED. */
static const gs__tg_states gs__tg_state_model_kalos = {
 {"COMPLETED", "CANCELLED", "FAILED"},
 {0, -5.035, 0.5811},
 {0, 0.4943, -0.1823}};

/* clang-format on */

#endif
