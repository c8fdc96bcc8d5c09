#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the bundled traces (traces/README.md) with gpusim's own generator and sampler:
#   traces/multiweek.csv  three weeks of synthetic ACME-like SFT submissions
#   traces/default.csv    the first of the ten 960-job traces `gpusim sample` draws from the
#                         busiest 24 hours of multiweek.csv (the CLOUDSTARS D2.1 report's set-up)
# Usage: scripts/make_traces.sh [GPUSIM [OUTDIR]]   (defaults: build/gpusim, traces)
# The same gpusim gives the same bytes; tests/test_sample.c checks the committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
gpusim=${1:-build/gpusim}
out=${2:-traces}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$gpusim" gen-trace --days 21 --seed 1 --quiet --out "$out/multiweek.csv"
"$gpusim" sample --trace "$out/multiweek.csv" --count 10 --per-hour 40 --seed 1 --quiet \
    --out "$tmp/samples"
cp "$tmp/samples/sample-01.csv" "$out/default.csv"
