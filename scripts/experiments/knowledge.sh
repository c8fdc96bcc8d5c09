#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLOUDSTARS D2.1 report's experiment: how much does knowing job scaling help? Samples K traces
# of N SFT jobs per hour from the busiest 24 h of a multi-week trace, runs every policy on each
# (a resumable sweep), and draws Figure 1 (arrivals per hour of the source trace) and Figure 2
# (JCT CDF over all the sampled traces, one line per policy). docs/workflow.md explains it.
set -euo pipefail
gs_prog=knowledge.sh
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/experiments/knowledge.sh [options]

  --source FILE        multi-week ACME trace to sample (default traces/multiweek.csv)
  --traces K           traces to sample (default 10)
  --per-hour N         SFT jobs per hour in each (default 40: 960 jobs in 24 h)
  --seed S             seed of the sampling (default 1); runs use seed 1
  --samples DIR        use the traces DIR/*.csv instead of sampling (sampled another way)
  --cluster NAME|FILE  cluster of every run (default: default)
  --db NAME|FILE       scaling DB of every run (default: default)
  --policies LIST      comma-separated policies, or all (default: all `gpusim policies` lists)
  --out DIR            results (default results/knowledge): samples/, sweep/ (runs, manifest,
                       logs, runs.csv), cdf.csv (pooled CDF per policy)
  --figures DIR        where the figures go (default docs/figures): knowledge-fig1-arrivals,
                       knowledge-fig2-jct-cdf, knowledge-fig3-timeline and knowledge-fig4-gantt
                       (the first sampled trace under every policy; fifo), .png and .svg
  --report FILE        the HTML report of the first sampled trace under every policy
                       (default docs/knowledge-report.html; '' for none)
  -j, --jobs N         runs at a time (default: the number of cores)
      --progress, --no-progress   as scripts/sweep.sh
  -h, --help           show this help

Re-running resumes: existing samples and finished runs are kept (delete --out to start over).
It prints a Markdown table of the pooled JCT percentiles per policy on stdout.
USAGE
}

source_trace=traces/multiweek.csv ntraces=10 per_hour=40 sseed=1 samples="" cluster=default
db=default policies=all out=results/knowledge figures=docs/figures jobs="" progress=()
report=docs/knowledge-report.html
while [ $# -gt 0 ]; do
    case $1 in
    --source) gs_need_value "$@"; source_trace=$2; shift 2 ;;
    --traces) gs_need_value "$@"; ntraces=$2; shift 2 ;;
    --per-hour) gs_need_value "$@"; per_hour=$2; shift 2 ;;
    --seed) gs_need_value "$@"; sseed=$2; shift 2 ;;
    --samples) gs_need_value "$@"; samples=$2; shift 2 ;;
    --cluster) gs_need_value "$@"; cluster=$2; shift 2 ;;
    --db) gs_need_value "$@"; db=$2; shift 2 ;;
    --policies) gs_need_value "$@"; policies=$2; shift 2 ;;
    --out) gs_need_value "$@"; out=$2; shift 2 ;;
    --figures) gs_need_value "$@"; figures=$2; shift 2 ;;
    --report) gs_need_value "$@"; report=$2; shift 2 ;;
    -j | --jobs) gs_need_value "$@"; jobs=$2; shift 2 ;;
    --progress | --no-progress) progress=("$1"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) gs_usage_error "unknown option '$1'" ;;
    esac
done
for v in "$ntraces" "$per_hour"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--traces and --per-hour need positive integers, got '$v'"
done
[[ $sseed =~ ^[0-9]+$ ]] || gs_usage_error "--seed needs a non-negative integer, got '$sseed'"
gs_find_gpusim
here=$(dirname "${BASH_SOURCE[0]}")/..
out=$(gs_abspath "$out")
mkdir -p "$out"

# The one call of `gpusim sample` (its options in one place): K traces of N SFT jobs/hour from
# the busiest 24 h of $1, written as $2/sample-01.csv ...
sample_traces() {
    if ! "$GPUSIM" sample --help >/dev/null 2>&1; then
        gs_die "this gpusim ($GPUSIM) has no 'sample' command, which this experiment uses to" \
            "sample the traces; build one that has it, or sample them another way and pass" \
            "--samples DIR"
    fi
    "$GPUSIM" sample --trace "$1" --count "$ntraces" --per-hour "$per_hour" --seed "$sseed" \
        --out "$2" --quiet
}

# ---- 1. the sampled traces (kept between runs of this script) ----
if [ -n "$samples" ]; then
    sdir=$(gs_abspath "$samples")
elif [ -d "$out/samples" ]; then
    sdir=$out/samples
else
    [ -f "$source_trace" ] || gs_die "source trace '$source_trace': no such file (--source FILE," \
        "or --samples DIR)"
    rm -rf "$out/.samples.tmp"
    sample_traces "$source_trace" "$out/.samples.tmp"
    mv "$out/.samples.tmp" "$out/samples"
    sdir=$out/samples
fi
mapfile -t tl < <(find "$sdir" -maxdepth 1 -name '*.csv' ! -name '.*' | LC_ALL=C sort)
[ ${#tl[@]} -gt 0 ] || gs_die "no trace (*.csv) in '$sdir'"
echo "knowledge.sh: ${#tl[@]} sampled traces in $sdir" >&2

# ---- 2. every policy on every trace ----
"$here/sweep.sh" --out "$out/sweep" --traces "$(IFS=,; echo "${tl[*]}")" --policies "$policies" \
    --clusters "$cluster" --seeds 1 ${jobs:+-j "$jobs"} "${progress[@]}" -- --db "$db" \
    --allow-unschedulable

# ---- 3. the figures ----
mkdir -p "$figures"
if [ -f "$source_trace" ]; then
    "$here/plot_arrivals.sh" -o "$figures/knowledge-fig1-arrivals" \
        --title "Figure 1: SFT job arrivals per hour in $(basename "$source_trace")" "$source_trace"
else
    "$here/plot_arrivals.sh" -o "$figures/knowledge-fig1-arrivals" \
        --title "Figure 1: SFT job arrivals per hour in the ${#tl[@]} sampled traces" "${tl[@]}"
fi
"$here/plot_cdf.sh" -o "$figures/knowledge-fig2-jct-cdf" --by policy "$out/sweep/runs" \
    --title "Figure 2: JCT CDF over ${#tl[@]} traces ($(basename "$(gs_abspath "$cluster")" .json) cluster)"

# Figures 3 and 4 and the report: the first sampled trace under every policy (its timeline), and
# fifo on it (its Gantt chart: who waited behind whom)
first=$out/sweep/runs/$(basename "${tl[0]}" .csv)
"$here/plot_timeline.sh" -o "$figures/knowledge-fig3-timeline" --by policy --bins 160 --hours 40 \
    "$first" --title "Figure 3: the cluster over time, $(basename "${tl[0]}") under each policy (first 40 h)"
mapfile -t fifo_runs < <(find "$first" -path '*/fifo/*' -name summary.json | LC_ALL=C sort)
if [ ${#fifo_runs[@]} -gt 0 ]; then
    "$here/plot_gantt.sh" -o "$figures/knowledge-fig4-gantt" "$(dirname "${fifo_runs[0]}")" \
        --title "Figure 4: fifo on $(basename "${tl[0]}"), one row per job"
fi
if [ -n "$report" ]; then
    # folders relative to here when they are below it: the page names them
    "$GPUSIM" report "${first#"$PWD"/}" -o "$report" --gantt-rows 240 --timeline-points 120 \
        --title "The knowledge experiment: $(basename "${tl[0]}") under every policy"
fi

# ---- 4. pooled percentiles per policy ----
"$GPUSIM" merge -o /dev/null --cdf "$out/cdf.csv" --jobs "$out/jobs.csv" --by policy "$out/sweep/runs"
# mean JCT of every job that ended and of the completed ones (ACME's FAILED and CANCELLED rows
# end after their recorded work, as the cluster saw them), from the merged job table
means=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["jct"] != "" { t[$c["policy"]] += $c["jct"]; n[$c["policy"]]++
        if ($c["status"] == "finished") { ct[$c["policy"]] += $c["jct"]; cn[$c["policy"]]++ } }
    END { for (p in n) printf "%s %.0f %.0f\n", p, t[p] / n[p], cn[p] ? ct[p] / cn[p] : 0 }' \
    "$out/jobs.csv")
echo "| policy | runs | jobs | mean JCT (s) | p50 JCT (s) | p90 JCT (s) | p99 JCT (s) | mean JCT, completed (s) | ended |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
# cdf.csv is policy,jct,fraction (policy names have no commas): the quantile q is the first JCT
# whose fraction reaches q
awk -F, 'NR > 1 {
        if (!($1 in last)) order[++k] = $1
        last[$1] = $3
        if (!(($1, 1) in q) && $3 >= 0.5) q[$1, 1] = $2
        if (!(($1, 2) in q) && $3 >= 0.9) q[$1, 2] = $2
        if (!(($1, 3) in q) && $3 >= 0.99) q[$1, 3] = $2
    }
    END { for (j = 1; j <= k; j++) { p = order[j]; print p, q[p, 1], q[p, 2], q[p, 3], last[p] } }' \
    "$out/cdf.csv" | while read -r p q50 q90 q99 fin; do
    runs=0 jobs=0
    for f in "$out"/sweep/runs/*/*/"$p"/*/summary.json; do
        [ -f "$f" ] || continue
        runs=$((runs + 1))
        jobs=$((jobs + $(sed -n 's/^\t"jobs":\t\([0-9]*\),$/\1/p' "$f")))
    done
    read -r _ mean cmean < <(echo "$means" | awk -v p="$p" '$1 == p')
    awk -v p="$p" -v r="$runs" -v j="$jobs" -v a="$q50" -v b="$q90" -v c="$q99" -v f="$fin" \
        -v m="$mean" -v cm="$cmean" '
        function s(x) { return x == "" ? "-" : sprintf("%.0f", x) }
        BEGIN { printf "| %s | %d | %d | %s | %s | %s | %s | %s | %.1f%% |\n", p, r, j, s(m), s(a),
                s(b), s(c), s(cm), 100 * f }'
done
