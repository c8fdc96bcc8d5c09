#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the documentation and comments may cite: public sources by name (the CLOUDSTARS D2.1
# report, papers, artifacts) and the repository's own docs, never a document users do not
# have; and no committed table or doc carries a machine's path.   tests/docs.sh GPUSIM SOURCE_DIR
set -u
src=$(cd "$2" && pwd)
cd "$src" || exit 1
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
mapfile -t files < <(find README.md ARCHITECTURE.md CONTRIBUTING.md BENCHMARKS.md docs configs \
    traces/README.md include src policies tools tests scripts bench examples python cmake \
    -type f \( -name '*.md' -o -name '*.[ch]' -o -name '*.sh' -o -name '*.json' -o -name '*.csv' \
    -o -name '*.sbatch' -o -name '*.txt' -o -name '*.py' -o -name '*.cmake' -o -name Makefile \) \
    ! -path tests/docs.sh 2>/dev/null | sort)
[ "${#files[@]}" -gt 50 ] || fail "found only ${#files[@]} files to check"

# documents that exist only in the authors' workspace
private='planning.document|DESIGN(\.md)? section|DESIGN\.md|NOTES\.md|NOTES (section )?[0-9]|calibration notes|notes [A-D]\.[0-9]|offload-calibration\.md|STATS\.md'
hits=$(grep -nEi "$private" "${files[@]}" || true)
[ -z "$hits" ] || fail "documents users lack are cited (cite the CLOUDSTARS D2.1 report, papers, artifacts or docs/ instead):
$hits"

# machine paths in what is committed as data or documentation
paths=$(grep -nE '/(work|home|root|Users)/[A-Za-z0-9_.-]+/' docs/*.csv docs/*.md README.md BENCHMARKS.md \
    configs/*/*.json traces/README.md 2>/dev/null || true)
[ -z "$paths" ] || fail "a machine's path in committed docs or data:
$paths"

[ "$fails" -eq 0 ] || exit 1
echo "docs: ${#files[@]} files cite no private document and carry no machine path"
