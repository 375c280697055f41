"""Approximate pseudo-IPD from published summaries alone (no curve): a stated parametric model.

When a paper gives only the number randomised, a median (and perhaps survival at a
landmark, the HR against a control arm, the number of events, follow-up or accrual time),
an arm's IPD can be approximated under an exponential model (one piece of information)
or a Weibull model (two). The result is an APPROXIMATION: every returned frame carries
``method`` (a column and ``attrs["method"]``) saying so, with the model and its inputs.

The IPD is deterministic: event times are the model's quantiles at (i - 1/2)/n, censoring
times come from uniform accrual over ``accrual`` followed by ``follow_up`` more time (or
the censoring horizon that makes the number of events equal ``events``), paired with the
event times through a fixed low-discrepancy permutation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import KMError

_GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class ParametricSurvival:
    """Weibull survival S(t) = exp(-(t/scale)^shape); shape 1 is the exponential (time units)."""

    shape: float
    scale: float

    def survival(self, t) -> np.ndarray:
        """Return S(t) (fraction) at times ``t``."""
        t = np.asarray(t, float)
        return np.exp(-(np.clip(t, 0, None) / self.scale) ** self.shape)

    def quantile_time(self, s) -> np.ndarray:
        """Return the time at which survival equals ``s`` (time units)."""
        s = np.asarray(s, float)
        return self.scale * (-np.log(s)) ** (1.0 / self.shape)

    @property
    def median(self) -> float:
        """Median survival time (time units)."""
        return float(self.quantile_time(0.5))

    def with_hr(self, hr: float) -> "ParametricSurvival":
        """Return the model whose hazard is ``hr`` times this one's (proportional hazards)."""
        return ParametricSurvival(self.shape, self.scale * hr ** (-1.0 / self.shape))


