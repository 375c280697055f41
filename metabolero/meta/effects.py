"""Deriving a log effect and its standard error from what a publication reports.

Every function returns a ``Derived`` (yi = log ratio, sei = its SE, method = a label saying
how, flags = caveats) following Parmar et al. 1998 and Tierney et al. 2007, or raises
MetaAnalysisError when the inputs cannot give one. ``derive_from_ratio`` picks the best
route for an extracted ``Ratio`` record and returns None when none is possible.
"""
from __future__ import annotations

import functools

import math
from dataclasses import dataclass
from typing import Optional

from scipy import stats

from ..errors import MetaAnalysisError
from ..records import Flag, Ratio

# labels of the derivation routes (shown in evidence tables and reports)
M_CI = "CI"
M_P = "exact p-value"
M_P_BOUND = "p-value bound (conservative)"
M_EVENTS = "events and allocation ratio"
M_EVENTS_ARMS = "events per arm"
M_OE = "O-E and V"
M_IPD = "Cox model on reconstructed IPD"
M_MEDIANS = "medians, exponential assumption (approximation)"
M_COUNTS = "2x2 counts"

# when log(estimate) sits further than this (in SEs) from the middle of the log CI,
# the reported numbers are probably inconsistent (typo, rounding, or a different model)
_ASYMMETRY_SE = 0.5


@dataclass(frozen=True)
class Derived:
    """A log effect ``yi`` with standard error ``sei`` (log scale), how it was derived, and caveats."""

    yi: float
    sei: float
    method: str
    flags: tuple = ()

    def to_dict(self) -> dict:
        """Return yi, sei, method and flags (as dicts) for JSON."""
        return {"yi": self.yi, "sei": self.sei, "method": self.method, "flags": [f.to_dict() for f in self.flags]}


def _positive(name: str, x) -> float:
    if x is None:
        raise MetaAnalysisError(f"{name}: missing; expected a positive number")
    x = float(x)
    if not math.isfinite(x) or x <= 0:
        raise MetaAnalysisError(f"{name}: got {x!r}; expected a positive number")
    return x


@functools.lru_cache(maxsize=64)
def _z(level: float) -> float:
    level = float(level)
    if level > 1:
        level /= 100
    if not 0 < level < 1:
        raise MetaAnalysisError(f"ci_level: got {level!r}; expected a percentage such as 95")
    return float(stats.norm.isf((1 - level) / 2))


# --------------------------------------------------------------------------- from a CI
def from_ci(ci_low: float, ci_high: float, estimate: Optional[float] = None, level: float = 95) -> Derived:
    """Return log effect and SE from a ratio's CI at any level (ratio scale, e.g. HR 0.7, 0.55-0.89).

    sei = (log(high) - log(low)) / (2 z), z the normal quantile of the level. yi is
    log(estimate), or the middle of the log CI when no estimate is given (flagged). A
    log(estimate) far from the middle of the log CI is flagged ``ci_asymmetric``.
    """
    lo, hi = _positive("ci_low", ci_low), _positive("ci_high", ci_high)
    if not lo < hi:
        raise MetaAnalysisError(f"CI: lower {lo!r} is not below upper {hi!r}")
    sei = (math.log(hi) - math.log(lo)) / (2 * _z(level))
    mid = (math.log(hi) + math.log(lo)) / 2
    flags = []
    if estimate is None:
        yi = mid
        flags.append(Flag("estimate_from_ci", "no point estimate: log effect taken as the middle of the log CI"))
    else:
        yi = math.log(_positive("estimate", estimate))
        if not lo <= estimate <= hi:
            flags.append(Flag("ci_excludes_estimate", f"estimate {estimate:g} lies outside its CI {lo:g}-{hi:g}",
                              math.exp(mid)))
        elif abs(yi - mid) > _ASYMMETRY_SE * sei:
            flags.append(Flag("ci_asymmetric", f"log estimate is {abs(yi - mid) / sei:.2f} SE from the middle of "
                                                "the log CI; check the reported numbers", math.exp(mid)))
    label = M_CI if float(level) in (95, 0.95) else f"{M_CI} ({float(level):g}%)"
    return Derived(yi, sei, label, tuple(flags))


# --------------------------------------------------------------------------- from p-values
def from_p(estimate: float, p: float) -> Derived:
    """Return log effect and SE from the ratio and an exact two-sided p-value (Wald test).

    sei = |log(estimate)| / z with z = Φ⁻¹(1 - p/2). Raises when the estimate is 1 or p is
    0 or 1, where the SE is undefined.
    """
    est = _positive("estimate", estimate)
    p = float(p)
    if not 0 < p < 1:
        raise MetaAnalysisError(f"p-value: got {p!r}; expected 0 < p < 1 for an exact p")
    yi = math.log(est)
    if yi == 0:
        raise MetaAnalysisError("estimate is exactly 1: the p-value carries no information on the SE")
    z = float(stats.norm.isf(p / 2))
    return Derived(yi, abs(yi) / z, M_P, ())


