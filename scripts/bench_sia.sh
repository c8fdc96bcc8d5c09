#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Speed of sia-unaware and sia-aware (BENCHMARKS.md, "Sia policies"): wall time (median of
# three runs, process start and output included), time per (job x round), per-round policy and
# ILP time (--timing) and ILP size, peak RSS (GNU time, when installed), on
#   1. the 960-job default trace on the default cluster (traces/default.csv; when it is not
#      there, a generated stand-in of the same shape: 40 SFT jobs/h for 24 h),
#   2. 10^4 jobs on the Seren-size cluster (2,288 A100-80GB), generated here at 400 jobs/h
#      (about 40 % of its GPU-hours, as in scripts/bench_policies.sh with RATE=400),
#   3. Sia's own 160-job workload on its 64-GPU cluster (scripts/sia_validate.sh; only when
#      Sia's artifact data is there).
# Sia's Python simulator (its artifact, github.com/siasosp23/artifacts) takes ~140 s for 160
# jobs x 799 rounds on these machines, i.e. ~1,100 us per job-round.
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

# ACME-fitted SFT jobs from gpusim gen-trace (docs/traces.md): N jobs at RATE jobs/h, seeded.
gen_trace() { # SEED N RATE
    "${GPUSIM:-build/gpusim}" gen-trace --jobs "$2" --rate "$3" --seed "$1" --out - -q
}

scripts/build.sh
if [ $gen = 1 ]; then
    gen_trace "$2" "$3" "$4"
    exit 0
fi
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
    gen_trace 2 10000 400 >"$tmp/t10k.csv"
    for p in sia-unaware sia-aware; do
        bench "generated 10^4 (seed 2, 400/h), seren" "$tmp/t10k.csv" seren "$p"
    done
fi
echo
echo "Sia's own workload (saturn/workload-1, 160 jobs, 64 GPUs):"
scripts/sia_validate.sh
