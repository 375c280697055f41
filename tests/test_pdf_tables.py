"""records_from_table on hand-written tables (no PDF): the cell notations of survival tables."""
from __future__ import annotations

from dataclasses import dataclass, field

from metabolero.extract.tables import records_from_table


@dataclass
class T:
    header: list
    cells: list
    caption: str = None
    page: int = 3
    bbox: tuple = (10.0, 20.0, 300.0, 400.0)
    cell_offsets: dict = field(default_factory=dict)


def _ratios(t):
    return [(r.measure, r.endpoint, r.value, r.ci_low, r.ci_high, r.p) for r in records_from_table(t, "d")[0]]


def _medians(t):
    return [(m.endpoint, m.value, m.unit, m.not_reached, m.ci_low, m.ci_high) for m in records_from_table(t, "d")[1]]


def test_separate_ci_columns_and_p_column():
    t = T(["Endpoint", "HR", "Lower 95% CI", "Upper 95% CI", "P value"],
          [["Overall survival", "0.72", "0.62", "0.83", "<0.001"],
           ["Progression-free survival", "0.55", "0.45", "0.68", "0.002"]])
    assert _ratios(t) == [("HR", "OS", 0.72, 0.62, 0.83, "<0.001"), ("HR", "PFS", 0.55, 0.45, 0.68, "=0.002")]


def test_en_dash_ci_and_p_inside_brackets():
    t = T(["Trial", "Odds ratio (95% CI; P)"], [["A", "1.85 (1.20–2.86; P = 0.005)"], ["B", "0.9 (0.7–1.1)"]])
    assert _ratios(t) == [("OR", "OTHER", 1.85, 1.2, 2.86, "=0.005"), ("OR", "OTHER", 0.9, 0.7, 1.1, None)]


def test_per_arm_median_columns_with_nr_and_ci():
    t = T(["Endpoint", "Median, months (95% CI) Drug", "Median, months (95% CI) Placebo", "HR (95% CI)"],
          [["Overall survival", "NR (24.1–NR)", "18.2 (15.0–21.3)", "0.70 (0.58–0.85)"],
           ["Progression-free survival", "11.0 (9.2–12.9)", "5.6 (4.1-6.9)", "0.49 (0.35–0.68)"]])
    # a median not reached keeps no value but its printed lower confidence limit
    assert _medians(t) == [("OS", None, "months", True, 24.1, None), ("OS", 18.2, "months", False, 15.0, 21.3),
                           ("PFS", 11.0, "months", False, 9.2, 12.9), ("PFS", 5.6, "months", False, 4.1, 6.9)]
    assert _ratios(t) == [("HR", "OS", 0.70, 0.58, 0.85, None), ("HR", "PFS", 0.49, 0.35, 0.68, None)]
    meds = records_from_table(t, "d")[1]
    assert [(m.arm, m.arm_role) for m in meds] == [("Drug", None), ("Placebo", "control")] * 2


def test_percentages_and_counts_are_not_records():
    t = T(["Outcome", "Drug (n=100)", "Placebo (n=100)"],
          [["Objective response, % (95% CI)", "21% (15, 28)", "4% (2, 9)"],
           ["Events, n (%)", "40 (40%)", "55 (55%)"]])
    assert records_from_table(t, "d") == ([], [])


def test_provenance_falls_back_to_table_geometry():
    t = T(["Endpoint", "HR (95% CI)"], [["OS", "0.80 (0.70-0.91)"]])
    r = records_from_table(t, "doc")[0][0]
    assert r.span.doc_id == "doc" and r.span.page == 3 and r.span.bbox == (10.0, 20.0, 300.0, 400.0)
    assert r.span.quote == "0.80 (0.70-0.91)"


def test_comparator_column_is_the_one_without_a_ratio():
    t = T(["Efficacy", "Drug A 2 mg n = 180", "Drug A 10 mg n = 181", "Chemotherapy n = 179"],
          [["Progression-free survival", "", "", ""],
           ["Median in months (95% CI)", "2.9 (2.8, 3.8)", "2.9 (2.8, 4.7)", "2.7 (2.5, 2.8)"],
           ["p-Value (stratified log-rank)", "<0.001", "<0.001", "–"],
           ["Hazard ratio (95% CI)", "0.57 (0.45, 0.73)", "0.50 (0.39, 0.64)", "–"]])
    ratios, medians = records_from_table(t, "d")
    assert [(m.endpoint, m.value, m.ci_low, m.ci_high, m.arm, m.arm_role) for m in medians] == [
        ("PFS", 2.9, 2.8, 3.8, "Drug A 2 mg", "experimental"), ("PFS", 2.9, 2.8, 4.7, "Drug A 10 mg", "experimental"),
        ("PFS", 2.7, 2.5, 2.8, "Chemotherapy", "control")]
    assert [(r.endpoint, r.value, r.p, r.experimental_arm, r.control_arm) for r in ratios] == [
        ("PFS", 0.57, "<0.001", "Drug A 2 mg", "Chemotherapy"), ("PFS", 0.5, "<0.001", "Drug A 10 mg", "Chemotherapy")]


