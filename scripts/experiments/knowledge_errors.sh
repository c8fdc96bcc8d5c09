#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The knowledge axis of the CLOUDSTARS D2.1 report's question: the informed policies on the 10
# sampled traces of scripts/experiments/knowledge.sh, with what they believe about throughput
# perturbed (--knowledge-error SIGMA) and, separately, viabilities flipped (--viability-error P).
# Prints a Markdown table of mean JCT (and failed starts for the viability errors).
#   scripts/experiments/knowledge_errors.sh [-j N] [--out DIR]
# Needs the samples of knowledge.sh (results/knowledge/samples/; made when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=$(nproc) out=results/knowledge-errors
while [ $# -gt 0 ]; do
    case $1 in
    -j | --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
    "$g" sample --trace traces/multiweek.csv --count 10 --per-hour 40 --seed 1 \
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
# mean JCT over every job of a policy that ended (merged job tables; columns found by name)
"$g" merge "$out/sigma/runs" --jobs "$out/sigma.jobs.csv" -o "$out/sigma.runs.csv"
for p in $flips; do
    "$g" merge "$out/flip-$p/runs" --jobs "$out/flip-$p.jobs.csv" -o "$out/flip-$p.runs.csv"
done
col() { head -n 1 "$1" | tr , '\n' | grep -nx "$2" | cut -d: -f1; }
j=$out/sigma.jobs.csv
cp=$(col "$j" policy) ck=$(col "$j" knowledge_error) cj=$(col "$j" jct) cf=$(col "$j" failures)
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
            awk -F, -v pol="$pol" -v s="$s" -v cp="$cp" -v ck="$ck" -v cj="$cj" '
                NR > 1 && $cp == pol && $ck + 0 == s + 0 && $cj != "" { t += $cj; n++ }
                END { printf " %.0f |", t / n }' "$j"
        done
        for p in $flips; do
            awk -F, -v pol="$pol" -v cp="$cp" -v cj="$cj" -v cf="$cf" '
                NR > 1 && $cp == pol { f += $cf; if ($cj != "") { t += $cj; n++ } }
                END { printf " %.0f (%d failed) |", t / n, f }' "$out/flip-$p.jobs.csv"
        done
        printf '\n'
    done
} | tee "$out/table.md"
