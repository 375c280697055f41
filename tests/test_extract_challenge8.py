"""Rule-level tests of the extractor corrections made in the session of blind set tests/fixtures/challenge8.

Set 8 (25 abstracts, written and annotated blind to the extractor per the dev set's SCHEMA.md and
GUIDE.md) was committed and scored before any correction: ratio_full 0.928, median_value 0.975,
n_randomized 0.958, perfect documents 0.60. The abbreviations the text defines (the largest gap sets 6
and 7 had left) were read before set 8 was scored and changed none of its scores. The sentences below
were written for these tests (not taken from any challenge set); each expected value is read off the
sentence by hand.

The set's accuracy floors are in tests/test_extract_blind_sets.py.
"""
from __future__ import annotations

import pickle

import pytest

from metabolero.extract import extract
from metabolero.extract.endpoints import DefinedText, endpoint_list, with_defined_abbreviations


def _ratios(text):
    return [(r.endpoint, r.value) for r in extract(text).ratios]


def _medians(text):
    return [(m.endpoint, m.value, m.not_reached) for m in extract(text).medians]


# ---- abbreviations the text defines

def test_defined_abbreviation_is_its_endpoint_later():
    text = ("The primary end point was progression-free survival (PFS). Time to first subsequent therapy (TFST) was "
            "a secondary end point. Median PFS was 13.1 v 4.4 months (HR, 0.38; 95% CI, 0.29 to 0.50). Selumab also "
            "delayed TFST (median, 17.9 v 6.3 months; HR, 0.47; 95% CI, 0.36 to 0.61).")
    assert _ratios(text) == [("PFS", 0.38), ("OTHER", 0.47)]
    assert _medians(text) == [("PFS", 13.1, False), ("PFS", 4.4, False), ("OTHER", 17.9, False), ("OTHER", 6.3, False)]


@pytest.mark.parametrize("text, expected", [
    # a long form with more words before the lexicon's wording keeps a response's code
    ("Secondary end points included complete metabolic response (CMR) after cycle 4. CMR was achieved in 81% vs "
     "70% (OR 1.83, 95% CI 1.21-2.77).", [("RESPONSE", 1.83)]),
    # "freedom from progression" is the progression end point, as written
    ("The primary end point was freedom from progression (FFP). With a median follow-up of 40 months, FFP "
     "favoured the combination (HR 0.61, 95% CI 0.42-0.88).", [("PFS", 0.61)]),
    # a survival of another kind than the wording's: another outcome
    ("Secondary end points were relapse and GVHD-free, relapse-free survival (GRFS). Overall survival was "
     "similar (HR 0.95, 95% CI 0.70-1.29), whereas GRFS improved (HR 0.72, 95% CI 0.57-0.91).",
     [("OS", 0.95), ("OTHER", 0.72)]),
    # "time to <event>" whose wording stops short of the bracket is still that outcome
    ("The primary end point was time to death or permanent assisted ventilation (DPAV). Median overall survival "
     "was 29.0 v 25.1 months (HR 0.80, 95% CI 0.62-1.03). The effect on DPAV was similar in participants with "
     "limb onset (HR 0.69, 95% CI 0.48-0.99).", [("OS", 0.80), ("OTHER", 0.69)]),
])
def test_defined_abbreviation_codes(text, expected):
    assert _ratios(text) == expected


@pytest.mark.parametrize("text", [
    # a long form that is no outcome ("treatment beyond progression") defines no endpoint
    "Outcome of treatment beyond progression (TBP) was assessed; TBP was given to 40 patients.",
    # the abbreviation of a measure is never an endpoint's
    "The objective response rate (RR) was 40%; the RR in the control arm was 25%.",
    # one the lexicon reads already
    "The primary end point was overall survival (OS); OS was longer.",
    # one not used again
    "The primary end point was time to first subsequent therapy (TFST).",
    # no wording ends at the bracket
    "Patients had non-small cell lung cancer (NSCLC); NSCLC was stage IV.",
])
def test_no_alias_is_defined(text):
    assert type(with_defined_abbreviations(text)) is str


