#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How robust are the conclusions of the knowledge experiment? The seven policies over load x
# scaling DB x start-up cost x cluster x independent traces, then, for each claim of the
# CLOUDSTARS D2.1 report, where it holds and where it does not, with the spread between traces:
# one table (Markdown, and the per-condition CSV behind it) and one figure. Runs on GNU parallel
# (scripts/sweep.sh) or as a Slurm array (--manifest-only, then scripts/slurm/submit.sh, then
# this script again to report). Rerunning it reproduces the table and figure byte for byte.
set -euo pipefail
gs_prog=robustness.sh
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/experiments/robustness.sh [options]

axes (comma-separated lists):
  --rates LIST         SFT jobs per hour of the traces (default 20,40,60,80: loads of about
                       0.3, 0.6, 0.9 and 1.2 of the 192-GPU clusters; 40 is the report's rate)
  --dbs LIST           scaling DBs, names or files (default default,linear: model v2 and the
                       older, nearly linear one)
  --startup LIST       start-up and checkpoint costs: 'default' (modelled) and/or '0'
                       (default default,0)
  --clusters LIST      clusters, names or files (default default,a100)
  --policies LIST      (default fifo,fifo-backfill,db-fifo,db-flat,db-flat-scale,sia-unaware,
                       sia-aware)
  --traces K           independent traces per rate (default 10), each from the busiest 24 h of
                       its own generated source trace
  --days D             length of a source trace (default 184)
  --source-rate R      its mean SFT jobs per hour (default 50, so every window holds more jobs
                       than the busiest rate needs)
  --seed S             seed of the drawing (default 1); generator seeds are 1..K
  --sia-max-rate N     run the Sia policies only on traces of at most N jobs per hour
                       (default 40): near and beyond capacity their exact ILP (GLPK) grows with
                       the queue, and one run takes minutes (60 jobs per hour) to over 20 CPU-
                       minutes (80); the claims that need them are then not judged at higher
                       rates ('n/a'). Give 80 where CPU time is plentiful (a Slurm array).

execution and output:
  --out DIR            results (default results/robustness): samples/, runs/, manifest.txt,
                       logs/, runs.csv, conditions.csv, claims.csv
  --table FILE         the table, Markdown (default docs/robustness.md)
  --figure BASE        the figure, BASE.png and BASE.svg (default docs/figures/robustness)
  -j, --jobs N         runs at a time (default: the number of cores)
      --manifest-only  write DIR/manifest.txt and stop: submit it as a Slurm array with
                       scripts/slurm/submit.sh DIR/manifest.txt, then run this script again
                       (same options) to report
      --progress, --no-progress   as scripts/sweep.sh
  -h, --help           show this help

The claims, each judged per condition (rate x DB x start-up x cluster) on the K traces:
  fifo-worst      fifo has the highest mean JCT of all policies
  dfs-most-jobs   db-flat-scale has the lowest JCT at most (3 or more) of the quantiles p10,
                  p25, p50, p75, p90
  db-fifo-tail    db-fifo has the lowest p99 JCT
  sia-behind      both Sia policies have a higher mean JCT than every offline-informed policy
  less-knowledge  mean JCT falls with knowledge: fifo > sia-unaware > sia-aware > the best
                  offline-informed policy
A claim holds in a condition when it holds for the means over the traces; the table gives the
traces on which it holds alone, and the factor by which it holds (or fails: below 1) against
its closest competitor, as the geometric mean over traces with its 95 % bootstrap interval;
'*' marks a Wilcoxon signed-rank p < 0.05 (gpusim paired) in the claimed direction.
USAGE
}

