#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every ACME job type under every policy: a generated trace of all types (and a Kalos-shaped
# one) runs with `--job-type all` and the default DB and class mapping on the Seren-size (and
# Kalos-size) cluster; summary.json has JCT statistics for each type; evaluation jobs (a class
# that is not elastic) keep their GPU count; every class family is used.
set -u
gpusim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

"$gpusim" gen-trace --types all --jobs 300 --seed 3 -q --out "$tmp/all.csv" || fail "gen-trace"
"$gpusim" gen-trace --cluster kalos --jobs 150 --seed 3 -q --out "$tmp/kalos.csv" ||
    fail "gen-trace kalos"
policies=$("$gpusim" policies | awk '{print $1}')
[ -n "$policies" ] || fail "no policies"
for p in $policies; do
    for t in all kalos; do
        cl=seren
        [ "$t" = kalos ] && cl=kalos
        out=$tmp/$t-$p
        if ! "$gpusim" --trace "$tmp/$t.csv" --job-type all --cluster "$cl" --policy "$p" \
            --out "$out" -q --no-progress 2>"$tmp/err"; then
            fail "$p on $t: $(head -c 300 "$tmp/err")"
            continue
        fi
        # one entry per job type in by_type, each with finished jobs and a JCT
        types=$(awk '/"by_type":/{f=1;next} f&&/^\t\t"[A-Za-z]+":/{gsub(/[\t":{ ]/,"");print} f&&/^\t}/{exit}' \
            "$out/summary.json" | sort | tr '\n' ' ')
        want="Debug Eval MLLM Other Pretrain SFT "
        [ "$t" = kalos ] && want="Debug Eval Other Pretrain "
        [ "$types" = "$want" ] || fail "$p on $t: by_type has '$types', want '$want'"
        grep -q '"mean_jct":' "$out/summary.json" || fail "$p on $t: no per-type JCT"
        # evaluation jobs ran on their own GPU count
        awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next}
                 $c["class"] ~ /^eval-/ && $c["status"] == "finished" && $c["gpus"] != $c["orig_gpus"] {bad++}
                 END{exit bad>0}' "$out/jobs.csv" || fail "$p on $t: an evaluation job changed its GPU count"
    done
    for fam in eval- pretrain- mllm- llm-; do
        cut -d, -f2 "$tmp/all-$p/jobs.csv" | grep -q "^$fam" || fail "$p: no $fam class used"
    done
done
[ "$fails" -eq 0 ] || {
    echo "$fails failure(s)" >&2
    exit 1
}
echo "job types: every policy ran every type"
