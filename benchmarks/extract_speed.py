"""Extraction throughput: abstracts per second, single process, from reading the input to records.

Reads the dev-set abstracts (../shared/gold), repeats them with small variations up to N
(default 10,000) documents, writes them to a JSONL file, then times reading that file and
extracting every document. The last line printed is ``abstracts/s: X``, from the CPU time of
this process (``time.process_time``), which does not depend on what else the machine runs;
the wall-clock rate is printed on the line before.

Usage: python benchmarks/extract_speed.py [N]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metabolero.extract import extract  # noqa: E402
from metabolero.records import Document  # noqa: E402


def corpus(gold_dir: Path, n: int) -> list[dict]:
    """Return ``n`` abstracts: the dev set repeated, each copy varied by a prefix sentence and id."""
    base = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(gold_dir.glob("*.json"))]
    base = [d for d in base if "text" in d]
    out = []
    for i in range(n):
        d = base[i % len(base)]
        out.append({"id": f"{d['id']}-{i}", "text": f"Report {i}. " + d["text"]})
    return out


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    gold_dir = ROOT.parent / "shared" / "gold"
    docs = corpus(gold_dir, n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "abstracts.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        t0 = time.perf_counter()
        c0 = time.process_time()
        n_ratios = n_medians = 0
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                ext = extract(Document(id=d["id"], text=d["text"]))
                n_ratios += len(ext.ratios)
                n_medians += len(ext.medians)
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
    print(f"documents: {n}; ratios: {n_ratios}; medians: {n_medians}; wall seconds: {dt:.2f}; cpu seconds: {cpu:.2f}")
    print(f"wall-clock abstracts/s: {n / dt:.0f}")
    print(f"abstracts/s: {n / cpu:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