def test_defined_text_is_the_text():
    text = "Time to first subsequent therapy (TFST) was longer; TFST and aTFST and TFSTs."
    dt = with_defined_abbreviations(text)
    assert isinstance(dt, DefinedText) and dt == text and dt.aliases == {"TFST": "OTHER"}
    # only whole tokens are uses of the abbreviation (the one in brackets too)
    assert [(text[a:b], c) for a, b, c in endpoint_list(dt) if text[a:b] == "TFST"] == [("TFST", "OTHER")] * 2
    back = pickle.loads(pickle.dumps(dt))
    assert back == text and back.aliases == dt.aliases and isinstance(back, DefinedText)
    # the lexicon alone, on request
    assert all(text[a:b] != "TFST" for a, b, _c in endpoint_list(dt, 0, None, False, True))


def test_defined_abbreviation_quotes_the_documents_text():
    text = ("Time to first subsequent therapy (TFST) was a secondary end point. Rexolib delayed TFST (median, 17.9 v "
            "6.3 months; HR, 0.47; 95% CI, 0.36 to 0.61).")
    ex = extract(text)
    for rec in (*ex.ratios, *ex.medians):
        assert rec.span.quote == text[rec.span.start:rec.span.end]


# ---- p-values

@pytest.mark.parametrize("text, p, one_sided", [
    ("Median PFS was 5.9 v 3.6 months (HR, 0.66; 95% CI, 0.47-0.93; 1-sided P = .009).", 0.009, True),
    ("The hazard ratio was 0.66 (95% CI, 0.47-0.93; two-tailed P = .018).", 0.018, False),
    ("The hazard ratio was 0.66 (95% CI, 0.47-0.93; one-tailed stratified P = .009).", 0.009, True),
])
def test_numbered_and_tailed_sides_of_p(text, p, one_sided):
    (r,) = extract(text).ratios
    assert r.p_value == p and r.p_relation == "="
    assert (r.qualifier is not None and "one-sided p" in r.qualifier) is one_sided


# ---- medians

def test_median_range_age_is_no_median():
    text = ("A total of 640 women (median [range] age, 57 [31-84] years) were randomized. Median PFS was 7.7 vs "
            "5.1 months (HR, 0.66; 95% CI, 0.54-0.81).")
    assert _medians(text) == [("PFS", 7.7, False), ("PFS", 5.1, False)]


def test_median_ci_with_a_unit_before_not_reached():
    text = ("Median EFS was not reached (95% CI 38.0 months-not reached) in the combination group and was 30.2 months "
            "(95% CI 24.9 months-not reached) in the control group (HR 0.75, 95% CI 0.60-0.94).")
    meds = extract(text).medians
    assert [(m.endpoint, m.value, m.not_reached, m.ci_low, m.ci_high) for m in meds] == [
        ("EFS", None, True, 38.0, None), ("EFS", 30.2, False, 24.9, None)]


def test_time_to_an_improvement_is_a_median():
    text = ("Median time to symptom improvement was 4 days (95% CI 3-5) with drug K and 6 days (5-7) with placebo "
            "(rate ratio 1.31, 95% CI 1.10-1.56).")
    assert [(m.endpoint, m.value, m.ci_low, m.ci_high) for m in extract(text).medians] == [
        ("OTHER", 4.0, 3.0, 5.0), ("OTHER", 6.0, 5.0, 7.0)]
    # "an improvement of 2.8 months" is still the difference, not a median
    assert _medians("Median PFS was 8.4 v 5.6 months, an improvement of 2.8 months.") == [
        ("PFS", 8.4, False), ("PFS", 5.6, False)]


# ---- endpoints

