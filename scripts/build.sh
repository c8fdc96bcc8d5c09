#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures and builds gpusim (Release) into build/. Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
