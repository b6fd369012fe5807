#!/usr/bin/env python3
"""The reference side of falab's effective-rank benchmark (org.falab.analysis.bench.RankBench).

Reads requests, one JSON object per line on stdin, and answers each with one line "RESULT {json}" on stdout, so
that the Java side can interleave falab and NumPy rounds on the same matrices without starting a process per
round. The first line it prints is "READY {json}" with the versions and the BLAS/LAPACK libraries it loaded.

Request: {"file": PATH, "reps": N}. PATH is a float32 .npy matrix that RankBench wrote with the contract's Npy
writer; its bytes are read once and kept. Each repetition times
  load:  numpy.load of the bytes and the widening to float64 (falab reads and widens to double too), and
  rank:  numpy.linalg.svd(a, compute_uv=False) (LAPACK dgesdd) and the Roy-Vetterli formula,
and the answer carries the effective rank of the last repetition. float64 because falab computes in double and
the agreement target (1e-9) is below what a float32 SVD (sgesdd, about 1e-7) can resolve.

The BLAS thread count is whatever OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say; RankBench sets both.
"""
import io
import json
import os
import platform
import sys
import time

import numpy as np


def effective_rank(a):
    """The formula of src/test/python/make_rank_fixtures.py: exp of the entropy of s / sum(s), zeros left out."""
    s = np.linalg.svd(a, compute_uv=False)
    total = s.sum()
    if total == 0.0:
        return 0.0
    p = s / total
    p = p[p > 0]
    return float(np.exp(-(p * np.log(p)).sum()))


def linked_libraries():
    """The BLAS and LAPACK shared objects this process has mapped (Debian picks them with update-alternatives)."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and ("blas" in fields[5] or "lapack" in fields[5]):
                found.add(os.path.realpath(fields[5]))
    return sorted(found)


def main():
    # load LAPACK before listing what is mapped
    effective_rank(np.ones((4, 2)))
    print("READY " + json.dumps({
        "numpy": np.__version__,
        "python": platform.python_version(),
        "libraries": linked_libraries(),
        "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
    }), flush=True)
    files = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        path = request["file"]
        if path not in files:
            with open(path, "rb") as f:
                files[path] = f.read()
        data = files[path]
        load_ms, rank_ms, erank = [], [], None
        for _ in range(int(request["reps"])):
            t0 = time.perf_counter()
            a = np.load(io.BytesIO(data)).astype(np.float64)
            t1 = time.perf_counter()
            erank = effective_rank(a)
            t2 = time.perf_counter()
            load_ms.append((t1 - t0) * 1e3)
            rank_ms.append((t2 - t1) * 1e3)
        print("RESULT " + json.dumps({"loadMs": load_ms, "rankMs": rank_ms, "effectiveRank": erank,
                                      "shape": list(a.shape) if erank is not None else None}), flush=True)


if __name__ == "__main__":
    main()
