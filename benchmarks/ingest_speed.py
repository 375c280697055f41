"""Reading speed of the ingest readers, and the time a hostile batch takes. Prints figures.

    .venv/bin/python benchmarks/ingest_speed.py [--copies 40]

Gold abstracts (../shared/gold) are rendered by tests/formats.py into one multi-record MEDLINE
file, one PubMed XML file, and one file per abstract as PubMed page text and as plain text;
``--copies`` repeats the gold set to make the batch bigger.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import formats  # noqa: E402
from metabolero.ingest import IngestFailure, iter_documents, read_path  # noqa: E402


def _timed(label: str, fn, n_hint: str = "") -> list:
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    n = len(out)
    print(f"{label:34s} {n:6d} documents in {dt:7.3f} s  ({n / dt:8.0f} documents/s) {n_hint}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((args.shared / "gold").glob("*.json"))]
    if not golds:
        print(f"no gold abstracts in {args.shared / 'gold'}")
        return 1
    abstracts = [formats.abstract_from_gold(g, i) for i, g in enumerate(golds * args.copies)]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "all.nbib").write_text(formats.to_medline_file(abstracts), encoding="utf-8")
        (d / "all.xml").write_text(formats.to_xml(abstracts), encoding="utf-8")
        pages, texts = d / "pages", d / "texts"
        pages.mkdir()
        texts.mkdir()
        for a in abstracts:
            (pages / f"{a.pmid}.txt").write_text(formats.to_page(a, "seed"), encoding="utf-8")
            (texts / f"{a.pmid}.txt").write_text(formats.to_text(a), encoding="utf-8")
        (d / "export.txt").write_text(formats.to_abstract_export(abstracts), encoding="utf-8")
        size = (d / "all.xml").stat().st_size / 1e6
        _timed("MEDLINE, one multi-record file", lambda: read_path(d / "all.nbib"))
        _timed("PubMed XML, one multi-article file", lambda: read_path(d / "all.xml"), f"[{size:.1f} MB]")
        _timed("PubMed Abstract (text) export", lambda: read_path(d / "export.txt"))
        _timed("PubMed page text, one file each", lambda: list(iter_documents([pages])))
        _timed("plain text, one file each", lambda: list(iter_documents([texts])))

        sys.path.insert(0, str(ROOT / "tests"))
        from test_ingest_batch import _hostile

        hostile = d / "hostile"
        hostile.mkdir()
        expected = _hostile(hostile)
        t0 = time.perf_counter()
        items = list(iter_documents([hostile]))
        dt = time.perf_counter() - t0
        n_failed = sum(isinstance(i, IngestFailure) for i in items)
        print(f"{'hostile batch (' + str(len(expected) + 3) + ' files)':34s} {n_failed:6d} failures, "
              f"{len(items) - n_failed} documents in {dt:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
