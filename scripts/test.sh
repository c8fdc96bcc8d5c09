#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Everything CI checks, from a fresh machine: install what is missing, build twice (warnings as
# errors; AddressSanitizer + UndefinedBehaviorSanitizer), run every test on both, check format,
# and fuzz every input for a few seconds (libFuzzer, when clang is there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
jobs=$(nproc)

echo "== format"
# every C file in the tree, whatever its layer
find src policies include tools bench tests -name '*.[ch]' -print0 | xargs -0 clang-format --dry-run --Werror

echo "== build: Release, -Werror"
cmake -S . -B build-werror -DCMAKE_BUILD_TYPE=Release -DGS_WERROR=ON >/dev/null
cmake --build build-werror -j "$jobs" >/dev/null
(cd build-werror && ctest --output-on-failure -j "$jobs")

echo "== build: Debug, address + undefined sanitizers"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGS_WERROR=ON \
    -DGS_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$jobs")

echo "== fuzz: every harness of tests/fuzz for a few seconds, past findings first"
if command -v clang >/dev/null 2>&1; then
    scripts/fuzz.sh --smoke "${GS_FUZZ_SECONDS:-3}"
else
    echo "(skipped: no clang; scripts/deps.sh --test installs it)"
fi
echo "== all tests passed"
