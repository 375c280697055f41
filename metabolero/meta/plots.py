"""Forest and funnel plots of a PoolResult (matplotlib, imported lazily).

Both accept ``ax=`` (draw into an existing axes) and ``path=`` (save; format from the
suffix, e.g. .svg or .png) and return the figure.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "svg", "pdf", "cairo") and not _interactive():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _interactive() -> bool:
    import sys

    return hasattr(sys, "ps1")


def _save(fig, path):
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, bbox_inches="tight", dpi=200 if path.suffix.lower() == ".png" else None)


_NICE = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)


def _ratio_axis(ax, lo: float, hi: float):
    """Put a log x axis with readable ratio ticks between exp(lo) and exp(hi) (lo, hi on log scale)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_xscale("log")
    a, b = math.exp(lo), math.exp(hi)
    ticks = [t for t in _NICE if a <= t <= b]
    if len(ticks) < 3:
        ticks = sorted({float(f"{t:.2g}") for t in np.exp(np.linspace(lo, hi, 5)[1:-1])} | ({1.0} if a <= 1 <= b else set()))
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())


def _fmt_ci(est, lo, hi, ratio):
    if ratio:
        est, lo, hi = math.exp(est), math.exp(lo), math.exp(hi)
    return f"{est:.2f} [{lo:.2f}, {hi:.2f}]"


def forest(res, path=None, ax=None, title=None, xlabel=None):
    """Draw a journal-style forest plot of ``res``; return the figure.

    Rows: each study's estimate (square sized by weight) and CI, with the numbers and the
    weight (%) at the right; the pooled diamond; the prediction interval as a line below
    it (random-effects models, k > 2); heterogeneity figures in the bottom-left text. Ratios
    (measure HR/OR/RR) are drawn on a log axis with the line of no effect at 1.
    """
    plt = _pyplot()
    from scipy import stats

    ratio = res.is_ratio
    k = res.k
    z = float(stats.norm.isf((1 - res.level / 100) / 2))
    lo = res.yi - z * res.sei
    hi = res.yi + z * res.sei
    w = res.weights
    show_pi = res.pi_low is not None and k > 2 and res.method != "EE"
    n_rows = k + 3 + (1 if show_pi else 0)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9.0, 0.32 * n_rows + 1.4))
    else:
        fig = ax.figure
    tr = np.exp if ratio else (lambda x: x)
    ys = np.arange(k, 0, -1) + 1.5 + (1 if show_pi else 0)
    # CI lines and weight-scaled squares
    ax.hlines(ys, tr(lo), tr(hi), color="black", lw=0.9)
    sizes = 20 + 180 * (w / w.max())
    ax.scatter(tr(res.yi), ys, s=sizes, marker="s", color="#1f3b73", zorder=3, linewidths=0)
    # pooled diamond
    yd = 1.0 + (1 if show_pi else 0)
    dx = [res.ci_low, res.estimate, res.ci_high, res.estimate]
    dy = [yd, yd + 0.3, yd, yd - 0.3]
    ax.fill([tr(x) for x in dx], dy, color="#b22222", zorder=3)
    if show_pi:
        ax.hlines(1.0, tr(res.pi_low), tr(res.pi_high), color="#b22222", lw=2.0)
        ax.vlines([tr(res.pi_low), tr(res.pi_high)], 0.85, 1.15, color="#b22222", lw=2.0)
    null = 1.0 if ratio else 0.0
    ax.axvline(null, color="grey", lw=0.8, ls="-", zorder=0)
    ax.axvline(tr(res.estimate), color="#b22222", lw=0.6, ls=":", zorder=0)
    # labels and numbers as table columns outside the axes
    labels = list(res.studies)
    trans_left = ax.get_yaxis_transform()
    for y, lab, e, l, h, wi in zip(ys, labels, res.yi, lo, hi, w):
        ax.text(-0.02, y, lab, transform=trans_left, ha="right", va="center", fontsize=9)
        ax.text(1.02, y, _fmt_ci(e, l, h, ratio), transform=trans_left, ha="left", va="center", fontsize=9,
                family="monospace")
        ax.text(1.36, y, f"{wi:5.1f}%", transform=trans_left, ha="left", va="center", fontsize=9, family="monospace")
    model = "EE model" if res.method == "EE" else f"RE model ({res.method}{', Knapp-Hartung' if res.hksj else ''})"
    ax.text(-0.02, yd, model, transform=trans_left, ha="right", va="center", fontsize=9, weight="bold")
    ax.text(1.02, yd, _fmt_ci(res.estimate, res.ci_low, res.ci_high, ratio), transform=trans_left, ha="left",
            va="center", fontsize=9, family="monospace", weight="bold")
    ax.text(1.36, yd, "100.0%", transform=trans_left, ha="left", va="center", fontsize=9, family="monospace")
    if show_pi:
        ax.text(-0.02, 1.0, "Prediction interval", transform=trans_left, ha="right", va="center", fontsize=9)
        ax.text(1.02, 1.0, f"[{tr(res.pi_low):.2f}, {tr(res.pi_high):.2f}]", transform=trans_left, ha="left",
                va="center", fontsize=9, family="monospace")
    top = ys[0] + 1.0
    meas = res.measure.upper() if ratio else "Estimate"
    ax.text(-0.02, top, "Study", transform=trans_left, ha="right", va="center", fontsize=9, weight="bold")
    ax.text(1.02, top, f"{meas} [{res.level:g}% CI]", transform=trans_left, ha="left", va="center", fontsize=9,
            weight="bold")
    ax.text(1.36, top, "Weight", transform=trans_left, ha="left", va="center", fontsize=9, weight="bold")
    het = (f"Heterogeneity: Q = {res.Q:.2f}, df = {k - 1}, p = {res.Q_p:.3g}; I² = {res.I2:.1f}%"
           + (f"; τ² = {res.tau2:.4f}" if res.method != "EE" else "")) if k > 1 else "One study: nothing pooled"
    test = f"Overall effect: {'t' if res.hksj else 'z'} = {res.stat:.2f}, p = {res.pval:.3g}"
    ax.text(0.0, -0.16 if n_rows > 8 else -0.3, het + "\n" + test, transform=ax.transAxes, ha="left", va="top",
            fontsize=8.5)
    ax.set_ylim(0.3, top + 0.6)
    ax.set_yticks([])
    for s in ("left", "right", "top"):
        ax.spines[s].set_visible(False)
    xs = np.concatenate([lo, hi, [res.ci_low, res.ci_high]] + ([[res.pi_low, res.pi_high]] if show_pi else []))
    span = xs.max() - xs.min()
    xmin, xmax = min(xs.min(), 0.0) - 0.05 * span, max(xs.max(), 0.0) + 0.05 * span
    if ratio:
        _ratio_axis(ax, xmin, xmax)
    ax.set_xlim(tr(xmin), tr(xmax))
    if xlabel is None:
        xlabel = f"{meas} (log scale)" if ratio else "Estimate"
    ax.set_xlabel(xlabel, fontsize=9)
    if title:
        ax.set_title(title, fontsize=10, weight="bold")
    _save(fig, path)
    return fig