@pytest.mark.parametrize("text, expected", [
    # any "time to <event>" names its own outcome, not the previous sentence's
    ("Median rPFS was 40.2 v 21.9 months (HR 0.55, 95% CI 0.47-0.65). Time to castration resistance was also "
     "longer (HR 0.61, 0.52-0.72).", [("PFS", 0.55), ("OTHER", 0.61)]),
    ("Median MFS was 36.6 v 14.9 months (HR 0.31, 95% CI 0.25-0.39). Median time to cytotoxic chemotherapy was "
     "not reached v 38.5 months (HR, 0.47; 95% CI, 0.35 to 0.63).", [("MFS", 0.31), ("OTHER", 0.47)]),
    # a phrase that goes on to another outcome's word is read as that outcome ("time to PSA progression" is TTP since
    # 2026-12-02: two of the three blind annotators who met it coded it so)
    ("Median time to PSA progression was 25.2 v 7.4 months (HR 0.29, 95% CI 0.23-0.37).", [("TTP", 0.29)]),
    ("The cardiovascular composite outcome occurred in 7.7% vs 9.0% (HR, 0.85 [95% CI, 0.71-1.02]).", [("MACE", 0.85)]),
])
def test_endpoint_wordings(text, expected):
    assert _ratios(text) == expected


def test_time_to_surgery_is_no_endpoint():
    assert [c for _a, _b, c in endpoint_list("the time to surgery was 22 hours")] == []
    assert [c for _a, _b, c in endpoint_list("the time to castration resistance")] == ["OTHER"]


# ---- n_randomized and arms

@pytest.mark.parametrize("text, expected", [
    ("Of 5120 patients who entered the run-in period, 4410 underwent randomization (2206 to drug V and 2204 to "
     "placebo).", 4410),
    ("Of 5120 patients screened, 4410 underwent randomization.", 4410),
])
def test_underwent_randomization_count(text, expected):
    assert extract(text).study.n_randomized == expected


def test_control_group_is_no_new_arm():
    text = ("Patients were randomly assigned to drug W plus letrozole or placebo plus letrozole. Median PFS was not "
            "reached (95% CI 30.1 months-not reached) in the drug W group and was 24.0 months (95% CI 19.2 "
            "months-not reached) in the control group (HR 0.70, 95% CI 0.55-0.89).")
    arms = [(a.name, a.role) for a in extract(text).study.arms]
    assert ("control", "control") not in arms
    assert ("placebo plus letrozole", "control") in arms


# ---- results as a list: "PFS: 9.9 vs 5.1 mo"

def test_labelled_list_of_durations_gives_medians():
    text = ("Key results (drug X vs placebo):\n- PFS: 9.9 vs 5.1 mo, HR 0.49 (0.38-0.63)\n- OS: NR vs 25.3 mo, HR 0.69 "
            "(0.51-0.93)\n- ORR: 48% vs 21%")
    assert [(m.endpoint, m.value, m.not_reached, m.arm_role) for m in extract(text).medians] == [
        ("PFS", 9.9, False, "experimental"), ("PFS", 5.1, False, "control"),
        ("OS", None, True, "experimental"), ("OS", 25.3, False, "control")]
    assert [m.quote for m in extract(text).medians][:1] == ["PFS: 9.9 vs 5.1 mo"]


@pytest.mark.parametrize("text, expected", [
    # a label after a sentence's end, and "time to <event>" as a label
    ("Results: 412 patients were randomised. PFS: 6.1 vs 4.0 months; HR 0.70 (95% CI 0.57, 0.86).",
     [("PFS", 6.1, False), ("PFS", 4.0, False)]),
    ("Time to deterioration: 8.1 vs 5.2 months.", [("OTHER", 8.1, False), ("OTHER", 5.2, False)]),
    # items on one line, parted by dashes: each label's values end at the next item
    ("DoR: 14.5 vs 9.2 mo - OS: NR vs 28.1 mo", [("DOR", 14.5, False), ("DOR", 9.2, False), ("OS", None, True),
                                                ("OS", 28.1, False)]),
    # "median" after the label: read once
    ("Median PFS: 6.1 vs 4.0 months.", [("PFS", 6.1, False), ("PFS", 4.0, False)]),
    # rates, ratios, headings, allocation ratios and steps of care are no medians
    ("12-month PFS: 45% vs 30%.", []),
    ("PFS: HR 0.70 (95% CI 0.57-0.86).", []),
    ("Results: 412 patients were randomised (1:1) to drug X or placebo.", []),
    ("Time to surgery: 3.1 vs 2.2 weeks.", []),
])
def test_labelled_durations(text, expected):
    assert _medians(text) == expected


