#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile inputs and faults, one regression test per case of the hardening issue (docs/limits.md):
# outputs that never clobber, no hangs, bounds on every number, bounded memory, one-line escaped
# errors, validate as strict as run, signals that leave nothing behind.
#   hardening.sh GPUSIM SOURCE_DIR
set -u
gpusim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect STATUS CMD...: runs CMD (at most 60 s: a hang fails), stdout/stderr in $tmp/out, $tmp/err
expect() {
    local want=$1
    shift
    timeout 60 "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" -eq "$want" ] || fail "exit $got (want $want): $* :: $(head -c 400 "$tmp/err")"
}
has() { grep -q -- "$2" "$tmp/$1" || fail "'$2' not in $1 of the last command: $(head -c 400 "$tmp/$1")"; }
# one_error: stderr is exactly one line "gpusim: error: ..." with no control byte
one_error() {
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "expected one line on stderr: $(head -c 600 "$tmp/err")"
    grep -q '^gpusim: error: ' "$tmp/err" || fail "not an error line: $(head -c 300 "$tmp/err")"
    LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/err") && fail "control bytes in: $(cat -v "$tmp/err")"
}
nothing_left() { # nothing_left DIR: no temporary file or folder in DIR
    ls -A "$1" | grep -q '\.tmp-' && fail "temporary left in $1: $(ls -A "$1")"
}

T=$src/tests/data/small_trace.csv
DB=$src/tests/data/tiny_db.json
CL=$src/tests/data/tiny_cluster.json
run=("$gpusim" --trace "$T" --db "$DB" --cluster "$CL" --no-progress -q)
cd "$tmp" || exit 1

# ==== 1. outputs never clobber ====
# a FIFO is written in place
mkfifo fifo
cat fifo >fifo.out &
reader=$!
expect 0 "$gpusim" gen-trace --jobs 3 -q -o fifo
wait $reader
[ -p fifo ] || fail "the FIFO was replaced"
[ "$(wc -l <fifo.out)" -eq 4 ] || fail "the FIFO's reader got $(wc -l <fifo.out) lines, not 4"
fifo_ok=$fails
# a symbolic link to a file stays a link; its target gets the output
echo old >target.csv
ln -s target.csv link.csv
expect 0 "$gpusim" gen-trace --jobs 3 -q -o link.csv
[ -L link.csv ] || fail "the link was replaced"
[ "$(wc -l <target.csv)" -eq 4 ] || fail "the link's target was not written"
# /dev/stdout is standard output, as '-' is
expect 0 "$gpusim" db export "$DB" -o /dev/stdout
has out "^class,gpu_type"
[ -L /dev/stdout ] || [ -c /dev/stdout ] || fail "/dev/stdout is no longer a link or device"
# /dev/null (a character device) is written in place, never replaced; tried only when the FIFO
# case passed (a build that replaced it would break the machine's /dev/null as root)
if [ "$fifo_ok" -eq "$fails" ] && [ -c /dev/null ]; then
    expect 0 "$gpusim" gen-trace --jobs 3 -q -o /dev/null
    [ -c /dev/null ] || fail "/dev/null was replaced"
