#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Command-line behaviour: help and version, policies, usage errors (exit 2), run-time errors
# (exit 1, one message naming file/line/field, no result folder), atomic outputs, byte-identical
# reruns, invariants of jobs.csv, and cdf-compare.
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect STATUS CMD...: runs CMD, keeps stdout/stderr in $tmp/out, $tmp/err
expect() {
    local want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" -eq "$want" ] || fail "exit $got (want $want): $* :: $(head -c 400 "$tmp/err")"
}
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1 of the last command: $(head -c 400 "$tmp/$1")"; }
one_line() { [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "expected one line on stderr: $(cat "$tmp/err")"; }

T=$src/tests/data/small_trace.csv
DB=$src/tests/data/tiny_db.json
CL=$src/tests/data/tiny_cluster.json
run=("$gpusim" --trace "$T" --db "$DB" --cluster "$CL" --no-progress)

# ---- help, version, policies ----
expect 0 "$gpusim" --help
has out "usage: gpusim"
expect 0 "$gpusim" --version
grep -qx "gpusim [0-9]*\.[0-9]*\.[0-9]*" "$tmp/out" || fail "version: $(cat "$tmp/out")"
for c in $("$gpusim" --help | awk '/^commands:/{f=1;next} f&&/^  [a-z]/{print $1}'); do
    expect 0 "$gpusim" "$c" --help
    has out "usage: gpusim"
done
expect 0 "$gpusim" policies
has out "^fifo"
expect 0 "$gpusim" --policy help
has out "^fifo"

# ---- usage errors: exit 2 with a hint ----
expect 2 "$gpusim"
expect 2 "$gpusim" --bogus
has err "Try 'gpusim"
expect 2 "$gpusim" frobnicate
has err "unknown command"
expect 2 "${run[@]}" --seed abc
has err "seed"
expect 2 "${run[@]}" --policy nosuch
has err "fifo"
expect 2 "$gpusim" run --policy fifo
has err "missing --trace"
expect 2 "${run[@]}" --knowledge-error -1
expect 2 "${run[@]}" --out
expect 2 "${run[@]}" extra-argument
expect 2 "$gpusim" cdf-compare onlyone.csv
expect 2 "$gpusim" policies --nope
expect 2 "${run[@]}" --format helios2
has err "format"
# a Sia workload without Sia's data above it, and one with a synthetic DB folder that lacks it
printf 'name,time,application,num_replicas,batch_size\na,0,cifar10,2,256\n' >"$tmp/sia.csv"
expect 1 "$gpusim" --trace "$tmp/sia.csv" --policy fifo
has err "give --db sia:DIR"
expect 1 "$gpusim" --trace "$tmp/sia.csv" --policy fifo --db "sia:$tmp/nosuch"
has err "not a folder"
expect 1 "${run[@]}" --format sia
has err "missing required column 'name'"

# ---- a run: outputs, determinism, invariants ----
expect 0 "${run[@]}" --out "$tmp/r1" --seed 5 --force
for f in jobs.csv jct_cdf.csv allocations.csv users.csv timeline.csv summary.json; do
    [ -s "$tmp/r1/$f" ] || fail "missing $f"
done
ls -a "$tmp" | grep -q '\.tmp-' && fail "temporary folder left behind"
cp -r "$tmp/r1" "$tmp/r1.copy"
expect 0 "${run[@]}" --out "$tmp/r1" --seed 5 --force
for f in jobs.csv jct_cdf.csv allocations.csv users.csv timeline.csv summary.json; do
    cmp -s "$tmp/r1/$f" "$tmp/r1.copy/$f" || fail "$f differs between identical runs"
done
expect 0 "${run[@]}" --out "$tmp/r2" --seed 6
cmp -s "$tmp/r1/jobs.csv" "$tmp/r2/jobs.csv" && fail "another seed gave the same jobs.csv"
has_json() { grep -q "\"$1\"" "$tmp/r1/summary.json" || fail "summary.json lacks $1"; }
for k in jobs finished unfinished p50 p90 p95 p99 makespan utilization seed gpusim_version command sha256; do
    has_json "$k"
done
# every job appears once; start >= submit; jct = finish - submit; fifo starts in submission order
awk -F, 'NR > 1 {
    n++
    if ($4 != "" && $4 + 1e-9 < $3) { print "start before submit: " $0; bad++ }
    if ($5 != "" && ($6 - ($5 - $3) > 1e-5 || ($5 - $3) - $6 > 1e-5)) { print "jct: " $0; bad++ }
    if ($4 != "") { if ($4 + 1e-9 < last) { print "fifo order: " $0; bad++ } last = $4 }
} END { if (n != 34) { print "rows: " n; bad++ } exit bad > 0 }' "$tmp/r1/jobs.csv" ||
    fail "jobs.csv invariants"