def from_p_bound(estimate: float, bound: float, relation: str = "<") -> Derived:
    """Return log effect and a conservative SE from a bound such as ``p < 0.001``.

    The bound is used as if exact, which gives an SE at least as large as the true one
    (so the study's weight is not overstated); flagged ``p_bound``. Only upper bounds
    (``<``, ``<=``) allow this; ``p > x`` raises.
    """
    if relation not in ("<", "<="):
        raise MetaAnalysisError(f"p relation {relation!r}: only an upper bound (p < x) gives a conservative SE")
    d = from_p(estimate, bound)
    flag = Flag("p_bound", f"SE from p {relation} {bound:g} taken as exact: conservative (SE overstated)")
    return Derived(d.yi, d.sei, M_P_BOUND, (flag,))


# --------------------------------------------------------------------------- from events
def from_events(estimate: float, events: float, allocation_ratio: float = 1.0) -> Derived:
    """Return log HR and SE from the total number of events and the allocation ratio (Parmar 1998).

    V ≈ E·R/(1+R)² (the logrank variance when events split as the allocation R = n_exp/n_ctrl),
    sei = 1/√V; for 1:1 allocation sei = 2/√E.
    """
    est = _positive("estimate", estimate)
    e = _positive("events", events)
    r = _positive("allocation_ratio", allocation_ratio)
    v = e * r / (1 + r) ** 2
    return Derived(math.log(est), 1 / math.sqrt(v), M_EVENTS,
                   (Flag("se_from_events", "SE approximated from the number of events (Parmar 1998)"),))


def from_events_per_arm(estimate: float, events_exp: float, events_ctrl: float) -> Derived:
    """Return log HR and SE from the events in each arm: sei = √(1/E₁ + 1/E₂) (Tierney 2007)."""
    est = _positive("estimate", estimate)
    e1, e2 = _positive("events_exp", events_exp), _positive("events_ctrl", events_ctrl)
    return Derived(math.log(est), math.sqrt(1 / e1 + 1 / e2), M_EVENTS_ARMS,
                   (Flag("se_from_events", "SE approximated from events per arm (Tierney 2007)"),))


def from_o_minus_e(o_minus_e: float, v: float) -> Derived:
    """Return log HR and SE from the logrank O−E and its variance V: yi = (O−E)/V, sei = 1/√V (Peto)."""
    v = _positive("V", v)
    if o_minus_e is None or not math.isfinite(float(o_minus_e)):
        raise MetaAnalysisError(f"O-E: got {o_minus_e!r}; expected a number")
    return Derived(float(o_minus_e) / v, 1 / math.sqrt(v), M_OE, ())


def from_ipd(time, event, arm, control=None) -> Derived:
    """Return log HR (experimental vs control) and its SE from a Cox model on (reconstructed) IPD.

    ``arm`` holds two labels; ``control`` names the reference arm (default: the first label
    in sorted order). Uses statsmodels PHReg with Breslow ties.
    """
    import numpy as np
    from statsmodels.duration.hazard_regression import PHReg

    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=float)
    arm = np.asarray(arm)
    labels = sorted(set(arm.tolist()))
    if len(labels) != 2:
        raise MetaAnalysisError(f"IPD arm: got {len(labels)} arm labels {labels[:5]}; expected exactly 2")
    ctrl = labels[0] if control is None else control
    if ctrl not in labels:
        raise MetaAnalysisError(f"IPD control arm {control!r} is not one of {labels}")
    if not (time.size == event.size == arm.size) or time.size == 0:
        raise MetaAnalysisError("IPD: time, event and arm must be non-empty and of equal length")
    x = (arm != ctrl).astype(float)[:, None]
    res = PHReg(time, x, status=event, ties="breslow").fit(disp=False)
    return Derived(float(res.params[0]), float(res.bse[0]), M_IPD,
                   (Flag("reconstructed_ipd", "from pseudo-IPD reconstructed from a KM curve; check against reported HR"),))