fi
# /dev/stderr is written in place, even when it is a file (the log must not be replaced)
"$gpusim" gen-trace --jobs 2 -q -o /dev/stderr 2>stderr.log
[ "$(grep -c '^job_id' stderr.log)" -eq 1 ] || fail "/dev/stderr: $(head -3 stderr.log)"
# other kinds of targets are refused with a clear error, and left as they were
mkdir adir
expect 1 "$gpusim" gen-trace --jobs 2 -q -o adir
one_error
has err "is a folder: refused"
[ -d adir ] || fail "folder replaced"
echo keep >afile
expect 1 "${run[@]}" -o afile --force
one_error
has err "exists and is not a folder"
[ "$(cat afile)" = keep ] || fail "a file was replaced by a result folder"
ln -s nowhere dangling
expect 1 "$gpusim" gen-trace --jobs 2 -q -o dangling
has err "symbolic link to nothing"
expect 1 "$gpusim" gen-trace --jobs 2 -q -o afile/x.csv
has err "is not a folder"
# every command that writes a file: a link stays a link (its target gets the output), a FIFO
# stays a FIFO (its reader gets the same bytes); these are the ten that used to replace them
"${run[@]}" -o clob/a || fail "run for the outputs of merge"
mkfifo cfifo
while IFS= read -r cmd; do
    read -r -a words <<<"$cmd"
    echo old >ctarget
    ln -sf ctarget clink
    expect 0 "$gpusim" "${words[@]}" -o clink
    [ -L clink ] || fail "$cmd -o LINK replaced the link"
    [ "$(wc -l <ctarget)" -gt 1 ] || fail "$cmd -o LINK: the target got $(cat ctarget)"
    timeout 60 cat cfifo >cfifo.out &
    reader=$!
    expect 0 "$gpusim" "${words[@]}" -o cfifo
    wait $reader || fail "$cmd -o FIFO: its reader ended with $?"
    [ -p cfifo ] || fail "$cmd -o FIFO replaced the FIFO"
    cmp -s ctarget cfifo.out || fail "$cmd -o FIFO: the reader got other bytes than the file"
done <<EOF
gen-trace --jobs 3 -q
db export $DB
db generate
cxl infer --hw flexgen-t4 --model opt-6.7b
cxl memcpy --hw flexgen-t4 --max-size 64K
cxl membench --hw flexgen-t4
cxl sweep --hw flexgen-t4 --model opt-6.7b -q
arrivals --trace $T
game sweep --scenario trip --seeds 1 --duration 5
merge clob
EOF
nothing_left .
# --out is checked before any work: a bad --out is reported even when the trace is bad too
mkdir -p done/r1
expect 1 "$gpusim" --trace /nonexistent.csv --no-progress -o done/r1
has err "output folder 'done/r1' exists"
expect 1 "$gpusim" sample --trace /nonexistent.csv -o done/r1
has err "exists"
expect 1 "$gpusim" game run --scenario /nonexistent.json -o done/r1
has err "exists"
expect 1 "$gpusim" cxl figures --hw /nonexistent.json -o afile
has err "not a folder"
expect 1 "$gpusim" merge -o adir "$src/tests/data"
has err "is a folder"
expect 1 "$gpusim" arrivals --trace /nonexistent.csv -o adir
has err "is a folder"
expect 1 "$gpusim" db import /nonexistent.csv -o adir
has err "is a folder"
# parent folders made for a failed run are removed (game sweep fails after opening its output:
# the policy refuses an unknown parameter when the first run starts)
expect 1 "$gpusim" game sweep --scenario trip --seeds 1 --duration 5 --param nosuch=1 \
    -o new1/new2/x.csv
has err "nosuch"
[ -e new1 ] && fail "parent folders of a failed output left: $(find new1)"
nothing_left .

# ==== 2. hangs become errors or finish ====
# game: device-cloud loss >= 0.45 used to re-post pump_transfer at the same instant for ever
cp "$src/configs/game/trip_access.csv" .
for loss in 0.45 0.6 1; do
    sed "s/\"loss\": 0.001,/\"loss\": $loss,/g" "$src/configs/game/trip.json" >lossy.json
    expect 0 "$gpusim" game run --scenario lossy.json -q
done
# Sia with a duration of 1e300: refused at load, located
head -1 "$T" >huge.csv
sed -n 3p "$T" | awk -F, -v OFS=, '{ $11 = "1e300"; print }' >>huge.csv
for p in sia-aware sia-unaware fifo; do
    expect 1 "${run[@]}" --trace huge.csv --policy "$p"
    one_error
    has err "line 2: column 'duration'"
