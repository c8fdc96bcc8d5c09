#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Everything CI checks, from a fresh machine: install what is missing, check format and shell
# scripts, build three times (-O3 and -O2 with warnings as errors, since each optimisation level
# sees other defects; AddressSanitizer + UndefinedBehaviorSanitizer), run every test on the -O3
# and the sanitizer builds, check that the tests leave no process behind, and fuzz every input
# for a few seconds (libFuzzer, when clang is there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
jobs=$(nproc)

echo "== format"
# every C file in the tree, whatever its layer
find src policies include tools bench tests examples -name '*.[ch]' -print0 | xargs -0 clang-format --dry-run --Werror

echo "== shellcheck: scripts/ and tests/"
mapfile -t shells < <(find scripts tests -name '*.sh' -o -name '*.sbatch' | sort)
shellcheck "${shells[@]}"

# Every process a test starts inherits this marker; whatever still carries it after ctest has
# returned was left behind (GNU parallel, for one, puts its jobs in process groups of their own).
run_id=gpusim-test-$$-$RANDOM
leftovers() {
    local f found pids=()
    for _ in 1 2 3 4 5 6 7 8 9 10; do # give starting and exiting processes a moment
        sleep 0.3
        pids=()
        mapfile -t found < <(grep -lsxz "GPUSIM_TEST_RUN=$run_id" /proc/[0-9]*/environ)
        for f in "${found[@]}"; do
            f=${f#/proc/}
            pids+=("${f%/environ}")
        done
        [ ${#pids[@]} -eq 0 ] && return 0
    done
    echo "error: the tests left ${#pids[@]} process(es) behind:" >&2
    ps -o pid,ppid,etime,cmd -p "$(IFS=,; echo "${pids[*]}")" >&2
    kill -KILL "${pids[@]}" 2>/dev/null
    return 1
}
run_tests() { # run_tests BUILD_DIR [ENV...]
    local dir=$1
    shift
    (cd "$dir" && env GPUSIM_TEST_RUN="$run_id" "$@" ctest --output-on-failure -j "$jobs")
    leftovers
}

echo "== build: Release, -Werror"
cmake -S . -B build-werror -DCMAKE_BUILD_TYPE=Release -DGS_WERROR=ON >/dev/null
cmake --build build-werror -j "$jobs" >/dev/null
run_tests build-werror

echo "== build: -O2, -Werror (what distributions build with; the tests ran on -O3)"
cmake -S . -B build-o2 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGS_WERROR=ON >/dev/null
cmake --build build-o2 -j "$jobs" >/dev/null

echo "== build: Debug, address + undefined sanitizers"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGS_WERROR=ON \
    -DGS_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
run_tests build-asan ASAN_OPTIONS=detect_leaks=1

echo "== fuzz: every harness of tests/fuzz for a few seconds, past findings first"
if command -v clang >/dev/null 2>&1; then
    scripts/fuzz.sh --smoke "${GS_FUZZ_SECONDS:-3}"
else
    echo "(skipped: no clang; scripts/deps.sh --test installs it)"
fi
echo "== all tests passed, none left a process behind"
