#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the bundled traces (traces/README.md) with gpusim's own generator and sampler:
#   traces/multiweek.csv  three weeks of synthetic ACME-like SFT submissions
#   traces/default.csv    the first of the ten independent 960-job traces of the knowledge
#                         experiment (scripts/experiments/knowledge.sh): 40 jobs per hour drawn
#                         from the busiest 24 hours of a generated Seren-length trace (seed 1)
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
# the experiment's sources: 184 days at 50 SFT jobs per hour, so that every busiest window
# holds more jobs than a trace needs (knowledge.sh explains the rate)
"$gpusim" sample --generate-days 184 --seeds 1 --generate-rate 50 --per-hour 40 --seed 1 \
    --quiet --out "$tmp/samples"
cp "$tmp/samples/sample-01.csv" "$out/default.csv"
