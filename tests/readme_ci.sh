#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's CI recipe ("Regressing JCT CDFs in your CI"), run exactly as written: the shell
# block is taken from README.md and run twice in a scratch copy of the layout it expects (a CI
# runs it again and again), then the comparison must fail once the golden CDF is moved.
#   tests/readme_ci.sh GPUSIM SOURCE_DIR
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d /tmp/gpusim-readme-ci-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# the first ```sh block after the section's heading
awk '/^## Regressing JCT CDFs in your CI/ { s = 1; next }
     s && /^```sh$/ { b = 1; next }
     b && /^```$/ { exit }
     b { print }' "$src/README.md" >"$tmp/recipe.sh"
[ -s "$tmp/recipe.sh" ] || { echo "FAIL: no recipe found in README.md" >&2; exit 1; }
grep -q 'cdf-compare' "$tmp/recipe.sh" || fail "the recipe compares nothing: $(cat "$tmp/recipe.sh")"

mkdir -p "$tmp/bin" "$tmp/repo"
ln -s "$gpusim" "$tmp/bin/gpusim"
ln -s "$src/traces" "$tmp/repo/traces"
for pass in first second; do
    (cd "$tmp/repo" && PATH=$tmp/bin:$PATH bash -e "$tmp/recipe.sh") >"$tmp/out" 2>"$tmp/err" ||
        fail "the recipe as written fails ($pass run): $(cat "$tmp/err")"
done
grep -q '^ks 0.000000' "$tmp/out" || fail "the same run should give distance 0: $(cat "$tmp/out")"

# the check can fail: the golden CDF moved (every JCT 20 % longer), the recipe's last line
awk -F, 'NR == 1 { print; next } { printf "%.6f,%s\n", $1 * 1.2, $2 }' \
    "$tmp/repo/new/jct_cdf.csv" >"$tmp/repo/ci/golden-fifo.csv"
last=$(grep -v '^#' "$tmp/recipe.sh" | tail -n 1)
(cd "$tmp/repo" && PATH=$tmp/bin:$PATH eval "$last") >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "a moved CDF passed the recipe's comparison (exit $rc)"
grep -q "exceeds --max-ks" "$tmp/err" || fail "no message on a moved CDF: $(cat "$tmp/err")"

[ "$fails" -eq 0 ] || exit 1
echo "readme_ci: the README's CI recipe works as written"