done
# a duration of three years is accepted, and its run ends
sed -n 3p "$T" | awk -F, -v OFS=, '{ $11 = "100000000"; print }' >long.csv
(head -1 "$T" && cat long.csv) >long2.csv
expect 0 "${run[@]}" --trace long2.csv
# round length, game duration: bounded options (usage errors naming the option)
expect 2 "${run[@]}" --round-length 1e-9
has err "round-length"
has err "Try 'gpusim"
expect 2 "$gpusim" game run --scenario trip --duration 1e308
has err "duration"
expect 2 "${run[@]}" --until 1e300
expect 2 "$gpusim" game run --scenario trip --policy nosuch
has err "Try 'gpusim game run --help'"
expect 2 "${run[@]}" --restart-delay -1
has err "'--restart-delay' needs\|--restart-delay needs"
grep -q "option '-1'" "$tmp/err" && fail "the value named as the option: $(cat "$tmp/err")"
# gen-trace that could never reach its jobs within ten years stops with an error
expect 1 "$gpusim" gen-trace --jobs 1000 --rate 1e-3 -q -o slow.csv
has err "ten years"
[ -e slow.csv ] && fail "partial gen-trace output left"

# ==== 3. every number that enters has a range ====
head -1 "$T" >ts.csv
for v in 1e300 -1e300 1.7e308 -5; do
    sed -n 3p "$T" | awk -F, -v OFS=, -v v="$v" '{ $8 = v; print }' >row.csv
    cat ts.csv row.csv >bad.csv
    expect 1 "${run[@]}" --trace bad.csv
    one_error
    has err "line 2: column 'submit_time'"
    # the other readers of traces (sample overflowed a signed count, arrivals a bin index)
    expect 1 "$gpusim" sample --trace bad.csv --count 1 --per-hour 1 -q -o smp
    has err "line 2: column 'submit_time'"
    [ -e smp ] && fail "sample left output for a bad trace"
    expect 1 "$gpusim" arrivals --trace bad.csv
    has err "line 2: column 'submit_time'"
done
# a plain epoch number within range is fine
sed -n 3p "$T" | awk -F, -v OFS=, '{ $8 = "1677632400"; print }' >row.csv
cat ts.csv row.csv >ok.csv
expect 0 "${run[@]}" --trace ok.csv
# naive timestamps mixed with offset ones are refused (they would shift silently)
(head -3 "$T" && sed -n 4p "$T" | sed 's/+08:00//g') >mixed.csv
expect 1 "${run[@]}" --trace mixed.csv --job-type all
has err "without a UTC offset"
# the other formats: the same ranges (Helios: its column; Philly: the shared builder's backstop)
H=$src/tests/data/traces/helios/cluster_log.csv
(head -1 "$H" && sed -n 2p "$H" | sed 's/2020-/2150-/') >helios.csv
expect 1 "$gpusim" validate --load-only --trace helios.csv
one_error
has err "line 2: column 'submit_time': time out of range"
(head -1 "$H" && sed -n 2p "$H" && sed -n 3p "$H" | sed 's/2020-\([0-9-]* [0-9:]*\)/2020-\1+08:00/') >hmixed.csv
expect 1 "$gpusim" validate --load-only --trace hmixed.csv
has err "line 3: column 'submit_time': timestamps without a UTC offset (line 2)"
sed 's/"submitted_time":"2017-10-07 01:00:37"/"submitted_time":"2150-10-07 01:00:37"/' \
    "$src/tests/data/traces/philly/cluster_job_log_reordered.jsonl" >philly.jsonl
expect 1 "$gpusim" validate --load-only --trace philly.jsonl
one_error
has err "line 1: submit time .* out of range"
# a trace spanning more than ten years
(head -3 "$T" && sed -n 4p "$T" | sed 's/2023-03-01/2035-03-01/') >span.csv
expect 1 "${run[@]}" --trace span.csv --job-type all
has err "more than ten years"
# a cluster of 4 groups x 1024 GPUs x 10^6 nodes: more than 10^6 GPUs, counted without overflow
cat >big.json <<'EOF'
{"schema_version": 1, "name": "big", "node_groups": [
 {"gpu_type": "V100-32GB", "gpus_per_node": 1024, "nodes": 1000000},
 {"gpu_type": "A100-80GB", "gpus_per_node": 1024, "nodes": 1000000}]}
