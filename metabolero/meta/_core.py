"""Numerical core of the random-effects model (rma.uni of R metafor), on plain numpy arrays.

Everything here is pure and allocation-light: no pandas, no plotting, so that the speed
benchmark and the public ``pool()`` run the very same functions.

Estimators follow metafor 3.8 (Viechtbauer 2010) to the letter, including its iteration
rules (Fisher scoring stopped at |change| <= 1e-5, Brent root search with tolerance
eps^0.25 for Paule-Mandel and for the Q-profile CI). Reproducing the same stopping
rules is what makes our figures agree with metafor to 1e-6 rather than merely to 1e-4.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import special

from ..errors import MetaAnalysisError

METHODS = ("EE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")
_ALIASES = {"FE": "EE", "CE": "EE"}

_DBL_EPS = np.finfo(float).eps
UNIROOT_TOL = _DBL_EPS ** 0.25      # R's uniroot default tolerance, used by metafor
THRESHOLD = 1e-5                    # metafor's Fisher-scoring convergence threshold
MAXITER = 100                       # metafor's iteration limit for ML/REML/EB and PM
# Step adjustment of Fisher scoring (ML/REML/EB). The reference figures in shared/metafor
# were produced with rma(..., control=list(stepadj=0.5)): they are reproduced to 1e-13 with
# 0.5 and missed by up to 4e-5 in tau2 with 1. metafor's own default is 1 (its documented
# BCG meta-regression, QM = 16.3571, needs 1); pool(..., stepadj=1) gives that.
STEPADJ = 0.5
TAU2_MAX = 100.0                    # metafor's default upper bound for tau2 searches


class ConvergenceError(MetaAnalysisError):
    """An iterative tau² estimator did not converge (callers fall back to another estimator)."""


def normalise_method(method: str) -> str:
    """Return the metafor name of a tau² estimator (EE, DL, REML, ML, PM, HS, SJ, HE, EB)."""
    m = str(method).strip().upper()
    m = _ALIASES.get(m, m)
    if m not in METHODS:
        raise MetaAnalysisError(f"method: got {method!r}; expected one of {', '.join(METHODS)}")
    return m


# --------------------------------------------------------------------------- distributions
# scipy.special directly (what scipy.stats calls underneath): the stats front end costs
# ~50 µs a call, more than a whole small meta-analysis.
@lru_cache(maxsize=512)
def crit_norm(level: float) -> float:
    """Return the two-sided normal critical value for a CI at ``level`` percent."""
    return float(-special.ndtri((1 - level / 100) / 2))


@lru_cache(maxsize=4096)
def crit_t(level: float, df: float) -> float:
    """Return the two-sided t critical value (df degrees of freedom) for a CI at ``level`` percent."""
    return float(-special.stdtrit(df, (1 - level / 100) / 2))


@lru_cache(maxsize=4096)
def chi2_crits(level: float, df: float) -> tuple[float, float]:
    """Return (upper, lower) chi-square critical values with df degrees of freedom for ``level`` percent."""
    a = (1 - level / 100) / 2
    return float(2 * special.gammainccinv(df / 2, a)), float(2 * special.gammaincinv(df / 2, a))


def chi2_sf(x: float, df: float) -> float:
    """Return P(X > x) for X chi-square with df degrees of freedom."""
    return float(special.chdtrc(df, x))


# --------------------------------------------------------------------------- root finding
def zeroin(f, ax: float, bx: float, fa: float, fb: float, tol: float, maxit: int) -> tuple[float, int, bool]:
    """Return (root, iterations, converged) of ``f`` on [ax, bx] by Brent's method.

    The step rules are those of R's ``uniroot`` (R_zeroin2), so that roots found with
    metafor's loose tolerance (eps^0.25) come out identical, not merely within tolerance.
    """
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a, 0, True
    if fb == 0.0:
        return b, 0, True
    left = maxit + 1
    while left:
        left -= 1
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _DBL_EPS * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b, maxit + 1 - left, True
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b, maxit, False


def uniroot(f, lower: float, upper: float, tol: float = UNIROOT_TOL, maxiter: int = 1000) -> float:
    """Return a root of ``f`` in [lower, upper] exactly as R's ``uniroot`` finds it.

    Raises ConvergenceError when the end points do not bracket a root or the search
    runs out of iterations.
    """
    flo, fup = f(lower), f(upper)
    if not (math.isfinite(flo) and math.isfinite(fup)) or flo * fup > 0:
        raise ConvergenceError(f"root search: f({lower:g})={flo:g} and f({upper:g})={fup:g} do not bracket a root")
    root, _, ok = zeroin(f, lower, upper, flo, fup, tol, maxiter)
    if not ok:
        raise ConvergenceError(f"root search in [{lower:g}, {upper:g}] did not converge in {maxiter} iterations")
    return root


# --------------------------------------------------------------------------- linear algebra helpers
def _wls(y, X, w):
    """Return (beta, (X'WX)^-1) of the weighted least-squares fit."""
    Xw = X * w[:, None]
    A = X.T @ Xw
    Ainv = np.linalg.inv(A)
    beta = Ainv @ (Xw.T @ y)
    return beta, Ainv


def _P(X, w):
    """Return the k×k matrix P = W - W X (X'WX)^-1 X'W that metafor's estimators are written in."""
    Xw = X * w[:, None]
    Ainv = np.linalg.inv(X.T @ Xw)
    return np.diag(w) - Xw @ Ainv @ Xw.T


def _is_intercept_only(X) -> bool:
    return X.shape[1] == 1 and bool(np.all(X[:, 0] == 1.0))


def q_stat(y, v, tau2: float, X=None) -> float:
    """Return the generalised Q statistic sum w (y - fitted)² with weights 1/(v + tau2)."""
    w = 1.0 / (v + tau2)
    if X is None:
        r = y - (w @ y) / w.sum()
        return float((w * r) @ r)
    beta, _ = _wls(y, X, w)
    r = y - X @ beta
    return float((w * r) @ r)


# --------------------------------------------------------------------------- tau² estimators
@dataclass
class Tau2Fit:
    """A tau² estimate with how it was obtained."""

    tau2: float
    method: str
    iterations: int = 0
    messages: list = field(default_factory=list)


def _he(ymc, v, X, k, p):
    if X is None:
        rss = float(((ymc - ymc.mean()) ** 2).sum())
        trpv = float(v.sum() - v.sum() / k)
    else:
        Pols = np.eye(k) - X @ np.linalg.inv(X.T @ X) @ X.T
        rss = float(ymc @ Pols @ ymc)
        trpv = float(np.trace(Pols * v[None, :]))
    return (rss - trpv) / (k - p)


def _fisher_parts(ymc, v, tau2, X, method, k, p):
    """Return the Fisher-scoring step of ML/REML/EB at tau2 (metafor's 'adj')."""
    w = 1.0 / (v + tau2)
    if X is None:
        sw = float(w.sum())
        r = ymc - float(w @ ymc) / sw
        Py = w * r
        if method == "EB":
            return (float(Py @ r) * k / (k - p) - k) / sw
        yPPy = float(Py @ Py)
        sw2 = float(w @ w)
        if method == "ML":
            return (yPPy - sw) / sw2
        trP = sw - sw2 / sw
        trPP = sw2 - 2.0 * float((w * w) @ w) / sw + (sw2 / sw) ** 2
        return (yPPy - trP) / trPP
    P = _P(X, w)
    Py = P @ ymc
    if method == "EB":
        return (float(ymc @ Py) * k / (k - p) - k) / float(w.sum())
    yPPy = float(Py @ Py)
    if method == "ML":
        return (yPPy - float(w.sum())) / float((w * w).sum())
    return (yPPy - float(np.trace(P))) / float((P * P.T).sum())


def _loglik(y, v, tau2, X, method, k, p):
    """Return the ML or REML log-likelihood at tau2 (metafor's definition, REML with |X'WX|)."""
    w = 1.0 / (v + tau2)
    if X is None:
        sw = float(w.sum())
        r = y - float(w @ y) / sw
        rss = float((w * r) @ r)
        logdet = math.log(sw)
    else:
        beta, _ = _wls(y, X, w)
        r = y - X @ beta
        rss = float((w * r) @ r)
        logdet = float(np.linalg.slogdet(X.T @ (X * w[:, None]))[1])
    if method == "ML":
        return -0.5 * k * math.log(2 * math.pi) - 0.5 * float(np.log(v + tau2).sum()) - 0.5 * rss
    return -0.5 * (k - p) * math.log(2 * math.pi) - 0.5 * float(np.log(v + tau2).sum()) - 0.5 * logdet - 0.5 * rss


def estimate_tau2(y, v, method: str, X=None, stepadj: float | None = None, maxiter: int | None = None) -> Tau2Fit:
    """Return the tau² estimate (on the variance scale of y) by the named metafor estimator.

    ``X`` is the k×p model matrix (None = intercept only). Raises ConvergenceError when an
    iterative estimator fails; ``tau2_with_fallback`` turns that into a fallback.
    ``stepadj``/``maxiter`` override the Fisher-scoring step factor and iteration limit.
    """
    stepadj = STEPADJ if stepadj is None else stepadj
    maxiter = MAXITER if maxiter is None else maxiter
    k = y.shape[0]
    p = 1 if X is None else X.shape[1]
    if X is not None and _is_intercept_only(X):
        X = None
    if method == "EE" or k == 1:
        return Tau2Fit(0.0, method)
    # metafor centres y before estimating tau2, for numerical stability
    ymc = y - y.mean()
    if method == "HS":
        w = 1.0 / v
        rss = q_stat(ymc, v, 0.0, X)
        tau2 = (rss - k) / float(w.sum())
    elif method == "DL" and X is None:
        # statsmodels' DerSimonian-Laird moment estimator. It is not truncated at 0, and with
        # a negative value (or Q = 0) statsmodels' own random-effects SEs and I² hit sqrt of
        # a negative or 1/0 (RuntimeWarnings) -- figures we do not use: silence those and
        # truncate below. batch.py vectorises the same closed form.
        from statsmodels.stats.meta_analysis import combine_effects

        with np.errstate(invalid="ignore", divide="ignore"):
            tau2 = float(combine_effects(ymc, v, method_re="dl").tau2)
    elif method == "DL":
        w = 1.0 / v
        rss = q_stat(ymc, v, 0.0, X)
        tau2 = (rss - (k - p)) / float(np.trace(_P(X, w)))
    elif method == "HE":
        tau2 = _he(ymc, v, X, k, p)
    elif method == "SJ":
        tau2_0 = float(((ymc - ymc.mean()) ** 2).sum()) / k
        rss = q_stat(ymc, v + tau2_0, 0.0, X)
        tau2 = tau2_0 * rss / (k - p)
    elif method == "PM":
        target = float(k - p)
        tmax = TAU2_MAX
        if q_stat(ymc, v, 0.0, X) < target:
            tau2 = 0.0
        elif q_stat(ymc, v, tmax, X) > target:
            raise ConvergenceError(f"PM: Q(tau2={tmax:g}) still exceeds {target:g}; tau2 beyond the search range")
        else:
            tau2 = uniroot(lambda t: q_stat(ymc, v, t, X) - target, 0.0, tmax, UNIROOT_TOL, MAXITER)
    elif method in ("ML", "REML", "EB"):
        tau2 = max(0.0, _he(ymc, v, X, k, p))
        change = THRESHOLD + 1
        it = 0
        while change > THRESHOLD:
            it += 1
            if it > maxiter:
                raise ConvergenceError(f"{method}: Fisher scoring did not converge in {maxiter} iterations")
            old = tau2
            adj = _fisher_parts(ymc, v, tau2, X, method, k, p) * stepadj
            if not math.isfinite(adj):
                raise ConvergenceError(f"{method}: Fisher scoring step is not finite at tau2={tau2:g}")
            while tau2 + adj < 0.0:     # step halving keeps tau2 in its parameter space
                adj /= 2.0
            tau2 = tau2 + adj
            change = abs(old - tau2)
        fit = Tau2Fit(max(0.0, tau2), method, it)
        if method in ("ML", "REML"):
            # metafor's ll0check: Fisher scoring can stall at a local maximum above tau2 = 0
            ll0 = _loglik(ymc, v, 0.0, X, method, k, p)
            ll = _loglik(ymc, v, fit.tau2, X, method, k, p)
            if ll0 - ll > UNIROOT_TOL and fit.tau2 > THRESHOLD:
                fit.messages.append(f"{method}: likelihood is higher at tau2 = 0; tau2 set to 0")
                fit.tau2 = 0.0
        return fit
    else:  # pragma: no cover - normalise_method guards this
        raise MetaAnalysisError(f"unknown method {method!r}")
    return Tau2Fit(max(0.0, float(tau2)), method)


def tau2_with_fallback(y, v, method: str, X=None, stepadj: float | None = None) -> Tau2Fit:
    """Return ``estimate_tau2``; if it fails to converge, fall back to DL and say so in messages."""
    try:
        return estimate_tau2(y, v, method, X, stepadj=stepadj)
    except ConvergenceError as exc:
        if method in ("ML", "REML", "EB"):
            # damped steps can crawl; undamped Fisher scoring (metafor's default step) with
            # more iterations usually converges to the same estimator
            try:
                fit = estimate_tau2(y, v, method, X, stepadj=1.0, maxiter=10 * MAXITER)
                fit.messages.append(f"{method}: damped Fisher scoring did not converge ({exc}); "
                                    "converged with full steps")
                return fit
            except ConvergenceError:
                pass
        fit = estimate_tau2(y, v, "DL", X)
        fit.messages.append(f"{method} did not converge ({exc}); fell back to DL")
        return fit


# --------------------------------------------------------------------------- Q-profile CI
def qprofile_ci(y, v, tau2: float, level: float = 95, X=None) -> tuple[float, float, str]:
    """Return (lower, upper, note) of the Q-profile CI for tau² as metafor's confint() gives it.

    Bounds that fall outside metafor's search range [0, max(100, 10·tau2)] are returned as
    the range end, with the note saying so (empty note when both bounds were found).
    """
    k = y.shape[0]
    p = 1 if X is None else X.shape[1]
    if X is not None and _is_intercept_only(X):
        X = None
    df = k - p
    crit_u, crit_l = chi2_crits(float(level), float(df))
    tmin = min(0.0, tau2)
    tmax = max(TAU2_MAX, tau2 * 10, tmin * 10)
    q_max = q_stat(y, v, tmax, X)
    q_min = q_stat(y, v, tmin, X)
    notes = []
    lb = ub = math.nan
    if q_min < crit_l:
        lb = ub = tmin
        notes.append("CI for tau2 is the null set (Q at tau2=0 below the lower critical value)")
    else:
        if q_max > crit_l:
            ub = tmax
            notes.append(f"upper bound of tau2 CI > {tmax:g}")
        else:
            ub = uniroot(lambda t: q_stat(y, v, t, X) - crit_l, tmin, tmax, UNIROOT_TOL, 1000)
    if q_max > crit_u:
        lb = ub = tmax
        notes.append(f"tau2 CI lies above {tmax:g}")
    elif q_min < crit_u:
        lb = tmin
    else:
        lb = uniroot(lambda t: q_stat(y, v, t, X) - crit_u, tmin, tmax, UNIROOT_TOL, 1000)
    return lb, ub, "; ".join(notes)


# --------------------------------------------------------------------------- the model
@dataclass
class RmaFit:
    """Numbers of one fitted model (metafor's rma.uni), intercept-only or with moderators."""

    k: int
    p: int
    method: str
    test: str                 # "z" or "knha"
    level: float
    beta: np.ndarray
    vb: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    pval: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    ddf: float                # df of the t tests (nan for z tests)
    tau2: float
    QE: float
    QEp: float
    I2: float
    H2: float
    vt: float                 # metafor's 'typical' within-study variance
    s2w: float = 1.0          # Knapp-Hartung scale factor
    pi_low: float = math.nan
    pi_high: float = math.nan
    tau2_ci_low: float = math.nan
    tau2_ci_high: float = math.nan
    I2_ci_low: float = math.nan
    I2_ci_high: float = math.nan
    messages: list = field(default_factory=list)


def check_inputs(yi, sei, studies=None) -> tuple[np.ndarray, np.ndarray]:
    """Return (yi, vi) as float arrays, raising MetaAnalysisError naming any bad study."""
    try:
        y = np.asarray(yi, dtype=float).ravel()
        s = np.asarray(sei, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise MetaAnalysisError(f"yi and sei must be numbers: {exc}") from None
    if y.shape != s.shape:
        raise MetaAnalysisError(f"yi has {y.size} values but sei has {s.size}; expected one SE per estimate")
    if y.size == 0:
        raise MetaAnalysisError("no studies to pool (yi is empty)")

    def name(i):
        if studies is not None and i < len(studies):
            return f"study {studies[i]!r} (row {i + 1})"
        return f"study {i + 1}"

    for i in range(y.size):
        if not math.isfinite(y[i]):
            raise MetaAnalysisError(f"{name(i)}: yi is {float(y[i]):g}; expected a finite log effect")
        if not math.isfinite(s[i]) or s[i] <= 0:
            raise MetaAnalysisError(f"{name(i)}: sei is {float(s[i]):g}; expected a positive, finite standard error")
    return y, s * s


def fit_rma(y, v, method: str = "REML", test: str = "z", level: float = 95, X=None,
            ci_tau2: bool = True, stepadj: float | None = None) -> RmaFit:
    """Return the fitted model for estimates y with sampling variances v (metafor's rma.uni).

    ``X`` is the k×p model matrix (None for intercept only); ``test`` is "z" or "knha".
    With ``ci_tau2`` the Q-profile CI for tau² and I² is added (random-effects models, k > p).
    ``stepadj`` is the Fisher-scoring step factor of ML/REML/EB (default STEPADJ; metafor's
    own default is 1).
    """
    method = normalise_method(method)
    k = y.shape[0]
    Xm = np.ones((k, 1)) if X is None else np.asarray(X, dtype=float)
    p = Xm.shape[1]
    Xarg = None if _is_intercept_only(Xm) else Xm
    messages = []
    if k == 1:
        test = "z"
        messages.append("one study only: nothing to pool; the estimate is that study's")
    elif (p + (0 if method == "EE" else 1)) > k:
        raise MetaAnalysisError(f"{k} studies cannot support {p} coefficients plus tau2 ({method})")

    fit = tau2_with_fallback(y, v, method, Xarg, stepadj)
    messages.extend(fit.messages)
    tau2 = fit.tau2
    used_method = fit.method

    # fixed part
    w = 1.0 / (v + tau2)
    if Xarg is None:
        sw = float(w.sum())
        beta = np.array([float(w @ y) / sw])
        Ainv = np.array([[1.0 / sw]])
    else:
        beta, Ainv = _wls(y, Xm, w)
    s2w = 1.0
    if test == "knha" and k > p:
        r = y - Xm @ beta
        s2w = float((w * r) @ r) / (k - p)
        if s2w <= _DBL_EPS:
            # every estimate equals its fitted value: the Knapp-Hartung scale would make the SE 0
            messages.append("Knapp-Hartung scale is 0 (all estimates equal the fitted values); scale 1 used")
            s2w = 1.0
    vb = Ainv * s2w
    se = np.sqrt(np.diag(vb))
    stat = beta / se
    if test == "knha" and k > p:
        ddf = float(k - p)
        crit = crit_t(float(level), ddf)
        pval = 2 * special.stdtr(ddf, -np.abs(stat))
    else:
        ddf = math.nan
        crit = crit_norm(float(level))
        pval = 2 * special.ndtr(-np.abs(stat))

    # heterogeneity statistics from the equal-effects weights
    w0 = 1.0 / v
    if k > p:
        QE = max(0.0, q_stat(y, v, 0.0, Xarg))
        QEp = chi2_sf(QE, k - p)
        if Xarg is None:
            sw = float(w0.sum())
            trP = sw - float((w0 * w0).sum()) / sw
        else:
            trP = float(np.trace(_P(Xm, w0)))
        vt = (k - p) / trP
        if used_method == "EE":
            I2 = max(0.0, 100 * (QE - (k - p)) / QE) if QE > 0 else 0.0
            H2 = QE / (k - p)
        else:
            I2 = 100 * tau2 / (vt + tau2)
            H2 = tau2 / vt + 1
    else:
        QE, QEp, vt, I2, H2 = 0.0, 1.0, math.nan, 0.0, 1.0

    out = RmaFit(k=k, p=p, method=used_method, test=test if k > p else "z", level=level, beta=beta, vb=vb,
                 se=se, stat=stat, pval=pval, ci_low=beta - crit * se, ci_high=beta + crit * se, ddf=ddf,
                 tau2=tau2, QE=QE, QEp=QEp, I2=I2, H2=H2, vt=vt, s2w=s2w, messages=messages)

    if used_method != "EE" and Xarg is None:
        half = crit * math.sqrt(float(se[0]) ** 2 + tau2)
        out.pi_low, out.pi_high = float(beta[0]) - half, float(beta[0]) + half
    if ci_tau2 and used_method != "EE" and k > p:
        lb, ub, note = qprofile_ci(y, v, tau2, level, Xarg)
        out.tau2_ci_low, out.tau2_ci_high = lb, ub
        out.I2_ci_low, out.I2_ci_high = 100 * lb / (vt + lb), 100 * ub / (vt + ub)
        if note:
            messages.append(note)
    return out
