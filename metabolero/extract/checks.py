"""Consistency checks on reported ratios (statcheck for HR/OR/RR): pure functions returning Flags.

Every check allows for rounding: a printed number ``0.72`` stands for anything in
[0.715, 0.725], and a check only fires when no combination of values inside the
rounding intervals makes the numbers agree.
"""
from __future__ import annotations

import functools
import math
from statistics import NormalDist
from typing import Iterable, Optional

from ..records import Flag, Median, Ratio

_STD_NORMAL = NormalDist()
_SQRT2 = math.sqrt(2)
_TINY = 1e-12  # the floor of a rounded-down value; "_TINY if _TINY > x else x" is max(x, _TINY) without a call


# pure, of one small argument, and called ~12 times per ratio with the same few printed numbers
@functools.lru_cache(maxsize=1024)
def _half_unit(x: float) -> float:
    """Half a unit of the last printed decimal of ``x`` (0.005 for 0.72)."""
    s = repr(float(x))
    if "e" in s:
        return abs(x) * 5e-7
    dec = s.split(".")[1] if "." in s else ""
    dec = "" if dec == "0" else dec
    return 0.5 * 10 ** (-len(dec))


# _half_unit's values for ratio_flags, which looks them up with dict.get: a tenth of the cost of a call
# through the lru_cache (kept small as that cache is: emptied when full)
_half_units: dict = {}


def _half_units_of(*xs: float) -> tuple[float, ...]:
    """``_half_unit`` of each of ``xs``, memoised in ``_half_units``."""
    if len(_half_units) > 1024:
        _half_units.clear()
    hs = tuple(map(_half_unit, xs))
    _half_units.update(zip(xs, hs))
    return hs


def _rng(x: float) -> tuple[float, float]:
    h = _half_unit(x)
    return max(x - h, 1e-12), x + h


@functools.lru_cache(maxsize=32)
def _z(level: float) -> float:
    return _STD_NORMAL.inv_cdf(0.5 + level / 200.0)


_Z95 = _z(95)  # (nearly every CI is a 95% one: no cache call)


def implied_p(value: float, ci_low: float, ci_high: float, ci_level: float = 95) -> float:
    """Return the two-sided p-value implied by a ratio and its CI (Wald test on the log scale)."""
    se = (math.log(ci_high) - math.log(ci_low)) / (2 * (_Z95 if ci_level == 95 else _z(ci_level)))
    if se <= 0:
        return 0.0
    z = abs(math.log(value)) / se
    return math.erfc(z / _SQRT2)


def _p_bounds(value: float, lo: float, hi: float, level: float) -> tuple[float, float]:
    """Smallest and largest implied p over the rounding intervals of value and CI."""
    ps = []
    for v in _rng(value):
        for a in _rng(lo):
            for b in _rng(hi):
                if a < b and v > 0:
                    ps.append(implied_p(v, a, b, level))
    # the p-value is smallest where |log v| is largest; corners suffice except when v crosses 1
    vlo, vhi = _rng(value)
    if vlo <= 1 <= vhi:
        ps.append(1.0)
    return (min(ps), max(ps)) if ps else (0.0, 1.0)


def check_ci_contains(r: Ratio) -> list[Flag]:
    """Flag a CI that does not contain its estimate (beyond rounding)."""
    if r.value is None or r.ci_low is None or r.ci_high is None:
        return []
    return _ci_contains(r.value, r.ci_low, r.ci_high, _half_unit(r.value), _half_unit(r.ci_low), _half_unit(r.ci_high))


def _ci_contains(v: float, lo: float, hi: float, hv: float, hl: float, hh: float) -> list[Flag]:
    # (hv, hl, hh: the half units of v, lo, hi; _rng(x) is (max(x - h, 1e-12), x + h))
    a, b = lo - hl, v - hv
    if v + hv < (_TINY if _TINY > a else a) or (_TINY if _TINY > b else b) > hi + hh:
        return [Flag("ci_excludes_estimate", f"estimate {v} lies outside its CI {lo}-{hi}", None)]
    return []


def check_ci_symmetry(r: Ratio, slack: float = 1.5) -> list[Flag]:
    """Flag a CI whose log-scale midpoint is not the estimate, beyond rounding.

    ``slack`` widens the rounding intervals (some papers round CI bounds outward).
    """
    if r.value is None or r.ci_low is None or r.ci_high is None:
        return []
    return _ci_symmetry(r.value, r.ci_low, r.ci_high, _half_unit(r.value), _half_unit(r.ci_low),
                        _half_unit(r.ci_high), slack)


