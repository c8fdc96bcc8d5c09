#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refits the scaling model's overhead constants (src/core/dbgen_fit.h) to Sia's measured
# throughput profiles, rebuilds, regenerates configs/scaledb/default.json and rewrites the
# calibration tables of configs/scaledb/README.md (between its calibration markers). Sia's
# artifact data is third-party and stays out of the repository: it is read from SIA_DIR
# (default ../shared/anchors/sia next to the checkout, where tests/test_dbfit.c looks).
# Usage: scripts/calibrate_scaledb.sh [BUILD_DIR [SIA_DIR]]   (defaults: build, ../shared/anchors/sia)
# Then review `git diff` (constants, DB, tables) and regenerate what depends on the DB
# (scripts/update-golden.sh, the README results).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sia=${2:-../shared/anchors/sia}
[ -d "$sia/traces" ] || { echo "calibrate_scaledb.sh: no Sia profiles in '$sia' (traces/ missing)" >&2; exit 1; }
cmake --build "$build" --target fit_scaledb >/dev/null
"$build/tools/fit_scaledb" --sia "$sia" --header src/core/dbgen_fit.h
cmake --build "$build" --target gpusim fit_scaledb >/dev/null
"$build/gpusim" db generate --out configs/scaledb/default.json
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.md"' EXIT
"$build/tools/fit_scaledb" --sia "$sia" --report "$tmp"
readme=configs/scaledb/README.md
if ! grep -q '^<!-- calibration:begin -->$' "$readme" || ! grep -q '^<!-- calibration:end -->$' "$readme"; then
    echo "calibrate_scaledb.sh: $readme has no calibration markers" >&2
    exit 1
fi
awk -v f="$tmp" '
    /^<!-- calibration:begin -->$/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /^<!-- calibration:end -->$/ { skip = 0 }
    !skip' "$readme" >"$tmp.md"
mv "$tmp.md" "$readme"
echo "calibrate_scaledb.sh: src/core/dbgen_fit.h, configs/scaledb/default.json and $readme rewritten" >&2
