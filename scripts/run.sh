#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job from a fresh machine: install what is missing, build, and simulate the bundled
# default trace (960 fine-tuning jobs) on the default cluster with every policy, ending with
# the comparison on screen. Arguments, when given, replace that and go to gpusim as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ $# -gt 0 ]; then
    exec build/gpusim "$@"
fi
mkdir -p results
for p in $(build/gpusim policies | awk '{print $1}'); do
    build/gpusim --trace traces/default.csv --policy "$p" --out "results/default-$p" --force \
        --no-progress
done
echo
echo "JCT on traces/default.csv, cluster configs/clusters/default.json (seconds):"
scripts/summarize.sh results/default-*
