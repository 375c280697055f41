"""End to end on the journal-style gold PDFs: ``metabolero extract`` scored with shared/gold/score.py."""
from __future__ import annotations

import json
import subprocess
import sys


from metabolero.cli import main


def test_extract_gold_pdfs_scores(shared, tmp_path):
    out = tmp_path / "preds.jsonl"
    pdfs = sorted((shared / "gold" / "pdf").glob("article*.pdf"))
    assert pdfs
    assert main(["extract", *map(str, pdfs), "--jsonl", str(out), "--quiet"]) == 0
    res = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), str(shared / "gold" / "pdf" / "gold"),
                          str(out), "--json"], capture_output=True, text=True, check=True)
    scores = json.loads(res.stdout)
    assert scores["ratio_value"]["f1"] >= 0.95
    assert scores["median_value"]["f1"] >= 0.90
    # nothing from the reference list (full of decoy hazard ratios and medians)
    from metabolero.ingest.pdf import read_pdf

    for line in out.read_text().splitlines():
        rec = json.loads(line)
        doc = read_pdf(next(p for p in pdfs if p.stem == rec["id"]))[0]
        refs = [s for s in doc.sections if s.name == "REFERENCES"]
        assert refs
        for r in rec["ratios"] + rec["medians"]:
            span = r.get("span") or {}
            assert span.get("quote") and doc.text[span["start"]:span["end"]] == span["quote"]
            assert not any(s.start <= span["start"] < s.end for s in refs)


def test_extract_gold_tables_typeset_as_pdfs(shared, tmp_path):
    """shared/gold/tables typeset as PDF tables, through ``metabolero extract``, scored like the abstracts."""
    from pdf_fixtures import make_table_pdf

    folder = tmp_path / "tables"
    folder.mkdir()
    for f in sorted((shared / "gold" / "tables").glob("*.json")):
        make_table_pdf(folder / f"{f.stem}.pdf", json.loads(f.read_text())["text"])
    out = tmp_path / "preds.jsonl"
    assert main(["extract", str(folder), "--jsonl", str(out), "--quiet"]) == 0
    res = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), str(shared / "gold" / "tables"),
                          str(out), "--json"], capture_output=True, text=True, check=True)
    scores = json.loads(res.stdout)
    assert scores["predicted_documents"] == scores["documents"] >= 6
    assert scores["ratio_value"]["f1"] >= 0.95 and scores["median_value"]["f1"] >= 0.95