rates=20,40,60,80 dbs=default,linear startup=default,0 clusters=default,a100
policies=fifo,fifo-backfill,db-fifo,db-flat,db-flat-scale,sia-unaware,sia-aware
ntraces=10 days=184 source_rate=50 sseed=1 sia_max=40 out=results/robustness table=docs/robustness.md
figure=docs/figures/robustness jobs="" manifest_only=0 progress=()
while [ $# -gt 0 ]; do
    case $1 in
    --rates) gs_need_value "$@"; rates=$2; shift 2 ;;
    --dbs) gs_need_value "$@"; dbs=$2; shift 2 ;;
    --startup) gs_need_value "$@"; startup=$2; shift 2 ;;
    --clusters) gs_need_value "$@"; clusters=$2; shift 2 ;;
    --policies) gs_need_value "$@"; policies=$2; shift 2 ;;
    --traces) gs_need_value "$@"; ntraces=$2; shift 2 ;;
    --days) gs_need_value "$@"; days=$2; shift 2 ;;
    --source-rate) gs_need_value "$@"; source_rate=$2; shift 2 ;;
    --seed) gs_need_value "$@"; sseed=$2; shift 2 ;;
    --sia-max-rate) gs_need_value "$@"; sia_max=$2; shift 2 ;;
    --out) gs_need_value "$@"; out=$2; shift 2 ;;
    --table) gs_need_value "$@"; table=$2; shift 2 ;;
    --figure) gs_need_value "$@"; figure=$2; shift 2 ;;
    -j | --jobs) gs_need_value "$@"; jobs=$2; shift 2 ;;
    --manifest-only) manifest_only=1; shift ;;
    --progress | --no-progress) progress=("$1"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) gs_usage_error "unknown option '$1'" ;;
    esac
