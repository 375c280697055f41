"""Guards for medians.py shortcuts of round 8 (helper "medians")."""
from hypothesis import given, settings, strategies as st

from metabolero.extract import medians
from metabolero.extract.text import has_odd_folds, lower

_ALPHABET = st.sampled_from(list("abcdefgilnoprstuvxyz DIFFERENCE \u03a3\u03c3\u00e9\u00c9\u2265\u00b1") + ["gain of", "delta", "reduction"])


@given(st.lists(_ALPHABET, max_size=40).map("".join), st.integers(0, 60), st.integers(0, 60))
@settings(max_examples=300, deadline=None)
def test_window_of_lowered_range_holds_the_same_words(seg, i, j):
    # _read_values slices its range's lower case for each window instead of lowering the window (no odd folds)
    if has_odd_folds(seg):
        return
    i, j = min(i, j, len(seg)), min(max(i, j), len(seg))
    low = seg.lower() if seg.isascii() else lower(seg)
    assert len(low) == len(seg)
    assert medians._holds_any(low[i:j], medians._DIFF_WORDS) == medians._may_hold(seg, i, j, medians._DIFF_WORDS)


def test_qualifier_split_keeps_its_result():
    text = "Median PFS by blinded independent central review was 7.2 months; investigator-assessed PFS was 6.9."
    n = len(text)
    for pos in range(0, n, 7):
        got = medians._qualifier(text, 0, pos, n)
        want = medians._qualifier_at(text, 0, pos, n) if medians._may_qualify(text[0:n]) else None
        assert got == want
    assert medians._qualifier(text, 0, n, n) == "investigator assessed"
