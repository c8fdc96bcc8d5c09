#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/experiments/robustness.sh on a tiny grid: independent traces per rate, one sweep per
# (DB, start-up) in one manifest (--manifest-only stops there, as for a Slurm array), a verdict
# per claim and condition with its spread, the table and the figure, and the same bytes when it
# is run again. Exits 77 without gnuplot or GNU parallel.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
command -v gnuplot >/dev/null && command -v parallel >/dev/null ||
    { echo "SKIP: needs gnuplot and GNU parallel (scripts/deps.sh --test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
export GPUSIM=$gpusim
R=$src/scripts/experiments/robustness.sh
pols=fifo,db-fifo,db-flat-scale,sia-unaware,sia-aware
startups=default,0
grid=(--rates 3 --dbs default --startup "$startups" --clusters default --policies "$pols"
    --traces 2 --days 2 --source-rate 20 --out "$tmp/r" --table "$tmp/t.md" --figure "$tmp/fig"
    -j 2 --no-progress)

"$R" "${grid[@]}" --manifest-only 2>"$tmp/err" || fail "--manifest-only: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/r/manifest.txt")" -eq 20 ] || fail "manifest: $(wc -l <"$tmp/r/manifest.txt") lines, not 2 x 5 x 2"
grep -q "scripts/slurm/submit.sh $tmp/r/manifest.txt" "$tmp/err" || fail "no submit hint: $(cat "$tmp/err")"
[ -e "$tmp/r/runs.csv" ] && fail "--manifest-only ran the sweep"
grep -c -- "--no-startup" "$tmp/r/manifest.txt" | grep -qx 10 ||
    fail "start-up 0 is not in half of the runs"
[ "$(grep -c '"reused_jobs":[[:space:]]*0' "$tmp/r/samples/r3/sample.json")" -eq 2 ] ||
    fail "the traces reuse jobs"
"$R" "${grid[@]}" --manifest-only --sia-max-rate 2 --out "$tmp/r2" 2>/dev/null
[ "$(wc -l <"$tmp/r2/manifest.txt")" -eq 12 ] && ! grep -q -- "--policy sia-" "$tmp/r2/manifest.txt" ||
    fail "--sia-max-rate 2 kept Sia runs at 3/h"
rm -rf "$tmp/r2"

"$R" "${grid[@]}" >"$tmp/out" 2>"$tmp/err" || fail "robustness.sh: $(tail -n 3 "$tmp/err")"
[ "$(find "$tmp/r/runs" -name summary.json | wc -l)" -eq 20 ] || fail "not 20 runs"
# claims.csv: 5 claims x 2 conditions, each with its traces and a factor with its interval
[ "$(wc -l <"$tmp/r/claims.csv")" -eq 11 ] || fail "claims.csv: $(cat "$tmp/r/claims.csv")"
head -n 1 "$tmp/r/claims.csv" | grep -qx \
    "rate,db,startup,cluster,claim,holds,traces_holding,traces,a,b,factor,factor_lo,factor_hi,p,significant" ||
    fail "claims.csv header"
awk -F, 'NR > 1 && !($8 == 2 && $7 <= $8 && $12 <= $11 && $11 <= $13 && ($6 == 0 || $6 == 1)) { bad = 1 }
    END { exit bad }' "$tmp/r/claims.csv" || fail "a malformed verdict: $(cat "$tmp/r/claims.csv")"
grep -q '^3,default,0,default,fifo-worst,' "$tmp/r/claims.csv" || fail "no verdict for start-up 0"
for s in "## Where each claim holds" "## Every condition" "| fifo has by far the worst JCT | " \
    "| less knowledge is worse | " "| default | default | modelled | 3/h (" "| default | default | 0 | 3/h ("; do
    grep -qF -- "$s" "$tmp/t.md" || fail "table: no '$s'"
done
cmp -s "$tmp/out" "$tmp/t.md" || fail "stdout is not the table"
[ "$(head -c 4 "$tmp/fig.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] || fail "fig.png is not a PNG"
grep -q '</svg>' "$tmp/fig.svg" || fail "fig.svg"
# the verdicts agree with the runs: fifo-worst holds where fifo's mean JCT, averaged over the
# traces, is the highest
"$gpusim" stats "$tmp/r/conditions.csv" --by cond,policy -m jct_mean >"$tmp/means.csv" ||
    fail "stats over conditions.csv"
for cond in "3|default|default|default" "3|default|0|default"; do
    top=$(awk -F, -v c="$cond" '$1 == c && $3 == "jct_mean" { print $5, $2 }' "$tmp/means.csv" |
        sort -g | tail -n 1 | cut -d' ' -f2)
    IFS='|' read -r r _ s _ <<<"$cond"
    verdict=$(awk -F, -v r="$r" -v s="$s" '$1 == r && $3 == s && $5 == "fifo-worst" { print $6 }' \
        "$tmp/r/claims.csv")
    [ "$verdict" = "$([ "$top" = fifo ] && echo 1 || echo 0)" ] ||
        fail "$cond: fifo-worst is $verdict but the worst mean is $top's"
done
# again: nothing reruns, the same bytes
cp "$tmp/t.md" "$tmp/t1.md"
cp "$tmp/fig.png" "$tmp/f1.png"
cp "$tmp/fig.svg" "$tmp/f1.svg"
"$R" "${grid[@]}" >/dev/null 2>"$tmp/err" || fail "second run: $(tail -n 3 "$tmp/err")"
grep -q "20 complete, 0 to run" "$tmp/err" || fail "second run ran again: $(cat "$tmp/err")"
cmp -s "$tmp/t.md" "$tmp/t1.md" || fail "the table changed"
cmp -s "$tmp/fig.png" "$tmp/f1.png" || fail "the PNG changed"
cmp -s "$tmp/fig.svg" "$tmp/f1.svg" || fail "the SVG changed"

"$R" --rates 0 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--rates 0 accepted"
"$R" --startup 5 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--startup 5 accepted"
"$R" "${grid[@]}" --policies fifo,no-such-policy >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "no policy 'no-such-policy'" "$tmp/err" || fail "unknown policy: $(cat "$tmp/err")"
"$R" "${grid[@]}" --dbs "$tmp/none.json" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "does not load" "$tmp/err" || fail "missing DB: $(cat "$tmp/err")"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "robustness: all checks passed"
