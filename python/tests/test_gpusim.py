# SPDX-License-Identifier: Apache-2.0
"""The Python package (python/gpusim) against the C library and the gpusim program.

Run by tests/python.sh (ctest 'python'), which sets:
  GPUSIM             the gpusim program of the same build
  GPUSIM_LIBRARY     its libgpusim
  GPUSIM_SOURCE_DIR  the source checkout (traces, test data, examples)
  GPUSIM_CFLAGS      compiler flags to compile against the public headers
  GPUSIM_PLUGIN      the example plug-in built by the tests (examples/policy/first_fit.c)
"""
import filecmp
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import gpusim
from gpusim import _lib

SRC = os.environ["GPUSIM_SOURCE_DIR"]
GPUSIM = os.environ["GPUSIM"]
sys.path.insert(0, os.path.join(SRC, "examples", "python"))
import fifo_py  # noqa: E402  (examples/python/fifo_py.py, shown in docs/extending.md)
import first_fit  # noqa: E402  (examples/python/first_fit.py)

SMALL = dict(trace=os.path.join(SRC, "tests/data/small_trace.csv"),
             cluster=os.path.join(SRC, "tests/data/tiny_cluster.json"),
             db=os.path.join(SRC, "tests/data/tiny_db.json"))
RESULT_FILES = ["jobs.csv", "jct_cdf.csv", "allocations.csv", "users.csv", "timeline.csv"]


