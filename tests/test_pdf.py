"""PDF ingestion: reading order, sections, tables, KM figures, bad files, gold article PDFs."""
from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from metabolero.errors import IngestError
from metabolero.extract.tables import records_from_table
from metabolero.ingest.pdf import PdfSettings, read_pdf, read_pdf_full

from pdf_fixtures import (KM_PAGE_TEXT_ABOVE, KM_PAGE_TEXT_BELOW, make_article_pdf, make_bad_pdfs,
                          make_columns_around_table_pdf, make_km_panels_pdf, make_km_pdf,
                          make_km_segments_pdf)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="session")
def article(pdf_dir):
    path = pdf_dir / "article.pdf"
    truth = make_article_pdf(path)
    return path, truth, read_pdf_full(path)


@pytest.fixture(scope="session")
def km_two(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "veteran.csv")
    path = pdf_dir / "km_veteran.pdf"
    truth = make_km_pdf(path, ipd, ["standard", "test"], x_max=600, x_step=100, censor_ticks=True)
    return truth, read_pdf_full(path)


@pytest.fixture(scope="session")
def km_three(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "colon_death.csv")
    path = pdf_dir / "km_colon.pdf"
    truth = make_km_pdf(path, ipd, ["Obs", "Lev", "Lev+5FU"], x_max=3000, x_step=500, percent=True)
    return truth, read_pdf_full(path)


# --------------------------------------------------------------------------- text
def test_reading_order_and_sections(article):
    _, truth, content = article
    doc = content.document
    assert doc.format == "pdf"
    assert doc.title == truth["title"] and doc.doi == truth["doi"]
    text = _norm(doc.text)
    # every paragraph comes out whole (columns not interleaved, hyphenation joined)
    assert _norm(truth["abstract"]) in text
    for name, para in truth["paragraphs"]:
        plain = _norm(re.sub(r"\{sup\d\}", "", para))
        assert plain in text, name
    names = [s.name for s in doc.sections]
    order = [n for n in names if n in ("ABSTRACT", "INTRODUCTION", "METHODS", "RESULTS", "DISCUSSION", "REFERENCES")]
    assert order[:6] == ["ABSTRACT", "INTRODUCTION", "METHODS", "RESULTS", "DISCUSSION", "RESULTS"]
    assert "REFERENCES" in order
    assert doc.section("abstract").strip().endswith(truth["abstract"][-20:])
    refs = doc.section("REFERENCES")
    assert "Hazard ratio 0.62" in refs and "Hazard ratio 0.62" not in doc.section("RESULTS")


def test_columns_above_and_below_a_full_width_table(pdf_dir):
    path = pdf_dir / "columns_table.pdf"
    paragraphs = make_columns_around_table_pdf(path)
    content = read_pdf_full(path)
    text = _norm(content.document.text)
    positions = [text.find(_norm(p)) for p in paragraphs]
    assert -1 not in positions and positions == sorted(positions)
    assert len(content.tables) == 1 and content.tables[0].cells[0][3] == "0.78 (0.64-0.95)"
    assert "0.78" not in text[: text.find(_norm(paragraphs[3])) + len(paragraphs[3])]


def test_reference_list_without_heading_is_still_references(pdf_dir):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("b", fontName="Times-Roman", fontSize=10, leading=12, spaceAfter=6)
    head = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=11, leading=14)
    result = ("Overall survival was longer with the combination (hazard ratio 0.70; 95% CI 0.60 to 0.80), and the "
              "benefit was consistent in every prespecified subgroup of the trial population.")
    refs = ["1. Smith J, Lee K. Hazard ratio 0.62 (95% CI 0.50-0.77) in 1,204 patients. Lancet Oncol. 2019;20(3):345-356.",
            "2. Garcia M, et al. Median survival of 14.2 months. J Clin Oncol. 2021;39:1021-1030."]
    path = pdf_dir / "unheaded_refs.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(
        [Paragraph("Results", head), Paragraph(result, body)] + [Paragraph(r, body) for r in refs])
    doc = read_pdf(path)[0]
    assert _norm(result) in _norm(doc.section("RESULTS"))
    refs_text = doc.section("REFERENCES")
    assert refs_text is not None and "Hazard ratio 0.62" in refs_text and "0.70" not in refs_text


