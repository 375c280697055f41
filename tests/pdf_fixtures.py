"""Test PDFs built at test time, each with its exact ground truth.

* ``make_km_pdf``: a Kaplan-Meier figure (matplotlib's PDF backend) drawn from the IPD in
  ``shared/ipd``: one step curve per arm (colour + dash), optional censoring ticks, optional
  percent axis, a legend and a numbers-at-risk table under the plot. The truth is the KM step
  function computed by statsmodels (``SurvfuncRight``) and the numbers at risk from the IPD.
* ``make_article_pdf``: a two-column article (reportlab) with running header and page numbers,
  an abstract, hyphenated line ends, superscript reference markers, a ruled results table,
  a booktabs table split across two pages, a rotated landscape table, and a reference list of
  decoy numbers.
* ``make_bad_pdfs``: encrypted, truncated, zero-page, image-only and not-a-PDF files.

Everything is deterministic (fixed data, no random numbers, fixed creation dates).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


# --------------------------------------------------------------------------- KM truth
def km_truth(time, event):
    """Return (times, survival) of the KM step function (statsmodels), starting at (0, 1)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    sf = SurvfuncRight(np.asarray(time, float), np.asarray(event, int))
    return np.r_[0.0, sf.surv_times], np.r_[1.0, sf.surv_prob]


def at_risk_counts(time, ticks):
    """Number of patients with time >= t, for each t of ``ticks``."""
    time = np.asarray(time, float)
    return [int((time >= t).sum()) for t in ticks]


_COLOURS = ["#1f77b4", "#d62728", "#2ca02c"]


def _pointwise(sf):
    """Pointwise 95% limits of a KM estimate (Greenwood SE, plain scale, clipped to [0, 1])."""
    lo = np.clip(sf.surv_prob - 1.96 * sf.surv_prob_se, 0, 1)
    hi = np.clip(sf.surv_prob + 1.96 * sf.surv_prob_se, 0, 1)
    return lo, hi
_DASHES = ["-", "--", "-."]


def _draw_km(ax, ipd, arms, *, x_max, x_step, percent=False, censor_ticks=False, title=None, bands=False,
             run_past_axis=False) -> dict:
    """Draw one KM panel with legend and numbers at risk on ``ax``; return its truth."""
    ticks = np.arange(0, x_max + 1e-9, x_step)
    truth = {"arms": {}, "ticks": ticks.tolist(), "percent": percent}
    scale = 100.0 if percent else 1.0
    for i, arm in enumerate(arms):
        d = ipd[ipd["arm"] == arm]
        t, s = km_truth(d["time"], d["event"])
        keep = t <= x_max
        t, s = t[keep], s[keep]
        # the curve runs on to x_max (or the last follow-up) at its last level
        end = min(x_max, float(d["time"].max()))
        tt, ss = np.r_[t, end], np.r_[s, s[-1]]
        if run_past_axis:
            t_all, s_all = km_truth(d["time"], d["event"])
            tt, ss = np.r_[t_all, float(d["time"].max())], np.r_[s_all, s_all[-1]]
        ax.step(tt, ss * scale, where="post", color=_COLOURS[i], linestyle=_DASHES[i], linewidth=1.2, label=arm)
        if bands:
            from statsmodels.duration.survfunc import SurvfuncRight

            sf = SurvfuncRight(d["time"].to_numpy(float), d["event"].to_numpy(int))
            lo, hi = _pointwise(sf)
            bt = np.r_[0.0, sf.surv_times]
            for band in (lo, hi):
                ax.step(bt, np.r_[1.0, band] * scale, where="post", color=_COLOURS[i], linestyle=":",
                        linewidth=0.6)
        if censor_ticks:
            ct = np.sort(d.loc[(d["event"] == 0) & (d["time"] <= x_max), "time"].to_numpy(float))
            idx = np.searchsorted(t, ct, side="right") - 1
            ax.plot(ct, s[idx] * scale, linestyle="none", marker="|", markersize=5, color=_COLOURS[i])
        truth["arms"][arm] = {"t": t.tolist(), "s": s.tolist(), "end": end,
                              "at_risk": list(zip(ticks.tolist(), at_risk_counts(d["time"], ticks)))}
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 1.0 * scale)
    ax.set_xticks(ticks)
    ax.set_yticks(np.linspace(0, scale, 6))
    ax.set_xlabel("Time")
    ax.set_ylabel("Survival (%)" if percent else "Survival probability")
    ax.legend(loc="upper right", frameon=False)
    if title:
        ax.set_title(title)
    tr = ax.get_xaxis_transform()
    ax.text(-0.02, -0.2, "Number at risk", transform=ax.transAxes, ha="right", fontsize=8)
    for i, arm in enumerate(arms):
        y = -0.26 - 0.06 * i
        ax.text(-0.02, y, arm, transform=ax.transAxes, ha="right", va="center", fontsize=8)
        for t0, n in truth["arms"][arm]["at_risk"]:
            ax.text(t0, y, str(n), transform=tr, ha="center", va="center", fontsize=8, clip_on=False)
    return truth


