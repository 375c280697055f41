"""Pages per second of metabolero's full PDF ingestion vs pdfplumber's plain extract_text.

Runs both on the same PDFs in one process: the gold article PDFs in ../shared/gold/pdf (if
present) and the fixture PDFs built by tests/pdf_fixtures.py (two-column article with tables,
KM figures). Full ingestion = text in reading order + sections + tables + vector KM figures.
The last line is ``ingest/extract_text time ratio: X`` (target: X <= 2).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _pdfs(tmp: Path) -> list[Path]:
    import pandas as pd
    from pdf_fixtures import make_article_pdf, make_km_pdf

    out = sorted((ROOT.parent / "shared" / "gold" / "pdf").glob("*.pdf"))
    make_article_pdf(tmp / "article.pdf")
    out.append(tmp / "article.pdf")
    ipd_dir = ROOT.parent / "shared" / "ipd"
    if (ipd_dir / "veteran.csv").exists():
        make_km_pdf(tmp / "km.pdf", pd.read_csv(ipd_dir / "veteran.csv"), ["standard", "test"],
                    x_max=600, x_step=100, censor_ticks=True)
        out.append(tmp / "km.pdf")
    return out


def main(repeat: int = 5) -> None:
    import pdfplumber
    from metabolero.ingest.pdf import read_pdf_full

    with tempfile.TemporaryDirectory() as d:
        paths = _pdfs(Path(d))
        pages = 0
        for p in paths:
            with pdfplumber.open(p) as pdf:
                pages += len(pdf.pages)
        t_plain = t_full = 0.0
        for _ in range(repeat):
            t0 = time.perf_counter()
            for p in paths:
                with pdfplumber.open(p) as pdf:
                    for page in pdf.pages:
                        page.extract_text()
            t_plain += time.perf_counter() - t0
            t0 = time.perf_counter()
            for p in paths:
                read_pdf_full(p)
            t_full += time.perf_counter() - t0
    n = pages * repeat
    print(f"{len(paths)} PDFs, {pages} pages, {repeat} repeats")
    print(f"pdfplumber extract_text: {n / t_plain:.1f} pages/s")
    print(f"metabolero read_pdf_full: {n / t_full:.1f} pages/s")
    print(f"ingest/extract_text time ratio: {t_full / t_plain:.2f}")


if __name__ == "__main__":
    main()