def test_short_columns_and_single_column_lines(pdf_dir):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    left = ["Left column first line of text that", "continues here on the second line", "and ends on the third line."]
    right = ["Right column starts with words", "that go on in the second line", "and finish in the third line."]
    single = ["A single column of running text whose lines are long and", "whose last line is short,",
              "followed by another paragraph line that runs the full width of the page."]
    path = pdf_dir / "short_columns.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 10)
    for i, (a, b) in enumerate(zip(left, right)):
        c.drawString(60, 700 - 12 * i, a)
        c.drawString(320, 700 - 12 * i, b)
    c.showPage()
    c.setFont("Times-Roman", 10)
    for i, line in enumerate(single):
        c.drawString(60, 700 - 12 * i, line)
    c.save()
    text = read_pdf(path)[0].text
    assert _norm(" ".join(left)) + " " + _norm(" ".join(right)) in _norm(text)
    assert _norm(" ".join(single)) in _norm(text)


def test_hyphenation_at_line_ends(article):
    _, truth, content = article
    text = _norm(content.document.text)
    # "main-/tained" and "progres-/sion" joined, "bone-/only" keeps its own hyphen
    assert _norm(truth["hyphenated"]) in text


def test_normalise_text_ligatures_and_minus():
    from metabolero.ingest.pdf import normalise_text

    assert normalise_text("\ufb01rst e\ufb00ect \u22120.5 hazard\u00adratio") == "first effect -0.5 hazardratio"


def test_running_headers_page_numbers_and_superscripts(article):
    _, _, content = article
    text = content.document.text
    assert "J Fixture Oncol" not in text and "ORIGINAL ARTICLE" not in text
    assert not re.search(r"(?m)^\s*\d+\s*$", text)
    # superscript reference markers are dropped, not glued to numbers
    assert "hazard ratio for progression was 0.45 and" in text
    assert "0.4514" not in text and "models.1" not in text


def test_ruled_table_cells_and_records(article):
    _, truth, content = article
    ruled = [t for t in content.tables if t.caption and t.caption.startswith("Table 1")]
    assert len(ruled) == 1
    t = ruled[0]
    assert t.header == truth["ruled"]["header"]
    assert t.cells == truth["ruled"]["rows"]
    assert list(t.frame.columns) == truth["ruled"]["header"]
    ratios, medians = records_from_table(t, content.document.id)
    got = sorted((r.endpoint, r.value, r.ci_low, r.ci_high, r.p) for r in ratios)
    assert got == sorted([("PFS", 0.45, 0.38, 0.54, "<0.001"), ("OS", 0.89, 0.73, 1.10, "=0.14"),
                          ("TTP", 0.52, 0.41, 0.66, "<0.001")])
    meds = Counter((m.endpoint, m.value, m.unit, m.not_reached) for m in medians)
    assert meds == Counter([("PFS", 7.8, "months", False), ("PFS", 3.2, "months", False),
                            ("OS", 31.0, "months", False), ("OS", 26.6, "months", False),
                            ("TTP", None, "months", True), ("TTP", 4.1, "months", False)])
    for r in ratios + medians:
        assert content.document.text[r.span.start:r.span.end] == r.span.quote
        assert r.span.page == 2 and len(r.span.bbox) == 4


def test_table_split_across_pages_is_merged(article):
    _, truth, content = article
    split = [t for t in content.tables if t.caption and t.caption.startswith("Table 2")]
    assert len(split) == 1
    t = split[0]
    assert t.pages == (2, 3)
    assert t.header == truth["split"]["header"]
    assert t.cells == truth["split"]["rows"]
    ratios, _ = records_from_table(t, "a")
    assert len(ratios) == len(truth["split"]["rows"])
    first = ratios[0]
    assert (first.value, first.ci_low, first.ci_high) == (0.40, 0.25, 0.70)
    assert {r.span.page for r in ratios} == {2, 3}