done
IFS=, read -r -a rl <<<"$rates"
IFS=, read -r -a dl <<<"$dbs"
IFS=, read -r -a sl <<<"$startup"
for r in "${rl[@]}"; do
    [[ $r =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--rates needs positive integers, got '$r'"
done
for s in "${sl[@]}"; do
    [[ $s == default || $s == 0 ]] || gs_usage_error "--startup takes 'default' and '0', got '$s'"
done
[[ $ntraces =~ ^[1-9][0-9]?$ ]] || gs_usage_error "--traces needs 1 to 99, got '$ntraces'"
[[ $sia_max =~ ^[0-9]+$ ]] || gs_usage_error "--sia-max-rate needs a non-negative integer, got '$sia_max'"
[[ $sseed =~ ^[0-9]+$ ]] || gs_usage_error "--seed needs a non-negative integer, got '$sseed'"
if [ ${#rl[@]} -eq 0 ] || [ ${#dl[@]} -eq 0 ] || [ ${#sl[@]} -eq 0 ]; then
    gs_usage_error "--rates, --dbs and --startup need at least one value each"
fi
gs_find_gpusim
here=$(dirname "${BASH_SOURCE[0]}")/..
known=$(gs_policies)
for p in ${policies//,/ }; do
    grep -qxF -- "$p" <<<"$known" || gs_die "this gpusim has no policy '$p' (it has: ${known//$'\n'/ })"
done
for d in "${dl[@]}"; do
    "$GPUSIM" validate --db "$d" >/dev/null || gs_die "scaling DB '$d' does not load"
done
out=$(gs_abspath "$out")
mkdir -p "$out"

# The gpusim run options of a start-up setting: 'default' is the model's own; '0' makes every
# start, restart, failed start and checkpoint save free (gpusim run --no-startup).
startup_args() {
    case $1 in
    default) ;;
    0) echo "--no-startup" ;;
    esac
}
stem() { # a folder-name-safe name of a DB or cluster given by name or file
    local b=${1##*/}
    b=${b%.json}
    printf '%s\n' "$b" | tr -c 'A-Za-z0-9._\n-' '_'
}

# ---- 1. the traces: K independent ones per rate, each from its own source's busiest day ----
tl=()
for r in "${rl[@]}"; do
    d=$out/samples/r$r
    if [ ! -d "$d" ]; then
        rm -rf "$out/samples/.r$r.tmp"
        mkdir -p "$out/samples"
        "$GPUSIM" sample --generate-days "$days" --seeds "1-$ntraces" --generate-rate "$source_rate" \
            --per-hour "$r" --seed "$sseed" --prefix "r$r" --out "$out/samples/.r$r.tmp" --quiet
        mv "$out/samples/.r$r.tmp" "$d"
    fi
    mapfile -t -O ${#tl[@]} tl < <(find "$d" -maxdepth 1 -name "r$r-*.csv" | LC_ALL=C sort)
done
traces=$(IFS=,; echo "${tl[*]}")

# ---- 2. the manifest: one sweep per (DB, start-up), clusters and traces inside it ----
: >"$out/.manifest.tmp"
for d in "${dl[@]}"; do
    for s in "${sl[@]}"; do
        combo=$(stem "$d")@su$s
        # shellcheck disable=SC2046 # the start-up options are words
        "$here/sweep.sh" --out "$out/runs/$combo" --traces "$traces" --policies "$policies" \
            --clusters "$clusters" --seeds 1 --manifest-only -q -- --db "$d" \
            --allow-unschedulable $(startup_args "$s")
        # the Sia policies only up to --sia-max-rate (their folder: .../r<N>-<k>/<cluster>/sia-*/)
        awk -v max="$sia_max" '{
            n = split($NF, p, "/")
            rate = substr(p[n - 3], 2); sub(/-.*/, "", rate)
            if (p[n - 1] ~ /^sia-/ && rate + 0 > max + 0) next
            print
        }' "$out/runs/$combo/manifest.txt" >>"$out/.manifest.tmp"
    done
done
mv "$out/.manifest.tmp" "$out/manifest.txt"
if [ "$manifest_only" -eq 1 ]; then
    echo "robustness.sh: $(wc -l <"$out/manifest.txt") runs in $out/manifest.txt; submit them with" >&2
    echo "  scripts/slurm/submit.sh $out/manifest.txt" >&2
    echo "then run this script again with the same options to report" >&2
    exit 0
fi

# ---- 3. run what is missing (GNU parallel), merge ----
"$here/sweep.sh" --out "$out" --manifest "$out/manifest.txt" ${jobs:+-j "$jobs"} "${progress[@]}"

# ---- 4. the conditions of every run, from its folder: runs/<db>@su<s>/runs/r<N>-<k>/<cluster>/
# <policy>/ke0-s1 (the command column, last, is the only one that can hold a comma) ----
awk -F, -v root="$out/runs/" '
    NR == 1 { print "cond,rate,db,startup,cluster_name,trace_k," $0; next }
    {
        split(substr($1, length(root) + 1), p, "/")
        at = index(p[1], "@su")
        db = substr(p[1], 1, at - 1); su = substr(p[1], at + 3)
        n = split(p[3], t, "-"); rate = substr(t[1], 2)
        print rate "|" db "|" su "|" p[4] "," rate "," db "," su "," p[4] "," t[n] "," $0
    }' "$out/runs.csv" >"$out/conditions.csv"

# ---- 5. the claims: per condition, on the means over traces and trace by trace ----
# plan.txt: cond claim holds traces_holding traces a b metric (one line per paired test; a
# claim with several links has several lines)
awk -F, -v pols="$policies" '
    NR == 1 {
        for (i = 1; i <= NF; i++) col[$i] = i
        nm = split("jct_mean jct_p10 jct_p25 jct_p50 jct_p75 jct_p90 jct_p99", ms, " ")
        next
    }
    {
        c = $col["cond"]; p = $col["policy"]; k = $col["trace_k"]
        if (!(c in seenc)) { seenc[c] = 1; conds[++nc] = c }
        if (!((c, k) in seenk)) { seenk[c, k] = 1; ks[c, ++nk[c]] = k }
        for (j = 1; j <= nm; j++) v[c, p, k, ms[j]] = $col[ms[j]]
        has[c, p] = 1
    }
    function mean(c, p, m,   j, s) {
        s = 0
        for (j = 1; j <= nk[c]; j++) s += v[c, p, ks[c, j], m]
        return s / nk[c]
    }
    # the value on trace k, or the mean over traces when k is ""
    function val(c, p, m, k) { return k == "" ? mean(c, p, m) : v[c, p, k, m] }
    # the policy of list L (space-separated) with the highest (hi=1) or lowest value; "" if none
    function pick(c, L, m, k, hi, skip,   a, n, j, b, bv, x) {
        n = split(L, a, " "); b = ""
        for (j = 1; j <= n; j++) {
            if (!has[c, a[j]] || a[j] == skip) continue
            x = val(c, a[j], m, k)
            if (b == "" || (hi ? x > bv : x < bv)) { b = a[j]; bv = x }
        }
        return b
    }
    # does the claim hold on trace k ("" = on the means)? sets comp[] to its competitors
    function holds(c, claim, k,   o, s, q, n, lowest, j, x, a, b) {
        if (claim == "fifo-worst") {
            o = pick(c, all, "jct_mean", k, 1, "fifo")
            comp[1] = "fifo " o " jct_mean"; ncomp = 1
            return val(c, "fifo", "jct_mean", k) > val(c, o, "jct_mean", k)
        }
        if (claim == "dfs-most-jobs") {
            n = 0
            split("jct_p10 jct_p25 jct_p50 jct_p75 jct_p90", q, " ")
            for (j = 1; j <= 5; j++) {
                o = pick(c, all, q[j], k, 0, "db-flat-scale")
                n += val(c, "db-flat-scale", q[j], k) < val(c, o, q[j], k)
            }
            o = pick(c, all, "jct_p50", k, 0, "db-flat-scale")
            comp[1] = o " db-flat-scale jct_p50"; ncomp = 1
            return n >= 3
        }
        if (claim == "db-fifo-tail") {
            o = pick(c, all, "jct_p99", k, 0, "db-fifo")
            comp[1] = o " db-fifo jct_p99"; ncomp = 1
            return val(c, o, "jct_p99", k) > val(c, "db-fifo", "jct_p99", k)
        }
        if (claim == "sia-behind") {
            s = pick(c, sia, "jct_mean", k, 0, ""); o = pick(c, off, "jct_mean", k, 1, "")
            comp[1] = s " " o " jct_mean"; ncomp = 1
            return val(c, s, "jct_mean", k) > val(c, o, "jct_mean", k)
        }
        if (claim == "less-knowledge") {
            o = pick(c, off, "jct_mean", k, 0, "")
            comp[1] = "fifo sia-unaware jct_mean"; comp[2] = "sia-unaware sia-aware jct_mean"
            comp[3] = "sia-aware " o " jct_mean"; ncomp = 3
            return val(c, "fifo", "jct_mean", k) > val(c, "sia-unaware", "jct_mean", k) &&
                val(c, "sia-unaware", "jct_mean", k) > val(c, "sia-aware", "jct_mean", k) &&
                val(c, "sia-aware", "jct_mean", k) > val(c, o, "jct_mean", k)
        }
    }
    function needs(c, claim) {
        if (claim == "fifo-worst") return has[c, "fifo"]
        if (claim == "dfs-most-jobs") return has[c, "db-flat-scale"]
        if (claim == "db-fifo-tail") return has[c, "db-fifo"]
        if (claim == "sia-behind") return pick(c, sia, "jct_mean", "", 0, "") != "" && pick(c, off, "jct_mean", "", 0, "") != ""
        return has[c, "fifo"] && has[c, "sia-unaware"] && has[c, "sia-aware"] && pick(c, off, "jct_mean", "", 0, "") != ""
    }
    END {
        all = pols; gsub(/,/, " ", all)
        sia = "sia-unaware sia-aware"; off = "db-fifo db-flat db-flat-scale"
        nclaims = split("fifo-worst dfs-most-jobs db-fifo-tail sia-behind less-knowledge", cl, " ")
        for (i = 1; i <= nc; i++)
            for (j = 1; j <= nclaims; j++) {
                c = conds[i]
                if (!needs(c, cl[j])) continue
                t = 0
                for (m = 1; m <= nk[c]; m++) t += holds(c, cl[j], ks[c, m])
                h = holds(c, cl[j], "")
                for (m = 1; m <= ncomp; m++) print c, cl[j], h, t, nk[c], comp[m]
            }
    }' "$out/conditions.csv" >"$out/plan.txt"

# every paired test of the plan (gpusim paired: geometric-mean ratio a/b with its interval and
# the Wilcoxon signed-rank p), pairing a condition's runs by trace
: >"$out/.tests.tmp"
while read -r cond claim h t n a b m; do
    "$GPUSIM" paired "$out/conditions.csv" --where cond="$cond" --metric "$m" --a "$a" --b "$b" \
        --pair-on trace_k --csv | awk -F, -v pre="$cond $claim $h $t $n" \
        'NR == 2 { print pre, $3, $4, $7, $8, $12, $13, $14, $21 }' >>"$out/.tests.tmp"
done <"$out/plan.txt"
mv "$out/.tests.tmp" "$out/tests.txt"

# claims.csv: one row per condition and claim; a claim with several links (less-knowledge) is
# as strong as its weakest: the smallest factor, the largest p. tests.txt fields: cond claim
# holds traces_holding traces a b mean_a mean_b ratio ratio_lo ratio_hi p
awk '
    BEGIN { print "rate,db,startup,cluster,claim,holds,traces_holding,traces,a,b,factor,factor_lo,factor_hi,p,significant" }
    {
        key = $1 SUBSEP $2
        if (!(key in line)) { keys[++n] = key; sig[key] = 1; pmax[key] = 0 }
        if (!(key in line) || $10 + 0 < best[key]) { best[key] = $10 + 0; line[key] = $0 }
        sig[key] = sig[key] && $13 + 0 < 0.05 && $8 + 0 > $9 + 0
        if ($13 + 0 > pmax[key]) pmax[key] = $13 + 0
    }
    END {
        for (i = 1; i <= n; i++) {
            key = keys[i]; split(line[key], x, " "); split(x[1], c, "|")
            printf "%s,%s,%s,%s,%s,%d,%d,%d,%s,%s,%.3f,%.3f,%.3f,%.4g,%d\n", c[1], c[2], c[3],
                c[4], x[2], x[3], x[4], x[5], x[6], x[7], x[10], x[11], x[12], pmax[key], sig[key]
        }
    }' "$out/tests.txt" >"$out/claims.csv"
echo "robustness.sh: $(($(wc -l <"$out/claims.csv") - 1)) verdicts (claim x condition) in $out/claims.csv" >&2

# ---- 6. the table ----
# the loads the traces offer (median, lowest and highest over the traces of one policy's runs)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["policy"] == first || first == "" {
        if (first == "") first = $col["policy"]
        k = $col["rate"] SUBSEP $col["cluster_name"]
        if (!(k in n)) order[++m] = k
        v[k, ++n[k]] = $col["load"]
    }
    END {
        for (i = 1; i <= m; i++) {
            k = order[i]; split(k, r, SUBSEP)
            # sort this rate and cluster load values (insertion sort: K is small)
            for (a = 2; a <= n[k]; a++)
                for (b = a; b > 1 && v[k, b - 1] + 0 > v[k, b] + 0; b--) { t = v[k, b]; v[k, b] = v[k, b - 1]; v[k, b - 1] = t }
            med = n[k] % 2 ? v[k, (n[k] + 1) / 2] : (v[k, n[k] / 2] + v[k, n[k] / 2 + 1]) / 2
            printf "%s %s %.2f %.2f %.2f\n", r[1], r[2], med, v[k, 1], v[k, n[k]]
        }
    }' "$out/conditions.csv" | LC_ALL=C sort -n >"$out/loads.txt"
mkdir -p "$(dirname "$table")"
IFS=, read -r -a cll <<<"$clusters"
order_args=(-v rates="$rates" -v sus="$startup"
    -v dbs="$(for d in "${dl[@]}"; do stem "$d"; done | paste -sd, -)"
    -v cls="$(for c in "${cll[@]}"; do stem "$c"; done | paste -sd, -)")
# awk functions shared by the table and the figure: a condition's rank in the order of the axes
# as given (cluster, then DB, then start-up, then rate), and the conditions sorted by it
order_awk='
    function rank_of(list, v,   a, n, i) {
        n = split(list, a, ",")
        for (i = 1; i <= n; i++) if (a[i] == v) return i
        return n + 1
    }
    function cond_rank(cond,   x) {
        split(cond, x, "|")
        return ((rank_of(cls, x[4]) * 100 + rank_of(dbs, x[2])) * 100 + rank_of(sus, x[3])) * 100 + rank_of(rates, x[1])
    }
    function sort_conds(a, n,   i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && cond_rank(a[j - 1]) > cond_rank(a[j]); j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    }
    function su_name(v) { return v == "0" ? "start-up 0" : "start-up modelled" }'
awk -F, -v loads="$out/loads.txt" -v ntr="$ntraces" "${order_args[@]}" "$order_awk"'
    BEGIN {
        while ((getline l < loads) > 0) { split(l, x, " "); load[x[1]] = x[3]; lrange[x[1]] = x[4] "-" x[5] }
        split("fifo-worst dfs-most-jobs db-fifo-tail sia-behind less-knowledge", cl, " ")
        text["fifo-worst"] = "fifo has by far the worst JCT"
        text["dfs-most-jobs"] = "db-flat-scale has the lowest JCT for most jobs"
        text["db-fifo-tail"] = "db-fifo has the best tail"
        text["sia-behind"] = "the Sia policies are behind the offline-informed ones"
        text["less-knowledge"] = "less knowledge is worse"
    }
    NR == 1 { next }
    {
        cond = $1 "|" $2 "|" $3 "|" $4
        if (!(cond in seen)) { seen[cond] = 1; conds[++nc] = cond }
        r[cond, $5] = $0
        # counts by factor level
        lev[1] = $1 "/h (load " load[$1] ")"; lev[2] = "DB " $2; lev[3] = su_name($3)
        lev[4] = "cluster " $4
        key[1] = rank_of(rates, $1); key[2] = rank_of(dbs, $2); key[3] = rank_of(sus, $3)
        key[4] = rank_of(cls, $4)
        for (i = 1; i <= 4; i++) {
            if (!((i, lev[i]) in seenl)) { seenl[i, lev[i]] = key[i]; levels[i, ++nl[i]] = lev[i] }
            tot[$5, lev[i]]++; hold[$5, lev[i]] += $6; sg[$5, lev[i]] += $6 && $15
        }
        tot[$5, "all"]++; hold[$5, "all"] += $6; sg[$5, "all"] += $6 && $15
        ftr[$5] += $7; ntr_all[$5] += $8
    }
    function cellfmt(line,   x) {
        split(line, x, ",")
        if (line == "") return "n/a"
        return sprintf("%s %d/%d, x%.2f [%.2f, %.2f]%s", x[6] ? "**yes**" : "no", x[7], x[8],
            x[11], x[12], x[13], x[15] ? "*" : "")
    }
    END {
        sort_conds(conds, nc)
        for (i = 1; i <= 4; i++) # the levels of each axis in the order given
            for (a = 2; a <= nl[i]; a++)
                for (b = a; b > 1 && seenl[i, levels[i, b - 1]] > seenl[i, levels[i, b]]; b--) {
                    t = levels[i, b]; levels[i, b] = levels[i, b - 1]; levels[i, b - 1] = t
                }
        print "# Robustness of the knowledge experiment\n"
        print "Made by `scripts/experiments/robustness.sh` (README gives the command and its run " \
            "time); do not edit. Each condition is a traffic rate (its load: the median over the " \
            ntr " traces of GPU-hours demanded over GPU-hours available), a scaling DB, a start-up " \
            "cost and a cluster; in each, every policy ran on the same " ntr " independent traces.\n"
        print "A claim **holds** in a condition when it holds for the means over the traces. " \
            "`k/" ntr "` is the number of traces on which it holds on its own. `xF [lo, hi]` is " \
            "the factor by which it holds against its closest competitor (below 1: by which it " \
            "fails): the geometric mean over the traces of the competitor'"'"'s JCT over the " \
            "claimant'"'"'s (fifo'"'"'s over the next worst for the first claim; for the last, the " \
            "weakest link of the chain), with its 95 % bootstrap interval. `*`: Wilcoxon " \
            "signed-rank p < 0.05 over the paired traces in the claimed direction (every link, " \
            "for the chain). Claims are judged on the mean JCT (p99 for the tail, the quantiles " \
            "p10 to p90 for \"most jobs\"; `--help` gives the exact rules).\n"
        print "## Where each claim holds\n"
        printf "| claim | all conditions |"
        for (i = 1; i <= 4; i++) for (j = 1; j <= nl[i]; j++) printf " %s |", levels[i, j]
        printf "\n|---|---:|"
        for (i = 1; i <= 4; i++) for (j = 1; j <= nl[i]; j++) printf "---:|"
        printf "\n"
        for (c = 1; c <= 5; c++) {
            k = cl[c]
            if (!tot[k, "all"]) continue
            printf "| %s | %d/%d (%d*), traces %d%% |", text[k], hold[k, "all"], tot[k, "all"],
                sg[k, "all"], 100 * ftr[k] / ntr_all[k] + 0.5
            for (i = 1; i <= 4; i++)
                for (j = 1; j <= nl[i]; j++)
                    printf " %d/%d (%d*) |", hold[k, levels[i, j]], tot[k, levels[i, j]], sg[k, levels[i, j]]
            printf "\n"
        }
        print "\n`h/n (s*)`: the claim holds in h of n conditions, significantly in s; traces: " \
            "the share of (condition, trace) pairs on which it holds.\n"
        print "## Every condition\n"
        printf "| cluster | DB | start-up | rate (load: median, range) |"
        for (c = 1; c <= 5; c++) printf " %s |", cl[c]
        printf "\n|---|---|---|---|"
        for (c = 1; c <= 5; c++) printf "---|"
        printf "\n"
        for (i = 1; i <= nc; i++) {
            split(conds[i], x, "|")
            printf "| %s | %s | %s | %s/h (%s, %s) |", x[4], x[2], x[3] == "0" ? "0" : "modelled",
                x[1], load[x[1]], lrange[x[1]]
            for (c = 1; c <= 5; c++) printf " %s |", cellfmt(r[conds[i], cl[c]])
            printf "\n"
        }
    }' "$out/claims.csv" >"$table"
echo "robustness.sh: table -> $table" >&2

# ---- 7. the figure: the share of traces on which each claim holds, per condition ----
gs_plot_checks "$figure" 1200,520
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -F, -v tmp="$tmp" -v loads="$out/loads.txt" "${order_args[@]}" "$order_awk"'
    BEGIN { while ((getline l < loads) > 0) { split(l, z, " "); load[z[1]] = z[3] } }
    NR == 1 { next }
    {
        cond = $1 "|" $2 "|" $3 "|" $4
        if (!(cond in seen)) { seen[cond] = 1; conds[++n] = cond }
        y = ($5 == "fifo-worst") ? 4 : ($5 == "dfs-most-jobs") ? 3 : ($5 == "db-fifo-tail") ? 2 : ($5 == "sia-behind") ? 1 : 0
        share[cond, y] = $7 / $8; mark[cond, y] = $6 ? ($15 ? "yes*" : "yes") : ""; has[cond, y] = 1
    }
    END {
        sort_conds(conds, n)
        printf "set xtics (" > (tmp "/xtics.gp")
        for (i = 1; i <= n; i++) {
            split(conds[i], x, "|")
            printf "%s\"%s/h (%s)\" %d", (i > 1 ? ", " : ""), x[1], load[x[1]], i - 1 > (tmp "/xtics.gp")
            for (y = 0; y <= 4; y++) { # every cell, NaN (drawn blank) where not judged
                if (!has[conds[i], y]) {
                    printf "%d %d NaN\n", i - 1, y > (tmp "/cells.dat")
                    continue
                }
                printf "%d %d %.4f\n", i - 1, y, share[conds[i], y] > (tmp "/cells.dat")
                if (mark[conds[i], y] != "")
                    printf "%d %d %s\n", i - 1, y, mark[conds[i], y] > (tmp "/marks.dat")
            }
            g = "cluster " x[4] ", DB " x[2] ", " su_name(x[3])
            if (i == 1 || g != last) {
                printf "set label \"%s\" at %d, 4.7 left rotate by 15 font \",8\"\n", g, i - 1 > (tmp "/groups.gp")
                if (i > 1)
                    printf "set arrow from %.1f, -0.5 to %.1f, 4.5 nohead lc rgb \"black\" lw 2 front\n", i - 1.5, i - 1.5 > (tmp "/groups.gp")
            }
            last = g
        }
        print ") rotate by 90 right font \",9\"" > (tmp "/xtics.gp")
    }' "$out/claims.csv"
[ -s "$tmp/cells.dat" ] || gs_die "no verdict to draw"
touch "$tmp/marks.dat" "$tmp/groups.gp"
{
    # gnuplot reads the \n in the double-quoted title as a line break
    printf 'set title "%s\\n%s" font ",10"\n' "Where the claims of the CLOUDSTARS D2.1 report hold" \
        "colour: share of the $ntraces traces on which a claim holds; yes: it holds on the means (*: significantly); blank: not judged"
    echo "set ytics (\"fifo worst\" 4, \"db-flat-scale lowest for most jobs\" 3, \"db-fifo best tail\" 2, \"Sia behind offline-informed\" 1, \"less knowledge worse\" 0)"
    cat "$tmp/xtics.gp"
    cat "$tmp/groups.gp"
    echo "set yrange [-0.5:6.5]"
    echo "set cbrange [0:1]"
    echo "set cblabel \"share of traces on which the claim holds\""
    echo "set palette defined (0 \"#b2182b\", 0.5 \"#fee08b\", 1 \"#2166ac\")"
    echo "set bmargin 8"
    echo "unset key"
    echo "plot \"$tmp/cells.dat\" using 1:2:3 with image notitle, \"$tmp/marks.dat\" using 1:2:3 with labels font \",8\" notitle"
} >"$tmp/plot.gp"
gs_plot_render "$tmp/plot.gp" 1200,520 "$figure" "$tmp"
echo "robustness.sh: figure -> $figure.png, $figure.svg" >&2
cat "$table"
