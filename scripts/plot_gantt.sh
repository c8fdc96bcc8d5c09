#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Draws the Gantt chart of one gpusim run: one row per job, its allocations as bars coloured by
# GPU type, its wait as a thin line, as PNG and SVG with gnuplot.
set -euo pipefail
gs_prog=plot_gantt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/plot_gantt.sh -o BASE [--rows N] [--title TEXT] [--size W,H] DIR

Writes BASE.png and BASE.svg: the Gantt chart of the run in result folder DIR (its jobs.csv and
allocations.csv), hours since the first submission on x, one row per job in submission order
(the first at the top): a thin grey line from its submission to its first start (its wait),
then one bar per allocation it held, coloured by GPU type; failed starts are red. With more
than N jobs every k-th job is drawn (k = ceil(jobs / N), jobs 1, 1 + k, 1 + 2k, ...), and the
title says so.

  -o, --out BASE      output files without extension (a .png or .svg ending is dropped)
  -r, --rows N        at most N rows, 1 to 100000 (default 1000; 960 jobs are drawn whole)
  -t, --title TEXT    the figure's title (default: the run's policy and trace)
      --size W,H      pixels of the PNG (default 1200 x (300 + rows) up to 1500 high)
  -h, --help          show this help
USAGE
}

out="" rows=1000 title="" size=""
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
    -o | --out) gs_need_value "$@"; out=$2; shift 2 ;;
    -r | --rows) gs_need_value "$@"; rows=$2; shift 2 ;;
    -t | --title) gs_need_value "$@"; title=$2; shift 2 ;;
    --size) gs_need_value "$@"; size=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) dirs+=("$1"); shift ;;
    esac
done
[ ${#dirs[@]} -eq 1 ] || gs_usage_error "expected one result folder, got ${#dirs[@]}"
if ! [[ $rows =~ ^[1-9][0-9]{0,5}$ ]] || [ "$rows" -gt 100000 ]; then
    gs_usage_error "--rows needs an integer in [1, 100000], got '$rows'"
fi
gs_plot_checks "$out" "${size:-1,1}"
dir=${dirs[0]}
for f in jobs.csv allocations.csv summary.json; do
    [ -f "$dir/$f" ] || gs_die "'$dir' is not a result folder: no $f"
done
out=${out%.png}
out=${out%.svg}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
njobs=$(($(wc -l <"$dir/jobs.csv") - 1))
[ "$njobs" -gt 0 ] || gs_die "'$dir/jobs.csv' has no job"
step=$(((njobs + rows - 1) / rows))
drawn=$(((njobs + step - 1) / step))
if [ -z "$title" ]; then
    policy=$(sed -n 's/^[[:space:]]*"policy":[[:space:]]*"\(.*\)",$/\1/p' "$dir/summary.json" | head -1)
    trace=$(sed -n 's/^[[:space:]]*"path":[[:space:]]*"\(.*\)",$/\1/p' "$dir/summary.json" | head -1)
    title="$policy on ${trace##*/}: $njobs jobs"
fi
[ "$step" -eq 1 ] || title="$title (one job in $step drawn: $drawn rows)"

# waits: "submit_h row start_h-submit_h" for each drawn job; the rows of the drawn jobs by id
awk -v step="$step" -v dir="$tmp" "$gs_awk_csv"'
    NR == 1 { n = csv($0, h); for (k = 1; k <= n; k++) c[h[k]] = k; next }
    { csv($0, f); i = NR - 1
      if ((i - 1) % step) next
      row = (i - 1) / step + 1
      print f[c["job_id"]] "\t" row > (dir "/rows")
      if (f[c["start_time"]] != "")
          printf "%.6f %d %.6f\n", f[c["submit_time"]] / 3600, row,
              (f[c["start_time"]] - f[c["submit_time"]]) / 3600 > (dir "/wait.dat")
      else
          printf "%.6f %d %.6f\n", f[c["submit_time"]] / 3600, row, 0 > (dir "/wait.dat") }
' "$dir/jobs.csv"
# the GPU types in the cluster's order (summary.json), so that a type has the same colour in
# every run of a cluster; failed starts after them
sed -n 's/^[[:space:]]*"gpu_type":[[:space:]]*"\(.*\)",$/\1/p' "$dir/summary.json" >"$tmp/bartypes"
echo "failed start" >>"$tmp/bartypes"
# bars, one data file per GPU type (and one for failed starts): "x y xlow xhigh ylow yhigh"
awk -v dir="$tmp" -v types="$tmp/bartypes" "$gs_awk_csv"'
    BEGIN { while ((getline t < types) > 0) file[t] = dir "/bar" (++nt) ".dat" }
    FNR == NR { split($0, a, "\t"); row[a[1]] = a[2]; next }
    FNR == 1 { n = csv($0, h); for (k = 1; k <= n; k++) c[h[k]] = k; next }
    { csv($0, f); id = f[c["job_id"]]
      if (!(id in row)) next
      s = f[c["start"]] / 3600; e = f[c["end"]] / 3600; y = row[id]
      t = f[c["outcome"]] == "failed" ? "failed start" : f[c["gpu_type"]]
      if (!(t in file)) { file[t] = dir "/bar" (++nt) ".dat"; print t >> types }
      printf "%.6f %d %.6f %.6f %.3f %.3f\n", (s + e) / 2, y, s, e, y - 0.42, y + 0.42 > file[t] }
' "$tmp/rows" "$dir/allocations.csv"
[ -s "$tmp/wait.dat" ] || : >"$tmp/wait.dat"

if [ -z "$size" ]; then
    h=$((300 + drawn))
    [ "$h" -le 1500 ] || h=1500
    size="1200,$h"
fi
{
    echo "set xlabel \"hours since the first submission\""
    echo "set ylabel \"jobs in submission order\""
    echo "set yrange [$((drawn + 1)):0]"
    echo "set ytics out"
    echo "set grid xtics"
    echo "set key outside right top"
    echo "set title $(gs_gp_str "$title")"
    printf 'plot "%s" using 1:2:3:(0) with vectors nohead linecolor rgb "#c8c8c8" title "waiting"' \
        "$tmp/wait.dat"
    colors=("#1f77b4" "#ff7f0e" "#2ca02c" "#9467bd" "#8c564b" "#e377c2" "#17becf" "#bcbd22")
    i=0
    while IFS= read -r t; do
        i=$((i + 1))
        [ -s "$tmp/bar$i.dat" ] || continue
        if [ "$t" = "failed start" ]; then c="#d62728"; else c=${colors[$(((i - 1) % 8))]}; fi
        printf ', \\\n     "%s" using 1:2:3:4:5:6 with boxxyerror fill solid 1.0 noborder linecolor rgb "%s" title %s' \
            "$tmp/bar$i.dat" "$c" "$(gs_gp_str "$t")"
    done <"$tmp/bartypes"
    echo
} >"$tmp/plot.gp"
gs_plot_render "$tmp/plot.gp" "$size" "$out" "$tmp"
echo "plot_gantt.sh: $drawn of $njobs jobs drawn -> $out.png, $out.svg" >&2