EOF
expect 1 "$gpusim" validate --db "$DB" --cluster big.json
one_error
has err "more than 1000000 GPUs"
# db query --gpus 2147483647: a usage error, no overflow
expect 2 "$gpusim" db query "$DB" --class big --gpu-type A100-80GB --gpus 2147483647
has err "gpus"
# DB throughputs of 1e-300: refused at load with file, line and field
sed 's/"throughput": 10, "viable": true}/"throughput": 1e-300, "viable": true}/' "$DB" >tinythr.json
expect 1 "${run[@]}" --db tinythr.json
one_error
has err "tinythr.json' line [0-9]*: field 'entries\[0\].throughput'"
# a DB that makes a job run past ten years is reported against the DB, located
sed 's/"throughput": \([0-9]*\), "viable": true}/"throughput": 0.00001, "viable": true}/' "$DB" |
    sed 's/"class": "small", "gpu_type": "A100-80GB", "gpus": 1, "throughput": 0.00001/"class": "small", "gpu_type": "A100-80GB", "gpus": 1, "throughput": 1e15/' >slow.json
expect 1 "${run[@]}" --db slow.json
one_error
has err "scaling DB '.*slow.json'"
# a DB with no viable class for a job's configuration: the DB is named first
sed 's/"viable": true/"viable": false/g' "$DB" >dead.json
expect 1 "${run[@]}" --db dead.json
one_error
has err "^gpusim: error: scaling DB '.*dead.json': no workload class is viable"
# CXL bandwidth of 1e-300: refused, located (it printed inf)
sed 's/"channel_gbps": [0-9.]*/"channel_gbps": 1e-300/' "$src/configs/cxl/default.json" >cxl.json
expect 1 "$gpusim" cxl membench --hw cxl.json
one_error
has err "channel_gbps"
# link traces of a game scenario: the same ranges as the scenario's own link fields
printf 't,latency_ms\n10,1e300\n' >badlink.csv
sed 's/"trip_access.csv"/"badlink.csv"/' "$src/configs/game/trip.json" >badlink.json
expect 1 "$gpusim" game validate --scenario badlink.json
has err "latency in \[0, 1e5\]"
# option values that would make a command allocate or loop without bound
expect 2 "$gpusim" cxl memcpy --hw flexgen-t4 --max-size 1e300
has err "max-size"
(head -3 "$T" && sed -n 4p "$T" | sed 's/2023-03-01/2023-08-01/') >months.csv
expect 1 "$gpusim" arrivals --trace months.csv --job-type all --bin 1 -q
one_error
has err "give a larger --bin"
expect 0 "$gpusim" arrivals --trace months.csv --job-type all --bin 3600
# gen-trace --start writes only timestamps its own loader accepts
expect 2 "$gpusim" gen-trace --jobs 3 --start 1e15 -q
expect 2 "$gpusim" gen-trace --jobs 3 --start '2099-12-31 00:00:00+08:00' -q
expect 0 "$gpusim" gen-trace --jobs 3 --start '2089-06-01 00:00:00Z' -q -o late.csv
expect 0 "$gpusim" validate --load-only --trace late.csv --job-type all

