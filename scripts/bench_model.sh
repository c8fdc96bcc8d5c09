#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the credible job model (scaling DB v2, start-up and checkpoint costs, end states) costs
# against an older gpusim: the same traces, each binary with its own default configs, wall and
# CPU (user + sys) time of the run and peak RSS, best of 3 (1 for 10^6 jobs). Prints a Markdown
# table; the other engineers' load on the machine shows in wall time, less in CPU time.
#   scripts/bench_model.sh OLD_GPUSIM [NEW_GPUSIM]   (NEW default: build/gpusim)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/bench_model.sh OLD_GPUSIM [NEW_GPUSIM]" >&2; exit 2; }
old=$1 new=${2:-build/gpusim}
for g in "$old" "$new"; do [ -x "$g" ] || { echo "bench_model.sh: '$g' is not executable" >&2; exit 1; }; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best "wall cpu rss" over $1 runs
measure() {
    local reps=$1 best="" cpu="" rss="" w u s kb
    shift
    for _ in $(seq "$reps"); do
        /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
        read -r w u s kb <"$tmp/time"
        if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$w cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') rss=$kb
        fi
    done
    echo "$best $cpu $rss"
}

"$new" gen-trace --jobs 100000 --rate 400 --seed 1 --out "$tmp/t5.csv" -q
"$new" gen-trace --jobs 1000000 --rate 800 --seed 1 --out "$tmp/t6.csv" -q
echo "| run | old wall s | old CPU s | new wall s | new CPU s | new / old CPU | old / new peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row() {
    local name=$1 reps=$2 a b
    shift 2
    a=$(measure "$reps" "$old" "$@" --out "$tmp/o" --force)
    b=$(measure "$reps" "$new" "$@" --out "$tmp/o" --force)
    read -r aw ac ar <<<"$a"
    read -r bw bc br <<<"$b"
    awk -v n="$name" -v aw="$aw" -v ac="$ac" -v ar="$ar" -v bw="$bw" -v bc="$bc" -v br="$br" \
        'BEGIN { printf "| %s | %s | %s | %s | %s | %.2f | %.0f / %.0f |\n", n, aw, ac, bw, bc,
                 bc / (ac > 0 ? ac : 0.01), ar / 1024, br / 1024 }'
}
common=(--no-progress -q --allow-unschedulable)
row "fifo, 10^6 jobs (800/h), seren" 1 --trace "$tmp/t6.csv" --cluster seren --policy fifo "${common[@]}"
for p in fifo db-fifo db-flat db-flat-scale; do
    row "$p, 10^5 jobs (400/h), seren" 3 --trace "$tmp/t5.csv" --cluster seren --policy "$p" "${common[@]}"
done
for p in fifo db-flat-scale sia-unaware sia-aware; do
    row "$p, traces/default.csv, default cluster" 3 --trace traces/default.csv --policy "$p" "${common[@]}"
done
