#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proof that the layer-direction check (scripts/check_layers.sh) can fail: on a copy of the
# sources it must pass, then fail on each kind of wrong-direction include planted in the copy,
# naming the file and the header.   tests/layers_selftest.sh GPUSIM SOURCE_DIR
set -u
src=$2
tmp=$(mktemp -d /tmp/gpusim-layers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

fresh() {
    rm -rf "$tmp/tree"
    mkdir -p "$tmp/tree"
    (cd "$src" && cp -r src policies tools include scripts "$tmp/tree/")
}

# must_fail WHAT PATTERN: the check on the copy exits 1 and its output matches PATTERN
must_fail() {
    if bash "$tmp/tree/scripts/check_layers.sh" "$tmp/tree" >"$tmp/out" 2>&1; then
        fail "$1: the check passed"
    elif ! grep -q -- "$2" "$tmp/out"; then
        fail "$1: '$2' not in: $(cat "$tmp/out")"
    fi
}

fresh
bash "$tmp/tree/scripts/check_layers.sh" "$tmp/tree" >"$tmp/out" 2>&1 ||
    fail "the check fails on the unchanged sources: $(cat "$tmp/out")"

# the engine (base) reaching up into the scheduling core
printf '#include "gpusim/sim.h"\n' >>"$tmp/tree/src/base/engine.c"
must_fail "base includes core" "src/base/engine.c:.*'gpusim/sim.h' of layer 'core'"

# the core calling the policy registry (the policies layer is above it)
fresh
printf '#include "gpusim/registry.h"\n' >>"$tmp/tree/src/core/sim.c"
must_fail "core includes policies" "src/core/sim.c:.*'gpusim/registry.h' of layer 'policies'"

# a policy reading the simulator's internals
fresh
printf '#include "sim_int.h"\n' >>"$tmp/tree/policies/fifo.c"
must_fail "policy includes a private core header" "policies/fifo.c:.*'sim_int.h', a private header of layer 'core'"

# one companion module using another
fresh
printf '#include "gpusim/game.h"\n' >>"$tmp/tree/src/cxl/cxl_net.c"
must_fail "cxl includes game" "src/cxl/cxl_net.c:.*'gpusim/game.h' of layer 'game'"

# the CLI reaching into a layer's private header
fresh
printf '#include "tracegen_int.h"\n' >>"$tmp/tree/src/cli/cmd_traces.c"
must_fail "cli includes a private core header" "src/cli/cmd_traces.c:.*'tracegen_int.h'"

# a public header of a lower layer including one of a higher layer
fresh
printf '#include "gpusim/policy.h"\n' >>"$tmp/tree/include/gpusim/engine.h"
must_fail "public base header includes a core header" "include/gpusim/engine.h:.*'gpusim/policy.h' of layer 'core'"

# a new public header nobody owns
fresh
printf '/* x */\n' >"$tmp/tree/include/gpusim/orphan.h"
must_fail "public header without owner" "orphan.h: public header without an owning layer"

[ "$fails" -eq 0 ] || exit 1
echo "layers_selftest: the layer check fails on every planted wrong-direction include"
