# SPDX-License-Identifier: Apache-2.0
"""Scheduling policies written in Python, run by the C engine.

A policy subclasses Policy and answers schedule(view) with a list of actions (Start, Resize,
Preempt, Reject). The core checks the whole plan before applying any of it, exactly as for the
built-in C policies: a plan that gives a GPU twice stops the run with an error.
"""
from collections import namedtuple
from collections.abc import Sequence

from ._lib import GpusimError, ffi, lib, text

# ---- actions ----
Start = namedtuple("Start", "job pool gpus")
Start.__doc__ = "Start queued job `job` on `gpus` GPUs of pool `pool`."
Resize = namedtuple("Resize", "job pool gpus")
Resize.__doc__ = "Move running job `job` to `gpus` GPUs of pool `pool` (pays the restart delay)."
Preempt = namedtuple("Preempt", "job")
Preempt.__doc__ = "Running job `job` gives its GPUs back and queues again (progress kept)."
Reject = namedtuple("Reject", "job reason")
Reject.__doc__ = "Queued job `job` is unschedulable (reason: REJECT_TOO_LARGE, ...)."

# Job states and reasons for Reject (include/gpusim/job.h).
FUTURE, QUEUED, RUNNING, DONE, REJECTED = range(5)
REJECT_TOO_LARGE, REJECT_NO_VIABLE, REJECT_TOO_MANY_FAILURES = 1, 2, 3
# Events a policy's on_event sees, by the numbers of include/gpusim/policy.h.
EVENTS = {0x01: "arrival", 0x02: "finish", 0x03: "fail"}
KNOWLEDGE_LEVELS = ("uninformed", "offline-informed", "online-informed", "hybrid")


class Policy:
    """Base class of a Python scheduling policy.

    Class attributes: name (required; not a built-in policy's), summary, knowledge (one of
    KNOWLEDGE_LEVELS: what the policy may read, see docs/extending.md), rounds (True: schedule at
    every --round-length instead of after every arrival, finish and failure) and params ({name:
    (default, summary)}: the parameters it reads with view.param; the run refuses others).

    Hooks: init(view) once before the first job arrives; on_event(view, event) for every arrival,
    finish and failure (optional); schedule(view) -> list of actions (required).
    """

    name = None
    summary = ""
    knowledge = "uninformed"
    rounds = False
    params = {}

    def init(self, view):
        pass

    def on_event(self, view, event):
        pass

    def schedule(self, view):
        raise NotImplementedError("a Policy must define schedule(view)")


Event = namedtuple("Event", "type job time")
Event.__doc__ = "An arrival, finish or failure: type ('arrival', ...), job index, time (s)."
Pool = namedtuple("Pool", "index name type gpus_per_node nodes capacity")


class Job:
    """A job as the policy sees it (read-only)."""

    __slots__ = ("_j", "_sim", "index")

    def __init__(self, sim, j):
        self._sim = sim
        self._j = lib.gs_sim_job(sim, j)
        self.index = j

    id = property(lambda s: text(s._j.tj.id), doc="the trace's job id")
    user = property(lambda s: text(s._j.tj.user))
    gpu_num = property(lambda s: s._j.tj.gpu_num, doc="GPUs the trace asked for")
    duration = property(lambda s: s._j.tj.duration, doc="s, as observed on the original GPUs")
    submit = property(lambda s: s._j.submit, doc="s since the first submission")
    cls = property(lambda s: s._j.cls, doc="workload class (index in the scaling DB)")
    state = property(lambda s: s._j.state, doc="FUTURE, QUEUED, RUNNING, DONE or REJECTED")
    pool = property(lambda s: s._j.alloc.pool, doc="pool of the current (or last) allocation")
    gpus = property(lambda s: s._j.alloc.gpus)
    nodes = property(lambda s: s._j.alloc.nodes)
    start = property(lambda s: s._j.start, doc="when the current allocation began")
    restarts = property(lambda s: s._j.restarts)
    failures = property(lambda s: s._j.failures)
    failed_pools = property(lambda s: s._j.failed_pools, doc="bit p: it failed on pool p")
    first_start = property(lambda s: s._j.first_start, doc="when it first got GPUs; -1 before")
    done = property(lambda s: lib.gs_sim_job_done(s._sim, s.index), doc="work done so far")
    progress = property(lambda s: lib.gs_sim_job_progress(s._sim, s.index),
                        doc="the fraction of its work done, in [0, 1]")
    ready_at = property(lambda s: lib.gs_sim_job_ready_at(s._sim, s.index),
                        doc="when its latest allocation begins useful work; -1 before a start")
    rate = property(lambda s: lib.gs_sim_job_rate(s._sim, s.index), doc="measured throughput")
    restarting = property(lambda s: bool(lib.gs_sim_job_restarting(s._sim, s.index)))

    def failed_on(self, pool):
        """Whether a start on pool failed (the configuration is not viable)."""
        return pool < 64 and bool(self._j.failed_pools >> pool & 1)


