#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The speed of policies written in Python (examples/python/) against the same policies in C (the
# built-in fifo; the example plug-in first-fit, examples/policy/first_fit.c), all run through
# gpusim.run on the C engine, for BENCHMARKS.md: the bundled traces on the default cluster, and
# generated ACME-fitted traces (gpusim gen-trace --seed 1).
#   scripts/bench_python.sh [JOBS:RATE:CLUSTER...]
# Each argument: a generated trace of JOBS jobs arriving at RATE jobs/h, run on CLUSTER. Default:
# 10000:800:seren 100000:800:seren (about 75 % of the Seren-size cluster's GPU-hours, as
# scripts/bench.sh) and 10000:100:default (the 192-GPU default cluster overloaded: long queues).
# Environment: GPUSIM (default build/gpusim), GPUSIM_LIBRARY (default build/libgpusim.so.0),
# PLUGIN (default build/tests/plugins/first_fit.so), ROUNDS (default 3: the best CPU time of that
# many runs).
set -euo pipefail
cd "$(dirname "$0")/.."
gpusim=${GPUSIM:-build/gpusim}
export GPUSIM_LIBRARY=${GPUSIM_LIBRARY:-build/libgpusim.so.0}
plugin=${PLUGIN:-build/tests/plugins/first_fit.so}
[ -x "$gpusim" ] || { echo "gpusim: error: '$gpusim' not built (scripts/build.sh)" >&2; exit 1; }
[ -f "$plugin" ] || { echo "gpusim: error: no '$plugin' (build the tests)" >&2; exit 1; }
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(10000:800:seren 100000:800:seren 10000:100:default)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

traces=("default default" "multiweek default")
for spec in "${specs[@]}"; do
    IFS=: read -r n rate cluster <<<"$spec"
    "$gpusim" gen-trace --jobs "$n" --rate "$rate" --seed 1 --out "$tmp/gen-$n-$rate.csv" -q
    traces+=("$tmp/gen-$n-$rate.csv $cluster")
done
echo "| policy | trace | cluster | jobs | schedule calls | C CPU s | Python CPU s | Python per call ms | same jobs.csv |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|"
for tc in "${traces[@]}"; do
    read -r trace cluster <<<"$tc"
    PYTHONPATH=python:examples/python PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 - "$trace" \
        "$cluster" "${ROUNDS:-3}" "$tmp" "$plugin" <<'PY'
import filecmp, logging, os, sys, time
import gpusim, fifo_py, first_fit
logging.getLogger("gpusim").setLevel(logging.ERROR)
trace, cluster, rounds, tmp, plugin = sys.argv[1:6]
if "/" in trace:
    n, rate = os.path.basename(trace)[4:-4].split("-")
    label = "gen-trace --jobs %s --rate %s" % (n, rate)
else:
    label = trace
for name, c_pol, py_pol in (("fifo", "fifo", fifo_py.Fifo),
                            ("first-fit", plugin, first_fit.FirstFit)):
    class Counted(py_pol):
        calls = 0
        def schedule(self, view):
            Counted.calls += 1
            return super().schedule(view)
    gpusim.run(trace, Counted, cluster=cluster, timeline=False)  # counts the calls, untimed
    best = {}
    for r in range(int(rounds)):
        for k, pol in (("c", c_pol), ("py", py_pol)):
            t = time.process_time()
            res = gpusim.run(trace, pol, cluster=cluster, out=os.path.join(tmp, k), force=True,
                             timeline=False)
            best[k] = min(best.get(k, 1e9), time.process_time() - t)
    same = filecmp.cmp(os.path.join(tmp, "c", "jobs.csv"), os.path.join(tmp, "py", "jobs.csv"),
                       shallow=False)
    print("| %s | %s | %s | %d | %d | %.2f | %.2f | %.3f | %s |" % (
        name, label, cluster, res.summary["jobs"], Counted.calls, best["c"], best["py"],
        1e3 * (best["py"] - best["c"]) / max(Counted.calls, 1), "yes" if same else "NO"))
PY
done
