"""Rule-level tests of the corrections made after the blind set tests/fixtures/challenge15.

Set 15 (25 abstracts written and annotated blind to the extractor per the dev set's SCHEMA.md and GUIDE.md, a general
sample of oncology and cardiology survival abstracts of 2000-2025) was committed and scored before any correction, on
the session's final code before it (70ab08a): ratio_value 0.972, ratio_full 0.870, median_value 0.951, median_role 0.886,
n_randomized 0.875, perfect documents 0.64 (the code before the session: the same but median_role 0.830 and
n_randomized 0.84). The sentences below were written for these tests; each expected value is read off the sentence.
"""
from __future__ import annotations

import pytest

from metabolero.extract import extract

_DESIGN = "Patients were randomly assigned to drug A or placebo. "


@pytest.mark.parametrize("text, expected", [
    ("The median time to strategy failure was 14.2 months vs 12.0 months (HR, 0.84; 95% CI, 0.70-1.01).", [("TTF", 0.84)]),
    ("Median time to PSA progression was 28.0 versus 8.1 mo (HR 0.18, 95% CI 0.14-0.23).", [("TTP", 0.18)]),
    # progression at one site is no PFS
    ("The cumulative incidence of CNS progression was 5.2% and 21.0% (cause-specific HR 0.24, 95% CI 0.12-0.48).",
     [("OTHER", 0.24)]),
    ("The HR for coronary heart disease death or myocardial infarction was 0.74 (95% CI 0.62-0.88).", [("MACE", 0.74)]),
    # the finding before, not an outcome of its own
    ("Drug A was associated with improved OS (aHR, 0.78; 95% CI, 0.72-0.85), and the association persisted after "
     "IPTW (HR, 0.81; 95% CI, 0.74-0.89).", [("OS", 0.78), ("OS", 0.81)]),
    # a later value of a list labelled by its outcome with no comma after the label
    ("The hazard ratio for cardiovascular death was 0.86 (95% CI, 0.71-1.04), for nonfatal myocardial infarction 0.79 (95% CI, "
     "0.64-0.97), and for death from any cause 0.88 (95% CI, 0.77-1.01).", [("CSS", 0.86), ("OTHER", 0.79), ("OS", 0.88)]),
])
def test_set15_endpoints(text, expected):
    assert [(r.endpoint, r.value) for r in extract(_DESIGN + text).ratios] == expected


def test_benefit_confined_to_a_subgroup_is_the_primary_end_point():
    text = ("The primary end point was event-free survival. Event-free survival was longer with drug A (HR 0.75, 95% CI "
            "0.61-0.92). Overall survival did not differ (HR 0.93, 95% CI 0.70-1.24). The benefit was most pronounced in "
            "patients with ABC-type disease (HR 0.52, 95% CI 0.35-0.77).")
    assert [r.endpoint for r in extract(_DESIGN + text).ratios] == ["EFS", "OS", "EFS"]


def test_ci_written_with_dots():
    text = "Overall survival was similar (hazard ratio 0.80, 95% C.I. 0.61-1.05)."
    assert [(r.value, r.ci_low, r.ci_high) for r in extract(text).ratios] == [(0.80, 0.61, 1.05)]


def test_three_arm_respectively_reuses_the_arms_just_named_and_the_arm_given_alone_is_the_control():
    text = ("In this randomized phase II trial, patients were assigned 1:1:1 to GnP alone, GnP plus drug B (low dose), or "
            "GnP plus drug B (high dose). Median PFS was 5.5 months with GnP, 6.3 months with low-dose drug B, and 7.9 "
            "months with high-dose drug B. Median OS was 9.8, 10.4 and 11.9 months, respectively; the HR for death with "
            "high-dose drug B versus GnP was 0.79 (95% CI, 0.55-1.13).")
    got = [(m.endpoint, m.value, m.arm, m.arm_role) for m in extract(text).medians]
    assert got == [("PFS", 5.5, "GnP", "control"), ("PFS", 6.3, "low-dose drug B", "experimental"),
                   ("PFS", 7.9, "high-dose drug B", "experimental"), ("OS", 9.8, "GnP", "control"),
                   ("OS", 10.4, "low-dose drug B", "experimental"), ("OS", 11.9, "high-dose drug B", "experimental")]


# Cases a read-only reviewer wrote against the rules above (rephrased here), where those rules first went too far or
# half worked.
def test_review_a_bare_subgroup_label_keeps_the_lists_outcome():
    text = ("The hazard ratio for overall survival was 0.78 (95% CI 0.66-0.92), for women 0.82 (95% CI 0.65-1.03), and "
            "for current smokers 0.85 (95% CI 0.66-1.09).")
    assert [r.endpoint for r in extract(text).ratios] == ["OS", "OS", "OS"]


