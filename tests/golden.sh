#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Golden JCT CDFs: runs every policy `gpusim policies` lists on a golden set (tests/golden/sets.sh)
# and compares its JCT CDF with the committed one (gpusim cdf-compare --max-ks). A policy without
# a golden file fails: new policies cannot slip through unregressed.
#   tests/golden.sh GPUSIM SRC SET [--golden-dir DIR] [-- GPUSIM_RUN_ARGS...]
# Exit 0 all match, 1 some moved or is missing, 77 (skipped) when the set's trace is absent.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
set_name=$3
shift 3
cd "$src" || exit 1
# shellcheck source=golden/sets.sh
. tests/golden/sets.sh
golden_set "$set_name" || { echo "golden.sh: unknown set '$set_name' (sets: $golden_sets)" >&2; exit 2; }
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --golden-dir) dir=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "golden.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
if [ ! -f "$trace" ]; then
    echo "SKIP: golden set '$set_name': its trace '$trace' is not in this checkout"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
for p in $("$gpusim" policies | awk 'NF { print $1 }'); do
    n=$((n + 1))
    # with the invariant checker on: every event of every policy's golden run is checked
    if ! golden_run "$gpusim" "$p" "$tmp/$p" --check-invariants "${extra[@]}" 2>"$tmp/err"; then
        echo "FAIL: policy '$p' on set '$set_name': the run failed: $(cat "$tmp/err")" >&2
        fails=$((fails + 1))
        continue
    fi
    g=$dir/$p.csv
    if [ ! -f "$g" ]; then
        echo "FAIL: policy '$p' has no golden JCT CDF '$g': run scripts/update-golden.sh" \
            "(after checking its results) and commit the file" >&2
        fails=$((fails + 1))
        continue
    fi
    "$gpusim" cdf-compare "$g" "$tmp/$p/jct_cdf.csv" --max-ks "$max_ks" >"$tmp/out" 2>"$tmp/err"
    case $? in
    0) echo "ok: $p on set '$set_name': $(cat "$tmp/out") (max $max_ks)" ;;
    1)
        echo "FAIL: policy '$p' on set '$set_name': its JCT CDF moved from '$g': $(cat "$tmp/out")," \
            "over --max-ks $max_ks. If the change is intended, run scripts/update-golden.sh and" \
            "commit the new golden files" >&2
        fails=$((fails + 1))
        ;;
    *)
        echo "FAIL: policy '$p': cannot compare with '$g': $(cat "$tmp/err")" >&2
        fails=$((fails + 1))
        ;;
    esac
done
for g in "$dir"/*.csv; do # goldens of policies that are gone: reported, not failed
    [ -f "$g" ] || continue
    p=$(basename "$g" .csv)
    "$gpusim" policies | awk '{ print $1 }' | grep -qxF -- "$p" ||
        echo "warning: '$g' is the golden of no registered policy: delete it" >&2
done
if [ "$fails" -ne 0 ]; then
    echo "golden set '$set_name': $fails of $n policies failed" >&2
    exit 1
fi
echo "golden set '$set_name': all $n policies match"
