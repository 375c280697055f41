"""Survival analysis of (pseudo-)IPD: KM, medians, landmarks, Cox HR, log-rank, RMST.

Estimation is statsmodels' (``SurvfuncRight`` for Kaplan-Meier with Greenwood variance,
``PHReg`` with Breslow ties, ``survdiff`` for the log-rank test). Two summaries are defined
on top of statsmodels' KM because R's survival package, the reference meta-analysts
compare against, defines them differently from statsmodels:

* the median and its CI follow R's ``quantile.survfit``: the first time the curve reaches
  0.5, or the midpoint of the flat stretch when it sits exactly at 0.5; the CI limits are
  the same rule applied to the pointwise 95% CI curves with R's default
  ``conf.type="log"`` (statsmodels' ``quantile_ci`` inverts a test instead and gives
  different limits);
* RMST is the area under the KM step function up to the horizon, with the variance that
  R's ``print.survfit(rmean=)`` reports (statsmodels has no RMST).

Times are in whatever unit the IPD uses; every output time (median, RMST) is in that unit.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import KMError
from .summary import _positive

_TOL = float(np.sqrt(np.finfo(float).eps))  # R's quantile.survfit tolerance


# --------------------------------------------------------------------------- input
def _check_ipd(ipd: pd.DataFrame, need_arm: bool = False) -> pd.DataFrame:
    """Return a clean copy of ``ipd`` (time float >= 0, event 0/1, arm str) or raise KMError."""
    if not isinstance(ipd, pd.DataFrame):
        raise KMError(f"IPD: expected a DataFrame with columns time,event[,arm], got {type(ipd).__name__}")
    missing = [c for c in ("time", "event") if c not in ipd.columns]
    if need_arm and "arm" not in ipd.columns:
        missing.append("arm")
    if missing:
        raise KMError(f"IPD: missing column(s) {', '.join(missing)}; expected time,event,arm")
    out = pd.DataFrame({
        "time": pd.to_numeric(ipd["time"], errors="coerce"),
        "event": pd.to_numeric(ipd["event"], errors="coerce"),
    })
    out["arm"] = ipd["arm"].astype(str).to_numpy() if "arm" in ipd.columns else "all"
    bad = out["time"].isna() | out["event"].isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise KMError(f"IPD row {row}: time and event must be numbers, got "
                      f"{ipd['time'].iloc[row]!r}, {ipd['event'].iloc[row]!r}")
    if (out["time"] < 0).any():
        raise KMError("IPD column time: expected times >= 0")
    if not out["event"].isin([0, 1]).all():
        raise KMError("IPD column event: expected 0 (censored) or 1 (event)")
    if len(out) == 0:
        raise KMError("IPD: no rows")
    out["event"] = out["event"].astype(int)
    out["time"] = out["time"].astype(float)
    return out


# --------------------------------------------------------------------------- R-style pieces
def _r_quantile(times: np.ndarray, cdf: np.ndarray, p: float, xmax: float) -> float:
    """R's ``findq``: time where the step CDF ``cdf`` (levels at ``times``) reaches ``p``.

    ``times``/``cdf`` start with (0, 0); ``xmax`` is the last follow-up time. Mirrors R
    step by step (drop repeated levels, then ``approx(method="constant", f=1)`` on the
    levels shifted by the tolerance) so that CI curves, which need not be monotone, give
    R's answer too. Returns NaN when the curve never reaches ``p``.
    """
    y_all = np.asarray(cdf, float)
    if np.all(np.isnan(y_all)) or np.nanmax(y_all) < p:
        return float("nan")
    # R's duplicated(): keep the first occurrence of each level (NaN counts as a level)
    key = np.where(np.isnan(y_all), np.inf, y_all)
    _, first_idx = np.unique(key, return_index=True)
    keep = np.zeros(y_all.size, bool)
    keep[first_idx] = True
    x, y = np.asarray(times, float)[keep], y_all[keep]
    last_level = y[-1]
    ok = ~np.isnan(y)  # approx() drops NA pairs
    x, y = x[ok], y[ok]
    order = np.argsort(y, kind="stable")
    ys = y[order]

    def index(shift: float):
        j = np.searchsorted(ys + shift, p, side="left")
        return None if j >= ys.size else int(order[j])

    i1, i2 = index(_TOL), index(-_TOL)
    if i1 is None:
        return float("nan")
    if not np.isnan(last_level) and abs(p - last_level) < _TOL:
        # the curve ends exactly at p: midpoint of that level's start and the last follow-up
        return float((x[i1] + xmax) / 2)
    if i2 is None:
        return float("nan")
    return float((x[i1] + x[i2]) / 2)


class _ArmKM:
    """KM of one arm (statsmodels ``SurvfuncRight``) with R-style CI curves and summaries."""

    def __init__(self, name: str, time: np.ndarray, event: np.ndarray, alpha: float):
        from statsmodels.duration.survfunc import SurvfuncRight

        self.name = name
        self.time = time
        self.event = event
        self.n = int(time.size)
        self.events = int(event.sum())
        self.max_time = float(time.max())
        self.alpha = alpha
        self.sf = SurvfuncRight(time, event)
        self.t = np.asarray(self.sf.surv_times, float)
        self.s = np.asarray(self.sf.surv_prob, float)
        n_risk = np.asarray(self.sf.n_risk, float)
        d = np.asarray(self.sf.n_events, float)
        # Greenwood variance of log S (what R's survfit calls std.err); infinite once S hits 0
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(n_risk > d, d / (n_risk * (n_risk - d)), np.inf)
        self.se_log = np.sqrt(np.cumsum(terms))
        self.n_risk, self.d = n_risk, d
        z = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_s = np.log(self.s)
            lo = np.exp(log_s - z * self.se_log)
            hi = np.minimum(np.exp(log_s + z * self.se_log), 1.0)
        # R leaves the log CI undefined where S = 0
        lo[self.s <= 0] = np.nan
        hi[self.s <= 0] = np.nan
        self.lo, self.hi = lo, hi

    def survival_at(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """S(t), lower, upper at ``times`` (right-continuous; NaN after the last follow-up)."""
        times = np.asarray(times, float)
        idx = np.searchsorted(self.t, times, side="right") - 1
        s = np.where(idx >= 0, self.s[np.maximum(idx, 0)], 1.0)
        lo = np.where(idx >= 0, self.lo[np.maximum(idx, 0)], 1.0)
        hi = np.where(idx >= 0, self.hi[np.maximum(idx, 0)], 1.0)
        beyond = times > self.max_time
        for a in (s, lo, hi):
            a[beyond] = np.nan
        return s, lo, hi

    def quantile(self, q: float = 0.5) -> tuple[float, float, float]:
        """R's survfit quantile of survival ``q`` (0.5 = median) with its CI (time units)."""
        p = 1.0 - q
        t0 = np.concatenate([[0.0], self.t])

        def find(curve):
            return _r_quantile(t0, np.concatenate([[0.0], 1.0 - curve]), p, self.max_time)

        # the lower survival limit crosses first, so it gives the lower time limit
        return find(self.s), find(self.lo), find(self.hi)

    def rmst(self, horizon: float) -> tuple[float, float]:
        """Area under the KM curve on [0, horizon] and R's standard error of it (time units)."""
        inside = self.t <= horizon
        t = self.t[inside]
        s = self.s[inside]
        knots = np.concatenate([[0.0], t, [horizon]])
        levels = np.concatenate([[1.0], s])
        pieces = np.diff(knots) * levels
        area = float(pieces.sum())
        # area after each event time up to the horizon, for the Greenwood-type variance
        after = np.cumsum(pieces[::-1])[::-1][1:]
        n, d = self.n_risk[inside], self.d[inside]
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(after > 0, after ** 2 * d / (n * (n - d)), 0.0)
        return area, float(np.sqrt(terms.sum()))


