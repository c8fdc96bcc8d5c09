#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What a run is observed to do, checked against what it did: for every policy on the bundled
# trace, timeline.csv agrees with allocations.csv at every row (busy GPUs per type = the GPUs of
# the allocations active then) and has a row at every change of them; a sampled timeline
# agrees at its sampling times; users.csv and the new summary fields are there; busy energy,
# GPU-hours and cost equal the sums over allocations.csv and over jobs.csv; a lone job on an
# empty cluster has finish-time fairness 1; two jobs contending for one node get the FTF worked
# out by hand (docs/fairness.md).
#   tests/observe.sh GPUSIM SRC
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# check_timeline DIR SAMPLED: the timeline of run DIR against its allocations. Allocation
# starts and ends and timeline rows are merged in time order, a row after the allocation events
# of its own time (a row is the state after every event of its time). Unless SAMPLED, a time at
# which the busy GPUs changed must have a row.
check_timeline() {
    local d=$1 sampled=$2
    {
        awk -F, 'NR > 1 && $5 + 0 < $6 + 0 {
                print $5, 0, $2, $3; print $6, 0, $2, -$3 }' "$d/allocations.csv"
        awk -F, 'NR == 1 { print "H", 1, $0; next } { print $1, 2, $0 }' "$d/timeline.csv"
    } | LC_ALL=C sort -s -k1,1g -k2,2n | awk -v sampled="$sampled" '
        function vec(   s, k) { s = ""; for (k = 1; k <= nt; k++) s = s " " (busy[type[k]] + 0); return s }
        $1 == "H" {
            n = split($3, h, ",")
            for (k = 1; k <= n; k++) if (h[k] ~ /^busy_./ && h[k] != "busy_gpus") { type[++nt] = substr(h[k], 6); col[nt] = k }
            for (k = 1; k <= n; k++) if (h[k] == "busy_gpus") ctot = k
            next
        }
        {
            if (!sampled && $1 != t && seen_alloc && vec() != lastvec) {
                printf "busy GPUs changed at %s without a timeline row (%s after row %s)\n", t, vec(), lastvec
                bad++
            }
            if ($1 != t) seen_alloc = 0
            t = $1
        }
        $2 == 0 { busy[$3] += $4; seen_alloc = 1; next }
        {
            rows++
            split($3, f, ",")
            tot = 0
            for (k = 1; k <= nt; k++) {
                tot += f[col[k]]
                if (f[col[k]] != busy[type[k]] + 0) {
                    if (bad < 5) printf "row at %s: busy_%s %s, active allocations hold %d\n", $1, type[k], f[col[k]], busy[type[k]]
                    bad++
                }
            }
            if (tot != f[ctot]) { printf "row at %s: busy_gpus %s, per type %d\n", $1, f[ctot], tot; bad++ }
            lastvec = vec()
            seen_alloc = 0
        }
        END {
            if (rows == 0) { print "no timeline rows"; bad++ }
            exit bad > 0
        }' >"$tmp/why" || fail "$d: timeline.csv disagrees with allocations.csv: $(head -3 "$tmp/why")"
}

# A number of summary.json (first match of "key": value).
jnum() {
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\([-0-9.e+]*\),\{0,1\}$/\1/p" "$1" | head -1
}

