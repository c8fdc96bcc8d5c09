#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every job type under every policy: a generated trace of every ACME GPU job type (Seren-shaped,
# on the Seren-size cluster) and a Kalos-shaped one (on the Kalos-size cluster), each run with
# --job-type all and the default DB and class mapping; prints, per trace, a Markdown table of the
# mean and p99 JCT of every job type under every policy (from summary.json's by_type).
# docs/traces.md shows and reads the tables.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() {
    cat <<'USAGE'
usage: scripts/experiments/job_types.sh [--days D] [--seed S] [--out DIR] [GPUSIM]

  --days D    days of submissions of each generated trace (default 3 for Seren, 14 for Kalos)
  --seed S    seed of the traces and the runs (default 1)
  --out DIR   results (default results/job_types): seren.csv, kalos.csv and a folder per run
  GPUSIM      the program (default build/gpusim)
USAGE
}
days="" seed=1 out=results/job_types gpusim=build/gpusim
while [ $# -gt 0 ]; do
    case $1 in
    --days) days=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "job_types.sh: unknown option '$1'" >&2; exit 2 ;;
    *) gpusim=$1; shift ;;
    esac
done
mkdir -p "$out"

# mean_jct and p99_jct of each type of a summary.json, as "TYPE mean p99" lines
by_type() {
    awk '/^\t"by_type":/ { f = 1; next }
         f && /^\t}/ { exit }
         f && /^\t\t"[^"]*":/ { t = $1; gsub(/[":\t]/, "", t) }
         f && /"mean_jct":/ { m[t] = $2 + 0 }
         f && /"p99_jct":/ { p[t] = $2 + 0 }
         END { for (t in m) printf "%s %.0f %.0f\n", t, m[t], p[t] }' "$1"
}
overall() {
    awk '/^\t"jct":/ { f = 1; next } f && /"mean":/ { m = $2 + 0 } f && /"p99":/ { p = $2 + 0 }
         f && /^\t}/ { printf "%.0f %.0f\n", m, p; exit }' "$1"
}

run_set() { # NAME CLUSTER TYPES... (gen-trace arguments follow --)
    local name=$1 cluster=$2 p types
    shift 2
    types=$1
    shift
    "$gpusim" gen-trace "$@" --seed "$seed" -q --out "$out/$name.csv"
    printf '| policy | mean / p99 JCT (s) |'
    for t in $types; do printf ' %s |' "$t"; done
    printf '\n|---|---:|'
    for _ in $types; do printf -- '---:|'; done
    printf '\n'
    for p in $("$gpusim" policies | awk '{print $1}'); do
        "$gpusim" --trace "$out/$name.csv" --job-type all --cluster "$cluster" --policy "$p" \
            --seed "$seed" --out "$out/$name-$p" --force -q --no-progress
        read -r m q < <(overall "$out/$name-$p/summary.json")
        printf '| %s | %s / %s |' "$p" "$m" "$q"
        for t in $types; do
            printf ' %s |' "$(by_type "$out/$name-$p/summary.json" | awk -v t="$t" '$1 == t {print $2 " / " $3}')"
        done
        printf '\n'
    done
}

echo "Seren-shaped, every type (gen-trace --types all --days ${days:-3}), Seren-size cluster:"
run_set seren seren "Eval SFT Other MLLM Debug Pretrain" --types all --days "${days:-3}"
echo
echo "Kalos-shaped (gen-trace --cluster kalos --days ${days:-14}), Kalos-size cluster:"
run_set kalos kalos "Eval Debug Other Pretrain" --cluster kalos --days "${days:-14}"
