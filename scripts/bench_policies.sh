#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Wall time and peak memory of every registered policy on synthetic ACME-schema traces of 10^4
# and 10^5 fine-tuning jobs on the Seren-size cluster (2,288 A100-80GB), for BENCHMARKS.md.
#
#   scripts/bench_policies.sh [SIZES...]        default sizes: 10000 100000
#   scripts/bench_policies.sh --gen N RATE SEED  print the synthetic trace of N jobs arriving at
#                                                RATE jobs/h, seeded, and exit
#
# Environment: GPUSIM (default build/gpusim), POLICIES (default: fifo and the db-* policies),
# RATE (jobs/h for the benchmark traces; default 800: about 75 % of the Seren-size cluster's
# GPU-hours while jobs arrive, as in scripts/bench.sh), CLUSTER (default seren).
#
# The traces come from `gpusim gen-trace` (ACME-fitted SFT jobs, docs/traces.md).
set -euo pipefail
cd "$(dirname "$0")/.."

gen_trace() { # N RATE SEED: ACME-fitted SFT jobs (gpusim gen-trace, docs/traces.md)
    "$gpusim" gen-trace --jobs "$1" --rate "$2" --seed "$3" --out - -q
}

gpusim=${GPUSIM:-build/gpusim}
[ -x "$gpusim" ] || { echo "gpusim: error: '$gpusim' not built (scripts/build.sh)" >&2; exit 1; }
if [ "${1:-}" = "--gen" ]; then
    [ $# -eq 4 ] || { echo "usage: $0 --gen N RATE SEED" >&2; exit 2; }
    gen_trace "$2" "$3" "$4"
    exit 0
fi

rate=${RATE:-800}
cluster=${CLUSTER:-seren}
# the round-based Sia policies have their own benchmark (scripts/bench_sia.sh, 10^4 jobs)
policies=${POLICIES:-fifo db-fifo db-flat db-flat-scale}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "| policy | jobs | wall s | CPU s | peak RSS MiB | mean JCT s | p99 JCT s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    gen_trace "$n" "$rate" 1 >"$tmp/trace-$n.csv"
    for p in $policies; do
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$gpusim" --trace "$tmp/trace-$n.csv" \
            --cluster "$cluster" --policy "$p" --out "$tmp/out" --force --no-progress -q \
            --allow-unschedulable
        read -r wall rss usr sys <"$tmp/time"
        read -r mean p99 < <("$gpusim" merge "$tmp/out" | awk -F, '
            NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            { print $c["jct_mean"], $c["jct_p99"] }')
        printf '| %s | %d | %s | %.2f | %.1f | %.0f | %.0f |\n' "$p" "$n" "$wall" \
            "$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')" "$(echo "$rss" |
            awk '{print $1 / 1024}')" "$mean" "$p99"
    done
done
