#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `gpusim cxl` from the command line: help and exit codes, located config errors, atomic and
# byte-identical figure output, sweep rows. Usage: cxl_cli.sh GPUSIM SOURCE_DIR
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d /tmp/gpusim-cxl-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# expect STATUS CMD...: runs CMD, checks the exit status, keeps stdout/stderr in $tmp/out|err
expect() {
    local want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, want $want: $(head -c 300 "$tmp/err")"
}

has() { # has FILE TEXT
    grep -qF -- "$2" "$1" || fail "'$2' not in $1: $(head -c 300 "$1")"
}

# every command answers --help on stdout with status 0
expect 0 "$gpusim" cxl --help
has "$tmp/out" "membench"
for sub in info membench memcpy figures models infer sweep; do
    expect 0 "$gpusim" cxl "$sub" --help
    has "$tmp/out" "usage: gpusim cxl $sub"
done
"$gpusim" --help | grep -q '^  cxl ' || fail "cxl missing from gpusim --help"

# usage errors: status 2 with a hint
expect 2 "$gpusim" cxl
expect 2 "$gpusim" cxl frobnicate
expect 2 "$gpusim" cxl membench --bogus
has "$tmp/err" "Try 'gpusim cxl membench --help'"
expect 2 "$gpusim" cxl infer
has "$tmp/err" "--model"
expect 2 "$gpusim" cxl infer --model gpt-9
expect 2 "$gpusim" cxl infer --model llama3.1-70b --weights gpu=0.5,hbm=0.5
has "$tmp/err" "unknown tier 'hbm'"
expect 2 "$gpusim" cxl infer --model llama3.1-70b --copy sometimes
expect 2 "$gpusim" cxl memcpy --dir sideways
expect 2 "$gpusim" cxl infer --model opt-30b --pcie-gen 9
has "$tmp/err" "--pcie-gen takes 1 to 6"
expect 2 "$gpusim" cxl sweep --model opt-30b --cxl-expanders 0,99
expect 2 "$gpusim" cxl membench --threads 1000

# bad configs: status 1, file, line and field named
sed 's/"channel_gbps": 38.4,/"channel_gbps": -38.4,/' "$src/configs/cxl/default.json" >"$tmp/neg.json"
expect 1 "$gpusim" cxl info --hw "$tmp/neg.json"
has "$tmp/err" "neg.json' line 32: field 'tiers[0].channel_gbps': must be positive"
sed 's/"kind": "cxl"/"kind": "nvme"/' "$src/configs/cxl/default.json" >"$tmp/kind.json"
expect 1 "$gpusim" cxl membench --hw "$tmp/kind.json"
has "$tmp/err" "field 'tiers[2].kind': unknown tier kind 'nvme'"
expect 1 "$gpusim" cxl info --hw "$tmp/missing.json"
# a model larger than all memory
expect 1 "$gpusim" cxl infer --model llama3.1-405b
has "$tmp/err" "does not fit"
has "$tmp/err" "default.json"

# Figure 3 and 4 data: named, atomic, byte-identical across runs
expect 0 "$gpusim" cxl figures --out "$tmp/f1"
for f in fig3_membench.csv fig3b_loaded_latency.csv fig4_memcpy.csv; do
    [ -s "$tmp/f1/$f" ] || fail "$f missing"
done
expect 1 "$gpusim" cxl figures --out "$tmp/f1"
expect 0 "$gpusim" cxl figures --out "$tmp/f2"
diff -r "$tmp/f1" "$tmp/f2" >/dev/null || fail "figures differ between two runs"
ls "$tmp" | grep -q '\.tmp' && fail "temporary folder left behind"
expect 0 "$gpusim" cxl membench
cmp -s "$tmp/out" "$tmp/f1/fig3_membench.csv" || fail "membench stdout differs from figures"
has "$tmp/out" "3,0,dram0,dram,local,120.400000,0.000000,"

# inference: JSON and CSV, same numbers
expect 0 "$gpusim" cxl infer --model llama3.1-70b --output 2 --weights local=1 --format csv -o "$tmp/i.csv"
[ "$(wc -l <"$tmp/i.csv")" -eq 2 ] || fail "infer csv is not one row"
has "$tmp/i.csv" "llama3.1-70b,12,2,4,pinned,1,1,512,2,1,latency,ok,"
expect 0 "$gpusim" cxl infer --model llama3.1-70b --output 2 --weights local=1 --timeline "$tmp/t.csv"
has "$tmp/out" '"tpot_s":'
[ "$(wc -l <"$tmp/t.csv")" -eq $((2 * 81 * 2 + 1)) ] || fail "timeline rows"

# sweep: one row per point, infeasible points kept with their reason
expect 0 "$gpusim" cxl sweep -q --model opt-175b --dram-channels 2,12 --cxl-expanders 0 --output 2 -o "$tmp/s.csv"
[ "$(wc -l <"$tmp/s.csv")" -eq 3 ] || fail "sweep rows"
has "$tmp/s.csv" "opt-175b,2,0,4,pinned"
grep -q "^opt-175b,2,0,4,pinned,.*,latency,infeasible," "$tmp/s.csv" || fail "2 channels, no CXL: not infeasible"
grep -q "^opt-175b,12,0,4,pinned,.*,ok," "$tmp/s.csv" || fail "12 channels: not ok"

# a placement order in the config naming an unknown tier: file, line and field
sed 's/"schema_version": 1,/"schema_version": 1, "placement": {"order": ["dram0", "pmem"]},/' \
    "$src/configs/cxl/default.json" >"$tmp/order.json"
expect 1 "$gpusim" cxl infer --model opt-30b --hw "$tmp/order.json"
has "$tmp/err" "order.json' line 2: field 'placement.order[1]': unknown tier 'pmem'"
expect 2 "$gpusim" cxl infer --model opt-30b --host-order dram0,pmem
has "$tmp/err" "unknown tier 'pmem' in --host-order"

[ "$fails" -eq 0 ] || exit 1
echo "cxl cli: all checks passed"
