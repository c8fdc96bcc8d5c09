#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The knowledge axis of the CLOUDSTARS D2.1 report's question: the informed policies on the 10
# independent traces of scripts/experiments/knowledge.sh, with what they believe about throughput
# perturbed (--knowledge-error SIGMA) and, separately, viabilities flipped (--viability-error P).
# Prints a Markdown table of the mean JCT over the traces with its 95 % bootstrap interval (and
# the mean failed starts per trace for the viability errors).
#   scripts/experiments/knowledge_errors.sh [-j N] [--out DIR]
# Uses the traces of knowledge.sh (results/knowledge/samples/; drawn the same way when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=$(nproc) out=results/knowledge-errors
while [ $# -gt 0 ]; do
    case $1 in
    -j | --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "knowledge_errors.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
g=${GPUSIM:-build/gpusim}
[ -x "$g" ] || scripts/build.sh
policies=db-fifo,db-flat,db-flat-scale,sia-aware
sigmas="0 0.25 0.5 1"
flips="0.05 0.2"
if [ ! -d results/knowledge/samples ]; then
    mkdir -p results/knowledge
    # the same call as knowledge.sh's sample_traces with its defaults
    "$g" sample --generate-days 184 --seeds 1-10 --generate-rate 50 --per-hour 40 --seed 1 \
        --out results/knowledge/samples --quiet
fi
traces=$(find results/knowledge/samples -maxdepth 1 -name '*.csv' | LC_ALL=C sort | paste -sd,)
scripts/sweep.sh --out "$out/sigma" --traces "$traces" --policies "$policies" \
    --knowledge-errors "$(echo "$sigmas" | tr ' ' ,)" -j "$jobs" --no-progress -q -- \
    --allow-unschedulable
for p in $flips; do
    scripts/sweep.sh --out "$out/flip-$p" --traces "$traces" --policies "$policies" -j "$jobs" \
        --no-progress -q -- --allow-unschedulable --viability-error "$p"
done
# means over the traces with their intervals (gpusim stats): policy,knowledge_error,metric,n,
# mean,ci_lo,ci_hi,...
"$g" stats "$out/sigma/runs" --by policy,knowledge_error -m jct_mean -o "$out/sigma.stats.csv"
for p in $flips; do
    "$g" stats "$out/flip-$p/runs" --by policy -m jct_mean,failures -o "$out/flip-$p.stats.csv"
done
fmt='function f(m, lo, hi) { return sprintf("%.0f [%.0f, %.0f]", m, lo, hi) }'
{
    printf '| policy |'
    for s in $sigmas; do printf ' sigma %s |' "$s"; done
    for p in $flips; do printf ' flipped %s %% |' "$(awk -v p="$p" 'BEGIN { print p * 100 }')"; done
    printf '\n|---|'
    for _ in $sigmas $flips; do printf -- '---:|'; done
    printf '\n'
    for pol in $(echo "$policies" | tr , ' '); do
        printf '| %s |' "$pol"
        for s in $sigmas; do
            awk -F, -v pol="$pol" -v s="$s" "$fmt"'
                $1 == pol && $2 + 0 == s + 0 && $3 == "jct_mean" { printf " %s |", f($5, $6, $7) }' \
                "$out/sigma.stats.csv"
        done
        for p in $flips; do
            awk -F, -v pol="$pol" "$fmt"'
                $1 == pol && $2 == "jct_mean" { j = f($4, $5, $6) }
                $1 == pol && $2 == "failures" { fl = $4 }
                END { printf " %s (%.0f failed) |", j, fl }' "$out/flip-$p.stats.csv"
        done
        printf '\n'
    done
} | tee "$out/table.md"
