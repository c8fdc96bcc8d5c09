/* SPDX-License-Identifier: Apache-2.0 */
/* Charts as inline SVG for the HTML report (svg.c): axes with ticks, lines, steps, bars,
 * legends. Coordinates are printed with one decimal, so the same data give the same bytes. */
#ifndef GPUSIM_SVG_INT_H
#define GPUSIM_SVG_INT_H

#include <stddef.h>
#include <stdio.h>

/* A chart: data ranges [x0, x1] x [y0, y1] drawn in a w x h pixel box with margins. */
typedef struct gs__plot {
    FILE *fp;
    double x0, x1, y0, y1;
    int logx;
    int flipy; /* y0 at the top (rows that grow downwards) */
    double w, h;
    double ml, mr, mt, mb; /* margins: left, right, top, bottom */
} gs__plot;

/* Colour i of the report's palette (cycles through 10). */
const char *gs__svg_color(size_t i);

/* Writes s with &, <, >, " and ' escaped for HTML and SVG text. */
void gs__html_esc(FILE *fp, const char *s);

/* Starts an <svg> of w x h with role img and the accessible label label; sets the default
 * margins. Ranges are set by the caller before gs__plot_axes. */
void gs__plot_begin(gs__plot *p, FILE *fp, double w, double h, const char *label);
/* Frame, grid, ticks and tick labels, axis titles. ydec: decimals of the y tick labels (< 0: no
 * y ticks). */
void gs__plot_axes(gs__plot *p, const char *xlabel, const char *ylabel, int ydec);
/* A polyline through n points (NaN points break it); steps: horizontal then vertical. */
void gs__plot_line(gs__plot *p, const double *x, const double *y, size_t n, const char *color,
                   int steps);
/* A legend of n entries at the top right inside the frame (or below it when below). */
void gs__plot_legend(gs__plot *p, const char *const *labels, const char *const *colors, size_t n);
void gs__plot_end(gs__plot *p);

double gs__plot_px(const gs__plot *p, double x);
double gs__plot_py(const gs__plot *p, double y);

/* A "nice" upper bound of v for an axis (1, 2, 2.5 or 5 x 10^k at or above v). */
double gs__nice_ceil(double v);

#endif
