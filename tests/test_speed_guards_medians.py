"""Guards for medians.py shortcuts of round 8: _assign tests a range once for an assessment qualifier
(_may_qualify) and reads each position's qualifier with _qualifier_at; a difference between medians stays
no median wherever the sentence puts a bracket before it (a review found a shortcut that broke this)."""
import pytest

from metabolero.extract import extract, medians

_TEXT = "Median PFS by blinded independent central review was 7.2 months; investigator-assessed PFS was 6.9."


def test_qualifier_is_the_nearest_stated_before_the_position():
    n = len(_TEXT)
    assert medians._qualifier(_TEXT, 0, _TEXT.index("7.2"), n) == "central review"
    assert medians._qualifier(_TEXT, 0, n, n) == "investigator assessed"
    assert medians._qualifier(_TEXT, 0, 3, n) is None  # nothing stated before it
    # the one range test _assign makes decides for every position of the range
    for pos in range(0, n, 7):
        assert (medians._qualifier_at(_TEXT, 0, pos, n) if medians._may_qualify(_TEXT) else None) \
            == medians._qualifier(_TEXT, 0, pos, n)


def test_may_qualify_needs_a_case_exact_word():
    # "CEntral" holds "entral" only in its lower case: no qualifier pattern can match it
    assert medians._may_qualify("by CEntral review") is False
    assert medians._may_qualify("no such word here") is False
    assert medians._may_qualify("by Investigator review") is True


@pytest.mark.parametrize("text", [
    "Median PFS: 7.2 months (IQR 5-9), a difference of 2.1 months.",
    "Median PFS: 7.2 months (drug), a gain of 2.1 months.",
    "Median PFS was 7.2 months, a difference of 2.1 months.",
])
def test_a_difference_after_a_bracket_is_not_a_median(text):
    assert [(m.endpoint, m.value) for m in extract(text).medians] == [("PFS", 7.2)]
