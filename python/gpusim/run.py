# SPDX-License-Identifier: Apache-2.0
"""gpusim.run: one scheduling run on the C engine, as `gpusim run` does it."""
import json
import logging
import os
import shutil
import tempfile

from . import results as _results
from ._lib import GpusimError, check, ffi, lib, new_err, resolve, text
from .policy import Bridge, Policy

log = logging.getLogger("gpusim")

# The simulation's options: name -> (type, low, high), the ranges `gpusim run --help` gives.
OPTIONS = {
    "seed": (int, 0, 2**64 - 1),
    "restart_delay": (float, 0, 1e6),  # default: modelled (checkpoint save + start-up)
    "fail_delay": (float, 0, 1e6),  # default: the modelled start-up
    "checkpoint_interval": (float, 0, 1e9),  # above 0; default: the cluster's lifecycle
    "round_length": (float, 1, 86400),
    "max_failures": (int, 1, 1000),
    "until": (float, 0, 315360000),  # above 0
    "knowledge_error": (float, 0, 5),
    "viability_error": (float, 0, 1),
    "knowledge_seed": (int, 0, 2**64 - 1),
}
_LEVELS = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO, 3: logging.DEBUG}


def _check_option(name, value):
    kind, lo, hi = OPTIONS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            (kind is int and not float(value).is_integer()):
        raise TypeError("gpusim.run: %s must be %s, not %r" % (name, kind.__name__, value))
    if not (lo <= value <= hi) or (name in ("until", "checkpoint_interval") and value <= 0):
        raise ValueError("gpusim.run: %s=%r is out of range [%g, %g]" % (name, value, lo, hi))
    return kind(value)


class Results:
    """A finished run: summary (dict of summary.json) and the tables of its result folder as
    pandas DataFrames: jobs, cdf (jct_cdf.csv), allocations, users, timeline (None without one).
    dir is the result folder (None when run() was given no out: then the tables were read into
    memory and the folder removed)."""

    TABLES = {"jobs": "jobs.csv", "cdf": "jct_cdf.csv", "allocations": "allocations.csv",
              "users": "users.csv", "timeline": "timeline.csv"}

    def __init__(self, dir, keep=True):
        self.dir = dir if keep else None
        with open(os.path.join(dir, "summary.json"), encoding="utf-8") as f:
            self.summary = json.load(f)
        self._tables = {}
        if not keep:  # read everything now: the folder goes away
            for t in self.TABLES:
                self._tables[t] = self._read(dir, t)

    def _read(self, dir, table):
        path = os.path.join(dir, self.TABLES[table])
        return _results.read_csv(path) if os.path.exists(path) else None

    def __getattr__(self, table):
        if table not in Results.TABLES:
            raise AttributeError(table)
        if table not in self._tables:
            self._tables[table] = self._read(self.dir, table)
        return self._tables[table]

    def __repr__(self):
        s = self.summary
        return "<gpusim.Results %s: %s jobs, %s finished, mean JCT %.1f s>" % (
            s.get("policy"), s.get("jobs"), s.get("finished"), s.get("jct", {}).get("mean", 0))


def policies():
    """The built-in policies: a list of (name, knowledge, summary)."""
    out = []
    for i in range(lib.gs_policy_count()):
        p = lib.gs_policy_at(i)
        out.append((text(p.name), text(p.knowledge), text(p.summary)))
    return out


