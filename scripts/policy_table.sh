#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every registered policy on one trace and prints a Markdown table of JCT (mean, p50, p99)
# per policy, plus what each run left unfinished or could not schedule.
#
#   scripts/policy_table.sh TRACE [CLUSTER] [-- EXTRA GPUSIM ARGUMENTS...]
#
# CLUSTER is a name under configs/clusters/ or a path (default: default). Extra arguments (after
# --) go to every run, e.g. -- --seed 2 --knowledge-error 0.2. Environment: GPUSIM (default
# build/gpusim), POLICIES (default: every policy `gpusim policies` lists).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: $0 TRACE [CLUSTER] [-- GPUSIM ARGS...]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
trace=$1
shift
cluster=default
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
    cluster=$1
    shift
fi
if [ $# -ge 1 ]; then
    [ "$1" = "--" ] || usage
    shift
fi
gpusim=${GPUSIM:-build/gpusim}
[ -x "$gpusim" ] || { echo "gpusim: error: '$gpusim' not built (scripts/build.sh)" >&2; exit 1; }
[ -r "$trace" ] || { echo "gpusim: error: cannot read trace '$trace'" >&2; exit 1; }
policies=${POLICIES:-$("$gpusim" policies | awk '{print $1}')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for p in $policies; do
    "$gpusim" --trace "$trace" --cluster "$cluster" --policy "$p" --out "$tmp/runs/$p" --force \
        --no-progress -q --allow-unschedulable "$@"
done
echo "| policy | mean JCT (s) | p50 JCT (s) | p99 JCT (s) | unfinished | unschedulable | restarts |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# gpusim merge reads every summary.json into one CSV (columns by name; only the last, the
# command, may be quoted, and it is not read)
# shellcheck disable=SC2046 # policy names have no blanks
"$gpusim" merge $(for p in $policies; do echo "$tmp/runs/$p"; done) | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { printf "| %s | %.0f | %.0f | %.0f | %d | %d | %d |\n", $c["policy"], $c["jct_mean"],
             $c["jct_p50"], $c["jct_p99"], $c["unfinished"], $c["unschedulable"],
             $c["restarts"] }'
