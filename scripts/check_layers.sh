#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The layer-direction check (ARCHITECTURE.md): every quoted #include of gpusim's C sources and
# public headers must point at its own layer, at a layer below it, or at base's internal API.
#   scripts/check_layers.sh [SOURCE_DIR]    (default: the checkout this script is in)
# Prints one line per wrong-direction include (file, line, header, owners) and exits 1 when
# there is any; exits 0 and prints a one-line summary otherwise. ctest runs it (test 'layers'),
# and tests/layers_selftest.sh proves that it fails on a wrong-direction include.
set -euo pipefail
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"

# ---- the layers: name, folders, the layers it may use (below it) ----
# A layer sees its own headers (public and private), the public headers of the layers it may
# use, and base's internal API (src/base/internal/). Never a private header of another layer.
layers='
base     src/base             -
core     src/core             base
policies policies             core,base
cxl      src/cxl              base
game     src/game             base
cli      src/cli              policies,core,cxl,game,base
tools    tools                core,base
'
# Developer tools may read the private headers of the layer they generate for: fit_tracegen is
# the trace generator's calibration (src/core/tracegen_int.h), fit_scaledb the scaling model's
# (src/core/dbmodel_int.h). Format: layer:private-of-layer.
private_exceptions='tools:core'
# Private headers generated into the build folder, with their layer (header:layer):
# policy_list.h lists the built-in policies for the registry (cmake/policy_list.cmake).
generated='policy_list.h:policies'

# ---- the public headers (include/gpusim/): which layer owns each ----
public='
err.h        base
event.h      base
engine.h     base
io.h         base
limits.h     base
version.h    base
stats.h      base
scaling_db.h core
goodput.h core
cluster.h    core
trace.h      core
classmap.h   core
job.h        core
dbgen.h      core
tracegen.h   core
sample.h     core
policy.h     core
sim.h        core
cdf.h        core
merge.h      core
htmlreport.h core
registry.h   policies
cxl.h        cxl
game.h       game
'

# Everything below is one awk program: the tables, then every file's quoted includes.
{
    find src policies tools -name '*.h' | sort | sed 's/^/header /'
    find src policies tools -name '*.[ch]' | sort | sed 's/^/source /'
    for f in include/gpusim/*.h include/gpusim/*.h.in; do
        [ -e "$f" ] && echo "public $f"
    done
} | awk -v layers="$layers" -v public="$public" -v exceptions="$private_exceptions" \
    -v generated="$generated" '
function complain(msg) { print "check_layers: " msg; bad++ }
function base(f) { sub(/.*\//, "", f); return f }
# the layer whose folder holds f (the longest matching folder), or ""
function layer_of(f,    l, best, bestlen) {
    best = ""; bestlen = 0
    for (l in folder)
        if (index(f, folder[l] "/") == 1 && length(folder[l]) > bestlen) {
            best = l; bestlen = length(folder[l])
        }
    return best
}
function may_use(l, o) { return l == o || index("," uses[l] ",", "," o ",") > 0 }
function check(f, layer,    line, n, inc, owner) {
    checked++
    n = 0
    while ((getline line < f) > 0) {
        n++
        if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/)
            continue
        inc = line
        sub(/^[^"]*"/, "", inc)
        sub(/".*/, "", inc)
        if (inc ~ /^gpusim\//) {
            owner = owner_of[substr(inc, 8)]
            if (owner == "")
                complain(f ":" n ": includes \047" inc "\047, which is no public header of the table")
            else if (!may_use(layer, owner))
                complain(f ":" n ": layer \047" layer "\047 includes \047" inc "\047 of layer \047" owner "\047 above or beside it (it may use: " uses[layer] ")")
            continue
        }
        owner = private_of[base(inc)]
        if (owner == "")
            complain(f ":" n ": includes \047" inc "\047, found in no layer\047s folder")
        else if (owner != "base-internal" && owner != layer && !((layer ":" owner) in exception))
            complain(f ":" n ": layer \047" layer "\047 includes \047" inc "\047, a private header of layer \047" owner "\047")
    }
    close(f)
}
BEGIN {
    n = split(layers, rows, "\n")
    for (i = 1; i <= n; i++)
        if (split(rows[i], c, " ") == 3) {
            folder[c[1]] = c[2]
            uses[c[1]] = c[3]
        }
    n = split(public, rows, "\n")
    for (i = 1; i <= n; i++)
        if (split(rows[i], c, " ") == 2)
            owner_of[c[1]] = c[2]
    n = split(exceptions, rows, " ")
    for (i = 1; i <= n; i++)
        exception[rows[i]] = 1
    n = split(generated, rows, " ")
    for (i = 1; i <= n; i++)
        if (split(rows[i], c, ":") == 2)
            private_of[c[1]] = c[2]
}
$1 == "header" {
    private_of[base($2)] = $2 ~ /^src\/base\/internal\// ? "base-internal" : layer_of($2)
    next
}
$1 == "source" {
    l = layer_of($2)
    if (l == "")
        complain($2 ": in no layer\047s folder")
    else
        check($2, l)
    next
}
$1 == "public" {
    h = base($2)
    sub(/\.in$/, "", h)
    if (!(h in owner_of))
        complain($2 ": public header without an owning layer (add it to the table in scripts/check_layers.sh)")
    else if (!(owner_of[h] in folder))
        complain($2 ": owned by unknown layer \047" owner_of[h] "\047")
    else
        check($2, owner_of[h])
}
END {
    if (bad) {
        print "check_layers: " bad " wrong-direction include(s); ARCHITECTURE.md describes the layers"
        exit 1
    }
    print "check_layers: " checked " files, every include points at its own layer or below"
}'
