#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Draws the job arrivals per hour of one or more traces (gpusim arrivals), PNG and SVG.
set -euo pipefail
gs_prog=plot_arrivals.sh
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/plot_arrivals.sh -o BASE [--bin SECONDS] [--job-type T] [--title TEXT] TRACE...

Writes BASE.png and BASE.svg: the submissions of each trace's jobs (those `gpusim run` keeps:
type SFT by default) per hour, hours counted from each trace's first submission, one line per
trace.

  -o, --out BASE       output files without extension (a .png or .svg ending is dropped)
      --bin SECONDS    width of a bin (default 3600)
      --job-type T     job types counted: SFT (default), all, or a list 'SFT,Eval'
  -t, --title TEXT     the figure's title (default: none)
      --size W,H       pixels of the PNG (default 900,420)
  -h, --help           show this help
USAGE
}

out="" bin=3600 jt=SFT title="" size=900,420
traces=()
while [ $# -gt 0 ]; do
    case $1 in
    -o | --out) gs_need_value "$@"; out=$2; shift 2 ;;
    --bin) gs_need_value "$@"; bin=$2; shift 2 ;;
    --job-type) gs_need_value "$@"; jt=$2; shift 2 ;;
    -t | --title) gs_need_value "$@"; title=$2; shift 2 ;;
    --size) gs_need_value "$@"; size=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) traces+=("$1"); shift ;;
    esac
done
[ ${#traces[@]} -gt 0 ] || gs_usage_error "no trace given"
gs_plot_checks "$out" "$size"
gs_find_gpusim
out=${out%.png}
out=${out%.svg}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit=$(awk -v b="$bin" 'BEGIN { print (b == 3600) ? "hour" : b " s" }')
{
    echo "set xlabel \"hours since the first submission\""
    echo "set ylabel \"jobs submitted per $unit\""
    echo "set yrange [0:*]"
    echo "set grid"
    echo "set key top right"
    [ -z "$title" ] || echo "set title $(gs_gp_str "$title")"
    printf 'plot '
} >"$tmp/plot.gp"
i=0
for t in "${traces[@]}"; do
    i=$((i + 1))
    "$GPUSIM" arrivals --trace "$t" --bin "$bin" --job-type "$jt" -o "$tmp/a$i.csv"
    # hour,start,jobs (gpusim wrote it: no quoted fields) -> "hour jobs", one step per bin
    awk -F, 'NR > 1 { print $1, $3 }' "$tmp/a$i.csv" >"$tmp/a$i.dat"
    last=$(tail -n 1 "$tmp/a$i.dat")
    awk -v b="$bin" -v l="$last" 'BEGIN { split(l, f, " "); print f[1] + b / 3600, f[2] }' >>"$tmp/a$i.dat"
    [ $i -eq 1 ] || printf ', \\\n     ' >>"$tmp/plot.gp"
    name=${t##*/}
    printf '"%s" using 1:2 with steps linewidth 2 title %s' "$tmp/a$i.dat" "$(gs_gp_str "${name%.csv}")" \
        >>"$tmp/plot.gp"
done
echo >>"$tmp/plot.gp"
gs_plot_render "$tmp/plot.gp" "$size" "$out" "$tmp"
echo "plot_arrivals.sh: ${#traces[@]} trace(s) -> $out.png, $out.svg" >&2
