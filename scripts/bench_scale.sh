#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scaling benchmark: every policy on synthetic ACME SFT traces of 10^4, 10^5 and 10^6 jobs on
# the Seren-size cluster (2,288 A100-80GB) at about 50 %, 90 % and 120 % of its capacity: wall
# and CPU time, events per CPU second, peak RSS. Writes the table, with the commands, into the
# "Scale" section of BENCHMARKS.md, and a log-log plot of time against jobs per policy into
# docs/figures/scale.png (and .svg). Heavy (the 10^6 runs take hours on 2 cores): never part of
# the tests; run it niced on a machine you may load.
#
#   scripts/bench_scale.sh [options]
#     --jobs "N ..."       trace sizes (default "10000 100000 1000000")
#     --loads "L ..."      offered loads, fractions of the cluster's GPU-hours (default
#                          "0.5 0.9 1.2")
#     --policies "P ..."   default: every registered policy
#     --timeout S          wall seconds one run may take (default 3600); a run past it is
#                          reported as such and the larger sizes of that policy and load are not
#                          run
#     --results DIR        keep the raw measurements there (default: a temporary folder)
#     --report DIR         no runs: the section and figure from the measurements kept in DIR
#     --no-write           print the section only: neither BENCHMARKS.md nor the figure
#     -h, --help           this help
# Environment: GPUSIM (default build/gpusim, a Release build), CLUSTER (default seren), SEED
# (default 1).
#
# Load: a trace of N jobs at R jobs/h offers R x (mean GPU-seconds per job) / 3600 GPUs on
# average; R is set to LOAD x GPUs x 3600 / (mean GPU-seconds per job), the mean measured on a
# 200,000-job pilot trace of the same generator. Each table row also gives the load the trace
# actually offers (its GPU-seconds over its submission span), which heavy tails move a little.
set -euo pipefail
gs_prog=bench_scale.sh
. "$(dirname "$0")/lib.sh"
cd "$gs_repo"

sizes="10000 100000 1000000"
loads="0.5 0.9 1.2"
policies=""
timeout_s=3600
results=""
report=0
write=1
while [ $# -gt 0 ]; do
    case $1 in
    --jobs) gs_need_value "$@"; sizes=$2; shift ;;
    --loads) gs_need_value "$@"; loads=$2; shift ;;
    --policies) gs_need_value "$@"; policies=$2; shift ;;
    --timeout) gs_need_value "$@"; timeout_s=$2; shift ;;
    --results) gs_need_value "$@"; results=$2; shift ;;
    --report) gs_need_value "$@"; results=$2; report=1; shift ;;
    --no-write) write=0 ;;
    -h | --help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) gs_usage_error "unknown option '$1'" ;;
    esac
    shift
done
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--timeout needs a positive whole number"
for n in $sizes; do [[ $n =~ ^[1-9][0-9]*$ ]] || gs_usage_error "bad size '$n'"; done
for l in $loads; do [[ $l =~ ^[0-9]*\.?[0-9]+$ ]] || gs_usage_error "bad load '$l'"; done
gs_find_gpusim
command -v /usr/bin/time >/dev/null || gs_die "GNU time is missing (Debian: apt-get install time)"
cluster=${CLUSTER:-seren}
seed=${SEED:-1}
[ -n "$policies" ] || policies=$(gs_policies | tr '\n' ' ')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "$results" ]; then
    mkdir -p "$results"
    results=$(cd "$results" && pwd)
else
    results=$tmp/results
    mkdir -p "$results"
fi

[ "$report" = 0 ] || [ -f "$results/runs" ] || gs_die "no measurements in '$results' (runs)"
gpus=$("$GPUSIM" validate --cluster "$cluster" | awk '/^cluster/ { for (i = 1; i <= NF; i++)
    if ($(i + 1) == "GPUs") { print $i; exit } }')
[ -n "$gpus" ] || gs_die "cannot read the GPU count of cluster '$cluster'"

# mean GPU-seconds per job of the generator (gpu_num x duration), on a pilot trace
if [ "$report" = 0 ]; then
    "$GPUSIM" gen-trace --jobs 200000 --seed "$seed" -q --out "$tmp/pilot.csv"
    mean_gs=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { s += $c["gpu_num"] * $c["duration"]; n++ } END { printf "%.3f", s / n }' "$tmp/pilot.csv")
    rm -f "$tmp/pilot.csv"
    { echo "mean_gs $mean_gs"; echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
      echo "date $(date +%Y-%m-%d)"; echo "timeout $timeout_s"; } >"$results/meta"
