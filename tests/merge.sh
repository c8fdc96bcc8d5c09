#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `gpusim merge` and `gpusim arrivals` on the command line: tables written atomically (none at
# all when one fails), errors naming file and line (exit 1), usage errors (exit 2), and the same
# bytes from the same folders.
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

run=("$gpusim" run --trace "$src/tests/data/small_trace.csv" --db "$src/tests/data/tiny_db.json"
    --cluster "$src/tests/data/tiny_cluster.json" -q)
"${run[@]}" --seed 1 --out "$tmp/r/a" &&
    "${run[@]}" --seed 2 --policy db-flat --param starve_limit=7 --out "$tmp/r/b" ||
    fail "runs"

expect 0 "$gpusim" merge "$tmp/r" -o "$tmp/t/runs.csv" --jobs "$tmp/t/jobs.csv" --cdf "$tmp/t/cdf.csv" --by seed
[ "$(wc -l <"$tmp/t/runs.csv")" -eq 3 ] || fail "runs.csv lines"
[ "$(wc -l <"$tmp/t/jobs.csv")" -eq 69 ] || fail "jobs.csv lines"
head -n 1 "$tmp/t/cdf.csv" | grep -qx "seed,jct,fraction" || fail "cdf.csv header"
ls -a "$tmp/t" | grep -q tmp && fail "temporary file left"
expect 0 "$gpusim" merge "$tmp/r/b" "$tmp/r/a"
has out "param.starve_limit"
[ "$(sed -n 2p "$tmp/out" | cut -d, -f1)" = "$tmp/r/b" ] || fail "runs not in the order given"
expect 0 "$gpusim" merge "$tmp/r"
cmp -s "$tmp/out" "$tmp/t/runs.csv" || fail "stdout and -o differ"
expect 0 "$gpusim" merge "$tmp/r" --cdf - -o "$tmp/t/r2.csv"
has out "^policy,jct,fraction"

# errors: the file and line, exit 1, and no table at all
printf '{\n "policy": "fifo",\n  oops\n}\n' >"$tmp/r/a/summary.json"
expect 1 "$gpusim" merge "$tmp/r" -o "$tmp/t2/runs.csv"
has err "r/a/summary.json' line 3"
[ -e "$tmp/t2/runs.csv" ] && fail "a table was written by a failed merge"
cp "$tmp/r/b/summary.json" "$tmp/r/a/summary.json"
rm "$tmp/r/b/jobs.csv"
expect 1 "$gpusim" merge "$tmp/r" -o "$tmp/t2/runs.csv" --jobs "$tmp/t2/jobs.csv"
has err "r/b/jobs.csv"
[ -e "$tmp/t2/runs.csv" ] || [ -e "$tmp/t2/jobs.csv" ] && fail "a table was written by a failed merge"
expect 1 "$gpusim" merge "$tmp/nothing"
has err "nothing': no such file or folder"
mkdir "$tmp/empty"
expect 1 "$gpusim" merge "$tmp/empty"
has err "no result folder"

# usage
expect 2 "$gpusim" merge
has err "Try 'gpusim merge --help'"
expect 2 "$gpusim" merge "$tmp/r" --by policy
expect 2 "$gpusim" merge "$tmp/r" --jobs -
expect 2 "$gpusim" merge "$tmp/r" --bogus
expect 2 "$gpusim" merge "$tmp/r" -o

# arrivals
expect 0 "$gpusim" arrivals --trace "$src/tests/data/small_trace.csv" --bin 600
has out "^hour,start,jobs"
has out "^0.166667,2023-03-01 09:10:47+08:00,"
expect 1 "$gpusim" arrivals --trace "$tmp/none.csv"
has err "none.csv"
expect 2 "$gpusim" arrivals
expect 2 "$gpusim" arrivals --trace x --bin 0
expect 2 "$gpusim" arrivals --trace x extra

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "merge: all checks passed"
