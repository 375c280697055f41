"""Pseudo-IPD from a digitised Kaplan-Meier curve: the algorithm of Guyot et al. (2012).

Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol
2012;12:9.

The pipeline is a chain of pure steps: :func:`clean_curve` (what digitising really gives:
unsorted points, percent scale, noise, small non-monotone wiggles, a curve not starting at
(0, 1)) -> :func:`clean_at_risk` -> the interval-by-interval fit -> pseudo-IPD.
:func:`reconstruct_arm` keeps every intermediate result in a :class:`Reconstruction`;
:func:`reconstruct` returns just the IPD.

Differences from the published R code, and why (each checked on the real trials of
``../shared/ipd``, see ``benchmarks/km_accuracy.py``):

* Non-monotone points are repaired by monotone rearrangement (times sorted ascending,
  survivals sorted descending, then paired). It leaves a monotone curve untouched and,
  unlike a running minimum, does not let one low noisy point pull the rest of the curve
  down; when noise swaps the top and bottom corner of a drop it restores the drop.
* Sloped stretches (a run of small steps digitised as a line) get interpolated points,
  about one per event they imply, so their events are spread along the slope instead of
  piling up at its lower end (:func:`_densify`).
* Censorings are spread over the risk-table interval itself (so the reconstructed
  numbers at risk at the table's times are the published ones), and not only evenly:
  the spread u**shape (u evenly spaced) is searched over a few shapes per interval and
  the one whose KM best reproduces the drops at the bottoms of vertical drops is kept.
  A drop of one event is S/n, so those drops show where patients left the risk set;
  Guyot's even spread is the default and another is kept only when it is clearly (25%)
  closer, since with many patients at risk single drops sink into the digitising noise.
* Censored patients get the spread times themselves, not the midpoint of the digitised
  interval they fall in; events read at the bottom corner of a drop are put midway
  between its two clicked corners (both are noisy clicks at the same time; points
  interpolated along a slope are never averaged). The fit assigns the drop to the
  risk-table interval of that midpoint, and censorings the fit put before a drop stay
  before its events, so the IPD's own KM and numbers at risk are those the fit met.
* A drop whose two corner clicks average to just after a risk-table time (within one SD
  of that average; the click noise is estimated from the corner pairs themselves) is put
  ON that time (:func:`_snap_to_table`). Which side of t_i such a drop lies on cannot be
  read from the figure, and event times are usually recorded in the unit the table's
  times are round numbers of (days, months), so drops exactly at a table time are
  common; a death at t_i counts in S(t_i) and in the number at risk at t_i, so the drop
  keeps its interval (the one starting at t_i) and S(t_i) shows it. Drops read just
  before t_i already count in S(t_i). The price: a drop truly a little after t_i is
  counted in S(t_i) more often (one click SD after t_i: about 1 time in 3 instead of 1
  in 12). On the real trials (whole-day times) this halves the arm-seeds with an S(t)
  error over 0.01 at the table times; on the same trials with times made continuous
  (jittered by +-10 click SDs) it raises them by about a fifth.
* Rounding each drop's events (number at risk × relative drop) errs by one event now
  and then under digitising noise, and the errors can add up to more events than the
  numbers at risk and the reported total allow (Guyot's fit would then lose the curve's
  last drops). When the reported total is exceeded, the arm is refitted once with a
  higher rounding threshold (events counted from 0.6 of one instead of 0.5, one global
  setting for the arm) and the fit missing the constraints less is kept.
* After the last risk-table time, a published curve runs to the arm's last follow-up:
  everyone still at risk leaves before it ends (events as the drops show, the rest
  censored), unless the reported total events says otherwise (Guyot's rule: censoring
  adjusted to match the total).
* When the published number at risk cannot be met (more reconstructed events than the
  curve allows), the reconstructed number is carried forward so that every randomised
  patient stays in the IPD exactly once; the mismatch is reported in ``warnings``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import KMError

METHOD = "Guyot 2012"
_MAX_ITER = 200
# stretches shorter than this fraction of the time axis are vertical (one drop's corners)
_VERTICAL = 0.01
# censoring spreads tried on each risk-table interval (u**shape of evenly spaced u):
# 1 is even (Guyot's), above 1 earlier in the interval, below 1 later
_SHAPES = (1.0, 0.5, 2.0, 0.7, 1.4, 0.35, 3.0)
# another spread replaces the even one only if it lowers the squared distance this much
_GAIN = 0.25
# a drop whose corner clicks average within this many SDs (of that average) after a
# risk-table time is put on that time (_snap_to_table)
_TIE_SD = 1.0
# two clicks further apart than this many click SDs are not the corners of one drop
_PAIR_SD = 4.0
# click noise is estimated from at least this many corner pairs, whose spacing must vary as
# noise does (upper/lower quartile ratio at least this; half-normal: 3.6, even grid: 1)
_MIN_PAIRS = 4
_NOISE_RATIO = 2.5


# --------------------------------------------------------------------------- cleaning
def _columns(frame: pd.DataFrame, wanted: tuple[str, ...], source: str) -> list[np.ndarray]:
    """Return the ``wanted`` columns of ``frame`` as float arrays (names matched
    case-insensitively; rows empty in every wanted column dropped)."""
    if not isinstance(frame, pd.DataFrame):
        raise KMError(f"{source}: expected a table with columns {','.join(wanted)}, "
                      f"got {type(frame).__name__}")
    names = {str(c).strip().lower(): c for c in frame.columns}
    missing = [w for w in wanted if w not in names]
    if missing:
        raise KMError(f"{source}: missing column(s) {', '.join(missing)}; expected columns "
                      f"{','.join(wanted)}, found {','.join(map(str, frame.columns)) or 'none'}")
    raw = [frame[names[w]].to_numpy() for w in wanted]
    cols = []
    for w, values in zip(wanted, raw):
        try:
            cols.append(values.astype(float))
        except (TypeError, ValueError):
            num = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
            cols.append(num)
    empty = np.logical_and.reduce([pd.isna(v) for v in raw])
    for w, values, num in zip(wanted, raw, cols):
        bad = np.isnan(num) & ~empty
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise KMError(f"{source}: column {w}, row {row + 1}: expected a number, "
                          f"got {values[row]!r}")
    return [c[~empty] for c in cols]


def clean_curve(curve: pd.DataFrame, source: str = "curve") -> tuple[np.ndarray, np.ndarray]:
    """Return digitised (time, survival fraction) arrays made usable for reconstruction.

    Detects a percent scale, clips survival into [0, 1], sorts, repairs small non-monotone
    wiggles by monotone rearrangement and makes the curve start at (0, 1). Times keep the
    input's unit; survival is a fraction.
    """
    t, s = _columns(curve, ("time", "survival"), source)
    if t.size < 2:
        raise KMError(f"{source}: expected at least 2 digitised points, got {t.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(s))):
        raise KMError(f"{source}: time and survival must be finite numbers")
    smax = s.max()
    if smax > 1.5:
        # a 0-1 curve cannot reach 1.5 by digitising noise, a percent curve nearly always does
        if smax > 110:
            raise KMError(f"{source}: column survival: expected fractions (0-1) or percents "
                          f"(0-100), got a maximum of {smax:g}")
        # a percent curve lies mostly above 1 (only a long tail near 0 can fall below): most
        # points at or below 1 means fractions with a few typos, not percents
        if np.mean(s <= 1.0) > 0.5:
            raise KMError(f"{source}: column survival: mixes fractions (0-1) and percents: "
                          f"{int(np.sum(s > 1.0))} of {s.size} values above 1 (maximum {smax:g})")
        s = s / 100.0
    span = t.max() - min(t.min(), 0.0)
    if span <= 0:
        raise KMError(f"{source}: column time: expected increasing times, all are {t.max():g}")
    if t.min() < -0.05 * span:
        raise KMError(f"{source}: column time: expected times >= 0, got {t.min():g}")
    t = np.clip(t, 0.0, None)  # small negatives are clicks left of the y axis
    s = np.clip(s, 0.0, 1.0)
    # monotone rearrangement: a KM curve never rises
    t = np.sort(t)
    s = np.sort(s)[::-1]
    # the KM curve is 1 at time 0; points at 0 are the start, whatever the click said
    pos = t > 0
    t = np.concatenate([[0.0], t[pos]])
    s = np.concatenate([[1.0], s[pos]])
    return t, s


def clean_at_risk(at_risk: pd.DataFrame, source: str = "at-risk") -> tuple[np.ndarray, np.ndarray]:
    """Return (times, numbers at risk) of a risk table, sorted, checked to start at time 0."""
    t, n = _columns(at_risk, ("time", "n_at_risk"), source)
    if t.size == 0:
        raise KMError(f"{source}: expected at least one row (the number at risk at time 0)")
    order = np.argsort(t, kind="stable")
    t, n = t[order], n[order]
    first = np.concatenate([[True], np.diff(t) > 0])  # a repeated time keeps its first row
    t, n = t[first], n[first]
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(n))):
        raise KMError(f"{source}: time and n_at_risk must be finite numbers")
    if np.any(np.abs(n - np.round(n)) > 1e-6) or np.any(n < 0):
        raise KMError(f"{source}: column n_at_risk: expected whole numbers >= 0, got {n.tolist()}")
    n = np.round(n).astype(int)
    if t[0] != 0:
        raise KMError(f"{source}: expected a row at time 0 with the number randomised "
                      f"(first time is {t[0]:g})")
    if n[0] <= 0:
        raise KMError(f"{source}: expected a positive number at risk at time 0, got {n[0]}")
    rises = np.flatnonzero(np.diff(n) > 0)
    if rises.size:
        j = int(rises[0]) + 1
        raise KMError(f"{source}: column n_at_risk: numbers at risk cannot rise over time "
                      f"({n[j - 1]} at {t[j - 1]:g}, then {n[j]} at {t[j]:g})")
    return t, n


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Reconstruction:
    """One reconstructed arm and the intermediate results of the fit.

    ``ipd``: time, event (1 event, 0 censored), in the curve's time unit.
    ``table``: per point of the cleaned curve (the digitised points, plus those interpolated
    along sloped stretches; the corners of a drop put on a risk-table time carry that
    time): time, survival, n_risk (just before the point), events,
    censored (between it and the next point), km (the reconstructed KM at that point).
    ``risk_fit``: per risk-table time: published and reconstructed numbers at risk.
    """

    ipd: pd.DataFrame
    table: pd.DataFrame
    risk_fit: pd.DataFrame
    events_reported: int | None
    warnings: tuple[str, ...] = field(default=())
    method: str = METHOD


# --------------------------------------------------------------------------- algorithm
class _Fit:
    """Mutable working state of the Guyot fit over one arm (used only inside reconstruct_arm)."""

    def __init__(self, t: np.ndarray, s: np.ndarray, half: float = 0.5,
                 spread_cache: dict | None = None):
        t = np.asarray(t, float)
        s = np.asarray(s, float)
        self.t = t
        self.tl = t.tolist()
        self.sl = s.tolist()
        m = len(self.tl)
        self.d = [0] * m
        self.cen = [0] * m
        self.n_hat = [0] * (m + 1)
        self.km = [1.0] * m
        self.cen_times: dict[int, np.ndarray] = {}
        self.pre_cen: dict[int, int] = {}
        # the bottoms of vertical drops (a drop's two corners) are where the curve shows the
        # size of one step, d/n; elsewhere (interpolated slopes, flats) the KM's distance to
        # the curve only reflects rounding, which favours larger risk sets
        dt = np.diff(t, prepend=t[0])
        drop = np.concatenate([[0.0], s[:-1] - s[1:]])
        self.w = ((dt <= _VERTICAL * (t[-1] - t[0])) & (drop > 0)).tolist()
        self.w[0] = False
        self.sse = 0.0  # of the last run: sum over drop bottoms of (KM - digitised S)^2
        self.events_run = 0  # of the last run: events on its points
        self.n_cens_run = 0  # of the last run: censorings asked for
        self.shape = 1.0  # censoring spread: 1 even, >1 earlier, <1 later in the interval
        # a drop's events: n × relative drop, whose fraction counts as one more event from
        # 1 - half on (0.5: nearest)
        self.half = half
        # censoring times and their counts per point, by (interval, count, spread): the
        # search asks for the same ones many times (shared by the fits of one arm)
        self.spread_cache = {} if spread_cache is None else spread_cache

    def run(self, lo: int, hi: int, span: tuple[float, float], n_start: int, n_cens: int,
            last: int, record: bool = True):
        """Fill events/censorings on points lo..hi-1; return (number left after hi-1, last event index).

        ``n_cens`` censorings are spread evenly over ``span`` (the risk-table interval);
        those before point ``lo`` leave the risk set before its events. With ``record``
        False only the summary (number left, last event, ``sse``, ``events_run``) is
        computed: the search calls it many times, the per-point tables only matter once.
        """
        sl, km, d, cen, n_hat, w = self.sl, self.km, self.d, self.cen, self.n_hat, self.w
        half = self.half
        self.n_cens_run = n_cens
        a, b = span
        n = n_start
        if n_cens > 0 and b > a:
            key = (lo, hi, n_cens, self.shape, a, b)
            hit = self.spread_cache.get(key)
            if hit is None:
                u = np.arange(1, n_cens + 1) / (n_cens + 1)
                ct = a + (b - a) * (u if self.shape == 1.0 else u ** self.shape)
                bins = np.searchsorted(self.t[lo:hi], ct, side="right")  # 0 = before point lo
                hit = self.spread_cache[key] = (ct, np.bincount(bins, minlength=hi - lo + 1).tolist())
            ct, counts = hit
            self.cen_times[lo] = ct
            pre = min(counts[0], n)
            n -= pre
            counts = counts[1:]
        else:
            counts = [0] * (hi - lo)
            self.cen_times[lo] = np.empty(0)
            pre = 0
        self.pre_cen[lo] = pre
        kl = km[last]  # reconstructed KM after the last event so far
        sse = 0.0
        events = 0
        if not record:
            # same arithmetic as below without storing per-point results (k = 0 has no events)
            start = lo + 1 if lo == 0 else lo
            if lo == 0:
                n = max(n - counts[0], 0)
            k = start
            for sk, ck, wk in zip(sl[start:hi], counts[start - lo:], self.w[start:hi]):
                dk = 0
                if n > 0 and kl > 0:
                    dk = int(n * (1.0 - sk / kl) + half)
                    if dk < 0:
                        dk = 0
                    elif dk > n:
                        dk = n
                    if dk:
                        kl *= 1.0 - dk / n
                        last = k
                        events += dk
                if wk:
                    sse += (kl - sk) ** 2
                n = n - dk - ck
                if n < 0:
                    n = 0
                k += 1
            self.sse = sse
            self.events_run = events
            return n, last
        for k, ck in zip(range(lo, hi), counts):
            n_hat[k] = n
            dk = 0
            if n > 0 and kl > 0 and k:
                dk = int(n * (1.0 - sl[k] / kl) + half)
                if dk < 0:
                    dk = 0
                elif dk > n:
                    dk = n
                if dk:
                    kl *= 1.0 - dk / n
                    last = k
                    events += dk
            km[k] = kl
            if w[k]:
                sse += (kl - sl[k]) ** 2
            left = n - dk - ck
            if left < 0:
                ck, left = n - dk, 0
            d[k] = dk
            cen[k] = ck
            n = left
        self.sse = sse
        self.events_run = events
        n_hat[hi] = n
        return n, last

    def censor_times(self, lo: int, hi: int) -> np.ndarray:
        """Times of the censorings kept on interval lo..hi-1 (after any clipping at zero at risk)."""
        ct = self.cen_times.get(lo, np.empty(0))
        if ct.size == 0:
            return ct
        bins = np.searchsorted(self.t[lo:hi], ct, side="right")
        first = np.searchsorted(bins, bins, side="left")
        rank = np.arange(ct.size) - first
        allowed = np.concatenate([[self.pre_cen.get(lo, 0)], np.asarray(self.cen[lo:hi])])
        return ct[rank < allowed[bins]]


def _densify(t: np.ndarray, s: np.ndarray, rt: np.ndarray, rn: np.ndarray, max_per_ramp: int = 40):
    """Insert points along sloped stretches so that each holds about one event.

    Between two digitised points the reader saw a straight stretch of curve. Where a run
    of small steps was digitised as a slope, Guyot's algorithm would put all its events at
    the slope's lower end; points interpolated along the slope (as many as the events it
    implies: at-risk number read off the risk table × relative drop, rounded up) spread
    them along it instead, and keep the censorings placed between them consistent with
    the events. Returns (times, survivals, clicked): clicked is False for inserted points.
    """
    dt = np.diff(t)
    ds = s[:-1] - s[1:]
    span = t[-1] - t[0]
    n_est = np.interp(t[:-1], rt, rn)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.ceil(np.where(s[:-1] > 0, n_est * ds / s[:-1], 0.0)).astype(int)
    ramp = (dt > _VERTICAL * span) & (m > 1)
    if not ramp.any():
        return t, s, np.ones(t.size, bool)
    m = np.where(ramp, np.minimum(m, max_per_ramp), 1)
    # point k+1 becomes m[k] points: k + j/m[k] of the way, j = 1..m[k]
    seg = np.repeat(np.arange(dt.size), m)
    first = np.searchsorted(seg, seg, side="left")
    frac = (np.arange(seg.size) - first + 1) / m[seg]
    new_t = np.concatenate([t[:1], t[seg] + frac * dt[seg]])
    new_s = np.concatenate([s[:1], s[seg] - frac * ds[seg]])
    return new_t, new_s, np.concatenate([[True], frac == 1])


def click_noise(t: np.ndarray, pairs: np.ndarray | None = None) -> float:
    """Return the digitiser's time noise (SD of one click) estimated from a cleaned curve, or 0.

    The two corners of a drop are two clicks at the same time, so their time difference is
    the difference of two click errors: half-normal with scale sqrt(2) × SD. Its lower
    quartile (0.4506 × SD) is used, robust to pairs that are in fact two nearby drops.
    0 when there are too few such pairs, or when their spacing is too regular to be click
    noise (a curve read at evenly spaced times: the half-normal's upper/lower quartile
    ratio is 3.6, an even grid's is near 1). ``pairs``: :func:`_corner_pairs` of ``t``
    with every point clicked, if already computed.
    """
    c = _corner_pairs(t, np.ones(t.size, bool)) if pairs is None else pairs
    dt = np.diff(t)[c[1:]]
    if dt.size < _MIN_PAIRS:
        return 0.0
    q25, q75 = np.quantile(dt, (0.25, 0.75))
    if q25 <= 0 or q75 < _NOISE_RATIO * q25:
        return 0.0
    return float(q25) / 0.4506


def _snap_to_table(t: np.ndarray, s: np.ndarray, rt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (times, on_table): drops digitised within click noise after a risk-table time put ON it.

    A drop whose two corner clicks average to just after a risk-table time t_i (within
    ``_TIE_SD`` SDs of that average, SD estimated by :func:`click_noise`) cannot be told
    from a drop at t_i itself, and drops exactly at a table time are common (event times
    are usually recorded in the unit the table's times are round numbers of): the bottom
    corner is moved onto t_i and the top corner, the level just before the drop, to just
    before t_i. ``on_table`` marks the moved bottoms: their events are at t_i (not at the
    midpoint of the two clicks) and belong to the interval starting at t_i, as a death at
    t_i counts in S(t_i) and in the number at risk at t_i. Drops read just before t_i
    already count in S(t_i) and are left where they are; so are pairs whose clicks are
    further apart than click noise allows (``_PAIR_SD``: two drops, not one) and the last
    point (the end of follow-up).
    """
    on_table = np.zeros(t.size, bool)
    if rt.size < 2:
        return t, on_table
    c = _corner_pairs(t, np.ones(t.size, bool))
    sig = click_noise(t, c)
    if sig <= 0:
        return t, on_table
    k = np.flatnonzero(c[1:] & (s[1:] < s[:-1]) & (np.diff(t) <= _PAIR_SD * sig)) + 1
    k = k[k < t.size - 1]
    if k.size == 0:
        return t, on_table
    m = (t[k - 1] + t[k]) / 2
    j = np.searchsorted(rt, m, side="right") - 1
    # (never onto time 0: the curve starts there at S = 1, no drop belongs on it)
    ok = (j >= 1) & (m - rt[np.maximum(j, 0)] <= _TIE_SD * sig / np.sqrt(2))
    t = t.copy()
    for kk, jj in zip(k[ok].tolist(), j[ok].tolist()):
        if on_table[kk - 1]:
            # its top corner is the bottom of a drop already put on t_i: moving it would take that
            # drop off t_i again; this one stays where it was read (still in the interval from t_i)
            continue
        ti = float(rt[jj])
        top = min(t[kk - 1], np.nextafter(ti, -np.inf))
        # keep the points in time order (another click between t_i and the pair: leave it)
        if (kk >= 2 and t[kk - 2] > top) or t[kk + 1] < ti:
            continue
        t[kk - 1], t[kk] = top, ti
        on_table[kk] = True
    return t, on_table


def _corner_pairs(t: np.ndarray, clicked: np.ndarray) -> np.ndarray:
    """Per point: True when it and the point before are the two clicks of one drop's corners."""
    out = np.zeros(t.size, bool)
    out[1:] = clicked[1:] & clicked[:-1] & (np.diff(t) <= _VERTICAL * (t[-1] - t[0]))
    return out


def _event_times(t: np.ndarray, d: np.ndarray, corner: np.ndarray) -> np.ndarray:
    """Event times: the d[k] events read at point k, at t[k]; at the middle of a drop's two corners.

    Two clicked points (``corner``, from :func:`_corner_pairs`) much closer in time than
    the axis resolution are the top and bottom corner of one drop: both clicks are noisy
    readings of the same time, so their midpoint is the better estimate.
    """
    k = np.repeat(np.arange(t.size), d)
    if k.size == 0:
        return np.empty(0)
    prev = t[np.maximum(k - 1, 0)]
    vertical = corner[k]
    return np.where(vertical, (prev + t[k]) / 2, t[k])


def _before_drop(t: np.ndarray, d: np.ndarray, censor_t: np.ndarray,
                 corner: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """Return censoring times with those the fit put before a drop kept before its events.

    The fit removes a censoring placed between points k-1 and k before point k's events;
    :func:`_event_times` then puts the events of a vertical drop midway between its two
    corners. A censoring in the second half would follow the events in the IPD and stay in
    their risk set, making the IPD's KM drop less than the fit's; such censorings are
    moved, in order, into the first half (never before the start of their risk-table
    interval, ``rt``, whose number at risk the fit met).
    """
    if censor_t.size == 0 or not d.any():
        return censor_t
    k = np.searchsorted(t, censor_t, side="right")  # t[k-1] <= c < t[k]
    inside = (k > 0) & (k < t.size)
    kk = np.where(inside, k, 1)
    move = inside & corner[kk] & (d[kk] > 0)
    # never across the start of the censoring's risk-table interval (its number at risk)
    start = rt[np.maximum(np.searchsorted(rt, censor_t, side="right") - 1, 0)]
    moved = np.maximum(t[kk - 1] + (censor_t - t[kk - 1]) / 2, np.minimum(start, censor_t))
    return np.where(move, moved, censor_t)


def _solve(fit: _Fit, lo, hi, span, n_start, last, n_cens0, target):
    """Search the number censored on an interval so that ``target(n_left, last)`` hits 0.

    ``target`` returns the signed excess (reconstructed minus published) that one more
    censored patient lowers by about one. Returns (n_left, last, n_cens, excess).
    """
    n_cens = max(0, int(n_cens0))
    tried: dict[int, int] = {}
    for _ in range(_MAX_ITER):
        n_left, new_last = fit.run(lo, hi, span, n_start, n_cens, last, record=False)
        excess = target(n_left, new_last)
        tried[n_cens] = excess
        if excess == 0 or (excess < 0 and n_cens == 0):
            return n_left, new_last, n_cens, excess
        nxt = max(0, min(n_start, n_cens + excess))
        if nxt in tried:
            break  # cycling: keep the best count seen
        n_cens = nxt
    best = min(tried, key=lambda c: (abs(tried[c]), c))
    n_left, new_last = fit.run(lo, hi, span, n_start, best, last, record=False)
    return n_left, new_last, best, tried[best]


def _solve_shaped(fit: _Fit, lo, hi, span, n_start, last, n_cens0, target, adaptive):
    """:func:`_solve` for each censoring spread of ``_SHAPES`` (only the even one unless
    ``adaptive``); keep the one whose KM follows the drops best after meeting the
    constraint as well as possible. Returns (n_left, last event, n_cens, excess)."""
    tried = {}

    def attempt(shape, guess):
        fit.shape = shape
        n_left, new_last, n_cens, excess = _solve(fit, lo, hi, span, n_start, last, guess, target)
        tried[shape] = ((abs(excess), fit.sse), n_cens)
        return n_cens

    guess = attempt(1.0, n_cens0)
    # without a vertical drop in the interval every spread scores the same, and so it does
    # when the constraint is met with no censoring (each spread tries that count first)
    met_uncensored = guess == 0 and tried[1.0][0][0] == 0
    if adaptive and hi - lo > 1 and any(fit.w[lo:hi]) and not met_uncensored:
        for shape in _SHAPES[1:]:
            attempt(shape, guess)
    best = min(tried, key=lambda k: tried[k][0])
    even = tried[1.0][0]
    if best != 1.0 and tried[best][0][0] == even[0] and tried[best][0][1] > (1 - _GAIN) * even[1]:
        best = 1.0  # not clearly better than the even spread: differences are noise
    fit.shape = best
    n_cens = tried[best][1]
    n_left, new_last = fit.run(lo, hi, span, n_start, n_cens, last)
    return n_left, new_last, n_cens, target(n_left, new_last)


def reconstruct_arm(curve: pd.DataFrame, at_risk: pd.DataFrame, events: int | None = None,
                    source: str | None = None, *, curve_source: str | None = None,
                    risk_source: str | None = None, adaptive: bool = True) -> Reconstruction:
    """Return the :class:`Reconstruction` of one arm (Guyot 2012) with its intermediate tables.

    ``curve``: columns time, survival (fraction or percent); ``at_risk``: columns time,
    n_at_risk (first row at time 0); ``events``: total events reported, if any.
    ``source`` (e.g. the arm) or ``curve_source``/``risk_source`` (e.g. file names) name
    the inputs in error messages. ``adaptive``: search the censoring spread per interval
    (False: Guyot's even spread only).
    """
    src_c = curve_source or (f"{source} curve" if source else "curve")
    src_r = risk_source or (f"{source} at-risk" if source else "at-risk")
    t, s = clean_curve(curve, src_c)
    rt, rn = clean_at_risk(at_risk, src_r)
    t, on_table = _snap_to_table(t, s, rt)
    t, s, clicked = _densify(t, s, rt, rn)
    # a drop put on a risk-table time is at that time, not midway between its corners
    corner = _corner_pairs(t, clicked)
    corner[np.flatnonzero(clicked)[on_table]] = False
    warnings: list[str] = []
    n0 = int(rn[0])
    if events is not None:
        try:
            ev_f = float(events)
        except (TypeError, ValueError):
            raise KMError(f"events: expected a whole number, got {events!r}") from None
        ev = int(ev_f) if np.isfinite(ev_f) else -1
        if ev != ev_f or ev < 0 or ev > n0:
            raise KMError(f"events: expected a whole number between 0 and {n0} "
                          f"(the number at risk at time 0), got {events!r}")
        events = ev

    # risk rows past the end of the curve have no points to fit; rows whose interval holds
    # no digitised point add nothing the next row does not
    beyond = rt > t[-1]
    if beyond.any():
        warnings.append(f"risk-table times after the last digitised point ignored: {rt[beyond].tolist()}")
    rt, rn = rt[~beyond], rn[~beyond]
    # a drop's bottom corner belongs to the risk-table interval its time (the midpoint of
    # its two clicked corners) falls in, so the fit counts its events on the same side of
    # a risk-table time as the IPD puts them
    assign_t = t.copy()
    bottom = np.flatnonzero(corner[1:] & (s[1:] < s[:-1])) + 1
    assign_t[bottom] = (t[bottom - 1] + t[bottom]) / 2
    lower = np.searchsorted(assign_t, rt, side="left")
    # a last drop read across the last risk-table time (its midpoint before it) leaves that
    # time no point to fit: it is past the curve's end as far as the fit goes
    past = lower >= len(t)
    if past.any():
        warnings.append(f"risk-table times after the last digitised drop ignored: {rt[past].tolist()}")
        rt, rn, lower = rt[~past], rn[~past], lower[~past]
    keep = np.concatenate([[True], np.diff(lower) > 0])
    if not keep.all():
        warnings.append(f"risk-table times with no digitised point before the next one ignored: "
                        f"{rt[~keep].tolist()}")
    rt, rn, lower = rt[keep], rn[keep], lower[keep].tolist()
    m = len(t)
    n_int = len(lower)
    ends = lower[1:] + [m]

    # the events of a drop are its relative drop × number at risk, rounded; noise makes
    # that rounding err by one event now and then, and the errors can add up to more events
    # than the numbers at risk and the reported total allow (Guyot's fit then drops the
    # curve's last events). The fit is first run with plain rounding; when it makes more
    # events than the reported total allows, it is run again with the rounding threshold
    # raised (one global setting for the arm) and the fit missing the published
    # constraints less is kept
    spread_cache: dict = {}

    def fit_with(half):
        warnings_f: list[str] = []
        # events too many and too few for the published constraints, and too many for
        # the reported total (the curve's last drops would be lost)
        miss = [0, 0, 0]
        fit = _Fit(t, s, half, spread_cache)
        nr = [int(x) for x in rn]
        last = 0
        for i in range(n_int - 1):
            lo, hi = lower[i], ends[i]
            guess = round(nr[i] * s[hi] / s[lo] - nr[i + 1]) if s[lo] > 0 else 0
            n_left, last_i, n_cens, excess = _solve_shaped(
                fit, lo, hi, (rt[i], rt[i + 1]), nr[i], last, guess, lambda n, _l, j=i: n - nr[j + 1],
                adaptive)
            if excess != 0:
                miss[excess > 0] += abs(excess)
                warnings_f.append(f"at time {rt[i + 1]:g}: reconstructed {n_left} at risk, "
                                f"published {nr[i + 1]}")
            nr[i + 1] = n_left
            last = last_i

        # last interval: a published curve is drawn to the arm's last follow-up, so everyone
        # still at risk at the last risk-table time leaves before the curve ends; the number
        # censored is what the curve's drops leave over (found by search), and when the total
        # events is reported it is searched to match that total instead
        lo, hi = lower[-1], m
        t_end = fit.tl[-1]
        span = (rt[-1], t_end)
        n_last = nr[-1]
        if events is None:
            # left at the end = at risk - events - censored: as many censored as that leaves none
            guess = round(n_last * s[-1] / s[lo]) if s[lo] > 0 else 0
            _solve_shaped(fit, lo, hi, span, n_last, last, guess,
                          lambda _n, _l: n_last - fit.events_run - fit.n_cens_run, adaptive)
        else:
            before = sum(fit.d[:lo])
            if before >= events:
                # the drops the curve shows after the last risk-table time count as missed
                # events too: they are dropped here, and fewer events earlier would keep them
                fit.run(lo, hi, span, n_last, 0, last, record=False)
                miss[0] += before + fit.events_run - events
                miss[2] += before + fit.events_run - events
                fit.run(lo, hi, span, n_last, n_last, last)
                for k in range(lo, hi):  # the curve's later drops exceed the reported total
                    fit.d[k] = 0
                if before > events:
                    warnings_f.append(f"events: {before} reconstructed before the last risk-table time, "
                                    f"{events} reported")
            else:
                guess = max(0, n_last - (events - before))
                _, _, _, excess = _solve_shaped(fit, lo, hi, span, n_last, last, guess,
                                                lambda _n, _l: before + fit.events_run - events,
                                                adaptive)
                if excess != 0:
                    miss[excess < 0] += abs(excess)
                    miss[2] += max(excess, 0)
                    warnings_f.append(f"events: reconstructed {sum(fit.d)}, reported {events}")

        return fit, warnings_f, miss

    best = fit_with(0.5)
    if best[2][0] > best[2][1] and best[2][2] > 0:
        # one refit (speed: each is a full search); kept when it misses less
        cand = fit_with(0.4)
        if sum(cand[2][:2]) < sum(best[2][:2]):
            best = cand
    fit, warn_fit, _ = best
    warnings.extend(warn_fit)
    d = np.asarray(fit.d, int)
    cen = np.asarray(fit.cen, int)
    censor_t = np.concatenate([fit.censor_times(lower[i], ends[i]) for i in range(n_int)])
    n_end = n0 - int(d.sum()) - int(censor_t.size)
    if n_end < 0:  # cannot happen: each step removes at most those at risk
        raise KMError(f"{src_c}: internal error, {-n_end} patients too many reconstructed")
    censor_t = _before_drop(t, d, censor_t, corner, rt)
    times = np.concatenate([_event_times(t, d, corner), censor_t, np.full(n_end, t[-1])])
    status = np.concatenate([np.ones(int(d.sum()), int), np.zeros(censor_t.size + n_end, int)])
    order = np.lexsort((1 - status, times))
    ipd = pd.DataFrame({"time": times[order], "event": status[order]})
    ipd.attrs["method"] = METHOD

    n_risk_pts = np.asarray(fit.n_hat[:m], int)
    table = pd.DataFrame({"time": t, "survival": s, "n_risk": n_risk_pts, "events": d,
                          "censored": cen, "km": fit.km})
    srt = np.sort(times)
    risk_fit = pd.DataFrame({
        "time": rt, "published": rn,
        "reconstructed": srt.size - np.searchsorted(srt, rt, side="left")})
    return Reconstruction(ipd=ipd, table=table, risk_fit=risk_fit,
                          events_reported=events, warnings=tuple(warnings))


def reconstruct(curve: pd.DataFrame, at_risk: pd.DataFrame, events: int | None = None, *,
                adaptive: bool = True) -> pd.DataFrame:
    """Return pseudo-IPD (columns time, event) of one arm from its digitised KM curve.

    Guyot et al. 2012. ``curve``: columns time, survival (fraction or percent, detected);
    ``at_risk``: columns time, n_at_risk starting at time 0; ``events``: total number of
    events if reported. Times are in the curve's unit; ``event`` is 1 for an event and 0
    for censoring. ``result.attrs["method"]`` names the method. ``adaptive=False`` keeps
    Guyot's even spread of censorings on every interval (see the module docstring).
    """
    return reconstruct_arm(curve, at_risk, events, adaptive=adaptive).ipd


def read_csv(path, source_kind: str) -> pd.DataFrame:
    """Return a CSV as a DataFrame, raising KMError naming the file when it cannot be read."""
    path = Path(path)
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise KMError(f"{path}: {source_kind} file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        raise KMError(f"{path}: cannot read {source_kind} CSV ({exc})") from exc
