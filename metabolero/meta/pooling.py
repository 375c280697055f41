"""Pooling: ``pool()`` and its results object, with leave-one-out, cumulative, Egger and trim-and-fill.

All figures are on the scale of ``yi`` (log HR/OR/RR); with ``measure`` set to a ratio,
summaries and plots also show exp() values and plots use a log axis.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from ..errors import MetaAnalysisError
from . import _core
from ._core import RmaFit, check_inputs, fit_rma, normalise_method

RATIO_MEASURES = ("HR", "OR", "RR")

# the field names of ``--json`` and of shared/metafor/reference.json, in print order
FIELDS = ("estimate", "se", "ci_low", "ci_high", "stat", "pval", "tau2", "I2", "H2", "Q", "Q_p",
          "pi_low", "pi_high", "tau2_ci_low", "tau2_ci_high", "I2_ci_low", "I2_ci_high")


def _num(x) -> Optional[float]:
    """Return x as a JSON-able float, None for NaN/inf/None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


class PoolResult:
    """A pooled meta-analysis (metafor's rma.uni on log effects): figures, tables and plots.

    Figures are attributes named as in ``to_dict()``: ``estimate``, ``se``, ``ci_low``,
    ``ci_high``, ``stat`` (z, or t with Knapp-Hartung), ``pval``, ``tau2``, ``I2`` (%),
    ``H2``, ``Q``, ``Q_p``, ``pi_low``/``pi_high`` (prediction interval, None for EE),
    ``tau2_ci_low``/``tau2_ci_high`` and ``I2_ci_low``/``I2_ci_high`` (Q-profile).
    """

    def __init__(self, yi, sei, fit: RmaFit, method: str, hksj: bool, level: float,
                 studies: Optional[Sequence[str]] = None, measure: Optional[str] = None,
                 messages: Sequence[str] = ()):
        self.yi = np.asarray(yi, dtype=float)
        self.sei = np.asarray(sei, dtype=float)
        self.fit = fit
        self.requested_method = method
        self.method = fit.method
        self.hksj = bool(hksj and fit.test == "knha")
        self.level = level
        self.k = fit.k
        self.studies = list(studies) if studies is not None else [f"Study {i + 1}" for i in range(self.k)]
        self.measure = measure
        self.messages = list(messages) + list(fit.messages)
        self.stepadj = None           # Fisher-scoring step factor used (None = the default)

    # ------------------------------------------------------------------ figures
    estimate = property(lambda self: float(self.fit.beta[0]))
    se = property(lambda self: float(self.fit.se[0]))
    ci_low = property(lambda self: float(self.fit.ci_low[0]))
    ci_high = property(lambda self: float(self.fit.ci_high[0]))
    stat = property(lambda self: float(self.fit.stat[0]))
    pval = property(lambda self: float(self.fit.pval[0]))
    tau2 = property(lambda self: self.fit.tau2)
    I2 = property(lambda self: self.fit.I2)
    H2 = property(lambda self: self.fit.H2)
    Q = property(lambda self: self.fit.QE)
    Q_p = property(lambda self: self.fit.QEp)
    pi_low = property(lambda self: None if self.method == "EE" else self.fit.pi_low)
    pi_high = property(lambda self: None if self.method == "EE" else self.fit.pi_high)
    tau2_ci_low = property(lambda self: self.fit.tau2_ci_low)
    tau2_ci_high = property(lambda self: self.fit.tau2_ci_high)
    I2_ci_low = property(lambda self: self.fit.I2_ci_low)
    I2_ci_high = property(lambda self: self.fit.I2_ci_high)

    @property
    def is_ratio(self) -> bool:
        """True when yi are log ratios (measure HR, OR or RR): report exp() and use log axes."""
        return (self.measure or "").upper() in RATIO_MEASURES

    @property
    def weights(self) -> np.ndarray:
        """Return each study's weight in the pooled estimate, in percent (sums to 100)."""
        w = 1.0 / (self.sei ** 2 + self.tau2)
        return 100.0 * w / w.sum()

    def to_dict(self) -> dict:
        """Return every figure under the field names of reference.json (None where undefined)."""
        d = {f: _num(getattr(self, f)) for f in FIELDS}
        d.update(k=self.k, method=self.method, hksj=self.hksj, level=self.level, measure=self.measure,
                 df=_num(self.fit.ddf), messages=list(self.messages))
        return d

    # ------------------------------------------------------------------ tables and text
    def summary_frame(self):
        """Return a pandas DataFrame: one row per study plus the pooled row (log scale; exp columns for ratios)."""
        import pandas as pd

        z = _core.crit_norm(self.level)
        rows = {
            "estimate": np.append(self.yi, self.estimate),
            "se": np.append(self.sei, self.se),
            "ci_low": np.append(self.yi - z * self.sei, self.ci_low),
            "ci_high": np.append(self.yi + z * self.sei, self.ci_high),
            "weight_pct": np.append(self.weights, 100.0),
        }
        frame = pd.DataFrame(rows, index=pd.Index(self.studies + [f"pooled ({self.method})"], name="study"))
        if self.is_ratio:
            for c in ("estimate", "ci_low", "ci_high"):
                frame[f"{self.measure.upper()}_{c}" if c != "estimate" else self.measure.upper()] = np.exp(frame[c])
        return frame

    def summary(self) -> str:
        """Return a text summary in the style of metafor's print.rma.uni."""
        f = self.fit
        lines = []
        if self.method == "EE":
            lines.append(f"Equal-Effects Model (k = {self.k})")
        else:
            lines.append(f"Random-Effects Model (k = {self.k}; tau^2 estimator: {self.method})")
        lines.append("")
        if self.method != "EE" and self.k > 1:
            lines.append(f"tau^2 (estimated amount of total heterogeneity): {self.tau2:.4f}"
                         + (f" [{self.level:g}% CI {self.tau2_ci_low:.4f} to {self.tau2_ci_high:.4f}]"
                            if math.isfinite(self.tau2_ci_low) else ""))
            lines.append(f"tau (square root of estimated tau^2 value):      {math.sqrt(self.tau2):.4f}")
            if math.isfinite(self.I2_ci_low):
                lines.append(f"I^2 {self.level:g}% CI (Q-profile): {self.I2_ci_low:.2f}% to {self.I2_ci_high:.2f}%")
        if self.k > 1:
            lines.append(f"I^2 (total heterogeneity / total variability):   {self.I2:.2f}%")
            lines.append(f"H^2 (total variability / sampling variability):  {self.H2:.2f}")
            lines.append("")
            lines.append(f"Test for Heterogeneity:\nQ(df = {self.k - 1}) = {self.Q:.4f}, p-val = {_fmt_p(self.Q_p)}")
        lines.append("")
        lines.append("Model Results:")
        lines.append("")
        tname = "tval" if self.hksj else "zval"
        head = f"{'estimate':>9} {'se':>8} {tname:>9} {'df' if self.hksj else '':>4} {'pval':>8} {'ci.lb':>9} {'ci.ub':>9}"
        lines.append(head)
        df = f"{int(f.ddf):>4}" if self.hksj else f"{'':>4}"
        lines.append(f"{self.estimate:>9.4f} {self.se:>8.4f} {self.stat:>9.4f} {df} {_fmt_p(self.pval):>8} "
                     f"{self.ci_low:>9.4f} {self.ci_high:>9.4f}")
        if self.pi_low is not None and self.k > 1:
            lines.append("")
            lines.append(f"Prediction interval: {self.pi_low:.4f} to {self.pi_high:.4f}")
        if self.is_ratio:
            m = self.measure.upper()
            lines.append("")
            lines.append(f"{m} = {math.exp(self.estimate):.3f} ({self.level:g}% CI {math.exp(self.ci_low):.3f} "
                         f"to {math.exp(self.ci_high):.3f})"
                         + (f"; prediction interval {math.exp(self.pi_low):.3f} to {math.exp(self.pi_high):.3f}"
                            if self.pi_low is not None and self.k > 1 else ""))
        if self.hksj:
            lines.append("Test and CI: Knapp-Hartung adjustment, t distribution with k - 1 df.")
        for m in self.messages:
            lines.append(f"Note: {m}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"PoolResult(k={self.k}, method={self.method!r}, hksj={self.hksj}, estimate={self.estimate:.4f}, "
                f"se={self.se:.4f}, tau2={self.tau2:.4f})")

    # ------------------------------------------------------------------ sensitivity analyses
    def _refit(self, idx, method=None, hksj=None, ci_tau2=False) -> RmaFit:
        test = "knha" if (self.hksj if hksj is None else hksj) else "z"
        return fit_rma(self.yi[idx], self.sei[idx] ** 2, method or self.method, test, self.level, ci_tau2=ci_tau2,
                       stepadj=self.stepadj)

    def leave_one_out(self):
        """Return a DataFrame of the model refitted without each study in turn (input order).

        Columns: estimate, se, stat, pval, ci_low, ci_high, tau2, I2, H2, Q, Q_p (log scale).
        """
        import pandas as pd

        if self.k < 2:
            raise MetaAnalysisError("leave-one-out needs at least 2 studies; got 1")
        rows = []
        for i in range(self.k):
            idx = np.r_[0:i, i + 1:self.k]
            rows.append(_fit_row(self._refit(idx)))
        return pd.DataFrame(rows, index=pd.Index(self.studies, name="omitted"))

    def cumulative(self, order=None):
        """Return a DataFrame of the model refitted as studies are added one at a time.

        ``order`` is None (input order), a sequence of sort keys (e.g. publication dates;
        ties keep input order) of length k, or a permutation given as ``("index", [...])``.
        """
        import pandas as pd

        if order is None:
            perm = np.arange(self.k)
        elif isinstance(order, tuple) and len(order) == 2 and order[0] == "index":
            perm = np.asarray(order[1], dtype=int)
            if sorted(perm.tolist()) != list(range(self.k)):
                raise MetaAnalysisError(f"cumulative order: expected a permutation of 0..{self.k - 1}")
        else:
            keys = list(order)
            if len(keys) != self.k:
                raise MetaAnalysisError(f"cumulative order: got {len(keys)} keys for {self.k} studies")
            # studies without a key (e.g. no date) go last, in input order
            perm = np.array(sorted(range(self.k), key=lambda i: (True, 0) if keys[i] is None else (False, keys[i])),
                            dtype=int)
        rows = []
        for j in range(1, self.k + 1):
            rows.append(_fit_row(self._refit(perm[:j])))
        return pd.DataFrame(rows, index=pd.Index([self.studies[i] for i in perm], name="added"))

    def egger(self, model: str = "rma") -> dict:
        """Return Egger's regression test for funnel asymmetry as a dict.

        ``model="rma"``: metafor's default regtest — the SE as moderator in the same
        random-effects model (method and test of this fit); gives ``z`` (or ``t`` and
        ``dfs`` with Knapp-Hartung), ``pval`` and the ``intercept`` (limit estimate).
        ``model="lm"`` (or "classic"): the classic Egger test (regtest(model="lm")), weighted least
        squares of yi on SE with weights 1/SE² (statsmodels WLS); gives ``t``, ``pval``, ``dfs``.
        """
        if self.k < 3:
            raise MetaAnalysisError(f"Egger's test needs at least 3 studies; got {self.k}")
        model = {"classic": "lm", "egger_classic": "lm", "egger_dl": "rma", "metafor": "rma"}.get(str(model), str(model))
        X = np.column_stack([np.ones(self.k), self.sei])
        if model == "rma":
            f = fit_rma(self.yi, self.sei ** 2, self.method, "knha" if self.hksj else "z", self.level, X=X,
                        ci_tau2=False, stepadj=self.stepadj)
            out = {"pval": float(f.pval[1]), "intercept": float(f.beta[0]), "slope": float(f.beta[1])}
            if self.hksj:
                out.update(t=float(f.stat[1]), dfs=int(self.k - 2))
            else:
                out["z"] = float(f.stat[1])
            return out
        if model == "lm":
            import statsmodels.api as sm

            res = sm.WLS(self.yi, X, weights=1.0 / self.sei ** 2).fit()
            return {"t": float(res.tvalues[1]), "pval": float(res.pvalues[1]), "dfs": int(res.df_resid),
                    "intercept": float(res.params[0]), "slope": float(res.params[1])}
        raise MetaAnalysisError(f"egger model: got {model!r}; expected 'rma' or 'lm'")

    def trimfill(self, side: Optional[str] = None, estimator: str = "L0", maxiter: int = 100) -> "TrimFillResult":
        """Return the trim-and-fill analysis (Duval & Tweedie) as metafor's trimfill() does it.

        ``side`` of the funnel where studies are missing: None lets the sign of the Egger
        slope (SE as moderator) decide, like metafor; estimator L0 or R0.
        """
        return trimfill(self, side=side, estimator=estimator, maxiter=maxiter)

    # ------------------------------------------------------------------ plots
    def plot_forest(self, path=None, ax=None, **kwargs):
        """Draw the forest plot (studies, weights, diamond, prediction interval); return the figure.

        Written to ``path`` (SVG, PNG or PDF, by suffix) when given.
        """
        from .plots import forest

        return forest(self, path=path, ax=ax, **kwargs)

    def plot_funnel(self, path=None, ax=None, trimfill: bool = False, **kwargs):
        """Draw the funnel plot (estimate against SE, pseudo-CI region); return the figure."""
        from .plots import funnel

        return funnel(self, path=path, ax=ax, trimfill=trimfill, **kwargs)


def normalise_level(level) -> float:
    """Return a CI level in percent; like metafor, 0.95 and 95 both mean 95%."""
    try:
        level = float(level)
    except (TypeError, ValueError):
        raise MetaAnalysisError(f"level: got {level!r}; expected a percentage such as 95") from None
    if 0 < level < 1:
        level *= 100
    if not 0 < level < 100:
        raise MetaAnalysisError(f"level: got {level!r}; expected a percentage between 0 and 100")
    return level


def _fmt_p(p: float) -> str:
    return "<.0001" if p < 1e-4 else f"{p:.4f}"


def _fit_row(f: RmaFit) -> dict:
    return {"estimate": float(f.beta[0]), "se": float(f.se[0]), "stat": float(f.stat[0]), "pval": float(f.pval[0]),
            "ci_low": float(f.ci_low[0]), "ci_high": float(f.ci_high[0]), "tau2": f.tau2, "I2": f.I2, "H2": f.H2,
            "Q": f.QE, "Q_p": f.QEp, "k": f.k}


def pool(yi, sei, method: str = "REML", hksj: bool = False, level: float = 95, studies=None,
         measure: Optional[str] = None, ci_tau2: bool = True, stepadj: Optional[float] = None) -> PoolResult:
    """Return the pooled analysis of log effects ``yi`` with standard errors ``sei``.

    ``method`` is the tau² estimator named as in metafor (EE, DL, REML, ML, PM, HS, SJ, HE, EB);
    ``hksj`` applies the Knapp-Hartung adjustment (t tests with k-1 df, PI with t quantile);
    ``level`` is the CI level in percent; ``studies`` labels the studies; ``measure`` ("HR",
    "OR", "RR") makes summaries and plots show exp() values on a log axis. A single study is
    returned as is, with a message saying nothing was pooled. Raises MetaAnalysisError naming
    the study when an SE is missing or not positive. ``stepadj`` sets the Fisher-scoring step
    of ML/REML/EB: the default (0.5) reproduces shared/metafor/reference.json, made with
    ``control=list(stepadj=0.5)``; 1 reproduces rma() with metafor's default control.
    """
    method = normalise_method(method)
    level = normalise_level(level)
    if studies is not None:
        studies = [str(s) for s in studies]
    y, v = check_inputs(yi, sei, studies)
    if studies is not None and len(studies) != y.size:
        raise MetaAnalysisError(f"studies: got {len(studies)} labels for {y.size} estimates")
    messages = []
    if y.size == 2 and method != "EE":
        messages.append("two studies only: tau2 and its CI are very imprecise")
    if y.size > 1 and np.all(y == y[0]) and np.all(v == v[0]):
        messages.append("all studies are identical: no heterogeneity can be estimated")
    fit = fit_rma(y, v, method, "knha" if hksj else "z", float(level), ci_tau2=ci_tau2, stepadj=stepadj)
    res = PoolResult(y, np.sqrt(v), fit, method, hksj, float(level), studies, measure, messages)
    res.stepadj = stepadj
    return res


# --------------------------------------------------------------------------- trim and fill
@dataclass
class TrimFillResult:
    """Trim-and-fill: number of imputed studies ``k0``, the ``side`` they were missing on, and the refit."""

    k0: int
    side: str
    se_k0: float
    estimator: str
    result: PoolResult            # the model refitted with the imputed studies
    filled_yi: np.ndarray
    filled_sei: np.ndarray

    estimate = property(lambda self: self.result.estimate)
    se = property(lambda self: self.result.se)
    tau2 = property(lambda self: self.result.tau2)

    def summary_frame(self):
        """Return a one-row DataFrame: k0, side, and the adjusted estimate, se, CI and tau2 (log scale)."""
        import pandas as pd

        r = self.result
        return pd.DataFrame([{"k0": self.k0, "side": self.side, "se_k0": self.se_k0, "estimate": r.estimate,
                              "se": r.se, "ci_low": r.ci_low, "ci_high": r.ci_high, "tau2": r.tau2}],
                            index=pd.Index(["trim-and-fill"]))

    def to_dict(self) -> dict:
        """Return k0, side, and the refitted figures (field names as PoolResult.to_dict)."""
        d = self.result.to_dict()
        d.update(k0=self.k0, side=self.side, se_k0=_num(self.se_k0), estimator=self.estimator,
                 filled_yi=[float(x) for x in self.filled_yi], filled_sei=[float(x) for x in self.filled_sei])
        return d


def trimfill(res: PoolResult, side: Optional[str] = None, estimator: str = "L0", maxiter: int = 100) -> TrimFillResult:
    """Return the trim-and-fill analysis of a pooled result (metafor's trimfill.rma.uni, L0 or R0)."""
    if res.k < 3:
        raise MetaAnalysisError(f"trim-and-fill needs at least 3 studies; got {res.k}")
    if estimator not in ("L0", "R0"):
        raise MetaAnalysisError(f"trim-and-fill estimator: got {estimator!r}; expected 'L0' or 'R0'")
    method = res.method
    test = "knha" if res.hksj else "z"
    yi, vi = res.yi.copy(), res.sei ** 2
    if side is None:
        X = np.column_stack([np.ones(res.k), np.sqrt(vi)])
        slope = float(fit_rma(yi, vi, method, "z", res.level, X=X, ci_tau2=False, stepadj=res.stepadj).beta[1])
        side = "right" if slope < 0 else "left"
    elif side not in ("left", "right"):
        raise MetaAnalysisError(f"trim-and-fill side: got {side!r}; expected 'left' or 'right'")
    y = -yi if side == "right" else yi.copy()
    ix = np.argsort(y, kind="stable")
    y, v = y[ix], vi[ix]
    k = y.size
    k0_prev, k0, it = -1, 0, 0
    se_k0 = math.nan
    beta = 0.0
    while k0 != k0_prev:
        k0_prev = k0
        it += 1
        if it > maxiter:
            raise MetaAnalysisError(f"trim-and-fill did not converge in {maxiter} iterations")
        beta = float(fit_rma(y[:k - k0], v[:k - k0], method, "z", res.level, ci_tau2=False,
                             stepadj=res.stepadj).beta[0])
        yc = y - beta
        # ranks of |centred values|, ties broken by position (R's ties.method="first")
        order = np.argsort(np.abs(yc), kind="stable")
        ranks = np.empty(k)
        ranks[order] = np.arange(1, k + 1)
        signed = np.sign(yc) * ranks
        if estimator == "L0":
            Sr = signed[signed > 0].sum()
            k0f = (4 * Sr - k * (k + 1)) / (2 * k - 1)
            var_sr = (k * (k + 1) * (2 * k + 1) + 10 * k0f ** 3 + 27 * k0f ** 2 + 17 * k0f
                      - 18 * k * k0f ** 2 - 18 * k * k0f + 6 * k ** 2 * k0f) / 24
            se_k0 = 4 * math.sqrt(max(var_sr, 0.0)) / (2 * k - 1)
        else:
            neg = -signed[signed < 0]
            k0f = (k - (neg.max() if neg.size else 0)) - 1
            se_k0 = math.sqrt(2 * max(0.0, k0f) + 2)
        k0 = int(max(0, _round_half_even(k0f)))
        se_k0 = max(0.0, se_k0)
    if k0 > 0:
        yc = y - beta
        yc = -(yc - beta) if side == "right" else yc - beta
        fill_y = -yc[k - k0:]
        fill_v = v[k - k0:]
        y_all = np.concatenate([yi, fill_y])
        v_all = np.concatenate([vi, fill_v])
        labels = res.studies + [f"Filled {i + 1}" for i in range(k0)]
        fit = fit_rma(y_all, v_all, method, test, res.level, stepadj=res.stepadj)
        new = PoolResult(y_all, np.sqrt(v_all), fit, method, res.hksj, res.level, labels, res.measure,
                         [f"trim-and-fill: {k0} studies imputed on the {side} side"])
        new.stepadj = res.stepadj
    else:
        fill_y, fill_v = np.array([]), np.array([])
        new = res
    return TrimFillResult(k0, side, se_k0, estimator, new, fill_y, np.sqrt(fill_v))


def _round_half_even(x: float) -> float:
    # R's round() rounds halves to even, as Python's round() does
    return float(round(x))
