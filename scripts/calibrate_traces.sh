#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refits the trace generator's models (docs/traces.md) to the published ACME figures and
# rewrites src/core/tracegen_params.h, the only place their parameters live. The fit is the
# developer tool tools/fit_tracegen (built with gpusim, never part of it). The figure files are
# third-party data and stay out of the repository: they are read from ACME_DIR (default
# ../shared/acme next to the checkout, as tests/test_acme.c looks for them).
# Usage: scripts/calibrate_traces.sh [FIT_TRACEGEN [ACME_DIR]]
#        (defaults: build/tools/fit_tracegen, ../shared/acme)
# Then rebuild, regenerate the bundled traces (scripts/make_traces.sh) and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
fit=${1:-build/tools/fit_tracegen}
acme=${2:-../shared/acme}
if [ ! -x "$fit" ]; then
    echo "calibrate_traces.sh: '$fit' is not built (cmake --build build)" >&2
    exit 1
fi
"$fit" "$acme" --out src/core/tracegen_params.h
