#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The in-tree recipe of docs/extending.md ("A policy in C, in the tree"), followed as written in
# a scratch copy of the source tree: the lines of its <!-- recipe --> block add examples/policy/
# first_fit.c as policies/first_fit.c and build, and nothing else is edited. The gpusim built
# there must list first-fit as a built-in policy and run it as the plug-in runs.
#   tests/policy_recipe.sh GPUSIM SOURCE_DIR PLUGIN
set -u
gpusim=$1
src=$2
plugin=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# the tree as committed (git's files), else the source folder without build folders
mkdir "$tmp/tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 cp --parents -t "$tmp/tree") || fail "cannot copy the tree"
else
    (cd "$src" && tar --exclude='./build*' -cf - .) | (cd "$tmp/tree" && tar -xf -)
fi
awk '/^<!-- recipe -->$/ { r = 1; next } r && /^```sh$/ { b = 1; next } b && /^```$/ { exit }
     b { print }' "$src/docs/extending.md" >"$tmp/recipe.sh"
grep -q "^cp examples/policy/first_fit.c policies/first_fit.c$" "$tmp/recipe.sh" ||
    fail "no recipe block in docs/extending.md: $(cat "$tmp/recipe.sh")"
# the recipe as written; its build is a quick unoptimised one of the program alone
sed -e 's|^cmake -S . -B build && cmake --build build$|cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null \&\& cmake --build build -j2 --target gpusim >/dev/null|' \
    "$tmp/recipe.sh" >"$tmp/run.sh"
(cd "$tmp/tree" && env -u GPUSIM_POLICY_PATH bash -e "$tmp/run.sh") >"$tmp/out" 2>"$tmp/err" ||
    fail "the recipe failed: $(tail -5 "$tmp/err")"
grep -q "^first-fit  *uninformed  *submission order without head-of-line blocking" "$tmp/out" ||
    fail "the built gpusim does not list first-fit: $(cat "$tmp/out")"
grep -q "plug-in" "$tmp/out" && fail "first-fit is listed as a plug-in, not as a built-in policy"
run=(--trace "$src/tests/data/small_trace.csv" --db "$src/tests/data/tiny_db.json"
     --cluster "$src/tests/data/tiny_cluster.json" --no-progress -q --allow-unschedulable)
"$tmp/tree/build/gpusim" "${run[@]}" --policy first-fit --out "$tmp/tree-run" ||
    fail "the built-in first-fit does not run"
"$gpusim" "${run[@]}" --policy "$plugin" --out "$tmp/plugin-run" || fail "the plug-in does not run"
cmp -s "$tmp/tree-run/jobs.csv" "$tmp/plugin-run/jobs.csv" ||
    fail "the built-in first-fit and the plug-in wrote different jobs.csv"
echo "policy_recipe: the recipe of docs/extending.md adds a built-in policy with one file"
