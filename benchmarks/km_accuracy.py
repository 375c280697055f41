"""Accuracy of KM reconstruction on the real trials of ../shared/ipd (Guyot-style check).

For each dataset and arm: digitise the KM curve as a reader would (step corners with a
little noise, 40-150 points), take a numbers-at-risk table at regular times and the total
events, reconstruct with metabolero.km.reconstruct, and compare with the original IPD.
Prints one row per dataset × comparison and the mean HR error over datasets with >= 50
patients per arm. Run: .venv/bin/python benchmarks/km_accuracy.py [SHARED_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metabolero.km.accuracy import accuracy_table  # noqa: E402


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shared = Path(argv[0]) if argv else ROOT.parent / "shared"
    table = accuracy_table(shared / "ipd")
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
    cols = ["dataset", "arm", "n", "hr_true", "hr_rec", "hr_err_pct", "median_true", "median_rec",
            "median_err", "max_s_err", "rmst_err_pct"]
    print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    big = table[table["min_arm_n"] >= 50]
    hr = big.dropna(subset=["hr_err_pct"]).groupby("dataset")["hr_err_pct"].max()
    print(f"\ndatasets with >= 50 per arm: {hr.size}")
    print(f"max HR error %: {hr.max():.3f}")
    print(f"mean HR error % across datasets: {hr.mean():.3f}")
    print(f"max |S(t) error| at risk times: {big['max_s_err'].max():.4f}")
    print(f"max RMST error %: {big['rmst_err_pct'].max():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
