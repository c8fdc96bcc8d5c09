#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs our Sia on Sia's own workloads (SOSP'23 artifact: sia-simulator/workloads/saturn and
# philly, read where the artifact data lies, never copied into the repo) as they are: gpusim reads
# Sia's workload format and Sia's profiles and training curves itself (--format sia, --db
# sia:DIR, cluster sia-64; docs/sia.md). Writes one row per workload (avg JCT, p99 JCT as Sia's
# print_run_stats.py takes it, makespan, GPU-hours per job, restarts per job), Sia's figures next
# to ours where they are known, and the pooled means of each suite with their gaps.
#
#   scripts/sia_validate.sh [--check] [--out FILE] [WORKLOAD_CSV ...]
#     default workloads: every saturn/workload-*.csv and philly/workload-*.csv
#   --check   exit 1 unless sia-aware on saturn/workload-1 lands within 10 % of Sia's simulator
#             on avg JCT and makespan (and every job finishes); exit 77 when the data is absent
#   --out F   also write the table (markdown) to F
#   SIA_ANCHORS=DIR  the artifact data (default ../shared/anchors/sia: workloads/, traces/)
#   GPUSIM=PATH      the binary (default build/gpusim)
#   SIA_POLICY=NAME  the policy (default sia-aware)
#   SIA_EXTRA=ARGS   more gpusim arguments, e.g. "--param bootstrap=0" (Sia's "No Prof")
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
skip=0
out=
while [ $# -gt 0 ]; do
    case $1 in
    --check) check=1 skip=77 ;;
    --out)
        out=$2
        shift
        ;;
    *) break ;;
    esac
    shift
done
anchors=${SIA_ANCHORS:-../shared/anchors/sia}
gpusim=${GPUSIM:-build/gpusim}
policy=${SIA_POLICY:-sia-aware}
if [ ! -d "$anchors/traces" ] || [ ! -d "$anchors/workloads/saturn" ]; then
    echo "skipped: Sia's artifact data not found (set SIA_ANCHORS)"
    exit $skip
fi
if ! command -v python3 >/dev/null; then
    echo "skipped: python3 not found"
    exit $skip
fi
[ -x "$gpusim" ] || scripts/build.sh
if [ $# -gt 0 ]; then
    workloads=("$@")
elif [ $check = 1 ]; then
    workloads=("$anchors/workloads/saturn/workload-1.csv")
else
    mapfile -t workloads < <(find "$anchors/workloads/saturn" -name 'workload-*.csv' | sort -V
        find "$anchors/workloads/philly" -name 'workload-*.csv' | sort -V)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r -a extra <<<"${SIA_EXTRA:-}" # more gpusim arguments, split at blanks

for w in "${workloads[@]}"; do
    suite=$(basename "$(dirname "$w")")
    name=$suite/$(basename "$w" .csv)
    d=$tmp/$(echo "$name" | tr / _)
    start=$(date +%s.%N)
    "$gpusim" --trace "$w" --format sia --db "sia:$anchors" --cluster sia-64 --policy "$policy" \
        "${extra[@]}" --out "$d" --no-progress -q --no-timeline
    end=$(date +%s.%N)
    echo "$name $d $start $end" >>"$tmp/runs"
done

python3 - "$tmp/runs" "$check" "$out" "$policy" <<'EOF'
import csv, json, sys
runs, check, out, policy = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4]
# Sia's own simulator on saturn/workload-1 (its artifact, standard paper settings: p = -0.5,
# lambda_n = 1.1, 60 s rounds, bootstrapped throughputs), measured on a 2-core machine like ours
REF = {"saturn/workload-1": (0.60, 8.7, 13.2, 3.67, 4.56)}
# Sia's own simulator over the ten Saturn workloads (the same measurement): pooled avg JCT
POOLED = {"saturn": 0.75}
# Sia's paper (SOSP '23), Table 3, heterogeneous 64 GPUs: the mean over each suite's workloads
PAPER = {"saturn": (0.7, 10.9, 14.9, 4.8, None), "philly": (0.6, 9.5, 14.2, 4.0, None)}
rows, lines, bad = [], [], []
for ln in open(runs):
    name, d, t0, t1 = ln.split()
    s = json.load(open(d + "/summary.json"))
    jct = sorted(float(r["jct"]) for r in csv.DictReader(open(d + "/jobs.csv")))
    n = len(jct)
    m = (sum(jct) / n / 3600, jct[int(0.99 * n)] / 3600, s["makespan"] / 3600,
         s["gpu_hours"] / n, s["restarts"] / n)
    rows.append((name, m, float(t1) - float(t0), s["unfinished"] + s["unschedulable"]))
fmt = lambda v: "" if v is None else "%.2f" % v
def gap(a, b):
    return "" if b is None else "%+.1f %%" % (100 * (a / b - 1))
lines.append("| workload | avg JCT h | p99 JCT h | makespan h | GPU-h/job | restarts/job | wall s |")
lines.append("|---|---:|---:|---:|---:|---:|---:|")
for name, m, wall, _ in rows:
    lines.append("| %s (%s) | %s | %s | %s | %s | %s | %.2f |" % ((name, policy) + tuple(map(fmt, m)) + (wall,)))
    if name in REF:
        r = REF[name]
        lines.append("| %s (Sia's simulator) | %s | %s | %s | %s | %s | ~140 |" % ((name,) + tuple(map(fmt, r))))
        lines.append("| gap | %s | %s | %s | %s | %s | |" % tuple(gap(a, b) for a, b in zip(m, r)))
        if check:
            for what, i, tol in (("avg JCT", 0, 0.10), ("makespan", 2, 0.10)):
                if abs(m[i] / r[i] - 1) > tol:
                    bad.append("%s %.2f h is not within %d %% of Sia's %.2f h" % (what, m[i], tol * 100, r[i]))
for suite in ("saturn", "philly"):
    ms = [m for name, m, _, _ in rows if name.startswith(suite + "/")]
    if len(ms) < 2:
        continue
    pooled = [sum(x[i] for x in ms) / len(ms) for i in range(5)]
    lines.append("| **%s, mean of %d** | %s | %s | %s | %s | %s | |" % ((suite, len(ms)) + tuple(map(fmt, pooled))))
    if suite in POOLED and len(ms) == 10:
        lines.append("| %s, Sia's simulator (mean of 10) | %.2f | | | | | |" % (suite, POOLED[suite]))
        lines.append("| gap | %s | | | | | |" % gap(pooled[0], POOLED[suite]))
    p = PAPER[suite]
    lines.append("| %s, Sia's paper (Table 3) | %s | %s | %s | %s | | |" % ((suite,) + tuple(map(fmt, p[:4]))))
    lines.append("| gap to the paper | %s | %s | %s | %s | | |" % tuple(gap(a, b) for a, b in zip(pooled[:4], p[:4])))
text = "\n".join(lines)
print(text)
if out:
    with open(out, "w") as f:
        f.write(text + "\n")
if check:
    if any(r[3] for r in rows):
        bad.append("not every job finished")
    if bad:
        sys.exit("sia_validate: " + "; ".join(bad))
EOF