def _ci_symmetry(v: float, lo: float, hi: float, hv: float, hl: float, hh: float, slack: float) -> list[Flag]:
    if lo <= 0 or hi <= 0 or v <= 0 or lo >= hi:
        return []
    hl, hh, hv = hl * slack, hh * slack, hv * slack
    a, b, e = lo - hl, hi - hh, v - hv
    a, b, c, d = (_TINY if _TINY > a else a), (_TINY if _TINY > b else b), lo + hl, hi + hh
    e, f = (_TINY if _TINY > e else e), v + hv
    # The log-scale test below flags when f*f < a*b or e*e > c*d. Products clear of a tie by far more
    # than rounding (and too small to overflow) settle the common, symmetric case without six logs.
    # (ratio_flags repeats this test inline, to skip the call in that case: keep the two in step)
    if hi < 1e100 and v < 1e100 and f * f >= a * b * (1 + 1e-9) and e * e <= c * d * (1 - 1e-9):
        return []
    mid_lo = (math.log(a) + math.log(b)) / 2
    mid_hi = (math.log(c) + math.log(d)) / 2
    v_lo, v_hi = math.log(e), math.log(f)
    if v_hi < mid_lo or v_lo > mid_hi:
        mid = math.exp((math.log(lo) + math.log(hi)) / 2)
        return [Flag("ci_asymmetric",
                     f"CI {lo}-{hi} is centred (log scale) on {mid:.3g}, not on the estimate {v}",
                     round(mid, 4))]
    return []


def check_p_value(r: Ratio) -> list[Flag]:
    """Flag a reported p that disagrees, beyond rounding, with the p implied by the estimate and CI."""
    if r.p_value is None or r.value is None or r.ci_low is None or r.ci_high is None:
        return []
    return _p_value(r.value, r.ci_low, r.ci_high, r.ci_level, r.p_value, r.p_relation, r.qualifier)


def _p_value(v: float, lo: float, hi: float, level: float, p: float, relation: Optional[str],
             qualifier: Optional[str]) -> list[Flag]:
    # (check_p_value on the numbers, all of them given)
    if lo <= 0 or hi <= lo or v <= 0:
        return []
    if qualifier and "one-sided" in qualifier:
        p_rep = p * 2
    else:
        p_rep = p
    implied = implied_p(v, lo, hi, level)
    rel = relation or "="
    # the common case, clearly consistent, needs no search over rounding intervals
    if (rel == "=" and p_rep / 2 <= implied <= p_rep * 2) or (rel in ("<", "<=") and implied <= p_rep) \
            or (rel in (">", ">=") and implied >= p_rep):
        return []
    pmin, pmax = _p_bounds(v, lo, hi, level)
    bad = False
    if rel == "=":
        h = _half_unit(p) * (2 if p_rep != p else 1)
        # the normal approximation is not the test the authors ran: allow a factor of 2 as well
        bad = pmax < (p_rep - h) / 2 or pmin > (p_rep + h) * 2
    elif rel in ("<", "<="):
        bad = pmin > p_rep * 2
    elif rel in (">", ">="):
        bad = pmax < p_rep / 2
    if bad:
        return [Flag("p_mismatch",
                     f"reported p {rel}{p:g} but estimate and CI imply p = {implied:.2g}",
                     float(f"{implied:.4g}"))]
    return []


def check_significance(r: Ratio) -> list[Flag]:
    """Flag significance (p < 0.05) claimed while the 95% CI crosses 1, or the reverse."""
    if r.p_value is None or r.ci_low is None or r.ci_high is None:
        return []
    return _significance(r.ci_low, r.ci_high, r.ci_level, r.p_value, r.p_relation)


def _significance(lo: float, hi: float, level: float, p: float, relation: Optional[str]) -> list[Flag]:
    # (check_significance on the numbers, all of them given)
    if level != 95:
        return []
    rel = relation or "="
    significant = (rel in ("<", "<=") and p <= 0.05) or (rel == "=" and p < 0.045)
    crosses = lo < 1 < hi
    if significant and crosses:
        return [Flag("significance_ci_mismatch",
                     f"p {rel}{p:g} is significant but the 95% CI {lo}-{hi} includes 1", None)]
    not_sig = (rel in (">", ">=") and p >= 0.05) or (rel == "=" and p > 0.055)
    if not_sig and (hi < 1 or lo > 1):
        return [Flag("significance_ci_mismatch",
                     f"p {rel}{p:g} is not significant but the 95% CI {lo}-{hi} excludes 1", None)]
    return []


_TIME_ENDPOINTS = {"OS", "PFS", "DFS", "iDFS", "EFS", "RFS", "DMFS", "MFS", "TTP", "TTF", "DOR", "CSS", "PFS2"}


def check_median_direction(r: Ratio, medians: Iterable[Median]) -> list[Flag]:
    """Flag an HR pointing the other way from the medians of its endpoint (longer median, HR > 1)."""
    return _median_direction(r.measure, r.endpoint, r.value, r.ci_low, r.ci_high, r.qualifier, medians)