# ---- set 7's remaining gaps (no set-8 document needs these)

def test_interval_from_randomisation_to_an_outcome_is_a_median():
    text = ("Women were randomly assigned to a pessary or expectant management. The median interval from "
            "randomisation to delivery was 84 days in the pessary group and 77 days in the expectant management group.")
    assert [(m.endpoint, m.value, m.unit, m.arm_role) for m in extract(text).medians] == [
        ("OTHER", 84.0, "days", "experimental"), ("OTHER", 77.0, "days", "control")]
    # a step of care is still no outcome
    assert _medians("The median interval from randomisation to start of treatment was 6 days.") == []


@pytest.mark.parametrize("text, expected", [
    # the outcome named between two ratios is the second one's, an adjective before its measure and a grade after it
    ("There was no difference in death (7.0% v 6.8%; adjusted risk ratio 1.03, 0.81 to 1.31) or in necrotising "
     "enterocolitis of Bell stage II or higher (adjusted risk ratio 0.92, 0.71 to 1.19).", [("OS", 1.03), ("OTHER", 0.92)]),
    ("Mortality did not differ (RR 1.03, 0.81 to 1.31) or in neutropenia of grade 3 or higher (RR 1.20, 0.90 to 1.60).",
     [("OS", 1.03), ("OTHER", 1.20)]),
    # a subgroup between two ratios is still no outcome
    ("PFS favoured drug A (HR 0.70, 0.55 to 0.89) and in patients with stage III disease (HR 0.62, 0.45 to 0.85).",
     [("PFS", 0.70), ("PFS", 0.62)]),
])
def test_outcome_named_between_ratios(text, expected):
    assert _ratios(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Infants were randomly assigned to drug L or placebo. Median time to full enteral feeding was 12 days in both "
     "groups.", [("OTHER", 12.0, "drug L", "experimental"), ("OTHER", 12.0, "placebo", "control")]),
    ("Patients were randomly assigned to drug A or placebo. Median time to discharge was 6 days in each group.",
     [("OTHER", 6.0, "drug A", "experimental"), ("OTHER", 6.0, "placebo", "control")]),
])
def test_one_median_for_both_groups(text, expected):
    assert [(m.endpoint, m.value, m.arm, m.arm_role) for m in extract(text).medians] == expected


def test_arm_name_across_a_line_break_is_the_same_arm():
    text = ("Patients were randomly assigned to drug Q plus azacitidine or azacitidine alone. Median OS was 15.1 months "
            "with drug Q\nplus azacitidine and 11.4 months with azacitidine alone (HR 0.72, 95% CI 0.58-0.90).")
    assert [(a.name, a.role) for a in extract(text).study.arms] == [
        ("drug Q plus azacitidine", "experimental"), ("azacitidine alone", "control")]


# ---- found in review of the abbreviations and the "time to" wordings

@pytest.mark.parametrize("text, expected", [
    # an abbreviation used for a group of patients is no outcome ("in CR", "with high-risk BCR")
    ("Patients in complete response (CR) after induction were randomly assigned to maintenance drug A or observation. "
     "The primary end point was progression-free survival. Among patients in CR at randomization, the hazard ratio "
     "was 0.58 (95% CI 0.40-0.84).", [("PFS", 0.58)]),
    ("Men with biochemical recurrence (BCR) were randomly assigned. The primary end point was metastasis-free "
     "survival. Among men with high-risk BCR, the HR was 0.40 (95% CI 0.27-0.59).", [("MFS", 0.40)]),
    # ... nor one used for an exposure ("with longer TTI"), nor a "time to" exposure written out
    ("Time to treatment initiation (TTI) was recorded. Overall survival was worse with longer TTI (HR 1.09, 95% CI "
     "1.02-1.17).", [("OS", 1.09)]),
    ("In-hospital mortality increased with longer time to antibiotic administration (OR 1.04; 95% CI 1.03-1.06; "
     "P<0.001).", [("OS", 1.04)]),
])
def test_abbreviation_or_time_to_as_a_group_or_an_exposure(text, expected):
    assert _ratios(text) == expected


