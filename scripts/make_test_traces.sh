#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Synthetic job traces in the published schemas of ACME, Helios, Microsoft Philly and Alibaba
# PAI 2020 (docs/traces.md names each schema's source), for the tests and the benchmarks. Every
# value is drawn by a seeded generator (a Lehmer generator in awk, so mawk and gawk give the same
# bytes) from made-up distributions that only respect each schema's types, units and documented
# values; no row of any real trace is used or reproduced.
#
# Usage: scripts/make_test_traces.sh [--out DIR] [--jobs N] [--seed S] [--only FORMAT] [--compact]
#   --out DIR      where to write (default tests/data/traces)
#   --jobs N       jobs per trace (default 40)
#   --seed S       seed (default 1)
#   --only F       one format: acme, helios, philly or pai (default: all, with their variants)
#   --compact      large traces for benchmarks: no variants, Philly's JSON on one line per job
#
# Writes, per format, the trace as published, a variant with its columns (or keys) in another
# order plus an unknown one, and malformed variants (bad/), and MALFORMED.tsv: for each malformed
# file, the loader's expected error (file, line, field, value). tests/trace_formats.sh checks that
# this script reproduces the committed files byte for byte.
set -euo pipefail
out=tests/data/traces
jobs=40
seed=1
only=all
compact=0
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --compact) compact=1; shift ;;
    -h | --help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make_test_traces.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
case $jobs in '' | *[!0-9]*) echo "make_test_traces.sh: --jobs needs a number" >&2; exit 2 ;; esac
case $seed in '' | *[!0-9]*) echo "make_test_traces.sh: --seed needs a number" >&2; exit 2 ;; esac
export LC_ALL=C