def test_table_without_rules_found_by_alignment(article):
    _, truth, content = article
    plain = [t for t in content.tables if t.caption and t.caption.startswith("Table 4")]
    assert len(plain) == 1
    t = plain[0]
    assert t.header == truth["plain"]["header"] and t.cells == truth["plain"]["rows"]
    _, medians = records_from_table(t, "a")
    assert [(m.endpoint, m.value, m.unit, m.arm) for m in medians] == [
        ("DOR", 13.7, "months", "Everolimus"), ("DOR", 9.4, "months", "Placebo"), ("DOR", 12.8, "months", "Overall")]
    # table text is not repeated in the body text
    body_end = min(s.start for s in content.document.sections if s.name == "TABLE")
    assert "13.7" not in content.document.text[:body_end]


def test_rotated_landscape_table(article):
    _, truth, content = article
    rot = [t for t in content.tables if t.rotated]
    assert len(rot) == 1
    t = rot[0]
    assert t.caption == truth["rotated"]["caption"]
    assert t.header == truth["rotated"]["header"]
    assert t.cells == truth["rotated"]["rows"]
    ratios, medians = records_from_table(t, "a")
    assert sorted((r.value, r.ci_low, r.ci_high) for r in ratios) == [(0.77, 0.58, 1.02), (0.81, 0.62, 1.05),
                                                                       (0.92, 0.7, 1.21)]
    assert sorted(m.value for m in medians) == [28.9, 30.2, 33.5]
    assert all(m.endpoint == "OS" and m.unit == "months" for m in medians)


# --------------------------------------------------------------------------- KM figures
def _step(t, s, grid):
    return np.asarray(s)[np.searchsorted(np.asarray(t), grid, side="right") - 1]


def _check_curves(truth, fig, x_max):
    names = [a["arm"] for a in fig.arms]
    assert sorted(names) == sorted(truth["arms"])
    for a in fig.arms:
        tr = truth["arms"][a["arm"]]
        cu = np.asarray(a["curve"])
        grid = np.linspace(0, tr["end"], 4000)
        jumps = np.asarray(tr["t"])
        # at a jump the two step functions may differ by a rounding of the jump's position
        away = np.min(np.abs(grid[:, None] - jumps[None, :]), axis=1) > 0.002 * x_max
        err = np.abs(_step(tr["t"], tr["s"], grid) - _step(cu[:, 0], cu[:, 1], grid))[away]
        assert err.max() < 0.005, a["arm"]
        assert [tuple(p) for p in a["at_risk"]] == [tuple(p) for p in tr["at_risk"]]


def test_km_two_arms_with_censor_ticks(km_two, shared):
    truth, content = km_two
    assert len(content.figures) == 1
    fig = content.figures[0]
    assert fig.page == 1 and not fig.percent
    _check_curves(truth, fig, 600)
    from metabolero.km import hr_from_figure

    ref = json.loads((shared / "ipd" / "reference.json").read_text())["veteran"]["cox_breslow"][0]
    hr = hr_from_figure(fig.arms, control="standard")
    assert abs(hr["value"] / ref["hr"] - 1) < 0.03


def test_km_three_arms_percent_axis(km_three, shared):
    truth, content = km_three
    fig = content.figures[0]
    assert fig.percent
    _check_curves(truth, fig, 3000)
    from metabolero.km import hr_from_figure

    ref = json.loads((shared / "ipd" / "reference.json").read_text())["colon_death"]["cox_breslow"]
    hr = hr_from_figure(fig.arms, control="Obs")
    got = {hr["experimental"]: hr["value"], **{o["experimental"]: o["value"] for o in hr.get("others", [])}}
    for r in ref:
        assert abs(got[r["experimental"]] / r["hr"] - 1) < 0.03, r["experimental"]


