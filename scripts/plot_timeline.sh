#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Draws the timelines of gpusim runs (timeline.csv): the utilisation of each GPU type and the
# queue length over time, one line per run (e.g. per policy), as PNG and SVG with gnuplot.
set -euo pipefail
gs_prog=plot_timeline.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/plot_timeline.sh -o BASE [--by COLUMN] [--title TEXT] [--size W,H] DIR...

Writes BASE.png and BASE.svg: for each run found in DIR... (result folders, or folders below
which they lie, as gpusim merge finds them), one line per run labelled by COLUMN, over hours
since the first submission: one panel per GPU type with its utilisation (busy GPUs / its GPUs,
in %), and a last panel with the number of queued jobs. Runs need timeline.csv (gpusim run
writes it unless --no-timeline). Each line is drawn over N time bins (--bins): the time-weighted
mean utilisation and the largest queue of each bin, which reads better than the raw steps.

  -o, --out BASE      output files without extension (a .png or .svg ending is dropped)
  -b, --by COLUMN     the label of a line: policy (default), seed, trace, knowledge_error,
                      param.<key>, run, ... (a parameter column of gpusim merge)
  -t, --title TEXT    the figure's title (default: none)
      --bins N        time bins per line, 0 to 100000 (default 400; 0 draws every row)
      --hours H       draw the first H > 0 hours only (default: to the end of the longest run)
      --size W,H      pixels of the PNG (default 1000 x 220 per panel)
  -h, --help          show this help
USAGE
}

out="" by=policy title="" size="" bins=400 hours=""
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
    -o | --out) gs_need_value "$@"; out=$2; shift 2 ;;
    -b | --by) gs_need_value "$@"; by=$2; shift 2 ;;
    -t | --title) gs_need_value "$@"; title=$2; shift 2 ;;
    --size) gs_need_value "$@"; size=$2; shift 2 ;;
    --bins) gs_need_value "$@"; bins=$2; shift 2 ;;
    --hours) gs_need_value "$@"; hours=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) dirs+=("$1"); shift ;;
    esac
