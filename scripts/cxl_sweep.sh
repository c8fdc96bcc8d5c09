#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The committed CXL sweep (docs/cxl.md): tokens/s of Llama 3.1 70B and OPT-175B on the default
# server versus DRAM channels per socket, CXL expanders (0-4), pinned vs pageable host buffers,
# PCIe 4.0 (the A10) and 5.0. One CSV row per point; infeasible points keep their reason.
# Usage: scripts/cxl_sweep.sh [OUT.csv] (default docs/cxl_sweep.csv). GPUSIM overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/cxl_sweep.csv}
gpusim=${GPUSIM:-build/gpusim}
[ -x "$gpusim" ] || scripts/build.sh
# the config by its path relative to the checkout, so that no machine's path gets into the table
"$gpusim" cxl sweep -q --hw configs/cxl/default.json \
    --model llama3.1-70b,opt-175b \
    --dram-channels 2,4,8,12 \
    --cxl-expanders 0,1,2,3,4 \
    --copy pinned,pageable \
    --pcie-gen 4,5 \
    --batch 1 --prompt 512 --output 32 \
    --out "$out"
echo "wrote $out ($(($(wc -l <"$out") - 1)) points)"
