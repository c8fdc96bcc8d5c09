#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks of the scaling DB and the trace tools: loading the default DB, generating a
# 10^6-job trace, loading it and sampling it. Writes the figures, with the commands that produced
# them, into the "Scaling DB and traces" section of BENCHMARKS.md (other sections are kept).
# Usage: scripts/bench_traces.sh [--no-write]   (--no-write: print the section only)
set -euo pipefail
cd "$(dirname "$0")/.."
write=1
[ "${1:-}" = "--no-write" ] && write=0
scripts/build.sh
g=build/gpusim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wall seconds and peak resident MB of one command, best of $reps runs
measure() {
    local reps=$1; shift
    local best="" rss=""
    for _ in $(seq "$reps"); do
        /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>&1
        read -r s kb <"$tmp/time"
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then
            best=$s
            rss=$((kb / 1024))
        fi
    done
    echo "$best $rss"
}

row() { # label, reps, command...
    local label=$1 reps=$2; shift 2
    read -r s mb < <(measure "$reps" "$@")
    # shellcheck disable=SC2016 # the backquotes are Markdown, not a command
    printf '| %s | `%s` | %s | %s |\n' "$label" "$*" "$s" "$mb" | sed "s#$tmp#\$TMP#g"
}

# DB load: per-load time from a loop of 50 validations (process start included)
db_loop() {
    local t0 t1
    t0=$(date +%s.%N)
    for _ in $(seq 50); do $g db validate default >/dev/null; done
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/50}'
}

{
    echo "<!-- bench_traces:begin -->"
    echo "## Scaling DB and traces"
    echo
    echo "Measured by \`scripts/bench_traces.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores"
    echo "($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), Release build,"
    echo "gpusim $($g --version | cut -d' ' -f2) at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo "Wall time is the best of the runs; memory is the peak resident set of the process."
    echo
    echo "| what | command | wall s | peak MB |"
    echo "|---|---|---|---|"
    echo "| load + validate the default DB ($(wc -c <configs/scaledb/default.json) bytes, $(grep -c '"class":' configs/scaledb/default.json) entries), per run of 50, process start included | \`gpusim db validate default\` | $(db_loop) | |"
    row "regenerate the default DB (model)" 3 $g db generate --out "$tmp/db.json"
    row "generate 10^6 SFT jobs ($(awk 'BEGIN{printf "%.1f", 1e6 / 15.2 / 24 / 365}') years at 15.2/h)" 3 \
        $g gen-trace --jobs 1000000 -q --out "$tmp/sft.csv"
    row "generate 10^6 jobs of all types (ACME-sized file)" 3 \
        $g gen-trace --types all --jobs 1000000 -q --out "$tmp/all.csv"
    echo "| (file sizes) | | $(($(wc -c <"$tmp/sft.csv") / 1000000)) MB SFT, $(($(wc -c <"$tmp/all.csv") / 1000000)) MB all types | |"
    row "load 10^6 rows, all types" 3 $g validate --load-only --trace "$tmp/all.csv" --job-type all
    row "load 10^6 SFT rows" 3 $g validate --load-only --trace "$tmp/sft.csv"
    row "sample 10 x 960 jobs from the busiest 24 h of 10^6 SFT jobs" 3 \
        $g sample --trace "$tmp/sft.csv" --out "$tmp/s1" --force -q
    row "sample 10 x 960 jobs from 10^6 rows of all types (SFT kept)" 3 \
        $g sample --trace "$tmp/all.csv" --out "$tmp/s2" --force -q
    echo
    echo "<!-- bench_traces:end -->"
} >"$tmp/section.md"

cat "$tmp/section.md"
[ "$write" = 1 ] || exit 0
if [ -f BENCHMARKS.md ] && grep -q '<!-- bench_traces:begin -->' BENCHMARKS.md; then
    awk -v f="$tmp/section.md" '
        /<!-- bench_traces:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
        /<!-- bench_traces:end -->/ { skip = 0; next }
        !skip' BENCHMARKS.md >"$tmp/bench.md"
else
    { [ -f BENCHMARKS.md ] && cat BENCHMARKS.md && echo || echo "# gpusim benchmarks"$'\n'
      cat "$tmp/section.md"; } >"$tmp/bench.md"
fi
mv "$tmp/bench.md" BENCHMARKS.md
echo "updated BENCHMARKS.md" >&2
