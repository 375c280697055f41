"""Consistency checks on ratios, against hand calculations and scipy's normal distribution."""
from __future__ import annotations

import math

import pytest
from scipy import stats

from metabolero.extract import extract
from metabolero.extract.checks import (check_ci_contains, check_ci_symmetry, check_median_direction,
                                       check_p_value, check_ratio, check_significance, implied_p)
from metabolero.records import Median, Ratio


def test_implied_p_matches_scipy_wald_test():
    # HR 0.72 (0.62-0.83): se = (ln .83 - ln .62) / (2 * 1.95996), z = |ln .72| / se
    se = (math.log(0.83) - math.log(0.62)) / (2 * stats.norm.ppf(0.975))
    expected = 2 * stats.norm.sf(abs(math.log(0.72)) / se)
    assert implied_p(0.72, 0.62, 0.83) == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(1.01e-5, rel=0.02)  # by hand: z = 4.414
    se90 = (math.log(1.2) - math.log(0.8)) / (2 * stats.norm.ppf(0.95))
    assert implied_p(0.98, 0.8, 1.2, 90) == pytest.approx(2 * stats.norm.sf(abs(math.log(0.98)) / se90), rel=1e-9)


def test_consistent_ratio_has_no_flags():
    r = Ratio("HR", "OS", 0.72, 0.62, 0.83, p_value=0.001, p_relation="<")
    assert check_ratio(r) == []


def test_ci_excluding_estimate():
    flags = check_ci_contains(Ratio("HR", "OS", 0.45, 0.6, 0.9))
    assert [f.code for f in flags] == ["ci_excludes_estimate"]
    # 0.60 vs a CI starting at 0.6 is fine
    assert check_ci_contains(Ratio("HR", "OS", 0.6, 0.6, 0.9)) == []


def test_asymmetric_ci_reports_geometric_midpoint():
    flags = check_ci_symmetry(Ratio("HR", "OS", 0.5, 0.45, 0.9))
    assert [f.code for f in flags] == ["ci_asymmetric"]
    assert flags[0].recomputed == pytest.approx(math.sqrt(0.45 * 0.9), abs=1e-4)
    # sqrt(0.62 * 0.83) = 0.7174: within rounding of 0.72
    assert check_ci_symmetry(Ratio("HR", "OS", 0.72, 0.62, 0.83)) == []


def test_p_mismatch_and_rounding():
    flags = check_p_value(Ratio("HR", "OS", 0.72, 0.62, 0.83, p_value=0.3, p_relation="="))
    assert [f.code for f in flags] == ["p_mismatch"]
    assert flags[0].recomputed == pytest.approx(implied_p(0.72, 0.62, 0.83), rel=1e-3)
    # HR 0.69 (0.49-0.99), implied p ~ 0.044: a reported 0.04 is consistent
    assert check_p_value(Ratio("HR", "OS", 0.69, 0.49, 0.99, p_value=0.04, p_relation="=")) == []
    assert check_p_value(Ratio("HR", "OS", 0.69, 0.49, 0.99, p_value=0.001, p_relation="<")) != []


def test_significance_with_ci_crossing_one():
    flags = check_significance(Ratio("HR", "OS", 0.9, 0.8, 1.1, p_value=0.01, p_relation="="))
    assert [f.code for f in flags] == ["significance_ci_mismatch"]
    assert check_significance(Ratio("HR", "OS", 0.9, 0.8, 0.99, p_value=0.01, p_relation="=")) == []


def test_medians_pointing_the_other_way():
    meds = [Median("PFS", 10.0, "months", arm_role="experimental"), Median("PFS", 5.0, "months", arm_role="control")]
    flags = check_median_direction(Ratio("HR", "PFS", 1.5, 1.2, 1.9), meds)
    assert [f.code for f in flags] == ["median_direction"]
    assert check_median_direction(Ratio("HR", "PFS", 0.5, 0.4, 0.6), meds) == []


def test_flags_are_part_of_extracted_records():
    e = extract("Overall survival improved (HR 0.45; 95% CI 0.60-0.90; P=0.30).")
    codes = {f.code for f in e.ratios[0].flags}
    assert "ci_excludes_estimate" in codes
    assert e.to_dict()["ratios"][0]["flags"]
