#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Speed and memory of the game-offload model (numbers for BENCHMARKS.md, section "Game"):
# engine events per second and peak RSS for one long run, and the time of the Figure 5 sweep.
# Usage: scripts/bench_game.sh [REPEATS]   (default 5; the best run is reported)
# GPUSIM=path overrides the binary (default build/gpusim, a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
gpusim=${GPUSIM:-build/gpusim}
[ -x "$gpusim" ] || scripts/build.sh >/dev/null
tmp=$(mktemp -d /tmp/gpusim-bench-game-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# one run: best wall time of $reps, events from its summary, peak RSS from GNU time
bench_run() {
    local label=$1
    shift
    local best="" t ev rss
    for _ in $(seq "$reps"); do
        local s e
        s=$(date +%s.%N)
        /usr/bin/time -f "%M" -o "$tmp/time" "$gpusim" game run "$@" --quiet >"$tmp/sum.json"
        e=$(date +%s.%N)
        t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", e - s }')
        read -r rss <"$tmp/time"
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$t
        fi
    done
    ev=$(awk -F'[:,]' '/"events"/ { gsub(/[ \t]/, "", $2); print $2 }' "$tmp/sum.json")
    awk -v l="$label" -v t="$best" -v e="$ev" -v r="$rss" 'BEGIN {
        printf "%-44s %10d events %7.3f s %7.2f M events/s %6.1f MiB peak RSS\n",
               l, e, t, (t > 0 ? e / t / 1e6 : 0), r / 1024 }'
}

echo "gpusim game benchmarks ($(nproc) cores, $(uname -m)), best of $reps"
bench_run "trip, adaptive, 900 s simulated" --scenario trip --policy adaptive
bench_run "trip, static-cloud, 900 s simulated" --scenario trip --policy static-cloud
bench_run "figure5, scripted, 60 s simulated" --scenario figure5
bench_run "trip, adaptive, 4 h simulated (--duration)" --scenario trip --duration 14400
start=$(date +%s.%N)
"$gpusim" game sweep --scenario figure5 --seeds 1-20 --phases -o "$tmp/sweep.csv"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "%-44s %7.2f s\n", "sweep figure5, 20 seeds", e - s }'
