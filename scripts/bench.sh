#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Core benchmarks: the bare engine (events/s) and fifo on 10^4, 10^5 and 10^6 ACME-like jobs on
# the Seren-size cluster (wall time, jobs/s, peak RSS, bytes per job). Writes them, with the
# commands, into the "Core" section of BENCHMARKS.md (other sections are kept).
#   scripts/bench.sh             core benchmarks
#   scripts/bench.sh --all       also every module's own benchmark script (policies, Sia, traces,
#                                game, CXL), each updating its own section
#   scripts/bench.sh --no-write  print the section only
set -euo pipefail
cd "$(dirname "$0")/.."
write=1 all=0
for a in "$@"; do
    case $a in
    --no-write) write=0 ;;
    --all) all=1 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$a'" >&2; exit 2 ;;
    esac
done
scripts/deps.sh --bench
scripts/build.sh
g=build/gpusim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best wall seconds and its peak RSS (KiB) over $1 runs of the command
measure() {
    local reps=$1 best="" rss="" s kb
    shift
    for _ in $(seq "$reps"); do
        /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null
        read -r s kb <"$tmp/time"
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s rss=$kb
        fi
    done
    echo "$best $rss"
}

{
    echo "<!-- bench_core:begin -->"
    echo "## Core: engine and fifo at scale"
    echo
    echo "Measured by \`scripts/bench.sh\` on $(date +%Y-%m-%d), $(nproc) cores"
    echo "($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), Release build; best of 3"
    echo "runs (1 for 10^6 jobs). Targets: >= 10 M events/s with about 10^3"
    echo "pending events; 10^6 fifo jobs in a few seconds; < 1 KB per job."
    echo
    echo "**Engine** (\`build/bench_engine PENDING EVENTS\`: the hold model, each event posts one"
    echo "at now + an exponential delay, so PENDING events stay queued):"
    echo
    echo "| pending events | events | wall s | events/s |"
    echo "|---:|---:|---:|---:|"
    for p in 1000 100000; do
        best=""
        for _ in 1 2 3; do
            build/bench_engine "$p" 20000000 >"$tmp/e"
            read -r _ _ _ n _ s _ r <"$tmp/e"
            if [ -z "$best" ] || awk -v a="$r" -v b="$best" 'BEGIN { exit !(a > b) }'; then
                best=$r bs=$s bn=$n
            fi
        done
        printf '| %s | %s | %s | %.1f M |\n' "$p" "$bn" "$bs" "$(awk -v r="$best" 'BEGIN { print r / 1e6 }')"
    done
    echo
    echo "**fifo on the Seren-size cluster** (2,288 A100-80GB). Traces: \`$g gen-trace --jobs N"
    echo "--rate 800 --seed 1 --out T\` (ACME-fitted SFT jobs at 800/h: about 75 % of the cluster's"
    echo "GPU-hours while they arrive); run: \`$g --trace T --cluster seren --policy fifo --out DIR --no-progress\`"
    echo "(wall time includes loading the trace, simulating, writing jobs.csv, jct_cdf.csv,"
    echo "allocations.csv, users.csv, timeline.csv and summary.json, and hashing the inputs):"
    echo
    echo "| jobs | trace MB | wall s | jobs/s | peak RSS MiB | bytes/job | load only s |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    for n in 10000 100000 1000000; do
        reps=3
        [ "$n" -ge 1000000 ] && reps=1
        $g gen-trace --jobs "$n" --rate 800 --seed 1 --out "$tmp/t.csv" -q
        read -r s kb < <(measure "$reps" $g --trace "$tmp/t.csv" --cluster seren --policy fifo \
            --out "$tmp/o" --force --no-progress -q)
        read -r ls _ < <(measure "$reps" $g validate --load-only --trace "$tmp/t.csv")
        mb=$(awk -v b="$(stat -c %s "$tmp/t.csv")" 'BEGIN { printf "%.0f", b / 1048576 }')
        printf '| %s | %s | %s | %.0f | %.0f | %.0f | %s |\n' "$n" "$mb" "$s" \
            "$(awk -v n="$n" -v s="$s" 'BEGIN { print n / s }')" \
            "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" \
            "$(awk -v k="$kb" -v n="$n" 'BEGIN { print k * 1024 / n }')" "$ls"
    done
    echo
    echo "Peak RSS includes the process's fixed cost (about 6 MiB) and the trace's strings."
    echo "<!-- bench_core:end -->"
} >"$tmp/section.md"

cat "$tmp/section.md"
if [ "$write" = 1 ]; then
    if [ -f BENCHMARKS.md ] && grep -q '<!-- bench_core:begin -->' BENCHMARKS.md; then
        awk -v f="$tmp/section.md" '
            /<!-- bench_core:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
            /<!-- bench_core:end -->/ { skip = 0; next }
            !skip' BENCHMARKS.md >"$tmp/bench.md"
    else # the core section goes first, after the title and its paragraph
        awk -v f="$tmp/section.md" '
            !done && /^## / { while ((getline l < f) > 0) print l; print ""; done = 1 }
            { print }' BENCHMARKS.md >"$tmp/bench.md"
    fi
    mv "$tmp/bench.md" BENCHMARKS.md
    echo "bench.sh: updated BENCHMARKS.md" >&2
fi
if [ "$all" = 1 ]; then
    scripts/bench_policies.sh
    scripts/bench_sia.sh
    scripts/bench_traces.sh
    scripts/bench_game.sh
    echo "bench.sh: the CXL figures in BENCHMARKS.md come from the commands in its CXL section" >&2
fi
