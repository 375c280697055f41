"""Tests of the abstract extractor: the seed, journal notations, medians, study facts, spans."""
from __future__ import annotations

import json
import pickle

import pytest

from metabolero.errors import ExtractionError
from metabolero.extract import EXTRACTOR_VERSION, extract
from metabolero.records import Document, Extraction, Section


def _only_ratio(text: str):
    e = extract(text)
    assert len(e.ratios) == 1, [r.to_dict() for r in e.ratios]
    return e.ratios[0]


# --------------------------------------------------------------------------- the seed
def _seed_paragraph(shared) -> str:
    raw = (shared / "seeds" / "bolero2_pubmed.txt").read_text(encoding="utf-8")
    return next(p for p in raw.split("\n\n") if "BOLERO-2 trial examined" in p).strip()


def _assert_seed(e: Extraction):
    assert "BOLERO-2" in e.study.trials
    assert e.study.phase == "III"
    assert e.study.randomized is True
    arms = {(a.name, a.role) for a in e.study.arms}
    assert arms == {("everolimus plus exemestane", "experimental"), ("placebo plus exemestane", "control")}
    ratios = sorted((r.measure, r.endpoint, r.value, r.ci_low, r.ci_high, r.p, r.qualifier) for r in e.ratios)
    assert ratios == [
        ("HR", "PFS", 0.36, None, None, "<0.001", "central review"),
        ("HR", "PFS", 0.43, None, None, "<0.001", "investigator assessed"),
    ]
    for r in e.ratios:
        assert (r.experimental_arm, r.control_arm) == ("everolimus plus exemestane", "placebo plus exemestane")
    meds = sorted((m.endpoint, m.value, m.unit, m.not_reached, m.arm, m.arm_role, m.qualifier) for m in e.medians)
    assert meds == [
        ("PFS", 2.8, "months", False, "placebo plus exemestane", "control", "investigator assessed"),
        ("PFS", 4.1, "months", False, "placebo plus exemestane", "control", "central review"),
        ("PFS", 6.9, "months", False, "everolimus plus exemestane", "experimental", "investigator assessed"),
        ("PFS", 10.6, "months", False, "everolimus plus exemestane", "experimental", "central review"),
    ]


def test_seed_abstract_paragraph(shared):
    text = _seed_paragraph(shared)
    e = extract(Document(id="bolero2", text=text))
    _assert_seed(e)
    for rec in e.ratios + e.medians:
        assert rec.span.quote == text[rec.span.start:rec.span.end]


def test_seed_file_through_ingest(shared):
    ingest = pytest.importorskip("metabolero.ingest")
    docs = ingest.read_path(shared / "seeds" / "bolero2_pubmed.txt")
    assert len(docs) == 1
    e = extract(docs[0])
    _assert_seed(e)
    d = e.to_dict()
    assert d["document"]["doi"] == "10.2217/fon.12.49"
    assert d["document"]["journal"] == "Future Oncol"
    assert d["document"]["year"] == 2012
    assert "Randomized Controlled Trial" in d["document"]["publication_types"]
    assert "Everolimus" in d["document"]["mesh_terms"]
    assert "text" not in d["document"]