def make_km_pdf(path: Path, ipd: pd.DataFrame, arms: list[str], *, x_max: float, x_step: float,
                percent: bool = False, censor_ticks: bool = False, title: str | None = None,
                bands: bool = False, run_past_axis: bool = False, grid_style: bool = False) -> dict:
    """Draw a KM figure of ``arms`` from ``ipd`` (time, event, arm) into ``path``; return its truth.

    ``bands``: dotted pointwise 95% bands (Greenwood, from statsmodels) in each arm's colour;
    ``run_past_axis``: curves drawn to the last follow-up time and clipped by the axes at ``x_max``;
    ``grid_style``: no axis lines, white grid on grey, limits padded beyond the data (ggplot's look).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.use14corefonts": True, "path.simplify": False}):
        fig, ax = plt.subplots(figsize=(6.2, 5.0))
        truth = _draw_km(ax, ipd, arms, x_max=x_max, x_step=x_step, percent=percent, censor_ticks=censor_ticks,
                         title=title, bands=bands, run_past_axis=run_past_axis)
        if grid_style:
            ax.set_facecolor("#ebebeb")
            for spine in ax.spines.values():
                spine.set_visible(False)
            ax.grid(True, color="white", linewidth=1.0)
            scale = 100.0 if percent else 1.0
            ax.set_xlim(-0.05 * x_max, 1.05 * x_max)
            ax.set_ylim(-0.05 * scale, 1.05 * scale)
        fig.subplots_adjust(left=0.15, bottom=0.32, right=0.95, top=0.93)
        fig.savefig(path, format="pdf", metadata={"CreationDate": None, "ModDate": None})
        plt.close(fig)
    return truth


def make_km_panels_pdf(path: Path, panels: list[dict]) -> list[dict]:
    """Several KM panels side by side on one page (each dict: ipd, arms, x_max, x_step); return truths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.use14corefonts": True, "path.simplify": False}):
        fig, axes = plt.subplots(1, len(panels), figsize=(6.0 * len(panels), 5.0))
        truths = [_draw_km(ax, p["ipd"], p["arms"], x_max=p["x_max"], x_step=p["x_step"]) for ax, p in zip(axes, panels)]
        fig.subplots_adjust(left=0.1, bottom=0.32, right=0.97, top=0.93, wspace=0.45)
        fig.savefig(path, format="pdf", metadata={"CreationDate": None, "ModDate": None})
        plt.close(fig)
    return truths


# --------------------------------------------------------------------------- article
ARTICLE_TITLE = "Everolimus with exemestane in advanced breast cancer: a randomised trial"
RUNNING_HEADER = "J Fixture Oncol 2026;1:1-9"
ARTICLE_DOI = "10.9999/jfo.2026.0042"
ABSTRACT = ("In this randomised phase 3 trial, 724 patients were assigned 2:1 to everolimus plus exemestane "
            "or placebo plus exemestane. Median progression-free survival was 7.8 months versus 3.2 months "
            "(hazard ratio 0.45; 95% CI 0.38 to 0.54; P<0.001). Median overall survival was 31.0 months "
            "versus 26.6 months (hazard ratio 0.89; 95% CI 0.73 to 1.10).")