def _loads(trace, cluster, db, job_type, states, classes, keep):
    """Loads the DB, the cluster, the class mapping and the trace (paths or bundled names); keep
    owns them. Returns (trace, cluster, db, class mapping or NULL, input names, input paths)."""
    err = new_err()
    paths = [resolve("traces", trace, ".csv"), resolve("configs/clusters", cluster, ".json"),
             resolve("configs/scaledb", db, ".json")]
    d = lib.gs_scaledb_load(os.fsencode(paths[2]), err)
    if d == ffi.NULL:
        check(-1, err)
    keep.append(ffi.gc(d, lib.gs_scaledb_free))
    c = lib.gs_cluster_load(os.fsencode(paths[1]), d, err)
    if c == ffi.NULL:
        check(-1, err)
    keep.append(ffi.gc(c, lib.gs_cluster_free))
    names = ["trace", "cluster", "scaledb"]
    cm = ffi.NULL
    if classes != "db-mix":  # as gpusim run --classes: db-mix draws every class from the DB's mix
        paths.append(resolve("configs/classes", classes, ".json"))
        names.append("classes")
        cm = lib.gs_classmap_load(os.fsencode(paths[-1]), err)
        if cm == ffi.NULL:
            check(-1, err)
        keep.append(ffi.gc(cm, lib.gs_classmap_free))
    t = ffi.new("gs_trace *")
    check(lib.gs_trace_load_states(t, os.fsencode(paths[0]), job_type.encode(), states.encode(),
                                   err), err)
    keep.append(ffi.gc(t, lib.gs_trace_release))
    return t, c, d, cm, names, paths


def _policy(policy, keep):
    """(ops, bridge or None, plug-in path or None) for a name, a path or a Policy."""
    if isinstance(policy, Policy) or (isinstance(policy, type) and issubclass(policy, Policy)):
        b = Bridge(policy)
        return b.ops, b, None
    if not isinstance(policy, str):
        raise TypeError("gpusim.run: policy must be a name, a plug-in path or a Policy, not %r"
                        % (policy,))
    err = new_err()
    ops = ffi.new("const gs_policy_ops **")
    check(lib.gs_policy_resolve(policy.encode(), ops, err), err)
    plugin = None
    if lib.gs_policy_find(policy.encode()) == ffi.NULL:
        p = lib.gs_policy_plugin_find(policy.encode(), err)
        plugin = text(p)
        lib.gs_free(p)
    return ops[0], None, plugin


def _log_sink(keep):
    def sink(ctx, level, t, msg):
        log.log(_LEVELS.get(level, logging.DEBUG), "[%.3f] %s", t, text(msg))
    cb = ffi.callback("void(void *, int, double, const char *)", sink)
    keep.append(cb)
    return cb


def _meta(names, paths, plugin, command, keep):
    names = [n.encode() for n in names] + ([b"policy"] if plugin else [])
    files = paths + ([plugin] if plugin else [])
    cnames = [ffi.new("char[]", n) for n in names]
    cpaths = [ffi.new("char[]", os.fsencode(p)) for p in files]
    meta = ffi.new("gs_run_meta *")
    arr_n = ffi.new("const char *[]", cnames)
    arr_p = ffi.new("const char *[]", cpaths)
    cmd = ffi.new("char[]", command.encode())
    keep.extend([cnames, cpaths, arr_n, arr_p, cmd])
    meta.command = cmd
    meta.input_names = arr_n
    meta.input_paths = arr_p
    meta.ninputs = len(names)
    return meta


def _command(trace, policy, cluster, db, kw):
    pname = policy if isinstance(policy, str) else \
        (policy.__name__ if isinstance(policy, type) else type(policy).__name__)
    args = [repr(trace), repr(pname) if isinstance(policy, str) else pname]
    args += ["cluster=%r" % cluster, "db=%r" % db]
    args += ["%s=%r" % (k, v) for k, v in sorted(kw.items())]
    return "python: gpusim.run(%s)" % ", ".join(args)


