"""Reconstruction accuracy on real IPD: digitise, reconstruct, compare (Guyot 2012's check).

:func:`accuracy_table` is what the accuracy test asserts on and what
``benchmarks/km_accuracy.py`` prints.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import KMError
from .analysis import analyse
from .reconstruct import reconstruct
from .simulate import digitise_arm


def _seed(*parts: str) -> int:
    """Stable seed from names (Python's hash() is salted per process)."""
    return zlib.crc32("/".join(parts).encode())


def _arm_survival(analysis, arm: str, times: np.ndarray) -> np.ndarray:
    sa = analysis.survival_at(times)
    return sa[sa["arm"] == arm]["survival"].to_numpy()


def compare_dataset(ipd: pd.DataFrame, control: str, horizon: float, name: str = "",
                    seed: int | None = None) -> pd.DataFrame:
    """Return per-arm errors of reconstruction from simulated digitisation of ``ipd``.

    Columns: arm, n, hr_true, hr_rec, hr_err_pct (relative, %; NaN for the control),
    median_true, median_rec, median_err (time units), max_s_err (largest distance of the
    reconstructed S(t) from the true curve at the risk-table times, where at a drop of the
    true curve both its sides count; fraction), rmst_true, rmst_rec, rmst_err_pct (relative, %).
    """
    arms = list(dict.fromkeys(ipd["arm"].astype(str)))
    rec_parts, risk_times = [], {}
    for arm in arms:
        sub = ipd[ipd["arm"].astype(str) == arm]
        dig = digitise_arm(sub["time"].to_numpy(), sub["event"].to_numpy(),
                           seed=_seed(name, arm) if seed is None else seed + len(rec_parts))
        rec = reconstruct(dig.curve, dig.at_risk, events=dig.events)
        rec_parts.append(rec.assign(arm=arm))
        risk_times[arm] = dig.at_risk["time"].to_numpy()
    rec_ipd = pd.concat(rec_parts, ignore_index=True)
    orig = analyse(ipd, control=control)
    new = analyse(rec_ipd, control=control)
    hr_o = orig.cox.set_index("experimental")["hr"]
    hr_n = new.cox.set_index("experimental")["hr"]
    med_o = orig.medians.set_index("arm")["median"]
    med_n = new.medians.set_index("arm")["median"]
    rm_o = orig.rmst(horizon).set_index("arm")["rmst"]
    rm_n = new.rmst(horizon).set_index("arm")["rmst"]
    rows = []
    for arm in arms:
        times = risk_times[arm]
        so = _arm_survival(orig, arm, times)
        so_left = _arm_survival(orig, arm, np.nextafter(times, -np.inf))
        sn = _arm_survival(new, arm, times)
        # a risk-table time can fall on a drop of the true curve; a digitiser cannot tell
        # which side of a one-pixel-wide drop it is on, so either side counts as right
        s_err = np.nanmax(np.maximum.reduce([sn - so_left, so - sn, np.zeros_like(sn)]))
        hr_t = hr_o.get(arm, np.nan)
        hr_r = hr_n.get(arm, np.nan)
        rows.append({
            "arm": arm, "n": int((ipd["arm"].astype(str) == arm).sum()),
            "hr_true": hr_t, "hr_rec": hr_r, "hr_err_pct": 100 * abs(hr_r / hr_t - 1),
            "median_true": med_o[arm], "median_rec": med_n[arm],
            "median_err": abs(med_n[arm] - med_o[arm]),
            "max_s_err": s_err, "rmst_true": rm_o[arm], "rmst_rec": rm_n[arm],
            "rmst_err_pct": 100 * abs(rm_n[arm] / rm_o[arm] - 1),
        })
    return pd.DataFrame(rows)


def accuracy_table(ipd_dir: Path) -> pd.DataFrame:
    """Return :func:`compare_dataset` rows for every dataset of ``ipd_dir`` (its reference.json)."""
    ipd_dir = Path(ipd_dir)
    ref_path = ipd_dir / "reference.json"
    try:
        ref = json.loads(ref_path.read_text())
    except (OSError, ValueError) as exc:
        raise KMError(f"{ref_path}: cannot read the IPD reference ({exc})") from exc
    out = []
    for name, info in ref.items():
        ipd = pd.read_csv(ipd_dir / f"{name}.csv")
        t = compare_dataset(ipd, info["control"], info["rmst_horizon"], name=name)
        t.insert(0, "dataset", name)
        t["min_arm_n"] = t["n"].min()
        out.append(t)
    return pd.concat(out, ignore_index=True)
