"""Many meta-analyses at once: ``pool_many`` runs the algorithms of ``pool`` vectorised across analyses.

Used for simulations and the speed benchmark. Each analysis is a row of a padded matrix
(padding has infinite variance, hence zero weight); Fisher scoring and the Brent root
searches advance all rows in lock-step, with the same step and stopping rules as the
one-at-a-time code in ``_core``, so the figures agree with ``pool()`` to rounding (tested).
Rows the vectorised path does not cover (k = 1, a failed iteration) are sent through
``pool()`` itself, so their fallbacks and messages are the same too.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import special

from ..errors import MetaAnalysisError
from . import _core
from ._core import chi2_crits, check_inputs, crit_norm, crit_t, normalise_method
from .pooling import FIELDS, normalise_level, pool

_EPS = np.finfo(float).eps


def _rowsum(a):
    return np.add.reduce(a, axis=1)


class _Rows:
    """Padded data of n analyses: y (n×K), v (n×K, inf in padding), mask, k per row."""

    def __init__(self, ys, vs, rows):
        self.k = np.array([ys[i].size for i in rows], dtype=float)
        K = int(self.k.max())
        n = len(rows)
        self.y = np.zeros((n, K))
        self.v = np.full((n, K), np.inf)
        self.mask = np.zeros((n, K), dtype=bool)
        for j, i in enumerate(rows):
            m = ys[i].size
            self.y[j, :m] = ys[i]
            self.v[j, :m] = vs[i]
            self.mask[j, :m] = True
        self.ymc = np.where(self.mask, self.y - (_rowsum(self.y) / self.k)[:, None], 0.0)

    def sub(self, idx):
        r = object.__new__(_Rows)
        r.k, r.y, r.v, r.mask, r.ymc = self.k[idx], self.y[idx], self.v[idx], self.mask[idx], self.ymc[idx]
        return r


def _q(y, v, t):
    """Row-wise generalised Q at tau2 = t (vector)."""
    w = 1.0 / (v + t[:, None])
    sw = _rowsum(w)
    r = y - (_rowsum(w * y) / sw)[:, None]
    return _rowsum(w * r * r)


def _zeroin(f, lo, hi, flo, fhi, tol, maxit):
    """Vectorised R zeroin (see _core.zeroin): returns (roots, converged) for each row."""
    a, b = lo.copy(), hi.copy()
    fa, fb = flo.copy(), fhi.copy()
    c, fc = a.copy(), fa.copy()
    root = np.full(a.shape, np.nan)
    done = np.zeros(a.shape, dtype=bool)
    at_a = fa == 0.0
    root[at_a] = a[at_a]
    done |= at_a
    at_b = (fb == 0.0) & ~done
    root[at_b] = b[at_b]
    done |= at_b
    for _ in range(maxit + 1):
        act = ~done
        if not act.any():
            break
        prev_step = b - a
        swap = act & (np.abs(fc) < np.abs(fb))
        a2, b2, c2 = np.where(swap, b, a), np.where(swap, c, b), np.where(swap, b, c)
        fa2, fb2, fc2 = np.where(swap, fb, fa), np.where(swap, fc, fb), np.where(swap, fb, fc)
        a, b, c, fa, fb, fc = a2, b2, c2, fa2, fb2, fc2
        tol_act = 2.0 * _EPS * np.abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        fin = act & ((np.abs(new_step) <= tol_act) | (fb == 0.0))
        root[fin] = b[fin]
        done |= fin
        act &= ~fin
        if not act.any():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            interp = act & (np.abs(prev_step) >= tol_act) & (np.abs(fa) > np.abs(fb))
            cb = c - b
            lin = a == c
            t1l = fb / fa
            pl, ql = cb * t1l, 1.0 - t1l
            q0, t1, t2 = fa / fc, fb / fc, fb / fa
            pq = t2 * (cb * q0 * (q0 - t1) - (b - a) * (t1 - 1.0))
            qq = (q0 - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            p = np.where(lin, pl, pq)
            q = np.where(lin, ql, qq)
            pos = p > 0
            q = np.where(pos, -q, q)
            p = np.where(pos, p, -p)
            accept = interp & (p < (0.75 * cb * q - np.abs(tol_act * q) / 2.0)) & (p < np.abs(prev_step * q / 2.0))
            new_step = np.where(accept, p / q, new_step)
        small = np.abs(new_step) < tol_act
        new_step = np.where(small, np.where(new_step > 0, tol_act, -tol_act), new_step)
        a = np.where(act, b, a)
        fa = np.where(act, fb, fa)
        b = np.where(act, b + new_step, b)
        fnew = f(b, act)
        fb = np.where(act, fnew, fb)
        same = act & (((fb > 0) & (fc > 0)) | ((fb < 0) & (fc < 0)))
        c = np.where(same, a, c)
        fc = np.where(same, fa, fc)
    return root, done


def _tau2(R: _Rows, method: str, stepadj: float):
    """Return (tau2 per row, ok per row) by the named estimator, vectorised."""
    n = R.k.size
    k, y, v, m = R.k, R.ymc, R.v, R.mask
    ok = np.ones(n, dtype=bool)
    if method == "EE":
        return np.zeros(n), ok
    w0 = 1.0 / v
    if method in ("HE", "ML", "REML", "EB"):
        d = np.where(m, y - (_rowsum(y) / k)[:, None], 0.0)
        vs = _rowsum(np.where(m, v, 0.0))
        he = (_rowsum(d * d) - (vs - vs / k)) / (k - 1)
        if method == "HE":
            return np.maximum(he, 0.0), ok
        t = np.maximum(0.0, he)
        active = np.ones(n, dtype=bool)
        it = 0
        while active.any():
            it += 1
            if it > _core.MAXITER:
                ok &= ~active
                break
            idx = np.flatnonzero(active)
            ti = t[idx]
            w = 1.0 / (v[idx] + ti[:, None])
            sw = _rowsum(w)
            r = y[idx] - (_rowsum(w * y[idx]) / sw)[:, None]
            Py = w * r
            if method == "EB":
                ki = k[idx]
                adj = (_rowsum(Py * r) * ki / (ki - 1) - ki) / sw
            else:
                yPPy = _rowsum(Py * Py)
                sw2 = _rowsum(w * w)
                if method == "ML":
                    adj = (yPPy - sw) / sw2
                else:
                    trP = sw - sw2 / sw
                    trPP = sw2 - 2.0 * _rowsum(w * w * w) / sw + (sw2 / sw) ** 2
                    adj = (yPPy - trP) / trPP
            adj = adj * stepadj
            bad = ~np.isfinite(adj)
            if bad.any():
                ok[idx[bad]] = False
                active[idx[bad]] = False
                adj = np.where(bad, 0.0, adj)
            neg = ti + adj < 0.0
            while neg.any():
                adj = np.where(neg, adj / 2.0, adj)
                neg = ti + adj < 0.0
            new = ti + adj
            change = np.abs(ti - new)
            t[idx] = new
            active[idx] = active[idx] & (change > _core.THRESHOLD)
        t = np.maximum(0.0, t)
        if method in ("ML", "REML"):
            ll0 = _loglik(R, np.zeros(n), method)
            ll = _loglik(R, t, method)
            t = np.where((ll0 - ll > _core.UNIROOT_TOL) & (t > _core.THRESHOLD), 0.0, t)
        return t, ok
    if method == "HS":
        return np.maximum(0.0, (_q(y, v, np.zeros(n)) - k) / _rowsum(w0)), ok
    if method == "DL":
        sw = _rowsum(w0)
        trP = sw - _rowsum(w0 * w0) / sw
        return np.maximum(0.0, (_q(y, v, np.zeros(n)) - (k - 1)) / trP), ok
    if method == "SJ":
        d = np.where(m, y - (_rowsum(y) / k)[:, None], 0.0)
        t0 = _rowsum(d * d) / k
        return np.maximum(0.0, t0 * _q(y, v + t0[:, None], np.zeros(n)) / (k - 1)), ok
    if method == "PM":
        target = k - 1
        t = np.zeros(n)
        q0 = _q(y, v, np.zeros(n))
        tmax = np.full(n, _core.TAU2_MAX)
        qmax = _q(y, v, tmax)
        ok &= ~(qmax > target) | (q0 < target)
        need = np.flatnonzero((q0 >= target) & ok)
        if need.size:
            yy, vv, tg = y[need], v[need], target[need]

            def f(b, act):
                return _q(yy, vv, b) - tg

            root, conv = _zeroin(f, np.zeros(need.size), tmax[need], q0[need] - tg, qmax[need] - tg,
                                 _core.UNIROOT_TOL, _core.MAXITER)
            t[need] = root
            ok[need[~conv]] = False
        return np.maximum(0.0, t), ok
    raise MetaAnalysisError(f"unknown method {method!r}")  # pragma: no cover


def _loglik(R: _Rows, t, method):
    w = 1.0 / (R.v + t[:, None])
    sw = _rowsum(w)
    r = R.ymc - (_rowsum(w * R.ymc) / sw)[:, None]
    rss = _rowsum(w * r * r)
    logs = _rowsum(np.where(R.mask, np.log(np.where(R.mask, R.v, 1.0) + t[:, None]), 0.0))
    if method == "ML":
        return -0.5 * R.k * math.log(2 * math.pi) - 0.5 * logs - 0.5 * rss
    return -0.5 * (R.k - 1) * math.log(2 * math.pi) - 0.5 * logs - 0.5 * np.log(sw) - 0.5 * rss


def _qprofile(R: _Rows, tau2, level):
    """Vectorised Q-profile CI for tau2 (see _core.qprofile_ci); returns (lb, ub, ok)."""
    n = tau2.size
    lb, ub = np.full(n, np.nan), np.full(n, np.nan)
    ok = np.ones(n, dtype=bool)
    crit_u = np.empty(n)
    crit_l = np.empty(n)
    for df in np.unique(R.k - 1):
        sel = (R.k - 1) == df
        crit_u[sel], crit_l[sel] = chi2_crits(float(level), float(df))
    tmin = np.zeros(n)
    tmax = np.maximum(_core.TAU2_MAX, tau2 * 10)
    qmin = _q(R.y, R.v, tmin)
    qmax = _q(R.y, R.v, tmax)

    def search(crit, need, out):
        if need.size:
            yy, vv, cc = R.y[need], R.v[need], crit[need]
            root, conv = _zeroin(lambda b, act: _q(yy, vv, b) - cc, tmin[need], tmax[need],
                                 qmin[need] - cc, qmax[need] - cc, _core.UNIROOT_TOL, 1000)
            out[need] = root
            ok[need[~conv]] = False

    # upper bound: Q(tau2) = lower critical value
    null = qmin < crit_l
    lb[null] = ub[null] = tmin[null]
    at_max = ~null & (qmax > crit_l)
    ub[at_max] = tmax[at_max]
    search(crit_l, np.flatnonzero(~null & ~at_max), ub)
    # lower bound: Q(tau2) = upper critical value
    above = qmax > crit_u
    lb[above] = ub[above] = tmax[above]
    low = ~above & (qmin < crit_u)
    lb[low] = tmin[low]
    search(crit_u, np.flatnonzero(~above & ~low), lb)
    return lb, ub, ok


def pool_many(yis: Sequence, seis: Sequence, method: str = "REML", hksj: bool = False, level: float = 95,
              ci_tau2: bool = True, stepadj=None) -> dict:
    """Return the figures of many meta-analyses as arrays, one entry per analysis.

    ``yis``/``seis`` are sequences of per-analysis arrays (log effects and SEs). The result
    maps each field of ``FIELDS`` (estimate, se, ..., I2_ci_high) to a float array (NaN where
    undefined), plus ``k`` and ``method`` (the estimator actually used per analysis) and
    ``messages`` (list per analysis). Same algorithms and figures as calling ``pool()`` on each.
    """
    method = normalise_method(method)
    level = normalise_level(level)
    if len(yis) != len(seis):
        raise MetaAnalysisError(f"pool_many: {len(yis)} sets of estimates but {len(seis)} sets of SEs")
    n = len(yis)
    ys, vs = [], []
    for i in range(n):
        try:
            y, v = check_inputs(yis[i], seis[i])
        except MetaAnalysisError as exc:
            raise MetaAnalysisError(f"analysis {i + 1}: {exc}") from None
        ys.append(y)
        vs.append(v)
    out = {f: np.full(n, np.nan) for f in FIELDS}
    out["k"] = np.array([y.size for y in ys])
    out["method"] = [method] * n
    out["messages"] = [[] for _ in range(n)]
    vec = np.flatnonzero(out["k"] > 1)
    slow = set(np.flatnonzero(out["k"] <= 1).tolist())
    if vec.size:
        R = _Rows(ys, vs, vec)
        tau2, ok = _tau2(R, method, _core.STEPADJ if stepadj is None else float(stepadj))
        slow |= set(vec[~ok].tolist())
        keep = np.flatnonzero(ok)
        R, tau2, rows = R.sub(keep), tau2[keep], vec[keep]
        k = R.k
        w = 1.0 / (R.v + tau2[:, None])
        sw = _rowsum(w)
        est = _rowsum(w * R.y) / sw
        var = 1.0 / sw
        if hksj:
            r = R.y - est[:, None]
            s2w = _rowsum(w * r * r) / (k - 1)
            zero = s2w <= _EPS
            if zero.any():   # rare: let pool() handle it, with its message
                slow |= set(rows[zero].tolist())
            var = var * np.where(zero, 1.0, s2w)
            crit = np.array([crit_t(level, float(d)) for d in (k - 1)])
        else:
            crit = np.full(k.size, crit_norm(level))
        se = np.sqrt(var)
        stat = est / se
        pval = 2 * (special.stdtr(k - 1, -np.abs(stat)) if hksj else special.ndtr(-np.abs(stat)))
        w0 = 1.0 / R.v
        s0 = _rowsum(w0)
        QE = np.maximum(0.0, _q(R.y, R.v, np.zeros(k.size)))
        QEp = special.chdtrc(k - 1, QE)
        vt = (k - 1) / (s0 - _rowsum(w0 * w0) / s0)
        if method == "EE":
            with np.errstate(divide="ignore", invalid="ignore"):
                I2 = np.where(QE > 0, np.maximum(0.0, 100 * (QE - (k - 1)) / QE), 0.0)
            H2 = QE / (k - 1)
        else:
            I2 = 100 * tau2 / (vt + tau2)
            H2 = tau2 / vt + 1
        vals = {"estimate": est, "se": se, "ci_low": est - crit * se, "ci_high": est + crit * se, "stat": stat,
                "pval": pval, "tau2": tau2, "I2": I2, "H2": H2, "Q": QE, "Q_p": QEp}
        if method != "EE":
            half = crit * np.sqrt(se * se + tau2)
            vals["pi_low"], vals["pi_high"] = est - half, est + half
            if ci_tau2:
                lb, ub, cok = _qprofile(R, tau2, level)
                vals["tau2_ci_low"], vals["tau2_ci_high"] = lb, ub
                vals["I2_ci_low"], vals["I2_ci_high"] = 100 * lb / (vt + lb), 100 * ub / (vt + ub)
                slow |= set(rows[~cok].tolist())
        for f, a in vals.items():
            out[f][rows] = a
    for i in sorted(slow):
        try:
            d = pool(ys[i], np.sqrt(vs[i]), method=method, hksj=hksj, level=level, ci_tau2=ci_tau2,
                     stepadj=stepadj).to_dict()
        except MetaAnalysisError as exc:
            out["messages"][i].append(str(exc))
            continue
        for f in FIELDS:
            out[f][i] = np.nan if d[f] is None else d[f]
        out["method"][i] = d["method"]
        out["messages"][i] = d["messages"]
    return out
