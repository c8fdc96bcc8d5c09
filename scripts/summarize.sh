#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints a Markdown table of the JCT statistics of gpusim result folders, in the order given
# (`gpusim merge` reads their summary.json):
#   scripts/summarize.sh results/default-*
set -euo pipefail
gs_prog=summarize.sh
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -gt 0 ] || gs_usage_error "usage: scripts/summarize.sh RESULT_DIR..."
gs_find_gpusim
printf '| policy | jobs | finished | unschedulable | mean JCT (s) | p50 JCT (s) | p90 JCT (s) | p99 JCT (s) | restarts | failed starts |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
# the runs table is gpusim's own CSV: the columns are found by name, the command (last column,
# the only one that may be quoted) is never read
"$GPUSIM" merge "$@" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { printf "| %s | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s |\n",
             $c["policy"], $c["jobs"], $c["finished"], $c["unschedulable"], $c["jct_mean"],
             $c["jct_p50"], $c["jct_p90"], $c["jct_p99"], $c["restarts"], $c["failures"] }'