# no GPU type over-allocated at any instant (capacity 8 each), from jobs.csv and allocations.csv
overalloc() {
    awk -F, -v s="$2" -v e="$3" -v t="$4" -v g="$5" 'NR > 1 && $s != "" {
        print $s, 1, $t, $g; print $e, 0, $t, $g }' "$1" | sort -k1,1g -k2,2n |
        awk '{ if ($2 == 1) { u[$3] += $4; if (u[$3] > 8) { print "over: " $0; bad = 1 } }
               else u[$3] -= $4 } END { exit bad }'
}
overalloc "$tmp/r1/jobs.csv" 14 5 8 9 || fail "over-allocation in jobs.csv"
overalloc "$tmp/r1/allocations.csv" 5 6 2 3 || fail "over-allocation in allocations.csv"
grep -q ',failed$' "$tmp/r1/allocations.csv" || fail "expected some failed starts (big on V100)"

# the summary goes to stdout without --out
expect 0 "${run[@]}"
has out '"jct"'
has out '"jct_completed"'
has out '"lifecycle"'

# ACME end states: --states selects them (bad names are usage errors); the lifecycle options
expect 2 "${run[@]}" --states DONE
has err "DONE"
expect 2 "${run[@]}" --preemption soft
expect 2 "${run[@]}" --checkpoint-interval 0
expect 0 "${run[@]}" --states COMPLETED --preemption abrupt --checkpoint-interval 600 --out "$tmp/st"
grep -q '"states":[[:space:]]*"COMPLETED"' "$tmp/st/summary.json" || fail "states not recorded"
grep -q '"preemption":[[:space:]]*"abrupt"' "$tmp/st/summary.json" || fail "preemption not recorded"
grep -q '"checkpoint_interval_s":[[:space:]]*600' "$tmp/st/summary.json" ||
    fail "checkpoint interval not recorded"
# the bundled trace has ACME's states: its CANCELLED rows alone end as cancelled
if [ -f "$src/traces/default.csv" ]; then
    ncanc=$(awk -F, 'NR > 1 && $7 == "CANCELLED"' "$src/traces/default.csv" | wc -l)
    [ "$ncanc" -gt 10 ] || fail "the bundled trace has only $ncanc CANCELLED rows"
    expect 0 "$gpusim" --trace "$src/traces/default.csv" --states cancelled --no-progress -q \
        --allow-unschedulable --out "$tmp/canc"
    awk -F, -v want="$ncanc" 'NR > 1 { n++; if ($12 != "cancelled" && $12 != "unschedulable") bad++ }
        END { exit (bad > 0 || n != want) }' "$tmp/canc/jobs.csv" ||
        fail "--states cancelled: not $ncanc cancelled rows"
    grep -q "\"cancelled\":[[:space:]]*$ncanc" "$tmp/canc/summary.json" || fail "cancelled count"
fi

# an existing result folder is refused without --force and left alone
expect 1 "${run[@]}" --out "$tmp/r1"
has err "exists"
cmp -s "$tmp/r1/jobs.csv" "$tmp/r1.copy/jobs.csv" || fail "existing folder was touched"

