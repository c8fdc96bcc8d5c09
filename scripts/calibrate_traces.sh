#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refits the trace generator's models (docs/traces.md) to the published ACME figures and
# rewrites src/core/tracegen_params.h, the only place their parameters live. The figure files are
# third-party data and stay out of the repository: they are read from ACME_DIR (default
# ../shared/acme next to the checkout, as tests/test_acme.c looks for them).
# Usage: scripts/calibrate_traces.sh [GPUSIM [ACME_DIR]]   (defaults: build/gpusim, ../shared/acme)
# Then rebuild, regenerate the bundled traces (scripts/make_traces.sh) and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
gpusim=${1:-build/gpusim}
acme=${2:-../shared/acme}
"$gpusim" gen-trace --calibrate "$acme" --out src/core/tracegen_params.h