def test_outside_tables_drops_text_records_found_in_table_sections():
    from metabolero.records import Document, Ratio, Section, Span

    text = "HR 0.70 (0.60-0.80) in the abstract.\nTable 1 | HR 0.70 (0.60-0.80)"
    doc = Document(id="d", text=text, sections=(Section("ABSTRACT", 0, 36), Section("TABLE", 37, len(text))))
    a = Ratio("HR", "OS", 0.7, 0.6, 0.8, span=Span("d", 3, 19, text[3:19]))
    b = Ratio("HR", "OS", 0.7, 0.6, 0.8, span=Span("d", 50, 66, text[50:66]))
    from metabolero.extract.tables import outside_tables

    assert outside_tables([a, b], doc) == [a]


def test_ratio_cell_notations():
    cells = ["0.72 (0.62 to 0.83)", "0.72 [0.62; 0.83]", "0.72 (0.62–0.83), P < 0.001", "0.72 (95% CI, 0.62-0.83); p = 0.04",
             ".72 (.62-.83)"]
    t = T(["Subgroup", "Hazard ratio (95% CI)"], [[f"Group {i}", c] for i, c in enumerate(cells)])
    got = [(r.value, r.ci_low, r.ci_high, r.p) for r in records_from_table(t, "d")[0]]
    assert got == [(0.72, 0.62, 0.83, None), (0.72, 0.62, 0.83, None), (0.72, 0.62, 0.83, "<0.001"),
                   (0.72, 0.62, 0.83, "=0.04"), (0.72, 0.62, 0.83, None)]


def test_median_units_from_header_and_cells():
    t = T(["Arm", "Median PFS (95% CI), mo", "Median OS, weeks"],
          [["Drug", "8.5 (7.1-9.9)", "40.2"], ["Placebo", "NR", "35 weeks"]])
    got = [(m.endpoint, m.value, m.unit, m.not_reached, m.arm) for m in records_from_table(t, "d")[1]]
    assert got == [("PFS", 8.5, "months", False, "Drug"), ("OS", 40.2, "weeks", False, "Drug"),
                   ("PFS", None, "months", True, "Placebo"), ("OS", 35.0, "weeks", False, "Placebo")]


def test_outside_tables_keeps_text_records_that_no_table_record_covers():
    from metabolero.extract.tables import outside_tables
    from metabolero.records import Document, Ratio, Section, Span

    text = "Abstract.\nTable 1 | HR | 0.70 (0.60-0.80)\nHazard ratio reduced to 0.8 on follow-up."
    t0 = text.index("Table 1")
    doc = Document(id="d", text=text, sections=(Section("ABSTRACT", 0, 9), Section("TABLE", t0, len(text))))
    cell = text.index("0.70")
    table_rec = Ratio("HR", "OS", 0.7, 0.6, 0.8, span=Span("d", cell, cell + 16, text[cell:cell + 16]))
    dup = Ratio("HR", "OS", 0.7, 0.6, 0.8, span=Span("d", cell - 5, cell + 16, text[cell - 5:cell + 16]))
    foot = text.index("Hazard ratio reduced")
    note = Ratio("HR", "OS", 0.8, span=Span("d", foot, foot + 27, text[foot:foot + 27]))
    assert outside_tables([dup, note], doc, [table_rec]) == [note]
    assert outside_tables([dup, note], doc) == []


def test_random_tables_never_raise_and_records_are_consistent():
    """Tables of random notation fragments: no exception; every record is internally consistent."""
    import random

    frags = ["0.72", "(0.62–0.83)", "NR", "months", "Median", "HR", "Hazard ratio", "OS", "PFS", "vs", "versus",
             "(95% CI)", "P = 0.03", "<0.001", "–", "", "%", "12.1 (10.2, 14.0)", "OS: 13.8 versus 11.1",
             "0.74 (0.0046)", "Control", "Placebo (n=20)", "(", "]", "95% CI, 1.2-", "NE", "1.00 (reference)",
             "not reached", "99999999", "0.0 (0.0-0.0)"]
    rng = random.Random(3)
    for _ in range(500):
        nc = rng.randint(1, 5)
        header = [" ".join(rng.choice(frags) for _ in range(rng.randint(0, 3))) for _ in range(nc)]
        rows = [[" ".join(rng.choice(frags) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, nc + 1))]
                for _ in range(rng.randint(0, 6))]
        ratios, medians = records_from_table(T(header, rows, caption=rng.choice([None, "Table 1. Median OS, months"])), "d")
        for r in ratios:
            assert r.value > 0 and (r.ci_low is None or r.ci_low <= r.value <= r.ci_high)
            assert r.span.quote in " ".join(sum(rows, []))
        for m in medians:
            assert m.not_reached == (m.value is None) and (m.unit is not None or m.not_reached)