class FreeMap:
    """The free GPUs, to try allocations on before planning them (gs_freemap): placements follow
    the core's rule, so what fits here fits when the plan is applied. Use as a context manager,
    or call close()."""

    def __init__(self, sim):
        self._fm = ffi.new("gs_freemap *")
        err = ffi.new("gs_err *")
        if lib.gs_freemap_init(self._fm, sim, err) < 0:
            raise GpusimError(text(err.msg), err.code)
        self._sim = sim
        self._open = True

    def fits(self, pool, gpus):
        return bool(lib.gs_freemap_fits(self._fm, pool, gpus))

    def take(self, pool, gpus):
        """Takes gpus GPUs of pool if they fit (True), else leaves the map as it is (False)."""
        return lib.gs_freemap_take(self._fm, pool, gpus) == 0

    def give_job(self, job):
        """Gives back the GPUs running job `job` holds (to plan its preemption or resize)."""
        lib.gs_freemap_give_job(self._fm, self._sim, job)

    def pool_free(self, pool):
        return lib.gs_freemap_pool_free(self._fm, pool)

    def close(self):
        if self._open:
            lib.gs_freemap_release(self._fm)
            self._open = False

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Knowledge:
    """What informed policies may believe (gs_sim_knowledge): the scaling DB, perturbed under
    knowledge_error / viability_error."""

    def __init__(self, db):
        self._db = db
        self.types = [text(lib.gs_scaledb_type_name(db, t)) for t in range(lib.gs_scaledb_ntypes(db))]
        self.classes = [text(lib.gs_scaledb_class_name(db, c))
                        for c in range(lib.gs_scaledb_nclasses(db))]

    def lookup(self, cls, gpu_type, gpus, nodes=0):
        """(throughput, viable) of class cls on gpus GPUs of type gpu_type over nodes nodes (0:
        the fewest), or None when the DB has no such configuration."""
        thr = ffi.new("double *")
        viable = ffi.new("int *")
        if lib.gs_scaledb_lookup(self._db, cls, gpu_type, gpus, nodes, thr, viable) < 0:
            return None
        return thr[0], bool(viable[0])

    def max_gpus(self, cls, gpu_type):
        return lib.gs_scaledb_max_gpus(self._db, cls, gpu_type)


class JobWalk(Sequence):
    """Job indices in submission order, walked lazily from the C view (gs_sim_queue_first/next or
    gs_sim_running_first/next); valid during the hook it was given to. Iterating walks; len() is
    O(1); indexing walks the whole set once."""

    def __init__(self, sim, first, nxt, length):
        self._sim, self._first, self._next, self._length = sim, first, nxt, length
        self._all = None

    def __iter__(self):
        if self._all is not None:
            yield from self._all
            return
        sim, nxt, none = self._sim, self._next, lib.GS_JOB_NONE
        j = self._first(sim)
        while j != none:
            yield j
            j = nxt(sim, j)

    def __len__(self):
        return self._length(self._sim)

    def __getitem__(self, i):
        if self._all is None:
            self._all = list(iter(self))
        return self._all[i]

    def __repr__(self):
        return repr(list(self))


class View:
    """The simulation as a policy sees it: read-only, valid during the hook it was given to."""

    def __init__(self, sim):
        self._sim = sim
        cl = lib.gs_sim_cluster(sim)
        self.pools = []
        for i in range(lib.gs_cluster_npools(cl)):
            p = lib.gs_cluster_pool(cl, i)
            self.pools.append(Pool(i, text(p.name), p.type, p.gpus_per_node, p.nodes, p.capacity))
        self._know = None

    @property
    def now(self):
        """Simulated time, s."""
        return lib.gs_sim_now(self._sim)

    @property
    def njobs(self):
        return lib.gs_sim_njobs(self._sim)

    def queue(self):
        """The queued jobs' indices in submission order: a sequence that walks the C view as it is
        iterated (a policy that stops early pays only for the jobs it looked at); len() is O(1)."""
        return JobWalk(self._sim, lib.gs_sim_queue_first, lib.gs_sim_queue_next,
                       lib.gs_sim_queue_len)

    def running(self):
        """The running jobs' indices in submission order, as queue()."""
        return JobWalk(self._sim, lib.gs_sim_running_first, lib.gs_sim_running_next,
                       lib.gs_sim_running_len)

    def job(self, j):
        return Job(self._sim, j)

    def pool_free(self, pool):
        return lib.gs_sim_pool_free(self._sim, pool)

    def freemap(self):
        return FreeMap(self._sim)

    @property
    def knowledge(self):
        if self._know is None:
            self._know = Knowledge(lib.gs_sim_knowledge(self._sim))
        return self._know

    def param(self, key, default):
        """The value of --param key (run(params={key: value})), or default."""
        v = ffi.new("double *")
        err = ffi.new("gs_err *")
        if lib.gs_sim_param_get(self._sim, key.encode(), default, v, err) < 0:
            raise GpusimError(text(err.msg), err.code)
        return v[0]

    def uniform(self):
        """A uniform number in [0, 1) from the policy's own seeded stream."""
        return lib.gs_sim_uniform(self._sim)

    def stat(self, key, value):
        """Records a policy statistic for summary.json's policy_stats."""
        if lib.gs_sim_stat_set(self._sim, key.encode(), float(value)) < 0:
            raise MemoryError("gpusim: out of memory")


