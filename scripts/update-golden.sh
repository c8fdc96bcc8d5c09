#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the golden JCT CDFs that ctest compares against (tests/golden/), for every
# registered policy, when a change of behaviour is intended. Review `git diff tests/golden`
# (and the runs' summaries) before committing.
set -euo pipefail
gs_prog=update-golden.sh
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/update-golden.sh [--set NAME] [POLICY...]

Runs each policy (default: every one `gpusim policies` lists) on each golden set (default: all
whose trace exists; sets are defined in tests/golden/sets.sh) and writes its JCT CDF as the new
golden file. A set whose trace is missing is skipped with a message.

  -s, --set NAME   only this set (default, small)
  -h, --help       show this help
USAGE
}

only=""
pols=()
while [ $# -gt 0 ]; do
    case $1 in
    -s | --set) gs_need_value "$@"; only=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) pols+=("$1"); shift ;;
    esac
done
gs_find_gpusim
cd "$gs_repo"
# shellcheck source=../tests/golden/sets.sh
. tests/golden/sets.sh
if [ -n "$only" ]; then
    golden_set "$only" || gs_usage_error "unknown set '$only' (sets: $golden_sets)"
    sets=$only
else
    sets=$golden_sets
fi
mapfile -t known < <(gs_policies)
[ ${#pols[@]} -gt 0 ] || pols=("${known[@]}")
for p in "${pols[@]}"; do
    printf '%s\n' "${known[@]}" | grep -qxF -- "$p" ||
        gs_usage_error "unknown policy '$p'; valid policies: ${known[*]}"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in $sets; do
    golden_set "$s"
    if [ ! -f "$trace" ]; then
        echo "update-golden.sh: set '$s' skipped: its trace '$trace' is not in this checkout" >&2
        continue
    fi
    mkdir -p "$dir"
    for p in "${pols[@]}"; do
        golden_run "$GPUSIM" "$p" "$tmp/$s-$p" || gs_die "policy '$p' on set '$s' failed"
        cp "$tmp/$s-$p/jct_cdf.csv" "$dir/.$p.csv.tmp"
        mv "$dir/.$p.csv.tmp" "$dir/$p.csv"
        echo "update-golden.sh: $dir/$p.csv ($(($(wc -l <"$dir/$p.csv") - 1)) points)" >&2
    done
done
