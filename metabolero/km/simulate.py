"""What a paper shows of an arm's IPD, as a digitiser would read it back.

Used to test reconstruction the way Guyot et al. did: from real IPD, build the published
pieces (KM curve digitised at step corners with a little noise, a numbers-at-risk table
at regular times, the total events), reconstruct, and compare with the original.
Deterministic for a given ``seed``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import KMError


@dataclass(frozen=True)
class DigitisedArm:
    """Published view of one arm: ``curve`` (time, survival), ``at_risk`` (time, n_at_risk), ``events``."""

    curve: pd.DataFrame
    at_risk: pd.DataFrame
    events: int


def nice_step(t_max: float, rows: int = 8) -> float:
    """Return a round risk-table spacing (1, 2, 2.5 or 5 × 10^k) giving about ``rows`` rows up to ``t_max``."""
    if t_max <= 0:
        raise KMError(f"nice_step: expected a positive follow-up, got {t_max!r}")
    raw = t_max / max(rows - 1, 1)
    base = 10 ** np.floor(np.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if mult * base >= raw:
            return float(mult * base)
    return float(10 * base)


def km_steps(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (event times, KM survival after each) of one arm (statsmodels ``SurvfuncRight``)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    sf = SurvfuncRight(np.asarray(time, float), np.asarray(event, int))
    return np.asarray(sf.surv_times, float), np.asarray(sf.surv_prob, float)


def digitise_arm(time, event, *, seed: int = 0, n_points: int | None = None,
                 risk_step: float | None = None, time_noise: float = 0.001,
                 surv_noise: float = 0.002, percent: bool = False,
                 shuffle: bool = True, style: str = "corners") -> DigitisedArm:
    """Return the :class:`DigitisedArm` a reader would take from a paper's figure of this arm.

    The curve is read at step corners (top and bottom of each drop, evenly thinned to
    ``n_points`` — both corners of every drop within 40..150 points when None), plus the
    start and the end of follow-up, and any clicks left over on the curve at evenly spaced
    times;
    Gaussian noise of ``time_noise`` × last time and ``surv_noise`` (survival fraction)
    is added to every point, as a digitiser's clicks are off by a pixel or so. The risk
    table is at multiples of ``risk_step`` (a round step giving about 8 rows when None).
    ``style="grid"`` reads the curve at ``n_points`` evenly spaced times instead (what an
    automatic line extractor gives), with the same noise.
    """
    time = np.asarray(time, float)
    event = np.asarray(event, int)
    if time.size == 0:
        raise KMError("digitise_arm: no patients")
    rng = np.random.default_rng(seed)
    t_max = float(time.max())
    et, es = km_steps(time, event)
    if n_points is None:
        # a careful reader clicks both corners of every drop, within 40..150 clicks
        n_points = int(np.clip(2 * et.size + 2, 40, 150))
    n_drops = max(1, min(et.size, (n_points - 2) // 2))
    if et.size:
        pick = np.unique(np.round(np.linspace(0, et.size - 1, n_drops)).astype(int))
        prev = np.concatenate([[1.0], es[:-1]])
        corner_t = np.repeat(et[pick], 2)
        corner_s = np.column_stack([prev[pick], es[pick]]).ravel()
        end_s = es[-1]
    else:
        corner_t = corner_s = np.empty(0)
        end_s = 1.0
    if style == "grid":
        # an automatic extractor reads the line at evenly spaced x positions
        pts_t = np.linspace(0.0, t_max, max(n_points, 2))
        idx = np.searchsorted(et, pts_t, side="right") - 1
        pts_s = np.where(idx >= 0, es[np.maximum(idx, 0)] if es.size else 1.0, 1.0)
    elif style == "corners":
        # clicks left over after the corners go on the flat stretches, evenly in time
        extra = max(0, n_points - corner_t.size - 2)
        flat_t = np.linspace(0.0, t_max, extra + 2)[1:-1]
        idx = np.searchsorted(et, flat_t, side="right") - 1
        flat_s = np.where(idx >= 0, es[np.maximum(idx, 0)] if es.size else 1.0, 1.0)
        pts_t = np.concatenate([[0.0], corner_t, flat_t, [t_max]])
        pts_s = np.concatenate([[1.0], corner_s, flat_s, [end_s]])
    else:
        raise KMError(f"digitise_arm: style must be 'corners' or 'grid', got {style!r}")
    pts_t = pts_t + rng.normal(0, time_noise * t_max, pts_t.size)
    pts_s = pts_s + rng.normal(0, surv_noise, pts_s.size)
    pts_t[0] = max(pts_t[0], 0.0)
    if percent:
        pts_s = pts_s * 100
    if shuffle:
        order = rng.permutation(pts_t.size)
        pts_t, pts_s = pts_t[order], pts_s[order]
    curve = pd.DataFrame({"time": pts_t, "survival": pts_s})

    step = risk_step if risk_step is not None else nice_step(t_max)
    rt = np.arange(0.0, t_max + 1e-9, step)
    srt = np.sort(time)
    n_at = srt.size - np.searchsorted(srt, rt, side="left")
    at_risk = pd.DataFrame({"time": rt, "n_at_risk": n_at.astype(int)})
    return DigitisedArm(curve=curve, at_risk=at_risk, events=int(event.sum()))
