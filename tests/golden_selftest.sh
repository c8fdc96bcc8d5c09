#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The golden CDF check can fail: on the small set (tests/data), a deliberately altered golden
# CDF, a changed behaviour (a longer failed-start delay) and a missing golden file each make
# tests/golden.sh fail with a message naming the policy and scripts/update-golden.sh, while a
# change within the tolerance passes.
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
golden() { bash "$src/tests/golden.sh" "$gpusim" "$src" small "$@" >"$tmp/out" 2>"$tmp/err"; }
pol=$("$gpusim" policies | awk 'NR == 1 { print $1 }')
[ -f "$src/tests/golden/small/$pol.csv" ] || { fail "no golden for $pol: run scripts/update-golden.sh"; exit 1; }

# the committed goldens pass
golden || fail "the committed goldens: $(cat "$tmp/err")"

# a deliberately altered golden CDF: every JCT 20% longer
cp -r "$src/tests/golden/small" "$tmp/altered"
awk -F, 'NR == 1 { print; next } { printf "%.6f,%s\n", $1 * 1.2, $2 }' \
    "$src/tests/golden/small/$pol.csv" >"$tmp/altered/$pol.csv"
golden --golden-dir "$tmp/altered"
st=$?
[ "$st" -eq 1 ] || fail "an altered golden CDF passed"
grep -q "policy '$pol' on set 'small': its JCT CDF moved" "$tmp/err" || fail "message: $(cat "$tmp/err")"
grep -q "scripts/update-golden.sh" "$tmp/err" || fail "no hint to update the goldens: $(cat "$tmp/err")"

# a change of behaviour: failed starts hold their GPUs 10 times longer
golden -- --fail-delay 600
st=$?
[ "$st" -eq 1 ] || fail "a changed behaviour passed the golden test"
grep -q "its JCT CDF moved" "$tmp/err" || fail "message: $(cat "$tmp/err")"

# within the tolerance: one step of the CDF moved halfway to the next moves it by 1/34 < 0.05
cp -r "$src/tests/golden/small" "$tmp/near"
awk -F, '{ l[NR] = $0; x[NR] = $1; f[NR] = $2 }
    END { for (i = 1; i <= NR; i++)
              if (i == 5) printf "%.6f,%s\n", (x[5] + x[6]) / 2, f[5]; else print l[i] }' \
    "$src/tests/golden/small/$pol.csv" >"$tmp/near/$pol.csv"
cmp -s "$tmp/near/$pol.csv" "$src/tests/golden/small/$pol.csv" && fail "the near golden is unchanged"
golden --golden-dir "$tmp/near" || fail "a change within the tolerance failed: $(cat "$tmp/err")"

# a policy without a golden file fails, naming the script that makes one
mkdir -p "$tmp/none"
golden --golden-dir "$tmp/none"
[ $? -eq 1 ] || fail "a policy without a golden passed"
grep -q "policy '$pol' has no golden JCT CDF '$tmp/none/$pol.csv': run scripts/update-golden.sh" \
    "$tmp/err" || fail "message: $(cat "$tmp/err")"

# a golden of a policy that is gone is reported
cp -r "$src/tests/golden/small" "$tmp/orphan"
cp "$tmp/orphan/$pol.csv" "$tmp/orphan/retired-policy.csv"
golden --golden-dir "$tmp/orphan" || fail "an orphaned golden failed the test"
grep -q "retired-policy.csv' is the golden of no registered policy" "$tmp/err" || fail "orphan not reported"

# a set whose trace is missing is skipped (77), not passed
(
    cd "$tmp" && mkdir -p tests/golden && cp "$src/tests/golden/sets.sh" tests/golden/ &&
        bash "$src/tests/golden.sh" "$gpusim" "$tmp" default >"$tmp/out" 2>&1
)
[ $? -eq 77 ] || fail "a missing trace did not skip: $(cat "$tmp/out")"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "golden self-test: all checks passed"
