#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Draws the game-offload time series as PNG (gnuplot):
#   docs/figures/game_figure5.png  the Figure 5 scenario (local rendering, then streaming from
#                                  the cloud): FPS, device downlink and game RTT per 0.5 s,
#                                  the migration shaded
#   docs/figures/game_trip.png     the trip scenario under adaptive, static-local and
#                                  static-cloud: FPS, downlink, battery, adaptive's mode
# Usage: scripts/plot_game.sh [OUTDIR] [SEED]   (default docs/figures, seed 1)
# GPUSIM=path overrides the binary (default build/gpusim, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/figures}
seed=${2:-1}
gpusim=${GPUSIM:-build/gpusim}
if [ ! -x "$gpusim" ]; then
    scripts/build.sh >/dev/null
fi
command -v gnuplot >/dev/null || {
    echo "plot_game.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2
    exit 1
}
mkdir -p "$out"
tmp=$(mktemp -d /tmp/gpusim-plot-game-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- Figure 5 ----
"$gpusim" game run --scenario figure5 --seed "$seed" --out "$tmp/f5" --quiet
# the migration window (start,end) and the per-phase numbers for the title
read -r mstart mend < <(awk -F, 'NR == 2 { print $1, $2 }' "$tmp/f5/migrations.csv")
title=$(awk -F, 'NR > 1 && $21 == 0 {
        k = ($18 == "device") ? "b" : "a"; n[k]++; f[k] += $2; b[k] += $8
        if (!(k in lo) || $2 < lo[k]) lo[k] = $2
        if (!(k in hi) || $2 > hi[k]) hi[k] = $2 }
    END { printf "local: FPS mean %.1f range %d, %.2f Mbps | streamed: FPS mean %.1f range %d, %.2f Mbps",
          f["b"] / n["b"], hi["b"] - lo["b"], b["b"] / n["b"],
          f["a"] / n["a"], hi["a"] - lo["a"], b["a"] / n["a"] }' "$tmp/f5/timeseries.csv")
gnuplot <<EOF
set terminal pngcairo size 900,760 font "Sans,10"
set output "$out/game_figure5.png"
set datafile separator ","
set key autotitle columnhead
set multiplot layout 3,1 title "gpusim game, Figure 5 scenario (seed $seed)\n$title"
set grid
set lmargin 10
set xrange [0:60]
set object 1 rect from $mstart, graph 0 to $mend, graph 1 fc rgb "#ffd9a0" fs solid 0.6 behind
set arrow 1 from $mstart, graph 0 to $mstart, graph 1 nohead lc rgb "#d07000" dt 2
set label 1 "switch to streaming" at $mstart + 0.5, graph 0.92 tc rgb "#d07000"
set ylabel "FPS"
set yrange [0:80]
plot "$tmp/f5/timeseries.csv" using 1:2 with steps lw 1.5 lc rgb "#1f5fbf" notitle
unset label 1
set ylabel "downlink (Mbit/s)"
set yrange [0:5]
plot "$tmp/f5/timeseries.csv" using 1:8 with steps lw 1.5 lc rgb "#2a9d3a" notitle
set ylabel "game RTT (ms)"
set xlabel "time (s)"
set yrange [0:25]
plot "$tmp/f5/timeseries.csv" using 1:6 with steps lw 1.5 lc rgb "#b02a2a" notitle
unset multiplot
EOF

# ---- the trip ----
for p in adaptive static-local static-cloud; do
    "$gpusim" game run --scenario trip --policy "$p" --seed "$seed" --out "$tmp/trip-$p" --quiet
done
# FPS as a 5-s moving mean (10 samples), so that the policies can be told apart
for p in adaptive static-local static-cloud; do
    awk -F, 'NR > 1 { v[NR % 10] = $2; n++; s = 0; k = n < 10 ? n : 10
        for (i in v) s += v[i]; print $1 "," s / k }' "$tmp/trip-$p/timeseries.csv" \
        >"$tmp/fps-$p.csv"
done
# adaptive's mode as a number: local 1, stream 2, offline 3
awk -F, 'NR > 1 { m = ($15 == "local") ? 1 : ($15 == "stream") ? 2 : 3; print $1 "," m }' \
    "$tmp/trip-adaptive/timeseries.csv" >"$tmp/mode.csv"
gnuplot <<EOF
set terminal pngcairo size 900,900 font "Sans,10"
set output "$out/game_trip.png"
set datafile separator ","
set multiplot layout 4,1 title "gpusim game, trip scenario (seed $seed): outage 330-400 s, battery drop at 600 s"
set grid
set lmargin 12
set xrange [0:900]
set object 1 rect from 330, graph 0 to 400, graph 1 fc rgb "#e0e0e0" fs solid 0.6 behind
set key top right horizontal
set ylabel "FPS (5-s mean)"
set yrange [0:75]
plot "$tmp/fps-static-cloud.csv" using 1:2 with lines lc rgb "#999999" title "static-cloud", \
     "$tmp/fps-static-local.csv" using 1:2 with lines lc rgb "#d07000" title "static-local", \
     "$tmp/fps-adaptive.csv" using 1:2 with lines lw 1.5 lc rgb "#1f5fbf" title "adaptive"
set ylabel "downlink (Mbit/s)"
set yrange [0:*]
plot "$tmp/trip-static-cloud/timeseries.csv" every ::1 using 1:8 with steps lc rgb "#999999" title "static-cloud", \
     "$tmp/trip-static-local/timeseries.csv" every ::1 using 1:8 with steps lc rgb "#d07000" title "static-local", \
     "$tmp/trip-adaptive/timeseries.csv" every ::1 using 1:8 with steps lw 1.5 lc rgb "#1f5fbf" title "adaptive"
set ylabel "battery (%)"
set yrange [0:65]
set key bottom left horizontal
plot "$tmp/trip-static-cloud/timeseries.csv" every ::1 using 1:11 with lines lc rgb "#999999" title "static-cloud", \
     "$tmp/trip-static-local/timeseries.csv" every ::1 using 1:11 with lines lc rgb "#d07000" title "static-local", \
     "$tmp/trip-adaptive/timeseries.csv" every ::1 using 1:11 with lines lw 1.5 lc rgb "#1f5fbf" title "adaptive"
set ylabel "adaptive's mode"
set xlabel "time (s)"
set yrange [0.5:3.5]
set ytics ("local" 1, "stream" 2, "offline" 3)
plot "$tmp/mode.csv" using 1:2 with steps lw 2 lc rgb "#1f5fbf" notitle
unset multiplot
EOF
echo "wrote $out/game_figure5.png and $out/game_trip.png"
