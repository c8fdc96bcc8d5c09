#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages gpusim needs, with apt-get, when any is missing.
#   scripts/deps.sh          what building and running need
#   scripts/deps.sh --test   plus what the test suite, the sweeps and the plots need (with
#                            clang-format and shellcheck; Chromium renders gpusim report's
#                            page; Python 3 with cffi and pandas for the Python package),
#                            clang with libFuzzer for the fuzz harnesses, and a Slurm for the
#                            job-array test (slurm-wlm, munge)
#   scripts/deps.sh --slurm  only what running sweeps on Slurm needs beyond building
#   scripts/deps.sh --bench  plus what the benchmark scripts need (GNU time, gnuplot)
# Runs as root, or through sudo when that exists. Does nothing when everything is there.
set -euo pipefail

pkgs=(build-essential cmake pkg-config libcjson-dev libcsv-dev libgsl-dev check libsubunit-dev
      libglpk-dev)
if [ "${1:-}" = "--bench" ]; then
    pkgs+=(time gnuplot-nox)
fi
if [ "${1:-}" = "--test" ]; then
    pkgs+=(clang-format shellcheck gnuplot-nox parallel chromium clang libclang-rt-dev python3
           python3-cffi python3-pandas)
fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--slurm" ]; then
    pkgs+=(slurm-wlm munge)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=sudo
    else
        echo "gpusim: error: packages missing (${missing[*]}) and not root; install them with" \
             "apt-get as root" >&2
        exit 1
    fi
fi
echo "gpusim: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
