#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Allocation-failure injection over a representative run of every gpusim command: for each N
# from 1 to the number of allocations the run makes, the N-th allocation fails, and the command
# must end with one "gpusim: error: ... out of memory" line and exit status 1, leave no output
# (nor the parent folders made for it) and, in the AddressSanitizer build, leak nothing.
# tests/failalloc/failalloc.c is the driver; the runs are kept small so that every N fits in CI.
# One command is left out: `db generate` makes 64,431 allocations (the whole analytic DB, which
# has no smaller run), and trying each would rerun it 64,431 times; it builds its JSON with
# gs__jput/gs__jprint and writes through gs_outfile, as `db import` and the others here do.
#   failalloc.sh GPUSIM_FAILALLOC SOURCE_DIR GPUSIM
set -u
fa=$1
src=$2
gpusim=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
fails=0
total=0
T=tests/data/small_trace.csv
DB=tests/data/tiny_db.json
CL=tests/data/tiny_cluster.json
# (--format and -q: no note of the detected format on stderr, which must be the one error line)
in=(--trace "$T" --format acme --db "$DB" --cluster "$CL" --no-progress)

# check NAME [--absent PATH]... -- ARGS...: every allocation of `gpusim ARGS` fails once
check() {
    local name=$1 out
    shift
    out=$("$fa" --quiet "$@" 2>&1)
    local st=$?
    total=$((total + 1))
    if [ $st -ne 0 ]; then
        echo "FAIL: $name" >&2
        echo "$out" | head -c 3000 >&2
        fails=$((fails + 1))
    fi
}

# inputs some commands read: a result folder, a small trace, measured throughputs
"$gpusim" "${in[@]}" -q -o "$tmp/runs/a" || exit 1
"$gpusim" gen-trace --jobs 12 --seed 3 -q -o "$tmp/gen.csv" || exit 1
printf 'class,gpu_type,gpus,throughput,viable\nsmall,A100-80GB,2,21,true\nbig,V100-32GB,8,30,true\n' \
    >"$tmp/measured.csv"
head -12 "$T" >"$tmp/short.csv"
short=(--trace "$tmp/short.csv" --format acme --db "$DB" --cluster "$CL" --no-progress)

check "run fifo" --absent "$tmp/new" -- gpusim "${in[@]}" -q -o "$tmp/new/sub/r"
check "run sia-aware" --absent "$tmp/r" -- gpusim "${short[@]}" --policy sia-aware -q -o "$tmp/r"
check "run db-flat-scale, knowledge error" --absent "$tmp/r" -- \
    gpusim "${short[@]}" --policy db-flat-scale --knowledge-error 0.2 --viability-error 0.1 \
    --check-invariants -q -o "$tmp/r"
check "run db-fifo, stdout" -- gpusim "${short[@]}" --policy db-fifo -q
check "validate" -- gpusim validate --db "$DB" --cluster "$CL"
check "validate --trace" -- gpusim validate "${short[@]}" --policy db-flat
check "policies" -- gpusim policies --params
check "cdf-compare" -- gpusim cdf-compare tests/golden/small/fifo.csv tests/golden/small/db-fifo.csv
check "merge" --absent "$tmp/m.csv" --absent "$tmp/j.csv" --absent "$tmp/c.csv" -- \
    gpusim merge -o "$tmp/m.csv" --jobs "$tmp/j.csv" --cdf "$tmp/c.csv" "$tmp/runs"
check "report" --absent "$tmp/rep.html" -- gpusim report "$tmp/runs" -o "$tmp/rep.html"
check "arrivals" --absent "$tmp/a.csv" -- gpusim arrivals --trace "$T" -q --bin 600 -o "$tmp/a.csv"
check "gen-trace" --absent "$tmp/g.csv" -- gpusim gen-trace --jobs 10 -q -o "$tmp/g.csv"
check "sample" --absent "$tmp/s" -- \
    gpusim sample --trace "$tmp/gen.csv" --job-type all --count 2 --per-hour 3 --hours 2 -q \
    -o "$tmp/s"
check "db validate" -- gpusim db validate "$DB"
check "db show" -- gpusim db show "$DB"
check "db query" -- gpusim db query "$DB" --class big --gpu-type A100-80GB --gpus 4
check "db import" --absent "$tmp/db.json" -- \
    gpusim db import "$tmp/measured.csv" --base "$DB" -o "$tmp/db.json"
check "db export" --absent "$tmp/db.csv" -- gpusim db export "$DB" -o "$tmp/db.csv"
check "cxl info" -- gpusim cxl info --hw flexgen-t4
check "cxl membench" --absent "$tmp/mb.csv" -- gpusim cxl membench --hw flexgen-t4 -o "$tmp/mb.csv"
check "cxl memcpy" --absent "$tmp/mc.csv" -- \
    gpusim cxl memcpy --hw flexgen-t4 --min-size 1M --max-size 4M -o "$tmp/mc.csv"
check "cxl figures" --absent "$tmp/figs" -- gpusim cxl figures --hw flexgen-t4 -o "$tmp/figs"
check "cxl models" -- gpusim cxl models
check "cxl infer" --absent "$tmp/i.json" --absent "$tmp/t.csv" -- \
    gpusim cxl infer --hw flexgen-t4 --model opt-6.7b --prompt 8 --output 2 -o "$tmp/i.json" \
    --timeline "$tmp/t.csv"
check "cxl sweep" --absent "$tmp/sw.csv" -- \
    gpusim cxl sweep --hw flexgen-t4 --model opt-6.7b --batch 1,2 --prompt 8 --output 2 -q \
    -o "$tmp/sw.csv"
check "game validate" -- gpusim game validate --scenario trip
check "game policies" -- gpusim game policies
check "game run" --absent "$tmp/gr" -- \
    gpusim game run --scenario figure5 --duration 3 -q -o "$tmp/gr"
check "game sweep" --absent "$tmp/gs.csv" -- \
    gpusim game sweep --scenario figure5 --seeds 1-2 --duration 2 -o "$tmp/gs.csv"

if [ $fails -ne 0 ]; then
    echo "failalloc: $fails of $total commands misbehaved when an allocation failed" >&2
    exit 1
fi
echo "failalloc: every allocation of $total command runs failed once, each handled"