done
[ ${#dirs[@]} -gt 0 ] || gs_usage_error "no result folder given"
if ! [[ $bins =~ ^[0-9]{1,6}$ ]] || [ "$bins" -gt 100000 ]; then
    gs_usage_error "--bins needs an integer in [0, 100000], got '$bins'"
fi
if [ -n "$hours" ] && ! { [[ $hours =~ ^[0-9]{1,9}(\.[0-9]+)?$ ]] &&
    awk -v h="$hours" 'BEGIN { exit !(h > 0) }'; }; then
    gs_usage_error "--hours needs a positive number, got '$hours'"
fi
gs_plot_checks "$out" "${size:-1,1}"
gs_find_gpusim
out=${out%.png}
out=${out%.svg}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gs_runs "$tmp" "$by" "${dirs[@]}" >"$tmp/runs"
[ -s "$tmp/runs" ] || gs_die "no run found in ${dirs[*]}"

# The GPU types: those of the first run's timeline, in its column order.
first=$(head -n 1 "$tmp/runs" | cut -f2)
[ -f "$first/timeline.csv" ] || gs_die "'$first' has no timeline.csv (run without --no-timeline)"
head -n 1 "$first/timeline.csv" | awk "$gs_awk_csv"'{ n = csv($0, h)
    for (k = 1; k <= n; k++) if (h[k] ~ /^busy_./ && h[k] != "busy_gpus") print substr(h[k], 6) }' \
    >"$tmp/types"
nt=$(wc -l <"$tmp/types")
[ "$nt" -gt 0 ] || gs_die "'$first/timeline.csv' has no busy_<type> column"

# One data file per run: hours, the utilisation (%) of each type in the order of $tmp/types
# (empty when the run has no such type), queued jobs.
i=0
while IFS=$'\t' read -r label dir; do
    i=$((i + 1))
    [ -f "$dir/timeline.csv" ] || gs_die "'$dir' has no timeline.csv (run without --no-timeline)"
    printf '%s\n' "$label" >>"$tmp/labels"
    end=$(tail -n 1 "$dir/timeline.csv" | cut -d, -f1)
    awk -v types="$tmp/types" -v bins="$bins" -v end="$end" "$gs_awk_csv"'
        BEGIN { while ((getline t < types) > 0) type[++nt] = t
                if (!(end > 0)) bins = 0
                if (bins) w = end / bins }
        NR == 1 { n = csv($0, h)
                  for (k = 1; k <= n; k++) col[h[k]] = k
                  for (k = 1; k <= nt; k++) { b[k] = col["busy_" type[k]]; f[k] = col["free_" type[k]] }
                  q = col["queued_jobs"]; next }
        function util(k) { return b[k] ? 100 * r[b[k]] / (r[b[k]] + r[f[k]]) : "NaN" }
        # the state in r holds on [a, z): add it to the bins it overlaps
        function add(a, z,   i, lo, hi, d, k) {
            for (i = int(a / w); i < bins && i * w < z; i++) {
                lo = a > i * w ? a : i * w
                hi = z < (i + 1) * w ? z : (i + 1) * w
                d = hi - lo
                if (d < 0) d = 0
                for (k = 1; k <= nt; k++) acc[i, k] += (b[k] ? util(k) : 0) * d
                if (r[q] + 0 > qm[i]) qm[i] = r[q] + 0
            }
        }
        !bins { split($0, r, ","); s = sprintf("%.6f", $1 / 3600)
                for (k = 1; k <= nt; k++) s = s " " util(k)
                print s, r[q]; next }
        { t = $1 + 0; if (NR > 2) add(tprev, t); split($0, r, ","); tprev = t }
        END {
            if (!bins) exit
            for (i = 0; i < bins; i++) {
                s = sprintf("%.6f", i * w / 3600)
                for (k = 1; k <= nt; k++) s = s " " (b[k] ? acc[i, k] / w : "NaN")
                print s, qm[i] + 0
            }
            s = sprintf("%.6f", end / 3600)
            for (k = 1; k <= nt; k++) s = s " " (b[k] ? acc[bins - 1, k] / w : "NaN")
            print s, qm[bins - 1] + 0
        }
    ' "$dir/timeline.csv" >"$tmp/t$i.dat"
done <"$tmp/runs"
nr=$i

panels=$((nt + 1))
[ -n "$size" ] || size="1000,$((220 * panels + 40))"
{
    echo "set multiplot layout $panels,1 ${title:+title $(gs_gp_str "$title")}"
    echo "set grid"
    [ -z "$hours" ] || echo "set xrange [0:$hours]"
    echo "set lmargin 10"
    echo "set rmargin 4"
    echo "set key top right horizontal opaque box"
    k=0
    while IFS= read -r t; do
        k=$((k + 1))
        echo "set ylabel $(gs_gp_str "$t busy %")"
        echo "set yrange [0:105]"
        echo "unset xlabel"
        [ "$k" -eq 1 ] || echo "unset key"
        printf 'plot '
        for j in $(seq "$nr"); do
            [ "$j" -eq 1 ] || printf ', \\\n     '
            printf '"%s" using 1:%d with steps linewidth 1.5 linecolor %d title %s' "$tmp/t$j.dat" \
                $((k + 1)) "$j" "$(gs_gp_str "$(sed -n "${j}p" "$tmp/labels")")"
        done
        echo
    done <"$tmp/types"
    [ "$nt" -gt 0 ] && echo "unset key"
    echo "set ylabel \"queued jobs\""
    echo "set yrange [0:*]"
    echo "set xlabel \"hours since the first submission\""
    printf 'plot '
    for j in $(seq "$nr"); do
        [ "$j" -eq 1 ] || printf ', \\\n     '
        printf '"%s" using 1:%d with steps linewidth 1.5 linecolor %d title %s' "$tmp/t$j.dat" \
            $((nt + 2)) "$j" "$(gs_gp_str "$(sed -n "${j}p" "$tmp/labels")")"
    done
    echo
    echo "unset multiplot"
} >"$tmp/plot.gp"
gs_plot_render "$tmp/plot.gp" "$size" "$out" "$tmp"
echo "plot_timeline.sh: $nr run(s) by $by, $nt GPU type(s) -> $out.png, $out.svg" >&2
