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

# the value of "key" in the first object named obj of summary.json (our own fixed format)
field() { # FILE OBJ KEY
    awk -v obj="\"$2\":" -v key="\"$3\":" '
        index($0, obj) { inside = 1; next }
        inside && index($0, key) { gsub(/[^0-9.eE+-]/, "", $2); print $2; exit }
        inside && /}/ { inside = 0 }' FS=':' "$1"
}
top() { # FILE KEY
    awk -v key="\"$2\":" 'index($0, key) { gsub(/[^0-9.eE+-]/, "", $2); print $2; exit }' \
        FS=':' "$1"
}

echo "| policy | mean JCT (s) | p50 JCT (s) | p99 JCT (s) | unfinished | unschedulable | restarts |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for p in $policies; do
    "$gpusim" --trace "$trace" --cluster "$cluster" --policy "$p" --out "$tmp/$p" --force \
        --no-progress -q --allow-unschedulable "$@"
    s="$tmp/$p/summary.json"
    printf '| %s | %.0f | %.0f | %.0f | %d | %d | %d |\n' "$p" "$(field "$s" jct mean)" \
        "$(field "$s" jct p50)" "$(field "$s" jct p99)" "$(top "$s" unfinished)" \
        "$(top "$s" unschedulable)" "$(top "$s" restarts)"
done
