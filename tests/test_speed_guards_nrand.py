"""Guards for find_n_randomized's speed-ups (study.py): they fail when a pattern changes so as to break one."""
import re

from metabolero.extract import study as S


def test_anchor_re_is_the_plain_alternation():
    # _ANCHOR_RE is built by _alternation with "were" and its look-ahead merged into the "w" branch: it must
    # find what the plain alternation of the words finds, at the same places
    plain = re.compile(" (?:" + "|".join(re.escape(w) for w in S._ANCHOR_WORDS)
                       + r"|were(?=[\s\S](?:" + "|".join(S._WERE_NEXT) + ")))")
    words = list(S._ANCHOR_WORDS) + ["were", "wer", "wo", "womb", "pat", "of who", "in", "i"]
    texts = [" ".join(words), " " + " ".join(w + " " + x for w in words for x in S._WERE_NEXT + ("then", ")"))]
    texts += [" were randomized", " were  enrolled", " were\nincluded", " weren't", " women)", " menopause"]
    for t in texts:
        assert [m.span() for m in S._ANCHOR_RE.finditer(t)] == [m.span() for m in plain.finditer(t)], t


def test_alternation_tails():
    assert S._alternation(("women", "were"), {"were": "(?=x)"}) == "w(?:omen|ere(?=x))"
    assert S._alternation(("ab", "c"), {"c": "(?=y)"}) == "ab|c(?=y)"


def test_alternation_refuses_a_tail_for_a_word_it_does_not_have():
    # a misspelt key would otherwise drop the look-ahead silently ("were" would become an anchor everywhere)
    import pytest
    with pytest.raises(ValueError, match="'wer'"):
        S._alternation(("women", "were"), {"wer": "(?=x)"})
