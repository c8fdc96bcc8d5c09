#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job from a fresh machine: install what is missing, build, and simulate the bundled
# default trace (960 fine-tuning jobs) on the default cluster with every policy, ending with
# the comparison on screen and an HTML report (results/report.html). Arguments, when given,
# replace that and go to gpusim as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ $# -gt 0 ]; then
    exec build/gpusim "$@"
fi
mkdir -p results
# The bundled trace, like ACME's, holds a few jobs larger than any GPU pool of the default
# cluster: fifo (which runs jobs as submitted) reports them as unschedulable, the informed
# policies run them on fewer GPUs. --allow-unschedulable lets the comparison go on.
for p in $(build/gpusim policies | awk '{print $1}'); do
    build/gpusim --trace traces/default.csv --policy "$p" --out "results/default-$p" --force \
        --allow-unschedulable --no-progress -q
done
echo
echo "JCT on traces/default.csv (960 fine-tuning jobs), cluster configs/clusters/default.json,"
echo "seconds; per-job results and summaries in results/default-<policy>/:"
echo
mapfile -t dirs < <(build/gpusim policies | awk '{print "results/default-" $1}')
scripts/summarize.sh "${dirs[@]}"
build/gpusim report "${dirs[@]}" --title "Every policy on traces/default.csv" -o results/report.html
echo
echo "The whole picture (JCT CDFs, timelines, Gantt charts, fairness, energy and cost):"
echo "results/report.html, one self-contained page for any browser."