def test_time_to_last_follow_up_is_follow_up():
    assert [c for _a, _b, c in endpoint_list("Median time to last follow-up was 36.2 months")] == ["FOLLOWUP"]


@pytest.mark.parametrize("text, expected", [
    ("Overall, 2,000 patients were enrolled, and 1,500 were randomly assigned after the run-in period.", 1500),
    ("Adults with a CD4 count above 500 underwent randomization to drug A or B. The trial enrolled 4685 participants.",
     4685),
])
def test_run_in_and_threshold_counts(text, expected):
    assert extract(text).study.n_randomized == expected


def test_definitions_tried_are_bounded(monkeypatch):
    # each candidate searches the rest of the text for a use: a bounded number keeps a hostile text linear (the
    # time itself is checked by tests/test_extract_hostile.py's megabyte)
    from metabolero.extract import endpoints

    calls = []
    real = endpoints._defined_code
    monkeypatch.setattr(endpoints, "_defined_code", lambda *a: calls.append(a) or real(*a))
    words = [a + b + c + d for a in "ABCDEFGH" for b in "ABCDEFGH" for c in "ABCDEFGH" for d in "AB"]
    endpoints.with_defined_abbreviations(" ".join(f"progression ({w}) {w}" for w in words))
    assert len(calls) == endpoints._MAX_DEFINITIONS


def test_empty_alias_is_dropped():
    dt = DefinedText("Time to first subsequent therapy (TFST); TFST.", {"": "OS", "TFST": "OTHER"})
    assert dt.aliases == {"TFST": "OTHER"}
    assert [c for _a, _b, c in endpoint_list(dt)] == ["OTHER", "OTHER", "OTHER"]


# ---- subgroup sentences of the primary end point, and medians in hours

def test_consistent_benefit_is_of_the_primary_end_point():
    text = ("The primary end point was invasive disease-free survival. Invasive disease-free survival was longer with "
            "drug T (HR 0.74, 95% CI 0.63-0.87). Distant relapse-free interval was also improved (HR 0.72, 0.60-0.86). "
            "The benefit was consistent in patients with four or more positive nodes (HR 0.70, 0.57-0.86).")
    assert _ratios(text) == [("iDFS", 0.74), ("DMFS", 0.72), ("iDFS", 0.70)]
    # "This benefit" is the sentence before's
    this = text.replace("The benefit was", "This benefit was")
    assert _ratios(this)[-1] == ("DMFS", 0.70)


def test_median_time_to_event_in_hours_is_converted_to_days_with_a_flag():
    text = ("Patients were randomly assigned to drug G or placebo. Median time to recovery of bowel function was 60 hours "
            "(95% CI 54-66) with drug G and 90 hours with placebo (hazard ratio for recovery 1.41, 95% CI 1.05-1.89).")
    meds = extract(text).medians
    assert [(m.endpoint, m.value, m.unit, m.ci_low, m.ci_high, m.arm_role) for m in meds] == [
        ("OTHER", 2.5, "days", 2.25, 2.75, "experimental"), ("OTHER", 3.75, "days", None, None, "control")]
    assert [f.code for f in meds[0].flags] == ["converted_from_hours"] and meds[0].flags[0].recomputed == 2.5
    assert "60 hours" in meds[0].quote
    # a measure in hours is no median
    assert _medians("The median sleep duration was 7.1 hours in both groups.") == []


# ---- found in review of the labelled lists, intervals, "both groups" and outcomes between ratios

_DESIGN = "Patients were randomly assigned to drug A or placebo. "


@pytest.mark.parametrize("text, expected", [
    # "and in <an analysis, a group>" after a ratio names no outcome: only "no difference in A (...) or in B (...)" does
    ("Drug A improved overall survival (HR 0.78; 95% CI 0.65-0.93) and in the final analysis (HR 0.80; 95% CI "
     "0.68-0.94).", [("OS", 0.78), ("OS", 0.80)]),
    ("Mortality at 28 days was lower (RR 0.83, 0.75 to 0.93) and in ventilated participants (RR 0.64, 0.51 to 0.81).",
     [("OS", 0.83), ("OS", 0.64)]),
    ("PFS was longer (HR 0.6, 0.5 to 0.7) and in carriers of BRCA mutations (HR 0.4, 0.3 to 0.6).",
     [("PFS", 0.6), ("PFS", 0.4)]),
])
def test_sibling_in_is_an_outcome_only_in_parallel(text, expected):
    assert _ratios(_DESIGN + text) == expected


