"""Speed of KM reconstruction: one arm of 1,000 patients from 200 points and a 10-row risk table.

The arm is simulated (exponential event times, uniform censoring; fixed seed), its curve
digitised at 200 noisy step-corner points. Prints timings; the last line is
``ms per arm: X`` (median over repeats). Target: <= 10 ms (R's IPDfromKM: about 0.1 s).
Run: .venv/bin/python benchmarks/km_speed.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metabolero.km import reconstruct  # noqa: E402
from metabolero.km.simulate import digitise_arm  # noqa: E402


def main() -> int:
    rng = np.random.default_rng(2012)
    n = 1000
    t_event = rng.exponential(24.0, n)
    t_cens = rng.uniform(6.0, 60.0, n)
    time_ = np.minimum(t_event, t_cens)
    event = (t_event <= t_cens).astype(int)
    dig = digitise_arm(time_, event, seed=1, n_points=200, risk_step=6.0)
    at_risk = dig.at_risk.iloc[:10]
    print(f"points: {len(dig.curve)}, risk rows: {len(at_risk)}, patients: {n}, events: {dig.events}")
    reconstruct(dig.curve, at_risk, dig.events)  # warm-up (imports, caches)
    runs = []
    for _ in range(30):
        t0 = time.perf_counter()
        ipd = reconstruct(dig.curve, at_risk, dig.events)
        runs.append(1000 * (time.perf_counter() - t0))
    assert len(ipd) == n
    print(f"min {min(runs):.2f} ms, max {max(runs):.2f} ms over {len(runs)} runs")
    print(f"ms per arm: {statistics.median(runs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