def funnel(res, path=None, ax=None, trimfill=False, title=None):
    """Draw a funnel plot (estimate against SE, inverted) with the pseudo-CI region; return the figure.

    With ``trimfill`` the studies imputed by trim-and-fill are added as open circles and the
    adjusted estimate as a dashed line.
    """
    plt = _pyplot()
    from scipy import stats

    ratio = res.is_ratio
    tr = np.exp if ratio else (lambda x: x)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 5.0))
    else:
        fig = ax.figure
    z = float(stats.norm.isf((1 - res.level / 100) / 2))
    se_max = float(res.sei.max()) * 1.05
    se = np.linspace(0, se_max, 100)
    ax.fill_betweenx(se, tr(res.estimate - z * se), tr(res.estimate + z * se), color="#eeeeee", zorder=0)
    ax.plot(tr(res.estimate - z * se), se, color="grey", lw=0.8, ls="--")
    ax.plot(tr(res.estimate + z * se), se, color="grey", lw=0.8, ls="--")
    ax.axvline(tr(res.estimate), color="black", lw=0.9)
    ax.scatter(tr(res.yi), res.sei, color="#1f3b73", zorder=3, s=28)
    filled = np.array([])
    if trimfill and res.k >= 3:
        tf = res.trimfill()
        filled = tf.filled_yi
        if tf.k0 > 0:
            ax.scatter(tr(tf.filled_yi), tf.filled_sei, facecolors="white", edgecolors="#1f3b73", zorder=3, s=28)
            ax.axvline(tr(tf.estimate), color="#b22222", lw=0.9, ls="--")
    ax.set_ylim(se_max, 0)
    xs = np.concatenate([res.yi, filled, [res.estimate - z * se_max, res.estimate + z * se_max]])
    pad = 0.04 * float(xs.max() - xs.min())
    xl = (float(xs.min()) - pad, float(xs.max()) + pad)
    if ratio:
        _ratio_axis(ax, *xl)
    ax.set_xlim(tr(xl[0]), tr(xl[1]))
    ax.set_xlabel(f"{res.measure.upper()} (log scale)" if ratio else "Estimate")
    ax.set_ylabel("Standard error")
    if title:
        ax.set_title(title)
    _save(fig, path)
    return fig


