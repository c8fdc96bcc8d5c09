#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Time of one Sia round with about 10^3 and 10^4 active jobs on the Seren-size cluster: a burst
# of N = 2,000 or 12,000 ACME-fitted SFT jobs that all arrive within the first minute (about
# 10^3 and 10^4 of them active in the rounds that follow), then 30 rounds (--until
# 1800). Reports the active jobs per round, the ILP's and the whole round's wall time
# (--timing), and the CPU time per round (the CPU of the 30 rounds less that of a run that stops
# before the first round, over the rounds). Writes the "Sia rounds" section of BENCHMARKS.md.
#   scripts/bench_sia_rounds.sh [--no-write]
set -euo pipefail
gs_prog=bench_sia_rounds.sh
. "$(dirname "$0")/lib.sh"
cd "$gs_repo"
write=1
for a in "$@"; do
    case $a in
    --no-write) write=0 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) gs_usage_error "unknown option '$a'" ;;
    esac
done
gs_find_gpusim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CPU seconds (user + sys) of one run; $1 = --until
cpu_of() {
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$GPUSIM" --trace "$tmp/burst.csv" --cluster seren \
        --policy "$p" --out "$tmp/out" --force --no-progress -q --timing --until "$1"
    awk '{ printf "%.3f", $1 + $2 }' "$tmp/time"
}

stat_of() { # key of summary.json's policy_stats or policy_time
    awk -F'[:,]' -v k="\"$1\"" '$1 ~ k { gsub(/[ \t]/, "", $2); print $2; exit }' "$tmp/out/summary.json"
}

{
    echo "<!-- bench_sia_rounds:begin -->"
    echo "## Sia rounds with 10^3 and 10^4 active jobs"
    echo
    echo "Measured by \`scripts/bench_sia_rounds.sh\` on $(date +%Y-%m-%d), $(nproc) cores"
    echo "($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), Release build. Trace:"
    echo "\`gpusim gen-trace --jobs N --rate 1000000 --seed 3\` (N ACME-fitted SFT jobs arriving"
    echo "within a minute); run: \`gpusim --trace T --cluster seren --policy P --timing --until 1800\`"
    echo "(30 rounds of 60 s). *Active* is the mean number of jobs (queued or running) a round's"
    echo "ILP covers, *merged* the groups they make. ILP and round times are wall clock (\`--timing\`;"
    echo "other work shared the machine); *CPU per round* is the run's CPU time less that of the same"
    echo "run stopped before the first round (\`--until 30\`), over the rounds."
    echo
    echo "| jobs in the burst | policy | active | merged | ILP ms mean / p95 | round ms mean / p95 | CPU ms per round |"
    echo "|---:|---|---:|---:|---:|---:|---:|"
    for n in 2000 12000; do
        "$GPUSIM" gen-trace --jobs "$n" --rate 1000000 --seed 3 -q --out "$tmp/burst.csv"
        for p in sia-unaware sia-aware; do
            c0=$(cpu_of 30)
            c1=$(cpu_of 1800)
            rounds=$(stat_of calls)
            printf '| %s | %s | %.0f | %.1f | %.1f / %.1f | %.1f / %.1f | %.1f |\n' "$n" "$p" \
                "$(stat_of ilp_jobs_mean)" "$(stat_of ilp_merged_jobs_mean)" "$(stat_of ilp_ms_mean)" \
                "$(stat_of ilp_ms_p95)" "$(stat_of mean_ms)" "$(stat_of p95_ms)" \
                "$(awk -v a="$c0" -v b="$c1" -v r="$rounds" 'BEGIN { print 1e3 * (b - a) / r }')"
        done
    done
    echo "<!-- bench_sia_rounds:end -->"
} >"$tmp/section.md"
cat "$tmp/section.md"
[ "$write" = 1 ] || exit 0
if grep -q '<!-- bench_sia_rounds:begin -->' BENCHMARKS.md; then
    awk -v f="$tmp/section.md" '
        /<!-- bench_sia_rounds:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
        /<!-- bench_sia_rounds:end -->/ { skip = 0; next }
        !skip' BENCHMARKS.md >"$tmp/bench.md"
else
    { cat BENCHMARKS.md; echo; cat "$tmp/section.md"; } >"$tmp/bench.md"
fi
mv "$tmp/bench.md" BENCHMARKS.md
echo "$gs_prog: updated BENCHMARKS.md" >&2
