"""Accuracy floors of the extractor on the fictional challenge set (tests/fixtures/challenge).

The 60 abstracts were annotated by hand, independently of the extractor, per the dev set's
SCHEMA.md and GUIDE.md; they are scored with the shared scorer (../shared/gold/score.py), so
the keys are exactly those of the dev-set floors. The floors sit a little below what the
extractor reaches, so a regression in how rules carry over to unseen wordings fails here.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from metabolero.extract import extract
from metabolero.records import Document

CHALLENGE = Path(__file__).resolve().parent / "fixtures" / "challenge"

FLOORS = {"ratio_value": 0.98, "ratio_full": 0.97, "median_value": 0.97}


@pytest.fixture(scope="module")
def scores(shared, tmp_path_factory):
    scorer = shared / "gold" / "score.py"
    if not scorer.exists():
        pytest.skip(f"shared scorer not found at {scorer}")
    files = sorted(CHALLENGE.glob("CH-*.json"))
    assert len(files) == 60, f"expected 60 challenge abstracts in {CHALLENGE}, found {len(files)}"
    preds = tmp_path_factory.mktemp("challenge") / "preds.jsonl"
    with preds.open("w", encoding="utf-8") as fh:
        for f in files:
            d = json.loads(f.read_text(encoding="utf-8"))
            fh.write(json.dumps(extract(Document(id=d["id"], text=d["text"])).to_dict()) + "\n")
    spec = importlib.util.spec_from_file_location("gold_score", scorer)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res, _errors = mod.score(CHALLENGE, preds)
    return res


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_challenge_f1_floor(scores, name):
    assert scores["predicted_documents"] == scores["documents"] == 60
    assert scores[name]["f1"] >= FLOORS[name], scores[name]


def test_challenge_median_role_floor(scores):
    assert scores["median_role"] >= 0.95


def test_challenge_n_randomized_floor(scores):
    assert scores["n_randomized"] >= 0.95


def test_challenge_perfect_docs_floor(scores):
    assert scores["perfect_docs"] >= 0.90
