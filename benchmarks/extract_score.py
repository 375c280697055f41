"""Score the abstract extractor on the gold dev set (../shared/gold) and print per-document errors.

Usage: python benchmarks/extract_score.py [GOLD_DIR] [--quiet]
"""
from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metabolero.extract import extract  # noqa: E402
from metabolero.records import Document  # noqa: E402


def load_scorer(gold_dir: Path):
    """Return the ``score`` function of gold_dir/score.py."""
    spec = importlib.util.spec_from_file_location("gold_score", gold_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.score


def predict(gold_dir: Path, out: Path) -> int:
    """Write one extraction per gold document to ``out`` (JSONL); return the number of documents."""
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for f in sorted(gold_dir.glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            if "ratios" not in d:
                continue
            ext = extract(Document(id=d["id"], text=d["text"]))
            fh.write(json.dumps(ext.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_dir = Path(args[0]) if args else ROOT.parent / "shared" / "gold"
    with tempfile.TemporaryDirectory() as tmp:
        preds = Path(tmp) / "preds.jsonl"
        predict(gold_dir, preds)
        res, errors = load_scorer(gold_dir)(gold_dir, preds, show_errors=True)
    if "--quiet" not in argv:
        for doc_id, name, extra, missing in errors:
            print(f"{doc_id} {name}\n  extra:   {extra}\n  missing: {missing}")
    for k, v in res.items():
        print(f"{k:14} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
