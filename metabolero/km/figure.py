"""Hazard ratio from a digitised KM figure: reconstruct each arm (Guyot 2012), then Cox."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import KMError
from .analysis import analyse
from .reconstruct import reconstruct_arm


def _frame(rows, columns: tuple[str, str], where: str) -> pd.DataFrame:
    if rows is None:
        raise KMError(f"{where}: missing; expected a list of [{columns[0]}, {columns[1]}] pairs")
    try:
        arr = np.asarray(rows, dtype=float)
    except (TypeError, ValueError):
        raise KMError(f"{where}: expected a list of numeric [{columns[0]}, {columns[1]}] pairs") from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise KMError(f"{where}: expected a list of [{columns[0]}, {columns[1]}] pairs, got shape {arr.shape}")
    return pd.DataFrame(arr, columns=list(columns))


def reconstruct_figure(arms: list[dict]) -> tuple[pd.DataFrame, list[str]]:
    """Return the pseudo-IPD (time, event, arm) of every arm of a figure and the warnings."""
    if not isinstance(arms, (list, tuple)) or not arms:
        raise KMError("figure arms: expected a non-empty list of {'arm', 'curve', 'at_risk'}")
    parts, warnings = [], []
    for i, spec in enumerate(arms):
        if not isinstance(spec, dict):
            raise KMError(f"figure arm {i}: expected a dict with 'arm', 'curve', 'at_risk'")
        name = str(spec.get("arm") if spec.get("arm") is not None else f"arm{i + 1}")
        where = f"figure arm {name!r}"
        curve = _frame(spec.get("curve"), ("time", "survival"), f"{where} curve")
        at_risk = _frame(spec.get("at_risk"), ("time", "n_at_risk"), f"{where} at_risk")
        rec = reconstruct_arm(curve, at_risk, spec.get("events"), source=where)
        warnings.extend(f"{name}: {w}" for w in rec.warnings)
        parts.append(rec.ipd.assign(arm=name))
    names = [p["arm"].iloc[0] if len(p) else None for p in parts]
    if len(set(names)) != len(names):
        raise KMError(f"figure arms: arm names must differ, got {names}")
    return pd.concat(parts, ignore_index=True), warnings


def hr_from_figure(arms: list[dict], control: str | None = None) -> dict:
    """Return the Cox HR (Breslow ties) of a digitised figure's arms, reconstructed by Guyot 2012.

    ``arms``: [{"arm": name, "curve": [[t, s], ...], "at_risk": [[t, n], ...], "events": N?}];
    ``control``: the reference arm (default: the first listed). Returns
    ``{"value", "ci_low", "ci_high", "log_hr", "se_log_hr", "experimental", "control",
    "method", "warnings"}`` for the first experimental arm, and ``"others"`` (the same
    fields) for further arms of a multi-arm figure (one Cox model, arm as a factor).
    """
    if not isinstance(arms, (list, tuple)) or len(arms) < 2:
        raise KMError("figure arms: an HR needs at least two arms with curve and at_risk")
    ipd, warnings = reconstruct_figure(arms)
    names = list(dict.fromkeys(ipd["arm"]))
    if control is None:
        control = names[0]
    if str(control) not in names:
        raise KMError(f"figure arms: control {control!r} not among {names}")
    cox = analyse(ipd, control=str(control)).cox
    method = "Cox PH (Breslow ties) on IPD reconstructed from the KM figure (Guyot 2012)"

    def row(r) -> dict:
        return {"value": float(r["hr"]), "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                "log_hr": float(r["log_hr"]), "se_log_hr": float(r["se_log_hr"]),
                "experimental": str(r["experimental"]), "control": str(r["control"]),
                "method": method}

    rows = [row(r) for _, r in cox.iterrows()]
    out = dict(rows[0])
    out["warnings"] = warnings
    if len(rows) > 1:
        out["others"] = rows[1:]
    return out
