# SPDX-License-Identifier: Apache-2.0
"""gpusim from Python: runs on the C engine, policies written in Python, results as DataFrames.

    import gpusim
    r = gpusim.run("default", "db-flat", seed=3)        # a bundled trace, a built-in policy
    r.summary["jct"]["mean"], r.jobs.head()

    class FirstFit(gpusim.Policy): ...                  # docs/extending.md
    gpusim.run("default", FirstFit, out="res/first-fit")
    gpusim.read_sweep("sweep/")                         # one row per run

The package is pure Python over libgpusim (cffi's ABI mode): nothing is compiled when it is
imported. It finds the library through GPUSIM_LIBRARY, else next to an installed copy (cmake
--install), else through the dynamic loader.
"""
from ._lib import GpusimError, data_dir, library_path, version
from .policy import (FUTURE, QUEUED, REJECT_NO_VIABLE, REJECT_TOO_LARGE,
                     REJECT_TOO_MANY_FAILURES, REJECTED, RUNNING, DONE, Event, FreeMap, Job,
                     Knowledge, Policy, Preempt, Reject, Resize, Start, View)
from .results import read_results, read_sweep
from .run import Results, policies, run

__version__ = version()

__all__ = ["run", "Results", "policies", "read_results", "read_sweep", "Policy", "View", "Job",
           "FreeMap", "Knowledge", "Event", "Start", "Resize", "Preempt", "Reject",
           "GpusimError", "data_dir", "library_path", "version", "FUTURE", "QUEUED", "RUNNING",
           "DONE", "REJECTED", "REJECT_TOO_LARGE", "REJECT_NO_VIABLE",
           "REJECT_TOO_MANY_FAILURES"]
