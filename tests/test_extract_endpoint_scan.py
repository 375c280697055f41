"""The fast endpoint scan (extract.endpoints.find_endpoints) against its plain definition.

find_endpoints narrows the lexicon with tables derived from re's private parser; the plain
windowed scan (the whole lexicon at every word start up to 45 characters before an anchor) is
the definition it must equal, and the path taken when a Python has no ``re._parser``.
Texts: the documents of corpus/ (in the repository), their upper-cased copies and copies with
characters whose case folding is odd; ranges drawn with a fixed seed.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from metabolero import ingest
from metabolero.extract import endpoints, extract

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _texts() -> list[str]:
    out = []
    for p in sorted(CORPUS.iterdir()):
        if p.suffix in (".txt", ".xml", ".nbib"):
            out.extend(d.text for d in ingest.read_path(p))
    return out


TEXTS = _texts()


def test_corpus_is_read():
    assert len(TEXTS) >= 30


@pytest.mark.parametrize("variant", ["as is", "upper", "odd folds"])
def test_fast_scan_equals_windowed_scan_on_random_ranges(variant):
    rng = random.Random(7)
    checked = found = 0
    for text in TEXTS:
        if variant == "upper":
            text = text.upper()
        elif variant == "odd folds":
            text = text.replace("s", "\u017f", 3).replace("k", "\u212a", 2)
        for _ in range(20):
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.choice((5, 40, 200, 2000)))
            fast = list(endpoints.find_endpoints(text, a, b))
            assert fast == list(endpoints._find_endpoints_windows(text, a, b)), (variant, a, b, text[a:b])
            # callers that read only the first wording ask for it alone
            assert endpoints.endpoint_list(text, a, b, first=True) == fast[:1], (variant, a, b, text[a:b])
            checked += 1
            found += len(fast)
    assert checked == 20 * len(TEXTS) and found > 100  # the ranges did hold wordings


def test_without_re_parser_extraction_is_unchanged(monkeypatch):
    expected = [extract(t).to_dict() for t in TEXTS[:10]]
    monkeypatch.setattr(endpoints, "_parser", None)
    # as on a first call: no head tables built yet (they would need the parser)
    endpoints._dispatch.cache_clear()
    endpoints._heads_by_alt.cache_clear()
    monkeypatch.setattr(endpoints, "_TABLES", None)
    assert [extract(t).to_dict() for t in TEXTS[:10]] == expected
