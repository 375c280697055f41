"""Subgroup analysis (with the test for subgroup differences) and meta-regression."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
from scipy import stats

from ..errors import MetaAnalysisError
from ._core import RmaFit, check_inputs, fit_rma, normalise_method
from .pooling import PoolResult, _num, pool


# --------------------------------------------------------------------------- meta-regression
@dataclass
class MetaRegResult:
    """A mixed-effects meta-regression (metafor's rma.uni with moderators)."""

    names: list
    fit: RmaFit
    QM: float                  # omnibus test of the moderators (F with Knapp-Hartung)
    QM_df: tuple
    QM_p: float
    R2: Optional[float]        # % of tau² explained, against the intercept-only model (None if tau²=0 there)
    hksj: bool
    messages: list = field(default_factory=list)
    _y: np.ndarray = field(default=None, repr=False)
    _v: np.ndarray = field(default=None, repr=False)
    _X: np.ndarray = field(default=None, repr=False)

    @property
    def coefficients(self) -> dict:
        """Return {name: estimate} of the fitted coefficients (log scale)."""
        return dict(zip(self.names, map(float, self.fit.beta)))

    def summary_frame(self):
        """Return a DataFrame of coefficients: estimate, se, stat (z or t), pval, ci_low, ci_high."""
        import pandas as pd

        f = self.fit
        return pd.DataFrame({"estimate": f.beta, "se": f.se, "stat": f.stat, "pval": f.pval,
                             "ci_low": f.ci_low, "ci_high": f.ci_high}, index=pd.Index(self.names, name="term"))

    def to_dict(self) -> dict:
        """Return coefficients and the heterogeneity and moderator tests as JSON-able dict."""
        f = self.fit
        return {
            "coefficients": [{"term": n, "estimate": _num(b), "se": _num(s), "stat": _num(z), "pval": _num(p),
                              "ci_low": _num(lo), "ci_high": _num(hi)}
                             for n, b, s, z, p, lo, hi in zip(self.names, f.beta, f.se, f.stat, f.pval, f.ci_low, f.ci_high)],
            "k": f.k, "method": f.method, "hksj": self.hksj, "tau2": _num(f.tau2), "I2": _num(f.I2), "H2": _num(f.H2),
            "QE": _num(f.QE), "QE_p": _num(f.QEp), "QM": _num(self.QM), "QM_df": list(self.QM_df),
            "QM_p": _num(self.QM_p), "R2": _num(self.R2), "tau2_ci_low": _num(f.tau2_ci_low),
            "tau2_ci_high": _num(f.tau2_ci_high), "messages": list(self.messages),
        }

    def plot_bubble(self, term: Optional[str] = None, path=None, ax=None):
        """Draw yi against one moderator (points sized by weight) with the fitted line and CI band.

        Other moderators are held at their means. Returns the figure; saved to ``path`` if given.
        """
        from .plots import _pyplot, _save

        plt = _pyplot()
        f = self.fit
        terms = [n for n in self.names if n != "intercept"]
        if not terms:
            raise MetaAnalysisError("bubble plot: the model has no moderator")
        term = term or terms[0]
        if term not in self.names:
            raise MetaAnalysisError(f"bubble plot: no term {term!r}; expected one of {terms}")
        j = self.names.index(term)
        x = self._X[:, j]
        if ax is None:
            fig, ax = plt.subplots(figsize=(6.0, 4.5))
        else:
            fig = ax.figure
        w = 1.0 / (self._v + f.tau2)
        ax.scatter(x, self._y, s=30 + 400 * w / w.max(), facecolors="none", edgecolors="#1f3b73", zorder=3)
        grid = np.linspace(x.min(), x.max(), 100)
        Xg = np.tile(self._X.mean(axis=0), (grid.size, 1))
        Xg[:, j] = grid
        if "intercept" in self.names:
            Xg[:, self.names.index("intercept")] = 1.0
        pred = Xg @ f.beta
        se = np.sqrt(np.einsum("ij,jk,ik->i", Xg, f.vb, Xg))
        crit = (f.ci_high[0] - f.beta[0]) / f.se[0] if f.se[0] > 0 else 1.96
        ax.plot(grid, pred, color="#b22222")
        ax.fill_between(grid, pred - crit * se, pred + crit * se, color="#b22222", alpha=0.15, lw=0)
        ax.set_xlabel(term)
        ax.set_ylabel("effect (log scale)")
        _save(fig, path)
        return fig

    def summary(self) -> str:
        """Return a text summary in the style of metafor's print of a meta-regression."""
        f = self.fit
        lines = [f"Mixed-Effects Model (k = {f.k}; tau^2 estimator: {f.method})", "",
                 f"tau^2 (estimated amount of residual heterogeneity): {f.tau2:.4f}",
                 f"I^2 (residual heterogeneity / unaccounted variability): {f.I2:.2f}%"]
        if self.R2 is not None:
            lines.append(f"R^2 (amount of heterogeneity accounted for): {self.R2:.2f}%")
        lines += ["", f"Test for Residual Heterogeneity:\nQE(df = {f.k - f.p}) = {f.QE:.4f}, p-val = {f.QEp:.4g}", ""]
        if self.hksj:
            lines.append(f"Test of Moderators:\nF(df1 = {self.QM_df[0]}, df2 = {self.QM_df[1]}) = {self.QM:.4f}, "
                         f"p-val = {self.QM_p:.4g}")
        else:
            lines.append(f"Test of Moderators:\nQM(df = {self.QM_df[0]}) = {self.QM:.4f}, p-val = {self.QM_p:.4g}")
        lines += ["", self.summary_frame().to_string(float_format=lambda x: f"{x:.4f}")]
        lines += [f"Note: {m}" for m in self.messages]
        return "\n".join(lines)


def _design(X, k: int, names=None):
    """Return (moderator matrix k×q, names) from an array, a DataFrame, or a dict of columns."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(X, pd.DataFrame):
        return X.to_numpy(dtype=float), [str(c) for c in X.columns]
    if isinstance(X, dict):
        cols = list(X)
        return np.column_stack([np.asarray(X[c], dtype=float) for c in cols]), [str(c) for c in cols]
    M = np.asarray(X, dtype=float)
    if M.ndim == 1:
        M = M[:, None]
    if M.shape[0] != k:
        raise MetaAnalysisError(f"moderators: got {M.shape[0]} rows for {k} studies")
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(M.shape[1])]
    if len(names) != M.shape[1]:
        raise MetaAnalysisError(f"moderator names: got {len(names)} for {M.shape[1]} columns")
    return M, names


def metareg(yi, sei, X, method: str = "REML", hksj: bool = False, level: float = 95, names=None,
            intercept: bool = True, stepadj: Optional[float] = None) -> MetaRegResult:
    """Return a meta-regression of ``yi`` (log effects, SEs ``sei``) on study-level covariates ``X``.

    ``X``: k×q array, DataFrame or dict of columns (an intercept is added unless
    ``intercept=False``). Coefficients are on the scale of yi; the omnibus test QM covers all
    coefficients but the intercept (an F test with Knapp-Hartung); R² compares tau² with that
    of the intercept-only model fitted by the same estimator. ``stepadj`` as in ``pool``.
    """
    method = normalise_method(method)
    y, v = check_inputs(yi, sei)
    M, mnames = _design(X, y.size, names)
    if not np.all(np.isfinite(M)):
        raise MetaAnalysisError("moderators: missing or non-finite values; drop those studies first")
    if intercept:
        Xf = np.column_stack([np.ones(y.size), M])
        mnames = ["intercept"] + mnames
    else:
        Xf = M
    if np.linalg.matrix_rank(Xf) < Xf.shape[1]:
        raise MetaAnalysisError("moderators: the design matrix is not of full rank (a redundant or constant column)")
    test = "knha" if hksj else "z"
    f = fit_rma(y, v, method, test, level, X=Xf, stepadj=stepadj)
    btt = np.arange(1 if intercept else 0, Xf.shape[1])
    m = btt.size
    messages = list(f.messages)
    if m == 0:
        QM, QM_df, QM_p = math.nan, (0,), math.nan
    else:
        b = f.beta[btt]
        V = f.vb[np.ix_(btt, btt)]
        QM = float(b @ np.linalg.solve(V, b))
        if f.test == "knha":
            QM /= m
            QM_df = (m, f.k - f.p)
            QM_p = float(stats.f.sf(QM, m, f.k - f.p))
        else:
            QM_df = (m,)
            QM_p = float(stats.chi2.sf(QM, m))
    R2 = None
    if intercept and method != "EE":
        tau2_0 = fit_rma(y, v, method, "z", level, ci_tau2=False, stepadj=stepadj).tau2
        if tau2_0 > 0:
            R2 = max(0.0, 100 * (tau2_0 - f.tau2) / tau2_0)
    return MetaRegResult(mnames, f, QM, QM_df, QM_p, R2, f.test == "knha", messages, y, v, Xf)


# --------------------------------------------------------------------------- subgroups
@dataclass
class SubgroupResult:
    """Pooled results per subgroup, overall, and the test for subgroup differences."""

    groups: dict               # label -> PoolResult
    overall: PoolResult
    Q_between: float           # separate-tau² test (as RevMan): Σ w_g (θ_g - θ̄)², w_g = 1/SE_g²
    df: int
    pval: float
    I2_between: float          # % of Q_between beyond its df
    moderator_test: Optional[MetaRegResult]   # common-tau² test (metafor: rma(mods = ~ group))
    messages: list = field(default_factory=list)

    def summary_frame(self):
        """Return one row per subgroup and one overall: k, estimate, se, CI, pval, tau2, I2 (log scale)."""
        import pandas as pd

        rows = []
        for label, r in list(self.groups.items()) + [("overall", self.overall)]:
            rows.append({"subgroup": label, "k": r.k, "estimate": r.estimate, "se": r.se, "ci_low": r.ci_low,
                         "ci_high": r.ci_high, "pval": r.pval, "tau2": r.tau2, "I2": r.I2, "Q": r.Q, "Q_p": r.Q_p})
        return pd.DataFrame(rows).set_index("subgroup")

    def to_dict(self) -> dict:
        """Return per-group and overall figures and the subgroup-difference tests as JSON-able dict."""
        return {
            "groups": {str(k): r.to_dict() for k, r in self.groups.items()},
            "overall": self.overall.to_dict(),
            "Q_between": _num(self.Q_between), "df": self.df, "pval": _num(self.pval),
            "I2_between": _num(self.I2_between),
            "moderator_test": self.moderator_test.to_dict() if self.moderator_test is not None else None,
            "messages": list(self.messages),
        }

    def plot_forest(self, path=None, ax=None, **kwargs):
        """Draw the forest plot by subgroup (diamonds per subgroup and overall); return the figure."""
        from .plots import forest_subgroups

        return forest_subgroups(self, path=path, ax=ax, **kwargs)

    def summary(self) -> str:
        """Return a short text report: the subgroup table and the test for subgroup differences."""
        lines = [self.summary_frame().to_string(float_format=lambda x: f"{x:.4f}"), "",
                 f"Test for subgroup differences (random effects, separate tau2): "
                 f"Q = {self.Q_between:.4f}, df = {self.df}, p = {self.pval:.4g}, I2 = {self.I2_between:.1f}%"]
        if self.moderator_test is not None:
            mt = self.moderator_test
            lines.append(f"Test of moderators (common tau2): QM = {mt.QM:.4f}, df = {mt.QM_df}, p = {mt.QM_p:.4g}")
        lines += [f"Note: {m}" for m in self.messages]
        return "\n".join(lines)


def subgroup(yi, sei, groups: Sequence, method: str = "REML", hksj: bool = False, level: float = 95,
             studies=None, measure: Optional[str] = None) -> SubgroupResult:
    """Return a subgroup analysis: a pooled result per group and the test for subgroup differences.

    ``groups`` labels each study. Q_between compares the subgroup estimates with weights
    1/SE² (each subgroup with its own tau², as RevMan and Borenstein et al. do), with G-1 df.
    The common-tau² alternative (metafor's ``rma(mods = ~ factor(group))``) is reported as
    ``moderator_test`` when k exceeds the number of groups.
    """
    y, v = check_inputs(yi, sei, studies)
    labels = [str(g) for g in groups]
    if len(labels) != y.size:
        raise MetaAnalysisError(f"groups: got {len(labels)} labels for {y.size} studies")
    names = [str(s) for s in studies] if studies is not None else [f"Study {i + 1}" for i in range(y.size)]
    order = list(dict.fromkeys(labels))
    if len(order) < 2:
        raise MetaAnalysisError(f"subgroups: need at least 2 groups; got {order}")
    res = {}
    for g in order:
        idx = [i for i, lab in enumerate(labels) if lab == g]
        res[g] = pool(y[idx], np.sqrt(v[idx]), method=method, hksj=hksj, level=level,
                      studies=[names[i] for i in idx], measure=measure)
    overall = pool(y, np.sqrt(v), method=method, hksj=hksj, level=level, studies=names, measure=measure)
    est = np.array([r.estimate for r in res.values()])
    w = 1.0 / np.array([r.se for r in res.values()]) ** 2
    mean = float((w * est).sum() / w.sum())
    Qb = float((w * (est - mean) ** 2).sum())
    df = len(order) - 1
    p = float(stats.chi2.sf(Qb, df))
    I2b = max(0.0, 100 * (Qb - df) / Qb) if Qb > 0 else 0.0
    messages = []
    if any(r.k == 1 for r in res.values()):
        messages.append("a subgroup holds a single study: its estimate is that study's")
    mt = None
    if y.size > len(order) + (0 if normalise_method(method) == "EE" else 1) - 1:
        D = np.column_stack([[1.0 if lab == g else 0.0 for lab in labels] for g in order[1:]])
        try:
            mt = metareg(y, np.sqrt(v), D, method=method, hksj=hksj, level=level,
                         names=[f"group[{g}]" for g in order[1:]])
        except MetaAnalysisError as exc:
            messages.append(f"common-tau2 moderator test not available: {exc}")
    return SubgroupResult(res, overall, Qb, df, p, I2b, mt, messages)
