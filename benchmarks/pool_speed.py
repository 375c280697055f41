"""Speed of pooling: N random-effects meta-analyses with REML + Knapp-Hartung + PI + Q-profile CI.

    python benchmarks/pool_speed.py [--n N] [--seed S]

Each analysis has k drawn uniformly from 2..40 studies, log effects around a true effect
with between-study SD drawn from [0, 0.5] and SEs from [0.05, 0.5]. Every analysis goes
through the public ``metabolero.meta.pool`` (the same code the CLI and reports use).
The last line is ``meta-analyses/s: X``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metabolero.meta import pool  # noqa: E402


def make_data(n: int, seed: int):
    """Return a list of n (yi, sei) pairs of random meta-analyses."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(2, 41))
        sei = rng.uniform(0.05, 0.5, k)
        tau = rng.uniform(0, 0.5)
        yi = rng.normal(-0.2, tau, k) + rng.normal(0, sei)
        out.append((yi, sei))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    data = make_data(args.n, args.seed)
    fallbacks = 0
    t0 = time.perf_counter()
    for yi, sei in data:
        r = pool(yi, sei, method="REML", hksj=True)
        fallbacks += r.method != "REML"
    dt = time.perf_counter() - t0
    print(f"analyses: {args.n} (k 2..40), REML + Knapp-Hartung + prediction interval + Q-profile CI")
    print(f"fell back from REML: {fallbacks}")
    print(f"seconds: {dt:.2f}")
    print(f"meta-analyses/s: {args.n / dt:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