# check_sums DIR: busy energy, GPU-hours and cost from allocations.csv (with the watts and price
# summary.json's cluster records per type) and from jobs.csv against summary.json.
check_sums() {
    local d=$1
    sums=$(awk -F, '
        FNR == 1 { file++ }
        file == 1 && /"gpu_type":/ { gsub(/[",]/, "", $0); split($0, a, ":[ \t]*"); t = a[2] }
        file == 1 && /"busy_watts":/ { gsub(/[,]/, "", $0); split($0, a, ":[ \t]*"); w[t] = a[2] }
        file == 1 && /"price_per_gpu_hour":/ { gsub(/[,]/, "", $0); split($0, a, ":[ \t]*"); pr[t] = a[2] }
        file == 2 && FNR > 1 { gs = $3 * ($6 - $5); e += gs * w[$2] / 3.6e6; c += gs / 3600 * pr[$2]; g += gs / 3600 }
        END { printf "%.6f %.6f %.6f\n", e, c, g }' "$d/summary.json" "$d/allocations.csv")
    read -r e_alloc c_alloc g_alloc <<<"$sums"
    read -r e_jobs c_jobs g_jobs < <(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
        { e += $c["energy_kwh"]; co += $c["cost"]; g += $c["gpu_hours"] }
        END { printf "%.6f %.6f %.6f\n", e, co, g }' "$d/jobs.csv")
    e_sum=$(jnum "$d/summary.json" busy)
    e_tot=$(jnum "$d/summary.json" total)
    e_idle=$(jnum "$d/summary.json" idle)
    c_sum=$(jnum "$d/summary.json" used)
    g_sum=$(jnum "$d/summary.json" gpu_hours)
    awk -v a="$e_alloc" -v b="$e_jobs" -v s="$e_sum" -v ca="$c_alloc" -v cb="$c_jobs" -v cs="$c_sum" \
        -v ga="$g_alloc" -v gb="$g_jobs" -v gsum="$g_sum" -v tot="$e_tot" -v idle="$e_idle" '
        function off(x, y) { d = x - y; if (d < 0) d = -d; return d > 1e-3 + 1e-6 * (y < 0 ? -y : y) }
        BEGIN {
            if (s == "" || cs == "" || gsum == "" || tot == "" || idle == "") { print "summary fields missing"; exit 1 }
            if (s + 0 <= 0) { print "no busy energy"; exit 1 }
            if (off(a, s) || off(b, s)) { printf "busy energy: summary %s, allocations %s, jobs %s\n", s, a, b; exit 1 }
            if (off(ca, cs) || off(cb, cs)) { printf "cost: summary %s, allocations %s, jobs %s\n", cs, ca, cb; exit 1 }
            if (off(ga, gsum) || off(gb, gsum)) { printf "GPU-hours: summary %s, allocations %s, jobs %s\n", gsum, ga, gb; exit 1 }
            if (off(s + idle, tot)) { printf "energy total %s is not busy %s + idle %s\n", tot, s, idle; exit 1 }
        }' >"$tmp/why" || fail "$d: $(cat "$tmp/why")"
}

# ---- every policy on the bundled trace ----
policies=$("$gpusim" policies | awk 'NF { print $1 }')
for p in $policies; do
    d=$tmp/default-$p
    if ! "$gpusim" run --trace traces/default.csv --policy "$p" --allow-unschedulable --no-progress \
        -q --out "$d" 2>"$tmp/err"; then
        fail "policy $p on traces/default.csv: $(cat "$tmp/err")"
        continue
    fi
    for f in timeline.csv users.csv jobs.csv allocations.csv summary.json; do
        [ -s "$d/$f" ] || fail "policy $p: no $f"
    done
    for k in ftf_mean ftf_p50 ftf_p99 ftf_over_1 jain_users_slowdown energy_kwh cost_usd \
        energy_kwh_per_type cost_usd_per_type timeline; do
        grep -q "\"$k\":" "$d/summary.json" || fail "policy $p: summary.json has no '$k'"
    done
    head -1 "$d/jobs.csv" | grep -q ',trace_line,user,ftf,slowdown,gpu_hours,energy_kwh,cost,startup_s,job_type$' ||
        fail "policy $p: jobs.csv header: $(head -1 "$d/jobs.csv")"
    head -1 "$d/users.csv" | grep -q '^user,jobs,finished,' || fail "policy $p: users.csv header"
    # users.csv accounts for every job once
    n_users=$(awk -F, 'NR > 1 { s += $2 } END { print s + 0 }' "$d/users.csv")
    n_jobs=$(($(wc -l <"$d/jobs.csv") - 1))
    [ "$n_users" = "$n_jobs" ] || fail "policy $p: users.csv counts $n_users jobs, jobs.csv has $n_jobs"
    check_timeline "$d" 0
    check_sums "$d"
    echo "ok: $p: timeline ($(($(wc -l <"$d/timeline.csv") - 1)) rows), users, energy and cost"
done

# ---- a sampled timeline ----
d=$tmp/sampled
if "$gpusim" run --trace traces/default.csv --policy db-fifo --sample-interval 600 --no-progress -q \
    --allow-unschedulable --out "$d" 2>"$tmp/err"; then
    check_timeline "$d" 1
    awk -F, 'NR > 1 && ($1 != (NR - 2) * 600 ".000000") { print "row " NR ": time " $1; bad = 1; exit }
        END { exit bad }' "$d/timeline.csv" >"$tmp/why" ||
        fail "--sample-interval 600: rows not at 0, 600, ...: $(cat "$tmp/why")"
    echo "ok: --sample-interval 600 ($(($(wc -l <"$d/timeline.csv") - 1)) rows)"
else
    fail "--sample-interval: $(cat "$tmp/err")"
fi
# the same inputs give the same bytes; --no-timeline leaves it out and changes nothing else
"$gpusim" run --trace traces/default.csv --policy db-fifo --sample-interval 600 --no-progress -q \
    --allow-unschedulable --out "$tmp/sampled2" &&
    cmp -s "$d/timeline.csv" "$tmp/sampled2/timeline.csv" || fail "timeline.csv differs between two runs"
"$gpusim" run --trace traces/default.csv --policy db-fifo --no-timeline --no-progress -q \
    --allow-unschedulable --out "$tmp/notl" && [ ! -e "$tmp/notl/timeline.csv" ] &&
    cmp -s "$tmp/default-db-fifo/jobs.csv" "$tmp/notl/jobs.csv" ||
    fail "--no-timeline: timeline.csv written, or other results changed"
"$gpusim" run --trace traces/default.csv --sample-interval 0 -q 2>/dev/null
[ $? -eq 2 ] || fail "--sample-interval 0 is not a usage error"

# ---- finish-time fairness by hand ----
hdr=job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time
cat >"$tmp/one_node.json" <<'EOF'
{"schema_version": 1, "name": "one-node",
 "node_groups": [{"gpu_type": "A100-80GB", "gpus_per_node": 8, "nodes": 1}]}
EOF
{
    echo "$hdr"
    echo "1,u1,1,8,8,SFT,COMPLETED,2023-03-01 09:00:00+08:00,,,100,0,800"
} >"$tmp/lone.csv"
{
    echo "$hdr"
    echo "1,u1,1,8,8,SFT,COMPLETED,2023-03-01 09:00:00+08:00,,,100,0,800"
    echo "2,u2,1,8,8,SFT,COMPLETED,2023-03-01 09:00:00+08:00,,,100,0,800"
} >"$tmp/two.csv"
# column of jobs.csv by name, for job $3 (1-based data row)
col() {
    awk -F, -v c="$2" -v r="$3" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == c) i = k; next }
        NR == r + 1 { print $i }' "$1"
}
# A lone job on an empty cluster: every policy that starts it at once on its own configuration
# (fifo, db-*) gives FTF 1. The round-based Sia policies wait for the next round and grow the job
# from 1 GPU, paying restarts, and score above 1 (docs/fairness.md); they are checked for that.
for p in $policies; do
    "$gpusim" run --trace "$tmp/lone.csv" --cluster "$tmp/one_node.json" --db tests/data/tiny_db.json \
        --policy "$p" --no-progress -q --out "$tmp/lone-$p" 2>"$tmp/err" ||
        { fail "lone job, $p: $(cat "$tmp/err")"; continue; }
    ftf=$(col "$tmp/lone-$p/jobs.csv" ftf 1)
    case $p in
    sia-*) awk -v f="$ftf" 'BEGIN { exit !(f > 1) }' || fail "lone job, $p: FTF $ftf, expected > 1" ;;
    *) [ "$ftf" = 1.000000 ] || fail "lone job, $p: FTF $ftf, expected 1.000000" ;;
    esac
    echo "ok: lone job, $p: FTF $ftf"
done
# Two 8-GPU jobs of 100 s submitted together on one 8-GPU node, fifo. Each start costs the
# cluster's default start-up, 60 s (30 s scheduling, 30 s initialisation; the tiny DB gives no
# sizes to load), so each recorded 100 s is 60 s of start-up and 40 s of work. Job 1 holds the
# node [0, 100] with 2 jobs contending (N = 2, fair share 4 GPUs: alone on it it would take
# 60 + 40 x 8/4 = 140 s): FTF 100/140 = 0.714286. Job 2 waits, holds it [100, 200]: N = (2 x 100
# + 1 x 100) / 200 = 1.5, share 16/3 GPUs, ideal 60 + 40 x 8 / (16/3) = 120 s: FTF 200/120 =
# 1.666667.
"$gpusim" run --trace "$tmp/two.csv" --cluster "$tmp/one_node.json" --db tests/data/tiny_db.json \
    --policy fifo --no-progress -q --out "$tmp/two" 2>"$tmp/err" || fail "two jobs: $(cat "$tmp/err")"
f1=$(col "$tmp/two/jobs.csv" ftf 1)
f2=$(col "$tmp/two/jobs.csv" ftf 2)
[ "$f1" = 0.714286 ] && [ "$f2" = 1.666667 ] ||
    fail "two jobs on one node: FTF $f1 and $f2, expected 0.714286 and 1.666667"
grep -q '"ftf_over_1":[[:space:]]*0.500000' "$tmp/two/summary.json" ||
    fail "two jobs: summary ftf_over_1 is not 0.5"
echo "ok: two jobs on one node: FTF $f1 and $f2"

[ $fails -eq 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "all observation checks passed"