def _set_err(err, code, msg):
    """Fills a gs_err the C way: the first error wins."""
    if err != ffi.NULL and not err.code:
        err.code = code
        b = msg.encode(errors="replace")[:255]
        ffi.memmove(err.msg, b + b"\0", len(b) + 1)


_PLAN = {Start: lambda out, a, e: lib.gs_plan_start(out, a.job, a.pool, a.gpus, e),
         Resize: lambda out, a, e: lib.gs_plan_resize(out, a.job, a.pool, a.gpus, e),
         Preempt: lambda out, a, e: lib.gs_plan_preempt(out, a.job, e),
         Reject: lambda out, a, e: lib.gs_plan_reject(out, a.job, a.reason, e)}


class Bridge:
    """A Policy as a gs_policy_ops: C calls these callbacks. Holds every cdata the C side points
    at for as long as the simulation lives; an exception in a hook is kept and re-raised by run."""

    def __init__(self, policy):
        if isinstance(policy, type):
            policy = policy()
        self.policy = policy
        cls = type(policy)
        name = policy.name
        if not name or not isinstance(name, str):
            raise ValueError("gpusim: a Policy needs a name (class attribute name = '...')")
        if lib.gs_policy_find(name.encode()) != ffi.NULL:
            raise ValueError("gpusim: policy name '%s' is a built-in policy's" % name)
        if policy.knowledge not in KNOWLEDGE_LEVELS:
            raise ValueError("gpusim: policy '%s': knowledge must be one of %s" %
                             (name, ", ".join(KNOWLEDGE_LEVELS)))
        self.error = None
        self.view = None
        self._keep = []
        ops = ffi.new("gs_policy_ops *")
        ops.abi = lib.GS_POLICY_ABI
        ops.name = self._str(name)
        ops.summary = self._str(policy.summary or "")
        ops.knowledge = self._str(policy.knowledge)
        ops.flags = 1 if policy.rounds else 0
        if policy.params:
            arr = ffi.new("gs_policy_param[]", len(policy.params) + 1)
            for i, (k, v) in enumerate(sorted(policy.params.items())):
                d, summary = v if isinstance(v, tuple) else (v, "")
                arr[i].name = self._str(k)
                setattr(arr[i], "def", float(d))  # a field named like a Python keyword
                arr[i].summary = self._str(summary)
            self._keep.append(arr)
            ops.params = arr
        self._cb_init = ffi.callback("int(void **, const gs_sim *, gs_err *)", self._init,
                                     onerror=self._onerror)
        self._cb_sched = ffi.callback("int(void *, gs_sim *, gs_plan *, gs_err *)",
                                      self._schedule, onerror=self._onerror)
        self._cb_destroy = ffi.callback("void(void *)", lambda state: None)
        ops.init = self._cb_init
        ops.schedule = self._cb_sched
        ops.destroy = self._cb_destroy
        if cls.on_event is not Policy.on_event:  # only when overridden: no call per event else
            self._cb_event = ffi.callback("int(void *, gs_sim *, const gs_event *, gs_err *)",
                                          self._event, onerror=self._onerror)
            ops.on_event = self._cb_event
        self.ops = ops

    def _str(self, s):
        c = ffi.new("char[]", s.encode())
        self._keep.append(c)
        return c

    def _onerror(self, exc, value, tb):  # an exception cffi could not hand to us: never lost
        if self.error is None:
            self.error = value
        return -2

    def _fail(self, e, err):
        if self.error is None:
            self.error = e
        _set_err(err, -2, "policy '%s': %s: %s" % (self.policy.name, type(e).__name__, e))
        return -2

    def _init(self, state, sim, err):
        try:
            state[0] = ffi.NULL
            self.view = View(ffi.cast("gs_sim *", sim))
            self.policy.init(self.view)
            return 0
        except BaseException as e:  # noqa: B902 (handed back to run(), which raises it)
            return self._fail(e, err)

    def _event(self, state, sim, ev, err):
        try:
            self.policy.on_event(self.view, Event(EVENTS.get(ev.type, str(ev.type)),
                                                  int(ffi.cast("uintptr_t", ev.data)), ev.time))
            return 0
        except BaseException as e:  # noqa: B902
            return self._fail(e, err)

    def _schedule(self, state, sim, out, err):
        try:
            acts = self.policy.schedule(self.view)
            for a in acts or ():
                put = _PLAN.get(type(a))
                if put is None:
                    raise TypeError("schedule() returned %r, not a Start, Resize, Preempt or "
                                    "Reject" % (a,))
                rc = put(out, a, err)
                if rc < 0:
                    return rc
            return 0
        except BaseException as e:  # noqa: B902
            return self._fail(e, err)