def test_review_only_in_a_safety_sentence_is_no_control():
    text = ("In this randomized phase III trial, 300 patients were assigned 1:1. Median overall survival was 11.0 months "
            "with XR-11 and 9.0 months with ZK-22 (HR 0.80, 95% CI 0.64-1.00). Neuropathy was seen with XR-11 only.")
    assert [m.arm_role for m in extract(text).medians] == ["experimental", "control"]


def test_review_ci_with_dots_keeps_its_p():
    text = "Overall survival was improved (HR 0.75, 95% C.I. 0.62-0.91, P=0.004)."
    assert [(r.value, r.ci_low, r.ci_high, r.p_value) for r in extract(text).ratios] == [(0.75, 0.62, 0.91, 0.004)]


@pytest.mark.parametrize("text, code", [
    ("CNS disease progression was less frequent (HR 0.30, 95% CI 0.20-0.45).", "OTHER"),
    ("CNS progression or death was less frequent (HR 0.30, 95% CI 0.20-0.45).", "OTHER"),
    ("Locoregional progression was less frequent (HR 0.50, 95% CI 0.35-0.71).", "OTHER"),
    ("Disease progression or death occurred less often (HR 0.60, 95% CI 0.50-0.72).", "PFS"),
])
def test_review_progression_at_one_site(text, code):
    assert [r.endpoint for r in extract(text).ratios] == [code]


def test_arm_counts_past_an_arms_bracketed_abbreviation():
    text = ("Between 1998 and 2002, 208 patients were allocated to epirubicin, cisplatin and drug V (ECV) and 204 to "
            "epirubicin, cisplatin and infused fluorouracil (ECF).")
    assert extract(text).study.n_randomized == 412


@pytest.mark.parametrize("text, n", [
    # the source cohort's size is not the analysed set's
    ("From a cohort of 52,140 women with breast cancer, 2,870 cases of incident diabetes were identified and matched "
     "to up to 5 controls (n=13,950), giving 16,820 women in the analysis.", 16820),
    ("We identified 1,204 patients who received drug A from the cohort of 18,500 patients treated at 12 centres.",
     1204),
    # a cohort's size said without "from" is the study's
    ("We studied a cohort of 4,310 patients; 1,220 of them received drug A.", 4310),
])
def test_source_cohort_size_is_not_the_analysed_count(text, n):
    assert extract(text).study.n_randomized == n


@pytest.mark.parametrize("text", [
    "The primary outcome was 3-point MACE (cardiovascular death, nonfatal myocardial infarction, or nonfatal stroke). "
    "The hazard ratio for cardiovascular death was 0.86 (95% CI, 0.71-1.04), for nonfatal myocardial infarction 0.80 "
    "(95% CI, 0.66-0.97), and for death from any cause 0.88 (95% CI, 0.77-1.01).",
    "The primary outcome was a composite of cardiovascular death or nonfatal myocardial infarction. The hazard ratio for "
    "cardiovascular death was 0.86 (95% CI, 0.71-1.04), for nonfatal stroke 0.80 (95% CI, 0.66-0.97), and for death "
    "from any cause 0.88 (95% CI, 0.77-1.01).",
])
def test_a_word_before_an_event_in_a_composite_names_no_treatment(text):
    # "or nonfatal stroke" in the composite's definition does not make "nonfatal" a treatment arm
    assert [r.endpoint for r in extract(text).ratios] == ["CSS", "OTHER", "OS"]


def test_a_treatment_named_after_or_is_still_a_treatment():
    text = ("Patients were randomly assigned to drug A or nivolumab. Hazard ratios were 0.70 (95% CI 0.55-0.89) for "
            "overall survival, and for nivolumab versus drug A 1.10 (95% CI 0.90-1.34).")
    assert [r.endpoint for r in extract(text).ratios] == ["OS", "OS"]


@pytest.mark.parametrize("p, value, relation", [
    # PubMed prints a superscript exponent in brackets; statistical software prints e-notation
    ("P = 2.4 \u00d7 10(-7)", 2.4e-7, "="),
    ("P < 10(-5)", 1e-5, "<"),
    ("P = 3.1E-05", 3.1e-5, "="),
    ("p = 2.4e-7", 2.4e-7, "="),
])
def test_p_with_a_bracketed_or_e_notation_exponent(p, value, relation):
    text = f"Drug A reduced MACE by 19% overall (HR: 0.81; 95% CI: 0.75-0.88; {p})."
    (r,) = extract(text).ratios
    assert (r.p_value, r.p_relation) == (value, relation)
    assert r.quote.endswith(p)


@pytest.mark.parametrize("text", [
    "Median overall survival was 36.9 months in the intermittent group and 37.8 months in the continuous group. "
    "Median time off treatment in the intermittent group was 9.7 months.",
    "Median overall survival was 36.9 months in the intermittent group and 37.8 months in the continuous group. "
    "The median time on therapy was 9.7 months.",
])
def test_time_off_or_on_treatment_is_no_outcome(text):
    # an exposure measure, like a treatment's duration: not recorded, and not the OS of the sentence before
    assert [m.value for m in extract(text).medians] == [36.9, 37.8]
