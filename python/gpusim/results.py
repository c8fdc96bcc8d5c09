# SPDX-License-Identifier: Apache-2.0
"""Result folders and sweeps as pandas DataFrames."""
import json
import os
import tempfile

import pandas as pd

from ._lib import check, ffi, lib, libc, new_err


def read_csv(path):
    """A gpusim CSV as a DataFrame; ids and users stay strings, empty cells are NaN."""
    return pd.read_csv(path, dtype={"job_id": str, "user": str, "run": str})


def read_results(dir, table="jobs"):
    """One run's table as a DataFrame: table is jobs (default), cdf (jct_cdf.csv), allocations,
    users or timeline. df.attrs["summary"] holds the run's summary.json as a dict."""
    names = {"jobs": "jobs.csv", "cdf": "jct_cdf.csv", "allocations": "allocations.csv",
             "users": "users.csv", "timeline": "timeline.csv"}
    if table not in names:
        raise ValueError("gpusim.read_results: table must be one of %s" % ", ".join(names))
    with open(os.path.join(dir, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    df = read_csv(os.path.join(dir, names[table]))
    df.attrs["summary"] = summary
    return df


def read_sweep(dir, table="runs"):
    """Every result folder at or under dir (as `gpusim merge` finds them) as one DataFrame:
    table "runs" has one row per run (its parameters and metrics, the columns of `gpusim merge
    -o`), "jobs" every job of every run with the run's parameters in front (`--jobs`)."""
    if table not in ("runs", "jobs"):
        raise ValueError("gpusim.read_sweep: table must be runs or jobs")
    err = new_err()
    m = lib.gs_merge_new(err)
    if m == ffi.NULL:
        check(-1, err)
    m = ffi.gc(m, lib.gs_merge_free)
    check(lib.gs_merge_add(m, os.fsencode(dir), err), err)
    fd, path = tempfile.mkstemp(prefix="gpusim-", suffix=".csv")
    os.close(fd)
    try:
        fp = libc.fopen(os.fsencode(path), b"w")
        if fp == ffi.NULL:
            raise OSError("gpusim.read_sweep: cannot write a temporary file")
        write = lib.gs_merge_write_runs if table == "runs" else lib.gs_merge_write_jobs
        rc = write(m, fp, err)
        if libc.fclose(fp) != 0 and rc >= 0:
            raise OSError("gpusim.read_sweep: cannot write a temporary file")
        check(rc, err)
        df = read_csv(path)
        # the columns exactly as gpusim merge names them (pandas would rename a repeated name:
        # the jobs table repeats job_type, the run's filter and each job's type)
        with open(path, encoding="utf-8") as f:
            df.columns = f.readline().rstrip("\n").split(",")
        return df
    finally:
        os.unlink(path)
