"""Kaplan-Meier figures drawn as vector graphics: axes, step curves, legend, numbers at risk.

A KM figure is recognised by its step paths: polylines whose segments are all horizontal or
vertical, running right and down. The plot's axes come from the tick labels (numbers below the
x axis and left of the y axis), refined by the tick marks when they are drawn as short lines,
so page points map linearly to (time, survival). A y axis labelled up to 100 is in percent and
is rescaled to 0-1. Curves are told apart by stroke colour and dash pattern and named from the
legend sample of the same colour/dash; the numbers-at-risk table printed under the plot is read
row by row, each number's x position giving its time.

This module only digitises; turning arms into a hazard ratio is the km layer's job
(``metabolero.km.hr_from_figure``), called by the pipeline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

_NUM_RE = re.compile(r"^[-−]?\d+(?:\.\d+)?%?$")
_CONTROL_NAME_RE = re.compile(
    r"\b(placebo|control|observation|obs|standard|usual care|best supportive care|bsc|sham)\b|^(no|without)\b", re.I)


@dataclass
class KMFigure:
    """A digitised Kaplan-Meier figure.

    ``page`` 1-based; ``bbox`` (x0, top, x1, bottom) in PDF points; ``arms`` a list of
    ``{"arm", "curve": [[time, survival], ...], "at_risk": [[time, n], ...]}`` with survival
    on 0-1 (percent axes rescaled) and time in the x axis' units; ``percent`` says the axis
    was printed in percent.
    """

    page: int
    bbox: tuple[float, float, float, float]
    arms: list[dict] = field(default_factory=list)
    percent: bool = False
    x_label: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "km"

    def to_dict(self) -> dict:
        """Return the JSON form: page, bbox, kind, percent, x_label, arms, warnings."""
        return {"page": self.page, "kind": self.kind, "bbox": [round(v, 2) for v in self.bbox],
                "percent": self.percent, "x_label": self.x_label, "arms": self.arms, "warnings": self.warnings}

    def __getitem__(self, key):
        return self.to_dict()[key]

    def summary_frame(self):
        """Return the digitised curves as a DataFrame: arm, time (x-axis units), survival (0-1)."""
        import pandas as pd

        rows = [(a["arm"], t, s) for a in self.arms for t, s in a["curve"]]
        return pd.DataFrame(rows, columns=["arm", "time", "survival"])

    def plot_curves(self, ax=None):
        """Plot the digitised step curves (survival 0-1 against time); return the matplotlib figure."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        for a in self.arms:
            curve = np.asarray(a["curve"], dtype=float)
            ax.step(curve[:, 0], curve[:, 1], where="post", label=a["arm"])
        ax.set_xlabel(self.x_label or "time")
        ax.set_ylabel("survival")
        ax.set_ylim(0, 1.02)
        ax.legend(frameon=False)
        return ax.figure


def _key(obj) -> tuple:
    col = obj.get("stroking_color")
    col = tuple(round(float(c), 3) for c in col) if isinstance(col, (list, tuple)) else col
    dash = obj.get("dash")
    dash = tuple(round(float(v), 2) for v in dash[0]) if dash and dash[0] else ()
    return col, dash


def _is_step(pts) -> bool:
    if len(pts) < 6:
        return False
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x1 < x0 - 0.05 or y1 < y0 - 0.05:
            return False
        if abs(x1 - x0) > 0.05 and abs(y1 - y0) > 0.05:
            return False
    return pts[-1][0] - pts[0][0] > 30 and pts[-1][1] - pts[0][1] > 5


def _numbers(words):
    out = []
    for w in words:
        t = w["text"].replace("−", "-")
        if _NUM_RE.match(t):
            out.append((w, float(t.rstrip("%"))))
    return out


