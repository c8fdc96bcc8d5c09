#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/slurm/ for real: starts a private single-node Slurm on this machine (its own munged,
# key, ports, state and spool under a temporary folder), submits a sweep manifest as a throttled
# job array with scripts/slurm/submit.sh, waits, and checks every result folder. A run completed
# beforehand is skipped; a second submission runs nothing. Needs root and Debian's slurm-wlm and
# munge (scripts/deps.sh --slurm); exits 77 (skipped) without them.
set -u
gpusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd) # absolute: the test runs commands from other folders
for t in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin
    command -v "$t" >/dev/null ||
        { echo "SKIP: '$t' not found: install Slurm with scripts/deps.sh --slurm"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: a private Slurm needs root here (slurmd)"; exit 77; }
# Debian 12's slurmd (Slurm 22.05) always initialises its cgroup plugin, even with
# proctrack/linuxproc and task/none, and fails without a mounted cgroup file system (as in a
# bare chroot, where /sys is not mounted): nothing a test can configure away.
grep -qs ' /sys/fs/cgroup[ /]' /proc/mounts ||
    { echo "SKIP: no cgroup file system at /sys/fs/cgroup, which slurmd 22.05 needs"; exit 77; }
command -v parallel >/dev/null || true

tmp=$(mktemp -d /tmp/gpusim-slurm.XXXXXX)
chmod 755 "$tmp" # munged wants its socket's folders searchable
pids=()
cleanup() {
    local p
    [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
die() {
    echo "FAIL: $*" >&2
    for f in "$tmp"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done
    exit 1
}

# ---- a private munge and Slurm ----
mungekey -c -k "$tmp/munge.key" || die "mungekey"
munged -F -f --socket="$tmp/munge.sock" --key-file="$tmp/munge.key" --log-file="$tmp/munged.log" \
    --pid-file="$tmp/munged.pid" --seed-file="$tmp/munged.seed" >/dev/null 2>&1 &
pids+=($!)
host=$(hostname -s)
# two free TCP ports on loopback, picked at random so parallel test runs do not collide
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 30000))
        (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    echo 0
}
p1=$(free_port)
p2=$(free_port)
[ "$p2" != "$p1" ] || p2=$((p1 + 1))
mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=gpusimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$p1
SlurmdPort=$p2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
for _ in $(seq 50); do [ -S "$tmp/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge.sock" ] || die "munged did not start"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/slurmd.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    sinfo -h -o %T 2>/dev/null | grep -q idle && break
    sleep 0.1
done
sinfo -h -o %T 2>/dev/null | grep -q idle || die "the Slurm node did not come up: $(sinfo 2>&1)"

# ---- a sweep manifest: one policy x 2 seeds x 3 knowledge errors = 6 runs ----
export GPUSIM=$gpusim
T=$src/tests/data/small_trace.csv
out=$tmp/sweep
"$src/scripts/sweep.sh" --out "$out" --traces "$T" --policies "$("$gpusim" policies | awk 'NR == 1 { print $1 }')" \
    --seeds 1-2 --knowledge-errors 0,0.1,0.2 --manifest-only -q \
    -- --db "$src/tests/data/tiny_db.json" --cluster "$src/tests/data/tiny_cluster.json" ||
    die "sweep.sh --manifest-only"
[ "$(wc -l <"$out/manifest.txt")" -eq 6 ] || die "manifest: $(cat "$out/manifest.txt")"
# one run done beforehand (by hand, from its manifest line): the array must skip it
(eval "$(sed -n 3p "$out/manifest.txt")") 2>/dev/null || fail "manifest line 3 by hand"
w=()
eval "w=($(sed -n 3p "$out/manifest.txt"))"
pre=${w[${#w[@]} - 1]}
touch "$pre/marker"

# ---- the job array, throttled to 2 at a time ----
cd "$tmp" || exit 1
job=$("$src/scripts/slurm/submit.sh" "$out/manifest.txt" --throttle 2 2>"$tmp/submit.err") ||
    die "submit.sh: $(cat "$tmp/submit.err")"
[[ $job =~ ^[0-9]+$ ]] || die "submit.sh printed '$job'"
scontrol show job "$job" 2>/dev/null | grep -q "ArrayTaskThrottle=2" ||
    fail "no %2 throttle on job $job: $(scontrol show job "$job" 2>&1 | head -n 5)"
for _ in $(seq 1200); do # at most 2 minutes
    [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
    sleep 0.1
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || die "the array did not finish in 2 minutes: $(squeue)"

# ---- every result folder, complete; the earlier one untouched ----
n=0
while IFS= read -r line; do
    n=$((n + 1))
    eval "w=($line)"
    d=${w[${#w[@]} - 1]}
    for f in summary.json jobs.csv jct_cdf.csv allocations.csv; do
        [ -s "$d/$f" ] || fail "line $n: $d/$f missing"
    done
    s=$(sed -n 's/^\t"seed":\t\([0-9]*\),$/\1/p' "$d/summary.json")
    [[ $d == *-s$s ]] || fail "line $n: $d holds seed '$s'"
    [ -f "$out/slurm/${job}_$n.out" ] || fail "no Slurm output for task $n"
done <"$out/manifest.txt"
[ -f "$pre/marker" ] || fail "the run completed beforehand was redone"
grep -q "complete already" "$out/slurm/${job}_3.out" || fail "task 3 did not skip: $(cat "$out/slurm/${job}_3.out")"
[ "$(grep -l "done on" "$out"/slurm/"${job}"_*.out | wc -l)" -eq 5 ] || fail "5 tasks should have run"
[ "$("$gpusim" merge "$out/runs" | tail -n +2 | wc -l)" -eq 6 ] || fail "gpusim merge: not 6 runs"

# ---- submitting again runs nothing ----
job2=$("$src/scripts/slurm/submit.sh" "$out/manifest.txt" --throttle 3 -- --wait 2>/dev/null) ||
    fail "second submission failed"
job2=$(echo "$job2" | head -n 1)
[ "$(cat "$out"/slurm/"${job2}"_*.out | grep -c "complete already")" -eq 6 ] ||
    fail "the second submission re-ran something: $(cat "$out"/slurm/"${job2}"_*.out)"

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)" >&2
    exit 1
fi
echo "slurm: all checks passed (job arrays $job and $job2)"
