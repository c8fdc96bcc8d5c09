#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/experiments/knowledge.sh on tiny inputs: it calls `gpusim sample` as documented (a
# stand-in records the call), fails clearly when gpusim has no `sample`, runs every policy and
# variant on every sampled trace, draws both figures and prints the table of means with their
# intervals; and once for real with independent generated sources. Exits 77 without gnuplot or
# GNU parallel.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
command -v gnuplot >/dev/null && command -v parallel >/dev/null ||
    { echo "SKIP: needs gnuplot and GNU parallel (scripts/deps.sh --test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
K=$src/scripts/experiments/knowledge.sh
T=$src/tests/data/small_trace.csv
tiny=(--cluster "$src/tests/data/tiny_cluster.json" --db "$src/tests/data/tiny_db.json")

# a gpusim whose `sample` is a stand-in that records its arguments and writes 2 traces (mode
# "fake"), or that has no `sample` at all (mode "none"), as gpusim answers an unknown command
cat >"$tmp/gpusim" <<STANDIN
#!/usr/bin/env bash
if [ "\${1:-}" = sample ]; then
    [ "\$(cat "$tmp/mode")" = fake ] || { echo "gpusim: unknown command 'sample'" >&2; exit 2; }
    [ "\${2:-}" = --help ] && exit 0
    echo "\$*" >"$tmp/sample.args"
    while [ \$# -gt 0 ]; do [ "\$1" = --out ] && d=\$2; shift; done
    mkdir -p "\$d" && cp "$T" "\$d/sample-01.csv" && head -n 30 "$T" >"\$d/sample-02.csv"
    exit 0
fi
exec "$gpusim" "\$@"
STANDIN
chmod +x "$tmp/gpusim"
export GPUSIM=$tmp/gpusim

echo none >"$tmp/mode"
"$K" --source "$T" --out "$tmp/k0" --figures "$tmp/f0" "${tiny[@]}" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "without gpusim sample: not exit 1"
grep -q "has no 'sample' command" "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ -e "$tmp/f0" ] && fail "figures made without traces"

echo fake >"$tmp/mode"
"$K" --source "$T" --traces 3 --per-hour 7 --seed 5 --out "$tmp/k1" --figures "$tmp/f1" -j 2 \
    "${tiny[@]}" >"$tmp/table" 2>"$tmp/err" || fail "knowledge.sh: $(cat "$tmp/err")"
grep -qx -- "sample --trace $T --count 3 --per-hour 7 --seed 5 --out $tmp/k1/.samples.tmp --quiet" \
    "$tmp/sample.args" || fail "gpusim sample called as: $(cat "$tmp/sample.args")"
[ -f "$tmp/k1/samples/sample-02.csv" ] || fail "samples not kept"
npol=$("$gpusim" policies | grep -c .)
[ "$(find "$tmp/k1/sweep/runs" -name summary.json | wc -l)" -eq $((2 * npol)) ] ||
    fail "not every policy ran on both traces"
for f in knowledge-fig1-arrivals knowledge-fig2-jct-cdf; do
    [ "$(head -c 4 "$tmp/f1/$f.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] || fail "$f.png is not a PNG"
    [ "$(wc -c <"$tmp/f1/$f.png")" -gt 5000 ] || fail "$f.png is tiny"
    grep -q '</svg>' "$tmp/f1/$f.svg" || fail "$f.svg"
done
for p in $("$gpusim" policies | awk '{ print $1 }'); do
    k=$("$gpusim" policies | awk -v p="$p" '$1 == p { print $2 }')
    grep -q "^| $p | $k | [0-9.]* \[[0-9.]*, [0-9.]*\] | " "$tmp/table" ||
        fail "no row for $p with a mean and its interval: $(cat "$tmp/table")"
done
for v in "db-fifo, waiting for a faster busy configuration" "db-fifo, at most the submitted GPU count" \
    "db-flat, starvation bound 1 h" "db-flat-scale, starvation bound 1 h"; do
    grep -q "^| $v | offline-informed | " "$tmp/table" || fail "no variant row '$v'"
done
[ "$(find "$tmp/k1/variants" -name summary.json | wc -l)" -eq 8 ] || fail "variants did not run"
grep -q '"wait_busy":[[:space:]]*"1"' "$tmp"/k1/variants/wait_busy-db-fifo/runs/*/*/*/*/summary.json ||
    fail "the db-fifo variant did not get its parameter"
grep -q "^Load (GPU-hours demanded over GPU-hours available) of the 2 traces: mean " "$tmp/table" ||
    fail "no load line: $(cat "$tmp/table")"
# a second run resumes: the samples are reused and nothing is re-run
rm -f "$tmp/sample.args"
"$K" --source "$T" --out "$tmp/k1" --figures "$tmp/f1" "${tiny[@]}" >/dev/null 2>"$tmp/err" ||
    fail "second run: $(cat "$tmp/err")"
[ -e "$tmp/sample.args" ] && fail "the second run sampled again"
grep -q "$((2 * npol)) complete, 0 to run" "$tmp/err" || fail "second run: $(cat "$tmp/err")"

# for real: independent traces from generated sources (tiny: 2 traces of 2 jobs/hour)
export GPUSIM=$gpusim
"$K" --traces 2 --per-hour 2 --days 3 --source-rate 20 --policies fifo,db-fifo --out "$tmp/k2" \
    --figures "$tmp/f2" -j 2 --no-progress >"$tmp/table2" 2>"$tmp/err" ||
    fail "knowledge.sh with generated sources: $(cat "$tmp/err")"
[ "$(grep -c '"generated":' "$tmp/k2/samples/sample.json")" -eq 2 ] || fail "not two generated sources"
[ "$(grep -c '"reused_jobs":[[:space:]]*0' "$tmp/k2/samples/sample.json")" -eq 2 ] ||
    fail "jobs were reused: $(cat "$tmp/k2/samples/sample.json")"
grep -q "^| db-fifo, waiting for a faster busy configuration | " "$tmp/table2" ||
    fail "generated: $(cat "$tmp/table2")"
grep -q "^| db-flat" "$tmp/table2" && fail "a policy not asked for ran"
"$K" --traces 2 --per-hour 2 --days 3 --source-rate 20 --policies fifo,db-fifo --out "$tmp/k2" \
    --figures "$tmp/f2" -j 2 --no-progress >"$tmp/table3" 2>/dev/null
cmp -s "$tmp/table2" "$tmp/table3" || fail "the table changed on a rerun"

"$K" --traces 0 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--traces 0 accepted"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "knowledge: all checks passed"
