#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sweeps gpusim over policies x traces x clusters x knowledge errors x seeds with GNU parallel:
# writes a manifest (one gpusim command per line), then runs the lines whose result folder does
# not exist yet. Re-running resumes: finished runs are skipped. docs/workflow.md explains it.
set -euo pipefail
gs_prog=sweep.sh
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'EOF'
usage: scripts/sweep.sh --out DIR --traces LIST [options] [-- GPUSIM_RUN_ARGS...]
       scripts/sweep.sh --out DIR --manifest FILE [options]

Runs one gpusim simulation per combination of the lists (comma-separated), each into its own
result folder DIR/runs/<trace>/<cluster>/<policy>/ke<error>-s<seed>, with GNU parallel. A run
whose folder exists is complete (gpusim writes it atomically) and is skipped, so re-running the
same command after a crash or Ctrl-C finishes only the missing runs.

axes:
  -t, --traces LIST            trace files (required)
  -p, --policies LIST          policies, or 'all' (default: every one `gpusim policies` lists)
  -c, --clusters LIST          cluster names or files (default: default)
  -k, --knowledge-errors LIST  values of --knowledge-error (default: 0)
  -s, --seeds LIST             seeds, or ranges like 1-10 (default: 1)
  -- ARGS                      more `gpusim run` options for every run (--db, --restart-delay,
                               --param K=V, ...); they are not part of the folder names, so use
                               another --out for another value
  -m, --manifest FILE          run the lines of an existing manifest instead

execution:
  -o, --out DIR                the sweep folder: manifest.txt, runs/, logs/, joblog.txt,
                               runs.csv (gpusim merge of the runs, once all are complete)
  -j, --jobs N                 runs at a time per machine (default: the number of cores)
  -S, --sshlogin LOGIN         also run on LOGIN (GNU parallel's --sshlogin; repeatable; ':' is
                               this machine). The machines need gpusim, the traces and DIR at the
                               same absolute paths (a shared file system).
      --manifest-only          write DIR/manifest.txt and stop (scripts/slurm/submit.sh runs it)
      --clean                  delete the temporary folders that interrupted runs left behind
      --progress               show GNU parallel's progress and ETA even when stderr is not a
                               terminal (default: only on a terminal)
      --no-progress            never show it
  -q, --quiet                  no messages but errors
  -h, --help                   show this help

GPUSIM selects the gpusim binary (default: build/gpusim of this checkout, else PATH).
Exit status: 0 every run is complete, 1 some run failed (see DIR/logs/), 2 a usage error.
EOF
}

# to_array NAME LIST OPTION: the comma-separated items of LIST into array NAME; none empty
to_array() {
    case ,$2, in *,,*) gs_usage_error "$3 '$2' has an empty item" ;; esac
    IFS=, read -r -a "$1" <<<"$2"
}

# A folder-name-safe form of a trace or cluster: the file's stem, [A-Za-z0-9._-] only.
stem() {
    local b=${1##*/}
    b=${b%.csv}
    b=${b%.json}
    b=$(printf '%s' "$b" | tr -c 'A-Za-z0-9._-' '_')
    case $b in .* | '') b=_$b ;; esac
    printf '%s\n' "$b"
}

out="" traces="" policies=all clusters=default kerrs=0 seeds=1 manifest_in="" jobs=""
manifest_only=0 clean=0 progress="" quiet=0
sshlogins=()
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    -o | --out) gs_need_value "$@"; out=$2; shift 2 ;;
    -t | --traces) gs_need_value "$@"; traces=$2; shift 2 ;;
    -p | --policies) gs_need_value "$@"; policies=$2; shift 2 ;;
    -c | --clusters) gs_need_value "$@"; clusters=$2; shift 2 ;;
    -k | --knowledge-errors) gs_need_value "$@"; kerrs=$2; shift 2 ;;
    -s | --seeds) gs_need_value "$@"; seeds=$2; shift 2 ;;
    -m | --manifest) gs_need_value "$@"; manifest_in=$2; shift 2 ;;
    -j | --jobs) gs_need_value "$@"; jobs=$2; shift 2 ;;
    -S | --sshlogin) gs_need_value "$@"; sshlogins+=(--sshlogin "$2"); shift 2 ;;
    --manifest-only) manifest_only=1; shift ;;
    --clean) clean=1; shift ;;
    --progress) progress=1; shift ;;
    --no-progress) progress=0; shift ;;
    -q | --quiet) quiet=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) gs_usage_error "unknown option '$1'" ;;
    esac
done
[ -n "$out" ] || gs_usage_error "missing --out DIR"
if [ -n "$jobs" ]; then
    [[ $jobs =~ ^[1-9][0-9]*$ ]] || gs_usage_error "--jobs needs a positive integer, got '$jobs'"