# ---- bad inputs: exit 1, one line naming file and line, no result folder ----
bad() { # NAME CONTENT [extra args]: a trace with CONTENT must fail naming NAME
    local name=$1 content=$2
    shift 2
    printf '%b' "$content" >"$tmp/bad.csv"
    expect 1 "$gpusim" --trace "$tmp/bad.csv" --db "$DB" --cluster "$CL" --out "$tmp/nope" "$@"
    one_line
    has err "bad.csv"
    has err "$name"
    [ -e "$tmp/nope" ] && fail "result folder left after a failed run ($name)"
    ls -a "$tmp" | grep -q '^\.nope' && fail "temporary folder left after a failed run ($name)"
}
H='job_id,gpu_num,type,submit_time,duration\n'
bad "line 1: missing required column 'duration'" 'job_id,gpu_num,type,submit_time\n1,1,SFT,2023-03-01 00:00:00+08:00\n'
bad "line 3: column 'gpu_num'" "${H}1,1,SFT,2023-03-01 00:00:00+08:00,5\n2,x,SFT,2023-03-01 00:00:00+08:00,5\n"
bad "line 2: column 'gpu_num'" "${H}1,-1,SFT,2023-03-01 00:00:00+08:00,5\n"
bad "line 2: column 'duration'" "${H}1,1,SFT,2023-03-01 00:00:00+08:00,-5\n"
bad "line 2: column 'duration'" "${H}1,1,SFT,2023-03-01 00:00:00+08:00,five\n"
bad "line 2: column 'submit_time'" "${H}1,1,SFT,2023-03-01 25:00:00+08:00,5\n"
bad "line 3: unterminated" "${H}1,1,SFT,2023-03-01 00:00:00+08:00,5\n\"2,1,SFT,x,5\n"
bad "line 1: empty file" ""
bad "no job matches type 'SFT'" "${H}1,1,Eval,2023-03-01 00:00:00+08:00,5\n"
printf '{"schema_version": 1,\n "node_groups": [\n  {"gpu_type": "A100-80GB" "nodes": 1}]}\n' >"$tmp/c.json"
expect 1 "${run[@]::3}" --db "$DB" --cluster "$tmp/c.json" --out "$tmp/nope"
one_line
has err "c.json' line 3"
printf '{"schema_version": 1,\n "node_groups": [\n  {"gpu_type": "TPUv5", "nodes": 1}]}\n' >"$tmp/c.json"
expect 1 "${run[@]::3}" --db "$DB" --cluster "$tmp/c.json" --out "$tmp/nope"
one_line
has err "line 3: field 'node_groups\[0\].gpu_type': unknown GPU type 'TPUv5'"
[ -e "$tmp/nope" ] && fail "result folder left after a failed run"
expect 1 "${run[@]::3}" --db "$DB" --cluster "$CL" --out "$tmp/nope" --trace /nonexistent.csv
has err "nonexistent.csv"

# a job larger than any GPU pool: reported, the run finishes, exit 1 unless allowed
printf '%b' "${H}big,64,SFT,2023-03-01 00:00:00+08:00,5\nok,1,SFT,2023-03-01 00:00:01+08:00,5\n" >"$tmp/u.csv"
expect 1 "$gpusim" --trace "$tmp/u.csv" --db "$DB" --cluster "$CL" --out "$tmp/u1"
has err "u.csv' line 2: field 'gpu_num'"
grep -q '^big,.*,unschedulable,' "$tmp/u1/jobs.csv" || fail "unschedulable job not in jobs.csv"
grep -q '^ok,.*,finished,' "$tmp/u1/jobs.csv" || fail "the other job did not finish"
expect 0 "$gpusim" --trace "$tmp/u.csv" --db "$DB" --cluster "$CL" --out "$tmp/u2" --allow-unschedulable