def _fit(pos: list[float], val: list[float]) -> Optional[tuple[float, float]]:
    if len(pos) < 2 or len(set(round(p, 1) for p in pos)) < 2:
        return None
    a, b = np.polyfit(np.asarray(pos), np.asarray(val), 1)
    resid = np.asarray(val) - (a * np.asarray(pos) + b)
    scale = max(abs(v) for v in val) or 1.0
    if np.max(np.abs(resid)) > 0.02 * scale:
        return None  # labels not evenly spaced: not a linear axis
    return float(a), float(b)


def _chained_lines(page) -> list[dict]:
    """Polylines rebuilt from separate two-point line segments of one colour/dash.

    Some producers draw a step curve segment by segment; chaining segments whose ends
    meet gives back one path per curve, in the same form as pdfplumber's curve objects.
    """
    segs: dict = {}
    for l in page.lines:
        if l.get("pts") is None or len(l["pts"]) != 2:
            continue
        (x0, y0), (x1, y1) = [(float(x), float(y)) for x, y in l["pts"]]
        if (x1, y1) < (x0, y0):
            (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
        segs.setdefault(_key(l), []).append(((x0, y0), (x1, y1), l))
    out = []
    for key, ss in segs.items():
        if len(ss) < 5:
            continue
        ss.sort(key=lambda s: (s[0][0], s[0][1]))
        used = [False] * len(ss)
        starts: dict = {}
        for i, s in enumerate(ss):
            starts.setdefault((round(s[0][0], 1), round(s[0][1], 1)), []).append(i)
        for i, s in enumerate(ss):
            if used[i]:
                continue
            used[i] = True
            pts = [s[0], s[1]]
            while True:
                nxt = [j for j in starts.get((round(pts[-1][0], 1), round(pts[-1][1], 1)), []) if not used[j]]
                if not nxt:
                    break
                used[nxt[0]] = True
                pts.append(ss[nxt[0]][1])
            if len(pts) >= 6:
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                proto = s[2]
                out.append({"pts": pts, "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
                            "stroking_color": proto.get("stroking_color"), "dash": proto.get("dash"),
                            "linewidth": proto.get("linewidth"), "_chained": True})
    return out


def find_km_figures(page, page_no: int) -> list[KMFigure]:
    """Return the KM figures drawn as vector step curves on one pdfplumber page."""
    paths = list(page.curves)
    if len(page.lines) >= 5:
        paths += _chained_lines(page)
    curves = [c for c in paths if _is_step([(float(x), float(y)) for x, y in c["pts"]])]
    if not curves:
        return []
    # one figure per cluster of overlapping step curves
    clusters: list[list] = []
    for c in sorted(curves, key=lambda c: c["x0"]):
        for cl in clusters:
            x0 = min(o["x0"] for o in cl)
            x1 = max(o["x1"] for o in cl)
            t = min(o["top"] for o in cl)
            b = max(o["bottom"] for o in cl)
            if c["x0"] < x1 and c["x1"] > x0 and c["top"] < b and c["bottom"] > t:
                cl.append(c)
                break
        else:
            clusters.append([c])
    words = page.extract_words(x_tolerance=1.5, keep_blank_chars=False)
    figs = []
    for cl in clusters:
        fig = _digitise(page, page_no, cl, words)
        if fig is not None:
            figs.append(fig)
    return figs


def _digitise(page, page_no: int, steps: list, words) -> Optional[KMFigure]:
    cx0 = min(c["x0"] for c in steps)
    cx1 = max(c["x1"] for c in steps)
    ctop = min(c["top"] for c in steps)
    cbot = max(c["bottom"] for c in steps)
    # axis lines: the frame's bottom edge (x axis) and left edge (y axis)
    hlines = [l for l in page.lines if abs(l["top"] - l["bottom"]) < 0.5 and l["x1"] - l["x0"] > 0.5 * (cx1 - cx0)]
    below = [l for l in hlines if l["top"] >= cbot - 1.0 and l["x0"] <= cx0 + 2 and l["x1"] > cx0 + 0.5 * (cx1 - cx0)
             and l["x0"] >= cx0 - 0.5 * (cx1 - cx0)]
    x_axis_y = min((l["top"] for l in below), default=cbot)
    vlines = [l for l in page.lines if abs(l["x0"] - l["x1"]) < 0.5 and l["bottom"] - l["top"] > 0.5 * (cbot - ctop)]
    left = [l for l in vlines if l["x0"] <= cx0 + 1.0 and l["bottom"] >= cbot - 2]
    y_axis_x = max((l["x0"] for l in left), default=cx0)
    # the frame's right end: the x axis line's end (curves clipped by the axes may run past it)
    axis_line = min(below, key=lambda l: l["top"], default=None)
    right = [l for l in vlines if l["x0"] >= (axis_line["x1"] if axis_line else cx1) - 1.0]
    ax_x1 = min((l["x0"] for l in right), default=axis_line["x1"] if axis_line else cx1)
    tops = [l["top"] for l in left]
    ax_top = min(tops) if tops else ctop
    nums = _numbers(words)
    # x tick labels: numbers just under the x axis, inside the plot's width
    xl = [(w, v) for w, v in nums if x_axis_y - 1 <= w["top"] <= x_axis_y + 22
          and y_axis_x - 15 <= (w["x0"] + w["x1"]) / 2 <= ax_x1 + 15]
    if xl:
        row_top = min(w["top"] for w, _ in xl)
        xl = [(w, v) for w, v in xl if abs(w["top"] - row_top) < 3]
    yl = [(w, v) for w, v in nums if y_axis_x - 40 <= w["x1"] <= y_axis_x + 1
          and ax_top - 8 <= (w["top"] + w["bottom"]) / 2 <= x_axis_y + 8]
    # tick marks: short lines next to their labels (wherever the axis line is, or if it is hidden)
    short_v = [l for l in page.lines if abs(l["x0"] - l["x1"]) < 0.5 and 1 < l["bottom"] - l["top"] < 10]
    short_h = [l for l in page.lines if abs(l["top"] - l["bottom"]) < 0.5 and 1 < l["x1"] - l["x0"] < 10]

    def x_tick(w):
        c = (w["x0"] + w["x1"]) / 2
        near = [l for l in short_v if abs(l["x0"] - c) < 4 and -2 <= w["top"] - l["bottom"] <= 14]
        return min(near, key=lambda l: abs(l["x0"] - c))["x0"] if near else c

    def y_tick(w):
        c = (w["top"] + w["bottom"]) / 2
        near = [l for l in short_h if abs(l["top"] - c) < 4 and -2 <= l["x0"] - w["x1"] <= 14]
        return min(near, key=lambda l: abs(l["top"] - c))["top"] if near else c

    xfit = _fit([x_tick(w) for w, _ in xl], [v for _, v in xl])
    yfit = _fit([y_tick(w) for w, _ in yl], [v for _, v in yl])
    if xfit is None or yfit is None:
        return None
    ymax = max(v for _, v in yl)
    percent = ymax > 1.5
    yscale = 100.0 if percent else 1.0
    warnings: list[str] = []
    # legend: a short horizontal sample in the curve's colour/dash, its label to the right
    legend = {}
    legend_x1: list[float] = []
    step_ids = {id(o) for o in steps}
    samples = [o for o in list(page.curves) + list(page.lines)
               if id(o) not in step_ids and o["x1"] - o["x0"] < 60 and o["bottom"] - o["top"] < 1.0
               and ax_top - 40 <= o["top"] <= x_axis_y and y_axis_x - 5 <= o["x0"] <= ax_x1 + 150]
    for s in samples:
        lab = [w for w in words if abs((w["top"] + w["bottom"]) / 2 - s["top"]) < 4 and 0 <= w["x0"] - s["x1"] < 60]
        if lab:
            lab.sort(key=lambda w: w["x0"])
            text = [lab[0]]
            for w in lab[1:]:
                if w["x0"] - text[-1]["x1"] < 6:
                    text.append(w)
            legend.setdefault(_key(s), (s["top"], " ".join(w["text"] for w in text)))
            legend_x1.append(text[-1]["x1"])
    arms = []
    keys = [_key(c) for c in steps]
    if len(legend) >= 2 and sum(k in legend for k in keys) >= 2:
        # with a legend, steps of other styles are confidence bands or guides, not arms
        dropped = sum(k not in legend for k in keys)
        if dropped:
            warnings.append(f"{dropped} step path(s) not in the legend ignored (confidence bands?)")
        steps = [c for c, k in zip(steps, keys) if k in legend]
    by_key: dict = {}
    for c in steps:
        by_key.setdefault(_key(c), []).append(c)
    chosen = []
    for k, group in by_key.items():
        if len(group) == 1 or k not in legend:
            chosen.extend(group)
            continue
        # one style, several paths: the estimate is drawn widest, or lies between its two bands
        widths = sorted({round(float(c.get("linewidth") or 0), 2) for c in group})
        if len(widths) > 1:
            pick = max(group, key=lambda c: float(c.get("linewidth") or 0))
        else:
            group = sorted(group, key=lambda c: float(np.mean([p[1] for p in c["pts"]])))
            pick = group[len(group) // 2]
        warnings.append(f"{len(group) - 1} extra step path(s) in the style of {legend[k][1]!r} ignored")
        chosen.append(pick)
    steps = sorted(chosen, key=lambda c: c["x0"])
    for i, c in enumerate(steps):
        k = _key(c)
        name = legend.get(k, (None, None))[1]
        pts = np.asarray([(float(x), float(y)) for x, y in c["pts"]])
        # a path may run past the plot frame, hidden by clipping: keep what is inside it
        pts = pts[pts[:, 0] <= ax_x1 + 0.5]
        if len(pts) < 2:
            continue
        t = xfit[0] * pts[:, 0] + xfit[1]
        s = (yfit[0] * pts[:, 1] + yfit[1]) / yscale
        keep = [0] + [j for j in range(1, len(t)) if (abs(t[j] - t[j - 1]) > 1e-9 or abs(s[j] - s[j - 1]) > 1e-9)]
        curve = [[round(float(t[j]), 4), round(float(min(max(s[j], 0.0), 1.0)), 5)] for j in keep]
        arms.append({"arm": name or f"arm {i + 1}", "curve": curve, "at_risk": [],
                     "_order": legend.get(k, (1e9 + i, None))[0], "_key": k})
    arms.sort(key=lambda a: a["_order"])
    # the comparator first: hr_from_figure takes the first arm as the reference group
    ctrl = [i for i, a in enumerate(arms) if _CONTROL_NAME_RE.search(a["arm"])]
    if len(ctrl) == 1 and ctrl[0] != 0:
        arms.insert(0, arms.pop(ctrl[0]))
    bottom, risk_x0, risk_x1 = _read_at_risk(words, arms, xfit, x_axis_y, y_axis_x, ax_x1, xl)
    x_label = _x_label(words, xl, x_axis_y, y_axis_x, ax_x1)
    for a in arms:
        a.pop("_order", None)
        a.pop("_key", None)
        if not a["at_risk"]:
            warnings.append(f"{a['arm']}: no numbers at risk found under the plot")
    x0 = min([y_axis_x, risk_x0] + [w["x0"] for w, _ in yl])
    # the y-axis title (printed sideways) and a title line just above the frame belong to the figure
    side = [c for c in page.chars if not c.get("upright", True) and y_axis_x - 60 <= c["x0"] < x0
            and ax_top - 5 <= c["top"] and c["bottom"] <= x_axis_y + 5]
    if side:
        x0 = min(x0, min(c["x0"] for c in side))
    legend_x1 = max([ax_x1, min(cx1, ax_x1 + 2)] + legend_x1)
    top = min([ax_top] + [w["top"] for w, _ in yl])
    x1 = max([legend_x1, risk_x1] + [w["x1"] for w, _ in xl])
    bbox = (x0 - 2, top - 2, x1 + 2, bottom + 2)
    return KMFigure(page=page_no, bbox=bbox, arms=arms, percent=percent, x_label=x_label, warnings=warnings)


def _x_label(words, xl, x_axis_y, ax_x0, ax_x1) -> Optional[str]:
    if not xl:
        return None
    lab_bottom = max(w["bottom"] for w, _ in xl)
    cand = [w for w in words if lab_bottom < w["top"] < lab_bottom + 16 and ax_x0 <= w["x0"] <= ax_x1
            and not _NUM_RE.match(w["text"])]
    return " ".join(w["text"] for w in sorted(cand, key=lambda w: w["x0"])) or None


def _read_at_risk(words, arms, xfit, x_axis_y, ax_x0, ax_x1, xl) -> float:
    """Fill each arm's ``at_risk`` from the table under the plot; return the table's bottom."""
    start = max((w["bottom"] for w, _ in xl), default=x_axis_y) + 1
    cand = []
    for w in words:
        if not (start <= w["top"] <= start + 160 and ax_x0 - 150 <= w["x0"] <= ax_x1 + 15):
            continue
        m = re.fullmatch(r"(.*\D)(\d+)", w["text"])
        if m and w["x0"] < ax_x0 - 1 < w["x1"]:
            # an arm label run into the first count ("Obs315"): split it where the digits start
            frac = len(m.group(1)) / len(w["text"])
            cut = w["x0"] + frac * (w["x1"] - w["x0"])
            cand.append({**w, "text": m.group(1), "x1": cut})
            cand.append({**w, "text": m.group(2), "x0": cut})
        else:
            cand.append(w)
    rows: list[list] = []
    for w in sorted(cand, key=lambda w: w["top"]):
        for r in rows:
            if abs(r[0]["top"] - w["top"]) < 2.5:
                r.append(w)
                break
        else:
            rows.append([w])
    bottom = start
    risk_x0 = ax_x0
    risk_x1 = ax_x1
    data_rows = []
    for r in rows:
        nums = [(w, int(w["text"].replace(",", ""))) for w in r if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", w["text"])
                and ax_x0 - 15 <= (w["x0"] + w["x1"]) / 2 <= ax_x1 + 15]
        # the row's label: words left of the plot, not the counts of a neighbouring panel
        label_words = [w for w in sorted(r, key=lambda w: w["x0"]) if w["x1"] <= ax_x0 - 1
                       and not re.fullmatch(r"\d+", w["text"])]
        label = " ".join(w["text"] for w in label_words)
        if len(nums) >= 2:
            data_rows.append((label, nums))
            bottom = max(bottom, max(w["bottom"] for w in r))
            risk_x0 = min([risk_x0] + [w["x0"] for w in label_words])
            risk_x1 = max([risk_x1] + [w["x1"] for w, _ in nums])
        elif data_rows:
            break
        elif label_words:
            risk_x0 = min([risk_x0] + [w["x0"] for w in label_words])  # "Number at risk"
    used = set()
    names = [a["arm"].lower() for a in arms]
    for label, nums in data_rows:
        lab = label.lower().strip()
        idx = next((i for i, n in enumerate(names) if lab and (lab == n) and i not in used), None)
        if idx is None:
            idx = next((i for i, n in enumerate(names) if lab and (lab in n or n in lab) and i not in used), None)
        if idx is None:
            idx = next((i for i in range(len(arms)) if i not in used), None)
        if idx is None:
            break
        used.add(idx)
        arms[idx]["at_risk"] = [[round(xfit[0] * (w["x0"] + w["x1"]) / 2 + xfit[1], 4), n] for w, n in nums]
    # times printed at tick positions: snap to the tick values when within half a unit of spacing
    ticks = sorted(v for _, v in xl)
    if len(ticks) >= 2:
        step = min(b - a for a, b in zip(ticks, ticks[1:]))
        for a in arms:
            for pair in a["at_risk"]:
                near = min(ticks, key=lambda v: abs(v - pair[0]))
                if abs(near - pair[0]) < 0.1 * step:
                    pair[0] = near
    return bottom, risk_x0, risk_x1