def run(trace, policy="fifo", cluster="default", db="default", *, job_type="SFT", states="all",
        classes="default", preemption=None, out=None, force=False, timeline=True, sample_interval=0, params=None,
        **opts):
    """Replays trace on cluster under policy, on the C engine, as `gpusim run` does.

    trace, cluster, db: files, or names of the bundled ones ("default", "multiweek", "seren").
    policy: a built-in name ("fifo", gpusim.policies()), a plug-in (a path to a .so, or NAME.so
    on GPUSIM_POLICY_PATH), or a Policy subclass or instance (its hooks run in Python).
    out: the result folder to write (atomically; force replaces an existing one); None keeps
    the results in memory only. timeline, sample_interval: timeline.csv as --no-timeline and
    --sample-interval. params: {name: number}, the policy's parameters (--param). job_type,
    states: the trace's rows to replay (--job-type, --states). classes: the class mapping
    (--classes: a file or a bundled name; "db-mix" for none). preemption: "graceful" or
    "abrupt" (--preemption; default the cluster's).
    opts: seed, restart_delay, fail_delay, checkpoint_interval, round_length, max_failures,
    until, knowledge_error, viability_error, knowledge_seed (the options of `gpusim run`, with
    its ranges and defaults).
    Warnings of the simulation go to the logging module's "gpusim" logger.

    Returns Results. Raises GpusimError for bad input or an invalid plan (the message names the
    file, line and field, or the policy), the policy's own exception when a Python hook raised,
    TypeError or ValueError for a bad argument.
    """
    keep = []
    o = ffi.new("gs_sim_opts *")
    lib.gs_sim_opts_init(o)
    for k, v in opts.items():
        if k not in OPTIONS:
            raise TypeError("gpusim.run: unknown option %r (options: %s)" %
                            (k, ", ".join(sorted(OPTIONS))))
        setattr(o, k, _check_option(k, v))
    if sample_interval and not (1e-3 <= sample_interval <= 1e9):
        raise ValueError("gpusim.run: sample_interval=%r is out of range [0.001, 1e9]"
                         % (sample_interval,))
    if preemption is not None:
        if preemption not in ("graceful", "abrupt"):
            raise ValueError("gpusim.run: preemption must be 'graceful' or 'abrupt'")
        o.graceful = 1 if preemption == "graceful" else 0
    ops, bridge, plugin = _policy(policy, keep)
    o.policy_ops = ops
    if params:
        kv = [ffi.new("char[]", ("%s=%r" % (k, float(v))).encode()) for k, v in params.items()]
        arr = ffi.new("const char *[]", kv)
        keep.extend([kv, arr])
        o.params = arr
        o.nparams = len(kv)
    o.log = _log_sink(keep)
    t, c, d, cm, names, paths = _loads(trace, cluster, db, job_type, states, classes, keep)
    o.classes = cm
    err = new_err()
    sim = lib.gs_sim_new(t, c, d, o, err)
    if sim == ffi.NULL:
        _raise(bridge, err)
    sim = ffi.gc(sim, lib.gs_sim_free)
    tmp = None
    try:
        folder = out
        if folder is None:
            tmp = tempfile.mkdtemp(prefix="gpusim-")
            folder = os.path.join(tmp, "run")
        res = lib.gs_results_begin(sim, os.fsencode(folder), 1 if force else 0,
                                   1 if timeline else 0, float(sample_interval), err)
        if res == ffi.NULL:
            check(-1, err)
        if lib.gs_sim_run(sim, err) < 0:
            lib.gs_results_abort(res)
            _raise(bridge, err)
        kw = dict(opts)
        for k, v, d in (("job_type", job_type, "SFT"), ("states", states, "all"),
                        ("classes", classes, "default"),
                        ("preemption", preemption, None)):
            if v != d:
                kw[k] = v
        if params:
            kw["params"] = params
        meta = _meta(names, paths, plugin, _command(trace, policy, cluster, db, kw), keep)
        check(lib.gs_results_commit(res, meta, err), err)
        return Results(folder, keep=out is not None)
    finally:
        del sim  # the simulation (and the policy's callbacks) go before what they borrow
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _raise(bridge, err):
    """The policy's own exception when a Python hook raised, else the library's error."""
    if bridge is not None and bridge.error is not None:
        raise bridge.error
    check(-1, err)


__all__ = ["run", "Results", "policies", "GpusimError"]