# ==== 4. bounded memory on hostile input ====
expect 1 "${run[@]}" --trace /dev/zero
one_error
has err "NUL byte"
expect 1 "${run[@]}" --db /dev/zero
one_error
expect 2 "$gpusim" cdf-compare "$src/tests/golden/small/fifo.csv" /dev/zero
has err "NUL byte"
# an endless line without NUL: the record limit stops it (cdf-compare: bad input is status 2)
expect 2 "$gpusim" cdf-compare "$src/tests/golden/small/fifo.csv" <(head -c 3000000 /dev/zero | tr '\0' a)
has err "longer than the limit"
# JSON nested deeper than the limit
python3 -c 'print("[" * 100000)' >deep.json 2>/dev/null || printf '%*s' 100000 '' | tr ' ' '[' >deep.json
expect 1 "$gpusim" validate --cluster deep.json --db "$DB"
has err "nested deeper"
# a NUL byte inside a CSV field is refused (gpu_num "2\0999" ran as 2)
head -1 "$T" >nul.csv
sed -n 3p "$T" | awk -F, -v OFS=, '{ $4 = "2@999"; print }' | tr '@' '\0' >>nul.csv
expect 1 "${run[@]}" --trace nul.csv
one_error
has err "line 2: NUL byte"
# duplicate JSON keys are refused in every config (the first value used to win)
printf '{"schema_version": 1, "name": "a",\n "name": "b", "node_groups": []}\n' >dup.json
expect 1 "$gpusim" validate --db "$DB" --cluster dup.json
one_error
has err "dup.json' line 2: field 'name': given twice"
sed 's/"throughput_unit": "samples\/s",/"throughput_unit": "samples\/s", "throughput_unit": "x",/' "$DB" >dupdb.json
expect 1 "$gpusim" db validate dupdb.json
has err "given twice"
sed 's/"duration_s": 900,/"duration_s": 900, "duration_s": 5,/' "$src/configs/game/trip.json" >dupgame.json
expect 1 "$gpusim" game validate --scenario dupgame.json
has err "given twice"
sed '0,/"name"/s/"name": \("[^"]*"\)/"name": \1, "name": "x"/' "$src/configs/cxl/default.json" >dupcxl.json
expect 1 "$gpusim" cxl info --hw dupcxl.json
has err "given twice"
# error messages are one line, values escaped and truncated: a quoted field with a newline and
# an escape sequence, and a 5000-byte value
head -1 "$T" >esc.csv
printf '9,u,1,"1\n\033[31m",8,SFT,COMPLETED,2023-03-01 09:00:41+08:00,,,80,0,80\n' >>esc.csv
expect 1 "${run[@]}" --trace esc.csv
one_error
has err '\\n\\x1b\[31m'
head -1 "$T" >long.csv
printf '9,u,1,%s,8,SFT,COMPLETED,2023-03-01 09:00:41+08:00,,,80,0,80\n' "$(head -c 5000 /dev/zero | tr '\0' 7)" >>long.csv
expect 1 "${run[@]}" --trace long.csv
one_error
[ "$(wc -c <"$tmp/err")" -lt 300 ] || fail "error not truncated: $(wc -c <"$tmp/err") bytes"

# ... usage errors and warnings too: an argument or a job id with a newline stays on its line
expect 2 "$gpusim" run $'--bo\ngus'
[ "$(wc -l <"$tmp/err")" -eq 2 ] || fail "usage error split: $(cat -v "$tmp/err")"
has err '--bo\\ngus'
head -1 "$T" >nlid.csv
printf '"bad\nid",u,1,100000,8,SFT,COMPLETED,2023-03-01 09:00:41+08:00,,,80,0,80\n' >>nlid.csv
"$gpusim" --trace nlid.csv --format acme --db "$DB" --cluster "$CL" --no-progress >/dev/null \
    2>"$tmp/err"
grep -qF "job 'bad\\nid'" "$tmp/err" || fail "warning not escaped: $(cat -v "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 2 ] || fail "warning split over lines: $(cat -v "$tmp/err")"

# ==== 5. merge: a folder reached twice counts once; link loops end ====
mkdir -p runs
"${run[@]}" -o runs/a || fail "run for merge"
ln -s ../runs runs/loop
ln -s a runs/b
expect 0 "$gpusim" merge runs runs/a runs/b
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "merge counted a run $(($(wc -l <"$tmp/out") - 1)) times"
expect 0 "$gpusim" merge -o /dev/stdout runs
has out "^run,policy"

# ==== 6. validate applies exactly the checks run does ====
head -3 "$T" >wide.csv
echo '9999,u9,12500,100000,8,SFT,COMPLETED,2023-03-01 09:10:00+08:00,,,100,0,100' >>wide.csv
expect 1 "${run[@]}" --trace wide.csv
expect 1 "$gpusim" validate --trace wide.csv --db "$DB" --cluster "$CL" --no-progress
has err "could not be scheduled"
expect 0 "$gpusim" validate --trace wide.csv --db "$DB" --cluster "$CL" --no-progress --allow-unschedulable
expect 0 "$gpusim" validate --load-only --trace wide.csv --db "$DB" --cluster "$CL"
# statistics over zero finished jobs are null, not 0
expect 0 "${run[@]}" --until 1
grep -A3 '"jct"' "$tmp/out" | grep -q '"mean":.null' || fail "mean JCT of no finished job: $(grep -A3 '"jct"' "$tmp/out")"
grep -q '"makespan":.null' "$tmp/out" || fail "makespan of no finished job not null"

