"""Guards for study.py shortcuts that rely on the shape of a word list or a pattern (round 8, studyb)."""
from metabolero.extract import study as S


def test_meta_words_each_found():
    # _meta_words looks for "systematic review", "we searched" and (behind "e included") "studies were
    # included" by name, the rest by their "meta"/"pooled" keys: every word of _META_WORDS must still be found
    for w in S._META_WORDS:
        for text in (w, f"In this {w} of trials", f"{w.upper()} x"):
            assert S._meta_words(text.lower()) == "meta", w
            assert S.is_meta(text), w


def test_meta_we_included_behind_e_included():
    # "we included" (for META_RE) is only looked for when "e included" occurs: both must hold it
    assert "e included" in "we included" and "e included" in "studies were included"
    assert S._meta_words("we included 12 trials") == "we included"
    assert S.is_meta("We included 12 randomized trials.")
    assert not S.is_meta("Patients were included if they had cancer.")
    assert S._meta_words("the one included") == ""


def test_alloc_colon_gate():
    # find_allocation returns None when the text holds no ":": every ALLOC_RE ratio holds one
    assert S._ALLOC_COLON_RE.pattern.startswith(":") and ":" in S.ALLOC_RE.pattern
    assert S.find_allocation("Patients were randomized 2:1 to A or B.") == "2:1"
    assert S.find_allocation("Patients were randomized (1 : 1) to A or B.") == "1:1"
    assert S.find_allocation("Patients were randomized 2 to 1 to A or B.") is None