def forest_subgroups(sg, path=None, ax=None, title=None):
    """Draw a forest plot of a SubgroupResult: studies by subgroup, a diamond per subgroup and overall.

    The test for subgroup differences is written under the plot; ratios use a log axis.
    """
    plt = _pyplot()

    overall = sg.overall
    ratio = overall.is_ratio
    tr = np.exp if ratio else (lambda x: x)
    z = crit_z(overall.level)
    rows = []          # (kind, label, est, lo, hi, weight or None)
    for label, r in sg.groups.items():
        rows.append(("head", str(label), None, None, None, None))
        for name, y, s, w in zip(r.studies, r.yi, r.sei, r.weights):
            rows.append(("study", name, y, y - z * s, y + z * s, w))
        rows.append(("diamond", f"Subtotal (k = {r.k}; I² = {r.I2:.0f}%)", r.estimate, r.ci_low, r.ci_high, None))
    rows.append(("diamond", f"Overall (k = {overall.k})", overall.estimate, overall.ci_low, overall.ci_high, None))
    n = len(rows)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 0.3 * n + 1.6))
    else:
        fig = ax.figure
    trans = ax.get_yaxis_transform()
    xs = []
    for i, (kind, label, est, lo, hi, w) in enumerate(rows):
        y = n - i
        if kind == "head":
            ax.text(-0.02, y, label, transform=trans, ha="right", va="center", fontsize=9, weight="bold")
            continue
        xs += [lo, hi]
        if kind == "study":
            ax.hlines(y, tr(lo), tr(hi), color="black", lw=0.9)
            ax.scatter([tr(est)], [y], s=20 + 1.5 * w, marker="s", color="#1f3b73", zorder=3, linewidths=0)
        else:
            ax.fill([tr(lo), tr(est), tr(hi), tr(est)], [y, y + 0.3, y, y - 0.3], color="#b22222", zorder=3)
        ax.text(-0.02, y, label, transform=trans, ha="right", va="center", fontsize=9,
                weight="bold" if kind == "diamond" else None)
        ax.text(1.02, y, _fmt_ci(est, lo, hi, ratio), transform=trans, ha="left", va="center", fontsize=9,
                family="monospace")
    ax.axvline(1.0 if ratio else 0.0, color="grey", lw=0.8, zorder=0)
    xs = np.asarray(xs, dtype=float)
    span = float(xs.max() - xs.min()) or 1.0
    xmin, xmax = min(float(xs.min()), 0.0) - 0.05 * span, max(float(xs.max()), 0.0) + 0.05 * span
    if ratio:
        _ratio_axis(ax, xmin, xmax)
    ax.set_xlim(tr(xmin), tr(xmax))
    ax.set_ylim(0.3, n + 0.7)
    ax.set_yticks([])
    for s in ("left", "right", "top"):
        ax.spines[s].set_visible(False)
    ax.set_xlabel(f"{overall.measure.upper()} (log scale)" if ratio else "Estimate", fontsize=9)
    ax.text(0.0, -0.12 if n > 10 else -0.3,
            f"Test for subgroup differences: Q = {sg.Q_between:.2f}, df = {sg.df}, p = {sg.pval:.3g}",
            transform=ax.transAxes, ha="left", va="top", fontsize=8.5)
    if title:
        ax.set_title(title, fontsize=10, weight="bold")
    _save(fig, path)
    return fig


def crit_z(level: float) -> float:
    """Return the two-sided normal critical value for ``level`` percent."""
    from ._core import crit_norm

    return crit_norm(level)