# --------------------------------------------------------------------------- notations
@pytest.mark.parametrize("text, expected", [
    ("Survival was longer (HR 0.58; 95% CI, 0.46 to 0.72; P<0.001).", (0.58, 0.46, 0.72, "<0.001")),
    ("Overall survival improved (HR=0.62, 95%CI: 0.48\u20130.79, p = 0.0002).", (0.62, 0.48, 0.79, "=0.0002")),
    ("The hazard ratio for death, 0.72 [95% CI, 0.62-0.83] favoured the drug.", (0.72, 0.62, 0.83, None)),
    ("Death was less frequent with the drug (aHR 1.23 (1.05, 1.44)).", (1.23, 1.05, 1.44, None)),
    ("Progression was delayed (HR .58, 95% CI .46-.72, P = .02).", (0.58, 0.46, 0.72, "=0.02")),
    ("Progression was delayed (HR 0.58, 95% CI 0.46-0.72, p-value <0.0001).", (0.58, 0.46, 0.72, "<0.0001")),
    ("Progression was delayed (HR 0.58, 95% CI 0.46-0.72, P < 10^-5).", (0.58, 0.46, 0.72, "<1e-05")),
    ("Progression was delayed (HR 0.58, 95% CI 0.46-0.72, P = 1.2 \u00d7 10^-5).", (0.58, 0.46, 0.72, "=1.2e-05")),
    ("Survival: HR 0\u00b758 (95% CI 0\u00b746\u20130\u00b772; p\u2009\u2264\u20090\u00b7001).", (0.58, 0.46, 0.72, "<=0.001")),
    ("Survival: HR 0.58 (95% CI 0.46\u22120.72; p\u2009<\u20090.001).", (0.58, 0.46, 0.72, "<0.001")),
    ("The hazard ratio, 0.\n58; 95% CI, 0.46 to\n0.72; P=0.003.", (0.58, 0.46, 0.72, "=0.003")),
    ("Odds of response were higher (odds ratio [OR], 2.10; 95% CI, 1.40 to 3.15).", (2.10, 1.40, 3.15, None)),
    ("The relative risk of death was 0.84 (95% confidence interval [CI], 0.70 to 1.02).", (0.84, 0.70, 1.02, None)),
])
def test_ratio_notations(text, expected):
    r = _only_ratio(text)
    assert (r.value, r.ci_low, r.ci_high, r.p) == expected
    assert r.span.quote == text[r.span.start:r.span.end]


def test_measure_and_endpoint_codes():
    e = extract(
        "Median PFS was longer with drug A (hazard ratio for disease progression or death, 0.50; 95% CI, 0.40 to 0.62; "
        "P<0.001). The hazard ratio for death was 0.80 (95% CI, 0.66 to 0.97; P=0.02). Response was more frequent "
        "(odds ratio, 2.5; 95% CI, 1.6 to 3.9). Rates of infection were similar (relative risk, 1.10; 95% CI, 0.90 to 1.34)."
    )
    got = [(r.measure, r.endpoint, r.value) for r in e.ratios]
    assert got == [("HR", "PFS", 0.5), ("HR", "OS", 0.8), ("OR", "RESPONSE", 2.5), ("RR", "OTHER", 1.1)]


def test_ci_level_and_one_sided_p():
    r = _only_ratio("Overall survival improved (HR 0.80; 90% CI 0.70-0.91; one-sided P = 0.001).")
    assert r.ci_level == 90
    assert r.p == "=0.001"
    assert "one-sided p" in r.qualifier


def test_p_for_interaction_is_not_attached():
    e = extract("The hazard ratio was 0.78 (95% CI 0.57 to 1.07) in the lowest quintile, with an interaction "
                "p-value = 0.78.")
    assert [(r.value, r.p) for r in e.ratios] == [(0.78, None)]


def test_list_of_ratios_respectively():
    e = extract("Neither progression-free survival nor overall survival differed between groups (hazard ratio [HR] "
                "0.82 [95% CI 0.61-1.10] and 0.89 [0.67-1.19], respectively).")
    assert [(r.endpoint, r.value, r.ci_low, r.ci_high) for r in e.ratios] == [
        ("PFS", 0.82, 0.61, 1.10), ("OS", 0.89, 0.67, 1.19)]


def test_percentages_and_truncated_values_are_not_ratios():
    e = extract("The response rate (RR) was 45% in arm A. Five-year survival was 48% (95% CI, 40 to 55).")
    assert e.ratios == ()
    e = extract("Death was reduced (HR 0.43; 95% CI, 0.30 to 0.62; P<0.0")
    assert [(r.value, r.ci_low, r.ci_high, r.p) for r in e.ratios] == [(0.43, 0.30, 0.62, None)]


