#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLOUDSTARS D2.1 report's experiment: how much does knowing how jobs scale help? K
# independent traces of N SFT jobs per hour, each from the busiest 24 h of its own generated
# Seren-length trace; every policy (and the variants of the offline-informed ones) on each, as a
# resumable sweep; Figure 1 (the traces' arrivals per hour), Figure 2 (the JCT CDF per policy,
# the mean over traces with its 95 % bootstrap band) and a table of means over the traces with
# their 95 % bootstrap intervals. docs/workflow.md explains it.
set -euo pipefail
gs_prog=knowledge.sh
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/experiments/knowledge.sh [options]

  --traces K           independent traces (default 10)
  --per-hour N         SFT jobs per hour in each (default 40, the report's: 960 jobs in 24 h)
  --seed S             seed of the drawing (default 1); generator seeds are 1..K; runs use
                       seed 1
  --days D             length of each generated source trace (default 184, Seren's)
  --source-rate R      their mean SFT jobs per hour (default 50: every busiest window then
                       holds more jobs than a trace needs, so none is reused; README explains)
  --source FILE        draw all K traces from this one trace's busiest window instead (they
                       then share its jobs: not independent)
  --samples DIR        use the traces DIR/*.csv instead of sampling
  --cluster NAME|FILE  cluster of every run (default: default)
  --db NAME|FILE       scaling DB of every run (default: default)
  --policies LIST      comma-separated policies, or all (default: all `gpusim policies` lists)
  --no-variants        skip the policy variants (db-fifo waiting for a faster busy
                       configuration, db-fifo capped at the submitted GPU count, db-flat and
                       db-flat-scale with a one-hour starvation bound)
  --out DIR            results (default results/knowledge): samples/, sweep/, variants/,
                       table.md, stats.csv, fairness.md
  --figures DIR        where the figures go (default docs/figures): knowledge-fig1-arrivals,
                       knowledge-fig2-jct-cdf, knowledge-fig3-timeline and knowledge-fig4-gantt
                       (the first sampled trace under every policy; fifo), .png and .svg
  --report FILE        the HTML report of the first sampled trace under every policy
                       (default docs/knowledge-report.html; '' for none)
  -j, --jobs N         runs at a time (default: the number of cores)
      --progress, --no-progress   as scripts/sweep.sh
  -h, --help           show this help

Re-running resumes: existing samples and finished runs are kept (delete --out to start over).
The table (Markdown, also in DIR/table.md) goes to stdout: per policy the mean over the traces
of each run's mean, p50, p90 and p99 JCT (s) over every job that ended (ACME's FAILED and
CANCELLED rows end after their recorded work, as the cluster saw them) and of its mean JCT of
the completed jobs alone, each with its 95 % bootstrap interval, and the mean number of jobs it
could not schedule; the same inputs give the same bytes.
USAGE
}

ntraces=10 per_hour=40 sseed=1 days=184 source_rate=50 source_trace="" samples="" cluster=default
db=default policies=all variants=1 out=results/knowledge figures=docs/figures jobs="" progress=()
report=docs/knowledge-report.html
while [ $# -gt 0 ]; do
    case $1 in
    --traces) gs_need_value "$@"; ntraces=$2; shift 2 ;;
    --per-hour) gs_need_value "$@"; per_hour=$2; shift 2 ;;
    --seed) gs_need_value "$@"; sseed=$2; shift 2 ;;
    --days) gs_need_value "$@"; days=$2; shift 2 ;;
    --source-rate) gs_need_value "$@"; source_rate=$2; shift 2 ;;
    --source) gs_need_value "$@"; source_trace=$2; shift 2 ;;
    --samples) gs_need_value "$@"; samples=$2; shift 2 ;;
    --cluster) gs_need_value "$@"; cluster=$2; shift 2 ;;
    --db) gs_need_value "$@"; db=$2; shift 2 ;;
    --policies) gs_need_value "$@"; policies=$2; shift 2 ;;
    --no-variants) variants=0; shift ;;
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
[ "$ntraces" -le 99 ] || gs_usage_error "--traces needs at most 99, got '$ntraces'"
[[ $sseed =~ ^[0-9]+$ ]] || gs_usage_error "--seed needs a non-negative integer, got '$sseed'"
[[ $days =~ ^[0-9]+(\.[0-9]+)?$ ]] || gs_usage_error "--days needs a number, got '$days'"
[[ $source_rate =~ ^[0-9]+(\.[0-9]+)?$ ]] || gs_usage_error "--source-rate needs a number, got '$source_rate'"
gs_find_gpusim
here=$(dirname "${BASH_SOURCE[0]}")/..
out=$(gs_abspath "$out")
mkdir -p "$out"

# The one call of `gpusim sample` (its options in one place): K traces of N SFT jobs/hour, one
# from the busiest 24 h of each generated source (or all from $2's, given), into $1.
sample_traces() {
    if ! "$GPUSIM" sample --help >/dev/null 2>&1; then
        gs_die "this gpusim ($GPUSIM) has no 'sample' command, which this experiment uses to" \
            "sample the traces; build one that has it, or sample them another way and pass" \
            "--samples DIR"
    fi
    if [ -n "${2:-}" ]; then
        "$GPUSIM" sample --trace "$2" --count "$ntraces" --per-hour "$per_hour" \
            --seed "$sseed" --out "$1" --quiet
    else
        "$GPUSIM" sample --generate-days "$days" --seeds "1-$ntraces" \
            --generate-rate "$source_rate" --per-hour "$per_hour" --seed "$sseed" --out "$1" --quiet
    fi
}

# ---- 1. the sampled traces (kept between runs of this script) ----
if [ -n "$samples" ]; then
    sdir=$(gs_abspath "$samples")
elif [ -d "$out/samples" ]; then
    sdir=$out/samples
else
    if [ -n "$source_trace" ]; then
        [ -f "$source_trace" ] || gs_die "source trace '$source_trace': no such file"
    fi
    rm -rf "$out/.samples.tmp"
    sample_traces "$out/.samples.tmp" "$source_trace"
    mv "$out/.samples.tmp" "$out/samples"
    sdir=$out/samples
fi
mapfile -t tl < <(find "$sdir" -maxdepth 1 -name '*.csv' ! -name '.*' | LC_ALL=C sort)
[ ${#tl[@]} -gt 0 ] || gs_die "no trace (*.csv) in '$sdir'"
echo "knowledge.sh: ${#tl[@]} sampled traces in $sdir" >&2
traces=$(IFS=,; echo "${tl[*]}")

# ---- 2. every policy on every trace, and the variants ----
sweep() { # OUT POLICIES [GPUSIM ARGS...]
    local o=$1 p=$2
    shift 2
    "$here/sweep.sh" --out "$o" --traces "$traces" --policies "$p" --clusters "$cluster" \
        --seeds 1 ${jobs:+-j "$jobs"} "${progress[@]}" -- --db "$db" --allow-unschedulable "$@"
}
sweep "$out/sweep" "$policies"
# name|policy|parameter: the variants of the offline-informed policies (docs/policies.md); the
# defaults follow the report's descriptions
variant_list="db-fifo, waiting for a faster busy configuration|db-fifo|wait_busy=1
db-fifo, at most the submitted GPU count|db-fifo|max_scale=1
db-flat, starvation bound 1 h|db-flat|starve_limit=3600
db-flat-scale, starvation bound 1 h|db-flat-scale|starve_limit=3600"
vdirs=()
if [ "$variants" -eq 1 ]; then
    known=$(gs_policies)
    while IFS='|' read -r name pol param; do
        grep -qxF -- "$pol" <<<"$known" || continue
        if [ "$policies" != all ] && ! grep -qxF -- "$pol" < <(tr , '\n' <<<"$policies"); then
            continue
        fi
        d=$out/variants/${param%%=*}-$pol
        sweep "$d" "$pol" --param "$param"
        vdirs+=("$d|$name")
    done <<<"$variant_list"
fi

# ---- 3. the figures ----
mkdir -p "$figures"
"$here/plot_arrivals.sh" -o "$figures/knowledge-fig1-arrivals" \
    --title "Figure 1: SFT job arrivals per hour in the ${#tl[@]} sampled traces" "${tl[@]}"
"$here/plot_cdf.sh" -o "$figures/knowledge-fig2-jct-cdf" --by policy --band "$out/sweep/runs" \
    --title "Figure 2: JCT CDF, mean of ${#tl[@]} traces and its 95% band ($(basename "$(gs_abspath "$cluster")" .json) cluster)"

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

# ---- 4. the table: means over the traces with bootstrap intervals ----
metrics=jct_mean,jct_p50,jct_p90,jct_p99,jct_completed_mean,unschedulable
"$GPUSIM" stats "$out/sweep/runs" --by policy,policy_knowledge -m "$metrics" -o "$out/stats.csv"
for vd in "${vdirs[@]}"; do
    "$GPUSIM" stats "${vd%%|*}/runs" --by policy,policy_knowledge -m "$metrics" |
        awk -F, -v name="${vd#*|}" 'NR > 1 { $1 = "\"" name "\""; print }' OFS=, >>"$out/stats.csv"
done
# stats.csv: label,knowledge,metric,n,mean,ci_lo,ci_hi,...; one Markdown row per label, in order
awk -F, -v k="${#tl[@]}" -v porder="$(gs_policies | paste -sd, -)" '
    function fmt(m, lo, hi, d) {
        d = m >= 100 ? 0 : m >= 10 ? 1 : 2
        return sprintf("%.*f [%.*f, %.*f]", d, m, d, lo, d, hi)
    }
    NR == 1 { next }
    {
        # the label may be quoted with commas inside: rebuild it
        lab = $1; i = 2
        if (lab ~ /^"/ && lab !~ /"$/) { while (i <= NF && lab !~ /"$/) lab = lab "," $(i++) }
        gsub(/"/, "", lab)
        kn = $(i); m = $(i + 1); n = $(i + 2); mean = $(i + 3); lo = $(i + 4); hi = $(i + 5)
        if (!(lab in seen)) { seen[lab] = 1; order[++nl] = lab; know[lab] = kn }
        cell[lab, m] = m == "unschedulable" ? sprintf("%.1f", mean) : fmt(mean, lo, hi)
        runs[lab] = n
    }
    END {
        # registry order, each variant ("<policy>, ...") right after its policy
        np = split(porder, pol, ",")
        for (a = 1; a <= np; a++)
            for (j = 1; j <= nl; j++)
                if (order[j] == pol[a] || index(order[j], pol[a] ",") == 1)
                    sorted[++ns] = order[j]
        print "| policy | knowledge | mean JCT (s) | p50 | p90 | p99 | mean JCT, completed jobs | unschedulable jobs |"
        print "|---|---|---:|---:|---:|---:|---:|---:|"
        for (j = 1; j <= ns; j++) {
            l = sorted[j]
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", l, know[l], cell[l, "jct_mean"],
                cell[l, "jct_p50"], cell[l, "jct_p90"], cell[l, "jct_p99"],
                cell[l, "jct_completed_mean"], cell[l, "unschedulable"]
        }
    }' "$out/stats.csv" >"$out/table.md"
# the load the traces offer (the same for every policy: read from the first one's runs)
first=$(awk -F, 'NR == 2 { print $1 }' "$out/stats.csv")
"$GPUSIM" stats "$out/sweep/runs" --where policy="$first" -m load,demand_gpu_hours |
    awk -F, -v k="${#tl[@]}" 'NR > 1 && $2 == "load" {
        printf "\nLoad (GPU-hours demanded over GPU-hours available) of the %d traces: mean %.2f " \
            "[%.2f, %.2f], from %.2f to %.2f.\n", k, $4, $5, $6, $8, $9 }' >>"$out/table.md"
# fairness, energy and cost (docs/fairness.md, docs/energy.md): means over the traces too
"$GPUSIM" stats "$out/sweep/runs" --by policy --markdown \
    -m fairness.ftf_mean,fairness.ftf_over_1,fairness.jain_users_slowdown,energy_kwh.total,cost_usd.used |
    sed '1s/.*/| policy | runs | mean FTF | share of jobs with FTF > 1 | Jain'"'"'s index of users'"'"' slowdown | energy kWh | cost used USD |/' \
        >"$out/fairness.md"
cat "$out/table.md"
echo
cat "$out/fairness.md"