def test_km_with_confidence_bands_and_curves_clipped_by_the_axes(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "pbc.csv")
    path = pdf_dir / "km_pbc_bands.pdf"
    truth = make_km_pdf(path, ipd, ["placebo", "D-penicillamine"], x_max=3000, x_step=500, bands=True,
                        run_past_axis=True)
    fig = read_pdf_full(path).figures[0]
    assert len(fig.arms) == 2
    _check_curves(truth, fig, 3000)
    assert max(p[0] for a in fig.arms for p in a["curve"]) <= 3000 + 1e-6
    assert any("not in the legend" in w for w in fig.warnings)


def test_km_without_axis_lines_grid_style(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "aml.csv")
    path = pdf_dir / "km_grid.pdf"
    truth = make_km_pdf(path, ipd, ["Nonmaintained", "Maintained"], x_max=50, x_step=10, grid_style=True,
                        censor_ticks=True)
    fig = read_pdf_full(path).figures[0]
    _check_curves(truth, fig, 50)


def test_two_km_panels_side_by_side(pdf_dir, shared):
    panels = [{"ipd": pd.read_csv(shared / "ipd" / "veteran.csv"), "arms": ["standard", "test"], "x_max": 600,
               "x_step": 100},
              {"ipd": pd.read_csv(shared / "ipd" / "cgd.csv"), "arms": ["placebo", "rIFN-g"], "x_max": 400,
               "x_step": 100}]
    path = pdf_dir / "km_panels.pdf"
    truths = make_km_panels_pdf(path, panels)
    figs = sorted(read_pdf_full(path).figures, key=lambda f: f.bbox[0])
    assert len(figs) == 2
    _check_curves(truths[0], figs[0], 600)
    _check_curves(truths[1], figs[1], 400)
    assert figs[0].bbox[2] < figs[1].bbox[0]


def test_km_figure_drawn_segment_by_segment_inside_text(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "gbsg.csv")
    path = pdf_dir / "km_segments.pdf"
    truth = make_km_segments_pdf(path, ipd, ["no tamoxifen", "tamoxifen"], x_max=2500, x_step=500)
    content = read_pdf_full(path)
    assert len(content.figures) == 1
    fig = content.figures[0]
    _check_curves(truth, fig, 2500)
    # the page's text is read, the figure's numbers are not
    text = content.document.text
    assert _norm(KM_PAGE_TEXT_ABOVE) in _norm(text) and KM_PAGE_TEXT_BELOW in text
    assert "No. at risk" not in text and "0.8" not in text
    from metabolero.km import hr_from_figure

    ref = json.loads((shared / "ipd" / "reference.json").read_text())["gbsg"]["cox_breslow"][0]
    hr = hr_from_figure(fig.arms, control="no tamoxifen")
    assert abs(hr["value"] / ref["hr"] - 1) < 0.03


def test_km_comparator_listed_first_for_the_hr(pdf_dir, shared):
    ipd = pd.read_csv(shared / "ipd" / "veteran.csv")
    path = pdf_dir / "km_veteran_reversed.pdf"
    make_km_pdf(path, ipd, ["test", "standard"], x_max=600, x_step=100)  # legend lists the comparator last
    fig = read_pdf_full(path).figures[0]
    assert [a["arm"] for a in fig.arms] == ["standard", "test"]
    from metabolero.km import hr_from_figure

    ref = json.loads((shared / "ipd" / "reference.json").read_text())["veteran"]["cox_breslow"][0]
    hr = hr_from_figure(fig.arms)  # the pipeline's call: first arm is the reference
    assert (hr["experimental"], hr["control"]) == ("test", "standard")
    assert abs(hr["value"] / ref["hr"] - 1) < 0.03


def test_km_figure_frames_and_plot(km_two):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    truth, content = km_two
    fig = content.figures[0]
    frame = fig.summary_frame()
    assert list(frame.columns) == ["arm", "time", "survival"]
    assert set(frame["arm"]) == set(truth["arms"]) and frame["survival"].between(0, 1).all()
    summary = content.summary_frame()
    assert summary.loc[0, "kind"] == "km" and summary.loc[0, "size"] == "2 arms"
    _, ax = plt.subplots()
    assert fig.plot_curves(ax=ax) is ax.figure and len(ax.lines) == 2
    plt.close(ax.figure)


