#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/plot_cdf.sh, plot_arrivals.sh, plot_timeline.sh and plot_gantt.sh, headless: each writes a valid PNG (magic
# bytes, the asked size in its header, non-trivial size) and SVG, with one line per group; bad
# arguments are refused. Exits 77 (skipped) without gnuplot.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
command -v gnuplot >/dev/null || { echo "SKIP: gnuplot is not installed (scripts/deps.sh --test)"; exit 77; }
export GPUSIM=$gpusim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# is_png FILE W H: PNG signature, an IHDR of W x H pixels, more than 5 KB
is_png() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { fail "$1: not a PNG"; return; }
    [ "$(od -An -j 12 -N 4 -c "$1" | tr -d ' \n')" = IHDR ] || fail "$1: no IHDR chunk"
    local w h
    w=$(od -An -j 16 -N 4 -tu1 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    h=$(od -An -j 20 -N 4 -tu1 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    [ "$w" = "$2" ] && [ "$h" = "$3" ] || fail "$1: $w x $h pixels (want $2 x $3)"
    [ "$(wc -c <"$1")" -gt 5000 ] || fail "$1: only $(wc -c <"$1") bytes"
}
# is_svg FILE NLINES: an SVG document with NLINES plotted paths in its key at least
is_svg() {
    head -c 200 "$1" | grep -q '<?xml' || fail "$1: no XML header"
    grep -q '<svg' "$1" && grep -q '</svg>' "$1" || fail "$1: not a whole SVG document"
    [ "$(wc -c <"$1")" -gt 2000 ] || fail "$1: only $(wc -c <"$1") bytes"
}

T=$src/tests/data/small_trace.csv
run=("$gpusim" run --trace "$T" --db "$src/tests/data/tiny_db.json" --cluster
    "$src/tests/data/tiny_cluster.json" -q)
for s in 1 2 3; do
    "${run[@]}" --seed "$s" --out "$tmp/r/s$s" || fail "run seed $s"
done
"${run[@]}" --seed 1 --fail-delay 600 --out "$tmp/r/slow" || fail "run slow"

# ---- JCT CDF: one line per seed, then per policy (pooled) ----
"$src/scripts/plot_cdf.sh" -o "$tmp/fig/cdf.png" --by seed --title 'JCT "by" seed' "$tmp/r" \
    2>"$tmp/err" || fail "plot_cdf.sh: $(cat "$tmp/err")"
grep -q "3 line(s), by seed: 1,2,3" "$tmp/err" || fail "plot_cdf.sh: $(cat "$tmp/err")"
is_png "$tmp/fig/cdf.png" 900 560
is_svg "$tmp/fig/cdf.svg"
grep -q ">seed 2<" "$tmp/fig/cdf.svg" || fail "no 'seed 2' line in the SVG key"
grep -q "log scale" "$tmp/fig/cdf.svg" || fail "no log-x axis label in the SVG"
"$src/scripts/plot_cdf.sh" -o "$tmp/fig/pol" --size 640,480 "$tmp/r/s1" "$tmp/r/slow" 2>"$tmp/err" ||
    fail "plot_cdf.sh by policy: $(cat "$tmp/err")"
grep -q "1 line(s), by policy: " "$tmp/err" || fail "plot_cdf.sh by policy: $(cat "$tmp/err")"
is_png "$tmp/fig/pol.png" 640 480
cmp -s "$tmp/fig/cdf.svg" "$tmp/fig/pol.svg" && fail "two different figures are the same"
# ---- with the band over runs: a filled band and the mean line per policy, the same bytes again ----
"$src/scripts/plot_cdf.sh" -o "$tmp/fig/band" --band "$tmp/r/s1" "$tmp/r/s2" "$tmp/r/s3" \
    2>"$tmp/err" || fail "plot_cdf.sh --band: $(cat "$tmp/err")"
grep -q "1 line(s), by policy: fifo" "$tmp/err" || fail "plot_cdf.sh --band: $(cat "$tmp/err")"
is_png "$tmp/fig/band.png" 900 560
is_svg "$tmp/fig/band.svg"
grep -q "fill-opacity\|opacity" "$tmp/fig/band.svg" || fail "no translucent band in the SVG"
"$GPUSIM" merge -o /dev/null --cdf-band "$tmp/band.csv" "$tmp/r/s1" "$tmp/r/s2" "$tmp/r/s3" ||
    fail "merge --cdf-band"
head -n 1 "$tmp/band.csv" | grep -qx "policy,jct,mean,lo,hi,runs" || fail "band header"
[ "$(grep -c ',3$' "$tmp/band.csv")" -eq 200 ] || fail "band: not 200 points over 3 runs"
awk -F, 'NR > 1 && !($4 <= $3 && $3 <= $5) { bad = 1 } END { exit bad }' "$tmp/band.csv" ||
    fail "band: a mean outside its interval"
cp "$tmp/fig/band.png" "$tmp/band1.png"
"$src/scripts/plot_cdf.sh" -o "$tmp/fig/band" --band "$tmp/r/s1" "$tmp/r/s2" "$tmp/r/s3" 2>/dev/null
cmp -s "$tmp/fig/band.png" "$tmp/band1.png" || fail "the band figure differs between two runs"

# ---- arrivals per hour of two traces ----
awk -F, 'NR == 1 { print; next } { $8 = "2023-03-0" (1 + NR % 3) " 1" (NR % 10) ":00:00+08:00"; print }' OFS=, \
    "$T" >"$tmp/spread.csv"
"$src/scripts/plot_arrivals.sh" -o "$tmp/fig/arr" "$T" "$tmp/spread.csv" 2>"$tmp/err" ||
    fail "plot_arrivals.sh: $(cat "$tmp/err")"
is_png "$tmp/fig/arr.png" 900 420
is_svg "$tmp/fig/arr.svg"
grep -q ">spread<" "$tmp/fig/arr.svg" || fail "no 'spread' line in the SVG key"
"$gpusim" arrivals --trace "$tmp/spread.csv" >"$tmp/a.csv" || fail "gpusim arrivals"
[ "$(head -n 1 "$tmp/a.csv")" = "hour,start,jobs" ] || fail "arrivals header: $(head -n 1 "$tmp/a.csv")"
[ "$(awk -F, 'NR > 1 { s += $3 } END { print s }' "$tmp/a.csv")" -eq 34 ] || fail "arrivals do not add up to 34 jobs"
awk -F, 'NR > 1 && $1 != sprintf("%.6f", NR - 2) { bad = 1 } END { exit bad }' "$tmp/a.csv" ||
    fail "arrivals: hours are not consecutive from 0: $(head -n 4 "$tmp/a.csv")"
grep -q '^[0-9.]*,2023-03-0[1-3] [0-9:]*+08:00,0$' "$tmp/a.csv" || fail "arrivals: no empty hour listed"

# ---- refused: exit 2 for usage, 1 for bad input, no figure left ----
"$src/scripts/plot_cdf.sh" -o "$tmp/x" >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot_cdf.sh without folders"
"$src/scripts/plot_cdf.sh" "$tmp/r" >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot_cdf.sh without -o"
"$src/scripts/plot_cdf.sh" -o "$tmp/x" --by jct_mean "$tmp/r" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "jct_mean" "$tmp/err" || fail "plot_cdf.sh --by jct_mean: $(cat "$tmp/err")"
"$src/scripts/plot_cdf.sh" -o "$tmp/x" "$tmp/nothing" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "nothing" "$tmp/err" || fail "plot_cdf.sh on a missing folder: $(cat "$tmp/err")"
"$src/scripts/plot_arrivals.sh" -o "$tmp/x" "$tmp/none.csv" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "none.csv" "$tmp/err" || fail "plot_arrivals.sh on a missing trace: $(cat "$tmp/err")"
"$src/scripts/plot_arrivals.sh" -o "$tmp/x" --size 10x10 "$T" >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot_arrivals.sh --size 10x10"
ls "$tmp"/x* >/dev/null 2>&1 && fail "a refused plot left a file"

# ---- timeline: one line per seed, a panel per GPU type and one for the queue ----
"$src/scripts/plot_timeline.sh" -o "$tmp/fig/tl" --by seed --bins 50 "$tmp/r/s1" "$tmp/r/s2" \
    2>"$tmp/err" || fail "plot_timeline.sh: $(cat "$tmp/err")"
grep -q "2 run(s) by seed, 2 GPU type(s)" "$tmp/err" || fail "plot_timeline.sh: $(cat "$tmp/err")"
is_png "$tmp/fig/tl.png" 1000 700
is_svg "$tmp/fig/tl.svg"
for t in "V100-32GB busy %" "A100-80GB busy %" "queued jobs" ">2<"; do
    grep -q "$t" "$tmp/fig/tl.svg" || fail "plot_timeline.sh: no '$t' in the SVG"
done
"$gpusim" run --trace "$T" --db "$src/tests/data/tiny_db.json" --cluster \
    "$src/tests/data/tiny_cluster.json" -q --no-timeline --out "$tmp/notl" || fail "run --no-timeline"
"$src/scripts/plot_timeline.sh" -o "$tmp/x" "$tmp/notl" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "no timeline.csv" "$tmp/err" || fail "plot_timeline.sh without a timeline: $(cat "$tmp/err")"
"$src/scripts/plot_timeline.sh" -o "$tmp/x" --bins x "$tmp/r" >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot_timeline.sh --bins x"

# ---- Gantt: every job, then every 4th ----
"$src/scripts/plot_gantt.sh" -o "$tmp/fig/g" "$tmp/r/s1" 2>"$tmp/err" || fail "plot_gantt.sh: $(cat "$tmp/err")"
grep -q "34 of 34 jobs drawn" "$tmp/err" || fail "plot_gantt.sh: $(cat "$tmp/err")"
is_png "$tmp/fig/g.png" 1200 334
is_svg "$tmp/fig/g.svg"
grep -q ">V100-32GB<" "$tmp/fig/g.svg" && grep -q ">waiting<" "$tmp/fig/g.svg" ||
    fail "plot_gantt.sh: GPU types or waiting not in the key"
"$src/scripts/plot_gantt.sh" -o "$tmp/fig/g4" --rows 10 "$tmp/r/s1" 2>"$tmp/err" ||
    fail "plot_gantt.sh --rows 10: $(cat "$tmp/err")"
grep -q "9 of 34 jobs drawn" "$tmp/err" || fail "plot_gantt.sh --rows 10: $(cat "$tmp/err")"
grep -q "one job in 4 drawn: 9 rows" "$tmp/fig/g4.svg" || fail "plot_gantt.sh: sampling not in the title"
"$src/scripts/plot_gantt.sh" -o "$tmp/x" "$tmp/r/s1" "$tmp/r/s2" >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot_gantt.sh with two folders"
"$src/scripts/plot_gantt.sh" -o "$tmp/x" "$tmp/r" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "not a result folder" "$tmp/err" || fail "plot_gantt.sh on a sweep folder: $(cat "$tmp/err")"
ls "$tmp"/x* >/dev/null 2>&1 && fail "a refused plot left a file"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "plots: all checks passed"
