"""Score the abstract extractor on the fictional challenge sets (tests/fixtures/challenge*)
and, for comparison, on the gold dev set (../shared/gold) when it is present.

Each challenge set was written blind (by someone who had not seen the extractor's rules) and
measured before the extractor was corrected against it. Blind scores (ratio_full F1 /
median_value F1 / n_randomized) when first measured on 2026-12-01: challenge 0.828 / 0.886 /
0.898; challenge2 0.886 / 0.961 / 0.921; challenge3 0.836 / 0.978 / 0.964; challenge4 0.896 /
0.946 / 0.893; challenge5 0.944 / 0.979 / 0.739; on 2026-12-02, challenge6 0.914 / 0.940 / 0.958, challenge7 0.923 / 0.832 / 0.870, challenge8 0.928 /
0.975 / 0.958, challenge9 0.900 / 0.936 / 1.0 (median_role 0.835), challenge10 0.913 / 0.954 / 1.0
(ratio_value 0.932) and challenge11 0.936 / 0.986 / 0.96; challenge12 (written 2026-12-02)
0.962 / 0.954 / 0.958 (median_role 0.805), challenge13 (after set 12's corrections) 0.970 / 0.981 / 1.0
(median_role 0.876), challenge14 (after set 13's corrections) 0.908 / 0.996 / 0.870 (median_role 0.915),
challenge15 (the session's final code before it) 0.870 / 0.951 / 0.875 (median_role 0.886) and challenge16
(the session's final code) 0.930 / 0.960 / 0.957 (median_role 0.969); in a later session on 2026-12-02, challenge17
0.888 / 0.989 / 0.917 (ratio_value 0.995) and challenge18 0.882 / 0.990 / 0.957 (ratio_value 0.919, median_role 0.816),
both the same on that session's starting code, and challenge19 (outside oncology, after set 17's and 18's corrections)
0.827 / 0.800 / 0.88 (ratio_value 0.964; 0.818 ratio_full on the starting code), and challenge20 (after those
corrections and their review) 0.952 / 0.973 / 0.957 (ratio_value 1.0, median_role 0.910; the starting code 0.922 /
0.961 / 0.913), challenge22 (short plain abstracts, after them) 1.0 / 0.983 / 0.913 (median_role 0.893; the starting
code 0.985 / 0.983 / 0.913) and challenge21 (after set 22's corrections) 0.924 / 1.0 / 0.957 (ratio_value 0.987,
median_role 0.847; the starting code 0.888 / 1.0 / 0.913); challenge23, on that session's final code, 0.960 / 1.0 / 0.957
(ratio_value 1.0, median_role 0.972; the starting code 0.930 / 1.0 / 0.957).
Scores here are after correction, so they guard against regressions; only a new blind set measures generalisation.

The scorer is the shared one (../shared/gold/score.py), imported by path, so both sets are
judged by exactly the same rules. Without ../shared there is no scorer: the script says so
and exits 0.

Usage: python benchmarks/extract_challenge.py [--quiet]   (--quiet: scores only, no error list)
"""
from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metabolero.extract import extract  # noqa: E402
from metabolero.records import Document  # noqa: E402

CHALLENGE_DIRS = sorted(p for p in (ROOT / "tests" / "fixtures").glob("challenge*") if p.is_dir())
SHARED_GOLD = ROOT.parent / "shared" / "gold"


def load_scorer(gold_dir: Path):
    """Return the ``score(gold_dir, pred_path, show_errors)`` function of gold_dir/score.py."""
    spec = importlib.util.spec_from_file_location("gold_score", gold_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.score


def predict(gold_dir: Path, out: Path) -> tuple[int, float]:
    """Write one extraction per annotated JSON in gold_dir to ``out`` (JSONL).

    Returns (number of documents, total extraction time in seconds).
    """
    n, spent = 0, 0.0
    with out.open("w", encoding="utf-8") as fh:
        for f in sorted(gold_dir.glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            if "ratios" not in d:
                continue
            t0 = time.perf_counter()
            ext = extract(Document(id=d["id"], text=d["text"]))
            spent += time.perf_counter() - t0
            fh.write(json.dumps(ext.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n, spent


def run(name: str, gold_dir: Path, score, show_errors: bool) -> dict:
    """Extract and score one annotated set; print its errors (if asked); return the score dict."""
    with tempfile.TemporaryDirectory() as tmp:
        preds = Path(tmp) / f"{name}.jsonl"
        n, spent = predict(gold_dir, preds)
        res, errors = score(gold_dir, preds, show_errors=True)
    res["seconds_per_doc"] = round(spent / n, 5) if n else None
    if show_errors:
        print(f"\n=== {name}: errors ({len(errors)}) ===")
        for doc_id, kind, extra, missing in errors:
            print(f"{doc_id} {kind}\n  extra:   {extra}\n  missing: {missing}")
    return res


def main(argv: list[str]) -> int:
    """Print challenge-set and dev-set scores side by side; return the exit status (0)."""
    show_errors = "--quiet" not in argv
    if not (SHARED_GOLD / "score.py").exists():
        print(f"{SHARED_GOLD}/score.py not found: the shared reference data (../shared) is absent, "
              "so there is no scorer to judge the challenge set with. Nothing scored.")
        return 0
    score = load_scorer(SHARED_GOLD)
    results = {d.name: run(d.name, d, score, show_errors) for d in CHALLENGE_DIRS}
    results["dev"] = run("dev", SHARED_GOLD, score, show_errors)
    names = list(results)
    print(f"\n{'metric':16}" + "".join(f"{n:>14}" for n in names))
    for key in results["dev"]:
        cells = []
        for name in names:
            v = results[name].get(key)
            if isinstance(v, dict):
                v = f"{v['f1']:.3f}"
            cells.append(str(v))
        print(f"{key:16}" + "".join(f"{c:>14}" for c in cells))
    print("(F1 for ratio_value, ratio_full and median_value; shares for the others)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