def test_km_payload_is_json(km_two):
    from metabolero.ingest.pdf import km_figures_payload

    payload = km_figures_payload(km_two[1].figures)
    s = json.dumps(payload)
    assert json.loads(s)[0]["arms"][0]["curve"][0] == [0.0, 1.0]


# --------------------------------------------------------------------------- bad files
def test_bad_pdfs_raise_ingest_error_naming_the_file(pdf_dir, article):
    bad = make_bad_pdfs(pdf_dir, article[0])
    reasons = {}
    for kind, path in bad.items():
        with pytest.raises(IngestError) as exc:
            read_pdf(path)
        assert str(path) in str(exc.value)
        reasons[kind] = exc.value.reason
    assert "encrypted" in reasons["encrypted"]
    assert "zero pages" in reasons["zero_pages"]
    assert "no text layer" in reasons["image_only"]
    assert "corrupt" in reasons["truncated"] or "truncated" in reasons["truncated"]
    assert "not a PDF" in reasons["not_pdf"]


def test_raster_figure_reported_not_digitised(pdf_dir):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    import matplotlib.pyplot as plt

    path = pdf_dir / "raster.pdf"
    with PdfPages(path, metadata={"CreationDate": None}) as pp:
        fig = plt.figure(figsize=(6, 6))
        fig.text(0.1, 0.9, "Figure 1. Overall survival (scanned)")
        ax = fig.add_axes([0.1, 0.1, 0.8, 0.7])
        ax.imshow(np.linspace(0, 1, 400).reshape(20, 20), interpolation="nearest")
        ax.axis("off")
        pp.savefig(fig)
        plt.close(fig)
    content = read_pdf_full(path)
    assert content.figures and all(f["kind"] == "image" for f in content.figures)
    assert content.figures[0]["note"] == "image, not digitised" and content.figures[0]["page"] == 1


def test_time_budget_stops_reading(article):
    content = read_pdf_full(article[0], PdfSettings(time_budget=0.0))
    assert any("time budget" in w for w in content.warnings)


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="SIGALRM deadline needs a Unix main thread")
# a tick may land in a weakref callback, where Python reports and drops it; the next tick acts
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_hard_limit_interrupts_a_page_that_never_ends(article, monkeypatch):
    import time

    from metabolero.ingest import pdf_km

    monkeypatch.setattr(pdf_km, "find_km_figures", lambda page, i: time.sleep(30))
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as exc:
        read_pdf_full(article[0], PdfSettings(hard_limit=0.3))
    assert time.perf_counter() - t0 < 5
    assert "longer than 0.3 s" in exc.value.reason


def test_encrypted_pdf_read_with_its_password(pdf_dir, article):
    bad = make_bad_pdfs(pdf_dir, article[0])
    doc = read_pdf(bad["encrypted"], PdfSettings(password="secret"))[0]
    assert "Hazard ratio 0.50 (95% CI 0.40-0.60)." in doc.text


def test_page_budget_warns(article):
    path = article[0]
    content = read_pdf_full(path, PdfSettings(max_pages=1))
    assert any("page budget" in w for w in content.warnings)
    assert ("warning", content.warnings[0]) in content.document.meta


