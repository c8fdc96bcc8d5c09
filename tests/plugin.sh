#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Policy plug-ins (docs/extending.md): the example plug-in loads by path and by name on
# GPUSIM_POLICY_PATH, is listed by `gpusim policies` and recorded in summary.json; each broken
# plug-in of tests/plugins/ gets one clear line and exit 1, and a plan that gives GPUs twice is
# stopped by the core's validation.
#   tests/plugin.sh GPUSIM SOURCE_DIR PLUGIN_DIR
set -u
gpusim=$1
src=$2
plugins=$3
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
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1 of the last command: $(head -c 400 "$tmp/$1")"; }
one_line() { [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "expected one line on stderr: $(cat "$tmp/err")"; }

run=("$gpusim" --trace "$src/tests/data/small_trace.csv" --db "$src/tests/data/tiny_db.json"
     --cluster "$src/tests/data/tiny_cluster.json" --no-progress -q --allow-unschedulable)
ff=$plugins/first_fit.so
[ -f "$ff" ] || { echo "no $ff: build the tests first" >&2; exit 1; }

# ---- the example plug-in: by path, listed, recorded ----
expect 0 "${run[@]}" --policy "$ff" --out "$tmp/ff"
grep -q '"policy":[[:space:]]*"first-fit"' "$tmp/ff/summary.json" || fail "summary.json: not first-fit"
grep -A2 '"policy":[[:space:]]*{' "$tmp/ff/summary.json" | grep -q "\"path\":[[:space:]]*\"$ff\"" ||
    fail "summary.json does not record the plug-in's file among the inputs"
[ "$(sed -n 2p "$tmp/ff/jobs.csv" | cut -d, -f1)" != "" ] || fail "first-fit wrote no jobs"
expect 0 "$gpusim" policies "$ff"
has out "^first-fit  *uninformed  *submission order without head-of-line blocking.* \[plug-in $ff\]\$"
has out "^fifo " # the built-in policies first

# ---- by name on GPUSIM_POLICY_PATH (folders in order; missing ones skipped) ----
mkdir -p "$tmp/pp" "$tmp/empty"
cp "$ff" "$tmp/pp/first_fit.so"
expect 0 env GPUSIM_POLICY_PATH="$tmp/none:$tmp/empty:$tmp/pp" "${run[@]}" --policy first_fit \
    --out "$tmp/byname"
cmp -s "$tmp/ff/jobs.csv" "$tmp/byname/jobs.csv" || fail "by name and by path differ"
expect 0 env GPUSIM_POLICY_PATH="$tmp/pp" "$gpusim" policies
has out "^first-fit .* \[plug-in $tmp/pp/first_fit.so\]\$"
# not on the path: an unknown policy is a usage error that tells where plug-ins are looked for
expect 2 env GPUSIM_POLICY_PATH="$tmp/empty" "${run[@]}" --policy first_fit
has err "unknown policy 'first_fit'.*NAME.so on GPUSIM_POLICY_PATH, now $tmp/empty"
expect 2 env -u GPUSIM_POLICY_PATH "${run[@]}" --policy first_fit
has err "GPUSIM_POLICY_PATH, which is not set"

# ---- broken plug-ins: one line, exit 1, no result folder ----
broken() { # broken NAME PATTERN
    local so=$plugins/$1.so
    expect 1 "${run[@]}" --policy "$so" --out "$tmp/res-$1"
    one_line
    has err "^gpusim: error: .*$2"
    [ ! -e "$tmp/res-$1" ] || fail "$1: a result folder was left behind"
    expect 1 "$gpusim" policies "$so"
    has err "$2"
}
broken bad_abi "policy plug-in '$plugins/bad_abi.so' was built for policy ABI [0-9]*, this gpusim implements ABI [0-9]* (rebuild it"
broken no_symbol "policy plug-in '$plugins/no_symbol.so' exports no 'gs_policy_plugin'"
broken undefined "cannot load policy plug-in '$plugins/undefined.so': .*undefined symbol: gs_sim_no_such_function"
broken no_schedule "policy plug-in '$plugins/no_schedule.so': its gs_policy_plugin lacks schedule"
broken builtin_name "policy plug-in '$plugins/builtin_name.so' calls its policy 'fifo', the name of a built-in"
expect 1 "${run[@]}" --policy "$tmp/nothere.so"
one_line
has err "cannot load policy plug-in '$tmp/nothere.so': no such file"
# a broken plug-in on the path stops the listing with its name
cp "$plugins/bad_abi.so" "$tmp/pp/"
expect 1 env GPUSIM_POLICY_PATH="$tmp/pp" "$gpusim" policies
has err "bad_abi.so' was built for policy ABI"

# ---- a plan that gives GPUs twice: stopped by validation, as for built-in policies ----
expect 1 "${run[@]}" --policy "$plugins/double_gpu.so" --out "$tmp/double"
one_line
has err "^gpusim: error: policy 'double-gpu' at t=.*invalid plan"
[ ! -e "$tmp/double" ] || fail "double_gpu: a result folder was left behind"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "plug-ins: all checks passed"
