#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints a Markdown table of the JCT statistics of gpusim result folders:
#   scripts/summarize.sh results/default-*
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/summarize.sh RESULT_DIR..." >&2; exit 2; }
printf '| policy | jobs | finished | unschedulable | mean JCT (s) | p50 JCT (s) | p90 JCT (s) | p99 JCT (s) | restarts | failed starts |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for d in "$@"; do
    f=$d/summary.json
    [ -f "$f" ] || { echo "summarize: no $f" >&2; exit 1; }
    # summary.json is written by gpusim itself: one "key": value per line
    awk -F'[:,]' '
        function val(s) { gsub(/^[ \t"]+|[ \t"]+$/, "", s); return s }
        /^\t"policy":/ { p = val($2) }
        /^\t"jobs":/ { jobs = val($2) }
        /^\t"finished":/ { fin = val($2) }
        /^\t"unschedulable":/ { uns = val($2) }
        /^\t"restarts":/ { rs = val($2) }
        /^\t"failures":/ { fl = val($2) }
        /^\t\t"mean":/ && !m++ { mean = val($2) }
        /^\t\t"p50":/ && !a++ { p50 = val($2) }
        /^\t\t"p90":/ && !b++ { p90 = val($2) }
        /^\t\t"p99":/ && !c++ { p99 = val($2) }
        END { printf "| %s | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s |\n",
                     p, jobs, fin, uns, mean, p50, p90, p99, rs, fl }' "$f"
done
