#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Submits a sweep manifest (scripts/sweep.sh --manifest-only) as one Slurm job array, so the
# cluster's scheduler distributes the runs. Prints the job id on stdout.
set -euo pipefail
gs_prog=submit.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

usage() {
    cat <<'USAGE'
usage: scripts/slurm/submit.sh MANIFEST [--throttle N] [--per-task K] [-- SBATCH_ARGS...]

Submits scripts/slurm/sweep.sbatch as a job array over MANIFEST: task i runs lines
(i-1)*K+1 .. i*K and skips those whose result folder exists, so submitting again after a
failure or a cancellation runs only what is missing.

  -t, --throttle N   at most N tasks at a time (the array's %N; default 16)
  -k, --per-task K   manifest lines per task (default 1, raised when the array would exceed
                     Slurm's MaxArraySize)
  -- ARGS            more sbatch options (--partition, --time, --mem, --wait, ...)
  -h, --help         show this help

Slurm's own output goes to DIR/slurm/<job>_<task>.out, each run's messages to DIR/logs/, where
DIR is the manifest's folder. The machines need gpusim, the traces and DIR at the same
absolute paths (a shared file system).
USAGE
}

manifest="" throttle=16 per=""
sargs=()
while [ $# -gt 0 ]; do
    case $1 in
    -t | --throttle) gs_need_value "$@"; throttle=$2; shift 2 ;;
    -k | --per-task) gs_need_value "$@"; per=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; sargs=("$@"); break ;;
    -*) gs_usage_error "unknown option '$1'" ;;
    *) [ -z "$manifest" ] || gs_usage_error "unexpected argument '$1'"; manifest=$1; shift ;;
    esac
done
[ -n "$manifest" ] || gs_usage_error "missing MANIFEST"
[[ $throttle =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--throttle needs a positive integer, got '$throttle'"
[ -z "$per" ] || [[ $per =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--per-task needs a positive integer, got '$per'"
[ -f "$manifest" ] || gs_die "manifest '$manifest': no such file"
command -v sbatch >/dev/null || gs_die "sbatch not found: this is not a Slurm submission host"
command -v scontrol >/dev/null || gs_die "scontrol not found: this is not a Slurm submission host"
manifest=$(gs_abspath "$manifest")
lines=$(wc -l <"$manifest")
[ "$lines" -gt 0 ] || gs_die "manifest '$manifest' has no runs"
# the controller's settings; no answer means no array can be submitted either
if ! config=$(scontrol show config 2>&1); then
    gs_die "no Slurm controller answers ('scontrol show config': $(printf '%s' "$config" | head -n 1));" \
        "is slurmctld running, and SLURM_CONF set for this cluster?"
fi
max=$(awk '$1 == "MaxArraySize" { print $3 }' <<<"$config")
max=${max:-1001}
if [ -z "$per" ]; then
    per=$(((lines + max - 2) / (max - 1)))
fi
tasks=$(((lines + per - 1) / per))
[ "$tasks" -lt "$max" ] ||
    gs_die "$tasks tasks exceed MaxArraySize $max: raise --per-task to $(((lines + max - 2) / (max - 1)))"
out=$(dirname "$manifest")
mkdir -p "$out/slurm"
sbatch --parsable --array="1-$tasks%$throttle" --output="$out/slurm/%A_%a.out" \
    --chdir="$out" "${sargs[@]}" "$here/sweep.sbatch" "$manifest" "$per"
echo "submit.sh: $lines runs as $tasks array tasks (at most $throttle at a time) from $manifest" >&2
