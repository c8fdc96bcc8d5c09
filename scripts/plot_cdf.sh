#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Draws the JCT CDFs of gpusim runs in one figure, one line per policy (or per value of another
# parameter), log-x, as PNG and SVG with gnuplot. The runs of a line are pooled: all their jobs
# make one CDF (gpusim merge --cdf); with --band, the line is the mean of the runs' CDFs and a
# shaded band its 95 % bootstrap interval over the runs (gpusim merge --cdf-band).
set -euo pipefail
gs_prog=plot_cdf.sh
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/plot_cdf.sh -o BASE [--by COLUMN] [--band] [--title TEXT] DIR...

Writes BASE.png and BASE.svg: the JCT CDF of the jobs of the result folders found in DIR...
(as gpusim merge finds them), one line per value of COLUMN, x on a log scale. Unfinished and
unschedulable jobs count, so a line that ends below 1 has jobs that never finished.

  -o, --out BASE      output files without extension (a .png or .svg ending is dropped)
  -b, --by COLUMN     what one line is: policy (default), knowledge_error, trace, seed,
                      cluster, param.<key>, run, ... (a parameter column of gpusim merge)
      --band          the mean of the runs' CDFs with a band: the 95 % bootstrap interval
                      of that mean over the runs (on independent traces: the spread
                      between samples)
  -t, --title TEXT    the figure's title (default: none)
      --size W,H      pixels of the PNG (default 900,560)
  -h, --help          show this help
USAGE
}

out="" by=policy title="" size=900,560 band=0
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
    -o | --out) gs_need_value "$@"; out=$2; shift 2 ;;
    -b | --by) gs_need_value "$@"; by=$2; shift 2 ;;
    -t | --title) gs_need_value "$@"; title=$2; shift 2 ;;
    --band) band=1; shift ;;
    --size) gs_need_value "$@"; size=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) dirs+=("$1"); shift ;;
    esac
done
[ ${#dirs[@]} -gt 0 ] || gs_usage_error "no result folder given"
gs_plot_checks "$out" "$size"
gs_find_gpusim
out=${out%.png}
out=${out%.svg}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$band" -eq 1 ]; then
    "$GPUSIM" merge -o /dev/null --cdf-band "$tmp/cdf.csv" --by "$by" "${dirs[@]}"
    nnum=5 # jct,mean,lo,hi,runs
else
    "$GPUSIM" merge -o /dev/null --cdf "$tmp/cdf.csv" --by "$by" "${dirs[@]}"
    nnum=2 # jct,fraction
fi
# One data file per group. gpusim wrote the CSV: the group is everything before the last nnum
# fields (numbers), quoted when it holds a comma or a quote.
awk -v dir="$tmp" -v nnum="$nnum" '
    NR == 1 { next }
    {
        x = $0
        for (i = 0; i < nnum; i++) sub(/,[^,]*$/, "", x)
        if (x ~ /^".*"$/) { x = substr(x, 2, length(x) - 2); gsub(/""/, "\"", x) }
        n = split($0, f, ",")
        if (!(x in id)) { id[x] = ++g; print x > (dir "/titles") }
        if (nnum == 2 && f[n - 1] + 0 > 0) print f[n - 1], f[n] > (dir "/g" id[x] ".dat")
        if (nnum == 5) print f[n - 4], f[n - 3], f[n - 2], f[n - 1] > (dir "/g" id[x] ".dat")
    }' "$tmp/cdf.csv"
[ -s "$tmp/titles" ] || gs_die "no job finished in the runs given: nothing to draw"
ng=$(wc -l <"$tmp/titles")

{
    echo "set logscale x"
    echo "set format x \"%g\""
    echo "set xlabel \"job completion time (s, log scale)\""
    echo "set ylabel \"fraction of jobs\""
    echo "set yrange [0:1.02]"
    echo "set grid"
    echo "set key bottom right"
    [ -z "$title" ] || echo "set title $(gs_gp_str "$title")"
    printf 'plot '
    i=0
    while IFS= read -r t; do
        i=$((i + 1))
        [ $i -eq 1 ] || printf ', \\\n     '
        [ -s "$tmp/g$i.dat" ] || : >"$tmp/g$i.dat"
        name=$(gs_gp_str "$([ "$by" = policy ] && echo "$t" || echo "$by $t")")
        if [ "$band" -eq 1 ]; then
            printf '"%s" using 1:3:4 with filledcurves linecolor %d fillstyle transparent solid 0.18 noborder notitle, \\\n     ' "$tmp/g$i.dat" "$i"
            printf '"%s" using 1:2 with lines linecolor %d linewidth 2 title %s' "$tmp/g$i.dat" "$i" "$name"
        else
            printf '"%s" using 1:2 with steps linecolor %d linewidth 2 title %s' "$tmp/g$i.dat" "$i" "$name"
        fi
    done <"$tmp/titles"
    echo
} >"$tmp/plot.gp"
gs_plot_render "$tmp/plot.gp" "$size" "$out" "$tmp"
echo "plot_cdf.sh: $ng line(s), by $by: $(paste -sd, "$tmp/titles") -> $out.png, $out.svg" >&2
