#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Trace formats through the command line: the committed test traces are what
# scripts/make_test_traces.sh makes; every malformed variant fails with exit 1 and one line naming
# its file, line, field and value, and leaves no result folder; every good one runs; --format
# auto says what it chose (not with -q); --format NAME forces; unknown names are usage errors.
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() {
    local want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" -eq "$want" ] || fail "exit $got (want $want): $* :: $(head -c 400 "$tmp/err")"
}
has() { grep -q -F -- "$2" "$tmp/$1" || fail "'$2' not in $1: $(head -c 400 "$tmp/$1")"; }
hasnt() { ! grep -q -F -- "$2" "$tmp/$1" || fail "'$2' in $1: $(head -c 400 "$tmp/$1")"; }
D=$src/tests/data/traces
CL=$src/tests/data/tiny_cluster.json
DB=$src/tests/data/tiny_db.json

# ---- the committed files are the script's output ----
bash "$src/scripts/make_test_traces.sh" --out "$tmp/regen" >"$tmp/out" 2>&1 ||
    fail "make_test_traces.sh: $(cat "$tmp/out")"
diff -r "$D" "$tmp/regen" >"$tmp/diff" 2>&1 ||
    fail "tests/data/traces differs from what scripts/make_test_traces.sh makes: $(head -c 400 "$tmp/diff")"
rm -rf "$tmp/regen"

# ---- malformed variants: exit 1, one line with file, line, field and value; no output ----
n=0
while IFS=$'\t' read -r trace format tasks file line field value; do
    case $trace in '#'*) continue ;; esac
    args=(--trace "$D/$trace" --format "$format")
    [ "$tasks" = - ] || args+=(--task-table "$D/$tasks")
    expect 1 "$gpusim" validate "${args[@]}"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$trace: expected one line: $(cat "$tmp/err")"
    has err "$D/$file"
    grep -Eq "line ${line}[^0-9]" "$tmp/err" || fail "$trace: no 'line $line': $(cat "$tmp/err")"
    has err "$field"
    has err "$value"
    expect 1 "$gpusim" run "${args[@]}" --cluster "$CL" --db "$DB" --out "$tmp/res" -q
    [ ! -e "$tmp/res" ] || fail "$trace: a result folder was left"
    n=$((n + 1))
done <"$D/MALFORMED.tsv"
[ "$n" -ge 15 ] || fail "only $n malformed cases"
[ -z "$(find "$tmp" -name '*.tmp-*')" ] || fail "temporary files left: $(find "$tmp" -name '*.tmp-*')"

# ---- good traces: detection said on stderr, runs, summary names the format ----
k=0
check() { # FORMAT TRACE [ARGS...]
    local f=$1 t=$2
    shift 2
    k=$((k + 1))
    expect 0 "$gpusim" arrivals --trace "$t" "$@"
    has err "format $f (detected:"
    expect 0 "$gpusim" arrivals --trace "$t" -q "$@"
    [ ! -s "$tmp/err" ] || fail "-q still printed: $(cat "$tmp/err")"
    expect 0 "$gpusim" run --trace "$t" --cluster "$CL" --db "$DB" --policy fifo --classes db-mix \
        --allow-unschedulable --out "$tmp/r-$k" -q "$@"
    grep -Eq "\"format\":[[:space:]]*\"$f\"" "$tmp/r-$k/summary.json" ||
        fail "$t: summary.json does not name format $f"
}
check acme "$D/acme/trace.csv" --job-type all
check acme "$D/acme/trace_reordered.csv"
check helios "$D/helios/cluster_log.csv"
check helios "$D/helios/cluster_log_reordered.csv"
check philly "$D/philly/cluster_job_log"
check philly "$D/philly/cluster_job_log_reordered.jsonl"
check pai "$D/pai"
check pai "$D/pai/pai_job_table.csv"
check pai "$D/pai_reordered/pai_job_table.csv"
# the PAI task table is an input of the run
grep -q '"trace_tasks"' "$tmp/r-$k/summary.json" || fail "no trace_tasks input in summary.json"

# the default class mapping names classes the tiny DB lacks: a located error, not a silent pass
expect 1 "$gpusim" run --trace "$D/acme/trace.csv" --job-type all --cluster "$CL" --db "$DB" -q
has err "acme/trace.csv' line "
has err "default.json' line "
has err "has no class"

# ---- forced formats, unknown names, the task table given as the trace ----
expect 0 "$gpusim" validate --trace "$D/helios/cluster_log.csv" --format helios
hasnt out "detected"
has out "format helios"
expect 1 "$gpusim" validate --trace "$D/helios/cluster_log.csv" --format pai
expect 2 "$gpusim" validate --trace "$D/helios/cluster_log.csv" --format csv
has err "acme, helios, philly, pai"
expect 2 "$gpusim" run --trace "$D/helios/cluster_log.csv" --format csv
expect 1 "$gpusim" validate --trace "$D/pai/pai_task_table.csv" --format auto
expect 1 "$gpusim" validate --trace "$D/pai_reordered/pai_task_table.csv"
has err "--task-table"
expect 1 "$gpusim" validate --trace "$D/helios/cluster_log.csv" --job-type SFT
has err "no job types"

[ "$fails" -eq 0 ] || {
    echo "$fails failure(s)" >&2
    exit 1
}
echo "trace formats: all checks passed ($n malformed variants)"
