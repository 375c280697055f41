"""Rule-level tests of the corrections made after the blind set tests/fixtures/challenge11.

Set 11 (25 abstracts, written and annotated blind to the extractor per the dev set's SCHEMA.md and GUIDE.md, as
a typical mix of randomised oncology trials reporting hazard ratios) was committed and scored on the session's
final code before any correction: ratio_value 1.0, ratio_full 0.936, median_value 0.986, median_role 0.935,
n_randomized 0.96, perfect documents 0.68 (the code before the session's corrections scored 0.904 / 0.945 /
0.922 / 0.96 / 0.64 on it). The sentences below were written for these tests; each expected value is read off
the sentence by hand.
"""
from __future__ import annotations

import pytest

from metabolero.extract import extract

_DESIGN = "Patients were randomly assigned to drug A or placebo. "


@pytest.mark.parametrize("text, expected", [
    # an abbreviation alone in brackets stands for the whole phrase before it
    ("Time to second progression or death (PFS2) was also prolonged (HR, 0.70; 95% CI, 0.55 to 0.89).",
     [("PFS2", 0.70)]),
    # a disease-control rate compared by an odds ratio is a response rate's kind
    ("The disease control rate was 55% vs 18% (odds ratio, 5.60; 95% CI, 3.50-8.96).", [("RESPONSE", 5.60)]),
    # "<tumour> cancer death" is cancer-specific; "non-cancer death" is not
    ("The subdistribution HR for ovarian cancer death was 0.92 (95% CI 0.83-1.02).", [("CSS", 0.92)]),
    # a biomarker's state between two ratios names a subgroup, not an outcome
    ("The iDFS benefit was consistent in hormone receptor-negative (HR 0.60, 95% CI 0.42-0.86) and hormone "
     "receptor-positive disease (HR 0.75, 95% CI 0.55-1.02).", [("iDFS", 0.60), ("iDFS", 0.75)]),
])
def test_set11_ratios(text, expected):
    assert [(r.endpoint, r.value) for r in extract(_DESIGN + text).ratios] == expected


def test_bracketed_abbreviation_defines_a_median_phrase():
    text = "Median progression-free survival on next-line therapy (PFS2) was not reached versus 52.0 months."
    assert [(m.endpoint, m.value) for m in extract(_DESIGN + text).medians] == [("PFS2", None), ("PFS2", 52.0)]
    # two definitions side by side keep their own phrases
    two = ("The median progression-free survival (PFS) and overall survival (OS) of all patients were 7.8 and 15.5 "
           "months, respectively.")
    assert [(m.endpoint, m.value) for m in extract(two).medians] == [("PFS", 7.8), ("OS", 15.5)]


# Gaps of set 11 left open at first and closed in the next session (2026-12-02), on sentences written for them.
@pytest.mark.parametrize("text, expected", [
    # heart-failure hospitalisations and cardiovascular deaths counted together are cardiovascular events
    ("The total number of hospitalizations for heart failure and deaths from cardiovascular causes was lower with "
     "drug A (rate ratio, 0.79; 95% CI, 0.68 to 0.92).", [("MACE", 0.79)]),
    # ... but two outcomes joined by "and", one of them not cardiovascular, are not
    ("Hospitalization for heart failure and death from any cause were less frequent (HR 0.81; 95% CI 0.70-0.94).",
     [("OS", 0.81)]),
    ("Overall survival and progression-free survival were longer (HR 0.70; 95% CI 0.60-0.82).", [("PFS", 0.70)]),
    # plural "deaths from cardiovascular causes" is cardiovascular death, as the singular
    ("Deaths from cardiovascular causes were fewer with drug A (HR 0.84; 95% CI 0.72-0.98).", [("CSS", 0.84)]),
    # a bracketed ratio that lists the events of the survival end point its sentence names is that end point's
    ("Event-free survival was longer with drug A (hazard ratio for induction failure, relapse, or death, 0.66; "
     "95% CI, 0.52 to 0.84).", [("EFS", 0.66)]),
    ("Relapse-free survival was longer with drug A (hazard ratio for relapse or death, 0.71; 95% CI, 0.58 to 0.87).",
     [("RFS", 0.71)]),
    # ... and a bracket that names death alone stays overall survival
    ("Event-free survival and overall survival were longer with drug A (hazard ratio for death, 0.77; 95% CI, 0.62 "
     "to 0.96).", [("OS", 0.77)]),
])
def test_set11_gap_ratios(text, expected):
    assert [(r.endpoint, r.value) for r in extract(_DESIGN + text).ratios] == expected


@pytest.mark.parametrize("text, expected", [
    # a median follow-up bracketed after a minimum one, without a unit of its own, takes the minimum's unit
    ("With a minimum follow-up of 36 months (median, 44.2), 120 patients had relapsed.", [("FOLLOWUP", 44.2, "months")]),
    ("After a minimum follow-up of 2 years (median 3.6; range, 2.0 to 5.1), 80 patients had died.",
     [("FOLLOWUP", 3.6, "years")]),
    # ... and with a unit of its own it is a follow-up too, not another outcome
    ("With a minimum follow-up of 36 months (median, 44.2 months), 120 patients had relapsed.",
     [("FOLLOWUP", 44.2, "months")]),
    # a bracketed median of an outcome after a follow-up stays that outcome's; a median age is no median
    ("After a follow-up of 24 months (median OS 14.2 months with drug A), 80 patients had died.", [("OS", 14.2, "months")]),
    ("At a minimum follow-up of 24 months (median age, 61), 80 patients had died.", []),
])
def test_set11_gap_followup(text, expected):
    got = extract(_DESIGN + text).medians
    assert [(m.endpoint, m.value, m.unit) for m in got] == expected
    for m in got:
        assert str(m.value) in m.span.quote
