"""Accuracy floors of the extractor on the gold dev set, scored by shared/gold/score.py."""
from __future__ import annotations

import importlib.util
import json

import pytest

from metabolero.extract import extract
from metabolero.records import Document

FLOORS = {"ratio_value": 0.97, "ratio_full": 0.93, "median_value": 0.93}


@pytest.fixture(scope="module")
def scores(shared, tmp_path_factory):
    gold = shared / "gold"
    preds = tmp_path_factory.mktemp("extract") / "preds.jsonl"
    with preds.open("w", encoding="utf-8") as fh:
        for f in sorted(gold.glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            if "ratios" in d:
                fh.write(json.dumps(extract(Document(id=d["id"], text=d["text"])).to_dict()) + "\n")
    spec = importlib.util.spec_from_file_location("gold_score", gold / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res, _errors = mod.score(gold, preds)
    return res


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_f1_floor(scores, name):
    assert scores["predicted_documents"] == scores["documents"]
    assert scores[name]["f1"] >= FLOORS[name], scores[name]


def test_median_role_floor(scores):
    assert scores["median_role"] >= 0.90


def test_n_randomized_floor(scores):
    assert scores["n_randomized"] >= 0.90