fi
mean_gs=$(awk '$1 == "mean_gs" { print $2 }' "$results/meta")
commit=$(awk '$1 == "commit" { print $2 }' "$results/meta")
when=$(awk '$1 == "date" { print $2 }' "$results/meta")
timeout_s=$(awk '$1 == "timeout" { print $2 }' "$results/meta")

# the load a trace offers: its GPU-seconds over (span of submissions x GPUs)
offered() {
    awk -F, -v gpus="$gpus" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { s += $c["gpu_num"] * $c["duration"]; t = $c["submit_time"]; if (NR == 2) first = t }
        END { print s; print first; print t }' "$1" | {
        read -r gsec
        read -r first
        read -r last
        span=$(($(date -d "$last" +%s) - $(date -d "$first" +%s)))
        awk -v g="$gsec" -v s="$span" -v n="$gpus" 'BEGIN { printf "%.2f", g / (s * n) }'
    }
}

# one run: appends "policy load jobs rate offered wall cpu rss events status" to $results/runs
run_one() {
    local p=$1 l=$2 n=$3 rate=$4 off=$5 trace=$6 out=$tmp/out status=ok rc=0 wall u s cpu rss ev
    rm -rf "$out"
    nice -n 10 /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" timeout "$timeout_s" \
        "$GPUSIM" --trace "$trace" --cluster "$cluster" --policy "$p" --out "$out" \
        --no-progress -q --allow-unschedulable 2>"$tmp/err" || rc=$?
    case $rc in
    0) ;;
    124) status=timeout ;;
    *) status=failed; sed 's/^/  /' "$tmp/err" >&2 ;;
    esac
    if [ "$status" = ok ]; then
        read -r wall u s rss < <(tail -1 "$tmp/time")
        cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        ev=$(awk -F'[:,]' '/"events"/ { gsub(/[ \t]/, "", $2); print $2; exit }' "$out/summary.json")
    elif [ "$status" = timeout ]; then
        wall=$timeout_s cpu=- rss=- ev=-
    else
        wall=- cpu=- rss=- ev=-
    fi
    echo "$p $l $n $rate $off $wall $cpu $rss $ev $status" >>"$results/runs"
    echo "$gs_prog: $p load $l $n jobs: $status, $wall s wall, $cpu s CPU" >&2
}
declare -A skip=()
[ "$report" = 1 ] || : >"$results/runs"
[ "$report" = 1 ] || for n in $sizes; do
    for l in $loads; do
        rate=$(awk -v l="$l" -v g="$gpus" -v m="$mean_gs" 'BEGIN { printf "%.1f", l * g * 3600 / m }')
        "$GPUSIM" gen-trace --jobs "$n" --rate "$rate" --seed "$seed" -q --out "$tmp/trace.csv"
        off=$(offered "$tmp/trace.csv")
        for p in $policies; do
            if [ -n "${skip[$p/$l]:-}" ]; then
                echo "$p $l $n $rate $off - - - - skipped" >>"$results/runs"
                continue
            fi
            run_one "$p" "$l" "$n" "$rate" "$off" "$tmp/trace.csv"
            [ "$(tail -1 "$results/runs" | awk '{ print $NF }')" = ok ] || skip[$p/$l]=1
        done
        rm -f "$tmp/trace.csv"
    done
done

