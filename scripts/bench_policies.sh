#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Wall time and peak memory of every registered policy on synthetic ACME-schema traces of 10^4
# and 10^5 fine-tuning jobs on the Seren-size cluster (2,288 A100-80GB), for BENCHMARKS.md.
#
#   scripts/bench_policies.sh [SIZES...]        default sizes: 10000 100000
#   scripts/bench_policies.sh --gen N RATE SEED  print the synthetic trace of N jobs arriving at
#                                                RATE jobs/h (Poisson), seeded, and exit
#
# Environment: GPUSIM (default build/gpusim), POLICIES (default: every registered policy),
# RATE (jobs/h for the benchmark traces; default 1600: about 75% of the Seren-size cluster's
# GPUs allocated under fifo, busy without overload), CLUSTER (default seren).
#
# The generator is a stand-in until `gpusim gen-trace` exists: durations follow the Seren SFT
# duration CDF of ../shared/acme/STATS.md section 5 (interpolated in log2 x, capped at 4 h),
# GPU counts a mix with median 8 (1: 15%, 2: 12%, 4: 13%, 8: 45%, 16: 13.6%, 32: 1.1%, 64: 0.3%),
# arrivals Poisson. mawk's random stream makes it reproducible on one machine, not across awks.
set -euo pipefail
cd "$(dirname "$0")/.."

gen_trace() { # N RATE SEED
    awk -v n="$1" -v rate="$2" -v seed="$3" '
    function civil(z,   era, doe, yoe, doy, mp, d, m, y) { # days since 1970 -> "Y-M-D"
        z += 719468; era = int(z / 146097); doe = z - era * 146097
        yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
        y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
        mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
        m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
        return sprintf("%04d-%02d-%02d", y, m, d)
    }
    function stamp(t,   s) { # epoch seconds -> ACME "YYYY-MM-DD hh:mm:ss+08:00"
        t = int(t) + 8 * 3600; s = t % 86400
        return sprintf("%s %02d:%02d:%02d+08:00", civil(int(t / 86400)), int(s / 3600),
                       int(s % 3600 / 60), s % 60)
    }
    BEGIN {
        srand(seed)
        nx = split("0 2 4 6 7 8 9 10 11 12 13 14 16 18 20", lx, " ")
        split("0 1.02 3.46 12.62 27.59 37.51 57.61 78.80 89.27 94.49 97.34 98.64 99.16 99.80 99.98 100", cp, " ")
        ng = split("1 2 4 8 16 32 64", gv, " "); split("15 12 13 45 13.6 1.1 0.3", gw, " ")
        print "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time"
        t = 1688140800 # 2023-07-01 00:00:00 +08:00 minus 8 h
        for (i = 1; i <= n; i++) {
            t += -log(1 - rand()) * 3600 / rate
            u = rand() * 100; lo = 0
            for (k = 1; k < nx && u > cp[k + 1]; k++) ;
            lo = k == 1 ? 0 : lx[k - 1]; hi = lx[k]; a = cp[k]; b = cp[k + 1]
            x = lo + (b > a ? (u - a) / (b - a) : 0) * (hi - lo)
            d = int(2 ^ x + 0.5); if (d < 10) d = 10; if (d > 14400) d = 14400
            u = rand() * 100
            for (k = 1; k < ng && u > gw[k]; k++) u -= gw[k]
            g = gv[k]; nodes = int((g + 7) / 8)
            printf "job%d,u%d,%d,%d,%d,SFT,COMPLETED,%s,%s,%s,%d,0,%d\n", i, int(rand() * 50), nodes,
                   g, 8 * g, stamp(t), stamp(t), stamp(t + d), d, d * g
        }
    }'
}

if [ "${1:-}" = "--gen" ]; then
    [ $# -eq 4 ] || { echo "usage: $0 --gen N RATE SEED" >&2; exit 2; }
    gen_trace "$2" "$3" "$4"
    exit 0
fi

gpusim=${GPUSIM:-build/gpusim}
[ -x "$gpusim" ] || { echo "gpusim: error: '$gpusim' not built (scripts/build.sh)" >&2; exit 1; }
rate=${RATE:-1600}
cluster=${CLUSTER:-seren}
policies=${POLICIES:-$("$gpusim" policies | awk '{print $1}')}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "| policy | jobs | wall s | peak RSS MiB | mean JCT s | p99 JCT s |"
echo "|---|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    gen_trace "$n" "$rate" 1 >"$tmp/trace-$n.csv"
    for p in $policies; do
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$gpusim" --trace "$tmp/trace-$n.csv" \
            --cluster "$cluster" --policy "$p" --out "$tmp/out" --force --no-progress -q \
            --allow-unschedulable
        read -r wall rss <"$tmp/time"
        mean=$(sed -n 's/.*"mean":[[:space:]]*\([0-9.]*\).*/\1/p' "$tmp/out/summary.json" | head -1)
        p99=$(sed -n 's/.*"p99":[[:space:]]*\([0-9.]*\).*/\1/p' "$tmp/out/summary.json" | head -1)
        printf '| %s | %d | %s | %.1f | %.0f | %.0f |\n' "$p" "$n" "$wall" "$(echo "$rss" |
            awk '{print $1 / 1024}')" "$mean" "$p99"
    done
done
