"""KM plot with the numbers-at-risk table under it (matplotlib imported lazily)."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def _default_ticks(t_max: float) -> np.ndarray:
    from .simulate import nice_step

    step = nice_step(t_max, rows=7)
    return np.arange(0.0, t_max + 1e-9, step)


def plot_km(analysis, ax=None, at_risk_times: Sequence[float] | None = None, ci: bool = False,
            censor_marks: bool = True):
    """Draw each arm's KM step curve (optional log CI band, censor ticks) on ``ax`` with a
    numbers-at-risk table in an axes appended under it; return the figure."""
    import matplotlib.pyplot as plt
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 5))
    fig = ax.figure
    t_max = float(analysis.data["time"].max())
    times = np.asarray(at_risk_times if at_risk_times is not None else _default_ticks(t_max), float)
    colours = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["C0", "C1", "C2"])
    for i, arm in enumerate(analysis.arms):
        km = analysis._km[arm]
        c = colours[i % len(colours)]
        x = np.concatenate([[0.0], km.t, [km.max_time]])
        y = np.concatenate([[1.0], km.s, [km.s[-1] if km.s.size else 1.0]])
        ax.step(x, y, where="post", color=c, label=f"{arm} (n={km.n})")
        if ci and km.t.size:
            lo = np.concatenate([[1.0], np.nan_to_num(km.lo), [np.nan_to_num(km.lo[-1])]])
            hi = np.concatenate([[1.0], np.nan_to_num(km.hi), [np.nan_to_num(km.hi[-1])]])
            ax.fill_between(x, lo, hi, step="post", color=c, alpha=0.15, linewidth=0)
        if censor_marks:
            ct = km.time[km.event == 0]
            s, _, _ = km.survival_at(ct)
            ax.plot(ct, s, linestyle="none", marker="|", color=c, markersize=6)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(t_max, times.max() if times.size else 0) * 1.02)
    ax.set_ylabel("Survival probability")
    ax.legend(loc="best", frameon=False)
    ax.set_xticks(times)

    divider = make_axes_locatable(ax)
    tab = divider.append_axes("bottom", size=0.22 * len(analysis.arms) + 0.25, pad=0.45, sharex=ax)
    counts = analysis.n_at_risk(times)
    for i, arm in enumerate(analysis.arms):
        y = len(analysis.arms) - 1 - i
        for t, n in zip(times, counts.loc[arm].to_numpy()):
            tab.text(t, y, str(int(n)), ha="center", va="center", fontsize=8,
                     color=colours[i % len(colours)])
    tab.set_ylim(-0.5, len(analysis.arms) - 0.5)
    tab.set_yticks(range(len(analysis.arms)))
    tab.set_yticklabels(list(reversed(analysis.arms)), fontsize=8)
    tab.tick_params(axis="both", length=0)
    tab.tick_params(axis="y", pad=14)  # keep arm names clear of the counts at time 0
    for spine in tab.spines.values():
        spine.set_visible(False)
    tab.set_title("Number at risk", fontsize=8, loc="left")
    unit = f" ({analysis.time_unit})" if analysis.time_unit else ""
    tab.set_xlabel(f"Time{unit}")
    ax.tick_params(labelbottom=False)
    return fig
