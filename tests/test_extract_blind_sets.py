"""Accuracy floors of the extractor on the fictional challenge sets (tests/fixtures/challenge*).

Each set was written and annotated by hand per shared/gold/SCHEMA.md and GUIDE.md by someone
who had not seen the extractor's rules, measured blind, and only then used to correct the
grammar (blind scores: benchmarks/extract_challenge.py). Scored with the shared scorer
(../shared/gold/score.py); the floors sit a little below what the extractor now reaches, so
they catch regressions. The rule-level tests of each correction round live in
tests/test_extract_challenge*.py.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from metabolero.extract import extract
from metabolero.records import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# set: (documents, F1 floors of ratio_value/ratio_full/median_value, median_role, n_randomized, perfect_docs)
SETS = {
    "challenge": (60, (0.98, 0.97, 0.97), 0.95, 0.95, 0.90),
    "challenge2": (40, (0.98, 0.97, 0.97), 0.95, 0.95, 0.92),
    "challenge3": (30, (0.98, 0.96, 0.97), 0.95, 0.95, 0.90),
    "challenge4": (30, (0.98, 0.96, 0.96), 0.92, 0.95, 0.90),
    "challenge5": (25, (0.97, 0.97, 0.96), 0.95, 0.95, 0.88),
    "challenge6": (25, (0.98, 0.97, 0.97), 0.95, 0.95, 0.92),
    "challenge7": (25, (0.98, 0.96, 0.98), 0.91, 0.90, 0.88),
    "challenge8": (25, (0.98, 0.98, 0.98), 0.95, 0.95, 0.96),
    "challenge9": (25, (0.98, 0.96, 0.98), 0.94, 0.95, 0.88),
    "challenge10": (25, (0.95, 0.95, 0.94), 0.90, 0.95, 0.88),
    "challenge11": (25, (0.98, 0.96, 0.98), 0.92, 0.94, 0.84),
    "challenge12": (25, (0.98, 0.97, 0.98), 0.93, 0.94, 0.92),
    "challenge13": (25, (0.98, 0.98, 0.98), 0.90, 0.95, 0.96),
    "challenge14": (25, (0.98, 0.98, 0.98), 0.90, 0.98, 0.96),
    "challenge15": (25, (0.97, 0.95, 0.98), 0.94, 0.95, 0.84),
    "challenge16": (25, (0.98, 0.97, 0.98), 0.95, 0.98, 0.88),
    "challenge17": (25, (0.98, 0.95, 0.98), 0.95, 0.94, 0.84),
    "challenge18": (25, (0.98, 0.98, 0.98), 0.81, 0.98, 0.96),
    "challenge19": (25, (0.98, 0.95, 0.94), 0.95, 0.98, 0.76),
    "challenge20": (25, (0.98, 0.96, 0.96), 0.90, 0.94, 0.80),
    "challenge21": (25, (0.98, 0.96, 0.98), 0.90, 0.94, 0.88),
    "challenge22": (25, (0.98, 0.98, 0.98), 0.95, 0.94, 0.96),
    "challenge23": (25, (0.98, 0.98, 0.98), 0.95, 0.94, 0.96),
}


@pytest.fixture(scope="module")
def scorer(shared):
    """The shared scorer's ``score(gold_dir, predictions)`` function."""
    spec = importlib.util.spec_from_file_location("gold_score", shared / "gold" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.score


@pytest.mark.parametrize("name", sorted(SETS))
def test_blind_set_floors(name, scorer, tmp_path):
    n_docs, (f_value, f_full, f_median), f_role, f_n, f_perfect = SETS[name]
    folder = FIXTURES / name
    files = sorted(folder.glob("*.json"))
    assert len(files) == n_docs, f"expected {n_docs} annotated abstracts in {folder}, found {len(files)}"
    preds = tmp_path / "preds.jsonl"
    with preds.open("w", encoding="utf-8") as fh:
        for f in files:
            d = json.loads(f.read_text(encoding="utf-8"))
            fh.write(json.dumps(extract(Document(id=d["id"], text=d["text"])).to_dict()) + "\n")
    res, _errors = scorer(folder, preds)
    assert res["predicted_documents"] == res["documents"] == n_docs
    got = {"ratio_value": res["ratio_value"]["f1"], "ratio_full": res["ratio_full"]["f1"],
           "median_value": res["median_value"]["f1"], "median_role": res["median_role"],
           "n_randomized": res["n_randomized"], "perfect_docs": res["perfect_docs"]}
    floors = {"ratio_value": f_value, "ratio_full": f_full, "median_value": f_median,
              "median_role": f_role, "n_randomized": f_n, "perfect_docs": f_perfect}
    below = {k: (got[k], floors[k]) for k in floors if got[k] < floors[k]}
    assert not below, f"{name}: (score, floor) below floor: {below}"
