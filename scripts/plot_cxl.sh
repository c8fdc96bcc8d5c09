#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Plots the CXL module's figures as small PNGs into docs/figures/ (gnuplot):
#   cxl_fig3.png  CLOUDSTARS D2.1 report, Figure 3: idle latency and bandwidth per memory tier
#   cxl_fig4.png  CLOUDSTARS D2.1 report, Figure 4: cudaMemcpy bandwidth vs size (H2D/D2H, pageable/pinned)
#   cxl_sweep.png tokens/s vs DRAM channels and CXL expanders (from docs/cxl_sweep.csv)
# The figure data comes from `gpusim cxl figures`; the sweep from scripts/cxl_sweep.sh.
# Usage: scripts/plot_cxl.sh [OUTDIR]. GPUSIM overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
outdir=${1:-docs/figures}
gpusim=${GPUSIM:-build/gpusim}
sweep=${SWEEP:-docs/cxl_sweep.csv}
[ -x "$gpusim" ] || scripts/build.sh
command -v gnuplot >/dev/null || { echo "plot_cxl.sh: gnuplot is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$outdir"
"$gpusim" cxl figures --out "$tmp/fig"

# Figure 3: one bar pair per (socket 0 view + the remote-socket CXL view)
awk -F, 'NR > 1 && ($2 == 0 || $5 == "cxl-remote") {
    printf "\"%s\\n(%s)\" %s %s\n", $5, $3, $6, $8 }' "$tmp/fig/fig3_membench.csv" >"$tmp/fig3.dat"
gnuplot <<GP
set terminal pngcairo size 900,380 font ",10"
set output "$outdir/cxl_fig3.png"
set multiplot layout 1,2 title "Figure 3 (simulated): memory tiers of the default server, seen from the cores"
set style data histograms
set bmargin 4
set style fill solid 0.7 border -1
set boxwidth 0.7
set grid ytics
unset key
set title "idle latency (ns)"
set yrange [0:*]
plot "$tmp/fig3.dat" using 2:xtic(1) lc rgb "#4477aa", '' using 0:(\$2+12):(sprintf("%.1f", \$2)) with labels
set title "read bandwidth, one CCD (GiB/s)"
plot "$tmp/fig3.dat" using 3:xtic(1) lc rgb "#cc6677", '' using 0:(\$3+3):(sprintf("%.1f", \$3)) with labels
unset multiplot
GP

# Figure 4: four panels, one curve per tier
for d in h2d d2h; do
    for m in pageable pinned; do
        for t in local remote cxl; do
            awk -F, -v d=$d -v m=$m -v t=$t 'NR > 1 && $2 == d && $3 == m && $5 == t {
                print $6, $8 }' "$tmp/fig/fig4_memcpy.csv" >"$tmp/fig4_${d}_${m}_${t}.dat"
        done
    done
done
gnuplot <<GP
set terminal pngcairo size 900,640 font ",10"
set output "$outdir/cxl_fig4.png"
set multiplot layout 2,2 title "Figure 4 (simulated): cudaMemcpy bandwidth vs buffer size, A10 on PCIe 4.0 x16"
set logscale x 2
set format x "%.0b%B"
set xlabel "buffer size (bytes)"
set ylabel "GB/s"
set yrange [0:27]
set grid
set key top left
do for [d in "h2d d2h"] {
    do for [m in "pageable pinned"] {
        set title sprintf("%s, %s", d eq "h2d" ? "host to device" : "device to host", m)
        plot for [t in "local remote cxl"] sprintf("$tmp/fig4_%s_%s_%s.dat", d, m, t) \
            using 1:2 with linespoints pt 7 ps 0.4 title t
    }
}
unset multiplot
GP

# Sweep: tokens/s vs expanders, one line per DRAM channel count; panels: model x
# (pinned Gen4, pinned Gen5, pageable Gen4)
if [ -s "$sweep" ]; then
    for mdl in llama3.1-70b opt-175b; do
        for v in pinned:4 pinned:5 pageable:4; do
            cp=${v%:*}
            gen=${v#*:}
            for ch in 2 4 8 12; do
                awk -F, -v mdl="$mdl" -v cp="$cp" -v ch="$ch" -v gen="$gen" '
                    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                    $col["model"] == mdl && $col["copy"] == cp && $col["dram_channels"] == ch &&
                    $col["pcie_gen"] == gen && $col["cxl_expanders"] != "" {
                        print $col["cxl_expanders"],
                            ($col["status"] == "ok" ? $col["tokens_per_s"] : "NaN") }' "$sweep" \
                    >"$tmp/sw_${mdl}_${cp}${gen}_${ch}.dat"
            done
        done
    done
    gnuplot <<GP
set terminal pngcairo size 1000,620 font ",10"
set output "$outdir/cxl_sweep.png"
set multiplot layout 2,3 title "tokens/s (batch 1, prompt 512, 32 tokens) vs CXL expanders; lines: DRAM channels per socket; gaps: does not fit"
set xlabel "CXL expanders (64 GiB each)"
set ylabel "tokens/s"
set xrange [-0.3:4.3]
set xtics 1
set yrange [0:*]
set grid
set key bottom right title "channels"
set datafile missing "NaN"
do for [mdl in "llama3.1-70b opt-175b"] {
    do for [v in "pinned4 pinned5 pageable4"] {
        set title sprintf("%s, %s, PCIe %s.0", mdl, v[1:strlen(v)-1], v[strlen(v):strlen(v)])
        plot for [ch in "2 4 8 12"] sprintf("$tmp/sw_%s_%s_%s.dat", mdl, v, ch) \
            using 1:2 with linespoints pt 7 ps 0.6 title ch
    }
}
unset multiplot
GP
fi
ls -l "$outdir"/cxl_*.png
