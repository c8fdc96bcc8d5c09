#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Loading 10^6 jobs of each trace format (ACME, Helios, Philly, Alibaba PAI): the traces are
# made by scripts/make_test_traces.sh (seeded synthetic rows in the published schemas), then
# loaded with `gpusim validate`. Writes the figures, with the commands that produced them, into
# the "Trace formats" section of BENCHMARKS.md (other sections are kept).
# Usage: scripts/bench_formats.sh [--no-write] [--jobs N]   (--no-write: print the section only)
set -euo pipefail
cd "$(dirname "$0")/.."
write=1
jobs=1000000
while [ $# -gt 0 ]; do
    case $1 in
    --no-write) write=0; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "bench_formats.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
scripts/build.sh
g=build/gpusim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scripts/make_test_traces.sh --compact --jobs "$jobs" --out "$tmp"
# ACME: gpusim's own generator (the file `gpusim gen-trace --types all` writes)
$g gen-trace --types all --jobs "$jobs" -q --out "$tmp/acme.csv"

# best of 3: wall s, user+sys s, peak resident MB
measure() {
    local best="" cpu="" rss=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>&1
        read -r s u k kb <"$tmp/time"
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then
            best=$s
            cpu=$(awk -v u="$u" -v k="$k" 'BEGIN{printf "%.2f", u + k}')
            rss=$((kb / 1024))
        fi
    done
    echo "$best $cpu $rss"
}

mb() { du -cm "$@" | tail -1 | cut -f1; }

row() { # format, input MB, command...
    local f=$1 size=$2 kept
    shift 2
    read -r s c m < <(measure "$@")
    kept=$("$@" 2>/dev/null | sed -n 's/.* rows, \([0-9]*\) jobs.*/\1/p')
    # shellcheck disable=SC2016 # the backquotes are Markdown
    printf '| %s | %s | %s | `%s` | %s | %s | %s |\n' "$f" "$size" "$kept" "$*" "$s" "$c" "$m" |
        sed "s#$tmp#\$TMP#g"
}

{
    echo "<!-- bench_formats:begin -->"
    echo "## Trace formats"
    echo
    echo "Measured by \`scripts/bench_formats.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores"
    echo "($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), Release build,"
    echo "gpusim $($g --version | cut -d' ' -f2) at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo "$jobs jobs per format, made by \`scripts/make_test_traces.sh --compact --jobs $jobs"
    echo "--out \$TMP\` (ACME: \`gpusim gen-trace --types all --jobs $jobs\`); each loaded by"
    echo "\`gpusim validate\` (format detection, every field checked, jobs kept and sorted). Wall"
    echo "time is the best of 3 runs, with its user+system CPU time (the machine is shared: CPU"
    echo "time is the steadier figure); memory is the peak resident set, which for Philly"
    echo "includes the mapped JSON file."
    echo
    echo "| format | input MB | jobs kept | command | wall s | CPU s | peak MB |"
    echo "|---|---:|---:|---|---:|---:|---:|"
    row acme "$(mb "$tmp/acme.csv")" $g validate --trace "$tmp/acme.csv" --job-type all
    row helios "$(mb "$tmp/helios/cluster_log.csv")" $g validate --trace "$tmp/helios/cluster_log.csv"
    row philly "$(mb "$tmp/philly/cluster_job_log")" $g validate --trace "$tmp/philly/cluster_job_log"
    row "pai (jobs + $(wc -l <"$tmp/pai/pai_task_table.csv") tasks)" \
        "$(mb "$tmp/pai/pai_job_table.csv" "$tmp/pai/pai_task_table.csv")" $g validate --trace "$tmp/pai"
    echo "<!-- bench_formats:end -->"
} >"$tmp/section.md"

if [ "$write" = 1 ]; then
    if grep -q '<!-- bench_formats:begin -->' BENCHMARKS.md; then
        awk -v f="$tmp/section.md" '
            /<!-- bench_formats:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
            /<!-- bench_formats:end -->/ { skip = 0; next }
            !skip { print }' BENCHMARKS.md >"$tmp/B.md"
    else
        { cat BENCHMARKS.md; echo; cat "$tmp/section.md"; } >"$tmp/B.md"
    fi
    cp "$tmp/B.md" BENCHMARKS.md
fi
cat "$tmp/section.md"
