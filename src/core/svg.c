/* SPDX-License-Identifier: Apache-2.0 */
/* Inline SVG charts for the HTML report: axes, ticks, lines, legends. */
#include "svg_int.h"

#include <math.h>
#include <string.h>

/* A colour-blind-friendly palette (Tableau 10). */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

const char *gs__svg_color(size_t i)
{
    return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

void gs__html_esc(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            fputc(*s, fp);
        }
    }
}

double gs__plot_px(const gs__plot *p, double x)
{
    double a = p->x0, b = p->x1, f;

    if (p->logx) {
        a = log10(a);
        b = log10(b);
        x = x > 0 ? log10(x) : a;
    }
    f = b > a ? (x - a) / (b - a) : 0;
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    return p->ml + f * (p->w - p->ml - p->mr);
}

double gs__plot_py(const gs__plot *p, double y)
{
    double f = p->y1 > p->y0 ? (y - p->y0) / (p->y1 - p->y0) : 0;

    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    if (p->flipy)
        return p->mt + f * (p->h - p->mt - p->mb);
    return p->h - p->mb - f * (p->h - p->mt - p->mb);
}

double gs__nice_ceil(double v)
{
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double e;
    size_t i;

    if (!(v > 0))
        return 1;
    e = pow(10, floor(log10(v)));
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] * e >= v * (1 - 1e-12))
            return steps[i] * e;
    return 10 * e;
}

/* A tick step giving about n ticks over range. */
static double tick_step(double range, int n)
{
    double raw = range / n, e, f;

    if (!(raw > 0))
        return 1;
    e = pow(10, floor(log10(raw)));
    f = raw / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

void gs__plot_begin(gs__plot *p, FILE *fp, double w, double h, const char *label)
{
    memset(p, 0, sizeof(*p));
    p->fp = fp;
    p->w = w;
    p->h = h;
    p->ml = 64;
    p->mr = 16;
    p->mt = 12;
    p->mb = 44;
    p->x1 = p->y1 = 1;
    fprintf(fp,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"",
            w, h, w, h);
    gs__html_esc(fp, label);
    fputs("\">\n", fp);
}

/* A tick label: plain numbers, then 10k, 100k, 1M, ... (so that log axes stay short). */
static void tick_label(char *buf, size_t n, double v)
{
    static const char *const suffix[] = {"k", "M", "G", "T"};
    double a = fabs(v);
    int k = -1;

    while (a >= 1e4 && k < 3 && fmod(a, 1000) == 0) {
        a /= 1000;
        k++;
    }
    if (k >= 0)
        snprintf(buf, n, "%s%g%s", v < 0 ? "-" : "", a, suffix[k]);
    else if (a >= 1e6 || (a < 1e-3 && v != 0))
        snprintf(buf, n, "%.3g", v);
    else
        snprintf(buf, n, "%g", a < 1e-12 ? 0.0 : v);
}

void gs__plot_axes(gs__plot *p, const char *xlabel, const char *ylabel, int ydec)
{
    FILE *fp = p->fp;
    double x, step, bx0 = p->ml, bx1 = p->w - p->mr, by0 = p->mt, by1 = p->h - p->mb;
    char buf[64];
    int i;

    fprintf(fp, "<g class=\"axes\">\n");
    /* x ticks */
    if (p->logx) {
        int a = (int)floor(log10(p->x0) + 1e-9), b = (int)ceil(log10(p->x1) - 1e-9);
        for (i = a; i <= b; i++) {
            x = pow(10, i);
            if (x < p->x0 * (1 - 1e-9) || x > p->x1 * (1 + 1e-9))
                continue;
            tick_label(buf, sizeof(buf), x);
            fprintf(fp,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"tx\">%s</text>\n",
                    gs__plot_px(p, x), by0, gs__plot_px(p, x), by1, gs__plot_px(p, x), by1 + 16,
                    buf);
        }
    } else {
        step = tick_step(p->x1 - p->x0, 8);
        for (x = ceil(p->x0 / step - 1e-9) * step; x <= p->x1 + step * 1e-9; x += step) {
            tick_label(buf, sizeof(buf), x);
            fprintf(fp,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"tx\">%s</text>\n",
                    gs__plot_px(p, x), by0, gs__plot_px(p, x), by1, gs__plot_px(p, x), by1 + 16,
                    buf);
        }
    }
    /* y ticks */
    step = tick_step(p->y1 - p->y0, 5);
    for (x = ceil(p->y0 / step - 1e-9) * step; ydec >= 0 && x <= p->y1 + step * 1e-9; x += step) {
        snprintf(buf, sizeof(buf), "%.*f", ydec, fabs(x) < 1e-12 ? 0.0 : x);
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"ty\">%s</text>\n",
                bx0, gs__plot_py(p, x), bx1, gs__plot_py(p, x), bx0 - 6, gs__plot_py(p, x) + 4,
                buf);
    }
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n",
            bx0, by0, bx1 - bx0, by1 - by0);
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"tx\">", (bx0 + bx1) / 2, p->h - 6);
    gs__html_esc(fp, xlabel);
    fprintf(fp,
            "</text>\n<text x=\"14\" y=\"%.1f\" class=\"tx\" transform=\"rotate(-90 14 %.1f)\">",
            (by0 + by1) / 2, (by0 + by1) / 2);
    gs__html_esc(fp, ylabel);
    fputs("</text>\n</g>\n", fp);
}

void gs__plot_line(gs__plot *p, const double *x, const double *y, size_t n, const char *color,
                   int steps)
{
    FILE *fp = p->fp;
    size_t i;
    int open = 0;

    for (i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i])) {
            if (open)
                fputs("\"/>\n", fp);
            open = 0;
            continue;
        }
        if (!open) {
            fprintf(fp, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" d=\"M%.1f %.1f",
                    color, gs__plot_px(p, x[i]), gs__plot_py(p, y[i]));
            open = 1;
        } else if (steps) {
            fprintf(fp, "H%.1fV%.1f", gs__plot_px(p, x[i]), gs__plot_py(p, y[i]));
        } else {
            fprintf(fp, "L%.1f %.1f", gs__plot_px(p, x[i]), gs__plot_py(p, y[i]));
        }
    }
    if (open)
        fputs("\"/>\n", fp);
}

void gs__plot_legend(gs__plot *p, const char *const *labels, const char *const *colors, size_t n)
{
    FILE *fp = p->fp;
    size_t i, longest = 0;
    double x, y = p->mt + 8, wbox;

    for (i = 0; i < n; i++)
        if (strlen(labels[i]) > longest)
            longest = strlen(labels[i]);
    wbox = 34 + 7.0 * (double)longest;
    x = p->w - p->mr - wbox - 6;
    fprintf(fp,
            "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "class=\"lbox\"/>\n",
            x, y - 4, wbox, 16.0 * (double)n + 6);
    for (i = 0; i < n; i++) {
        double ly = y + 16.0 * (double)i + 8;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"3\"/><text x=\"%.1f\" y=\"%.1f\" class=\"tl\">",
                x + 6, ly, x + 24, ly, colors[i], x + 30, ly + 4);
        gs__html_esc(fp, labels[i]);
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
}

void gs__plot_end(gs__plot *p)
{
    fputs("</svg>\n", p->fp);
}