# --------------------------------------------------------------------------- from medians
def from_medians(median_exp: float, median_ctrl: float, events_exp: Optional[float] = None,
                 events_ctrl: Optional[float] = None) -> Derived:
    """Return log HR from two medians under an exponential model: HR = median_ctrl / median_exp.

    Always flagged ``exponential_approximation`` (proportional, constant hazards assumed).
    The SE needs the events per arm (√(1/E₁ + 1/E₂), the exponential MLE variance);
    without them this raises, since a median alone says nothing about precision.
    """
    me, mc = _positive("median_exp", median_exp), _positive("median_ctrl", median_ctrl)
    if events_exp is None or events_ctrl is None:
        raise MetaAnalysisError("medians: events per arm are needed for an SE; a median alone gives no precision")
    e1, e2 = _positive("events_exp", events_exp), _positive("events_ctrl", events_ctrl)
    flag = Flag("exponential_approximation",
                "HR approximated from medians assuming exponential survival; not a reported HR")
    return Derived(math.log(mc / me), math.sqrt(1 / e1 + 1 / e2), M_MEDIANS, (flag,))


# --------------------------------------------------------------------------- 2×2 counts
def log_or_from_counts(a: float, b: float, c: float, d: float, add: float = 0.5) -> Derived:
    """Return log OR and SE from a 2×2 table (a,b = events, non-events exp; c,d = control).

    As metafor's escalc(measure="OR"): ``add`` is added to every cell only when a cell is 0
    (flagged); sei = √(1/a + 1/b + 1/c + 1/d).
    """
    cells = [float(x) for x in (a, b, c, d)]
    if any((not math.isfinite(x)) or x < 0 for x in cells):
        raise MetaAnalysisError(f"2x2 counts: got {cells}; expected non-negative counts")
    flags = ()
    if any(x == 0 for x in cells):
        if add <= 0:
            raise MetaAnalysisError("2x2 counts: a zero cell and no continuity correction")
        cells = [x + add for x in cells]
        flags = (Flag("continuity_correction", f"{add:g} added to every cell (a zero cell)"),)
    a, b, c, d = cells
    return Derived(math.log(a * d / (b * c)), math.sqrt(1 / a + 1 / b + 1 / c + 1 / d), f"{M_COUNTS} (OR)", flags)


def log_rr_from_counts(a: float, n1: float, c: float, n2: float, add: float = 0.5) -> Derived:
    """Return log RR and SE from events and group sizes (a of n1 vs c of n2).

    As metafor's escalc(measure="RR"): sei = √(1/a − 1/n1 + 1/c − 1/n2); ``add`` goes to
    the cells of the 2×2 table when one is 0 (flagged).
    """
    vals = [float(x) for x in (a, n1, c, n2)]
    if any((not math.isfinite(x)) or x < 0 for x in vals) or vals[0] > vals[1] or vals[2] > vals[3]:
        raise MetaAnalysisError(f"counts: got events/sizes {vals}; expected 0 <= events <= size")
    a, n1, c, n2 = vals
    flags = ()
    if a == 0 or c == 0 or a == n1 or c == n2:
        if add <= 0:
            raise MetaAnalysisError("counts: a zero cell and no continuity correction")
        a, c, n1, n2 = a + add, c + add, n1 + 2 * add, n2 + 2 * add
        flags = (Flag("continuity_correction", f"{add:g} added to every cell (a zero cell)"),)
    return Derived(math.log((a / n1) / (c / n2)), math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2), f"{M_COUNTS} (RR)", flags)


# --------------------------------------------------------------------------- records
def derive_from_ratio(ratio: Ratio, allow_p_bound: bool = True) -> Optional[Derived]:
    """Return the log effect and SE of an extracted Ratio, or None when no SE can be derived.

    Routes in order of preference: the CI (at its stated level); an exact p-value; an
    upper p bound (conservative, flagged; only when ``allow_p_bound``). Ratios that are
    themselves derived (``ratio.method != "reported"``) keep that note as a flag.
    """
    value = ratio.value
    d = None
    if ratio.ci_low is not None and ratio.ci_high is not None:
        try:
            d = from_ci(ratio.ci_low, ratio.ci_high, value, ratio.ci_level or 95)
        except MetaAnalysisError:
            d = None
    if d is None and value is not None and ratio.p_value is not None:
        rel = ratio.p_relation or "="
        try:
            if rel == "=":
                d = from_p(value, ratio.p_value)
            elif allow_p_bound and rel in ("<", "<="):
                d = from_p_bound(value, ratio.p_value, rel)
        except MetaAnalysisError:
            d = None
    if d is None:
        return None
    if ratio.method and ratio.method != "reported":
        d = Derived(d.yi, d.sei, d.method,
                    d.flags + (Flag("derived_value", f"the ratio itself was obtained by: {ratio.method}"),))
    return d