# ---- the section ----
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "<!-- bench_scale:begin -->"
    echo "## Scale: every policy up to 10^6 jobs on the Seren-size cluster"
    echo
    echo "Measured by \`scripts/bench_scale.sh\` on $when, $(nproc) cores ($cpu_model),"
    echo "Release build, gpusim at commit $commit, one run each."
    echo "The machine was shared with other work: **CPU s** (user + sys) is the figure to compare"
    echo "(it is what the wall time is on an idle machine); wall s is what the run took there."
    echo
    echo "Traces: \`$(basename "$GPUSIM") gen-trace --jobs N --rate R --seed $seed --out T\` (ACME-fitted"
    echo "SFT jobs), R = load x $gpus GPUs x 3600 / $mean_gs GPU-seconds per job (the generator's"
    echo "mean, from a 200,000-job pilot trace); *offered* is the load the trace actually offers."
    echo "Runs: \`nice -n 10 $(basename "$GPUSIM") --trace T --cluster $cluster --policy P --out DIR"
    echo "--no-progress -q --allow-unschedulable\` under \`/usr/bin/time\` (wall time includes loading"
    echo "the trace and writing jobs.csv, jct_cdf.csv, allocations.csv and summary.json). A run past"
    echo "${timeout_s} s is stopped and the larger sizes of that policy and load are not run."
    echo "Events/s are engine events per CPU second."
    echo
    echo "| policy | load | offered | jobs | rate /h | wall s | CPU s | events | events/s | peak RSS MiB | bytes/job |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    sort -k1,1 -k2,2n -k3,3n "$results/runs" | while read -r p l n rate off wall cpu rss ev st; do
        case $st in
        ok)
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.2f M | %.0f | %.0f |\n' "$p" "$l" \
                "$off" "$n" "$rate" "$wall" "$cpu" "$ev" \
                "$(awk -v e="$ev" -v c="$cpu" 'BEGIN { print (c > 0 ? e / c : 0) / 1e6 }')" \
                "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
                "$(awk -v k="$rss" -v n="$n" 'BEGIN { print k * 1024 / n }')"
            ;;
        *) printf '| %s | %s | %s | %s | %s | %s | | | | | |\n' "$p" "$l" "$off" "$n" "$rate" \
            "$([ "$st" = timeout ] && echo "> $timeout_s (stopped)" || echo "$st")" ;;
        esac
    done
    echo
    echo "Growth from 10^5 to 10^6 jobs, as CPU time per doubling of the jobs, (t(10^6) /"
    echo "t(10^5))^(1/log2 10); linear growth is 2.0, and 2.6 is 1.3 x linear:"
    echo
    echo "| policy | load | CPU s 10^5 | CPU s 10^6 | per doubling |"
    echo "|---|---:|---:|---:|---:|"
    awk '$10 == "ok" && ($3 == 100000 || $3 == 1000000) { t[$1 " " $2 " " $3] = $7; k[$1 " " $2] = 1 }
        END { for (x in k) { a = t[x " 100000"]; b = t[x " 1000000"];
              if (a > 0 && b > 0) printf "| %s | %s | %s | %s | %.2f |\n", substr(x, 1, index(x, " ") - 1),
                  substr(x, index(x, " ") + 1), a, b, exp(log(b / a) / (log(10) / log(2))) } }' \
        "$results/runs" | sort
    echo
    echo "![CPU time against jobs, log-log, one panel per load](docs/figures/scale.png)"
    echo "<!-- bench_scale:end -->"
} >"$tmp/section.md"
cat "$tmp/section.md"
[ "$write" = 1 ] || exit 0

# ---- the figure: CPU seconds against jobs, log-log, one panel per load ----
if command -v gnuplot >/dev/null; then
    {
        echo "set multiplot layout 1,$(echo "$loads" | wc -w)"
        echo "set logscale xy; set grid; set key top left; set xlabel 'jobs'"
        echo "set ylabel 'CPU s (user + sys)'"
        for l in $loads; do
            echo "set title 'load $l'"
            printf 'plot '
            sep=""
            for p in $policies; do
                awk -v p="$p" -v l="$l" '$1 == p && $2 == l && $10 == "ok" { print $3, $7 }' \
                    "$results/runs" >"$tmp/$p-$l.dat"
                [ -s "$tmp/$p-$l.dat" ] || continue
                printf '%s"%s" using 1:2 with linespoints linewidth 2 title %s' "$sep" \
                    "$tmp/$p-$l.dat" "$(gs_gp_str "$p")"
                sep=", "
            done
            # a line of slope 1 (linear growth) through the smallest fifo point, for reference
            ref=$(awk -v l="$l" '$1 == "fifo" && $2 == l && $10 == "ok" { print $3, $7; exit }' \
                "$results/runs")
            if [ -n "$ref" ]; then
                read -r rn rc <<<"$ref"
                printf '%s(x >= %s ? %s * x / %s : 1/0) with lines dashtype 2 linecolor "gray" title "linear"' \
                    "$sep" "$rn" "$rc" "$rn"
            fi
            echo
        done
        echo "unset multiplot"
    } >"$tmp/plot.gp"
    gs_plot_render "$tmp/plot.gp" 1500,500 docs/figures/scale "$tmp"
    echo "$gs_prog: wrote docs/figures/scale.png and .svg" >&2
else
    echo "$gs_prog: gnuplot is missing: no figure (Debian: apt-get install gnuplot-nox)" >&2
fi
if grep -q '<!-- bench_scale:begin -->' BENCHMARKS.md; then
    awk -v f="$tmp/section.md" '
        /<!-- bench_scale:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
        /<!-- bench_scale:end -->/ { skip = 0; next }
        !skip' BENCHMARKS.md >"$tmp/bench.md"
else
    cat BENCHMARKS.md >"$tmp/bench.md"
    { echo; cat "$tmp/section.md"; } >>"$tmp/bench.md"
fi
mv "$tmp/bench.md" BENCHMARKS.md
echo "$gs_prog: updated BENCHMARKS.md" >&2