BODY_PARAGRAPHS = [
    ("Introduction", "Endocrine resistance is a common problem in hormone-receptor-positive disease and "
     "mammalian target of rapamycin inhibition restores sensitivity to endocrine therapy in preclinical "
     "models.{sup1} Combination approaches have therefore been investigated extensively in postmenopausal "
     "women whose disease progressed on nonsteroidal aromatase inhibitors."),
    ("Methods", "Eligible patients had measurable disease or bone-only lesions and adequate organ function. "
     "Randomisation was stratified by sensitivity to previous hormonal therapy and by visceral metastasis. "
     "The primary endpoint was progression-free survival assessed by the investigators.{sup2}"),
    ("Results", "At the final analysis the hazard ratio for progression was 0.45{sup3} and the effect was "
     "consistent across prespecified subgroups including patients with visceral involvement and those "
     "previously treated with chemotherapy. Stomatitis, rash and fatigue were the most frequent adverse "
     "events of any grade in the everolimus group."),
    ("Discussion", "The addition of everolimus to exemestane more than doubled progression-free survival "
     "in this population, an improvement that was consistent across assessments by local investigators "
     "and by independent central radiology review committees."),
]
REFERENCES = [
    "1. Smith J. Hazard ratio 0.62 (95% CI 0.50-0.77) in a cohort of 1,204 patients. Lancet. 2019;20:345-356.",
    "2. Lee K. Median survival of 14.2 months in phase 2. Ann Oncol. 2018;29:603.",
    "3. Chen Y. Odds ratio 2.1 (95% CI 1.3-3.4). BMJ. 2017;356:j1023.",
]
HYPHENATED_SOURCE = ("The benefit was observed regardless of age and was main-<br/>tained in patients with "
                     "bone-<br/>only disease and in those with visceral metastases, whose progres-<br/>sion was "
                     "delayed; grade three stomatitis occurred in eight per cent of patients.")
HYPHENATED_TEXT = ("The benefit was observed regardless of age and was maintained in patients with bone-only "
                   "disease and in those with visceral metastases, whose progression was delayed; grade three "
                   "stomatitis occurred in eight per cent of patients.")
PLAIN_TABLE = {
    "caption": "Table 4. Median duration of response",
    "header": ["Group", "Patients", "Median DOR (months)"],
    "rows": [["Everolimus", "58", "13.7"], ["Placebo", "12", "9.4"], ["Overall", "70", "12.8"]],
}
RULED_TABLE = {
    "caption": "Table 1. Efficacy outcomes",
    "header": ["Endpoint", "Everolimus (n=485)", "Placebo (n=239)", "Hazard ratio (95% CI)", "P value"],
    "rows": [
        ["Progression-free survival, median (months)", "7.8", "3.2", "0.45 (0.38-0.54)", "<0.001"],
        ["Overall survival, median (months)", "31.0", "26.6", "0.89 (0.73-1.10)", "0.14"],
        ["Time to progression, median (months)", "NR", "4.1", "0.52 (0.41-0.66)", "<0.001"],
    ],
}
SPLIT_HEADER = ["Subgroup", "Patients", "HR", "95% CI"]
SPLIT_ROWS = [[f"Subgroup {chr(65 + i)}", str(40 + 7 * i), f"0.{40 + i}", f"0.{25 + i}-0.{70 + i}"] for i in range(26)]
ROTATED = {
    "caption": "Table 3. Overall survival by region",
    "header": ["Region", "Median OS, months", "HR (95% CI)"],
    "rows": [["Europe", "30.2", "0.81 (0.62-1.05)"], ["Asia", "28.9", "0.92 (0.70-1.21)"],
             ["Americas", "33.5", "0.77 (0.58-1.02)"]],
}