# --------------------------------------------------------------------------- medians
def test_medians_versus_with_arms_from_design():
    text = ("Patients were randomly assigned to receive drugumab or placebo. The median progression-free survival "
            "was 6.9 vs 2.8 months (HR 0.43; P<0.001).")
    e = extract(text)
    meds = [(m.endpoint, m.value, m.unit, m.arm_role) for m in e.medians]
    assert meds == [("PFS", 6.9, "months", "experimental"), ("PFS", 2.8, "months", "control")]


def test_medians_respectively_and_not_reached():
    e = extract("In this randomized trial, median overall survival was 14.2 months (95% CI 12.1-16.0) with drugumab "
                "and 11.5 months with placebo. Median PFS was not reached for drugumab and was 8.1 months for placebo. "
                "The median follow-up was 3.8 years.")
    meds = [(m.endpoint, m.value, m.not_reached, m.unit, m.ci_low, m.ci_high, m.arm_role) for m in e.medians]
    assert meds == [
        ("OS", 14.2, False, "months", 12.1, 16.0, "experimental"),
        ("OS", 11.5, False, "months", None, None, "control"),
        ("PFS", None, True, None, None, None, "experimental"),
        ("PFS", 8.1, False, "months", None, None, "control"),
        ("FOLLOWUP", 3.8, False, "years", None, None, None),
    ]


def test_two_endpoints_two_arms_respectively():
    e = extract("Patients were randomly assigned to arm I or arm II. Median progression-free survival and overall "
                "survival were 19.4 and 48.7 months, respectively, for arm I compared with 20.7 and 57.4 months, "
                "respectively, for arm II.")
    got = sorted((m.endpoint, m.value, m.arm) for m in e.medians)
    assert got == [("OS", 48.7, "arm I"), ("OS", 57.4, "arm II"), ("PFS", 19.4, "arm I"), ("PFS", 20.7, "arm II")]


def test_median_age_is_not_a_median_time():
    e = extract("The median age was 63 years and the median dose intensity was 90%.")
    assert e.medians == ()


# --------------------------------------------------------------------------- study facts
def test_study_facts():
    e = extract("In the phase 3 KEYNOTE-189 trial (NCT02578680), 616 patients were randomly assigned in a 2:1 ratio "
                "to receive pembrolizumab or placebo.")
    s = e.study
    assert s.trials == ("KEYNOTE-189",)
    assert s.nct_ids == ("NCT02578680",)
    assert s.phase == "III"
    assert s.randomized is True
    assert s.n_randomized == 616
    assert s.allocation_ratio == "2:1"
    assert [(a.name, a.role) for a in s.arms] == [("pembrolizumab", "experimental"), ("placebo", "control")]


def test_n_randomized_from_arm_sizes_and_words():
    assert extract("A total of 2104 patients were assigned to receive drug A and 4321 to receive usual care."
                   ).study.n_randomized == 6425
    assert extract("Seven hundred ninety-two eligible patients were enrolled onto the study.").study.n_randomized == 792
    assert extract("Of the 733 patients screened, 250 were randomly assigned.").study.n_randomized == 250


# --------------------------------------------------------------------------- contracts
def test_string_input_ids_and_version():
    e = extract("HR 0.5 (95% CI 0.4-0.6)", doc_id="abc")
    assert e.id == "abc" and e.ratios[0].span.doc_id == "abc"
    assert extract("nothing here").id == "text"
    assert e.extractor_version == EXTRACTOR_VERSION


def test_rejects_other_inputs():
    with pytest.raises(ExtractionError, match="Document or a str"):
        extract(42)


def test_pickle_and_json_round_trip():
    e = extract("Overall survival improved (HR 0.70; 95% CI 0.55-0.89; P=0.004); median OS 12.1 vs 9.0 months.")
    assert pickle.loads(pickle.dumps(e)) == e
    d = e.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert Extraction.from_dict(d).to_dict() == d
    assert d["ratios"][0]["p"] == "=0.004" and d["ratios"][0]["quote"] == e.ratios[0].span.quote


