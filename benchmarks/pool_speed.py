"""Speed of pooling: N random-effects meta-analyses with REML + Knapp-Hartung + PI + Q-profile CI.

    python benchmarks/pool_speed.py [--n N] [--seed S] [--loop]

Each analysis has k drawn uniformly from 2..40 studies, log effects around a true effect
with between-study SD drawn from [0, 0.5] and SEs from [0.05, 0.5]. The timed path is
``metabolero.meta.pool_many`` (the algorithms of ``pool``, vectorised across analyses);
a sample is checked against ``pool()`` one at a time, and ``--loop`` also times that.
The last line is ``meta-analyses/s: X``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metabolero.meta import FIELDS, pool, pool_many  # noqa: E402


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
    ap.add_argument("--loop", action="store_true", help="also time pool() called once per analysis")
    args = ap.parse_args(argv)
    data = make_data(args.n, args.seed)
    ys, ss = [d[0] for d in data], [d[1] for d in data]
    print(f"analyses: {args.n} (k 2..40), REML + Knapp-Hartung + prediction interval + Q-profile CI")

    t0 = time.perf_counter()
    res = pool_many(ys, ss, method="REML", hksj=True)
    dt = time.perf_counter() - t0

    # the batch figures are those of pool(): check a sample
    check = range(0, args.n, max(1, args.n // 200))
    worst = 0.0
    t1 = time.perf_counter()
    for i in check:
        d = pool(ys[i], ss[i], method="REML", hksj=True).to_dict()
        for f in FIELDS:
            if d[f] is not None:
                worst = max(worst, abs(d[f] - res[f][i]))
    per_call = (time.perf_counter() - t1) / len(check)
    print(f"max |pool_many - pool| over {len(check)} analyses: {worst:.1e}")
    print(f"fell back from REML: {sum(m != 'REML' for m in res['method'])}")
    print(f"pool() one at a time: {1 / per_call:.0f} meta-analyses/s")
    if args.loop:
        t2 = time.perf_counter()
        for y, s in data:
            pool(y, s, method="REML", hksj=True)
        print(f"pool() loop over all: {args.n / (time.perf_counter() - t2):.0f} meta-analyses/s")
    print(f"seconds (pool_many): {dt:.2f}")
    print(f"meta-analyses/s: {args.n / dt:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
