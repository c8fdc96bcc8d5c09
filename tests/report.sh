#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# gpusim report: the page of a small sweep has every section and figure, loads nothing, runs no
# script and is the same bytes twice; bad input is refused and leaves no page. Then a real
# browser: headless Chromium parses it (the sections are in its DOM), renders it to a PNG, and
# logs nothing on its console (checked to catch a page that does). Exits 77 (skipped) without
# Chromium (Debian package chromium; scripts/deps.sh --test).
#   tests/report.sh GPUSIM SRC
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

T=$src/tests/data/small_trace.csv
run=("$gpusim" run --trace "$T" --db "$src/tests/data/tiny_db.json" --cluster
    "$src/tests/data/tiny_cluster.json" -q --no-progress)
for p in fifo db-flat-scale sia-aware; do
    "${run[@]}" --policy "$p" --seed 1 --out "$tmp/runs/$p-1" || fail "run $p"
done
"${run[@]}" --policy fifo --seed 2 --out "$tmp/runs/fifo-2" || fail "run fifo seed 2"

# ---- the page ----
"$gpusim" report "$tmp/runs" -o "$tmp/report.html" --title 'Small <sweep>' 2>"$tmp/err" ||
    fail "gpusim report: $(cat "$tmp/err")"
page=$tmp/report.html
for id in summary jct-cdf timeline gantt fairness energy; do
    grep -q "<section id=\"$id\">" "$page" || fail "no section '$id'"
done
# 1 JCT CDF, 3 timeline panels (2 GPU types and the queue), 3 Gantt charts, 1 FTF CDF, 1 energy
n=$(grep -c '<svg ' "$page")
[ "$n" -eq 9 ] || fail "$n SVG figures, expected 9"
grep -q '<title>Small &lt;sweep&gt;</title>' "$page" || fail "title not escaped"
grep -q '<td class="l">fifo</td><td>2</td><td>68</td>' "$page" ||
    fail "summary: fifo should pool 2 runs of 34 jobs"
grep -q 'Worst-treated users: sia-aware' "$page" || fail "no users table"
grep -q '<title>V100-32GB: [0-9.]* kWh</title>' "$page" || fail "no energy bar per GPU type"
grep -Eq '(src|href)="(https?:)?//' "$page" && fail "the page loads something from the network"
grep -qi '<script' "$page" && fail "the page has a script"
"$gpusim" report "$tmp/runs" -o "$tmp/again.html" --title 'Small <sweep>' &&
    cmp -s "$page" "$tmp/again.html" || fail "two reports of the same runs differ"
# one run: a report too, with its own grouping
"$gpusim" report "$tmp/runs/fifo-1" --by seed -o "$tmp/one.html" || fail "report of one run"
grep -q 'runs in 1 group' "$tmp/one.html" || grep -q '1 run in 1 group' "$tmp/one.html" ||
    fail "one run: not one group"

# ---- refused ----
"$gpusim" report "$tmp/runs" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no -o is not a usage error"
"$gpusim" report "$tmp/runs" --by nosuch -o "$tmp/x.html" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "'nosuch' is not a column" "$tmp/err" || fail "--by nosuch: $(cat "$tmp/err")"
cp -r "$tmp/runs/fifo-2" "$tmp/broken"
printf 'job_id,jct,queue_delay\na,12,zz\n' >"$tmp/broken/jobs.csv"
"$gpusim" report "$tmp/broken" -o "$tmp/x.html" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "jobs.csv' line 2: column 'queue_delay': not a number 'zz'" "$tmp/err" ||
    fail "broken jobs.csv: $(cat "$tmp/err")"
"$gpusim" report "$tmp/nothing" -o "$tmp/x.html" 2>/dev/null
[ $? -eq 1 ] || fail "a missing folder is not an error"
ls "$tmp"/x.html* "$tmp"/.x.html* >/dev/null 2>&1 && fail "a refused report left a file"

# ---- a real browser ----
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    [ $fails -eq 0 ] || exit 1
    echo "SKIP: the page checks passed; Chromium is not installed (scripts/deps.sh --test)"
    exit 77
fi
# Chromium keeps its profile, caches and crash dumps under this folder only.
mkdir -p "$tmp/home"
browse() {
    env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" \
        timeout -k 5 90 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-extensions --disable-background-networking --user-data-dir="$tmp/home/profile" \
        --enable-logging=stderr --v=0 --hide-scrollbars "$@"
}
# The console check must be able to fail: a page that logs is caught.
printf '<!DOCTYPE html><html><body><script>console.error("gpusim-probe")</script></body></html>\n' \
    >"$tmp/probe.html"
browse --dump-dom "file://$tmp/probe.html" >/dev/null 2>"$tmp/probe.err"
grep -q ':CONSOLE.*gpusim-probe' "$tmp/probe.err" ||
    fail "cannot see Chromium's console messages: $(tail -n 3 "$tmp/probe.err")"

browse --dump-dom "file://$page" >"$tmp/dom.html" 2>"$tmp/dom.err" ||
    fail "Chromium could not load the page: $(tail -n 3 "$tmp/dom.err")"
for id in summary jct-cdf timeline gantt fairness energy; do
    grep -q "<section id=\"$id\">" "$tmp/dom.html" || fail "Chromium's DOM has no section '$id'"
done
n=$(grep -o '<svg ' "$tmp/dom.html" | wc -l)
[ "$n" -eq 9 ] || fail "Chromium's DOM has $n SVG figures, expected 9"
grep -q ':CONSOLE' "$tmp/dom.err" && fail "console messages: $(grep ':CONSOLE' "$tmp/dom.err" | head -3)"

browse --window-size=1200,3000 --screenshot="$tmp/page.png" "file://$page" >/dev/null \
    2>"$tmp/shot.err" || fail "Chromium could not render the page: $(tail -n 3 "$tmp/shot.err")"
grep -q ':CONSOLE' "$tmp/shot.err" && fail "console messages: $(grep ':CONSOLE' "$tmp/shot.err" | head -3)"
if [ -f "$tmp/page.png" ]; then
    [ "$(head -c 8 "$tmp/page.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "the screenshot is not a PNG"
    w=$(od -An -j 16 -N 4 -tu1 "$tmp/page.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    h=$(od -An -j 20 -N 4 -tu1 "$tmp/page.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    [ "$w" = 1200 ] && [ "$h" = 3000 ] || fail "the screenshot is $w x $h pixels"
    # a rendered page with figures compresses far less than a blank one (about 5 KB)
    [ "$(wc -c <"$tmp/page.png")" -gt 60000 ] ||
        fail "the screenshot is only $(wc -c <"$tmp/page.png") bytes: blank?"
else
    fail "no screenshot"
fi

[ $fails -eq 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "report: all checks passed (Chromium $("$chromium" --version 2>/dev/null | awk '{ print $2 }'))"
