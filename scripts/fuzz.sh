#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The long fuzzing campaign: builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan)
# and runs each in turn, one at a time and at the lowest priority, for a number of executions or
# a time limit, whichever comes first. Findings (crashes, leaks, hangs, sanitizer reports) land in
# DIR/findings/<harness>-*; the grown corpus in DIR/corpus/<harness>; the log of each harness in
# DIR/<harness>.log; DIR/report.txt gets one line per harness: executions, seconds, findings.
#   scripts/fuzz.sh [--runs N] [--time SECONDS] [--dir DIR] [HARNESS...]
# Defaults: 10^7 executions, 8 hours per harness, DIR build-fuzz/campaign, every harness.
# Each finding becomes a regression test (tests/fuzz/regressions/<harness>/, run by
# scripts/test.sh) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10000000
limit=28800
dir=build-fuzz/campaign
harnesses=()
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --time) limit=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
    esac
done
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 1; }
all=$(sed -n 's/^set(GS_FUZZ_HARNESSES \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt)
[ ${#harnesses[@]} -gt 0 ] || read -r -a harnesses <<<"$all"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGS_WERROR=ON \
    -DGS_SANITIZE=address,undefined -DGS_FUZZ=ON >/dev/null
nice -n 19 cmake --build build-fuzz -j "$(nproc)" --target fuzz_harnesses >/dev/null
mkdir -p "$dir/findings"
# the harnesses write their inputs to files: a memory-backed folder keeps that cheap
scratch=$(mktemp -d "${FUZZ_TMPDIR:-/dev/shm}/gs-fuzz.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for h in "${harnesses[@]}"; do
    dict=tests/fuzz/json.dict
    case $h in trace | dbimport | cdf) dict=tests/fuzz/csv.dict ;; esac
    mkdir -p "$dir/corpus/$h"
    start=$(date +%s)
    set +e
    TMPDIR=$scratch nice -n 19 "build-fuzz/tests/fuzz/fuzz_$h" -runs="$runs" \
        -max_total_time="$limit" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -dict="$dict" -artifact_prefix="$dir/findings/$h-" -print_final_stats=1 \
        "$dir/corpus/$h" "tests/fuzz/corpus/$h" >"$dir/$h.log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$h.log" | tail -1)
    found=$(find "$dir/findings" -name "$h-*" | wc -l)
    echo "$h executions=${execs:-0} seconds=$(($(date +%s) - start)) exit=$rc findings=$found" |
        tee -a "$dir/report.txt"
done
