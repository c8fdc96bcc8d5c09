#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Speed of sia-unaware and sia-aware (BENCHMARKS.md, "Sia policies"): wall time (median of
# three runs, process start and output included), time per (job x round), per-round policy and
# ILP time (--timing) and ILP size, peak RSS (GNU time, when installed), on
#   1. the 960-job default trace on the default cluster (traces/default.csv; when it is not
#      there, a generated stand-in of the same shape: 40 SFT jobs/h for 24 h),
#   2. 10^4 jobs on the Seren-size cluster (2,288 A100-80GB), generated here at 1,000 jobs/h,
#   3. Sia's own 160-job workload on its 64-GPU cluster (scripts/sia_validate.sh; only when
#      Sia's artifact data is there).
# Sia's Python simulator takes ~140 s for 160 jobs x 799 rounds on these machines (NOTES.md
# section 7), i.e. ~1,100 us per job-round.
#
#   scripts/bench_sia.sh [--quick]          (--quick: skip the Seren run)
#   scripts/bench_sia.sh --gen SEED N RATE  (only print the generated trace, for other runs)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
gen=0
case "${1:-}" in
--quick) quick=1 ;;
--gen) gen=1 ;;
esac

# An ACME-Seren-schema SFT trace: Poisson arrivals at RATE jobs/h, N jobs; gpu_num mostly 1-8
# (22% 1, 13% 2, 12% 4, 46% 8, 4% 16, 2% 32, 1% 64), durations log-normal with median 200 s
# and p90 ~1,100 s (../shared/acme/STATS.md), clipped to [10 s, 4 h]. Park-Miller generator,
# so every awk writes the same trace for the same SEED.
gen_trace() { # SEED N RATE
    awk -v SEED="$1" -v N="$2" -v RATE="$3" '
    function u() { st = (16807 * st) % 2147483647; return st / 2147483647 }
    function normal(  a, b) { a = u(); b = u(); return sqrt(-2 * log(a)) * cos(6.283185307179586 * b) }
    BEGIN {
        st = SEED % 2147483646 + 1
        print "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time"
        t = 1677600000
        for (i = 1; i <= N; i++) {
            t += -log(u()) * 3600 / RATE
            x = u()
            g = x < 0.22 ? 1 : x < 0.35 ? 2 : x < 0.47 ? 4 : x < 0.93 ? 8 : x < 0.97 ? 16 : x < 0.99 ? 32 : 64
            d = int(200 * exp(1.33 * normal()))
            if (d < 10) d = 10
            if (d > 14400) d = 14400
            printf "sft%06d,u%02d,%d,%d,%d,SFT,COMPLETED,%d,,,%d,0,%d\n", i, i % 37, int((g + 7) / 8), g, 4 * g, int(t), d, d * g
        }
    }'
}

if [ $gen = 1 ]; then
    gen_trace "$2" "$3" "$4"
    exit 0
fi
scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bench() { # LABEL TRACE CLUSTER POLICY: three runs, the one with the median wall time reported
    local r start end
    for r in 1 2 3; do
        rm -rf "$tmp/out$r" "$tmp/rss$r"
        start=$(date +%s.%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f "%M" -o "$tmp/rss$r" build/gpusim --trace "$2" --cluster "$3" \
                --policy "$4" --timing --out "$tmp/out$r" --no-progress -q --allow-unschedulable
        else
            build/gpusim --trace "$2" --cluster "$3" --policy "$4" --timing --out "$tmp/out$r" \
                --no-progress -q --allow-unschedulable
        fi
        end=$(date +%s.%N)
        echo "$start $end" >"$tmp/wall$r"
    done
    python3 - "$tmp" "$1" "$4" <<'EOF'
import json, os, sys
tmp, label, pol = sys.argv[1:4]
runs = []
for r in (1, 2, 3):
    t0, t1 = map(float, open("%s/wall%d" % (tmp, r)).read().split())
    rss = open("%s/rss%d" % (tmp, r)).read().strip() if os.path.exists("%s/rss%d" % (tmp, r)) else ""
    runs.append((t1 - t0, r, "%.1f" % (int(rss) / 1024) if rss else "-"))
wall, r, rss = sorted(runs)[1]
s = json.load(open("%s/out%d/summary.json" % (tmp, r)))
ps, pt = s["policy_stats"], s["policy_time"]
rounds = ps["sia_rounds"]
print("| %s | %s | %d | %d | %.2f | %.2f | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.0f / %d | %.0f / %d | %s | %.0f / %.0f |" % (
    label, pol, s["jobs"], rounds, wall, wall / (s["jobs"] * rounds) * 1e6,
    pt["mean_ms"], pt["p95_ms"], pt["max_ms"], ps["ilp_ms_mean"], ps["ilp_ms_p95"], ps["ilp_ms_max"],
    ps["ilp_variables_mean"], ps["ilp_variables_max"], ps["ilp_constraints_mean"],
    ps["ilp_constraints_max"], rss, s["jct"]["mean"], s["jct"]["p99"]))
EOF
}

if [ -f traces/default.csv ]; then
    t960=traces/default.csv
    label960="traces/default.csv"
else
    gen_trace 1 960 40 >"$tmp/t960.csv"
    t960=$tmp/t960.csv
    label960="generated 960 (seed 1, 40/h)"
fi
echo "| trace | policy | jobs | rounds | wall s | us per job-round | policy ms mean / p95 / max | ILP ms mean / p95 / max | ILP variables mean / max | ILP constraints mean / max | peak RSS MB | JCT mean / p99 s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for p in sia-unaware sia-aware; do
    bench "$label960, default cluster" "$t960" default "$p"
done
if [ $quick = 0 ]; then
    gen_trace 2 10000 1000 >"$tmp/t10k.csv"
    for p in sia-unaware sia-aware; do
        bench "generated 10^4 (seed 2, 1000/h), seren" "$tmp/t10k.csv" seren "$p"
    done
fi
echo
echo "Sia's own workload (saturn/workload-1, 160 jobs, 64 GPUs):"
scripts/sia_validate.sh