# Shared awk functions: the generator and UTC timestamps.
read -r -d '' AWKLIB <<'EOF' || true
function rnd() { rs = (rs * 48271) % 2147483647; return rs / 2147483647 }
function seed_rng(s) { rs = (s * 7919 + 12345) % 2147483646 + 1; rnd(); rnd() }
function pick(n) { return int(rnd() * n) + 1 }
function expo(mean) { return -mean * log(1 - rnd()) }
function hexs(n,    s, i) { s = ""; for (i = 0; i < n; i++) s = s substr("0123456789abcdef", pick(16), 1); return s }
function alnum(n,    s, i, a) { a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"; s = ""; for (i = 0; i < n; i++) s = s substr(a, pick(62), 1); return s }
# weighted choice over "v1:w1 v2:w2 ..."
function choose(spec,    n, i, kv, tot, u, parts) {
    n = split(spec, parts, " "); tot = 0
    for (i = 1; i <= n; i++) { split(parts[i], kv, ":"); tot += kv[2] }
    u = rnd() * tot
    for (i = 1; i <= n; i++) { split(parts[i], kv, ":"); if (u < kv[2]) return kv[1]; u -= kv[2] }
    split(parts[n], kv, ":"); return kv[1]
}
function two(x) { return (x < 10 ? "0" : "") x }
# "YYYY-MM-DD hh:mm:ss" of UTC seconds since 1970 (H. Hinnant's civil_from_days)
function ts(t,    z, era, doe, yoe, y, doy, mp, d, m, s) {
    t = int(t); z = int(t / 86400); s = t - z * 86400
    z += 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9; y += (m <= 2)
    return sprintf("%04d-%s-%s %s:%s:%s", y, two(m), two(d), two(int(s / 3600)), two(int(s / 60) % 60), two(s % 60))
}
EOF

manifest_rows=()
# expect TRACE LINE FIELD VALUE [FORMAT [TASKS [FILE]]]: one malformed case; FILE is the file the
# error names (default TRACE). Paths are written relative to --out.
rel() { [ "$1" = - ] && echo - || echo "${1#"$out"/}"; }
expect() {
    manifest_rows+=("$(rel "$1")	${5:-auto}	$(rel "${6:--}")	$(rel "${7:-$1}")	$2	$3	$4")
}
# line of the first occurrence of a fixed string in a file
line_of() { grep -n -F -m1 -- "$2" "$1" | cut -d: -f1; }
# replace field F (1-based) of physical line L of a CSV without quotes by V
# (malformed variants keep the first 16 lines: enough around the bad one)
csv_set() { awk -v L="$2" -v F="$3" -v V="$4" 'BEGIN{FS=OFS=","} NR==L{$F=V} NR<=16{print}' "$1"; }

# ---- ACME (InternLM/AcmeTrace README: Seren columns) ----
gen_acme() {
    local d=$out/acme
    mkdir -p "$d"
    awk -v N="$jobs" -v SEED="$seed" -v REORDER="$1" "$AWKLIB"'
    BEGIN {
        seed_rng(SEED + 11)
        t = 1677600000 # 2023-02-28 16:00:00 UTC = 2023-03-01 00:00:00+08:00
        if (REORDER) print "gpu_time,queue,duration,note,end_time,start_time,submit_time,state,type,cpu_num,gpu_num,node_num,user,job_id"
        else print "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time"
        for (i = 1; i <= N; i++) {
            t += int(expo(90))
            type = choose("SFT:30 Eval:35 Pretrain:5 MLLM:10 Debug:10 Other:10")
            g = choose("0:10 1:30 2:15 4:15 8:20 16:5 32:3 64:2")
            if (type == "Pretrain") g = choose("64:3 128:2 256:1")
            st = choose("COMPLETED:50 CANCELLED:8 FAILED:40 TIMEOUT:1 NODE_FAIL:1")
            q = rnd() < 0.6 ? 0 : int(expo(200)); dur = int(exp(rnd() * 11)) + 1
            id = 5000000 + i; user = "u" pick(9000) + 999
            lt = t + 8 * 3600 # local time at +08:00, as Seren writes it
            s = ts(lt) "+08:00"; s1 = ts(lt + q) "+08:00"; s2 = ts(lt + q + dur) "+08:00"
            nodes = g > 8 ? int((g + 7) / 8) : 1; cpu = g * 16 + (g == 0 ? 4 : 0)
            if (REORDER) printf "%.1f,%d,%d,n%d,%s,%s,%s,%s,%s,%d,%d,%d,%s,%d\n", dur * g, q, dur, i, s2, s1, s, st, type, cpu, g, nodes, user, id
            else printf "%d,%s,%d,%d,%d,%s,%s,%s,%s,%s,%d,%d,%.1f\n", id, user, nodes, g, cpu, type, st, s, s1, s2, dur, q, dur * g
        }
    }' /dev/null
}

# ---- Helios (S-Lab-System-Group/HeliosData README: cluster_log.csv) ----
gen_helios() {
    awk -v N="$jobs" -v SEED="$seed" -v REORDER="$1" "$AWKLIB"'
    BEGIN {
        seed_rng(SEED + 23)
        t = 1591660800 # 2020-06-09 00:00:00 (the README example day; written without offset)
        for (k = 1; k <= 6; k++) vcs[k] = "vc" alnum(3)
        for (k = 1; k <= 12; k++) users[k] = "u" alnum(4)
        if (REORDER) print "queue,duration,end_time,start_time,submit_time,state,node_num,extra,cpu_num,gpu_num,vc,user,job_id"
        else print "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue"
        for (i = 1; i <= N; i++) {
            t += int(expo(60))
            g = choose("0:25 1:40 2:10 4:10 8:10 16:3 32:2")
            st = choose("COMPLETED:55 CANCELLED:15 FAILED:26 TIMEOUT:2 NODE_FAIL:2")
            q = rnd() < 0.7 ? 0 : int(expo(300)); dur = int(exp(rnd() * 12))
            nodes = g > 8 ? int((g + 7) / 8) : 1; cpu = g > 0 ? g * 4 : pick(8)
            id = 1425510 + i; u = users[pick(12)]; v = vcs[pick(6)]
            if (REORDER) printf "%d,%d,%s,%s,%s,%s,%d,x%d,%d,%d,%s,%s,%d\n", q, dur, ts(t + q + dur), ts(t + q), ts(t), st, nodes, i, cpu, g, v, u, id
            else printf "%d,%s,%s,%d,%d,%d,%s,%s,%s,%s,%d,%d\n", id, u, v, g, cpu, nodes, st, ts(t), ts(t + q), ts(t + q + dur), dur, q
        }
    }' /dev/null
}

# ---- Philly (msr-fiddle/philly-traces README: cluster_job_log) ----
# MODE 0: as published (a JSON array, 4-space indents); 1: keys in another order, one job per
# line (JSON Lines); 2: compact, one job per line inside one array (benchmarks).
gen_philly() {
    awk -v N="$jobs" -v SEED="$seed" -v MODE="$1" "$AWKLIB"'
    function q(s) { return "\"" s "\"" }
    function sp(n,    s) { s = ""; while (n-- > 0) s = s " "; return s }
    function tq(x) { return x == "None" ? q("None") : q(ts(x)) }
    BEGIN {
        seed_rng(SEED + 37)
        t = 1507338000 # 2017-10-07 01:00:00
        for (k = 1; k <= 5; k++) vcs[k] = hexs(6)
        for (k = 1; k <= 10; k++) users[k] = hexs(6)
        if (MODE != 1) print "["
        for (i = 1; i <= N; i++) {
            t += int(expo(120))
            status = choose("Pass:60 Killed:20 Failed:20")
            g = choose("1:45 2:15 4:15 8:17 16:5 32:3")
            na = rnd() < 0.05 ? 0 : choose("1:70 2:20 3:10")
            s = t + (rnd() < 0.5 ? 0 : int(expo(600)))
            # attempts: start, end (last may be None: still running), machines
            att = ""
            for (a = 1; a <= na; a++) {
                e = s + int(exp(rnd() * 10)) + 1
                ee = (a == na && rnd() < 0.05) ? "None" : e
                det = ""; left = g; m = pick(500)
                while (left > 0) {
                    c = left > 8 ? 8 : left; off = c == 8 ? 0 : pick(8 - c + 1) - 1
                    gl = ""
                    for (x = 0; x < c; x++) gl = gl (x ? (MODE ? "," : ",\n" sp(28)) : "") q("gpu" (off + x))
                    if (MODE) det = det (det == "" ? "" : ",") "{" (MODE == 1 ? q("gpus") ":[" gl "]," q("ip") ":" q("m" m) : q("ip") ":" q("m" m) "," q("gpus") ":[" gl "]") "}"
                    else det = det (det == "" ? "" : ",\n") sp(20) "{\n" sp(24) "\"ip\": " q("m" m) ",\n" sp(24) "\"gpus\": [\n" sp(28) gl "\n" sp(24) "]\n" sp(20) "}"
                    left -= c; m += pick(7)
                }
                if (MODE == 1) one = "{" q("detail") ":[" det "]," q("end_time") ":" tq(ee) "," q("start_time") ":" q(ts(s)) "}"
                else if (MODE == 2) one = "{" q("start_time") ":" q(ts(s)) "," q("end_time") ":" tq(ee) "," q("detail") ":[" det "]}"
                else one = sp(12) "{\n" sp(16) "\"start_time\": " q(ts(s)) ",\n" sp(16) "\"end_time\": " tq(ee) ",\n" sp(16) "\"detail\": [\n" det "\n" sp(16) "]\n" sp(12) "}"
                att = att (att == "" ? "" : (MODE ? "," : ",\n")) one
                s = e + pick(120)
            }
            id = "application_1506638472019_" (14000 + i); v = vcs[pick(5)]; u = users[pick(10)]
            sep = i < N ? "," : ""
            if (MODE == 1)
                printf "{%s:%s,%s:[%s],%s:%s,%s:%s,%s:%s,%s:%s}\n", q("user"), q(u), q("attempts"), att, q("jobid"), q(id), q("submitted_time"), q(ts(t)), q("vc"), q(v), q("status"), q(status)
            else if (MODE == 2)
                printf "{%s:%s,%s:%s,%s:%s,%s:[%s],%s:%s,%s:%s}%s\n", q("status"), q(status), q("vc"), q(v), q("jobid"), q(id), q("attempts"), att, q("submitted_time"), q(ts(t)), q("user"), q(u), sep
            else
                printf "    {\n        \"status\": %s,\n        \"vc\": %s,\n        \"jobid\": %s,\n        \"attempts\": [%s%s%s],\n        \"submitted_time\": %s,\n        \"user\": %s\n    }%s\n", q(status), q(v), q(id), att == "" ? "" : "\n", att, att == "" ? "" : "\n" sp(8), q(ts(t)), q(u), sep
        }
        if (MODE != 1) print "]"
    }' /dev/null
}

# ---- Alibaba PAI 2020 (alibaba/clusterdata cluster-trace-gpu-v2020 README; .header files) ----
# Writes JOBS and TASKS (headerless, as published) or, with REORDER, header rows in another
# column order plus an unknown column.
gen_pai() {
    awk -v N="$jobs" -v SEED="$seed" -v REORDER="$1" -v JOBS="$2" -v TASKS="$3" "$AWKLIB"'
    function tm(x) { return x > 0 ? sprintf("%.1f", x) : "" }
    BEGIN {
        seed_rng(SEED + 53)
        t = 1739000 # seconds, shifted by a constant as in the trace
        for (k = 1; k <= 8; k++) users[k] = hexs(12)
        if (REORDER) {
            print "end_time,start_time,status,user,inst_id,job_name,extra" > JOBS
            print "gpu_type,plan_gpu,plan_mem,plan_cpu,end_time,start_time,status,inst_num,task_name,job_name" > TASKS
        }
        for (i = 1; i <= N; i++) {
            t += int(expo(45))
            status = choose("Terminated:70 Failed:20 Running:5 Waiting:5")
            job = hexs(24); inst = hexs(60); u = users[pick(8)]
            shape = choose("single:70 psworker:20 eval:10")
            nt = shape == "single" ? 1 : (shape == "psworker" ? 2 : 3)
            cpuonly = rnd() < 0.1
            wait = rnd() < 0.5 ? 1 + int(expo(5)) : int(expo(300)) + 1
            jend = 0
            if (rnd() < 0.03) { nt = 0; jend = t + 60 } # a job whose tasks are not in the task table
            for (k = 1; k <= nt; k++) {
                if (shape == "single") name = choose("tensorflow:40 PyTorch:30 worker:20 xComputeWorker:10")
                else name = k == 1 ? "worker" : (k == 2 ? "ps" : "evaluator")
                n = name == "ps" || name == "evaluator" ? 1 : pick(4)
                gpu = (name == "ps" || cpuonly) ? 0 : choose("25:15 50:30 100:40 200:10 800:5")
                if (name == "evaluator") gpu = cpuonly ? 0 : 50
                cpu = 100 * (2 + pick(10)); mem = sprintf("%.6f", 10 + rnd() * 50)
                gt = gpu > 0 ? choose("V100:30 V100M32:15 T4:25 P100:15 MISC:15") : ""
                s = status == "Waiting" ? 0 : t + wait + (k - 1) * pick(3)
                e = (status == "Running" || status == "Waiting") ? 0 : s + int(exp(rnd() * 10)) + 1
                if (e > jend) jend = e
                tst = status == "Waiting" ? "Waiting" : (status == "Running" ? "Running" : (status == "Failed" && k == 1 ? "Failed" : "Terminated"))
                if (REORDER) printf "%s,%.1f,%s,%.1f,%s,%s,%s,%.1f,%s,%s\n", gt, gpu, mem, cpu, tm(e), tm(s), tst, n, name, job > TASKS
                else printf "%s,%s,%.1f,%s,%s,%s,%.1f,%s,%.1f,%s\n", job, name, n, tst, tm(s), tm(e), cpu, mem, gpu, gt > TASKS
            }
            if (REORDER) printf "%s,%s,%s,%s,%s,%s,e%d\n", tm(jend), tm(t), status, u, inst, job, i > JOBS
            else printf "%s,%s,%s,%s,%s,%s\n", job, inst, u, status, tm(t), tm(jend) > JOBS
        }
    }' /dev/null
}

write_acme() {
    local d=$out/acme
    mkdir -p "$d"
    gen_acme 0 >"$d/trace.csv"
    [ "$compact" = 1 ] && return
    gen_acme 1 >"$d/trace_reordered.csv"
    mkdir -p "$d/bad"
    csv_set "$d/trace.csv" 6 4 "eight" >"$d/bad/gpu_num.csv"
    expect "$d/bad/gpu_num.csv" 6 gpu_num eight
    csv_set "$d/trace.csv" 9 8 "01/03/2023 00:10" >"$d/bad/submit_time.csv"
    expect "$d/bad/submit_time.csv" 9 submit_time "01/03/2023 00:10"
    csv_set "$d/trace.csv" 12 11 "-30" >"$d/bad/duration.csv"
    expect "$d/bad/duration.csv" 12 duration "-30"
}

write_helios() {
    local d=$out/helios
    mkdir -p "$d"
    gen_helios 0 >"$d/cluster_log.csv"
    [ "$compact" = 1 ] && return
    gen_helios 1 >"$d/cluster_log_reordered.csv"
    mkdir -p "$d/bad"
    csv_set "$d/cluster_log.csv" 5 4 "four" >"$d/bad/gpu_num.csv"
    expect "$d/bad/gpu_num.csv" 5 gpu_num four
    csv_set "$d/cluster_log.csv" 8 8 "2020-06-31 10:00:00" >"$d/bad/submit_time.csv"
    expect "$d/bad/submit_time.csv" 8 submit_time "2020-06-31 10:00:00"
    csv_set "$d/cluster_log.csv" 11 11 "12s" >"$d/bad/duration.csv"
    expect "$d/bad/duration.csv" 11 duration "12s"
    csv_set "$d/cluster_log.csv" 13 5 "-2" >"$d/bad/cpu_num.csv"
    expect "$d/bad/cpu_num.csv" 13 cpu_num "-2"
    awk 'NR==7{sub(/,[^,]*$/, "")} NR<=16{print}' "$d/cluster_log.csv" >"$d/bad/short_row.csv"
    expect "$d/bad/short_row.csv" 7 fields 11
    sed -n '1s/gpu_num,//;1,3p' "$d/cluster_log.csv" >"$d/bad/no_gpu_num.csv"
    expect "$d/bad/no_gpu_num.csv" 1 gpu_num "" helios
}

write_philly() {
    local d=$out/philly l
    mkdir -p "$d"
    if [ "$compact" = 1 ]; then
        gen_philly 2 >"$d/cluster_job_log"
        return
    fi
    gen_philly 0 >"$d/cluster_job_log"
    gen_philly 1 >"$d/cluster_job_log_reordered.jsonl"
    mkdir -p "$d/bad"
    # malformed variants of the first 12 jobs ($d/bad/base.json is removed at the end)
    (jobs=12 && gen_philly 0) >"$d/bad/base.json"
    local b=$d/bad/base.json
    # a string where the list of GPUs belongs (the first "gpus" of the file)
    l=$(grep -n '"gpus": \[' "$b" | sed -n 1p | cut -d: -f1)
    awk -v L="$l" 'NR==L{sub(/\[$/, "\"gpu0\", \"unused\": [")} {print}' \
        "$b" >"$d/bad/gpus.json"
    expect "$d/bad/gpus.json" "$l" "attempts[0].detail[0].gpus" '"gpu0"'
    l=$(grep -n '"start_time": ' "$b" | sed -n 3p | cut -d: -f1)
    awk -v L="$l" 'NR==L{sub(/"[0-9-]+ [0-9:]+"/, "\"2017-10-07 1:12\"")} {print}' \
        "$b" >"$d/bad/start_time.json"
    expect "$d/bad/start_time.json" "$l" "start_time" '"2017-10-07 1:12"'
    l=$(grep -n '"status": ' "$b" | sed -n 5p | cut -d: -f1)
    awk -v L="$l" 'NR==L{sub(/"[A-Za-z]+",/, "\"Done\",")} {print}' \
        "$b" >"$d/bad/status.json"
    expect "$d/bad/status.json" "$l" status '"Done"'
    l=$(grep -n '"jobid": ' "$b" | sed -n 3p | cut -d: -f1)
    awk -v L="$l" 'NR!=L' "$b" >"$d/bad/no_jobid.json"
    expect "$d/bad/no_jobid.json" "$((l - 3))" jobid missing
    l=$(grep -n '"vc": ' "$b" | sed -n 4p | cut -d: -f1)
    awk -v L="$l" 'NR==L{sub(/,$/, "")} {print}' "$b" >"$d/bad/syntax.json"
    expect "$d/bad/syntax.json" "$((l + 1))" "malformed JSON" ""
    rm -f "$b"
}

write_pai() {
    local d=$out/pai r=$out/pai_reordered
    mkdir -p "$d"
    gen_pai 0 "$d/pai_job_table.csv" "$d/pai_task_table.csv"
    printf 'job_name,inst_id,user,status,start_time,end_time\n' >"$d/pai_job_table.header"
    printf 'job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n' \
        >"$d/pai_task_table.header"
    [ "$compact" = 1 ] && return
    mkdir -p "$r" "$d/bad"
    gen_pai 1 "$r/pai_job_table.csv" "$r/pai_task_table.csv"
    csv_set "$d/pai_task_table.csv" 4 9 "half" >"$d/bad/plan_gpu_tasks.csv"
    expect "$d/pai_job_table.csv" 4 plan_gpu half pai "$d/bad/plan_gpu_tasks.csv" \
        "$d/bad/plan_gpu_tasks.csv"
    csv_set "$d/pai_task_table.csv" 6 3 "1.5" >"$d/bad/inst_num_tasks.csv"
    expect "$d/pai_job_table.csv" 6 inst_num 1.5 auto "$d/bad/inst_num_tasks.csv" \
        "$d/bad/inst_num_tasks.csv"
    csv_set "$d/pai_job_table.csv" 5 4 "Finished" >"$d/bad/status_jobs.csv"
    expect "$d/bad/status_jobs.csv" 5 status Finished pai "$d/pai_task_table.csv"
    csv_set "$d/pai_job_table.csv" 7 5 "yesterday" >"$d/bad/start_time_jobs.csv"
    expect "$d/bad/start_time_jobs.csv" 7 start_time yesterday pai "$d/pai_task_table.csv"
    awk 'NR==3{sub(/,[^,]*$/, "")} NR<=16{print}' "$d/pai_job_table.csv" >"$d/bad/short_row_jobs.csv"
    expect "$d/bad/short_row_jobs.csv" 3 fields 5 pai "$d/pai_task_table.csv"
}

mkdir -p "$out"
case $only in
all) write_acme; write_helios; write_philly; write_pai ;;
acme) write_acme ;;
helios) write_helios ;;
philly) write_philly ;;
pai) write_pai ;;
*) echo "make_test_traces.sh: --only needs acme, helios, philly or pai" >&2; exit 2 ;;
esac
if [ "$compact" = 0 ] && [ "$only" = all ]; then
    {
        printf '# trace\tformat\ttask_table\tfile\tline\tfield\tvalue (the error names the last four)\n'
        printf '%s\n' "${manifest_rows[@]}"
    } >"$out/MALFORMED.tsv"
fi
