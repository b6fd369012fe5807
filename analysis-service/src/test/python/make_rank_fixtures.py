#!/usr/bin/env python3
"""Writes the reference fixtures for EffectiveRankFixturesTest.

Each fixture is a 2-D C-order .npy matrix; expected.json holds NumPy's SVD-based Roy-Vetterli
effective rank of each (singular values from numpy.linalg.svd in float64, p_i = s_i / sum s,
erank = exp(-sum p_i ln p_i), zero p_i left out), plus its shape and near-zero row count.

Run from the module directory:  python3 src/test/python/make_rank_fixtures.py
Deterministic (fixed seed); rerunning rewrites the same files.
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "rank-fixtures"


def effective_rank(a):
    s = np.linalg.svd(np.asarray(a, dtype=np.float64), compute_uv=False)
    total = s.sum()
    if total == 0.0:
        return 0.0
    p = s / total
    p = p[p > 0]
    return float(np.exp(-(p * np.log(p)).sum()))


def near_zero_rows(a):
    norms = np.linalg.norm(np.asarray(a, dtype=np.float64), axis=1)
    return int((norms < 1e-6 * norms.max()).sum()) if norms.max() > 0 else int(a.shape[0])


def main():
    rng = np.random.default_rng(20260611)
    fixtures = {
        # float64, full column rank, tall
        "random-256x64": rng.standard_normal((256, 64)),
        # rank 1: outer product, tall
        "rank1-64x16": np.outer(rng.standard_normal(64), rng.standard_normal(16)),
        # identity: erank = n exactly
        "identity-16": np.eye(16),
        # rank 5 signal plus small noise (noise singular values ~1e-3 of the signal's)
        "lowrank5-noise-100x20": rng.standard_normal((100, 5)) @ rng.standard_normal((5, 20))
        + 1e-3 * rng.standard_normal((100, 20)),
        # float32 on disk ('<f4'); reference computed on its exact float64 values
        "random-f32-64x32": rng.standard_normal((64, 32)).astype(np.float32),
        # wide matrix with a few all-zero rows (saturated examples); written with a version 2.0 header
        "wide-zero-rows-12x40": np.vstack([rng.standard_normal((9, 40)), np.zeros((3, 40))]),
        # rank 3 stored as float32, as a trainer probe is: the rounding adds 37 singular values near 1e-8 of the
        # largest, which the SVD resolves and counts (a Gram matrix alone cannot: it moved erank by ~1e-6)
        "lowrank3-f32-300x40": (rng.standard_normal((300, 3)) @ rng.standard_normal((3, 40))).astype(np.float32),
        # the same for a wide matrix (features x examples)
        "lowrank4-f32-30x200": (rng.standard_normal((30, 4)) @ rng.standard_normal((4, 200))).astype(np.float32),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, a in fixtures.items():
        a = np.ascontiguousarray(a)
        version = (2, 0) if name.startswith("wide") else (1, 0)
        with open(OUT / f"{name}.npy", "wb") as f:
            np.lib.format.write_array(f, a, version=version)
        expected[name] = {
            "file": f"{name}.npy",
            "dtype": a.dtype.str,
            "npyVersion": f"{version[0]}.{version[1]}",
            "rows": int(a.shape[0]),
            "cols": int(a.shape[1]),
            "effectiveRank": effective_rank(a),
            "nearZeroRows": near_zero_rows(a),
        }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    print(json.dumps(expected, indent=2))
    print("numpy", np.__version__)


if __name__ == "__main__":
    main()
