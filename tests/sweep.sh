#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/sweep.sh end to end: 3 policies (or fewer, padded with knowledge errors) x 2 traces x
# 2 seeds with -j 2, killed halfway; the re-run finishes only the missing runs; gpusim merge
# gives one row per run whose values are those of each summary.json. Also: the manifest lines
# re-run by hand, failed runs reported, progress only on a terminal or with --progress, usage.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd) # absolute: the test runs commands from other folders
tmp=$(mktemp -d)
# the held stand-ins (below) that are still asleep: GNU parallel puts each job in a process group
# of its own, so killing the sweep's group does not reach them
kill_held() {
    local pid
    [ -f "$tmp/held.pids" ] || return 0
    while read -r pid; do
        kill -KILL "$pid" 2>/dev/null
    done <"$tmp/held.pids"
    rm -f "$tmp/held.pids"
}
cleanup() {
    [ -n "${bg:-}" ] && kill -KILL -- "-$bg" 2>/dev/null
    kill_held
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
command -v parallel >/dev/null || { echo "SKIP: GNU parallel is not installed (scripts/deps.sh --test)"; exit 77; }

sweep=$src/scripts/sweep.sh
T=$src/tests/data/small_trace.csv
head -n 25 "$T" >"$tmp/small_b.csv" # a second, different trace
DB=$src/tests/data/tiny_db.json
CL=$src/tests/data/tiny_cluster.json

# A gpusim that, while $tmp/block exists, lets only the first 6 runs through and holds the
# others until killed: "halfway" is then exact, whatever the machine's speed. A held one notes
# its process id (kept by exec) so that the test can kill it.
cat >"$tmp/gpusim" <<EOF
#!/usr/bin/env bash
if [ "\${1:-}" = run ] && [ -e "$tmp/block" ]; then
    i=1
    until mkdir "$tmp/slot.\$i" 2>/dev/null; do i=\$((i + 1)); done
    if [ \$i -gt 6 ]; then
        echo \$\$ >>"$tmp/held.pids"
        exec sleep 600
    fi
fi
exec "$gpusim" "\$@"
EOF
chmod +x "$tmp/gpusim"
export GPUSIM=$tmp/gpusim

# 3 distinct policies when gpusim has them; otherwise knowledge errors make up the third axis
mapfile -t all < <("$gpusim" policies | awk 'NF { print $1 }')
np=${#all[@]}
[ "$np" -gt 3 ] && np=3
pols=$(IFS=,; echo "${all[*]:0:$np}")
nk=$(((3 + np - 1) / np))
kes=$(echo 0 0.1 0.2 | cut -d' ' -f1-$nk | tr ' ' ,)
want=$((np * nk * 2 * 2))
echo "sweep: policies $pols, knowledge errors $kes, 2 traces, 2 seeds: $want runs"
out=$tmp/out
args=(--out "$out" --policies "$pols" --knowledge-errors "$kes" --traces "$T,$tmp/small_b.csv"
    --seeds "1,2" --clusters "$CL" -j 2)
gargs=(-- --db "$DB") # for gpusim run

# ---- a first sweep, killed halfway (SIGKILL to its whole process group: a crash) ----
touch "$tmp/block"
set -m
"$sweep" "${args[@]}" "${gargs[@]}" >"$tmp/s1.out" 2>"$tmp/s1.err" &
bg=$!
set +m
disown "$bg" # no "Killed" report from the shell
complete() { find "$out/runs" -mindepth 4 -maxdepth 4 -type d ! -name '.*' 2>/dev/null | wc -l; }
for _ in $(seq 600); do
    [ "$(complete)" -ge 6 ] && [ "$(find "$tmp" -maxdepth 1 -name 'slot.*' | wc -l)" -ge 8 ] && break
    sleep 0.05
done
kill -KILL -- "-$bg" 2>/dev/null
while kill -0 -- "-$bg" 2>/dev/null; do sleep 0.05; done
bg=""
kill_held
n1=$(complete)
[ "$n1" -eq 6 ] || fail "after the kill: $n1 complete runs (want 6): $(cat "$tmp/s1.err")"
[ "$(wc -l <"$out/manifest.txt")" -eq "$want" ] || fail "manifest has $(wc -l <"$out/manifest.txt") lines"
# an interrupted run's temporary folder, as gpusim leaves it when killed while writing
first_missing=""
while IFS= read -r line; do
    w=()
    eval "w=($line)"
    d=${w[${#w[@]} - 1]}
    if [ -d "$d" ]; then
        echo keep >"$d/marker" # must survive the re-run: finished runs are not redone
    elif [ -z "$first_missing" ]; then
        first_missing=$d
    fi
done <"$out/manifest.txt"
half="$(dirname "$first_missing")/.$(basename "$first_missing").tmp-Xy12Ab"
mkdir -p "$half" && printf '{"policy": "fi' >"$half/summary.json"

# ---- the re-run: only the missing runs ----
rm -f "$tmp/block"
before=$(wc -l <"$out/joblog.txt" 2>/dev/null || echo 0)
"$sweep" "${args[@]}" "${gargs[@]}" >"$tmp/s2.out" 2>"$tmp/s2.err"
rc=$?
[ "$rc" -eq 0 ] || fail "re-run exit $rc: $(cat "$tmp/s2.err")"
grep -q "$want runs in .*: 6 complete, $((want - 6)) to run" "$tmp/s2.err" ||
    fail "re-run did not plan the missing runs only: $(cat "$tmp/s2.err")"
grep -q "1 temporary folder" "$tmp/s2.err" || fail "stale temporary folder not reported"
after=$(wc -l <"$out/joblog.txt")
[ $((after - before)) -eq $((want - 6)) ] || fail "re-run ran $((after - before)) runs (want $((want - 6)))"
[ "$(complete)" -eq "$want" ] || fail "after the re-run: $(complete) complete runs"
[ "$(find "$out/runs" -name marker | wc -l)" -eq 6 ] || fail "a finished run was redone"
[ -d "$half" ] || fail "the temporary folder should stay without --clean"
"$sweep" "${args[@]}" --clean "${gargs[@]}" >"$tmp/s3.out" 2>"$tmp/s3.err" || fail "third run: $(cat "$tmp/s3.err")"
[ -d "$half" ] && fail "--clean left the temporary folder"
grep -q ": $want complete, 0 to run" "$tmp/s3.err" || fail "third run: $(cat "$tmp/s3.err")"

# ---- merge: one row per run, values as in each summary.json ----
"$gpusim" merge "$out/runs" -o "$tmp/runs.csv" --jobs "$tmp/jobs.csv" 2>"$tmp/m.err" ||
    fail "merge: $(cat "$tmp/m.err")"
[ "$(tail -n +2 "$tmp/runs.csv" | wc -l)" -eq "$want" ] || fail "runs.csv rows: $(wc -l <"$tmp/runs.csv")"
cmp -s "$tmp/runs.csv" "$out/runs.csv" || fail "the sweep's own runs.csv differs from gpusim merge"
# jval FILE KEY: the value of "KEY": in summary.json (the first one; strings unquoted)
jval() { sed -n "s/^\t*\"$2\":\t\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -n 1; }
checked=0
while IFS= read -r row; do
    run=${row%%,*}
    s=$run/summary.json
    [ -f "$s" ] || { fail "row names no result folder: $run"; continue; }
    for kv in policy:policy seed:seed jobs:jobs finished:finished jct_mean:mean jct_p50:p50 \
        jct_p99:p99 makespan:makespan gpu_hours:gpu_hours knowledge_error:knowledge_error \
        restarts:restarts failures:failures; do
        col=${kv%%:*}
        key=${kv#*:}
        got=$(awk -F, -v c="$col" -v r="$run" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
            NR > 1 && $1 == r { print $k }' "$tmp/runs.csv")
        exp=$(jval "$s" "$key")
        [ -n "$exp" ] && [ "$got" = "$exp" ] || fail "$run: $col is '$got', summary.json has '$exp'"
        checked=$((checked + 1))
    done
    case $run in
    */small_trace/*) trace=$T ;;
    *) trace=$tmp/small_b.csv ;;
    esac
    pol=$(jval "$s" policy)
    [[ $run == */"$pol"/ke* ]] || fail "$run: folder does not name its policy $pol"
    grep -qF "\"path\":"$'\t'"\"$trace\"" "$s" || fail "$run: not a run of $trace"
done < <(tail -n +2 "$tmp/runs.csv")
[ "$checked" -eq $((want * 12)) ] || fail "checked $checked values"
jobs_rows=$(($(tail -n +2 "$tmp/jobs.csv" | wc -l)))
exp_rows=$(($(cat "$out"/runs/*/*/*/*/jobs.csv | grep -vc '^job_id,')))
[ "$jobs_rows" -eq "$exp_rows" ] || fail "jobs.csv rows: $jobs_rows (want $exp_rows)"

# ---- a manifest line is the exact command: re-run by hand, byte-identical ----
line=$(head -n 1 "$out/manifest.txt")
w=()
eval "w=($line)"
d=${w[${#w[@]} - 1]}
mv "$d" "$tmp/aside"
(cd / && eval "$line") 2>"$tmp/hand.err" || fail "manifest line 1 failed by hand: $(cat "$tmp/hand.err")"
for f in jobs.csv jct_cdf.csv allocations.csv summary.json; do
    cmp -s "$d/$f" "$tmp/aside/$f" || fail "$f differs when the manifest line is re-run by hand"
done

# ---- failed runs are reported, and retried by the next run ----
printf 'job_id,gpu_num,type,submit_time,duration\n1,x,SFT,2023-03-01 00:00:00+08:00,5\n' >"$tmp/bad.csv"
"$sweep" --out "$tmp/bad" --traces "$tmp/bad.csv" --policies "${all[0]}" -j 2 --no-progress \
    -- --db "$DB" --cluster "$CL" >/dev/null 2>"$tmp/b.err"
rc=$?
[ "$rc" -eq 1 ] || fail "sweep with a failing run: exit $rc (want 1)"
grep -q "1 of 1 runs failed" "$tmp/b.err" || fail "failure not reported: $(cat "$tmp/b.err")"
grep -q "bad.csv' line 2: column 'gpu_num'" "$tmp/b.err" || fail "gpusim's message not shown: $(cat "$tmp/b.err")"

# ---- a run that wrote results but exited 1 (a job no pool can hold) is reported, and still
# reported when the sweep is resumed: the resumed sweep does not forget it ----
printf 'job_id,gpu_num,type,submit_time,duration\nbig,64,SFT,2023-03-01 00:00:00+08:00,5\nok,1,SFT,2023-03-01 00:00:01+08:00,5\n' >"$tmp/unsched.csv"
for pass in first resumed; do
    "$sweep" --out "$tmp/un" --traces "$tmp/unsched.csv" --policies "${all[0]}" -j 1 \
        --no-progress -- --db "$DB" --cluster "$CL" >/dev/null 2>"$tmp/un.err" ||
        fail "$pass sweep with an unschedulable job: $(cat "$tmp/un.err")"
    grep -q "1 run(s) wrote results but reported an error" "$tmp/un.err" ||
        fail "$pass sweep: the run that exited 1 is not reported: $(cat "$tmp/un.err")"
done

# ---- progress: GNU parallel's ETA only on a terminal or with --progress ----
grep -q "ETA" "$tmp/s2.err" && fail "progress shown without a terminal"
"$sweep" --out "$tmp/p" --traces "$T" --policies "${all[0]}" --seeds 1-2 --progress -- --db "$DB" \
    --cluster "$CL" >/dev/null 2>"$tmp/p.err" || fail "sweep --progress: $(cat "$tmp/p.err")"
grep -q "ETA" "$tmp/p.err" || fail "--progress showed no ETA: $(cat "$tmp/p.err")"
grep -q "/dev/tty" "$tmp/p.err" && fail "--progress without a terminal complains about /dev/tty"
if command -v script >/dev/null; then # a pseudo-terminal
    script -qec "$(printf '%q ' "$sweep" --out "$tmp/tty" --traces "$T" --policies "${all[0]}" \
        -- --db "$DB" --cluster "$CL")" /dev/null >"$tmp/tty.out" 2>&1 </dev/null
    grep -q "ETA" "$tmp/tty.out" || fail "no progress on a terminal: $(cat "$tmp/tty.out")"
fi

# ---- --sshlogin goes to GNU parallel: runs reach two "machines" through a stand-in ssh
# (PARALLEL_SSH) that runs the command here, as a shared file system would make it ----
cat >"$tmp/ssh" <<EOF
#!/usr/bin/env bash
while [ \$# -gt 0 ]; do case \$1 in -l | -o | -p | -S) shift 2 ;; -*) shift ;; *) break ;; esac; done
echo "\$1" >>"$tmp/ssh.hosts"
shift
[ "\${1:-}" = -- ] && shift
exec bash -c "\$*"
EOF
chmod +x "$tmp/ssh"
PARALLEL_SSH=$tmp/ssh "$sweep" --out "$tmp/ssh-out" --traces "$T" --policies "${all[0]}" --seeds 1-4 \
    -S 1/nodeA -S 1/nodeB -- --db "$DB" --cluster "$CL" >/dev/null 2>"$tmp/ssh.err" ||
    fail "sweep over --sshlogin: $(cat "$tmp/ssh.err")"
[ "$(find "$tmp/ssh-out/runs" -name summary.json | wc -l)" -eq 4 ] || fail "sweep over --sshlogin: not 4 runs"
[ "$(sort -u "$tmp/ssh.hosts" | tr '\n' ' ')" = "nodeA nodeB " ] ||
    fail "runs did not reach both logins: $(sort "$tmp/ssh.hosts" | uniq -c)"
cut -f2 "$tmp/ssh-out/joblog.txt" | grep -qx nodeB || fail "joblog does not name the login"

# ---- usage errors: exit 2 ----
expect2() {
    "$sweep" "$@" >/dev/null 2>"$tmp/u.err"
    local rc=$?
    [ "$rc" -eq 2 ] || fail "exit $rc (want 2): sweep.sh $*"
    grep -q "Try 'sweep.sh --help'" "$tmp/u.err" || fail "no hint: sweep.sh $*"
}
expect2 --traces "$T"
expect2 --out "$tmp/u"
expect2 --out "$tmp/u" --traces "$T" --policies nosuch
expect2 --out "$tmp/u" --traces "$T" --seeds 1,x
expect2 --out "$tmp/u" --traces "$T" --knowledge-errors -1
expect2 --out "$tmp/u" --traces "$T" -j 0
expect2 --out "$tmp/u" --traces "$T" --bogus
expect2 --out "$tmp/u" --traces "$T,"
"$sweep" --help | grep -q "usage: scripts/sweep.sh" || fail "--help"
"$sweep" --out "$tmp/u" --traces "$tmp/none.csv" >/dev/null 2>"$tmp/u.err"
[ $? -eq 1 ] && grep -q "none.csv': no such file" "$tmp/u.err" || fail "missing trace: $(cat "$tmp/u.err")"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "sweep: all checks passed"
