"""Literal pre-checks that stand in front of a pattern for speed must agree with the pattern alone.

Each pre-check lists words by hand (the words every match holds); these properties fail when a word is
added to the pattern but not to its pre-check.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metabolero import extract
from metabolero.extract import medians, ratios, study
from metabolero.extract import text as text_module


def _words_of(pattern: re.Pattern) -> list[str]:
    # the literal words a pattern is written with, in several cases, as building blocks for texts
    words = set(re.findall(r"[a-z]{2,}", pattern.pattern))
    return sorted(words | {w.upper() for w in words} | {w.title() for w in words})


_FILLER = [" ", "  ", "\n", ",", "-", "(", ")", "x", "plus", "1", "\u017f", "\u0131", "\u212a"]


def _texts(*patterns: re.Pattern):
    pieces = sorted({w for p in patterns for w in _words_of(p)}) + _FILLER
    return st.lists(st.sampled_from(pieces), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(_texts(medians._CONTROL_RE))
def test_control_precheck_agrees_with_its_pattern(name):
    assert medians._is_control(name) == (medians._CONTROL_RE.search(name) is not None)


@settings(max_examples=400, deadline=None)
@given(_texts(medians._NONTREATMENT_RE))
def test_nontreatment_precheck_agrees_with_its_pattern(name):
    assert medians._is_nontreatment(name) == (medians._NONTREATMENT_RE.search(name) is not None)


def test_number_word_scan_holds_every_number_word():
    for w in medians._NUMBER_WORDS:
        assert medians._NUMBER_WORD_LOW_RE.fullmatch(w), w


@settings(max_examples=400, deadline=None)
@given(_texts(medians._NUMBER_WORD_RE))
def test_number_words_agree_with_the_plain_pattern(text):
    expected = [m.span() for m in medians._NUMBER_WORD_RE.finditer(text)]
    assert medians._number_words(text, 0, len(text), text, text.lower()) == expected


_ARM = st.sampled_from(["A", "drug X", "placebo", "x" * 59, "y" * 60, "z" * 61, "arm B plus C"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ARM.map(lambda a: a + " (n=12)"), st.sampled_from(
    [" to ", ": ", ", ", " or ", " and ", ",", " ", " (arm A, n=3)", " (N = 40)", "."])), max_size=9).map("".join))
def test_sized_arms_precheck_agrees_with_its_pattern(text):
    m = study._sized_arms(text)
    expected = study._SIZED_ARMS_RE.search(text)
    assert (m and m.span()) == (expected and expected.span())


def test_sized_arms_precheck_admits_the_longest_gaps():
    # names of the longest length the pattern allows (61 characters), with the longest separators: gaps of
    # exactly 63 and 67 characters between the sizes, the pre-check's bounds
    text = "randomly assigned to Ab (n=12), " + "z" * 61 + " (n=12), and " + "y" * 61 + " (n=13)"
    expected = study._SIZED_ARMS_RE.search(text)
    assert expected is not None
    assert study._sized_arms(text).span() == expected.span()


# _NOT_RESULT_RE's words (its pattern writes them split around look-behinds), a few cut short, and odd folds
_NOT_RESULT_WORDS = ["margin", "assumed", "assuming", "power", "powered", "to detect", "hypothesized", "hypothesised",
                     "target", "targeted", "expected", "boundary", "threshold", "sample size", "argin", "ample",
                     "\u017fample \u017fize", "a\u017f\u017fumed", "thre\u017fhold"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([w for x in _NOT_RESULT_WORDS for w in (x, x.upper(), x.title())] + _FILLER),
                max_size=6).map("".join), st.sampled_from(["", ".", ";", " 0.72"]))
def test_not_result_stems_agree_with_their_pattern(text, tail):
    # _not_result runs _NOT_RESULT_RE only where _NOT_RESULT_STEMS_RE finds a stem: it must agree with the
    # pattern alone on the range after the last "." or ";"
    text += tail
    lo = max(0, text.rfind(".") + 1, text.rfind(";") + 1)
    assert ratios._not_result(text, 0, len(text)) == (ratios._NOT_RESULT_RE.search(text, lo, len(text)) is not None)


_PREFIX_WORDS = ["adjusted", "age-adjusted", "age adjusted", "multivariable-adjusted", "unadjusted", "multivariate",
                 "multivariable", "stratified", "weighted", "subdistribution", "pooled", "cause-specific"]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from([w for x in _PREFIX_WORDS for w in (x, x.upper(), x.title())] + ["the", "hazard", "a"]),
       st.sampled_from([" ", "  ", "-", " - ", "\n", "\u00a0", "   "]), st.sampled_from(["", "x", "the "]))
def test_prefix_tails_agree_with_the_reversed_pattern(word, sep, before):
    # _prefix skips the reversed-window match unless the window ends in a hyphen or a _PREFIX_TAILS pair:
    # the words _PREFIX_REV_RE reads (reversed) must all end in such a pair
    text = before + word + sep
    m = ratios._PREFIX_REV_RE.match(text[max(0, len(text) - 30):][::-1])
    expected = None if m is None else text[len(text) - m.end():len(text) - m.end() + len(m.group(1))]
    assert ratios._prefix(text, len(text)) == expected



# the words _ARM_AFTER_RE / _ARM_LIST_AFTER_RE open with (after separators), as their patterns list them
_ARM_AFTER_OPENERS = ["in", "for", "with", "among", "on", "of", "in favour of", "in favor of", "respectively in",
                      "respectively, with"]
_ARM_LIST_OPENERS = ["for", "in", "with", "respectively for", "respectively, in"]
_SEPARATORS = ["", " ", "  ", "   ", "\n", ",", " ,", ", ", " , ", "  ,  "]


def _cases(word: str) -> list[str]:
    return [word, word.upper(), word.title()]


@pytest.mark.parametrize("pattern, heads, spaces, openers, tail", [
    (medians._ARM_AFTER_RE, medians._ARM_AFTER_HEADS, 3, _ARM_AFTER_OPENERS, " the X group, and"),
    (medians._ARM_LIST_AFTER_RE, medians._ARM_LIST_HEADS, 2, _ARM_LIST_OPENERS, " the A and B groups."),
])
def test_arm_heads_admit_every_opener(pattern, heads, spaces, openers, tail):
    # each pattern is tried only where _may_begin finds one of its heads: no match may be lost
    matched = 0
    for opener in openers:
        for word in _cases(opener):
            for sep in _SEPARATORS:
                text = f"{sep}{word}{tail}"
                if pattern.match(text) is not None:
                    matched += 1
                    assert medians._may_begin(text, 0, spaces, heads), text
    assert matched >= len(openers) * 3 * 5  # (the texts are real matches: the test is not vacuous)


def test_treatment_word_with_question_mark_does_not_match_non_ascii_letter():
    # _names_treatment may look for an ASCII word in a copy of the text whose non-ASCII letters became "?":
    # a label word holding "?" must not match them ("zorb?l" is not "zorbél")
    assert not ratios._names_treatment("Patients were assigned to zorb\u00e9l.", "zorb?l cramps", 0)
    assert ratios._names_treatment("Patients were assigned to zorbel.", "zorbel cramps", 0)
    text = ("Overall survival was longer with zorb\u00e9l. "
            "The hazard ratio for zorb?l cramps was 1.31 (95% CI 1.10-1.50).")
    (r,) = extract(text).ratios
    assert r.endpoint == "OTHER"


@pytest.mark.parametrize("sep", ["vs", "v.", "versus", "compared with", "than ", "and"])
def test_pair_start_kept_at_the_longest_distance_to_its_separator(sep):
    # _pair_sep_near keeps a start only when a separator word begins within 100 characters of it (read off
    # _PAIR_RE): a match whose optional parts and first arm are all at their longest must keep its start
    text = "receiving  the  patients  treated with  A" + "b" * 50 + f"  group  {sep} Bexo, then more."
    low = text.lower()
    assert low.find(sep.split()[0], 0) == 100
    m = medians._PAIR_RE.match(text)
    assert m is not None and m.group("a") == "A" + "b" * 50
    assert 0 in medians._pair_starts(text, 0, len(text))
    # one character more in the arm and the pattern cannot match here (its arm holds at most 51)
    longer = text.replace("A", "Ab", 1)
    assert medians._PAIR_RE.match(longer) is None


@pytest.mark.parametrize("text", [
    "", "Overall Survival", "Caf\u00c9 \u00c0 \u00df \u00ff \u00b5 HR 0.58",          # ASCII and Latin-1
    "PFS \u2265 6 months in \u0391\u0392 arm", "\u039f\u03a3 \u03a3\u039f\u03a3",     # Greek capitals, final sigma
    "\u0130stanbul cohort", "\u212a-ras \u017fub", "\u2264 0.05 \u00d7 10\u207b\u00b3 \u4e00\u4e8c",
    "lone \ud800 surrogate", "MIXED \u00c9 and \u0100 and \u2265",
])
def test_lower_is_str_lower(text):
    # text.lower() is str.lower() by cheaper routes for non-ASCII texts: it must give the same string
    assert text_module.lower(text) == text.lower()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=40))
def test_lower_is_str_lower_on_any_text(text):
    assert text_module.lower(text) == text.lower()
