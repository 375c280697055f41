"""Speed of KM reconstruction: one arm of 1,000 patients from 200 points and a 10-row risk table.

The arm is simulated (exponential event times, uniform censoring; fixed seed), its curve
digitised at 200 noisy step-corner points. Prints wall-clock and CPU timings; the last
line is ``ms per arm: X``, the median CPU time (process time) of one reconstruction over
the repeats: CPU time is what the work costs and does not count the time this process
waits while other jobs use the cores (on an idle machine the two agree; wall-clock
figures are printed too). Target: <= 10 ms (R's IPDfromKM: about 0.1 s).
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
    wall, cpu = [], []
    for _ in range(50):
        t0, c0 = time.perf_counter(), time.process_time()
        ipd = reconstruct(dig.curve, at_risk, dig.events)
        cpu.append(1000 * (time.process_time() - c0))
        wall.append(1000 * (time.perf_counter() - t0))
    if len(ipd) != n:
        raise SystemExit(f"reconstruction lost patients: {len(ipd)} of {n}")
    print(f"wall ms: median {statistics.median(wall):.2f}, min {min(wall):.2f}, max {max(wall):.2f} "
          f"over {len(wall)} runs")
    print(f"cpu ms: median {statistics.median(cpu):.2f}, min {min(cpu):.2f}, max {max(cpu):.2f}")
    print(f"ms per arm: {statistics.median(cpu):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
