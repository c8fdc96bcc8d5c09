#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# gpusim game from the command line: help on stdout with status 0, usage errors with status 2,
# bad scenarios with status 1 and a message naming file, line and field, atomic and
# byte-identical outputs for the same inputs and seed.
#   tests/game_cli.sh GPUSIM SOURCE_DIR
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d /tmp/gpusim-game-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# expect STATUS CMD...: runs CMD, stdout to $tmp/out, stderr to $tmp/err
expect() {
    want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$tmp/err")"
}

for sub in "" run sweep validate policies; do
    expect 0 "$gpusim" game $sub --help
    grep -q "usage: gpusim game" "$tmp/out" || fail "game $sub --help printed no usage"
    [ -s "$tmp/err" ] && fail "game $sub --help wrote to stderr"
done
expect 0 "$gpusim" --help
grep -q "^  game" "$tmp/out" || fail "gpusim --help does not list game"

# usage errors: status 2 and a hint
expect 2 "$gpusim" game
expect 2 "$gpusim" game teleport
expect 2 "$gpusim" game run
grep -q "Try 'gpusim game run --help'" "$tmp/err" || fail "no usage hint: $(cat "$tmp/err")"
expect 2 "$gpusim" game run -s figure5 --bogus
expect 2 "$gpusim" game run -s figure5 --seed minus-one
expect 2 "$gpusim" game run -s figure5 --duration 0
expect 2 "$gpusim" game run -s figure5 --param nokey
expect 2 "$gpusim" game sweep -s figure5 --seeds 9-3
expect 2 "$gpusim" game sweep -s figure5 -p static-local,nope
expect 2 "$gpusim" game policies extra

# the registry
expect 0 "$gpusim" game policies
for p in static-local static-edge static-cloud scripted adaptive; do
    grep -q "^$p " "$tmp/out" || fail "game policies does not list $p"
done
expect 0 "$gpusim" game run -p help
grep -q "^adaptive " "$tmp/out" || fail "--policy help does not list the policies"

# bad input: status 1, one message with file, line and field
cat >"$tmp/bad.json" <<'JSON'
{"schema_version": 1, "name": "bad", "duration_s": 30,
 "nodes": {"device": {}, "cloud": {}},
 "links": {"device-cloud": {"down_mbps": 50,
   "loss": 7}},
 "components": {"start": {"server": "cloud", "client": "device", "renderer": "device"}}}
JSON
expect 1 "$gpusim" game run -s "$tmp/bad.json"
grep -q "bad.json' line 4: field 'links.device-cloud.loss'" "$tmp/err" ||
    fail "bad loss: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one error line: $(cat "$tmp/err")"
expect 1 "$gpusim" game validate -s "$tmp/bad.json"
expect 1 "$gpusim" game run -s "$tmp/missing.json"
grep -q "missing.json" "$tmp/err" || fail "missing file not named: $(cat "$tmp/err")"
printf 'x,y\n' >"$tmp/notjson.json"
expect 1 "$gpusim" game validate -s "$tmp/notjson.json"
grep -q "line 1 column" "$tmp/err" || fail "syntax error without position: $(cat "$tmp/err")"
expect 1 "$gpusim" game run -s figure5 -p static-edge
grep -q "no edge" "$tmp/err" || fail "static-edge without an edge: $(cat "$tmp/err")"
expect 1 "$gpusim" game run -s figure5 --param wobble=3
grep -q "wobble" "$tmp/err" || fail "unknown parameter not named: $(cat "$tmp/err")"

# shipped scenarios validate
expect 0 "$gpusim" game validate -s figure5
expect 0 "$gpusim" game validate -s "$src/configs/game/trip.json"
grep -q "2 input file" "$tmp/out" || fail "trip: the CSV trace is not an input: $(cat "$tmp/out")"

# outputs: atomic folder, byte-identical on a re-run with the same seed
expect 0 "$gpusim" game run -s figure5 --seed 3 -o "$tmp/a" -q -f
for f in timeseries.csv migrations.csv summary.json; do
    [ -s "$tmp/a/$f" ] || fail "missing $f"
done
cp -r "$tmp/a" "$tmp/a1"
expect 0 "$gpusim" game run -s figure5 --seed 3 -o "$tmp/a" -q -f
for f in timeseries.csv migrations.csv summary.json; do
    cmp -s "$tmp/a/$f" "$tmp/a1/$f" || fail "$f differs between identical runs"
done
expect 1 "$gpusim" game run -s figure5 --seed 3 -o "$tmp/a" -q
cmp -s "$tmp/a/summary.json" "$tmp/a1/summary.json" || fail "a refused run touched the output"
expect 0 "$gpusim" game run -s figure5 --seed 4 -o "$tmp/b" -q
cmp -s "$tmp/a/timeseries.csv" "$tmp/b/timeseries.csv" && fail "another seed gave the same run"
[ "$(wc -l <"$tmp/a/timeseries.csv")" -eq 121 ] || fail "60 s at 0.5 s should give 120 rows"
grep -q '"seed":	3' "$tmp/a/summary.json" || fail "seed not recorded"
grep -q ',1,experiment action at t=30$' "$tmp/a/migrations.csv" ||
    fail "migration not logged: $(cat "$tmp/a/migrations.csv")"
ls -A "$tmp" | grep -q '\.tmp-' && fail "temporary folder left behind"

# summary on stdout, sweep tables
expect 0 "$gpusim" game run -s figure5 -q
grep -q '"phases"' "$tmp/out" || fail "no summary on stdout"
expect 0 "$gpusim" game sweep -s figure5 --seeds 2 --phases -o "$tmp/sweep.csv"
grep -q '^scripted,1,0,local,cloud,device,' "$tmp/sweep.csv" || fail "sweep: no phase row"
grep -q '^scripted,mean,delta,' "$tmp/sweep.csv" || fail "sweep: no delta aggregate"
expect 0 "$gpusim" game sweep -s figure5 -p static-local,static-cloud --seeds 1-2
[ "$(grep -c '^static-cloud,' "$tmp/out")" -eq 6 ] || fail "sweep: expected 2 runs + 4 aggregates"

[ "$fails" -eq 0 ] || exit 1
echo "game_cli: all checks passed"
