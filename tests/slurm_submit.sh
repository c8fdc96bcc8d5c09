#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/slurm/submit.sh without a Slurm: stand-in scontrol and sbatch on PATH. With no
# controller answering it must fail with a message (exit 1); with one, the array it submits must
# cover the manifest (task count, throttle, output folder). tests/slurm.sh tests a real Slurm.
#   tests/slurm_submit.sh GPUSIM SOURCE_DIR
set -u
src=$(cd "$2" && pwd)
tmp=$(mktemp -d /tmp/gpusim-submit-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
submit=$src/scripts/slurm/submit.sh
mkdir -p "$tmp/bin" "$tmp/sweep"
for i in 1 2 3 4 5; do echo "gpusim run --trace t.csv --out $tmp/sweep/runs/r$i"; done >"$tmp/sweep/manifest.txt"

# no controller: scontrol fails as Slurm's does when slurmctld is down
cat >"$tmp/bin/scontrol" <<'SH'
#!/bin/sh
echo "slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)" >&2
exit 1
SH
printf '#!/bin/sh\necho "sbatch: must not be called" >&2\nexit 1\n' >"$tmp/bin/sbatch"
chmod +x "$tmp/bin/scontrol" "$tmp/bin/sbatch"
PATH=$tmp/bin:$PATH "$submit" "$tmp/sweep/manifest.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "no controller: exit $rc (want 1)"
grep -q "^submit.sh: error: no Slurm controller answers" "$tmp/err" ||
    fail "no controller: no message: '$(cat "$tmp/err")'"
grep -q "Unable to contact slurm controller" "$tmp/err" || fail "scontrol's reason not shown"
grep -q "must not be called" "$tmp/err" && fail "sbatch was called without a controller"

# a controller: the array covers the 5 runs, 2 per task, throttled to 3
cat >"$tmp/bin/scontrol" <<'SH'
#!/bin/sh
printf 'Configuration data as of now\nMaxArraySize            = 1001\n'
SH
cat >"$tmp/bin/sbatch" <<SH
#!/bin/sh
echo "\$@" >"$tmp/sbatch.args"
echo 4242
SH
PATH=$tmp/bin:$PATH "$submit" "$tmp/sweep/manifest.txt" --throttle 3 --per-task 2 >"$tmp/out" 2>"$tmp/err" ||
    fail "submit with a controller: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = 4242 ] || fail "job id not printed: $(cat "$tmp/out")"
grep -q -- "--array=1-3%3 " "$tmp/sbatch.args" || fail "array: $(cat "$tmp/sbatch.args")"
grep -q -- "--output=$tmp/sweep/slurm/%A_%a.out" "$tmp/sbatch.args" || fail "output: $(cat "$tmp/sbatch.args")"
grep -q "sweep.sbatch $tmp/sweep/manifest.txt 2$" "$tmp/sbatch.args" || fail "script args: $(cat "$tmp/sbatch.args")"

[ "$fails" -eq 0 ] || exit 1
echo "slurm_submit: all checks passed"