# --------------------------------------------------------------------------- results
class SurvivalAnalysis:
    """KM, medians, Cox HR, log-rank and RMST of IPD with columns time, event[, arm].

    Build it with :func:`analyse`. ``control`` is the reference arm of the Cox model and
    of RMST differences; the other arms are experimental (one Cox model with arm as a
    factor when there are three or more arms, as R's ``coxph(Surv(time, event) ~ arm)``).
    """

    def __init__(self, ipd: pd.DataFrame, control: str | None = None, alpha: float = 0.05,
                 time_unit: str | None = None):
        data = _check_ipd(ipd)
        self.data = data
        self.alpha = float(alpha)
        self.time_unit = time_unit
        self.arms: list[str] = list(dict.fromkeys(data["arm"]))
        if control is None:
            control = self.arms[0]
        control = str(control)
        if control not in self.arms:
            raise KMError(f"IPD column arm: control arm {control!r} not found; arms are {self.arms}")
        self.control = control
        self.experimental = [a for a in self.arms if a != control]
        self.arms = [control] + self.experimental
        self._km = {}
        for arm in self.arms:
            sub = data[data["arm"] == arm]
            self._km[arm] = _ArmKM(arm, sub["time"].to_numpy(), sub["event"].to_numpy(), self.alpha)
        self._cox = None
        self._logrank = None

    # ---------------------------------------------------------------- per arm
    @property
    def medians(self) -> pd.DataFrame:
        """Per arm: n, events, median and its CI (R definition; time units, NaN = not reached)."""
        rows = []
        for arm, km in self._km.items():
            m, lo, hi = km.quantile(0.5)
            rows.append({"arm": arm, "n": km.n, "events": km.events,
                         "median": m, "ci_low": lo, "ci_high": hi})
        return pd.DataFrame(rows)

    def quantile(self, q: float) -> pd.DataFrame:
        """Per arm: time at which survival falls to ``q`` with its CI (R definition; time units)."""
        if not 0 < q < 1:
            raise KMError(f"quantile: expected a survival probability in (0, 1), got {q!r}")
        rows = []
        for arm, km in self._km.items():
            t, lo, hi = km.quantile(q)
            rows.append({"arm": arm, "survival": q, "time": t, "ci_low": lo, "ci_high": hi})
        return pd.DataFrame(rows)

    def survival_at(self, times: Iterable[float]) -> pd.DataFrame:
        """Per arm and landmark time: S(t) with its log-transformed CI (fractions; NaN after follow-up)."""
        times = np.atleast_1d(np.asarray(list(times), float))
        rows = []
        for arm, km in self._km.items():
            s, lo, hi = km.survival_at(times)
            for t, a, b, c in zip(times, s, lo, hi):
                rows.append({"arm": arm, "time": float(t), "survival": float(a),
                             "ci_low": float(b), "ci_high": float(c)})
        return pd.DataFrame(rows)

    def km_table(self, arm: str) -> pd.DataFrame:
        """statsmodels' KM table of one arm: time, n_risk, n_events, survival, se (Greenwood)."""
        km = self._arm(arm)
        return pd.DataFrame({"time": km.t, "n_risk": km.n_risk, "n_events": km.d,
                             "survival": km.s, "se": np.asarray(km.sf.surv_prob_se, float),
                             "ci_low": km.lo, "ci_high": km.hi})

    def n_at_risk(self, times: Iterable[float]) -> pd.DataFrame:
        """Numbers at risk (time >= t) per arm (rows) at ``times`` (columns)."""
        times = np.asarray(list(times), float)
        out = {}
        for arm, km in self._km.items():
            srt = np.sort(km.time)
            out[arm] = srt.size - np.searchsorted(srt, times, side="left")
        return pd.DataFrame(out, index=times).T

    def rmst(self, horizon: float) -> pd.DataFrame:
        """Per arm: restricted mean survival time up to ``horizon`` with SE and CI (time units)."""
        horizon = self._check_horizon(horizon)
        z = stats.norm.ppf(1 - self.alpha / 2)
        rows = []
        for arm, km in self._km.items():
            area, se = km.rmst(horizon)
            rows.append({"arm": arm, "horizon": horizon, "rmst": area, "se": se,
                         "ci_low": area - z * se, "ci_high": area + z * se})
        return pd.DataFrame(rows)

    def rmst_difference(self, horizon: float) -> pd.DataFrame:
        """Per experimental arm: RMST(experimental) - RMST(control) with SE, CI, two-sided p."""
        horizon = self._check_horizon(horizon)
        z = stats.norm.ppf(1 - self.alpha / 2)
        ca, cse = self._km[self.control].rmst(horizon)
        rows = []
        for arm in self.experimental:
            ea, ese = self._km[arm].rmst(horizon)
            diff, se = ea - ca, float(np.hypot(ese, cse))
            p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else float("nan")
            rows.append({"experimental": arm, "control": self.control, "horizon": horizon,
                         "difference": diff, "se": se, "ci_low": diff - z * se,
                         "ci_high": diff + z * se, "p": p})
        return pd.DataFrame(rows)

    # ---------------------------------------------------------------- comparisons
    @property
    def cox(self) -> pd.DataFrame:
        """Per experimental arm vs control: HR, CI, log HR, its SE and Wald p (Cox, Breslow ties)."""
        if self._cox is None:
            self._cox = self._fit_cox()
        return self._cox

    def _fit_cox(self) -> pd.DataFrame:
        from statsmodels.duration.hazard_regression import PHReg

        if not self.experimental:
            raise KMError("IPD column arm: a Cox model needs at least two arms")
        d = self.data
        exog = np.column_stack([(d["arm"] == a).to_numpy(float) for a in self.experimental])
        model = PHReg(d["time"].to_numpy(), exog, status=d["event"].to_numpy(), ties="breslow")
        try:
            res = model.fit(tol=1e-12, maxiter=100)
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise KMError(f"Cox model did not fit ({exc}); is there an arm without events?") from exc
        z = stats.norm.ppf(1 - self.alpha / 2)
        rows = []
        for i, arm in enumerate(self.experimental):
            b, se = float(res.params[i]), float(res.bse[i])
            rows.append({"experimental": arm, "control": self.control, "hr": np.exp(b),
                         "ci_low": np.exp(b - z * se), "ci_high": np.exp(b + z * se),
                         "log_hr": b, "se_log_hr": se,
                         "p": float(2 * stats.norm.sf(abs(b) / se))})
        return pd.DataFrame(rows)

    @property
    def logrank(self) -> dict:
        """Log-rank test across all arms: ``{"chisq", "df", "p"}`` (statsmodels ``survdiff``)."""
        if self._logrank is None:
            from statsmodels.duration.survfunc import survdiff

            if not self.experimental:
                raise KMError("IPD column arm: a log-rank test needs at least two arms")
            d = self.data
            chisq, p = survdiff(d["time"].to_numpy(), d["event"].to_numpy(), d["arm"].to_numpy())
            self._logrank = {"chisq": float(chisq), "df": len(self.arms) - 1, "p": float(p)}
        return dict(self._logrank)

    # ---------------------------------------------------------------- summaries
    def summary_frame(self, horizon: float | None = None) -> pd.DataFrame:
        """One row per arm: n, events, median [CI]; RMST at ``horizon`` if given; HR vs control."""
        out = self.medians.rename(columns={"ci_low": "median_ci_low", "ci_high": "median_ci_high"})
        if horizon is not None:
            r = self.rmst(horizon)
            out["rmst"] = r["rmst"].to_numpy()
            out["rmst_se"] = r["se"].to_numpy()
        if self.experimental:
            cox = self.cox.set_index("experimental")
            for col in ("hr", "ci_low", "ci_high", "p"):
                out["hr" if col == "hr" else f"hr_{col}"] = [
                    cox.loc[a, col] if a in cox.index else np.nan for a in out["arm"]]
        return out

    def plot_km(self, ax=None, at_risk_times: Sequence[float] | None = None, ci: bool = False,
                censor_marks: bool = True):
        """Plot the KM curves with the numbers-at-risk table under them; return the figure."""
        from .plotting import plot_km

        return plot_km(self, ax=ax, at_risk_times=at_risk_times, ci=ci, censor_marks=censor_marks)

    # ---------------------------------------------------------------- helpers
    def _arm(self, arm: str) -> _ArmKM:
        if arm not in self._km:
            raise KMError(f"arm {arm!r} not in the IPD; arms are {self.arms}")
        return self._km[arm]

    @staticmethod
    def _check_horizon(horizon) -> float:
        return _positive("RMST horizon", horizon)

    def __repr__(self) -> str:
        return f"SurvivalAnalysis(arms={self.arms!r}, control={self.control!r}, n={len(self.data)})"


def analyse(ipd: pd.DataFrame, control: str | None = None, alpha: float = 0.05,
            time_unit: str | None = None) -> SurvivalAnalysis:
    """Return the :class:`SurvivalAnalysis` of IPD (columns time, event[, arm]).

    ``control`` names the reference arm (default: the first arm in the data).
    """
    return SurvivalAnalysis(ipd, control=control, alpha=alpha, time_unit=time_unit)
