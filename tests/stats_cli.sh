#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `gpusim stats` and `gpusim paired` on the command line: means with intervals per group, paired
# tests over traces, from result folders or a runs table alike; the same bytes for the same
# input and seed; errors naming what is wrong (exit 1) and usage errors (exit 2).
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
    [ "$got" -eq "$want" ] || fail "exit $got (want $want): $* :: $(head -c 300 "$tmp/err")"
}
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1: $(head -c 300 "$tmp/$1")"; }

# three traces (the small trace, shifted and thinned), two policies on each
T=$src/tests/data/small_trace.csv
cp "$T" "$tmp/t1.csv"
awk -F, 'NR == 1 || NR % 2 == 0' "$T" >"$tmp/t2.csv"
awk -F, 'NR == 1 || NR % 3 != 0' "$T" >"$tmp/t3.csv"
for t in 1 2 3; do
    for p in fifo db-fifo; do
        "$gpusim" run --trace "$tmp/t$t.csv" --db "$src/tests/data/tiny_db.json" \
            --cluster "$src/tests/data/tiny_cluster.json" -q --policy $p \
            --out "$tmp/r/t$t/$p" || fail "run t$t $p"
    done
done
"$gpusim" merge "$tmp/r" -o "$tmp/runs.csv" || fail "merge"

expect 0 "$gpusim" stats "$tmp/r" -m jct_mean,jct_p99,load
head -n 1 "$tmp/out" | grep -qx "policy,metric,n,mean,ci_lo,ci_hi,sd,min,max" || fail "stats header"
[ "$(wc -l <"$tmp/out")" -eq 7 ] || fail "stats rows: $(cat "$tmp/out")"
grep -q '^fifo,jct_mean,3,' "$tmp/out" || fail "fifo jct_mean over 3 traces"
# the mean is the mean of the runs' values
want=$(awk -F, -v c="$(head -n 1 "$tmp/runs.csv" | tr , '\n' | grep -nx jct_mean | cut -d: -f1)" \
    -v p="$(head -n 1 "$tmp/runs.csv" | tr , '\n' | grep -nx policy | cut -d: -f1)" \
    'NR > 1 && $p == "fifo" { s += $c; n++ } END { printf "%.6f", s / n }' "$tmp/runs.csv")
grep -q "^fifo,jct_mean,3,$want," "$tmp/out" || fail "fifo mean is not $want: $(cat "$tmp/out")"
cp "$tmp/out" "$tmp/stats1"
expect 0 "$gpusim" stats "$tmp/runs.csv" -m jct_mean,jct_p99,load
cmp -s "$tmp/out" "$tmp/stats1" || fail "a runs table and the folders give different stats"
expect 0 "$gpusim" stats "$tmp/runs.csv" --by policy,trace -m jct_mean
[ "$(wc -l <"$tmp/out")" -eq 7 ] || fail "by policy,trace: $(cat "$tmp/out")"
expect 0 "$gpusim" stats "$tmp/runs.csv" --where policy=db-fifo --markdown -m jct_mean,load
has out "^| policy | runs | jct_mean | load |"
has out "^| db-fifo | 3 | "
grep -q fifo "$tmp/out" && grep -q '^| fifo' "$tmp/out" && fail "--where kept fifo"
expect 1 "$gpusim" stats "$tmp/runs.csv" -m no_such_metric
has err "no column 'no_such_metric'; they have: run, policy"
expect 1 "$gpusim" stats "$tmp/runs.csv" --where policy=none
has err "no run is left"
expect 2 "$gpusim" stats "$tmp/runs.csv" --level 2
expect 2 "$gpusim" stats
expect 1 "$gpusim" stats "$tmp/none"

expect 0 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b db-fifo
has out "jct_mean: policy 'fifo' (a) vs 'db-fifo' (b), 3 pairs on trace_sha256"
has out "Wilcoxon signed-rank"
expect 0 "$gpusim" paired "$tmp/runs.csv" --metric jct_mean --a fifo --b db-fifo --csv
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "paired --csv lines"
has out "^jct_mean,policy,fifo,db-fifo,3,0,"
cp "$tmp/out" "$tmp/p1"
expect 0 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b db-fifo --csv
cmp -s "$tmp/out" "$tmp/p1" || fail "paired differs between the folders and the table"
# a second fifo run on trace 1 (another seed): which one to pair is ambiguous
"$gpusim" run --trace "$tmp/t1.csv" --db "$src/tests/data/tiny_db.json" --seed 2 \
    --cluster "$src/tests/data/tiny_cluster.json" -q --policy fifo --out "$tmp/r/t1/fifo-s2"
expect 1 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b db-fifo
has err "two runs of policy 'fifo' on trace_sha256 .*--where"
expect 0 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b db-fifo --where seed=1
expect 1 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b db-flat --where seed=1
has err "0 pair(s)"
expect 2 "$gpusim" paired "$tmp/r" --metric jct_mean --a fifo --b fifo
expect 2 "$gpusim" paired "$tmp/r" --a fifo --b db-fifo
expect 0 "$gpusim" paired --help
expect 0 "$gpusim" stats --help

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "stats_cli: all checks passed"
