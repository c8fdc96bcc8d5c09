/* SPDX-License-Identifier: Apache-2.0 */
/* Fitted parameters of the synthetic ACME trace generator (src/core/tracegen.c; the models are
 * in src/core/tracegen_int.h and docs/traces.md). GENERATED, do not edit: made by
 *     build/tools/fit_tracegen DIR            (scripts/calibrate_traces.sh)
 * from the Seren rows (gs__tg_fitted) and the Kalos rows (gs__tg_fitted_kalos) of DIR's
 * job_type_share.csv, gpu_num_boxplot_by_type.csv, gpu_num_outliers_by_type.csv and
 * cdf_duration_queue_by_type.csv: the values decoded from the figures of Q. Hu et al.,
 * "Characterization of Large Language Model Development in the Datacenter", NSDI '24
 * (InternLM/AcmeTrace@6d6ac9c, CC BY 4.0), which stay out of this repository.
 * Least-squares fits (GSL), rounded to 4 significant digits; tests/test_acme.c checks that
 * the calibration still gives these values when the figure files are there.
 * Per type: name, share (% of GPU jobs, as published), gpu_num between the whiskers
 * (count, values, probabilities), the tails below and above them
 * {p, gmin, gmax, q1, r, pi2, pi3}, then duration and queue
 * {p1, lo, cap, k, weights, mu, sigma} (mu and sigma of ln seconds). */
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
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 8: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.001163, 16, 128, 0.6154, 0.3159, 0.9816, 0.9404},
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
  {1.644, 0.2055, 1.861}}},
/* Pretrain: 0.9% of Seren GPU jobs (job_type_share.csv) */
{"Pretrain", 0.9,
 /* gpu_num from 40 to 512 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {40, 64, 128, 256, 512},
 {0.125, 0.25, 0.25, 0.1886, 0.0636},
 /* below 40: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 512: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.1228, 552, 1024, 1, 1, 0.3585, 0.8992},
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
  {0.183, 3.14, 0.45}}},
/* SFT: 14.9% of Seren GPU jobs (job_type_share.csv) */
{"SFT", 14.9,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.125, 0.2083, 0.08333, 0.4513, 0.118},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 16: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.01408, 24, 512, 0.7947, 0.3152, 0.9862, 0.1562},
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
  {0.6752, 0.1124, 1.568}}},
/* MLLM: 2.9% of Seren GPU jobs (job_type_share.csv) */
{"MLLM", 2.9,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.375, 0.2083, 0.08333, 0.1766, 0.09331},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 16: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.06337, 24, 256, 0.434, 0.622, 0.983, 0.119},
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
  {0.1361, 2.859, 1.143}}},
/* Debug: 1.9% of Seren GPU jobs (job_type_share.csv) */
{"Debug", 1.9,
 /* gpu_num from 8 to 8 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 1, {8},
 {0.5426},
 /* below 8: powers of two, ratio r per doubling (gpu_num_outliers_by_type.csv) */
 {0.2393, 1, 4, 0, 0.3543, 0, 0},
 /* above 8: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.2181, 16, 1024, 0.4543, 0.6053, 0.9225, 0.5712},
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
  {0.6095, 2.509, 0.1215}}},
/* Other: 14.6% of Seren GPU jobs (job_type_share.csv) */
{"Other", 14.6,
 /* gpu_num from 1 to 16 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 5, {1, 2, 4, 8, 16},
 {0.5625, 0.0625, 0.0625, 0.1677, 0.1052},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 16: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.03969, 24, 32, 1, 1, 0.9287, 1},
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
  {0.1223, 1.217, 2.282}}}
};

static const gs__tg_type gs__tg_fitted_kalos[] = {
/* Eval: 92.8% of Kalos GPU jobs (job_type_share.csv) */
{"Eval", 92.8,
 /* gpu_num from 1 to 1 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 1, {1},
 {0.927},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 1: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.07302, 8, 8, 1, 1, 1, 1},
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
  {0.3419, 1.113, 0.6621}}},
/* Pretrain: 3.2% of Kalos GPU jobs (job_type_share.csv) */
{"Pretrain", 3.2,
 /* gpu_num from 96 to 512 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 4, {96, 128, 256, 512},
 {0.08333, 0.08333, 0.2083, 0.4194},
 /* below 96: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 512: multiples of 8, by octaves (gpu_num_outliers_by_type.csv) */
 {0.2056, 904, 1024, 1, 1, 0.5, 1},
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
  {0.05001, 0.8077, 1.632}}},
/* Debug: 2.7% of Kalos GPU jobs (job_type_share.csv) */
{"Debug", 2.7,
 /* gpu_num from 1 to 1024 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 11, {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024},
 {0.04167, 0.04167, 0.04167, 0.04167, 0.04167, 0.125, 0.08333, 0.1667, 0.08333, 0.2083, 0.125},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 1024: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 1, 1, 1, 1},
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
  {0.05001, 0.2814, 1.109}}},
/* Other: 1.3% of Kalos GPU jobs (job_type_share.csv) */
{"Other", 1.3,
 /* gpu_num from 1 to 64 (the whiskers): the cumulative shares spread evenly
  * inside the intervals the box plot leaves (gpu_num_boxplot_by_type.csv) */
 7, {1, 2, 4, 8, 16, 32, 64},
 {0.125, 0.2083, 0.08333, 0.1667, 0.08333, 0.2083, 0.125},
 /* below 1: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 0, 1, 0, 0},
 /* above 64: none (gpu_num_outliers_by_type.csv) */
 {0, 0, 0, 1, 1, 1, 1},
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
  {0.05003, 0.8943, 1.9}}}
};

/* clang-format on */

#endif
