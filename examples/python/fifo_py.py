# SPDX-License-Identifier: Apache-2.0
"""fifo in Python: the built-in fifo (policies/fifo.c) line for line, so that both write the same
jobs.csv byte for byte (python/tests/test_gpusim.py checks it on traces/default.csv).

    python3 examples/python/fifo_py.py [TRACE]
"""
import sys

import gpusim


class Fifo(gpusim.Policy):
    """Strict submission order: the head job runs as submitted on the first GPU type with room
    on which it has not failed; until it starts, nobody behind it may."""

    name = "fifo-py"
    summary = "fifo, in Python"
    knowledge = "uninformed"  # the cluster's shape, nothing of speed or viability

    def schedule(self, view):
        plan = []
        with view.freemap() as fm:
            for j in view.queue():
                job = view.job(j)
                could = failed = started = False
                for pool in view.pools:
                    if job.failed_on(pool.index):
                        failed = True
                        continue
                    if pool.capacity < job.gpu_num:
                        continue
                    could = True
                    if fm.take(pool.index, job.gpu_num):
                        plan.append(gpusim.Start(j, pool.index, job.gpu_num))
                        started = True
                        break
                if not could:  # no GPU type can ever hold it: it must not block the queue
                    plan.append(gpusim.Reject(j, gpusim.REJECT_NO_VIABLE if failed
                                              else gpusim.REJECT_TOO_LARGE))
                elif not started:
                    break
        return plan


if __name__ == "__main__":
    r = gpusim.run(sys.argv[1] if len(sys.argv) > 1 else "default", Fifo)
    print(r)