def test_references_section_is_never_read():
    abstract = "Overall survival improved (HR 0.70; 95% CI 0.55-0.89; P=0.004)."
    refs = "1. Smith J. Earlier trial. HR 0.50 (95% CI 0.40-0.60). N Engl J Med 2010."
    text = abstract + "\n\n" + "REFERENCES\n" + refs
    doc = Document(id="p", text=text, format="pdf", sections=(
        Section("ABSTRACT", 0, len(abstract)), Section("REFERENCES", len(abstract) + 2, len(text))))
    e = extract(doc)
    assert [r.value for r in e.ratios] == [0.7]
    r = e.ratios[0]
    assert text[r.span.start:r.span.end] == r.span.quote


def test_every_quote_is_exact_on_dev_set(shared):
    for f in sorted((shared / "gold").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        e = extract(Document(id=d["id"], text=d["text"]))
        for rec in e.ratios + e.medians:
            assert rec.span.quote == d["text"][rec.span.start:rec.span.end]
            assert rec.span.quote


def test_unnamed_ratio_after_a_named_one():
    e = extract("The hazard ratio was 0.61 (95% CI 0.41-0.92; p=0.017). Median overall survival was 12.4 months vs "
                "10.1 months (0.84, 0.56-1.26; p=0.40).")
    assert all(r.measure == "HR" for r in e.ratios)
    assert [(r.value, r.ci_low, r.ci_high, r.p) for r in e.ratios] == [(0.61, 0.41, 0.92, "=0.017"),
                                                                     (0.84, 0.56, 1.26, "=0.4")]


def test_margins_and_power_assumptions_are_not_ratios():
    e = extract("Noninferiority was defined by a margin for the hazard ratio of 1.15. The trial was powered to detect "
                "a hazard ratio of 0.75.")
    assert e.ratios == ()


def test_recurrence_or_death_is_dfs():
    r = _only_ratio("The risk of recurrence or death was lower with drug X (hazard ratio, 0.60; 95% CI, 0.45 to 0.79).")
    assert r.endpoint == "DFS"


def test_roles_from_the_group_a_ratio_is_reported_for_and_arm_labels():
    text = ("Patients were randomly assigned to receive cisplatin plus paclitaxel (arm I), or carboplatin plus "
            "paclitaxel (arm II). Median overall survival was 48.7 months for arm I compared with 57.4 months for "
            "arm II. The relative risk (RR) of death for the carboplatin plus paclitaxel group was 0.84 (95% CI, "
            "0.70 to 1.02).")
    e = extract(text)
    assert [(m.value, m.arm, m.arm_role) for m in e.medians] == [
        (48.7, "arm I", "control"), (57.4, "arm II", "experimental")]
    assert {(a.name, a.role) for a in e.study.arms} >= {("carboplatin plus paclitaxel", "experimental")}


def test_complete_upper_bound_closing_the_text_is_kept():
    from metabolero.extract import extract as _extract
    r = _extract("The hazard ratio for death was 1.25; 95% confidence interval, 1.01-1.55.").ratios[0]
    assert (r.value, r.ci_low, r.ci_high) == (1.25, 1.01, 1.55)
    r = _extract("hazard ratio for death, 0.71; 95% CI, 0.56 to 0.").ratios[0]   # cut mid-number
    assert (r.value, r.ci_low, r.ci_high) == (0.71, 0.56, None)


def test_fast_number_pattern_finds_what_the_number_grammar_finds():
    # ratios._NUM_RE is text.NUM_RE rewritten to open with a character class (re then skips to
    # candidates in C); both must find the same numbers in any text
    import random

    from metabolero.extract.ratios import _NUM_RE
    from metabolero.extract.text import NUM_RE

    rng = random.Random(3)
    found = 0
    for _ in range(20000):
        s = "".join(rng.choice("0123456789.,\n aZ_-") for _ in range(rng.randint(0, 14)))
        spans = [m.span() for m in NUM_RE.finditer(s)]
        assert [m.span() for m in _NUM_RE.finditer(s)] == spans, repr(s)
        found += len(spans)
    assert found > 10000
