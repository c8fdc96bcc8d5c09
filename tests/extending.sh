#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docs/extending.md shows its examples as they are: every code block marked
# <!-- file: PATH --> is PATH's whole content, byte for byte (the files themselves are built and
# run by tests/plugin.sh, tests/install.sh and the Python tests).   tests/extending.sh GPUSIM SRC
set -u
src=$2
doc=$src/docs/extending.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# each marked block into $tmp/<n>, its path into $tmp/<n>.path
awk -v out="$tmp" '
/^<!-- file: .* -->$/ { path = $3; next }
path != "" && /^```/ && !inblock { inblock = 1; n++; f = out "/" n; print path > (f ".path"); close(f ".path"); printf "" > f; next }
inblock && /^```$/ { inblock = 0; path = ""; close(f); next }
inblock { print >> f }
' "$doc"
n=0
for f in "$tmp"/*.path; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    path=$(cat "$f")
    if ! cmp -s "${f%.path}" "$src/$path"; then
        echo "FAIL: docs/extending.md's copy of $path differs from the file:" >&2
        diff "${f%.path}" "$src/$path" | head -20 >&2
        fails=$((fails + 1))
    fi
done
[ "$n" -ge 2 ] || { echo "FAIL: found $n marked examples in docs/extending.md" >&2; exit 1; }
[ "$fails" -eq 0 ] || exit 1
echo "extending: the $n examples of docs/extending.md are the files"