def make_article_pdf(path: Path) -> dict:
    """Build the two-column fixture article into ``path``; return its ground truth."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                    Paragraph, Spacer, Table, TableStyle, FrameBreak)
    from reportlab.platypus.flowables import Flowable

    W, H = A4
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=9.5, leading=11.5, alignment=4,
                          hyphenationLang=None)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=3)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=19, spaceAfter=8)
    abst = ParagraphStyle("abst", fontName="Helvetica", fontSize=9, leading=11)

    def header_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(42, H - 28, RUNNING_HEADER)
        canvas.drawRightString(W - 42, H - 28, "ORIGINAL ARTICLE")
        canvas.drawCentredString(W / 2, 28, str(doc.page))
        if doc.page == 1:
            canvas.drawString(42, 40, f"doi:{ARTICLE_DOI}")
        canvas.restoreState()

    margin = 42
    colw = (W - 2 * margin - 18) / 2
    first = PageTemplate("first", frames=[
        Frame(margin, H - 260, W - 2 * margin, 210, id="top"),
        Frame(margin, 50, colw, H - 320, id="c1"), Frame(margin + colw + 18, 50, colw, H - 320, id="c2")],
        onPage=header_footer)
    two = PageTemplate("two", frames=[Frame(margin, 50, colw, H - 100, id="l"),
                                      Frame(margin + colw + 18, 50, colw, H - 100, id="r")], onPage=header_footer)
    full = PageTemplate("full", frames=[Frame(margin, 50, W - 2 * margin, H - 100, id="f")], onPage=header_footer)

    class Rotated(Flowable):
        def __init__(self, tbl):
            super().__init__()
            self.tbl = tbl

        def wrap(self, aw, ah):
            w, h = self.tbl.wrap(ah, aw)
            self._wh = (w, h)
            return h, w

        def draw(self):
            w, h = self._wh
            self.canv.saveState()
            self.canv.rotate(90)
            self.canv.translate(0, -h)
            self.tbl.drawOn(self.canv, 0, 0)
            self.canv.restoreState()

    def sup(n):
        return f'<super><font size="6">{n}</font></super>'

    story = [Paragraph(ARTICLE_TITLE, title), Paragraph("Abstract", head), Paragraph(ABSTRACT, abst), FrameBreak()]
    for name, text in BODY_PARAGRAPHS:
        story.append(Paragraph(name, head))
        txt = text.format(sup1=sup(1), sup2=sup(2), sup3=sup("14"))
        story.append(Paragraph(txt, body))
    # a long paragraph that is hyphenated by hand at known places
    story.append(Paragraph("Further results", head))
    # line ends broken by hand: two words hyphenated for the line, one compound at its own hyphen
    story.append(Paragraph(HYPHENATED_SOURCE, ParagraphStyle("ragged", parent=body, alignment=0)))
    story += [NextPageTemplate("full"), PageBreak()]
    ts = TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black), ("GRID", (0, 0), (-1, -1), 0.3, colors.black),
                     ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5)])
    story.append(Paragraph(RULED_TABLE["caption"], head))
    story.append(Table([RULED_TABLE["header"]] + RULED_TABLE["rows"], style=ts, colWidths=[150, 80, 80, 90, 50]))
    story.append(Spacer(1, 200))
    # a table drawn without any ruling line: found from its caption and column alignment
    story.append(Paragraph(PLAIN_TABLE["caption"], head))
    story.append(Table([PLAIN_TABLE["header"]] + PLAIN_TABLE["rows"], colWidths=[150, 110, 150],
                       style=TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 7.5)])))
    story.append(Spacer(1, 30))
    story.append(Paragraph("Table 2. Hazard ratios by subgroup", head))
    bt = TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black), ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5)])
    story.append(Table([SPLIT_HEADER] + SPLIT_ROWS, style=bt, repeatRows=1, colWidths=[120, 70, 70, 90]))
    story += [PageBreak()]
    rt = Table([ROTATED["header"]] + ROTATED["rows"], style=bt, colWidths=[120, 110, 120])
    story.append(Paragraph(ROTATED["caption"], head))
    story.append(Rotated(rt))
    story += [NextPageTemplate("two"), PageBreak(), Paragraph("References", head)]
    for r in REFERENCES:
        story.append(Paragraph(r, body))
    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[first, full, two], invariant=1)
    doc.build(story)
    return {"title": ARTICLE_TITLE, "doi": ARTICLE_DOI, "hyphenated": HYPHENATED_TEXT, "plain": PLAIN_TABLE, "abstract": ABSTRACT, "paragraphs": BODY_PARAGRAPHS, "references": REFERENCES,
            "ruled": RULED_TABLE, "split": {"header": SPLIT_HEADER, "rows": SPLIT_ROWS}, "rotated": ROTATED}


# --------------------------------------------------------------------------- bad files
def make_bad_pdfs(folder: Path, good: Path) -> dict[str, Path]:
    """Write broken PDFs into ``folder``; return {kind: path}."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = {}
    p = folder / "encrypted.pdf"
    c = canvas.Canvas(str(p), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0), invariant=1)
    c.drawString(72, 720, "Hazard ratio 0.50 (95% CI 0.40-0.60).")
    c.save()
    out["encrypted"] = p
    p = folder / "truncated.pdf"
    data = good.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    out["truncated"] = p
    p = folder / "zero_pages.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                  b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                  b"trailer<</Root 1 0 R>>\n%%EOF\n")
    out["zero_pages"] = p
    p = folder / "image_only.pdf"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 4))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.imshow(np.arange(64 * 64, dtype=float).reshape(64, 64) % 17)
    ax.axis("off")
    fig.savefig(p, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    plt.close(fig)
    out["image_only"] = p
    p = folder / "not_a_pdf.pdf"
    p.write_text("this is plain text, not a PDF\n")
    out["not_pdf"] = p
    return out


# --------------------------------------------------------------------------- KM figure inside an article page
KM_PAGE_TEXT_ABOVE = ("Overall survival did not differ between the groups at the final analysis, as shown in "
                      "the Kaplan-Meier estimates below.")
KM_PAGE_TEXT_BELOW = "Figure 1. Overall survival by treatment group, with the numbers of patients at risk."


def make_km_segments_pdf(path: Path, ipd: pd.DataFrame, arms: list[str], *, x_max: float, x_step: float) -> dict:
    """A text page with a KM figure drawn by reportlab one line segment at a time; return its truth."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    W, H = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 10)
    cut = KM_PAGE_TEXT_ABOVE.rfind(" ", 0, 95)
    c.drawString(72, H - 80, KM_PAGE_TEXT_ABOVE[:cut])
    c.drawString(72, H - 92, KM_PAGE_TEXT_ABOVE[cut + 1:])
    # plot frame in page coordinates (reportlab's y runs upwards)
    X0, X1, Y0, Y1 = 140.0, 480.0, H - 400.0, H - 130.0
    fx = lambda t: X0 + (X1 - X0) * t / x_max
    fy = lambda s: Y0 + (Y1 - Y0) * s
    c.setLineWidth(0.8)
    c.line(X0, Y0, X1, Y0)
    c.line(X0, Y0, X0, Y1)
    c.setFont("Helvetica", 8)
    ticks = np.arange(0, x_max + 1e-9, x_step)
    for t in ticks:
        c.line(fx(t), Y0, fx(t), Y0 - 4)
        c.drawCentredString(fx(t), Y0 - 13, f"{t:g}")
    for s in np.linspace(0, 1, 6):
        c.line(X0 - 4, fy(s), X0, fy(s))
        c.drawRightString(X0 - 6, fy(s) - 3, f"{s:.1f}")
    c.drawCentredString((X0 + X1) / 2, Y0 - 26, "Months")
    truth = {"arms": {}, "ticks": ticks.tolist()}
    colours = [(0.0, 0.3, 0.7), (0.8, 0.1, 0.1)]
    for i, arm in enumerate(arms):
        d = ipd[ipd["arm"] == arm]
        t, s = km_truth(d["time"], d["event"])
        keep = t <= x_max
        t, s = t[keep], s[keep]
        end = min(x_max, float(d["time"].max()))
        c.setStrokeColorRGB(*colours[i])
        c.setLineWidth(1.0)
        c.setDash(*(([], 0) if i == 0 else ([4, 2], 0)))
        tt = np.r_[t, end]
        for k in range(len(t)):
            c.line(fx(tt[k]), fy(s[k]), fx(tt[k + 1]), fy(s[k]))          # flat part
            if k + 1 < len(t):
                c.line(fx(tt[k + 1]), fy(s[k]), fx(tt[k + 1]), fy(s[k + 1]))  # the drop
        # legend sample and label
        ly = Y1 - 12 - 14 * i
        c.line(X1 - 110, ly, X1 - 85, ly)
        c.setDash([], 0)
        c.setStrokeColorRGB(0, 0, 0)
        c.drawString(X1 - 80, ly - 3, arm)
        truth["arms"][arm] = {"t": t.tolist(), "s": s.tolist(), "end": end,
                              "at_risk": list(zip(ticks.tolist(), at_risk_counts(d["time"], ticks)))}
    c.setFont("Helvetica", 8)
    c.drawRightString(X0 - 10, Y0 - 45, "No. at risk")
    for i, arm in enumerate(arms):
        y = Y0 - 58 - 12 * i
        c.drawRightString(X0 - 10, y, arm)
        for t0, n in truth["arms"][arm]["at_risk"]:
            c.drawCentredString(fx(t0), y, str(n))
    c.setFont("Times-Roman", 10)
    c.drawString(72, Y0 - 100, KM_PAGE_TEXT_BELOW)
    c.showPage()
    c.save()
    return truth


# --------------------------------------------------------------------------- columns around a full-width table
COLUMN_PARAGRAPHS = [
    "Alpha paragraph opens the left column above the table and talks about enrolment at thirty sites "
    "across four countries during two years of recruitment.",
    "Bravo paragraph opens the right column above the table and describes the stratification factors "
    "used at randomisation and the masking of assessors.",
    "Charlie paragraph sits in the left column below the table and reports the adverse events that "
    "led to discontinuation of the study drug.",
    "Delta paragraph sits in the right column below the table and closes the section with the "
    "sensitivity analyses of the primary endpoint.",
]


def make_columns_around_table_pdf(path: Path) -> list[str]:
    """Two columns, a full-width table, two columns again; return the paragraphs in reading order."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Table, TableStyle

    W, H = A4
    m, gap = 50, 20
    colw = (W - 2 * m - gap) / 2
    frames = [Frame(m, H - 250, colw, 200, id="a"), Frame(m + colw + gap, H - 250, colw, 200, id="b"),
              Frame(m, H - 400, W - 2 * m, 140, id="t"),
              Frame(m, H - 620, colw, 210, id="c"), Frame(m + colw + gap, H - 620, colw, 210, id="d")]
    body = ParagraphStyle("b", fontName="Times-Roman", fontSize=10, leading=12)
    ts = TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black), ("FONT", (0, 0), (-1, -1), "Helvetica", 8)])
    table = Table([["Outcome", "Drug", "Placebo", "Hazard ratio (95% CI)"],
                   ["Overall survival, median (months)", "20.1", "16.3", "0.78 (0.64-0.95)"]],
                  style=ts, colWidths=[170, 80, 80, 140])
    story = [Paragraph(COLUMN_PARAGRAPHS[0], body), FrameBreak(), Paragraph(COLUMN_PARAGRAPHS[1], body), FrameBreak(),
             table, FrameBreak(), Paragraph(COLUMN_PARAGRAPHS[2], body), FrameBreak(),
             Paragraph(COLUMN_PARAGRAPHS[3], body)]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("p", frames=frames)], invariant=1).build(story)
    return COLUMN_PARAGRAPHS