@pytest.mark.parametrize("text, expected", [
    # a wording wrapped across a line is the label's whole wording, not its last line's
    ("Median progression-free\nsurvival: 11.2 vs 7.4 months (HR 0.62, 95% CI 0.50-0.80).",
     [("PFS", 11.2, "experimental"), ("PFS", 7.4, "control")]),
    # a landmark rate is no median
    ("DFS: 5 years, 88.1% vs 85.2% (HR 0.80, 95% CI 0.66-0.97).", []),
    ("OS: 12 mo 70% vs 61%.", []),
    # "vs." ends no item, and a wrapped line goes on with it
    ("PFS: 11.2 mo vs. 7.4 mo; OS: 25.0 mo vs. 20.1 mo.",
     [("PFS", 11.2, "experimental"), ("PFS", 7.4, "control"), ("OS", 25.0, "experimental"), ("OS", 20.1, "control")]),
    ("PFS: 11.2 months in the\ndrug A arm vs 7.4 months in the placebo arm.",
     [("PFS", 11.2, "experimental"), ("PFS", 7.4, "control")]),
    # lines without bullets, each a label
    ("Results:\nPFS: 11.2 vs 7.4 months\nOS: 25.0 vs 20.1 months",
     [("PFS", 11.2, "experimental"), ("PFS", 7.4, "control"), ("OS", 25.0, "experimental"), ("OS", 20.1, "control")]),
    # a step of care, as a label or after "from randomisation to", is no outcome
    ("Time to treatment: 14 days vs 12 days.", []),
    ("The median time from randomisation to delivery of radiotherapy was 8 days.", []),
    # one value "in both groups": of the first endpoint only, and not when the groups are pooled
    ("Median OS in patients with liver metastases was 9.0 months in both groups.",
     [("OS", 9.0, "experimental"), ("OS", 9.0, "control")]),
    ("Median overall survival was 14.1 months in both groups combined.", [("OS", 14.1, None)]),
])
def test_review_limits_of_list_and_interval_medians(text, expected):
    assert [(m.endpoint, m.value, m.arm_role) for m in extract(_DESIGN + text).medians] == expected


def test_one_value_in_each_of_three_groups_is_one_median():
    text = ("Patients were randomly assigned to drug A 10 mg, drug A 20 mg, or placebo. Median PFS was 5.6 months in "
            "each group.")
    assert [(m.endpoint, m.value) for m in extract(text).medians] == [("PFS", 5.6)]


def test_list_item_running_into_a_sentence_keeps_its_median():
    # the next line is a sentence, not an item: its percentages are not the label's
    text = "- ORR: 52% vs 38%\n- DoR: 14.5 vs 9.2 mo\nGrade 3-4 adverse events occurred in 71.4% vs 63.8% of patients."
    assert _medians(_DESIGN + text) == [("DOR", 14.5, False), ("DOR", 9.2, False)]


def test_drug_named_between_ratios_is_no_outcome():
    # a word with a drug's INN stem ("-tinib", "-mab") names a treatment even where the text uses it only once
    text = ("Versus sorafenib, OS was longest with ravotinib (HR 0.66, 95% CrI 0.52-0.83), followed by "
            "pelizumab (HR 0.79, 95% CrI 0.66-0.95) and delotinib (HR 0.85, 95% CrI 0.72-1.00).")
    assert _ratios(text) == [("OS", 0.66), ("OS", 0.79), ("OS", 0.85)]
    # an unknown outcome named there is still its own
    assert _ratios("Death did not differ (RR 1.03, 0.81 to 1.31) or pneumonitis (RR 1.90, 1.10 to 3.28).") == [
        ("OS", 1.03), ("OTHER", 1.90)]