def _median_direction(measure: str, endpoint: Optional[str], value: Optional[float], lo: Optional[float],
                      hi: Optional[float], qualifier: Optional[str], medians: Iterable[Median]) -> list[Flag]:
    # (check_median_direction on the ratio's fields)
    if measure != "HR" or value is None or endpoint not in _TIME_ENDPOINTS or value == 1:
        return []
    exp = ctl = None
    for m in medians:
        if m.endpoint != endpoint or m.qualifier != qualifier:
            continue
        val = math.inf if m.not_reached else m.value
        if val is None:
            continue
        if m.arm_role == "experimental" and exp is None:
            exp = val
        elif m.arm_role == "control" and ctl is None:
            ctl = val
        if exp is not None and ctl is not None:
            break
    if exp is None or ctl is None or exp == ctl:
        return []
    # near-equal medians or an HR near 1 carry no direction worth flagging
    if math.isfinite(exp) and math.isfinite(ctl) and abs(exp - ctl) <= 0.1 * max(exp, ctl):
        return []
    if abs(math.log(value)) <= 0.1 and not (lo is not None and hi is not None and (hi < 1 or lo > 1)):
        return []
    if (exp > ctl and value > 1) or (exp < ctl and value < 1):
        return [Flag("median_direction",
                     f"median {endpoint} {exp} (experimental) vs {ctl} (control) points the other way from HR {value}",
                     None)]
    return []


def check_ratio(r: Ratio, medians: Optional[Iterable[Median]] = None) -> list[Flag]:
    """Return every consistency flag of one ratio (and, if given, the medians of its document)."""
    return ratio_flags(r.measure, r.endpoint, r.value, r.ci_low, r.ci_high, r.ci_level, r.p_value, r.p_relation,
                       r.qualifier, medians)


def ratio_flags(measure: str, endpoint: Optional[str], v: Optional[float], lo: Optional[float],
                hi: Optional[float], level: float = 95, p: Optional[float] = None, relation: Optional[str] = None,
                qualifier: Optional[str] = None, medians: Optional[Iterable[Median]] = None) -> list[Flag]:
    """``check_ratio`` of a Ratio with these fields, before it is built (extraction builds each Ratio once,
    its flags included)."""
    flags = []
    # Each check returns nothing without its numbers (both CI bounds for all but the medians' one, the
    # estimate for all but significance, a p for the p-value ones): tested once here, so most ratios make
    # fewer calls; and the half units the CI checks share are looked up once. Where a cheap test here
    # shows a check cannot flag (its usual outcome), the check is not called.
    if lo is not None and hi is not None:
        if v is not None:
            get = _half_units.get
            hv, hl, hh = get(v), get(lo), get(hi)
            if hv is None or hl is None or hh is None:
                hv, hl, hh = _half_units_of(v, lo, hi)
            # an estimate inside its CI is inside it beyond rounding too (half units are >= 0)
            if not _TINY <= lo <= v <= hi:
                flags = _ci_contains(v, lo, hi, hv, hl, hh)
            # _ci_symmetry's own test of a CI symmetric beyond doubt (the usual case), the same float operations
            # inline, so that case makes no call (keep in step with _ci_symmetry)
            if 0 < lo < hi and 0 < v < 1e100 and hi < 1e100:
                hl2, hh2, hv2 = hl * 1.5, hh * 1.5, hv * 1.5
                a, b, e = lo - hl2, hi - hh2, v - hv2
                a, b, e = (_TINY if _TINY > a else a), (_TINY if _TINY > b else b), (_TINY if _TINY > e else e)
                f = v + hv2
                if not (f * f >= a * b * (1 + 1e-9) and e * e <= (lo + hl2) * (hi + hh2) * (1 - 1e-9)):
                    flags += _ci_symmetry(v, lo, hi, hv, hl, hh, 1.5)
            else:
                flags += _ci_symmetry(v, lo, hi, hv, hl, hh, 1.5)
            if p is not None:
                flags += _p_value(v, lo, hi, level, p, relation, qualifier)
        # _significance flags 95% CIs only, and only a p at or below 0.05 with a CI holding 1 or a p at or above
        # 0.05 with a CI clear of 1 (most ratios: neither, and no call)
        if p is not None and level == 95 and ((p <= 0.05 and lo < 1 < hi) or (p >= 0.05 and (hi < 1 or lo > 1))):
            flags += _significance(lo, hi, level, p, relation)
    # (no medians, no direction to compare; _median_direction compares time-to-event HRs other than 1)
    if medians and measure == "HR" and v is not None and endpoint in _TIME_ENDPOINTS and v != 1:
        flags += _median_direction(measure, endpoint, v, lo, hi, qualifier, medians)
    return flags