def _positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise KMError(f"{name}: expected a positive number, got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise KMError(f"{name}: expected a positive number, got {value!r}")
    return v


def _landmarks(name: str, survival_at) -> list[tuple[float, float]]:
    if survival_at is None:
        return []
    items = survival_at.items() if isinstance(survival_at, dict) else survival_at
    out = []
    for pair in items:
        try:
            t, s = pair
        except (TypeError, ValueError):
            raise KMError(f"{name}: expected {{time: survival}} or [(time, survival)], got {pair!r}") from None
        t = _positive(f"{name} time", t)
        s = float(s)
        if s > 1.5:
            s /= 100.0  # percents
        if not 0 < s < 1:
            raise KMError(f"{name}: survival at {t:g} must be strictly between 0 and 1, got {pair[1]!r}")
        out.append((t, s))
    return out


def fit_parametric(median: float | None = None, survival_at=None,
                   assumption: str = "exponential") -> ParametricSurvival:
    """Return the exponential or Weibull model matching a median and/or landmark survivals.

    Exponential: one piece (median, else the first landmark). Weibull: two pieces (median
    and one landmark, or two landmarks); with more, the log cumulative hazard is fitted by
    least squares on log time.
    """
    points = _landmarks("survival_at", survival_at)
    if median is not None:
        points = [(_positive("median", median), 0.5)] + points
    if not points:
        raise KMError("from_summary: expected a median or survival at a landmark time")
    if assumption == "exponential":
        t, s = points[0]
        return ParametricSurvival(1.0, t / -math.log(s))
    if assumption != "weibull":
        raise KMError(f"assumption: expected 'exponential' or 'weibull', got {assumption!r}")
    if len(points) < 2:
        raise KMError("assumption='weibull' needs two pieces of information (median and a "
                      "landmark survival, or two landmarks); use 'exponential' with one")
    # log(-log S) = shape*log t - shape*log scale: a line in log t
    x = np.log([p[0] for p in points])
    y = np.log([-math.log(p[1]) for p in points])
    if np.ptp(x) == 0:
        raise KMError("assumption='weibull': the two pieces of information are at the same time")
    shape, intercept = np.polyfit(x, y, 1)
    if shape <= 0:
        raise KMError("assumption='weibull': survival must fall over time between the given points")
    return ParametricSurvival(float(shape), float(math.exp(-intercept / shape)))


def _censoring(n: int, accrual: float, horizon: float) -> np.ndarray:
    """Potential follow-up of each patient: analysis at ``horizon`` after the first entry."""
    u = (np.arange(1, n + 1) * _GOLDEN) % 1.0  # evenly spread entry fractions, fixed order
    return horizon - accrual * u


def from_summary(n: int, median: float | None = None, *, survival_at=None, hr: float | None = None,
                 control_median: float | None = None, control_survival_at=None,
                 events: int | None = None, follow_up: float | None = None, accrual: float = 0.0,
                 assumption: str = "exponential") -> pd.DataFrame:
    """Return APPROXIMATE pseudo-IPD (time, event, method) of one arm from published summaries.

    The arm's model is fitted to ``median`` and/or ``survival_at`` ({time: survival});
    when neither is given but ``hr`` is, it is the control's model (from
    ``control_median``/``control_survival_at``) with hazards multiplied by ``hr``.
    Censoring: uniform accrual over ``accrual`` then ``follow_up`` more time; when
    ``follow_up`` is None and ``events`` is given, the follow-up that yields exactly
    ``events`` events; when both are None, no censoring. ``attrs["model"]`` holds the
    fitted ``ParametricSurvival``. Times are in the unit of the inputs.
    """
    try:
        n_int = int(n)
    except (TypeError, ValueError):
        raise KMError(f"n: expected a whole number of patients, got {n!r}") from None
    if n_int != n or n_int <= 0:
        raise KMError(f"n: expected a positive whole number of patients, got {n!r}")
    accrual = float(accrual or 0.0)
    if accrual < 0:
        raise KMError(f"accrual: expected a duration >= 0, got {accrual!r}")
    if median is not None or survival_at:
        model = fit_parametric(median, survival_at, assumption)
        source = "median" if median is not None else "landmark survival"
        if median is not None and survival_at:
            source = "median and landmark survival"
        if hr is not None:
            source += f" (HR {float(hr):g} not needed, not used)"
    elif hr is not None:
        control = fit_parametric(control_median, control_survival_at, assumption)
        model = control.with_hr(_positive("hr", hr))
        source = f"control arm and HR {float(hr):g}"
    else:
        raise KMError("from_summary: expected a median, a landmark survival, or an HR with the control's summaries")

    probs = (np.arange(n_int) + 0.5) / n_int
    t_event = model.quantile_time(1.0 - probs)
    notes = ""
    if events is not None:
        try:
            ev = int(events)
        except (TypeError, ValueError):
            ev = -1
        if ev != events or not 0 < ev <= n_int:
            raise KMError(f"events: expected a whole number between 1 and n={n_int}, got {events!r}")
    if follow_up is not None:
        horizon = accrual + _positive("follow_up", follow_up)
        if events is not None:
            notes = f" (follow-up given, so the reported {ev} events were not used)"
    elif events is not None:
        # patient i has its event iff horizon >= t_i + accrual*u_i: the horizon giving
        # exactly ``events`` events is the events-th smallest of these thresholds
        thresholds = np.sort(t_event - _censoring(n_int, accrual, 0.0))
        horizon = float(thresholds[ev - 1])
    else:
        horizon = math.inf
    cens = _censoring(n_int, accrual, horizon) if math.isfinite(horizon) else np.full(n_int, np.inf)
    cens = np.clip(cens, 0, None)
    # compare on the threshold scale so that the horizon found for ``events`` is exact
    event = (t_event - _censoring(n_int, accrual, 0.0) <= horizon).astype(int)
    time = np.where(event == 1, t_event, cens)
    method = (f"approximation: {assumption} model from {source}"
              + (f", {int(event.sum())} events" if math.isfinite(horizon) else ", no censoring")
              + notes)
    order = np.argsort(time, kind="stable")
    out = pd.DataFrame({"time": time[order], "event": event[order], "method": method})
    out.attrs["method"] = method
    out.attrs["approximation"] = True
    out.attrs["model"] = model
    return out