def cli(*args):
    """Runs the gpusim program; returns (status, stderr)."""
    p = subprocess.run([GPUSIM] + list(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stderr


class TmpCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gpusim-pytest-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *p):
        return os.path.join(self.tmp, *p)


class Layout(unittest.TestCase):
    """The package's declarations are those of the headers: every size, offset and constant."""

    def test_structs_and_constants_match_the_headers(self):
        ffi = _lib.ffi
        lines, expect, what = [], [], []
        for s in _lib.STRUCTS:
            lines.append('printf("%%zu\\n", sizeof(%s));' % s)
            expect.append(ffi.sizeof(s))
            what.append("sizeof(%s)" % s)
            for name, field in ffi.typeof(s).fields:
                lines.append('printf("%%zu\\n", offsetof(%s, %s));' % (s, name))
                expect.append(field.offset)
                what.append("offsetof(%s, %s)" % (s, name))
        consts = {"GS_POLICY_ABI": _lib.POLICY_ABI, "GS_JOB_FUTURE": gpusim.FUTURE,
                  "GS_JOB_QUEUED": gpusim.QUEUED, "GS_JOB_RUNNING": gpusim.RUNNING,
                  "GS_JOB_DONE": gpusim.DONE, "GS_JOB_REJECTED": gpusim.REJECTED,
                  "GS_REJECT_TOO_LARGE": gpusim.REJECT_TOO_LARGE,
                  "GS_REJECT_NO_VIABLE": gpusim.REJECT_NO_VIABLE,
                  "GS_REJECT_TOO_MANY_FAILURES": gpusim.REJECT_TOO_MANY_FAILURES,
                  "GS_EV_ARRIVAL": 1, "GS_EV_FINISH": 2, "GS_EV_FAIL": 3,
                  "GS_POLICY_ROUNDS": 1, "GS_ACT_START": 1, "GS_ACT_RESIZE": 2,
                  "GS_ACT_PREEMPT": 3, "GS_ACT_REJECT": 4, "GS_JOB_NONE": _lib.lib.GS_JOB_NONE}
        for k, v in consts.items():
            lines.append('printf("%%zu\\n", (size_t)(%s));' % k)
            expect.append(v)
            what.append(k)
        with tempfile.TemporaryDirectory(prefix="gpusim-pytest-") as d:
            c = os.path.join(d, "layout.c")
            with open(c, "w") as f:
                f.write("#include <stddef.h>\n#include <stdio.h>\n#include \"gpusim/registry.h\"\n"
                        "#include \"gpusim/sim.h\"\n#include \"gpusim/merge.h\"\n"
                        "#include \"gpusim/io.h\"\n#include \"gpusim/version.h\"\n"
                        "int main(void)\n{\n" + "\n".join(lines) + "\nreturn 0;\n}\n")
            cc = os.environ.get("CC", "cc")
            flags = os.environ.get("GPUSIM_CFLAGS", "").split()
            subprocess.run([cc, "-std=c11"] + flags + ["-o", os.path.join(d, "layout"), c],
                           check=True)
            got = subprocess.run([os.path.join(d, "layout")], check=True, capture_output=True,
                                 text=True).stdout.split()
        self.assertEqual(len(got), len(expect))
        differ = ["%s: C %s, Python %s" % (w, g, e) for w, g, e in zip(what, got, expect)
                  if int(g) != e]
        self.assertEqual(differ, [], "python/gpusim/_lib.py declares these unlike the headers")

    def test_version_and_abi_agree(self):
        self.assertEqual(gpusim.version(), _lib.VERSION)
        self.assertEqual(_lib.lib.gs_policy_abi(), _lib.POLICY_ABI)
        out = subprocess.run([GPUSIM, "--version"], capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "gpusim " + gpusim.version())


class Runs(TmpCase):
    def test_builtin_policy_writes_what_the_program_writes(self):
        for pol in ("fifo", "db-flat", "sia-aware"):
            py = self.path("py-" + pol)
            r = gpusim.run(SMALL["trace"], pol, cluster=SMALL["cluster"], db=SMALL["db"],
                           seed=3, knowledge_error=0.3, out=py)
            self.assertEqual(r.summary["policy"], pol)
            st, err = cli("--trace", SMALL["trace"], "--cluster", SMALL["cluster"], "--db",
                          SMALL["db"], "--policy", pol, "--seed", "3", "--knowledge-error",
                          "0.3", "-q", "--allow-unschedulable", "--out", self.path("c-" + pol))
            self.assertEqual(st, 0, err)
            for f in RESULT_FILES:
                self.assertTrue(filecmp.cmp(os.path.join(py, f), self.path("c-" + pol, f),
                                            shallow=False), "%s %s differs" % (pol, f))
            a, b = (json.load(open(os.path.join(d, "summary.json"))) for d in
                    (py, self.path("c-" + pol)))
            self.assertTrue(a.pop("command").startswith("python: gpusim.run("))
            b.pop("command")
            self.assertEqual(a, b)

    def test_fifo_port_is_byte_identical_on_the_default_trace(self):
        trace = os.path.join(SRC, "traces", "default.csv")
        st, err = cli("--trace", trace, "--policy", "fifo", "-q", "--allow-unschedulable",
                      "--out", self.path("c"))
        self.assertEqual(st, 0, err)
        r = gpusim.run(trace, fifo_py.Fifo, out=self.path("py"))
        self.assertEqual(r.summary["policy"], "fifo-py")
        self.assertEqual(r.summary["jobs"], 960)
        self.assertTrue(filecmp.cmp(self.path("c", "jobs.csv"), self.path("py", "jobs.csv"),
                                    shallow=False), "the Python fifo and the C fifo differ")

    def test_first_fit_in_python_is_the_c_plugin(self):
        trace = os.path.join(SRC, "traces", "default.csv")
        gpusim.run(trace, os.environ["GPUSIM_PLUGIN"], out=self.path("c"))
        gpusim.run(trace, first_fit.FirstFit, out=self.path("py"))
        self.assertTrue(filecmp.cmp(self.path("c", "jobs.csv"), self.path("py", "jobs.csv"),
                                    shallow=False), "the Python and C first-fit differ")

    def test_plugin_runs_from_python(self):
        so = os.environ["GPUSIM_PLUGIN"]
        r = gpusim.run(SMALL["trace"], so, cluster=SMALL["cluster"], db=SMALL["db"],
                       out=self.path("ff"))
        self.assertEqual(r.summary["policy"], "first-fit")
        self.assertEqual(r.summary["inputs"]["policy"]["path"], so)

    def test_bundled_names_and_data_dir(self):
        self.assertTrue(os.path.isfile(os.path.join(gpusim.data_dir(), "traces", "default.csv")))
        r = gpusim.run("default", "fifo")
        self.assertIsNone(r.dir)
        self.assertEqual(r.summary["inputs"]["trace"]["path"], "data:traces/default.csv")
        self.assertEqual(r.summary["inputs"]["cluster"]["path"],
                         "data:configs/clusters/default.json")
        self.assertEqual(len(r.jobs), 960)
        self.assertEqual(list(r.cdf.columns), ["jct", "fraction"])
        self.assertIsNotNone(r.timeline)

    def test_in_memory_results_leave_no_folder(self):
        before = set(glob.glob(os.path.join(tempfile.gettempdir(), "gpusim-*")))
        r = gpusim.run(SMALL["trace"], "fifo", cluster=SMALL["cluster"], db=SMALL["db"])
        after = set(glob.glob(os.path.join(tempfile.gettempdir(), "gpusim-*")))
        self.assertEqual(after - before, set())
        self.assertEqual(len(r.jobs), r.summary["jobs"])

    def test_bad_input_is_one_message_and_no_folder(self):
        bad = self.path("bad.csv")
        with open(SMALL["trace"]) as f, open(bad, "w") as g:
            rows = [r.split(",") for r in f.read().splitlines()]
            rows[3][3] = "x"  # gpu_num
            g.write("\n".join(",".join(r) for r in rows) + "\n")
        with self.assertRaises(gpusim.GpusimError) as cm:
            gpusim.run(bad, "fifo", cluster=SMALL["cluster"], db=SMALL["db"], out=self.path("o"))
        self.assertRegex(str(cm.exception), "bad.csv' line 4: .*'gpu_num'")
        self.assertFalse(os.path.exists(self.path("o")))
        with self.assertRaises(gpusim.GpusimError):
            gpusim.run("no-such-trace", "fifo")
        with self.assertRaises(gpusim.GpusimError) as cm:
            gpusim.run(SMALL["trace"], "no-such-policy")
        self.assertIn("unknown policy 'no-such-policy'", str(cm.exception))

    def test_options_are_checked(self):
        with self.assertRaises(TypeError):
            gpusim.run("default", "fifo", sede=1)
        with self.assertRaises(ValueError):
            gpusim.run("default", "fifo", knowledge_error=9)
        with self.assertRaises(TypeError):
            gpusim.run("default", "fifo", max_failures=2.5)
        with self.assertRaises(ValueError):
            gpusim.run("default", "fifo", until=0)
        a = gpusim.run(SMALL["trace"], "fifo", cluster=SMALL["cluster"], db=SMALL["db"], seed=1)
        b = gpusim.run(SMALL["trace"], "fifo", cluster=SMALL["cluster"], db=SMALL["db"], seed=2)
        self.assertEqual(a.summary["seed"], 1)
        self.assertEqual(b.summary["seed"], 2)
        self.assertNotEqual(list(a.jobs["class"]), list(b.jobs["class"]))


class DoubleGpu(gpusim.Policy):
    """Plans all GPUs of pool 0 for the first two queued jobs."""
    name = "double-gpu-py"

    def schedule(self, view):
        q = view.queue()
        if len(q) < 2:
            return []
        return [gpusim.Start(q[0], 0, view.pools[0].capacity),
                gpusim.Start(q[1], 0, view.pools[0].capacity)]


class Raises(gpusim.Policy):
    name = "raises-py"

    def schedule(self, view):
        return [1 / 0]


class NotAnAction(gpusim.Policy):
    name = "not-an-action-py"

    def schedule(self, view):
        return [(0, 0, 1)] if view.queue() else []


class Informed(gpusim.Policy):
    """Each queued job on the fastest viable configuration the DB knows of, as submitted; reads
    a parameter, counts events, records statistics."""
    name = "informed-py"
    knowledge = "offline-informed"
    params = {"scale": (1.0, "a factor on the GPU count (to test --param)")}

    def init(self, view):
        self.events = {}
        self.scale = view.param("scale", 1.0)

    def on_event(self, view, event):
        self.events[event.type] = self.events.get(event.type, 0) + 1
        assert view.job(event.job).index == event.job

    def schedule(self, view):
        # the walks (queue(), running()) are the jobs in those states, in submission order
        states = [view.job(j).state for j in range(view.njobs)]
        for walk, state in ((view.queue(), gpusim.QUEUED), (view.running(), gpusim.RUNNING)):
            want = [j for j, s in enumerate(states) if s == state]
            assert list(walk) == want and len(walk) == len(want), (list(walk), want)
            assert [walk[i] for i in range(len(walk))] == want and bool(walk) == bool(want)
        self.walked = getattr(self, "walked", 0) + 1
        plan, k = [], view.knowledge
        with view.freemap() as fm:
            for j in view.queue():
                job = view.job(j)
                g = max(1, int(job.gpu_num * self.scale))
                best = None
                for p in view.pools:
                    got = k.lookup(job.cls, p.type, g)
                    if got and got[1] and p.capacity >= g and (best is None or got[0] > best[0]):
                        best = (got[0], p.index)
                if best is None:
                    plan.append(gpusim.Reject(j, gpusim.REJECT_NO_VIABLE))
                elif fm.take(best[1], g):
                    plan.append(gpusim.Start(j, best[1], g))
        view.stat("scale", self.scale)
        view.stat("arrivals", self.events.get("arrival", 0))
        return plan


class Rounds(gpusim.Policy):
    name = "rounds-py"
    rounds = True

    def init(self, view):
        self.times = []

    def schedule(self, view):
        self.times.append(view.now)
        return fifo_py.Fifo.schedule(self, view)


class PythonPolicies(TmpCase):
    def test_plan_that_gives_gpus_twice_is_stopped_by_validation(self):
        with self.assertRaises(gpusim.GpusimError) as cm:
            gpusim.run(SMALL["trace"], DoubleGpu, cluster=SMALL["cluster"], db=SMALL["db"],
                       out=self.path("o"))
        self.assertRegex(str(cm.exception), "policy 'double-gpu-py' at t=.*invalid plan")
        self.assertFalse(os.path.exists(self.path("o")))

    def test_exception_in_a_hook_reaches_the_caller(self):
        with self.assertRaises(ZeroDivisionError):
            gpusim.run(SMALL["trace"], Raises, cluster=SMALL["cluster"], db=SMALL["db"],
                       out=self.path("o"))
        self.assertFalse(os.path.exists(self.path("o")))
        with self.assertRaises(TypeError):
            gpusim.run(SMALL["trace"], NotAnAction, cluster=SMALL["cluster"], db=SMALL["db"])

    def test_names_and_knowledge_are_checked(self):
        class Fifo(fifo_py.Fifo):
            name = "fifo"
        with self.assertRaises(ValueError):
            gpusim.run("default", Fifo)

        class Oracle(fifo_py.Fifo):
            knowledge = "omniscient"
        with self.assertRaises(ValueError):
            gpusim.run("default", Oracle)

    def test_parameters_events_knowledge(self):
        p = Informed()
        r = gpusim.run(SMALL["trace"], p, cluster=SMALL["cluster"], db=SMALL["db"],
                       params={"scale": 2})
        self.assertEqual(r.summary["policy"], "informed-py")
        self.assertEqual(r.summary["policy_knowledge"], "offline-informed")
        self.assertEqual(r.summary["policy_stats"]["scale"], 2.0)
        self.assertEqual(p.events["arrival"], r.summary["jobs"])
        self.assertEqual(p.events["finish"], r.summary["finished"])
        self.assertGreater(r.summary["finished"], 0)
        self.assertGreater(p.walked, 0)
        with self.assertRaises(gpusim.GpusimError) as cm:
            gpusim.run(SMALL["trace"], Informed, cluster=SMALL["cluster"], db=SMALL["db"],
                       params={"scael": 2})
        self.assertIn("scael", str(cm.exception))

    def test_round_based_policy_runs_at_round_boundaries(self):
        p = Rounds()
        gpusim.run(SMALL["trace"], p, cluster=SMALL["cluster"], db=SMALL["db"],
                   round_length=300)
        self.assertGreater(len(p.times), 1)
        self.assertTrue(all(t % 300 == 0 for t in p.times), p.times[:5])


class Analysis(TmpCase):
    def test_read_results_and_read_sweep(self):
        for seed in (1, 2):
            gpusim.run(SMALL["trace"], "fifo", cluster=SMALL["cluster"], db=SMALL["db"],
                       seed=seed, out=self.path("sweep", "fifo-s%d" % seed))
        jobs = gpusim.read_results(self.path("sweep", "fifo-s1"))
        self.assertEqual(len(jobs), jobs.attrs["summary"]["jobs"])
        self.assertIn("jct", jobs.columns)
        self.assertEqual(jobs["job_id"].dtype, object)
        cdf = gpusim.read_results(self.path("sweep", "fifo-s1"), "cdf")
        self.assertEqual(list(cdf.columns), ["jct", "fraction"])
        runs = gpusim.read_sweep(self.path("sweep"))
        self.assertEqual(list(runs["seed"]), [1, 2])
        st, err = cli("merge", self.path("sweep"), "-o", self.path("runs.csv"), "--jobs",
                      self.path("jobs.csv"))
        self.assertEqual(st, 0, err)
        with open(self.path("runs.csv")) as f:
            self.assertEqual(list(runs.columns), f.readline().strip().split(","))
        alljobs = gpusim.read_sweep(self.path("sweep"), "jobs")
        self.assertEqual(len(alljobs), 2 * len(jobs))
        with open(self.path("jobs.csv")) as f:
            self.assertEqual(list(alljobs.columns), f.readline().strip().split(","))
        with self.assertRaises(gpusim.GpusimError):
            gpusim.read_sweep(self.path("nothing"))


if __name__ == "__main__":
    unittest.main()