# ==== 7. the invariant checkers run for every policy and module ====
for p in $("$gpusim" policies | awk '{ print $1 }'); do
    for pre in graceful abrupt; do
        expect 0 "${run[@]}" --policy "$p" --check-invariants --knowledge-error 0.3 \
            --preemption "$pre" --allow-unschedulable
    done
done
for p in $("$gpusim" game policies | awk '{ print $1 }'); do
    expect 0 "$gpusim" game run --scenario trip --policy "$p" --check-invariants -q
done

# ==== 8. SIGINT and SIGTERM mid-write leave nothing behind, exit 130 / 143 ====
set -m # background jobs get signals as they would from a terminal (not SIG_IGN'd)
# mid_write SIG DIR NAME CMD...: stops CMD while its temporary .NAME.tmp-* exists in DIR and NAME
# does not, sends SIG, resumes it; checks the exit status and that no temporary is left in DIR
# (the output itself exists only when the signal landed while it was taking its name: then it is
# complete, as the commit holds signals back)
mid_write() {
    local sig=$1 dir=$2 name=$3 pid st want
    shift 3
    want=$((128 + $(kill -l "$sig")))
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        "$@" >/dev/null 2>&1 &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            if compgen -G "$dir/.$name.tmp-*" >/dev/null; then
                kill -STOP "$pid" 2>/dev/null
                break
            fi
        done
        if compgen -G "$dir/.$name.tmp-*" >/dev/null && [ ! -e "$dir/$name" ]; then
            kill -"$sig" "$pid"
            kill -CONT "$pid"
            while :; do
                wait "$pid"
                st=$?
                [ $st -ne 147 ] && break # 147: the stop was reported; wait for the end
            done
            [ "$st" -eq "$want" ] || fail "SIG$sig mid-write of $name: exit $st, not $want"
            [ -d "$dir" ] && ls -A "$dir" | grep -q '\.tmp-' &&
                fail "SIG$sig mid-write of $name left: $(find "$dir" -mindepth 1 | tr '\n' ' ')"
            return
        fi
        kill -CONT "$pid" 2>/dev/null
        wait "$pid"
        rm -rf "${dir:?}"/* "${dir:?}"/.[!.]* 2>/dev/null
    done
    fail "SIG$sig: never caught $name mid-write in 10 tries (make its output larger)"
}
"$gpusim" gen-trace --jobs 60000 -q -o big.csv || fail "gen-trace for the signal tests"
for sig in INT TERM; do
    mkdir -p "s$sig"
    mid_write "$sig" "s$sig/p/q" out.csv "$gpusim" gen-trace --jobs 200000 -q -o "s$sig/p/q/out.csv"
    [ -e "s$sig/p/q/out.csv" ] || [ ! -e "s$sig/p" ] ||
        fail "SIG$sig: parent folders made for the output left"
    mkdir -p "r$sig"
    mid_write "$sig" "r$sig" r "$gpusim" --trace big.csv --job-type all --until 3600 -q \
        --no-progress --allow-unschedulable -o "r$sig/r"
done
mkdir -p m
for i in 1 2 3; do
    "$gpusim" --trace big.csv --job-type all --until 3600 -q --no-progress --allow-unschedulable \
        --seed $i -o "runs2/s$i" || fail "run for merge"
done
mid_write INT m jobs.csv "$gpusim" merge -o m/runs.csv --jobs m/jobs.csv runs2
# the tables take their names as one step: both or neither
[ -e m/runs.csv ] && [ ! -e m/jobs.csv ] && fail "merge interrupted between its two outputs"
mkdir -p cx
mid_write TERM cx sweep.csv "$gpusim" cxl sweep --hw flexgen-t4 --model opt-6.7b,opt-30b \
    --batch 1,2,4,8 --pcie-gen 3,4,5 -q -o cx/sweep.csv
mkdir -p gm
mid_write INT gm sweep.csv "$gpusim" game sweep --scenario trip --seeds 1-4 --duration 60 \
    -o gm/sweep.csv
set +m

if [ "$fails" -ne 0 ]; then
    echo "hardening: $fails failure(s)" >&2
    exit 1
fi
echo "hardening: all checks passed"
