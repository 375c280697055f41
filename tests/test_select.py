"""Selection of ratios for pooling: drug classes, assessments, latest analysis per trial."""
import pytest

from metabolero.errors import ConfigError
from metabolero.meta.select import (
    Analysis, Candidate, analysis_stage, assessment_of, drug_class, parse_config, select_for_pooling,
)
from metabolero.records import Ratio

GROUPS = {"CDK4/6": ("palbociclib", "ribociclib"), "mTOR": ("everolimus",)}


def cand(trial, doc, value, stage="primary", year=2016, arm="Palbociclib + letrozole", qualifier=None, endpoint="PFS"):
    r = Ratio("HR", endpoint, value, 0.4, 0.9, qualifier=qualifier)
    return Candidate(trial=trial, doc_id=doc, ratio=r, experimental=arm, control="placebo", stage=stage, year=year)


@pytest.mark.parametrize("qualifier,expected", [
    ("central review", "central"), ("blinded independent central review", "central"),
    ("investigator assessed", "investigator"), ("assessed by local investigators", "investigator"),
    (None, "unspecified"), ("adjusted", "unspecified"),
])
def test_assessment_of(qualifier, expected):
    assert assessment_of(Ratio("HR", "PFS", 0.5, qualifier=qualifier)) == expected


@pytest.mark.parametrize("arm,expected", [
    ("Ribociclib plus letrozole", "CDK4/6"), ("everolimus + exemestane", "mTOR"),
    ("placebo plus letrozole", None), ("non-everolimusX", None), (None, None),
])
def test_drug_class(arm, expected):
    assert drug_class(arm, GROUPS) == expected


@pytest.mark.parametrize("qualifier,title,stage", [
    ("final analysis", None, "final"), (None, "Updated results of PALOMA-2", "updated"),
    (None, "Interim analysis of X", "interim"), (None, "A phase 3 trial", "primary"),
    ("interim analysis", "Final overall survival", "interim"),
])
def test_analysis_stage(qualifier, title, stage):
    assert analysis_stage(Ratio("HR", "PFS", 0.5, qualifier=qualifier), title) == stage


def test_latest_analysis_of_each_trial_is_pooled_once():
    cands = [
        cand("PALOMA-2", "p2a", 0.58, "primary", 2016),
        cand("PALOMA 2", "p2b", 0.563, "updated", 2019),
        cand("MONALEESA-2", "m2", 0.56, "interim", 2016, arm="Ribociclib + letrozole"),
        cand("BOLERO-2", "b2", 0.43, arm="Everolimus + exemestane"),            # other class
        cand("PALOMA-3", "p3", 0.42, qualifier="central review"),               # other assessment
        cand("PALOMA-3", "p3", 0.50, qualifier="subgroup: visceral"),           # subgroup
        cand("PALOMA-1", "p1", 0.81, endpoint="OS"),                            # other endpoint
    ]
    used, aside = select_for_pooling(cands, Analysis("x", "CDK4/6", "PFS", "investigator"), GROUPS)
    assert sorted(c.ratio.value for c in used) == [0.56, 0.563]
    reasons = {d.candidate.doc_id: d.reason for d in aside}
    assert set(reasons) == {"p2a", "p3"}
    assert "latest analysis used (updated, p2b" in reasons["p2a"]
    assert reasons["p3"].startswith("subgroup estimate")


def test_central_analysis_takes_only_central():
    cands = [cand("A", "a", 0.4, qualifier="central review"), cand("B", "b", 0.5)]
    used, _ = select_for_pooling(cands, Analysis("x", "CDK4/6", "PFS", "central"), GROUPS)
    assert [c.doc_id for c in used] == ["a"]


def test_config_errors_name_the_field():
    with pytest.raises(ConfigError, match=r"method = 'FOO'"):
        parse_config({"pooling": {"method": "foo"}}, "r.toml")
    with pytest.raises(ConfigError, match=r"#1: group 'X' is not defined"):
        parse_config({"groups": {"A": ["a"]}, "analysis": [{"group": "X", "endpoint": "PFS"}]}, "r.toml")
    cfg = parse_config({"pooling": {"method": "dl", "hksj": True}, "groups": {"A": ["Alpha "]},
                        "analysis": [{"group": "A", "endpoint": "OS", "assessment": "any"}]}, "r.toml")
    assert cfg.pooling.method == "DL" and cfg.pooling.hksj
    assert cfg.group_map == {"A": ("alpha",)} and cfg.analyses[0].name == "A - OS (any)"


def _at(c, order, qualifier=None):
    import dataclasses
    from metabolero.records import Span
    span = Span(c.doc_id, order, order + 4, "x" * 4)
    return dataclasses.replace(c, ratio=dataclasses.replace(c.ratio, qualifier=qualifier, span=span))


def test_trial_reported_only_by_cohort_is_represented_by_first_cohort():
    cands = [_at(cand("SOLAR-1", "s", 0.85), 900, "subgroup: cohort without PIK3CA mutation"),
             _at(cand("SOLAR-1", "s", 0.65), 400, "subgroup: PIK3CA-mutated cohort")]
    used, aside = select_for_pooling(cands, Analysis("x", "CDK4/6", "PFS"), GROUPS)
    assert [c.ratio.value for c in used] == [0.65]
    assert "first-reported estimate" in aside[0].reason


def test_second_estimate_in_same_document_is_not_called_an_earlier_analysis():
    cands = [_at(cand("CAP", "c", 0.50), 700), _at(cand("CAP", "c", 0.60), 300)]
    used, aside = select_for_pooling(cands, Analysis("x", "CDK4/6", "PFS"), GROUPS)
    assert [c.ratio.value for c in used] == [0.60]
    assert "same document" in aside[0].reason and "latest analysis" not in aside[0].reason


def test_later_publication_wins_over_stage_words():
    cands = [cand("T", "a", 0.5, "final", 2015), cand("T", "b", 0.6, "updated", 2020)]
    used, _ = select_for_pooling(cands, Analysis("x", "CDK4/6", "PFS"), GROUPS)
    assert [c.doc_id for c in used] == ["b"]