fi
if [ -n "$manifest_in" ]; then
    [ -z "$traces" ] || gs_usage_error "--manifest replaces the axes; drop --traces"
    [ ${#extra[@]} -eq 0 ] || gs_usage_error "--manifest replaces the axes; drop the arguments after --"
else
    [ -n "$traces" ] || gs_usage_error "missing --traces LIST"
fi
say() { [ "$quiet" -eq 1 ] || echo "sweep: $*" >&2; }

gs_find_gpusim
out=$(gs_abspath "$out")
manifest=$out/manifest.txt
mkdir -p "$out"

# ---- the manifest: one exact gpusim command per line, its result folder last ----
if [ -z "$manifest_in" ]; then
    to_array tl "$traces" --traces
    if [ "$policies" = all ]; then
        mapfile -t pl < <(gs_policies)
        [ ${#pl[@]} -gt 0 ] || gs_die "'$GPUSIM policies' listed no policy"
    else
        to_array pl "$policies" --policies
        known=$(gs_policies)
        for p in "${pl[@]}"; do
            grep -qxF -- "$p" <<<"$known" ||
                gs_usage_error "unknown policy '$p'; valid policies: ${known//$'\n'/ }"
        done
    fi
    cl=() kl=() sl_in=() # filled by to_array
    to_array cl "$clusters" --clusters
    to_array kl "$kerrs" --knowledge-errors
    to_array sl_in "$seeds" --seeds
    sl=()
    for s in "${sl_in[@]}"; do
        if [[ $s =~ ^([0-9]+)-([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ]; then
            for ((i = BASH_REMATCH[1]; i <= BASH_REMATCH[2]; i++)); do sl+=("$i"); done
        elif [[ $s =~ ^[0-9]+$ ]]; then
            sl+=("$s")
        else
            gs_usage_error "--seeds: '$s' is neither a seed nor a range A-B"
        fi
    done
    for k in "${kl[@]}"; do
        [[ $k =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
            gs_usage_error "--knowledge-errors: '$k' is not a non-negative number like 0.25"
    done
    # traces and clusters become absolute paths (or stay names); their stems name folders
    declare -A seen=()
    for i in "${!tl[@]}"; do
        [ -f "${tl[$i]}" ] || gs_die "trace '${tl[$i]}': no such file"
        tl[i]=$(gs_abspath "${tl[$i]}")
        st=$(stem "${tl[$i]}")
        [ -z "${seen[t$st]:-}" ] || gs_die "traces '${seen[t$st]}' and '${tl[$i]}' would share" \
            "the result folder name '$st': rename one"
        seen[t$st]=${tl[$i]}
    done
    for i in "${!cl[@]}"; do
        if [[ ${cl[$i]} == */* || -f ${cl[$i]} ]]; then
            [ -f "${cl[$i]}" ] || gs_die "cluster '${cl[$i]}': no such file"
            cl[i]=$(gs_abspath "${cl[$i]}")
        fi
        st=$(stem "${cl[$i]}")
        [ -z "${seen[c$st]:-}" ] || gs_die "clusters '${seen[c$st]}' and '${cl[$i]}' would" \
            "share the result folder name '$st': rename one"
        seen[c$st]=${cl[$i]}
    done
    tmp=$(mktemp "$out/.manifest.txt.tmp-XXXXXX")
    # no process per line: thousands of runs take seconds, not minutes, on a loaded machine
    for t in "${tl[@]}"; do
        ts=$(stem "$t")
        for c in "${cl[@]}"; do
            cs=$(stem "$c")
            for p in "${pl[@]}"; do
                for k in "${kl[@]}"; do
                    for s in "${sl[@]}"; do
                        dir=$out/runs/$ts/$cs/$p/ke$k-s$s
                        cmd=("$GPUSIM" run --trace "$t" --policy "$p" --cluster "$c" --seed "$s"
                            --knowledge-error "$k" "${extra[@]}" --out "$dir")
                        printf -v line '%q ' "${cmd[@]}"
                        printf '%s\n' "${line% }"
                    done
                done
            done
        done
    done >"$tmp"
    chmod 644 "$tmp"
    mv "$tmp" "$manifest"
else
    [ -f "$manifest_in" ] || gs_die "manifest '$manifest_in': no such file"
    if [ "$(gs_abspath "$manifest_in")" != "$manifest" ]; then
        cp "$manifest_in" "$out/.manifest.txt.tmp" && mv "$out/.manifest.txt.tmp" "$manifest"
    fi
fi
total=$(grep -c . "$manifest" || true)
[ "$total" -gt 0 ] || gs_die "manifest '$manifest' has no runs"

# ---- which runs are missing ----
# The result folder is the last word of each line (after --out); it exists only when complete.
pending=$(mktemp "$out/.pending.tmp-XXXXXX")
every=$(mktemp "$out/.every.tmp-XXXXXX") # every run, finished before or not: the final report
trap 'rm -f "$pending" "$every"' EXIT
n=0 done_=0
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    [ -n "$line" ] || continue
    words=()
    eval "words=($line)" || gs_die "'$manifest' line $n: not a command line"
    if [ ${#words[@]} -lt 3 ] || [ "${words[${#words[@]} - 2]}" != --out ]; then
        gs_die "'$manifest' line $n: the command does not end with --out DIR"
    fi
    dir=${words[${#words[@]} - 1]}
    rel=${dir#"$out"/runs/}
    [ "$rel" != "$dir" ] || rel=line$n
    printf '%s\t%s\n' "$rel" "$line" >>"$every"
    if [ -d "$dir" ]; then
        done_=$((done_ + 1))
    else
        printf '%s\t%s\n' "$rel" "$line" >>"$pending"
    fi
done <"$manifest"
todo=$((total - done_))
stale=$({ find "$out/runs" -name '.*.tmp-*' -prune -print 2>/dev/null || true; } | wc -l)
if [ "$stale" -gt 0 ]; then
    if [ "$clean" -eq 1 ]; then
        find "$out/runs" -name '.*.tmp-*' -prune -exec rm -rf {} +
        say "deleted $stale temporary folder(s) of interrupted runs"
    else
        say "$stale temporary folder(s) of interrupted runs under $out/runs (--clean deletes them" \
            "when no sweep is running there)"
    fi
fi
if [ "$manifest_only" -eq 1 ]; then
    say "$total runs in $manifest ($done_ complete)"
    exit 0
fi
say "$total runs in $manifest: $done_ complete, $todo to run"

# ---- run them ----
if [ "$todo" -gt 0 ]; then
    popt=()
    if gs_want_progress "$progress"; then
        popt=(--eta)
    fi
    command -v parallel >/dev/null ||
        gs_die "GNU parallel is not installed (Debian: apt-get install parallel)"
    # eval runs each line as the shell command it is, its messages going to logs/<run>.log;
    # the joblog (appended to by every re-run) has each run's exit status and times.
    logs=$(printf '%q' "$out/logs")
    set +e
    PARALLEL_SHELL=bash parallel --will-cite --colsep '\t' -j "${jobs:-100%}" "${sshlogins[@]}" \
        "${popt[@]}" --joblog +"$out/joblog.txt" \
        "mkdir -p \"\$(dirname $logs/{1})\" && eval {2} >$logs/{1}.log 2>&1" :::: "$pending" \
        2> >(grep -v --line-buffered "cannot open /dev/tty" >&2) # parallel's, without a terminal
    prc=$?
    set -e
    [ "$prc" -le 101 ] || gs_die "GNU parallel stopped (exit $prc)"
fi

# ---- what is complete now ----
# Over every run of the manifest, so that a resumed sweep still reports the runs that wrote
# results but exited 1 before the interruption (their logs stay in $out/logs/).
missing=()
warned=0
while IFS=$'\t' read -r rel line; do
    words=()
    eval "words=($line)"
    if [ ! -d "${words[${#words[@]} - 1]}" ]; then
        missing+=("$rel")
    elif grep -qs '^gpusim: error:' "$out/logs/$rel.log"; then
        warned=$((warned + 1)) # results written, exit 1: e.g. jobs that could not be scheduled
    fi
done <"$every"
[ "$warned" -eq 0 ] ||
    say "$warned run(s) wrote results but reported an error (see $out/logs/)"
if [ ${#missing[@]} -gt 0 ]; then
    echo "sweep.sh: error: ${#missing[@]} of $total runs failed; their messages:" >&2
    for rel in "${missing[@]:0:10}"; do
        msg=$(tail -n 1 "$out/logs/$rel.log" 2>/dev/null || true)
        echo "  $out/logs/$rel.log: ${msg:-(empty: the run did not start; see $out/joblog.txt)}" >&2
    done
    [ ${#missing[@]} -le 10 ] || echo "  ..." >&2
    echo "Re-run the same command to retry them." >&2
    exit 1
fi
if [ -d "$out/runs" ]; then
    "$GPUSIM" merge "$out/runs" -o "$out/runs.csv"
    say "all $total runs complete; one row per run in $out/runs.csv (gpusim merge)"
else
    say "all $total runs complete"
fi
