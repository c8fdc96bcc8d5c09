#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An installed gpusim, as a user gets it: cmake --install into a temporary prefix, moved
# elsewhere afterwards (the installation must be relocatable); its headers compile on their own;
# the out-of-tree example plug-in (examples/policy/) builds against it with its own Makefile and
# pkg-config, and the installed gpusim loads it; bundled inputs are found in the installed data
# folder, or in $GPUSIM_DATA_DIR; the installed Python package loads the installed library.
#   tests/install.sh GPUSIM SOURCE_DIR BUILD_DIR
set -u
src=$2
build=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
for t in make pkg-config cc; do
    command -v "$t" >/dev/null || { echo "skipped: $t is missing" >&2; exit 77; }
done
unset GPUSIM_DATA_DIR GPUSIM_POLICY_PATH GPUSIM_LIBRARY

cmake --install "$build" --prefix "$tmp/staged" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; exit 1; }
mv "$tmp/staged" "$tmp/prefix"
p=$tmp/prefix
for f in bin/gpusim lib/libgpusim.so lib/pkgconfig/gpusim.pc include/gpusim/policy.h \
    include/gpusim/sim.h include/gpusim/registry.h include/gpusim/version.h \
    share/gpusim/configs/clusters/default.json share/gpusim/configs/scaledb/default.json \
    share/gpusim/traces/default.csv share/gpusim/examples/policy/Makefile \
    share/gpusim/examples/policy/first_fit.c lib/python3/dist-packages/gpusim/__init__.py \
    lib/python3/dist-packages/gpusim/_install.py; do
    [ -e "$p/$f" ] || fail "not installed: $f"
done
[ ! -e "$p/include/gpusim/version.h.in" ] || fail "version.h.in installed"
ldd "$p/bin/gpusim" | grep -q "libgpusim.so.0 => $p/bin/../lib/libgpusim.so.0" ||
    fail "the installed gpusim does not load the installed library: $(ldd "$p/bin/gpusim" | grep gpusim)"

# ---- the installed headers, each on its own, with pkg-config's flags ----
export PKG_CONFIG_PATH=$p/lib/pkgconfig
[ "$(pkg-config --modversion gpusim)" = "$("$p/bin/gpusim" --version | cut -d' ' -f2)" ] ||
    fail "gpusim.pc's version is not the program's"
for h in "$p"/include/gpusim/*.h; do
    # shellcheck disable=SC2046 # pkg-config's flags are words
    printf '#include "gpusim/%s"\n' "${h##*/}" |
        cc -std=c11 -Wall -Werror -fsyntax-only $(pkg-config --cflags gpusim) -x c - ||
        fail "installed header ${h##*/} does not compile on its own"
done

# ---- the example plug-in: its own Makefile, against the installation ----
cp -r "$p/share/gpusim/examples/policy" "$tmp/example"
(cd "$tmp/example" && make >"$tmp/make.log" 2>&1) || fail "the example does not build: $(cat "$tmp/make.log")"
cd "$tmp" || exit 1
"$p/bin/gpusim" --trace default --policy example/first_fit.so -q --allow-unschedulable --out run1 ||
    fail "the installed gpusim cannot run the example plug-in"
s=run1/summary.json
grep -q '"policy":[[:space:]]*"first-fit"' "$s" || fail "run1 is not first-fit"
grep -q '"path":[[:space:]]*"data:traces/default.csv"' "$s" || fail "bundled trace not recorded as data:"
grep -q '"path":[[:space:]]*"data:configs/clusters/default.json"' "$s" || fail "cluster not data:"
grep -q '"path":[[:space:]]*"data:configs/scaledb/default.json"' "$s" || fail "DB not data:"
grep -q "$src\|$build" "$s" && fail "summary.json names the source or build folder"
GPUSIM_POLICY_PATH=$tmp/example "$p/bin/gpusim" policies >policies.txt || fail "policies"
grep -q "^first-fit .*uninformed" policies.txt || fail "gpusim policies does not list the plug-in"

# ---- GPUSIM_DATA_DIR replaces the data folder ----
mkdir -p data/configs/clusters data/configs/scaledb data/traces
cp "$src/tests/data/tiny_cluster.json" data/configs/clusters/tiny.json
cp "$src/tests/data/tiny_db.json" data/configs/scaledb/tiny.json
cp "$src/tests/data/small_trace.csv" data/traces/small.csv
GPUSIM_DATA_DIR=$tmp/data "$p/bin/gpusim" --trace small --cluster tiny --db tiny -q \
    --classes db-mix --allow-unschedulable --out run2 || fail "GPUSIM_DATA_DIR: the run failed"
grep -q '"path":[[:space:]]*"data:configs/clusters/tiny.json"' run2/summary.json ||
    fail "GPUSIM_DATA_DIR: the cluster was not found there"
GPUSIM_DATA_DIR=$tmp/data "$p/bin/gpusim" --trace small -q 2>err.txt &&
    fail "GPUSIM_DATA_DIR without configs/clusters/default.json: the run did not fail"
grep -q "cannot find 'default' (not a file, nor a name in $tmp/data/configs/" err.txt ||
    fail "GPUSIM_DATA_DIR: unclear error: $(cat err.txt)"

# ---- the installed Python package finds the installed library ----
py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c 'import cffi, pandas' 2>/dev/null && ! ldd "$p/bin/gpusim" | grep -q libasan; then
    PYTHONPATH=$p/lib/python3/dist-packages PYTHONDONTWRITEBYTECODE=1 "$py" - "$p" <<'PY' ||
import os, sys
import gpusim
prefix = sys.argv[1]
assert gpusim.library_path.startswith(prefix + "/"), gpusim.library_path
assert gpusim.data_dir() == os.path.realpath(prefix + "/share/gpusim"), gpusim.data_dir()
r = gpusim.run("default", "example/first_fit.so")
assert r.summary["policy"] == "first-fit" and r.summary["jobs"] == 960, r
PY
        fail "the installed Python package"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "install: all checks passed"