# --------------------------------------------------------------------------- a text-copy table typeset as a PDF table
def table_rows_from_text(text: str) -> list[list[str]]:
    """Rows of a table text copy: cells split at '|' where the copy has them, else one cell per line."""
    lines = [l for l in text.splitlines() if l.strip()]
    if any("|" in l for l in lines):
        lines = [l for l in lines if "|" in l]
        rows = []
        for l in lines:
            cells = [c.strip() for c in l.strip().strip("|").split("|")]
            rows.append(cells)
        return rows
    return [[l.strip()] for l in lines]


def make_table_pdf(path: Path, text: str, caption: str = "Table 1. Summary of outcomes") -> list[list[str]]:
    """Typeset a table text copy (booktabs rules, wrapped cells) on an article page; return its rows."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    rows = table_rows_from_text(text)
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    cell = ParagraphStyle("c", fontName="Helvetica", fontSize=6.5, leading=7.5)
    head = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=10, leading=12, spaceAfter=4)
    W, H = A4
    width = W - 100
    data = [[Paragraph(escape(c), cell) for c in r] for r in rows]
    ts = TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story = [Paragraph(caption, head), Table(data, colWidths=[width / ncols] * ncols, style=ts, repeatRows=1)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=50, rightMargin=50, invariant=1).build(story)
    return rows
