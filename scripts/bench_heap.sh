#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The engine's heap: binary (the default) against 4-ary (cmake -DGS_ENGINE_ARITY=4), with
# bench/bench_engine's hold model at 10^3, 10^5 and 10^6 pending events. Builds both in
# temporary Release build folders, runs them interleaved (REPS times each, default 5) and keeps
# each one's least CPU time, the steadier figure on a shared machine. Writes the "Engine heap"
# section of BENCHMARKS.md.
#   scripts/bench_heap.sh [--no-write]
set -euo pipefail
gs_prog=bench_heap.sh
. "$(dirname "$0")/lib.sh"
cd "$gs_repo"
write=1
for a in "$@"; do
    case $a in
    --no-write) write=0 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) gs_usage_error "unknown option '$a'" ;;
    esac
done
reps=${REPS:-5}
events=5000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for a in 2 4; do
    cmake -S . -B "$tmp/b$a" -DCMAKE_BUILD_TYPE=Release -DGS_ENGINE_ARITY="$a" >/dev/null
    cmake --build "$tmp/b$a" -j "$(nproc)" --target bench_engine >/dev/null
done
: >"$tmp/runs"
for _ in $(seq "$reps"); do
    for p in 1000 100000 1000000; do
        for a in 2 4; do
            # pending P events N seconds S events_per_s R cpu_seconds C events_per_cpu_s E
            "$tmp/b$a/bench_engine" "$p" "$events" | awk -v a="$a" '{ print a, $2, $10 }' >>"$tmp/runs"
        done
    done
done
{
    echo "<!-- bench_heap:begin -->"
    echo "## Engine heap: binary against 4-ary"
    echo
    echo "Measured by \`scripts/bench_heap.sh\` on $(date +%Y-%m-%d), $(nproc) cores"
    echo "($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), Release builds with"
    echo "\`-DGS_ENGINE_ARITY=2\` (the default) and \`=4\`: \`bench_engine P $events\` (the hold model:"
    echo "each event posts one at now + an exponential delay, so P events stay pending), $reps runs"
    echo "each, interleaved; the least CPU time of each (the machine was shared)."
    echo
    echo "| pending events | binary: M events per CPU s | 4-ary: M events per CPU s | 4-ary / binary |"
    echo "|---:|---:|---:|---:|"
    for p in 1000 100000 1000000; do
        b2=$(awk -v p="$p" '$1 == 2 && $2 == p && (m == "" || $3 < m) { m = $3 } END { print m }' "$tmp/runs")
        b4=$(awk -v p="$p" '$1 == 4 && $2 == p && (m == "" || $3 < m) { m = $3 } END { print m }' "$tmp/runs")
        awk -v p="$p" -v a="$b2" -v b="$b4" -v n="$events" 'BEGIN {
            printf "| %d | %.2f | %.2f | %.2f |\n", p, n / a / 1e6, n / b / 1e6, a / b }'
    done
    echo
    echo "\"4-ary / binary\" above 1 means the 4-ary heap is faster. The simulator keeps about 10^3"
    echo "events pending (arrivals are posted one at a time, plus one finish per running job), so"
    echo "the default is the heap that is faster there."
    echo "<!-- bench_heap:end -->"
} >"$tmp/section.md"
cat "$tmp/section.md"
[ "$write" = 1 ] || exit 0
if grep -q '<!-- bench_heap:begin -->' BENCHMARKS.md; then
    awk -v f="$tmp/section.md" '
        /<!-- bench_heap:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
        /<!-- bench_heap:end -->/ { skip = 0; next }
        !skip' BENCHMARKS.md >"$tmp/bench.md"
else
    { cat BENCHMARKS.md; echo; cat "$tmp/section.md"; } >"$tmp/bench.md"
fi
mv "$tmp/bench.md" BENCHMARKS.md
echo "$gs_prog: updated BENCHMARKS.md" >&2