# --------------------------------------------------------------------------- gold article PDFs
def test_gold_pdfs_text_and_tables(shared):
    import sys

    sys.path.insert(0, str(shared / "gold"))
    from score import median_keys, ratio_keys

    tp = npred = ngold = mtp = mpred = mgold = 0
    for path in sorted((shared / "gold" / "pdf").glob("article*.pdf")):
        gold = json.loads((shared / "gold" / "pdf" / "gold" / f"{path.stem}.json").read_text())
        content = read_pdf_full(path)
        doc = content.document
        tables_start = min((s.start for s in doc.sections if s.name == "TABLE"), default=len(doc.text))
        body = _norm(doc.text[:tables_start])
        refs = _norm(doc.section("REFERENCES") or "")
        assert "Hazard ratio 0.75" in refs
        # every quote of the gold text records is found in the body text (reading order, hyphens, markers)
        tables_text = _norm(doc.text[tables_start:])
        for g in gold["ratios"] + gold["medians"]:
            q = _norm(g["quote"])
            # table quotes are in the TABLE sections (the gold joins some table cells with ' | ')
            assert q in body or q in tables_text or " | " in q, q
        for g in gold["ratios"] + gold["medians"]:
            assert _norm(g["quote"]) not in refs
        ratios, medians = [], []
        for t in content.tables:
            r, m = records_from_table(t, doc.id)
            ratios += r
            medians += m
        for rec in ratios + medians:
            assert doc.text[rec.span.start:rec.span.end] == rec.span.quote
        g_r = ratio_keys([g for g in gold["ratios"] if _norm(g["quote"]) not in body], False)
        g_m = median_keys([g for g in gold["medians"] if _norm(g["quote"]) not in body])
        p_r = ratio_keys([r.to_dict() for r in ratios], False)
        p_m = median_keys([m.to_dict() for m in medians])
        tp += sum((p_r & g_r).values()); npred += sum(p_r.values()); ngold += sum(g_r.values())
        mtp += sum((p_m & g_m).values()); mpred += sum(p_m.values()); mgold += sum(g_m.values())
    f1 = 2 * tp / (npred + ngold)
    mf1 = 2 * mtp / (mpred + mgold)
    assert ngold >= 10 and mgold >= 20
    assert f1 >= 0.95 and mf1 >= 0.90, (tp, npred, ngold, mtp, mpred, mgold)


def test_gold_tables_typeset_as_pdf(pdf_dir, shared):
    """The annotated results tables of shared/gold/tables, typeset as PDF tables, read back into records."""
    import sys

    from pdf_fixtures import make_table_pdf

    sys.path.insert(0, str(shared / "gold"))
    from score import median_keys, ratio_keys

    tally = [0] * 6
    for f in sorted((shared / "gold" / "tables").glob("*.json")):
        gold = json.loads(f.read_text())
        path = pdf_dir / f"table_{f.stem}.pdf"
        make_table_pdf(path, gold["text"])
        content = read_pdf_full(path)
        ratios, medians = [], []
        for t in content.tables:
            r, m = records_from_table(t, f.stem)
            ratios += r
            medians += m
        pr, gr = ratio_keys([r.to_dict() for r in ratios], False), ratio_keys(gold["ratios"], False)
        pm, gm = median_keys([m.to_dict() for m in medians]), median_keys(gold["medians"])
        for i, n in enumerate([sum((pr & gr).values()), sum(pr.values()), sum(gr.values()),
                               sum((pm & gm).values()), sum(pm.values()), sum(gm.values())]):
            tally[i] += n
    ratio_f1 = 2 * tally[0] / (tally[1] + tally[2])
    median_f1 = 2 * tally[3] / (tally[4] + tally[5])
    assert tally[2] >= 20 and tally[5] >= 40
    assert ratio_f1 >= 0.95 and median_f1 >= 0.95, tally


def test_damaged_copies_fail_cleanly(pdf_dir, article):
    """Byte-flipped and cut copies of a good PDF: each reads or raises IngestError, nothing else."""
    import random

    src = article[0].read_bytes()
    rng = random.Random(7)
    outcomes = []
    for i in range(15):
        b = bytearray(src)
        for _ in range(rng.choice([1, 5, 20])):
            b[rng.randrange(len(b))] = rng.randrange(256)
        if i % 3 == 0:
            b = b[: rng.randrange(len(b))]
        path = pdf_dir / f"damaged_{i}.pdf"
        path.write_bytes(bytes(b))
        try:
            read_pdf_full(path, PdfSettings(hard_limit=20))
            outcomes.append("ok")
        except IngestError as exc:
            assert str(path) in str(exc)
            outcomes.append("error")
    assert "error" in outcomes