# ---- cdf-compare ----
expect 0 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/r1.copy/jct_cdf.csv" --max-ks 0
has out "ks 0.000000"
expect 0 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/r1/jobs.csv" --max-ks 0.000001
awk -F, 'NR == 1 { print; next } { printf "%.6f,%s\n", $1 * 1.5, $2 }' "$tmp/r1/jct_cdf.csv" >"$tmp/shift.csv"
expect 1 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/shift.csv" --max-ks 0.01
has err "exceeds"
expect 0 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/shift.csv"
printf 'jct,fraction\n1,0.5\n2,0.4\n' >"$tmp/dec.csv"
expect 2 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/dec.csv"
has err "line 3"
expect 2 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/missing.csv"
printf 'a,b\n1,2\n' >"$tmp/nojct.csv"
expect 2 "$gpusim" cdf-compare "$tmp/nojct.csv" "$tmp/r1/jct_cdf.csv"
has err "jct"
expect 2 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/r1/jct_cdf.csv" --max-ks 2
# the p-value, other columns, result folders, several seeds
expect 0 "$gpusim" cdf-compare "$tmp/r1" "$tmp/r1.copy" --column queue_delay --alpha 0.05
has out "ks 0.000000 at queue_delay .*, p 1.000000 (n 34 and 34)"
expect 0 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/r1/jobs.csv"
has out "(n 34 and 34)" # inferred from the fractions of jct_cdf.csv
expect 2 "$gpusim" cdf-compare "$tmp/r1/jct_cdf.csv" "$tmp/r1/jobs.csv" --column ftf
has err "missing column 'ftf'"
expect 2 "$gpusim" cdf-compare "$tmp/r1" "$tmp/r1" --column nosuch
has err "missing column 'nosuch'"
expect 2 "$gpusim" cdf-compare "$tmp/r1" "$tmp/r1" --alpha 1
# fifo against db-flat-scale: far apart (0.3 or more) and significant; the shifted copy is far
# apart but not significant with 34 jobs, which --alpha then tolerates
"${run[@]}" -q --out "$tmp/dfs" --policy db-flat-scale --seed 5 || fail "db-flat-scale run"
expect 1 "$gpusim" cdf-compare "$tmp/r1" "$tmp/dfs" --max-ks 0.3 --alpha 0.01
has err "under --alpha"
for s in 1 2 3; do
    "${run[@]}" -q --out "$tmp/sa/s$s" --seed $s && cp -r "$tmp/sa/s$s" "$tmp/sb.s$s" &&
        "${run[@]}" -q --out "$tmp/sc/s$s" --seed $s --policy db-flat-scale || fail "seed runs"
done
mkdir -p "$tmp/sb" && mv "$tmp"/sb.s* "$tmp/sb/"
expect 0 "$gpusim" cdf-compare --seeds "$tmp/sa" "$tmp/sb" --max-ks 0 --alpha 0.05
has out "^seed 3: ks 0.000000, p 1.000000 (n 34 and 34)"
has out "^pooled (3 runs in A, 3 in B): ks 0.000000"
has out "^seed-to-seed within A (3 pairs)"
expect 1 "$gpusim" cdf-compare --seeds "$tmp/sa" "$tmp/sc" --column jct --alpha 0.001
has out "(n 102 and 102)"
cp -r "$tmp/sa/s1" "$tmp/sa/s1again"
expect 2 "$gpusim" cdf-compare --seeds "$tmp/sa" "$tmp/sb"
has err "two runs with seed 1"

# ---- --no-startup: start-up and checkpoint costs 0 (robustness.sh's start-up axis) ----
expect 0 "$gpusim" run --trace "$src/traces/default.csv" --policy db-flat-scale --no-startup \
    --allow-unschedulable -q
has out '"schedule_s":[[:space:]]*0.000000'
has out '"restart_delay":[[:space:]]*0.000000'
awk -F'[:,]' '/"startup_gpu_hours"/ { exit !($2 + 0 < 0.01) }' "$tmp/out" ||
    fail "--no-startup still spends GPU-hours starting up: $(grep startup_gpu_hours "$tmp/out")"
expect 0 "$gpusim" run --trace "$src/traces/default.csv" --policy db-flat-scale --allow-unschedulable -q
awk -F'[:,]' '/"startup_gpu_hours"/ { exit !($2 + 0 > 10) }' "$tmp/out" ||
    fail "the modelled start-ups cost nothing: $(grep startup_gpu_hours "$tmp/out")"

# ---- validate ----
expect 0 "$gpusim" validate --db "$DB" --cluster "$CL" --trace "$T"
has out "34 jobs"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "cli: all checks passed"
