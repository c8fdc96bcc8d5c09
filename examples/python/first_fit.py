# SPDX-License-Identifier: Apache-2.0
"""first-fit in Python: the example plug-in examples/policy/first_fit.c line for line (both write
the same jobs.csv; python/tests/test_gpusim.py checks it). Every queued job that fits starts, in
submission order, without head-of-line blocking.

    python3 examples/python/first_fit.py [TRACE]
"""
import sys

import gpusim


class FirstFit(gpusim.Policy):
    name = "first-fit-py"
    summary = "submission order without head-of-line blocking, in Python"
    knowledge = "uninformed"

    def schedule(self, view):
        plan = []
        with view.freemap() as fm:
            for j in view.queue():
                job = view.job(j)
                could = failed = False
                for pool in view.pools:
                    if job.failed_on(pool.index):
                        failed = True
                        continue
                    if pool.capacity < job.gpu_num:
                        continue
                    could = True
                    if fm.take(pool.index, job.gpu_num):
                        plan.append(gpusim.Start(j, pool.index, job.gpu_num))
                        break
                if not could:
                    plan.append(gpusim.Reject(j, gpusim.REJECT_NO_VIABLE if failed
                                              else gpusim.REJECT_TOO_LARGE))
        return plan


if __name__ == "__main__":
    print(gpusim.run(sys.argv[1] if len(sys.argv) > 1 else "default", FirstFit))
