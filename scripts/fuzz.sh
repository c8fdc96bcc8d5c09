#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fuzzing with the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan), one per kind of input.
# Builds them in build-fuzz ($GS_FUZZ_BUILD), then for each harness replays its regression inputs
# (tests/fuzz/regressions/<harness>/: every past finding, fixed) and fuzzes it, one harness at a
# time and at the lowest priority, for a number of executions or a time limit, whichever comes
# first. Findings (crashes, leaks, hangs, sanitizer reports) land in DIR/findings/<harness>-*; the
# grown corpus in DIR/corpus/<harness>; the log of each harness in DIR/<harness>.log;
# DIR/report.txt gets one line per harness: executions, seconds, findings. Exit status 1 when
# anything was found.
#   scripts/fuzz.sh [--runs N] [--time SECONDS] [--dir DIR] [HARNESS...]   the long campaign
#   scripts/fuzz.sh --smoke SECONDS                                        what scripts/test.sh runs
# Campaign defaults: 10^7 executions, 8 hours per harness, DIR build-fuzz/campaign, every harness.
# --smoke: every harness for SECONDS, in a temporary DIR that is removed unless something was
# found. Turn each finding into a regression input (copy it to tests/fuzz/regressions/<harness>/)
# once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10000000
limit=28800
bdir=${GS_FUZZ_BUILD:-build-fuzz}
dir=$bdir/campaign
smoke=0
harnesses=()
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --time) limit=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --smoke) smoke=1; limit=$2; runs=-1; shift 2 ;;
    -h | --help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
    esac
done
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 1; }
all=$(sed -n 's/^set(GS_FUZZ_HARNESSES \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt)
[ ${#harnesses[@]} -gt 0 ] || read -r -a harnesses <<<"$all"
CC=clang cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGS_WERROR=ON \
    -DGS_SANITIZE=address,undefined -DGS_FUZZ=ON >/dev/null
nice -n 19 cmake --build "$bdir" -j "$(nproc)" --target fuzz_harnesses >/dev/null
# the harnesses write their inputs to files: a memory-backed folder keeps that cheap
scratch=$(mktemp -d "${FUZZ_TMPDIR:-/dev/shm}/gs-fuzz.XXXXXX" 2>/dev/null || mktemp -d)
[ $smoke -eq 1 ] && dir=$scratch/run
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir/findings"
found_any=0
for h in "${harnesses[@]}"; do
    # every past finding first: each must now run clean
    reg=tests/fuzz/regressions/$h
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        if ! TMPDIR=$scratch "$bdir/tests/fuzz/fuzz_$h" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$dir/findings/$h-regression-" "$reg"/* \
            >"$dir/$h.regressions.log" 2>&1; then
            echo "fuzz.sh: a regression input of '$h' fails again:" >&2
            tail -30 "$dir/$h.regressions.log" >&2
            found_any=1
        fi
    fi
    dict=tests/fuzz/json.dict
    case $h in trace | dbimport | cdf) dict=tests/fuzz/csv.dict ;; esac
    mkdir -p "$dir/corpus/$h"
    start=$(date +%s)
    set +e
    TMPDIR=$scratch nice -n 19 "$bdir/tests/fuzz/fuzz_$h" -runs="$runs" \
        -max_total_time="$limit" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -dict="$dict" -artifact_prefix="$dir/findings/$h-" -print_final_stats=1 \
        "$dir/corpus/$h" "tests/fuzz/corpus/$h" >"$dir/$h.log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$h.log" | tail -1)
    found=$(find "$dir/findings" -name "$h-*" | wc -l)
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
        found_any=1
        if [ $smoke -eq 1 ]; then # keep what was found: the temporary folder goes
            mkdir -p "$bdir/findings"
            cp "$dir/findings"/* "$bdir/findings/" 2>/dev/null
            tail -40 "$dir/$h.log" >&2
        fi
    fi
    echo "$h executions=${execs:-0} seconds=$(($(date +%s) - start)) exit=$rc findings=$found" |
        tee -a "$dir/report.txt"
done
if [ $found_any -ne 0 ]; then
    echo "fuzz.sh: findings ($bdir/findings or $dir/findings)" >&2
    exit 1
fi
